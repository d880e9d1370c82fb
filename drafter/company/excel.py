"""The company workbook: one sheet per block, Chinese headers, financials as items × periods.

``write_xlsx(profile, path)`` writes a workbook; ``load_xlsx(path)`` reads one back into the same
CompanyProfile (every problem reported with its sheet and cell). Sheets:

======================  =========================================================================
基本信息                 项目 | 值 | 代码 — the issuer, unit, sponsor / auditor / law firm and signers
本次发行                 项目 | 值 | 代码 — offering kind, amount, dates, bonds outstanding, coupons
报告期                   期间 | 期末日 | 比较期(是/否)
财务数据                 项目 | 代码 | one column per period (2023年, 2026年1-6月 …); blank = not given
收入构成                 维度(产品/地区/渠道) | 名称 | 指标(收入/成本/销量) | 单位 | 外销 | periods
前五大客户 / 前五大供应商  期间 | 排名 | 名称 | 金额 | 内容 | 关联方 | 备注
可比公司                 公司名称 | 证券代码 | 可比业务 | 指标 | periods
研发                     类型(研发人员数量/研发费用明细/资本化金额) | 名称 | periods
员工                     人员类别 | 指标(人数/薪酬总额/人均薪酬) | periods
应收账款                 项目(账龄/坏账准备/逾期金额/期后回款) | 明细 | periods
存货                     项目(账面余额/跌价准备/库龄) | 名称 | periods
固定资产                 类别 | 指标(原值/累计折旧/减值准备/账面价值) | periods
财务性投资               科目 | 账面价值 | 财务性投资金额 | 说明
募投项目 / 募投项目明细   project lines; detail lines (项目名称 | 明细 | 金额 | 拟使用募集资金 | 资本性支出)
分红                     年度 | 现金分红 | 每10股派息(元) | 实施日期 | 备注
审计截止日后             项目 | 代码 | <current period> | <same period last year>
股权演变, 股东情况 …      issue 14's record blocks, one row per record (drafter.company.sheets):
                         fixed columns, then one column per period per series (金额(2025年))
知识产权 / 前次募集资金   项目 | 值 | 代码; 前次募投项目: one row per project
其他事项                 键 | 值 (free-form facts; a list is written as [a, b])
======================  =========================================================================

The 说明 sheet (instructions) is ignored on reading. Sheets may be left out; rows may be reordered.
"""
from __future__ import annotations

import datetime as _dt
import re
import warnings
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import numbers as N
from ..errors import UserError, UserErrors
from .cells import BLANK, NO, YES, _blank, _cell, _yes_no  # noqa: F401  (re-exported)
from .load import Loc, profile_from_data
from .model import FINANCIAL_ITEMS, FINANCIAL_LABELS, PEER_METRICS, CompanyProfile

# --------------------------------------------------------------------------- sheet vocabulary

KV_COMPANY: list[tuple[str, str, str]] = [  # (label, dotted path, kind)
    ("公司全称", "company.name", "text"),
    ("公司简称", "company.short_name", "text"),
    ("交易所", "company.exchange", "text"),
    ("板块", "company.board", "text"),
    ("股票代码", "company.stock_code", "text"),
    ("证券简称", "company.stock_name", "text"),
    ("法定代表人", "company.legal_representative", "text"),
    ("董事长", "company.chairman", "text"),
    ("住所", "company.address", "text"),
    ("所属行业", "company.industry", "text"),
    ("主营业务", "company.main_business", "text"),
    ("金额单位", "unit", "text"),
    ("保荐人名称", "sponsor.name", "text"),
    ("保荐人称谓", "sponsor.role", "text"),
    ("保荐人地址", "sponsor.address", "text"),
    ("保荐代表人", "sponsor.representatives", "list"),
    ("项目协办人", "sponsor.project_assistant", "text"),
    ("保荐人法定代表人", "sponsor.legal_representative", "text"),
    ("保荐人董事长", "sponsor.chairman", "text"),
    ("保荐人总经理", "sponsor.general_manager", "text"),
    ("申报会计师", "auditor.name", "text"),
    ("签字注册会计师", "auditor.signers", "list"),
    ("会计师事务所负责人", "auditor.head", "text"),
    ("会计师事务所地址", "auditor.address", "text"),
    ("发行人律师", "law_firm.name", "text"),
    ("经办律师", "law_firm.signers", "list"),
    ("律师事务所负责人", "law_firm.head", "text"),
    ("律师事务所地址", "law_firm.address", "text"),
    ("期后回款统计截止日", "receivables.collected_until", "date"),
    ("期后期间说明", "post_period.label", "text"),
    ("期后数据是否经审阅", "post_period.reviewed", "bool"),
    ("期后数据备注", "post_period.note", "text"),
]
KV_OFFERING: list[tuple[str, str, str]] = [
    ("发行类型", "offering.kind", "text"),
    ("发行规模(万元)", "offering.amount", "money"),
    ("董事会决议日", "offering.board_resolution_date", "date"),
    ("股东大会决议日", "offering.shareholder_meeting_date", "date"),
    ("累计债券余额(万元,不含本次)", "offering.bonds_outstanding", "money"),
    ("票面利率(%,逐年)", "offering.coupon_rates", "numbers"),
    ("期限(年)", "offering.term_years", "count"),
    ("已扣除的财务性投资(万元)", "offering.deducted_financial_investment", "money"),
    ("备注", "offering.note", "text"),
]
DIMENSIONS = {"产品": "product", "地区": "region", "渠道": "channel"}
BREAKDOWN_MEASURES = {"收入": "revenue", "成本": "cost", "销量": "quantity"}
EMPLOYEE_MEASURES = {"人数": "headcount", "薪酬总额": "total_pay", "人均薪酬": "average_pay"}
FIXED_MEASURES = {"原值": "cost", "累计折旧": "accumulated_depreciation", "减值准备": "impairment",
                  "账面价值": "book_value"}
