"""Question headings: candidates in every numbering style, and the run 1, 2, 3 … the letter uses."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..read.clean import TOC_LINE
from ..vocab import cn_number  # noqa: F401  (re-exported)
from .patterns import (
    RE_GROUP,
    RE_REPLY_START,
    RE_INTRO,
    RE_Q_CN,
    RE_Q_CN_WENTI,
    RE_Q_DOT,
    RE_Q_DUN,
    RE_Q_WENTI,
    RE_Q_WENTI_BARE,
    RE_VERIFY,
)


@dataclass
class Heading:
    idx: int  # paragraph index
    number: int
    label: str
    title: str
    rest: str  # text after the title in the same paragraph (question body starting inline)
    style: str
    group: str | None = None
    skip: int = 0  # paragraphs after the heading that still belong to it (a title on its own line)
    lead: str = ""  # facts of a `一、…` paragraph heading the group this question opens (its background)


RE_TOC_HEAD = re.compile(r"^\s*目\s*录\s*(?:页\s*[次码]\s*)?$")


def _toc_key(p: str) -> str:
    """A contents entry or heading without its leader, page number and spaces (to tell them apart)."""
    p = re.sub(r"(?:[.…·_\-]{2,}\s*|\s+)\d{1,4}(?:\s*[-–]\s*\d{1,4})*\s*$", "", p)  # (not 问题1's own number)
    return re.sub(r"\s+", "", p)


# --- headings ----------------------------------------------------------------------------------------


def _candidates(paras: list[str]) -> dict[str, list[Heading]]:
    out: dict[str, list[Heading]] = {"wenti": [], "guanyu": [], "dot": [], "dun": [], "cn": []}
    group = None
    toc = False  # inside a table of contents (after `目录`, up to the first prose paragraph or repeated entry)
    entries: set[str] = set()
    for i, p in enumerate(paras):
        if TOC_LINE.search(p[-80:]):  # a contents line ends in its leader and page number
            entries.add(_toc_key(p))
            continue
        if RE_TOC_HEAD.match(p):
            toc = True
            continue
        if toc:
            key = _toc_key(p)
            if len(p) <= 60 and not re.search(r"[。，,;；]", p) and key not in entries:
                entries.add(key)
                continue  # a contents entry whose leader the extraction dropped (`一、 关于…的回复 1-12`)
            toc = False
        g = RE_GROUP.match(p)
        if g and ("问题" in g.group(2) or "事项" in g.group(2) or "意见" in g.group(2)) and not re.search(r"[。，,;；]", g.group(2)):
            group = g.group(2).rstrip(":：")
            continue
        m = RE_Q_CN.match(p) or RE_Q_CN_WENTI.match(p)
        if m and cn_number(m.group(1)):
            title, rest = _split_title(m.group(2))
            out["cn"].append(Heading(i, cn_number(m.group(1)), p[: m.start(2)].strip(), title, rest, "cn"))
        m = RE_Q_WENTI.match(p)
        if m:
            label = p[: m.start(2)].strip() if m.group(2) else p.strip()
            title, rest = _split_title(m.group(2))
            out["wenti"].append(Heading(i, int(m.group(1)), label, title, rest, "wenti"))
            continue
        m = RE_Q_WENTI_BARE.match(p)
        if m and i + 1 < len(paras):
            nxt = paras[i + 1]
            plain = len(nxt) <= 60 and not RE_INTRO.match(nxt) and not RE_Q_WENTI_BARE.match(nxt) and not RE_REPLY_START.match(nxt)
            # a fact sentence after a bare `问题1` (`报告期末，发行人持有…。`) is its background, not its title
            plain = plain and not (re.search(r"[，,；;]", nxt) or nxt.rstrip().endswith("。") and not _title_like(nxt.rstrip()[:-1]))
            title, rest = _split_title(nxt) if plain else ("", "")
            h = Heading(i, int(m.group(1)), p.strip(), title, rest, "wenti")
            if title:
                h.skip = 1  # the title sits on its own line
            out["wenti"].append(h)
            continue
        m = RE_Q_DOT.match(p)
        if m:
            title, rest = _split_title(m.group(2))
            label = p[: m.start(2)].strip()
            style = "guanyu" if m.group(2).startswith("关于") else "dot"
            h = Heading(i, int(m.group(1)), label, title, rest, style)
            out[style].append(h)
            if style == "guanyu":
                out["dot"].append(h)
            continue
        m = RE_Q_DUN.match(p)
        if m:
            title, rest = _split_title(m.group(2))
            out["dun"].append(Heading(i, int(m.group(1)), p[: m.start(2)].strip(), title, rest, "dun", group))
    return out


def _split_title(s: str) -> tuple[str, str]:
    """A heading's title, and any question text that follows it in the same paragraph."""
    s = s.strip()
    # an auditor's statement quoting the question it answers: `年报问询函问题“2、(3)请说明…”`
    s = re.sub(r"^[\u4e00-\u9fff]{0,10}?问询函(?:中的)?问题\s*(?=[“\"])", "", s)
    q = re.match(r"^[“\"]\s*(?:\d{1,2}\s*[、.．])?\s*(?=\S)", s)
    if q and s.count("“") >= 1:
        inner = s[q.end() :]  # a reply quoting the question: `1、“1、请详细说明…”`
        lab = re.match(r"^[(（]\s*\d{1,2}\s*[)）]\s*", inner)  # `“2、(3)请说明…”`: the item keeps its label
        title, rest = _split_title(inner[lab.end() :] if lab else inner)
        if lab and rest:
            rest = lab.group(0).strip() + rest
        return title, rest
    # (a web copy run together: `关于存货 报告期各期末，…` — the title ends at the space)
    m = re.match(r"^(关于[^。:：;；,，]{1,40}?)(?:[。:：;；]|\.(?![\d.])|\s+(?=[^\s。:：;；,，]{4,}[，,]))\s*(.*)$", s)
    if m and (m.group(2) or len(s) > 50 or re.search(r"[。;；]", s[:-1])):
        return m.group(1), m.group(2)  # `关于X。…` (or `关于X.年报显示…` in a PDF copy using ASCII stops)
    m = re.match(r"^([^\s。:：;；,，]{2,20})\s+(?=[^\s。:：;；,，]{4,}[，,])(.*)$", s)  # `收入 根据申报材料，…` (a web copy)
    if m and _title_like(m.group(1)):
        return m.group(1), m.group(2)
    if (len(s) <= 50 and not re.search(r"[。;；]", s[:-1]) and not RE_INTRO.search(s) and not RE_VERIFY.search(s)
            and not (s.endswith("。") and not _title_like(s[:-1]))):
        return s.rstrip("。:："), ""
    # a copy that lost the line break after the title: `关于交易类退市风险截至2024年4月29日，…`
    m = re.match(r"^(关于[^。:：;；,，\d]{2,20}?)((?:截至|截止|根据|年报显示|公告显示|报告书显示|申报材料显示)[^。]*[，,。].*)$", s)
    if m:
        return m.group(1), m.group(2)
    m = re.match(r"^([^。:：;；,，]{1,30})[。]\s*(.*)$", s)
    if m and not RE_INTRO.search(m.group(1)) and _title_like(m.group(1)):
        return m.group(1), m.group(2)
    # no title: the body starts right away; name it after its first clause (two when the first is
    # only a date: `2002年,电力设计院将…`)
    parts = re.split(r"([，。:：;；]|,(?!\d))", s, maxsplit=2)
    first = parts[0]
    if re.fullmatch(r"\s*\d{4}\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?(?:至今|以来|前后)?\s*", first) and len(parts) >= 3 and parts[1] in ",，":
        first = first + parts[1] + parts[2]
    return short_title(first), s


