"""What the reply must call things: the offering phrase, the prospectus, the parties, the dates.

Everything here is decided from the letter first (a reply repeats the letter's words) and the company
data second; what neither says becomes a placeholder, never a guess presented as fact.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..models import Letter

PARTY_KIND = {
    "保荐人": "sponsor",
    "保荐机构": "sponsor",
    "申报会计师": "auditor",
    "会计师": "auditor",
    "发行人律师": "lawyer",
    "律师": "lawyer",
}
KIND_ORDER = {"sponsor": 0, "auditor": 1, "lawyer": 2}

EXCHANGE_SHORT = {"深圳证券交易所": "深交所", "上海证券交易所": "上交所", "北京证券交易所": "北交所"}
BOARD_LISTING = {
    "创业板": "并在创业板上市",
    "科创板": "并在科创板上市",
    "主板": "并在主板上市",
    "北交所": "并在北京证券交易所上市",
}


def get(obj: Any, *paths: str, default: Any = None) -> Any:
    """First non-empty value among dotted `paths` on an object / mapping (tolerant of either)."""
    for path in paths:
        cur = obj
        for part in path.split("."):
            if cur is None:
                break
            if isinstance(cur, dict):
                cur = cur.get(part)
            else:
                cur = getattr(cur, part, None)
        if cur not in (None, "", [], {}):
            return cur
    return default


def cn_date(iso: str | date | None) -> str | None:
    """2026-03-16 -> 2026年3月16日 (None when unknown or unreadable)."""
    if iso is None:
        return None
    if isinstance(iso, date):
        d = iso
    else:
        m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", str(iso))
        if not m:
            return str(iso) if "年" in str(iso) else None
        d = date(int(m[1]), int(m[2]), int(m[3]))
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass
class Names:
    """The words of this reply."""

    issuer: str | None
    short: str | None
    exchange: str | None
    offering_phrase: str | None  # 首次公开发行股票并在创业板上市 / 向不特定对象发行可转换公司债券
    ipo: bool
    prospectus: str  # 招股说明书 / 募集说明书
    sponsor: str | None
    sponsor_title: str  # 保荐人(主承销商) / 保荐机构(主承销商)
    sponsor_word: str  # 保荐人 / 保荐机构
    sponsor_address: str | None
    auditor: str | None
    lawyer: str | None
    legal_rep: str | None
    sponsor_reps: list[str] = field(default_factory=list)
    sponsor_legal_rep: str | None = None
    letter_date: str | None = None  # 2026年3月16日
    letter_number: str | None = None
    letter_title: str | None = None
    letter_kind: str = "审核问询函"  # 审核问询函 / 第二轮审核问询函 / 审核中心意见落实函 …

    @property
    def reply_title(self) -> str:
        issuer = self.issuer or "【发行人全称】"
        phrase = self.offering_phrase or "【发行类型】"
        return f"关于{issuer}{phrase}申请文件的{self.letter_kind}的回复"


def _offering_phrase(letter: Letter, company: Any) -> str | None:
    meta = letter.meta
    if meta.title and meta.issuer and meta.issuer in meta.title and "申请文件" in meta.title:
        phrase = meta.title.split(meta.issuer, 1)[1].split("申请文件", 1)[0].strip()
        if phrase:
            return phrase
    kind = meta.offering_kind or get(company, "offering.kind", "offering_kind", "offering.type")
    if not kind:
        return None
    board = meta.board or get(company, "board", "offering.board", "company.board")
    if kind.startswith("首次公开发行") and "上市" not in kind and board in BOARD_LISTING:
        return kind + BOARD_LISTING[board]
    return kind


def _letter_kind(letter: Letter) -> str:
    """What the letter calls itself after 申请文件的: 审核问询函, 第二轮审核问询函, …落实函."""
    title = letter.meta.title or ""
    m = re.search(r"申请文件的?(.{0,12}(?:问询函|落实函|反馈意见))$", title.strip())
    if m:
        return m.group(1)
    if letter.meta.round in ("第二轮", "第三轮"):
        return f"{letter.meta.round}审核问询函"
    if letter.meta.round == "落实函":
        return "审核中心意见落实函"
    return "审核问询函"


def _prospectus(phrase: str) -> tuple[bool, str]:
    """(is an IPO, the document the reply amends)."""
    if "重组" in phrase or "购买资产" in phrase:
        return False, "重组报告书"
    if "首次公开发行" in phrase or "上市" in phrase:  # 北交所: 公开发行股票并在北交所上市
        return True, "招股说明书"
    return False, "募集说明书"


def build_names(letter: Letter, company: Any) -> Names:
    meta = letter.meta
    phrase = _offering_phrase(letter, company)
    ipo, prospectus = _prospectus(phrase or "")
    exchange = meta.exchange or get(company, "exchange", "offering.exchange", "company.exchange")
    used = {p for q in letter.questions for v in q.verification for p in v.parties}
    if "保荐机构" in used:
        sponsor_word = "保荐机构"
    elif "保荐人" in used:
        sponsor_word = "保荐人"
    else:
        sponsor_word = "保荐人" if (exchange or "").startswith("深圳") else ("保荐机构" if exchange else "保荐人")
    reps = get(company, "sponsor.representatives", "sponsor.reps", "intermediaries.sponsor.representatives", default=[])
    if isinstance(reps, str):
        reps = [reps]
    return Names(
        issuer=meta.issuer or get(company, "name", "full_name", "company.name", "issuer.name"),
        short=get(company, "short_name", "company.short_name", "issuer.short_name"),
        exchange=exchange,
        offering_phrase=phrase,
        ipo=ipo,
        prospectus=prospectus,
        sponsor=_name(get(company, "sponsor", "intermediaries.sponsor")),
        sponsor_title=f"{sponsor_word}(主承销商)",
        sponsor_word=sponsor_word,
        sponsor_address=get(company, "sponsor.address", "intermediaries.sponsor.address"),
        auditor=_name(get(company, "auditor", "intermediaries.auditor")),
        lawyer=_name(get(company, "law_firm", "lawyer", "intermediaries.law_firm", "intermediaries.lawyer")),
        legal_rep=get(company, "legal_representative", "company.legal_representative", "issuer.legal_representative"),
        sponsor_reps=[str(r) for r in reps],
        sponsor_legal_rep=get(company, "sponsor.legal_representative", "sponsor.chairman"),
        letter_date=cn_date(meta.date),
        letter_number=meta.number,
        letter_title=meta.title,
        letter_kind=_letter_kind(letter),
    )


def _name(v: Any) -> str | None:
    if v is None or isinstance(v, str):
        return v
    return get(v, "name")


def party_kind(party: str) -> str:
    return PARTY_KIND.get(party, "sponsor" if "保荐" in party else "lawyer" if "律师" in party else "auditor")


def join_parties(parties: list[str]) -> str:
    """保荐人、申报会计师、发行人律师 -- in the letter's words, in the usual order, each once."""
    return "、".join(dict.fromkeys(parties))
