"""Apply a new company file to a reply drafter wrote (加期): recompute every tagged figure and table,
replace what changed in 楷体加粗 (HouseStyle.revised), leave the team's own text alone.

    report = update_reply(Path("回复.docx"), Path("company_new.yaml"), Path("回复_加期.docx"))

- A figure (the runs inside its _DrF bookmark) gets the new printed value. A figure whose text the
  team changed by hand is left and listed to check. A paragraph the team edited (its text no longer
  hashes to what was drafted) still gets the new figure; when the figure's sign turned (增长 → 下降) and
  the paragraph's wording points the old way, a Word comment says so.
- A table the team did not edit is rebuilt from the new data (new periods add columns, the oldest
  drops when the window moves); the cells that differ from the old table are set in the revised look.
  An edited table keeps its shape: only its figure cells are updated, by row and column label.
- A number in untagged text equal to an old figure's printed text is listed "check by hand".
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from docx.document import Document as DocxDocument
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run as DocxRun
from lxml import etree

from .. import numbers as N
from ..company.model import CompanyProfile
from ..render.body import (B, BCS, BMEND, BMSTART, ID, NAME, P, PPR, R, RFONTS, RPR, TBL, TC, TR, TRPR,
                           TBLHEADER, VAL, W, BodyWriter, note_lines, table_text, text_hash)
from ..render.style import HouseStyle
from ..render.styles import PARA_STYLE_IDS
from .provenance import Tag, locate, paragraph_text, read_map, run_text, write_map
from .recompute import Recomputer, format_figure
from .report import Change, HandCheck, UpdateReport

AUTHOR, INITIALS = "drafter", "DR"
GRIDSPAN, VMERGE = W + "gridSpan", W + "vMerge"
UP_WORDS = ("增长", "增加", "上升", "提高", "上涨", "增幅", "盈利", "高于", "较高", "高")
DOWN_WORDS = ("下降", "减少", "下滑", "降低", "下跌", "降幅", "亏损", "低于", "较低", "低")
_FIGURE_CELL = re.compile(r"^[-+]?[\d,]+(\.\d+)?%?$|^[-–—]$|^(增长|下降)[\d,.]+%$|^持平$")
_NUMBER = re.compile(r"(?<![\d.,])[-+]?\d[\d,]*(?:\.\d+)?%?(?![\d]|[.,]\d)")
HEADING1, NOTE = PARA_STYLE_IDS["heading1"], PARA_STYLE_IDS["note"]


# --------------------------------------------------------------------------- XML helpers

def _style_id(p: etree._Element) -> str | None:
    ps = p.find(f"{PPR}/{W}pStyle")
    return ps.get(VAL) if ps is not None else None


def _set_text(r: etree._Element, text: str) -> None:
    for el in list(r):
        if el.tag != RPR:
            r.remove(el)
    BodyWriter.text(r, text)


def _revise(r: etree._Element, look) -> None:
    """Set a run in the revised look (楷体加粗 by default)."""
    rpr = r.find(RPR)
    if rpr is None:
        rpr = etree.Element(RPR)
        r.insert(0, rpr)
    if look.face:
        fonts = rpr.find(RFONTS)
        if fonts is None:
            fonts = etree.Element(RFONTS)
            style = rpr.find(W + "rStyle")
            (style.addnext(fonts) if style is not None else rpr.insert(0, fonts))
        fonts.set(W + "eastAsia", look.face)
        fonts.set(W + "hint", "eastAsia")
    if look.bold:  # w:b and w:bCs right after rStyle/rFonts: Word wants the schema's order
        prev = None
        for tag in (W + "rStyle", RFONTS):
            if rpr.find(tag) is not None:
                prev = rpr.find(tag)
        for tag in (B, BCS):
            el = rpr.find(tag)
            if el is None:
                el = etree.Element(tag)
                (prev.addnext(el) if prev is not None else rpr.insert(0, el))
            el.attrib.pop(VAL, None)
            prev = el


def _cell_text(tc: etree._Element) -> str:
    return "\n".join(paragraph_text(p) for p in tc.findall(P))


def _set_cell(tc: etree._Element, text: str, look) -> None:
    p = tc.find(P)
    for extra in tc.findall(P)[1:]:
        tc.remove(extra)
    runs = p.findall(R)
    for r in runs[1:]:
        p.remove(r)
    r = runs[0] if runs else etree.SubElement(p, R)
    _set_text(r, text)
    _revise(r, look)


def _rows(tbl: etree._Element) -> tuple[list[etree._Element], list[etree._Element]]:
    header, body = [], []
    for tr in tbl.findall(TR):
        (header if tr.find(f"{TRPR}/{TBLHEADER}") is not None else body).append(tr)
    return header, body


def _grid(tr: etree._Element) -> list[etree._Element]:
    """The row's cells by grid column (a cell spanning n columns appears n times)."""
    out = []
    for tc in tr.findall(TC):
        span = tc.find(f"{W}tcPr/{GRIDSPAN}")
        out.extend([tc] * (int(span.get(VAL, "1")) if span is not None else 1))
    return out


