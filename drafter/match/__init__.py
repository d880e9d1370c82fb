"""Match a parsed letter to the question bank: ranked topics for every question and every request.

    match_letter(letter, bank=None) -> LetterMatch
    match_text(text, bank=None, title=None) -> list[TopicScore]      (one free-standing request)
    search_topics(bank, text, limit=10) -> [(Topic, score, reason)]  (`drafter bank search`)

How a request is scored (everything precomputed once per bank, see `_Index`):
  * text is normalised first: full-width to half-width, traditional characters to simplified (hanzi.py);
  * keywords: every topic keyword found in the normalised request, weight x (1 + ln count); overlapping
    occurrences both count, one wholly inside another does not (研发费用率 is not also 费用率); a list
    with a shared suffix is spelt out (管理、销售费用率 -> 管理费用率). The request's tails — the
    `是否存在…` checks, `包括…` elaborations and `履行…程序` asks letters append to asks of any topic —
    count W_TAIL when the request's own subject already names a topic;
  * exemplars: the request is cut into clauses; each clause and each exemplar become the sorted set of
    their character bigrams (Chinese has no spaces), minus bigrams common to regulatory prose and the
    subject, party and comparison words of every letter kind (上市公司, 标的资产, 控股股东, 高于同行业). Each bigram
    is one private-use character, so rapidfuzz's `fuzz.ratio` on two such strings is exactly the Dice
    coefficient of the bigram sets (the longest common subsequence of two sorted sets is their
    intersection); `process.extract` runs it in C++ over all exemplars at once. From Dice and the two sizes
    we recover the overlap and score the cosine (Ochiai) of the sets;
  * context: the question's title (题目) and, in later-round letters, the themed section's title (小标题)
    are matched the same way and lend part of their weight to the request (a request whose own words are
    already clear takes only half of it for topics it never mentions);
  * topics restricted to other offerings or boards than the letter's are damped.
A question's topics combine its title (a heading only: a sentence or a group name the reader took for a
title is read as facts), its requests' rankings (the first request's vote counts a little more) and its
background (more when there is no heading); a question naming no topic at all is filed under `other`.
Scores are 0-100 (a squashed sum); the reason names what matched.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from pydantic import BaseModel, Field, ValidationError
from rapidfuzz import fuzz, process

from .bank import Bank, load_bank
from .bank_schema import Topic
from .hanzi import to_simplified
from ..models import Letter, Question

TOP_N = 5  # topics kept per question / request
CATCH_ALL = "other"  # the taxonomy's topic for what fits nowhere else

# weights of the evidence (tuned on the hand-labelled corpus letters; see `drafter bank eval`)
W_KEYWORD = 1.0
W_EXEMPLAR = 9.0
W_TITLE = 2.2  # question title -> request
W_SECTION = 2.8  # themed section title -> request
W_QTITLE = 5.0  # question title -> question
W_QREQ = 4.0  # requests -> question
W_QBACK = 1.0  # background -> question
W_QBACK_UNTITLED = 1.5  # ... when the question has no heading of its own, its facts say what it is about
LEAD_BONUS = 0.1  # the first request's vote for its question counts this much more, the last one's not at all
OWN_CLEAR = 5.0  # a request's own evidence this strong (raw) speaks for itself ...
UNSAID_CTX = 0.5  # ... and takes this share of its titles' weight for topics it does not mention
W_TAIL = 0.5  # keywords in a request's `是否存在…`/`包括…`/`履行…` tails, when its own subject names a topic (0.5-0.7 score alike)
EXEMPLAR_FLOOR = 0.18  # cosine below this is noise
MIN_SHARED = 2  # an exemplar must share at least this many topic bigrams with a clause (3 loses real matches)
OFFERING_DAMP = 0.6
SCALE = 6.0  # score = 100 * (1 - exp(-raw / SCALE))

# bigrams that carry no topic: the boilerplate of every request
_STOP_WORDS = (
    "说明 请发行人 发行人 是否 存在 情况 具体 原因 合理性 合理 报告期 报告期内 各期 结合 分析 进一步 相关 以及 及其 "
    "包括 但不限于 主要 公司 对应 方面 有关 是否符合 如是 如有 请说明 披露 补充披露 补充说明 论证 情形 差异 "
    "变动 变化 影响 充分 充分性 准确 一致 匹配 匹配性 期末 各期末 期间 同时 其中 根据 问询 回复 申请文件 首轮 "
    "招股说明书 核查 明确意见 保荐 保荐人 保荐机构 申报会计师 律师 发表 具有 能否 是否具备 如何 哪些 前述 上述 "
    # the subject and parties of every kind of letter (restructuring, periodic report, refinancing)
    "上市公司 你公司 请你公司 申请人 标的公司 标的资产 独立财务顾问 年审会计师 会计师 评估师 评估机构 "
    # the parties most questions name, whatever they ask about them (keywords still name actual_controller)
    "控股股东 实际控制人 "
    # what every letter asks of any fact
    "可能产生的 产生的 具体 详细 后续 并请 事实 相应 "
    # comparisons any figure is put to (高于同行业, 大幅下降): the figure names the topic, not the comparison
    "显著 明显 高于 低于 同行业 可比公司 较大 较高 较低 大幅 同比 趋势 变动趋势 "
    # how any figure came about
    "确定依据 确定方法 依据"
)


# ----------------------------------------------------------------------------------------- models
class TopicScore(BaseModel):
    id: str
    score: float  # 0-100
    reason: str  # what matched: keywords, exemplar, title


class RequestMatch(BaseModel):
    id: str
    label: str
    topics: list[TopicScore] = Field(default_factory=list)  # best first


class QuestionMatch(BaseModel):
    number: int
    label: str = ""
    title: str = ""
    topics: list[TopicScore] = Field(default_factory=list)  # best first
    requests: list[RequestMatch] = Field(default_factory=list)  # letter order


class LetterMatch(BaseModel):
    source: str = ""
    questions: list[QuestionMatch] = Field(default_factory=list)

    def request(self, request_id: str) -> RequestMatch | None:
        for q in self.questions:
            for r in q.requests:
                if r.id == request_id:
                    return r
        return None

    def question(self, number: int) -> QuestionMatch | None:
        return next((q for q in self.questions if q.number == number), None)

    def top_topics(self) -> dict[str, str]:
        """request id (and question number as str) -> its best topic id."""
        out: dict[str, str] = {}
        for q in self.questions:
            if q.topics:
                out[str(q.number)] = q.topics[0].id
            for r in q.requests:
                if r.topics:
                    out[r.id] = r.topics[0].id
        return out


# ------------------------------------------------------------------------------------ normalising
_PAGE_NOISE = re.compile(r"\b8-1(?:-\d+){1,2}\b")
_WS = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFKC (full-width -> half-width), simplified characters, lower case, no whitespace or page numbers."""
    t = to_simplified(unicodedata.normalize("NFKC", text or ""))
    t = _PAGE_NOISE.sub("", t)
    return _WS.sub("", t).lower()


