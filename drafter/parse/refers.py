"""What a later-round letter refers to: its own round, the earlier letter it follows, and per question
the references to earlier rounds.

    read_refs(letter, text=None) -> Letter     # fills Letter.follows and Question.refers (in place)
    parse_with_refs(path) -> Letter            # parse_file + read_refs

Per question (`Question.refers`, letter order), kinds of `PriorRef`:

- question: an earlier question named — `首轮问询问题3之(2)`, `第一轮问询函第5题`, `前次反馈意见第2题`,
  `落实函问题1`, `问询函问题4` (question number and item label kept);
- reply: the earlier answers cited as the source of facts — `根据首轮问询回复`, `根据问询回复`,
  `根据反馈回复`, `首轮回复`, `申请文件及首轮问询回复`;
- followup: a request that asks again — `请进一步说明`, `进一步分析`, `再次说明`, `补充说明…是否有变化`;
- quote: a phrase quoted from the earlier reply (`首轮问询回复称“…”`): the words in quotation marks next
  to a reply reference, kept for the linker to find in the earlier reply.

The letter's own reference (`Letter.follows`): the earlier letter named in the opening
(`本所于2026年3月16日出具了《关于…审核问询函》(审核函〔2026〕020031号)`) with its title, number and date;
without one, a later round follows the round before it (第二轮 -> 首轮; a 落实函, which follows whichever round came last, gets 未知).
The parser may take a quoted earlier title for the letter's own; the letter's own title line wins
(and with it the round and the kind).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from ..models import Letter, PriorLetter, PriorRef, Question

__all__ = ["read_refs", "parse_with_refs", "own_round"]

ROUND_WORD = r"(?:首轮|第一轮|第二轮|第三轮|第四轮|一轮|二轮|三轮|前次|前轮|前一轮|上一轮|上轮|一次|二次|首次)"
_Q_NUM = r"(\d{1,2}|[一二三四五六七八九十]{1,3})"
_ITEM = r"(?:\s*(?:之|中|的)?\s*(?:第)?\s*([(（]\s*\d{1,2}\s*[)）]|[①-⑳]))?"
# 首轮问询问题3之(2) / 首轮审核问询函第5题 / 前次反馈意见第2题 / 第二轮问询问题1 / 问询函问题4 / 落实函第1条
RE_QREF = re.compile(
    rf"((?:{ROUND_WORD}\s*(?:审核)?\s*(?:问询函?|反馈意见|反馈|问询问题)?|《?问询函》?|《?(?:审核中心)?意见落实函》?|反馈意见)"
    rf"\s*(?:回复)?\s*(?:中|的)?\s*(?:第\s*{_Q_NUM}\s*(?:题|问|条)|问题\s*{_Q_NUM}(?![.．]\d)){_ITEM})"
)
# 根据首轮问询回复 / 根据问询回复 / 根据申请文件及首轮问询回复 / 根据反馈回复 / 首轮回复 / 前次问询回复
RE_REPLY = re.compile(
    rf"((?:{ROUND_WORD}\s*(?:审核)?\s*)?(?:问询|反馈)(?:意见)?(?:函)?\s*(?:的)?\s*回复|{ROUND_WORD}\s*回复|前次问询|首轮问询)(?!\s*(?:出具|签署|提交|报送)之?日)"
)
RE_FOLLOWUP = re.compile(r"(进一步(?:说明|分析|披露|论证|核实|核查|量化|补充|解释|明确|梳理)|再次(?:说明|核实)|重新(?:测算|说明|梳理))")
RE_QUOTE = re.compile(r"[“\"]([^”\"\n]{4,60})[”\"]")
_NOT_ROUND = re.compile(r"^前次(?:募集|募投|发行|申请|融资)")  # 前次募集资金: an earlier offering, not an earlier letter

_ROUNDS = [("落实函", r"落实函|意见落实"), ("第四轮", r"第四轮|四轮"), ("第三轮", r"第三轮|三轮|三次反馈"),
           ("第二轮", r"第二轮|二轮|二次反馈")]
_BEFORE = {"第二轮": "首轮", "第三轮": "第二轮", "第四轮": "第三轮"}
_OWN_TITLE = re.compile(
    r"^\s*((?:关于)?[^《》:：。]{4,140}?(?:问询函|落实函|反馈意见(?:通知书)?|意见函|关注函))\s*$")
_PRIOR = re.compile(r"《\s*(关于[^《》]{4,140}?(?:问询函|落实函|反馈意见(?:通知书)?|意见函))\s*》"
                    r"\s*(?:[(（]\s*([^()（）]{0,30}?〔\s*\d{4}\s*〕\s*\d{1,8}\s*号|\d{5,8}\s*号)\s*[)）])?")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def own_round(title: str) -> str | None:
    """The round a letter's own title states (第二轮 / 第三轮 / 落实函 …), None when it states none."""
    for name, rx in _ROUNDS:
        if re.search(rx, title):
            return name
    return None


