"""Deadlines on the Chinese calendar (issue 13 item 4): holidays, make-up working days, reply windows."""
from __future__ import annotations

import datetime as dt

from click.testing import CliRunner

from drafter.cli import main
from drafter.paths import EXAMPLES_DIR
from drafter.review import calendar as cal
from drafter.review.checklist import build_checklist

D = dt.date


def _run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def test_spring_festival_2025_with_make_up_days():
    # 2025 春节: off 1/28–2/4; Sunday 1/26 and Saturday 2/8 are working days
    assert cal.covered_years().start <= 2025 < cal.covered_years().stop
    assert cal.is_working_day(D(2025, 1, 26)) and cal.is_working_day(D(2025, 2, 8))
    assert not cal.is_working_day(D(2025, 1, 28)) and not cal.is_working_day(D(2025, 2, 4))
    # Friday 1/24 + 2: Sunday 1/26 (make-up), Monday 1/27
    assert cal.add_working_days(D(2025, 1, 24), 2) == D(2025, 1, 27)
    assert cal.add_working_days(D(2025, 1, 24), 3) == D(2025, 2, 5)  # after the break
    # + 20: 1/26, 1/27, 2/5–2/8 (Saturday counts), then 14 weekdays -> Thursday 2/27
    assert cal.add_working_days(D(2025, 1, 24), 20) == D(2025, 2, 27)
    # weekends only (the old count) would say 2/21, in the middle of the catch-up
    assert cal.add_working_days(D(2025, 1, 24), 20, official=False) == D(2025, 2, 21)
    # make-up Saturdays are working days but not trading days
    assert cal.add_trading_days(D(2025, 1, 24), 2) == D(2025, 2, 5)
    assert cal.working_days_between(D(2025, 1, 24), D(2025, 2, 27)) == 20


def test_overrides_win():
    # a firm that closes on the make-up Sunday, and works Monday 2/3 instead
    got = cal.add_working_days(D(2025, 1, 24), 3, extra_holidays=[D(2025, 1, 26)], extra_workdays=[D(2025, 2, 3)])
    assert got == D(2025, 2, 5)  # 1/27, 2/3, 2/5
    assert cal.add_working_days(D(2025, 1, 24), 2, extra_holidays=[D(2025, 1, 26)]) == D(2025, 2, 5)


def test_uncovered_year_warns_and_counts_weekends_plus_overrides():
    last = cal.covered_years().stop - 1
    nxt = last + 1
    start = D(nxt, 1, 4)
    assert cal.uncovered_years(start, start) == [nxt]
    w = cal.coverage_warning(start, start + dt.timedelta(days=30))
    assert str(nxt) in w and "--holiday" in w and "--workday" in w and "\n" not in w
    assert cal.coverage_warning(D(2025, 1, 2), D(2025, 3, 1)) == ""
    # weekends only, then the overrides
    base = cal.add_working_days(start, 5)
    assert base == cal.add_working_days(start, 5, official=False)
    sat = start + dt.timedelta(days=(5 - start.weekday()) % 7)
    assert cal.add_working_days(start, 5, extra_workdays=[sat]) < base


def test_reply_windows():
    assert cal.reply_window("反馈意见", "中国证券监督管理委员会")[:2] == (30, "calendar")
    days, unit, rule = cal.reply_window("审核问询函", "上海证券交易所")
    assert (days, unit) == (3, "months") and "三个月" in rule
    assert cal.reply_window("第二轮审核问询函", "深圳证券交易所")[:2] == (3, "months")
    assert cal.reply_window("关注函", "深圳证券交易所")[:2] == (20, "working")
    # the letter's own words win
    w = cal.reply_window("审核问询函", "上海证券交易所", "请对上述问题逐项落实并在十五个工作日内提交对问询函的回复。")
    assert w[:2] == (15, "working") and w.rule.startswith("函件载明")
    w = cal.reply_window("问询函", "深圳证券交易所", "请你公司收到本问询函后立即披露，并于5个交易日内披露对本问询函的回复。")
    assert w[:2] == (5, "trading")
    # a day count in the background is not a deadline
    assert cal.stated_window("申报材料显示，客户在验收后30日内付款。") is None
    assert cal.add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)


def test_stated_date_in_annual_report_letter():
    text = "请你公司就上述问题做出书面说明，在2024年5月31日前将有关说明材料报送我部并对外披露。"
    assert cal.stated_date(text, D(2024, 5, 20)) == (D(2024, 5, 31), "函件载明: " + text.rstrip("。"))
    assert cal.stated_date("请你公司于1月10日前回复。", D(2025, 12, 26))[0] == D(2026, 1, 10)
    assert cal.stated_date("自本次发行董事会决议日前六个月至今，请说明。", D(2025, 1, 1)) is None


