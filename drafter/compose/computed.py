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


def _profile(company: Any):
    """The CompanyProfile when `company` is one (compose passes a profile or None)."""
    from ..company.model import CompanyProfile

    return company if isinstance(company, CompanyProfile) else None


def metric(company: Any, name: str, period: str | None) -> Num:
    """A metric from drafter.company.metrics (the one place ratios are computed); None without a profile."""
    from ..company import metrics as M

    prof = _profile(company)
    return M.value(prof, name, period) if prof is not None and period else None


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
    return [N.period_label(p) for p in periods_of(company)]


def fin(company: Any, item: str, period: str) -> Num:
    """One financial figure for a period, whatever the profile's layout (item->period or period->item);
    net_assets derived as total_assets − total_liabilities when not given (drafter.company.metrics)."""
    prof = _profile(company)
    if prof is not None:
        from ..company.metrics import item_value

        return item_value(prof, item, period) if hasattr(prof.financials, item) else None
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
        zero = a["fin"] == 0
        rows.append([a["account"] or MISSING, amt(a["book"]), "-" if zero else amt(a["fin"]),
                     "-" if zero else pct(N.share(a["fin"], nap)), "是" if a["is_fin"] else "否"])
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
        "categories_unverified": new_items is None,  # the eight categories were not itemised in the data
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
    years = full_years(periods)[-3:]
    npp = fin_series(company, "net_profit_parent", years)
    ocf = fin_series(company, "operating_cash_flow", years)
    avg_np = N.average(npp.values()) if years and None not in npp.values() else None
    avg_ocf = N.average(ocf.values()) if years and None not in ocf.values() else None
    # every year of the bond against the three-year averages, not only the highest year
    to_profit = [N.share(x, avg_np) for x in interest]
    to_ocf = [N.share(x, avg_ocf) for x in interest]
    int_rows = [[f"第{i}年", pct(r), amt(x), pct(a), pct(b)]
                for i, (r, x, a, b) in enumerate(zip(rates, interest, to_profit, to_ocf), 1)]
    total_int = N.total(interest) if interest and None not in interest else None
    int_rows.append(["合计", "-", amt(total_int), "-", "-"])
    t_int = Table(
        unit="万元",
        header=[["期间", "票面利率", "应付利息", "占最近三年平均归属于母公司所有者的净利润比例",
                 "占最近三年平均经营活动现金流量净额比例"]],
        rows=int_rows,
        numeric_cols=[1, 2, 3, 4],
        notes=[f"注:应付利息=本次发行金额({amt(amount)}万元)×当年票面利率,票面利率参考近期已发行可转换公司债券的利率中位数,"
               "不代表公司对本次发行票面利率的预期;各年占比=当年应付利息/最近三年平均值"
               f"(归属于母公司所有者的净利润{amt(avg_np)}万元、经营活动产生的现金流量净额{amt(avg_ocf)}万元)。"],
    ) if rates else _placeholder("本次发行各年票面利率(公司数据 offering.coupon_rates)")
    max_int = max((x for x in interest if x is not None), default=None) if interest and None not in interest else None
    rows3 = [[N.period_label(y), amt(npp[y]), amt(ocf[y])] for y in years]
    rows3.append(["最近三年平均", amt(avg_np), amt(avg_ocf)])
    t_cover = Table(
        unit="万元",
        header=[["年度", "归属于母公司所有者的净利润", "经营活动产生的现金流量净额"]],
        rows=rows3,
        numeric_cols=[1, 2],
        notes=["注:最近三年平均=最近三个会计年度数额之和/3。"],
    ) if years else _placeholder("最近三年归属于母公司所有者的净利润及经营活动产生的现金流量净额(公司数据 financials)")
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
        "interest_to_profit_by_year": to_profit,
        "interest_to_ocf_by_year": to_ocf,
        "profit_covers": (avg_np >= max_int) if None not in (avg_np, max_int) else None,
        "ocf_covers": (avg_ocf >= max_int) if None not in (avg_ocf, max_int) else None,
    }
    return {"f": f}, {"bond_balance": t_bond, "bond_debt_ratio": t_debt, "bond_interest": t_int, "bond_cover": t_cover}


# ----------------------------------------------------------------------------- period helpers

def base_key(p: str) -> str:
    """The period a growth is measured against: the previous year, or the same interim a year before."""
    pk = N.parse_period(p)
    return str(pk.year - 1) if pk.full_year else N.same_period_last_year(p)


def ser(d: Mapping | None, key: str) -> Num:
    if not d:
        return None
    return _dec(d.get(key))