RD_TYPES = {"研发人员数量": "staff", "研发费用明细": "expense_items", "资本化金额": "capitalized"}
AR_TYPES = {"账龄": "aging", "坏账准备": "allowance", "逾期金额": "overdue", "期后回款": "collected_after"}
INV_TYPES = {"账面余额": "balance", "跌价准备": "provision", "库龄": "aging"}
PEER_LABELS = {lab: k for k, lab in PEER_METRICS.items()}

AMOUNT_FMT = "#,##0.00"
PCT_FMT = "0.00"
COUNT_FMT = "#,##0"


def _inv(d: dict[str, str]) -> dict[str, str]:
    return {v: k for k, v in d.items()}


# --------------------------------------------------------------------------- writing


def write_xlsx(profile: CompanyProfile, path: str | Path) -> None:
    """Write `profile` as a company workbook at `path` (overwrites: callers use output.write_atomic)."""
    from openpyxl import Workbook

    wb = Workbook()
    w = _Writer(wb)
    p = profile
    data = p.model_dump(mode="python", exclude_none=False)
    periods = [x.key for x in p.periods]

    w.readme()
    w.kv("基本信息", KV_COMPANY, data)
    w.kv("本次发行", KV_OFFERING, data)
    ws = w.sheet("报告期", ["期间", "期末日", "比较期"])
    for per in p.periods:
        w.row(ws, [N.period_label(per.key), per.end, "是" if per.comparative else "否"], ["", "date", ""])

    fin_periods = periods
    ws = w.sheet("财务数据", ["项目", "代码", *[N.period_label(k) for k in fin_periods]])
    for key, (label, _signed, _kind) in FINANCIAL_ITEMS.items():
        s = getattr(p.financials, key)
        w.row(ws, [label, key, *[s.get(k) for k in fin_periods]], ["", "", *["money"] * len(fin_periods)])

    ws = w.sheet("收入构成", ["维度", "名称", "指标", "单位", "外销", *[N.period_label(k) for k in periods]])
    for dim_label, dim in DIMENSIONS.items():
        for it in getattr(p.revenue_breakdown, dim):
            for m_label, m in BREAKDOWN_MEASURES.items():
                s = getattr(it, m)
                if not s and m == "quantity":
                    continue
                export = "" if it.export is None else ("是" if it.export else "否")
                w.row(ws, [dim_label, it.name, m_label, it.unit if m == "quantity" else None, export,
                           *[s.get(k) for k in periods]],
                      ["", "", "", "", "", *(["count" if m == "quantity" else "money"] * len(periods))])

    for title, block, who in (("前五大客户", p.customers, "客户"), ("前五大供应商", p.suppliers, "供应商")):
        money = "销售金额" if who == "客户" else "采购金额"
        content = "销售内容" if who == "客户" else "采购内容"
        ws = w.sheet(title, ["期间", "排名", f"{who}名称", money, content, "关联方", "备注"])
        for k, rows in block.items():
            for c in rows:
                w.row(ws, [N.period_label(k), c.rank, c.name, c.amount, c.content, "是" if c.related_party else "否",
                           c.note], ["", "count", "", "money", "", "", ""])

    ws = w.sheet("可比公司", ["公司名称", "证券代码", "可比业务", "指标", *[N.period_label(k) for k in periods]])
    for peer in p.peers:
        for m, s in peer.metrics.items():
            w.row(ws, [peer.name, peer.code, peer.business, PEER_METRICS[m], *[s.get(k) for k in periods]],
                  ["", "", "", "", *(["count" if m == "rd_staff" else "pct"] * len(periods))])

    ws = w.sheet("研发", ["类型", "名称", *[N.period_label(k) for k in periods]])
    if p.rd.staff:
        w.row(ws, ["研发人员数量", "研发人员", *[p.rd.staff.get(k) for k in periods]], ["", "", *["count"] * len(periods)])
    for it in p.rd.expense_items:
        w.row(ws, ["研发费用明细", it.name, *[it.amounts.get(k) for k in periods]], ["", "", *["money"] * len(periods)])
    if p.rd.capitalized:
        w.row(ws, ["资本化金额", "资本化研发投入", *[p.rd.capitalized.get(k) for k in periods]],
              ["", "", *["money"] * len(periods)])

    ws = w.sheet("员工", ["人员类别", "指标", *[N.period_label(k) for k in periods]])
    for g in p.employees:
        for m_label, m in EMPLOYEE_MEASURES.items():
            s = getattr(g, m)
            if s or m == "headcount":
                w.row(ws, [g.function, m_label, *[s.get(k) for k in periods]],
                      ["", "", *(["count" if m == "headcount" else "money"] * len(periods))])

    ws = w.sheet("应收账款", ["项目", "明细", *[N.period_end_label(k) for k in periods]])
    r = p.receivables
    for b in r.aging:
        w.row(ws, ["账龄", b.name, *[b.balance.get(k) for k in periods]], ["", "", *["money"] * len(periods)])
    for lab, attr in AR_TYPES.items():
        if attr != "aging" and getattr(r, attr):
            s = getattr(r, attr)
            w.row(ws, [lab, None, *[s.get(k) for k in periods]], ["", "", *["money"] * len(periods)])

    ws = w.sheet("存货", ["项目", "名称", *[N.period_end_label(k) for k in periods]])
    for c in p.inventory.categories:
        w.row(ws, ["账面余额", c.name, *[c.balance.get(k) for k in periods]], ["", "", *["money"] * len(periods)])
        if c.provision:
            w.row(ws, ["跌价准备", c.name, *[c.provision.get(k) for k in periods]], ["", "", *["money"] * len(periods)])
    for b in p.inventory.aging:
        w.row(ws, ["库龄", b.name, *[b.balance.get(k) for k in periods]], ["", "", *["money"] * len(periods)])

    ws = w.sheet("固定资产", ["类别", "指标", *[N.period_end_label(k) for k in periods]])
    for fa in p.fixed_assets:
        for lab, attr in FIXED_MEASURES.items():
            s = getattr(fa, attr)
            if s:
                w.row(ws, [fa.name, lab, *[s.get(k) for k in periods]], ["", "", *["money"] * len(periods)])

    ws = w.sheet("财务性投资", ["科目", "账面价值", "财务性投资金额", "说明"])
    for inv in p.investments:
        w.row(ws, [inv.account, inv.book_value, inv.financial_amount, inv.note], ["", "money", "money", ""])

    ws = w.sheet("募投项目", ["项目名称", "投资总额", "拟使用募集资金", "资本性支出", "非资本性支出", "内部收益率(%)",
                            "静态回收期(年)", "建设期(年)", "备注"])
    for pr in p.projects:
        w.row(ws, [pr.name, pr.total_investment, pr.proceeds, pr.capex, pr.non_capex, pr.irr, pr.payback_years,
                   pr.construction_years, pr.note], ["", "money", "money", "money", "money", "pct", "pct", "pct", ""])
    ws = w.sheet("募投项目明细", ["项目名称", "明细", "金额", "拟使用募集资金", "资本性支出"])
    for pr in p.projects:
        for it in pr.items:
            w.row(ws, [pr.name, it.name, it.amount, it.proceeds, "是" if it.capex else "否"],
                  ["", "", "money", "money", ""])

    ws = w.sheet("分红", ["年度", "现金分红", "每10股派息(元)", "实施日期", "备注"])
    for dv in p.dividends:
        w.row(ws, [N.period_label(dv.year), dv.cash, dv.per_10_shares, dv.paid_on, dv.note],
              ["", "money", "number4", "date", ""])

    pp = p.post_period
    if pp is not None:
        ws = w.sheet("审计截止日后", ["项目", "代码", N.period_label(pp.key), N.period_label(pp.comparative_key)])
        for key, s in pp.financials.items():
            w.row(ws, [FINANCIAL_LABELS[key], key, s.get(pp.key), s.get(pp.comparative_key)], ["", "", "money", "money"])

    from .sheets import write_records

    write_records(w, p)  # issue 14's record blocks: 股权演变, 关联交易, 货币资金明细 … (drafter.company.sheets)

    ws = w.sheet("其他事项", ["键", "值"])
    for k, v in p.facts.items():
        w.row(ws, [k, _fact_cell(v)], ["", "date" if isinstance(v, _dt.date) else ""])
    w.finish()
    wb.save(str(path))