def _title_like(sentence: str) -> bool:
    """`收入确认。` / `关于发行人历史沿革。` open a question as its title; a first sentence stating a fact
    (`2004年香港甲将股权转让给乙。`, `发行人历史上发生多次股权转让。`) is background, kept in the body."""
    if sentence.startswith("关于"):
        return True
    if re.search(r"\d", sentence):
        return False
    return len(sentence) <= 15 and not re.search(r"发行人|公司|申请人|报告期|显示|披露|存在|发生|为|将|已|由|于|系", sentence)


def short_title(clause: str, limit: int = 30) -> str:
    """A question's opening clause as its title: at most `limit` characters, never cut inside a figure."""
    if len(clause) <= limit:
        return clause
    cut = clause[:limit]
    if re.match(r"[\d.,，%％万亿元]", clause[limit]):
        cut = re.sub(r"[-－+]?[\d.,]+$", "", cut)  # -1,236.5|4万元 -> drop the broken figure
    return cut.rstrip("，、,（(“")


def find_headings(paras: list[str], reply_idx: list[int]) -> list[Heading]:
    """The question headings, in the numbering style the document uses.

    In a reply document the right style is the one whose headings are followed by reply markers;
    in a letter, the longest run 1, 2, 3 … (earlier styles in the order below win ties).
    """
    cands = _candidates(paras)
    for style in ("dot", "dun"):
        cands[style] = _drop_request_items(paras, cands[style])
    cands["cn"] = _drop_cn_groups(paras, cands)
    # group headings after which numbering may start over: 一、重点问题 / 二、一般问题 / 三、与财务会计资料相关的问题
    # (in a letter any short `二、关于X` line will do; a reply has `二、中介机构核查情况` lines followed by `1、…`)
    groups = [
        i for i, p in enumerate(paras)
        if len(p) <= 40 and (g := RE_GROUP.match(p)) and (not reply_idx or re.search(r"问题|事项", g.group(2)))
    ]
    has_groups = any(h.group for h in cands["dun"])
    order = ["wenti", "guanyu", "dun", "dot"] if has_groups else ["wenti", "guanyu", "dot", "dun"]
    order.append("cn")  # 一、关于X: last, as replies and letters use it for other things too
    if reply_idx:
        best: list[Heading] = []
        best_key = (0, 0)
        for rank, style in enumerate(order):
            seq = _sequence(cands[style], reply_idx, groups)
            answered = _answered(seq, reply_idx, len(paras))
            if not answered:
                continue
            key = (answered - _late(seq) - (1 if style == "cn" else 0), -rank)
            if key > best_key or not best:
                best, best_key = seq, key
        if best:
            return best
    # `问题 1、…` then numbered lines inside it (`1.假设…` `2.…` of an answer without a reply marker):
    # the 问题 run, starting at 1, is the questions
    wenti = _sequence(cands["wenti"], [], groups)
    if wenti and wenti[0].number == 1:
        others = [h for st in ("guanyu", "dot", "dun") for h in cands[st]]
        if others and all(h.idx > wenti[0].idx for h in others):
            return wenti
    best = []
    best_len = 0
    for rank, style in enumerate(order):
        seq = _best_run(paras, cands[style], groups)
        n = _asking(paras, seq) - _late(seq)  # (a web page's numbered news list asks nothing)
        if seq and _after_intro(paras, seq[0].idx):
            n = 0  # `请发行人说明：` then 1、2、3、…: a list of requests, not questions
        if style == "cn" and best_len >= 2:
            break
        if not best or n > best_len + (1 if rank and best_len >= 2 else 0):
            if seq:
                best, best_len = seq, n
    return best


