"""Derived metrics: every ratio a reviewer checks first, computed from the amounts (never typed).

``metric_series(profile) -> dict[str, dict[str, Decimal]]``: metric name -> {period key (or a span
such as "2019-2021" for a CAGR): value}. Percentages are in percent units (54.17 for 54.17%), changes
of rates in percentage points, turnovers in 次. Values are NOT rounded: format with drafter.numbers.
A metric appears only when its inputs are present; a period appears only when computable.

Definitions (revenue = 营业收入 unless said otherwise):

- revenue_growth, net_profit_growth, net_profit_parent_growth, net_profit_parent_deducted_growth:
  against the same period a year before: a full year against the previous full year; an interim
  period only against a declared comparative period (e.g. 2021H1 for 2022H1), otherwise none.
- revenue_cagr: over every full year the file holds a value for (comparative years included),
  first to last ("2019-2021": 2 years); see `cagr_of`.
- gross_margin = (revenue - operating_cost) / revenue; main_business_gross_margin likewise on 主营业务.
- selling/admin/rd/financial_expense_ratio = expense / revenue; period_expense_ratio = the four / revenue.
- receivables_to_revenue = accounts_receivable_balance / revenue (interim: not annualised).
- receivables_turnover = revenue / average of opening and closing accounts_receivable_balance;
  inventory_turnover = operating_cost / average of opening and closing inventory balance (存货账面余额:
  the inventory_balance item, else the sum of the inventory categories' balances, else the book value
  `inventory` when no balance is given at all). Opening = the previous year end, which must be a
  declared period (a comparative full year for the first year); interim figures are not annualised.
- inventory_to_current_assets = inventory / current_assets; debt_ratio = total_liabilities / total_assets;
  net_margin = net_profit / revenue; current_ratio = current_assets / current_liabilities;
  quick_ratio = (current_assets - inventory) / current_liabilities.
- top5_customer_share = five largest customers / revenue; top5_supplier_share = five largest
  suppliers / purchases_total; export_share = 外销 lines of the region breakdown / main_business_revenue
  (revenue when main business is not given); related_party_sales_share = related_party_sales / revenue.
- peer_<metric>_avg: mean over the peers giving that metric for the period (peer_rd_ratio_avg is the
  R&D expense ratio); gross_margin_vs_peers, rd_ratio_vs_peers: the company minus the peer average (pp).
- operating_cash_to_net_profit = operating_cash_flow / net_profit.
- rd_staff_share = R&D staff / all employees at the period end; receivables_allowance_ratio,
  receivables_overdue_share, receivables_collected_share (against the balance);
  inventory_provision_ratio = 跌价准备 / 存货账面余额 (the categories' provisions when their balances add
  up to the balance, else balance − book value; see `inventory_provision`).
- latest period only: financial_investment_to_net_assets_parent = Σ financial_amount / net_assets_parent;
  bond_balance_to_net_assets = (bonds_outstanding + offering amount) / net_assets;
  debt_ratio_after_issue = (liabilities + amount) / (assets + amount);
  debt_ratio_after_conversion = liabilities / (assets + amount).
- "avg_net_profit_parent_3y" {"2023-2025": 万元}: mean of the last three full years' 归母净利润 (the
  smaller of it and the deducted figure when both are given is in avg_net_profit_parent_3y_min);
  "bond_interest_avg" {"term": 万元/年}: the average yearly coupon on the offering amount.
- projects_non_capex_share {"total": %}: non-capex of the raise used / offering amount.
"""
from __future__ import annotations

from decimal import Decimal

from .. import numbers as N
from .model import FINANCIAL_LABELS, PEER_METRICS, CompanyProfile

Series = dict[str, Decimal]