def _fact_cell(v: Any) -> Any:
    if isinstance(v, (list, dict)):
        import yaml

        return yaml.safe_dump(_plain(v), allow_unicode=True, default_flow_style=True, width=10_000).strip()
    if isinstance(v, bool):
        return "是" if v else "否"
    return v


def _plain(v: Any) -> Any:
    if isinstance(v, Decimal):
        return float(v) if v != v.to_integral_value() else int(v)
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


class _Writer:
    def __init__(self, wb) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill

        self.wb = wb
        self.bold = Font(bold=True)
        self.grey = Font(color="808080")
        self.fill = PatternFill("solid", fgColor="DDEBF7")
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.widths: dict[str, dict[int, int]] = {}

    def readme(self) -> None:
        ws = self.wb.active
        ws.title = "说明"
        lines = [
            "drafter 公司数据工作簿",
            "金额单位:万元(如在“基本信息”中将金额单位填为“元”,读取时统一换算为万元);百分比按百分数填写(7.75表示7.75%)。",
            "期间列标题写作 2023年、2026年1-6月(余额类可写 2023年末、2026年6月30日);报告期及比较期在“报告期”表中声明。",
            "比较期:上年同期(如2025年1-6月,用于计算最近一期增长率)或报告期首年之前的年末(用于计算周转率的期初余额)。",
            "空白单元格表示未提供,不会按0处理。“代码”列供程序识别,请勿修改;可删除不需要的行或整张表。",
            "各明细表(收入构成、研发费用明细、应收账款账龄、存货、固定资产)合计应与“财务数据”一致,drafter data check 会逐项核对。",
        ]
        for i, line in enumerate(lines, 1):
            c = ws.cell(row=i, column=1, value=line)
            if i == 1:
                c.font = self.bold
        ws.column_dimensions["A"].width = 110

    def sheet(self, title: str, headers: list[str]):
        ws = self.wb.create_sheet(title)
        from openpyxl.styles import Alignment

        for j, h in enumerate(headers, 1):
            c = ws.cell(row=1, column=j, value=h)
            c.font = self.bold
            c.fill = self.fill
            if N.period_from_label(h) is not None:
                c.alignment = Alignment(horizontal="right")
        ws.freeze_panes = "B2" if title not in ("其他事项",) else "A2"
        self.widths[title] = {j: max(8, _width(h)) for j, h in enumerate(headers, 1)}
        return ws

    def kv(self, title: str, spec: list[tuple[str, str, str]], data: dict) -> None:
        ws = self.sheet(title, ["项目", "值", "代码"])
        for label, path, kind in spec:
            v = _get_path(data, path)
            if kind == "list" and v is not None:
                v = "、".join(str(x) for x in v) if v else None
            elif kind == "numbers" and v is not None:
                v = "、".join(f"{x}" for x in v) if v else None
            elif kind == "bool" and v is not None:
                v = "是" if v else "否"
            fmt = {"money": "money", "date": "date", "count": "count"}.get(kind, "")
            self.row(ws, [label, v, path], ["", fmt, ""])
            ws.cell(row=ws.max_row, column=3).font = self.grey

    def row(self, ws, values: list[Any], formats: list[str]) -> None:
        r = ws.max_row + 1
        widths = self.widths[ws.title]
        for j, (v, f) in enumerate(zip(values, formats), 1):
            if v is None:
                continue
            c = ws.cell(row=r, column=j, value=v)
            if f == "money":
                c.number_format = AMOUNT_FMT
            elif f == "pct":
                c.number_format = PCT_FMT
            elif f == "number4":
                c.number_format = "0.0000"
            elif f == "count":
                c.number_format = COUNT_FMT
            elif f == "date":
                c.number_format = "yyyy-mm-dd"
            widths[j] = min(60, max(widths.get(j, 8), _width(v)))
        if ws.title == "财务数据":
            ws.cell(row=r, column=2).font = self.grey

    def finish(self) -> None:
        from openpyxl.utils import get_column_letter

        for title, widths in self.widths.items():
            ws = self.wb[title]
            for j, wd in widths.items():
                ws.column_dimensions[get_column_letter(j)].width = min(wd, 40) + 2
            # print: landscape, all columns on one page width
            ws.page_setup.orientation = "landscape"
            ws.sheet_properties.pageSetUpPr.fitToPage = True
            ws.page_setup.fitToWidth = 1
            ws.page_setup.fitToHeight = 0
            ws.print_title_rows = "1:1"