_RUNS = re.compile(r"[a-z\u3400-\u9fff\uf900-\ufaff]+")
_CLAUSE_END = re.compile(r"[;;。?!]")
_CLAUSE_SOFT = re.compile(r"[,,::]")


def bigrams(text_norm: str) -> set[str]:
    """Character bigrams of the Chinese and Latin runs (digits and punctuation break runs)."""
    out: set[str] = set()
    for run in _RUNS.findall(text_norm):
        if len(run) == 1:
            continue
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    return out


def clauses(text_norm: str, max_len: int = 60) -> list[str]:
    """Cut a request into clauses (sentences; long ones at commas) for exemplar matching."""
    out: list[str] = []
    for sent in _CLAUSE_END.split(text_norm):
        sent = sent.strip(",,:: ")
        if not sent:
            continue
        if len(sent) <= max_len:
            out.append(sent)
            continue
        buf = ""
        for piece in _CLAUSE_SOFT.split(sent):
            if buf and len(buf) + len(piece) > max_len:
                out.append(buf)
                buf = piece
            else:
                buf = f"{buf},{piece}" if buf else piece
        if buf:
            out.append(buf)
    return out


# ------------------------------------------------------------------------------------------ index
@dataclass
class _Index:
    ids: list[str]
    kw_first: dict[str, list[str]]
    kw_topics: dict[str, list[tuple[int, float]]]  # keyword -> [(topic index, weight)]
    vocab: dict[str, str]  # bigram -> code char
    ex_codes: list[str]  # sorted bigram-code string per exemplar
    ex_len: list[int]
    ex_topic: list[int]
    ex_text: list[str]
    names: list[list[str]]  # per topic: normalised name + aliases (title hints)
    offerings: list[set[str]]
    boards: list[set[str]]
    stop: set[str] = field(default_factory=set)

    # ---- encoding
    def encode(self, text_norm: str) -> str:
        codes = sorted(self.vocab[b] for b in bigrams(text_norm) if b in self.vocab)
        return "".join(codes)


def _code(i: int) -> str:
    # supplementary private-use planes: 131,068 distinct bigrams
    return chr(0xF0000 + i) if i < 0xFFFE else chr(0x100000 + i - 0xFFFE)


