"""The work checklist for answering a letter: one row per request and per verification ask and party.

`build_checklist(letter, company=None, bank=None, matches=None, window_days=None, holidays=(), start=None,
owners=None, *, workdays=(), letter_text=None, today=None) -> Checklist`; `write_xlsx(checklist, path, force=False)` and `write_docx(checklist, path, force=False)`.

Each row says what is asked (id, short text), the matched topic, who answers (发行人 / 申请人 / 上市公司 / 公司 as the letter says, or the named
intermediary), the company data the topic needs and whether the company file has it, the 工作底稿
to collect, the procedures, whether the prospectus must change (披露), the owner, the due date and
a status. The due date is the letter's date plus the reply window that applies (drafter.review.calendar:
a window or date the letter states, else the rule for its kind, or `window_days` working days when
given), counted on the Chinese calendar with its holidays and make-up working days.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from ..errors import UserError
from ..models import Letter, Question, Verification
from ..output import cell_as_text, write_atomic
from ..compose.parties import party_procedure_kinds
from ..parse.reply import keys_of, workpapers_only

STATUSES = ["未开始", "进行中", "待复核", "已完成", "不适用"]


class ChecklistRow(BaseModel):
    id: str  # request id ("1.(3)") or verification row id ("1.核查1-保荐人")
    kind: Literal["request", "verification"]
    question: int
    question_title: str
    label: str  # "(3)", "②", "" — for verification rows the ask's scope ("全部", "(2)-(4)")
    text: str  # short text
    full_text: str
    topic: str = ""  # "inventory 存货"
    topic_score: float | None = None
    party: str  # 发行人 / 申请人 / 上市公司 / 公司 (the letter's subject word), or the party as the letter names it
    data_needed: list[str] = Field(default_factory=list)
    data_missing: list[str] = Field(default_factory=list)
    data_status: str = ""  # 齐全 / 缺N项 / 未提供公司数据 / —
    evidence: list[str] = Field(default_factory=list)
    procedures: list[str] = Field(default_factory=list)
    prospectus: str = ""  # 需补充披露(招股说明书) / ""
    owner: str = ""
    due: dt.date | None = None
    status: str = "未开始"
    # a later round: the earlier answers this row reopens (drafter.compose.followup.apply_reopens), e.g.
    # 首轮回复3.(2)：函件原文“首轮问询问题3之(2)”
    reopens: list[str] = Field(default_factory=list)


class Checklist(BaseModel):
    source: str
    title: str = ""
    issuer: str = ""
    subject: str = "发行人"  # the letter's word for the company it asks (发行人 / 申请人 / 上市公司 / 公司)
    letter_date: dt.date | None = None
    start: dt.date  # the day the window counts from
    window_days: int  # the window's length in `window_unit` (0 when the letter states a date)
    due: dt.date
    holidays: list[dt.date] = Field(default_factory=list)
    # deadlines (drafter.review.calendar)
    window_unit: str = "working"  # working / calendar / trading / months / date (the letter states the date)
    due_rule: str = ""  # where the window comes from, in words
    workdays: list[dt.date] = Field(default_factory=list)  # --workday: make-up working days given by hand
    today: dt.date | None = None
    days_left: int | None = None  # calendar days from `today` to `due` (negative: overdue)
    working_days_left: int | None = None
    calendar_warning: str = ""  # one line when the window reaches a year the calendar does not cover
    rows: list[ChecklistRow] = Field(default_factory=list)

    @property
    def request_rows(self) -> list[ChecklistRow]:
        return [r for r in self.rows if r.kind == "request"]

    @property
    def verification_rows(self) -> list[ChecklistRow]:
        return [r for r in self.rows if r.kind == "verification"]


# ---------------------------------------------------------------------------------------------
# dates


def add_working_days(start: dt.date, days: int, holidays: Iterable[dt.date] = ()) -> dt.date:
    """The date `days` working days after `start`, Saturdays, Sundays and `holidays` only skipped
    (the official calendar left out; build_checklist counts with drafter.review.calendar)."""
    from . import calendar

    return calendar.add_working_days(start, days, extra_holidays=holidays, official=False)


def parse_holidays(values: Iterable[str], option: str = "--holiday") -> list[dt.date]:
    """Dates from `2026-04-06`, comma lists, or files holding one date per line (# comments allowed)."""
    out: list[dt.date] = []
    for v in values:
        items: list[tuple[str, str]] = []
        p = Path(v)
        if p.suffix.lower() in (".txt", ".yaml", ".yml", ".csv") or (p.exists() and p.is_file()):
            if not p.exists():
                raise UserError("holiday file not found", file=str(p))
            try:
                text = p.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError:
                raise UserError("holiday file is not UTF-8 text (one date like 2026-04-06 a line)", file=str(p)) from None
            except OSError as e:
                raise UserError(f"cannot read the holiday file: {e.strerror or e}", file=str(p)) from None
            for i, line in enumerate(text.splitlines(), 1):
                line = line.split("#", 1)[0].strip().lstrip("-").strip().strip("'\"")
                for part in line.replace(",", " ").split():
                    items.append((part, f"{p}:{i}"))
        else:
            items += [(part.strip(), option) for part in v.split(",") if part.strip()]
        for s, where in items:
            try:
                out.append(dt.date.fromisoformat(s))
            except ValueError:
                raise UserError(f"not a date (YYYY-MM-DD): {s!r}", place=where) from None
    return sorted(set(out))


# ---------------------------------------------------------------------------------------------
# building


def _short(t: str, n: int = 60) -> str:
    t = " ".join((t or "").split())
    return t if len(t) <= n else t[: n - 1] + "…"


def _doc_name(letter: Letter) -> str:
    """The document a 披露 request amends: 招股说明书 / 募集说明书 / 重组报告书 / 年度报告 …"""
    from ..compose.context import build_names

    return build_names(letter, None).prospectus


def _subject(letter: Letter) -> str:
    """Who answers the requests, in the letter's word: 发行人 / 申请人 / 上市公司 / 公司."""
    from ..compose.context import subject_word

    return subject_word(letter)


_MISSING = object()


def _resolve(obj: Any, path: str) -> Any:
    cur = obj
    for part in path.split("."):
        if cur is None:
            return _MISSING
        if isinstance(cur, dict):
            cur = cur.get(part, _MISSING)
        elif isinstance(cur, BaseModel):
            if part in type(cur).model_fields:
                cur = getattr(cur, part)
            elif isinstance(getattr(cur, "facts", None), dict) and part in cur.facts:
                cur = cur.facts[part]
            else:
                return _MISSING
        else:
            return _MISSING
        if cur is _MISSING:
            return _MISSING
    return cur


def has_data(company: Any, path: str) -> bool:
    """Whether the company profile holds a non-empty value at the dotted `path` (e.g. inventory.aging)."""
    v = _resolve(company, path)
    if v is _MISSING and path.startswith("financials."):  # bank names such as inventory_balance
        base = path.split(".", 1)[1]
        for alt in (base.removesuffix("_balance"), base + "_balance"):
            v = _resolve(company, f"financials.{alt}")
            if v is not _MISSING:
                break
    if v is _MISSING and isinstance(getattr(company, "facts", None), dict):
        v = company.facts.get(path, _MISSING)
    if v is _MISSING or v is None:
        return False
    if isinstance(v, (dict, list, tuple, set, str)):
        return len(v) > 0
    if isinstance(v, BaseModel):
        return any(has_data(v, f) for f in type(v).model_fields)
    return True


_FIELD_CN = {"peers": "同行业可比公司", "customers": "前五大客户", "suppliers": "前五大供应商", "projects": "募投项目",
             "offering": "本次发行方案", "employees": "员工及薪酬", "dividends": "分红", "investments": "对外投资",
             "fixed_assets": "固定资产明细", "post_period": "审计截止日后信息", "revenue_breakdown": "收入构成",
             "product": "按产品", "region": "按地区", "channel": "按渠道", "receivables": "应收账款", "inventory": "存货",
             "rd": "研发", "aging": "账龄/库龄", "categories": "分类", "company": "公司概况"}


def field_label(path: str) -> str:
    """A readable name for a company-data path: financials.revenue -> 营业收入 (financials.revenue)."""
    from ..company import CompanyProfile
    from ..company.model import FINANCIAL_LABELS

    parts = path.split(".")
    if parts[0] == "financials" and len(parts) == 2:
        key = parts[1]
        lab = FINANCIAL_LABELS.get(key) or FINANCIAL_LABELS.get(key.removesuffix("_balance"))
        return f"{lab} ({path})" if lab else path
    if parts[0] == "facts":
        return f"{'.'.join(parts[1:])} ({path})"
    cls: Any = CompanyProfile
    names: list[str] = []
    for part in parts:
        fields = getattr(cls, "model_fields", {})
        f = fields.get(part)
        desc = (f.description if f is not None else None) or _FIELD_CN.get(part)
        if desc:
            desc = re.split(r"[,，(（:：/]| -", desc)[0].strip()
        names.append(desc or part)
        ann = getattr(f, "annotation", None) if f is not None else None
        cls = next((a for a in getattr(ann, "__args__", ()) + (ann,) if isinstance(a, type) and issubclass(a, BaseModel)), None)
        if cls is None:
            # list[Model] / dict[..., list[Model]]
            for a in getattr(ann, "__args__", ()):
                inner = [b for b in getattr(a, "__args__", ()) + (a,) if isinstance(b, type) and issubclass(b, BaseModel)]
                if inner:
                    cls = inner[0]
                    break
    label = "·".join(n for n in names if n)
    return f"{label} ({path})" if label != path else path


def _topic_label(bank, topic_id: str | None) -> str:
    if not topic_id:
        return ""
    t = bank.topics.get(topic_id) if bank is not None else None
    return f"{topic_id} {t.name}" if t else topic_id


def build_checklist(letter: Letter, company: Any = None, bank: Any = None, matches: Any = None,
                    window_days: int | None = None, holidays: Iterable[dt.date] = (), start: dt.date | None = None,
                    owners: dict[str, str] | None = None, *, workdays: Iterable[dt.date] = (),
                    letter_text: str | None = None, today: dt.date | None = None) -> Checklist:
    """The checklist for `letter` (see the module docstring). `company` is a CompanyProfile or None."""
    if bank is None:
        from ..match.bank import load_bank

        bank = load_bank()
    if matches is None:
        from ..match import match_letter

        matches = match_letter(letter, bank)
    hol = sorted(set(holidays))
    letter_date = None
    if letter.meta.date:
        try:
            letter_date = dt.date.fromisoformat(letter.meta.date)
        except ValueError:
            letter_date = None
    begin = start or letter_date or dt.date.today()
    work = sorted(set(workdays))
    dl = _deadline(letter, letter_text, window_days, begin, hol, work, today or dt.date.today())
    due = dl["due"]
    owners = dict(owners or {})
    if company is not None:
        owners.setdefault("发行人", getattr(company.company, "short_name", None) or "发行人")
        if company.sponsor:
            owners.setdefault("sponsor", company.sponsor.name)
        if company.auditor:
            owners.setdefault("auditor", company.auditor.name)
        if company.law_firm:
            owners.setdefault("lawyer", company.law_firm.name)
    cl = Checklist(source=letter.source, title=letter.meta.title or "", issuer=letter.meta.issuer or "",
                   letter_date=letter_date, start=begin, holidays=hol, workdays=work, **dl)
    doc = _doc_name(letter)
    subject = _subject(letter)
    cl.subject = subject
    owners.setdefault(subject, owners.get("发行人", subject))
    for q in letter.questions:
        qm = matches.question(q.number) if matches is not None else None
        q_topic = qm.topics[0].id if qm and qm.topics else None
        req_topic: dict[str, tuple[str | None, float | None]] = {}
        for r in q.requests:
            rm = matches.request(r.id) if matches is not None else None
            if rm and rm.topics:
                req_topic[r.id] = (rm.topics[0].id, rm.topics[0].score)
            else:
                req_topic[r.id] = (q_topic, qm.topics[0].score if qm and qm.topics else None)
        for r in q.requests:
            tid, score = req_topic[r.id]
            topic = bank.topics.get(tid) if tid else None
            needed = list(topic.data_fields) if topic else []
            missing = [f for f in needed if company is None or not has_data(company, f)]
            procs = []
            for v in q.verification:
                if r.id in (v.scope_ids or [x.id for x in q.requests]):
                    for party in v.parties:
                        for key in party_procedure_kinds(party):
                            for p in (topic.procedures.get(key, []) if topic else [])[:2]:
                                item = f"{party}: {p}"
                                if item not in procs:
                                    procs.append(item)
            cl.rows.append(ChecklistRow(
                id=r.id, kind="request", question=q.number, question_title=q.title, label=r.label,
                text=_short(r.text), full_text=r.text, topic=_topic_label(bank, tid),
                topic_score=score, party=subject, data_needed=needed, data_missing=missing,
                data_status=_data_status(needed, missing, company),
                evidence=list(topic.evidence) if topic else [], procedures=procs,
                prospectus=f"需补充披露({doc})" if r.disclose else "", owner=owners.get(subject, subject),
                due=due))
        for k, v in enumerate(q.verification, 1):
            cl.rows.extend(_verification_rows(q, k, v, req_topic, q_topic, bank, owners, due))
    return cl


def _deadline(letter: Letter, text: str | None, window_days: int | None, begin: dt.date, hol: list[dt.date],
              work: list[dt.date], today: dt.date) -> dict[str, Any]:
    """The Checklist's deadline fields: the window (given, stated in the letter or by rule), due date, days left."""
    from . import calendar

    stated = calendar.stated_date(text, begin) if window_days is None else None
    if stated is not None:
        due, rule = stated
        days, unit = 0, "date"
    else:
        if window_days is not None:
            win = calendar.ReplyWindow(window_days, "working", f"按指定: {window_days}个工作日")
        else:
            win = calendar.reply_window(letter.meta.kind, letter.meta.sender or letter.meta.exchange, text)
        due = calendar.due_date(begin, win, extra_holidays=hol, extra_workdays=work)
        days, unit, rule = win
    return dict(window_days=days, window_unit=unit, due=due, due_rule=rule, today=today,
                days_left=(due - today).days,
                working_days_left=calendar.working_days_between(today, due, extra_holidays=hol, extra_workdays=work),
                calendar_warning=calendar.coverage_warning(min(begin, today), max(due, today), hol, work))


def window_text(cl: Checklist) -> str:
    """`20个工作日, 自2026-03-16起` / `函件载明的日期` — for the summary sheet and the DOCX heading."""
    from .calendar import UNIT_CN

    if cl.window_unit == "date":
        return "函件载明的日期"
    return f"自{cl.start.isoformat()}起{cl.window_days}{UNIT_CN.get(cl.window_unit, cl.window_unit)}"


def left_text(cl: Checklist) -> str:
    """`剩余12天(8个工作日)` / `今日截止` / `已逾期3天` as of `cl.today`."""
    if cl.days_left is None:
        return ""
    if cl.days_left < 0:
        return f"已逾期{-cl.days_left}天"
    if cl.days_left == 0:
        return "今日截止"
    return f"剩余{cl.days_left}天({cl.working_days_left}个工作日)"


def _data_status(needed: list[str], missing: list[str], company: Any) -> str:
    if not needed:
        return "—"
    if company is None:
        return "未提供公司数据"
    return "齐全" if not missing else f"缺{len(missing)}项"


def _verification_rows(q: Question, k: int, v: Verification, req_topic, q_topic, bank, owners, due) -> list[ChecklistRow]:
    scope_ids = v.scope_ids or [r.id for r in q.requests]
    topics: list[str] = []
    for rid in scope_ids:
        tid = req_topic.get(rid, (None, None))[0]
        if tid and tid not in topics:
            topics.append(tid)
    if not topics and q_topic:
        topics = [q_topic]
    rows = []
    for party in v.parties:
        keys = keys_of([party])
        key = keys[0] if keys else None
        procs: list[str] = []
        evidence: list[str] = []
        for tid in topics:
            t = bank.topics.get(tid)
            if not t:
                continue
            for pk in party_procedure_kinds(party):  # 独立财务顾问: the sponsor's; 评估机构: none in the bank
                for p in t.procedures.get(pk, []):
                    if p not in procs:
                        procs.append(p)
            for e in t.evidence:
                if e not in evidence:
                    evidence.append(e)
        if v.workpapers:
            evidence.insert(0, "按问询函要求提交核查工作底稿")
        what = ["提交核查工作底稿"] if workpapers_only(v) else ["发表明确核查意见"]
        if v.scope and v.scope != "全部":
            what.append(f"核查范围: {v.scope}")
        if v.demands:
            what.append("另需说明: " + "、".join(v.demands))
        if v.rules:
            what.append("依据: " + "、".join(v.rules))
        rows.append(ChecklistRow(
            id=f"{q.number}.核查{k}-{party}", kind="verification", question=q.number, question_title=q.title,
            label=v.scope or "全部", text=_short(";".join(what)), full_text=v.text,
            topic=", ".join(_topic_label(bank, t) for t in topics[:3]), party=party,
            data_status="—", evidence=evidence, procedures=procs,
            owner=owners.get(key or "", party), due=due))
    return rows


# ---------------------------------------------------------------------------------------------
# XLSX

COLUMNS = [  # header, width, attribute ("#": the letter's order, to sort back to it)
    ("顺序", 6, "#"), ("编号", 19, "id"), ("问题", 6, "question"), ("问题标题", 18, "question_title"), ("类型", 8, "kind"),
    ("序号/范围", 9, "label"), ("事项(摘要)", 48, "text"), ("匹配主题", 20, "topic"), ("重开前轮回复", 30, "reopens"),
    ("答复方", 11, "party"),
    ("所需数据", 30, "data_needed"), ("公司数据", 12, "data_status"), ("工作底稿(证据)", 40, "evidence"),
    ("核查程序", 48, "procedures"), ("说明书修改(披露)", 18, "prospectus"), ("负责人", 16, "owner"),
    ("截止日", 12, "due"), ("状态", 9, "status"), ("备注", 24, None),
]
KIND_CN = {"request": "说明事项", "verification": "核查意见"}


def columns_for(cl: Checklist) -> list:
    """The XLSX columns: 重开前轮回复 only when a row reopens an earlier answer (a later round)."""
    return [c for c in COLUMNS if c[2] != "reopens" or any(r.reopens for r in cl.rows)]


def _cell(row: ChecklistRow, attr: str | None) -> Any:
    if attr is None:
        return ""
    v = getattr(row, attr)
    if attr == "kind":
        return KIND_CN[v]
    if attr == "data_needed":
        miss = set(row.data_missing)
        return "\n".join(f"{field_label(f)}{' — 缺' if f in miss and row.data_status not in ('未提供公司数据',) else ''}"
                         for f in v)
    if isinstance(v, list):
        return "\n".join(v)
    return v


def _lines_needed(value: Any, width: float) -> int:
    """Lines a wrapped cell needs at `width` (Chinese characters count double)."""
    if value is None or isinstance(value, (int, float, dt.date)):
        return 1
    per_line = max(1.0, width - 1)
    return sum(max(1, -(-sum(2 if ord(c) > 0x2E80 else 1 for c in seg) // int(per_line))) for seg in str(value).split("\n"))


def write_xlsx(cl: Checklist, path: str | os.PathLike, force: bool = False) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    COLUMNS = columns_for(cl)  # noqa: N806 - this checklist's columns
    wb = Workbook()
    ws = wb.active
    ws.title = "清单"
    head_font = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    ws.append([c[0] for c in COLUMNS])
    for i, (_, width, _) in enumerate(COLUMNS, 1):
        c = ws.cell(row=1, column=i)
        c.font, c.fill = head_font, head_fill
        c.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(i)].width = width
    due_col = [c[2] for c in COLUMNS].index("due") + 1
    status_col = [c[2] for c in COLUMNS].index("status") + 1
    for n, row in enumerate(cl.rows, 1):
        values = [n if attr == "#" else _cell(row, attr) for _, _, attr in COLUMNS]
        ws.append(values)
        r = ws.max_row
        for i in range(1, len(COLUMNS) + 1):
            ws.cell(row=r, column=i).alignment = wrap
            cell_as_text(ws.cell(row=r, column=i))  # the letter's words, never a formula
        # rows tall enough for their wrapped text (spreadsheets do not grow rows written by a program)
        ws.row_dimensions[r].height = 15 * min(8, max(_lines_needed(v, w) for v, (_, w, _) in zip(values, COLUMNS)))
        ws.cell(row=r, column=due_col).number_format = "yyyy-mm-dd"
    last = ws.max_row
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(last, 2)}"
    dv = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True,
                        showErrorMessage=True, errorTitle="状态", error="请选择: " + " / ".join(STATUSES))
    ws.add_data_validation(dv)
    sc = get_column_letter(status_col)
    dv.add(f"{sc}2:{sc}{max(last, 2) + 200}")  # room for rows the team adds
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # print one page wide, as many pages long as needed
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0

    # summary sheet: per question and per party; status counts are formulas, so they follow edits
    sm = wb.create_sheet("汇总")
    sm.column_dimensions["A"].width = 10
    sm.column_dimensions["B"].width = 30
    for col in "CDEFGHIJ":
        sm.column_dimensions[col].width = 11
    info = [("来源", cl.source), (cl.subject, cl.issuer), ("问询函", cl.title),
            ("函件日期", cl.letter_date), ("起算日", cl.start), ("回复期限", window_text(cl)), ("回复截止日", cl.due),
            ("期限依据", cl.due_rule), (f"截至{cl.today.isoformat() if cl.today else ''}", left_text(cl))]
    if cl.calendar_warning:
        info.append(("日历提示", cl.calendar_warning.removeprefix("warning: ")))
    for k, v in info:
        sm.append([k, v])
        cell_as_text(sm.cell(row=sm.max_row, column=1))
        cell_as_text(sm.cell(row=sm.max_row, column=2))
        if isinstance(v, dt.date):
            sm.cell(row=sm.max_row, column=2).number_format = "yyyy-mm-dd"
            sm.cell(row=sm.max_row, column=2).alignment = Alignment(horizontal="left")
    sm.append([])
    L = {attr: get_column_letter(i) for i, (_, _, attr) in enumerate(COLUMNS, 1) if attr}
    rng = f"清单!${{c}}$2:${{c}}${max(last, 2) + 200}"
    q_col, s_col, p_col, k_col = rng.format(c=L["question"]), rng.format(c=L["status"]), rng.format(c=L["party"]), rng.format(c=L["kind"])
    hdr = ["问题", "标题", "说明事项", "核查意见", "需披露"] + STATUSES
    sm.append(hdr)
    top = sm.max_row
    for c in range(1, len(hdr) + 1):
        sm.cell(row=top, column=c).font, sm.cell(row=top, column=c).fill = head_font, head_fill
    titles: dict[int, str] = {}
    disclose: Counter[int] = Counter()
    for r in cl.rows:
        titles.setdefault(r.question, r.question_title)
        if r.prospectus:
            disclose[r.question] += 1
    for qn, title in titles.items():
        n = sm.max_row + 1
        sm.append([qn, title,
                   f'=COUNTIFS({q_col},A{n},{k_col},"{KIND_CN["request"]}")',
                   f'=COUNTIFS({q_col},A{n},{k_col},"{KIND_CN["verification"]}")',
                   disclose[qn]]
                  + [f'=COUNTIFS({q_col},A{n},{s_col},"{s}")' for s in STATUSES])
        cell_as_text(sm.cell(row=n, column=2))
    n1, n2 = top + 1, sm.max_row
    sm.append(["合计", ""] + [f"=SUM({get_column_letter(c)}{n1}:{get_column_letter(c)}{n2})" for c in range(3, len(hdr) + 1)])
    for c in range(1, len(hdr) + 1):
        sm.cell(row=sm.max_row, column=c).font = head_font
    sm.append([])
    hdr2 = ["答复方", "负责人", "事项数", ""] + [""] + STATUSES
    sm.append(hdr2)
    top2 = sm.max_row
    for c in range(1, len(hdr2) + 1):
        sm.cell(row=top2, column=c).font, sm.cell(row=top2, column=c).fill = head_font, head_fill
    parties: dict[str, str] = {}
    for r in cl.rows:
        parties.setdefault(r.party, r.owner)
    for party, owner in parties.items():
        n = sm.max_row + 1
        sm.append([party, owner, f'=COUNTIFS({p_col},A{n})', "", ""]
                  + [f'=COUNTIFS({p_col},A{n},{s_col},"{s}")' for s in STATUSES])
        cell_as_text(sm.cell(row=n, column=1))
        cell_as_text(sm.cell(row=n, column=2))
    sm.page_setup.orientation = "landscape"
    sm.sheet_properties.pageSetUpPr.fitToPage = True
    sm.page_setup.fitToWidth, sm.page_setup.fitToHeight = 1, 0

    write_atomic(path, lambda tmp: wb.save(str(tmp)), force=force)
    return Path(path)


# ---------------------------------------------------------------------------------------------
# DOCX

DOCX_COLUMNS = [("编号", "id"), ("事项(摘要)", "text"), ("主题", "topic"), ("重开前轮回复", "reopens"), ("答复方", "party"),
                ("所需数据", "data_status"), ("工作底稿", "evidence"), ("说明书修改", "prospectus"),
                ("负责人", "owner"), ("截止日", "due"), ("状态", "status")]
DOCX_WIDTHS_CM = [2.6, 4.6, 2.6, 3.0, 1.9, 1.7, 3.4, 1.6, 2.0, 2.1, 1.5]  # 27.0 cm: A4 landscape, 1.2 cm margins
DOCX_PLAIN_WIDTHS_CM = [2.6, 5.6, 3.0, 1.9, 1.7, 4.4, 2.0, 2.3, 2.1, 1.4]  # the same without 重开前轮回复


def docx_columns_for(cl: Checklist) -> tuple[list, list]:
    """The DOCX columns and widths: 重开前轮回复 only when a row reopens an earlier answer."""
    if any(r.reopens for r in cl.rows):
        return DOCX_COLUMNS, DOCX_WIDTHS_CM
    return [c for c in DOCX_COLUMNS if c[1] != "reopens"], DOCX_PLAIN_WIDTHS_CM


def write_docx(cl: Checklist, path: str | os.PathLike, force: bool = False) -> Path:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    DOCX_COLUMNS, DOCX_WIDTHS_CM = docx_columns_for(cl)  # noqa: N806 - this checklist's columns

    d = docx.Document()
    sec = d.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)  # A4 landscape
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Cm(1.2))
    st = d.styles["Normal"]
    st.font.size = Pt(9)
    st.font.name = "宋体"
    rpr = st.element.get_or_add_rPr()
    rfonts = rpr.find(docx.oxml.ns.qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(docx.oxml.ns.qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(docx.oxml.ns.qn("w:eastAsia"), "宋体")
    d.add_heading(f"问询函回复工作清单{(' — ' + cl.issuer) if cl.issuer else ''}", level=1)
    d.add_paragraph(f"来源: {cl.source};函件日期: {cl.letter_date or '未注明'};回复截止日: {cl.due.isoformat()}"
                    f"({window_text(cl)};{left_text(cl) or '—'})。期限依据: {cl.due_rule}。"
                    f"共{len(cl.request_rows)}项说明事项、{len(cl.verification_rows)}项核查意见。")
    table = d.add_table(rows=1, cols=len(DOCX_COLUMNS))
    table.style = "Table Grid"
    table.autofit = False
    widths = [Cm(w) for w in DOCX_WIDTHS_CM]
    for col, w in zip(table.columns, widths):  # the grid is what LibreOffice and Word lay out by
        col.width = w
    hdr = table.rows[0]
    for cell, (name, _), w in zip(hdr.cells, DOCX_COLUMNS, widths):
        cell.text = name
        cell.width = w
        for r in cell.paragraphs[0].runs:
            r.bold = True
    # repeat the header row on each page
    trpr = hdr._tr.get_or_add_trPr()
    el = trpr.makeelement(docx.oxml.ns.qn("w:tblHeader"), {docx.oxml.ns.qn("w:val"): "true"})
    trpr.append(el)
    for row in cl.rows:
        cells = table.add_row().cells
        for cell, (_, attr), w in zip(cells, DOCX_COLUMNS, widths):
            cell.width = w
            v = getattr(row, attr)
            if attr == "evidence":
                v = ";".join(v[:3]) + ("…" if len(v) > 3 else "")
            elif attr == "reopens":  # the earlier answers only, without the evidence
                v = ";".join(x.split("：", 1)[0] for x in v)
            elif attr == "topic":  # names only: "inventory 存货, gross_margin 毛利率" -> "存货、毛利率"
                v = "、".join(t.strip().split(" ", 1)[-1] for t in v.split(",") if t.strip())
            elif isinstance(v, list):
                v = ";".join(v)
            elif isinstance(v, dt.date):
                v = v.isoformat()
            cell.text = str(v or "")
    write_atomic(path, lambda tmp: d.save(str(tmp)), force=force)
    return Path(path)


def write_checklist(cl: Checklist, path: str | os.PathLike, force: bool = False) -> Path:
    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        return write_xlsx(cl, path, force=force)
    if suffix == ".docx":
        return write_docx(cl, path, force=force)
    raise UserError("the checklist is written as .xlsx or .docx (give -o OUT.xlsx or -o OUT.docx)", file=str(path))