def parse_with_refs(path: str | os.PathLike) -> Letter:
    """parse_file(path), then read_refs on the same text (read once)."""
    from . import parse_file

    letter = parse_file(path)
    return read_refs(letter)


def _num(s: str | None) -> int | None:
    if not s:
        return None
    if s.isdigit():
        return int(s)
    from .headings import cn_number

    return cn_number(s) or None


def _round_of(words: str) -> str | None:
    m = re.search(ROUND_WORD, words)
    if not m:
        return None
    w = m.group(0)
    return {"第一轮": "首轮", "一轮": "首轮", "一次": "首轮", "首次": "首轮", "二轮": "第二轮", "二次": "第二轮",
            "三轮": "第三轮", "前轮": "前次", "前一轮": "前次", "上一轮": "前次", "上轮": "前次"}.get(w, w)


def _spans(q: Question, text: str) -> list[tuple[int, int, str]]:
    """(start, end, request id) of each top-level request's words in the question's text."""
    out = []
    pos = 0
    for r in q.requests:
        if r.parent is not None:
            continue
        key = r.text[:16]
        i = text.find(key, pos) if key else -1
        if i < 0:
            i = text.find(key) if key else -1
        if i < 0:
            continue
        out.append((i, i + len(r.text), r.id))
        pos = i + 1
    return out


def _where(spans: list[tuple[int, int, str]], a: int) -> str | None:
    """The id of the request whose words hold position a (None: the background or a verification ask)."""
    for s, e, rid in spans:
        if s <= a < e:
            return rid
    return None


def question_refs(q: Question) -> list[PriorRef]:
    """The references of one question to earlier rounds, in text order (see the module docstring)."""
    text = q.text or ""
    spans = _spans(q, text)
    out: list[tuple[int, PriorRef]] = []
    taken: list[tuple[int, int]] = []

    for m in RE_QREF.finditer(text):
        words = m.group(1)
        if _NOT_ROUND.match(words):
            continue
        n = _num(m.group(2) or m.group(3))
        if not n:
            continue
        item = re.sub(r"\s", "", m.group(4)).replace("（", "(").replace("）", ")") if m.group(4) else None
        rnd = _round_of(words) or ("落实函" if "落实函" in words else None)
        out.append((m.start(), PriorRef(kind="question", text=words.strip(), round=rnd, question=n, item=item,
                                        request_id=_where(spans, m.start()))))
        taken.append((m.start(), m.end()))
    for m in RE_REPLY.finditer(text):
        if any(a <= m.start() < b for a, b in taken) or _NOT_ROUND.match(m.group(1)):
            continue
        lead = text[max(0, m.start() - 8): m.start()]
        words = m.group(1)
        if re.search(r"根据|结合|依据|参考$|及$|和$", lead):
            words = re.search(r"(?:根据|结合|依据)?(?:申请文件|申报材料)?(?:及|和)?$", lead).group(0) + words
        out.append((m.start(), PriorRef(kind="reply", text=words, round=_round_of(m.group(1)),
                                        request_id=_where(spans, m.start()))))
        # phrases quoted from that reply: “…” within the sentence after it (首轮问询回复称“X”)
        end = re.search(r"[。；;]", text[m.end():])
        sentence = text[m.end(): m.end() + (end.start() if end else 120)]
        for qm in RE_QUOTE.finditer(sentence):  # every phrase quoted in that sentence (the linker keeps those
            at = m.end() + qm.start()           # it finds in the earlier reply)
            out.append((at, PriorRef(kind="quote", text=qm.group(1), round=_round_of(m.group(1)),
                                     request_id=_where(spans, at))))
    for m in RE_FOLLOWUP.finditer(text):
        out.append((m.start(), PriorRef(kind="followup", text=m.group(1), request_id=_where(spans, m.start()))))
    out.sort(key=lambda t: t[0])
    seen: set[tuple] = set()
    refs = []
    for _, r in out:
        key = (r.kind, r.text, r.question, r.item, r.request_id)
        if key in seen:
            continue
        seen.add(key)
        refs.append(r)
    return refs


