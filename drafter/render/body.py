"""Build the document body as XML: paragraphs name a style id, tables are plain w:tbl elements.

python-docx's object API (add_paragraph, paragraph.style = name, table.cell) costs tens of seconds
on a 400-page reply; creating the elements with lxml directly, with every look in styles.xml,
costs well under a second.
"""
from __future__ import annotations

import copy
import hashlib
import json
import re
from collections import defaultdict, deque

from docx.oxml.parser import oxml_parser
from lxml import etree

from ..document import Legend, Paragraph, ReplyDocument, Run, Table, Toc
from .style import HouseStyle
from .styles import (
    cell_style_id,
    LEGEND_TABLE_TEXT,
    PARA_STYLE_IDS,
    PLACEHOLDER_STYLE_ID,
    VERIFY_STYLE_ID,
    TABLE_STYLE_ID,
    TOC_STYLE_IDS,
    W_NS,
    table_borders_xml,
    text_width_twips,
)

W = "{%s}" % W_NS
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
VAL = W + "val"
P, PPR, PSTYLE, JC, R, RPR, T, TAB, BR = (W + x for x in ("p", "pPr", "pStyle", "jc", "r", "rPr", "t", "tab", "br"))
RSTYLE, RFONTS, B, BCS, COLOR, HIGHLIGHT = (W + x for x in ("rStyle", "rFonts", "b", "bCs", "color", "highlight"))
TBL, TBLPR, TBLSTYLE, TBLW, TBLGRID, GRIDCOL, TBLLOOK, TBLLAYOUT = (
    W + x for x in ("tbl", "tblPr", "tblStyle", "tblW", "tblGrid", "gridCol", "tblLook", "tblLayout"))
TR, TRPR, TBLHEADER, CANTSPLIT, TC, TCPR, TCW, GRIDSPAN, VMERGE, VALIGN, SHD = (
    W + x for x in ("tr", "trPr", "tblHeader", "cantSplit", "tc", "tcPr", "tcW", "gridSpan", "vMerge", "vAlign",
                    "shd"))
KEEPNEXT, TBLCELLMAR = W + "keepNext", W + "tblCellMar"
PAGEBREAKBEFORE, FLDCHAR, INSTRTEXT, HYPERLINK, BMSTART, BMEND = (
    W + x for x in ("pageBreakBefore", "fldChar", "instrText", "hyperlink", "bookmarkStart", "bookmarkEnd"))
FLDCHARTYPE, DIRTY, ANCHOR, HISTORY, NAME, ID, TYPE, WW = (
    W + x for x in ("fldCharType", "dirty", "anchor", "history", "name", "id", "type", "w"))

_JC = {"left": "left", "center": "center", "right": "right", "justify": "both"}
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BREAKS = re.compile(r"(\n|\t)")
_NOTE_LABEL = re.compile(r"\s*注\s*\d*\s*[:\uff1a]")
# a placeholder written into a table cell (cells are plain strings): 【待补充:…】, 【请填写…】, 【TODO…】,
# 【X、XXXX】 (the markers compose writes; highlighted like placeholder runs)
CELL_PLACEHOLDER = re.compile(r"【[^】]*(?:待|请|填写|补充|TODO|todo|XX)[^】]*】")
EMPTY_PLACEHOLDER = "【待补充】"
KEEP_TOGETHER_ROWS = 15  # tables up to this many rows (header included) are kept on one page
KNOWN_FACES = ("楷体_GB2312", "仿宋_GB2312", "微软雅黑", "宋体", "黑体", "楷体", "仿宋", "SimSun", "SimHei",
               "KaiTi", "FangSong")


