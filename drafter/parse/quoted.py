"""A reply document's question span: which paragraphs quote the letter, which answer it.

    reply_split(p) -> int | None                  # where p's reply marker (回复: / 【回复】 / 答: / 说明:) starts
    split_quoted(body, qnum, last) -> [Block]     # the heading's block first, then blocks that lost their heading

Usually one `回复:` follows the whole quoted question. Some replies answer a question part by part
(`(1)…【回复】… (2)…【回复】…` or `1.1 …回复:… 1.2 …回复:…`): every part quoted before its marker is
gathered into the question, every answer into the reply.

Text after a marker is the reply's, never the letter's: a later marker only opens a new quoted part
when the letter text before it can be told from the answer. The part starts at the label the next part
would carry (`(3)`, `2.3`) when no answer text (`经核查…认为`, `核查程序`, `(一)`…) stands between that
label and the marker: a reply's own numbered procedures (`(4)对…进行邮件函证`) are never taken for a
quoted part. When a page break ate a part's heading, the quoted paragraph is found by how letter text
opens (`根据问询回复，…`, `申报材料显示…`, `请发行人…`) after the last answer text, and must ask
something (`请…`) to count; such a block is returned on its own (`Block.lost = True`) so the parser can
make it the question whose number the headings skipped, or a part of the question it sits in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..vocab import cn_number
from .patterns import RE_INTRO, RE_PAREN_NUM, RE_REPLY, RE_REPLY_BARE, RE_VERIFY, REPLY_LABEL

__all__ = ["Block", "lost_opening", "reply_split", "split_quoted"]


@dataclass
class Block:
    quoted: list[str]
    answers: list[str] = field(default_factory=list)
    lost: bool = False  # found without its heading (the first paragraph opens it)
    labelled: bool = False  # a lost block that starts with a part label (`(3)…`, `2.3…`): a part, not a question
    marked: bool = True  # False when the span has no reply marker at all (no reply text)
    number: int = 0  # the question number the parser gives a lost block

    @property
    def reply(self) -> str | None:
        return "\n".join(self.answers) if self.marked else None


RE_REPLY_BARE_END = re.compile(r"(?<=[。;；！？!?”）)])\s*(说\s*明\s*[:：])\s*$")
_RE_DA = re.compile(r"^\s*答\s*[:：]")


@lru_cache(maxsize=65536)  # each paragraph is asked twice (finding the questions, then splitting them)
def reply_split(p: str) -> int | None:
    """Position of the reply marker in paragraph p (None when p has none)."""
    if _RE_DA.match(p) or RE_REPLY_BARE.match(p):
        return 0
    m = RE_REPLY_BARE_END.search(p)  # `…核查并发表意见。(落实函第1条)说明：` (a line joined on by the copy)
    if m:
        return m.start(1)
    for m in RE_REPLY.finditer(p):
        tail = p[m.end() :].strip()
        if m.start() == 0 or not tail or len(p) < 300:
            return m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
    return None


# what only an answer writes: its conclusions, procedures, outline headings, tables and lead-ins
ANSWER_TEXT = re.compile(
    r"经(?:核查|核实|查验|复核|访谈|测算)|核查程序|核查意见|核查情况|核查过程"
    r"|(?:履行|执行|实施|采取|采用|进行|开展)了?(?:以下|如下|下列|主要)"
    r"|认为[:：]|综上|具体(?:情况)?如下|如下所示|如下表|如下[:：]\s*$|单位[:：]|^\s*(?:项目|序号|年度|期间)\s"
    r"|^\s*[一二三四五六七八九十]{1,3}\s*[、.．]|^\s*[(（]\s*[一二三四五六七八九十]{1,3}\s*[)）]"
    r"|^\s*(?:发行人|公司)(?:情况)?说明\s*$|^\s*中介机构"
)
# how a quoted question (or part) opens: its label, then the letter's own lead-in
LETTER_OPENING = re.compile(
    r"^\s*(?:问题\s*\d{1,3}(?:\s*[.．]\s*\d{1,2})?\s*[.．、:：]?|\d{1,2}\s*[.．]\s*\d{1,2}(?!\d)|[(（]\s*\d{1,2}\s*[)）]|\d{1,2}\s*[.．、](?!\d)"
    r"|[(（]\s*[一二三四五六七八九十]{1,3}\s*[)）])?"
    r"\s*(?:关于[^。]{1,40}?[。.:：]\s*)?(?:[^。，,]{1,30}[。]\s*)?"
    r"(?:根据|据|结合)?(?:首轮|前次|本次)?(?:问询回复|审核问询回复|申请文件|申报材料|申报文件|招股说明书|募集说明书|重组报告书|报告书"
    r"|保荐工作报告|公开资料|公开信息|年报|年度报告|公告|回复材料|问询回复及申请文件)"
    r"|^\s*(?:[(（]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[)）])?\s*请\s*(?:发行人|申请人|上市公司|你公司|公司)(?!律师)"
    # a themed part titled in one short sentence: `(1)关于对子公司增资事项。…`
    r"|^\s*(?:[(（]\s*\d{1,2}\s*[)）]|\d{1,2}\s*[.．]\s*\d{1,2}(?!\d))\s*[^。，,;；:：]{2,30}。"
)
RE_PART_LABEL = re.compile(r"^\s*(?:[(（]\s*\d{1,2}\s*[)）]|\d{1,2}\s*[.．]\s*\d{1,2}(?!\d)|[(（]\s*[一二三四五六七八九十]{1,3}\s*[)）])")
RE_CN_PAREN = re.compile(r"^\s*[(（]\s*([一二三四五六七八九十]{1,3})\s*[)）]")
CN_DIGITS = "一二三四五六七八九十"
LOOKBACK = 300  # a quoted part sits close to its marker


def split_quoted(body: list[str], qnum: int, last: bool) -> list[Block]:
    """A reply document's question span -> its blocks: the heading's quoted question and reply first,
    then any quoted block found without its heading (see the module doc)."""
    marks = [(j, pos) for j, p in enumerate(body) if (pos := reply_split(p)) is not None]
    if not marks:
        return [Block(quoted=body, marked=False)]
    j0, pos0 = marks[0]
    block = Block(quoted=body[:j0] + ([body[j0][:pos0].rstrip()] if body[j0][:pos0].strip() else []))
    blocks = [block]
    prev_end, prev_pos = j0, pos0  # the current answer starts in paragraph prev_end, after the marker
    expect = _next_part_labels(block.quoted, qnum)
    for j, pos in marks[1:]:
        head = body[j][:pos].strip()
        lo = prev_end + 1
        opened = _letter_start(body, j, head, lo)
        start = None
        for t in range(j, max(prev_end, j - LOOKBACK), -1):
            if any(rx.match(body[t]) for rx in expect):
                start = t
                break
        if start is not None and _answer_between(body, start, j):
            start = None  # a numbered line of the answer (its procedures), not the next quoted part
        if start is not None and opened is not None and opened < start and any(
            RE_INTRO.search(x) for x in body[opened:start]
        ):
            start = None  # the letter's text opens earlier and asks before that label: a block of its own
        new = None
        if start is None:
            if opened is None:
                continue  # a marker inside the answer text: not a new part
            start = opened
            new = Block(quoted=[], lost=True, labelled=_continues(body[opened], block.quoted, qnum))
        first = strip_reply_label(body[prev_end][prev_pos:])
        block.answers.extend(([first] if first else []) + body[prev_end + 1 : start])
        part = body[start:j] + ([body[j][:pos].rstrip()] if head else [])
        if new is not None:
            block = new
            blocks.append(block)
        block.quoted.extend(part)
        expect = _next_part_labels(block.quoted, qnum)
        prev_end, prev_pos = j, pos
    first = strip_reply_label(body[prev_end][prev_pos:])
    tail = ([first] if first else []) + body[prev_end + 1 :]
    if last:
        tail = _cut_signatures(tail)
    block.answers.extend(tail)
    return blocks


def _is_answer(p: str) -> bool:
    """Answer text: what only an answer writes, in a paragraph that asks nothing."""
    return bool(ANSWER_TEXT.search(p)) and not (RE_INTRO.search(p) or RE_VERIFY.search(p))


def _continues(p: str, quoted: list[str], qnum: int) -> bool:
    """Does p open with the label of a further part of the question quoted so far (`(3)` after (1)(2),
    `2.3`)? A `(1)` starts a new question's parts."""
    m = RE_PART_LABEL.match(p)
    if not m:
        return False
    d = re.search(r"\d+", m.group(0))
    if d is None:  # `(二)`
        return True
    if re.match(rf"^\s*(?:问题\s*)?{qnum}\s*[.．]", p):
        return True
    return int(d.group(0)) > 1 and any(RE_PAREN_NUM.match(x) for x in quoted)


