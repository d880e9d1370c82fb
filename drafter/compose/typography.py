"""Chinese typography for the composed reply: full-width punctuation in running text.

Our templates and fixed phrases are written with ASCII punctuation (and the corpus was extracted
half-width); a filed reply sets Chinese text with full-width marks (，；：（）). This pass converts
them, leaving numbers alone (9,897.80 keeps its separator; 10:30 its colon) and never touching the
characters of a figure. Review tools compare under NFKC, where both forms are equal.
"""
from __future__ import annotations

import re

from ..document import Legend, LegendRow, Paragraph, ReplyDocument, Run, Table, Toc

_NOTE_LABEL = re.compile("^\\s*注\\s*[:\uff1a]\\s*")
from ..vocab import CIRCLED as _CIRCLED
from ..vocab import nfkc  # noqa: F401  (re-exported)

CIRCLED = set(_CIRCLED)
FULL = {",": "\uff0c", ";": "\uff1b", ":": "\uff1a", "(": "\uff08", ")": "\uff09", "?": "\uff1f", "!": "\uff01"}


def _ascii_word(c: str) -> bool:
    return c.isascii() and c.isalnum()


def _cjk_inside(text: str, start: int) -> bool:
    """Whether the bracket opened at `start` holds Chinese text (up to its matching close)."""
    depth = 0
    for c in text[start:]:
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return False
        elif "\u4e00" <= c <= "\u9fff":
            return True
    return False


def full_width(text: str) -> str:
    """Convert ASCII punctuation in Chinese running text to full-width."""
    if not text or not any(c in FULL for c in text):
        return text
    out = list(text)
    n = len(text)
    stack: list[tuple[int, bool]] = []
    for i, c in enumerate(text):
        prev = text[i - 1] if i else ""
        nxt = text[i + 1] if i + 1 < n else ""
        if c in ",:":
            if prev.isdigit() and nxt.isdigit():
                continue  # 9,897.80 / 10:30
            if _ascii_word(prev) and nxt == " ":
                continue  # an English phrase
            out[i] = FULL[c]
        elif c in ";?!":
            out[i] = FULL[c]
        elif c == "(":
            convert = not _ascii_word(prev) or _cjk_inside(text, i)  # SMT(贴片) too, but not Wind(a)
            stack.append((i, convert))
            if convert:
                out[i] = FULL[c]
        elif c == ")":
            if stack:
                _, convert = stack.pop()
            else:
                convert = True
            if convert:
                out[i] = FULL[c]
    return "".join(out)


def apply(doc: ReplyDocument, keep_styles: tuple[str, ...] = ("reply_label",)) -> ReplyDocument:
    """Full-width punctuation in every paragraph and table text (labels the style fixes are kept)."""
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            if b.style in keep_styles:
                continue
            b.runs = [Run(text=full_width(r.text), bold=r.bold, placeholder=r.placeholder, source=r.source)
                      for r in b.runs]
        elif isinstance(b, Table):
            b.header = [[full_width(c) for c in row] for row in b.header]
            b.rows = [[full_width(c) for c in row] for row in b.rows]
            notes = [full_width(_NOTE_LABEL.sub("", x, count=1)) for x in b.notes if x.strip()]
            if len(notes) == 1:
                b.notes = ["注\uff1a" + notes[0]]
            else:
                b.notes = [f"注{i}\uff1a{x}" for i, x in enumerate(notes, 1)]
        elif isinstance(b, Legend):
            b.rows = [LegendRow(what=full_width(r.what), face=full_width(r.face)) for r in b.rows]
        elif isinstance(b, Toc):
            b.entries = [full_width(e) for e in b.entries]
    return doc