def _build_index(bank: Bank) -> _Index:
    ids = list(bank.topics)
    stop: set[str] = set()
    for w in _STOP_WORDS.split():
        stop |= bigrams(w)

    kw_topics: dict[str, list[tuple[int, float]]] = defaultdict(list)
    names: list[list[str]] = []
    for ti, tid in enumerate(ids):
        t = bank.topics[tid]
        seen: set[str] = set()
        for kw, w in t.keywords.items():
            k = normalize(kw)
            if k and k not in seen:
                kw_topics[k].append((ti, float(w)))
                seen.add(k)
        for alias in t.aliases:  # an alias is a name letters use for the topic: a strong keyword
            k = normalize(alias)
            if k and k not in seen:
                kw_topics[k].append((ti, 2.0))
                seen.add(k)
        names.append([n for n in (normalize(t.name), *(normalize(a) for a in t.aliases)) if n])
    # A keyword lying inside a longer one's occurrence does not count (研发费用率 is not also 费用率), but
    # never to the loss of its own topic: a keyword counts at least as much as its strongest part.
    own: list[dict[str, float]] = [dict() for _ in ids]
    for k, pairs in kw_topics.items():
        for ti, w in pairs:
            own[ti][k] = w
    for k, pairs in kw_topics.items():
        kw_topics[k] = [(ti, max(w2 for k2, w2 in own[ti].items() if k2 in k)) for ti, _ in pairs]
    kws = sorted(kw_topics, key=lambda k: (-len(k), k))
    # first character -> keywords starting with it, longest first (a one-level trie)
    kw_first: dict[str, list[str]] = defaultdict(list)
    for k in kws:
        kw_first[k[0]].append(k)

    # bigram vocabulary from the exemplars; drop bigrams shared by many topics (IDF-like pruning)
    ex_sets: list[set[str]] = []
    ex_topic: list[int] = []
    ex_text: list[str] = []
    topic_df: dict[str, set[int]] = defaultdict(set)
    for ti, tid in enumerate(ids):
        seen_bg: set[str] = set()
        for ex in bank.topics[tid].exemplars:
            bg = bigrams(normalize(ex)) - stop
            if not bg:
                continue
            ex_sets.append(bg)
            ex_topic.append(ti)
            ex_text.append(ex)
            seen_bg |= bg
        for b in seen_bg:
            topic_df[b].add(ti)
    limit = max(4, int(len(ids) * 0.2))
    common = {b for b, ts in topic_df.items() if len(ts) > limit}
    stop |= common
    vocab: dict[str, str] = {}
    for b in sorted(topic_df):
        if b not in stop:
            vocab[b] = _code(len(vocab))
    ex_codes = ["".join(sorted([vocab[b] for b in s if b in vocab])) for s in ex_sets]

    return _Index(
        ids=ids,
        kw_first=dict(kw_first),
        kw_topics=dict(kw_topics),
        vocab=vocab,
        ex_codes=ex_codes,
        ex_len=[len(c) for c in ex_codes],
        ex_topic=ex_topic,
        ex_text=ex_text,
        names=names,
        offerings=[set(bank.topics[t].offerings) for t in ids],
        boards=[set(bank.topics[t].boards) for t in ids],
        stop=stop,
    )


def index_for(bank: Bank) -> _Index:
    if bank._index is None:
        bank._index = _build_index(bank)
    return bank._index


# ---------------------------------------------------------------------------------------- evidence
@dataclass
class _Evidence:
    """What one text says for each topic (by topic index)."""

    kw: dict[int, float] = field(default_factory=dict)
    kw_hits: dict[int, dict[str, int]] = field(default_factory=dict)
    ex: dict[int, tuple[float, int]] = field(default_factory=dict)  # topic -> (cosine, exemplar index)

    def raw(self, ti: int) -> float:
        e = self.ex.get(ti)
        return W_KEYWORD * self.kw.get(ti, 0.0) + (W_EXEMPLAR * e[0] if e else 0.0)

    def topics(self) -> set[int]:
        return set(self.kw) | set(self.ex)


_HAN = "\u4e00-\u9fff"
_ENUM = {
    n: re.compile(rf"((?:[{_HAN}]{{{n}}}、)+)([{_HAN}]{{{n}}})([{_HAN}]{{1,5}})") for n in (1, 2, 3)
}


