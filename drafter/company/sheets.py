"""The record blocks of issue 14 as workbook sheets: one sheet per block, one row per record.

Fixed fields are one column each (Chinese header); a per-period field (a series) is one column per
period, headed ``金额(2025年)`` (flows) or ``余额(2025年末)`` (balances) — the same period labels as the
other sheets. The headers double as the fields' Chinese labels in the templates' `records_table`.

``write_records(writer, profile)`` and ``read_records(reader)`` are called by drafter.company.excel.
"""
from __future__ import annotations

import re
from typing import Any, NamedTuple

from .. import numbers as N
from .model import RECORD_BLOCKS, CompanyProfile


class Col(NamedTuple):
    field: str
    header: str
    kind: str  # text | date | bool | money | number | count | pct | series | qseries
    balance: bool = False  # a series of period-end balances (headers 2025年末)


SERIES_KINDS = ("series", "qseries")

# block -> (sheet title, columns)
SHEETS: dict[str, tuple[str, list[Col]]] = {
    "equity_history": ("股权演变", [
        Col("date", "日期", "date"), Col("event", "事项", "text"), Col("transferor", "转让方/原股东", "text"),
        Col("transferee", "受让方/增资方", "text"), Col("shares", "股数(万股)", "number"),
        Col("price", "价格(元/股)", "number"), Col("amount", "金额(万元)", "money"),
        Col("capital_after", "变动后注册资本/股本", "number"), Col("valuation_basis", "定价依据", "text"),
        Col("consideration_paid", "价款是否支付", "bool"), Col("note", "备注", "text")]),
    "shareholders": ("股东情况", [
        Col("name", "股东名称", "text"), Col("shares", "持股数量(万股)", "number"), Col("ratio", "持股比例(%)", "pct"),
        Col("kind", "股东性质", "text"), Col("controller", "控股股东/实际控制人", "bool"), Col("note", "备注", "text")]),
    "related_transactions": ("关联交易", [
        Col("party", "关联方", "text"), Col("relation", "关联关系", "text"), Col("kind", "交易类型", "text"),
        Col("recurring", "经常性", "bool"), Col("content", "交易内容", "text"), Col("pricing", "定价依据", "text"),
        Col("note", "备注", "text"), Col("amounts", "金额", "series")]),
    "capacity": ("产能产量", [
        Col("product", "产品", "text"), Col("unit", "单位", "text"), Col("capacity", "产能", "qseries"),
        Col("output", "产量", "qseries"), Col("sales_volume", "销量", "qseries")]),
    "purchases": ("原材料采购", [
        Col("material", "原材料", "text"), Col("unit", "单位", "text"), Col("amount", "采购金额", "series"),
        Col("quantity", "采购数量", "qseries")]),
    "litigation": ("诉讼仲裁", [
        Col("date", "日期", "date"), Col("plaintiff", "原告/申请人", "text"), Col("defendant", "被告/被申请人", "text"),
        Col("cause", "案由", "text"), Col("amount", "涉案金额(万元)", "money"), Col("status", "进展", "text"),
        Col("note", "备注", "text")]),
    "subsidies": ("政府补助", [
        Col("name", "补助项目", "text"), Col("basis", "依据文件", "text"), Col("recurring", "经常性", "bool"),
        Col("asset_related", "与资产相关", "bool"), Col("amounts", "金额", "series")]),
    "tax_incentives": ("税收优惠", [
        Col("name", "优惠项目", "text"), Col("basis", "依据", "text"), Col("amounts", "金额", "series")]),
    "debts": ("有息负债", [
        Col("kind", "负债类型", "text"), Col("rate", "利率", "text"), Col("note", "备注", "text"),
        Col("balances", "余额", "series", True)]),
    "cash": ("货币资金明细", [
        Col("name", "项目", "text"), Col("balances", "余额", "series", True),
        Col("restricted", "受限金额", "series", True)]),
    "premises": ("经营场所", [
        Col("location", "地址", "text"), Col("use", "用途", "text"), Col("area", "面积(平方米)", "number"),
        Col("owned", "自有", "bool"), Col("certificate", "已取得权属证书", "bool"),
        Col("lease_end", "租赁到期日", "date"), Col("note", "备注", "text")]),
    "share_payments": ("股份支付", [
        Col("date", "授予日", "date"), Col("grantees", "授予对象", "text"), Col("shares", "授予股数(万股)", "number"),
        Col("price", "授予价格(元/股)", "number"), Col("fair_value", "公允价值(元/股)", "number"),
        Col("basis", "公允价值确定依据", "text"), Col("expense", "股份支付费用", "series")]),
    "outsourcing": ("委外加工", [
        Col("supplier", "委外厂商", "text"), Col("content", "加工内容", "text"),
        Col("related_party", "关联方", "bool"), Col("amounts", "金额", "series")]),
    "third_party_payments": ("第三方回款", [
        Col("reason", "回款原因", "text"), Col("amounts", "金额", "series")]),
    "core_technologies": ("核心技术", [
        Col("name", "核心技术", "text"), Col("source", "技术来源", "text"), Col("patents", "对应专利", "text"),
        Col("application", "应用产品", "text"), Col("revenue", "核心技术产品收入", "series")]),
    "management_changes": ("董监高变动", [
        Col("date", "日期", "date"), Col("name", "姓名", "text"), Col("position", "职务", "text"),
        Col("change", "变动", "text"), Col("reason", "原因", "text")]),
    "bills": ("应收票据", [
        Col("kind", "票据类型", "text"), Col("balances", "余额", "series", True),
        Col("endorsed", "已背书未到期", "series", True), Col("discounted", "已贴现未到期", "series", True)]),
}
assert set(SHEETS) == set(RECORD_BLOCKS)

