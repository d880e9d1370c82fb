"""Parse an inquiry letter (or a reply document quoting one) into the `Letter` model.

    parse_file(path) -> Letter        # read + clean + parse
    parse_text(text, source) -> Letter

Structure found, in letter order: questions (`1.关于X`, `问题1.X`, `问题 1.关于X`, `【问题1】`, `一、关于X`,
untitled `1．申报材料显示…` / `1.报告书显示…`, CSRC `一、重点问题` then `1、` — numbering that starts over in
each group is numbered on), their background (facts, never requests), themed sections (`(1)小标题。`,
SSE sub-questions `1.1`), numbered requests (`(1)`, `（1）`, `(１)`, `①`, `1)`, inline runs, or one
unnumbered sentence) and verification asks (parties as named, with their kinds; scope, demands, work
papers, cited rules).
A request is introduced by `请` and its subject: 发行人, 申请人, 公司, 你公司, 贵公司, 上市公司, 标的公司
(`请你公司说明…`, `请申请人补充披露…`, `请上市公司结合…`), by `请` alone (`请说明…`, `请补充披露…`,
`请结合…分析…`, as CSRC feedback letters write), or names another the letter asks directly (`请控股股东说明…`,
kept in the request's text); `请发行人补充披露(1)(3)相关风险` is one request naming earlier ones, not a new list.
A numbered list is read whole, whoever its items address: items addressed to the intermediaries
(`(1)请保荐机构和发行人律师核查说明…；(2)…`) are requests and also asks scoped to their item; a list led by
an ask (`请保荐机构、发行人律师补充说明：(1)…(2)…`) is the question's requests when the issuer was asked
nothing before; an ask or request inside an item (`(1)…。请会计师说明…。(2)…`) covers that item and does not
end the list; a number the letter skipped (`(2)…；(4)…`) or an item glued on without punctuation
(`(3)补充说明(4)补充…`) still starts an item; a list of facts (`报告书披露，(1)…；(2)…`) is background.
A question that only asks the intermediaries to explain something keeps that content as its one request.
A web copy that lost its line breaks is split again before its group headings and numbered questions. Asks name 保荐人/保荐机构, (申报/年审)会计师, 发行人/申请人律师, 律师,
独立财务顾问, 评估师/评估机构, 中介机构, 独立董事 … exactly as printed (`Verification.kinds` gives
sponsor / auditor / lawyer / financial_advisor / appraiser / intermediaries / directors).
Closing paragraphs (`请对上述问题逐项落实…`, `对于上述问题…`, `除上述问题外…`, `同时，请…关注社会关注度…`,
`请你公司就上述问题做出书面说明…`, `特此函告`, the signature) never join the last question.
In a reply document, each question's text is the quoted question before `回复:`/`【回复】`, and
its reply the text after it up to the next question.
Modern exchange letters and the statements answering them: `一、关于X` heading numbered questions (`11.关于Y`,
even in an excerpt) is their group; `一、<facts>。` before `1、请你公司…` is the group and the first question's
background; `问题一 关于X`, `问题 1、…`; a title ended by an ASCII stop (`1.关于应收账款.年报显示…`); replies
marked `公司回复：` or a bare `说明：`; a reply or statement copied in one run is split after `回复如下：`, before
`回复：`, `问题一` and `N、关于`; `年报问询函问题“2、(3)请说明…”` keeps the item's label; front matter
(`请发行人与保荐机构在20个工作日内…逐项予以落实`) is no question; a second-round letter is dated by its own
signature, not by the first round it mentions.

Request ids (stable: the same letter always gives the same ids):
    `<q>.<label>`            1.(3), 4.1), 2.①          numbered request of question q
    `<q>.<section><label>`   2.(1)③                    inside themed section (1)
    `<q>.<section>`          3.(4)                     a section's single unnumbered request
    `<sub-question><label>`  1.2(1)                    SSE-style sub-question 1.2
    `<q>`                    16                        a question's single unnumbered request
    `<parent><label>`        2.(1)①                    a sub-item on its own line (Request.parent set)
A repeated id (two request runs numbered from (1) in one question) gets `#2`, `#3` …
"""
from __future__ import annotations