def _col_labels(header: list[etree._Element], ncols: int) -> list[str]:
    labels: list[list[str]] = [[] for _ in range(ncols)]
    for tr in header:
        for j, tc in enumerate(_grid(tr)[:ncols]):
            t = _cell_text(tc).strip()
            if t and (not labels[j] or labels[j][-1] != t):
                labels[j].append(t)
    return [" ".join(x) for x in labels]


def _cells_by_label(tbl: etree._Element) -> tuple[dict[tuple, etree._Element], list[str]]:
    """(row label, its occurrence, column label) -> w:tc for the body cells; and the column labels."""
    header, body = _rows(tbl)
    ncols = max((len(_grid(tr)) for tr in header + body), default=0)
    cols = _col_labels(header, ncols)
    seen: Counter = Counter()
    out: dict[tuple, etree._Element] = {}
    for tr in body:
        cells = _grid(tr)
        label = _cell_text(cells[0]).strip() if cells else ""
        seen[label] += 1
        for j, tc in enumerate(cells[1:], 1):
            if j < len(cols):
                out[(label, seen[label], cols[j])] = tc
    return out, cols


def _body_texts(tbl: etree._Element) -> list[list[str]]:
    return [[_cell_text(tc) for tc in tr.findall(TC)] for tr in _rows(tbl)[1]]


def _sign(text: str, value: Any = None) -> int:
    if value is not None:
        return (value > 0) - (value < 0)
    if "下降" in text or text.lstrip().startswith(("-", "－")):
        return -1
    if "持平" in text or not re.search(r"[1-9]", text):
        return 0
    return 1


# --------------------------------------------------------------------------- where things are

class Places:
    """Human-readable places: the question (its heading) and the paragraph or table number in it."""

    def __init__(self, body: etree._Element):
        self.at: dict[etree._Element, str] = {}  # keyed by the element (kept alive), never id() of a proxy
        question, para_n, table_n = "正文开头", 0, 0
        for el in body:
            if el.tag == P:
                if _style_id(el) == HEADING1:
                    question, para_n, table_n = paragraph_text(el).strip()[:24] or question, 0, 0
                    continue
                if paragraph_text(el).strip():
                    para_n += 1
                self.at[el] = f"{question} 第{para_n}段"
            elif el.tag == TBL:
                table_n += 1
                self.at[el] = f"{question} 表{table_n}"

    def of(self, el: etree._Element) -> str:
        top = el
        while top.getparent() is not None and top.getparent().tag != W + "body":
            top = top.getparent()
        return self.at.get(top, "正文")


def _describe(source: dict) -> str:
    if source.get("kind") == "metric":
        bits = [str(source.get("fn")), str(source.get("key"))]
        if source.get("denominator"):
            bits.append("/" + str(source["denominator"]))
        if source.get("period"):
            bits.append(str(source["period"]))
        if source.get("base"):
            bits.append("vs " + str(source["base"]))
        return " ".join(bits)
    if source.get("kind") == "f":
        return f"{source.get('topic')}: f." + ".".join(source.get("path", []))
    if source.get("table"):
        return f"表 {source.get('name') or source.get('kind')}"
    return str(source.get("kind"))


# --------------------------------------------------------------------------- the update