RE_ASKS = re.compile(r"请|是否|说明|披露|核查|核实|解释|分析")


def _asking(paras: list[str], seq: list[Heading]) -> int:
    """How many headings of a run head a span that asks something (a question does; a sidebar's
    numbered headlines `1.某某公司发布年度业绩预告` do not)."""
    n = 0
    for k, h in enumerate(seq):
        stop = seq[k + 1].idx if k + 1 < len(seq) else len(paras)
        if any(RE_ASKS.search(p) for p in paras[h.idx : min(stop, h.idx + 80)]):
            n += 1
    return n


def _best_run(paras: list[str], cands: list[Heading], groups: list[int]) -> list[Heading]:
    """The run 1, 2, 3 … that asks the most: a web page may list numbered headlines before the letter
    (热门文章 1.… 2.…), so each place the numbering starts at 1 is tried (earliest wins ties)."""
    starts = [c.idx for c in cands if c.number == 1][:8]
    best = _sequence(cands, [], groups)
    if len(starts) < 2:
        return best
    score = _asking(paras, best)
    for s in starts[1:]:
        seq = _sequence([c for c in cands if c.idx >= s], [], groups)
        n = _asking(paras, seq)
        if n > score:
            best, score = seq, n
    return best


def _drop_cn_groups(paras: list[str], cands: dict[str, list[Heading]]) -> list[Heading]:
    """`一、关于重组条件` right before `11.关于X` (or `一、<facts>` right before `1、请你公司…`) heads a
    group of numbered questions: it is no question itself."""
    titled = {h.idx for st in ("wenti", "guanyu") for h in cands[st]}
    numbered = {h.idx for st in ("dot", "dun") for h in cands[st]}
    return [
        h for h in cands["cn"]
        if not (h.idx + 1 in titled or h.idx + 1 in numbered and (h.rest or len(paras[h.idx]) > 40))
    ]


