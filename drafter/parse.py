"""Parse an inquiry letter (or a reply document quoting one) into the `Letter` model.

    parse_file(path) -> Letter        # read + clean + parse
    parse_text(text, source) -> Letter

Structure found, in letter order: questions (`1.关于X`, `问题1.X`, `问题 1.关于X`, CSRC `一、规范性问题`
then `1、`), their background (facts, never requests), themed sections (`(1)小标题。`), numbered
requests (`(1)`, `（1）`, `①`, `1)`, inline runs, or one unnumbered `请发行人说明…` sentence) and
verification asks (parties as named, scope, demands, work papers, cited rules).
In a reply document, each question's text is the quoted question before `回复:`/`【回复】`, and
its reply the text after it up to the next question.
"""
from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass

from .clean import TOC_LINE, clean_text
from .errors import UserError
from .models import Letter, LetterMeta, Question, Request, Section, Verification
from .read import read_text

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
CN_NUM = "一二三四五六七八九十"

# --- question headings -----------------------------------------------------------------------------

# 问题1.X / 问题 1.关于X / 问题1:X / 问题1 X / 【问题1】X
RE_Q_WENTI = re.compile(r"^\s*[【\[]?\s*问题\s*(\d{1,3})\s*[】\]]?\s*(?:[.．、:：]\s*|\s+|(?=关于))(.*)$")
RE_Q_WENTI_BARE = re.compile(r"^\s*[【\[]?\s*问题\s*(\d{1,3})\s*[】\]]?\s*$")
# 1.关于X / 1. X / 1．X (not 1.1, not 1.5万元)
RE_Q_DOT = re.compile(r"^\s*(\d{1,3})\s*[.．](?![\d.．])\s*(.+)$")
# 1、X (CSRC feedback letters)
RE_Q_DUN = re.compile(r"^\s*(\d{1,3})\s*、\s*(.+)$")
# 问题一、X / 一、关于X (questions numbered in Chinese numerals; used only when nothing else is)
RE_Q_CN = re.compile(r"^\s*(?:问题\s*)?([一二三四五六七八九十]{1,3})\s*[、.．:：]\s*(.+)$")
# 一、规范性问题
RE_GROUP = re.compile(r"^\s*([一二三四五六七八九十]{1,3})\s*[、.．]\s*(.{1,40}?)\s*[:：]?\s*$")

# reply markers: a paragraph that is, or ends with, 回复: / 【回复】 (or starts with 回复:)
REPLY_LABEL = (
    r"(?:[【〖\[]\s*(?:发行人|公司)?\s*(?:回\s*复|答\s*复)(?:\s*说明)?\s*[】〗\]]"
    r"|(?:回\s*复|答\s*复)(?:\s*说明)?\s*[:：])"
)
RE_REPLY = re.compile(r"(?:^|(?<=[。;；！？!?”）)]))\s*" + REPLY_LABEL)

# --- inside a question -----------------------------------------------------------------------------

PARTY_WORDS = r"(?:保荐人|保荐机构|主承销商|申报会计师|会计师|发行人律师|申请人律师|律师|独立财务顾问|评估机构|评估师|资产评估机构|中介机构)"
# a verification ask: 请保荐人、申报会计师… (at a sentence start)
RE_VERIFY = re.compile(
    r"(?:^|(?<=[\n。;；！？!?:：,，]))\s*(?:另|同时|并|此外[,，]?)?\s*请\s*(?:独立)?" + PARTY_WORDS
)
# a request intro: 请发行人: / 请发行人说明: / 请发行人补充披露… / 请公司… (not 请发行人律师)
RE_INTRO = re.compile(
    r"(?:^|(?<=[\n。;；！？!?:：]))\s*请\s*(?:发行人|公司|申请人|上市公司|你公司|标的公司)(?!律师)"
)
RE_PAREN_NUM = re.compile(r"^\s*[(（]\s*(\d{1,2})\s*[)）]")

FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _dg(n: int) -> str:
    """A number as a pattern matching ASCII or full-width digits: 12 -> (?:1|１)(?:2|２)."""
    return "".join(f"(?:{c}|{chr(ord(c) + 0xFEE0)})" for c in str(n))


MARKER_STYLES = {
    "paren": lambda n: rf"[(（]\s*{_dg(n)}\s*[)）]",
    "circled": lambda n: re.escape(CIRCLED[n - 1]) if n <= 20 else r"(?!x)x",
    "half": lambda n: rf"(?<![(（\d]){_dg(n)}\s*[)）]",
    "dun": lambda n: rf"(?<![\d.．]){_dg(n)}\s*、",
    "dot": lambda n: rf"(?<![\d.．]){_dg(n)}\s*[.．](?!\d)",
    "cnparen": lambda n: rf"[(（]\s*{CN_NUM[n - 1] if n <= 10 else 'x'}\s*[)）]",
}
FIRST_MARKER = [
    ("paren", re.compile(r"^[(（]\s*[1１]\s*[)）]")),
    ("circled", re.compile(r"^①")),
    ("half", re.compile(r"^[1１]\s*[)）]")),
    ("dun", re.compile(r"^[1１]\s*、")),
    ("dot", re.compile(r"^[1１]\s*[.．](?!\d)")),
    ("cnparen", re.compile(r"^[(（]\s*一\s*[)）]")),
]
BOUNDARY = "\n。;；:：,，！？!? "

