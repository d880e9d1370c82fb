"""Issue 14's template API: data helpers and declarative tables, rendered from small inline templates
against the example company (青禾智能) and a minimal profile. Expected figures computed by hand."""
from __future__ import annotations

from pathlib import Path

import pytest

from drafter.company import load_company, load_yaml_text
from drafter.document import Paragraph, Table
from drafter.paths import EXAMPLES_DIR
from drafter.compose.templating import render_blocks

MINIMAL = """
company: {name: 甲科技股份有限公司, short_name: 甲科技, exchange: 深交所}
unit: 万元
periods:
  - {key: "2024"}
  - {key: "2025"}
financials:
  revenue: {"2024": 1000, "2025": 1250}
  operating_cost: {"2024": 700, "2025": 800}
  total_assets: {"2024": 2000, "2025": 2500}
  total_liabilities: {"2024": 800, "2025": 900}
  inventory: {"2025": 950}
  inventory_balance: {"2025": 1000}
inventory:
  categories:
    - {name: 原材料, balance: {"2025": 600}, provision: {"2025": 10}}
"""


@pytest.fixture(scope="module")
def example():
    return load_company(EXAMPLES_DIR / "company.yaml")


@pytest.fixture(scope="module")
def minimal():
    return load_yaml_text(MINIMAL)


def render(tmp_path: Path, text: str, company) -> list:
    d = tmp_path / "tpl"
    (d / "answers").mkdir(parents=True, exist_ok=True)
    (d / "answers" / "t.j2").write_text(text, encoding="utf-8")
    ctx = {"company": company, "latest": company.latest if company is not None else None}
    return render_blocks("answers/t.j2", ctx, {}, d)


def texts(blocks) -> list[str]:
    return [b.text for b in blocks if isinstance(b, Paragraph)]


def tables(blocks) -> list[Table]:
    return [b for b in blocks if isinstance(b, Table)]


# ------------------------------------------------------------------------------------------ values


def test_values_growth_pp_and_cagr(tmp_path, example):
    out = render(tmp_path, (
        '{{ amount(value("revenue")) }}|{{ base_period() | period_label }}|{{ growth(growth_of("revenue")) }}|'
        '{{ percent(value("gross_margin")) }}|{{ pp(pp_change("gross_margin")) }}|'
        '{{ percent(value("gross_margin", "2025H1")) }}|{{ percent(cagr_of("revenue")) }}|{{ cagr_years("revenue") }}|'
        '{{ percent(cagr_of("total_assets")) }}|{{ cagr_years("total_assets") }}'), example)
    # 56,218.63 vs 49,863.15: +12.7458%; 毛利率 34.5163% vs 33.7619%: +0.7543 pp
    # 营业收入 2023→2025 (no 2022 revenue): (108746.92/82365.47)^(1/2)-1 = 14.904%;
    # 资产总计 2022 (a comparative year) → 2025: (163718.45/118236.40)^(1/3)-1 = 11.459%
    assert texts(out) == ["56,218.63|2025年1-6月|增长12.75%|34.52%|增加0.75个百分点|33.76%|14.90%|2023年至2025年|"
                          "11.46%|2022年至2025年"]


def test_growth_between_any_two_periods(tmp_path, example):
    out = render(tmp_path, '{{ growth(growth_of("rd_expense", "2025", base="2023")) }}|'
                           '{{ growth(growth_of("net_assets_parent", "2026H1", base="2025")) }}|'
                           '{{ pp(pp_change("rd_expense_ratio", "2025", base="2023")) }}', example)
    # 7,895.03/5,567.91-1 = 41.7952%; 118,689.07/114,980.99-1 = 3.2250%; 7.2600%-6.7600% = +0.4999 pp
    assert texts(out) == ["增长41.80%|增长3.22%|增加0.50个百分点"]


