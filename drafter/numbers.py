"""The number engine: Decimal arithmetic, half-up rounding (四舍五入) and Chinese report formatting.

Every figure drafter shows goes through this module. Amounts are `Decimal` in 万元; percentages are
`Decimal` in percent units (7.75 means 7.75%). Nothing here rounds until a figure is *shown*
(`round_half_up`, the `fmt_*` functions): ratios are computed from full-precision amounts.

Arithmetic (all return ``None`` when an input is missing or the ratio is undefined, never a
made-up 0):

- ``to_decimal(x)``: int / str (``"9,897.80"`` accepted) / float (through ``repr``, never
  ``Decimal(float)``) / Decimal -> Decimal; ``ValueError`` on anything else.
- ``round_half_up(x, places=2)``: 四舍五入 (``1.005 -> 1.01``, ``-1.005 -> -1.01``).
- ``ratio(num, den)`` / ``share(part, total)``: ``num / den * 100`` (percent units).
- ``times(num, den)``: ``num / den`` (e.g. turnover, 次).
- ``growth(current, previous)``: ``(current - previous) / |previous| * 100``.
- ``cagr(first, last, years)``: ``((last / first) ** (1 / years) - 1) * 100``.
- ``average(values)``: arithmetic mean of the values that are present.
- ``pp_change(new, old)``: ``new - old`` in percentage points.

Formatting (``missing`` is what a ``None`` shows; ``"-"`` by default, as in Chinese tables):

- ``fmt_amount(9897.8) -> "9,897.80"``; ``fmt_amount(x, 0)`` for whole numbers.
- ``fmt_number(x, places=2)``: same as fmt_amount (thousands separators).
- ``fmt_int(1046) -> "1,046"``.
- ``fmt_pct(7.7477) -> "7.75%"`` (input in percent units).
- ``fmt_pp(1.234) -> "增加1.23个百分点"``, ``fmt_pp(-0.5) -> "减少0.50个百分点"``, zero after
  rounding -> ``"持平"``; ``fmt_pp_num(-0.5) -> "-0.50"`` for tables.
- ``fmt_growth(111.97) -> "增长111.97%"``, ``fmt_growth(-3.2) -> "下降3.20%"``.
- ``fmt_times(4.2385) -> "4.24"`` (turnover, 次).
- ``fmt_date(date(2026, 1, 20)) -> "2026年1月20日"``.

Periods. A period key is ``YYYY`` (full year), ``YYYYH1`` (1-6月), ``YYYYQ1`` (1-3月), ``YYYYQ3``
(1-9月) or ``YYYYM<n>`` (1-n月, n = 1..11). Interim periods are cumulative from 1 January.

- ``parse_period(key) -> PeriodKey(year, months)``; ``is_period_key(key)``;
  ``period_from_label("2022年1-6月") -> "2022H1"`` (also "2022年", "2022年度", "2022年末",
  "2022年6月30日", "2022-06-30").
- ``period_end_date("2022H1") -> date(2022, 6, 30)``.
- ``same_period_last_year("2022H1") -> "2021H1"``; ``previous_year_end("2022H1") -> "2021"``.
- ``period_label("2022") -> "2022年"``, ``period_label("2022H1") -> "2022年1-6月"``.
- ``period_end_label("2022") -> "2022年末"``, ``period_end_label("2022H1") -> "2022年6月末"``.
- ``period_date_label("2022H1") -> "2022年6月30日"`` (also accepts a ``date``).
- ``periods_label(["2019", "2020", "2021", "2022H1"]) -> "2019年、2020年、2021年和2022年1-6月"``.

Jinja filters (``jinja_filters(missing="-")`` returns this dict; the compose helper registers it):

=====================  ========================================================  ================
filter                 does                                                      example
=====================  ========================================================  ================
``amount``             fmt_amount (``places`` argument, default 2)               ``9,897.80``
``number``             fmt_number                                                ``1,234.5678``
``int``/``count``      fmt_int                                                   ``1,046``
``pct``                fmt_pct (percent units in)                                ``7.75%``
``pp``                 fmt_pp                                                    ``增加1.23个百分点``
``pp_num``             fmt_pp_num                                                ``-0.50``
``growth``             fmt_growth                                                ``增长111.97%``
``times``              fmt_times                                                 ``4.24``
``round``              round_half_up -> Decimal (``places`` argument)            ``7.75``
``period_label``       period_label                                              ``2022年1-6月``
``period_end_label``   period_end_label                                          ``2022年6月末``
``period_date_label``  period_date_label                                         ``2022年6月30日``
``periods_label``      periods_label (list of keys)                              ``2021年和2022年``
``date_cn``            fmt_date                                                  ``2026年1月20日``
=====================  ========================================================  ================

All filters accept int / float / str / Decimal / None.
"""
from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from typing import NamedTuple