# name -> (Chinese label, kind) ; kind: pct | pp | times | amount
METRIC_LABELS: dict[str, tuple[str, str]] = {
    "revenue_growth": ("营业收入增长率", "pct"),
    "revenue_cagr": ("营业收入复合增长率", "pct"),
    "net_profit_growth": ("净利润增长率", "pct"),
    "net_profit_parent_growth": ("归母净利润增长率", "pct"),
    "net_profit_parent_deducted_growth": ("扣非归母净利润增长率", "pct"),
    "gross_margin": ("综合毛利率", "pct"),
    "main_business_gross_margin": ("主营业务毛利率", "pct"),
    "selling_expense_ratio": ("销售费用率", "pct"),
    "admin_expense_ratio": ("管理费用率", "pct"),
    "rd_expense_ratio": ("研发费用率", "pct"),
    "financial_expense_ratio": ("财务费用率", "pct"),
    "period_expense_ratio": ("期间费用率", "pct"),
    "receivables_to_revenue": ("应收账款余额占营业收入比例", "pct"),
    "receivables_turnover": ("应收账款周转率(次)", "times"),
    "receivables_allowance_ratio": ("坏账准备计提比例", "pct"),
    "receivables_overdue_share": ("逾期应收账款占比", "pct"),
    "receivables_collected_share": ("期后回款比例", "pct"),
    "inventory_turnover": ("存货周转率(次)", "times"),
    "inventory_to_current_assets": ("存货占流动资产比例", "pct"),
    "inventory_provision_ratio": ("存货跌价准备计提比例", "pct"),
    "debt_ratio": ("资产负债率", "pct"),
    "net_margin": ("净利率", "pct"),
    "current_ratio": ("流动比率(倍)", "times"),
    "quick_ratio": ("速动比率(倍)", "times"),
    "top5_customer_share": ("前五大客户销售占比", "pct"),
    "top5_supplier_share": ("前五大供应商采购占比", "pct"),
    "export_share": ("外销收入占比", "pct"),
    "related_party_sales_share": ("关联销售占营业收入比例", "pct"),
    "rd_staff_share": ("研发人员占比", "pct"),
    "operating_cash_to_net_profit": ("经营活动现金流量净额/净利润", "pct"),
    "gross_margin_vs_peers": ("毛利率与可比公司平均差异(个百分点)", "pp"),
    "main_business_gross_margin_vs_peers": ("主营业务毛利率与可比公司平均差异(个百分点)", "pp"),
    "rd_ratio_vs_peers": ("研发费用率与可比公司平均差异(个百分点)", "pp"),
    "financial_investment_to_net_assets_parent": ("财务性投资占归母净资产比例", "pct"),
    "bond_balance_to_net_assets": ("累计债券余额占净资产比例", "pct"),
    "debt_ratio_after_issue": ("发行后转股前资产负债率", "pct"),
    "debt_ratio_after_conversion": ("全部转股后资产负债率", "pct"),
    "avg_net_profit_parent_3y": ("最近三年平均归母净利润", "amount"),
    "avg_net_profit_parent_3y_min": ("最近三年平均归母净利润(扣非前后孰低)", "amount"),
    "bond_interest_avg": ("可转债年均利息", "amount"),
    "projects_non_capex_share": ("非资本性支出占募集资金比例", "pct"),
}
_PEER_NAME = {"rd_expense_ratio": "peer_rd_ratio_avg"}
for _m, _lab in PEER_METRICS.items():
    _name = _PEER_NAME.get(_m, f"peer_{_m}_avg")
    _unit = "times" if "(次)" in _lab else ("amount" if "(人)" in _lab else "pct")
    METRIC_LABELS[_name] = ("可比公司平均" + _lab.split("(")[0], _unit)
METRIC_LABELS["peer_rd_expense_ratio_avg"] = METRIC_LABELS["peer_rd_ratio_avg"]
METRIC_LABELS["peer_expense_ratio_avg"] = ("可比公司平均期间费用率", "pct")


# A flow of the period set against a balance at its end: for an interim period (2026年1-6月) the
# value is shown as computed, not annualised, and marked so (filed replies add 注：…未年化).
NOT_ANNUALISED = ("receivables_to_revenue", "receivables_turnover", "inventory_turnover")


def not_annualised(name: str, key: str) -> bool:
    """True when metric `name` for period `key` is an interim flow-to-balance figure left unannualised."""
    return name in NOT_ANNUALISED and N.is_period_key(key) and not N.parse_period(key).full_year


def peer_metric_name(metric: str) -> str:
    """Name of the metric_series entry holding the peers' average of `metric`."""
    return _PEER_NAME.get(metric, f"peer_{metric}_avg")


def format_metric(name: str, value: Decimal | None) -> str:
    """Show a metric value the way a reply prints it (7.75%, 4.24, 增加1.23个百分点 → "1.23" in tables)."""
    kind = METRIC_LABELS.get(name, ("", "pct"))[1]
    if kind == "pct":
        return N.fmt_pct(value)
    if kind == "pp":
        return N.fmt_pp_num(value)
    return N.fmt_number(value)


def _put(out: dict[str, Series], name: str, key: str, value: Decimal | None) -> None:
    if value is not None:
        out.setdefault(name, {})[key] = value


def _fin(p: CompanyProfile, item: str) -> dict[str, Decimal]:
    return getattr(p.financials, item)


def _prior_key(p: CompanyProfile, key: str) -> str | None:
    """The same period a year before, if it is declared (a reporting or comparative period)."""
    prev = N.same_period_last_year(key)
    return prev if p.has_period(prev) else None


def _opening_key(p: CompanyProfile, key: str) -> str | None:
    prev = N.previous_year_end(key)
    return prev if p.has_period(prev) else None