def _width(v: Any) -> int:
    s = N.fmt_amount(v) if isinstance(v, Decimal) else str(v)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def _get_path(data: dict, path: str) -> Any:
    cur: Any = data
    for part in path.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur


# --------------------------------------------------------------------------- reading


class _Reader:
    """Builds the plain data dict from the workbook, remembering each value's cell."""

    def __init__(self, wb, file: str) -> None:
        self.wb = wb
        self.file = file
        self.places: dict[Loc, str] = {}
        self.problems: list[UserError] = []
        self.data: dict[str, Any] = {}

    # -- places
    def place(self, loc: Loc, ws, row: int | None = None, col: int | None = None, what: str = "") -> None:
        from openpyxl.utils import get_column_letter

        if row is None:
            text = f"sheet {ws.title}"
        elif col is None:
            text = f"sheet {ws.title}, row {row}"
        else:
            text = f"sheet {ws.title}, cell {get_column_letter(col)}{row}"
        if what:
            text += f" ({what})"
        self.places.setdefault(loc, text)

    def locate(self, loc: Loc) -> str | None:
        for n in range(len(loc), -1, -1):
            if loc[:n] in self.places:
                return self.places[loc[:n]]
        return None

    def problem(self, ws, row: int | None, col: int | None, msg: str) -> None:
        from openpyxl.utils import get_column_letter

        place = f"sheet {ws.title}"
        if row is not None:
            place += f", cell {get_column_letter(col)}{row}" if col else f", row {row}"
        self.problems.append(UserError(msg, file=self.file, place=place))

    # -- tables
    def table(self, title: str, fixed: list[str], periods: bool):
        """Rows of a sheet: (row number, {fixed header: (value, col)}, {period key: (value, col)})."""
        if title not in self.wb.sheetnames:
            return None, []
        ws = self.wb[title]
        header = [c.value for c in next(ws.iter_rows(min_row=1, max_row=1), ())]
        cols: dict[str, int] = {}
        pcols: dict[int, str] = {}
        for j, h in enumerate(header, 1):
            if h is None or (isinstance(h, str) and not h.strip()):
                continue
            hs = str(h).strip()
            if hs in fixed:
                cols[hs] = j
            elif periods:
                key = N.period_from_label(h)
                if key is None:
                    self.problem(ws, 1, j, f"column header {hs!r} is not a period (expected e.g. 2023年, 2026年1-6月, 2026年6月末)")
                elif key in pcols.values():
                    self.problem(ws, 1, j, f"period {N.period_label(key)} has two columns")
                else:
                    pcols[j] = key
            else:
                self.problem(ws, 1, j, f"unknown column {hs!r}; expected {', '.join(fixed)}")
        missing = [h for h in fixed[:1] if h not in cols]
        if missing:
            self.problem(ws, 1, None, f"missing column {missing[0]!r}")
            return ws, []
        rows = []
        for r, values in enumerate(ws.iter_rows(min_row=2, values_only=True), 2):
            if all(_blank(v) for v in values):
                continue
            fx = {h: (_cell(values[j - 1]) if j - 1 < len(values) else None, j) for h, j in cols.items()}
            pv = {}
            for j, key in pcols.items():
                v = _cell(values[j - 1]) if j - 1 < len(values) else None
                if not _blank(v):
                    pv[key] = (v, j)
            rows.append((r, fx, pv))
        return ws, rows

    def series(self, ws, r: int, pv: dict, loc: Loc, what: str) -> dict:
        out = {}
        for key, (v, j) in pv.items():
            out[key] = v
            self.place((*loc, key), ws, r, j, f"{what}, {N.period_label(key)}")
        self.place(loc, ws, r, None, what)
        return out

    def kv(self, title: str, spec: list[tuple[str, str, str]]) -> None:
        if title not in self.wb.sheetnames:
            return
        ws = self.wb[title]
        by_path = {path: (label, kind) for label, path, kind in spec}
        by_label = {label: path for label, path, _ in spec}
        for label, path, _ in spec:  # places for missing required fields: the row or the sheet
            self.place(tuple(path.split(".")[:1]), ws)
        for r, values in enumerate(ws.iter_rows(min_row=2, values_only=True), 2):
            values = list(values) + [None] * 3
            label, value, code = (_cell(values[0]), _cell(values[1]), _cell(values[2]))
            if _blank(label) and _blank(code):
                continue
            path = str(code).strip() if not _blank(code) else by_label.get(str(label).strip())
            if path not in by_path:
                self.problem(ws, r, 1, f"unknown item {label!r}; expected one of {', '.join(by_label)}")
                continue
            loc = tuple(path.split("."))
            self.place(loc, ws, r, 2, by_path[path][0])
            if _blank(value):
                continue
            kind = by_path[path][1]
            if kind in ("list", "numbers"):
                value = [x.strip() for x in str(value).replace("，", "、").replace(",", "、").replace(";", "、").split("、") if x.strip()]
            elif kind == "bool":
                value = _yes_no(value, lambda m: self.problem(ws, r, 2, m))
            _set_path(self.data, loc, value)

    # -- the blocks
    def read(self) -> dict[str, Any]:
        d = self.data
        self.kv("基本信息", KV_COMPANY)
        self.kv("本次发行", KV_OFFERING)
        self._periods()
        self._financials()
        self._breakdown()
        self._counterparties("前五大客户", "customers", "客户名称", "销售金额", "销售内容")
        self._counterparties("前五大供应商", "suppliers", "供应商名称", "采购金额", "采购内容")
        self._peers()
        self._rd()
        self._employees()
        self._receivables()
        self._inventory()
        self._fixed_assets()
        self._investments()
        self._projects()
        self._dividends()
        self._post_period()
        from .sheets import read_records

        read_records(self)
        self._facts()
        return d

    def _periods(self) -> None:
        ws, rows = self.table("报告期", ["期间", "期末日", "比较期"], periods=False)
        if ws is None:
            return
        out = []
        self.place(("periods",), ws)
        for i, (r, fx, _) in enumerate(rows):
            label, c = fx["期间"]
            key = N.period_from_label(label)
            if key is None:
                self.problem(ws, r, c, f"expected a period like 2023 or 2026年1-6月, got {label!r}")
                continue
            item: dict[str, Any] = {"key": key}
            self.place(("periods", len(out)), ws, r, None, N.period_label(key))
            end = fx.get("期末日", (None, 0))[0]
            if not _blank(end):
                item["end"] = end
                self.place(("periods", len(out), "end"), ws, r, fx["期末日"][1])
            comp = fx.get("比较期", (None, 0))
            if not _blank(comp[0]):
                item["comparative"] = _yes_no(comp[0], lambda m: self.problem(ws, r, comp[1], m))
            out.append(item)
        self.data["periods"] = out

    def _financials(self) -> None:
        ws, rows = self.table("财务数据", ["项目", "代码"], periods=True)
        if ws is None:
            return
        by_label = {lab: k for k, lab in FINANCIAL_LABELS.items()}
        fin: dict[str, Any] = {}
        self.place(("financials",), ws)
        for r, fx, pv in rows:
            code = fx.get("代码", (None, 0))[0]
            label = fx["项目"][0]
            key = str(code).strip() if not _blank(code) else by_label.get(str(label).strip(), str(label).strip())
            if not pv:
                continue
            if key in fin:
                self.problem(ws, r, 1, f"item {label or key!r} appears twice")
                continue
            fin[key] = self.series(ws, r, pv, ("financials", key), str(label or key))
        self.data["financials"] = fin

    def _breakdown(self) -> None:
        ws, rows = self.table("收入构成", ["维度", "名称", "指标", "单位", "外销"], periods=True)
        if ws is None:
            return
        out: dict[str, list] = {}
        index: dict[tuple[str, str], dict] = {}
        for r, fx, pv in rows:
            dim_label, c1 = fx["维度"]
            dim = DIMENSIONS.get(str(dim_label).strip()) if not _blank(dim_label) else None
            if dim is None:
                self.problem(ws, r, c1, f"expected 维度 产品, 地区 or 渠道, got {dim_label!r}")
                continue
            name = fx.get("名称", (None, 0))[0]
            m_label, c3 = fx.get("指标", (None, 3))
            m = BREAKDOWN_MEASURES.get(str(m_label).strip()) if not _blank(m_label) else None
            if m is None:
                self.problem(ws, r, c3, f"expected 指标 收入, 成本 or 销量, got {m_label!r}")
                continue
            items = out.setdefault(dim, [])
            item = index.get((dim, str(name)))
            if item is None:
                item = {"name": name}
                index[(dim, str(name))] = item
                items.append(item)
                self.place(("revenue_breakdown", dim, len(items) - 1), ws, r, None, f"{dim_label} {name}")
            i = items.index(item)
            unit = fx.get("单位", (None, 0))[0]
            if not _blank(unit):
                item["unit"] = unit
            exp, c5 = fx.get("外销", (None, 0))
            if not _blank(exp):
                item["export"] = _yes_no(exp, lambda msg: self.problem(ws, r, c5, msg))
            item[m] = self.series(ws, r, pv, ("revenue_breakdown", dim, i, m), f"{name} {m_label}")
        if out:
            self.data["revenue_breakdown"] = out

    def _counterparties(self, title: str, block: str, name_h: str, amount_h: str, content_h: str) -> None:
        ws, rows = self.table(title, ["期间", "排名", name_h, amount_h, content_h, "关联方", "备注"], periods=False)
        if ws is None:
            return
        out: dict[str, list] = {}
        for r, fx, _ in rows:
            label, c = fx["期间"]
            key = N.period_from_label(label)
            if key is None:
                self.problem(ws, r, c, f"expected a period like 2023年 or 2026年1-6月, got {label!r}")
                continue
            lst = out.setdefault(key, [])
            loc = (block, key, len(lst))
            self.place((block, key), ws, r, c)
            self.place(loc, ws, r, None)
            item: dict[str, Any] = {}
            for h, field in (("排名", "rank"), (name_h, "name"), (amount_h, "amount"), (content_h, "content"),
                             ("备注", "note")):
                v, j = fx.get(h, (None, 0))
                if j:
                    self.place((*loc, field), ws, r, j, h)
                if not _blank(v):
                    item[field] = v
            rp, j = fx.get("关联方", (None, 0))
            if not _blank(rp):
                item["related_party"] = _yes_no(rp, lambda m: self.problem(ws, r, j, m))
            lst.append(item)
        if out:
            self.data[block] = out

    def _peers(self) -> None:
        ws, rows = self.table("可比公司", ["公司名称", "证券代码", "可比业务", "指标"], periods=True)
        if ws is None:
            return
        out: list[dict] = []
        index: dict[str, dict] = {}
        for r, fx, pv in rows:
            name = fx["公司名称"][0]
            peer = index.get(str(name))
            if peer is None:
                peer = {"name": name, "metrics": {}}
                index[str(name)] = peer
                out.append(peer)
                self.place(("peers", len(out) - 1), ws, r, None, str(name))
            i = out.index(peer)
            for h, f in (("证券代码", "code"), ("可比业务", "business")):
                v = fx.get(h, (None, 0))[0]
                if not _blank(v):
                    peer[f] = v
            m_label, c = fx.get("指标", (None, 4))
            ms = str(m_label).strip() if not _blank(m_label) else ""
            m = PEER_LABELS.get(ms, ms if ms in PEER_METRICS else None)
            if m is None:
                self.problem(ws, r, c, f"unknown peer metric {m_label!r}; expected one of {', '.join(PEER_METRICS.values())}")
                continue
            peer["metrics"][m] = self.series(ws, r, pv, ("peers", i, "metrics", m), f"{name} {PEER_METRICS[m]}")
        if out:
            self.data["peers"] = out

    def _rd(self) -> None:
        ws, rows = self.table("研发", ["类型", "名称"], periods=True)
        if ws is None:
            return
        rd: dict[str, Any] = {}
        for r, fx, pv in rows:
            t_label, c = fx["类型"]
            t = RD_TYPES.get(str(t_label).strip()) if not _blank(t_label) else None
            name = fx.get("名称", (None, 0))[0]
            if t is None:
                self.problem(ws, r, c, f"expected 类型 {', '.join(RD_TYPES)}, got {t_label!r}")
            elif t == "expense_items":
                items = rd.setdefault("expense_items", [])
                loc = ("rd", "expense_items", len(items))
                self.place(loc, ws, r, None, str(name))
                items.append({"name": name, "amounts": self.series(ws, r, pv, (*loc, "amounts"), str(name))})
            else:
                rd[t] = self.series(ws, r, pv, ("rd", t), str(t_label))
        if rd:
            self.data["rd"] = rd

    def _employees(self) -> None:
        ws, rows = self.table("员工", ["人员类别", "指标"], periods=True)
        if ws is None:
            return
        out: list[dict] = []
        index: dict[str, dict] = {}
        for r, fx, pv in rows:
            name = fx["人员类别"][0]
            m_label, c = fx.get("指标", (None, 2))
            m = EMPLOYEE_MEASURES.get(str(m_label).strip()) if not _blank(m_label) else None
            if m is None:
                self.problem(ws, r, c, f"expected 指标 {', '.join(EMPLOYEE_MEASURES)}, got {m_label!r}")
                continue
            g = index.get(str(name))
            if g is None:
                g = {"function": name}
                index[str(name)] = g
                out.append(g)
                self.place(("employees", len(out) - 1), ws, r, None, str(name))
            i = out.index(g)
            g[m] = self.series(ws, r, pv, ("employees", i, m), f"{name} {m_label}")
        if out:
            self.data["employees"] = out

    def _receivables(self) -> None:
        ws, rows = self.table("应收账款", ["项目", "明细"], periods=True)
        if ws is None:
            return
        rec = self.data.setdefault("receivables", {})
        for r, fx, pv in rows:
            t_label, c = fx["项目"]
            t = AR_TYPES.get(str(t_label).strip()) if not _blank(t_label) else None
            name = fx.get("明细", (None, 0))[0]
            if t is None:
                self.problem(ws, r, c, f"expected 项目 {', '.join(AR_TYPES)}, got {t_label!r}")
            elif t == "aging":
                aging = rec.setdefault("aging", [])
                loc = ("receivables", "aging", len(aging))
                self.place(loc, ws, r, None, str(name))
                aging.append({"name": name, "balance": self.series(ws, r, pv, (*loc, "balance"), f"账龄 {name}")})
            else:
                rec[t] = self.series(ws, r, pv, ("receivables", t), str(t_label))
        if not rec:
            del self.data["receivables"]

    def _inventory(self) -> None:
        ws, rows = self.table("存货", ["项目", "名称"], periods=True)
        if ws is None:
            return
        inv: dict[str, list] = {}
        index: dict[str, dict] = {}
        for r, fx, pv in rows:
            t_label, c = fx["项目"]
            t = INV_TYPES.get(str(t_label).strip()) if not _blank(t_label) else None
            name = fx.get("名称", (None, 0))[0]
            if t is None:
                self.problem(ws, r, c, f"expected 项目 {', '.join(INV_TYPES)}, got {t_label!r}")
            elif t == "aging":
                aging = inv.setdefault("aging", [])
                loc = ("inventory", "aging", len(aging))
                self.place(loc, ws, r, None, str(name))
                aging.append({"name": name, "balance": self.series(ws, r, pv, (*loc, "balance"), f"库龄 {name}")})
            else:
                cats = inv.setdefault("categories", [])
                cat = index.get(str(name))
                if cat is None:
                    cat = {"name": name}
                    index[str(name)] = cat
                    cats.append(cat)
                    self.place(("inventory", "categories", len(cats) - 1), ws, r, None, str(name))
                i = cats.index(cat)
                cat[t] = self.series(ws, r, pv, ("inventory", "categories", i, t), f"{name} {t_label}")
        if inv:
            self.data["inventory"] = inv

    def _fixed_assets(self) -> None:
        ws, rows = self.table("固定资产", ["类别", "指标"], periods=True)
        if ws is None:
            return
        out: list[dict] = []
        index: dict[str, dict] = {}
        for r, fx, pv in rows:
            name = fx["类别"][0]
            m_label, c = fx.get("指标", (None, 2))
            m = FIXED_MEASURES.get(str(m_label).strip()) if not _blank(m_label) else None
            if m is None:
                self.problem(ws, r, c, f"expected 指标 {', '.join(FIXED_MEASURES)}, got {m_label!r}")
                continue
            fa = index.get(str(name))
            if fa is None:
                fa = {"name": name}
                index[str(name)] = fa
                out.append(fa)
                self.place(("fixed_assets", len(out) - 1), ws, r, None, str(name))
            i = out.index(fa)
            fa[m] = self.series(ws, r, pv, ("fixed_assets", i, m), f"{name} {m_label}")
        if out:
            self.data["fixed_assets"] = out

    def _records(self, title: str, block: str, spec: list[tuple[str, str]], convert=None) -> list[dict]:
        ws, rows = self.table(title, [h for h, _ in spec], periods=False)
        if ws is None:
            return []
        out = []
        self.place((block,), ws)
        for r, fx, _ in rows:
            loc = (block, len(out))
            self.place(loc, ws, r, None)
            item: dict[str, Any] = {}
            for h, field in spec:
                v, j = fx.get(h, (None, 0))
                if j:
                    self.place((*loc, field), ws, r, j, h)
                if not _blank(v):
                    item[field] = convert(field, v, ws, r, j) if convert else v
            out.append(item)
        return out

    def _investments(self) -> None:
        out = self._records("财务性投资", "investments", [("科目", "account"), ("账面价值", "book_value"),
                                                        ("财务性投资金额", "financial_amount"), ("说明", "note")])
        if out:
            self.data["investments"] = out

    def _projects(self) -> None:
        spec = [("项目名称", "name"), ("投资总额", "total_investment"), ("拟使用募集资金", "proceeds"),
                ("资本性支出", "capex"), ("非资本性支出", "non_capex"), ("内部收益率(%)", "irr"),
                ("静态回收期(年)", "payback_years"), ("建设期(年)", "construction_years"), ("备注", "note")]
        out = self._records("募投项目", "projects", spec)
        ws, rows = self.table("募投项目明细", ["项目名称", "明细", "金额", "拟使用募集资金", "资本性支出"], periods=False)
        by_name = {str(p.get("name")): (i, p) for i, p in enumerate(out)}
        for r, fx, _ in rows:
            pname, c = fx["项目名称"]
            if str(pname) not in by_name:
                self.problem(ws, r, c, f"project {pname!r} is not listed in sheet 募投项目")
                continue
            i, proj = by_name[str(pname)]
            items = proj.setdefault("items", [])
            loc = ("projects", i, "items", len(items))
            self.place(loc, ws, r, None)
            item: dict[str, Any] = {}
            for h, field in (("明细", "name"), ("金额", "amount"), ("拟使用募集资金", "proceeds")):
                v, j = fx.get(h, (None, 0))
                if j:
                    self.place((*loc, field), ws, r, j, h)
                if not _blank(v):
                    item[field] = v
            v, j = fx.get("资本性支出", (None, 0))
            self.place((*loc, "capex"), ws, r, j or None, "资本性支出")
            if not _blank(v):
                item["capex"] = _yes_no(v, lambda m: self.problem(ws, r, j, m))
            items.append(item)
        if out:
            self.data["projects"] = out

    def _dividends(self) -> None:
        def conv(field, v, ws, r, j):
            if field == "year":
                key = N.period_from_label(v)
                if key is None:
                    self.problem(ws, r, j, f"expected a year like 2023年, got {v!r}")
                    return v
                return key
            return v

        out = self._records("分红", "dividends", [("年度", "year"), ("现金分红", "cash"), ("每10股派息(元)", "per_10_shares"),
                                                  ("实施日期", "paid_on"), ("备注", "note")], conv)
        if out:
            self.data["dividends"] = out

    def _post_period(self) -> None:
        ws, rows = self.table("审计截止日后", ["项目", "代码"], periods=True)
        if ws is None:
            return
        header = [c.value for c in next(ws.iter_rows(min_row=1, max_row=1))]
        keys = [N.period_from_label(h) for h in header[2:4]]
        pp = self.data.setdefault("post_period", {})
        self.place(("post_period",), ws)
        if len(keys) < 2 or None in keys:
            self.problem(ws, 1, 3, "expected two period columns: the period after the latest period end, then the same period a year before")
            return
        pp["key"], pp["comparative_key"] = keys
        by_label = {lab: k for k, lab in FINANCIAL_LABELS.items()}
        fin: dict[str, Any] = {}
        for r, fx, pv in rows:
            code = fx.get("代码", (None, 0))[0]
            label = fx["项目"][0]
            key = str(code).strip() if not _blank(code) else by_label.get(str(label).strip(), str(label).strip())
            if pv:
                fin[key] = self.series(ws, r, pv, ("post_period", "financials", key), str(label or key))
        pp["financials"] = fin

    def _facts(self) -> None:
        ws, rows = self.table("其他事项", ["键", "值"], periods=False)
        if ws is None:
            return
        facts: dict[str, Any] = {}
        for r, fx, _ in rows:
            k, c = fx["键"]
            v, j = fx.get("值", (None, 2))
            if _blank(k):
                self.problem(ws, r, 1, "a value without a key")
                continue
            if isinstance(v, str) and v.strip()[:1] in ("[", "{"):
                from .load import parse_yaml_text

                try:
                    v, _ = parse_yaml_text(v, self.file)
                except UserError:
                    pass  # keep the text as written
            self.place(("facts", str(k)), ws, r, j)
            facts[str(k)] = v
        if facts:
            self.data["facts"] = facts








