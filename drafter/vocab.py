"""One vocabulary: party words and kinds, Chinese numerals, normalisation — used by every stage.

    PARTY_WORDS              a regex alternative group matching any party word a letter may use
    PARTY_KINDS              [(kind, regex)] in the order that classifies a name (sponsor, financial_advisor …)
    KIND_WORD                kind -> the usual word when the letter names none (保荐人, 申报会计师 …)
    party_kind(name)         保荐机构 -> sponsor, 评估师 -> appraiser, unknown -> other (NFKC first)
    cn_numeral(n)            1 -> 一, 11 -> 十一, 21 -> 二十一 (1–99)
    cn_number(s)             一 -> 1, 十二 -> 12, 二十三 -> 23 (0 when not a numeral)
    nfkc(text)               half-width everything except circled numbers (①② are request labels)
    CIRCLED                  ①…⑳

The party words are language, kept as data in drafter/data/vocab.json.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import json

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
CN_DIGITS = "零一二三四五六七八九"
_CIRCLED_SET = frozenset(CIRCLED)
DATA = Path(__file__).resolve().parent / "data" / "vocab.json"


def _load() -> dict:
    with DATA.open(encoding="utf-8") as f:
        return json.load(f)


_V = _load()
PARTY_KINDS: list[tuple[str, str]] = [(k, v["kind_rx"]) for k, v in _V["parties"].items()]
KIND_WORD: dict[str, str] = {k: v["default"] for k, v in _V["parties"].items()}
PARTY_WORDS = "(?:" + "|".join(map(re.escape, _V["party_word_order"])) + ")"
_KIND_RX = [(k, re.compile(rx)) for k, rx in PARTY_KINDS]


@lru_cache(maxsize=512)
def party_kind(name: str) -> str:
    """The kind of a party named as in a letter (保荐机构 -> sponsor, 评估师 -> appraiser, else other)."""
    name = unicodedata.normalize("NFKC", name or "")
    for kind, rx in _KIND_RX:
        if rx.search(name):
            return kind
    return "other"


def cn_numeral(n: int) -> str:
    """1 -> 一, 10 -> 十, 11 -> 十一, 21 -> 二十一; outside 1–99 the digits."""
    if n <= 0 or n >= 100:
        return str(n)
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def cn_number(s: str) -> int:
    """一 -> 1, 十二 -> 12, 二十三 -> 23 (0 when not a numeral)."""
    digits = {c: k for k, c in enumerate(CN_DIGITS)}
    if not s or any(c not in digits and c != "十" for c in s):
        return 0
    if "十" not in s:
        return digits[s] if len(s) == 1 else 0
    a, _, b = s.partition("十")
    if len(a) > 1 or len(b) > 1:
        return 0
    tens = digits.get(a, 0) if a else 1
    ones = digits.get(b, 0) if b else 0
    return tens * 10 + ones


def nfkc(text: str) -> str:
    """Half-width everything except circled numbers (①② are request labels)."""
    if not any(c in _CIRCLED_SET for c in text):
        return unicodedata.normalize("NFKC", text)
    return "".join(c if c in _CIRCLED_SET else unicodedata.normalize("NFKC", c) for c in text)


# absolute wording a reply should not use (确保, 绝对 …): review warns; compose never heads a part with it
ABSOLUTE = re.compile(r"确保|绝对|完全不存在|完全没有|一定(?=会|能|不|是|可以|将|能够)|百分之百|毫无|绝不|必然|"
                      r"杜绝|万无一失|不可能|无任何|不存在任何")
