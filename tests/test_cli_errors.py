"""The CLI as a careful user meets it: bad input files and bad output paths give one line on stderr
naming the file, exit code 2, never a traceback; existing outputs are never touched without --force,
and not even with it when the output is one of the command's own inputs. JSON outputs keep their keys.

Bad files are generated in tmp_path; the few tests that need the real corpus take its fixtures.
"""
from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter.cli import DrafterGroup, main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
LETTER = EXAMPLES / "letter.txt"
COMPANY = EXAMPLES / "company.yaml"


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def one_line_error(r, name: str, code: int = 2) -> str:
    """Assert the drafter error contract and return the line."""
    assert r.exit_code == code, (r.exit_code, r.output, r.stderr)
    assert "Traceback" not in r.output and "Traceback" not in r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("drafter: ") and name in lines[0], lines[0]
    return lines[0]


def company_text(**replace: str) -> str:
    text = COMPANY.read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def write_company(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


REVENUE_2023 = 'revenue: {"2023": 82365.47'


# ------------------------------------------------------------------------------------ company data
@pytest.mark.parametrize("value", ["1e400", "1e999999999", "123456789012345678901234567890"])
def test_huge_number_in_yaml_is_a_user_error(tmp_path, value):
    p = write_company(tmp_path, "big.yaml", company_text(**{REVENUE_2023: f'revenue: {{"2023": {value}'}))
    for args in (["data", "check", p], ["forecast", "--company", p]):
        line = one_line_error(run(*args), "big.yaml")
        assert "line 46" in line and "financials.revenue.2023" in line and "implausibly large" in line


def test_one_line_per_undeclared_period(tmp_path):
    # a period key forgotten in `periods:` makes every value of that period undeclared
    p = write_company(tmp_path, "nokey.yaml", company_text(**{'{key: "2023", end: 2023-12-31}': "{end: 2023-12-31}"}))
    r = run("data", "check", p)
    assert r.exit_code == 2
    lines = r.stderr.splitlines()
    assert len(lines) == 2, lines  # the cause, then one line for the period (not 184)
    assert "periods[2].key: missing required field" in lines[0]
    assert "period '2023' is not declared" in lines[1] and "183 more value(s) use period '2023'" in lines[1]


def _starter_xlsx(tmp_path: Path) -> Path:
    out = tmp_path / "start.xlsx"
    r = run("init", "--xlsx", out)
    assert r.exit_code == 0, r.output
    return out


def _edit_cell(src: Path, dst: Path, sheet: str, row: int, col: int, value) -> Path:
    from openpyxl import load_workbook

    wb = load_workbook(src)
    wb[sheet].cell(row, col).value = value
    wb.save(dst)
    return dst


def test_excel_huge_number_and_text_in_number_cell(tmp_path):
    start = _starter_xlsx(tmp_path)
    big = _edit_cell(start, tmp_path / "big.xlsx", "财务数据", 2, 4, "1e400")
    line = one_line_error(run("data", "check", big), "big.xlsx")
    assert "cell D2" in line and "implausibly large" in line
    text = _edit_cell(start, tmp_path / "text.xlsx", "财务数据", 2, 4, "一百")
    line = one_line_error(run("data", "check", text), "text.xlsx")
    assert "cell D2 (营业收入, 2023年)" in line and "expected a number, got '一百'" in line


def test_excel_formula_without_saved_result_is_reported(tmp_path):
    start = _starter_xlsx(tmp_path)
    f = _edit_cell(start, tmp_path / "formula.xlsx", "财务数据", 2, 4, "=40000+42365.47")
    line = one_line_error(run("data", "check", f), "formula.xlsx")
    assert "cell D2" in line and "no saved result" in line


def test_excel_formula_with_saved_result_loads(tmp_path):
    """What Excel writes: the formula and its cached value; the value is used."""
    start = _starter_xlsx(tmp_path)
    f = _edit_cell(start, tmp_path / "f.xlsx", "财务数据", 2, 4, "=40000+42365.47")
    out = tmp_path / "cached.xlsx"
    with zipfile.ZipFile(f) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/") and b"<f>" in data:
                data = re.sub(rb"(<f>40000\+42365\.47</f>)(<v\s*/>|<v></v>)?", rb"\1<v>82365.47</v>", data)
            zout.writestr(item, data)
    r = run("data", "check", "--json", out)
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.output)["amounts"]["revenue"]["2023"] == "82365.47"


