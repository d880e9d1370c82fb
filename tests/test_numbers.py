"""The number engine: half-up rounding, ratios, growth, CAGR, formatting, period labels, Jinja filters."""
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drafter import numbers as N


@pytest.mark.parametrize(
    "value, places, expected",
    [
        ("1.005", 2, "1.01"),  # the .005 boundary goes up (banker's rounding would give 1.00)
        ("1.015", 2, "1.02"),
        ("1.025", 2, "1.03"),  # banker's: 1.02
        ("2.675", 2, "2.68"),  # float 2.675 is 2.67499999…: we never go through binary floats
        ("-1.005", 2, "-1.01"),  # ties away from zero, as 四舍五入 on the magnitude
        ("7.005", 2, "7.01"),
        ("0.125", 2, "0.13"),
        ("0.0049", 2, "0.00"),
        ("-0.004", 2, "0.00"),  # never "-0.00"
        ("12.5", 0, "13"),
        ("13.5", 0, "14"),
    ],
)
def test_round_half_up_at_the_boundary(value, places, expected):
    assert str(N.round_half_up(value, places)) == expected


def test_floats_go_through_their_shortest_text_not_binary():
    assert N.to_decimal(2.675) == Decimal("2.675")
    assert N.round_half_up(2.675) == Decimal("2.68")  # round(2.675, 2) == 2.67 in Python
    assert N.to_decimal(43056.88) == Decimal("43056.88")
    assert N.to_decimal("9,897.80") == Decimal("9897.80")
    assert N.to_decimal(" -1,234.5 ") == Decimal("-1234.5")
    for bad in ("abc", "1,23", "12.3.4", "", True, float("nan"), [1]):
        with pytest.raises(ValueError):
            N.to_decimal(bad)


def test_ratios_growth_cagr_on_published_figures():
    # 优优绿能: R&D / revenue, revenue growth and CAGR as published in reply 002
    rev = ["9897.80", "20980.79", "43056.88", "33089.35"]
    rd = ["766.85", "1120.29", "2149.00", "1812.81"]
    assert [N.fmt_pct(N.ratio(a, b)) for a, b in zip(rd, rev)] == ["7.75%", "5.34%", "4.99%", "5.48%"]
    assert N.fmt_pct(N.growth(rev[1], rev[0])) == "111.97%"
    assert N.fmt_pct(N.growth(rev[2], rev[1])) == "105.22%"
    assert N.fmt_pct(N.cagr(rev[0], rev[2], 2)) == "108.57%"


def test_missing_or_undefined_inputs_give_none_not_zero():
    assert N.ratio(None, 5) is None
    assert N.ratio(5, 0) is None
    assert N.growth(5, 0) is None
    assert N.growth(5, None) is None
    assert N.cagr(-1, 5, 2) is None
    assert N.cagr(1, 5, 0) is None
    assert N.average([None, None]) is None
    assert N.average([1, None, 2]) == Decimal("1.5")
    assert N.pp_change(None, 1) is None
    assert N.fmt_pct(None) == "-"
    assert N.fmt_amount(None, missing="【待补充】") == "【待补充】"


def test_growth_from_a_negative_base_uses_its_magnitude():
    assert N.growth(50, -100) == Decimal(150)
    assert N.growth(-50, 100) == Decimal(-150)


def test_formatting():
    assert N.fmt_amount(9897.8) == "9,897.80"
    assert N.fmt_amount("1234567.891") == "1,234,567.89"
    assert N.fmt_amount(Decimal("-0.004")) == "0.00"
    assert N.fmt_amount(-1234.5) == "-1,234.50"
    assert N.fmt_int(1046) == "1,046"
    assert N.fmt_pct(Decimal("7.7477")) == "7.75%"
    assert N.fmt_pp(Decimal("1.234")) == "增加1.23个百分点"
    assert N.fmt_pp(Decimal("-0.505")) == "减少0.51个百分点"
    assert N.fmt_pp(Decimal("0.004")) == "持平"
    assert N.fmt_pp_num(Decimal("-0.5")) == "-0.50"
    assert N.fmt_growth(Decimal("111.965")) == "增长111.97%"
    assert N.fmt_growth(-3.2) == "下降3.20%"
    assert N.fmt_times(Decimal("4.2377")) == "4.24"
    assert N.fmt_date(date(2026, 1, 20)) == "2026年1月20日"