def _t_xml(text: str) -> str:
    """w:t (with w:br / w:tab for line breaks and tabs) as XML text."""
    text = _BAD_XML.sub("", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if "\n" in text or "\t" in text:
        parts = []
        for piece in _BREAKS.split(text):
            if piece == "\n":
                parts.append("<w:br/>")
            elif piece == "\t":
                parts.append("<w:tab/>")
            elif piece:
                parts.append(f'<w:t xml:space="preserve">{piece}</w:t>')
        return "".join(parts)
    if text[:1].isspace() or text[-1:].isspace():
        return f'<w:t xml:space="preserve">{text}</w:t>'
    return f"<w:t>{text}</w:t>"


# Provenance (drafter update): each tagged figure run sits between a hidden bookmark _DrF000001's start
# and end (a table: a point bookmark in its first cell), and a custom XML part maps the bookmark names
# to what recomputes them. Bookmarks survive Word and LibreOffice saves and python-docx edits of other
# runs; the runs stay plain children of their paragraph (python-docx's paragraph.text sees them).
PROVENANCE_NS = "urn:drafter:provenance"
PROVENANCE_PREFIX = "_DrF"


def text_hash(text: str) -> str:
    """A short fingerprint of a paragraph's (or a table's body) text as drafted: edited or not."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def table_text(rows: list[list[str]]) -> str:
    return "\n".join("\t".join(r) for r in rows)


def provenance_xml(mapping: dict[str, dict]) -> bytes:
    """The custom XML part: {bookmark name: provenance} as JSON inside one element."""
    body = json.dumps(mapping, ensure_ascii=False, separators=(",", ":"), default=str)
    body = body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<provenance xmlns="{PROVENANCE_NS}" version="1">{body}</provenance>').encode("utf-8")


def note_lines(tbl: Table, prefix: str) -> list[str]:
    """The 注: lines printed below a table (注: for one, 注1:/注2: for several)."""
    notes = [n for n in tbl.notes if n.strip()]
    out = []
    for i, note in enumerate(notes, 1):
        if _NOTE_LABEL.match(note):  # already 注:/注1:
            out.append(note)
        elif len(notes) == 1:
            out.append(f"{prefix}{note}")
        else:
            out.append(f"{prefix[:1]}{i}{prefix[1:]}{note}")
    return out


def display_width(text: str) -> int:
    """Columns a string needs: CJK characters count twice."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0x2E7F)


# Advance widths in half-ems (a digit of Times New Roman; a Chinese character is 2).
_NARROW = dict.fromkeys(",.:;!|'", 0.5) | dict.fromkeys("()[]-/ ", 0.7) | {"%": 1.7, "@": 1.9}


def text_units(text: str) -> float:
    """How wide `text` prints, in half-ems: digits 1, Chinese 2, separators less, capitals more.

    Word and LibreOffice put a quarter-em between Chinese and Latin letters or digits (autoSpaceDE/DN):
    2026年1-6月 needs three of them.
    """
    w = 0.0
    prev_cjk = None
    for ch in text:
        cjk = ord(ch) > 0x2E7F
        if ch.isascii() and ch.isalnum() or cjk:
            if prev_cjk is not None and prev_cjk != cjk:
                w += 0.5
            prev_cjk = cjk
        else:
            prev_cjk = None
        if cjk:
            w += 2
        elif ch.isdigit() or ch.islower():
            w += 1
        elif ch in _NARROW:
            w += _NARROW[ch]
        elif ch.isupper():
            w += 1.4
        else:
            w += 1
    return w


# what no line may break: a figure (1,234.56, -3.20%; of 12.5倍 the figure) or a Latin word (300001.SZ)
_UNBREAKABLE = re.compile(r"[-+]?[A-Za-z0-9][A-Za-z0-9.,\-_/%:]*")
COMPACT_CELL_MARGIN = 45  # twips each side in a table set at a compact size (85 otherwise)


class BodyWriter:
    """Appends the blocks of a ReplyDocument to a w:body (before its final w:sectPr)."""

    def __init__(self, body: etree._Element, style: HouseStyle):
        self.body = body
        self.style = style
        self.width = text_width_twips(style)
        self.pending_break = False
        self._bm_id = 0
        self._heading_marks: dict[int, str] = {}  # id(Paragraph) -> bookmark name
        self._marks_by_text: dict[str, deque[str]] = defaultdict(deque)
        self._heading1_texts: list[str] = []
        self.anchor_blocks: set[int] = set()  # indices of paragraph blocks to remember (comment anchors)
        self.anchors: dict[int, etree._Element] = {}  # block index -> its w:p
        self.provenance: dict[str, dict] = {}  # bookmark name -> where its figure or table came from
        self._borders = etree.fromstring(f'<w:x xmlns:w="{W_NS}">{table_borders_xml(style)}</w:x>')[0]
        ph = style.placeholder
        self._ph_color = ph.color
        self._ph_highlight = None if ph.highlight == "none" else ph.highlight
        self._ph_rpr_xml = (
            f'<w:rPr><w:rStyle w:val="{PLACEHOLDER_STYLE_ID}"/>'
            + (f'<w:color w:val="{self._ph_color}"/>' if self._ph_color else "")
            + (f'<w:highlight w:val="{self._ph_highlight}"/>' if self._ph_highlight else "")
            + "</w:rPr>"
        )

    # -- entry point ----------------------------------------------------------------------------
    def write(self, doc: ReplyDocument) -> None:
        sect = self.body.find(W + "sectPr")
        if sect is not None:
            self.body.remove(sect)
        for block in doc.blocks:  # bookmarks for the 目录 entries (page numbers and links)
            if isinstance(block, Paragraph) and block.style == "heading1":
                self._bm_id += 1
                name = f"_Toc{self._bm_id:08d}"
                self._heading_marks[id(block)] = name
                key = block.text.strip()
                self._marks_by_text[key].append(name)
                self._heading1_texts.append(key)
        blocks = doc.blocks
        for n, block in enumerate(blocks):
            kind = block.kind
            if kind == "paragraph":
                # the sentence that leads into a table (…如下：) stays on the table's page
                lead = n + 1 < len(blocks) and blocks[n + 1].kind == "table"
                p = self.paragraph(block, keep_next=lead)
                if n in self.anchor_blocks:
                    self.anchors[n] = p
            elif kind == "table":
                self.table(block)
            elif kind == "page_break":
                self.pending_break = True
            elif kind == "toc":
                self.toc(block)
            elif kind == "legend":
                self.legend(block)
            else:  # pragma: no cover - the discriminated union has no other kinds
                raise TypeError(f"unknown block kind {kind!r}")
        if self.pending_break:  # a break at the very end: an explicit break paragraph
            self._break_paragraph()
        if sect is not None:
            self.body.append(sect)

    # -- paragraphs ------------------------------------------------------------------------------
    def _p(self, style_id: str, align: str | None = None, parent: etree._Element | None = None,
           keep_next: bool = False) -> etree._Element:
        p = etree.SubElement(self.body if parent is None else parent, P)
        ppr = etree.SubElement(p, PPR)
        etree.SubElement(ppr, PSTYLE).set(VAL, style_id)
        if keep_next:
            etree.SubElement(ppr, KEEPNEXT)
        if self.pending_break and parent is None:
            etree.SubElement(ppr, PAGEBREAKBEFORE)
            self.pending_break = False
        if align:
            etree.SubElement(ppr, JC).set(VAL, _JC[align])
        return p

    def _break_paragraph(self) -> None:
        self.pending_break = False
        p = etree.SubElement(self.body, P)
        etree.SubElement(etree.SubElement(p, R), BR).set(TYPE, "page")

    def paragraph(self, para: Paragraph, keep_next: bool = False) -> etree._Element:
        p = self._p(PARA_STYLE_IDS[para.style], para.align, keep_next=keep_next)
        mark = self._heading_marks.get(id(para))
        if mark:
            self._bm_id += 1
            mark_id = self._bm_id
            start = etree.SubElement(p, BMSTART)
            start.set(ID, str(mark_id))
            start.set(NAME, mark)
        if any(run.source for run in para.runs):
            h = text_hash("".join(EMPTY_PLACEHOLDER if r.placeholder and not r.text.strip() else r.text
                                  for r in para.runs))
            for run in para.runs:
                if run.source:
                    self._mark_start(p, {**run.source, "text": run.text, "para": h})
                    self.run(p, run)
                    etree.SubElement(p, BMEND).set(ID, str(self._bm_id))
                else:
                    self.run(p, run)
        else:
            for run in para.runs:
                self.run(p, run)
        if mark:
            etree.SubElement(p, BMEND).set(ID, str(mark_id))
        return p

    def _mark_start(self, p: etree._Element, source: dict) -> str:
        """Open a provenance bookmark in `p` (the caller closes it with id self._bm_id)."""
        self._bm_id += 1
        name = f"{PROVENANCE_PREFIX}{len(self.provenance) + 1:06d}"
        self.provenance[name] = source
        start = etree.SubElement(p, BMSTART)
        start.set(ID, str(self._bm_id))
        start.set(NAME, name)
        return name

    def run(self, p: etree._Element, run: Run) -> None:
        text = run.text
        if run.placeholder and not text.strip():
            text = EMPTY_PLACEHOLDER  # never silently blank
        r = etree.SubElement(p, R)
        verify = run.verify and not run.placeholder
        if run.placeholder or verify or run.bold is not None:
            rpr = etree.SubElement(r, RPR)
            if run.placeholder:
                etree.SubElement(rpr, RSTYLE).set(VAL, PLACEHOLDER_STYLE_ID)
            elif verify:
                etree.SubElement(rpr, RSTYLE).set(VAL, VERIFY_STYLE_ID)
            if run.bold is not None:
                b = etree.SubElement(rpr, B)
                bcs = etree.SubElement(rpr, BCS)
                if not run.bold:
                    b.set(VAL, "0")
                    bcs.set(VAL, "0")
            if run.placeholder:
                self._placeholder_look(rpr)
            elif verify:
                self._verify_look(rpr)
        self.text(r, text)

    def _verify_look(self, rpr: etree._Element) -> None:
        look = self.style.precedent
        if look.color:
            etree.SubElement(rpr, COLOR).set(VAL, look.color)
        if look.highlight != "none":
            etree.SubElement(rpr, HIGHLIGHT).set(VAL, look.highlight)

    def _placeholder_look(self, rpr: etree._Element) -> None:
        if self._ph_color:
            etree.SubElement(rpr, COLOR).set(VAL, self._ph_color)
        if self._ph_highlight:
            etree.SubElement(rpr, HIGHLIGHT).set(VAL, self._ph_highlight)

    @staticmethod
    def text(r: etree._Element, text: str) -> None:
        text = _BAD_XML.sub("", text)
        if "\n" not in text and "\t" not in text:
            t = etree.SubElement(r, T)
            t.text = text
            if text[:1].isspace() or text[-1:].isspace():
                t.set(XML_SPACE, "preserve")
            return
        for piece in _BREAKS.split(text):
            if piece == "\n":
                etree.SubElement(r, BR)
            elif piece == "\t":
                etree.SubElement(r, TAB)
            elif piece:
                t = etree.SubElement(r, T)
                t.text = piece
                t.set(XML_SPACE, "preserve")

    def _plain_run(self, p: etree._Element, text: str) -> etree._Element:
        r = etree.SubElement(p, R)
        self.text(r, text)
        return r

    # -- tables ----------------------------------------------------------------------------------
    def table(self, tbl: Table) -> None:
        tstyle = self.style.table
        if tbl.unit:
            self._plain_run(self._p(PARA_STYLE_IDS["table_unit"]), f"{tstyle.unit_prefix}{tbl.unit}")
        header = [list(r) for r in tbl.header]
        rows = [list(r) for r in tbl.rows]
        ncols = max((len(r) for r in header + rows), default=0)
        if ncols:
            if self.pending_break:
                self._break_paragraph()
            for r in header + rows:  # ragged rows: pad, never drop a cell
                if len(r) < ncols:
                    r.extend([""] * (ncols - len(r)))
            numeric = set(tbl.numeric_cols)
            widths, tier = self.fit_columns(header, rows, ncols, numeric)
            t = self._tbl(widths, cell_margin=COMPACT_CELL_MARGIN if tier else None)
            kind = tbl.style
            head_sid = cell_style_id(kind, "header", tier)
            keep = len(header) + len(rows) <= KEEP_TOGETHER_ROWS  # a short table never splits
            for segs in self._header_segments(header, ncols):
                tr = etree.SubElement(t, TR)
                trpr = etree.SubElement(tr, TRPR)
                etree.SubElement(trpr, CANTSPLIT)
                etree.SubElement(trpr, TBLHEADER)
                for start, span, text, vmerge in segs:
                    w = sum(widths[start:start + span])
                    self._cell(tr, w, head_sid, text, span=span, vmerge=vmerge, fill=tstyle.header_fill,
                               keep=True)  # a header never stays behind alone
            text_sid, num_sid = cell_style_id(kind, "text", tier), cell_style_id(kind, "number", tier)
            sids = [num_sid if i in numeric else text_sid for i in range(ncols)]
            if rows:  # the bulk of a long reply: body rows as one XML string, parsed once per table
                with_note = keep and any(n.strip() for n in tbl.notes)  # the 注 line follows its table
                t.extend(list(etree.fromstring(self._rows_xml(rows, widths, sids, keep, with_note), oxml_parser)))
            if tbl.source:  # a point bookmark in the first cell; the hashes tell an edited table or note
                first = t.find(f"{TR}/{TC}/{P}")
                if first is not None:
                    notes = note_lines(tbl, tstyle.note_prefix)
                    self._mark_start(first, {**tbl.source, "table": True, "rows": len(rows), "cols": ncols,
                                             "hash": text_hash(table_text(rows)), "notes": len(notes),
                                             "notes_hash": text_hash("\n".join(notes))})
                    etree.SubElement(first, BMEND).set(ID, str(self._bm_id))
        for line in note_lines(tbl, tstyle.note_prefix):
            self._plain_run(self._p(PARA_STYLE_IDS["note"]), line)

    def _rows_xml(self, rows: list[list[str]], widths: list[int], sids: list[str], keep: bool = False,
                  keep_last: bool = False) -> str:
        """Body rows as XML text (same elements `_cell` would make, about three times faster).

        With `keep`, every row but the last keeps with the next, so Word moves a short table
        to the next page whole instead of splitting it; with `keep_last` the last row too (so the
        note below goes with the table).
        """
        def opening(keep_next: bool) -> list[str]:
            kn = "<w:keepNext/>" if keep_next else ""
            return [
                f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
                f'<w:p><w:pPr><w:pStyle w:val="{sid}"/>{kn}</w:pPr>'
                for w, sid in zip(widths, sids)
            ]

        plain, kept = opening(False), opening(True) if keep else None
        last = len(rows) - 1
        out = [f'<w:tbl xmlns:w="{W_NS}">']
        for ri, row in enumerate(rows):
            cell_open = kept if keep and (ri < last or keep_last) else plain
            out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            for i, text in enumerate(row):
                out.append(cell_open[i])
                if text:
                    if "【" in text and CELL_PLACEHOLDER.search(text):
                        pos = 0
                        for m in CELL_PLACEHOLDER.finditer(text):
                            if m.start() > pos:
                                out.append(f"<w:r>{_t_xml(text[pos:m.start()])}</w:r>")
                            out.append(f"<w:r>{self._ph_rpr_xml}{_t_xml(m.group(0))}</w:r>")
                            pos = m.end()
                        if pos < len(text):
                            out.append(f"<w:r>{_t_xml(text[pos:])}</w:r>")
                    else:
                        out.append(f"<w:r>{_t_xml(text)}</w:r>")
                out.append("</w:p></w:tc>")
            out.append("</w:tr>")
        out.append("</w:tbl>")
        return "".join(out)

    def _tbl(self, widths: list[int], jc: str | None = None, full_width: bool = True,
             cell_margin: int | None = None) -> etree._Element:
        t = etree.SubElement(self.body, TBL)
        pr = etree.SubElement(t, TBLPR)
        etree.SubElement(pr, TBLSTYLE).set(VAL, TABLE_STYLE_ID)
        tw = etree.SubElement(pr, TBLW)
        if full_width:
            tw.set(WW, "5000")
            tw.set(TYPE, "pct")
        else:
            tw.set(WW, str(sum(widths)))
            tw.set(TYPE, "dxa")
        if jc:
            etree.SubElement(pr, JC).set(VAL, jc)
        pr.append(copy.deepcopy(self._borders))  # also in the table style; direct for other readers
        etree.SubElement(pr, TBLLAYOUT).set(TYPE, "fixed")
        if cell_margin is not None:  # narrower than the table style's, for a compact table
            mar = etree.SubElement(pr, TBLCELLMAR)
            for side in ("left", "right"):
                m = etree.SubElement(mar, W + side)
                m.set(WW, str(cell_margin))
                m.set(TYPE, "dxa")
        look = etree.SubElement(pr, TBLLOOK)
        look.set(VAL, "04A0")
        grid = etree.SubElement(t, TBLGRID)
        for w in widths:
            etree.SubElement(grid, GRIDCOL).set(WW, str(w))
        return t

    def _cell(self, tr: etree._Element, width: int, sid: str, text: str, span: int = 1, vmerge: str | None = None,
              fill: str | None = None, face: tuple[str, bool] | None = None, keep: bool = False) -> None:
        tc = etree.SubElement(tr, TC)
        pr = etree.SubElement(tc, TCPR)
        tcw = etree.SubElement(pr, TCW)
        tcw.set(WW, str(width))
        tcw.set(TYPE, "dxa")
        if span > 1:
            etree.SubElement(pr, GRIDSPAN).set(VAL, str(span))
        if vmerge:
            vm = etree.SubElement(pr, VMERGE)
            if vmerge == "restart":
                vm.set(VAL, "restart")
        if fill:
            shd = etree.SubElement(pr, SHD)
            shd.set(VAL, "clear")
            shd.set(W + "color", "auto")
            shd.set(W + "fill", fill)
        etree.SubElement(pr, VALIGN).set(VAL, "center")
        p = etree.SubElement(tc, P)
        ppr = etree.SubElement(p, PPR)
        etree.SubElement(ppr, PSTYLE).set(VAL, sid)
        if keep:
            etree.SubElement(ppr, KEEPNEXT)
        if not text or vmerge == "continue":
            return
        if face is not None:
            r = etree.SubElement(p, R)
            rpr = etree.SubElement(r, RPR)
            fonts = etree.SubElement(rpr, RFONTS)
            fonts.set(W + "eastAsia", face[0])
            fonts.set(W + "hint", "eastAsia")
            if face[1]:
                etree.SubElement(rpr, B)
                etree.SubElement(rpr, BCS)
            self.text(r, text)
            return
        if "【" in text and CELL_PLACEHOLDER.search(text):
            pos = 0
            for m in CELL_PLACEHOLDER.finditer(text):
                if m.start() > pos:
                    self._plain_run(p, text[pos:m.start()])
                r = etree.SubElement(p, R)
                rpr = etree.SubElement(r, RPR)
                etree.SubElement(rpr, RSTYLE).set(VAL, PLACEHOLDER_STYLE_ID)
                self._placeholder_look(rpr)
                self.text(r, m.group(0))
                pos = m.end()
            if pos < len(text):
                self._plain_run(p, text[pos:])
            return
        self._plain_run(p, text)

    def fit_columns(self, header: list[list[str]], rows: list[list[str]], ncols: int,
                    numeric: set[int] = frozenset()) -> tuple[list[int], int]:
        """Column widths in twips and the size tier (0: the table size, n: n-th compact size).

        A figure (or a Latin word) never breaks inside: when the columns cannot hold them at the
        table size, the table is set at the house's compact sizes (小五, 六号) with narrower cell
        margins; text cells and header labels wrap between Chinese characters. Spare room goes
        first to header labels (one line each when possible), then to text columns.
        """
        pref = [4.0] * ncols  # what a column would like (its widest body cell, on one line)
        hard = [2.0] * ncols  # what it cannot do without (its widest figure or Latin word)
        for row in rows:
            for i, text in enumerate(row):
                if not text:
                    continue
                w = text_units(text)
                if w > pref[i]:
                    pref[i] = w
                tokens = list(_UNBREAKABLE.finditer(text))
                if "【" in text:  # a short placeholder (【待补充】) reads badly broken; a long one may wrap
                    tokens += [m for m in CELL_PLACEHOLDER.finditer(text) if len(m.group(0)) <= 8]
                for m in tokens:
                    u = text_units(m.group(0))
                    if u > hard[i]:
                        hard[i] = u
        air = 0.6  # a little room for rounding in the reader (the cell margins are on top)
        pref = [min(p, 60.0) + air for p in pref]
        hard = [min(h, 40.0) + air for h in hard]
        text_min = 8.0 + air  # a text column shows at least four Chinese characters a line
        for i in range(ncols):
            if i not in numeric:
                hard[i] = max(hard[i], min(pref[i], text_min))
        head = list(pref)  # what the header labels would need on one line
        for segs in self._header_segments(header, ncols):
            for start, span, text, _vm in segs:
                if not text:
                    continue
                w = min(text_units(text), 40.0) + air
                tokens = [text_units(m.group(0)) for m in _UNBREAKABLE.finditer(text)]
                least = max(tokens + [4.0]) + air  # 2026 of 2026年, or two Chinese characters
                for c in range(start, start + span):
                    head[c] = max(head[c], w / span)
                    hard[c] = max(hard[c], least / span)
        base = self.style.face("table").size
        tiers = [(0, base, 170)] + [(n, size, 2 * COMPACT_CELL_MARGIN)
                                    for n, size in enumerate(self.style.table.compact_sizes, 1) if size < base]
        for tier, size, margin in tiers:
            avail = max(self.width - margin * ncols, 60 * ncols)  # dozens of columns: at least a sliver each
            room = avail / float(size * 10)  # half-ems across the table at this size
            if sum(hard) <= room:
                break
        if sum(head) <= room:
            want = head  # every label on one line
        elif sum(pref) <= room:  # body on one line; the spare room to the labels that overflow
            extra = room - sum(pref)
            over = [h - p for h, p in zip(head, pref)]
            want = [p + extra * o / sum(over) for p, o in zip(pref, over)]
        elif sum(hard) < room:  # the spare room: first whole to the columns it puts on one line
            extra = room - sum(hard)  # (cheapest first), the rest in proportion to what wraps
            want = list(hard)
            for i in sorted(range(ncols), key=lambda c: pref[c] - hard[c]):
                if pref[i] - hard[i] <= extra:
                    extra -= pref[i] - hard[i]
                    want[i] = pref[i]
            short = [p - w for p, w in zip(pref, want)]
            total_short = sum(short) or 1.0
            want = [w + extra * s_ / total_short for w, s_ in zip(want, short)]
        else:  # too wide even at the smallest size: in proportion to what each needs
            want = hard
        total = sum(want)
        widths = [margin + int(avail * n / total) for n in want]
        if sum(widths) > self.width:  # more columns than the page can hold: shares of the width
            widths = [max(20, w * self.width // sum(widths)) for w in widths]
        widths[-1] = max(20, widths[-1] + self.width - sum(widths))
        return widths, tier

    @staticmethod
    def _header_segments(header: list[list[str]], ncols: int) -> list[list[list]]:
        """Header rows as [start, span, text, vmerge] cells.

        With two or more header rows, equal neighbours in an upper row merge across
        (2025年 over 金额 and 占比), and an empty cell under a label merges down (项目).
        """
        out: list[list[list]] = []
        last = len(header) - 1
        for ri, row in enumerate(header):
            segs, c = [], 0
            while c < ncols:
                text, span = row[c], 1
                if ri < last and text:
                    while c + span < ncols and row[c + span] == text:
                        span += 1
                segs.append([c, span, text, None])
                c += span
            out.append(segs)
        for ri in range(1, len(out)):
            above = {s[0]: s for s in out[ri - 1]}
            for s in out[ri]:
                a = above.get(s[0])
                if s[2] == "" and a is not None and a[1] == s[1] and (a[2] or a[3] == "continue"):
                    if a[3] is None:
                        a[3] = "restart"
                    s[3] = "continue"
        return out

    # -- legend ----------------------------------------------------------------------------------
    def legend(self, legend: Legend) -> None:
        """The typeface legend as a small bordered table; each face is shown in that face."""
        if self.pending_break:
            self._break_paragraph()
        what_w = max((display_width(r.what) for r in legend.rows), default=10)
        face_w = max((display_width(r.face) for r in legend.rows), default=8)
        char = int(self.style.face("legend").size * 10)  # twips per half-width column
        widths = [min((what_w + 4) * char, self.width * 2 // 3), min((face_w + 4) * char, self.width // 3)]
        t = self._tbl(widths, jc="center", full_width=False)
        for row in legend.rows:
            tr = etree.SubElement(t, TR)
            etree.SubElement(etree.SubElement(tr, TRPR), CANTSPLIT)
            self._cell(tr, widths[0], LEGEND_TABLE_TEXT, row.what)
            face = next((f for f in KNOWN_FACES if row.face.strip().startswith(f)), None)
            bold = "加粗" in row.face or "粗体" in row.face
            self._cell(tr, widths[1], LEGEND_TABLE_TEXT, row.face, face=(face, bold) if face else None)

    # -- 目录 ------------------------------------------------------------------------------------
    def toc(self, toc: Toc) -> None:
        """A TOC field Word refreshes on open, with the entries already visible as its result."""
        entries = [e for e in toc.entries if e.strip()] or list(self._heading1_texts)
        instr = f' TOC \\o "1-{self.style.toc_levels}" \\h \\z \\u '
        if not entries:
            entries = [""]
        used: dict[str, int] = defaultdict(int)
        for i, entry in enumerate(entries):
            p = self._p(TOC_STYLE_IDS[1])
            if i == 0:
                self._fld(p, "begin", dirty=True)
                instr_r = etree.SubElement(p, R)
                it = etree.SubElement(instr_r, INSTRTEXT)
                it.text = instr
                it.set(XML_SPACE, "preserve")
                self._fld(p, "separate")
            key = entry.strip()
            marks = self._marks_by_text.get(key)
            mark = None
            if marks and used[key] < len(marks):
                mark = marks[used[key]]
                used[key] += 1
            if mark:
                link = etree.SubElement(p, HYPERLINK)
                link.set(ANCHOR, mark)
                link.set(HISTORY, "1")
                self._plain_run(link, entry)
                etree.SubElement(etree.SubElement(link, R), TAB)
                self._fld(link, "begin")
                r = etree.SubElement(link, R)
                it = etree.SubElement(r, INSTRTEXT)
                it.text = f" PAGEREF {mark} \\h "
                it.set(XML_SPACE, "preserve")
                self._fld(link, "separate")
                self._plain_run(link, "")
                self._fld(link, "end")
            elif entry:
                self._plain_run(p, entry)
            if i == len(entries) - 1:
                self._fld(p, "end")

    @staticmethod
    def _fld(parent: etree._Element, kind: str, dirty: bool = False) -> None:
        fc = etree.SubElement(etree.SubElement(parent, R), FLDCHAR)
        fc.set(FLDCHARTYPE, kind)
        if dirty:
            fc.set(DIRTY, "true")