DEMAND_WORDS = [
    ("核查方法", r"核查(?:方法|方式|手段)|(?:函证|走访|监盘|访谈)[^。;；]{0,6}方法"),
    ("核查范围", r"范围|核查对象"),
    ("核查比例", r"比例"),
    ("核查过程", r"核查过程"),
    ("核查程序", r"核查程序|履行的程序|执行的程序|所采取的核查措施|替代(?:性)?(?:核查)?(?:程序|措施)"),
    ("取得的证据", r"(?:取得|获取|获得)的?(?:相关)?(?:核查)?证据|核查证据"),
    ("核查结论", r"核查结论|及结论|和结论|、结论|核查意见"),
    ("函证", r"函证"),
    ("走访", r"走访"),
    ("监盘", r"监盘"),
    ("资金流水核查", r"资金流水"),
]
RE_RULE = re.compile(r"《[^《》]{2,60}》(?:\s*(?:第[一二三四五六七八九十百零\d]+[条问题款项章节](?:第[一二三四五六七八九十百零\d]+[条问题款项])?|问题\s*\d+))?")
RE_DISCLOSE = re.compile(r"披露")


@dataclass
class _Heading:
    idx: int  # paragraph index
    number: int
    label: str
    title: str
    rest: str  # text after the title in the same paragraph (question body starting inline)
    style: str
    group: str | None = None


# ------------------------------------------------------------------------------------------------------


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


def _parse(text: str, source: str) -> Letter:
    paras = [p.strip() for p in text.split("\n") if p.strip()]
    reply_idx = [i for i, p in enumerate(paras) if _reply_split(p) is not None]
    headings = _find_headings(paras, reply_idx)
    kind = "reply" if headings and any(i > headings[0].idx for i in reply_idx) else "letter"
    if not headings:
        headings = _fallback_headings(paras)
    group_idx = _assign_groups(paras, headings)
    meta = _meta(paras, headings, kind)
    questions = []
    for k, h in enumerate(headings):
        stop = headings[k + 1].idx if k + 1 < len(headings) else len(paras)
        body_paras = [p for j, p in enumerate(paras[h.idx + 1 : stop], h.idx + 1) if j not in group_idx]
        reply = None
        if kind == "reply":
            body_paras, reply = _split_quoted(body_paras, h.number, last=k + 1 == len(headings))
        elif k + 1 == len(headings):
            body_paras = _cut_closing(body_paras)
        if h.rest:
            body_paras = [h.rest] + body_paras
        questions.append(_build_question(h, body_paras, reply))
    return Letter(source=source, kind=kind, meta=meta, questions=questions)


def _split_quoted(body: list[str], qnum: int, last: bool) -> tuple[list[str], str | None]:
    """A reply document's question span -> (quoted question paragraphs, reply text).

    Usually one `回复:` follows the whole quoted question. Some replies answer a question part by
    part (`(1)…【回复】… (2)…【回复】…` or `1.1 …回复:… 1.2 …回复:…`): every part quoted before
    its marker is gathered into the question, every answer into the reply.
    """
    marks = [(j, pos) for j, p in enumerate(body) if (pos := _reply_split(p)) is not None]
    if not marks:
        return body, None
    quoted: list[str] = []
    answers: list[str] = []
    j0, pos0 = marks[0]
    quoted = body[:j0] + ([body[j0][:pos0].rstrip()] if body[j0][:pos0].strip() else [])
    prev_end = j0  # answer of the current part starts in paragraph prev_end (after the marker)
    prev_pos = pos0
    expect = _next_part_labels(quoted, qnum)
    for j, pos in marks[1:]:
        # where does the next quoted part start? the last paragraph with the expected label
        start = None
        for t in range(j, max(prev_end, j - 300), -1):  # a quoted part sits close to its marker
            if any(rx.match(body[t]) for rx in expect):
                start = t
                break
        if start is None:
            continue  # a marker inside the answer text: not a new part
        first = _strip_reply_label(body[prev_end][prev_pos:])
        answers.extend(([first] if first else []) + body[prev_end + 1 : start])
        part = body[start:j] + ([body[j][:pos].rstrip()] if body[j][:pos].strip() else [])
        quoted.extend(part)
        expect = _next_part_labels(quoted, qnum)
        prev_end, prev_pos = j, pos
    first = _strip_reply_label(body[prev_end][prev_pos:])
    tail = ([first] if first else []) + body[prev_end + 1 :]
    if last:
        tail = _cut_signatures(tail)
    answers.extend(tail)
    return quoted, "\n".join(answers)


def _next_part_labels(quoted: list[str], qnum: int) -> list[re.Pattern]:
    """Regexes for the label the next separately answered part of a question would carry."""
    paren = [int(m.group(1)) for p in quoted if (m := RE_PAREN_NUM.match(p))]
    sub = [int(m.group(1)) for p in quoted if (m := re.match(rf"^\s*{qnum}\s*[.．]\s*(\d{{1,2}})(?!\d)", p))]
    out = [rf"^\s*[(（]\s*{(max(paren) if paren else 1) + 1}\s*[)）]", rf"^\s*{qnum}\s*[.．]\s*{(max(sub) if sub else 1) + 1}(?!\d)"]
    if not paren:
        out.append(r"^\s*[(（]\s*1\s*[)）]")
    return [re.compile(x) for x in out]


def _assign_groups(paras: list[str], headings: list[_Heading]) -> set[int]:
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
    first = headings[0].idx
    for i, p in enumerate(paras):
        while hk < len(headings) and headings[hk].idx < i:
            if group and not headings[hk].group:
                headings[hk].group = group
            hk += 1
        g = RE_GROUP.match(p)
        if not g or len(p) > 40:
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


