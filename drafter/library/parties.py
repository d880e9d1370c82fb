"""Who wrote a reply: the issuer's short names and its sponsor, auditor and law firm, read from the
reply's opening paragraph (`X(以下简称“优优绿能”、“发行人”)与Y(以下简称“保荐人”)、Z(以下简称“申报会计师”)…`).

Stored with each harvested reply so a precedent passage can be adapted to another issuer
(drafter.compose.precedents): every name found here is replaced by the drafting issuer's own.
"""
from __future__ import annotations

import re

from pydantic import BaseModel, Field

_ALIAS = re.compile(r"[(（]以下简称((?:[“\"「][^”\"」]{1,20}[”\"」][、，,及和或]?)+)[)）]")
_QUOTED = re.compile(r"[“\"「]([^”\"」]{1,20})[”\"」]")
_TAIL = re.compile(r"[(（](?:特殊普通合伙|普通合伙|有限合伙)[)）]$")
_STOP = re.compile(r"[，,、。；;：:“”\"》《()（）\n]")
_LEAD = re.compile(r"^(?:并|且|与|和|及|以及|会同|联合|同)+")
GENERIC = {"发行人", "公司", "本公司", "申请人", "上市公司", "标的公司", "股份公司", "我公司"}
OPENING_CHARS = 6000  # the opening paragraph sits before the first question


class Parties(BaseModel):
    """The names a reply's opening paragraph defines (None / [] when not found)."""

    short_names: list[str] = Field(default_factory=list)  # the issuer's own short names: 优优绿能
    sponsor: str | None = None
    auditor: str | None = None
    lawyer: str | None = None


def _name_before(text: str, end: int) -> str:
    """The organisation name ending at `end` (the text before `(以下简称`)."""
    head = text[max(0, end - 80):end]
    suffix = ""
    m = _TAIL.search(head)
    if m:
        suffix, head = m.group(0), head[: m.start()]
    cut = max((mm.end() for mm in _STOP.finditer(head)), default=0)
    name = _LEAD.sub("", head[cut:].strip())
    return (name + suffix) if name else ""


def opening_parties(text: str, issuer: str | None = None) -> Parties:
    """Read the opening paragraph's definitions (the first occurrence of each role wins)."""
    out = Parties()
    head = (text or "")[:OPENING_CHARS]
    for m in _ALIAS.finditer(head):
        labels = _QUOTED.findall(m.group(1))
        name = _name_before(head, m.start())
        if not name or len(name) < 4:
            continue
        joined = "".join(labels)
        if "保荐" in joined or "主承销商" in joined:
            out.sponsor = out.sponsor or name
        elif "会计师" in joined:
            out.auditor = out.auditor or name
        elif "律师" in joined:
            out.lawyer = out.lawyer or name
        elif any(g in labels for g in ("发行人", "公司", "申请人", "上市公司")) or (issuer and name == issuer):
            if not out.short_names:
                out.short_names = [x for x in labels if x not in GENERIC and x != name]
    return out


def short_forms(name: str | None) -> list[str]:
    """Shorter ways a reply may name an intermediary: 民生证券股份有限公司 -> 民生证券;
    致同会计师事务所(特殊普通合伙) -> 致同会计师事务所, 致同会计师 (longest first)."""
    if not name:
        return []
    out = [name]
    base = _TAIL.sub("", name)
    out.append(base)
    for suf in ("股份有限公司", "有限责任公司", "有限公司"):
        if base.endswith(suf) and len(base) - len(suf) >= 4:
            out.append(base[: -len(suf)])
    if base.endswith("事务所") and len(base) > 7:
        out.append(base[:-3])
    return [x for x in dict.fromkeys(out) if len(x) >= 4]