def fin_all(company: Any, item: str) -> dict:
    """The whole series of a financial item (comparative periods included)."""
    f = get(company, "financials")
    s = getattr(f, item, None) if f is not None and not isinstance(f, Mapping) else (f or {}).get(item)
    return dict(s or {})


def growth_of(series: Mapping, p: str) -> Num:
    return N.growth(ser(series, p), ser(series, base_key(p)))


def _labels(periods: Sequence[str]) -> list[str]:
    return [N.period_label(p) for p in periods]


def _end_labels(periods: Sequence[str]) -> list[str]:
    return [N.period_end_label(p) for p in periods]


def _ratio_cell(x: Num, *own: Num) -> str:
    """A turnover: blank to fill when the period's own figures are missing; "-" when only the
    opening balance is (the first period of the data has no earlier year end)."""
    if x is None and any(v is None for v in own):
        return MISSING
    return N.fmt_times(x, missing="-")


def _g(x: Num) -> str:
    return N.fmt_pct(x, missing="-")


def _annual_note(periods: Sequence[str]) -> str:
    interim = [p for p in periods if not N.parse_period(p).full_year]
    return f"{N.period_label(interim[0])}数据未年化。" if interim else ""


def _placeholder(what: str):
    """A paragraph naming the data a table needs, in place of a table of dashes."""
    from ..document import Paragraph, Run

    return Paragraph(style="body", runs=[Run(text=f"【待补充:{what}】", placeholder=True)])


_EMPTY_CELL = {"", "-", "—", MISSING}


def _empty(cell: str) -> bool:
    return cell.strip() in _EMPTY_CELL or (cell.startswith("【待补充") and cell.endswith("】"))


def prune_table(table: Table, what: str) -> Any:
    """Drop body rows with no figure at all; a table left without any becomes a placeholder naming `what`."""
    rows = [r for r in table.rows if not all(_empty(c) for c in r[1:])]
    if not any(not all(_empty(c) for c in r[1:]) for r in rows if r and r[0] not in ("合计", "差异(个百分点)")):
        return _placeholder(what)
    if len(rows) == len(table.rows):
        return table
    return table.model_copy(update={"rows": rows})


def line_table(rows: list[tuple[str, list[str]]], header0: str, cols: list[str], notes: list[str], unit: str | None = "万元") -> Table:
    return Table(unit=unit, header=[[header0, *cols]], rows=[[name, *cells] for name, cells in rows],
                 numeric_cols=list(range(1, 1 + len(cols))), notes=[n for n in notes if n])


def share_table(items: list[tuple[str, Mapping]], periods: Sequence[str], first_col: str, total: Mapping | None,
                total_name: str = "合计", note: str = "", end: bool = False) -> Table:
    """name | (amount, share) per period; shares of `total` (or of the sum of the lines)."""
    tot = {}
    for p in periods:
        t = ser(total, p) if total else None
        if t is None and items and all(ser(s, p) is not None for _, s in items):
            t = N.total(ser(s, p) for _, s in items)
        tot[p] = t
    labels = _end_labels(periods) if end else _labels(periods)
    header = [[first_col] + [lb for lb in labels for _ in (0, 1)], [""] + ["金额", "占比"] * len(labels)]
    def cells(v: Num, t: Num) -> tuple[str, str]:  # a missing amount leaves its share to fill too, not a dash
        return amt(v), (MISSING if v is None or t is None else _g(N.share(v, t)))

    body = [[name] + [x for p in periods for x in cells(ser(s, p), tot[p])] for name, s in items]
    body.append([total_name] + [x for p in periods for x in cells(tot[p], tot[p])])
    notes = [note or "注:占比=各项金额/合计金额。"]
    # never a partial breakdown as the whole: the shares are of the total given, and the note says so
    partial = [p for p in periods if total and tot[p] is not None
               and all(ser(s, p) is not None for _, s in items)
               and abs(N.total(ser(s, p) for _, s in items) - tot[p]) > Decimal("0.01")]
    if partial:
        notes.append(f"{N.periods_label(partial)}各项明细合计与{total_name}不一致,所列明细为部分构成,"
                     f"占比以{total_name}为分母计算。")
    return Table(unit="万元", header=header, rows=body, numeric_cols=list(range(1, 1 + 2 * len(periods))),
                 notes=notes)


