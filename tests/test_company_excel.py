"""The company workbook: round trip with YAML, `drafter init`, and problems named by sheet and cell."""
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from drafter.cli import main
from drafter.company import load_company
from drafter.company.excel import load_xlsx, write_xlsx
from drafter.errors import UserError, UserErrors

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "company.yaml"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def example():
    return load_company(EXAMPLE)


@pytest.fixture(scope="module")
def workbook(example, tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "company.xlsx"
    write_xlsx(example, path)
    return path


def test_yaml_excel_yaml_round_trip_is_exact(example, workbook):
    back = load_xlsx(workbook)
    assert back == example
    assert back.financials.revenue["2025"] == Decimal("108746.92")
    assert back.facts["main_products"] == example.facts["main_products"]
    assert back.post_period == example.post_period


def test_round_trip_of_a_partial_file(tmp_path):
    p = load_company(DATA / "company_002.yaml")
    write_xlsx(p, tmp_path / "c.xlsx")
    assert load_xlsx(tmp_path / "c.xlsx") == p


def test_sheets_speak_finance(workbook):
    wb = load_workbook(workbook)
    assert wb.sheetnames[:5] == ["说明", "基本信息", "本次发行", "报告期", "财务数据"]
    for name in ("收入构成", "前五大客户", "前五大供应商", "可比公司", "研发", "员工", "应收账款", "存货", "固定资产",
                 "财务性投资", "募投项目", "募投项目明细", "分红", "审计截止日后", "其他事项"):
        assert name in wb.sheetnames
    fin = wb["财务数据"]
    header = [c.value for c in fin[1]]
    assert header == ["项目", "代码", "2022年", "2023年", "2024年", "2025年", "2025年1-6月", "2026年1-6月"]
    rows = {r[0]: r for r in fin.iter_rows(min_row=2, values_only=True)}
    assert rows["营业收入"][3] == 82365.47 and rows["归属于母公司所有者权益合计"][1] == "net_assets_parent"
    assert fin["D2"].number_format == "#,##0.00"
    ar = wb["应收账款"]
    assert [c.value for c in ar[1]][2] == "2022年末"


def test_unit_yuan_in_the_workbook_converts(example, tmp_path):
    small = example.model_copy(deep=True)
    path = tmp_path / "c.xlsx"
    write_xlsx(small, path)
    wb = load_workbook(path)
    ws = wb["基本信息"]
    for row in ws.iter_rows(min_row=2):
        if row[2].value == "unit":
            row[1].value = "元"
    fin = wb["财务数据"]
    fin["D2"] = 823654700  # 营业收入 2023, in 元
    wb.save(path)
    p = load_xlsx(path)
    assert p.financials.revenue["2023"] == Decimal("82365.47")
    assert p.offering.amount == Decimal("4.8")  # 48000 元 as written in the workbook


def test_bad_cells_are_named_by_sheet_and_cell(workbook, tmp_path):
    wb = load_workbook(workbook)
    wb["财务数据"]["D2"] = "abc"
    wb["财务数据"]["E3"] = -5
    wb["财务数据"]["A6"] = "营收"
    wb["财务数据"]["B6"] = None
    wb["财务数据"].cell(row=1, column=9, value="明年")
    wb["基本信息"]["B2"] = None
    wb["前五大客户"]["D3"] = "12,3x"
    wb["收入构成"]["C2"] = "毛利"
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    with pytest.raises(UserErrors) as e:
        load_xlsx(path)
    lines = str(e.value).splitlines()
    assert f"{path}: sheet 财务数据, cell I1: column header '明年' is not a period" in lines[0]
    expected = [
        "sheet 收入构成, cell C2: expected 指标 收入, 成本 or 销量, got '毛利'",
        "sheet 基本信息, cell B2 (公司全称): company.name: missing required field",
        "sheet 财务数据, cell D2 (营业收入, 2023年): financials.revenue.2023: expected a number, got 'abc'",
        "sheet 财务数据, cell E3 (主营业务收入, 2024年): financials.main_business_revenue.2024: must not be negative",
        "sheet 财务数据, row 6 (营收): financials.营收: unknown financial item '营收'",
        "sheet 前五大客户, cell D3 (销售金额): customers.2023[2].amount: expected a number, got '12,3x'",
    ]
    for exp in expected:
        assert any(exp in line for line in lines), (exp, lines)
    assert all(line.startswith(str(path)) for line in lines)


def test_not_a_workbook(tmp_path):
    f = tmp_path / "c.xlsx"
    f.write_text("not a zip")
    with pytest.raises(UserError, match="not a valid .xlsx workbook"):
        load_company(f)


def test_init_writes_the_example_and_never_overwrites(tmp_path):
    runner = CliRunner()
    y, x = tmp_path / "company.yaml", tmp_path / "company.xlsx"
    res = runner.invoke(main, ["init", "--yaml", str(y), "--xlsx", str(x)])
    assert res.exit_code == 0, res.output
    assert y.read_bytes() == EXAMPLE.read_bytes()
    assert load_company(x) == load_company(y)
    y.write_text("mine", encoding="utf-8")
    res = runner.invoke(main, ["init", "--yaml", str(y)])
    assert res.exit_code == 2 and "--force" in res.output
    assert y.read_text(encoding="utf-8") == "mine"
    res = runner.invoke(main, ["init", "--yaml", str(y), "--force"])
    assert res.exit_code == 0 and y.read_bytes() == EXAMPLE.read_bytes()
    res = runner.invoke(main, ["init"])
    assert res.exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["company.xlsx", "company.yaml"]  # no temp files left


def test_data_check_on_the_workbook(workbook):
    res = CliRunner().invoke(main, ["data", "check", str(workbook)])
    assert res.exit_code == 0, res.output
    assert "青禾智能装备股份有限公司(青禾智能)" in res.output
    assert "核对: 各明细合计与财务数据一致(" in res.output
    assert "财务性投资占归母净资产比例(2026年6月30日): 1.03%" in res.output


def test_convert_between_yaml_and_excel(tmp_path):
    runner = CliRunner()
    x, y = tmp_path / "c.xlsx", tmp_path / "back.yaml"
    assert runner.invoke(main, ["data", "convert", str(EXAMPLE), str(x)]).exit_code == 0
    res = runner.invoke(main, ["data", "convert", str(x), str(y)])
    assert res.exit_code == 0, res.output
    assert load_company(y) == load_company(EXAMPLE)
    res = runner.invoke(main, ["data", "convert", str(x), str(y)])
    assert res.exit_code == 2 and "--force" in res.output
    res = runner.invoke(main, ["data", "convert", str(x), str(tmp_path / "c.json")])
    assert res.exit_code == 2 and ".yaml, .yml or .xlsx" in res.output


def test_dump_yaml_round_trips_with_yuan_source():
    from drafter.company import load_yaml_text
    from drafter.company.dump import dump_yaml

    text = EXAMPLE.read_text(encoding="utf-8").replace("unit: 万元", "unit: 元")
    p = load_yaml_text(text)
    assert p.financials.revenue["2023"] == Decimal("8.236547")
    assert load_yaml_text(dump_yaml(p)) == p  # written in 万元, not converted twice


def test_mangled_workbooks_give_user_errors_only(workbook):
    import random

    from drafter.company.excel import load_workbook_profile

    rng = random.Random(7)
    junk = ["abc", -3, None, "", "2023年", "是", "否", 1.5, "=SUM(A1)", "9,897.80", "营收", "2030年1-6月", 0]
    wb = load_workbook(workbook)
    for i in range(30):
        changed = []
        for _ in range(4):
            ws = wb[rng.choice(wb.sheetnames[1:])]
            r = rng.randint(1, max(1, ws.max_row))
            c = rng.randint(1, max(1, ws.max_column))
            changed.append((ws, r, c, ws.cell(row=r, column=c).value))
            ws.cell(row=r, column=c, value=rng.choice(junk))
        try:
            load_workbook_profile(wb, f"m{i}.xlsx")
        except UserError as e:
            assert all(line.startswith(f"m{i}.xlsx: sheet ") for line in str(e).splitlines()), str(e)
        for ws, r, c, v in reversed(changed):
            ws.cell(row=r, column=c).value = v
    assert load_workbook_profile(wb) == load_company(EXAMPLE)  # restored