def expand_enumerations(text_norm: str) -> list[tuple[str, int]]:
    """Items of a shared-suffix enumeration written out, each with the length of its head:
    管理、销售、研发费用率 -> (管理费用率…, 2), (销售费用率…, 2); 内、外销收入 -> (内销收入…, 1).
    Letters write lists this way; keywords need the full words."""
    out: list[tuple[str, int]] = []
    if "、" not in text_norm:
        return out
    for n, rx in _ENUM.items():
        for m in rx.finditer(text_norm):
            suffix = m.group(3)
            out.extend((h + suffix, len(h)) for h in m.group(1).split("、") if h)
    return out


def _longest_at(idx: _Index, text: str, i: int) -> str | None:
    for k in idx.kw_first.get(text[i], ()):
        if text.startswith(k, i):
            return k
    return None


def find_keywords(idx: _Index, text_norm: str) -> dict[str, int]:
    """Keyword -> occurrences. Overlapping keywords both count (产品价格 | 价格的公允性), but one lying
    wholly inside another occurrence does not (费用率 inside 研发费用率)."""
    counts: dict[str, int] = defaultdict(int)
    first = idx.kw_first
    max_end = -1
    for i, c in enumerate(text_norm):
        if c not in first:
            continue
        k = _longest_at(idx, text_norm, i)
        if k is None or i + len(k) <= max_end:
            continue
        max_end = i + len(k)
        counts[k] += 1
    for extra, head in expand_enumerations(text_norm):
        k = _longest_at(idx, extra, 0)
        if k and len(k) > head and k not in counts:  # a word the enumeration spelt out
            counts[k] = 1
    return counts


_TAIL = re.compile(r"^(?:并|且|以及|及|同时)?(?:是否|如是|如存在|如有|若存在|若有|包括|其中|含|履行)")
_SEG = re.compile(r"[,,;;。:]")


def split_tails(text_norm: str) -> tuple[str, str]:
    """The request's own subject (what it asks to explain) and its tails: the `是否存在…` checks, the
    `包括…` elaborations and the `履行…程序` asks every letter appends (是否存在纠纷或潜在纠纷, 是否存在代持,
    包括…的具体情况, 以及履行的审议程序和信息披露义务)."""
    head: list[str] = []
    tail: list[str] = []
    for seg in _SEG.split(text_norm):
        if seg:
            (tail if _TAIL.match(seg) else head).append(seg)
    return ",".join(head), ",".join(tail)


def _keywords(idx: _Index, text_norm: str, ev: _Evidence, tails: bool = True) -> None:
    head, tail = split_tails(text_norm) if tails else (text_norm, "")
    found = [(find_keywords(idx, head), 1.0)]
    if tail:
        found.append((find_keywords(idx, tail), W_TAIL if found[0][0] else 1.0))
    for counts, f in found:
        for k, n in counts.items():
            for ti, w in idx.kw_topics[k]:
                ev.kw[ti] = ev.kw.get(ti, 0.0) + f * w * (1.0 + math.log(n))
                hits = ev.kw_hits.setdefault(ti, {})
                hits[k] = hits.get(k, 0) + n


def _exemplars(idx: _Index, text_norm: str, ev: _Evidence, split: bool = True) -> None:
    if not idx.ex_codes:
        return
    for clause in clauses(text_norm) if split else [text_norm]:
        q = idx.encode(clause)
        if len(q) < 2:
            continue
        lq = len(q)
        # Dice >= cutoff prunes in C++; the cosine is then recovered from the overlap
        for _, dice, ei in process.extract(q, idx.ex_codes, scorer=fuzz.ratio, score_cutoff=12, limit=None):
            le = idx.ex_len[ei]
            inter = round(dice * (lq + le) / 200.0)
            if inter < MIN_SHARED:
                continue
            cos = inter / math.sqrt(lq * le)
            if cos < EXEMPLAR_FLOOR:
                continue
            ti = idx.ex_topic[ei]
            if cos > ev.ex.get(ti, (0.0, -1))[0]:
                ev.ex[ti] = (cos, ei)


def _evidence(idx: _Index, text: str, exemplars: bool = True) -> _Evidence:
    ev = _Evidence()
    t = normalize(text)
    _keywords(idx, t, ev)
    if exemplars:
        _exemplars(idx, t, ev)
    return ev


def _title_evidence(idx: _Index, title: str) -> dict[int, float]:
    """How strongly a (question or section) title names each topic: keywords plus name/alias likeness."""
    t = normalize(re.sub(r"^(问题\s*\d+[.、.]?|\d+[.、.]|[((]\d+[))])", "", title or ""))
    t = re.sub(r"^关于", "", t)
    if not t:
        return {}
    ev = _Evidence()
    _keywords(idx, t, ev)
    out = dict(ev.kw)
    for ti, names in enumerate(idx.names):
        if idx.ids[ti] == CATCH_ALL:  # 其他应收款 is not 其他: the catch-all is named only by its own words
            best = 1.0 if t in names else 0.0
        else:
            best = max((_name_in_title(n, t) for n in names if len(n) >= 2), default=0.0)
        if best >= 0.5:
            out[ti] = out.get(ti, 0.0) + 3.0 * best
    return out


