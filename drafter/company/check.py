"""`drafter data check`: the derived metrics a reviewer checks first, as text or JSON."""
from __future__ import annotations

import unicodedata
from typing import Any

from .. import numbers as N
from .metrics import METRIC_LABELS, consistency_problems, format_metric, metric_series, not_annualised

INTERIM_MARK = "(未年化)"
from .model import CompanyProfile

# shown first, in this order; every other per-period metric follows in METRIC_LABELS order
_FIRST = [
    "revenue_growth", "gross_margin", "main_business_gross_margin", "selling_expense_ratio",
    "admin_expense_ratio", "rd_expense_ratio", "financial_expense_ratio", "period_expense_ratio",
    "receivables_to_revenue", "debt_ratio",
]
_AMOUNTS = [("revenue", "营业收入(万元)"), ("net_profit", "净利润(万元)"),
            ("accounts_receivable_balance", "应收账款余额(万元)")]


# the metrics a reviewer expects first, with the financial items they need
_NEEDS = {
    "revenue_growth": ["revenue"],
    "gross_margin": ["revenue", "operating_cost"],
    "selling_expense_ratio": ["selling_expense", "revenue"],
    "admin_expense_ratio": ["admin_expense", "revenue"],
    "rd_expense_ratio": ["rd_expense", "revenue"],
    "financial_expense_ratio": ["financial_expense", "revenue"],
    "receivables_to_revenue": ["accounts_receivable_balance", "revenue"],
    "debt_ratio": ["total_liabilities", "total_assets"],
}


def missing_inputs(profile: CompanyProfile, series: dict) -> list[str]:
    """One line per first-look metric that could not be computed at all, naming what is missing."""
    from .model import FINANCIAL_LABELS

    out = []
    for name, items in _NEEDS.items():
        if name in series:
            continue
        absent = [f"{FINANCIAL_LABELS[i]}({i})" for i in items if not profile.series(i)]
        label = METRIC_LABELS[name][0]
        if absent:
            out.append(f"{label}: 缺少 {'、'.join(absent)}")
        elif name == "revenue_growth":
            out.append(f"{label}: 没有上年同期数据(最近一期增长需声明 comparative: true 的上年同期)")
    latest = profile.latest
    if profile.investments and "financial_investment_to_net_assets_parent" not in series:
        out.append(f"{METRIC_LABELS['financial_investment_to_net_assets_parent'][0]}: "
                   f"缺少 {N.period_end_label(latest)}归属于母公司所有者权益合计(net_assets_parent)")
    off = profile.offering
    if off is not None and "bond_balance_to_net_assets" not in series:
        gaps = []
        if off.bonds_outstanding is None:
            gaps.append("offering.bonds_outstanding")
        from .metrics import item_value

        if item_value(profile, "net_assets", latest) is None:
            gaps.append(f"{N.period_end_label(latest)}所有者权益合计(net_assets)")
        out.append(f"{METRIC_LABELS['bond_balance_to_net_assets'][0]}: 缺少 {'、'.join(gaps)}")
    return out


def check_report(profile: CompanyProfile, source: str = "") -> dict[str, Any]:
    """Everything `data check` shows, as plain JSON-ready data (values rounded half-up, as strings)."""
    series = metric_series(profile)
    keys = profile.period_keys
    metrics: dict[str, Any] = {}
    order = [m for m in _FIRST if m in series] + [m for m in METRIC_LABELS if m in series and m not in _FIRST]
    order += [m for m in series if m not in order]
    for name in order:
        label, kind = METRIC_LABELS.get(name, (name, "pct"))
        metrics[name] = {
            "label": label,
            "kind": kind,
            "values": {k: str(N.round_half_up(v, 2)) for k, v in series[name].items()},
        }
        interim = [k for k in series[name] if not_annualised(name, k)]
        if interim:
            metrics[name]["not_annualised"] = interim  # interim flow against a period-end balance
    return {
        "file": source,
        "company": profile.company.name,
        "short_name": profile.company.short_name,
        "unit": "万元",
        "source_unit": profile.source_unit or "万元",
        "periods": keys,
        "comparative_periods": [p.key for p in profile.periods if p.comparative],
        "amounts": {
            item: {k: str(N.round_half_up(v, 2)) for k, v in profile.series(item).items()}
            for item, _ in _AMOUNTS if profile.series(item)
        },
        "metrics": metrics,
        "warnings": list(checks := consistency_problems(profile)) + fraction_warnings(profile, series),
        "checks_made": getattr(checks, "made", 0),
        "not_computed": missing_inputs(profile, series),
        "_series": series,
    }


def _w(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, width: int, right: bool = True) -> str:
    gap = " " * max(0, width - _w(s))
    return gap + s if right else s + gap


