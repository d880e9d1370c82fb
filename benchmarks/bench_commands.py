"""What a user waits for: whole commands in fresh processes, beside their baselines, in the same run.

    python benchmarks/bench_commands.py [--runs 7]

Each figure is the median wall time of `--runs` fresh processes (imports and start-up included), after
one warm-up run so the byte-code caches exist as they do on a user's machine (PYTHONDONTWRITEBYTECODE is
cleared for the children):

- `python -c pass`                       the interpreter alone
- baseline: python-docx writing the same paragraphs and tables as the 002 draft plainly, fresh process
- `drafter draft 002 --company tests/data/company_002.yaml`   target: within 2x of the baseline
- `drafter parse 002`                                         target: under 0.4 s
- `drafter demo`

Run by hand (not in the test run): timings depend on the machine and what else it is doing.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LETTER = ROOT.parent / "shared" / "corpus" / "002_b6a7c14d8069eefe.txt"
COMPANY = ROOT / "tests" / "data" / "company_002.yaml"

PLAIN = r'''
import json, sys
import docx
blocks = json.load(open(sys.argv[1], encoding="utf-8"))
d = docx.Document()
styles = {"heading1": "Heading 1", "heading2": "Heading 2", "heading3": "Heading 3", "heading4": "Heading 4"}
for b in blocks:
    if b[0] == "p":
        d.add_paragraph(b[2], style=styles.get(b[1]))
    elif b[0] == "t":
        rows = b[1]
        t = d.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        for row, values in zip(t.rows, rows):
            for cell, value in zip(row.cells, values):
                cell.text = value
    elif b[0] == "b":
        d.add_page_break()
d.save(sys.argv[2])
'''


def env() -> dict:
    e = dict(os.environ)
    e.pop("PYTHONDONTWRITEBYTECODE", None)
    return e


def timed(cmd: list[str], runs: int, cwd: Path | None = None) -> list[float]:
    subprocess.run(cmd, check=True, capture_output=True, env=env(), cwd=cwd)  # warm-up (byte-code caches)
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=env(), cwd=cwd)
        out.append(time.perf_counter() - t0)
    return out


def blocks_json(path: Path, out: Path) -> None:
    """The 002 draft's paragraphs and tables, for the plain python-docx baseline."""
    sys.path.insert(0, str(ROOT))
    from drafter.document import PageBreak, Paragraph, Table
    from drafter.draft import draft_with_summary

    res = draft_with_summary(LETTER, COMPANY, path, library=False, force=True)
    blocks = []
    for b in res.document.blocks:
        if isinstance(b, Paragraph):
            blocks.append(["p", b.style, b.text])
        elif isinstance(b, Table):
            blocks.append(["t", b.header + b.rows])
        elif isinstance(b, PageBreak):
            blocks.append(["b"])
    out.write_text(json.dumps(blocks, ensure_ascii=False), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    if not LETTER.exists():
        sys.exit(f"{LETTER} not found (the shared corpus is only in the development checkout)")
    drafter = str(Path(sys.executable).parent / "drafter")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        blocks_json(tmp / "warm.docx", tmp / "blocks.json")
        (tmp / "plain.py").write_text(PLAIN, encoding="utf-8")
        rows = [
            ("python -c pass", [sys.executable, "-c", "pass"], None),
            ("baseline: python-docx plain write of the 002 content", [sys.executable, str(tmp / "plain.py"),
                                                                     str(tmp / "blocks.json"), str(tmp / "plain.docx")], None),
            ("drafter draft 002 (company_002.yaml, --no-library)", [drafter, "draft", str(LETTER), "--company", str(COMPANY),
                                                                     "--no-library", "--force", "-o", str(tmp / "d.docx")], None),
            ("drafter parse 002", [drafter, "parse", str(LETTER)], None),
            ("drafter demo", [drafter, "demo", "--force", "-o", str(tmp / "demo.docx")], None),
        ]
        results = {}
        for name, cmd, cwd in rows:
            t = timed(cmd, args.runs, cwd)
            results[name] = statistics.median(t)
            print(f"{name:58s} median {results[name] * 1000:6.0f} ms  (runs: {', '.join(f'{x * 1000:.0f}' for x in t)})")
    base = results["baseline: python-docx plain write of the 002 content"]
    draft = results["drafter draft 002 (company_002.yaml, --no-library)"]
    parse = results["drafter parse 002"]
    print(f"draft / baseline: {draft / base:.2f}x (target <= 2x); parse: {parse:.2f} s (target < 0.4 s)")


if __name__ == "__main__":
    main()
