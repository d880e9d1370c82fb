"""Derived metrics: the published ratios of 优优绿能 (reply 002) to the last digit, and the example's consistency."""
import re
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter import numbers as N
from drafter.cli import main
from drafter.company import load_company, load_yaml_text
from drafter.company.metrics import consistency_problems, format_metric, metric_series

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
EXAMPLE = ROOT / "examples" / "company.yaml"


@pytest.fixture(scope="module")
def uu():
    return load_company(DATA / "company_002.yaml")


@pytest.fixture(scope="module")
def uu_metrics(uu):
    return metric_series(uu)


@pytest.fixture(scope="module")
def example():
    return load_company(EXAMPLE)


def shown(series, name):
    return {k: format_metric(name, v) for k, v in series[name].items()}


def test_002_published_ratios_to_the_last_digit(uu_metrics):
    m = uu_metrics
    assert shown(m, "rd_expense_ratio") == {"2019": "7.75%", "2020": "5.34%", "2021": "4.99%", "2022H1": "5.48%"}
    # growth for 2020 and 2021 only: 2019 has no prior year, 2022H1 no declared 2021H1
    assert shown(m, "revenue_growth") == {"2020": "111.97%", "2021": "105.22%"}
    assert shown(m, "revenue_cagr") == {"2019-2021": "108.57%"}
    assert shown(m, "receivables_to_revenue") == {"2019": "34.55%", "2020": "30.90%", "2021": "40.98%",
                                                  "2022H1": "54.17%"}
    assert shown(m, "main_business_gross_margin") == {"2020": "29.30%", "2021": "26.28%"}
    assert shown(m, "selling_expense_ratio") == {"2021": "5.69%"}
    assert shown(m, "export_share") == {"2020": "19.78%", "2021": "24.05%"}
    # turnover on average balances (opening = previous year end); 2019 has no opening balance
    assert {k: v for k, v in shown(m, "receivables_turnover").items() if k != "2022H1"} == {"2020": "4.24",
                                                                                            "2021": "3.57"}
    assert shown(m, "inventory_turnover") == {"2021": "5.26"}
    # peers' averages as published (问题1, 问题13, 问题14)
    assert shown(m, "peer_rd_ratio_avg") == {"2020": "11.96%", "2021": "11.07%"}
    assert shown(m, "peer_admin_expense_ratio_avg") == {"2020": "7.96%", "2021": "7.01%"}  # 7.005 -> 7.01
    assert m["peer_rd_staff_avg"] == {"2020": Decimal("399.5"), "2021": Decimal("424")}
    assert shown(m, "rd_ratio_vs_peers")["2021"] == "-6.08"


def test_002_peer_averages_of_rounded_figures_can_differ_from_published_in_the_last_digit(uu_metrics):
    # The reply averages the peers' unrounded ratios; we only have the rounded ones it prints.
    # selling 2021: (6.07 + 14.39 + 9.50 + 7.50) / 4 = 9.365 -> 9.37 (published 9.36%);
    # receivables turnover 2020: 5.66 / 4 = 1.415 -> 1.42 (published 1.41). Both are exact half-up results.
    assert uu_metrics["peer_selling_expense_ratio_avg"]["2021"] == Decimal("9.365")
    assert format_metric("peer_selling_expense_ratio_avg", uu_metrics["peer_selling_expense_ratio_avg"]["2021"]) == "9.37%"
    assert shown(uu_metrics, "peer_selling_expense_ratio_avg")["2020"] == "10.04%"  # 10.035 -> 10.04, as published
    assert shown(uu_metrics, "peer_receivables_turnover_avg") == {"2020": "1.42", "2021": "1.65"}


def test_002_data_check_prints_the_published_figures(tmp_path):
    res = CliRunner().invoke(main, ["data", "check", str(DATA / "company_002.yaml")])
    assert res.exit_code == 0, res.output
    out = res.output
    rd_row = next(line for line in out.splitlines() if line.startswith("研发费用率"))
    assert rd_row.split()[1:] == ["7.75%", "5.34%", "4.99%", "5.48%"]
    growth_row = next(line for line in out.splitlines() if line.startswith("营业收入增长率"))
    assert growth_row.split()[1:] == ["-", "111.97%", "105.22%", "-"]
    ar_row = next(line for line in out.splitlines() if line.startswith("应收账款余额占营业收入比例"))
    # the published 54.17% for 2022年1-6月 is the unannualised ratio: shown as computed, and marked
    assert ar_row.split()[1:] == ["34.55%", "30.90%", "40.98%", "54.17%(未年化)"]
    turnover_row = next(line for line in out.splitlines() if line.startswith("应收账款周转率"))
    assert turnover_row.split()[1:] == ["-", "4.24", "3.57", "1.86(未年化)"]
    assert "(未年化)" not in rd_row and "(未年化)" not in growth_row  # flows over flows need no mark
    assert "营业收入复合增长率(2019年至2021年): 108.57%" in out
    res = CliRunner().invoke(main, ["data", "check", "--json", str(DATA / "company_002.yaml")])
    import json

    j = json.loads(res.output)
    assert j["metrics"]["rd_expense_ratio"]["values"] == {"2019": "7.75", "2020": "5.34", "2021": "4.99",
                                                          "2022H1": "5.48"}
    assert j["metrics"]["revenue_cagr"]["values"] == {"2019-2021": "108.57"}
    assert j["metrics"]["receivables_to_revenue"]["values"]["2022H1"] == "54.17"  # value unchanged
    assert j["metrics"]["receivables_to_revenue"]["not_annualised"] == ["2022H1"]
    assert "not_annualised" not in j["metrics"]["rd_expense_ratio"]
    assert j["warnings"] == []