def lost_opening(paras: list[str]) -> int | None:
    """Where a quoted question opens in the text before a reply's first heading (that question's
    own heading lost), when a reply marker follows it there; None when the front matter holds none."""
    for j, p in enumerate(paras):
        pos = reply_split(p)
        if pos is not None:
            return _letter_start(paras, j, p[:pos].strip(), 0)
    return None


def _answer_between(body: list[str], start: int, j: int) -> bool:
    """Does answer text stand in paragraphs start+1 … j-1 (or open the marker's own paragraph)?"""
    return any(_is_answer(body[t]) for t in range(start + 1, j)) or bool(
        _is_answer(body[start]) and not LETTER_OPENING.match(body[start])
    )


def _letter_start(body: list[str], j: int, head: str, lo: int) -> int | None:
    """Where a quoted question that lost its heading opens, before the marker in paragraph j.

    The first paragraph after the last answer text that opens as letter text does; the block from
    there to the marker must ask something (a request or a verification ask)."""
    k = j - 1
    floor = max(lo, j - LOOKBACK)
    while k >= floor and not _is_answer(body[k]):
        k -= 1
    for t in range(k + 1, j + (1 if head else 0)):
        p = body[t] if t < j else head
        if LETTER_OPENING.match(p):
            span = body[t:j] + ([head] if head else [])
            if any(RE_INTRO.search(x) or RE_VERIFY.search(x) for x in span):
                return t
            return None
    return None


