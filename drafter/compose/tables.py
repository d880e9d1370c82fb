"""Declarative tables for the answer templates (issue 14): the template says which items, metrics or
records; this module computes and lays them out. Every figure comes from drafter.company.metrics.

    fin_table(profile, ["revenue", "net_profit_parent"], growth=True)      items × report periods
    ratio_table(profile, ["gross_margin"], pp=True, peers=True)             metrics × report periods
    records_table(profile, "equity_history", ["date", "event", "shares"])   one row per record
    series_table(profile, "related_transactions", total_of="revenue")       records × periods, 合计, share

Each returns a `Table` (periods latest first, 单位:万元 where amounts are shown, `注:` lines saying how
every ratio is computed) or a `Missing` naming the data to fill — never a table of dashes.
A template mistake (an unknown item, metric, block or field) raises ValueError: a bug, not a placeholder.
"""
from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from .. import numbers as N
from ..company import metrics as M
from ..company.model import FINANCIAL_ITEMS, FINANCIAL_LABELS, RECORD_BLOCKS, SINGLE_BLOCKS, CompanyProfile
from ..document import Table

MISSING = "【待补充】"
DASH = "-"


class Missing(NamedTuple):
    """What a table needs and the data does not hold (rendered as a placeholder paragraph)."""

    what: str


def _block_name(block: str) -> str:
    """公司数据“股权演变”(equity_history)"""
    from ..company.model import CompanyProfile as _P

    cn = None
    head = block.split(".")[0]
    if head in RECORD_BLOCKS:
        cn = RECORD_BLOCKS[head][1]
    elif head in SINGLE_BLOCKS:
        cn = SINGLE_BLOCKS[head][1]
    else:
        info = _P.model_fields.get(head)
        cn = info.description if info and info.description else None
    return f"公司数据“{cn}”({block})" if cn else f"公司数据“{block}”"


def _items_name(keys: Sequence[str]) -> str:
    return "公司数据“" + "、".join(f"{M.label_of(k)}({k})" for k in keys) + "”"


# --------------------------------------------------------------------------- block access


def block_value(profile: CompanyProfile | None, block: str) -> Any:
    """The value at a dotted path of the profile ("equity_history", "receivables.aging"), or None."""
    if profile is None:
        return None
    cur: Any = profile
    for part in block.split("."):
        if isinstance(cur, Mapping):
            cur = cur.get(part)
        elif cur is not None and part in getattr(type(cur), "model_fields", {}):
            cur = getattr(cur, part)
        else:
            _check_block(block)
            return None
    return cur