def _fallback_headings(paras: list[str]) -> list[_Heading]:
    """Letters without numbered questions (some 落实函): each `请发行人…` paragraph is a question."""
    out: list[_Heading] = []
    for i, p in enumerate(paras):
        if RE_INTRO.match(p) and not RE_CLOSING.match(p):
            n = len(out) + 1
            first = re.split(r"[,，。:：;；]", p, maxsplit=1)[0]
            out.append(_Heading(i, n, "", first[:30], p, "none"))  # the paragraph is its own body
    return out


def _reply_split(p: str) -> int | None:
    """Position of the reply marker in paragraph p (None when p has none)."""
    if re.match(r"^\s*答\s*[:：]", p):
        return 0
    for m in RE_REPLY.finditer(p):
        tail = p[m.end() :].strip()
        if m.start() == 0 or not tail or len(p) < 300:
            return m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
    return None


def _strip_reply_label(s: str) -> str:
    return re.sub(r"^\s*(?:" + REPLY_LABEL + r"|答\s*[:：])\s*", "", s).strip()


# --- headings ----------------------------------------------------------------------------------------


def _candidates(paras: list[str]) -> dict[str, list[_Heading]]:
    out: dict[str, list[_Heading]] = {"wenti": [], "guanyu": [], "dot": [], "dun": [], "cn": []}
    group = None
    for i, p in enumerate(paras):
        if TOC_LINE.search(p):
            continue
        g = RE_GROUP.match(p)
        if g and ("问题" in g.group(2) or "事项" in g.group(2) or "意见" in g.group(2)):
            group = g.group(2).rstrip(":：")
            continue
        m = RE_Q_CN.match(p)
        if m and cn_number(m.group(1)):
            title, rest = _split_title(m.group(2))
            out["cn"].append(_Heading(i, cn_number(m.group(1)), p[: m.start(2)].strip(), title, rest, "cn"))
        m = RE_Q_WENTI.match(p)
        if m:
            label = p[: m.start(2)].strip() if m.group(2) else p.strip()
            title, rest = _split_title(m.group(2))
            out["wenti"].append(_Heading(i, int(m.group(1)), label, title, rest, "wenti"))
            continue
        m = RE_Q_WENTI_BARE.match(p)
        if m and i + 1 < len(paras):
            title, rest = _split_title(paras[i + 1]) if len(paras[i + 1]) <= 60 and not RE_INTRO.match(paras[i + 1]) else ("", "")
            h = _Heading(i, int(m.group(1)), p.strip(), title, rest, "wenti")
            if title:
                h.idx = i + 1  # title sits on its own line
                h.rest = rest
            out["wenti"].append(h)
            continue
        m = RE_Q_DOT.match(p)
        if m:
            title, rest = _split_title(m.group(2))
            label = p[: m.start(2)].strip()
            style = "guanyu" if m.group(2).startswith("关于") else "dot"
            h = _Heading(i, int(m.group(1)), label, title, rest, style)
            out[style].append(h)
            if style == "guanyu":
                out["dot"].append(h)
            continue
        m = RE_Q_DUN.match(p)
        if m:
            title, rest = _split_title(m.group(2))
            out["dun"].append(_Heading(i, int(m.group(1)), p[: m.start(2)].strip(), title, rest, "dun", group))
    return out


def cn_number(s: str) -> int:
    """一 -> 1, 十二 -> 12, 二十三 -> 23 (0 when not a numeral)."""
    digits = {c: k for k, c in enumerate("零一二三四五六七八九")}
    if not s or any(c not in digits and c != "十" for c in s):
        return 0
    if "十" not in s:
        return digits[s] if len(s) == 1 else 0
    a, _, b = s.partition("十")
    tens = digits.get(a, 0) if a else 1
    ones = digits.get(b, 0) if b else 0
    return tens * 10 + ones


def _split_title(s: str) -> tuple[str, str]:
    """A heading's title, and any question text that follows it in the same paragraph."""
    s = s.strip()
    if len(s) <= 50 and not re.search(r"[。;；]", s[:-1]) and not RE_INTRO.search(s) and not RE_VERIFY.search(s):
        return s.rstrip("。:："), ""
    m = re.match(r"^(关于[^。:：;；,，]{1,40}?)[。:：;；]\s*(.*)$", s)
    if m:
        return m.group(1), m.group(2)
    m = re.match(r"^([^。:：;；,，]{1,30})[。]\s*(.*)$", s)
    if m and not RE_INTRO.search(m.group(1)):
        return m.group(1), m.group(2)
    # no title: the body starts right away; name it after its first clause
    first = re.split(r"[,，。:：;；]", s, maxsplit=1)[0]
    return first[:30], s


def _find_headings(paras: list[str], reply_idx: list[int]) -> list[_Heading]:
    cands = _candidates(paras)
    has_groups = any(h.group for h in cands["dun"])
    order = ["wenti", "guanyu", "dun", "dot"] if has_groups else ["wenti", "guanyu", "dot", "dun"]
    best: list[_Heading] = []
    best_score = (0, 0)
    for rank, style in enumerate(order):
        seq = _sequence(cands[style], reply_idx)
        late = 0 if not seq or seq[0].number == 1 else 1  # a run not starting at 1 is suspect
        if reply_idx:
            answered = 0
            for k, h in enumerate(seq):
                r = bisect.bisect_left(reply_idx, h.idx)
                if r < len(reply_idx) and reply_idx[r] < (seq[k + 1].idx if k + 1 < len(seq) else len(paras)):
                    answered += 1
            score = (answered - late, len(seq))
        else:
            score = (len(seq) - late, 0)
        if score[0] >= 2 and score > best_score and (not best or score[0] > best_score[0] + (1 if rank else 0)):
            best, best_score = seq, score
        elif not best and len(seq) > len(best):
            best, best_score = seq, score
    if len(best) < 2:
        seq = _sequence(cands["cn"], reply_idx)
        if len(seq) > len(best) and (not reply_idx or len(seq) >= 2):
            best = seq
    return best


