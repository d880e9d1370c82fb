"""Benchmark: parse the 860 KB corpus reply (run by hand; not collected by the test run).

    /work/venv/bin/python benchmarks/bench_parse.py [FILE ...]

Prints best and median wall time of read+clean+parse over several runs, and peak memory.
"""
from __future__ import annotations

import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from drafter.parse import parse_file  # noqa: E402
from drafter.read import read_text  # noqa: E402

DEFAULT = [ROOT.parent / "shared" / "corpus" / "002_b6a7c14d8069eefe.txt", ROOT.parent / "shared" / "corpus" / "003_474977f8a7f54835.txt"]


def bench(path: Path, runs: int = 7) -> None:
    size = path.stat().st_size
    parse_file(path)  # warm up (imports, regex compilation)
    read_times, total_times = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        read_text(path)
        t1 = time.perf_counter()
        letter = parse_file(path)
        t2 = time.perf_counter()
        read_times.append(t1 - t0)
        total_times.append(t2 - t1)
    tracemalloc.start()
    parse_file(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    n_req = sum(len(q.requests) for q in letter.questions)
    print(
        f"{path.name}: {size / 1024:.0f} KB, {len(letter.questions)} questions, {n_req} requests | "
        f"read+clean best {min(read_times) * 1000:.0f} ms | read+clean+parse best {min(total_times) * 1000:.0f} ms, "
        f"median {statistics.median(total_times) * 1000:.0f} ms | peak memory {peak / 1024 / 1024:.1f} MB"
    )


if __name__ == "__main__":
    files = [Path(a) for a in sys.argv[1:]] or [p for p in DEFAULT if p.exists()]
    if not files:
        sys.exit("no file to parse: pass a path (the corpus ../shared/corpus is absent)")
    for f in files:
        bench(f)