def test_excel_not_a_workbook(tmp_path):
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert "the file is empty" in one_line_error(run("data", "check", empty), "empty.xlsx")
    noise = tmp_path / "noise.xlsx"
    noise.write_bytes(os.urandom(3000))
    assert "not a zip archive" in one_line_error(run("data", "check", noise), "noise.xlsx")
    other = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("a.txt", "hello")
    assert "not an Excel workbook" in one_line_error(run("forecast", "--company", other), "other.xlsx")


# ------------------------------------------------------------------------------------ output paths
def _writers(tmp_path: Path, out_docx: Path, out_xlsx: Path, out_yaml: Path) -> dict[str, list]:
    reply = tmp_path / "reply.docx"
    if not reply.exists():
        r = run("draft", LETTER, "--company", COMPANY, "-o", reply)
        assert r.exit_code == 0, r.stderr
    return {
        "init yaml": ["init", "--yaml", out_yaml],
        "init xlsx": ["init", "--xlsx", out_xlsx],
        "convert": ["data", "convert", COMPANY, out_xlsx],
        "draft": ["draft", LETTER, "--company", COMPANY, "-o", out_docx],
        "demo": ["demo", "-o", out_docx],
        "checklist": ["checklist", LETTER, "-o", out_xlsx],
        "style": ["style", "--specimen", out_docx],
        "annotate": ["review", reply, "--annotate", out_docx],
    }


def test_existing_outputs_are_refused_and_untouched(tmp_path):
    outs = {s: tmp_path / f"mine{s}" for s in (".docx", ".xlsx", ".yaml")}
    for p in outs.values():
        p.write_bytes(b"my own work")
    for what, args in _writers(tmp_path, outs[".docx"], outs[".xlsx"], outs[".yaml"]).items():
        line = one_line_error(run(*args), "mine")
        assert "exists; not overwritten (use --force" in line, (what, line)
    assert all(p.read_bytes() == b"my own work" for p in outs.values())


def test_output_in_a_missing_folder(tmp_path):
    d = tmp_path / "nope"
    for what, args in _writers(tmp_path, d / "r.docx", d / "c.xlsx", d / "c.yaml").items():
        line = one_line_error(run(*args), "nope")
        assert "does not exist" in line, (what, line)
    assert not d.exists()