def _growth_series(p: CompanyProfile, item: str, name: str, out: dict[str, Series]) -> None:
    s = _fin(p, item)
    for k in p.period_keys:
        prev = _prior_key(p, k)
        if prev is not None:
            _put(out, name, k, N.growth(s.get(k), s.get(prev)))


def _ratio_series(p: CompanyProfile, num: str, den: str, name: str, out: dict[str, Series],
                  keys: list[str] | None = None) -> None:
    a, b = _fin(p, num), _fin(p, den)
    for k in (p.period_keys if keys is None else keys):
        _put(out, name, k, N.ratio(a.get(k), b.get(k)))


def _avg_balance(s: dict[str, Decimal], p: CompanyProfile, k: str) -> Decimal | None:
    opening = _opening_key(p, k)
    if opening is None or s.get(opening) is None or s.get(k) is None:
        return None
    return N.average([s[opening], s[k]])


def _sum_series(items, attr: str, key: str) -> Decimal | None:
    vals = [getattr(i, attr).get(key) for i in items]
    if not vals or any(v is None for v in vals):
        return None
    return N.total(vals)


def receivables_balance_series(p: CompanyProfile) -> dict[str, Decimal]:
    """应收账款余额 by period end: the item, else 账面价值 + 坏账准备 when both are given."""
    bal = dict(_fin(p, "accounts_receivable_balance"))
    book, allow = _fin(p, "accounts_receivable"), p.receivables.allowance
    for x in p.periods:
        if x.key not in bal and book.get(x.key) is not None and allow.get(x.key) is not None:
            bal[x.key] = book[x.key] + allow[x.key]
    return bal


def inventory_balance_series(p: CompanyProfile) -> dict[str, Decimal]:
    """存货账面余额 by period end: the inventory_balance item, else the categories' balances, else book value."""
    bal = dict(_fin(p, "inventory_balance"))
    cats = p.inventory.categories
    for x in p.periods:
        if x.key not in bal and cats:
            v = _sum_series(cats, "balance", x.key)
            if v is not None:
                bal[x.key] = v
    if not bal:
        return dict(_fin(p, "inventory"))
    return bal


def metric_series(profile: CompanyProfile) -> dict[str, Series]:
    """All derived metrics (see the module docstring) over the reporting periods, full precision."""
    return _metric_series(profile, profile.period_keys)


