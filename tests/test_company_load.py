"""Loading company YAML: the fixed contract, extensions, units, and one clear line per bad input."""
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter.cli import main
from drafter.company import CANONICAL_KEYS, CompanyProfile, load_company, load_yaml_text
from drafter.errors import UserError, UserErrors

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "company.yaml"

CONTRACT = """
company: {name: 全称, short_name: 简称, exchange: 深圳证券交易所, board: 创业板}
unit: 万元
periods:
  - {key: "2021", end: 2021-12-31}
  - {key: "2022H1", end: 2022-06-30}
financials:
  revenue: {"2021": 43056.88, "2022H1": 33089.35}
offering: {kind: 向不特定对象发行可转换公司债券, amount: 48000, board_resolution_date: 2022-11-09,
           bonds_outstanding: 0, coupon_rates: [0.30, 0.50, 1.00, 1.50, 2.00, 2.50]}
investments:
  - {account: 长期股权投资, book_value: 987.45, financial_amount: 987.45, note: 被投资单位}
"""


def test_the_fixed_contract_loads_exactly():
    p = load_yaml_text(CONTRACT, "c.yaml")
    assert p.company.short_name == "简称" and p.company.exchange == "深圳证券交易所"
    assert p.financials.revenue == {"2021": Decimal("43056.88"), "2022H1": Decimal("33089.35")}
    assert p.offering.amount == Decimal(48000)
    assert p.offering.coupon_rates[-1] == Decimal("2.50")
    assert str(p.offering.board_resolution_date) == "2022-11-09"
    assert p.investments[0].financial_amount == Decimal("987.45")
    assert p.period_keys == ["2021", "2022H1"] and p.latest == "2022H1" and p.interim == "2022H1"
    assert p.years == ["2021"]
    assert len(CANONICAL_KEYS) == 22


def test_unit_yuan_is_converted_exactly_to_wan():
    text = CONTRACT.replace("unit: 万元", "unit: 元").replace("43056.88", "430568812.34")
    p = load_yaml_text(text, "c.yaml")
    assert p.unit == "万元" and p.source_unit == "元"
    assert p.financials.revenue["2021"] == Decimal("43056.881234")
    assert p.offering.amount == Decimal("4.8")  # 48000元
    assert p.offering.coupon_rates[0] == Decimal("0.30")  # percentages are not amounts
    assert p.investments[0].book_value == Decimal("0.098745")


def test_chinese_labels_are_accepted_as_financial_keys():
    p = load_yaml_text(CONTRACT.replace("  revenue:", "  营业收入:"), "c.yaml")
    assert p.financials.revenue["2021"] == Decimal("43056.88")


def _errors(text: str) -> list[str]:
    with pytest.raises(UserErrors) as e:
        load_yaml_text(text, "bad.yaml")
    return [str(x) for x in e.value.errors]


def test_every_problem_is_one_line_with_file_line_path_and_expectation():
    bad = """
company: {name: 全称, short_name: 简称, exchange: 深交易所}
unit: 万元
periods:
  - {key: "2021", end: 2021-12-30}
  - {key: "2022H1"}
financials:
  revenue: {"2021": abc, "2020": 33089.35}
  revnue: {"2021": 1}
  operating_cost: {"2022H1": -5}
offering: {amount: 48000}
investments:
  - {account: 长期股权投资, book_value: 987.45, financial_amount: 1987.45}
"""
    errs = _errors(bad)
    assert errs == [
        "bad.yaml: line 2: company.exchange: expected one of 深圳证券交易所, 上海证券交易所, 北京证券交易所, got '深交易所'",
        "bad.yaml: line 5: periods[1]: end 2021-12-30 does not match period 2021 (expected 2021-12-31)",
        "bad.yaml: line 8: financials.revenue.2021: expected a number, got 'abc'",
        "bad.yaml: line 8: financials.revenue.2020: period '2020' is not declared in periods (declared: 2021, 2022H1)",
        "bad.yaml: line 9: financials.revnue: unknown financial item 'revnue' (did you mean 'revenue'?); "
        "expected a canonical key such as revenue, operating_cost, rd_expense",
        "bad.yaml: line 10: financials.operating_cost.2022H1: must not be negative, got -5",
        "bad.yaml: line 11: offering.kind: missing required field",
        "bad.yaml: line 13: investments[1]: financial_amount 1987.45 exceeds book_value 987.45",
    ]


@pytest.mark.parametrize(
    "edit, expected",
    [
        (("unit: 万元\n", ""), "unit: missing required field"),
        (("unit: 万元", "unit: 千元"), "line 3: unit: expected 万元 or 元, got '千元'"),
        (('{key: "2022H1", end: 2022-06-30}', '{key: "2022H2"}'), "expected a period key like 2022"),
        (('"2022H1": 33089.35', '"2022H1": .nan'), "financials.revenue.2022H1: expected a number, got '.nan'"),
        (("board_resolution_date: 2022-11-09", "board_resolution_date: 2022-13-09"),
         "offering.board_resolution_date: expected a date like 2026-06-30, got '2022-13-09'"),
        (("investments:", "investmnts:"), "unknown field 'investmnts' (did you mean 'investments'?)"),
        (("coupon_rates: [0.30,", "coupon_rates: [zero,"), "offering.coupon_rates[1]: expected a number, got 'zero'"),
        (("{key: \"2021\", end: 2021-12-31}", "{key: \"2021\", end: 2021-12-31}\n  - {key: \"2021\"}"),
         "periods: period 2021 declared twice"),
    ],
)
def test_bad_values_are_named(edit, expected):
    errs = _errors(CONTRACT.replace(*edit))
    assert any(expected in e for e in errs), errs


