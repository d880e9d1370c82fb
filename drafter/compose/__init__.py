"""Compose the reply: letter + company data + matched topics -> ReplyDocument (logical blocks only).

    compose_reply(letter, company, matches, style, bank=None) -> ReplyDocument

Order of the document: cover, addressee and opening (with the rounding note and the typeface legend),
contents, every question (heading, quoted question, 回复:, 一、发行人说明 per request with answers and
prospectus amendments, 二、中介机构核查情况 when verification is asked), signature pages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..document import Paragraph, ReplyDocument
from ..models import Letter, Question, Request
from .answers import Answerer
from .body import heading_text, question_blocks, untitled
from .computed import periods_of
from .context import Names, build_names
from .front import contents, cover, opening
from . import typography
from .signature import signature_pages
from .verify import cn_index

if TYPE_CHECKING:
    from ..match.bank import Bank
    from ..company.model import CompanyProfile
    from ..match import LetterMatch
    from ..render.style import HouseStyle

__all__ = ["compose_reply", "compose_reply_with_notes", "compose_reply_full", "Composed", "OpenRequest",
           "RequestSection", "count_placeholders"]


@dataclass
class OpenRequest:
    """A request the draft leaves for a person to answer (no template of its own)."""

    question: Question
    request: Request
    topic: str | None  # best matched topic id, if any
    heading: Paragraph  # its subheading in the document (the same object as in doc.blocks)


# every request's section (the same shape: question, request, best topic, subheading)
RequestSection = OpenRequest


@dataclass
class Composed:
    """The composed reply, the requests left for a person, and every request's section."""

    document: ReplyDocument
    open_requests: list[OpenRequest]
    sections: list[RequestSection]
    learned_used: list = field(default_factory=list)  # (request id, learned template name) drafted with one

    def coverage(self):
        """Which request sections hold content beyond placeholders (drafter.compose.coverage)."""
        from .coverage import request_coverage

        return request_coverage(self.document, self.sections)


def _maps(matches: "LetterMatch | None") -> tuple[dict[int, list[str]], dict[str, list[str]],
                                                   dict[int, dict[str, float]], dict[str, dict[str, float]]]:
    """The matcher's topics (best first) and scores (0-100) per question and per request (`number|request id`)."""
    q_topics: dict[int, list[str]] = {}
    r_topics: dict[str, list[str]] = {}
    q_sc: dict[int, dict[str, float]] = {}
    r_sc: dict[str, dict[str, float]] = {}
    for mq in matches.questions if matches is not None else []:
        q_topics[mq.number] = list(dict.fromkeys(t.id for t in mq.topics))
        q_sc[mq.number] = {t.id: t.score for t in reversed(mq.topics)}
        for mr in mq.requests:
            key = f"{mq.number}|{mr.id}"
            r_topics[key] = list(dict.fromkeys(t.id for t in mr.topics))
            r_sc[key] = {t.id: t.score for t in reversed(mr.topics)}
    return q_topics, r_topics, q_sc, r_sc


def _bank_topics(bank: "Bank | None") -> dict[str, Any]:
    if bank is None:
        from ..match.bank import load_bank

        bank = load_bank()  # a broken bank is the user's file: its UserError says where
    return dict(bank.topics)


def _check_types(company: Any, matches: Any, style: Any, bank: Any) -> None:
    """The stage's contract: typed models in (a dict or another type is a caller's bug, not data)."""
    from ..match.bank import Bank
    from ..company.model import CompanyProfile
    from ..match import LetterMatch
    from ..render.style import HouseStyle

    for name, value, kind in (("company", company, CompanyProfile), ("matches", matches, LetterMatch),
                              ("style", style, HouseStyle), ("bank", bank, Bank)):
        if value is not None and not isinstance(value, kind):
            raise TypeError(f"compose: {name} must be a {kind.__name__} or None, not {type(value).__name__}")


def compose_reply(letter: Letter, company: "CompanyProfile | None", matches: "LetterMatch | None",
                  style: "HouseStyle | None", bank: "Bank | None" = None,
                  templates_dir: str | Path | None = None, full_width: bool = True,
                  sender: str | None = None) -> ReplyDocument:
    """The reply to `letter` as logical blocks (render_docx turns them into a DOCX).

    `company` a CompanyProfile (or None: every datum becomes a placeholder); `matches` a LetterMatch;
    `style` a HouseStyle (reply label, TOC title, legend); `bank` a Bank (loaded when None).
    `full_width`: set Chinese running text with full-width punctuation, as filed replies are.
    `sender`: the exchange department that signed a listed-company letter (the reply's addressee;
    drafter.draft reads it from the letter's closing lines).

    The kind of letter decides the front matter, the words and the signers: IPO / refinancing
    (issuer + sponsor), CSRC 反馈意见 (申请人 + 保荐机构, to 中国证券监督管理委员会), 重组问询函
    (上市公司 + 独立财务顾问), 年报问询函 / 关注函 (the company's board alone).
    """
    return compose_reply_with_notes(letter, company, matches, style, bank, templates_dir, full_width, sender)[0]