Number = Decimal | int | float | str

HUNDRED = Decimal(100)
_CTX = Context(prec=40)

# --------------------------------------------------------------------------- conversion

_NUM_RE = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$|^[+-]?\.\d+$|^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")


def to_decimal(x: Number | None) -> Decimal | None:
    """Convert to Decimal without float noise. None stays None; bad input raises ValueError.

    Strings may carry thousands separators ("9,897.80") and surrounding blanks; floats go through
    ``repr`` (shortest round-trip text), so 43056.88 becomes Decimal("43056.88") exactly.
    """
    if x is None:
        return None
    if isinstance(x, bool):
        raise ValueError(f"expected a number, got {x!r}")
    if isinstance(x, Decimal):
        if not x.is_finite():
            raise ValueError(f"expected a finite number, got {x}")
        return x
    if isinstance(x, int):
        return Decimal(x)
    if isinstance(x, float):
        if x != x or x in (float("inf"), float("-inf")):
            raise ValueError(f"expected a finite number, got {x!r}")
        return Decimal(repr(x))
    if isinstance(x, str):
        s = x.strip().replace("\u00a0", "").replace(" ", "")
        s = s.replace("，", ",").replace("－", "-").replace("−", "-")
        if not _NUM_RE.match(s):
            raise ValueError(f"expected a number, got {x!r}")
        return Decimal(s.replace(",", ""))
    raise ValueError(f"expected a number, got {x!r}")


def D(x: Number | None) -> Decimal | None:  # noqa: N802 - short alias used in templates and tests
    """Alias of ``to_decimal``."""
    return to_decimal(x)


def round_half_up(x: Number | None, places: int = 2) -> Decimal | None:
    """四舍五入 to `places` decimals (ties away from zero: 1.005 -> 1.01, -1.005 -> -1.01)."""
    d = to_decimal(x)
    if d is None:
        return None
    q = Decimal(1).scaleb(-places)
    with localcontext(_CTX):
        r = d.quantize(q, rounding=ROUND_HALF_UP)
    if r == 0:
        r = abs(r)  # never show "-0.00"
    return r


# --------------------------------------------------------------------------- arithmetic


def _div(num: Decimal, den: Decimal) -> Decimal:
    with localcontext(_CTX):
        return num / den


def times(num: Number | None, den: Number | None) -> Decimal | None:
    """num / den (plain ratio, e.g. turnover in 次); None when missing or den is 0."""
    n, d = to_decimal(num), to_decimal(den)
    if n is None or d is None or d == 0:
        return None
    return _div(n, d)


def ratio(num: Number | None, den: Number | None) -> Decimal | None:
    """num / den in percent units (766.85 / 9897.80 -> 7.7477…); None when missing or den is 0."""
    r = times(num, den)
    if r is None:
        return None
    with localcontext(_CTX):
        return r * HUNDRED


def share(part: Number | None, total: Number | None) -> Decimal | None:
    """Share of `part` in `total`, percent units."""
    return ratio(part, total)


def growth(current: Number | None, previous: Number | None) -> Decimal | None:
    """Growth rate in percent: (current - previous) / |previous| * 100; None when previous is 0 or missing."""
    c, p = to_decimal(current), to_decimal(previous)
    if c is None or p is None or p == 0:
        return None
    with localcontext(_CTX):
        return (c - p) / abs(p) * HUNDRED


def cagr(first: Number | None, last: Number | None, years: int | Number) -> Decimal | None:
    """Compound annual growth rate in percent over `years` years (2019 -> 2021 is 2 years).

    None when an input is missing, `years` is not positive, or the start/end values are not both
    positive (a CAGR through a loss is undefined).
    """
    f, l, n = to_decimal(first), to_decimal(last), to_decimal(years)
    if f is None or l is None or n is None or n <= 0 or f <= 0 or l < 0:
        return None
    with localcontext(_CTX):
        if l == 0:
            return Decimal(-100)
        return ((l / f) ** (Decimal(1) / n) - 1) * HUNDRED


def average(values: Iterable[Number | None]) -> Decimal | None:
    """Arithmetic mean of the values present (None values are skipped); None if none present."""
    vals = [to_decimal(v) for v in values]
    vals = [v for v in vals if v is not None]
    if not vals:
        return None
    with localcontext(_CTX):
        return sum(vals, Decimal(0)) / Decimal(len(vals))


def pp_change(new: Number | None, old: Number | None) -> Decimal | None:
    """Change of a rate in percentage points (both in percent units)."""
    n, o = to_decimal(new), to_decimal(old)
    if n is None or o is None:
        return None
    with localcontext(_CTX):
        return n - o


