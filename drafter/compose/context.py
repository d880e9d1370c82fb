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

from ..parse.facts import FORMS, NEEQ, is_neeq
from ..parse.facts import SUBJECT_WORDS as _SUBJECT_WORDS
from ..parse.facts import letter_form, party_words
from ..parse.facts import letter_kind as _kind_of
from ..parse.facts import sender_of as _sender_of_lines
from ..parse.facts import subject_word as _subject_word
from .parties import KIND_ORDER, KIND_WORD, kinds_of, party_kind  # noqa: F401  (one mapping, re-exported)

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


# What kind of letter this is, which decides who answers, to whom, and under which title:
#   offering       exchange 审核问询函 / 落实函 on an IPO or refinancing (issuer + sponsor); also
#                  全国股转公司's 审查问询函 (精选层)
#   csrc           old CSRC 反馈意见 (申请人 or 发行人 + 保荐机构, to 中国证券监督管理委员会)
#   restructuring  重组问询函 / CSRC restructuring feedback (上市公司 + 独立财务顾问)
#   annual         年报问询函 (the company's board answers itself)
#   attention      关注函 / other 问询函 to a listed company (the board answers itself)
# The parser reads these facts once (drafter.parse.facts, LetterMeta.form/kind/sender/subject/parties);
# the functions below only fill them for a Letter built by hand.
LETTER_TYPES = FORMS
SUBJECT_WORDS = _SUBJECT_WORDS


@dataclass
class Names:
    """The words of this reply."""

    issuer: str | None
    short: str | None
    exchange: str | None
    offering_phrase: str | None  # 首次公开发行股票并在创业板上市 / 向不特定对象发行可转换公司债券
    ipo: bool
    prospectus: str  # 招股说明书 / 募集说明书 / 重组报告书 / 年度报告
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
    letter_kind: str = "审核问询函"  # 审核问询函 / 第二轮审核问询函 / 审核中心意见落实函 / 反馈意见 …
    letter_type: str = "offering"  # see LETTER_TYPES
    subject: str = "发行人"  # who the letter asks: 发行人 / 申请人 / 上市公司 / 公司
    letter_short: str = "问询函"  # what the reply calls the letter: 问询函 / 反馈意见 / 关注函
    authority: str = "贵所"  # 贵所 / 贵会 / 贵部
    addressee: str | None = None  # the reply's addressee; None: the exchange (placeholder if unknown)
    advisor: str | None = None  # 独立财务顾问 (restructuring)
    year: str | None = None  # the annual report's year (年报问询函)
    words: dict[str, str] = field(default_factory=dict)  # party kind -> the letter's word for it

    @property
    def reply_title(self) -> str:
        issuer = self.issuer or f"【{self.subject_full}全称】"
        if self.letter_type == "csrc":
            phrase = self.offering_phrase or "【发行类型】"
            return f"关于{issuer}{phrase}申请文件{self.letter_kind}的回复"
        if self.letter_type == "restructuring":
            return f"关于{issuer}重组问询函的回复"
        if self.letter_type == "annual":
            return f"关于{issuer}{self.year or '【年度】'}年报问询函的回复"
        if self.letter_type == "attention":
            return f"关于对{issuer}{self.letter_kind}的回复"
        phrase = self.offering_phrase or "【发行类型】"
        return f"关于{issuer}{phrase}{self.kind_tail}的回复"

    @property
    def kind_tail(self) -> str:
        """申请文件的审核问询函; a 落实函 titled without 申请文件 keeps its title's words (…上市的审核中心意见落实函)."""
        if self.letter_short == "落实函" and self.letter_title and "申请文件" not in self.letter_title:
            return f"的{self.letter_kind}"
        return f"申请文件的{self.letter_kind}"

    @property
    def subject_full(self) -> str:
        """The word for the answering company in placeholders: 发行人 / 申请人 / 上市公司 / 公司."""
        return self.subject

    @property
    def self_answered(self) -> bool:
        """The company answers the letter itself (年报问询函, 关注函): no sponsor, the board signs."""
        return self.letter_type in ("annual", "attention")

    def word(self, kind: str) -> str:
        """The letter's word for a party kind (保荐机构, 会计师, 申请人律师 …), else the usual one."""
        if kind in self.words:
            return self.words[kind]
        if kind == "sponsor":
            return self.sponsor_word
        if kind == "lawyer" and self.subject != "发行人":
            return "律师" if self.subject in ("上市公司", "公司") else f"{self.subject}律师"
        if kind == "auditor" and self.letter_type != "offering":
            return "年审会计师" if self.self_answered else "会计师"
        return KIND_WORD.get(kind, kind)


def letter_type(letter: Letter) -> str:
    """offering / csrc / restructuring / annual / attention (see LETTER_TYPES): the parser's, else derived."""
    return letter.meta.form or letter_form(letter.meta, letter.questions)


def subject_word(letter: Letter, kind: str | None = None) -> str:
    """How the letter calls the company it asks: 发行人 / 申请人 / 上市公司 / 公司 (你公司 -> 公司)."""
    if letter.meta.subject and kind is None:
        return letter.meta.subject
    return _subject_word(letter.questions, kind or letter_type(letter))