def _set_path(data: dict, loc: Loc, value: Any) -> None:
    cur = data
    for part in loc[:-1]:
        cur = cur.setdefault(part, {})
    cur[loc[-1]] = value


def read_xlsx_data(path: str | Path) -> tuple[dict[str, Any], "_Reader"]:
    from openpyxl import load_workbook

    import zipfile

    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as e:
        raise UserError(f"cannot read: {e.strerror}", file=str(p)) from None
    from ..read import check_regular

    check_regular(p)
    if size == 0:
        raise UserError("the file is empty; expected an Excel workbook (.xlsx)", file=str(p))
    if not zipfile.is_zipfile(p):
        raise UserError("not a valid .xlsx workbook (it is not a zip archive); save it again from Excel as .xlsx",
                        file=str(p))
    _check_archive(p)
    try:
        with warnings.catch_warnings():  # openpyxl's notes on unsupported extensions are not the user's concern
            warnings.simplefilter("ignore")
            wb = load_workbook(str(p), read_only=False, data_only=True)
    except KeyError:  # a zip without the workbook parts (a .docx renamed, an archive of something else)
        raise UserError("not an Excel workbook (a zip archive without the workbook parts); save it from Excel as .xlsx",
                        file=str(p)) from None
    except Exception as e:  # InvalidFileException, a damaged part …
        raise UserError(f"cannot read as an Excel workbook (.xlsx): {type(e).__name__}: {e}", file=str(p)) from None
    _check_sheets(wb, p)
    reader = _Reader(wb, str(p))
    _unsaved_formulas(p, wb, reader)
    _percent_cells(wb)
    data = reader.read()
    return data, reader


