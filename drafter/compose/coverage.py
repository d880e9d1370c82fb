"""How much of a drafted reply holds content beyond placeholders, request section by request section.

A request section is what follows a request's subheading (`(一)…`) up to the next subheading, the
question's verification part or the next question. It "has content" when it holds a computed table
(a table with at least one cell that is not a placeholder nor a dash), or at least 60 characters of
body text outside 【…】 placeholders. Headings never count: not the subheading that repeats the
request, nor a template's or a mirrored sub-answer's minor headings (`1、关于…`); nor the prospectus
amendment lines (their text is the team's to write).

    section_content(blocks) -> (chars, tables)
    request_coverage(doc, sections) -> Coverage     (sections: the RequestSection list compose returns)
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..document import Block, Paragraph, ReplyDocument, Table

MIN_CHARS = 60
_COUNTED_STYLES = ("body", "note")
_PLACEHOLDER = re.compile(r"【[^】]*】")
_BLANK_CELL = re.compile(r"^[\s\-—–/／\u3000]*$")
_SPACES = re.compile(r"\s+")


def body_chars(p: Paragraph) -> int:
    """Characters of a body paragraph outside placeholders (placeholder runs and 【…】 spans)."""
    text = "".join(r.text for r in p.runs if not r.placeholder)
    return len(_SPACES.sub("", _PLACEHOLDER.sub("", text)))


def computed_table(t: Table) -> bool:
    """A table with at least one body cell that holds a figure or words (not a dash, not a placeholder)."""
    for row in t.rows:
        for i, c in enumerate(row):
            if i == 0:
                continue  # the row label is ours, not data
            c = _PLACEHOLDER.sub("", c)
            if not _BLANK_CELL.match(c):
                return True
    return False


def section_content(blocks: Iterable[Block]) -> tuple[int, int]:
    """(characters of body text outside placeholders, computed tables) in one request section."""
    chars = tables = 0
    for b in blocks:
        if isinstance(b, Table):
            tables += computed_table(b)
        elif isinstance(b, Paragraph) and b.style in _COUNTED_STYLES:
            chars += body_chars(b)
    return chars, tables


def has_content(blocks: Iterable[Block]) -> bool:
    chars, tables = section_content(blocks)
    return tables > 0 or chars >= MIN_CHARS


@dataclass
class SectionCoverage:
    question: int  # the question's number in the letter
    request: str  # the request id
    heading: str  # the subheading's text
    chars: int
    tables: int

    @property
    def has_content(self) -> bool:
        return self.tables > 0 or self.chars >= MIN_CHARS


@dataclass
class Coverage:
    sections: list[SectionCoverage] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.sections)

    @property
    def covered(self) -> int:
        return sum(1 for s in self.sections if s.has_content)

    @property
    def fraction(self) -> float:
        return self.covered / self.total if self.total else 0.0

    def empty(self) -> list[SectionCoverage]:
        return [s for s in self.sections if not s.has_content]

    def __str__(self) -> str:
        return f"{self.covered}/{self.total} request sections"


_ENDS = ("heading1", "heading2", "heading3")
# a figure as drafter prints one from the company data: 9,897.80 / 7.75% / 1.23个百分点 (not 30% of a rule)
_FIGURE = re.compile(r"\d[\d,]*\.\d{2}(?!\d)")


def section_blocks(doc: ReplyDocument, heading: Paragraph, where: dict[int, int] | None = None) -> list[Block]:
    """The blocks after a request's subheading, up to the next subheading, verification part or question."""
    where = where if where is not None else {id(b): i for i, b in enumerate(doc.blocks)}
    start = where.get(id(heading))
    if start is None:
        return []
    end = start + 1
    while end < len(doc.blocks):
        b = doc.blocks[end]
        if (isinstance(b, Paragraph) and b.style in _ENDS) or b.kind == "page_break":
            break
        end += 1
    return doc.blocks[start + 1:end]


def data_answered(blocks: Iterable[Block]) -> bool:
    """Whether the company data answers something here: a computed table, or a figure in the text."""
    for b in blocks:
        if isinstance(b, Table) and computed_table(b):
            return True
        if isinstance(b, Paragraph) and b.style in _COUNTED_STYLES:
            if _FIGURE.search("".join(r.text for r in b.runs if not r.placeholder)):
                return True
    return False


def request_coverage(doc: ReplyDocument, sections: Sequence[Any]) -> Coverage:
    """Coverage of each request section of `doc`. `sections`: objects with `.heading` (the request's
    subheading Paragraph, the document's own object), `.question` (a Question) and `.request`."""
    where = {id(b): i for i, b in enumerate(doc.blocks)}
    out = Coverage()
    for s in sections:
        if id(s.heading) not in where:
            continue
        chars, tables = section_content(section_blocks(doc, s.heading, where))
        out.sections.append(SectionCoverage(question=s.question.number, request=s.request.id,
                                            heading=s.heading.text, chars=chars, tables=tables))
    return out
