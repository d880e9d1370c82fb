"""One question: background, themed sections, numbered requests (with ids) and disclosure asks."""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from ..models import Question, Request, Section, Verification
from .headings import Heading
from .patterns import (
    BOUNDARY,
    FIRST_MARKER,
    FULLWIDTH_DIGITS,
    MARKER_STYLES,
    PARTY_WORDS,
    RE_DISCLOSE,
    RE_INTRO,
    RE_PAREN_NUM,
    RE_VERIFY,
    SUBJECTS,
)
from .verify import merge_verifications, resolve_scope, split_verifications, verification


# --- one question ------------------------------------------------------------------------------------


def build_question(h: Heading, body_paras: list[str], reply: str | None) -> Question:
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
            bg, reqs, vers = _parse_block(text, str(number), label, used)
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
    if not q.requests:
        own = _ask_only_request(q)
        if own is None and not q.sections:
            own = _implied_request(q)
        if own is not None:
            q.requests.append(own)
    for v in q.verification:
        resolve_scope(v, q)
    return q


RE_ASK_HEAD = re.compile(r"^\s*(?:另|同时|并|此外[,，]?)?\s*请\s*(?:你公司|公司|上市公司)?\s*(?:" + PARTY_WORDS + r"\s*[、和及与,，]?\s*)+")
RE_ASK_FORMULA = re.compile(
    r"(?:对上述(?:事项|问题)|就上述(?:事项|问题))?(?:进行)?核查(?:并|后)?(?:发表|出具)(?:明确|专项|核查)?(?:核查)?意见"
    r"|说明核查(?:过程|方式|方法|依据|范围|程序|手段)[^。;；]*|(?:发表|出具)(?:明确|专项)?(?:核查)?意见|核查"
)


def _ask_only_request(q: Question) -> Request | None:
    """A question that only asks the intermediaries (`请保荐机构、会计师说明X的具体情况…`) still has
    content the reply must set out: that content is its one request."""
    for v in q.verification:
        head = RE_ASK_HEAD.match(v.text)
        if not head:
            continue
        rest = v.text[head.end() :].strip()
        first = re.split(r"[。;；]", rest, maxsplit=1)[0]
        content = RE_ASK_FORMULA.sub("", first)
        m = re.search(r"(?:说明|披露|分析|列示|提供|解释)", content)
        if m and len(content) - m.end() >= 8:
            return Request(id=str(q.number), label="", text=_unwrap(rest), disclose=_asks_disclosure(rest))
    return None


RE_IMPERATIVE = re.compile(r"^\s*(?:补充|进一步|详细|具体|逐项|分别)?\s*(?:说明|披露|分析|列示|核实|结合[^。]{1,60}?(?:说明|分析|披露))")
RE_PLEASE = re.compile(r"(?:^|(?<=[。！？!?]))\s*(请\s*(?:对|就|针对|根据|按照)[^。]*?(?:说明|披露|分析|列示|自查)[^。]*[。]?)")


def _implied_request(q: Question) -> Request | None:
    """A question that asks without `请发行人…` still asks one thing: a sentence `请对…自查，说明…`, a
    quoted item that lost its 请 (`说明你公司…`), or a direct question (`…子公司是否存在房地产业务，
    请保荐机构…核查`). Its words are the request; the background keeps the facts before it."""
    bg = q.background.strip()
    if not bg:
        return None
    m = RE_PLEASE.search(bg)
    if m and not RE_VERIFY.match(m.group(1)):
        text = m.group(1).strip()
        q.background = bg[: m.start(1)].strip()
        return Request(id=str(q.number), label="", text=_unwrap(re.sub(r"^请\s*", "", text)), disclose=_asks_disclosure(text))
    if RE_IMPERATIVE.match(bg) or re.match(r"^\s*(?:你|贵)?公司认为(?:应予|需要|应当|有必要)(?:说明|披露)的其他事项", bg):
        q.background = ""
        return Request(id=str(q.number), label="", text=_unwrap(bg), disclose=_asks_disclosure(bg))
    sentences = [x for x in re.split(r"(?<=[。！？!?])", bg) if x.strip()]
    last = sentences[-1].strip() if sentences else ""
    if q.verification and re.search(r"是否", last) and len(last) >= 10:
        q.background = "".join(sentences[:-1]).strip()
        return Request(id=str(q.number), label="", text=_unwrap(last.rstrip("，,")), disclose=False)
    return None


RE_CN_PAREN = re.compile(r"^\s*[(（]\s*([一二三四五六七八九十])\s*[)）]")