def _metric_series(profile: CompanyProfile, keys: list[str]) -> dict[str, Series]:
    p = profile
    out: dict[str, Series] = {}
    rev = _fin(p, "revenue")

    # growth and CAGR
    for k in keys:
        prev = _prior_key(p, k)
        if prev is not None:
            for item, name in (("revenue", "revenue_growth"), ("net_profit", "net_profit_growth"),
                               ("net_profit_parent", "net_profit_parent_growth"),
                               ("net_profit_parent_deducted", "net_profit_parent_deducted_growth")):
                _put(out, name, k, N.growth(_fin(p, item).get(k), _fin(p, item).get(prev)))
    years = p.years
    value, first, last = cagr_of(p, "revenue")
    if value is not None:
        _put(out, "revenue_cagr", f"{first}-{last}", value)

    # margins and expense ratios
    cost = _fin(p, "operating_cost")
    mrev, mcost = _fin(p, "main_business_revenue"), _fin(p, "main_business_cost")
    for k in keys:
        if rev.get(k) is not None and cost.get(k) is not None:
            _put(out, "gross_margin", k, margin(rev[k], cost[k]))
        if mrev.get(k) is not None and mcost.get(k) is not None:
            _put(out, "main_business_gross_margin", k, margin(mrev[k], mcost[k]))
    expenses = ("selling_expense", "admin_expense", "rd_expense", "financial_expense")
    for e in expenses:
        _ratio_series(p, e, "revenue", f"{e}_ratio", out, keys)
    for k in keys:
        vals = [_fin(p, e).get(k) for e in expenses]
        if all(v is not None for v in vals):
            _put(out, "period_expense_ratio", k, N.ratio(N.total(vals), rev.get(k)))

    # receivables and inventory
    arb, inv = receivables_balance_series(p), inventory_balance_series(p)
    for k in keys:
        _put(out, "receivables_to_revenue", k, N.ratio(arb.get(k), rev.get(k)))
    for k in keys:
        _put(out, "receivables_turnover", k, N.times(rev.get(k), _avg_balance(arb, p, k)))
        _put(out, "inventory_turnover", k, N.times(cost.get(k), _avg_balance(inv, p, k)))
    _ratio_series(p, "inventory", "current_assets", "inventory_to_current_assets", out, keys)
    r = p.receivables
    for k in keys:
        _put(out, "receivables_allowance_ratio", k, N.ratio(r.allowance.get(k), arb.get(k)))
        _put(out, "receivables_overdue_share", k, N.ratio(r.overdue.get(k), arb.get(k)))
        _put(out, "receivables_collected_share", k, N.ratio(r.collected_after.get(k), arb.get(k)))
        _put(out, "inventory_provision_ratio", k, inventory_provision(p, k)[1])
    _ratio_series(p, "total_liabilities", "total_assets", "debt_ratio", out, keys)
    net = _fin(p, "net_profit")
    ca, cl = _fin(p, "current_assets"), _fin(p, "current_liabilities")
    for k in keys:
        _put(out, "net_margin", k, N.ratio(net.get(k), rev.get(k)))
        _put(out, "current_ratio", k, N.times(ca.get(k), cl.get(k)))
        if ca.get(k) is not None and _fin(p, "inventory").get(k) is not None:
            _put(out, "quick_ratio", k, N.times(ca[k] - _fin(p, "inventory")[k], cl.get(k)))

    # concentration, export, related parties
    purchases = _fin(p, "purchases_total")
    for k in keys:
        cs = p.customers.get(k)
        if cs:
            top = N.total(sorted((c.amount for c in cs), reverse=True)[:5])
            _put(out, "top5_customer_share", k, N.ratio(top, rev.get(k)))
        ss = p.suppliers.get(k)
        if ss:
            top = N.total(sorted((c.amount for c in ss), reverse=True)[:5])
            _put(out, "top5_supplier_share", k, N.ratio(top, purchases.get(k)))
        regions = p.revenue_breakdown.region
        if regions and any(it.is_export for it in regions):
            exp = N.total([it.revenue.get(k) for it in regions if it.is_export])
            base = mrev.get(k) if mrev.get(k) is not None else rev.get(k)
            if exp is not None:
                _put(out, "export_share", k, N.ratio(exp, base))
    _ratio_series(p, "related_party_sales", "revenue", "related_party_sales_share", out, keys)

    # staff
    if p.employees:
        for k in keys:
            staff = p.rd.staff.get(k)
            total = _sum_series(p.employees, "headcount", k)
            _put(out, "rd_staff_share", k, N.ratio(staff, total))

    # peers
    peer_metrics = sorted({m for peer in p.peers for m in peer.metrics}, key=list(PEER_METRICS).index)
    for m in peer_metrics:
        name = peer_metric_name(m)
        for k in keys:
            _put(out, name, k, N.average(peer.metrics.get(m, {}).get(k) for peer in p.peers))
        if m == "rd_expense_ratio" and name in out:
            out["peer_rd_expense_ratio_avg"] = dict(out[name])
    for k in keys:
        parts = [out.get(peer_metric_name(f"{e}_ratio"), {}).get(k) for e in expenses]
        if all(v is not None for v in parts):
            _put(out, "peer_expense_ratio_avg", k, N.total(parts))
    for own, peer, name in (
        ("gross_margin", "peer_gross_margin_avg", "gross_margin_vs_peers"),
        ("main_business_gross_margin", "peer_main_business_gross_margin_avg", "main_business_gross_margin_vs_peers"),
        ("rd_expense_ratio", "peer_rd_ratio_avg", "rd_ratio_vs_peers"),
    ):
        for k in keys:
            _put(out, name, k, N.pp_change(out.get(own, {}).get(k), out.get(peer, {}).get(k)))

    # cash
    _ratio_series(p, "operating_cash_flow", "net_profit", "operating_cash_to_net_profit", out, keys)

    # refinancing tests at the latest period end
    latest = p.latest
    if p.investments:
        _put(out, "financial_investment_to_net_assets_parent", latest,
             N.ratio(p.financial_investment_total, p.value("net_assets_parent", latest)))
    off = p.offering
    if off is not None:
        assets, liab = p.value("total_assets", latest), p.value("total_liabilities", latest)
        if off.bonds_outstanding is not None:
            _put(out, "bond_balance_to_net_assets", latest,
                 N.ratio(off.bonds_outstanding + off.amount, item_value(p, "net_assets", latest)))
        if assets is not None and liab is not None:
            _put(out, "debt_ratio_after_issue", latest, N.ratio(liab + off.amount, assets + off.amount))
            _put(out, "debt_ratio_after_conversion", latest, N.ratio(liab, assets + off.amount))
        if off.coupon_rates:
            _put(out, "bond_interest_avg", "term",
                 N.average(off.amount * c / N.HUNDRED for c in off.coupon_rates))
        if p.projects and all(pr.non_capex is not None for pr in p.projects):
            _put(out, "projects_non_capex_share", "total",
                 N.ratio(N.total(pr.non_capex for pr in p.projects), off.amount))
    last3 = years[-3:]
    if len(last3) == 3:
        span = f"{last3[0]}-{last3[-1]}"
        npp = _fin(p, "net_profit_parent")
        if all(npp.get(y) is not None for y in last3):
            _put(out, "avg_net_profit_parent_3y", span, N.average(npp[y] for y in last3))
            ded = _fin(p, "net_profit_parent_deducted")
            if all(ded.get(y) is not None for y in last3):
                _put(out, "avg_net_profit_parent_3y_min", span, N.average(min(npp[y], ded[y]) for y in last3))
    return out