import os
import re
from functools import lru_cache

from ..read.clean import clean_text
from ..errors import UserError
from ..models import Letter
from ..read import read_text
from .headings import Heading, cn_number, find_headings, short_title
from .facts import fill_facts
from .meta import letter_meta
from .patterns import RE_CLOSING, RE_INTRO, RE_PAREN_NUM, RE_GROUP, RE_Q_CN, RE_REPLY, RE_REPLY_BARE, RE_VERIFY, REPLY_LABEL
from .question import build_question
from .quoted import reply_split as _reply_split
from .quoted import lost_opening, split_quoted

__all__ = ["parse_file", "parse_text"]


def parse_file(path: str | os.PathLike) -> Letter:
    """Read, clean and parse a letter or reply file (UserError on bad input or no question found)."""
    text = read_text(path)
    letter = _parse(text, str(path))
    if not letter.questions:
        raise UserError("no inquiry question found in the text (expected headings like `1.关于…` or `问题1.`)", file=str(path))
    return letter


def parse_text(text: str, source: str = "<text>") -> Letter:
    """Parse raw or cleaned text. Never raises on odd input: a text without questions gives none."""
    cleaned = clean_text(text)
    return _parse(cleaned, source)


# a web page copied without its line breaks: the whole letter in one or two paragraphs
RUNON_MIN = 200
RE_RUNON_BREAK = re.compile(
    r"(?:(?:(?<=[。！？!?])|(?<=规范性问题)|(?<=信息披露问题)|(?<=重点问题|一般问题|其他问题)|(?<=相关的问题))\s*"
    r"(?=[一二三四五六七八九十]{1,3}、(?:[^。，,:：]{1,24}?问题|关于)|问题\s*\d{1,3}\s*[.．、:：]|\d{1,3}\s*(?:、|[.．](?![\d.．])))"
    # an auditor's or issuer's reply copied in one run: `…现回复如下： 一、你公司…`, its `回复：` markers,
    # and headings standing after a space (`… 问题一 关于财务性投资。` / `… 1、关于业绩下滑。`)
    r"|(?<=如下[:：])\s*(?=[一二三四五六七八九十]{1,3}、|问题\s*\d{1,3}|\d{1,3}\s*[、.．](?![\d.．]))"
    r"|(?<=[:：])\s+(?=(?:问题\s*)?[1１]\s*[、.．](?![\d.．]))"  # `…说明以下事项： 1.请你公司…`: the first question
    r"|(?<=[。！？!?])\s*(?=(?:公司|发行人)?(?:回\s*复|答\s*复)\s*[:：])"
    r"|\s(?=问题\s*(?:\d{1,3}|[一二三四五六七八九十]{1,3})\s*(?:[.．、:：]|\s|关于)|\d{1,3}\s*[、.．]\s*关于)"
    # the opening copied in the same run: title, number and addressee each on a line of their own,
    # and the signature (exchange, date) at the end
    r"|(?:(?<=[询注实作]函)|(?<=反馈意见))\s+(?=[^\s，,。、的所])"
    r"|(?<=号)\s+(?=[\u4e00-\u9fff])"
    r"|(?:(?<=公司[:：])|(?<=董事会[:：])|(?<=[部所][:：])|(?<=先生[:：])|(?<=女士[:：]))\s+(?=\S)"
    r"|(?<=[。！？!?])\s*(?=(?:请(?:你|贵)?(?:公司|发行人)?)?(?:对|就)(?:本问询函|上述问题|以上问题)|对于上述问题|除上述问题外|特此函告)"
    r"|(?<=[。！!])\s+(?=(?:上海|深圳|北京)证券交易所|中国证(?:券监督管理委员会|监会)|全国中小企业股份转让系统)"
    r"|\s+(?=\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$))"
)