def _label_number(s: str) -> int:
    return int(s) if s.isdigit() else "一二三四五六七八九十".index(s) + 1


def _section_segments(paras: list[str], qnum: int = 0):
    """Split a question into themed sections when it has them, else None.

    Sections are paragraphs `(1)小标题。…`, `(2)…` (or SSE-style sub-questions `1.1 …`, `1.2 …`),
    each carrying its own request intro (`请发行人…`).
    """
    for kind in ("dotted", "paren", "cn"):
        if kind == "paren":
            rx = RE_PAREN_NUM
        elif kind == "cn":
            rx = RE_CN_PAREN  # 年报问询函: `一、关于X` with sub-questions `(一)…请你公司…` `(二)…`
        else:
            rx = re.compile(rf"^\s*(?:问题\s*)?{qnum}\s*[.．]\s*(\d{{1,2}})(?![\d%％万亿元])\s*")  # 1.2 / 问题1.2
        starts = [i for i, p in enumerate(paras) if rx.match(p)]
        if len(starts) < 2:
            continue
        seq: list[int] = []
        expect = 1
        for i in starts:
            n = _label_number(rx.match(paras[i]).group(1))
            if n == expect:
                seq.append(i)
                expect += 1
            elif n == 1 and seq:
                break  # a second run (background then requests): not sections
        if len(seq) < 2:
            continue
        segs = [paras[i : (seq[k + 1] if k + 1 < len(seq) else len(paras))] for k, i in enumerate(seq)]
        # the label is cut off first: `6.1请发行人说明…` starts its request right after the label
        with_intro = [sg for sg in segs if RE_INTRO.search("\n".join([rx.sub("", sg[0], count=1)] + sg[1:]))]
        if len(with_intro) < 2 and not (kind == "dotted" and len(with_intro) >= 1):
            continue
        # a segment ending with a bare intro (`请发行人:`) followed by (1) items means flat numbering
        if kind != "dotted" and any(re.search(r"请\s*(?:发行人|公司)[^\n。]{0,12}[:：]\s*$", sg[-1]) for sg in segs):
            continue
        preamble = paras[: seq[0]]
        if kind != "dotted" and any(RE_INTRO.search(p) for p in preamble):
            continue
        # `(1)请说明…` `(2)请说明…`: numbered requests, each asking right after its label, not themed sections
        if kind != "dotted" and all(re.match(r"^\s*(?:另|同时)?\s*请", rx.sub("", sg[0], count=1)) for sg in segs):
            continue
        out = []
        for sg in segs:
            m = rx.match(sg[0])
            label = f"({m.group(1)})" if kind != "dotted" else f"{qnum}.{m.group(1)}"
            rest = sg[0][m.end() :].strip()
            title = ""
            tm = re.match(r"^([^。:：]{1,40}?)[。:：]\s*(.*)$", rest)
            if tm and not RE_INTRO.match(tm.group(1)) and not re.match(r"^(?:根据|申报材料|请)", tm.group(1)) and not re.search(r"[,，;；]", tm.group(1)):
                title, rest = tm.group(1), tm.group(2)
            elif len(rest) <= 40 and len(sg) > 1 and not re.search(r"[。,，;；:：]", rest) and not RE_INTRO.match(rest):
                title, rest = rest, ""  # `(1)关于X` / `1.1 关于X` on its own line
            out.append((label, title, ([rest] if rest else []) + sg[1:]))
        return preamble, out
    return None


def _trailing_standalone_asks(seg_paras: list[str]) -> set[str]:
    """Verification sentences standing in their own paragraphs at the end of a segment."""
    texts = set()
    for p in reversed(seg_paras):
        if RE_VERIFY.match(p):
            for v in split_verifications(p):
                texts.add(v)
        else:
            break
    return texts