def peer_table(company: Any, metric: str, periods: Sequence[str], issuer_values: Mapping[str, Num], what: str) -> tuple[Table | None, dict]:
    """Peers' published `metric`, their average (computed), the issuer (computed) and the gap in pp."""
    peers = [p for p in (get(company, "peers", default=[]) or []) if (get(p, "metrics") or {}).get(metric)]
    if not peers:
        return None, {}
    rows = []
    for peer in peers:
        m = peer.metrics[metric]
        name = f"{peer.name}({peer.code})" if get(peer, "code") else peer.name
        rows.append((name, [_g(ser(m, p)) for p in periods]))
    avg = {p: (N.average(ser(pe.metrics[metric], p) for pe in peers) if any(ser(pe.metrics[metric], p) is not None for pe in peers) else None) for p in periods}
    rows.append(("可比公司平均值", [_g(avg[p]) for p in periods]))
    short = get(company, "company.short_name", default="发行人")
    rows.append((short, [_g(issuer_values.get(p)) for p in periods]))
    gap = {p: N.pp_change(issuer_values.get(p), avg[p]) for p in periods}
    rows.append(("差异(个百分点)", [N.fmt_pp_num(gap[p], missing="-") for p in periods]))
    t = line_table(rows, "公司名称", _labels(periods), [
        f"注:可比公司{what}取自其公开披露的定期报告或招股说明书;可比公司平均值为算术平均数;差异=发行人{what}-可比公司平均值。"], unit=None)
    return t, {"peer_avg": avg, "gap": gap}


# ----------------------------------------------------------------------------- 收入

def revenue(company: Any, names: Names) -> tuple[dict, dict]:
    periods = periods_of(company)
    rev, npp = fin_all(company, "revenue"), fin_all(company, "net_profit_parent")
    mbr = fin_all(company, "main_business_revenue")
    rows = [("营业收入", [amt(ser(rev, p)) for p in periods]),
            ("营业收入增长率", [_g(growth_of(rev, p)) for p in periods]),
            ("归属于母公司所有者的净利润", [amt(ser(npp, p)) for p in periods]),
            ("归属于母公司所有者的净利润增长率", [_g(growth_of(npp, p)) for p in periods])]
    tables = {"revenue_total": line_table(rows, "项目", _labels(periods), [
        "注:增长率=(本期金额-上年同期金额)/上年同期金额;中期期间与上年同期比较,无上年同期数据的以“-”列示。"])}
    products = [(it.name, it.revenue) for it in get(company, "revenue_breakdown.product", default=[]) or []]
    regions = [(it.name, it.revenue) for it in get(company, "revenue_breakdown.region", default=[]) or []]
    if products:
        tables["revenue_product"] = share_table(products, periods, "产品类别", mbr or None, "主营业务收入",
                                                "注:占比=各类产品收入/主营业务收入。")
        tables["revenue_product_growth"] = line_table(
            [(n, [_g(growth_of(s, p)) for p in periods]) for n, s in products], "产品类别", _labels(periods),
            ["注:增长率=(本期收入-上年同期收入)/上年同期收入。"], unit=None)
    if regions:
        tables["revenue_region"] = share_table(regions, periods, "销售区域", mbr or None, "主营业务收入",
                                               "注:占比=各区域收入/主营业务收入。")
    years = full_years(periods)
    prof = _profile(company)
    cagr = cagr_all = None
    cagr_years: list[str] = []
    if prof is not None:  # drafter.company.metrics.cagr_of: over the reporting years (f.years), and over
        from ..company.metrics import cagr_of  # every full year the file holds (f.cagr_all, f.cagr_years)

        cagr, first, last = cagr_of(prof, "revenue", years)
        if (first, last) != (years[0] if years else None, years[-1] if years else None):
            cagr = None  # f.years labels the span: no CAGR over a shorter one
        cagr_all, first, last = cagr_of(prof, "revenue")
        cagr_years = [first, last] if first else []
    top = None
    if products and periods:
        latest = periods[-1]
        top = max(products, key=lambda x: ser(x[1], latest) or Decimal(-1))
    f = {"rev": {p: ser(rev, p) for p in periods}, "growth": {p: growth_of(rev, p) for p in periods},
         "years": years, "cagr": cagr, "cagr_all": cagr_all, "cagr_years": cagr_years,
         "top_product": top[0] if top else None,
         "top_share": N.share(ser(top[1], periods[-1]), ser(mbr, periods[-1]) or N.total(ser(s, periods[-1]) for _, s in products)) if top else None,
         "has_products": bool(products), "has_regions": bool(regions)}
    return {"f": f}, tables


# ----------------------------------------------------------------------------- 毛利率