_LITERAL = re.compile(r'"[^"]*"|\\.')


def load_xlsx(path: str | Path) -> CompanyProfile:
    """Read a company workbook; every problem (structure or value) is reported with its sheet and cell."""
    data, reader = read_xlsx_data(path)
    return _validate(data, reader)


def load_workbook_profile(wb, file: str = "<workbook>") -> CompanyProfile:
    """Like load_xlsx, for an openpyxl Workbook already in memory."""
    reader = _Reader(wb, file)
    return _validate(reader.read(), reader)


def _validate(data: dict[str, Any], reader: "_Reader") -> CompanyProfile:
    from .load import magnitude_problems

    path = reader.file
    problems = list(reader.problems)
    problems += [UserError(msg, file=str(path), place=reader.locate(loc)) for loc, msg in magnitude_problems(data)]
    try:
        profile = profile_from_data(data, file=str(path), locate=reader.locate)
    except UserErrors as e:
        raise UserErrors(problems + e.errors) from None
    if problems:
        raise UserErrors(problems)
    return profile


# --- limits and structure checks on reading (issue 12) ---------------------------------------------

MAX_SHEET_ROWS = 50_000  # a company workbook has a few hundred rows per sheet
MAX_SHEET_COLUMNS = 500
REQUIRED_SHEETS = ("财务数据",)


