"""Issue 14's optional company blocks: validated, round-tripped YAML -> XLSX -> YAML, checked against the financials."""
from __future__ import annotations

from decimal import Decimal

import pytest

from drafter.company import load_company, load_yaml_text
from drafter.company.dump import dump_yaml
from drafter.company.excel import load_xlsx, write_xlsx
from drafter.company.metrics import consistency_problems
from drafter.company.model import RECORD_BLOCKS
from drafter.errors import UserErrors
from drafter.paths import EXAMPLES_DIR

EXAMPLE = EXAMPLES_DIR / "company.yaml"


@pytest.fixture(scope="module")
def example():
    return load_company(EXAMPLE)


def test_example_fills_every_new_block(example):
    for block in RECORD_BLOCKS:
        assert getattr(example, block), block
    assert example.patents.invention == 46
    assert example.prior_fundraising.projects[0].used == Decimal("33862.15")


def test_round_trip_yaml_xlsx_yaml(example, tmp_path):
    x = tmp_path / "c.xlsx"
    write_xlsx(example, x)
    from_xlsx = load_xlsx(x)
    assert from_xlsx == example
    assert load_yaml_text(dump_yaml(from_xlsx)) == example
    from openpyxl import load_workbook

    ws = load_workbook(x)["货币资金明细"]
    assert [c.value for c in ws[1]][:3] == ["项目", "余额(2022年末)", "余额(2023年末)"]
    assert ws["A3"].value == "银行存款" and ws["E3"].value == pytest.approx(37476.33)


def test_example_blocks_add_up(example):
    assert consistency_problems(example) == []


def test_cash_that_does_not_add_up_is_reported():
    text = EXAMPLE.read_text(encoding="utf-8").replace('"2026H1": 36262.10}', '"2026H1": 36200.10}')
    problems = consistency_problems(load_yaml_text(text))
    assert problems == ["2026年1-6月: 货币资金明细合计与货币资金 38,067.52 ≠ 38,129.52 (差额 -62.00)"]


def test_bad_values_name_the_place():
    text = EXAMPLE.read_text(encoding="utf-8").replace("event: 整体变更", "event: 改制").replace(
        "- kind: 租赁负债", "- kind: 融资租赁")
    with pytest.raises(UserErrors) as e:
        load_yaml_text(text)
    msgs = [str(u) for u in e.value.errors]
    assert any("equity_history[4].event" in m and "expected one of 设立/增资/股权转让/整体变更/减资/其他" in m for m in msgs), msgs
    assert any("debts[2].kind" in m for m in msgs), msgs


def test_unit_yuan_scales_money_not_prices():
    text = EXAMPLE.read_text(encoding="utf-8").replace("unit: 万元", "unit: 元")
    p = load_yaml_text(text)
    ev = p.equity_history[1]
    assert ev.amount == Decimal("0.08") and ev.price == Decimal("1.60") and ev.shares == Decimal("500.00")
    assert p.cash[0].balances["2022"] == Decimal("0.000512")


def test_cli_init_and_convert_both_ways_keep_the_blocks(tmp_path, example):
    from click.testing import CliRunner

    from drafter.cli import main

    runner = CliRunner()
    x, y, x2 = tmp_path / "a.xlsx", tmp_path / "a.yaml", tmp_path / "b.xlsx"
    assert runner.invoke(main, ["init", "--xlsx", str(x)]).exit_code == 0
    assert runner.invoke(main, ["data", "convert", str(x), str(y)]).exit_code == 0
    assert runner.invoke(main, ["data", "convert", str(y), str(x2)]).exit_code == 0
    assert load_company(y) == example == load_company(x2)
    text = y.read_text(encoding="utf-8")
    assert "equity_history:" in text and "prior_fundraising:" in text and "patents:" in text
    r = runner.invoke(main, ["data", "check", str(x2)])
    assert r.exit_code == 0 and "各明细合计与财务数据一致" in r.output


def test_workbook_mistakes_in_a_record_sheet_name_the_cell(tmp_path, example):
    from openpyxl import load_workbook

    x = tmp_path / "c.xlsx"
    write_xlsx(example, x)
    wb = load_workbook(x)
    ws = wb["有息负债"]
    ws["B1"] = "年利率"            # not a column of this sheet
    ws["A3"] = "融资租赁"          # not a kind of debt
    wb.save(x)
    with pytest.raises(UserErrors) as e:
        load_xlsx(x)
    msgs = [str(u) for u in e.value.errors]
    assert any("sheet 有息负债, cell B1" in m and "unknown column '年利率'" in m for m in msgs), msgs
    assert any("sheet 有息负债, cell A3" in m and "expected one of 短期借款/长期借款" in m for m in msgs), msgs
