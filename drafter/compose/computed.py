"""Computed sections: figures and Table blocks for the answer templates, all Decimal, half-up.

Every ratio is computed here from amounts (drafter.numbers), and each table carries a `注:` line
saying how. A missing datum becomes a placeholder (`【待补充:…】` in a table cell, or a
`ph(...)` in the template through a None value), never a blank or a crash.

`context_for(topic_id, company, names) -> (context, tables)` is what the templates see:
    context: {"company": profile, "names": names, "periods": [...], "f": {figures…}, "has": {...}}
    tables:  name -> Table (inserted by `{{ table("name") }}` in the template)
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from .. import numbers as N
from ..document import Table
from .context import Names, get

MISSING = "【待补充】"
Num = Decimal | None

# ----------------------------------------------------------------------------- company access


def _dec(v: Any) -> Num:
    try:
        return N.to_decimal(v)
    except (ValueError, TypeError):
        return None


def _items(v: Any) -> list[tuple[Any, Any]]:
    if v is None:
        return []
    if isinstance(v, Mapping):
        return list(v.items())
    if hasattr(v, "model_dump"):
        return [(k, getattr(v, k)) for k in type(v).model_fields]
    return []


def periods_of(company: Any) -> list[str]:
    """The reporting-period keys, oldest first ("2023", "2024", "2025", "2026H1")."""
    keys = getattr(company, "period_keys", None)
    if keys:
        return list(keys)
    ps = get(company, "periods", default=None)
    if ps:
        return [str(get(p, "key") or p) for p in ps if not get(p, "comparative")]
    keys = set()
    fin = get(company, "financials")
    for k, v in _items(fin):
        if N.is_period_key(str(k)):
            keys.add(str(k))
        else:
            for kk, _ in _items(v):
                if N.is_period_key(str(kk)):
                    keys.add(str(kk))
    return sorted(keys, key=lambda k: (N.parse_period(k).year, N.parse_period(k).months))


def period_labels(company: Any) -> list[str]:
    try:
        return [N.period_label(p) for p in periods_of(company)]
    except Exception:
        return []


def fin(company: Any, item: str, period: str) -> Num:
    """One financial figure for a period, whatever the profile's layout (item->period or period->item)."""
    fin_ = get(company, "financials")
    if fin_ is None:
        return None
    by_item = fin_.get(item) if isinstance(fin_, Mapping) else getattr(fin_, item, None)
    if by_item is not None:
        if isinstance(by_item, Mapping):
            return _dec(by_item.get(period, by_item.get(int(period) if period.isdigit() else period)))
        return _dec(get(by_item, period))
    by_period = fin_.get(period) if isinstance(fin_, Mapping) else getattr(fin_, period, None)
    if by_period is not None:
        return _dec(get(by_period, item))
    return None


def fin_series(company: Any, item: str, periods: Sequence[str]) -> dict[str, Num]:
    return {p: fin(company, item, p) for p in periods}


def full_years(periods: Sequence[str]) -> list[str]:
    return [p for p in periods if N.parse_period(p).full_year]


# ----------------------------------------------------------------------------- formatting

def amt(x: Num) -> str:
    return N.fmt_amount(x, missing=MISSING)


def pct(x: Num) -> str:
    return N.fmt_pct(x, missing=MISSING)


def amt_or(x: Num, missing: str = "-") -> str:
    return N.fmt_amount(x, missing=missing)


def _yes(v: Any) -> bool | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return v
    s = str(v).strip()
    if s in ("是", "true", "True", "yes", "Y", "1"):
        return True
    if s in ("否", "false", "False", "no", "N", "0"):
        return False
    return None


def months_before(d: dt.date, months: int) -> dt.date:
    y, m = d.year, d.month - months
    while m <= 0:
        m += 12
        y -= 1
    import calendar

    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _date(v: Any) -> dt.date | None:
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v).strip()[:10])
    except ValueError:
        return None


# ----------------------------------------------------------------------------- 财务性投资

EIGHT_CATEGORIES = [
    ("类金融业务", "类金融"),
    ("投资产业基金、并购基金", "产业基金"),
    ("拆借资金", "拆借资金"),
    ("委托贷款", "委托贷款"),
    ("以超过集团持股比例向集团财务公司出资或增资", "财务公司"),
    ("购买收益波动大且风险较高的金融产品", "高风险金融产品"),
    ("非金融企业投资金融业务", "金融业务"),
    ("与公司主营业务无关的股权投资", "股权投资"),
]


