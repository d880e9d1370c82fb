"""One question of the reply: heading, quoted question, 回复:, 一、发行人说明 per request, 二、核查情况."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from ..document import Block, Paragraph, Run, Table
from ..models import Question, Request
from .answers import Answerer
from .context import Names, get
from .verify import cn_index, verification_blocks


def untitled(q: Question) -> bool:
    """A question the letter opens straight into its text (`1．申报材料显示，…`): the parser's "title" is
    only its opening words."""
    label = q.label.strip()
    title = q.title.strip()
    head = f"{label}{title}" if not title.startswith(label) else title
    first = next((ln.strip() for ln in (q.text or "").split("\n") if ln.strip()), "")
    return bool(title) and not title.startswith("关于") and any(first != t and first.startswith(t) for t in (head, title))


def heading_text(q: Question, numbered: bool = False) -> str:
    """The question's heading: its label and title as the letter prints them. In a letter whose questions
    are (some of them) untitled, every heading is `问题N` (with the title when the letter gives a 关于 title),
    so the headings stay one numbering style and the reply reads back question by question."""
    label = q.label.strip()
    head = f"{label}{q.title.strip()}" if not q.title.startswith(label) else q.title.strip()
    if numbered:
        digits = re.search(r"\d+", unicodedata.normalize("NFKC", label))
        n = digits.group(0) if digits else str(q.number)  # the letter's own number (restarts per group)
        return f"问题{n}" if untitled(q) or not q.title.startswith("关于") else f"问题{n}：{q.title.strip()}"
    return head


def quoted(q: Question, head: str | None = None) -> list[Paragraph]:
    """The question quoted in full, one paragraph per line of the letter (less the title line when the
    heading above already prints it)."""
    lines = [ln.strip() for ln in (q.text or "").split("\n")]
    head = heading_text(q) if head is None else head
    out = []
    for ln in lines:
        if not ln:
            continue
        if not out and (ln == head or (ln == q.title.strip() and head.endswith(ln))):
            continue  # the heading line itself is already the heading1 above
        out.append(Paragraph.of(ln, "question"))
    return out


# a stray space from the letter's PDF extraction inside Chinese text (签署锁银协议 的背景, 具体影 响)
_STRAY_SPACE = re.compile(r"(?<=[\u4e00-\u9fff,.;:，。；：、）)])\s+(?=[\u4e00-\u9fff,;:，。；：、（(])")


# A request subheading repeats the request as the letter gives it, without its closing mark: the
# letter ends requests with ；, the last one with 。 (sometimes ，), and the reply's subheadings are
# all alike. A question mark is part of the words and stays.
_END_MARKS = ";；。.，,、:： \t\u3000"


def request_heading_text(text: str) -> str:
    """The request's words for its subheading: stray spaces out, the closing ；/;/。/，/, dropped."""
    return _STRAY_SPACE.sub("", text.strip()).rstrip(_END_MARKS)


_ISSUER_WORD = re.compile(r"发行人(?!律师)")


def resubject(blocks: list[Block], subject: str) -> list[Block]:
    """Our own text (answers, procedures, conclusions) calls the company as the letter does:
    发行人 -> 申请人 / 上市公司 / 公司. Copies; the letter's quoted words are never passed here."""
    if subject == "发行人":
        return blocks
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, Paragraph) and any("发行人" in r.text for r in b.runs):
            b = b.model_copy(update={"runs": [r.model_copy(update={"text": _ISSUER_WORD.sub(subject, r.text)})
                                              for r in b.runs]})
        elif isinstance(b, Table):
            b = b.model_copy(update={
                "rows": [[_ISSUER_WORD.sub(subject, c) for c in row] for row in b.rows],
                "header": [[_ISSUER_WORD.sub(subject, c) for c in row] for row in b.header],
                "notes": [_ISSUER_WORD.sub(subject, n) for n in b.notes]})
        out.append(b)
    return out


def request_heading(i: int, r: Request) -> Paragraph:
    return Paragraph.of(f"({cn_index(i)}){request_heading_text(r.text)}", "heading3")


