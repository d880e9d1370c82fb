"""Benchmark of `drafter review` and `drafter checklist` (run by hand; not part of the test run).

    /work/venv/bin/python benchmarks/bench_review.py [--runs 5]

Times, on the real reply 002 (17 questions, 77 requests) and 003 (6 questions, 50 requests):
split_reply over every question, the whole review (read -> parse -> split -> checks), the
leave-one-out check (each request's answer deleted in turn, which must be found unanswered), and the
checklist written as XLSX and DOCX. Reports the median of --runs runs.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from drafter.review.checklist import build_checklist, write_docx, write_xlsx  # noqa: E402
from drafter.parse import parse_file  # noqa: E402
from drafter.parse.reply import split_reply  # noqa: E402
from drafter.review import review_reply  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"


def timed(fn, runs: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def leave_one_out(letter) -> tuple[int, int]:
    found = total = 0
    for q in letter.questions:
        for rid, a in split_reply(q).answers.items():
            if a.shared_with:
                continue
            total += 1
            cut = q.model_copy(update={"reply": q.reply[:a.start] + q.reply[a.end:]})
            found += split_reply(cut).unanswered == [rid]
    return found, total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    for name in ("002_b6a7c14d8069eefe.txt", "003_474977f8a7f54835.txt"):
        path = CORPUS / name
        if not path.exists():
            print(f"{path} absent; skipped")
            continue
        letter = parse_file(path)
        t_split, _ = timed(lambda: [split_reply(q) for q in letter.questions], args.runs)
        t_review, rep = timed(lambda: review_reply(path), args.runs)
        t_loo, (found, total) = timed(lambda: leave_one_out(letter), 1)
        print(f"{name}: split {t_split * 1000:.0f} ms; review {t_review * 1000:.0f} ms "
              f"({rep.requests_answered}/{rep.requests_total} answered, {len(rep.blocking)} blocking); "
              f"leave-one-out {found}/{total} found in {t_loo:.1f} s")
        with tempfile.TemporaryDirectory() as d:
            cl = build_checklist(letter)
            t_x, _ = timed(lambda: write_xlsx(cl, Path(d) / "c.xlsx", force=True), args.runs)
            t_d, _ = timed(lambda: write_docx(cl, Path(d) / "c.docx", force=True), args.runs)
            print(f"  checklist {len(cl.rows)} rows: xlsx {t_x * 1000:.0f} ms, docx {t_d * 1000:.0f} ms")


if __name__ == "__main__":
    main()
