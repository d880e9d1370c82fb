"""Text helpers for the precedent library: normalisation, n-grams, the FTS query and the fuzzy score.

Chinese has no spaces. Two FTS5 indexes cover the request texts:
- `requests_fts` (FTS5 `trigram` tokenizer) finds a few words as written (substring search);
- `requests_bi` holds each request as its character bigrams (most Chinese words are two
  characters: 学历, 薪酬, 逾期), so a reworded request still shares its words with the original.
A long query is not searched as a phrase (a paraphrase would find nothing) nor as an AND of all
its n-grams; instead its most distinctive bigrams (rarest in the library, read from the `grams`
table) are OR-ed within a budget of postings, bm25 ranks the candidates, and a fuzzy score
(rapidfuzz edit ratios plus idf-weighted bigram overlap) re-ranks them.
"""
from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from rapidfuzz import fuzz

_SPACE = re.compile(r"\s+")
# An n-gram with punctuation, a digit or a space carries little meaning in a request.
_WEAK_RUN = re.compile(r"[\W_\d]+", re.UNICODE)
# Page noise the corpus carries: page numbers like 8-1-4 or 8-1-3-12 on their own.
_PAGE = re.compile(r"(?m)^\s*8-\d+(?:-\d+){1,2}\s*$")


def normalize(text: str) -> str:
    """The indexed form: NFKC (full-width -> half-width), lower case, no whitespace."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or "")).lower()


def clean(text: str) -> str:
    """Display form of harvested text: page numbers removed, blank-line runs collapsed."""
    text = _PAGE.sub("", text or "")
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def bigram_list(norm: str) -> list[str]:
    """Meaningful character bigrams of normalised text, in order, repeats kept."""
    return [run[i : i + 2] for run in _WEAK_RUN.split(norm) for i in range(len(run) - 1)]


def bigrams(norm: str) -> list[str]:
    """Distinct meaningful bigrams, in order of first appearance."""
    return list(dict.fromkeys(bigram_list(norm)))


def bigram_body(norm: str) -> str:
    """What `requests_bi` indexes: the bigrams as space-separated tokens (unicode61 tokenizer)."""
    return " ".join(bigram_list(norm))


def fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def pick_terms(grams: list[str], df: dict[str, int], budget: int, max_terms: int = 24,
               min_terms: int = 3) -> list[str]:
    """The rarest n-grams of the query, as many as fit a budget of postings to read.

    N-grams absent from the library are skipped (they cannot find anything). At least
    `min_terms` are taken even over budget, so a query made only of common words still searches.
    """
    chosen: list[str] = []
    total = 0
    for g in sorted((g for g in grams if df.get(g)), key=lambda g: df[g]):
        if len(chosen) >= max_terms or (total + df[g] > budget and len(chosen) >= min_terms):
            break
        chosen.append(g)
        total += df[g]
    return chosen


def similarity(qnorm: str, qgrams: dict[str, float], cnorm: str) -> float:
    """0-100: how close a stored request (normalised) is to the query (normalised).

    `qgrams` maps the query's bigrams to their idf weight in the library. Mixes the edit-distance
    ratio (same wording, same order), the best partial alignment (the query is part of a longer
    request or the reverse), the Dice overlap of the two bigram sets, and the idf-weighted share
    of the query's bigrams the request contains (a paraphrase keeps the distinctive words, often
    in another order).
    """
    if not qnorm or not cnorm:
        return 0.0
    ratio = fuzz.ratio(qnorm, cnorm)
    partial = fuzz.partial_ratio(qnorm, cnorm) if min(len(qnorm), len(cnorm)) >= 4 else ratio
    if not qgrams:
        return 0.6 * ratio + 0.4 * partial
    cg = set(bigrams(cnorm))
    shared = qgrams.keys() & cg
    dice = 200.0 * len(shared) / (len(qgrams) + len(cg)) if cg else 0.0
    total = sum(qgrams.values()) or 1.0
    cover = 100.0 * sum(qgrams[g] for g in shared) / total
    return 0.2 * ratio + 0.15 * partial + 0.2 * dice + 0.45 * cover


def half_up(x: float, places: str = "0.1") -> float:
    """Round a score for display, half-up (四舍五入), through Decimal."""
    return float(Decimal(repr(x)).quantize(Decimal(places), rounding=ROUND_HALF_UP))