def test_record_series_growth_and_ratio(tmp_path, example):
    out = render(tmp_path, '{% for c in rows("capacity") %}{{ c.product }}{{ percent(ratio_of(c.output[latest], c.capacity[latest])) }}'
                           '{{ growth(growth_rate(c.sales_volume["2025"], c.sales_volume["2024"])) }};{% endfor %}'
                           '{{ percent(ratio_of(1, 0), "产能利用率") }}', example)
    # 164/170 = 96.4706%, 312/282-1 = 10.6383%; 476/500 = 95.20%, 880/725-1 = 21.3793%
    assert texts(out) == ["智能分拣系统96.47%增长10.64%;智能仓储设备95.20%增长21.38%;【待补充:产能利用率】"]


def test_shares_and_ratios_to_assets(tmp_path, example):
    out = render(tmp_path, '{{ percent(to_assets("short_term_borrowings")) }}|{{ percent(share_of("total_liabilities", "total_assets")) }}|'
                           '{{ percent(value("inventory_provision_ratio")) }}|{{ percent(value("debt_ratio", "2025")) }}', example)
    # 2,799.29/171,264.08 = 1.6345%; 51,156.58/171,264.08 = 29.8700%; 跌价准备 324.27/余额 20,574.31 = 1.5761%;
    # 2025: 47,380.12/163,718.45 = 28.9400%
    assert texts(out) == ["1.63%|29.87%|1.58%|28.94%"]


def test_net_assets_derived_and_partial_breakdown_not_the_whole(tmp_path, minimal):
    out = render(tmp_path, '{{ amount(value("net_assets")) }}|{{ percent(value("inventory_provision_ratio")) }}|'
                           '{{ percent(value("gross_margin")) }}|{{ growth(growth_of("revenue")) }}', minimal)
    # 2,500 − 900; the one category (600) is not the balance (1,000): (1,000 − 950)/1,000
    assert texts(out) == ["1,600.00|5.00%|36.00%|增长25.00%"]
    t = tables(render(tmp_path, '{{ fin_table(["total_assets", "net_assets"], to_assets=False) }}', minimal))[0]
    assert t.header == [["项目", "2025年末", "2024年末"]]
    assert t.rows == [["资产总计", "2,500.00", "2,000.00"], ["所有者权益合计", "1,600.00", "1,200.00"]]
    assert t.notes == ["注:所有者权益合计=资产总计−负债合计。"]


def test_missing_company_gives_placeholders_not_zeros(tmp_path):
    out = render(tmp_path, '{{ amount(value("revenue"), "营业收入") }}{% if has("equity_history") %}有{% endif %}'
                           '{{ rows("equity_history") | length }}', None)
    assert texts(out) == ["【待补充:营业收入】0"]


def test_a_typo_is_a_template_bug_not_a_placeholder(tmp_path, example):
    with pytest.raises(ValueError, match="gross_margn"):
        render(tmp_path, '{{ value("gross_margn") }}', example)
    with pytest.raises(ValueError, match="equity_histroy"):
        render(tmp_path, '{{ records_table("equity_histroy", ["date"]) }}', example)


# ------------------------------------------------------------------------------------------ tables


def test_fin_table_latest_first_with_growth_and_labels(tmp_path, example):
    t = tables(render(tmp_path, '{{ fin_table(["revenue", "net_profit", "net_profit_parent"], growth=True) }}', example))[0]
    assert t.unit == "万元"
    assert t.header == [["项目", "2026年1-6月", "2025年", "2024年", "2023年"]]
    assert t.rows == [
        ["营业收入", "56,218.63", "108,746.92", "95,120.36", "82,365.47"],
        ["营业收入增长率", "12.75%", "14.33%", "15.49%", "-"],
        ["净利润", "9,085.75", "17,225.07", "14,385.26", "11,951.98"],
        ["净利润增长率", "18.18%", "19.74%", "20.36%", "-"],
        ["归属于母公司所有者的净利润", "9,024.66", "17,106.51", "14,282.89", "11,865.57"],
        ["归属于母公司所有者的净利润增长率", "18.23%", "19.77%", "20.37%", "-"],
    ]
    assert t.notes == ["注:增长率=(本期金额-上年同期金额)/上年同期金额,与上年同期比较,2026年1-6月与2025年1-6月比较。"]
    labels = [r[0] for r in t.rows]
    assert len(labels) == len(set(labels))  # one label, one definition