def _check_block(block: str) -> None:
    head = block.split(".")[0]
    if head not in CompanyProfile.model_fields and head not in FINANCIAL_ITEMS:
        import difflib

        near = difflib.get_close_matches(head, list(CompanyProfile.model_fields), n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        raise ValueError(f"unknown company block {block!r}{hint}")


def has(profile: CompanyProfile | None, block: str) -> bool:
    """True when the block (or financial item) holds data."""
    if profile is None:
        _check_block(block)
        return False
    if block in FINANCIAL_ITEMS:
        return bool(profile.series(block))
    v = block_value(profile, block)
    if v is None:
        return False
    if hasattr(v, "empty") and isinstance(getattr(v, "empty"), bool):
        return not v.empty
    if isinstance(v, (list, dict)):
        return bool(v)
    if hasattr(type(v), "model_fields"):
        return any(getattr(v, f) not in (None, [], {}) for f in type(v).model_fields)
    return True


def rows(profile: CompanyProfile | None, block: str) -> list:
    """The block's records ([] when absent). A per-period block (customers, suppliers) gives the latest
    period's list; a single block (patents, prior_fundraising) a list of one. Shareholders come with
    `ratio` filled from their shares when the file leaves it out."""
    v = block_value(profile, block)
    if v is None:
        if profile is None:
            _check_block(block)
        return []
    if isinstance(v, dict):
        return list(v.get(profile.latest, [])) if all(N.is_period_key(k) for k in v) else []
    if isinstance(v, list):
        if block == "shareholders":
            return [s if s.ratio is not None else s.model_copy(update={"ratio": shareholder_ratio(profile, s)})
                    for s in v]
        return list(v)
    return [v] if has(profile, block) else []


def shareholder_ratio(profile: CompanyProfile, holder: Any) -> Decimal | None:
    """持股比例 (%): the ratio given, else shares / 股本 at the latest period end (万股 at 1 元 par), else
    shares / all the shareholders' shares listed."""
    if holder.ratio is not None:
        return holder.ratio
    capital = profile.value("share_capital", profile.latest)
    if capital is None:
        capital = N.total(s.shares for s in profile.shareholders)
    return N.ratio(holder.shares, capital)


# --------------------------------------------------------------------------- formatting


def _periods(profile: CompanyProfile) -> list[str]:
    return list(reversed(profile.period_keys))  # latest first, as filed


def _kind_fmt(kind: str, v: Decimal | None, missing: str = MISSING) -> str:
    if kind == "amount":
        return N.fmt_amount(v, missing=missing)
    if kind == "pct":
        return N.fmt_pct(v, missing=missing)
    if kind == "pp":
        return N.fmt_pp_num(v, missing=missing)
    return N.fmt_times(v, missing=missing)


def _labels(profile: CompanyProfile, keys: Sequence[str], balances: bool) -> list[str]:
    return [N.period_end_label(k) if balances else N.period_label(k) for k in keys]


def _interim_note(periods: Sequence[str], names: Sequence[str]) -> str:
    interim = [p for p in periods if not N.parse_period(p).full_year]
    flagged = [n for n in names if n in M.NOT_ANNUALISED]
    if interim and flagged:
        return f"{N.period_label(interim[0])}的{'、'.join(M.label_of(n).split('(')[0] for n in flagged)}未年化。"
    return ""


def _base_note(profile: CompanyProfile, periods: Sequence[str]) -> str:
    """How the base period is chosen, naming an interim period's comparative one."""
    interim = [p for p in periods if not N.parse_period(p).full_year]
    text = "与上年同期比较"
    if interim:
        base = M.base_period(profile, interim[0])
        text += (f",{N.period_label(interim[0])}与{N.period_label(base)}比较" if base
                 else f",{N.period_label(interim[0])}无上年同期数据")
    return text


def _no_figures(cells: Sequence[str]) -> bool:
    return all(c in (MISSING, DASH, "") for c in cells)


# --------------------------------------------------------------------------- fin_table


def fin_table(profile: CompanyProfile | None, keys: Sequence[str], growth: bool = False, to_assets: bool = False,
              title: str | None = None) -> Table | Missing:
    """Financial items × report periods (万元), with a growth row and/or a share-of-total-assets row per item."""
    keys = list(keys)
    for k in keys:
        if k not in FINANCIAL_ITEMS:
            raise ValueError(f"fin_table: unknown financial item {k!r}; see FINANCIAL_ITEMS")
    if profile is None:
        return Missing(_items_name(keys))
    periods = _periods(profile)
    balances = all(FINANCIAL_ITEMS[k][2] == "balance" for k in keys)
    body: list[list[str]] = []
    derived: list[str] = []
    for k in keys:
        vals = [M.value(profile, k, p) for p in periods]
        if all(v is None for v in vals):
            continue
        if k in M.DERIVED_ITEMS and any(profile.financials.get(k, p) is None and v is not None
                                        for p, v in zip(periods, vals)):
            derived.append(k)
        body.append([FINANCIAL_LABELS[k], *[N.fmt_amount(v, missing=MISSING) for v in vals]])
        if growth:
            cells = [N.fmt_pct(M.growth_of(profile, k, p), missing=DASH) for p in periods]
            if not _no_figures(cells):
                body.append([f"{FINANCIAL_LABELS[k]}增长率", *cells])
        if to_assets and k != "total_assets":
            cells = [N.fmt_pct(M.to_assets(profile, k, p), missing=DASH) for p in periods]
            if not _no_figures(cells):
                body.append([f"{FINANCIAL_LABELS[k]}占资产总计比例", *cells])
    if not body:
        return Missing(_items_name(keys))
    notes = []
    if growth:
        notes.append(f"增长率=(本期金额-上年同期金额)/上年同期金额,{_base_note(profile, periods)}")
    if to_assets:
        notes.append("占资产总计比例=各项目期末金额/期末资产总计")
    for k in derived:
        notes.append(f"{FINANCIAL_LABELS[k]}={M.DERIVED_ITEMS[k]}")
    return Table(unit="万元", header=[[title or "项目", *_labels(profile, periods, balances)]], rows=body,
                 numeric_cols=list(range(1, 1 + len(periods))), notes=_notes(notes))


def _notes(parts: Sequence[str]) -> list[str]:
    parts = [p.rstrip("。;") for p in parts if p]
    return ["注:" + ";".join(parts) + "。"] if parts else []


# --------------------------------------------------------------------------- ratio_table


def ratio_table(profile: CompanyProfile | None, metrics: Sequence[str], pp: bool = False,
                peers: bool = False) -> Table | Missing:
    """Metrics × report periods; `pp`: a row of changes in 个百分点 per ratio; `peers`: the peers' average."""
    metrics = list(metrics)
    for m in metrics:
        if not M.is_metric(m):
            raise ValueError(f"ratio_table: unknown metric {m!r}; see drafter.company.metrics.METRIC_LABELS")
    if profile is None:
        return Missing("公司数据“" + "、".join(f"{M.label_of(m)}所需财务数据" for m in metrics) + "”")
    periods = _periods(profile)
    all_m = M.all_period_metrics(profile)
    body: list[list[str]] = []
    shown: list[str] = []
    any_pp = any_peer = False
    for m in metrics:
        kind = M.kind_of(m)
        cells = [_kind_fmt(kind, M.value(profile, m, p), missing=DASH) for p in periods]
        if _no_figures(cells):
            continue
        shown.append(m)
        body.append([M.label_of(m), *cells])
        if pp and kind == "pct":
            ch = [N.fmt_pp_num(M.pp_change_of(profile, m, p), missing=DASH) for p in periods]
            if not _no_figures(ch):
                any_pp = True
                body.append([f"{M.label_of(m)}变动(个百分点)", *ch])
        if peers:
            series = all_m.get(M.peer_metric_name(m), {})
            pc = [_kind_fmt(kind, series.get(p), missing=DASH) for p in periods]
            if not _no_figures(pc):
                any_peer = True
                body.append([f"可比公司平均{M.label_of(m).split('(')[0]}", *pc])
    if not body:
        return Missing("公司数据“" + "、".join(f"{M.label_of(m)}所需财务数据" for m in metrics) + "”")
    notes = [M.METRIC_DEFINITIONS[m] for m in shown if m in M.METRIC_DEFINITIONS]
    if any_pp:
        notes.append(f"变动=本期比率-上年同期比率,{_base_note(profile, periods)}")
    if any_peer:
        notes.append("可比公司数据取自其公开披露的定期报告或招股说明书,平均值为算术平均数")
    notes.append(_interim_note(periods, shown))
    return Table(unit=None, header=[["项目", *_labels(profile, periods, False)]], rows=body,
                 numeric_cols=list(range(1, 1 + len(periods))), notes=_notes(notes))


# --------------------------------------------------------------------------- records_table


def _field_kind(block: str, field: str, value: Any) -> str:
    from ..company.sheets import SHEETS

    for c in SHEETS.get(block, ("", []))[1]:
        if c.field == field:
            return c.kind
    if isinstance(value, dict):
        return "series"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, _dt.date):
        return "date"
    if isinstance(value, int):
        return "count"
    if isinstance(value, Decimal):
        return "money"
    return "text"