def test_interim_flow_to_balance_metrics_are_marked_not_annualised():
    from drafter.company.metrics import NOT_ANNUALISED, not_annualised

    assert set(NOT_ANNUALISED) == {"receivables_to_revenue", "receivables_turnover", "inventory_turnover"}
    assert not_annualised("receivables_turnover", "2026H1") and not_annualised("inventory_turnover", "2026Q3")
    assert not not_annualised("receivables_turnover", "2025")  # a full year needs no mark
    assert not not_annualised("operating_cash_to_net_profit", "2026H1")  # a flow over a flow
    assert not not_annualised("gross_margin", "2026H1")
    res = CliRunner().invoke(main, ["data", "check", str(ROOT / "examples" / "company.yaml")])
    assert res.exit_code == 0, res.output
    rows = {line.split()[0]: line.split()[1:] for line in res.output.splitlines() if line.strip()}
    assert rows["应收账款余额占营业收入比例"][-1] == "75.81%(未年化)"
    assert rows["存货周转率(次)"][-1].endswith("(未年化)") and rows["应收账款周转率(次)"][-1].endswith("(未年化)")
    assert not any("未年化" in c for c in rows["应收账款周转率(次)"][:-1])
    assert not any("未年化" in c for c in rows["经营活动现金流量净额/净利润"])


def _num(s: str) -> Decimal:
    return Decimal(s.replace(",", ""))


AMT = r"([\d,]+\.\d{2})万元"
PCT = r"([\d.]+)%"


def _find(text: str, pattern: str) -> tuple:
    m = re.search(pattern, re.sub(r"\s*\n\s*", "", text))
    assert m, f"not found in the corpus: {pattern}"
    return m.groups()


def test_corpus_ratios_follow_from_the_amounts_beside_them(reply002):
    """Recompute ratios quoted in reply 002 from the amounts quoted beside them (text, not our YAML)."""
    text = reply002.read_text(encoding="utf-8")
    # 研发费用 / 营业收入
    g = _find(text, rf"研发费用分别为{AMT}、{AMT}、{AMT}和{AMT},占各期营业收入的比例分别为{PCT}、{PCT}、{PCT}和{PCT}")
    rev = _find(text, rf"发行人营业收入分别为{AMT}、{AMT}、{AMT}和{AMT}")
    for amount, revenue, pct in zip(g[:4], rev, g[4:]):
        assert N.fmt_pct(N.ratio(_num(amount), _num(revenue))) == pct + "%"
    # 期间费用 / 营业收入
    g = _find(text, rf"期间费用分别为{AMT}、{AMT}、{AMT}和{AMT},占营业收入比例分别为{PCT}、{PCT}、{PCT}和{PCT}")
    for amount, revenue, pct in zip(g[:4], rev, g[4:]):
        assert N.fmt_pct(N.ratio(_num(amount), _num(revenue))) == pct + "%"
    # 应收账款余额 / 营业收入
    g = _find(text, rf"应收账款余额分别为{AMT}、{AMT}、{AMT}和{AMT},占当期营业收入的比重分别为{PCT}、{PCT}、{PCT}和{PCT}")
    for amount, revenue, pct in zip(g[:4], rev, g[4:]):
        assert N.fmt_pct(N.ratio(_num(amount), _num(revenue))) == pct + "%"
    # 前五大客户 / 营业收入
    g = _find(text, rf"前五大客户的销售收入分别为{AMT}、{AMT}、{AMT}和{AMT},占营业收入比重分别为{PCT}、{PCT}、{PCT}和{PCT}")
    for amount, revenue, pct in zip(g[:4], rev, g[4:]):
        assert N.fmt_pct(N.ratio(_num(amount), _num(revenue))) == pct + "%"
    # growth and CAGR quoted after the revenue
    g = _find(text, r"2020年、2021年分别较上年增长([\d.]+)%、([\d.]+)%,最近三年年均复合增长率为([\d.]+)%")
    assert N.fmt_pct(N.growth(_num(rev[1]), _num(rev[0]))) == g[0] + "%"
    assert N.fmt_pct(N.growth(_num(rev[2]), _num(rev[1]))) == g[1] + "%"
    assert N.fmt_pct(N.cagr(_num(rev[0]), _num(rev[2]), 2)) == g[2] + "%"
    # 质保费 / 营业收入 table (2022, 2021, 2020)
    i = text.index("质保费3,278.77")
    rows = text[i - 40:i + 200]
    fee = re.search(r"质保费([\d,.]+?\.\d{2})([\d,]+?\.\d{2})([\d,]+?\.\d{2})", rows).groups()
    income = re.search(r"营业收入([\d,]+?\.\d{2})([\d,]+?\.\d{2})([\d,]+?\.\d{2})", rows).groups()
    share = re.search(r"占比([\d.]+%)([\d.]+%)([\d.]+%)", rows).groups()
    for f, r, s in zip(fee, income, share):
        assert N.fmt_pct(N.ratio(_num(f), _num(r))) == s
    # 主营业务毛利率 table: (收入 - 成本) / 收入
    i = text.index("主营业务收入98,656.5142,995.5620,907.12")
    block = text[i:i + 200]
    assert "毛利率34.73%26.28%29.30%" in block
    for r, c, s in (("98656.51", "64392.42", "34.73%"), ("42995.56", "31696.15", "26.28%"),
                    ("20907.12", "14781.68", "29.30%")):
        assert N.fmt_pct(N.ratio(Decimal(r) - Decimal(c), Decimal(r))) == s