def _parse_block(text: str, qnum: str, section: str | None, used: set[str]):
    """Background, requests and verification asks of a question (or of one themed section).

    A numbered list the plain reading would break is read as one list (`_request_list`): its items
    are the requests, whoever they are addressed to, and asks inside an item cover that item.
    """
    lst = _request_list(text)
    if lst is None:
        return _parse_plain(text, qnum, section, used)
    lead_start, lead_ask, verb, style, spans, list_end = lst
    background, requests, verifications = _parse_plain(text[:lead_start], qnum, section, used)
    if lead_ask:
        verifications.append(verification(lead_ask, section))
    base = _id_base(qnum, section)
    discloses = _verb_discloses(verb)
    for label, start, end in spans:
        item = text[start:end].strip()
        own = re.match(r"^\s*请\s*(?:" + SUBJECTS + r")?(?=\S)", item) if RE_INTRO.match(item) else None
        req_text = _unwrap(item[own.end():].strip() if own else item)
        rid = _unique(f"{base}{label}" if section else f"{qnum}.{label}", used)
        req = Request(id=rid, label=label, text=req_text, disclose=discloses or _asks_disclosure(req_text), section=section)
        requests.append(req)
        requests.extend(_sub_items(req, used))
        for sentence in split_verifications(item):
            v = verification(sentence, section)
            if v.scope == "全部":
                v.scope = label  # an ask inside a numbered item covers that item
            verifications.append(v)
    _, more_requests, more_verifications = _parse_plain(text[list_end:], qnum, section, used)
    requests.extend(more_requests)
    verifications.extend(more_verifications)
    return background, requests, merge_verifications(verifications)


LIST_STYLES = ("paren", "half", "circled")
MAX_LISTS = 30  # numbered runs looked at per block (no real question has more; bounds odd input)


def _request_list(text: str):
    """A numbered list of requests that the plain reading would break, or None.

    Three shapes, all seen in CSRC feedback letters:
    - items that are themselves addressed (`(1)请说明…`, `(1)请保荐机构和发行人律师核查说明…；(2)…`);
    - a list introduced by an ask to the intermediaries (`请保荐机构、发行人律师补充说明：(1)…(2)…`);
    - a list introduced by `请发行人…：` whose items carry asks or requests of their own
      (`(1)…。请会计师说明…。(2)…`), which would otherwise end the list early.
    A list of facts before it (`报告书披露,(1)…;(2)…。请上市公司说明：(1)…`) is skipped over.
    Returns (lead start, lead ask text, lead verb, style, [(label, start, end)], list end).
    """
    pos = 0
    for _ in range(MAX_LISTS):
        if pos >= len(text):
            break
        best = None
        for style in LIST_STYLES:
            m = re.compile(r"(?:^|(?<=[" + re.escape(BOUNDARY) + r"]))\s*(" + MARKER_STYLES[style](1) + ")").search(text, pos)
            if m and (best is None or m.start(1) < best[1]):
                best = (style, m.start(1))
        if best is None:
            return None
        style, p1 = best
        spans = _run_spans(text, p1, style)
        if len(spans) < 2:
            pos = p1 + 1
            continue
        end = _list_end(text, spans)
        found = _classify_list(text, p1, style, spans, end)
        if found is not None:
            return found
        pos = max(end, p1 + 1)
    return None


def _list_end(text: str, spans: list[tuple[str, int, int]]) -> int:
    """The last item ends where a new ask or request starts (not one right after its own label)."""
    last_start = spans[-1][1]
    end = len(text)
    for rx in (RE_VERIFY, RE_INTRO):
        for m in rx.finditer(text, last_start):
            if m.start() > last_start and text[last_start : m.start()].strip():
                end = min(end, m.start())
                break
    return end


def _classify_list(text: str, p1: int, style: str, spans: list[tuple[str, int, int]], end: int):
    sent = max(text.rfind(c, 0, p1) for c in "。;；！？!?") + 1
    lead = text[sent:p1]
    lead_stripped = lead.strip()
    lead_start = sent + (len(lead) - len(lead.lstrip()))
    first_item = text[spans[0][1] : spans[0][2]].lstrip()
    ask = RE_VERIFY.match(lead_stripped)
    intro = RE_INTRO.match(lead_stripped)
    lead_ask = ""
    verb = ""
    if intro and not (ask and ask.start() == intro.start()):
        cm = re.match(r"^\s*(?:另|同时|此外[,，]?)?\s*请\s*(?:" + SUBJECTS + r")?([^:：]*)[:：]?\s*$", lead_stripped)
        if not cm:
            return None
        verb = cm.group(1)
        # the plain reading copes unless an item (before the last) holds an ask or request of its own,
        # or an item is addressed to the intermediaries (`(5)请保荐机构和律师核查…`: an ask for that item)
        if not any(rx.search(text, spans[0][1], spans[-1][1]) for rx in (RE_VERIFY, RE_INTRO)) and not any(
            RE_ASK_HEAD.match(text[s:e]) for _, s, e in spans
        ):
            return None
    elif ask and lead_stripped[-1:] in ":：" and not RE_INTRO.search(text, 0, lead_start):
        # the intermediaries' list is the question's content only when the issuer was asked nothing before
        # (after `请发行人说明：…`, `请保荐机构和申报会计师：(1)核查…(2)说明函证…` lists verification work)
        lead_ask = lead_stripped
        verb = lead_stripped
    elif re.match(r"^\s*请", first_item):
        lead_start = p1  # `背景。(1)请说明…(2)…`: the facts before the list are background
    else:
        return None  # a list of facts (`报告书披露,(1)…;(2)…`), not requests
    spans[-1] = (spans[-1][0], spans[-1][1], end)
    return lead_start, lead_ask, verb, style, spans, end