class Updater:
    def __init__(self, d: DocxDocument, profile: CompanyProfile, style: HouseStyle | None = None,
                 file: str | None = None):
        self.d = d
        self.style = style or HouseStyle()
        self.look = self.style.revised
        self.rc = Recomputer(profile)
        self.mapping = read_map(d, file)
        self.tags = locate(d, self.mapping)
        self.places = Places(d.element.body)
        self.changes: list[Change] = []
        self.hand: list[HandCheck] = []
        self.comments = 0
        self.old_texts: dict[str, str] = {}  # old printed text -> new (figures and cells that changed)
        self.figures_changed = self.tables_changed = self.cells_changed = 0
        self.lost: list[str] = []  # tags in the map whose bookmark is gone from the document

    def run(self) -> None:
        figures = [t for t in self.tags if not t.is_table]
        # which paragraphs the team edited: judged before any figure in them changes
        edited = {id(t.paragraph): text_hash(paragraph_text(t.paragraph)) != t.source.get("para") for t in figures}
        latest_noted: set = set()  # paragraphs already noted (elements, kept alive by the tags)
        for tag in figures:
            self.figure(tag, edited[id(tag.paragraph)], latest_noted)
        for p in {id(t.paragraph): t.paragraph for t in figures}.values():  # the new drafted text's hash
            if not edited[id(p)]:
                h = text_hash(paragraph_text(p))
                for t in figures:
                    if t.paragraph is p:
                        self.mapping[t.name]["para"] = h
        for tag in self.tags:
            if tag.is_table:
                self.table(tag)
        self.lost_figures()
        self.narrative()
        write_map(self.d, self.mapping)

    # -- figures -----------------------------------------------------------------------------------
    def figure(self, tag: Tag, edited: bool, latest_noted: set) -> None:
        src, where = tag.source, self.places.of(tag.paragraph)
        cur = tag.text
        if cur != src.get("text"):
            self.hand.append(HandCheck(where=where, text=cur, reason=f"figure changed by hand (drafted "
                                       f"“{src.get('text')}”); not recomputed"))
            return
        value, new = self.rc.figure(src)
        was = src.get("period")
        moved = bool(src.get("latest") and was and self.rc.latest and was != self.rc.latest)
        if new is None:
            reason = (f"written for the latest period then ({N.period_label(was)}), which the new file no longer "
                      f"reports: rewrite it for {N.period_label(self.rc.latest)}" if moved else
                      f"the new company file has no value for {_describe(src)}; left as it was")
            self.hand.append(HandCheck(where=where, text=cur, reason=reason))
            return
        if moved and tag.paragraph not in latest_noted:
            latest_noted.add(tag.paragraph)
            self.hand.append(HandCheck(where=where, text=cur, reason=(
                f"written for the latest period then ({N.period_label(was)}); the new file's latest is "
                f"{N.period_label(self.rc.latest)}: the figure stays for {N.period_label(was)}, "
                "rewrite the sentence for the new period if it should speak of it")))
        if new == cur:
            return
        first = tag.runs[0]
        for r in tag.runs[1:]:
            r.getparent().remove(r)
        _set_text(first, new)
        _revise(first, self.look)
        self.mapping[tag.name]["text"] = new
        self.old_texts.setdefault(cur, new)
        self.figures_changed += 1
        change = Change(where=where, kind="figure", old=cur, new=new, source=_describe(src), edited=edited)
        signed = format_figure(value, src) if src.get("abs") else new  # 高1.30 → -1.13 (printed as 低1.13)
        note = self._wording(tag, cur, new, value, src.get("sign"), signed)
        if note:
            para = DocxParagraph(tag.paragraph, self.d._body)
            self.d.add_comment([DocxRun(first, para)], text=note, author=AUTHOR, initials=INITIALS)
            self.comments += 1
            change.comment = note
        self.changes.append(change)

    @staticmethod
    def _wording(tag: Tag, old: str, new: str, value: Any, drafted_sign: int | None = None,
                 shown: str | None = None) -> str | None:
        """A note when the figure's sign turned and the paragraph's words still point the old way."""
        before = drafted_sign if drafted_sign is not None else _sign(old)
        after = _sign(new, value)
        if before == 0 or after == 0 or before == after:
            return None
        rest = paragraph_text(tag.paragraph).replace(new, "")
        found = [w for w in (UP_WORDS if before > 0 else DOWN_WORDS) if w in rest]
        stale = [w for w in found if not any(w != o and w in o for o in found)]  # 高 only when not in 高于
        if not stale:
            return None
        turn = "由正转负" if before > 0 else "由负转正"
        fit = "下降/减少/低" if before > 0 else "增长/增加/高"
        return (f"drafter update：此处数据{turn}（{old} → {shown or new}），本段“{'”“'.join(stale)}”等表述可能已不再适用，"
                f"请核对是否改为“{fit}”。")

    # -- tables ------------------------------------------------------------------------------------
    def table(self, tag: Tag) -> None:
        src, tbl = tag.source, tag.table
        where = self.places.of(tbl)
        new = self.rc.table(src)
        if new is None:
            self.hand.append(HandCheck(where=where, text=_describe(src), reason="the new company file no longer "
                                       "gives this table; left as it was"))
            return
        self.notes(tag, new, where)
        edited = text_hash(table_text(_body_texts(tbl))) != src.get("hash")
        new_tbl = self._build(new)
        old_cells, old_cols = _cells_by_label(tbl)
        new_cells, new_cols = _cells_by_label(new_tbl)
        same_cols = old_cols == new_cols
        if edited:
            self._update_in_place(tag, old_cells, new_cells, where, same_cols)
            return
        header_old = [[_cell_text(tc) for tc in tr.findall(TC)] for tr in _rows(tbl)[0]]
        header_new = [[_cell_text(tc) for tc in tr.findall(TC)] for tr in _rows(new_tbl)[0]]
        if header_old == header_new and _body_texts(tbl) == _body_texts(new_tbl):
            return
        changed = 0
        for key, tc in new_cells.items():
            old_tc = old_cells.get(key)
            old = _cell_text(old_tc) if old_tc is not None else ""
            text = _cell_text(tc)
            if old == text:
                continue
            for r in tc.iter(R):
                _revise(r, self.look)
            changed += 1
            if old:
                self.old_texts.setdefault(old, text)
            self.changes.append(Change(where=f"{where} “{key[0]}”行 “{key[2]}”列", kind="cell", old=old,
                                       new=text, source=_describe(src)))
        old_labels = set(old_cols)
        for tr in _rows(new_tbl)[0]:  # header cells of new columns
            for tc in tr.findall(TC):
                if _cell_text(tc).strip() and _cell_text(tc).strip() not in {x for c in old_labels for x in c.split(" ")}:
                    for r in tc.iter(R):
                        _revise(r, self.look)
        self._mark(new_tbl, tag.name)
        tbl.addprevious(new_tbl)
        tbl.getparent().remove(tbl)
        tag.table = new_tbl
        self.mapping[tag.name].update(rows=len(new.rows), cols=len(new_cols),
                                      hash=text_hash(table_text(_body_texts(new_tbl))))
        self.tables_changed += 1
        self.cells_changed += changed
        if not same_cols:
            gone = [c for c in old_cols if c not in new_cols]
            added = [c for c in new_cols if c not in old_cols]
            self.changes.append(Change(where=where, kind="table", old="、".join(gone), new="、".join(added),
                                       source=_describe(src)))

    def notes(self, tag: Tag, new, where: str) -> None:
        """The 注: lines below the table: replaced when the team left them as drafted, else listed."""
        src = tag.source
        if "notes_hash" not in src:
            return
        old: list[etree._Element] = []
        el = tag.table.getnext()
        while el is not None and el.tag == P and _style_id(el) == NOTE and len(old) < int(src.get("notes", 0)):
            old.append(el)
            el = el.getnext()
        old_lines = [paragraph_text(p) for p in old]
        new_lines = note_lines(new, self.style.table.note_prefix)
        if old_lines == new_lines:
            return
        if len(old) != int(src.get("notes", 0)) or text_hash("\n".join(old_lines)) != src["notes_hash"]:
            self.hand.append(HandCheck(where=where, text="；".join(new_lines), reason=(
                "the note below this table was edited by the team; with the new data drafter would write this")))
            return
        anchor = old[-1] if old else tag.table
        for line in reversed(new_lines):
            p = etree.Element(P)
            etree.SubElement(etree.SubElement(p, PPR), W + "pStyle").set(VAL, NOTE)
            r = etree.SubElement(p, R)
            BodyWriter.text(r, line)
            if line not in old_lines:
                _revise(r, self.look)
            anchor.addnext(p)
        for p in old:
            p.getparent().remove(p)
        src.update(notes=len(new_lines), notes_hash=text_hash("\n".join(new_lines)))
        self.changes.append(Change(where=f"{where} 注", kind="note", old="\n".join(old_lines),
                                   new="\n".join(new_lines), source=_describe(src)))

    def _update_in_place(self, tag: Tag, old_cells: dict, new_cells: dict, where: str, same_cols: bool) -> None:
        changed = 0
        unmatched: dict[str, None] = {}
        for key, tc in old_cells.items():
            new_tc = new_cells.get(key)
            if new_tc is None:
                if _FIGURE_CELL.match(_cell_text(tc).strip()):
                    unmatched[key[0]] = None
                continue
            old, text = _cell_text(tc), _cell_text(new_tc)
            if old == text or not _FIGURE_CELL.match(old.strip()) or not _FIGURE_CELL.match(text.strip()):
                continue  # the same, the team's words, or no figure to put there: left alone
            _set_cell(tc, text, self.look)
            changed += 1
            self.old_texts.setdefault(old, text)
            self.changes.append(Change(where=f"{where} “{key[0]}”行 “{key[2]}”列", kind="cell", old=old,
                                       new=text, source=_describe(tag.source), edited=True))
        for label in unmatched:
            self.hand.append(HandCheck(where=f"{where} “{label}”行", text=label, reason=(
                "the team edited this table; this row (or its columns) has no counterpart in the new data, "
                "so its figures were not updated")))
        if changed:
            self.tables_changed += 1
            self.cells_changed += changed
        if not same_cols:
            self.hand.append(HandCheck(where=where, text=_describe(tag.source), reason=(
                "the team edited this table and the new data changes its columns (a new period); only its "
                "figure cells were updated — add or drop the period columns by hand")))

    def _build(self, table) -> etree._Element:
        scratch = etree.Element(W + "body")
        BodyWriter(scratch, self.style).table(table.model_copy(update={"source": None, "unit": None, "notes": []}))
        return scratch.find(TBL)

    def _mark(self, tbl: etree._Element, name: str) -> None:
        first = tbl.find(f"{TR}/{TC}/{P}")
        if first is None:
            return
        ids = [int(x) for x in self.d.element.body.xpath(".//w:bookmarkStart/@w:id") if str(x).isdigit()]
        bid = str(max(ids, default=0) + 1)
        start = etree.SubElement(first, BMSTART)
        start.set(ID, bid)
        start.set(NAME, name)
        etree.SubElement(first, BMEND).set(ID, bid)

    def lost_figures(self) -> None:
        """Figures whose bookmark the team's editing removed (a paragraph retyped): their old text joins
        the numbers to look for in untagged text, so a retyped sentence is still listed to check."""
        found = {t.name for t in self.tags}
        self.lost = [n for n in self.mapping if n not in found]
        for name in self.lost:
            src = self.mapping[name]
            if src.get("table") or not src.get("text"):
                continue
            _, new = self.rc.figure(src)
            if new and new != src["text"]:
                self.old_texts.setdefault(src["text"], new)

    # -- numbers in untagged text ------------------------------------------------------------------
    def narrative(self) -> None:
        olds: dict[str, str] = {}  # the number as it would stand in text (增长12.75% -> 12.75%) -> new text
        for o, n in self.old_texts.items():
            m = _NUMBER.search(o)
            if m and len(re.sub(r"\D", "", m.group(0))) >= 3:
                olds.setdefault(m.group(0), n)
        if not olds:
            return
        tagged = {id(r) for t in self.tags if not t.is_table for r in t.runs}
        tagged_tables = {id(t.table) for t in self.tags if t.is_table}
        body = self.d.element.body
        for p in body.iter(P):
            if any(id(a) in tagged_tables for a in p.iterancestors(TBL)):
                continue
            text = "".join(run_text(r) for r in p.iter(R) if id(r) not in tagged)
            if not text or not any(ch.isdigit() for ch in text):
                continue
            for m in _NUMBER.finditer(text):
                if m.group(0) in olds:
                    self.hand.append(HandCheck(where=self.places.of(p), text=m.group(0), reason=(
                        f"not tagged, but equal to an old figure (now {olds[m.group(0)]})")))

    def report(self, reply: str, company: str, output: str) -> UpdateReport:
        return UpdateReport(reply=reply, company=company, output=output,
                            figures=sum(1 for t in self.tags if not t.is_table),
                            tables=sum(1 for t in self.tags if t.is_table),
                            figures_changed=self.figures_changed, tables_changed=self.tables_changed,
                            cells_changed=self.cells_changed, comments=self.comments, untraced=len(self.lost),
                            changes=self.changes,
                            check_by_hand=self.hand)


def open_reply(path: Path) -> DocxDocument:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    from ..errors import UserError

    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError):
        raise UserError("not a readable .docx (is it a Word document drafter wrote?)", file=str(path)) from None
    except OSError as e:
        raise UserError(f"cannot read ({e.strerror or e})", file=str(path)) from None


def update_reply(reply: Path, company: Path, out: Path, *, style: HouseStyle | None = None,
                 force: bool = False) -> UpdateReport:
    """Write `out`: `reply` with its tagged figures and tables recomputed from `company`."""
    from ..company.files import load_company
    from ..output import check_target, write_atomic

    check_target(out, force)
    d = open_reply(reply)
    profile = load_company(company)
    up = Updater(d, profile, style, file=str(reply))
    up.run()
    write_atomic(out, lambda p: d.save(str(p)), force=force)
    return up.report(str(reply), str(company), str(out))