def test_yaml_syntax_error_gives_line_and_column():
    with pytest.raises(UserError) as e:
        load_yaml_text("company: {name: [unclosed\nunit: 万元\n", "x.yaml")
    assert str(e.value).startswith("x.yaml: line ") and "not valid YAML" in str(e.value)


def test_duplicate_keys_are_reported():
    errs = _errors(CONTRACT.replace("unit: 万元", "unit: 万元\nunit: 元"))
    assert errs == ["bad.yaml: line 4: unit: 'unit' appears twice in this mapping"]


def test_periods_must_be_oldest_first_and_interim_last():
    text = CONTRACT.replace('  - {key: "2021", end: 2021-12-31}\n  - {key: "2022H1", end: 2022-06-30}',
                            '  - {key: "2022H1"}\n  - {key: "2021"}')
    assert any("oldest first" in e for e in _errors(text))


def test_cli_reports_each_problem_and_exits_2(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text(CONTRACT.replace("43056.88", "四万").replace("amount: 48000", "amount: -1"), encoding="utf-8")
    res = CliRunner().invoke(main, ["data", "check", str(f)])
    assert res.exit_code == 2
    lines = res.output.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"drafter: {f}: line 8: financials.revenue.2021: expected a number, got '四万'")
    assert "offering.amount: must not be negative" in lines[1]
    assert "Traceback" not in res.output


def test_missing_and_unknown_files(tmp_path):
    with pytest.raises(UserError, match="no such file"):
        load_company(tmp_path / "nope.yaml")
    (tmp_path / "c.json").write_text("{}")
    with pytest.raises(UserError, match="expected .yaml, .yml or .xlsx"):
        load_company(tmp_path / "c.json")
    (tmp_path / "empty.yaml").write_text("")
    with pytest.raises(UserError, match="empty"):
        load_company(tmp_path / "empty.yaml")
    (tmp_path / "gbk.yaml").write_bytes("公司: 一".encode("gbk"))
    with pytest.raises(UserError, match="UTF-8"):
        load_company(tmp_path / "gbk.yaml")
    (tmp_path / "list.yaml").write_text("- 1\n")
    with pytest.raises(UserError, match="mapping at the top"):
        load_company(tmp_path / "list.yaml")


def test_validating_without_the_loader_still_checks_period_keys():
    data = {"company": {"name": "a", "short_name": "b", "exchange": "上交所"}, "unit": "万元",
            "periods": [{"key": "2021"}], "financials": {"revenue": {"2021": "1", "2020": "2"}}}
    with pytest.raises(Exception, match="not declared in periods: 2020"):
        CompanyProfile.model_validate(data)
    data["financials"]["revenue"].pop("2020")
    p = CompanyProfile.model_validate(data)
    assert p.company.exchange == "上海证券交易所" and p.periods[0].end.isoformat() == "2021-12-31"


def test_the_example_company_loads():
    p = load_company(EXAMPLE)
    assert p.company.short_name == "青禾智能" and p.company.board == "创业板"
    assert p.offering.kind == "向不特定对象发行可转换公司债券" and p.offering.amount == Decimal(48000)
    assert p.offering.board_resolution_date.isoformat() == "2026-01-20"
    assert p.period_keys == ["2023", "2024", "2025", "2026H1"]
    assert [x.key for x in p.periods if x.comparative] == ["2022", "2025H1"]
    assert p.sponsor.name == "远川证券股份有限公司" and len(p.sponsor.representatives) == 2
    assert p.sponsor.legal_representative and p.company.legal_representative
    assert p.auditor.name == "明衡会计师事务所(特殊普通合伙)" and p.law_firm.name == "北京澄言律师事务所"
    assert p.offering.bonds_outstanding == 0
    assert {i.account for i in p.investments} == {"交易性金融资产", "其他应收款", "其他流动资产", "长期股权投资",
                                                  "其他权益工具投资", "其他非流动资产"}
    assert 3 <= len(p.peers) <= 4
    assert all(len(p.customers[k]) == 5 and len(p.suppliers[k]) == 5 for k in p.period_keys)
    assert {r.name for r in p.revenue_breakdown.region} == {"内销", "外销"}
    assert p.post_period.key == "2026Q3" and p.post_period.get("revenue", comparative=True) is not None
    assert p.dividends and p.projects and p.employees and p.fixed_assets and p.inventory.categories


from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=len(CONTRACT) - 1), st.integers(min_value=0, max_value=12),
       st.text(alphabet=st.sampled_from(list(" :-,{}[]\"'#\n0123456789.ab营收元H-")), max_size=8))
def test_mangled_files_never_raise_anything_but_user_errors(start, length, junk):
    text = CONTRACT[:start] + junk + CONTRACT[start + length:]
    try:
        load_yaml_text(text, "m.yaml")
    except UserError as e:
        assert str(e).strip()
        for line in str(e).splitlines():
            assert line.startswith("m.yaml")
