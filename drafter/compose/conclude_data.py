"""Points of a 核查意见 the company data decides, with the figure deciding them.

    decide(figure, forms, figures) -> str | None

`figure`: a computed test named in the rules file's `decided:` (conclusion_rules.DECIDERS); `forms`: the
file's sentence per outcome; `figures(topic_id)`: the topic's computed figures (drafter/compose/computed.py,
the same the answer above uses — so a conclusion never says otherwise than the answer). None when the
data does not decide (a figure missing): the caller then offers the choice to the reviewer.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
import string
from decimal import Decimal
from typing import Any

from .. import numbers as N

Figures = Callable[[str], Mapping[str, Any]]


class Figure(str):
    """A printed figure that remembers its provenance (`source`, with the formatter) when it has one."""

    source: dict | None = None


class Figured(str):
    """A decided sentence with the figures printed in it, in order ([(text, source)]) for drafter update."""

    figures: list = []


def _amt(x: Any) -> str | None:
    return _figure(N.fmt_amount(x), x, "fmt_amount") if isinstance(x, (Decimal, int)) else None


def _pct(x: Any) -> str | None:
    return _figure(N.fmt_pct(x), x, "fmt_pct") if isinstance(x, (Decimal, int)) else None


def _figure(text: str, x: Any, fmt: str) -> Figure:
    f = Figure(text)
    src = getattr(x, "source", None)
    if isinstance(src, dict):
        f.source = {**src, "fmt": fmt}
    return f


def _fill(form: str | None, values: Mapping[str, str | None]) -> str | None:
    if not form:
        return None
    used = {name for _, name, _, _ in string.Formatter().parse(form) if name}
    if any(values.get(name) is None for name in used):
        return None  # a figure the sentence needs is missing: not decided
    out = Figured(form.format(**{k: v for k, v in values.items() if k in used}))
    order = [name for _, name, _, _ in string.Formatter().parse(form) if name]
    out.figures = [(str(values[n]), values[n].source) for n in order
                   if isinstance(values.get(n), Figure) and values[n].source]
    return out


def decide(figure: str, forms: Mapping[str, str], figures: Figures | None) -> str | None:
    if figures is None:
        return None
    if figure == "financial_investment_large":
        f = figures("financial_investment") or {}
        if f.get("over_30") is None:
            return None
        return _fill(forms.get("above" if f["over_30"] else "below"), {
            "end_label": f.get("end_label"), "total_financial": _amt(f.get("total_financial")),
            "net_assets_parent": _amt(f.get("net_assets_parent")), "share": _pct(f.get("share"))})
    if figure == "financial_investment_deduct":
        f = figures("financial_investment") or {}
        deduct = f.get("deduct")
        if deduct is None:
            return None
        if deduct == 0:
            if f.get("categories_unverified"):
                return None  # nothing itemised: the eight categories are still to check
        outcome = "none" if deduct == 0 else "deducted" if f.get("deducted_already") else "to_deduct"
        return _fill(forms.get(outcome), {"deduct": _amt(deduct), "amount_after_deduct": _amt(f.get("amount_after_deduct")),
                                          "offering_amount": _amt(f.get("offering_amount"))})
    if figure == "bond_ratio":
        f = figures("bond_balance_solvency") or {}
        if f.get("over_50") is None:
            return None
        return _fill(forms.get("above" if f["over_50"] else "below"), {
            "cumulative": _amt(f.get("cumulative")), "net_assets": _amt(f.get("net_assets")),
            "bond_ratio": _pct(f.get("bond_ratio")), "outstanding": _amt(f.get("outstanding")),
            "amount": _amt(f.get("amount"))})
    return None
