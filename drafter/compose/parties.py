"""Party kinds: the one mapping from a party as the letter names it to its kind and to whose
procedures it performs. Compose, checklist and review all use these functions.

    party_kind(name) -> "sponsor" | "auditor" | "lawyer" | "financial_advisor" | "appraiser" |
                        "intermediaries" | "directors" | "other"      (the parser's vocabulary)
    kinds_of(verification) -> the kind of each party, as the parser filled Verification.kinds
    procedure_kinds(kind) -> the question bank's procedure keys that party performs:
        sponsor / auditor / lawyer as themselves; financial_advisor -> sponsor (in a 重组 the
        独立财务顾问 does the sponsor's work); intermediaries (中介机构) -> all three;
        appraiser / directors / other -> [] (the bank has nothing for them: a placeholder, never
        another party's procedures)
"""
from __future__ import annotations

from typing import Any

from ..vocab import KIND_WORD, party_kind  # noqa: F401  (one vocabulary, re-exported)

# the order parties are listed in a block: 保荐人、会计师、律师, then the others
KIND_ORDER = {"sponsor": 0, "financial_advisor": 0, "auditor": 1, "lawyer": 2, "appraiser": 3,
              "directors": 4, "intermediaries": 5, "other": 6}
# the bank's procedure keys
BANK_KINDS = ("sponsor", "auditor", "lawyer")
def kinds_of(v: Any) -> list[str]:
    """Kinds of a Verification's parties, in the same order (Verification.kinds when the parser
    filled it, else computed from the names)."""
    parties = list(getattr(v, "parties", None) or [])
    kinds = list(getattr(v, "kinds", None) or [])
    if len(kinds) == len(parties):
        return kinds
    return [party_kind(p) for p in parties]


def procedure_kinds(kind: str) -> list[str]:
    """The bank procedure keys a party of `kind` performs ([] when the bank has none for it)."""
    if kind in BANK_KINDS:
        return [kind]
    if kind == "financial_advisor":
        return ["sponsor"]
    if kind == "intermediaries":
        return list(BANK_KINDS)
    return []


def party_procedure_kinds(name: str) -> list[str]:
    return procedure_kinds(party_kind(name))


def kind_order(name: str) -> int:
    return KIND_ORDER.get(party_kind(name), 9)