def test_period_keys_and_labels():
    assert N.parse_period("2022") == (2022, 12)
    assert N.parse_period("2022H1") == (2022, 6)
    assert N.parse_period("2022Q3") == (2022, 9)
    assert N.parse_period("2022M10").months == 10
    for bad in ("2022H2", "22", "2022Q2", "2022M12", "FY2022", "2022-06"):
        with pytest.raises(ValueError):
            N.parse_period(bad)
    assert N.period_label("2022") == "2022年"
    assert N.period_label("2022H1") == "2022年1-6月"
    assert N.period_label("2022Q3") == "2022年1-9月"
    assert N.period_end_label("2022") == "2022年末"
    assert N.period_end_label("2022H1") == "2022年6月末"
    assert N.period_date_label("2022H1") == "2022年6月30日"
    assert N.period_date_label("2024") == "2024年12月31日"
    assert N.period_end_date("2024Q1") == date(2024, 3, 31)
    assert N.same_period_last_year("2022H1") == "2021H1"
    assert N.previous_year_end("2022H1") == "2021"
    assert N.periods_label(["2019", "2020", "2021", "2022H1"]) == "2019年、2020年、2021年和2022年1-6月"


@pytest.mark.parametrize(
    "label, key",
    [
        ("2022年", "2022"), ("2022年度", "2022"), ("2022年末", "2022"), ("2022年12月31日", "2022"),
        (2022, "2022"), ("2022H1", "2022H1"), ("2022年1-6月", "2022H1"), ("2022年6月末", "2022H1"),
        ("2022年6月30日", "2022H1"), ("2022-06-30", "2022H1"), (date(2022, 9, 30), "2022Q3"),
        ("2022年1-9月", "2022Q3"), ("2022年6月29日", None), ("营业收入", None), (None, None),
    ],
)
def test_period_from_label(label, key):
    assert N.period_from_label(label) == key


def test_jinja_filters_render_in_a_sandbox():
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment()
    env.filters.update(N.jinja_filters())
    t = env.from_string(
        "{{ a|amount }} {{ r|pct }} {{ d|pp }} {{ g|growth }} {{ k|period_label }} {{ k|period_end_label }} "
        "{{ k|period_date_label }} {{ none|pct }} {{ n|int }} {{ x|round }}"
    )
    out = t.render(a=Decimal("9897.8"), r=Decimal("7.7477"), d=1.234, g="111.965", k="2022H1", none=None,
                   n=1046, x="1.005")
    assert out == "9,897.80 7.75% 增加1.23个百分点 增长111.97% 2022年1-6月 2022年6月末 2022年6月30日 - 1,046 1.01"
    env2 = SandboxedEnvironment()
    env2.filters.update(N.jinja_filters(missing="【待补充】"))
    assert env2.from_string("{{ v|amount }}").render(v=None) == "【待补充】"


@given(st.decimals(min_value=-10**9, max_value=10**9, places=3, allow_nan=False, allow_infinity=False))
def test_half_up_matches_the_schoolbook_rule(d):
    r = N.round_half_up(d, 2)
    # schoolbook: add half a cent to the magnitude and truncate
    mag = (abs(d) * 100 + Decimal("0.5")).to_integral_value(rounding="ROUND_FLOOR") / 100
    assert abs(r) == mag
    assert N.fmt_amount(d).replace(",", "").lstrip("-") == f"{mag:.2f}"