MAX_QUESTIONS = 500  # no real letter comes close; bounds the work on pathological input


def _sequence(cands: list[_Heading], reply_idx: list[int]) -> list[_Heading]:
    """The run 1, 2, 3 … of headings (in a reply: the last one before each reply marker)."""
    if not cands:
        return []
    by_num: dict[int, list[_Heading]] = {}
    for c in cands:
        by_num.setdefault(c.number, []).append(c)  # already in document order

    def after(n: int, pos: int) -> list[_Heading]:
        lst = by_num.get(n, [])
        k = bisect.bisect_right([c.idx for c in lst], pos)
        return lst[k:]

    seq: list[_Heading] = []
    pos = -1
    nums = sorted(by_num)
    n = 1 if 1 in by_num else (nums[0] if nums[0] <= 3 else 1)
    while len(seq) < MAX_QUESTIONS:
        nxt = after(n, pos)
        if not nxt and seq and not reply_idx:
            # tolerate one missing number (a question deleted or misnumbered in the letter)
            skip = after(n + 1, pos)
            if skip:
                n += 1
                nxt = skip
        if not nxt:
            break
        chosen = nxt[0]
        if reply_idx:
            r = bisect.bisect_left(reply_idx, nxt[0].idx)
            if r < len(reply_idx):
                before_reply = [c for c in nxt if c.idx <= reply_idx[r]]
                if before_reply:
                    chosen = before_reply[-1]
        seq.append(chosen)
        pos = chosen.idx
        n += 1
    return seq


# --- document end -------------------------------------------------------------------------------------

RE_CLOSING = re.compile(
    r"^\s*(?:请(?:你|贵)?(?:公司|发行人|保荐人|保荐机构)?(?:及(?:保荐人|保荐机构|中介机构))?(?:对上述问题|就上述问题|对本函|逐项落实|在\s*\d+|于\s*\d+|自收到)"
    r"|请对上述问题|请就上述问题|对本问询函|对上述问题逐项落实|如对本函|涉及对招股说明书的修改|发行人及(?:保荐人|保荐机构)|"
    r"(?:深圳|上海|北京)证券交易所(?:上市审核中心|上市审核|发行上市审核|上市公司管理)?(?:部|中心|机构)?\s*$|"
    r"中国证(?:券)?监(?:督管理委员)?会(?:发行监管部)?\s*$|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$|[二〇零一]{4}年|（本页无正文|\(本页无正文|本页无正文|附件[:：]?)"
)


def _cut_closing(body: list[str]) -> list[str]:
    for j, p in enumerate(body):
        if j > 0 and RE_CLOSING.match(p) and not RE_VERIFY.match(p):
            return body[:j]
    return body


def _cut_signatures(after: list[str]) -> list[str]:
    for j, p in enumerate(after):
        if re.match(r"^\s*[(（]?\s*(?:本页无正文|以下无正文)", p):
            return after[:j]
    return after


# --- one question ------------------------------------------------------------------------------------


def _build_question(h: _Heading, body_paras: list[str], reply: str | None) -> Question:
    number = h.number
    q = Question(number=number, label=h.label, title=h.title, group=h.group, text="\n".join(body_paras), reply=reply)
    sections = _section_segments(body_paras, number)
    used: set[str] = set()
    if sections is None:
        bg, reqs, vers = _parse_block("\n".join(body_paras), str(number), None, used)
        q.background = bg
        q.requests = reqs
        q.verification = vers
    else:
        preamble, segs = sections
        q.background = "\n".join(preamble)
        seg_vers: list[list[Verification]] = []
        for label, title, seg_paras in segs:
            text = "\n".join(seg_paras)
            bg, reqs, vers = _parse_block(text, str(number), label, used, title=title)
            q.sections.append(Section(label=label, title=title, background=bg, request_ids=[r.id for r in reqs]))
            q.requests.extend(reqs)
            seg_vers.append(vers)
        # the last section's asks belong to the question unless every section has its own asks
        trailing: list[Verification] = []
        if seg_vers and seg_vers[-1] and not all(seg_vers[:-1]):
            trailing = seg_vers[-1]
            for v in trailing:
                v.section = None
            seg_vers[-1] = []
        elif seg_vers and seg_vers[-1]:
            standalone = _trailing_standalone_asks(segs[-1][2])
            # an ask in its own paragraph after the last section that speaks of all (以上/上述…) items
            moved = [v for v in seg_vers[-1] if v.text in standalone and re.search(r"以上|上述|前述|逐一", v.text) and v.scope != "全部"]
            for v in moved:
                v.section = None
            seg_vers[-1] = [v for v in seg_vers[-1] if v not in moved]
            trailing = moved
        for sv in seg_vers:
            q.verification.extend(sv)
        q.verification.extend(trailing)
    for v in q.verification:
        _resolve_scope(v, q)
    return q


