"""Reply deadlines on the Chinese calendar: public holidays, make-up working days (调休) and reply windows.

`add_working_days(start, n, *, extra_holidays=(), extra_workdays=())` counts working days after `start`
on the official calendar shipped by the `chinese-calendar` package (State Council holiday notices,
data inside the package, nothing fetched at run time): holidays are skipped and the weekend days that
the notice makes working days (调休上班) count. For a year the package does not cover, only weekends
are skipped; `extra_holidays` / `extra_workdays` (the checklist's `--holiday` / `--workday`) fill in
and always win. `uncovered_years()` / `coverage_warning()` tell the caller when that happened.

`reply_window(letter_kind, sender, text=None) -> ReplyWindow(days, unit, rule)` is the window that
applies to a letter: a window the letter itself states (`请在十五个工作日内…回复`, `于5个交易日内披露…回复`,
`请在30日内…书面回复`) first, else the rule for its kind. `stated_date(text, letter_date)` reads a
deadline written as a date (`请你公司于6月17日前…报送`), which 年报问询函 and 关注函 usually carry.
`due_date(start, window, …)` turns a window into a date.
"""
from __future__ import annotations

import calendar as _cal
import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Literal, NamedTuple

Unit = Literal["working", "calendar", "trading", "months"]

UNIT_CN = {"working": "个工作日", "calendar": "日(自然日)", "trading": "个交易日", "months": "个月"}


# ---------------------------------------------------------------------------------------------
# the official calendar


def _cc():
    """The chinese_calendar module, or None when it is not installed (weekends only, with a warning)."""
    try:
        import chinese_calendar
    except ImportError:  # pragma: no cover - a declared dependency; kept usable without it
        return None
    return chinese_calendar


@lru_cache(maxsize=1)
def covered_years() -> range:
    """The years whose holidays and make-up working days the installed calendar package knows."""
    cc = _cc()
    if cc is None:  # pragma: no cover
        return range(0)
    years = {d.year for d in cc.constants.holidays} | {d.year for d in cc.constants.workdays}
    return range(min(years), max(years) + 1)


def calendar_source() -> str:
    cc = _cc()
    if cc is None:  # pragma: no cover
        return "no holiday calendar installed"
    yrs = covered_years()
    return f"chinese-calendar {getattr(cc, '__version__', '')}".strip() + f", {yrs.start}–{yrs.stop - 1}"


def uncovered_years(start: dt.date, end: dt.date) -> list[int]:
    """Years between `start` and `end` (inclusive) that the calendar package does not cover."""
    lo, hi = sorted((start, end))
    yrs = covered_years()
    return [y for y in range(lo.year, hi.year + 1) if y not in yrs]


def coverage_warning(start: dt.date, end: dt.date, extra_holidays: Iterable[dt.date] = (),
                     extra_workdays: Iterable[dt.date] = ()) -> str:
    """One line when part of start..end lies outside the calendar ("" when all of it is covered).

    A year for which the user gave --holiday/--workday dates is still named: the package cannot tell
    whether the list is complete, so the line says the given dates were used."""
    missing = uncovered_years(start, end)
    if not missing:
        return ""
    given = {d.year for d in list(extra_holidays) + list(extra_workdays)}
    yrs = "、".join(str(y) for y in missing)
    yrs_cc = covered_years()
    have = f"covers {yrs_cc.start}–{yrs_cc.stop - 1}" if yrs_cc else "is not installed"
    used = " plus the --holiday/--workday dates given" if any(y in given for y in missing) else ""
    return (f"warning: the holiday calendar (chinese-calendar) {have}; {yrs} counted with weekends only{used} — "
            f"add that year's public holidays with --holiday and its make-up working days with --workday")


def is_working_day(d: dt.date, *, extra_holidays: Iterable[dt.date] = (), extra_workdays: Iterable[dt.date] = (),
                   official: bool = True) -> bool:
    """A day offices work: not a public holiday, and a weekday or a make-up working day (调休上班)."""
    if d in extra_workdays:
        return True
    if d in extra_holidays:
        return False
    cc = _cc() if official else None
    if cc is not None and d.year in covered_years():
        return bool(cc.is_workday(d))
    return d.weekday() < 5


