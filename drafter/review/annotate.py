"""Write review findings into a copy of the reply DOCX as Word comments, at the place each concerns.

`annotate_docx(report, reply_path, out_path, force=False) -> int` (number of comments). The reply is
never modified: the copy is written with `drafter.output.write_atomic`. A finding is anchored on
the words it names (a placeholder, a sentence with absolute wording, the altered words of a quote,
the request left unanswered in the quoted question); when those words cannot be found it is put on
the question's heading, and failing that on the document's first paragraph.
"""
from __future__ import annotations

import os
import re
from copy import deepcopy
from pathlib import Path

from ..errors import UserError
from ..output import write_atomic
from . import Finding, ReviewReport, quote_text

AUTHOR = "drafter review"
INITIALS = "DR"
MAX_COMMENTS = 600


def _key(s: str) -> str:
    return quote_text(s or "")


def annotate_docx(report: ReviewReport, reply_path: str | os.PathLike, out_path: str | os.PathLike,
                  force: bool = False, include_warnings: bool = True) -> int:
    import docx
    from docx.text.run import Run

    src = Path(reply_path)
    if src.suffix.lower() != ".docx":
        raise UserError("--annotate needs the reply as a .docx (comments are written into a copy of it)", file=str(src))
    try:
        doc = docx.Document(str(src))
    except Exception as e:  # not a real docx
        raise UserError(f"cannot open as a Word document ({e.__class__.__name__})", file=str(src)) from None
    paras = [p for p in doc.paragraphs]
    keys = [_key(p.text) for p in paras]
    q_start = _question_starts(report, keys)
    bounds = sorted(q_start.items(), key=lambda kv: kv[1])

    def region(qn: int | None) -> tuple[int, int]:
        if qn is None or qn not in q_start:
            return 0, len(paras)
        s = q_start[qn]
        later = [i for _, i in bounds if i > s]
        return s, later[0] if later else len(paras)

    findings = [f for f in report.findings if f.severity == "blocking" or include_warnings]
    n = 0
    for f in findings:
        if n >= MAX_COMMENTS:
            break
        lo, hi = region(f.question)
        idx, pos = _locate(f, paras, keys, lo, hi)
        if idx is None:
            idx = q_start.get(f.question or -1, 0)
            pos = None
        p = paras[idx] if paras else doc.add_paragraph("")
        runs = [r for r in p.runs if r.text]
        if not runs:
            runs = [p.add_run("")]
        target = runs
        if pos is not None:
            target = _isolate(p, pos[0], pos[1], pos[2], Run) or runs
        label = "阻断" if f.severity == "blocking" else "提示"
        doc.add_comment(target, text=f"[{label}] {f.message}", author=AUTHOR, initials=INITIALS)
        n += 1
    write_atomic(out_path, lambda tmp: doc.save(str(tmp)), force=force)
    return n


def _question_starts(report: ReviewReport, keys: list[str]) -> dict[int, int]:
    """Paragraph index of each question's heading in the body (not its 目录 entry)."""
    out: dict[int, int] = {}
    after = 0
    for qr in report.questions:
        t = _key(qr.title)[:20]
        if not t:
            continue
        for i in range(after, len(keys)):
            k = keys[i]
            if t in k and len(k) < len(t) + 12 and not re.search(r"\.{4,}|…{2,}|\d+$", k):
                out[qr.number] = i
                after = i + 1
                break
    return out


def _locate(f: Finding, paras, keys: list[str], lo: int, hi: int):
    """(paragraph index, (run, start, end) or None) where the finding's words are."""
    anchor = f.anchor
    if not anchor:
        return None, None
    raw = anchor.rstrip("…")
    k = _key(raw)
    if not k:
        return None, None
    for i in range(lo, hi):
        if k in keys[i] or (len(k) > 24 and k[:24] in keys[i]):
            # the exact words inside one run, when they sit there unbroken
            for words in (f.mark, raw):
                if not words:
                    continue
                for r in paras[i].runs:
                    j = r.text.find(words)
                    if j >= 0:
                        return i, (r, j, j + len(words))
            return i, None
    return None, None


def _isolate(paragraph, run, start: int, end: int, Run):
    """Split `run` so that text[start:end] is a run of its own; return [that run]."""
    text = run.text
    if start <= 0 and end >= len(text):
        return [run]
    r = run._r
    if start > 0:
        before = deepcopy(r)
        r.addprevious(before)
        Run(before, paragraph).text = text[:start]
    if end < len(text):
        after = deepcopy(r)
        r.addnext(after)
        Run(after, paragraph).text = text[end:]
    run.text = text[start:end]
    return [run]