def _section_segments(paras: list[str], qnum: int = 0):
    """Split a question into themed sections when it has them, else None.

    Sections are paragraphs `(1)小标题。…`, `(2)…` (or SSE-style sub-questions `1.1 …`, `1.2 …`),
    each carrying its own request intro (`请发行人…`).
    """
    for kind in ("dotted", "paren"):
        if kind == "paren":
            rx = RE_PAREN_NUM
        else:
            rx = re.compile(rf"^\s*{qnum}\s*[.．]\s*(\d{{1,2}})(?![\d%％万亿元])\s*")
        starts = [i for i, p in enumerate(paras) if rx.match(p)]
        if len(starts) < 2:
            continue
        seq: list[int] = []
        expect = 1
        for i in starts:
            n = int(rx.match(paras[i]).group(1))
            if n == expect:
                seq.append(i)
                expect += 1
            elif n == 1 and seq:
                break  # a second run (background then requests): not sections
        if len(seq) < 2:
            continue
        segs = [paras[i : (seq[k + 1] if k + 1 < len(seq) else len(paras))] for k, i in enumerate(seq)]
        with_intro = [sg for sg in segs if RE_INTRO.search("\n".join(sg))]
        if len(with_intro) < 2 and not (kind == "dotted" and len(with_intro) >= 1):
            continue
        # a segment ending with a bare intro (`请发行人:`) followed by (1) items means flat numbering
        if kind == "paren" and any(re.search(r"请\s*(?:发行人|公司)[^\n。]{0,12}[:：]\s*$", sg[-1]) for sg in segs):
            continue
        preamble = paras[: seq[0]]
        if kind == "paren" and any(RE_INTRO.search(p) for p in preamble):
            continue
        out = []
        for sg in segs:
            m = rx.match(sg[0])
            label = f"({m.group(1)})" if kind == "paren" else f"{qnum}.{m.group(1)}"
            rest = sg[0][m.end() :].strip()
            title = ""
            tm = re.match(r"^([^。:：]{1,40}?)[。:：]\s*(.*)$", rest)
            if tm and not RE_INTRO.match(tm.group(1)) and not re.match(r"^(?:根据|申报材料|请)", tm.group(1)) and not re.search(r"[,，;；]", tm.group(1)):
                title, rest = tm.group(1), tm.group(2)
            elif kind == "dotted" and len(rest) <= 40 and not re.search(r"[。,，;；]", rest):
                title, rest = rest, ""  # `1.1 关于X` on its own line
            out.append((label, title, ([rest] if rest else []) + sg[1:]))
        return preamble, out
    return None


def _trailing_standalone_asks(seg_paras: list[str]) -> set[str]:
    """Verification sentences standing in their own paragraphs at the end of a segment."""
    texts = set()
    for p in reversed(seg_paras):
        if RE_VERIFY.match(p):
            for v in _split_verifications(p):
                texts.add(v)
        else:
            break
    return texts


def _parse_block(text: str, qnum: str, section: str | None, used: set[str], title: str = ""):
    """Background, requests and verification asks of a question (or of one themed section)."""
    intros = [m for m in RE_INTRO.finditer(text)]
    verifs = [m for m in RE_VERIFY.finditer(text)]
    first_intro = intros[0].start() if intros else None
    first_verify = verifs[0].start() if verifs else None
    # background: everything before the first request intro (or the first ask, if no intro)
    cut = min(x for x in (first_intro, first_verify, len(text)) if x is not None)
    background = text[:cut].strip()
    requests: list[Request] = []
    # request regions: each intro up to the next intro / verification ask
    bounds = sorted({m.start() for m in intros} | {m.start() for m in verifs} | {len(text)})
    for m in intros:
        if first_verify is not None and m.start() > first_verify:
            # an intro after the asks (rare: 另请发行人…) still counts
            pass
        region_end = min(b for b in bounds if b > m.start())
        region = text[m.start() : region_end].strip()
        requests.extend(_split_requests(region, qnum, section, used))
    # verification: from each ask start to the next intro (after the ask) or the end
    vtext_parts = []
    for v in verifs:
        nxt_intro = [m.start() for m in intros if m.start() > v.start()]
        end = min(nxt_intro) if nxt_intro else len(text)
        vtext_parts.append((v.start(), end))
    verifications: list[Verification] = []
    covered = -1
    for s, e in vtext_parts:
        if s < covered:
            continue
        chunk = text[s:e].strip()
        covered = e
        for sentence in _split_verifications(chunk):
            verifications.append(_verification(sentence, section))
    verifications = _merge_verifications(verifications)
    return background, requests, verifications


def _split_requests(region: str, qnum: str, section: str | None, used: set[str]) -> list[Request]:
    """`请发行人说明:(1)…;(2)…` -> numbered requests; `请发行人说明X。` -> one request."""
    m = re.match(r"^\s*请\s*(?:发行人|公司|申请人|上市公司|你公司|标的公司)", region)
    intro_end = m.end() if m else 0
    after = region[intro_end:]
    # the intro's verb part up to a colon: 说明: / 补充披露: / 结合…说明:
    cm = re.match(r"^([^:：\n。;；]{0,80})[:：]\s*", after)
    verb = ""
    body = after
    if cm:
        verb = cm.group(1)
        body = after[cm.end() :]
    else:
        # 请发行人说明\n(1)… (no colon)
        cm2 = re.match(r"^([^\n。;；(（①]{0,20})\s*(?=[(（]\s*[1１]\s*[)）]|①|[1１]\s*[)）])", after)
        if cm2:
            verb = cm2.group(1)
            body = after[cm2.end() :]
    body_stripped = body.lstrip()
    style = None
    for name, rx in FIRST_MARKER:
        if rx.match(body_stripped):
            style = name
            break
    intro_discloses = "披露" in verb and not re.search(r"已披露|是否披露", verb)
    base = _id_base(qnum, section)
    out: list[Request] = []
    if style is None or style in ("dot", "dun", "cnparen") and not _has_second(body_stripped, style):
        # one unnumbered request: its own words, without the leading 请发行人
        text = after.strip().lstrip(":：").strip()
        if not text:
            return []
        rid = _unique(base, used)
        out.append(Request(id=rid, label="", text=text, disclose=intro_discloses or _asks_disclosure(text), section=section))
        return out
    items = _split_run(body_stripped, style)
    for label, item_text in items:
        item_text = item_text.strip()
        sep = "" if section else "."
        rid = _unique(f"{base}{label}" if section else f"{qnum}{sep}{label}", used)
        req = Request(id=rid, label=label, text=item_text, disclose=intro_discloses or _asks_disclosure(item_text), section=section)
        out.append(req)
        out.extend(_sub_items(req, used))
    return out