# a question heading glued to the end of the paragraph before it (`…发表明确意见。问题2.关于收入 …`)
RE_MIDLINE_Q = re.compile(r"(?<=[。！？!?])\s*(?=问题\s*\d{1,3}\s*[.．、:：]\s*关于|问题\s*\d{1,3}\s*[.．、:：]?\s*关于)")


RE_MIDLINE_N = re.compile(r"(?<=[。！？!?])\s*(?=问题\s*(\d{1,3})\s*[.．、:：])")
RE_HEAD_N = re.compile(r"^\s*问题\s*(\d{1,3})\s*[.．、:：]?")


def _midline(paras: list[str]) -> list[str]:
    """Split a paragraph before a question heading glued to its end: `问题N.关于X`, or any `问题N.`
    whose number no paragraph starts with (the letter's 问题1, 问题3 … are there, 问题2 is not)."""
    heads = {int(m.group(1)) for p in paras if (m := RE_HEAD_N.match(p))}
    out: list[str] = []
    for p in paras:
        cuts = {m.start() for m in RE_MIDLINE_Q.finditer(p)}
        if heads:
            cuts |= {m.start() for m in RE_MIDLINE_N.finditer(p) if int(m.group(1)) not in heads
                     and (int(m.group(1)) - 1 in heads or int(m.group(1)) + 1 in heads)}
        if not cuts:
            out.append(p)
            continue
        last = 0
        for c in sorted(cuts):
            if p[last:c].strip():
                out.append(p[last:c].strip())
            last = c
        out.append(p[last:].strip())
    return out


def _reflow(paras: list[str]) -> list[str]:
    """Paragraph breaks back before group headings and numbered questions of a run-on text."""
    if len(paras) > 3 or not any(len(p) > RUNON_MIN for p in paras):
        return _midline(paras)
    out: list[str] = []
    for p in paras:
        out.extend(x.strip() for x in RE_RUNON_BREAK.split(p) if x.strip())
    return out


def _parse(text: str, source: str) -> Letter:
    paras = _reflow([p.strip() for p in text.split("\n") if p.strip()])
    reply_idx = [i for i, p in enumerate(paras) if _reply_split(p) is not None]
    headings = find_headings(paras, reply_idx)
    kind = "reply" if headings and any(i > headings[0].idx for i in reply_idx) else "letter"
    if not headings:
        headings = _fallback_headings(paras)
    # a reply whose first question lost its heading: its quoted text stands before the first heading found
    at = lost_opening(paras[: headings[0].idx]) if kind == "reply" and headings and headings[0].number > 1 else None
    group_idx = _assign_groups(paras, headings, at)
    meta = letter_meta(paras, headings, kind)
    questions = []
    warnings: list[str] = []
    if at is not None:
        body = [p for j, p in enumerate(paras[at : headings[0].idx], at) if j not in group_idx]
        questions.extend(_reply_blocks(headings[0], body, None, warnings, first=True))
    for k, h in enumerate(headings):
        stop = headings[k + 1].idx if k + 1 < len(headings) else len(paras)
        first = h.idx + 1 + h.skip
        body_paras = [p for j, p in enumerate(paras[first:stop], first) if j not in group_idx]
        reply = None
        if h.rest and not (body_paras and len(h.rest) >= 8 and body_paras[0].startswith(h.rest)):
            body_paras = [h.rest] + body_paras  # (a reply may head a question with its opening words, then quote it whole)
        if h.lead:
            body_paras = [h.lead] + body_paras
        if kind == "reply":
            nxt = headings[k + 1].number if k + 1 < len(headings) else None
            questions.extend(_reply_blocks(h, body_paras, nxt, warnings))
            continue
        if k + 1 == len(headings):
            body_paras = _cut_closing(body_paras)
        questions.append(build_question(h, body_paras, reply))
    fill_facts(meta, questions, paras, kind)
    warnings[:0] = skipped_numbers(questions)
    if _traditional(paras):
        warnings.insert(0, "the text is in traditional characters (請發行人…): the reader knows the simplified forms only — "
                           "convert the text to simplified characters (e.g. OpenCC t2s) and parse it again")
    warnings.extend(_unread(questions, kind))
    return Letter(source=source, kind=kind, meta=meta, questions=questions, warnings=warnings)