def _head_lines(letter: Letter, text: str | None) -> list[str]:
    if text is None:
        p = Path(letter.source)
        if not p.is_file():
            return []
        from ..read import read_text

        try:
            text = read_text(p)
        except Exception:  # noqa: BLE001 - the letter parsed already; its head is only a refinement
            return []
    lines = [x.strip() for x in text.split("\n") if x.strip()]
    first_q = letter.questions[0].title if letter.questions else None
    out = []
    for x in lines[:40]:
        if first_q and first_q in x and len(x) < 60 and re.match(r"^\s*(?:问题\s*)?[\d一二三四五六七八九十]{1,3}\s*[.．、]", x):
            break
        out.append(x)
    return out


def read_refs(letter: Letter, text: str | None = None) -> Letter:
    """Fill `letter.follows` and every question's `refers` (in place; returns the letter).

    `text`: the letter's cleaned text (read from `letter.source` when not given), for its own title and the
    earlier letter named in its opening."""
    for q in letter.questions:
        q.refers = question_refs(q)
    if letter.kind != "letter":  # a reply's opening names the letter it answers, not an earlier one
        return letter
    meta = letter.meta
    later = meta.round in ("第二轮", "第三轮", "第四轮", "落实函")
    if not later and not any(r.kind != "followup" for q in letter.questions for r in q.refers):
        letter.follows = None  # a first round citing nothing earlier: its head need not be read again
        return letter
    head = _head_lines(letter, text)
    own = None
    for x in head[:8]:
        m = _OWN_TITLE.match(x)
        if m and "《" not in x and not re.search(r"于\s*\d{4}\s*年|出具|收到", x):
            own = m.group(1)
            break
    if own is None and len(head) >= 2:  # a title broken over two lines
        for a, b in zip(head[:6], head[1:7]):
            m = _OWN_TITLE.match(a + b)
            if m and "《" not in a + b and a.startswith("关于"):
                own = m.group(1)
                break
    if own and own != meta.title:
        rnd = own_round(own)
        if meta.title and own_round(meta.title) != rnd or rnd:
            from .facts import letter_form, letter_kind

            meta.title = own
            if rnd:
                meta.round = rnd  # type: ignore[assignment]
            elif meta.round not in ("首轮", "未知"):
                meta.round = "首轮"
            meta.form = letter_form(meta, letter.questions)
            meta.kind = letter_kind(meta, meta.form)
    opening = "\n".join(x for x in head if x not in (own, meta.title))  # the opening, not the title line
    prior = None
    for m in _PRIOR.finditer(opening):
        title = re.sub(r"\s+", "", m.group(1))
        if title == meta.title:
            continue
        before = opening[max(0, m.start() - 40): m.start()]
        dm = None
        for dm in _DATE.finditer(before):
            pass
        prior = PriorLetter(
            round=own_round(title) or "首轮",  # type: ignore[arg-type]
            title=title, number=re.sub(r"\s+", "", m.group(2)) if m.group(2) else None,
            date=f"{int(dm.group(1)):04d}-{int(dm.group(2)):02d}-{int(dm.group(3)):02d}" if dm else None,
            text=(before[before.rfind("\n") + 1:] + m.group(0)).strip())
        break
    later = meta.round in ("第二轮", "第三轮", "第四轮", "落实函")  # (the own title may have said so)
    if prior is None and later:
        cue = re.search(r"[^。\n]{0,30}(?:首轮|前次|上一轮|前轮|第[一二三]轮)(?:审核)?(?:问询|反馈)[^。\n]{0,20}", opening)
        prior = PriorLetter(round=_BEFORE.get(meta.round, "未知"),  # type: ignore[arg-type]
                            text=cue.group(0).strip() if cue else None)
    elif prior is None and any(r.kind in ("question", "reply") for q in letter.questions for r in q.refers):
        prior = PriorLetter(round="未知")  # the questions cite an earlier round the letter does not name
    letter.follows = prior
    return letter