def _field_label(block: str, model: type | None, field: str) -> str:
    from ..company.sheets import field_label

    label = field_label(block, field)
    if label == field and model is not None:
        info = model.model_fields.get(field)
        if info is not None and info.description:
            label = info.description.split(" ")[0].split("(")[0]
    return label


def _is_balance(block: str, field: str) -> bool:
    from ..company.sheets import SHEETS

    return any(c.field == field and c.balance for c in SHEETS.get(block, ("", []))[1])


def _cell(kind: str, v: Any) -> str:
    if v is None or v == "":
        return DASH
    if kind == "bool":
        return "是" if v else "否"
    if kind == "date":
        return N.fmt_date(v)
    if kind == "count":
        return N.fmt_int(v)
    if kind == "pct":
        return N.fmt_pct(v)
    if kind in ("money", "number", "series", "qseries"):
        return N.fmt_amount(v)
    return str(v)


def _select(records: list, where: Mapping[str, Any] | None) -> list:
    if not where:
        return records
    out = []
    for r in records:
        ok = True
        for f, want in where.items():
            got = getattr(r, f, None)
            if isinstance(want, (list, tuple, set)):
                ok = ok and got in want
            else:
                ok = ok and got == want
        if ok:
            out.append(r)
    return out


def records_table(profile: CompanyProfile | None, block: str, fields: Sequence[str], headers: Sequence[str] | None = None,
                  where: Mapping[str, Any] | None = None) -> Table | Missing:
    """One row per record of `block`; a series field expands to one column per report period (latest first)."""
    _check_block(block)
    records = _select(rows(profile, block), where)
    model = type(records[0]) if records else _record_model(block)
    fields = list(fields)
    if model is not None:
        bad = [f for f in fields if f not in model.model_fields]
        if bad:
            raise ValueError(f"records_table: {block} has no field(s) {', '.join(bad)}; "
                             f"expected some of {', '.join(model.model_fields)}")
    if not records:
        return Missing(_block_name(block))
    periods = _periods(profile)
    kinds = {f: _field_kind(block, f, getattr(records[0], f)) for f in fields}
    series_fields = [f for f in fields if kinds[f] in ("series", "qseries")]
    header: list[str] = []
    for i, f in enumerate(fields):
        label = headers[i] if headers and i < len(headers) else _field_label(block, model, f)
        if kinds[f] == "pct" and not headers:
            label = label.replace("(%)", "")  # the cells carry the % sign
        if kinds[f] in ("series", "qseries"):
            plabels = _labels(profile, periods, _is_balance(block, f))
            header += plabels if len(series_fields) == 1 and not headers else [f"{label}({p})" for p in plabels]
        else:
            header.append(label)
    body = []
    for r in records:
        row: list[str] = []
        for f in fields:
            v = getattr(r, f)
            if kinds[f] in ("series", "qseries"):
                row += [_cell(kinds[f], v.get(p)) for p in periods]
            else:
                row.append(_cell(kinds[f], v))
        body.append(row)
    numeric = [j for j, _ in enumerate(header) if j > 0 and _numeric_col(fields, kinds, periods, j)]
    money = any(kinds[f] in ("money", "series") for f in fields)
    notes = []
    if block == "shareholders" and "ratio" in fields and any(s.ratio is None for s in profile.shareholders):
        notes.append("持股比例=持股数量/股本总额")
    return Table(unit="万元" if money else None, header=[header], rows=body, numeric_cols=numeric, notes=_notes(notes))