def _reply_blocks(h: Heading, body: list[str], nxt: int | None, warnings: list[str], first: bool = False) -> list:
    """One heading's span of a reply document -> its question, and any question found there whose
    heading was lost: it takes the number the headings skipped (after the last heading, the next one);
    without a free number, or when it opens with a further part's label, it is a part of the question
    before it. `first`: the span before the first heading found (h is that heading, not yet built),
    where every block lost its heading."""
    blocks = split_quoted(body, h.number, last=nxt is None and not first)
    if first:
        free, own, where = list(range(1, h.number)), [], f"before question {h.number}"
    else:
        free = list(range(h.number + 1, nxt)) if nxt is not None else [h.number + 1]
        own, where = [blocks.pop(0)], f"in question {h.number}"
        own[0].number = h.number
    for b in blocks:
        opening = short_title(re.split(r"[，。:：;；]|,(?!\d)", b.quoted[0], maxsplit=1)[0], 20)
        if free and (not b.labelled or not own):
            b.number = free.pop(0)
            own.append(b)
            warnings.append(f"question {b.number}: its heading is missing (lost at a page break?); "
                            f"read from the quoted text `{opening}…` {where}")
            continue
        into = own[-1]
        label = "" if b.labelled else _next_sub_label(into.quoted, into.number)
        into.quoted.extend([f"{label} {b.quoted[0]}" if label else b.quoted[0]] + b.quoted[1:])
        into.answers.extend(b.answers)
        if b.labelled or not label and re.match(r"^\s*请", b.quoted[0]):
            continue  # a further part under its own label (`(二)请你公司…` after `(一)`), or a further ask: nothing lost
        what = f"sub-question {label}" if label else "a part"
        warnings.append(f"question {into.number}: a quoted part without its heading (`{opening}…`) "
                        f"is read as {what} of question {into.number}")
    out = []
    for b in own:
        if b.number == h.number and not first:
            out.append(build_question(h, b.quoted, b.reply))
            continue
        label = re.sub(r"\d+", str(b.number), h.label, count=1) if str(h.number) in h.label else ""
        title = short_title(re.split(r"[，。:：;；]|,(?!\d)", b.quoted[0], maxsplit=1)[0])
        out.append(build_question(Heading(h.idx, b.number, label, title, "", h.style, h.group), b.quoted, b.reply))
    return out


def _next_sub_label(quoted: list[str], qnum: int) -> str:
    """The label a lost sub-question carried: `1.3` after 1.1 and 1.2 (none when the question has no
    numbered sub-questions)."""
    subs = [int(m.group(1)) for p in quoted if (m := re.match(rf"^\s*(?:问题\s*)?{qnum}\s*[.．]\s*(\d{{1,2}})(?![\d%％万亿元])", p))]
    return f"{qnum}.{max(subs) + 1}" if subs else ""


def _unread(questions: list, kind: str) -> list[str]:
    """One line per question whose quote was not found, or in which nothing asked was read."""
    out = []
    for q in questions:
        if kind == "reply" and not q.text.strip():
            out.append(f"question {q.number} ({q.title}): its quoted text was not found before the reply marker")
        elif not q.requests and not q.verification:
            out.append(f"question {q.number} ({q.title}): no request or verification ask read in its text "
                       "(check the copy: a quote cut short or a heading misread?)")
    return out


_TRAD = "請發問題關於說報會機構證監與為顯況實際詢審複覆補"
_SIMP = "请发问题关于说报会机构证监与为显况实际询审复复补"


def _traditional(paras: list[str]) -> bool:
    """Is the letter written in traditional characters (a Hong Kong repost of a 精选层 letter)?"""
    head = "".join(paras[:200])
    trad = sum(head.count(c) for c in set(_TRAD) - set(_SIMP))
    simp = sum(head.count(c) for c in set(_SIMP) - set(_TRAD))
    return trad >= 10 and trad > 2 * simp