def _check_archive(p: Path) -> None:
    """The zip's declared sizes and the worksheets' cell count, before openpyxl builds anything."""
    from ..read import MAX_CELLS, check_zip

    check_zip(p, ".xlsx workbook", "xl/worksheets/", [((b"<c ", b"<c>", b"<c/>"), MAX_CELLS, "cells")])


def _check_sheets(wb, p: Path) -> None:
    """Only the used range of each sheet is read (styled empty cells are dropped, a stray value far
    outside the tables is refused rather than a grid of millions of cells built); merged cells in a
    table and a missing or renamed required sheet are errors naming the sheet and the cells."""
    from openpyxl.utils import get_column_letter

    for ws in wb.worksheets:
        cells = getattr(ws, "_cells", None)
        if cells is None:
            continue
        for key in [k for k, c in cells.items() if c.value is None]:
            del cells[key]  # formatting only: never read, and it would stretch the sheet's range
        far = [k for k in cells if k[0] > MAX_SHEET_ROWS or k[1] > MAX_SHEET_COLUMNS]
        if far:
            r, c = max(far)
            raise UserError(f"cell {get_column_letter(c)}{r} holds a value far outside the tables (drafter reads "
                            f"up to row {MAX_SHEET_ROWS:,} and column {get_column_letter(MAX_SHEET_COLUMNS)}); "
                            "delete it or move it into the table", file=str(p), place=f"sheet {ws.title}")
        if ws.title != "说明" and ws.merged_cells.ranges:
            rng = sorted(ws.merged_cells.ranges, key=lambda m: (m.min_row, m.min_col))[0]
            raise UserError(f"cells {rng.coord} are merged; unmerge them (every figure and label needs its own cell)",
                            file=str(p), place=f"sheet {ws.title}")
    names = wb.sheetnames
    for title in REQUIRED_SHEETS:
        if title in names:
            continue
        near = [n for n in names if title in n or n.strip() == title or
                (len(n) >= 2 and n.strip() in title)]
        hint = f" (is {near[0]!r} it, renamed? name it exactly {title})" if near else ""
        raise UserError(f"sheet {title} not found{hint}; drafter reads the financial figures from it "
                        f"(sheets here: {', '.join(names)})", file=str(p))