def financial_investment(company: Any, names: Names) -> tuple[dict, dict]:
    periods = periods_of(company)
    latest = periods[-1] if periods else None
    accounts = []
    for inv in get(company, "investments", "financial_investment.accounts", default=[]) or []:
        account = get(inv, "account", "name", "item")
        book = _dec(get(inv, "book_value", "balance", "amount"))
        fin_amt = get(inv, "financial_amount", "financial_value")
        is_fin = _yes(get(inv, "financial", "is_financial"))
        fin_amt = _dec(fin_amt) if fin_amt is not None else (book if is_fin else (Decimal(0) if is_fin is False else None))
        accounts.append({"account": account, "book": book, "fin": fin_amt, "is_fin": is_fin if is_fin is not None else (fin_amt not in (None, 0)),
                         "note": get(inv, "note", "description", "nature", default="")})
    nap = fin(company, "net_assets_parent", latest) if latest else None
    if nap is None:
        nap = _dec(get(company, "financials.net_assets_parent_latest"))
    total_book = N.total(a["book"] for a in accounts)
    total_fin = N.total(a["fin"] for a in accounts) if accounts else None
    if accounts and any(a["fin"] is None for a in accounts):
        total_fin = None
    share = N.share(total_fin, nap)
    end_label = N.period_date_label(latest) if latest else None

    rows = []
    for a in accounts:
        rows.append([a["account"] or MISSING, amt(a["book"]), amt(a["fin"]), pct(N.share(a["fin"], nap)),
                     "是" if a["is_fin"] else "否"])
    rows.append(["合计", amt(total_book), amt(total_fin), pct(share), "-"])
    t_accounts = Table(
        unit="万元",
        header=[["项目", f"{end_label or MISSING}账面价值", "其中:财务性投资金额", "财务性投资占归属于母公司净资产比例", "是否属于财务性投资"]],
        rows=rows,
        numeric_cols=[1, 2, 3],
        notes=[f"注:财务性投资占比=财务性投资金额/{end_label or '最近一期末'}归属于母公司所有者的净资产"
               f"({amt(nap)}万元)。"],
    )

    board = _date(get(company, "offering.board_resolution_date", "board_resolution_date"))
    window_start = months_before(board, 6) if board else None
    new_items = get(company, "facts.new_financial_investments", "new_financial_investments", default=None)
    deducted = _dec(get(company, "offering.deducted_financial_investment"))
    cat_rows = []
    deduct = Decimal(0) if new_items is not None else None
    for cat, key in EIGHT_CATEGORIES:
        found = None
        if new_items is not None:
            hits = [x for x in new_items if key in str(get(x, "category", "kind", default=""))]
            found = N.total(_dec(get(x, "amount")) for x in hits) if hits else Decimal(0)
            if found and deduct is not None:
                deduct += found
        if found is None:
            cat_rows.append([cat, "【待核实】", MISSING])
        else:
            cat_rows.append([cat, "是" if found else "否", amt(found) if found else "-"])
    t_cats = Table(
        unit="万元",
        header=[["类别", "是否存在新投入或拟投入", "金额"]],
        rows=cat_rows,
        numeric_cols=[2],
        notes=[f"注:核查期间为本次发行董事会决议日前六个月({N.fmt_date(window_start) if window_start else MISSING})起至本回复出具日。"],
    )
    if deducted is not None:
        deduct = deducted if deduct is None or deduct == 0 else deduct
        if new_items is None:  # the data says what was deducted; the per-category split is to confirm
            cat_rows = [[c, "【待核实】", "-"] for c, _ in EIGHT_CATEGORIES]
    amount = _dec(get(company, "offering.amount", "offering.amount_wan", "offering_amount"))
    f = {
        "latest": latest,
        "end_label": end_label,
        "net_assets_parent": nap,
        "total_book": total_book,
        "total_financial": total_fin,
        "share": share,
        "over_30": (share > 30) if share is not None else None,
        "board_date": board,
        "window_start": window_start,
        "deduct": deduct,
        "offering_amount": amount,
        "deducted_already": deducted is not None,  # offering.amount is then the raise after deduction
        "amount_after_deduct": (amount if deducted is not None else amount - deduct) if (amount is not None and deduct is not None) else None,
        "accounts": accounts,
        "financial_accounts": [a for a in accounts if a["is_fin"]],
    }
    return {"f": f}, {"fi_accounts": t_accounts, "fi_categories": t_cats}


# ----------------------------------------------------------------------------- 累计债券余额 / 偿债能力