def _run_spans(text: str, p1: int, style: str) -> list[tuple[str, int, int]]:
    """The items of the run numbered 1, 2, 3 … starting at p1: (label, content start, content end)."""
    out = []
    for label, start, end in _run_positions(text[p1:], style):
        out.append((label, p1 + start, p1 + end))
    return out


def _parse_plain(text: str, qnum: str, section: str | None, used: set[str]):
    """Background, requests and asks read sentence by sentence (intros and asks in letter order)."""
    intros = [m for m in RE_INTRO.finditer(text)]
    verifs = [m for m in RE_VERIFY.finditer(text)]
    first_intro = intros[0].start() if intros else None
    first_verify = verifs[0].start() if verifs else None
    # background: everything before the first request intro (or the first ask, if no intro)
    cut = min(x for x in (first_intro, first_verify, len(text)) if x is not None)
    background = text[:cut].strip()
    if re.fullmatch(r"(?:[\u4e00-\u9fff]{0,10}?问询函(?:中的)?问题)?[“\"‘\s]*(?:\d{1,2}\s*[、.．])?[\s“\"‘]*(?:[(（]\s*\d{1,2}\s*[)）])?\s*", background):
        background = ""  # only the opening of a quoted question (`“1、`), no facts
    requests: list[Request] = []
    # request regions: each intro up to the next intro / verification ask
    bounds = sorted({m.start() for m in intros} | {m.start() for m in verifs} | {len(text)})
    for m in intros:  # an intro after the asks (另请发行人…) counts too
        region_end = bounds[bisect.bisect_right(bounds, m.start())]
        region = text[m.start() : region_end].strip()
        if region_end < len(text) and (tail := RE_LONE_LABEL.search(region)) and tail.start(1) > 0:
            region = region[: tail.start(1)].rstrip()  # the next item's label (`…原因。\n(二)请你公司…`)
        # a lone item label right before the intro (`(6)请发行人结合…`, a single item quoted): its label
        lone = RE_LONE_LABEL.search(text, max(0, m.start() - 200), m.start())  # a label ends right there
        found = _split_requests(region, qnum, section, used)
        if lone and len(found) == 1 and not found[0].label:
            label = _norm_label(lone.group(1))
            used.discard(found[0].id)
            found[0].id = _unique(f"{_id_base(qnum, section)}{label}" if section else f"{qnum}.{label}", used)
            found[0].label = label
            if m.start() == cut:  # the label is not background
                background = re.sub(r"[(（]\s*\d{1,2}\s*[)）]\s*$", "", background).strip()
        requests.extend(found)
    # verification: from each ask start to the next intro (after the ask) or the end
    vtext_parts = []
    intro_starts = [m.start() for m in intros]  # in text order
    for v in verifs:
        k = bisect.bisect_right(intro_starts, v.start())
        end = intro_starts[k] if k < len(intro_starts) else len(text)
        vtext_parts.append((v.start(), end))
    verifications: list[Verification] = []
    covered = -1
    for s, e in vtext_parts:
        if s < covered:
            continue
        chunk = text[s:e].strip()
        covered = e
        for sentence in split_verifications(chunk):
            verifications.append(verification(sentence, section))
    verifications = merge_verifications(verifications)
    return background, requests, verifications


def _verb_discloses(verb: str) -> bool:
    """Does an intro's verb ask for disclosure (`补充披露：`)? 披露 inside a rule's name (《…信息披露…》) does not."""
    verb = re.sub(r"《[^《》]*》", "", verb)
    return "披露" in verb and not re.search(r"已披露|是否披露", verb)


RE_LONE_LABEL = re.compile(r"(?:^|(?<=[\n。;；:：])|(?<=[“\"]\d、)|(?<=[“\"]\d\d、))\s*([(（]\s*(?:\d{1,2}|[一二三四五六七八九十])\s*[)）])\s*$")


