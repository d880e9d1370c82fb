"""Benchmark and evaluation of the matcher (run by hand; not collected by the test run).

    python benchmarks/bench_match.py            # timings + accuracy on the corpus letters
    python benchmarks/bench_match.py --size 20000

Measures: load_bank (cold and cached), parsing excluded; matching all requests of letter 002
(target < 200 ms); the same with the bank grown to 10,000 exemplars by synthetic ones (target < 1 s);
then top-1 / top-3 accuracy per level against tests/data/labels_*.yaml.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from drafter.match import bank as bank_mod  # noqa: E402
from drafter.match.bank import Bank, load_bank  # noqa: E402
from drafter.match import evaluate, index_for, load_labels, match_letter  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
LETTERS = {"002": "002_b6a7c14d8069eefe.txt", "003": "003_474977f8a7f54835.txt"}


def timed(fn, repeat=5):
    times = []
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return out, min(times), statistics.median(times)


def synthetic_bank(bank: Bank, size: int, seed: int = 7) -> Bank:
    """The bank plus synthetic exemplars (recombined clauses of real ones, a few random characters)
    until it holds `size` exemplars in all."""
    rng = random.Random(seed)
    pieces = [p for t in bank.topics.values() for ex in t.exemplars for p in ex.replace(",", ",").split(",") if p]
    chars = [c for p in pieces for c in p]
    topics = {tid: t.model_copy(deep=True) for tid, t in bank.topics.items()}
    ids = list(topics)
    have = sum(len(t.exemplars) for t in topics.values())
    while have < size:
        tid = rng.choice(ids)
        n = rng.randint(1, 3)
        text = ",".join(rng.choice(pieces) for _ in range(n)) + "".join(rng.choice(chars) for _ in range(rng.randint(0, 6)))
        topics[tid].exemplars.append(text)
        have += 1
    return Bank(path=bank.path, topics=topics, taxonomy=bank.taxonomy, files=bank.files)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=10_000, help="exemplars in the grown bank")
    args = ap.parse_args()

    if not (CORPUS / LETTERS["002"]).exists():
        print(f"corpus not found at {CORPUS}")
        return 1
    from drafter.parse import parse_file

    letters = {k: parse_file(CORPUS / f) for k, f in LETTERS.items()}

    bank_mod._BANK_CACHE.clear()
    t = time.perf_counter()
    bank = load_bank()
    cold = time.perf_counter() - t
    t = time.perf_counter()
    index_for(bank)
    build = time.perf_counter() - t
    _, cached, _ = timed(load_bank, 20)
    n_ex = sum(len(t.exemplars) for t in bank.topics.values())
    print(f"bank: {len(bank.topics)} topics, {n_ex} exemplars, "
          f"{sum(len(t.keywords) for t in bank.topics.values())} keywords")
    print(f"load_bank cold {cold * 1000:.1f} ms; index build {build * 1000:.1f} ms; cached {cached * 1e6:.0f} µs")

    l002 = letters["002"]
    _, best, med = timed(lambda: match_letter(l002, bank))
    print(f"match 002 ({len(l002.requests)} requests, {len(l002.questions)} questions): "
          f"best {best * 1000:.1f} ms, median {med * 1000:.1f} ms  (target < 200 ms)")

    big = synthetic_bank(bank, args.size)
    t = time.perf_counter()
    index_for(big)
    build_big = time.perf_counter() - t
    _, best, med = timed(lambda: match_letter(l002, big), 3)
    print(f"bank grown to {args.size} exemplars: index build {build_big * 1000:.0f} ms; match 002 "
          f"best {best * 1000:.1f} ms, median {med * 1000:.1f} ms  (target < 1 s)")

    print()
    print("accuracy (alternates accepted; 'primary' = top-1 equals the primary label):")
    for key, letter in letters.items():
        labels = load_labels(ROOT / "tests" / "data" / f"labels_{key}.yaml")
        r = evaluate(match_letter(letter, bank), labels)
        for level, s in (("requests", r.requests), ("questions", r.questions)):
            print(f"  {key} {level:9s}: top-1 {s.top1}/{s.total} = {s.top1_rate:.1%}, "
                  f"top-3 {s.top3}/{s.total} = {s.top3_rate:.1%}, primary {s.top1_primary}/{s.total}"
                  + (f", missing ids {s.missing}" if s.missing else ""))

    print()
    print("hold-out: exemplars resembling any clause of the evaluated letter removed "
          "(bigram containment > 0.6), so only the general content is left:")
    for key, letter in letters.items():
        labels = load_labels(ROOT / "tests" / "data" / f"labels_{key}.yaml")
        held, dropped = without_resembling_exemplars(bank, letter, 0.6)
        r = evaluate(match_letter(letter, held), labels)
        print(f"  {key}: {dropped} exemplars removed; requests top-1 {r.requests.top1_rate:.1%}, "
              f"top-3 {r.requests.top3_rate:.1%}; questions top-1 {r.questions.top1_rate:.1%}")
    return 0


def without_resembling_exemplars(bank: Bank, letter, threshold: float) -> tuple[Bank, int]:
    import re

    from drafter.match import bigrams, normalize

    clauses = [bigrams(c) for r in letter.requests for c in re.split(r"[;。]", normalize(r.text)) if len(c) > 8]
    topics, dropped = {}, 0
    for tid, t in bank.topics.items():
        keep = []
        for e in t.exemplars:
            b = bigrams(normalize(e))
            if b and clauses and max(len(a & b) / len(b) for a in clauses) > threshold:
                dropped += 1
                continue
            keep.append(e)
        topics[tid] = t.model_copy(update={"exemplars": keep})
    return Bank(path=bank.path, topics=topics, taxonomy=bank.taxonomy, files=bank.files), dropped


if __name__ == "__main__":
    raise SystemExit(main())