def gross_margin(company: Any, names: Names) -> tuple[dict, dict]:
    periods = periods_of(company)

    from ..company.metrics import margin as gm

    products = list(get(company, "revenue_breakdown.product", default=[]) or [])
    rows = []
    for it in products:
        rows.append((it.name, [_g(gm(ser(it.revenue, p), ser(it.cost, p))) for p in periods]))
    # the company's margins come from drafter.company.metrics (one definition, one place)
    main = {p: metric(company, "main_business_gross_margin", p) for p in periods}
    overall = {p: metric(company, "gross_margin", p) for p in periods}
    rows.append(("主营业务毛利率", [_g(main[p]) for p in periods]))
    rows.append(("综合毛利率", [_g(overall[p]) for p in periods]))
    tables = {"gm_product": line_table(rows, "项目", _labels(periods), [
        "注:毛利率=(营业收入-营业成本)/营业收入;分产品毛利率=(该产品收入-该产品成本)/该产品收入。"], unit=None)}
    peer, pf = peer_table(company, "gross_margin", periods, overall, "综合毛利率")
    if peer is not None:
        tables["gm_peers"] = peer
    latest = periods[-1] if periods else None
    prev = base_key(latest) if latest else None
    f = {"overall": overall, "main": main, "latest": latest,
         "change": N.pp_change(overall.get(latest), metric(company, "gross_margin", prev)) if latest else None,
         "peer_avg": pf.get("peer_avg", {}), "gap": pf.get("gap", {}), "has_peers": peer is not None}
    return {"f": f}, tables


# ----------------------------------------------------------------------------- 期间费用 / 研发

EXPENSES = [("selling_expense", "销售费用"), ("admin_expense", "管理费用"), ("rd_expense", "研发费用"), ("financial_expense", "财务费用")]
PEER_EXPENSE = {"selling_expense": "selling_expense_ratio", "admin_expense": "admin_expense_ratio",
                "rd_expense": "rd_expense_ratio", "financial_expense": "financial_expense_ratio"}


def period_expenses(company: Any, names: Names) -> tuple[dict, dict]:
    periods = periods_of(company)
    rev = fin_all(company, "revenue")
    rows, ratios = [], {}
    present = [(k, n) for k, n in EXPENSES if fin_all(company, k)]
    total = {p: (N.total(ser(fin_all(company, k), p) for k, _ in present) if present and all(ser(fin_all(company, k), p) is not None for k, _ in present) else None) for p in periods}
    for k, n in present:
        s = fin_all(company, k)
        ratios[k] = {p: metric(company, f"{k}_ratio", p) for p in periods}
        rows.append((n, [x for p in periods for x in (amt(ser(s, p)), _g(ratios[k][p]))]))
    # all four present: the period expense ratio of drafter.company.metrics; else the lines given
    ratios["total"] = {p: (metric(company, "period_expense_ratio", p) if len(present) == len(EXPENSES)
                           else N.ratio(total[p], ser(rev, p))) for p in periods}
    rows.append(("合计", [x for p in periods for x in (amt(total[p]), _g(ratios["total"][p]))]))
    header = [["项目"] + [lb for lb in _labels(periods) for _ in (0, 1)], [""] + ["金额", "费用率"] * len(periods)]
    tables = {"expenses": Table(unit="万元", header=header, rows=[[n, *c] for n, c in rows],
                                numeric_cols=list(range(1, 1 + 2 * len(periods))),
                                notes=["注:费用率=各项费用/营业收入。"])}
    cmp_rows = []
    for k, n in present:
        peers = [pe for pe in (get(company, "peers", default=[]) or []) if (get(pe, "metrics") or {}).get(PEER_EXPENSE[k])]
        if not peers:
            continue
        avg = {p: N.average(ser(pe.metrics[PEER_EXPENSE[k]], p) for pe in peers) for p in periods}
        cmp_rows.append((f"{n}率-可比公司平均", [_g(avg[p]) for p in periods]))
        cmp_rows.append((f"{n}率-{get(company, 'company.short_name', default='发行人')}", [_g(ratios[k][p]) for p in periods]))
    if cmp_rows:
        tables["expenses_peers"] = line_table(cmp_rows, "项目", _labels(periods), [
            "注:可比公司费用率取自其公开披露的定期报告或招股说明书,平均值为算术平均数;发行人费用率=各项费用/营业收入。"], unit=None)
    return {"f": {"ratios": ratios, "has_peers": bool(cmp_rows)}}, tables