def test_fin_table_to_assets(tmp_path, example):
    t = tables(render(tmp_path, '{{ fin_table(["monetary_funds"], to_assets=True) }}', example))[0]
    assert t.header[0][1:3] == ["2026年6月末", "2025年末"]
    # 38,129.52/171,264.08 = 22.2635%; 39,220.72/163,718.45 = 23.9561%
    assert t.rows[1][:3] == ["货币资金占资产总计比例", "22.26%", "23.96%"]


def test_ratio_table_pp_peers_and_notes(tmp_path, example):
    t = tables(render(tmp_path, '{{ ratio_table(["gross_margin", "receivables_turnover"], pp=True, peers=True) }}', example))[0]
    assert t.unit is None
    assert t.rows[0] == ["综合毛利率", "34.52%", "34.20%", "33.64%", "33.03%"]
    assert t.rows[1] == ["综合毛利率变动(个百分点)", "0.75", "0.56", "0.62", "-"]
    # peers 2026H1: (32.40 + 35.90 + 30.62 + 33.95)/4 = 33.2175
    assert t.rows[2] == ["可比公司平均综合毛利率", "33.22%", "32.61%", "31.98%", "31.84%"]
    assert t.rows[3][0] == "应收账款周转率(次)" and len(t.rows) == 5  # no pp row for a turnover
    note = t.notes[0]
    assert note.startswith("注:综合毛利率=(营业收入-营业成本)/营业收入;应收账款周转率=营业收入/")
    assert "2026年1-6月与2025年1-6月比较" in note and note.endswith("2026年1-6月的应收账款周转率未年化。")


def test_records_table_and_shareholder_ratios(tmp_path, example):
    out = render(tmp_path, '{{ records_table("equity_history", ["date", "event", "transferee", "shares", "price"]) }}\n\n'
                           '{{ records_table("shareholders", ["name", "shares", "ratio"]) }}', example)
    eq, sh = tables(out)
    assert eq.header == [["日期", "事项", "受让方/增资方", "股数(万股)", "价格(元/股)"]]
    assert eq.rows[1] == ["2014年6月20日", "增资", "杭州禾众企业管理合伙企业(有限合伙)", "500.00", "1.60"]
    assert eq.rows[3] == ["2018年5月30日", "整体变更", "-", "-", "-"]
    # 5,670 万股 / 股本 18,000 = 31.50%
    assert sh.header == [["股东名称", "持股数量(万股)", "持股比例"]]
    assert sh.rows[0] == ["周明远", "5,670.00", "31.50%"] and sh.rows[-1] == ["其他公众股东", "7,560.00", "42.00%"]
    assert sh.notes == ["注:持股比例=持股数量/股本总额。"]


def test_records_table_series_columns(tmp_path, example):
    t = tables(render(tmp_path, '{{ records_table("subsidies", ["name", "amounts", "recurring"]) }}', example))[0]
    assert t.unit == "万元"
    assert t.header == [["补助项目", "2026年1-6月", "2025年", "2024年", "2023年", "经常性"]]
    assert t.rows[0] == ["软件产品增值税即征即退", "276.84", "541.27", "468.15", "402.36", "是"]