def _id_base(qnum: str, section: str | None) -> str:
    """`2` + `(1)` -> `2.(1)`; SSE sub-question `1.2` stays `1.2`; no section -> `2`."""
    if not section:
        return qnum
    if re.fullmatch(r"\d+\.\d+", section):
        return section
    return f"{qnum}.{section}"


def _has_second(body: str, style: str) -> bool:
    return re.search(r"(?:^|[" + re.escape(BOUNDARY) + r"])" + MARKER_STYLES[style](2), body) is not None


def _split_run(body: str, style: str) -> list[tuple[str, str]]:
    """Split `(1)a;(2)b…` at markers numbered 1, 2, 3 … in order (each at a sentence boundary)."""
    items: list[tuple[str, str]] = []
    n = 1
    first = re.match(MARKER_STYLES[style](1), body)
    if not first:
        return [("", body)]
    label = first.group(0).replace(" ", "")
    start = first.end()
    pos = start
    while True:
        rx = re.compile(r"(?:(?<=^)|(?<=[" + re.escape(BOUNDARY) + r"]))\s*(" + MARKER_STYLES[style](n + 1) + ")")
        m = rx.search(body, pos)
        if not m:
            items.append((label, body[start:].strip()))
            break
        items.append((label, body[start : m.start()].strip()))
        label = m.group(1).replace(" ", "")
        start = m.end()
        pos = start
        n += 1
    return [(_norm_label(lb), t) for lb, t in items]


def _norm_label(label: str) -> str:
    return label.replace("（", "(").replace("）", ")").replace(" ", "").translate(FULLWIDTH_DIGITS)


def _sub_items(req: Request, used: set[str]) -> list[Request]:
    """Sub-items on their own lines inside a numbered request (`①…` / `1)…` / `a.…`)."""
    lines = req.text.split("\n")
    if len(lines) < 3:
        return []
    lines = lines[1:]  # the request's own first line is never a sub-item
    for style, first in (("circled", "①"), ("half", "1)")):
        idx = [k for k, ln in enumerate(lines) if re.match(MARKER_STYLES[style](1), ln.strip())]
        if not idx:
            continue
        k0 = idx[0]
        rest = "\n".join(lines[k0:])
        items = _split_run(rest.strip(), style)
        if len(items) < 2:
            continue
        # every item must start its own line
        if not all(re.search(r"(?:^|\n)\s*" + re.escape(lb), rest) for lb, _ in items):
            continue
        out = []
        for lb, t in items:
            rid = _unique(f"{req.id}{lb}", used)
            out.append(Request(id=rid, label=lb, text=t, disclose=_asks_disclosure(t) or req.disclose and "披露" in t, section=req.section, parent=req.id))
        return out
    return []


def _unique(rid: str, used: set[str]) -> str:
    if rid not in used:
        used.add(rid)
        return rid
    k = 2
    while f"{rid}#{k}" in used:
        k += 1
    used.add(f"{rid}#{k}")
    return f"{rid}#{k}"


ASK_BEFORE = ("补充", "进一步", "充分", "并", "及", "和", "请", "或", "完善", "修改", "详细", "如实", "分析", "说明", "中", "予以", "明确", "单独", "逐项", "重点", "列表", "量化", "具体", "修订", "更新", "相应", "同时", "准确", "作", "做")
NOT_BEFORE = ("已", "公开", "未", "所", "信息", "是否", "有无", "已经", "已补充", "依法", "需", "应当", "应", "拟", "已予以")
NOT_AFTER = ("的", "了", "过", "口径", "不一致", "文件", "义务", "要求", "标准", "准则", "内容", "范围", "一致", "情况", "时间", "媒体", "规则", "差异")


def _asks_disclosure(text: str) -> bool:
    """Does a request ask for (supplementary) disclosure in the prospectus? Facts like 已披露 do not."""
    for m in RE_DISCLOSE.finditer(text):
        i = m.start()
        before = text[max(0, i - 4) : i]
        after = text[m.end() : m.end() + 3]
        if any(before.endswith(w) for w in NOT_BEFORE):
            continue
        if any(after.startswith(w) for w in NOT_AFTER):
            continue
        if i == 0 or before[-1:] in BOUNDARY or any(before.endswith(w) for w in ASK_BEFORE):
            return True
    return False


# --- verification --------------------------------------------------------------------------------------


def _split_verifications(chunk: str) -> list[str]:
    """One entry per ask sentence starting with 请<party> (另请… stays with its sentence)."""
    starts = [m.start() for m in RE_VERIFY.finditer(chunk)]
    out = []
    for k, s in enumerate(starts):
        e = starts[k + 1] if k + 1 < len(starts) else len(chunk)
        piece = chunk[s:e].strip()
        # 另请… continuing the same sentence after a comma is not a separate start (RE_VERIFY needs a boundary)
        if piece:
            out.append(piece)
    return out


