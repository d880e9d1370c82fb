"""Small helpers shared by tests (importable as `from _helpers import …`: pytest puts tests/ on sys.path)."""
from __future__ import annotations

import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from drafter.match import LetterMatch


def typed_matches(d: dict) -> LetterMatch:
    """A hand-written match (`{"questions": [{"number", "topics": [{"id"}], "requests": [{"id", "topics"}]}]}`)
    as the typed LetterMatch compose takes: a topic named by hand counts as a sure match (score 100)."""
    def topics(ts):
        return [{"id": t["id"], "score": t.get("score", 100.0), "reason": t.get("reason", "named by the test")} for t in ts]

    return LetterMatch.model_validate({"questions": [
        {"number": q["number"], "label": q.get("label", ""), "title": q.get("title", ""), "topics": topics(q.get("topics", [])),
         "requests": [{"id": r["id"], "label": r.get("label", ""), "topics": topics(r.get("topics", []))}
                      for r in q.get("requests", [])]}
        for q in d.get("questions", [])]})


def nf(s: str) -> str:
    """NFKC: full-width punctuation and digits as half-width, so texts compare whatever widths they use."""
    return unicodedata.normalize("NFKC", s)


def q2(x: Decimal) -> str:
    """The test's own oracle: half-up to two places with thousands separators, as replies print amounts."""
    return f"{x.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"


def pct(num: Decimal, den: Decimal) -> str:
    """num / den as a percentage, two places half-up."""
    return q2(num / den * 100) + "%"