def bond_balance(company: Any, names: Names) -> tuple[dict, dict]:
    periods = periods_of(company)
    latest = periods[-1] if periods else None
    amount = _dec(get(company, "offering.amount", "offering_amount"))
    outstanding = _dec(get(company, "offering.bonds_outstanding", "bonds_outstanding", "financials.bonds_outstanding"))
    na = fin(company, "net_assets", latest) if latest else None
    liab = fin(company, "total_liabilities", latest) if latest else None
    if liab is None and latest:
        liab = fin(company, "liabilities", latest)
    ta = fin(company, "total_assets", latest) if latest else None
    cumulative = (outstanding + amount) if (outstanding is not None and amount is not None) else None
    bond_ratio = N.share(cumulative, na)
    end_label = N.period_end_label(latest) if latest else MISSING
    date_label = N.period_date_label(latest) if latest else MISSING

    t_bond = Table(
        unit="万元",
        header=[["项目", "金额/比例"]],
        rows=[
            [f"{date_label}累计债券余额(不含本次)", amt(outstanding)],
            ["本次发行可转换公司债券金额", amt(amount)],
            ["本次发行后累计债券余额", amt(cumulative)],
            [f"{date_label}净资产", amt(na)],
            ["累计债券余额占净资产比例", pct(bond_ratio)],
        ],
        numeric_cols=[1],
        notes=["注:累计债券余额占净资产比例=(最近一期末累计债券余额+本次发行金额)/最近一期末净资产。"],
    )
    debt_now = N.share(liab, ta)
    debt_before = N.share(liab + amount, ta + amount) if None not in (liab, ta, amount) else None
    debt_after = N.share(liab, ta + amount) if None not in (liab, ta, amount) else None
    t_debt = Table(
        unit="万元",
        header=[["项目", f"{date_label}", "发行后、转股前", "全部转股后"]],
        rows=[
            ["资产总计", amt(ta), amt(ta + amount) if None not in (ta, amount) else MISSING, amt(ta + amount) if None not in (ta, amount) else MISSING],
            ["负债合计", amt(liab), amt(liab + amount) if None not in (liab, amount) else MISSING, amt(liab)],
            ["资产负债率", pct(debt_now), pct(debt_before), pct(debt_after)],
        ],
        numeric_cols=[1, 2, 3],
        notes=["注:资产负债率=负债合计/资产总计;发行后、转股前按本次发行金额全部计入负债、资产同额增加测算,"
               "全部转股后按本次发行金额全部转为所有者权益测算,均未考虑发行费用及其他因素的影响。"],
    )
    rates = [_dec(r) for r in (get(company, "offering.coupon_rates", "coupon_rates", default=[]) or [])]
    interest = [amount * r / 100 if (amount is not None and r is not None) else None for r in rates]
    int_rows = [[f"第{i}年", pct(r), amt(x)] for i, (r, x) in enumerate(zip(rates, interest), 1)]
    total_int = N.total(interest) if interest and None not in interest else None
    int_rows.append(["合计", "-", amt(total_int)])
    if not rates:
        int_rows = [["【待补充:票面利率】", MISSING, MISSING]]
    t_int = Table(
        unit="万元",
        header=[["期间", "票面利率", "应付利息"]],
        rows=int_rows,
        numeric_cols=[1, 2],
        notes=[f"注:应付利息=本次发行金额({amt(amount)}万元)×当年票面利率,票面利率参考近期已发行可转换公司债券的利率中位数,"
               "不代表公司对本次发行票面利率的预期。"],
    )
    years = full_years(periods)[-3:]
    npp = fin_series(company, "net_profit_parent", years)
    ocf = fin_series(company, "operating_cash_flow", years)
    avg_np = N.average(npp.values()) if years and None not in npp.values() else None
    avg_ocf = N.average(ocf.values()) if years and None not in ocf.values() else None
    max_int = max((x for x in interest if x is not None), default=None) if interest and None not in interest else None
    rows3 = [[N.period_label(y), amt(npp[y]), amt(ocf[y])] for y in years]
    rows3.append(["最近三年平均", amt(avg_np), amt(avg_ocf)])
    t_cover = Table(
        unit="万元",
        header=[["年度", "归属于母公司所有者的净利润", "经营活动产生的现金流量净额"]],
        rows=rows3 if years else [["【待补充:最近三年】", MISSING, MISSING]],
        numeric_cols=[1, 2],
        notes=["注:最近三年平均=最近三个会计年度数额之和/3。"],
    )
    f = {
        "latest": latest,
        "end_label": end_label,
        "date_label": date_label,
        "amount": amount,
        "outstanding": outstanding,
        "cumulative": cumulative,
        "net_assets": na,
        "bond_ratio": bond_ratio,
        "over_50": (bond_ratio > 50) if bond_ratio is not None else None,
        "liabilities": liab,
        "total_assets": ta,
        "debt_now": debt_now,
        "debt_before": debt_before,
        "debt_after": debt_after,
        "rates": rates,
        "interest": interest,
        "total_interest": total_int,
        "max_interest": max_int,
        "years": years,
        "avg_net_profit": avg_np,
        "avg_ocf": avg_ocf,
        "interest_to_profit": N.share(max_int, avg_np),
        "interest_to_ocf": N.share(max_int, avg_ocf),
        "profit_covers": (avg_np >= max_int) if None not in (avg_np, max_int) else None,
        "ocf_covers": (avg_ocf >= max_int) if None not in (avg_ocf, max_int) else None,
    }
    return {"f": f}, {"bond_balance": t_bond, "bond_debt_ratio": t_debt, "bond_interest": t_int, "bond_cover": t_cover}