def total(values: Iterable[Number | None]) -> Decimal | None:
    """Sum of the values present; None if none is present."""
    vals = [to_decimal(v) for v in values]
    vals = [v for v in vals if v is not None]
    if not vals:
        return None
    with localcontext(_CTX):
        return sum(vals, Decimal(0))


# --------------------------------------------------------------------------- formatting


def fmt_number(x: Number | None, places: int = 2, missing: str = "-") -> str:
    """Half-up rounded, thousands separators: 9897.8 -> "9,897.80"."""
    r = round_half_up(x, places)
    if r is None:
        return missing
    return f"{r:,.{places}f}"


def fmt_amount(x: Number | None, places: int = 2, missing: str = "-") -> str:
    """An amount (万元 or 元): "9,897.80"."""
    return fmt_number(x, places, missing)


def fmt_int(x: Number | None, missing: str = "-") -> str:
    """A count: "1,046"."""
    return fmt_number(x, 0, missing)


def fmt_pct(x: Number | None, places: int = 2, missing: str = "-") -> str:
    """A percentage given in percent units: 7.7477 -> "7.75%"."""
    r = round_half_up(x, places)
    if r is None:
        return missing
    return f"{r:,.{places}f}%"


def fmt_pp_num(x: Number | None, places: int = 2, missing: str = "-") -> str:
    """A change in percentage points as a signed number: -0.5 -> "-0.50"."""
    return fmt_number(x, places, missing)


def fmt_pp(x: Number | None, places: int = 2, missing: str = "-") -> str:
    """A change in percentage points in words: "增加1.23个百分点" / "减少0.50个百分点" / "持平"."""
    r = round_half_up(x, places)
    if r is None:
        return missing
    if r == 0:
        return "持平"
    word = "增加" if r > 0 else "减少"
    return f"{word}{abs(r):,.{places}f}个百分点"


def fmt_growth(x: Number | None, places: int = 2, missing: str = "-") -> str:
    """A growth rate in words: "增长111.97%" / "下降3.20%" / "持平"."""
    r = round_half_up(x, places)
    if r is None:
        return missing
    if r == 0:
        return "持平"
    word = "增长" if r > 0 else "下降"
    return f"{word}{abs(r):,.{places}f}%"


def fmt_times(x: Number | None, places: int = 2, missing: str = "-") -> str:
    """A multiple such as a turnover rate: "4.24"."""
    return fmt_number(x, places, missing)


def fmt_date(d: _dt.date | str | None, missing: str = "-") -> str:
    """date(2026, 1, 20) -> "2026年1月20日" (ISO strings accepted)."""
    if d is None:
        return missing
    if isinstance(d, str):
        d = _dt.date.fromisoformat(d)
    if isinstance(d, _dt.datetime):
        d = d.date()
    return f"{d.year}年{d.month}月{d.day}日"


# --------------------------------------------------------------------------- periods

_KEY_RE = re.compile(r"^(\d{4})(?:(H1)|Q([13])|M(\d{1,2}))?$")


class PeriodKey(NamedTuple):
    year: int
    months: int  # 12 for a full year, 6 for H1, 9 for Q3 ...

    @property
    def full_year(self) -> bool:
        return self.months == 12


def is_period_key(key: object) -> bool:
    try:
        parse_period(key)  # type: ignore[arg-type]
    except ValueError:
        return False
    return True


def parse_period(key: str) -> PeriodKey:
    """"2022" -> (2022, 12); "2022H1" -> (2022, 6); "2022Q1" -> 3; "2022Q3" -> 9; "2022M10" -> 10."""
    m = _KEY_RE.match(str(key).strip()) if isinstance(key, (str, int)) else None
    if not m:
        raise ValueError(
            f"expected a period key like 2022, 2022H1 (1-6月), 2022Q1 (1-3月), 2022Q3 (1-9月) "
            f"or 2022M10 (1-10月), got {key!r}"
        )
    year = int(m.group(1))
    if m.group(2):
        months = 6
    elif m.group(3):
        months = 3 * int(m.group(3))
    elif m.group(4):
        months = int(m.group(4))
        if not 1 <= months <= 11:
            raise ValueError(f"month in period key must be 1..11 (use YYYY for a full year), got {key!r}")
    else:
        months = 12
    return PeriodKey(year, months)


def make_key(year: int, months: int) -> str:
    if months == 12:
        return str(year)
    if months == 6:
        return f"{year}H1"
    if months in (3, 9):
        return f"{year}Q{months // 3}"
    return f"{year}M{months}"


def _month_end(year: int, month: int) -> _dt.date:
    if month == 12:
        return _dt.date(year, 12, 31)
    return _dt.date(year, month + 1, 1) - _dt.timedelta(days=1)