def _percent_cells(wb) -> None:
    """Percentage-formatted cells read as shown (30.12% -> 30.12), over the cells that exist (never the
    whole grid)."""
    for ws in wb.worksheets:
        for c in list(getattr(ws, "_cells", {}).values()):
            v = c.value
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                continue
            fmt = c.number_format or ""
            if "%" in fmt and "%" in _LITERAL.sub("", fmt):
                c.value = N.to_decimal(v) * 100


def _unsaved_formulas(p: Path, wb, reader: "_Reader") -> None:
    """Formulas whose result was never saved (a workbook written by a script, never opened in Excel)
    read as empty cells: report them instead of treating the figure as missing. Over the cells that
    exist (never the whole grid)."""
    import zipfile

    with zipfile.ZipFile(p) as z:
        if not any(n.startswith("xl/worksheets/") and b"<f" in z.read(n) for n in z.namelist()):
            return
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fwb = load_workbook(str(p), read_only=False, data_only=False)
    except Exception:  # the data-only load succeeded; nothing more to learn here
        return
    for ws in fwb.worksheets:
        if ws.title not in wb.sheetnames:
            continue
        values = wb[ws.title]
        for (r, col), c in sorted(getattr(ws, "_cells", {}).items()):
            if isinstance(c.value, str) and c.value.startswith("=") and values._cells.get((r, col)) is None:
                reader.problem(values, r, col,
                               f"formula {c.value} has no saved result; open the workbook in Excel (or LibreOffice) "
                               "and save it, or type the value")


# --- writing: the company's words stay text (issue 12) -----------------------------------------------
# The workbook writer puts no formulas of its own: before it finishes, every text cell starting with
# `= + - @` (a name, a note) is marked as text so no spreadsheet evaluates it.

_finish_sheets = _Writer.finish


def _finish_as_text(self) -> None:
    from ..output import sheet_as_text

    for ws in self.wb.worksheets:
        sheet_as_text(ws)
    _finish_sheets(self)


_Writer.finish = _finish_as_text  # type: ignore[method-assign]

__all__ = ["load_workbook_profile", "load_xlsx", "read_xlsx_data", "write_xlsx"]