def amendment_blocks(r: Request, names: Names) -> list[Block]:
    """Where the prospectus changes: the lead (section unknown: placeholder) and the amended text."""
    if names.letter_type == "attention":  # a 关注函 is answered in an announcement, not a report with 节
        lead = Paragraph(style="amendment_lead", runs=[
            Run(text="公司已在"), Run(text="【公告名称】", placeholder=True), Run(text="中补充披露如下:")])
        body = Paragraph(style="amendment", runs=[Run(text="【待补充:补充披露的公告正文(取上文说明的定稿表述)】", placeholder=True)])
        return [lead, body]
    lead = Paragraph(
        style="amendment_lead",
        runs=[
            Run(text=f"{names.subject}已在{names.prospectus}“"),
            Run(text="【第X节 XXXX】", placeholder=True),
            Run(text="”之“"),
            Run(text="【X、XXXX】", placeholder=True),
            Run(text="”中补充披露如下:"),
        ],
    )
    body = Paragraph(
        style="amendment",
        runs=[Run(text=f"【待补充:补充披露的{names.prospectus}正文(取上文说明的定稿表述)】", placeholder=True)],
    )
    return [lead, body]


def question_blocks(
    q: Question,
    names: Names,
    style: Any,
    answerer: Answerer,
    request_topics: Mapping[str, list[str]],
    question_topics: Sequence[str],
    bank_topics: Mapping[str, Any],
    periods: Sequence[str] = (),
    numbered: bool = False,
    scores: Mapping[str, Mapping[str, float]] | None = None,
    sections: list | None = None,
) -> list[Block]:
    """The question's blocks. `sections` (when given) collects (subheading, request, topic, answered by
    a template of its own) for every request (coverage measures them; compose finds the open ones)."""
    head = heading_text(q, numbered)
    blocks: list[Block] = [Paragraph.of(head, "heading1")]
    blocks += quoted(q, head)
    blocks.append(Paragraph.of(get(style, "reply_label", default="回复：") or "回复：", "reply_label"))
    parts = request_groups(q, names.subject)
    labels = {r.id: (f"{cn_index(g)}、" if len(parts) > 1 else "") + f"({cn_index(i)})"
              for g, (_, reqs) in enumerate(parts, 1) for i, r in enumerate(reqs, 1)}
    answerer.start_question(q, request_topics, question_topics, labels)
    for g, (title, reqs) in enumerate(parts, 1):
        blocks.append(Paragraph.of(f"{cn_index(g)}、{title}", "heading2"))
        if not reqs:
            # the letter asks only the intermediaries: the computed answer of the question's topic still
            # goes here (the verification below relies on it), then what the team writes itself
            own = answerer.question_answer(q, question_topics)
            blocks += resubject(own, names.subject)
            if not own:
                blocks.append(Paragraph(style="body", runs=[Run(text=f"【待补充:本题未列明具体要求,请据题意撰写{names.subject}说明】", placeholder=True)]))
        for i, r in enumerate(reqs, 1):
            head = request_heading(i, r)
            blocks.append(head)
            topics = list(request_topics.get(r.id, [])) or list(question_topics)
            blocks += resubject(answerer.answer(q, r, topics, i), names.subject)
            if sections is not None:
                sections.append((head, r, topics[0] if topics else None, answerer.has_own_answer(r)))
            if r.disclose:
                blocks += amendment_blocks(r, names)
    blocks += resubject(verification_blocks(q, names, request_topics, question_topics, bank_topics, periods,
                                            heading_no=len(parts) + 1, scores=scores,
                                            company=getattr(answerer, "company", None)), names.subject)
    return blocks


def request_groups(q: Question, subject: str = "发行人") -> list[tuple[str, list[Request]]]:
    """The reply's first-level parts: 发行人说明 (申请人说明, 上市公司说明, 公司说明 as the letter
    calls the company), or one part per themed section of a later-round letter."""
    own = f"{subject}说明"
    titled = {s.label: s.title.strip().rstrip("。.") for s in q.sections if s.title.strip()}
    if not titled or not any(r.section in titled for r in q.requests):
        return [(own, list(q.requests))]
    out: list[tuple[str, list[Request]]] = []
    for r in q.requests:
        title = titled.get(r.section or "", own)
        if not out or out[-1][0] != title:
            out.append((title, []))
        out[-1][1].append(r)
    return out