def header_text(names: Names) -> str:
    """The running page header."""
    if names.self_answered:
        return f"{names.short or names.issuer or '公司'}关于{names.letter_short}的回复"
    if names.letter_type == "restructuring":
        return f"{names.subject}及独立财务顾问回复意见"
    return f"{names.subject}及{names.sponsor_word}回复意见"


def group_heading(n: int, group: str) -> str:
    """一、重点问题 / 二、一般问题 / 一、关于经营情况: the letter's own group line."""
    group = group.strip()
    return group if re.match(r"^[一二三四五六七八九十]+[、.．]", group) else f"{cn_index(n)}、{group}"


def compose_reply_with_notes(letter: Letter, company: "CompanyProfile | None", matches: "LetterMatch | None",
                  style: "HouseStyle | None", bank: "Bank | None" = None,
                             templates_dir: str | Path | None = None,
                             full_width: bool = True, sender: str | None = None) -> tuple[ReplyDocument, list[OpenRequest]]:
    """compose_reply, plus the requests left for a person to answer (in document order)."""
    c = compose_reply_full(letter, company, matches, style, bank, templates_dir, full_width, sender)
    return c.document, c.open_requests


def compose_reply_full(letter: Letter, company: "CompanyProfile | None", matches: "LetterMatch | None",
                  style: "HouseStyle | None", bank: "Bank | None" = None,
                       templates_dir: str | Path | None = None,
                       full_width: bool = True, sender: str | None = None, learned: Any = None) -> Composed:
    """compose_reply, plus the open requests and every request's section (for coverage)."""
    names: Names = build_names(letter, company, sender)
    _check_types(company, matches, style, bank)
    bank_topics = _bank_topics(bank)
    q_topics, r_topics, q_scores, r_scores = _maps(matches)
    periods = periods_of(company)
    doc = ReplyDocument(title=names.reply_title, header_text=header_text(names))

    # grouped letters (一、重点问题 / 二、一般问题; 一、关于经营情况): the reply repeats each group's
    # line before its first question, so it mirrors the letter and numbering may start over
    group_of: dict[int, str] = {}
    n_group, last = 0, None
    for q in letter.questions:
        if q.group and q.group != last:
            n_group += 1
            group_of[q.number] = group_heading(n_group, q.group)
        last = q.group
    numbered = any(untitled(q) for q in letter.questions)  # headings 问题N throughout
    entries: list[str] = []
    for q in letter.questions:
        if q.number in group_of:
            entries.append(group_of[q.number])
        entries.append(heading_text(q, numbered))

    cover(doc, names)
    opening(doc, names, style)
    contents(doc, entries, style)

    answerer = Answerer(company, names, bank_topics, templates_dir, learned=learned)
    sections: list[RequestSection] = []
    templated: set[int] = set()  # subheadings whose request a template answered
    for q in letter.questions:
        if q.number in group_of:
            doc.add(Paragraph.of(group_of[q.number], "heading1"))
        req_topics = {r.id: r_topics.get(f"{q.number}|{r.id}", []) for r in q.requests}
        secs: list = []
        scores = {"": q_scores.get(q.number, {})} | {r.id: r_scores.get(f"{q.number}|{r.id}", {}) for r in q.requests}
        for b in question_blocks(q, names, style, answerer, req_topics, q_topics.get(q.number, []), bank_topics, periods,
                                 numbered=numbered, scores=scores, sections=secs):
            doc.add(b)
        sections += [RequestSection(question=q, request=r, topic=t, heading=h) for h, r, t, _ in secs]
        templated |= {id(h) for h, _, _, own in secs if own}
    for b in signature_pages(names):
        doc.add(b)
    if full_width:
        typography.apply(doc)  # in place: the sections' headings stay the document's own
    # a request no template answered, or whose section the company data did not answer (no computed
    # table, no figure from the data), is left for a person: precedents are offered for these
    from .coverage import data_answered, section_blocks

    where = {id(b): i for i, b in enumerate(doc.blocks)}
    open_requests = [s for s in sections
                     if id(s.heading) not in templated or not data_answered(section_blocks(doc, s.heading, where))]
    return Composed(doc, open_requests, sections, answerer.learned_used)


def count_placeholders(doc: ReplyDocument) -> int:
    """Runs (and table cells) a person must still fill."""
    n = 0
    for b in doc.blocks:
        if b.kind == "paragraph":
            n += sum(1 for r in b.runs if r.placeholder)
        elif b.kind == "table":
            n += sum(1 for row in b.rows for c in row if "【" in c)
    return n