def _name_in_title(name: str, title: str) -> float:
    """1.0 when the topic's name (or alias) appears in the title, fuzzily (partial_ratio >= 90); when the
    title is only part of the name (客户 in 主要客户), the share of the name it covers."""
    if len(name) <= len(title):
        r = fuzz.partial_ratio(name, title)
        return r / 100.0 if r >= 90 else 0.0
    return len(title) / len(name) if title in name else 0.0


def _normed(d: dict[int, float]) -> dict[int, float]:
    if not d:
        return {}
    top = max(d.values())
    return {k: v / top for k, v in d.items()} if top > 0 else {}


def _spread(ctx: dict[int, float]) -> dict[int, float]:
    """A title naming many topics equally (关于收入: 收入确认, 收入核查, 外销收入 …) decides none of them:
    its weight is shared, so the requests' own words choose among them."""
    ties = sum(1 for v in ctx.values() if v >= 0.99)
    if ties < 3:
        return ctx
    f = 2.0 / ties
    return {k: v * f for k, v in ctx.items()}


def _squash(raw: float) -> float:
    return round(100.0 * (1.0 - math.exp(-raw / SCALE)), 1)


def _reason(idx: _Index, ti: int, ev: _Evidence | None, ctx: list[tuple[str, str, float]]) -> str:
    parts: list[str] = []
    if ev is not None:
        hits = ev.kw_hits.get(ti)
        if hits:
            top = sorted(hits.items(), key=lambda kv: (-kv[1], -len(kv[0])))[:5]
            parts.append("关键词: " + ", ".join(f"{k}({n})" for k, n in top))
        e = ev.ex.get(ti)
        if e:
            text = idx.ex_text[e[1]]
            short = text if len(text) <= 24 else text[:24] + "…"
            parts.append(f'例句相似 {round(e[0] * 100)}: "{short}"')
    for kind, title, weight in ctx:
        if weight > 0:
            parts.append(f"{kind}: {title}")
    return "; ".join(parts) or "仅上下文"


# --------------------------------------------------------------------------------------- scoring
_OFFERING_OF = (
    ("可转换公司债券", "convertible"),
    ("可转债", "convertible"),
    ("向特定对象发行", "private_placement"),
    ("非公开发行", "private_placement"),
    ("重大资产重组", "restructuring"),
    ("发行股份购买资产", "restructuring"),
    ("首次公开发行", "ipo"),
    ("公开发行股票并在北京证券交易所", "ipo"),
)
_BOARD_OF = (("创业板", "chinext"), ("科创板", "star"), ("北交所", "bse"), ("北京证券交易所", "bse"), ("主板", "main"))


# letters on a listed company's periodic report (年报问询函): no offering, so offering-only topics are damped
_PERIODIC = re.compile(r"年报|年度报告|半年报|半年度报告|季度报告|定期报告")


def _letter_scope(letter: Letter) -> tuple[str | None, str | None]:
    m = letter.meta
    text = " ".join(x for x in (m.offering_kind, m.title, m.board, m.exchange) if x)
    offering = next((o for k, o in _OFFERING_OF if k in text), None)
    if offering is None and m.title and _PERIODIC.search(m.title):
        offering = "periodic_report"
    board = next((b for k, b in _BOARD_OF if k in text), None)
    return offering, board


def _damp(idx: _Index, ti: int, offering: str | None, board: str | None) -> float:
    f = 1.0
    offs = idx.offerings[ti]
    if offering and "all" not in offs and offering not in offs:
        f *= OFFERING_DAMP
    bds = idx.boards[ti]
    if board and "all" not in bds and board not in bds:
        f *= OFFERING_DAMP
    return f


def _rank(
    idx: _Index,
    raws: dict[int, float],
    ev: _Evidence | None,
    ctx: list[tuple[str, str, dict[int, float]]],
    top_n: int,
) -> list[TopicScore]:
    ranked = sorted((r, ti) for ti, r in raws.items() if r > 0)
    ranked.sort(key=lambda x: (-x[0], idx.ids[x[1]]))
    out = []
    for raw, ti in ranked[:top_n]:
        c = [(kind, title, w.get(ti, 0.0)) for kind, title, w in ctx]
        out.append(TopicScore(id=idx.ids[ti], score=_squash(raw), reason=_reason(idx, ti, ev, c)))
    return out