# --------------------------------------------------------------------------- consistency


def _cmp(problems: list[str], what: str, key: str, got: Decimal | None, want: Decimal | None,
         tolerance: Decimal = Decimal("0.01")) -> None:
    if got is None or want is None:
        return
    if isinstance(problems, _Checks):
        problems.made += 1
    if abs(got - want) > tolerance:
        problems.append(
            f"{N.period_label(key) if N.is_period_key(key) else key}: {what} {N.fmt_amount(got)} "
            f"≠ {N.fmt_amount(want)} (差额 {N.fmt_amount(got - want)})"
        )


class _Checks(list):
    """The problems found, and how many comparisons could be made at all."""

    made = 0


def consistency_check_count(profile: CompanyProfile) -> int:
    """How many detail-versus-financials comparisons the data allows (0: nothing could be cross-checked)."""
    out = consistency_problems(profile)
    return out.made if isinstance(out, _Checks) else 0


def consistency_problems(profile: CompanyProfile, tolerance: Decimal = Decimal("0.01")) -> list[str]:
    """Sub-blocks that do not add up to the financials (beyond `tolerance` 万元 of rounding), one line each.

    These are warnings for the reviewer (a published table may carry 尾差), not load errors.
    """
    p = profile
    out: list[str] = _Checks()
    t = tolerance
    keys = [x.key for x in p.periods]
    mrev = p.financials.main_business_revenue
    mcost = p.financials.main_business_cost
    base_rev = mrev or p.financials.revenue
    base_cost = mcost or p.financials.operating_cost
    base_name = "主营业务" if mrev else "营业"
    dims = (("产品", p.revenue_breakdown.product), ("地区", p.revenue_breakdown.region),
            ("渠道", p.revenue_breakdown.channel))
    for k in keys:
        for dim, items in dims:
            if items:
                _cmp(out, f"按{dim}收入合计与{base_name}收入", k, _sum_series(items, "revenue", k), base_rev.get(k), t)
                _cmp(out, f"按{dim}成本合计与{base_name}成本", k, _sum_series(items, "cost", k), base_cost.get(k), t)
        if p.rd.expense_items:
            _cmp(out, "研发费用明细合计与研发费用", k, _sum_series(p.rd.expense_items, "amounts", k),
                 p.financials.rd_expense.get(k), t)
        arb = p.financials.accounts_receivable_balance.get(k)
        if p.receivables.aging:
            _cmp(out, "应收账款账龄合计与应收账款余额", k, _sum_series(p.receivables.aging, "balance", k), arb, t)
        allow = p.receivables.allowance.get(k)
        if arb is not None and allow is not None:
            _cmp(out, "应收账款余额减坏账准备与应收账款账面价值", k, arb - allow,
                 p.financials.accounts_receivable.get(k), t)
        cats = p.inventory.categories
        if cats:
            bal = _sum_series(cats, "balance", k)
            prov = N.total([c.provision.get(k) for c in cats])  # None: provisions not given
            if bal is not None:
                if prov is not None:
                    _cmp(out, "存货分类余额减跌价准备与存货", k, bal - prov, p.financials.inventory.get(k), t)
                _cmp(out, "存货分类余额合计与存货账面余额", k, bal, p.financials.inventory_balance.get(k), t)
                if p.inventory.aging:
                    _cmp(out, "存货库龄合计与存货余额", k, _sum_series(p.inventory.aging, "balance", k), bal, t)
        if p.fixed_assets:
            _cmp(out, "固定资产分类账面价值合计与固定资产", k, _sum_series(p.fixed_assets, "book_value", k),
                 p.financials.fixed_assets.get(k), t)
            for fa in p.fixed_assets:
                c, d, i, b = (fa.cost.get(k), fa.accumulated_depreciation.get(k), fa.impairment.get(k, Decimal(0)),
                              fa.book_value.get(k))
                if c is not None and d is not None:
                    _cmp(out, f"{fa.name}原值减累计折旧及减值与账面价值", k, c - d - i, b, t)
        f = p.financials
        a, l_, e = f.total_assets.get(k), f.total_liabilities.get(k), f.net_assets.get(k)
        if a is not None and l_ is not None and e is not None:
            _cmp(out, "负债合计加所有者权益合计与资产总计", k, l_ + e, a, t)
        rd_staff = p.rd.staff.get(k)
        for g in p.employees:
            if g.function in ("研发人员", "研发") and rd_staff is not None and g.headcount.get(k) is not None:
                if g.headcount[k] != rd_staff:
                    out.append(f"{N.period_label(k)}: 员工构成中研发人员 {g.headcount[k]} ≠ 研发人员数量 {rd_staff}")
    _record_checks(p, out, keys, t)
    off = p.offering
    if off is not None and p.projects:
        used = N.total(pr.proceeds for pr in p.projects)
        _cmp(out, "募投项目拟使用募集资金合计与本次发行金额", "募投项目", used, off.amount, t)
        for pr in p.projects:
            if pr.capex is not None and pr.non_capex is not None:
                _cmp(out, f"{pr.name}资本性与非资本性支出合计与拟使用募集资金", "募投项目", pr.capex + pr.non_capex,
                     pr.proceeds, t)
            if pr.items:
                _cmp(out, f"{pr.name}投资明细合计与投资总额", "募投项目", N.total(i.amount for i in pr.items),
                     pr.total_investment, t)
    latest = p.latest
    for inv in p.investments:
        item = {"交易性金融资产": "trading_financial_assets", "其他应收款": "other_receivables",
                "其他流动资产": "other_current_assets", "长期股权投资": "long_term_equity_investment",
                "其他权益工具投资": "other_equity_instruments",
                "其他非流动资产": "other_non_current_assets"}.get(inv.account)
        if item:
            _cmp(out, f"财务性投资表中{inv.account}账面价值与财务数据", latest, inv.book_value,
                 p.value(item, latest), t)
    return out


