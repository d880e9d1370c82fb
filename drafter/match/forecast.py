"""Forecast the topics a letter is likely to raise, from the company's figures alone.

    forecast(profile, bank=None) -> list[ForecastTopic]      strongest first

Each bank topic may carry data triggers (Topic.triggers): a metric of
`drafter.company.metrics.metric_series`, a comparison, a threshold, and when it must hold (the latest
period, any period, every period). A topic is forecast when one of its triggers holds; the figures that
made it hold are listed in report form, e.g. "应收账款余额占营业收入比例 54.17%(2022年1-6月)".
"""
from __future__ import annotations

import operator
import re
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from .bank import Bank, load_bank
from .bank_schema import Trigger
from ..numbers import (fmt_amount, fmt_pct, fmt_times, is_period_key, parse_period, period_label, round_half_up,
                      to_decimal)

# How each metric reads in a reply (percent units unless listed in _TIMES or _PP).
METRIC_LABELS: dict[str, str] = {
    "revenue_growth": "营业收入增长率",
    "revenue_cagr": "营业收入年均复合增长率",
    "net_profit_growth": "净利润增长率",
    "gross_margin": "综合毛利率",
    "selling_expense_ratio": "销售费用率",
    "admin_expense_ratio": "管理费用率",
    "rd_expense_ratio": "研发费用率",
    "financial_expense_ratio": "财务费用率",
    "receivables_to_revenue": "应收账款余额占营业收入比例",
    "receivables_turnover": "应收账款周转率",
    "inventory_turnover": "存货周转率",
    "inventory_to_current_assets": "存货账面价值占流动资产比例",
    "debt_ratio": "资产负债率",
    "top5_customer_share": "前五大客户销售收入占营业收入比例",
    "top5_supplier_share": "前五大供应商采购金额占比",
    "export_share": "境外销售收入占比",
    "related_party_sales_share": "关联销售占营业收入比例",
    "peer_gross_margin_avg": "同行业可比公司平均毛利率",
    "gross_margin_vs_peers": "毛利率与同行业可比公司平均值之差",
    "peer_rd_ratio_avg": "同行业可比公司平均研发费用率",
    "rd_ratio_vs_peers": "研发费用率与同行业可比公司平均值之差",
    "peer_expense_ratio_avg": "同行业可比公司平均期间费用率",
    "peer_selling_expense_ratio_avg": "同行业可比公司平均销售费用率",
    "peer_admin_expense_ratio_avg": "同行业可比公司平均管理费用率",
    "peer_rd_expense_ratio_avg": "同行业可比公司平均研发费用率",
    "peer_financial_expense_ratio_avg": "同行业可比公司平均财务费用率",
    "operating_cash_to_net_profit": "经营活动现金流量净额占净利润比例",
    "financial_investment_to_net_assets_parent": "财务性投资占归属于母公司净资产比例",
    "bond_balance_to_net_assets": "累计债券余额占最近一期末净资产比例",
}
_TIMES = {"receivables_turnover", "inventory_turnover"}  # 次
_PP = {"gross_margin_vs_peers", "rd_ratio_vs_peers"}  # percentage points

_OPS = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}
_SPAN = re.compile(r"^(\d{4})\s*[-~至]\s*(\d{4})$")


class Figure(BaseModel):
    metric: str
    period: str  # period key ("2022H1") or span ("2019-2021")
    value: Decimal
    text: str  # "应收账款余额占营业收入比例 54.17%(2022年1-6月)"


class ForecastTopic(BaseModel):
    id: str
    name: str
    reason: str  # why regulators ask (the triggers' reasons, joined)
    figures: list[str] = Field(default_factory=list)  # the figures that trigger it, in report form
    triggers: list[Figure] = Field(default_factory=list)  # the same, machine-readable
    strength: float = 0.0  # how far past its thresholds (1.0 = just at one threshold); ranks the list


def _period_sort_key(key: str) -> tuple:
    m = _SPAN.match(key)
    if m:  # a span ends at its last year
        return (int(m.group(2)), 12, 1)
    if is_period_key(key):
        p = parse_period(key)
        return (p.year, p.months, 0)
    return (0, 0, 0)


def period_text(key: str) -> str:
    m = _SPAN.match(key)
    if m:
        return f"{m.group(1)}-{m.group(2)}年"
    if is_period_key(key):
        return period_label(key)
    return key