def _request_raws(
    idx: _Index,
    ev: _Evidence,
    title_ctx: dict[int, float],
    section_ctx: dict[int, float],
    scope: tuple[str | None, str | None],
) -> dict[int, float]:
    own = {ti: ev.raw(ti) for ti in ev.topics()}
    # a request that clearly speaks for itself takes from its heading only half the weight of topics it
    # never mentions (关于募投项目 over 是否投向科技创新领域)
    if max(own.values(), default=0.0) >= OWN_CLEAR:
        title_ctx = {ti: v if ti in own else v * UNSAID_CTX for ti, v in title_ctx.items()}
        section_ctx = {ti: v if ti in own else v * UNSAID_CTX for ti, v in section_ctx.items()}
    cand = set(own) | set(title_ctx) | set(section_ctx)
    raws = {}
    for ti in cand:
        r = own.get(ti, 0.0) + W_TITLE * title_ctx.get(ti, 0.0) + W_SECTION * section_ctx.get(ti, 0.0)
        raws[ti] = r * _damp(idx, ti, *scope)
    return raws


def match_text(text: str, bank: Bank | None = None, title: str | None = None, top_n: int = TOP_N) -> list[TopicScore]:
    """Ranked topics for one free-standing request (optionally with the title of its question)."""
    bank = bank or load_bank()
    idx = index_for(bank)
    ev = _evidence(idx, text)
    tctx = _normed(_title_evidence(idx, title)) if title else {}
    raws = _request_raws(idx, ev, tctx, {}, (None, None))
    return _rank(idx, raws, ev, [("题目", title or "", tctx)], top_n)


def search_topics(bank: Bank, text: str, limit: int = 10) -> list[tuple[Topic, float, str]]:
    """Topics resembling a search text: id and name likeness, keywords, exemplars."""
    idx = index_for(bank)
    q = normalize(text)
    ev = _evidence(idx, text)
    _exemplars(idx, q, ev, split=False)
    raws = {ti: ev.raw(ti) for ti in ev.topics()}
    extra: dict[int, str] = {}
    for ti, tid in enumerate(idx.ids):
        names = [tid, *idx.names[ti]]
        best = max(fuzz.partial_ratio(q, n) if len(q) <= len(n) else fuzz.partial_ratio(n, q) for n in names)
        if best >= 80:
            raws[ti] = raws.get(ti, 0.0) + 6.0 * best / 100.0
            extra[ti] = f"名称相似 {round(best)}"
    ranked = sorted(((r, ti) for ti, r in raws.items() if r > 0), key=lambda x: (-x[0], idx.ids[x[1]]))[:limit]
    out = []
    for raw, ti in ranked:
        reason = _reason(idx, ti, ev, [])
        if ti in extra:
            reason = extra[ti] if reason == "仅上下文" else f"{extra[ti]}; {reason}"
        out.append((bank.topics[idx.ids[ti]], _squash(raw), reason))
    return out


RE_DEICTIC = re.compile(r"上述|前述|该等|以上|相关内容|前款")


def _short(text: str, n: int = 16) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n] + "…"


# the group a question sits in (一、规范性问题), when the reader took it for the question's title
_GROUP = re.compile(r"^[一二三四五六七八九十]*[、.]?(?:规范性|信息披露|与财务会计资料相关的|财务会计|一般|重点|重大)问题$")
_SENTENCE = re.compile(r"[,,;;。?!]|^(?:请|说明|根据|你公司|公司|发行人|申请人)")


def is_heading(title: str) -> bool:
    """A heading names a subject (关于历史沿革, 募投项目); a line of running text taken for one (a
    hard-wrapped first line, `说明你公司在…,信用减值…`) is part of the question, not its title."""
    t = re.sub(r"^(问题\s*\d+[.、.]?|\d+[.、.]|[((]\d+[))])\s*", "", to_simplified(title or "").strip())
    return len(t) <= 30 and not _SENTENCE.search(t) and not _GROUP.match(t)


def _section_titles(q: Question) -> dict[str, str]:
    return {s.label: s.title for s in q.sections}