def rd_investment(company: Any, names: Names) -> tuple[dict, dict]:
    periods = periods_of(company)
    rev, rd = fin_all(company, "revenue"), fin_all(company, "rd_expense")
    ratio = {p: metric(company, "rd_expense_ratio", p) for p in periods}
    staff = dict(get(company, "rd.staff", default={}) or {})
    rows = [("研发费用", [amt(ser(rd, p)) for p in periods]), ("营业收入", [amt(ser(rev, p)) for p in periods]),
            ("研发费用率", [_g(ratio[p]) for p in periods])]
    if staff:
        rows.append(("研发人员数量(人)", [N.fmt_int(staff.get(p), missing=MISSING) for p in periods]))
    tables = {"rd_ratio": line_table(rows, "项目", _labels(periods), ["注:研发费用率=研发费用/营业收入。"])}
    items = [(it.name, it.amounts) for it in get(company, "rd.expense_items", default=[]) or []]
    if items:
        tables["rd_items"] = share_table(items, periods, "项目", rd or None, "研发费用合计", "注:占比=各项研发费用/研发费用合计。")
    peer, pf = peer_table(company, "rd_expense_ratio", periods, ratio, "研发费用率")
    if peer is not None:
        tables["rd_peers"] = peer
    return {"f": {"ratio": ratio, "peer_avg": pf.get("peer_avg", {}), "gap": pf.get("gap", {}), "has_peers": peer is not None}}, tables


# ----------------------------------------------------------------------------- 应收账款

def accounts_receivable(company: Any, names: Names) -> tuple[dict, dict]:
    periods = periods_of(company)
    rev = fin_all(company, "revenue")
    bal = fin_all(company, "accounts_receivable_balance")
    book = fin_all(company, "accounts_receivable")
    allow = dict(get(company, "receivables.allowance", default={}) or {})
    collected = dict(get(company, "receivables.collected_after", default={}) or {})

    def balance(p: str) -> Num:  # the item, else 账面价值 + 坏账准备 (drafter.company.metrics)
        return fin(company, "accounts_receivable_balance", p)

    def turnover(p: str) -> Num:
        return metric(company, "receivables_turnover", p)

    rows = [("应收账款余额", [amt(balance(p)) for p in periods]),
            ("坏账准备", [amt(ser(allow, p)) for p in periods]),
            ("应收账款账面价值", [amt(ser(book, p) if ser(book, p) is not None else (balance(p) - ser(allow, p) if None not in (balance(p), ser(allow, p)) else None)) for p in periods]),
            ("坏账准备计提比例", [_g(metric(company, "receivables_allowance_ratio", p)) for p in periods]),
            ("营业收入", [amt(ser(rev, p)) for p in periods]),
            ("应收账款余额占营业收入比例", [_g(metric(company, "receivables_to_revenue", p)) for p in periods]),
            ("应收账款周转率(次)", [_ratio_cell(turnover(p), ser(rev, p), balance(p)) for p in periods])]
    if collected:
        rows.append(("期后回款金额", [amt_or(ser(collected, p)) for p in periods]))
        rows.append(("期后回款比例", [_g(metric(company, "receivables_collected_share", p)) for p in periods]))
    cols = [f"{e}/{lb}" for e, lb in zip(_end_labels(periods), _labels(periods))]
    notes = ["注:坏账准备计提比例=坏账准备/应收账款余额;应收账款余额占营业收入比例=期末应收账款余额/当期营业收入;"
             "应收账款周转率=营业收入/[(期初应收账款余额+期末应收账款余额)/2]" + (";" + _annual_note(periods) if _annual_note(periods) else "。")]
    if collected:
        until = get(company, "receivables.collected_until")
        notes.append(f"期后回款比例=期后回款金额/期末应收账款余额,期后回款统计至{N.fmt_date(until) if until else MISSING}。")
    tables = {"ar_summary": line_table(rows, "项目", cols, notes)}
    aging = [(b.name, b.balance) for b in get(company, "receivables.aging", default=[]) or []]
    if aging:
        tables["ar_aging"] = share_table(aging, periods, "账龄", bal or None, "应收账款余额" if bal else "合计",
                                         "注:占比=各账龄段余额/应收账款余额合计。", end=True)
    latest = periods[-1] if periods else None
    return {"f": {"latest_share": metric(company, "receivables_to_revenue", latest),
                  "latest_interim": bool(latest) and not N.parse_period(latest).full_year,
                  "turnover": {p: turnover(p) for p in periods}, "has_aging": bool(aging)}}, tables