_DEBT_ITEMS = {"短期借款": "short_term_borrowings", "长期借款": "long_term_borrowings", "应付债券": "bonds_payable"}
_RELATED_SALES = ("销售商品", "提供劳务")
_RELATED_PURCHASES = ("采购商品", "接受劳务")


def _record_checks(p: CompanyProfile, out: list[str], keys: list[str], t: Decimal) -> None:
    """Issue 14's record blocks against the financials: 货币资金明细, 有息负债, 应收票据, 关联交易, 产能产量."""
    f = p.financials
    for k in keys:
        if p.cash:
            _cmp(out, "货币资金明细合计与货币资金", k, _sum_series(p.cash, "balances", k), f.monetary_funds.get(k), t)
        for kind, item in _DEBT_ITEMS.items():
            lines = [d for d in p.debts if d.kind == kind]
            if lines:
                _cmp(out, f"有息负债中{kind}与财务数据{FINANCIAL_LABELS[item]}", k, _sum_series(lines, "balances", k),
                     getattr(f, item).get(k), t)
        if p.bills:
            _cmp(out, "应收票据明细合计与应收票据", k, _sum_series(p.bills, "balances", k), f.notes_receivable.get(k), t)
        for kinds, item in ((_RELATED_SALES, "related_party_sales"), (_RELATED_PURCHASES, "related_party_purchases")):
            lines = [r for r in p.related_transactions if r.kind in kinds]
            if lines:
                _cmp(out, f"关联交易明细({'/'.join(kinds)})合计与{FINANCIAL_LABELS[item]}", k,
                     _sum_series(lines, "amounts", k), getattr(f, item).get(k), t)
        quantities = {it.name: it.quantity for it in p.revenue_breakdown.product if it.quantity}
        for c in p.capacity:
            if c.product in quantities and k in c.sales_volume and k in quantities[c.product]:
                _cmp(out, f"产能产量表中{c.product}销量与收入构成销量", k, c.sales_volume[k], quantities[c.product][k], t)
        for c in p.cash:
            bal, res = c.balances.get(k), c.restricted.get(k)
            if bal is not None and res is not None and res > bal + t:
                out.append(f"{N.period_label(k)}: {c.name}受限金额 {N.fmt_amount(res)} 大于余额 {N.fmt_amount(bal)}")
        for block, what, item in (("subsidies", "政府补助合计", "other_income"),
                                  ("purchases", "原材料采购合计", "purchases_total")):
            total = _sum_series(getattr(p, block), "amounts" if block == "subsidies" else "amount", k)
            cap = getattr(f, item).get(k)
            if getattr(p, block) and total is not None and cap is not None:
                if isinstance(out, _Checks):
                    out.made += 1
                if total > cap + t:  # a part of the item, never more than the whole
                    out.append(f"{N.period_label(k)}: {what} {N.fmt_amount(total)} 大于{FINANCIAL_LABELS[item]} "
                               f"{N.fmt_amount(cap)}")


# --------------------------------------------------------------------------- figures for templates (issue 14)
#
# One place for every figure a template or a computed table shows: an item's value (net assets derived
# when not given), a metric for ANY declared period (comparative ones included, so an interim period's
# change is measured against the same period a year before), growth, CAGR, pp changes, shares.