def is_trading_day(d: dt.date, *, extra_holidays: Iterable[dt.date] = (), official: bool = True) -> bool:
    """A day the exchanges trade: Monday to Friday and not a holiday (make-up weekend days do not trade)."""
    if d.weekday() >= 5 or d in extra_holidays:
        return False
    cc = _cc() if official else None
    if cc is not None and d.year in covered_years():
        return not cc.is_holiday(d)
    return True


def add_working_days(start: dt.date, n: int, *, extra_holidays: Iterable[dt.date] = (),
                     extra_workdays: Iterable[dt.date] = (), official: bool = True) -> dt.date:
    """The `n`-th working day after `start` (the day itself does not count).

    `official=False` ignores the calendar package (weekends and `extra_holidays` only)."""
    hol, work = set(extra_holidays), set(extra_workdays)
    d, k = start, 0
    while k < n:
        d += dt.timedelta(days=1)
        if is_working_day(d, extra_holidays=hol, extra_workdays=work, official=official):
            k += 1
    return d


def add_trading_days(start: dt.date, n: int, *, extra_holidays: Iterable[dt.date] = ()) -> dt.date:
    """The `n`-th trading day after `start`."""
    hol = set(extra_holidays)
    d, k = start, 0
    while k < n:
        d += dt.timedelta(days=1)
        if is_trading_day(d, extra_holidays=hol):
            k += 1
    return d


def working_days_between(a: dt.date, b: dt.date, *, extra_holidays: Iterable[dt.date] = (),
                         extra_workdays: Iterable[dt.date] = ()) -> int:
    """Working days in (a, b]; negative when b is before a."""
    hol, work = set(extra_holidays), set(extra_workdays)
    lo, hi, sign = (a, b, 1) if a <= b else (b, a, -1)
    n, d = 0, lo
    while d < hi:
        d += dt.timedelta(days=1)
        n += is_working_day(d, extra_holidays=hol, extra_workdays=work)
    return sign * n


def add_months(d: dt.date, months: int) -> dt.date:
    """The same day `months` months later (the month's last day when it has no such day)."""
    y, m = divmod(d.month - 1 + months, 12)
    y += d.year
    return dt.date(y, m + 1, min(d.day, _cal.monthrange(y, m + 1)[1]))


# ---------------------------------------------------------------------------------------------
# reply windows


class ReplyWindow(NamedTuple):
    days: int  # the count, in `unit`
    unit: Unit
    rule: str  # where the window comes from, in words for the checklist

    def describe(self) -> str:
        return f"{self.days}{UNIT_CN[self.unit]}"


_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _cn_int(s: str) -> int | None:
    """`15`, `十五`, `二十`, `三十` -> int (numbers up to 99)."""
    s = s.strip()
    if s.isdigit():
        return int(s)
    if not s or any(c not in _CN_DIGIT and c != "十" for c in s):
        return None
    if "十" not in s:
        return _CN_DIGIT[s] if len(s) == 1 else None
    tens, _, ones = s.partition("十")
    t = _CN_DIGIT.get(tens, None) if tens else 1
    o = _CN_DIGIT.get(ones, None) if ones else 0
    return None if t is None or o is None else t * 10 + o


_SENTENCE = re.compile(r"[^。；;！!\n]+")
_ASKS_REPLY = re.compile(r"回复|答复|本函|问询函|反馈意见|说明材料|书面说明")
_WINDOW = re.compile(r"([0-9]{1,3}|[一二两三四五六七八九十]{1,3})\s*(个工作日|个交易日|个自然日|日|天)内")
_DATE_BEFORE = re.compile(r"(?:于|在)\s*(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:之)?前")
_UNIT_OF = {"个工作日": "working", "个交易日": "trading", "个自然日": "calendar", "日": "calendar", "天": "calendar"}


def _deadline_sentences(text: str) -> list[str]:
    """Sentences that ask for the reply and could carry its deadline (background facts excluded)."""
    return [s for s in _SENTENCE.findall(text or "") if "请" in s and _ASKS_REPLY.search(s)]