def _parties(text: str) -> list[str]:
    """Parties in the order the ask names them, exactly as named."""
    head = re.split(r"(?:核查|说明|发表|提供|对|就|补充|逐一|结合|详细|进一步|出具|根据|按照|依据|参照|履行|审慎|分别|:|：|,|，|。)", text, maxsplit=1)[0]
    found: list[str] = []
    for m in re.finditer(PARTY_WORDS, head):
        w = m.group(0)
        if w == "律师" and head[max(0, m.start() - 3) : m.start()].endswith(("发行人", "申请人")):
            continue
        if w not in found:
            found.append(w)
    # 另请保荐人、申报会计师… in the same sentence may add parties
    for m in re.finditer(r"另请\s*(" + PARTY_WORDS + r"(?:[、和及与,，]\s*" + PARTY_WORDS + r")*)", text):
        for w in re.findall(PARTY_WORDS, m.group(1)):
            if w not in found:
                found.append(w)
    return found


REF_ITEM = r"[(（]\s*\d{1,2}\s*[)）](?:\s*之?\s*[①-⑳])?|[①-⑳]"
RE_SCOPE = re.compile(
    r"(?:核查|对|就|针对|关于)[^。;；,，(（①-⑳:：]{0,12}?"
    r"((?:第\s*)?(?:" + REF_ITEM + r")(?:\s*(?:[、和及与]|[-－—~～至到])?\s*(?:第\s*)?(?:" + REF_ITEM + r"))*)"
)


def _verification(sentence: str, section: str | None) -> Verification:
    parties = _parties(sentence)
    scope = "全部"
    # scope: the first (n)/①-style reference after the party names, introduced by 核查/对/就
    first_party = re.search(PARTY_WORDS, sentence)
    after = sentence[first_party.end() :] if first_party else sentence
    sm = RE_SCOPE.search(after)
    if sm and sm.start() <= 40:
        scope = _norm_scope(sm.group(1))
    demands = []
    for name, rx in DEMAND_WORDS:
        if re.search(rx, sentence) and name not in demands:
            demands.append(name)
    if demands == ["核查结论"] and not re.search(r"核查结论|说明", sentence):
        demands = []
    rules = [r.group(0).replace(" ", "") for r in RE_RULE.finditer(sentence) if not re.match(r"《(?:关于|招股)", r.group(0)) or "问题" in r.group(0) or "第" in r.group(0)]
    rules = [r for r in rules if not r.startswith("《招股说明书")]
    return Verification(
        text=sentence,
        parties=parties,
        scope=scope,
        demands=demands,
        workpapers="工作底稿" in sentence or "底稿" in sentence,
        rules=rules,
        section=section,
    )


def _norm_scope(s: str) -> str:
    s = s.replace("（", "(").replace("）", ")").replace(" ", "").translate(FULLWIDTH_DIGITS)
    s = re.sub(r"[－—~～至到]", "-", s)
    s = re.sub(r"[、和及与]", "", s)
    s = s[0] + s[1:].replace("第", "") if s else s
    return s


def _merge_verifications(vs: list[Verification]) -> list[Verification]:
    """`请保荐人…发表意见,另请保荐人…说明核查方法…`: same parties and scope make one ask."""
    out: list[Verification] = []
    for v in vs:
        prev = out[-1] if out else None
        if prev is not None and (not v.parties or (v.parties == prev.parties and v.scope == prev.scope and not v.workpapers)):
            prev.text = prev.text + v.text
            prev.demands += [d for d in v.demands if d not in prev.demands]
            prev.rules += [r for r in v.rules if r not in prev.rules]
            prev.workpapers = prev.workpapers or v.workpapers
            continue
        out.append(v)
    return out


def _resolve_scope(v: Verification, q: Question) -> None:
    all_ids = [r.id for r in q.requests if r.parent is None]
    section_ids = {s.label: list(s.request_ids) for s in q.sections}
    if v.scope == "全部":
        if v.section and v.section in section_ids:
            v.scope_ids = section_ids[v.section]
        else:
            v.scope_ids = all_ids
        return
    scope = v.scope.lstrip("第")
    tokens = _scope_tokens(scope)
    ids: list[str] = []
    top = [r for r in q.requests if r.parent is None]
    for num, circ in tokens:
        found: list[str] = []
        if num is not None and circ is not None:
            label = f"({num})"
            found = [r.id for r in q.requests if r.section == label and r.label == circ]
            if not found:
                parents = [r.id for r in top if r.label == label and (v.section is None or r.section == v.section)]
                found = [r.id for r in q.requests if r.parent in parents and r.label == circ]
        elif num is not None:
            label = f"({num})"
            if q.sections and v.section is None and label in section_ids:
                found = section_ids[label]
            else:
                found = [r.id for r in top if r.label == label and (v.section is None or r.section == v.section)]
                if not found and label in section_ids:
                    found = section_ids[label]
        elif circ is not None:
            found = [r.id for r in top if r.label == circ and (v.section is None or r.section == v.section)]
            if not found:
                found = [r.id for r in q.requests if r.label == circ]
        ids.extend(x for x in found if x not in ids)
    v.scope_ids = ids


def _scope_tokens(scope: str) -> list[tuple[int | None, str | None]]:
    """`(2)-(4)` -> [(2,None),(3,None),(4,None)]; `(2)之②` -> [(2,'②')]; `②-④` -> circled 2..4."""
    items = list(re.finditer(r"\((\d+)\)(?:之?([①-⑳]))?|([①-⑳])", scope))
    out: list[tuple[int | None, str | None]] = []
    for k, m in enumerate(items):
        num = int(m.group(1)) if m.group(1) else None
        circ = m.group(2) or m.group(3)
        is_range_end = k > 0 and scope[items[k - 1].end() : m.start()].strip() == "-"
        if is_range_end and out:
            pn, pc = out[-1]
            if num is not None and pn is not None and circ is None and pc is None and num > pn:
                out.extend((n, None) for n in range(pn + 1, num + 1))
                continue
            if num is None and pn is None and circ and pc:
                a, b = CIRCLED.index(pc), CIRCLED.index(circ)
                out.extend((None, CIRCLED[x]) for x in range(a + 1, b + 1))
                continue
        out.append((num, circ))
    return out