DERIVED_ITEMS = {"net_assets": "资产总计−负债合计", "accounts_receivable_balance": "应收账款账面价值+坏账准备"}

# how each metric is computed, for the 注 under a table (one definition, one label)
METRIC_DEFINITIONS: dict[str, str] = {
    "gross_margin": "综合毛利率=(营业收入-营业成本)/营业收入",
    "main_business_gross_margin": "主营业务毛利率=(主营业务收入-主营业务成本)/主营业务收入",
    "selling_expense_ratio": "销售费用率=销售费用/营业收入",
    "admin_expense_ratio": "管理费用率=管理费用/营业收入",
    "rd_expense_ratio": "研发费用率=研发费用/营业收入",
    "financial_expense_ratio": "财务费用率=财务费用/营业收入",
    "period_expense_ratio": "期间费用率=(销售费用+管理费用+研发费用+财务费用)/营业收入",
    "net_margin": "净利率=净利润/营业收入",
    "debt_ratio": "资产负债率=负债合计/资产总计",
    "current_ratio": "流动比率=流动资产/流动负债",
    "quick_ratio": "速动比率=(流动资产-存货)/流动负债",
    "receivables_to_revenue": "应收账款余额占营业收入比例=期末应收账款余额/当期营业收入",
    "receivables_turnover": "应收账款周转率=营业收入/[(期初应收账款余额+期末应收账款余额)/2]",
    "inventory_turnover": "存货周转率=营业成本/[(期初存货账面余额+期末存货账面余额)/2]",
    "inventory_provision_ratio": "存货跌价准备计提比例=存货跌价准备/存货账面余额",
    "inventory_to_current_assets": "存货占流动资产比例=存货/流动资产合计",
    "receivables_allowance_ratio": "坏账准备计提比例=坏账准备/应收账款余额",
    "receivables_overdue_share": "逾期应收账款占比=逾期金额/应收账款余额",
    "receivables_collected_share": "期后回款比例=期后回款金额/应收账款余额",
    "operating_cash_to_net_profit": "经营活动现金流量净额/净利润=经营活动产生的现金流量净额/净利润",
    "export_share": "外销收入占比=外销收入/主营业务收入",
    "related_party_sales_share": "关联销售占营业收入比例=关联销售金额/营业收入",
    "top5_customer_share": "前五大客户销售占比=前五大客户销售金额合计/营业收入",
    "top5_supplier_share": "前五大供应商采购占比=前五大供应商采购金额合计/采购总额",
    "rd_staff_share": "研发人员占比=研发人员数量/员工总数",
    "revenue_growth": "营业收入增长率=(本期营业收入-上年同期营业收入)/上年同期营业收入",
    "net_profit_growth": "净利润增长率=(本期净利润-上年同期净利润)/上年同期净利润",
    "net_profit_parent_growth": "归母净利润增长率=(本期归属于母公司所有者的净利润-上年同期数)/上年同期数",
    "net_profit_parent_deducted_growth": "扣非归母净利润增长率=(本期扣非归母净利润-上年同期数)/上年同期数",
}

_CACHE: list[tuple[CompanyProfile, dict[str, Series]]] = []  # (profile, metrics over every declared period)


def all_period_metrics(profile: CompanyProfile) -> dict[str, Series]:
    """metric_series over every declared period (comparative ones included), cached per profile object."""
    for prof, series in _CACHE:
        if prof is profile:
            return series
    series = _metric_series(profile, [x.key for x in profile.periods])
    _CACHE.append((profile, series))
    del _CACHE[:-8]
    return series


def is_item(key: str) -> bool:
    from .model import FINANCIAL_ITEMS

    return key in FINANCIAL_ITEMS


def is_metric(key: str) -> bool:
    return key in METRIC_LABELS or key in METRIC_DEFINITIONS


def label_of(key: str) -> str:
    """The one Chinese label of a financial item or a metric (净利润 ≠ 归属于母公司所有者的净利润)."""
    if key in FINANCIAL_LABELS:
        return FINANCIAL_LABELS[key]
    if key in METRIC_LABELS:
        return METRIC_LABELS[key][0]
    return key


def kind_of(key: str) -> str:
    """amount (万元), pct, pp or times."""
    if key in FINANCIAL_LABELS:
        return "amount"
    return METRIC_LABELS.get(key, ("", "pct"))[1]


def item_value(p: CompanyProfile, key: str, period: str) -> Decimal | None:
    """A financial item for a period; net_assets = total_assets − total_liabilities when not given."""
    v = p.financials.get(key, period)
    if v is None and key == "net_assets":
        a, l_ = p.financials.get("total_assets", period), p.financials.get("total_liabilities", period)
        if a is not None and l_ is not None:
            return a - l_
    if v is None and key == "accounts_receivable_balance":
        return receivables_balance_series(p).get(period)
    return v