# single blocks: key-value sheets (项目 | 值 | 代码), like 本次发行
KV_PATENTS: list[tuple[str, str, str]] = [
    ("发明专利", "patents.invention", "count"),
    ("实用新型专利", "patents.utility", "count"),
    ("外观设计专利", "patents.design", "count"),
    ("软件著作权", "patents.software", "count"),
]
KV_PRIOR_FUNDRAISING: list[tuple[str, str, str]] = [
    ("募集资金净额(万元)", "prior_fundraising.amount", "money"),
    ("到账日期", "prior_fundraising.received_date", "date"),
    ("累计使用(万元)", "prior_fundraising.used", "money"),
    ("统计截止日", "prior_fundraising.as_of", "date"),
]
PRIOR_PROJECT_COLS = [Col("name", "项目名称", "text"), Col("planned", "承诺投资金额(万元)", "money"),
                      Col("used", "累计投入金额(万元)", "money"), Col("status", "进展", "text")]
PRIOR_PROJECT_SHEET = "前次募投项目"

# Chinese labels of the record fields (records_table headers): the sheet headers
FIELD_LABELS: dict[str, dict[str, str]] = {
    block: {c.field: c.header for c in cols} for block, (_t, cols) in SHEETS.items()
}
FIELD_LABELS["prior_fundraising.projects"] = {c.field: c.header for c in PRIOR_PROJECT_COLS}


def field_label(block: str, field: str) -> str:
    return FIELD_LABELS.get(block, {}).get(field, field)


def series_fields(block: str) -> list[str]:
    return [c.field for c in SHEETS[block][1] if c.kind in SERIES_KINDS] if block in SHEETS else []


def _period_header(col: Col, key: str) -> str:
    label = N.period_end_label(key) if col.balance else N.period_label(key)
    return f"{col.header}({label})"


_SERIES_HEADER = re.compile(r"^(.+?)[(（](.+)[)）]$")


# --------------------------------------------------------------------------- writing


def write_records(w: Any, profile: CompanyProfile) -> None:
    """Add the record sheets (only the blocks with data, so a plain file keeps a short workbook)."""
    periods = [x.key for x in profile.periods]
    for block, (title, cols) in SHEETS.items():
        records = getattr(profile, block)
        if not records:
            continue
        headers: list[str] = []
        for c in cols:
            if c.kind in SERIES_KINDS:
                headers += [_period_header(c, k) for k in periods]
            else:
                headers.append(c.header)
        ws = w.sheet(title, headers)
        for rec in records:
            values: list[Any] = []
            formats: list[str] = []
            for c in cols:
                v = getattr(rec, c.field)
                if c.kind in SERIES_KINDS:
                    values += [v.get(k) for k in periods]
                    formats += ["money" if c.kind == "series" else "number"] * len(periods)
                else:
                    values.append(_cell_value(v, c.kind))
                    formats.append(_FORMATS.get(c.kind, ""))
            w.row(ws, values, formats)
    if profile.patents is not None and not profile.patents.empty:
        w.kv("知识产权", KV_PATENTS, profile.model_dump(mode="python"))
    pf = profile.prior_fundraising
    if pf is not None:
        w.kv("前次募集资金", KV_PRIOR_FUNDRAISING, profile.model_dump(mode="python"))
        if pf.projects:
            ws = w.sheet(PRIOR_PROJECT_SHEET, [c.header for c in PRIOR_PROJECT_COLS])
            for pr in pf.projects:
                w.row(ws, [_cell_value(getattr(pr, c.field), c.kind) for c in PRIOR_PROJECT_COLS],
                      [_FORMATS.get(c.kind, "") for c in PRIOR_PROJECT_COLS])