def _letter_text(date_line: str, closing: str | None = None) -> str:
    text = (EXAMPLES_DIR / "letter.txt").read_text(encoding="utf-8").replace("2026年3月16日", date_line)
    if closing is not None:
        text = text.replace("并在三十日内通过本所", closing)
    return text


def test_checklist_letter_before_spring_festival(tmp_path):
    from drafter.parse import parse_text

    text = _letter_text("2025年1月24日", "并在二十个工作日内通过本所")
    letter = parse_text(text, "l.txt")
    assert letter.meta.date == "2025-01-24"
    cl = build_checklist(letter, None, letter_text=text, today=D(2025, 2, 10))
    assert cl.due == D(2025, 2, 27) and (cl.window_days, cl.window_unit) == (20, "working")
    assert cl.due_rule.startswith("函件载明") and "二十个工作日" in cl.due_rule
    assert {r.due for r in cl.rows} == {D(2025, 2, 27)}
    assert cl.days_left == 17 and cl.working_days_left == 13  # 2/11–2/14, 2/17–2/21, 2/24–2/27
    assert cl.calendar_warning == ""
    # without the sentence: the exchange's cumulative limit; the example is a listed company's bond
    # offering, whose limit is left to verify (two months as the shorter estimate)
    plain = _letter_text("2025年1月24日", "并通过本所")
    cl = build_checklist(parse_text(plain, "l.txt"), None, letter_text=plain, today=D(2025, 2, 10))
    assert (cl.window_days, cl.window_unit, cl.due) == (2, "months", D(2025, 3, 24)) and "【待核实" in cl.due_rule
    ipo = plain.replace("申请向不特定对象发行可转换公司债券", "首次公开发行股票并在创业板上市")
    cl = build_checklist(parse_text(ipo, "l.txt"), None, letter_text=ipo, today=D(2025, 2, 10))
    assert (cl.window_days, cl.window_unit, cl.due) == (3, "months", D(2025, 4, 24)) and "三个月" in cl.due_rule
    # --days still decides when given
    cl = build_checklist(letter, None, window_days=20, letter_text=text, today=D(2025, 3, 3))
    assert cl.due == D(2025, 2, 27) and cl.days_left == -4 and cl.due_rule == "按指定: 20个工作日"


def test_checklist_cli_shows_rule_days_left_and_warns(tmp_path):
    from openpyxl import load_workbook

    f = tmp_path / "l.txt"
    f.write_text(_letter_text("2025年1月24日", "并在二十个工作日内通过本所"), encoding="utf-8")
    out = tmp_path / "c.xlsx"
    res = _run("checklist", f, "-o", out)
    assert res.exit_code == 0, res.output
    assert "due 2025-02-27" in res.output and "deadline rule: 函件载明" in res.output
    values = [c.value for row in load_workbook(out)["汇总"].iter_rows() for c in row]
    assert "期限依据" in values and any(isinstance(v, str) and "二十个工作日" in v for v in values)
    # a year past the calendar: one warning line, weekends + the overrides
    nxt = cal.covered_years().stop
    f.write_text(_letter_text(f"{nxt}年3月1日", "并在十个工作日内通过本所"), encoding="utf-8")
    res = _run("checklist", f, "-o", out, "--force")
    assert res.exit_code == 0, res.output
    warn = [ln for ln in res.output.splitlines() if ln.startswith("warning:")]
    assert len(warn) == 1 and str(nxt) in warn[0]
    plain_due = cal.add_working_days(D(nxt, 3, 1), 10, official=False)
    assert f"due {plain_due.isoformat()}" in res.output
    day_off = cal.add_working_days(D(nxt, 3, 1), 1, official=False)
    res = _run("checklist", f, "-o", out, "--force", "--holiday", day_off.isoformat())
    later = cal.add_working_days(D(nxt, 3, 1), 10, extra_holidays=[day_off], official=False)
    assert f"due {later.isoformat()}" in res.output and later > plain_due
    sat = D(nxt, 3, 1) + dt.timedelta(days=(5 - D(nxt, 3, 1).weekday()) % 7 or 7)
    res = _run("checklist", f, "-o", out, "--force", "--workday", sat.isoformat())
    earlier = cal.add_working_days(D(nxt, 3, 1), 10, extra_workdays=[sat], official=False)
    assert f"due {earlier.isoformat()}" in res.output and earlier < plain_due
    res = _run("checklist", f, "-o", out, "--force", "--workday", "2027-02-30")
    assert res.exit_code == 2 and "--workday" in res.output