def period_end_date(key: str) -> _dt.date:
    p = parse_period(key)
    return _month_end(p.year, p.months)


def period_start_date(key: str) -> _dt.date:
    return _dt.date(parse_period(key).year, 1, 1)


def same_period_last_year(key: str) -> str:
    p = parse_period(key)
    return make_key(p.year - 1, p.months)


def previous_year_end(key: str) -> str:
    """The key of the balance-sheet date just before the period starts: "2022H1" -> "2021"."""
    return str(parse_period(key).year - 1)


def period_label(key: str) -> str:
    """"2022" -> "2022年"; "2022H1" -> "2022年1-6月"."""
    p = parse_period(key)
    return f"{p.year}年" if p.full_year else f"{p.year}年1-{p.months}月"


def period_end_label(key: str) -> str:
    """"2022" -> "2022年末"; "2022H1" -> "2022年6月末"."""
    p = parse_period(key)
    return f"{p.year}年末" if p.full_year else f"{p.year}年{p.months}月末"


def period_date_label(key: str | _dt.date) -> str:
    """"2022H1" -> "2022年6月30日"; "2022" -> "2022年12月31日"; a date is formatted as such."""
    if isinstance(key, _dt.date):
        return fmt_date(key)
    return fmt_date(period_end_date(key))


def join_cn(items: list[str]) -> str:
    """["a", "b", "c"] -> "a、b和c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return "、".join(items[:-1]) + "和" + items[-1]


def periods_label(keys: Iterable[str]) -> str:
    """["2019", "2020", "2022H1"] -> "2019年、2020年和2022年1-6月"."""
    return join_cn([period_label(k) for k in keys])


_LABEL_RES = [
    (re.compile(r"^(\d{4})(?:年度?|年末|年12月31日|年12月末|-12-31|\.12\.31|/12/31)?$"), lambda m: m.group(1)),
    (re.compile(r"^(\d{4})年1-(\d{1,2})月$"), lambda m: make_key(int(m.group(1)), int(m.group(2)))),
    (re.compile(r"^(\d{4})年(\d{1,2})月末$"), lambda m: make_key(int(m.group(1)), int(m.group(2)))),
    (re.compile(r"^(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?$"), None),
]


def period_from_label(label: object) -> str | None:
    """Recognise a period key or a Chinese period label; None if it is not one.

    "2022", 2022, "2022年", "2022年度", "2022年末", "2022年12月31日" -> "2022";
    "2022H1", "2022年1-6月", "2022年6月末", "2022年6月30日", "2022-06-30" -> "2022H1".
    """
    if label is None:
        return None
    if isinstance(label, _dt.datetime):
        label = label.date()
    if isinstance(label, _dt.date):
        return _key_for_date(label)
    if isinstance(label, float) and label.is_integer():
        label = int(label)
    s = str(label).strip().replace(" ", "").replace("－", "-").replace("—", "-").replace("~", "-")
    if is_period_key(s):
        return s
    for rx, fn in _LABEL_RES:
        m = rx.match(s)
        if not m:
            continue
        if fn is None:
            try:
                d = _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
            return _key_for_date(d)
        key = fn(m)
        return key if is_period_key(key) else None
    return None


def _key_for_date(d: _dt.date) -> str | None:
    if _month_end(d.year, d.month) != d:
        return None
    key = make_key(d.year, d.month)
    return key if is_period_key(key) else None


# --------------------------------------------------------------------------- Jinja


def jinja_filters(missing: str = "-") -> dict:
    """Filters for templates (see the module docstring); `missing` is shown for a None value."""

    def _safe(fn):
        def f(value, *args, **kwargs):
            if value is None:
                return missing
            return fn(value, *args, **kwargs)

        f.__name__ = fn.__name__
        f.__doc__ = fn.__doc__
        return f

    return {
        "amount": lambda v, places=2: fmt_amount(v, places, missing),
        "number": lambda v, places=2: fmt_number(v, places, missing),
        "int": lambda v: fmt_int(v, missing),
        "count": lambda v: fmt_int(v, missing),
        "pct": lambda v, places=2: fmt_pct(v, places, missing),
        "pp": lambda v, places=2: fmt_pp(v, places, missing),
        "pp_num": lambda v, places=2: fmt_pp_num(v, places, missing),
        "growth": lambda v, places=2: fmt_growth(v, places, missing),
        "times": lambda v, places=2: fmt_times(v, places, missing),
        "round": lambda v, places=2: round_half_up(v, places),
        "period_label": _safe(period_label),
        "period_end_label": _safe(period_end_label),
        "period_date_label": _safe(period_date_label),
        "periods_label": _safe(periods_label),
        "date_cn": lambda v: fmt_date(v, missing),
    }