def _next_part_labels(quoted: list[str], qnum: int) -> list[re.Pattern]:
    """Regexes for the label the next separately answered part of a question would carry."""
    paren = [int(m.group(1)) for p in quoted if (m := RE_PAREN_NUM.match(p))]
    sub = [int(m.group(1)) for p in quoted if (m := re.match(rf"^\s*(?:问题\s*)?{qnum}\s*[.．]\s*(\d{{1,2}})(?!\d)", p))]
    out = [rf"^\s*[(（]\s*{(max(paren) if paren else 1) + 1}\s*[)）]", rf"^\s*(?:问题\s*)?{qnum}\s*[.．]\s*{(max(sub) if sub else 1) + 1}(?!\d)"]
    if not paren:
        out.append(r"^\s*[(（]\s*1\s*[)）]")
    cn = [cn_number(m.group(1)) for p in quoted if (m := RE_CN_PAREN.match(p))]
    if cn and max(cn) < 10:
        out.append(rf"^\s*[(（]\s*{CN_DIGITS[max(cn)]}\s*[)）]")  # (二) after (一): a 年报问询函's sub-questions
    return [re.compile(x) for x in out]


def strip_reply_label(s: str) -> str:
    if RE_REPLY_BARE.match(s) or re.fullmatch(r"\s*说\s*明\s*[:：]\s*", s):
        return ""
    s = re.sub(r"^\s*说\s*明\s*[:：]\s*", "", s)
    return re.sub(r"^\s*(?:" + REPLY_LABEL + r"|答\s*[:：])\s*", "", s).strip()


def _cut_signatures(after: list[str]) -> list[str]:
    for j, p in enumerate(after):
        if re.match(r"^\s*[(（]?\s*(?:本页无正文|以下无正文)", p):
            return after[:j]
    return after
