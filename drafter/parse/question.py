"""One question: background, themed sections, numbered requests (with ids) and disclosure asks."""
from __future__ import annotations

import re

from ..models import Question, Request, Section, Verification
from .headings import Heading
from .patterns import (
    BOUNDARY,
    FIRST_MARKER,
    FULLWIDTH_DIGITS,
    MARKER_STYLES,
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
    for v in q.verification:
        resolve_scope(v, q)
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
        # the label is cut off first: `6.1请发行人说明…` starts its request right after the label
        with_intro = [sg for sg in segs if RE_INTRO.search("\n".join([rx.sub("", sg[0], count=1)] + sg[1:]))]
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
    for m in intros:  # an intro after the asks (另请发行人…) counts too
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
        for sentence in split_verifications(chunk):
            verifications.append(verification(sentence, section))
    verifications = merge_verifications(verifications)
    return background, requests, verifications


def _split_requests(region: str, qnum: str, section: str | None, used: set[str]) -> list[Request]:
    """`请发行人说明:(1)…;(2)…` -> numbered requests; `请发行人说明X。` -> one request."""
    m = re.match(r"^\s*(?:另|同时|此外[,，]?)?\s*请\s*" + SUBJECTS, region)
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
    if style and RE_REF_RUN.match(body_stripped):
        style = None  # 补充披露(1)(3)(4)相关风险: markers naming earlier requests, not a new list
    intro_discloses = "披露" in verb and not re.search(r"已披露|是否披露", verb)
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
