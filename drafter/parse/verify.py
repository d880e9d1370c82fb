"""Verification asks: parties as named, scope (and the request ids it covers), demands, rules."""
from __future__ import annotations

import re

from ..models import Question, Verification
from ..vocab import party_kind  # noqa: F401  (re-exported: the parser's vocabulary)
from .patterns import CIRCLED, DEMAND_WORDS, FULLWIDTH_DIGITS, PARTY_WORDS, RE_RULE, RE_VERIFY


# --- verification --------------------------------------------------------------------------------------


def split_verifications(chunk: str) -> list[str]:
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


def verification(sentence: str, section: str | None) -> Verification:
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
        kinds=[party_kind(p) for p in parties],
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


def merge_verifications(vs: list[Verification]) -> list[Verification]:
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


def resolve_scope(v: Verification, q: Question) -> None:
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
                if not found:  # requests numbered 1、 / 1) / 1. are referred to as (1) too
                    found = [r.id for r in top if _label_number(r.label) == num and (v.section is None or r.section == v.section)]
                if not found and label in section_ids:
                    found = section_ids[label]
        elif circ is not None:
            found = [r.id for r in top if r.label == circ and (v.section is None or r.section == v.section)]
            if not found:
                found = [r.id for r in q.requests if r.label == circ]
        ids.extend(x for x in found if x not in ids)
    v.scope_ids = ids


def _label_number(label: str) -> int | None:
    m = re.fullmatch(r"[(（]?\s*(\d{1,2})\s*[)）、.．]?", label.translate(FULLWIDTH_DIGITS))
    return int(m.group(1)) if m else None


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
