"""Render speed on a reply the size of a 400-page filing (run by hand; not part of the test run).

    /work/venv/bin/python benchmarks/bench_render.py [--paragraphs 5000] [--tables 400] [--repeat 3]

Times three things on the same content (5,000 paragraphs and 400 tables of 12 rows x 6 columns):
  render   drafter.render.render_docx: styles in the base document, body built as XML (the product);
  plain    python-docx used plainly: doc.add_paragraph(text), doc.add_table + row.cells[i].text,
           no styles at all (the issue's yardstick: the whole draft must stay within 2x of it);
  styled   python-docx with paragraph.style set by name (what a naive styled renderer would do),
           for reference.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import docx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from drafter.document import Paragraph, ReplyDocument, Run, Table  # noqa: E402
from drafter.render import render_docx  # noqa: E402
from drafter.render.style import HouseStyle  # noqa: E402

STYLES = ["body", "body", "body", "question", "heading3", "amendment", "body", "heading2"]


def build_doc(n_paras: int, n_tables: int) -> ReplyDocument:
    doc = ReplyDocument(title="基准测试回复", header_text="发行人及保荐人回复意见")
    every = max(1, n_paras // max(1, n_tables))
    t = 0
    for i in range(n_paras):
        style = STYLES[i % len(STYLES)]
        if i % 50 == 0:
            style = "heading1"
        runs = [Run(text=f"第{i + 1}段:报告期内,发行人营业收入分别为9,897.80万元、12,345.67万元和15,001.02万元,")]
        if i % 97 == 0:
            runs.append(Run(text="【待补充:原因】", placeholder=True))
        runs.append(Run(text="主要系下游需求增长所致。"))
        doc.add(Paragraph(style=style, runs=runs))
        if i % every == every - 1 and t < n_tables:
            t += 1
            doc.add(Table(
                header=[["项目", "2023年", "2024年", "2025年", "2026年1-6月", "变动"]],
                rows=[[f"项目{t}-{r}", "9,897.80", "12,345.67", "15,001.02", "7,650.10", "21.52%"] for r in range(12)],
                numeric_cols=[1, 2, 3, 4, 5],
                notes=["上表数据经审计。"],
            ))
    return doc


def plain(doc: ReplyDocument, path: Path) -> None:
    d = docx.Document()
    for b in doc.blocks:
        if b.kind == "paragraph":
            d.add_paragraph(b.text)
        elif b.kind == "table":
            d.add_paragraph(f"单位:{b.unit}")
            table = d.add_table(rows=len(b.header) + len(b.rows), cols=len(b.header[0]))
            for row, values in zip(table.rows, b.header + b.rows):
                for cell, value in zip(row.cells, values):
                    cell.text = value
            for n in b.notes:
                d.add_paragraph(n)
    d.save(str(path))


WORD_STYLE = {"body": "Normal", "question": "Quote", "amendment": "Intense Quote", "heading1": "Heading 1",
              "heading2": "Heading 2", "heading3": "Heading 3"}


def styled(doc: ReplyDocument, path: Path) -> None:
    d = docx.Document()
    for b in doc.blocks:
        if b.kind == "paragraph":
            p = d.add_paragraph(b.text)
            p.style = WORD_STYLE.get(b.style, "Normal")
        elif b.kind == "table":
            d.add_paragraph(f"单位:{b.unit}")
            table = d.add_table(rows=len(b.header) + len(b.rows), cols=len(b.header[0]))
            table.style = "Table Grid"
            for row, values in zip(table.rows, b.header + b.rows):
                for cell, value in zip(row.cells, values):
                    cell.text = value
            for n in b.notes:
                d.add_paragraph(n)
    d.save(str(path))


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--paragraphs", type=int, default=5000)
    ap.add_argument("--tables", type=int, default=400)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-styled", action="store_true")
    args = ap.parse_args()

    t0 = time.perf_counter()
    doc = build_doc(args.paragraphs, args.tables)
    t_model = time.perf_counter() - t0
    n_tables = sum(1 for b in doc.blocks if b.kind == "table")
    style = HouseStyle()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        r = timed(lambda: render_docx(doc, style, tmp / "render.docx"), args.repeat)
        p = timed(lambda: plain(doc, tmp / "plain.docx"), args.repeat)
        s = None if args.skip_styled else timed(lambda: styled(doc, tmp / "styled.docx"), 1)
        size = (tmp / "render.docx").stat().st_size
    print(f"content: {args.paragraphs} paragraphs, {n_tables} tables (12x6); model built in {t_model:.2f} s")
    print(f"render_docx (drafter):        {r:6.2f} s   ({size / 1e6:.1f} MB)")
    print(f"python-docx plain:            {p:6.2f} s")
    if s is not None:
        print(f"python-docx with style names: {s:6.2f} s")
    print(f"render / plain = {r / p:.2f}  (the issue allows the whole draft up to 2.00)")


if __name__ == "__main__":
    main()
