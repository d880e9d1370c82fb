"""Split the reply to one question into its parts.

`split_reply(question) -> ReplyParts` reads `Question.reply` (the text after 回复: / 【回复】, as the
parser found it in a reply document) against the question's requests and verification asks:

- the answer under each request's subheading, keyed by request id. Replies use `一、`, `(一)`,
  `1、`, `(1)`, `①` subheadings that repeat or paraphrase the request; they are matched to the
  requests by fuzzy similarity (rapidfuzz) and letter order (a monotone alignment), so a subheading
  may cover two requests, and one request may run over several subheadings;
- the 核查程序 and 核查意见 blocks, which parties each names (`保荐人、申报会计师履行了以下核查程序`,
  `经核查,保荐机构认为`) and what each covers (`针对问题(2)…`, `上述事项一核查情况`, or where it sits);
- prospectus amendments (`…补充披露如下:`) and placeholders left in the text (drafter's own
  `【待补充:…】`, `【待…】`, `XX`, `[●]` …).

Offsets (`start`, `end`) are character positions in `Question.reply`.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, Field
from rapidfuzz import fuzz

from ..models import Question, Request
from .patterns import PARTY_KINDS
from .patterns import PARTY_WORDS as _PARSER_PARTY_WORDS
from .verify import party_kind as _party_kind

# ---------------------------------------------------------------------------------------------
# models


class Heading(BaseModel):
    rank: int  # 1 一、  2 (一)  3 1、  4 (1)  5 ①
    label: str  # as printed: "(三)"
    ordinal: int  # 3
    text: str  # the heading's words after the label (continuation lines joined when cut by a page)
    first: str = ""  # the words on the heading's own line
    start: int
    end: int  # end of the heading's own line(s)
    verification: bool = False  # a 核查 heading, or nested under one


class Answer(BaseModel):
    request_id: str
    label: str  # the request's label, "(3)", "②", ""
    heading: str | None = None  # the matched subheading (label + words), None when unanswered
    heading_start: int | None = None
    score: float = 0.0  # similarity of subheading and request, 0-100
    shared_with: list[str] = Field(default_factory=list)  # other requests answered under the same subheading
    start: int = 0
    end: int = 0
    text: str = ""

    @property
    def answered(self) -> bool:
        return self.heading is not None


class CheckBlock(BaseModel):
    kind: Literal["procedures", "opinion"]
    parties: list[str]  # as printed: 保荐人 / 保荐机构 / 申报会计师 / 发行人律师 / 律师 / 中介机构
    party_keys: list[str]  # canonical: sponsor / auditor / lawyer
    scope: str = "全部"  # "全部" or a description: "(2)", "第(2)之②", "事项一", "一、关于X"
    scope_ids: list[str] = Field(default_factory=list)  # request ids covered
    lead: str  # the sentence or heading that opens the block
    start: int
    end: int
    text: str = ""  # the block's text (reply[start:end])


class Amendment(BaseModel):
    lead: str  # 已在招股说明书"第六节…"中补充披露如下:
    location: str | None = None  # 第六节 财务会计信息与管理层分析·十·(一)…
    start: int
    request_ids: list[str] = Field(default_factory=list)


class Placeholder(BaseModel):
    text: str
    start: int
    context: str
    request_id: str | None = None


class ReplyParts(BaseModel):
    question: int
    answers: dict[str, Answer] = Field(default_factory=dict)  # request id -> answer, letter order
    procedures: list[CheckBlock] = Field(default_factory=list)
    opinions: list[CheckBlock] = Field(default_factory=list)
    amendments: list[Amendment] = Field(default_factory=list)
    placeholders: list[Placeholder] = Field(default_factory=list)
    headings: list[Heading] = Field(default_factory=list)
    verification_text: str = ""  # the reply's verification parts joined (for extra demands)
    flat: bool = False  # several requests answered in prose without subheadings: not checked one by one

    @property
    def unanswered(self) -> list[str]:
        return [rid for rid, a in self.answers.items() if not a.answered]

    def parties_with(self, kind: str) -> set[str]:
        blocks = self.procedures if kind == "procedures" else self.opinions
        return {k for b in blocks for k in b.party_keys}


# ---------------------------------------------------------------------------------------------
# text helpers

CN_NUM = "零一二三四五六七八九十"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
PAGE_NOISE = re.compile(r"^\s*(?:\d{1,3}-){1,3}\d{1,4}\s*$|^\s*第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?\s*$")

_HEADS = [
    (1, re.compile(r"^([一二三四五六七八九十]{1,3})、\s*(.*)$")),
    (2, re.compile(r"^[\(（]([一二三四五六七八九十]{1,3})[\)）]\s*(.*)$")),
    (3, re.compile(r"^(\d{1,2})(?:、|\.(?!\d))\s*(.*)$")),
    (4, re.compile(r"^[\(（](\d{1,2})[\)）]\s*(.*)$")),
    (5, re.compile(r"^([①-⑳])\s*(.*)$")),
]


_CIRCLED_RE = re.compile("[①-⑳]")


def nfkc(text: str) -> str:
    """NFKC (full-width to half-width) that keeps circled numbers ①②③ as they are."""
    if not _CIRCLED_RE.search(text):
        return unicodedata.normalize("NFKC", text)
    return "".join(c if c in CIRCLED else unicodedata.normalize("NFKC", c) for c in text)


def cn_to_int(s: str) -> int:
    if s in CIRCLED:
        return CIRCLED.index(s) + 1
    if s.isascii() and s.isdigit():
        return int(s)
    if s in CIRCLED:
        return CIRCLED.index(s) + 1
    if len(s) == 1:
        return CN_NUM.index(s) if s in CN_NUM else 0
    if s.startswith("十"):
        return 10 + (CN_NUM.index(s[1]) if len(s) > 1 else 0)
    if len(s) == 2 and s[1] == "十":
        return CN_NUM.index(s[0]) * 10
    if len(s) == 3 and s[1] == "十":
        return CN_NUM.index(s[0]) * 10 + CN_NUM.index(s[2])
    return 0


_PUNCT_STRIP = re.compile(r"[\s\u3000,，.。;；:：、!！?？\"“”'‘’()（）\[\]【】《》<>〈〉·…—\-_/]+")


@lru_cache(maxsize=20000)
def norm(text: str) -> str:
    """Text for comparison: full-width folded to half-width, whitespace and punctuation removed."""
    t = unicodedata.normalize("NFKC", text)
    return _PUNCT_STRIP.sub("", t)


def _label_ordinal(label: str) -> int:
    m = re.search(r"(\d{1,2}|[①-⑳]|[一二三四五六七八九十]{1,3})", label or "")
    return cn_to_int(m.group(1)) if m else 0


class _Line(BaseModel):
    text: str  # stripped
    start: int
    end: int


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        s = raw.strip()
        if s and not PAGE_NOISE.match(s):
            lead = len(raw) - len(raw.lstrip())
            out.append(_Line(text=s, start=pos + lead, end=pos + lead + len(s)))
        pos += len(raw)
    return out


# ---------------------------------------------------------------------------------------------
# parties

# One vocabulary for the letter and the reply: the parser's party words and kinds
# (保荐人/保荐机构 -> sponsor, 会计师/年审会计师 -> auditor, 申请人律师 -> lawyer, 独立财务顾问 ->
# financial_advisor, 评估师/评估机构 -> appraiser …), so a party the letter names is looked for under
# the same kind in the reply whatever words each uses.
_PARTY_RE = re.compile(_PARSER_PARTY_WORDS)
ALL_KEYS = [k for k, _ in PARTY_KINDS if k != "intermediaries"]


def party_key(name: str) -> str | None:
    kind = _party_kind(unicodedata.normalize("NFKC", name))
    return None if kind == "other" else kind


def find_parties(text: str) -> list[str]:
    t = unicodedata.normalize("NFKC", text)
    seen: list[str] = []
    for m in _PARTY_RE.finditer(t):
        if m.group(0) not in seen:
            seen.append(m.group(0))
    return seen


def workpapers_only(v) -> bool:
    """A verification ask that only asks for 工作底稿 (提供…核查工作底稿): no opinion is due in the reply."""
    t = v.text or ""
    return bool(getattr(v, "workpapers", False)) and "意见" not in t and not re.search(r"核查(?!事项|工作底稿|底稿|的?相关工作底稿)", t)


def keys_of(parties: list[str]) -> list[str]:
    keys: list[str] = []
    for p in parties:
        ks = ALL_KEYS if party_key(p) == "intermediaries" else [party_key(p)]
        for k in ks:
            if k and k not in keys:
                keys.append(k)
    return keys


# ---------------------------------------------------------------------------------------------
# headings

VERIF_HEAD = re.compile(
    r"核查程序|核查意见|核查情况|核查过程|核查结论|核查方法|核查方式|中介机构|请保荐|请申报会计师|请发行人律师|请律师|"
    r"发表明确意见|发表意见|(?:保荐人|保荐机构|会计师|律师).{0,12}核查"
)


_GENERIC_HEAD = re.compile(r"^(?:发行人|公司)?(?:情况)?说明$|^(?:发行人|公司)(?:的)?(?:回复|说明|情况说明)$|^回复$")


def find_headings(text: str, lines: list[_Line] | None = None) -> list[Heading]:
    lines = lines if lines is not None else _lines(text)
    heads: list[Heading] = []
    for i, ln in enumerate(lines):
        t = nfkc(ln.text) if ln.text[:1] in "（(" else ln.text
        for rank, rx in _HEADS:
            m = rx.match(t)
            if not m:
                continue
            words = m.group(2)
            end = ln.end
            # a long heading cut by a page or line break: join the next line when the words run on
            if len(words) >= 20 and not re.search(r"[。;；:：?？!！]$", words):
                for nxt in lines[i + 1:i + 3]:
                    if any(r.match(nxt.text) for _, r in _HEADS) or len(words) > 400:
                        break
                    words += nxt.text
                    end = nxt.end
                    if re.search(r"[。;；:：?？!！]$", nxt.text):
                        break
            label = t[: len(t) - len(m.group(2))].strip() if m.group(2) else t
            heads.append(Heading(rank=rank, label=label, ordinal=cn_to_int(m.group(1)), text=words,
                                 first=m.group(2), start=ln.start, end=end))
            break
    # verification headings and everything nested under them
    for i, h in enumerate(heads):
        if VERIF_HEAD.search(h.text[:60]) and not _looks_like_request_repeat(h.text):
            h.verification = True
            for g in heads[i + 1:]:
                if g.rank <= h.rank:
                    break
                g.verification = True
    return heads


def _looks_like_request_repeat(words: str) -> bool:
    # `(三)说明…是否…` subheadings that repeat a request which itself mentions 核查 are answers, not checks
    return bool(re.match(r"(?:说明|结合|分析|列示|补充披露|披露)", words)) and "核查程序" not in words and "核查意见" not in words


# ---------------------------------------------------------------------------------------------
# request <-> subheading alignment

MATCH_MIN = 62.0  # similarity a subheading needs to answer a request on its own
ORDINAL_MIN = 40.0  # ... when its label's number is the request's number at the answer level


def similarity(heading: str, request: str) -> float:
    """How well a subheading repeats or paraphrases a request (0-100).

    The shorter text is slid along the longer (partial ratio); a very short subheading earns at most
    in proportion to its length, so `1、同行业可比公司` cannot claim a long request by itself.
    """
    h, r = norm(heading), norm(request)
    if not h or not r:
        return 0.0
    h_cut = h[:160]
    s = fuzz.partial_ratio(h_cut, r) if len(h_cut) <= len(r) else fuzz.partial_ratio(r[:160], h)
    need = min(18, len(r))
    if len(h_cut) < need:
        s *= len(h_cut) / need
    return float(s)


def head_similarity(h: Heading, request: str) -> float:
    s = similarity(h.text, request)
    if h.first and h.first != h.text:
        s = max(s, similarity(h.first, request))
    return s


def _answer_rank(S: list[list[float]], heads: list[Heading], ordinals: list[int] | None = None) -> int:
    """The heading level the answers sit at.

    The level whose subheadings repeat the most requests under the request's own number ((二) for
    request (2)), then the one that covers the most requests at all, then the shallowest.
    """
    cover: dict[int, set[int]] = {}
    in_order: dict[int, set[int]] = {}
    for i, row in enumerate(S):
        for j, s in enumerate(row):
            if s >= MATCH_MIN:
                cover.setdefault(heads[j].rank, set()).add(i)
                if ordinals and ordinals[i] and heads[j].ordinal == ordinals[i]:
                    in_order.setdefault(heads[j].rank, set()).add(i)
    if not cover:
        return 2
    return max(cover, key=lambda k: (len(in_order.get(k, ())), len(cover[k]), -k))


def _align(reqs: list[Request], heads: list[Heading], titles: dict[str, str]) -> list[tuple[int | None, float]]:
    """Monotone alignment: requests in letter order to subheadings in reply order (one may share)."""
    n, m = len(reqs), len(heads)
    if not n or not m:
        return [(None, 0.0)] * n
    # the level the answers sit at: the rank whose headings best match the requests
    S = [[head_similarity(h, r.text) for h in heads] for r in reqs]
    # a section whose requests no subheading repeats may be answered under a heading echoing its title
    # (only then: when one request of a section lost its answer, the others' section heading is not it)
    section_matched = {r.section for i, r in enumerate(reqs) if max(S[i], default=0) >= MATCH_MIN}
    for i, r in enumerate(reqs):
        title = titles.get(r.section or "")
        if title and r.section not in section_matched:
            for j, h in enumerate(heads):
                if h.rank == 1:
                    S[i][j] = max(S[i][j], 0.9 * similarity(h.text, title))
    answer_rank = _answer_rank(S, heads, [_label_ordinal(r.label) for r in reqs])
    # ordinal bonus: request number k within its numbering <-> k-th subheading at the answer level
    G = [[0.0] * m for _ in range(n)]
    for i, r in enumerate(reqs):
        k = _label_ordinal(r.label) or (1 if n == 1 else 0)
        for j, h in enumerate(heads):
            s = S[i][j]
            ok = s >= MATCH_MIN or (h.rank == answer_rank and k and h.ordinal == k and s >= ORDINAL_MIN)
            if ok:
                bonus = 8.0 if (h.rank == answer_rank and k and h.ordinal == k) else 0.0
                bonus += 4.0 if h.rank == answer_rank else 0.0
                G[i][j] = s - ORDINAL_MIN + bonus
    # DP over (request i, last heading j): best[i][j] = best gain with request i assigned to <= j
    NEG = float("-inf")
    best = [[NEG] * (m + 1) for _ in range(n + 1)]
    choice: list[list[tuple[int, int | None]]] = [[(0, None)] * (m + 1) for _ in range(n + 1)]
    for j in range(m + 1):
        best[0][j] = 0.0
    for i in range(1, n + 1):
        for j in range(m + 1):  # j = 0 means "no heading used yet"
            # leave request i-1 unanswered
            cand = best[i - 1][j]
            ch: tuple[int, int | None] = (j, None)
            if j > 0 and G[i - 1][j - 1] > 0:
                # request i-1 answered by heading j-1; previous requests used headings <= j-1 (sharing allowed)
                v = best[i - 1][j] + G[i - 1][j - 1]
                if v > cand:
                    cand, ch = v, (j, j - 1)
            if j > 0 and best[i][j - 1] > cand:
                cand, ch = best[i][j - 1], (j - 1, -1)
            best[i][j] = cand
            choice[i][j] = ch
    # backtrack
    out: list[tuple[int | None, float]] = [(None, 0.0)] * n
    i, j = n, m
    while i > 0:
        pj, used = choice[i][j]
        if used == -1:
            j = pj
            continue
        if used is not None:
            out[i - 1] = (used, S[i - 1][used])
        i -= 1
        j = pj
    # numbered alike: when the answer-level subheadings are exactly (一)…(n) for requests (1)…(n), a
    # subheading that paraphrases its request beyond recognition still answers it
    if any(j is None for j, _ in out):
        level = [k for k, h in enumerate(heads) if h.rank == answer_rank]
        ords = [_label_ordinal(r.label) for r in reqs]
        if (len(level) == n and [heads[k].ordinal for k in level] == list(range(1, n + 1))
                and ords == list(range(1, n + 1))):
            used = {j for j, _ in out if j is not None}
            for i, (j, _s) in enumerate(out):
                k = level[i]
                if j is None and k not in used and all(out[x][0] is None or out[x][0] <= k for x in range(i)) \
                        and all(out[x][0] is None or out[x][0] >= k for x in range(i + 1, n)):
                    out[i] = (k, S[i][k])
                    used.add(k)
    # a request matched by a minor subheading (1、…) inside an answer-level one ((一)…) takes the latter
    taken = {j for j, _ in out if j is not None}
    for i, (j, s) in enumerate(out):
        if j is None or heads[j].rank <= answer_rank:
            continue
        enc = None
        for k in range(j - 1, -1, -1):
            if heads[k].rank < answer_rank:
                break
            if heads[k].rank == answer_rank:
                enc = k
                break
        if enc is None:
            continue
        others = [x for x, (jj, _) in enumerate(out) if jj == enc and x != i]
        if others:
            # the minor subheading sits inside another request's answer: it is part of that answer,
            # unless the answer-level heading itself covers this request too
            out[i] = (enc, S[i][enc]) if S[i][enc] >= MATCH_MIN else (None, 0.0)
            continue
        prev_ok = all(out[x][0] is None or out[x][0] <= enc for x in range(i))
        if prev_ok and (S[i][enc] >= ORDINAL_MIN or heads[enc].ordinal == _label_ordinal(reqs[i].label)):
            out[i] = (enc, max(s, S[i][enc]))
    # a request answered over several subheadings at one level ((一)(二)(三) for one request): start at the first
    taken = {j for j, _ in out if j is not None}
    for i, (j, s) in enumerate(out):
        if j is None:
            continue
        first = j
        for k in range(j - 1, -1, -1):
            if heads[k].rank < heads[j].rank or k in taken:
                break
            if heads[k].rank == heads[j].rank:
                if S[i][k] < MATCH_MIN:
                    break
                first = k
        if first != j:
            out[i] = (first, s)
            taken.add(first)
    return out


# ---------------------------------------------------------------------------------------------
# verification blocks

PROC_LEAD = re.compile(r"(?:履行|执行|实施|采取|采用|进行|开展)了?(?:以下|如下|下列|主要|的|如下主要|以下主要)*(?:核查程序|核查工作|核查手段|程序)|核查程序如下|核查过程如下")
OPIN_LEAD = re.compile(r"经(?:核查|核实|查验|复核)[,，、]?\s*(?P<p>[^。:：]{0,40}?)(?:均|一致)?(?:认为|确认|发表意见如下)|^(?P<q>(?:(?:保荐人|保荐机构|申报会计师|会计师|发行人律师|律师|中介机构)[、和及与,，]*)+)(?:均|一致)?认为[:：]")
_LEAD_HINT = re.compile(r"程序|认为|确认|意见如下")
SCOPE_REF = re.compile(
    r"(?:问题|上述|第)?\s*(?P<refs>[\(（]\d{1,2}[\)）](?:\s*(?:之|-|~|～|至|、|和|及|与)\s*(?:[①-⑳]|[\(（]\d{1,2}[\)）]))*)\s*(?:项|事项|问题|所述)?"
)
SCOPE_ITEM = re.compile(r"(?:上述|前述)?事项([一二三四五六七八九十]{1,3})")


def _scope_from_text(text: str, q: Question) -> list[str] | None:
    """Request ids named by `(2)`, `第(2)之②`, `(2)-(4)`, `(1)(3)` in text; None when none named."""
    t = nfkc(text)
    ids: list[str] = []
    for m in SCOPE_REF.finditer(t):
        refs = m.group("refs")
        nums = [int(x) for x in re.findall(r"\((\d{1,2})\)", refs)]
        if re.search(r"\)\s*(?:-|~|～|至)\s*\(", refs) and len(nums) == 2:
            nums = list(range(nums[0], nums[1] + 1))
        circ = re.findall(r"[①-⑳]", refs)
        for k in nums:
            ids += _ids_for(q, k, [CIRCLED.index(c) + 1 for c in circ] if len(nums) == 1 else [])
    return ids or None


def _ids_for(q: Question, k: int, subs: list[int]) -> list[str]:
    """Request ids for `(k)` (a section or a numbered request) and optional `之②` items."""
    sec = next((s for s in q.sections if _label_ordinal(s.label) == k), None)
    if sec is not None:
        reqs = [r for r in q.requests if r.section == sec.label] or [r for r in q.requests if r.id in sec.request_ids]
        if subs:
            reqs = [r for r in reqs if _label_ordinal(r.label) in subs] or reqs
        return [r.id for r in reqs]
    top = [r for r in q.requests if _label_ordinal(r.label) == k and not r.parent]
    out = [r.id for r in top]
    for r in q.requests:
        if r.parent and r.parent in out:
            if not subs or _label_ordinal(r.label) in subs:
                out.append(r.id)
    return out


# ---------------------------------------------------------------------------------------------
# amendments and placeholders

AMEND_RE = re.compile(r"(?:补充披露|披露|修改|修订|补充|更新|风险提示)[^。\n]{0,30}?(?:如下|内容如下)[:：]?")
AMEND_DONE = re.compile(r"已在(?:本次)?(?:招股说明书|募集说明书|重组报告书)[^。\n]{0,200}?(?:补充披露|披露|修改|修订|补充)")
LOCATION_RE = re.compile(r"[“\"]([^”\"]{2,120})[”\"]")

PLACEHOLDER_RES = [
    re.compile(r"【待[^】\n]{0,200}】"),  # drafter's own 【待补充:…】, 【待确认】
    # a bracketed blank named for what goes there: 【保荐人住所】, 【问询函日期】, 【第X节】 (not 【已申请豁免披露】)
    re.compile(r"【(?![^】\n]*豁免)(?!回复】)[^】\n]{0,30}(?:住所|地址|日期|时间|名称|全称|金额|比例|数据|姓名|签字|填写|补充|确认|核实|X)[^】\n]{0,12}】"),
    re.compile(r"〔待[^〕\n]{0,200}〕|\[待[^\]\n]{0,200}\]"),
    re.compile(r"【\s*[●•○]+\s*】|\[\s*[●•○]+\s*\]|[●]{1,}"),
    re.compile(r"(?<![A-Za-z])(?:XX|xx|ＸＸ)+(?![A-Za-z])"),
    re.compile(r"_{3,}|＿{2,}"),
    re.compile(r"(?<![A-Za-z])(?:TODO|TBD|FIXME)(?![A-Za-z])"),
    re.compile(r"(?:此处|本段)?待(?:补充|填写|更新|确认|核实)(?:数据|内容|信息)?"),
]


def find_placeholders(text: str) -> list[tuple[int, str]]:
    hits: list[tuple[int, int, str]] = []
    for rx in PLACEHOLDER_RES:
        for m in rx.finditer(text):
            a, b = m.span()
            if any(a < e and b > s for s, e, _ in hits):
                continue
            hits.append((a, b, m.group(0)))
    return [(a, t) for a, _, t in sorted(hits)]


def _context(text: str, a: int, b: int, width: int = 30) -> str:
    return re.sub(r"\s+", " ", text[max(0, a - width): b + width]).strip()


# ---------------------------------------------------------------------------------------------
# the split


SIGNATURE_RE = re.compile(r"^\s*[\(（]本页无正文|^\s*保荐(?:人|机构)(?:\(主承销商\)|（主承销商）)?(?:董事长|总经理|法定代表人)声明", re.M)


def signature_start(text: str) -> int:
    """Where the signature pages begin (the end of the text when there are none)."""
    m = SIGNATURE_RE.search(text)
    return m.start() if m else len(text)


def split_reply(question: Question) -> ReplyParts:
    """The parts of the reply to `question` (see the module docstring)."""
    text = question.reply or ""
    text = text[: signature_start(text)]  # signature pages after the last answer are not the answer
    parts = ReplyParts(question=question.number)
    lines = _lines(text)
    heads = find_headings(text, lines)
    parts.headings = heads
    reqs = list(question.requests)
    titles = {s.label: s.title for s in question.sections}

    # ---- answers
    cands = [h for h in heads if not h.verification]
    verif_spans = _verification_spans(heads, len(text))
    aligned = _align(reqs, cands, titles)
    starts_taken = sorted({cands[j].start for j, _ in aligned if j is not None})
    for r, (j, score) in zip(reqs, aligned):
        a = Answer(request_id=r.id, label=r.label)
        if j is not None:
            h = cands[j]
            a.heading = f"{h.label}{h.text}"[:300]
            a.heading_start = h.start
            a.score = round(score, 1)
            a.start = h.start
            later = [s for s in starts_taken if s > h.start]
            a.end = _answer_end(h, heads, later[0] if later else None, verif_spans, len(text))
            a.text = text[a.start:a.end]
            if not _has_body(a.text):  # a subheading with nothing under it answers nothing
                a.heading = None
                a.heading_start = None
                a.score = 0.0
        parts.answers[r.id] = a
    # an answer written as plain prose, without subheadings: it answers the question as a whole
    issuer_end = verif_spans[0][0] if verif_spans else len(text)
    subheads = [h for h in cands if h.start < issuer_end and (h.rank > 1 or not _GENERIC_HEAD.search(h.text))]
    if reqs and not any(a.answered for a in parts.answers.values()) and not subheads:
        body = text[:issuer_end]
        if _has_body(body, minimum=10):
            parts.flat = len(reqs) > 1
            for a in parts.answers.values():
                a.heading, a.start, a.end, a.text = "", 0, issuer_end, body
    by_head: dict[int, list[str]] = {}
    for a in parts.answers.values():
        if a.heading_start is not None:
            by_head.setdefault(a.heading_start, []).append(a.request_id)
    for a in parts.answers.values():
        if a.heading_start is not None:
            a.shared_with = [x for x in by_head[a.heading_start] if x != a.request_id]

    # ---- verification blocks
    _find_blocks(question, text, lines, heads, parts)
    parts.verification_text = "\n".join(text[s:e] for s, e in verif_spans)

    # ---- amendments
    seen: set[int] = set()
    for rx in (AMEND_RE, AMEND_DONE):
        for m in rx.finditer(text):
            # the whole sentence: back to the previous 。 or line break (at most 200 characters)
            lo = max(text.rfind("。", 0, m.start()), text.rfind("\n", 0, m.start()), m.start() - 200) + 1
            lead = text[lo:m.end()].strip()
            a = lo + (len(text[lo:m.end()]) - len(text[lo:m.end()].lstrip()))
            if a in seen:
                continue
            if "招股说明书" not in lead and "募集说明书" not in lead and "补充披露" not in lead:
                continue
            seen.add(a)
            loc = LOCATION_RE.search(lead)
            parts.amendments.append(Amendment(lead=lead, location=loc.group(1) if loc else None, start=a,
                                              request_ids=_requests_at(parts, a)))
    parts.amendments.sort(key=lambda x: x.start)

    # ---- placeholders
    for a, t in find_placeholders(text):
        rid = _requests_at(parts, a)
        parts.placeholders.append(Placeholder(text=t, start=a, context=_context(text, a, a + len(t)),
                                              request_id=rid[0] if rid else None))
    return parts


def _has_body(answer: str, minimum: int = 2) -> bool:
    """Whether an answer holds more than subheadings: some line that is not a heading."""
    n = 0
    for ln in _lines(answer):
        if any(rx.match(ln.text) for _, rx in _HEADS) and len(ln.text) < 200:
            continue
        n += len(ln.text)
        if n >= minimum:
            return True
    return False


def _verification_spans(heads: list[Heading], n: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for i, h in enumerate(heads):
        if not h.verification or (i and heads[i - 1].verification and heads[i - 1].rank < h.rank):
            continue
        end = n
        for g in heads[i + 1:]:
            if g.rank <= h.rank and not g.verification:
                end = g.start
                break
        if spans and spans[-1][1] >= h.start:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((h.start, end))
    return spans


def _answer_end(h: Heading, heads: list[Heading], next_taken: int | None, verif: list[tuple[int, int]], n: int) -> int:
    end = n
    if next_taken is not None:
        end = next_taken
    for g in heads:
        if g.start > h.start and g.rank < h.rank:  # a higher-level heading closes the answer
            end = min(end, g.start)
            break
    for s, _e in verif:
        if s > h.start:
            end = min(end, s)
            break
    return end


def _requests_at(parts: ReplyParts, pos: int) -> list[str]:
    hits = [a.request_id for a in parts.answers.values() if a.heading_start is not None and a.start <= pos < a.end]
    return hits


def _enclosing(heads: list[Heading], pos: int) -> list[Heading]:
    """Headings enclosing position pos, outermost first."""
    chain: list[Heading] = []
    for h in heads:
        if h.start > pos:
            break
        while chain and chain[-1].rank >= h.rank:
            chain.pop()
        chain.append(h)
    return chain


def _find_blocks(q: Question, text: str, lines: list[_Line], heads: list[Heading], parts: ReplyParts) -> None:
    all_ids = [r.id for r in q.requests]
    leads: list[tuple[str, int, str, list[str]]] = []  # kind, start, lead, parties
    head_at = {h.start: h for h in heads}
    for ln in lines:
        t = nfkc(ln.text)
        h = head_at.get(ln.start)
        found_here = False
        # sentences: a lead may sit mid-paragraph (为核查…,保荐机构执行了以下核查程序:…)
        for sent in (re.split(r"(?<=[。;])", t) if _LEAD_HINT.search(t) else ()):
            if not sent.strip():
                continue
            off = ln.start + max(0, t.find(sent))
            m = PROC_LEAD.search(sent)
            if m and not (h and h.verification and len(sent) < 12):
                before = sent[: m.start()]
                leads.append(("procedures", off, sent[:200], find_parties(before) or find_parties(sent)))
                found_here = True
                continue
            m = OPIN_LEAD.search(sent)
            if m:
                ptxt = m.group("p") if m.group("p") is not None else (m.group("q") or "")
                leads.append(("opinion", off, sent[:200], find_parties(ptxt)))
                found_here = True
        if h is not None and h.verification and not found_here and len(h.text) <= 24:
            words = h.text
            if re.search(r"核查程序|核查过程|核查方法", words) and not re.search(r"核查意见|结论", words):
                leads.append(("procedures*", ln.start, f"{h.label}{words}"[:200], find_parties(words)))
            elif re.search(r"核查意见|核查结论", words) and "核查程序" not in words:
                leads.append(("opinion*", ln.start, f"{h.label}{words}"[:200], find_parties(words)))
    leads.sort(key=lambda x: x[1])
    # a heading 核查程序 followed by its own lead sentence: keep the sentence (it names the parties)
    merged: list[tuple[str, int, str, list[str]]] = []
    for k, (kind, start, lead, parties) in enumerate(leads):
        if kind.endswith("*"):
            base = kind[:-1]
            nxt = leads[k + 1] if k + 1 < len(leads) else None
            if nxt and nxt[0] == base and nxt[1] - start < 400:
                continue
            kind = base
        merged.append((kind, start, lead, parties))
    for k, (kind, start, lead, parties) in enumerate(merged):
        chain = _enclosing(heads, start)
        # whose: the lead's own names, else the enclosing verification heading's, else the last procedures'
        if not parties:
            for h in reversed(chain):
                ps = find_parties(h.text)
                if ps:
                    parties = ps
                    break
        if not parties:
            prev = [b for b in parts.procedures if b.start < start]
            if prev:
                parties = list(prev[-1].parties)
        end = merged[k + 1][1] if k + 1 < len(merged) else len(text)
        for h in heads:
            if h.start > start and chain and h.rank <= chain[-1].rank and not (h.start == chain[-1].start):
                end = min(end, h.start)
                break
        scope, ids = _block_scope(q, parts, chain, lead, start, all_ids)
        b = CheckBlock(kind=kind, parties=parties, party_keys=keys_of(parties), scope=scope, scope_ids=ids,
                       lead=lead, start=start, end=end, text=text[start:end])
        (parts.procedures if kind == "procedures" else parts.opinions).append(b)


def _block_scope(q: Question, parts: ReplyParts, chain: list[Heading], lead: str, pos: int,
                 all_ids: list[str]) -> tuple[str, list[str]]:
    # 1. named in the lead or an enclosing verification heading: 针对问题(2)… / 上述事项一核查情况
    for src in [lead] + [h.text for h in reversed(chain) if h.verification]:
        ids = _scope_from_text(src, q)
        if ids:
            m = SCOPE_REF.search(nfkc(src))
            return (m.group("refs") if m else "?"), ids
        m = SCOPE_ITEM.search(src)
        if m:
            ids = _ids_under_item(parts, cn_to_int(m.group(1)))
            if ids:
                return f"事项{m.group(1)}", ids
    # 2. where it sits: under a non-verification heading that holds answers -> those requests
    for h in chain:
        if h.verification:
            break
        end = _heading_end(parts.headings, h)
        ids = [a.request_id for a in parts.answers.values()
               if a.heading_start is not None and h.start <= a.heading_start < end]
        if ids and set(ids) != set(all_ids):
            return f"{h.label}{h.text[:20]}", ids
    return "全部", list(all_ids)


def _heading_end(heads: list[Heading], h: Heading) -> int:
    for g in heads:
        if g.start > h.start and g.rank <= h.rank:
            return g.start
    return 10**12


def _ids_under_item(parts: ReplyParts, k: int) -> list[str]:
    tops = [h for h in parts.headings if h.rank == 1 and not h.verification and h.ordinal == k]
    if not tops:
        return []
    h = tops[0]
    end = _heading_end(parts.headings, h)
    return [a.request_id for a in parts.answers.values() if a.heading_start is not None and h.start <= a.heading_start < end]
