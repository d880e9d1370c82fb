"""Benchmark of `drafter draft` (run by hand; not part of the test run).

    /work/venv/bin/python benchmarks/bench_draft.py [--runs 5] [--letter PATH] [--company PATH]

Times the whole draft of the real 002 letter (17 questions, 77 requests) for tests/data/company_002.yaml:
read -> parse -> match -> compose -> render -> atomic write, in process (`drafter.draft.draft`), and the
same through the command line (a fresh Python process, imports included).

Baseline: python-docx writing *the same* paragraphs and tables plainly (Document(), add_paragraph with
the text and a style name, add_table filled through row.cells, save). Target: the draft within 2x the
baseline. Reports the median of --runs runs for each.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402

from drafter.document import Legend, PageBreak, Paragraph, Table, Toc  # noqa: E402
from drafter.draft import draft_with_summary  # noqa: E402

LETTER = ROOT.parent / "shared" / "corpus" / "002_b6a7c14d8069eefe.txt"
COMPANY = ROOT / "tests" / "data" / "company_002.yaml"
PLAIN_STYLES = {"heading1": "Heading 1", "heading2": "Heading 2", "heading3": "Heading 3", "heading4": "Heading 4"}


def plain_python_docx(blocks, path: Path) -> None:
    """The same content written the plain python-docx way (no house style, no fields)."""
    d = docx.Document()
    for b in blocks:
        if isinstance(b, Paragraph):
            d.add_paragraph(b.text, style=PLAIN_STYLES.get(b.style))
        elif isinstance(b, Table):
            rows = b.header + b.rows
            t = d.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for row, values in zip(t.rows, rows):
                for cell, value in zip(row.cells, values):
                    cell.text = value
            for n in b.notes:
                d.add_paragraph(n)
        elif isinstance(b, Legend):
            t = d.add_table(rows=len(b.rows), cols=2)
            for row, r in zip(t.rows, b.rows):
                cells = row.cells
                cells[0].text, cells[1].text = r.what, r.face
        elif isinstance(b, Toc):
            for e in b.entries:
                d.add_paragraph(e)
        elif isinstance(b, PageBreak):
            d.add_page_break()
    d.save(str(path))


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--letter", type=Path, default=LETTER)
    ap.add_argument("--company", type=Path, default=COMPANY)
    ap.add_argument("--library", type=Path, default=None,
                    help="also time the draft with precedent comments from this library (drafter library add …)")
    args = ap.parse_args()
    if not args.letter.exists():
        sys.exit(f"{args.letter} not found (the shared corpus is only in the development checkout)")

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        res = draft_with_summary(args.letter, args.company, tmp / "warm.docx", library=False)  # warm caches once
        blocks = res.document.blocks
        n_par = sum(isinstance(b, Paragraph) for b in blocks)
        n_tab = sum(isinstance(b, Table) for b in blocks)
        n_cells = sum(len(r) for b in blocks if isinstance(b, Table) for r in b.header + b.rows)

        k = iter(range(10_000))
        draft_t = timed(lambda: draft_with_summary(args.letter, args.company, tmp / f"d{next(k)}.docx", library=False),
                        args.runs)
        lib_t = []
        if args.library:
            lib_res = draft_with_summary(args.letter, args.company, tmp / "warm-lib.docx", library=args.library)
            lib_t = timed(lambda: draft_with_summary(args.letter, args.company, tmp / f"l{next(k)}.docx",
                                                     library=args.library), args.runs)
        plain_t = timed(lambda: plain_python_docx(blocks, tmp / f"p{next(k)}.docx"), args.runs)
        cli = [str(Path(sys.executable).parent / "drafter"), "draft", str(args.letter), "--company", str(args.company),
               "--no-library"]
        cli_t = timed(lambda: subprocess.run([*cli, "-o", str(tmp / f"c{next(k)}.docx")], check=True,
                                             capture_output=True), max(1, args.runs // 2))

    d, p, c = statistics.median(draft_t), statistics.median(plain_t), statistics.median(cli_t)
    print(f"002: {res.questions} questions, {res.requests} requests -> {n_par} paragraphs, {n_tab} tables "
          f"({n_cells} cells), {res.placeholders} placeholders")
    print(f"drafter draft (in process, read->parse->match->compose->render->write): median {d * 1000:.0f} ms "
          f"(runs: {', '.join(f'{x * 1000:.0f}' for x in draft_t)})")
    print(f"python-docx, same paragraphs and tables written plainly:            median {p * 1000:.0f} ms "
          f"(runs: {', '.join(f'{x * 1000:.0f}' for x in plain_t)})")
    print(f"ratio draft / plain python-docx: {d / p:.2f}x (target <= 2x)")
    if lib_t:
        lm = statistics.median(lib_t)
        print(f"with precedent comments ({lib_res.precedents} requests, {args.library.name}): median {lm * 1000:.0f} ms "
              f"({lm / p:.2f}x plain)")
    print(f"`drafter draft` command, fresh process (imports included): median {c * 1000:.0f} ms")


if __name__ == "__main__":
    main()