def format_check(report: dict[str, Any], profile: CompanyProfile) -> str:
    """The text `data check` prints: a table of metrics by period, spans, latest-period tests, warnings."""
    series = report["_series"]
    keys = report["periods"]
    lines = [f"{report['company']}({report['short_name']})  {report['file']}".rstrip()]
    comp = report["comparative_periods"]
    unit_note = "" if report["source_unit"] == "万元" else f"(文件单位{report['source_unit']},已换算)"
    lines.append(
        f"报告期: {N.periods_label(keys)}"
        + (f"; 比较期: {'、'.join(N.period_label(k) for k in comp)}" if comp else "")
        + f"; 金额单位: 万元{unit_note}"
    )
    lines.append("")
    rows: list[list[str]] = []
    for item, label in _AMOUNTS:
        s = profile.series(item)
        if s:
            rows.append([label, *[N.fmt_amount(s.get(k)) for k in keys]])
    spans: list[str] = []
    single: list[str] = []
    for name, m in report["metrics"].items():
        if name == "peer_rd_expense_ratio_avg":  # an alias of peer_rd_ratio_avg
            continue
        vals = series[name]
        if all(N.is_period_key(k) and k in keys for k in vals):
            if len(vals) == 1 and name in ("financial_investment_to_net_assets_parent", "bond_balance_to_net_assets",
                                           "debt_ratio_after_issue", "debt_ratio_after_conversion"):
                (k, v), = vals.items()
                single.append(f"  {m['label']}({N.period_date_label(k)}): {format_metric(name, v)}")
                continue
            rows.append([m["label"], *[format_metric(name, vals.get(k))
                                       + (INTERIM_MARK if vals.get(k) is not None and not_annualised(name, k) else "")
                                       for k in keys]])
        else:
            for span, v in vals.items():
                if "-" in span and all(N.is_period_key(x) for x in span.split("-")):
                    a, b = span.split("-")
                    span_label = f"{N.period_label(a)}至{N.period_label(b)}"
                else:
                    span_label = {"term": "存续期", "total": "合计"}.get(span, span)
                shown = format_metric(name, v) + ("万元" if m["kind"] == "amount" else "")
                spans.append(f"  {m['label']}({span_label}): {shown}")
    header = ["指标", *[N.period_label(k) for k in keys]]
    widths = [max(_w(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines.append("  ".join(_pad(h, widths[i], right=i > 0) for i, h in enumerate(header)))
    for r in rows:
        lines.append("  ".join(_pad(c, widths[i], right=i > 0) for i, c in enumerate(r)))
    if spans:
        lines += ["", "区间指标:", *spans]
    if single:
        lines += ["", "最近一期末:", *single]
    lines.append("")
    if report["not_computed"]:
        lines.append("未计算:")
        lines += [f"  {x}" for x in report["not_computed"]]
        lines.append("")
    warnings = report["warnings"]
    if warnings:
        lines.append(f"核对: {len(warnings)} 处需要核实(明细与财务数据不一致, 或数值的单位可疑):")
        lines += [f"  {w}" for w in warnings]
    elif not report.get("checks_made", 1):
        lines.append("核对: 没有可相互核对的明细与财务数据(未做核对)。")
    else:
        lines.append(f"核对: 各明细合计与财务数据一致({report['checks_made']} 项)。")
    return "\n".join(lines)


def issuer_mismatch(issuer: str | None, profile: CompanyProfile) -> str | None:
    """A message when the letter's issuer is plainly another company than the profile's, else None.

    Drafting or planning a reply with another company's figures is the costliest slip there is; the
    comparison is lenient (spaces ignored; full name, short name or stock name found either way round).
    """
    def norm(s: str | None) -> str:
        return "".join((s or "").split())

    letter = norm(issuer)
    c = profile.company
    names = [n for n in (norm(c.name), norm(c.short_name), norm(getattr(c, "stock_name", None))) if n]
    if not letter or not names:
        return None
    if any(n in letter or letter in n for n in names):
        return None
    return f"the letter concerns {issuer} but the company data is for {c.name}: is this the right company file?"


def fraction_warnings(profile: CompanyProfile, series: dict) -> list[str]:
    """Peers' percentages that look typed as fractions (0.3012 for 30.12%) next to the company's own
    figure: a 100-times error that would pass every other check."""
    from .model import PEER_METRICS

    out = []
    for peer in profile.peers:
        for name, values in peer.metrics.items():
            if not PEER_METRICS.get(name, "").endswith("(%)") or not values:
                continue
            own = series.get(name) or {}
            odd = [(k, v) for k, v in values.items()
                   if v != 0 and abs(v) < 1 and own.get(k) is not None and abs(own[k]) >= 5]
            if odd:
                shown = ", ".join(f"{N.period_label(k)} {v}" for k, v in odd[:3])
                out.append(f"可比公司 {peer.name} {PEER_METRICS[name]}: {shown} 像是小数形式(本公司同期 "
                           f"{N.fmt_pct(own[odd[0][0]])}); 百分比按百分数填写(30.12 表示 30.12%)")
    return out


def letter_vs_company(meta, profile: CompanyProfile) -> list[str]:
    """Warnings, one line each, where the letter and the company file disagree on what the draft
    says (the draft takes the letter's facts), or where the letter is silent and the file is used."""
    out: list[str] = []
    c = profile.company
    if not meta.issuer:
        out.append(f"the letter names no issuer: the draft uses the company file's name ({c.name}); check it")
    if meta.exchange and c.exchange and meta.form in (None, "offering") and meta.exchange != c.exchange \
            and not meta.exchange.startswith(("中国证", "全国中小")):
        out.append(f"the letter is from {meta.exchange} but the company file says {c.exchange}: the draft follows the letter")
    board = getattr(c, "board", None)
    if meta.board and board and meta.board != board:
        out.append(f"the letter is for {meta.board} but the company file says {board}: the draft follows the letter")
    kind = profile.offering.kind if profile.offering else None
    if meta.offering_kind and kind and meta.offering_kind not in kind and kind not in meta.offering_kind:
        out.append(f"the letter concerns {meta.offering_kind} but the company file's offering is {kind}: "
                   "the draft follows the letter")
    if not meta.offering_kind and kind and (meta.form in (None, "offering", "csrc")):
        out.append(f"the letter names no offering: the draft uses the company file's ({kind}); check it")
    return out