def test_interim_growth_uses_a_declared_comparative_period():
    base = """
company: {name: 甲, short_name: 甲, exchange: 深交所}
unit: 万元
periods:
  - {key: "2021"}
  - {key: "2021H1", comparative: true}
  - {key: "2022H1"}
financials:
  revenue: {"2021": 300, "2021H1": 100, "2022H1": 125}
"""
    m = metric_series(load_yaml_text(base))
    assert m["revenue_growth"] == {"2022H1": Decimal(25)}
    assert "revenue_cagr" not in m  # one full year only
    no_comp = base.replace('  - {key: "2021H1", comparative: true}\n', "").replace('"2021H1": 100, ', "")
    assert "revenue_growth" not in metric_series(load_yaml_text(no_comp))  # never against a full year


def test_example_figures_add_up(example):
    """Sub-blocks sum to the financials: products/regions/channels, R&D detail, aging, inventory, fixed assets."""
    assert consistency_problems(example) == []
    p = example
    for k in [x.key for x in p.periods]:
        f = p.financials
        if k in f.total_assets:
            assert f.total_liabilities[k] + f.net_assets[k] == f.total_assets[k]
            assert f.current_assets[k] + f.non_current_assets[k] == f.total_assets[k]
        if k in f.revenue:
            for dim in ("product", "region", "channel"):
                items = getattr(p.revenue_breakdown, dim)
                assert sum(i.revenue[k] for i in items) == f.main_business_revenue[k]
                assert sum(i.cost[k] for i in items) == f.main_business_cost[k]
            assert sum(i.amounts[k] for i in p.rd.expense_items) == f.rd_expense[k]
            assert f.revenue[k] >= f.main_business_revenue[k] and f.operating_cost[k] >= f.main_business_cost[k]
        if k in f.accounts_receivable_balance:
            assert sum(b.balance[k] for b in p.receivables.aging) == f.accounts_receivable_balance[k]
            assert f.accounts_receivable_balance[k] - p.receivables.allowance[k] == f.accounts_receivable[k]
            inv = p.inventory.categories
            assert sum(c.balance[k] - c.provision[k] for c in inv) == f.inventory[k]
            assert sum(b.balance[k] for b in p.inventory.aging) == sum(c.balance[k] for c in inv)
            assert sum(a.book_value[k] for a in p.fixed_assets) == f.fixed_assets[k]
    # the employees' R&D line is the R&D headcount
    rd_group = next(g for g in p.employees if g.function == "研发人员")
    assert rd_group.headcount == p.rd.staff
    # fund-raising: proceeds add up to the offering; capex + non-capex = proceeds; items = total investment
    assert sum(pr.proceeds for pr in p.projects) == p.offering.amount
    for pr in p.projects:
        assert pr.capex + pr.non_capex == pr.proceeds
        if pr.items:
            assert sum(i.amount for i in pr.items) == pr.total_investment
            assert sum(i.proceeds for i in pr.items) == pr.proceeds
            assert sum(i.proceeds for i in pr.items if i.capex) == pr.capex
    # investments match the balance sheet at the latest period end
    latest = p.latest
    assert {i.account: i.book_value for i in p.investments}["长期股权投资"] == p.financials.long_term_equity_investment[latest]
    # top-5 lists are ranked by amount
    for block in (p.customers, p.suppliers):
        for rows in block.values():
            assert [r.rank for r in rows] == [1, 2, 3, 4, 5]
            assert [r.amount for r in rows] == sorted((r.amount for r in rows), reverse=True)