def test_series_table_total_and_share(tmp_path, example):
    t = tables(render(tmp_path, '{{ series_table("cash", name="name", value="balances", total_of="monetary_funds") }}',
                      example))[0]
    assert t.header[0][:3] == ["项目", "2026年6月末", "2026年6月末"]
    assert t.header[1][:3] == ["", "金额", "占货币资金比例"]
    # 36,262.10/38,129.52 = 95.1023%; 合计 = 货币资金
    assert t.rows[1][:3] == ["银行存款", "36,262.10", "95.10%"]
    assert t.rows[-1][:3] == ["合计", "38,129.52", "100.00%"]
    assert t.notes == ["注:占货币资金比例=金额/当期货币资金。"]
    t = tables(render(tmp_path, '{{ series_table("related_transactions", total_of="revenue", where={"kind": "销售商品"}) }}',
                      example))[0]
    # 528.46/56,218.63 = 0.9400%
    assert t.rows == [["杭州禾联云仓科技有限公司", "528.46", "0.94%", "1,109.22", "1.02%", "1,036.81", "1.09%", "971.91", "1.18%"],
                      ["合计", "528.46", "0.94%", "1,109.22", "1.02%", "1,036.81", "1.09%", "971.91", "1.18%"]]


def test_missing_data_is_a_placeholder_naming_it(tmp_path, minimal):
    out = render(tmp_path, '{{ records_table("equity_history", ["date", "event"]) }}\n\n'
                           '{{ series_table("related_transactions") }}\n\n'
                           '{{ fin_table(["rd_expense"]) }}\n\n{{ ratio_table(["rd_expense_ratio"]) }}', minimal)
    assert not tables(out)
    assert texts(out) == ["【待补充:公司数据“股权演变”(equity_history)】", "【待补充:公司数据“关联交易”(related_transactions)】",
                          "【待补充:公司数据“研发费用(rd_expense)”】", "【待补充:公司数据“研发费用率所需财务数据”】"]


def test_rendered_twice_gives_the_same_tables(tmp_path, example):
    text = '{{ fin_table(["revenue"]) }}'
    assert render(tmp_path, text, example) == render(tmp_path, text, example)


# ------------------------------------------------------------------------------------------ old computed tables


def test_bond_interest_every_year_against_the_three_year_averages(example):
    from drafter.compose import computed
    from drafter.compose.context import build_names
    from drafter.models import Letter

    ctx, tabs = computed.context_for("bond_balance_solvency", example, build_names(Letter(source="x"), example))
    t = tabs["bond_interest"]
    # 48,000 × 0.30% = 144.00; averages 2023–2025: 归母净利润 14,418.32, 经营现金流 14,043.23
    assert t.rows[0] == ["第1年", "0.30%", "144.00", "1.00%", "1.03%"]
    assert t.rows[5] == ["第6年", "2.00%", "960.00", "6.66%", "6.84%"]
    assert t.rows[-1] == ["合计", "-", "3,408.00", "-", "-"]
    from drafter import numbers as N

    assert [str(N.round_half_up(x, 4)) for x in ctx["f"]["interest_to_profit_by_year"]] == [
        "0.9987", "1.6645", "3.3291", "4.9936", "5.9924", "6.6582"]


def test_old_tables_without_figures_become_placeholders(minimal):
    from drafter.compose import computed
    from drafter.compose.context import build_names
    from drafter.models import Letter

    names = build_names(Letter(source="x"), minimal)
    _, tabs = computed.context_for("bond_balance_solvency", minimal, names)
    assert isinstance(tabs["bond_interest"], Paragraph)
    assert tabs["bond_interest"].text == "【待补充:本次发行各年票面利率(公司数据 offering.coupon_rates)】"
    _, tabs = computed.context_for("period_expenses", minimal, names)
    assert isinstance(tabs["expenses"], Paragraph) and "期间费用" in tabs["expenses"].text
    _, tabs = computed.context_for("revenue_growth", minimal, names)
    rows = [r[0] for r in tabs["revenue_total"].rows]
    assert rows == ["营业收入", "营业收入增长率"]  # no 归母净利润 in the data: no row of dashes