# ----------------------------------------------------------------------------- 存货

def inventory_basis(company: Any) -> tuple[dict, str]:
    """The inventory series turnovers use, and its name: (账面余额 series, "账面余额"), or the book
    value ("账面价值") when the data gives no balance at all — the definition of data check."""
    from ..company.model import CompanyProfile

    if isinstance(company, CompanyProfile):
        from ..company.metrics import inventory_balance_series

        bal = inventory_balance_series(company)
        return bal, ("账面余额" if bal != dict(company.financials.inventory) or company.financials.inventory_balance
                     else "账面价值")
    bal = fin_all(company, "inventory_balance")
    return (bal, "账面余额") if bal else (fin_all(company, "inventory"), "账面价值")


def all_period_keys(company: Any) -> list[str]:
    """Every declared period key, comparative ones included."""
    ps = get(company, "periods", default=None) or []
    keys = [str(get(p, "key") or p) for p in ps]
    return keys or periods_of(company)


def inventory(company: Any, names: Names) -> tuple[dict, dict]:
    periods = periods_of(company)
    cats = list(get(company, "inventory.categories", default=[]) or [])
    tables = {}
    given_balance = fin_all(company, "inventory_balance") or None  # the whole, when the data gives it
    if cats:
        tables["inv_composition"] = share_table([(c.name, c.balance) for c in cats], periods, "项目", given_balance,
                                                "存货账面余额" if given_balance else "合计",
                                                "注:占比=各类存货账面余额/存货账面余额合计。", end=True)
        latest = periods[-1]
        rows = []
        for c in cats:
            b, pv = ser(c.balance, latest), ser(c.provision, latest)
            # an amount not in the data is a blank to fill, never a dash (a dash reads as nil)
            rows.append([c.name, amt(b), amt(pv), MISSING if None in (b, pv) else _g(N.share(pv, b)),
                         amt(b - pv if None not in (b, pv) else None)])
        tb = N.total(ser(c.balance, latest) for c in cats)
        tp = N.total(ser(c.provision, latest) for c in cats)
        rows.append(["合计", amt(tb), amt(tp), MISSING if None in (tb, tp) else _g(N.share(tp, tb)),
                     amt(tb - tp if None not in (tb, tp) else None)])
        tables["inv_provision"] = Table(unit="万元", header=[["项目", "账面余额", "跌价准备", "计提比例", "账面价值"]], rows=rows,
                                        numeric_cols=[1, 2, 3, 4],
                                        notes=[f"注:数据为{N.period_date_label(latest)}数据;计提比例=跌价准备/账面余额。"])
    aging = [(b.name, b.balance) for b in get(company, "inventory.aging", default=[]) or []]
    if aging:
        tables["inv_aging"] = share_table(aging, periods, "库龄", given_balance,
                                          "存货账面余额" if given_balance else "合计",
                                          "注:占比=各库龄段余额/存货余额合计。", end=True)
    prof = _profile(company)
    provision: dict[str, Num] = {}
    if prof is not None:  # 跌价准备计提比例 for every period (drafter.company.metrics.inventory_provision)
        from ..company.metrics import inventory_provision

        found = {p: inventory_provision(prof, p) for p in periods}
        provision = {p: v[1] for p, v in found.items()}
        how = {v[2] for v in found.values() if v[2]}
        if how:
            bal_of = {p: (N.total(ser(c.balance, p) for c in cats) if found[p][2] == "categories"
                          else fin(company, "inventory_balance", p)) for p in periods}
            note = "注:存货跌价准备计提比例=存货跌价准备/存货账面余额"
            if "balance" in how:
                note += ";分类明细未覆盖全部存货余额的期间,跌价准备按存货账面余额减存货账面价值计算"
            tables["inv_provision_trend"] = line_table(
                [("存货账面余额", [amt(bal_of[p]) for p in periods]),
                 ("存货跌价准备", [amt(found[p][0]) for p in periods]),
                 ("存货账面价值", [amt(fin(company, "inventory", p)) for p in periods]),
                 ("存货跌价准备计提比例", [_g(provision[p]) for p in periods])],
                "项目", _end_labels(periods), [note + "。"])
    cost = fin_all(company, "operating_cost")
    # on 存货账面余额 as `data check` computes it (drafter.company.metrics): the balance item, else the
    # categories' balances, else the book value when no balance is given at all
    inv, basis = inventory_basis(company)
    declared = set(all_period_keys(company))

    def turnover(p: str) -> Num:
        return metric(company, "inventory_turnover", p)

    def turnover_cell(p: str) -> str:
        opening = N.previous_year_end(p)
        if turnover(p) is None and opening in declared and ser(inv, opening) is None:
            return MISSING  # the opening balance is a period of the data: a blank to fill, not a dash
        return _ratio_cell(turnover(p), ser(cost, p), ser(inv, p))

    rows = [(f"存货{basis}", [amt(ser(inv, p)) for p in periods]),
            ("营业成本", [amt(ser(cost, p)) for p in periods]),
            ("存货周转率(次)", [turnover_cell(p) for p in periods])]
    tables["inv_turnover"] = line_table(rows, "项目", _labels(periods), [
        f"注:存货周转率=营业成本/[(期初存货{basis}+期末存货{basis})/2]"
        + (";" + _annual_note(periods) if _annual_note(periods) else "。")])
    return {"f": {"has_categories": bool(cats), "has_aging": bool(aging), "turnover": {p: turnover(p) for p in periods},
                  "provision_ratio": provision}}, tables