def test_output_in_a_read_only_folder(tmp_path, monkeypatch):
    """Root writes anywhere, so the refusal is simulated: os.access says no (the check before any work),
    or the temporary file cannot be created (a read-only disk)."""
    import tempfile

    import drafter.output as output

    ro = tmp_path / "ro"
    ro.mkdir()
    real_access = os.access
    monkeypatch.setattr(output.os, "access", lambda p, mode: False if Path(p) == ro else real_access(p, mode))
    for what, args in _writers(tmp_path, ro / "r.docx", ro / "c.xlsx", ro / "c.yaml").items():
        line = one_line_error(run(*args), "ro/")
        assert "cannot write in folder" in line and "permission denied" in line, (what, line)
    monkeypatch.setattr(output.os, "access", real_access)

    def refuse(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    line = one_line_error(run("init", "--yaml", ro / "c.yaml"), "c.yaml")
    assert "cannot write in folder" in line and "Permission denied" in line
    assert list(ro.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores folder permissions")
def test_output_in_a_really_read_only_folder(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        line = one_line_error(run("init", "--yaml", ro / "c.yaml"), "c.yaml")
        assert "cannot write in folder" in line
    finally:
        ro.chmod(0o755)


def test_writing_failure_is_one_line(tmp_path):
    from drafter.errors import UserError
    from drafter.output import write_atomic

    def full_disk(tmp: Path) -> None:
        raise OSError(28, "No space left on device", str(tmp))

    target = tmp_path / "out.docx"
    with pytest.raises(UserError, match="could not write the file .No space left on device"):
        write_atomic(target, full_disk)
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


def test_output_that_is_an_input_is_refused_even_with_force(tmp_path):
    company = tmp_path / "company.yaml"
    company.write_bytes(COMPANY.read_bytes())
    line = one_line_error(run("data", "convert", company, tmp_path / "." / "company.yaml", "--force"), "company.yaml")
    assert "is also the input" in line
    assert company.read_bytes() == COMPANY.read_bytes()  # comments and all

    reply = tmp_path / "reply.docx"
    assert run("draft", LETTER, "--company", COMPANY, "-o", reply).exit_code == 0
    before = reply.read_bytes()
    line = one_line_error(run("review", reply, "--annotate", reply, "--force"), "reply.docx")
    assert "is also the input" in line and reply.read_bytes() == before

    line = one_line_error(run("checklist", reply, "-o", reply, "--force"), "reply.docx")
    assert "is also the input" in line and reply.read_bytes() == before


def test_output_suffixes_are_checked_first(tmp_path):
    assert ".docx" in one_line_error(run("style", "--specimen", tmp_path / "s.txt"), "s.txt")
    assert ".yaml" in one_line_error(run("init", "--yaml", tmp_path / "c.xlsx"), "c.xlsx")
    assert ".xlsx" in one_line_error(run("init", "--xlsx", tmp_path / "c.yaml"), "c.yaml")
    assert list(tmp_path.iterdir()) == []


def test_check_target_on_a_folder(tmp_path):
    from drafter.errors import UserError
    from drafter.output import check_target

    with pytest.raises(UserError, match="is a folder"):
        check_target(tmp_path, force=True)
    with pytest.raises(UserError, match="is a folder"):
        check_target(tmp_path, force=False)


# ----------------------------------------------------------------------------- bank and matcher
def test_bank_eval_bad_labels(tmp_path):
    noise = tmp_path / "labels.yaml"
    noise.write_bytes(bytes(range(128, 256)) * 10)
    assert "not UTF-8" in one_line_error(run("bank", "eval", noise), "labels.yaml")
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("questions: {}\n", encoding="utf-8")
    assert "not a labels file" in one_line_error(run("bank", "eval", wrong), "wrong.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("letter: [x\n", encoding="utf-8")
    assert "not valid YAML" in one_line_error(run("bank", "eval", bad), "bad.yaml")


def test_bank_folder_without_topics_or_with_a_broken_file(tmp_path):
    empty = tmp_path / "empty_bank"
    empty.mkdir()
    for args in (["bank", "list", "--bank", empty], ["match", LETTER, "--bank", empty]):
        assert "no topic files" in one_line_error(run(*args), "empty_bank")
    bank = tmp_path / "bank"
    bank.mkdir()
    for f in (ROOT / "question_bank").glob("*.yaml"):
        (bank / f.name).write_bytes(f.read_bytes())
    with open(bank / "gross_margin.yaml", "ab") as fh:
        fh.write(b"\xff\xfe\x80 noise")
    assert "not UTF-8" in one_line_error(run("bank", "list", "--bank", bank), "gross_margin.yaml")
    r = run("bank", "validate", "--bank", bank)
    assert r.exit_code == 2 and "gross_margin.yaml:1: not UTF-8" in r.output


def test_unknown_topic_ids(tmp_path):
    assert "unknown topic id 'nope'" in one_line_error(run("bank", "show", "nope"), "nope")
    line = one_line_error(run("library", "search", "x", "--topic", "nope", "--db", tmp_path / "l.db"), "--topic")
    assert "unknown topic id 'nope'" in line


# ------------------------------------------------------------------------------------- checklist
def test_checklist_holiday_file_not_text(tmp_path):
    hol = tmp_path / "holidays.txt"
    hol.write_bytes(b"\x00\xff\xfe" * 100)
    line = one_line_error(run("checklist", LETTER, "-o", tmp_path / "c.xlsx", "--holiday", hol), "holidays.txt")
    assert "not UTF-8" in line
    assert not (tmp_path / "c.xlsx").exists()


# --------------------------------------------------------------------------------------- library
def test_library_bad_board_and_missing_db(tmp_path):
    db = tmp_path / "lib.db"
    line = one_line_error(run("library", "search", "毛利率", "--board", "火星板", "--db", db), "--board")
    assert "主板, 创业板, 科创板, 北交所" in line
    r = run("library", "stats", "--db", db)
    assert r.exit_code == 0 and "not created yet" in r.output and not db.exists()


def test_library_read_only_database(tmp_path, monkeypatch, reply003):
    import drafter.library.store as store

    db = tmp_path / "lib.db"
    assert run("library", "add", "--db", db, reply003).exit_code == 0
    real_access = os.access
    monkeypatch.setattr(store.os, "access",
                        lambda p, mode: False if Path(p) == db and mode & os.W_OK else real_access(p, mode))
    copy = tmp_path / "other.txt"
    copy.write_text(reply003.read_text(encoding="utf-8") + "\n附记。\n", encoding="utf-8")
    line = one_line_error(run("library", "add", "--db", db, copy), "lib.db")
    assert "read-only" in line
    # reading still works
    r = run("library", "search", "毛利率", "--db", db, "--limit", "1")
    assert r.exit_code == 0 and "1." in r.output


def test_library_database_error_while_storing_names_the_library(tmp_path, monkeypatch, reply003):
    import sqlite3

    from drafter.library import store

    def locked(self, rec):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(store.Library, "put", locked)
    line = one_line_error(run("library", "add", "--db", tmp_path / "lib.db", reply003), "lib.db")
    assert "cannot store replies in the library (database is locked)" in line


# ---------------------------------------------------------------------------------------- review
def test_review_against_the_wrong_letter(reply002):
    line = one_line_error(run("review", reply002, "--letter", LETTER), "letter.txt")
    assert "青禾智能装备股份有限公司" in line and "深圳市优优绿能股份有限公司" in line and "right letter" in line


def test_review_report_says_how_many_blocking_findings_are_not_shown():
    from drafter.review import Finding, ReviewReport, format_report

    rep = ReviewReport(source="r.docx")
    rep.findings = [Finding(severity="blocking", kind="placeholder", question=1, message=f"placeholder {i}")
                    for i in range(100)]
    text = format_report(rep)
    assert "placeholder 89" in text and "placeholder 90" not in text
    assert "… 10 more blocking finding(s)" in text


# ------------------------------------------------------------------------------- internal errors
def test_a_bug_is_one_line_exit_1(monkeypatch):
    grp = DrafterGroup(name="drafter")

    @grp.command("boom")
    def boom():
        raise ZeroDivisionError("division by zero")

    monkeypatch.delenv("DRAFTER_DEBUG", raising=False)
    r = CliRunner().invoke(grp, ["boom"])
    assert r.exit_code == 1
    assert r.stderr.startswith("drafter: internal error: ZeroDivisionError: division by zero")
    assert "please report" in r.stderr and len(r.stderr.splitlines()) == 1
    # usage errors stay click's own (exit 2)
    assert CliRunner().invoke(grp, ["boom", "--nope"]).exit_code == 2


# -------------------------------------------------------------------------------- JSON contracts
def test_json_outputs_keep_their_keys(tmp_path, reply003):
    r = run("match", LETTER, "--json")
    assert r.exit_code == 0
    q = json.loads(r.output)["questions"][0]
    assert {"number", "topics", "requests"} <= set(q)
    assert {"id", "score", "reason"} <= set(q["topics"][0])
    assert "topics" in q["requests"][0]

    r = run("forecast", "--company", COMPANY, "--json")
    data = json.loads(r.output)
    topics = data["topics"] if isinstance(data, dict) else data
    assert topics and {"id", "reason", "figures"} <= set(topics[0])

    r = run("review", reply003, "--json")
    rep = json.loads(r.output)
    assert {"questions_total", "questions_answered", "requests_total", "requests_answered", "unanswered",
            "altered_questions"} <= set(rep)
    assert rep["questions_total"] == 6

    db = tmp_path / "lib.db"
    assert run("library", "add", "--db", db, reply003).exit_code == 0
    hits = json.loads(run("library", "search", "毛利率", "--json", "--db", db).output)
    hits = hits["results"] if isinstance(hits, dict) else hits
    assert hits and {"request", "answer", "source", "topic", "score"} <= set(hits[0])
    assert json.loads(run("library", "stats", "--json", "--db", db).output)["requests"] == 50


def test_checklist_with_another_company_s_data_is_refused(tmp_path):
    other = tmp_path / "other_letter.txt"
    other.write_text(LETTER.read_text(encoding="utf-8").replace("青禾智能装备股份有限公司", "岚山精密科技股份有限公司")
                     .replace("青禾智能", "岚山精密"), encoding="utf-8")
    line = one_line_error(run("checklist", other, "--company", COMPANY, "-o", tmp_path / "c.xlsx"), "company.yaml")
    assert "岚山精密科技股份有限公司" in line and "right company file" in line
    assert not (tmp_path / "c.xlsx").exists()
    r = run("checklist", LETTER, "--company", COMPANY, "-o", tmp_path / "c.xlsx")
    assert r.exit_code == 0, r.stderr


def test_data_check_says_when_nothing_could_be_cross_checked(tmp_path):
    p = write_company(tmp_path, "bare.yaml", "\n".join([
        "company: {name: 岚山精密科技股份有限公司, short_name: 岚山精密, exchange: 深圳证券交易所}",
        "unit: 万元",
        "periods:",
        "  - {key: '2024', end: 2024-12-31}",
        "  - {key: '2025', end: 2025-12-31}",
        "financials:",
        "  revenue: {'2024': 100.00, '2025': 120.00}",
        ""]))
    r = run("data", "check", p)
    assert r.exit_code == 0, r.stderr
    assert "核对: 没有可相互核对的明细与财务数据(未做核对)。" in r.output
    assert json.loads(run("data", "check", "--json", p).output)["checks_made"] == 0
    r = run("data", "check", COMPANY)
    assert re.search(r"核对: 各明细合计与财务数据一致\(\d+ 项\)。", r.output)


def test_init_checks_both_targets_before_writing_either(tmp_path):
    (tmp_path / "c.xlsx").write_bytes(b"mine")
    line = one_line_error(run("init", "--yaml", tmp_path / "c.yaml", "--xlsx", tmp_path / "c.xlsx"), "c.xlsx")
    assert "exists" in line
    assert not (tmp_path / "c.yaml").exists() and (tmp_path / "c.xlsx").read_bytes() == b"mine"


def test_review_blocking_only_needs_annotate(tmp_path):
    line = one_line_error(run("review", LETTER, "--blocking-only"), "--annotate")
    assert "--blocking-only" in line


def test_excel_percentage_cells_are_read_as_shown(tmp_path):
    """30.12% typed in Excel is stored as 0.3012: read in percent units, not as 0.30%."""
    from openpyxl import load_workbook

    start = _starter_xlsx(tmp_path)
    wb = load_workbook(start)
    ws = wb["可比公司"]
    assert ws["D2"].value == "综合毛利率(%)" and ws["F2"].value == 30.12
    ws["F2"].value, ws["F2"].number_format = 0.3012, "0.00%"
    ws["G2"].number_format = '0.00"%"'  # a literal percent sign: the value is already in percent units
    wb.save(tmp_path / "pct.xlsx")
    r = run("data", "check", "--json", tmp_path / "pct.xlsx")
    assert r.exit_code == 0, r.stderr
    peers = json.loads(r.output)["metrics"]["peer_gross_margin_avg"]["values"]
    ref = json.loads(run("data", "check", "--json", start).output)["metrics"]["peer_gross_margin_avg"]["values"]
    assert peers == ref and peers["2023"] == "31.84"


def test_percent_sign_in_yaml_says_how_to_write_it(tmp_path):
    p = write_company(tmp_path, "pct.yaml", company_text(**{'gross_margin: {"2023": 30.12': 'gross_margin: {"2023": 30.12%'}))
    line = one_line_error(run("data", "check", p), "pct.yaml")
    assert "peers[1].metrics.gross_margin.2023" in line and "(30.12 for 30.12%)" in line


def test_peer_percentage_typed_as_a_fraction_is_flagged(tmp_path):
    p = write_company(tmp_path, "frac.yaml", company_text(**{'gross_margin: {"2023": 30.12': 'gross_margin: {"2023": 0.3012'}))
    r = run("data", "check", p)
    assert r.exit_code == 0
    assert "可比公司 东岳物流装备 综合毛利率(%): 2023年 0.3012 像是小数形式(本公司同期 33.03%)" in r.output
    assert "像是小数形式" not in run("data", "check", COMPANY).output


def test_bank_show_suggests_the_id():
    assert "did you mean gross_margin?" in one_line_error(run("bank", "show", "毛利率"), "毛利率")
    assert "did you mean inventory?" in one_line_error(run("bank", "show", "inventry"), "inventry")
    assert "did you mean" not in one_line_error(run("bank", "show", "nope"), "nope")


def test_openpyxl_notes_do_not_reach_the_user(tmp_path, monkeypatch):
    import warnings

    import openpyxl

    start = _starter_xlsx(tmp_path)
    real = openpyxl.load_workbook

    def noisy(*a, **k):
        warnings.warn("Data Validation extension is not supported and will be removed", UserWarning)
        return real(*a, **k)

    monkeypatch.setattr(openpyxl, "load_workbook", noisy)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        r = run("data", "check", start)
    assert r.exit_code == 0 and r.stderr == ""
    assert not [w for w in seen if "Data Validation" in str(w.message)]


def test_click_path_problems_are_one_line(tmp_path):
    line = one_line_error(run("match", tmp_path), str(tmp_path))
    assert "is a directory" in line
    line = one_line_error(run("draft", LETTER, "--company", COMPANY, "-o", tmp_path), "--output")
    assert "is a directory" in line
    r = run("parse")  # a missing argument keeps click's usage lines
    assert r.exit_code == 2 and "Usage:" in r.stderr and "Missing argument" in r.stderr


def test_bank_validate_with_a_missing_templates_folder(tmp_path):
    line = one_line_error(run("bank", "validate", "--templates", tmp_path / "nope"), "nope")
    assert "templates folder not found" in line