def check_key(key: str) -> None:
    """ValueError for a name that is neither a financial item nor a metric (a template's typo)."""
    if not is_item(key) and not is_metric(key):
        import difflib

        from .model import FINANCIAL_ITEMS

        near = difflib.get_close_matches(key, [*FINANCIAL_ITEMS, *METRIC_LABELS], n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        raise ValueError(f"unknown financial item or metric {key!r}{hint}")


def value(p: CompanyProfile, key: str, period: str | None = None) -> Decimal | None:
    """A financial item or a named metric for `period` (default: the latest reporting period)."""
    check_key(key)
    period = period or p.latest
    if is_item(key):
        return item_value(p, key, period)
    return all_period_metrics(p).get(key, {}).get(period)


def base_period(p: CompanyProfile, period: str | None = None) -> str | None:
    """The period a change is measured against: the previous year, or the same interim a year before
    (only when it is declared; none is invented)."""
    return _prior_key(p, period or p.latest)


def growth_of(p: CompanyProfile, key: str, period: str | None = None, base: str | None = None) -> Decimal | None:
    """Growth (%) of an item or metric against `base` (default: the base period of `period`)."""
    period = period or p.latest
    base = base or base_period(p, period)
    return None if base is None else N.growth(value(p, key, period), value(p, key, base))


def pp_change_of(p: CompanyProfile, metric: str, period: str | None = None, base: str | None = None) -> Decimal | None:
    """Change of a ratio (percent units) against `base` (default: the base period), in 个百分点."""
    period = period or p.latest
    base = base or base_period(p, period)
    return None if base is None else N.pp_change(value(p, metric, period), value(p, metric, base))


def cagr_of(p: CompanyProfile, key: str, years: list[str] | None = None) -> tuple[Decimal | None, str | None, str | None]:
    """(CAGR %, first year, last year) over every full year the file holds a value for (comparative
    years included), or over `years` only; (None, None, None) with fewer than two such years."""
    years = [x.key for x in p.periods if x.full_year and (years is None or x.key in years)]
    years = sorted((y for y in years if value(p, key, y) is not None), key=lambda y: N.parse_period(y).year)
    if len(years) < 2:
        return None, None, None
    first, last = years[0], years[-1]
    n = N.parse_period(last).year - N.parse_period(first).year
    return N.cagr(value(p, key, first), value(p, key, last), n), first, last


def share_of(p: CompanyProfile, key: str, denominator: str, period: str | None = None) -> Decimal | None:
    """key / denominator (percent units), both items or metrics of the same period."""
    period = period or p.latest
    return N.ratio(value(p, key, period), value(p, denominator, period))


def to_assets(p: CompanyProfile, key: str, period: str | None = None) -> Decimal | None:
    """key / total_assets (percent units)."""
    return share_of(p, key, "total_assets", period)


def inventory_provision(p: CompanyProfile, k: str) -> tuple[Decimal | None, Decimal | None, str]:
    """(跌价准备, 计提比例 %, how) for period `k`.

    The categories' provisions count only when their balances add up to the inventory balance (or no
    balance item is given); a partial breakdown is never the whole: then the provision is the balance
    minus the book value (inventory_balance − inventory). `how`: "categories", "balance" or "".
    """
    f = p.financials
    cats = p.inventory.categories
    bal_item, book = f.inventory_balance.get(k), f.inventory.get(k)
    if cats:
        bal = _sum_series(cats, "balance", k)
        prov = N.total([c.provision.get(k) for c in cats])
        whole = bal is not None and (bal_item is None or abs(bal - bal_item) <= Decimal("0.01"))
        if whole and prov is not None:
            return prov, N.ratio(prov, bal), "categories"
    if bal_item is not None and book is not None:
        prov = bal_item - book
        return prov, N.ratio(prov, bal_item), "balance"
    return None, None, ""


def breakdown_is_partial(lines: list, attr: str, total: dict[str, Decimal], keys: list[str]) -> bool:
    """True when, for some period, the lines given do not add up to the total (beyond 0.01)."""
    for k in keys:
        t = total.get(k)
        s = _sum_series(lines, attr, k) if lines else None
        if t is not None and (s is None and any(getattr(x, attr).get(k) is not None for x in lines)
                              or s is not None and abs(s - t) > Decimal("0.01")):
            return True
    return False


def margin(revenue: Decimal | None, cost: Decimal | None) -> Decimal | None:
    """毛利率 (%) = (revenue − cost) / revenue: the one definition, for the company and for a product line."""
    if revenue is None or cost is None or not revenue:
        return None
    return N.ratio(revenue - cost, revenue)