def match_question(
    q: Question, bank: Bank | None = None, scope: tuple[str | None, str | None] = (None, None), top_n: int = TOP_N
) -> QuestionMatch:
    bank = bank or load_bank()
    idx = index_for(bank)
    # A heading (关于应收账款) speaks for the whole question. A "title" that is only the opening words of
    # the question's own text (old CSRC letters have no headings) adds nothing the requests do not say.
    t_norm = normalize(q.title)
    derived = bool(t_norm) and (t_norm in normalize(q.text) or not is_heading(q.title))
    title_ctx = {} if derived else _spread(_normed(_title_evidence(idx, q.title)))
    sec_titles = _section_titles(q)
    sec_ctx = {lab: _spread(_normed(_title_evidence(idx, t))) for lab, t in sec_titles.items()}

    # a title naming the catch-all topic (其他问题) says nothing about what its requests are about
    catch_all = idx.ids.index(CATCH_ALL) if CATCH_ALL in idx.ids else -1
    req_title_ctx = {ti: v for ti, v in title_ctx.items() if ti != catch_all}

    requests: list[RequestMatch] = []
    req_share: dict[int, float] = defaultdict(float)
    firsts: dict[int, int] = defaultdict(int)  # requests whose best topic it is
    back_ctx: dict[int, float] | None = None
    for r in q.requests:
        ev = _evidence(idx, r.text)
        sctx = {ti: v for ti, v in sec_ctx.get(r.section or "", {}).items() if ti != catch_all}
        raws = _request_raws(idx, ev, req_title_ctx, sctx, scope)
        ctx = [("题目", q.title, req_title_ctx)]
        if r.section and r.section in sec_titles:
            ctx.append(("小标题", sec_titles[r.section], sctx))
        if not any(v > 0 for v in raws.values()) and RE_DEICTIC.search(r.text) and q.background:
            # `补充披露上述内容`: a request that only points back at the facts is about what they are about
            if back_ctx is None:
                back_ev = _evidence(idx, q.background)
                back_ctx = {ti: v for ti, v in _normed({ti: back_ev.raw(ti) for ti in back_ev.topics()}).items() if ti != catch_all}
            raws = {ti: W_TITLE * v * _damp(idx, ti, *scope) for ti, v in back_ctx.items()}
            ctx.append(("背景", _short(q.background), back_ctx))
        topics = _rank(idx, raws, ev, ctx, top_n)
        requests.append(RequestMatch(id=r.id, label=r.label, topics=topics))
        top = max(raws.values(), default=0.0)
        if top > 0:
            # letters ask the main thing first: an earlier request's vote counts a little more
            lead = 1.0 + LEAD_BONUS * (len(q.requests) - 1 - len(requests) + 1) / max(1, len(q.requests) - 1)
            for ti, v in raws.items():
                req_share[ti] += lead * v / top
            firsts[idx.ids.index(topics[0].id)] += 1
    n = max(1, len(q.requests))

    # the question: title, then what its requests are about, then its background (or whole text)
    back_text = q.background or ("" if q.requests else q.text)
    if derived and t_norm not in normalize(back_text):
        back_text = f"{q.title}{back_text}"  # a sentence taken for a title is part of the facts
    back_ev = _evidence(idx, back_text, exemplars=not q.requests) if back_text else _Evidence()
    back = _normed({ti: back_ev.raw(ti) for ti in back_ev.topics()})
    w_back = W_QBACK if title_ctx else W_QBACK_UNTITLED
    q_raws: dict[int, float] = {}
    for ti in set(title_ctx) | set(req_share) | set(back):
        r = W_QTITLE * title_ctx.get(ti, 0.0) + W_QREQ * req_share.get(ti, 0.0) / n + w_back * back.get(ti, 0.0)
        q_raws[ti] = r * _damp(idx, ti, *scope)
    if not any(v > 0 for v in q_raws.values()) and catch_all >= 0:
        # nothing in the question names any topic: it is filed under the catch-all, not left unranked
        q_raws = {catch_all: 1e-6}
    q_ev = back_ev if not q.requests else None
    topics = _rank_question(idx, q_raws, q, title_ctx, firsts, req_share, n, back_ev, q_ev, top_n)
    return QuestionMatch(number=q.number, label=q.label, title=q.title, topics=topics, requests=requests)


def _rank_question(idx, q_raws, q, title_ctx, firsts, req_share, n, back_ev, q_ev, top_n) -> list[TopicScore]:
    ranked = sorted(((r, ti) for ti, r in q_raws.items() if r > 0), key=lambda x: (-x[0], idx.ids[x[1]]))
    out = []
    for raw, ti in ranked[:top_n]:
        parts = []
        if title_ctx.get(ti, 0.0) > 0:
            parts.append(f"题目: {q.title}")
        if firsts.get(ti):
            parts.append(f"请求首选: {firsts[ti]}/{n}")
        elif req_share.get(ti):
            parts.append(f"请求相关: {req_share[ti]:.1f}/{n}")
        hits = back_ev.kw_hits.get(ti)
        if hits:
            top = sorted(hits.items(), key=lambda kv: (-kv[1], -len(kv[0])))[:4]
            parts.append("背景关键词: " + ", ".join(f"{k}({c})" for k, c in top))
        if q_ev is not None and ti in q_ev.ex:
            parts.append(f"例句相似 {round(q_ev.ex[ti][0] * 100)}")
        reason = "; ".join(parts) or ("未见任何主题的用词, 归入其他" if raw < 1e-3 else "仅上下文")
        out.append(TopicScore(id=idx.ids[ti], score=_squash(raw), reason=reason))
    return out


