"""Forecast: topics a letter is likely to raise, from the company's figures alone."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter.match.bank import load_bank
from drafter.cli import main
from drafter.match.forecast import forecast, format_figure

DATA = Path(__file__).resolve().parent / "data"

TAXONOMY = """\
groups: {finance: 财务会计}
topics:
  - {id: accounts_receivable, group: finance, name: 应收账款, scope: x}
  - {id: revenue_growth, group: finance, name: 收入变动与业绩波动, scope: x}
  - {id: rd_investment, group: finance, name: 研发投入与研发人员, scope: x}
"""


@pytest.fixture
def trigger_bank(tmp_path: Path):
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "_taxonomy.yaml").write_text(TAXONOMY, encoding="utf-8")
    (bank / "accounts_receivable.yaml").write_text(
        "id: accounts_receivable\nname: 应收账款\ngroup: finance\ntriggers:\n"
        "  - {metric: receivables_to_revenue, op: '>', value: 30, reason: 应收账款占收入比例高}\n",
        encoding="utf-8")
    (bank / "revenue_growth.yaml").write_text(
        "id: revenue_growth\nname: 收入变动与业绩波动\ngroup: finance\ntriggers:\n"
        "  - {metric: revenue_cagr, op: '>', value: 30, when: any, reason: 收入增长快}\n"
        "  - {metric: revenue_growth, op: '<', value: -20, when: any, reason: 收入下滑}\n",
        encoding="utf-8")
    (bank / "rd_investment.yaml").write_text(
        "id: rd_investment\nname: 研发投入与研发人员\ngroup: finance\ntriggers:\n"
        "  - {metric: rd_ratio_vs_peers, op: '<', value: 0, when: all, reason: 研发费用率低于可比公司}\n",
        encoding="utf-8")
    return load_bank(bank)


METRICS_002 = {  # the published figures of letter 002 (percent units)
    "receivables_to_revenue": {"2019": Decimal("34.55"), "2020": Decimal("30.90"), "2021": Decimal("40.98"),
                               "2022H1": Decimal("54.1682")},
    "revenue_cagr": {"2019-2021": Decimal("108.5655")},
    "revenue_growth": {"2020": Decimal("111.97"), "2021": Decimal("105.22")},
    "rd_ratio_vs_peers": {"2019": Decimal("-3.61"), "2020": Decimal("-6.62"), "2021": Decimal("-6.08"),
                          "2022H1": Decimal("-5.00")},
}


def test_triggers_fire_with_their_figures(trigger_bank):
    out = forecast(None, trigger_bank, metrics=METRICS_002)
    by_id = {t.id: t for t in out}
    assert set(by_id) == {"accounts_receivable", "revenue_growth", "rd_investment"}
    ar = by_id["accounts_receivable"]
    assert ar.figures == ["应收账款余额占营业收入比例 54.17%(2022年1-6月)"]  # latest period only
    assert ar.reason == "应收账款占收入比例高"
    rg = by_id["revenue_growth"]
    assert rg.figures == ["营业收入年均复合增长率 108.57%(2019-2021年)"]  # the decline trigger does not hold
    assert rg.reason == "收入增长快"
    rd = by_id["rd_investment"]
    assert len(rd.figures) == 4 and rd.figures[-1] == "研发费用率低于同行业可比公司平均值5.00个百分点(2022年1-6月)"
    assert out[0].id == "revenue_growth"  # furthest past its threshold


def test_when_latest_any_all(trigger_bank):
    m = {"receivables_to_revenue": {"2021": Decimal("45"), "2022H1": Decimal("20")},
         "revenue_growth": {"2020": Decimal("5"), "2021": Decimal("-25.5")},
         "rd_ratio_vs_peers": {"2020": Decimal("-1"), "2021": Decimal("0.5")}}
    by_id = {t.id: t for t in forecast(None, trigger_bank, metrics=m)}
    assert "accounts_receivable" not in by_id  # latest (2022H1) below the threshold
    assert by_id["revenue_growth"].figures == ["营业收入增长率 -25.50%(2021年)"]  # any
    assert "rd_investment" not in by_id  # not every period below the peers


def test_missing_metrics_forecast_nothing(trigger_bank):
    assert forecast(None, trigger_bank, metrics={}) == []


def test_figure_format_rounds_half_up():
    assert format_figure("receivables_to_revenue", "2022H1", Decimal("54.165")) == \
        "应收账款余额占营业收入比例 54.17%(2022年1-6月)"
    assert format_figure("inventory_turnover", "2021", Decimal("4.235")) == "存货周转率 4.24次(2021年)"


def test_forecast_on_company_002():
    path = DATA / "company_002.yaml"
    if not path.exists():
        pytest.skip("tests/data/company_002.yaml (company helper) not present yet")
    from drafter.company import load_company

    out = forecast(load_company(path))
    by_id = {t.id: t for t in out}
    assert "accounts_receivable" in by_id and "revenue_growth" in by_id
    assert any("54.17%" in f for f in by_id["accounts_receivable"].figures)
    assert any("108.57%" in f for f in by_id["revenue_growth"].figures)

    res = CliRunner().invoke(main, ["forecast", "--company", str(path), "--json"])
    assert res.exit_code == 0, res.output[-400:]
    data = json.loads(res.output)["topics"]
    ids = [t["id"] for t in data]
    assert "accounts_receivable" in ids and "revenue_growth" in ids
    assert all({"id", "reason", "figures"} <= set(t) for t in data)


def test_forecast_cli_table_on_the_cb_company():
    path = DATA / "company_cb.yaml"
    if not path.exists():
        pytest.skip("tests/data/company_cb.yaml not present")
    res = CliRunner().invoke(main, ["forecast", "--company", str(path)])
    assert res.exit_code == 0, res.output[-400:]
    assert "原因" in res.output or "no data trigger" in res.output


def test_forecast_cli_missing_company_file():
    res = CliRunner().invoke(main, ["forecast", "--company", "/nonexistent.yaml"])
    assert res.exit_code == 2 and "Traceback" not in res.output


def test_real_bank_triggers_are_well_formed():
    bank = load_bank()
    for t in bank.topics.values():
        for trig in t.triggers:
            assert trig.reason.strip(), t.id