def _drop_request_items(paras: list[str], cands: list[Heading]) -> list[Heading]:
    """Leave out `1.`/`1、` items listed after a request intro (`请发行人说明：` 1、… 2、… 3、…)."""
    out: list[Heading] = []
    dropped: Heading | None = None
    for h in cands:
        if not out and dropped is None:
            out.append(h)  # the first numbered line follows the letter's opening (请你公司说明以下事项：), not a request
            continue
        if h.title.startswith("关于"):
            dropped = None
            out.append(h)
            continue
        if _after_intro(paras, h.idx) and h.number == 1 or (
            dropped is not None and h.number == dropped.number + 1 and h.idx - dropped.idx <= 3
        ):
            dropped = h
            continue
        dropped = None
        out.append(h)
    return out


def _after_intro(paras: list[str], idx: int) -> bool:
    """Does paragraph idx follow a request intro that ends with a colon (`请发行人说明：`)?"""
    prev = paras[idx - 1].strip() if idx > 0 else ""
    return (bool(prev) and prev[-1] in ":：" and RE_INTRO.search(prev) is not None
            and not re.search(r"(?:以下|下列|如下|下述)(?:事项|问题|意见)?\s*[:：]$", prev))


def _late(seq: list[Heading]) -> int:
    """1 when a run does not start at question 1 (suspect, unless it is all there is)."""
    return 0 if not seq or seq[0].number == 1 else 1


def _answered(seq: list[Heading], reply_idx: list[int], end: int) -> int:
    """How many headings of the run have a reply marker before the next heading."""
    answered = 0
    for k, h in enumerate(seq):
        r = bisect.bisect_left(reply_idx, h.idx)
        if r < len(reply_idx) and reply_idx[r] < (seq[k + 1].idx if k + 1 < len(seq) else end):
            answered += 1
    return answered


def _marker_between(reply_idx: list[int], idx: int, following: list[Heading]) -> bool:
    """Is there a reply marker after paragraph idx (and before the next heading of the run)?"""
    r = bisect.bisect_left(reply_idx, idx)
    return r < len(reply_idx) and (not following or reply_idx[r] < following[0].idx)


MAX_QUESTIONS = 500  # no real letter comes close; bounds the work on pathological input


def _sequence(cands: list[Heading], reply_idx: list[int], groups: list[int] | None = None) -> list[Heading]:
    """The run 1, 2, 3 … of headings (in a reply: the last one before each reply marker).

    Old CSRC notices number again from 1 in each group (`一、重点问题` 1、2、… `二、一般问题` 1、2、…):
    after a group heading the run may start over; such questions are numbered on (5, 6, …) and keep
    their printed label.
    """
    if not cands:
        return []
    by_num: dict[int, list[Heading]] = {}
    for c in cands:
        by_num.setdefault(c.number, []).append(c)  # already in document order

    def after(n: int, pos: int) -> list[Heading]:
        lst = by_num.get(n, [])
        k = bisect.bisect_right([c.idx for c in lst], pos)
        return lst[k:]

    seq: list[Heading] = []
    pos = -1
    offset = 0  # questions numbered before the group where the printed numbering started over
    nums = sorted(by_num)
    n = 1 if 1 in by_num else nums[0]
    while len(seq) < MAX_QUESTIONS:
        nxt = after(n, pos)
        if not nxt and seq:
            # tolerate one missing number (a question deleted or misnumbered in the letter, or in a
            # reply a heading lost at a page break: its quoted text is found before its reply marker)
            skip = after(n + 1, pos)
            if skip and reply_idx:
                skip = [c for c in skip if _marker_between(reply_idx, c.idx, after(n + 2, c.idx))]
            if skip:
                n += 1
                nxt = skip
        chosen = None
        limit = None  # a restart must come before this paragraph
        if nxt:
            chosen = nxt[0]
            limit = chosen.idx
            if reply_idx:
                r = bisect.bisect_left(reply_idx, nxt[0].idx)
                if r < len(reply_idx):
                    before_reply = [c for c in nxt if c.idx <= reply_idx[r]]
                    if before_reply:
                        chosen = before_reply[-1]
                    limit = reply_idx[r]
                elif groups and seq:
                    chosen = None  # numbered items in the last answer, not a question (groups restart numbers)
        if seq and groups and n > 1:
            # a group heading (二、一般问题) followed at once by a question 1: the numbering starts over
            # (in a reply, even where items numbered like the next question, 5、…, come first)
            for g in groups:
                if g <= pos or (limit is not None and g >= limit):
                    continue
                first = [c for c in after(1, g) if c.idx <= g + 2]
                if first:
                    chosen = first[0]
                    offset = seq[-1].number
                    n = 1
                    break
        if chosen is None:
            break
        if offset:
            chosen = Heading(**{**chosen.__dict__, "number": chosen.number + offset})
        seq.append(chosen)
        pos = chosen.idx
        n += 1
    return seq