def skipped_numbers(questions: list) -> list[str]:
    """One line per gap in the questions' numbers (1, 2, 4: question 3 is not there)."""
    out = []
    if questions and questions[0].number > 1:
        first = questions[0].number
        out.append(f"the first question found is {first}: question{'s 1–' if first > 2 else ' '}{first - 1} "
                   "not in the text (an excerpt, or a statement answering only some questions?)")
    for a, b in zip(questions, questions[1:]):
        if b.number > a.number + 1:
            missing = ", ".join(str(n) for n in range(a.number + 1, b.number))
            out.append(f"question number {missing} not found: the questions go {a.number} → {b.number}"
                       " (a question lost in the copy, or misnumbered in the letter?)")
    return out


def _assign_groups(paras: list[str], headings: list[Heading], lost_at: int | None = None) -> set[int]:
    """Old CSRC letters group questions (`一、规范性问题`): set each question's group.

    A group heading is a `一、X` line right before a question heading (or before the first one).
    Returns the indexes of the group paragraphs (kept out of question bodies).
    """
    if not headings or headings[0].style == "cn":
        return set()
    starts = {h.idx for h in headings}
    found: set[int] = set()
    group = None
    hk = 0
    first = headings[0].idx if lost_at is None else min(lost_at, headings[0].idx)
    for i, p in enumerate(paras):
        while hk < len(headings) and headings[hk].idx < i:
            if group and not headings[hk].group:
                headings[hk].group = group
            hk += 1
        g = RE_GROUP.match(p)
        c = RE_Q_CN.match(p)
        facts = bool(c and re.search(r"[。，,]", c.group(2)))
        if not g or len(p) > 40 or facts:
            # `一、2022年度，你公司…。` right before `1、请你公司…`: the group's facts, background of its first question
            if c and cn_number(c.group(1)) and i + 1 in starts and i + 1 > first - 1:
                group = short_title(re.split(r"[。:：;；\s]", c.group(2).strip(), maxsplit=1)[0])
                found.add(i)
                if re.search(r"[。，,]", c.group(2)):  # facts, not a page header copied along
                    for h in headings:
                        if h.idx == i + 1:
                            h.lead = c.group(2).strip()
            continue
        nxt = i + 1
        if nxt in starts or (i < first and not any(RE_GROUP.match(x) for x in paras[i + 1 : first])):
            group = g.group(2).rstrip(":：")
            found.add(i)
    while hk < len(headings):
        if group and not headings[hk].group:
            headings[hk].group = group
        hk += 1
    return found


def _fallback_headings(paras: list[str]) -> list[Heading]:
    """Letters without numbered questions (some 落实函): each `请发行人…` paragraph is a question."""
    out: list[Heading] = []
    for i, p in enumerate(paras):
        if RE_INTRO.match(p) and not RE_CLOSING.match(p):
            n = len(out) + 1
            at = i
            # its background in the paragraph before (`根据公开发行说明书，…。` then `请发行人:(1)…`)
            if i > 0 and (not out or out[-1].idx < i - 1) and RE_FACTS_OPENING.match(paras[i - 1]) \
                    and not re.search(r"请", paras[i - 1]) and paras[i - 1].rstrip()[-1:] in "。；;":
                at = i - 1
            first = re.split(r"[，。:：;；]|,(?!\d)", paras[at], maxsplit=1)[0]
            out.append(Heading(at, n, "", short_title(first), paras[at], "none"))  # the paragraph is its own body
    return out


RE_FACTS_OPENING = re.compile(r"^\s*(?:根据|据|截至|截止|报告期|公开发行说明书|申报材料|申请文件|招股说明书|募集说明书|年报|公告)")


def _cut_closing(body: list[str]) -> list[str]:
    for j, p in enumerate(body):
        if j > 0 and RE_CLOSING.match(p) and not RE_VERIFY.match(p):
            return body[:j]
    return body