def _split_requests(region: str, qnum: str, section: str | None, used: set[str]) -> list[Request]:
    """`请发行人说明:(1)…;(2)…` -> numbered requests; `请发行人说明X。` -> one request."""
    m = re.match(r"^\s*(?:另|同时|此外[,，]?)?\s*请\s*(?:" + SUBJECTS + ")?", region)
    intro_end = m.end() if m else 0
    after = region[intro_end:]
    # the intro's verb part up to a colon: 说明: / 补充披露: / 结合…说明:
    cm = re.match(r"^([^:：\n。;；]{0,160})[:：]\s*", after)
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
    ref = RE_REF_RUN.match(body_stripped) if style else None
    if ref and (len(re.findall(r"[(（]", ref.group(0))) >= 2 or not _has_second(body_stripped, style)):
        style = None  # 补充披露(1)(3)(4)相关风险: markers naming earlier requests, not a new list
        # (one label followed by a second item, `(1)项目是否…;(2)…`, is a list)
    intro_discloses = _verb_discloses(verb)
    base = _id_base(qnum, section)
    out: list[Request] = []
    if style is None or style in ("dot", "dun", "cnparen") and not _has_second(body_stripped, style):
        # one unnumbered request: its own words, without the leading 请发行人
        text = _unwrap(after.strip().lstrip(":：").strip())
        if not text:
            return []
        rid = _unique(base, used)
        out.append(Request(id=rid, label="", text=text, disclose=intro_discloses or _asks_disclosure(text), section=section))
        return out
    items = _split_run(body_stripped, style)
    for label, item_text in items:
        item_text = _unwrap(item_text.strip())
        if label and not item_text:
            continue  # `(3)请申请人补充说明…`: the item's words follow as a request of their own
        sep = "" if section else "."
        rid = _unique(f"{base}{label}" if section else f"{qnum}{sep}{label}", used)
        req = Request(id=rid, label=label, text=item_text, disclose=intro_discloses or _asks_disclosure(item_text), section=section)
        out.append(req)
        out.extend(_sub_items(req, used))
    return out


RE_REF_RUN = re.compile(
    r"^(?:[(（]\s*\d{1,2}\s*[)）](?:\s*[、,，和及与至到-]\s*)?){1,6}\s*(?:中|所述|所列|涉及|相关|事项|项|的|之|部分)"
)
# a line break inside a sentence (text copied from a PDF): the next line goes on unless it starts a marker
RE_BROKEN_LINE = re.compile(
    r"(?<=[^\n。:：;；！!？?”）)])\n(?![ \t]*(?:[(（]\s*[\d一二三四五六七八九十]{1,2}\s*[)）]|[①-⑳]|\d{1,2}\s*[)）.．、]|[a-zA-Z]\s*[.．、)）]|请|注))"
)


def _unwrap(text: str) -> str:
    return RE_BROKEN_LINE.sub("", text) if "\n" in text else text


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
    if not re.match(MARKER_STYLES[style](1), body):
        return [("", body)]
    return [(label, body[s:e].strip()) for label, s, e in _run_positions(body, style)]


GLUED_VERB = r"\s*(?:请|补充|说明|披露|结合|分析|列示|提供|量化|核查|详细|逐项|进一步)"


def _run_positions(body: str, style: str) -> list[tuple[str, int, int]]:
    """(label, content start, content end) of the items numbered 1, 2, 3 … from the start of body.

    One missing number is tolerated (`(2)…;(4)…` as printed in a letter that skipped (3)).
    """
    items: list[tuple[str, int, int]] = []
    n = 1
    first = re.match(r"\s*(" + MARKER_STYLES[style](1) + ")", body)
    if not first:
        return []
    label = first.group(1).replace(" ", "")
    start = first.end()
    pos = start

    def marker(k: int):
        if style in _ANY_NUMBER:  # one pattern for every number: no compile per item, no rescans
            want = str(k)
            for m in _any_marker(style).finditer(body, pos):
                if m.group(2).translate(FULLWIDTH_DIGITS) == want:
                    return m
            return None
        return _marker_rx(style, k).search(body, pos)

    def glued(k: int):
        # `(3)补充说明(4)补充…`: a letter that forgot the punctuation before the next item, which opens
        # with a request verb (a reference like `问题(4)` / `上述(4)中` is not an item)
        if style not in ("paren", "half"):
            return None
        return _glued_rx(style, k).search(body, pos)

    restart_at: list = []  # the first restart found at or after pos (pos only grows: reuse it)

    def restart_marker():
        if restart_at and (restart_at[0] is None or restart_at[0].start() >= pos):
            return restart_at[0]
        restart_at[:] = [marker(1)]
        return restart_at[0]

    while True:
        m = marker(n + 1) or glued(n + 1)
        if not m:
            m = marker(n + 2)
            if m:
                n += 1
        restart = restart_marker()
        if m and restart and restart.start() < m.start():
            m = None  # a new list numbered from 1 starts first: this one ended
            items.append((label, start, restart.start()))
            break
        if not m:
            items.append((label, start, len(body)))
            break
        items.append((label, start, m.start()))
        label = m.group(1).replace(" ", "")
        start = m.end()
        pos = start
        n += 1
    return [(_norm_label(lb), s, e) for lb, s, e in items]