def match_letter(letter: Letter, bank: Bank | None = None, top_n: int = TOP_N) -> LetterMatch:
    """Ranked topics (best first, with score and reason) for every question and every request."""
    bank = bank or load_bank()
    scope = _letter_scope(letter)
    return LetterMatch(
        source=letter.source,
        questions=[match_question(q, bank, scope, top_n) for q in letter.questions],
    )


# ------------------------------------------------------------------------------------- evaluation
class Label(BaseModel):
    primary: str
    alternates: list[str] = Field(default_factory=list)
    note: str = ""

    @property
    def accepted(self) -> set[str]:
        return {self.primary, *self.alternates}


class Labels(BaseModel):
    """A hand-labelled letter: the correct topic(s) for every question and request."""

    letter: str
    questions: dict[int, Label] = Field(default_factory=dict)
    requests: dict[str, Label] = Field(default_factory=dict)


class Miss(BaseModel):
    id: str
    expected: str
    got: list[str]


class LevelScore(BaseModel):
    total: int = 0
    top1: int = 0
    top3: int = 0
    top1_primary: int = 0  # top-1 equals the primary label (stricter)
    missing: list[str] = Field(default_factory=list)  # labelled ids the letter did not yield
    misses: list[Miss] = Field(default_factory=list)  # top-1 not accepted

    @property
    def top1_rate(self) -> float:
        return self.top1 / self.total if self.total else 0.0

    @property
    def top3_rate(self) -> float:
        return self.top3 / self.total if self.total else 0.0

    def add(self, other: LevelScore) -> None:
        self.total += other.total
        self.top1 += other.top1
        self.top3 += other.top3
        self.top1_primary += other.top1_primary
        self.missing += other.missing
        self.misses += other.misses


class EvalReport(BaseModel):
    letter: str
    requests: LevelScore
    questions: LevelScore


def load_labels(path) -> Labels:
    import yaml

    from ..errors import UserError

    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except OSError as e:
        raise UserError(f"cannot read labels: {e.strerror}", file=str(path)) from None
    except UnicodeDecodeError:
        raise UserError("cannot read labels: not UTF-8 text", file=str(path)) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"line {mark.line + 1}" if mark else None
        raise UserError(f"not valid YAML: {e.problem or e}", file=str(path), place=where) from None
    except yaml.YAMLError as e:
        raise UserError(f"not valid YAML: {e}", file=str(path)) from None
    try:
        return Labels.model_validate(data)
    except ValidationError as e:
        err = e.errors(include_url=False)[0]
        field = ".".join(str(x) for x in err.get("loc", ())) or "(top)"
        raise UserError(f"not a labels file ({len(e.errors())} problem(s); first: {field}: {err.get('msg')})",
                        file=str(path)) from None


def _score_level(pairs: list[tuple[str, Label, list[str] | None]]) -> LevelScore:
    s = LevelScore()
    for key, label, got in pairs:
        s.total += 1
        if got is None:
            s.missing.append(key)
            continue
        ok = label.accepted
        if got[:1] and got[0] in ok:
            s.top1 += 1
        else:
            s.misses.append(Miss(id=key, expected=label.primary, got=got[:3]))
        if got[:1] == [label.primary]:
            s.top1_primary += 1
        if ok & set(got[:3]):
            s.top3 += 1
    return s


def evaluate(matches: LetterMatch, labels: Labels) -> EvalReport:
    """Top-1 / top-3 accuracy of a letter's matches against its hand labels (alternates accepted)."""
    by_req = {r.id: [t.id for t in r.topics] for q in matches.questions for r in q.requests}
    by_q = {q.number: [t.id for t in q.topics] for q in matches.questions}
    req = _score_level([(rid, lab, by_req.get(rid)) for rid, lab in labels.requests.items()])
    qs = _score_level([(str(n), lab, by_q.get(n)) for n, lab in labels.questions.items()])
    return EvalReport(letter=labels.letter, requests=req, questions=qs)