# --- metadata --------------------------------------------------------------------------------------------

EXCHANGES = [
    ("深圳证券交易所", r"深圳证券交易所|深交所"),
    ("上海证券交易所", r"上海证券交易所|上交所"),
    ("北京证券交易所", r"北京证券交易所|北交所"),
    ("中国证监会", r"中国证券监督管理委员会|中国证监会"),
]
KINDS = [
    ("向不特定对象发行可转换公司债券", r"向不特定对象发行可转换公司债券|向不特定对象发行可转债"),
    ("向特定对象发行股票", r"向特定对象发行(?:A股)?股票"),
    ("向特定对象发行可转换公司债券", r"向特定对象发行可转换公司债券"),
    ("公开发行可转换公司债券", r"公开发行可转换公司债券"),
    ("非公开发行股票", r"非公开发行(?:A股)?股票"),
    ("发行股份购买资产", r"发行股份(?:及支付现金)?购买资产"),
    ("重大资产重组", r"重大资产重组|重组"),
    ("首次公开发行股票", r"首次公开发行"),
    ("向不特定合格投资者公开发行股票", r"向不特定合格投资者公开发行股票"),
    ("公开发行股票", r"公开发行股票并在(?:北交所|北京证券交易所|精选层)"),
]


def _meta(paras: list[str], headings: list[_Heading], kind: str) -> LetterMeta:
    top_end = headings[0].idx if headings else min(len(paras), 40)
    top = paras[:top_end]
    top_text = "\n".join(top)
    meta = LetterMeta()
    # the letter's title: 《关于…问询函》 quoted in a reply's opening, or a title line (possibly split)
    title = None
    m = re.search(r"《(关于[^《》]{4,120}?(?:问询函|反馈意见|意见函|落实函|审核意见)[^《》]{0,10})》", top_text)
    if m:
        title = m.group(1)
    else:
        joined = "".join(p for p in top[:15] if len(p) < 80)
        m = re.search(r"(关于[^:：。]{4,120}?(?:问询函|反馈意见|意见函|落实函|审核意见|问询问题))(?!的回复)", joined)
        if m:
            title = m.group(1)
    meta.title = title
    if title:
        im = re.search(r"关于(.+?(?:股份有限公司|有限责任公司|有限公司|集团公司|公司))", title)
        if im:
            meta.issuer = im.group(1)
    if not meta.issuer:
        im = re.search(r"([\u4e00-\u9fff（）()]{2,40}?(?:股份有限公司|有限责任公司))", top_text)
        if im:
            meta.issuer = im.group(1)
    scope_text = (title or "") + "\n" + top_text
    for name, rx in EXCHANGES:
        if re.search(r"^\s*(?:" + rx + r")\s*[:：]\s*$", top_text, re.M) or (title and re.search(rx, title)):
            meta.exchange = name
            break
    if not meta.exchange:
        for name, rx in EXCHANGES:
            if re.search(rx, top_text):
                meta.exchange = name
                break
    if not meta.exchange:
        if re.search(r"创业板", scope_text):
            meta.exchange = "深圳证券交易所"
        elif re.search(r"科创板", scope_text):
            meta.exchange = "上海证券交易所"
    board = None
    if re.search(r"创业板", scope_text):
        board = "创业板"
    elif re.search(r"科创板", scope_text):
        board = "科创板"
    elif re.search(r"北交所|北京证券交易所|精选层", scope_text):
        board = "北交所"
    elif re.search(r"主板", scope_text):
        board = "主板"
    meta.board = board
    for name, rx in KINDS:
        if re.search(rx, title or "") or (not title and re.search(rx, top_text)):
            meta.offering_kind = name
            break
    rt = title or top_text[:400]
    if re.search(r"落实函|意见落实", rt):
        meta.round = "落实函"
    elif re.search(r"第三轮|三轮", rt):
        meta.round = "第三轮"
    elif re.search(r"第二轮|二轮|二次反馈", rt):
        meta.round = "第二轮"
    elif title or re.search(r"首轮|问询函|反馈意见", top_text):
        meta.round = "首轮"
    nm = re.search(r"([\u4e00-\u9fff()（）]{0,16}[〔［\[（(﹝【]\s*\d{4}\s*[〕］\]）)﹞】]\s*\d{1,8}\s*号)", top_text)
    if nm:
        meta.number = re.sub(r"^[(（]+", "", nm.group(1).strip())
    dm = re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:出具|下发|发出|印发|签发|发来|发布)", top_text)
    if not dm:
        dm = re.search(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$", top_text, re.M)
    if not dm and kind == "letter":
        for p in reversed(paras[-12:]):
            dm = re.match(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$", p)
            if dm:
                break
    if dm:
        meta.date = f"{int(dm.group(1)):04d}-{int(dm.group(2)):02d}-{int(dm.group(3)):02d}"
    if kind == "letter":
        for p in top:
            am = re.match(r"^\s*([\u4e00-\u9fff（）()、]{2,80}?)\s*[:：]\s*$", p)
            if am and not re.search(r"问询|显示|如下|目录|说明", am.group(1)):
                meta.addressee = am.group(1)
                break
    return meta