# ----------------------------------------------------------------------------- 客户 / 供应商

def _counterparties(company: Any, which: str, denominator_item: str, who: str, what: str, denom_word: str) -> tuple[dict, dict]:
    periods = periods_of(company)
    data = dict(get(company, which, default={}) or {})
    denom = fin_all(company, denominator_item)
    rows, shares = [], {}
    for p in reversed(periods):  # latest period first, as filed
        lst = data.get(p) or []
        if not lst:
            continue
        for i, c in enumerate(lst, 1):
            name = c.name + ("(关联方)" if get(c, "related_party") else "")
            rows.append([N.period_label(p), str(get(c, "rank") or i), name, get(c, "content") or "-", amt(c.amount),
                         _g(N.share(c.amount, ser(denom, p)))])
        sub = N.total(c.amount for c in lst)
        shares[p] = N.share(sub, ser(denom, p))
        rows.append([N.period_label(p), "", "合计", "", amt(sub), pct(shares[p])])
    if not rows:
        return {"f": {"shares": {}, "has_data": False}}, {}
    t = Table(unit="万元", header=[["期间", "序号", f"{who}名称", f"{what}内容", f"{what}金额", f"占{denom_word}比例"]], rows=rows,
              numeric_cols=[4, 5], notes=[f"注:占{denom_word}比例={what}金额/当期{denom_word};受同一实际控制人控制的{who}已合并计算。"])
    return {"f": {"shares": shares, "has_data": True}}, {f"top_{which}": t}


def customers(company: Any, names: Names) -> tuple[dict, dict]:
    return _counterparties(company, "customers", "revenue", "客户", "销售", "营业收入")


def suppliers(company: Any, names: Names) -> tuple[dict, dict]:
    return _counterparties(company, "suppliers", "purchases_total", "供应商", "采购", "采购总额")


# ----------------------------------------------------------------------------- 审计截止日后

POST_ITEMS = ["revenue", "operating_cost", "operating_profit", "total_profit", "net_profit", "net_profit_parent",
              "net_profit_parent_deducted", "operating_cash_flow"]


def post_period(company: Any, names: Names) -> tuple[dict, dict]:
    pp = get(company, "post_period")
    if pp is None:
        return {"f": {"has_data": False}}, {}
    from ..company.model import FINANCIAL_LABELS

    rows = []
    keys = [k for k in POST_ITEMS if k in pp.financials] + [k for k in pp.financials if k not in POST_ITEMS]
    for k in keys:
        cur, prev = pp.get(k), pp.get(k, comparative=True)
        rows.append([FINANCIAL_LABELS.get(k, k), amt(cur), amt(prev), _g(N.growth(cur, prev))])
    label = pp.period_label
    prev_label = N.period_label(pp.comparative_key)
    t = Table(unit="万元", header=[["项目", label, prev_label, "变动比例"]], rows=rows, numeric_cols=[1, 2, 3],
              notes=["注:变动比例=(本期金额-上年同期金额)/上年同期金额;" +
                     (f"以上数据已经{_auditor_word(names)}审阅,未经审计。" if pp.reviewed else "以上数据未经审计。")])
    return {"f": {"has_data": True, "label": label, "prev_label": prev_label,
                  "revenue_growth": N.growth(pp.get("revenue"), pp.get("revenue", comparative=True)),
                  "profit_growth": N.growth(pp.get("net_profit_parent"), pp.get("net_profit_parent", comparative=True)),
                  "reviewed": pp.reviewed}}, {"post_period": t}