def _record_model(block: str):
    head = block.split(".")[0]
    if head in RECORD_BLOCKS:
        return RECORD_BLOCKS[head][0]
    return None


def _numeric_col(fields: list[str], kinds: dict[str, str], periods: list[str], j: int) -> bool:
    col = 0
    for f in fields:
        width = len(periods) if kinds[f] in ("series", "qseries") else 1
        if col <= j < col + width:
            return kinds[f] in ("money", "number", "count", "pct", "series", "qseries")
        col += width
    return False


# --------------------------------------------------------------------------- series_table


def series_table(profile: CompanyProfile | None, block: str, name: str = "party", value: str = "amounts",
                 total_of: str | None = None, where: Mapping[str, Any] | None = None,
                 title: str | None = None) -> Table | Missing:
    """One row per record (its `name` field) × report periods (latest first), a 合计 row and, with
    `total_of` (a financial item), the share of that item as a second column per period."""
    _check_block(block)
    if total_of is not None and total_of not in FINANCIAL_ITEMS:
        raise ValueError(f"series_table: unknown financial item {total_of!r}")
    records = _select(rows(profile, block), where)
    model = type(records[0]) if records else _record_model(block)
    if model is not None:
        for f in (name, value):
            if f not in model.model_fields:
                raise ValueError(f"series_table: {block} has no field {f!r}; expected some of {', '.join(model.model_fields)}")
    if not records:
        return Missing(_block_name(block))
    periods = _periods(profile)
    names = [str(getattr(r, name)) for r in records]
    if len(set(names)) < len(names) and "kind" in model.model_fields:
        names = [f"{n}({r.kind})" for n, r in zip(names, records)]
    series = [getattr(r, value) for r in records]
    if all(not any(s.get(p) is not None for p in periods) for s in series):
        return Missing(_block_name(block))
    totals = {p: N.total(s.get(p) for s in series) if any(s.get(p) is not None for s in series) else None
              for p in periods}
    balances = _is_balance(block, value)
    labels = _labels(profile, periods, balances)
    first = title or _field_label(block, model, name)
    if total_of is None:
        body = [[n, *[N.fmt_amount(s.get(p), missing=DASH) for p in periods]] for n, s in zip(names, series)]
        body.append(["合计", *[N.fmt_amount(totals[p], missing=DASH) for p in periods]])
        return Table(unit="万元", header=[[first, *labels]], rows=body, numeric_cols=list(range(1, 1 + len(periods))))
    den = {p: M.value(profile, total_of, p) for p in periods}

    def pair(v: Decimal | None, p: str) -> list[str]:
        return [N.fmt_amount(v, missing=DASH), N.fmt_pct(N.ratio(v, den[p]), missing=DASH)]

    what = FINANCIAL_LABELS[total_of]
    body = [[n, *[c for p in periods for c in pair(s.get(p), p)]] for n, s in zip(names, series)]
    body.append(["合计", *[c for p in periods for c in pair(totals[p], p)]])
    header = [[first, *[lb for lb in labels for _ in (0, 1)]], ["", *(["金额", f"占{what}比例"] * len(periods))]]
    notes = [f"占{what}比例=金额/当期{what}"]
    if any(den[p] is None for p in periods):
        notes.append(f"{N.periods_label([p for p in reversed(periods) if den[p] is None])}{what}未提供,占比待补充")
    return Table(unit="万元", header=header, rows=body, numeric_cols=list(range(1, 1 + 2 * len(periods))),
                 notes=_notes(notes))