def test_example_metrics_cover_the_agreed_names(example):
    m = metric_series(example)
    agreed = """revenue_growth revenue_cagr net_profit_growth gross_margin selling_expense_ratio admin_expense_ratio
    rd_expense_ratio financial_expense_ratio receivables_to_revenue receivables_turnover inventory_turnover
    inventory_to_current_assets debt_ratio top5_customer_share top5_supplier_share export_share
    related_party_sales_share peer_gross_margin_avg gross_margin_vs_peers peer_rd_ratio_avg rd_ratio_vs_peers
    peer_selling_expense_ratio_avg peer_admin_expense_ratio_avg peer_financial_expense_ratio_avg
    peer_expense_ratio_avg operating_cash_to_net_profit financial_investment_to_net_assets_parent
    bond_balance_to_net_assets""".split()
    assert [n for n in agreed if n not in m] == []
    assert set(m["revenue_growth"]) == {"2024", "2025", "2026H1"}  # 2026H1 against the 2025H1 comparative
    assert m["revenue_cagr"].keys() == {"2023-2025"}
    assert set(m["receivables_turnover"]) == {"2023", "2024", "2025", "2026H1"}  # 2022 supplies the opening
    # the refinancing tests sit where the letter expects them
    assert Decimal(0) < m["financial_investment_to_net_assets_parent"]["2026H1"] < Decimal(30)
    assert m["bond_balance_to_net_assets"]["2026H1"] < Decimal(50)
    assert m["projects_non_capex_share"]["total"] <= Decimal(30)
    # every value is computed from the amounts in the file
    f = example.financials
    assert m["gross_margin"]["2025"] == N.ratio(f.revenue["2025"] - f.operating_cost["2025"], f.revenue["2025"])
    assert m["debt_ratio"]["2026H1"] == N.ratio(f.total_liabilities["2026H1"], f.total_assets["2026H1"])


def test_consistency_problems_name_the_gap(example):
    broken = example.model_copy(deep=True)
    broken.financials.rd_expense["2024"] += Decimal("1.00")
    probs = consistency_problems(broken)
    assert probs == ["2024年: 研发费用明细合计与研发费用 6,715.50 ≠ 6,716.50 (差额 -1.00)"]


def test_data_check_says_what_could_not_be_computed():
    from drafter.company.check import check_report

    text = (DATA / "company_002.yaml").read_text(encoding="utf-8")
    p = load_yaml_text(text, "002.yaml")
    report = check_report(p, "002.yaml")
    assert report["not_computed"] == [
        "管理费用率: 缺少 管理费用(admin_expense)",
        "财务费用率: 缺少 财务费用(financial_expense)",
        "资产负债率: 缺少 负债合计(total_liabilities)、资产总计(total_assets)",
    ]
    assert check_report(load_company(EXAMPLE))["not_computed"] == []


def test_002_inventory_shares_as_published(uu):
    bal = uu.financials.inventory_balance
    entrusted = next(c for c in uu.inventory.categories if c.name == "委托加工物资")
    # 问题15 (3): 委托加工物资余额占存货余额比例 38.64% (2020年末), 22.47% (2021年末)
    assert [N.fmt_pct(N.ratio(entrusted.balance[k], bal[k])) for k in ("2020", "2021")] == ["38.64%", "22.47%"]
    # 1年以上存货占比 3.67%, 1.91%
    older = next(b for b in uu.inventory.aging if b.name == "1年以上")
    assert [N.fmt_pct(N.ratio(older.balance[k], bal[k])) for k in ("2020", "2021")] == ["3.67%", "1.91%"]
    # the published 2020 category lines carry a 0.01 rounding gap (尾差): within the check's tolerance
    assert sum(c.balance["2020"] for c in uu.inventory.categories) - bal["2020"] == Decimal("0.01")
    assert consistency_problems(uu) == []
    assert consistency_problems(uu, tolerance=Decimal("0")) == [
        "2020年: 存货分类余额合计与存货账面余额 3,751.54 ≠ 3,751.53 (差额 0.01)",
        "2020年: 存货库龄合计与存货余额 3,751.53 ≠ 3,751.54 (差额 -0.01)",
    ]
