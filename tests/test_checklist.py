"""drafter checklist: rows per request and per verification ask and party, due dates, XLSX/DOCX."""
from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from drafter.review.checklist import STATUSES, add_working_days, build_checklist, parse_holidays, write_docx, write_xlsx
from drafter.cli import main
from drafter.errors import UserError
from drafter.paths import EXAMPLES_DIR


def _run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def test_working_days_skip_weekends_and_holidays():
    wed = dt.date(2023, 1, 11)
    assert add_working_days(wed, 2) == dt.date(2023, 1, 13)  # Friday
    assert add_working_days(wed, 3) == dt.date(2023, 1, 16)  # over the weekend
    assert add_working_days(wed, 20) == dt.date(2023, 2, 8)
    spring = [dt.date(2023, 1, d) for d in range(23, 28)]
    assert add_working_days(wed, 20, spring) == dt.date(2023, 2, 15)


def test_holidays_from_list_and_file(tmp_path):
    f = tmp_path / "holidays.txt"
    f.write_text("# 2026\n2026-04-06\n- 2026-05-01  # 劳动节\n", encoding="utf-8")
    assert parse_holidays(["2026-10-01,2026-10-02", str(f)]) == [
        dt.date(2026, 4, 6), dt.date(2026, 5, 1), dt.date(2026, 10, 1), dt.date(2026, 10, 2)]
    with pytest.raises(UserError):
        parse_holidays(["2026-13-01"])


@pytest.fixture(scope="module")
def example():
    from drafter.company import load_company
    from drafter.parse import parse_file

    letter = parse_file(EXAMPLES_DIR / "letter.txt")
    company = load_company(EXAMPLES_DIR / "company.yaml")
    return letter, company, build_checklist(letter, company, window_days=20, holidays=[dt.date(2026, 4, 6)])


def test_rows_per_request_and_per_party(example):
    letter, company, cl = example
    assert [r.id for r in cl.request_rows] == [r.id for r in letter.requests]
    n_asks = sum(len(v.parties) for q in letter.questions for v in q.verification)
    assert len(cl.verification_rows) == n_asks
    assert cl.due == dt.date(2026, 4, 14)  # 2026-03-16 + 20 working days, 2026-04-06 off
    first = cl.request_rows[0]
    assert first.party == "发行人" and first.owner == company.company.short_name
    assert first.topic and first.data_status in ("齐全",) or first.data_status.startswith("缺")
    sponsor_row = next(r for r in cl.verification_rows if r.party.startswith("保荐"))
    assert sponsor_row.owner == company.sponsor.name and sponsor_row.procedures
    disclose = [r for r in cl.request_rows if r.prospectus]
    assert disclose and all(r.prospectus == "需补充披露(募集说明书)" for r in disclose)
    assert {r.id for r in disclose} == {r.id for r in letter.requests if r.disclose}


def test_without_company_data_is_unknown(example):
    letter, _, _ = example
    cl = build_checklist(letter, None)
    assert {r.data_status for r in cl.request_rows} <= {"未提供公司数据", "—"}
    assert cl.request_rows[0].owner == "发行人"


def test_xlsx_sortable_filterable_with_status_dropdown(example, tmp_path):
    from openpyxl import load_workbook

    _, _, cl = example
    out = write_xlsx(cl, tmp_path / "c.xlsx")
    wb = load_workbook(out)
    ws = wb["清单"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:R{len(cl.rows) + 1}"
    header = [c.value for c in ws[1]]
    assert header[:5] == ["顺序", "编号", "问题", "问题标题", "类型"] and "状态" in header and "截止日" in header
    status_col = header.index("状态") + 1
    (dv,) = ws.data_validations.dataValidation
    assert dv.type == "list" and all(s in dv.formula1 for s in STATUSES)
    assert str(dv.sqref).startswith(f"{ws.cell(row=2, column=status_col).column_letter}2:")
    due = ws.cell(row=2, column=header.index("截止日") + 1).value
    assert due.date() == cl.due  # a real date: sorts and filters as one
    assert ws.column_dimensions["G"].width >= 40  # the request text column is wide
    assert [r[1].value for r in ws.iter_rows(min_row=2)] == [r.id for r in cl.rows]
    assert [r[0].value for r in ws.iter_rows(min_row=2)] == list(range(1, len(cl.rows) + 1))  # to sort back
    sm = wb["汇总"]
    values = [c.value for row in sm.iter_rows() for c in row if c.value is not None]
    assert "答复方" in values and any(isinstance(v, str) and v.startswith("=COUNTIFS(") for v in values)


def test_docx_table(example, tmp_path):
    import docx

    _, _, cl = example
    out = write_docx(cl, tmp_path / "c.docx")
    (table,) = docx.Document(out).tables
    assert len(table.rows) == len(cl.rows) + 1
    assert table.rows[1].cells[0].text == cl.rows[0].id


def test_cli_never_overwrites(tmp_path):
    out = tmp_path / "c.xlsx"
    out.write_text("the team's own sheet", encoding="utf-8")
    res = _run("checklist", EXAMPLES_DIR / "letter.txt", "-o", out)
    assert res.exit_code == 2 and "--force" in res.output
    assert out.read_text(encoding="utf-8") == "the team's own sheet"
    res = _run("checklist", EXAMPLES_DIR / "letter.txt", "-o", out, "--force", "--days", "10", "--start", "2026-03-20")
    assert res.exit_code == 0, res.output
    assert "due 2026-04-03" in res.output
    assert _run("checklist", EXAMPLES_DIR / "letter.txt", "-o", tmp_path / "c.pdf").exit_code == 2


def test_corpus_002_one_row_per_request_plus_verification(reply002, tmp_path):
    from openpyxl import load_workbook

    res = _run("checklist", reply002, "-o", tmp_path / "c002.xlsx")
    assert res.exit_code == 0, res.output
    ws = load_workbook(tmp_path / "c002.xlsx")["清单"]
    kinds = [r[4].value for r in ws.iter_rows(min_row=2)]
    assert kinds.count("说明事项") == 77
    assert kinds.count("核查意见") == 39  # 17 asks, one row per named party
    ids = [r[1].value for r in ws.iter_rows(min_row=2)]
    assert "8.(5)" in ids and "16" in ids
    row85 = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[1] == "8.(5)")
    assert row85[13] == "需补充披露(招股说明书)"
