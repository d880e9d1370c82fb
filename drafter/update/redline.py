"""Tracked-change redlines: `after`'s content shown as Word revisions (w:ins / w:del) against `before`.

`write_redline(before, after, out, *, author="drafter", when=None, force=False) -> RedlineStats`.

The output is `after`'s package with only word/document.xml rewritten, so its styles, numbering,
headers, comments, custom XML parts, content controls (w:sdt) and bookmarks (the update helper's
provenance tags) stay as they were. In the body:

- blocks (paragraphs, tables, block content controls) are aligned with difflib over their texts; an
  unchanged block is `after`'s own element; within a region that changed, blocks are paired by
  similarity (paragraph with paragraph, table with table) and the rest are whole insertions/deletions;
- a changed paragraph keeps `after`'s runs and their formatting: text diffed by characters, numbers and
  Latin words as whole tokens (`1,234.56` → `1,456.78` is one w:del + one w:ins), inserted text wrapped
  in w:ins, deleted text put back as w:del runs (w:delText) in `before`'s formatting;
- a whole inserted/deleted paragraph also marks its paragraph mark (w:pPr/w:rPr/w:ins|w:del);
- tables are aligned row by row (w:trPr/w:ins|w:del for whole rows) and cell by cell, the columns
  matched on the first pair of rows: a new column's cells hold inserted text (w:tcPr/w:cellIns), a
  dropped column comes back with its text deleted (w:tcPr/w:cellDel, and its w:gridCol).

Deleted copies of `before`'s content lose what points into `before`'s package (bookmarks, comment
anchors, hyperlinks' targets, pictures, footnote references) and their content controls are unwrapped.
Every w:ins/w:del carries w:id, w:author and w:date.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
import zipfile
from copy import deepcopy
from pathlib import Path
from typing import Iterable

from pydantic import BaseModel

from ..errors import UserError
from ..output import check_not_input, check_target, write_atomic

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
DOC_PART = "word/document.xml"

PARA_MIN_RATIO = 0.4  # paragraphs less alike than this are shown as one deleted and one inserted
ROW_MIN_RATIO = 0.3
SMALL_EQUAL = 2  # an unchanged stretch of at most this many characters between two changes joins them


class RedlineStats(BaseModel):
    insertions: int = 0  # w:ins elements holding inserted text
    deletions: int = 0  # w:del elements holding deleted text
    paragraphs_changed: int = 0  # paragraphs outside tables with any change (edited, inserted or deleted)
    cells_changed: int = 0  # table cells with any change (edited, or in an inserted/deleted row or column)


# ---------------------------------------------------------------------------------------------
# entry point


def write_redline(before: Path, after: Path, out: Path, *, author: str = "drafter", when: dt.datetime | None = None,
                  force: bool = False) -> RedlineStats:
    """Write `out`: `after` with its differences from `before` as tracked changes (see the module docstring)."""
    before, after, out = Path(before), Path(after), Path(out)
    if out.suffix.lower() != ".docx":
        raise UserError("the redline is written as a .docx", file=str(out))
    check_not_input(out, before, after)
    check_target(out, force)  # fail before the work
    b_root = _read_document(before)
    a_root = _read_document(after)
    when = when or dt.datetime.now(dt.timezone.utc)
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone.utc)
    ctx = _Ctx(author=(author or "drafter").strip() or "drafter", date=when.strftime("%Y-%m-%dT%H:%M:%SZ"),
               next_id=_max_id(a_root) + 1)
    b_body, a_body = b_root.find(W + "body"), a_root.find(W + "body")
    if b_body is None or a_body is None:
        raise UserError("the Word document has no body", file=str(after if a_body is None else before))
    _diff_container(b_body, a_body, ctx, in_table=False)
    data = _serialize(a_root)

    def writer(tmp: Path) -> None:
        with zipfile.ZipFile(after) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                zout.writestr(info, data if info.filename == DOC_PART else zin.read(info.filename))

    write_atomic(out, writer, force=force)
    return ctx.stats


def _read_document(path: Path):
    from lxml import etree

    from ..read import check_zip

    if not path.exists():
        raise UserError("file not found", file=str(path))
    if path.is_dir():
        raise UserError("is a folder, not a Word document", file=str(path))
    check_zip(path, "Word document")
    try:
        with zipfile.ZipFile(path) as z:
            try:
                xml = z.read(DOC_PART)
            except KeyError:
                raise UserError("not a Word document (no word/document.xml inside)", file=str(path)) from None
    except zipfile.BadZipFile:
        raise UserError("not a Word document (.docx)", file=str(path)) from None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)
    try:
        return etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as e:
        raise UserError(f"damaged Word document ({DOC_PART}: {e})", file=str(path)) from None


def _serialize(root) -> bytes:
    from lxml import etree

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _max_id(root) -> int:
    best = 0
    for el in root.iter():
        v = el.get(W + "id")
        if v is not None and v.lstrip("-").isdigit():
            best = max(best, int(v))
    return best


class _Ctx:
    def __init__(self, author: str, date: str, next_id: int):
        self.author, self.date, self.next_id = author, date, next_id
        self.stats = RedlineStats()

    def mark(self, tag: str):
        """A new w:ins / w:del / w:cellIns … element with id, author and date."""
        from lxml import etree

        el = etree.Element(W + tag)
        el.set(W + "id", str(self.next_id))
        el.set(W + "author", self.author)
        el.set(W + "date", self.date)
        self.next_id += 1
        return el

    def count(self, kind: str) -> None:
        if kind == "ins":
            self.stats.insertions += 1
        else:
            self.stats.deletions += 1


# ---------------------------------------------------------------------------------------------
# text of paragraphs and blocks


def _local(el) -> str:
    return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""


def _own_runs(p) -> list:
    """The runs of paragraph `p` whose text shows (not inside a w:del, a fallback, or a text box's paragraph)."""
    out = []
    for r in p.iter(W + "r"):
        anc = r.getparent()
        ok = True
        while anc is not None and anc is not p:
            if anc.tag in (W + "del", W + "moveFrom", MC + "Fallback", W + "p"):
                ok = False
                break
            anc = anc.getparent()
        if ok:
            out.append(r)
    return out


def _run_atoms(r) -> list[tuple[str, object]]:
    """(text, child) per character of a run's content; zero-width children (fields, drawings) as ("", child)."""
    atoms: list[tuple[str, object]] = []
    for c in r:
        tag = c.tag
        if tag == W + "rPr":
            continue
        if tag == W + "t":
            atoms += [(ch, c) for ch in (c.text or "")]
        elif tag in (W + "tab", W + "ptab"):
            atoms.append(("\t", c))
        elif tag in (W + "br", W + "cr"):
            atoms.append(("\n", c))
        elif tag == W + "noBreakHyphen":
            atoms.append(("-", c))
        else:
            atoms.append(("", c))
    return atoms


def _run_text(r) -> str:
    return "".join(t for t, _ in _run_atoms(r))


def para_text(p) -> str:
    return "".join(_run_text(r) for r in _own_runs(p))


def _block_text(el) -> str:
    tag = el.tag
    if tag == W + "p":
        return para_text(el)
    if tag == W + "tbl":
        return "\n".join(_row_text(tr) for tr in el.findall(W + "tr"))
    return "\n".join(para_text(p) for p in el.iter(W + "p"))


def _cells(tr) -> list:
    return tr.findall(W + "tc")


def _cell_text(tc) -> str:
    return "\n".join(para_text(p) for p in tc.iter(W + "p"))


def _row_text(tr) -> str:
    return "\x1f".join(_cell_text(tc) for tc in _cells(tr))


# ---------------------------------------------------------------------------------------------
# block alignment (body, cell, content control)

_BLOCKS = {"p", "tbl", "sdt"}


def _kind(el) -> str:
    name = _local(el)
    return name if name in _BLOCKS else "other"


def _diff_container(b_parent, a_parent, ctx: _Ctx, in_table: bool) -> None:
    """Rewrite `a_parent`'s block children in place as the redline of `b_parent`'s."""
    skip = {W + "sectPr", W + "tcPr", W + "sdtPr", W + "sdtEndPr"}
    b_blocks = [c for c in b_parent if isinstance(c.tag, str) and c.tag not in skip]
    a_blocks = [c for c in a_parent if isinstance(c.tag, str) and c.tag not in skip]
    b_keys = [(_kind(c), _block_text(c)) for c in b_blocks]
    a_keys = [(_kind(c), _block_text(c)) for c in a_blocks]
    ops = difflib.SequenceMatcher(None, b_keys, a_keys, autojunk=False).get_opcodes()
    # where each deleted `before` block goes: before the after block with this index (len = at the end)
    pending: list[tuple[int, object]] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        if in_table and i2 - i1 == 1 and j2 - j1 == 1 and b_keys[i1][0] == a_keys[j1][0] == "p":
            pairs = [(0, 0)]  # a cell's one paragraph, rewritten (a figure replaced): an edit, not a new paragraph
        else:
            pairs = _pair(b_blocks[i1:i2], a_blocks[j1:j2], b_keys[i1:i2], a_keys[j1:j2])
        paired_b = {bi for bi, _ in pairs}
        paired_a = {ai: bi for bi, ai in pairs}
        # a deleted block sits right after the after block paired with the before block preceding it,
        # so it reads before the insertions that replace it (and in before's order)
        for bi in range(i2 - i1):
            if bi in paired_b:
                continue
            earlier = [ai for b2, ai in pairs if b2 < bi]
            pos = j1 + (max(earlier) + 1 if earlier else 0)
            pending.append((pos, b_blocks[i1 + bi]))
        for ai in range(j2 - j1):
            a_el = a_blocks[j1 + ai]
            if ai in paired_a:
                _diff_block(b_blocks[i1 + paired_a[ai]], a_el, ctx, in_table)
            else:
                _insert_block(a_el, ctx, in_table)
    for pos, b_el in pending:  # in before's order: addprevious on one anchor keeps it
        for copy in _deleted_block(b_el, ctx, in_table):
            if pos < len(a_blocks):
                a_blocks[pos].addprevious(copy)
            else:
                tail = a_parent.find(W + "sectPr") if a_parent.tag == W + "body" else None
                if tail is not None:
                    tail.addprevious(copy)
                else:
                    a_parent.append(copy)
    if a_parent.tag == W + "tc":
        last = [c for c in a_parent if isinstance(c.tag, str) and c.tag != W + "tcPr"]
        if not last or last[-1].tag != W + "p":  # a cell ends with a paragraph
            from lxml import etree

            a_parent.append(etree.Element(W + "p"))


def _similarity(bk: tuple[str, str], ak: tuple[str, str]) -> float | None:
    """How alike two blocks are, or None when they should not be paired."""
    if bk[0] != ak[0] or bk[0] == "other":
        return None
    sm = difflib.SequenceMatcher(None, bk[1], ak[1], autojunk=False)
    if bk[0] == "tbl":  # tables in the same changed stretch are the same table, edited
        return 0.5 + 0.5 * sm.quick_ratio()
    if sm.quick_ratio() < PARA_MIN_RATIO:
        return None
    r = sm.ratio()
    if r >= PARA_MIN_RATIO:
        return r
    return None


def _pair(b_els, a_els, b_keys, a_keys, score=_similarity) -> list[tuple[int, int]]:
    """Order-keeping pairs (before index, after index) maximising the summed similarity."""
    n, m = len(b_keys), len(a_keys)
    if not n or not m:
        return []
    if n * m > 40000:  # a document rewritten wholesale: pair in order
        out, j = [], 0
        for i in range(n):
            while j < m and score(b_keys[i], a_keys[j]) is None:
                j += 1
            if j < m:
                out.append((i, j))
                j += 1
        return out
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            opts = [(best[i + 1][j], 1), (best[i][j + 1], 2)]
            s = score(b_keys[i], a_keys[j])
            if s is not None:
                opts.append((best[i + 1][j + 1] + s, 3))
            best[i][j], move[i][j] = max(opts, key=lambda o: (o[0], o[1]))
    out, i, j = [], 0, 0
    while i < n and j < m:
        mv = move[i][j]
        if mv == 3:
            out.append((i, j))
            i, j = i + 1, j + 1
        elif mv == 1:
            i += 1
        else:
            j += 1
    return out


def _diff_block(b_el, a_el, ctx: _Ctx, in_table: bool) -> None:
    kind = _kind(a_el)
    if kind == "p":
        if _diff_paragraph(b_el, a_el, ctx) and not in_table:
            ctx.stats.paragraphs_changed += 1
    elif kind == "tbl":
        _diff_table(b_el, a_el, ctx)
    elif kind == "sdt":
        b_c, a_c = b_el.find(W + "sdtContent"), a_el.find(W + "sdtContent")
        if b_c is not None and a_c is not None:
            _diff_container(b_c, a_c, ctx, in_table)


def _insert_block(a_el, ctx: _Ctx, in_table: bool) -> None:
    kind = _kind(a_el)
    if kind == "p":
        if _mark_paragraph(a_el, "ins", ctx) and not in_table:
            ctx.stats.paragraphs_changed += 1
    elif kind == "tbl":
        for tr in a_el.findall(W + "tr"):
            _mark_row(tr, "ins", ctx)
    elif kind == "sdt":
        for p in list(a_el.iter(W + "p")):
            if _mark_paragraph(p, "ins", ctx) and not in_table:
                ctx.stats.paragraphs_changed += 1


def _deleted_block(b_el, ctx: _Ctx, in_table: bool) -> list:
    """`before`'s block as deleted content: a paragraph, a table, or a content control's blocks."""
    kind = _kind(b_el)
    if kind == "other":
        return []
    copy = _sanitized(b_el)
    blocks = list(copy) if kind == "sdt" else [copy]  # a content control comes back unwrapped
    for el in blocks:
        if el.tag == W + "p":
            _mark_paragraph(el, "del", ctx)
            if not in_table:
                ctx.stats.paragraphs_changed += 1
        elif el.tag == W + "tbl":
            for tr in el.findall(W + "tr"):
                _mark_row(tr, "del", ctx)
    return [el for el in blocks if el.tag in (W + "p", W + "tbl")]


# ---------------------------------------------------------------------------------------------
# whole insertions and deletions


def _sanitized(el):
    """A deep copy of `before`'s content fit to live in `after`'s package (see the module docstring)."""
    c = deepcopy(el)
    drop = {W + "bookmarkStart", W + "bookmarkEnd", W + "commentRangeStart", W + "commentRangeEnd",
            W + "commentReference", W + "footnoteReference", W + "endnoteReference", W + "drawing",
            W + "pict", W + "object", W + "proofErr", W + "permStart", W + "permEnd"}
    for x in [x for x in c.iter() if x.tag in drop]:
        x.getparent().remove(x)
    for x in [x for x in c.iter(W + "del", W + "moveFrom")]:  # before's own pending deletions: gone
        if x.getparent() is not None and x.getparent().tag != W + "rPr":
            x.getparent().remove(x)
    for sect in [x for x in c.iter(W + "sectPr")]:  # no extra section breaks
        sect.getparent().remove(sect)
    for tag in (W + "ins", W + "moveTo", W + "hyperlink", W + "smartTag", W + "customXml", W + "fldSimple"):
        for x in [x for x in c.iter(tag)]:
            parent = x.getparent()
            if parent is None or parent.tag in (W + "rPr", W + "pPr", W + "trPr", W + "tcPr"):
                if parent is not None and tag == W + "ins":
                    parent.remove(x)  # a paragraph/row mark's own old revision
                continue
            _unwrap(x, keep=lambda k: k.tag not in (W + "customXmlPr", W + "smartTagPr"))
    for sdt in reversed([x for x in c.iter(W + "sdt")]):
        content = sdt.find(W + "sdtContent")
        parent = sdt.getparent()
        if parent is None:  # the block itself is a content control: the caller gets its paragraphs
            continue
        if content is not None:
            for k in list(content):
                sdt.addprevious(k)
        parent.remove(sdt)
    if c.tag == W + "sdt":
        content = c.find(W + "sdtContent")
        from lxml import etree

        # a block content control deleted whole: its paragraphs, deleted, in a bare container
        holder = etree.Element(W + "body")
        for k in list(content if content is not None else []):
            holder.append(k)
        return holder
    return c


def _unwrap(x, keep=lambda k: True) -> None:
    for k in list(x):
        if keep(k):
            x.addprevious(k)
    x.getparent().remove(x)


def _mark_para_mark(p, kind: str, ctx: _Ctx) -> None:
    """w:pPr/w:rPr/w:ins (or w:del): the paragraph mark itself was inserted (deleted)."""
    from lxml import etree

    ppr = p.find(W + "pPr")
    if ppr is None:
        ppr = etree.Element(W + "pPr")
        p.insert(0, ppr)
    rpr = ppr.find(W + "rPr")
    if rpr is None:
        rpr = etree.Element(W + "rPr")
        tail = ppr.find(W + "sectPr")
        if tail is None:
            tail = ppr.find(W + "pPrChange")
        if tail is not None:
            tail.addprevious(rpr)
        else:
            ppr.append(rpr)
    for old in rpr.findall(W + "ins") + rpr.findall(W + "del"):
        rpr.remove(old)
    rpr.insert(0, ctx.mark(kind))


def _to_deleted_run(r) -> None:
    for t in r.iter(W + "t"):
        t.tag = W + "delText"
        t.set(XML_SPACE, "preserve")
    for t in r.iter(W + "instrText"):
        t.tag = W + "delInstrText"


def _wrap_runs(runs: Iterable, kind: str, ctx: _Ctx) -> None:
    """Wrap each run in w:ins / w:del, adjacent runs sharing one wrapper (counted when it holds text)."""
    last, counted = None, False
    for r in runs:
        has_text = bool(_run_text(r))
        if kind == "del":
            _to_deleted_run(r)
        if last is None or r.getprevious() is not last:
            last, counted = ctx.mark(kind), False
            r.addprevious(last)
        last.append(r)
        if not counted and has_text:
            ctx.count(kind)
            counted = True


def _mark_paragraph(p, kind: str, ctx: _Ctx) -> bool:
    """Mark a whole paragraph inserted/deleted (its runs and its mark); True when it held text."""
    _wrap_runs(_own_runs(p), kind, ctx)
    _mark_para_mark(p, kind, ctx)
    return True


def _mark_row(tr, kind: str, ctx: _Ctx) -> None:
    from lxml import etree

    trpr = tr.find(W + "trPr")
    if trpr is None:
        trpr = etree.Element(W + "trPr")
        ex = tr.find(W + "tblPrEx")
        if ex is not None:
            ex.addnext(trpr)
        else:
            tr.insert(0, trpr)
    change = trpr.find(W + "trPrChange")
    m = ctx.mark(kind)
    if change is not None:
        change.addprevious(m)
    else:
        trpr.append(m)
    for tc in _cells(tr):
        _mark_cell_content(tc, kind, ctx)


def _mark_cell_content(tc, kind: str, ctx: _Ctx) -> None:
    for p in list(tc.iter(W + "p")):
        _wrap_runs(_own_runs(p), kind, ctx)
    ctx.stats.cells_changed += 1


def _mark_cell(tc, kind: str, ctx: _Ctx) -> None:
    """A cell of a new (cellIns) or dropped (cellDel) column: its text inserted/deleted."""
    from lxml import etree

    tcpr = tc.find(W + "tcPr")
    if tcpr is None:
        tcpr = etree.Element(W + "tcPr")
        tc.insert(0, tcpr)
    m = ctx.mark("cellIns" if kind == "ins" else "cellDel")
    change = tcpr.find(W + "tcPrChange")
    if change is not None:
        change.addprevious(m)
    else:
        tcpr.append(m)
    _mark_cell_content(tc, kind, ctx)


# ---------------------------------------------------------------------------------------------
# paragraphs: word/character-level diff

_TOKEN = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?%?|[A-Za-z]+(?:['’][A-Za-z]+)?|\s+|.", re.S)


def tokens(s: str) -> list[str]:
    """Characters, with numbers (`1,234.56`, `12.5%`), Latin words and spaces kept whole."""
    return _TOKEN.findall(s)


def char_opcodes(b: str, a: str) -> list[tuple[str, int, int, int, int]]:
    """difflib opcodes in character offsets of `b` and `a`, token-based, small equal islands merged."""
    tb, ta = tokens(b), tokens(a)
    ob = [0]
    for t in tb:
        ob.append(ob[-1] + len(t))
    oa = [0]
    for t in ta:
        oa.append(oa[-1] + len(t))
    ops = [list(o) for o in difflib.SequenceMatcher(None, tb, ta, autojunk=False).get_opcodes()]
    ops = [[tag, ob[i1], ob[i2], oa[j1], oa[j2]] for tag, i1, i2, j1, j2 in ops]
    # an island of one or two unchanged characters between changes reads better inside the change
    merged: list[list] = []
    k = 0
    while k < len(ops):
        op = ops[k]
        if (op[0] == "equal" and merged and merged[-1][0] != "equal" and k + 1 < len(ops)
                and ops[k + 1][0] != "equal" and (op[2] - op[1]) <= SMALL_EQUAL):
            nxt = ops[k + 1]
            prev = merged.pop()
            merged.append(["replace", prev[1], nxt[2], prev[3], nxt[4]])
            k += 2
            continue
        if op[0] != "equal" and merged and merged[-1][0] != "equal":
            prev = merged.pop()
            merged.append(["replace", prev[1], op[2], prev[3], op[4]])
        else:
            merged.append(op)
        k += 1
    out = []
    for tag, i1, i2, j1, j2 in merged:
        if tag != "equal":
            tag = "replace" if i2 > i1 and j2 > j1 else ("delete" if i2 > i1 else "insert")
        out.append((tag, i1, i2, j1, j2))
    return out


def _b_char_runs(bp) -> list[tuple[str, object]]:
    """(character, the before run it is in) for the before paragraph's text."""
    out = []
    for r in _own_runs(bp):
        out += [(ch, r) for ch, _ in _run_atoms(r) if ch]
    return out


def _deleted_runs(b_chars: list[tuple[str, object]], i1: int, i2: int) -> list:
    """Runs holding before's characters i1..i2 as deleted text, in before's formatting."""
    from lxml import etree

    runs = []
    cur_src, cur = None, None
    for ch, src in b_chars[i1:i2]:
        if src is not cur_src or cur is None:
            cur = etree.Element(W + "r")
            rpr = src.find(W + "rPr")
            if rpr is not None:
                rpr = deepcopy(rpr)
                for x in rpr.findall(W + "ins") + rpr.findall(W + "del") + rpr.findall(W + "rPrChange"):
                    rpr.remove(x)
                cur.append(rpr)
            runs.append(cur)
            cur_src = src
        if ch == "\t":
            cur.append(etree.Element(W + "tab"))
        elif ch == "\n":
            cur.append(etree.Element(W + "br"))
        else:
            last = cur[-1] if len(cur) and cur[-1].tag == W + "delText" else None
            if last is None:
                last = etree.SubElement(cur, W + "delText")
                last.set(XML_SPACE, "preserve")
                last.text = ""
            last.text += ch
    return runs


def _diff_paragraph(bp, ap, ctx: _Ctx) -> bool:
    """Rewrite paragraph `ap` in place as the redline of `bp`; True when anything changed."""
    from lxml import etree

    b_text, a_text = para_text(bp), para_text(ap)
    if b_text == a_text:
        return False
    ops = char_opcodes(b_text, a_text)
    status = [None] * len(a_text)  # None = unchanged, else the index of the change in `ops`
    dels: dict[int, list[int]] = {}  # after offset -> change indexes whose deleted text goes there
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag in ("replace", "insert"):
            for j in range(j1, j2):
                status[j] = k
        if tag in ("replace", "delete"):
            dels.setdefault(j1, []).append(k)
    b_chars = _b_char_runs(bp)

    def del_wrap(k: int):
        _, i1, i2, _, _ = ops[k]
        w = ctx.mark("del")
        for r in _deleted_runs(b_chars, i1, i2):
            w.append(r)
        ctx.count("del")
        return w

    runs = _own_runs(ap)
    pos = 0
    last_run = None
    open_ins, open_k = None, None  # the w:ins just written: the next run's part of the same change joins it
    for r in runs:
        atoms = _run_atoms(r)
        n = sum(1 for ch, _ in atoms if ch)
        start, end = pos, pos + n
        pos = end
        touched = any(status[j] is not None for j in range(start, end)) or any(start <= d < end for d in dels)
        if not touched:
            last_run = r
            if n:
                open_ins = None
            continue
        rpr = r.find(W + "rPr")
        # pieces: ("del", k) or ("run", status, [atoms])
        pieces: list = []
        j = start
        cur_status = status[start] if start < end else None
        cur: list = []
        for ch, child in atoms:
            if ch:
                if j in dels:
                    if cur:
                        pieces.append(("run", cur_status, cur))
                        cur = []
                    pieces += [("del", k) for k in dels.pop(j)]
                if status[j] != cur_status and cur:
                    pieces.append(("run", cur_status, cur))
                    cur = []
                cur_status = status[j]
                j += 1
            cur.append((ch, child))
        if cur:
            pieces.append(("run", cur_status, cur))
        new: list = []
        for piece in pieces:
            if piece[0] == "del":
                new.append(("del", del_wrap(piece[1])))
                continue
            _, st, atoms_ = piece
            nr = etree.Element(W + "r")
            for k_, v in r.attrib.items():
                nr.set(k_, v)
            if rpr is not None:
                nr.append(deepcopy(rpr))
            t_el = None
            src_t = None
            for ch, child in atoms_:
                if child.tag == W + "t":
                    if t_el is None or src_t is not child:
                        t_el = etree.SubElement(nr, W + "t")
                        t_el.set(XML_SPACE, "preserve")
                        t_el.text = ""
                        src_t = child
                    t_el.text += ch
                else:
                    nr.append(deepcopy(child))
                    t_el, src_t = None, None
            new.append(("ins" if st is not None else "run", nr, st))
        # put them in place of r, inserted runs of one change sharing one w:ins
        anchor = r
        if open_ins is not None and open_ins.getnext() is not r:
            open_ins = None
        for item in new:
            if item[0] == "del":
                anchor.addnext(item[1])
                anchor = item[1]
                open_ins = None
            elif item[0] == "run":
                anchor.addnext(item[1])
                anchor = item[1]
                open_ins = None
            else:
                _, nr, k = item
                if open_ins is not None and open_k == k:
                    open_ins.append(nr)
                else:
                    open_ins, open_k = ctx.mark("ins"), k
                    open_ins.append(nr)
                    anchor.addnext(open_ins)
                    anchor = open_ins
                    ctx.count("ins")
        r.getparent().remove(r)
        last_run = anchor
        if not (new and new[-1][0] == "ins"):
            open_ins = None
    # deletions at the very end (or in a paragraph whose after text is empty)
    rest = [k for d in sorted(dels) for k in dels[d]]
    for k in rest:
        w = del_wrap(k)
        if last_run is not None:
            last_run.addnext(w)
        else:
            ppr = ap.find(W + "pPr")
            if ppr is not None:
                ppr.addnext(w)
            else:
                ap.insert(0, w)
        last_run = w
    return True


# ---------------------------------------------------------------------------------------------
# tables


def _diff_table(bt, at, ctx: _Ctx) -> None:
    b_rows, a_rows = bt.findall(W + "tr"), at.findall(W + "tr")
    b_keys = [("tr", _row_text(r)) for r in b_rows]
    a_keys = [("tr", _row_text(r)) for r in a_rows]
    pairs: list[tuple[int, int]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, b_keys, a_keys, autojunk=False).get_opcodes():
        if tag == "equal":
            pairs += [(i1 + k, j1 + k) for k in range(i2 - i1)]
        else:
            sub = _pair(b_rows[i1:i2], a_rows[j1:j2], b_rows[i1:i2], a_rows[j1:j2], score=_row_similarity)
            pairs += [(i1 + bi, j1 + ai) for bi, ai in sub]
    pairs.sort()
    cols = _column_map(b_rows, a_rows, pairs)
    if cols is not None:
        _grid_for(bt, at, cols)
    paired_a = {ai: bi for bi, ai in pairs}
    paired_b = {bi for bi, _ in pairs}
    pending_rows: list[tuple[int, object]] = []
    for ai, tr in enumerate(a_rows):
        if ai in paired_a:
            _diff_row(b_rows[paired_a[ai]], tr, ctx, cols)
        else:
            _insert_row(tr, ctx, cols)
    for bi, btr in enumerate(b_rows):
        if bi in paired_b:
            continue
        earlier = [ai for b2, ai in pairs if b2 < bi]
        copy = _sanitized(btr)
        _deleted_row(copy, ctx, cols)
        pending_rows.append((max(earlier) + 1 if earlier else 0, copy))
    for pos, copy in pending_rows:  # before the rows that replace them, in before's order
        if pos < len(a_rows):
            a_rows[pos].addprevious(copy)
        elif a_rows:
            a_rows[-1].getparent().append(copy)
        else:
            at.append(copy)


def _row_similarity(btr, atr) -> float | None:
    bc, ac = _cells(btr), _cells(atr)
    first_b = _cell_text(bc[0]).strip() if bc else ""
    first_a = _cell_text(ac[0]).strip() if ac else ""
    r = difflib.SequenceMatcher(None, _row_text(btr), _row_text(atr), autojunk=False).ratio()
    if first_b and first_b == first_a:
        return 1.0 + r  # the same row label: the same row with new figures
    return r if r >= ROW_MIN_RATIO else None


def _column_map(b_rows, a_rows, pairs) -> list[tuple[int | None, int | None]] | None:
    """The merged column order [(after col, before col)] from the first pair of rows, or None."""
    if not pairs:
        return None
    bi, ai = pairs[0]
    bc = [_cell_text(c) for c in _cells(b_rows[bi])]
    ac = [_cell_text(c) for c in _cells(a_rows[ai])]
    if any(c.find(f"{W}tcPr/{W}gridSpan") is not None for c in _cells(b_rows[bi]) + _cells(a_rows[ai])):
        return None
    cols: list[tuple[int | None, int | None]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, bc, ac, autojunk=False).get_opcodes():
        if tag == "equal":
            cols += [(j1 + k, i1 + k) for k in range(i2 - i1)]
        elif tag == "replace":
            n = min(i2 - i1, j2 - j1)
            cols += [(j1 + k, i1 + k) for k in range(n)]
            cols += [(None, i1 + k) for k in range(n, i2 - i1)]
            cols += [(j1 + k, None) for k in range(n, j2 - j1)]
        elif tag == "delete":
            cols += [(None, i1 + k) for k in range(i2 - i1)]
        else:
            cols += [(j1 + k, None) for k in range(j2 - j1)]
    return cols


def _grid_for(bt, at, cols) -> None:
    """Put the dropped columns' w:gridCol back into after's grid (only when both grids are one per cell)."""
    bg, ag = bt.find(W + "tblGrid"), at.find(W + "tblGrid")
    if bg is None or ag is None:
        return
    b_cols, a_cols = bg.findall(W + "gridCol"), ag.findall(W + "gridCol")
    n_b = sum(1 for _, b in cols if b is not None)
    n_a = sum(1 for a, _ in cols if a is not None)
    if len(b_cols) != n_b or len(a_cols) != n_a or n_a == len(cols):
        return
    for x in a_cols:
        ag.remove(x)
    for a, b in cols:
        ag.append(deepcopy(a_cols[a] if a is not None else b_cols[b]))


def _row_cols(b_tr, a_tr, cols):
    """The column map for this row pair: the table's when the cell counts fit, else the row's own."""
    n_b = sum(1 for _, b in cols if b is not None) if cols else -1
    n_a = sum(1 for a, _ in cols if a is not None) if cols else -1
    if cols and (b_tr is None or len(_cells(b_tr)) == n_b) and (a_tr is None or len(_cells(a_tr)) == n_a):
        return cols
    if b_tr is None or a_tr is None:
        return None
    own = _column_map([b_tr], [a_tr], [(0, 0)])
    return own


def _empty_cell(like):
    from lxml import etree

    tc = etree.Element(W + "tc")
    if like is not None and like.find(W + "tcPr") is not None:
        tcpr = deepcopy(like.find(W + "tcPr"))
        for x in tcpr.findall(W + "cellIns") + tcpr.findall(W + "cellDel") + tcpr.findall(W + "vMerge"):
            tcpr.remove(x)
        tc.append(tcpr)
    etree.SubElement(tc, W + "p")
    return tc


def _diff_row(btr, atr, ctx: _Ctx, table_cols) -> None:
    cols = _row_cols(btr, atr, table_cols)
    b_cells, a_cells = _cells(btr), _cells(atr)
    if cols is None:  # cells merged differently: cell by cell as far as they go
        for bc, ac in zip(b_cells, a_cells):
            _diff_cell(bc, ac, ctx)
        for ac in a_cells[len(b_cells):]:
            _mark_cell(ac, "ins", ctx)
        return
    prev = None
    for a, b in cols:
        if a is not None and b is not None:
            _diff_cell(b_cells[b], a_cells[a], ctx)
            prev = a_cells[a]
        elif a is not None:
            _mark_cell(a_cells[a], "ins", ctx)
            prev = a_cells[a]
        else:
            copy = _sanitized(b_cells[b])
            _mark_cell(copy, "del", ctx)
            _place_cell(atr, prev, copy)
            prev = copy


def _place_cell(tr, prev, tc) -> None:
    if prev is not None:
        prev.addnext(tc)
        return
    first = tr.find(W + "tc")
    if first is not None:
        first.addprevious(tc)
    else:
        tr.append(tc)


def _insert_row(atr, ctx: _Ctx, table_cols) -> None:
    _mark_row(atr, "ins", ctx)
    cols = _row_cols(None, atr, table_cols)
    if not cols:
        return
    a_cells = _cells(atr)
    prev = None
    for a, b in cols:  # dropped columns: an empty cell, deleted with its column
        if a is not None:
            prev = a_cells[a]
        else:
            filler = _empty_cell(prev)
            _mark_cell(filler, "del", ctx)
            ctx.stats.cells_changed -= 1  # an empty filler is not a changed cell
            _place_cell(atr, prev, filler)
            prev = filler


def _deleted_row(btr, ctx: _Ctx, table_cols) -> None:
    """`btr` (a sanitized copy) marked deleted, laid out on the merged columns when they fit."""
    _mark_row(btr, "del", ctx)
    cols = _row_cols(btr, None, table_cols)
    if not cols:
        return
    b_cells = _cells(btr)
    for c in b_cells:
        btr.remove(c)
    prev_el = None
    for a, b in cols:
        if b is not None:
            cell = b_cells[b]
            if a is None:  # the dropped column also says so on this row
                from lxml import etree

                tcpr = cell.find(W + "tcPr")
                if tcpr is None:
                    tcpr = etree.Element(W + "tcPr")
                    cell.insert(0, tcpr)
                tcpr.append(ctx.mark("cellDel"))
        else:
            cell = _empty_cell(prev_el)
            from lxml import etree

            tcpr = cell.find(W + "tcPr")
            if tcpr is None:
                tcpr = etree.Element(W + "tcPr")
                cell.insert(0, tcpr)
            tcpr.append(ctx.mark("cellIns"))
        btr.append(cell)
        prev_el = cell


def _diff_cell(btc, atc, ctx: _Ctx) -> None:
    if _cell_text(btc) == _cell_text(atc):
        return
    _diff_container(btc, atc, ctx, in_table=True)
    ctx.stats.cells_changed += 1