_FORMATS = {"money": "money", "date": "date", "count": "count", "pct": "pct", "number": "number4"}


def _cell_value(v: Any, kind: str) -> Any:
    if kind == "bool" and v is not None:
        return "是" if v else "否"
    return v


# --------------------------------------------------------------------------- reading


def read_records(r: Any) -> None:
    """Read the record sheets into r.data (plain values; the model validates them)."""
    from .cells import _blank, _cell, _yes_no

    for block, (title, cols) in SHEETS.items():
        if title not in r.wb.sheetnames:
            continue
        ws = r.wb[title]
        fixed = {c.header: c for c in cols if c.kind not in SERIES_KINDS}
        series = {c.header: c for c in cols if c.kind in SERIES_KINDS}
        header = [c.value for c in next(ws.iter_rows(min_row=1, max_row=1), ())]
        colmap: dict[int, tuple[Col, str | None]] = {}
        for j, h in enumerate(header, 1):
            if _blank(h):
                continue
            hs = str(h).strip()
            if hs in fixed:
                colmap[j] = (fixed[hs], None)
                continue
            m = _SERIES_HEADER.match(hs)
            key = N.period_from_label(m.group(2).strip()) if m else None
            if m and m.group(1).strip() in series and key is not None:
                colmap[j] = (series[m.group(1).strip()], key)
            else:
                expected = [*fixed, *(f"{s}(2025年)" for s in series)]
                r.problem(ws, 1, j, f"unknown column {hs!r}; expected {', '.join(expected)}")
        out: list[dict] = []
        r.place((block,), ws)
        for row_no, values in enumerate(ws.iter_rows(min_row=2, values_only=True), 2):

            values = [_cell(v) for v in values]
            if all(_blank(v) for v in values):
                continue
            loc = (block, len(out))
            r.place(loc, ws, row_no, None)
            item: dict[str, Any] = {}
            for j, (col, key) in colmap.items():
                v = values[j - 1] if j - 1 < len(values) else None
                if _blank(v):
                    continue
                if key is None:
                    r.place((*loc, col.field), ws, row_no, j, col.header)
                    if col.kind == "bool":
                        v = _yes_no(v, lambda msg, j=j, row_no=row_no: r.problem(ws, row_no, j, msg))
                    item[col.field] = v
                else:
                    r.place((*loc, col.field, key), ws, row_no, j, f"{col.header}, {N.period_label(key)}")
                    item.setdefault(col.field, {})[key] = v
            out.append(item)
        if out:
            r.data[block] = out
    r.kv("知识产权", KV_PATENTS)
    r.kv("前次募集资金", KV_PRIOR_FUNDRAISING)
    if PRIOR_PROJECT_SHEET in r.wb.sheetnames:
        ws = r.wb[PRIOR_PROJECT_SHEET]
        by_header = {c.header: c for c in PRIOR_PROJECT_COLS}
        header = [c.value for c in next(ws.iter_rows(min_row=1, max_row=1), ())]
        cols = {j: by_header[str(h).strip()] for j, h in enumerate(header, 1) if not _blank(h) and str(h).strip() in by_header}
        projects: list[dict] = []
        pf = r.data.setdefault("prior_fundraising", {})
        for row_no, values in enumerate(ws.iter_rows(min_row=2, values_only=True), 2):

            values = [_cell(v) for v in values]
            if all(_blank(v) for v in values):
                continue
            loc = ("prior_fundraising", "projects", len(projects))
            r.place(loc, ws, row_no, None)
            item = {}
            for j, col in cols.items():
                v = values[j - 1] if j - 1 < len(values) else None
                if not _blank(v):
                    r.place((*loc, col.field), ws, row_no, j, col.header)
                    item[col.field] = v
            projects.append(item)
        if projects:
            pf["projects"] = projects