def stated_window(text: str | None) -> ReplyWindow | None:
    """A reply window the letter states in so many days (the last such sentence wins: it closes the letter)."""
    found = None
    for s in _deadline_sentences(text or ""):
        for m in _WINDOW.finditer(s):
            n = _cn_int(m.group(1))
            if n:
                quote = s.strip()
                quote = quote if len(quote) <= 60 else quote[max(0, m.start() - 20):m.end() + 20].strip() + "…"
                found = ReplyWindow(n, _UNIT_OF[m.group(2)], f"函件载明: {quote}")  # type: ignore[arg-type]
    return found


def stated_date(text: str | None, letter_date: dt.date | None = None) -> tuple[dt.date, str] | None:
    """A deadline the letter writes as a date (`请你公司于6月17日前…报送`); a date without a year takes
    the letter's year (the next year when that would fall before the letter)."""
    found = None
    for s in _deadline_sentences(text or ""):
        for m in _DATE_BEFORE.finditer(s):
            y = int(m.group(1)) if m.group(1) else (letter_date.year if letter_date else None)
            if y is None:
                continue
            try:
                d = dt.date(y, int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
            if not m.group(1) and letter_date and d < letter_date:
                d = dt.date(y + 1, d.month, d.day)
            quote = s.strip()
            quote = quote if len(quote) <= 60 else quote[max(0, m.start() - 10):m.end() + 20].strip() + "…"
            found = (d, f"函件载明: {quote}")
    return found


RULE_CSRC_FEEDBACK = ("证监会反馈意见: 书面回复期限为30日(函件通常写明“请在30日内…书面回复”),"
                      "不能按期回复的须事先申请延期")
RULE_EXCHANGE_REVIEW = ("交易所股票发行上市审核规则: 回复审核问询的时间各轮累计不超过三个月(中止审核等期间不计);"
                        "此处自本轮函件起算三个月为上限, 前几轮已用的时间须扣除")
RULE_EXCHANGE_REFINANCING = ("交易所审核规则对上市公司发行证券(再融资)或重组的审核问询回复时间设有各轮累计上限"
                             "【待核实：二个月/三个月】; 此处按较短的二个月估算, 前几轮已用的时间须扣除")
_NOT_IPO = re.compile(r"上市公司证券发行|重大资产重组|向特定对象发行|向不特定对象发行|可转换公司债券|非公开发行|配股|发行股份购买资产")
RULE_DEFAULT = "函件未载明回复期限: 按20个工作日估算(以函件或监管要求为准, 可用 --days 指定)"
DEFAULT_DAYS = 20


def reply_window(letter_kind: str | None, sender: str | None, text: str | None = None) -> ReplyWindow:
    """The reply window for a letter of this kind from this sender (see the module docstring).

    A window stated in `text` wins. Else: CSRC 反馈意见 30 (calendar) days; an SSE/SZSE 审核问询函 or
    落实函 the IPO review rules' cumulative three months (for a listed company's offering or a
    restructuring, named in the letter's opening, two months as the shorter estimate, marked 待核实);
    anything else the default 20 working days."""
    stated = stated_window(text)
    if stated is not None:
        return stated
    kind, who = letter_kind or "", sender or ""
    if "反馈意见" in kind:
        return ReplyWindow(30, "calendar", RULE_CSRC_FEEDBACK)
    if ("审核问询" in kind or "落实函" in kind) and ("上海证券交易所" in who or "深圳证券交易所" in who
                                                   or who in ("上交所", "深交所")):
        head = (text or "")[:600]  # the title and the opening sentence name the offering and the rules
        if "首次公开发行" not in head and _NOT_IPO.search(head):
            return ReplyWindow(2, "months", RULE_EXCHANGE_REFINANCING)
        return ReplyWindow(3, "months", RULE_EXCHANGE_REVIEW)
    return ReplyWindow(DEFAULT_DAYS, "working", RULE_DEFAULT)


def due_date(start: dt.date, window: ReplyWindow, *, extra_holidays: Iterable[dt.date] = (),
             extra_workdays: Iterable[dt.date] = ()) -> dt.date:
    """The last day of `window` counted from `start`."""
    if window.unit == "working":
        return add_working_days(start, window.days, extra_holidays=extra_holidays, extra_workdays=extra_workdays)
    if window.unit == "trading":
        return add_trading_days(start, window.days, extra_holidays=extra_holidays)
    if window.unit == "months":
        return add_months(start, window.days)
    return start + dt.timedelta(days=window.days)