# ----------------------------------------------------------------------------- dispatch

BUILDERS: dict[str, Callable[[Any, Names], tuple[dict, dict]]] = {
    "financial_investment": financial_investment,
    "bond_balance_solvency": bond_balance,
    "revenue_growth": revenue,
    "gross_margin": gross_margin,
    "period_expenses": period_expenses,
    "rd_investment": rd_investment,
    "accounts_receivable": accounts_receivable,
    "inventory": inventory,
    "customer_concentration": customers,
    "suppliers": suppliers,
    "post_period_performance": post_period,
}


# tables whose columns are periods: name -> columns per period (after the first, label column)
PERIOD_COLUMNS = {
    "revenue_total": 1, "revenue_product": 2, "revenue_product_growth": 1, "revenue_region": 2,
    "gm_product": 1, "gm_peers": 1, "expenses": 2, "expenses_peers": 1, "rd_ratio": 1, "rd_items": 2,
    "rd_peers": 1, "ar_summary": 1, "ar_aging": 2, "inv_composition": 2, "inv_aging": 2, "inv_turnover": 1,
    "inv_provision_trend": 1,
}

# the data each computed table needs: named in the placeholder that replaces a table without figures
TABLE_DATA = {
    "fi_accounts": "可能涉及财务性投资的科目及金额(公司数据 investments)",
    "bond_balance": "累计债券余额、本次发行金额及最近一期末净资产(公司数据 offering、financials)",
    "bond_debt_ratio": "最近一期末资产总计、负债合计及本次发行金额(公司数据 financials、offering)",
    "revenue_total": "营业收入及归属于母公司所有者的净利润(公司数据 financials)",
    "gm_product": "营业收入、营业成本及分产品收入成本(公司数据 financials、revenue_breakdown)",
    "expenses": "期间费用及营业收入(公司数据 financials)",
    "rd_ratio": "研发费用及营业收入(公司数据 financials)",
    "ar_summary": "应收账款余额、坏账准备及营业收入(公司数据 financials、receivables)",
    "inv_turnover": "存货及营业成本(公司数据 financials)",
    "inv_provision": "最近一期末各类存货账面余额及跌价准备(公司数据 inventory.categories)",
}


def latest_first(table: Table, group: int) -> Table:
    """Period columns latest first, as filed replies print them (2022年1-6月, 2021年, 2020年, 2019年)."""

    def flip(row: list[str]) -> list[str]:
        head, rest = row[:1], row[1:]
        groups = [rest[i:i + group] for i in range(0, len(rest), group)]
        return head + [c for g in reversed(groups) for c in g]

    if not table.header or (len(table.header[0]) - 1) % group:
        return table
    return table.model_copy(update={"header": [flip(r) for r in table.header], "rows": [flip(r) for r in table.rows]})


def _auditor_word(names: Any) -> str:
    """The auditor as the letter calls it (申报会计师 / 会计师 / 年审会计师)."""
    word = getattr(names, "word", None)
    return word("auditor") if callable(word) else "申报会计师"


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
    tables = {k: latest_first(t, PERIOD_COLUMNS[k]) if isinstance(t, Table) and k in PERIOD_COLUMNS else t
              for k, t in tables.items()}
    # no table of dashes: rows without a figure go; a table without any becomes a placeholder naming its data
    tables = {k: prune_table(t, TABLE_DATA.get(k, f"表格“{k}”所需数据")) if isinstance(t, Table) and k != "fi_categories"
              else t for k, t in tables.items()}
    for k, t in tables.items():  # what rebuilds each (drafter update)
        if isinstance(t, Table):
            t.source = {"kind": "computed", "topic": topic_id, "name": k}
    if "f" in ctx:
        ctx = {**ctx, "f": _sourced_figures(ctx["f"], topic_id, [], base["latest"])}
    return {**base, **ctx}, tables


def _sourced_figures(v: Any, topic_id: str, path: list[str], latest: str | None) -> Any:
    """The topic's figures (f), each Decimal remembering its path (f.rev["2025"]) for drafter update;
    a figure of the latest period says so (the update notes when the window has moved on)."""
    if isinstance(v, Decimal):
        from .templating import sourced

        src: dict[str, Any] = {"kind": "f", "topic": topic_id, "path": path}
        if latest and latest in path:
            src.update(period=latest, latest=True)
        return sourced(v, src)
    if isinstance(v, dict) and len(path) < 4:
        return {k: _sourced_figures(x, topic_id, path + [str(k)], latest) for k, x in v.items()}
    return v