# the digit list styles with any number in a group (same lookarounds as MARKER_STYLES)
_ANY_NUMBER = {
    "paren": r"[(（]\s*([0-9０-９]+)\s*[)）]",
    "half": r"(?<![(（\d])([0-9０-９]+)\s*[)）]",
    "dun": r"(?<![\d.．])([0-9０-９]+)\s*、",
    "dot": r"(?<![\d.．])([0-9０-９]+)\s*[.．](?!\d)",
}


@lru_cache(maxsize=None)
def _any_marker(style: str) -> re.Pattern:
    return re.compile(r"(?:(?<=^)|(?<=[" + re.escape(BOUNDARY) + r"]))\s*(" + _ANY_NUMBER[style] + ")")


@lru_cache(maxsize=256)
def _marker_rx(style: str, k: int) -> re.Pattern:
    return re.compile(r"(?:(?<=^)|(?<=[" + re.escape(BOUNDARY) + r"]))\s*(" + MARKER_STYLES[style](k) + ")")


@lru_cache(maxsize=256)
def _glued_rx(style: str, k: int) -> re.Pattern:
    return re.compile(r"(?<=[\u4e00-\u9fff])(?<!问题)(?<![第对就及和与至之见同中述])(" + MARKER_STYLES[style](k)
                      + r")(?=" + GLUED_VERB + ")")


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
    # #2, #3 … are taken in order: gallop then bisect to the first free one (a thousand repeats stay fast)
    lo, hi = 1, 2  # #lo is taken (the bare id counts as #1), #hi is to be tried
    while f"{rid}#{hi}" in used:
        lo, hi = hi, hi * 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if f"{rid}#{mid}" in used:
            lo = mid
        else:
            hi = mid
    used.add(f"{rid}#{hi}")
    return f"{rid}#{hi}"


ASK_BEFORE = ("补充", "进一步", "充分", "并", "及", "和", "请", "或", "完善", "修改", "详细", "如实", "分析", "说明", "中", "予以", "明确", "单独", "逐项", "重点", "列表", "量化", "具体", "修订", "更新", "相应", "同时", "准确", "作", "做")
NOT_BEFORE = ("已", "公开", "未", "所", "信息", "是否", "有无", "已经", "已补充", "依法", "需", "应当", "应", "拟", "已予以")
NOT_AFTER = ("的", "了", "过", "口径", "不一致", "文件", "义务", "要求", "标准", "准则", "内容", "范围", "一致", "情况", "时间", "媒体", "规则", "差异")


RE_DISCLOSE_ASK = re.compile(r"^\s*(?:补充|公开|充分|进一步|详细|分别|逐项|具体)?\s*(?:披露|说明并披露|说明并补充披露)")


def _asks_disclosure(text: str) -> bool:
    """Does a request ask for (supplementary) disclosure in the prospectus? Facts like 已披露 do not."""
    if RE_DISCLOSE_ASK.match(text):
        return True  # 公开披露… / 补充披露… at the start of a request is the ask itself
    for m in RE_DISCLOSE.finditer(text):
        i = m.start()
        before = text[max(0, i - 4) : i]
        after = text[m.end() : m.end() + 3]
        if any(before.endswith(w) for w in NOT_BEFORE):
            continue
        near = text[max(0, i - 6) : i]
        if "是否" in near or "有无" in near or "已" in near[-3:]:
            continue  # 是否已充分披露 / 并已披露: a question about a fact, not an ask
        if any(after.startswith(w) for w in NOT_AFTER):
            continue
        if i == 0 or before[-1:] in BOUNDARY or any(before.endswith(w) for w in ASK_BEFORE):
            return True
    return False