def _party_words(letter: Letter) -> dict[str, str]:
    """Party kind -> the first word the letter uses for it (保荐机构, 会计师, 申请人律师, 独立财务顾问 …)."""
    return dict(letter.meta.parties) or party_words(letter.questions)


def sender_of(text: str) -> str | None:
    """Who signed a letter, from its closing lines (see drafter.parse.facts.sender_of)."""
    return _sender_of_lines((text or "").splitlines())


def _department(letter: Letter, sender: str | None) -> str | None:
    """The exchange department that sent a listed-company letter (创业板公司管理部, 上市公司管理一部 …)."""
    exchange = letter.meta.exchange or ""
    if sender:
        sender = re.sub(r"\s+", "", sender)
        if sender.startswith(("中国证", NEEQ)):
            return sender
        return sender if not exchange or sender.startswith(exchange) else exchange + sender
    if not exchange:
        return None
    number = letter.meta.number or ""
    if number.startswith("创业板"):
        return exchange + "创业板公司管理部"
    return exchange + "上市公司管理部"


def _offering_phrase(letter: Letter, company: Any, kind: str = "offering") -> str | None:
    meta = letter.meta
    if kind in ("annual", "attention", "restructuring"):
        return None  # no offering: never the company file's
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


def _letter_kind(letter: Letter, kind: str = "offering") -> str:
    """What the letter calls itself after 申请文件的 (see drafter.parse.facts.letter_kind)."""
    if letter.meta.kind and letter.meta.form == kind:
        return letter.meta.kind
    return _kind_of(letter.meta, kind)


def _prospectus(phrase: str) -> tuple[bool, str]:
    """(is an IPO, the document the reply amends)."""
    if "重组" in phrase or "购买资产" in phrase:
        return False, "重组报告书"
    if "首次公开发行" in phrase or "上市" in phrase:  # 北交所: 公开发行股票并在北交所上市
        return True, "招股说明书"
    return False, "募集说明书"


def build_names(letter: Letter, company: Any, sender: str | None = None) -> Names:
    """The words of the reply to `letter`. `sender`: the department that signed a listed-company
    letter (深圳证券交易所创业板公司管理部), when the letter's text says it."""
    meta = letter.meta
    kind = letter_type(letter)
    sender = sender or meta.sender
    csrc = (meta.exchange or "").startswith("中国证") or (sender or "").startswith("中国证")
    neeq = is_neeq(meta)
    phrase = _offering_phrase(letter, company, kind)
    ipo, prospectus = _prospectus(phrase or "")
    if kind == "csrc" and "非公开" in (phrase or ""):
        prospectus = "发行预案"  # a 非公开发行 has no 募集说明书 to amend
    if kind == "restructuring":
        prospectus = "重组报告书"
    elif kind == "annual":
        prospectus = "年度报告"
    elif kind == "attention":
        prospectus = "相关公告"
    exchange = meta.exchange or get(company, "exchange", "offering.exchange", "company.exchange")
    if kind == "csrc" or csrc:
        exchange = "中国证券监督管理委员会"
    elif neeq:
        exchange = NEEQ
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
    subject = subject_word(letter, kind)
    year = None
    if kind == "annual":
        m = re.search(r"(\d{4})\s*年", meta.title or "")
        year = f"{m.group(1)}年" if m else None
    return Names(
        issuer=meta.issuer or get(company, "name", "full_name", "company.name", "issuer.name"),
        short=_short_name(meta.issuer, company),
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
        letter_kind=_letter_kind(letter, kind),
        letter_type=kind,
        subject=subject,
        letter_short={"csrc": "反馈意见", "attention": "关注函" if "关注函" in (meta.title or "") else "问询函"}.get(
            kind, "落实函" if meta.round == "落实函" or "落实函" in (meta.title or "") else "问询函"),
        authority=("贵会" if csrc else "贵公司" if neeq else
                   {"restructuring": "贵部", "annual": "贵部", "attention": "贵部"}.get(kind, "贵所")),
        addressee=(exchange if kind == "csrc" or csrc else _department(letter, sender)
                   if kind in ("restructuring", "annual", "attention") else None),
        advisor=_name(get(company, "financial_advisor", "intermediaries.financial_advisor")),
        year=year,
        words=_party_words(letter),
    )


def _short_name(issuer: str | None, company: Any) -> str | None:
    """The company file's 简称, unless the file is another issuer's (drafted with --allow-other-issuer):
    its short name would name the wrong company in the reply."""
    short = get(company, "short_name", "company.short_name", "issuer.short_name")
    full = get(company, "name", "full_name", "company.name", "issuer.name")
    if issuer and full and re.sub(r"\s", "", issuer) != re.sub(r"\s", "", str(full)):
        return None
    return short


def _name(v: Any) -> str | None:
    if v is None or isinstance(v, str):
        return v
    return get(v, "name")


def join_parties(parties: list[str]) -> str:
    """保荐人、申报会计师、发行人律师 -- in the letter's words, in the usual order, each once."""
    return "、".join(dict.fromkeys(parties))
