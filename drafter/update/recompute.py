"""Recompute a tagged figure or table from a (new) company file, the way compose first computed it.

    rc = Recomputer(profile)
    rc.figure(source)  -> (Decimal | None, printed text | None)   None: the new file lacks the datum
    rc.table(source)   -> Table | None                            None: no table from the new data

A figure's source names a metric of drafter.company.metrics (`{"kind": "metric", "fn": "value",
"key": "revenue", "period": "2026H1"}`) or a computed figure of a topic (`{"kind": "f", "topic":
"revenue", "path": ["rev", "2026H1"]}`), and the drafter.numbers formatter that printed it (`fmt`).
A table's source is the computed table of a topic or the declarative table call with its arguments.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from .. import numbers as N
from ..company import metrics as M
from ..company.model import CompanyProfile
from ..compose import computed
from ..compose import tables as T
from ..compose.context import Names
from ..compose import typography
from ..compose.typography import full_width
from ..document import ReplyDocument, Table

FORMATTERS = {"fmt_amount", "fmt_number", "fmt_int", "fmt_pct", "fmt_pp", "fmt_pp_num", "fmt_growth", "fmt_times"}
METRIC_FNS = {"value": M.value, "growth_of": M.growth_of, "pp_change_of": M.pp_change_of, "to_assets": M.to_assets}


def plain_names() -> Names:
    """The words computed sections need when no letter is at hand (figures do not depend on them)."""
    return Names(issuer=None, short=None, exchange=None, offering_phrase=None, ipo=True, prospectus="招股说明书",
                 sponsor=None, sponsor_title="保荐人(主承销商)", sponsor_word="保荐人", sponsor_address=None,
                 auditor=None, lawyer=None, legal_rep=None)


def format_figure(value: Decimal | None, source: dict[str, Any]) -> str | None:
    """The figure as the draft printed it (same formatter, same places, full-width as typography sets)."""
    if value is None:
        return None
    fmt = source.get("fmt")
    if fmt not in FORMATTERS:
        return None
    args = [int(a) if isinstance(a, (int, str)) and str(a).isdigit() else a for a in source.get("args", [])]
    try:
        text = getattr(N, fmt)(value, *args[:1])
    except (ValueError, TypeError, ArithmeticError):
        return None
    return full_width(text)


class Recomputer:
    def __init__(self, profile: CompanyProfile):
        self.profile = profile
        self.names = plain_names()
        self._topics: dict[str, tuple[dict, dict]] = {}

    @property
    def latest(self) -> str | None:
        return self.profile.latest

    def _topic(self, topic: str) -> tuple[dict, dict]:
        if topic not in self._topics:
            self._topics[topic] = computed.context_for(topic, self.profile, self.names)
        return self._topics[topic]

    def value(self, source: dict[str, Any]) -> Decimal | None:
        kind = source.get("kind")
        try:
            if kind == "metric":
                fn, key, period = source.get("fn"), str(source.get("key")), source.get("period")
                if fn == "share_of":
                    return M.share_of(self.profile, key, str(source.get("denominator")), period)
                if fn == "cagr_of":
                    return M.cagr_of(self.profile, key)[0]
                f = METRIC_FNS.get(fn)
                if f is None:
                    return None
                if source.get("base") is not None:
                    return f(self.profile, key, period, str(source["base"]))
                return f(self.profile, key, period)
            if kind == "f":
                cur: Any = self._topic(str(source.get("topic", "")))[0].get("f") or {}
                for part in source.get("path", []):
                    if not isinstance(cur, dict):
                        return None
                    cur = cur.get(part)
                return Decimal(cur) if isinstance(cur, Decimal) else None
        except (ValueError, TypeError, KeyError, ArithmeticError):
            return None
        return None

    def figure(self, source: dict[str, Any]) -> tuple[Decimal | None, str | None]:
        """The value (signed, as computed) and the figure as printed (its absolute value for an `abs`)."""
        v = self.value(source)
        shown = abs(v) if v is not None and source.get("abs") else v
        return v, format_figure(shown, source)

    def table(self, source: dict[str, Any]) -> Table | None:
        kind = source.get("kind")
        args = source.get("args") or {}
        try:
            if kind == "computed":
                t = self._topic(str(source.get("topic", "")))[1].get(str(source.get("name")))
            elif kind == "fin_table":
                t = T.fin_table(self.profile, args.get("keys", []), growth=bool(args.get("growth")),
                                to_assets=bool(args.get("to_assets")), title=args.get("title"))
            elif kind == "ratio_table":
                t = T.ratio_table(self.profile, args.get("metrics", []), pp=bool(args.get("pp")),
                                  peers=bool(args.get("peers")))
            elif kind == "records_table":
                t = T.records_table(self.profile, str(args.get("block")), args.get("fields", []),
                                    headers=args.get("headers"), where=args.get("where"))
            elif kind == "series_table":
                t = T.series_table(self.profile, str(args.get("block")), name=args.get("name", "party"),
                                   value=args.get("value", "amounts"), total_of=args.get("total_of"),
                                   where=args.get("where"), title=args.get("title"))
            elif kind == "coverage":  # 函证/走访/细节测试 against a base amount, the report periods
                from ..compose.verify import coverage_table

                t = coverage_table(str(args.get("base", "revenue")), self.profile, self.profile.period_keys)
            else:
                return None
        except (ValueError, TypeError, KeyError, ArithmeticError):
            return None
        if not isinstance(t, Table):
            return None
        doc = ReplyDocument(title="", blocks=[t.model_copy(deep=True)])
        typography.apply(doc)  # full-width punctuation and 注： labels, as the draft had them
        return doc.blocks[0]