def _company_entry(metric: str) -> tuple[str, str] | None:
    try:
        from ..company.metrics import METRIC_LABELS as company_labels
    except ImportError:  # pragma: no cover
        return None
    return company_labels.get(metric)


def format_figure(metric: str, period: str, value: Decimal) -> str:
    """One figure in report form: name, value with unit, period in brackets."""
    entry = _company_entry(metric)
    label = METRIC_LABELS.get(metric) or (re.sub(r"\(.*?\)$", "", entry[0]) if entry else metric)
    kind = "times" if metric in _TIMES else "pp" if metric in _PP else entry[1] if entry else "pct"
    if kind == "pp" and label.endswith("之差") and "与" in label:
        # "研发费用率与同行业可比公司平均值之差 -0.52个百分点" reads as "研发费用率低于同行业可比公司平均值0.52个百分点"
        own, other = label[: -len("之差")].split("与", 1)
        r = round_half_up(value, 2)
        if r == 0:
            return f"{own}与{other}持平({period_text(period)})"
        word = "高于" if r > 0 else "低于"
        return f"{own}{word}{other}{fmt_pct(abs(r)).rstrip('%')}个百分点({period_text(period)})"
    if kind == "times":
        shown = f"{fmt_times(value)}次"
    elif kind == "pp":
        shown = f"{fmt_pct(value).rstrip('%')}个百分点"
    elif kind == "amount":
        shown = f"{fmt_amount(value)}万元"
    else:
        shown = fmt_pct(value)
    return f"{label} {shown}({period_text(period)})"


def _series(metrics: dict[str, dict[str, Any]], name: str) -> list[tuple[str, Decimal]]:
    raw = metrics.get(name) or {}
    out = []
    for k, v in raw.items():
        d = to_decimal(v) if v is not None else None
        if d is not None:
            out.append((str(k), d))
    out.sort(key=lambda kv: _period_sort_key(kv[0]))
    return out


def _fires(trig: Trigger, series: list[tuple[str, Decimal]]) -> list[tuple[str, Decimal]]:
    """The (period, value) pairs that make the trigger hold ([] when it does not)."""
    if not series:
        return []
    cmp = _OPS[trig.op]
    threshold = to_decimal(trig.value)
    if trig.when == "latest":
        k, v = series[-1]
        return [(k, v)] if cmp(v, threshold) else []
    hits = [(k, v) for k, v in series if cmp(v, threshold)]
    if trig.when == "all":
        return series if len(hits) == len(series) else []
    return hits  # any


def _strength(trig: Trigger, value: Decimal) -> float:
    """1 at the threshold, growing with the relative excess (capped, so one wild figure does not rule)."""
    t = float(trig.value)
    v = float(value)
    excess = (v - t) if trig.op in (">", ">=") else (t - v)
    return 1.0 + min(max(excess, 0.0) / max(abs(t), 10.0), 3.0)


def forecast(profile: Any, bank: Bank | None = None, metrics: dict | None = None) -> list[ForecastTopic]:
    """Topics a letter is likely to raise given the company's figures, strongest first.

    `metrics` (metric -> {period: value}) may be passed instead of being computed from `profile`
    with drafter.company.metrics.metric_series.
    """
    bank = bank or load_bank()
    if metrics is None:
        from ..company.metrics import metric_series

        metrics = metric_series(profile)
    out: list[ForecastTopic] = []
    for tid, topic in bank.topics.items():
        reasons: list[str] = []
        figs: list[Figure] = []
        strength = 0.0
        for trig in topic.triggers:
            hits = _fires(trig, _series(metrics, trig.metric))
            if not hits:
                continue
            if trig.reason not in reasons:
                reasons.append(trig.reason)
            for k, v in hits:
                if not any(f.metric == trig.metric and f.period == k for f in figs):
                    figs.append(Figure(metric=trig.metric, period=k, value=v, text=format_figure(trig.metric, k, v)))
            strength += max(_strength(trig, v) for _, v in hits)
        if figs:
            out.append(ForecastTopic(id=tid, name=topic.name, reason=";".join(r.rstrip("。;;") for r in reasons),
                                     figures=[f.text for f in figs], triggers=figs, strength=round(strength, 3)))
    out.sort(key=lambda f: (-f.strength, f.id))
    return out