# ----------------------------------------------------------------------------- generic period tables

def _growth_base(p: str, periods: Sequence[str]) -> str | None:
    """Growth of a full year against the previous year; of an interim period against the same period a year before."""
    pk = N.parse_period(p)
    prev = N.same_period_last_year(p) if not pk.full_year else str(pk.year - 1)
    return prev


def breakdown(company: Any, path: str, periods: Sequence[str]) -> list[tuple[str, dict[str, Num]]]:
    """Rows name -> {period: amount} from a mapping/list at `path` (products, regions …)."""
    src = get(company, path)
    out: list[tuple[str, dict[str, Num]]] = []
    if isinstance(src, Mapping):
        for name, ser in src.items():
            out.append((str(name), {p: _dec(get(ser, p) if not isinstance(ser, Mapping) else ser.get(p)) for p in periods}))
    elif isinstance(src, list):
        for item in src:
            name = get(item, "name", "product", "region", "category")
            ser = get(item, "revenue", "amounts", "values", "amount", "balance")
            if isinstance(ser, Mapping):
                out.append((str(name), {p: _dec(ser.get(p)) for p in periods}))
    return out


def share_table(rows: list[tuple[str, dict[str, Num]]], periods: Sequence[str], first_col: str,
                total_name: str = "合计", total: dict[str, Num] | None = None, note: str = "") -> Table:
    tot = total or {p: (N.total(r[1][p] for r in rows) if rows and all(r[1][p] is not None for r in rows) else None) for p in periods}
    header = [[first_col] + [x for p in periods for x in (f"{N.period_label(p)}金额", "占比")]]
    body = []
    for name, ser in rows:
        body.append([name] + [x for p in periods for x in (amt(ser[p]), pct(N.share(ser[p], tot[p])))])
    body.append([total_name] + [x for p in periods for x in (amt(tot[p]), pct(N.share(tot[p], tot[p])))])
    return Table(unit="万元", header=header, rows=body, numeric_cols=list(range(1, 1 + 2 * len(periods))),
                 notes=[note] if note else [])


def growth_table(rows: list[tuple[str, dict[str, Num]]], periods: Sequence[str], first_col: str,
                 extra: Callable[[str], Num] | None = None) -> Table:
    gp = [p for p in periods if _growth_base(p, periods) is not None]
    header = [[first_col] + [f"{N.period_label(p)}" for p in gp]]
    body = []
    for name, ser in rows:
        cells = []
        for p in gp:
            base = _growth_base(p, periods)
            prev = ser.get(base) if base in ser else (extra(name, base) if extra else None)
            cells.append(N.fmt_growth(N.growth(ser[p], prev), missing="-") if prev is not None else "-")
        body.append([name] + cells)
    return Table(unit=None, header=header, rows=body, numeric_cols=list(range(1, 1 + len(gp))),
                 notes=["注:增长率=(本期金额-上年同期金额)/上年同期金额;中期期间与上年同期比较,首个期间无可比数据以“-”列示。"])


# ----------------------------------------------------------------------------- dispatch

BUILDERS: dict[str, Callable[[Any, Names], tuple[dict, dict]]] = {
    "financial_investment": financial_investment,
    "bond_balance_solvency": bond_balance,
}


def context_for(topic_id: str, company: Any, names: Names) -> tuple[dict, dict]:
    """Template context and tables for a topic (computed once per document by the caller)."""
    periods = periods_of(company)
    base = {
        "company": company,
        "names": names,
        "periods": periods,
        "period_labels": [N.period_label(p) for p in periods],
        "latest": periods[-1] if periods else None,
        "f": {},
    }
    builder = BUILDERS.get(topic_id)
    if builder is None:
        return base, {}
    ctx, tables = builder(company, names)
    return {**base, **ctx}, tables
