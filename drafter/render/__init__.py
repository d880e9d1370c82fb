"""Render a ReplyDocument to DOCX in a house style.

    from drafter.render import render_docx
    render_docx(doc, load_style("examples/style.yaml"), "reply.docx")

The base document is python-docx's package with our own parts: styles.xml generated from the
HouseStyle (Heading 1-4, one style per logical ParaStyle, table-cell styles, toc 1-4, header,
footer, a placeholder character style, a bordered table style), A4 and the house margins, a
footer with the page-number pattern around a real PAGE field, settings that make Word update the
TOC field on open. The body is built as XML (see body.py). `render_docx` writes `path` as given;
callers that must not overwrite a user's file wrap it in `drafter.output.write_atomic`.
"""
from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from io import BytesIO
from os import PathLike
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.oxml.parser import parse_xml
from docx.shared import Twips
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from ..document import ReplyDocument
from ..errors import UserError
from .style import HouseStyle, cm_to_twips
from .body import FLDCHAR, FLDCHARTYPE, INSTRTEXT, P, PPR, PSTYLE, R, VAL, XML_SPACE, BodyWriter, W, PROVENANCE_NS, provenance_xml
from .styles import CELL_STYLE_IDS, PARA_STYLE_IDS, STYLE_NAMES, TOC_STYLE_IDS, font_table_xml, styles_xml

__all__ = ["render_docx", "build_document", "PARA_STYLE_IDS", "CELL_STYLE_IDS", "TOC_STYLE_IDS", "STYLE_NAMES"]

_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_DROP_DOC_RELS = ("stylesWithEffects", "customXml")  # leftovers of python-docx's own template
_BASE: bytes | None = None


def _base_package() -> bytes:
    """python-docx's package without its thumbnail picture, stylesWithEffects and customXml."""
    global _BASE
    if _BASE is None:
        d = docx.Document()
        pkg = d.part.package
        for rid, rel in list(pkg.rels.items()):
            if rel.reltype.endswith("/thumbnail"):
                del pkg.rels[rid]
        for rid, rel in list(d.part.rels.items()):
            if rel.reltype.rsplit("/", 1)[-1] in _DROP_DOC_RELS:
                del d.part.rels[rid]
        buf = BytesIO()
        d.save(buf)
        _BASE = buf.getvalue()
    return _BASE


def _apply_styles(d: DocxDocument, style: HouseStyle) -> None:
    d.part._styles_part._element = parse_xml(styles_xml(style).encode("utf-8"))
    for rel in d.part.rels.values():
        if not rel.is_external and rel.reltype == _RT + "fontTable":
            rel.target_part._blob = font_table_xml(style).encode("utf-8")


def _apply_settings(d: DocxDocument) -> None:
    settings = d.settings.element
    for tag in ("savePreviewPicture", "updateFields"):
        for el in settings.findall(W + tag):
            settings.remove(el)
    update = etree.Element(W + "updateFields")
    update.set(VAL, "true")  # Word refreshes the TOC (and page references) when it opens the file
    compat = settings.find(W + "compat")
    if compat is not None:
        compat.addprevious(update)
    else:
        settings.append(update)
    lang = settings.find(W + "themeFontLang")
    if lang is not None:
        lang.set(W + "eastAsia", "zh-CN")


def _field(p: etree._Element, instr: str, shown: str) -> None:
    def fld(kind: str) -> None:
        etree.SubElement(etree.SubElement(p, R), FLDCHAR).set(FLDCHARTYPE, kind)

    fld("begin")
    it = etree.SubElement(etree.SubElement(p, R), INSTRTEXT)
    it.text = f" {instr} "
    it.set(XML_SPACE, "preserve")
    fld("separate")
    etree.SubElement(etree.SubElement(p, R), W + "t").text = shown
    fld("end")


def _text_run(p: etree._Element, text: str) -> None:
    t = etree.SubElement(etree.SubElement(p, R), W + "t")
    t.text = text
    t.set(XML_SPACE, "preserve")


def _apply_section(d: DocxDocument, style: HouseStyle, doc: ReplyDocument) -> None:
    sec = d.sections[0]
    sec.page_width, sec.page_height = Twips(11906), Twips(16838)  # A4 portrait
    m = style.margins
    sec.top_margin, sec.bottom_margin = Twips(cm_to_twips(m.top)), Twips(cm_to_twips(m.bottom))
    sec.left_margin, sec.right_margin = Twips(cm_to_twips(m.left)), Twips(cm_to_twips(m.right))
    sec.header_distance, sec.footer_distance = Twips(cm_to_twips(m.header)), Twips(cm_to_twips(m.footer))
    sec.gutter = Twips(0)

    _footer_number(sec.footer._element, style)
    sec.footer.is_linked_to_previous = False
    if doc.header_text:
        header = sec.header
        header.is_linked_to_previous = False
        hdr = header._element
        for child in list(hdr):
            hdr.remove(child)
        p = etree.SubElement(hdr, P)
        etree.SubElement(etree.SubElement(p, PPR), PSTYLE).set(VAL, "Header")
        _text_run(p, doc.header_text)

    if has_cover(doc):  # the cover: no running header; its page number only if the house shows it
        sec.different_first_page_header_footer = True
        first_hdr = sec.first_page_header._element
        for child in list(first_hdr):
            first_hdr.remove(child)
        etree.SubElement(first_hdr, P)  # a plain empty paragraph (the Header style draws a rule)
        first_ftr = sec.first_page_footer._element
        if style.cover_page_number:
            _footer_number(first_ftr, style)
        else:
            for child in list(first_ftr):
                first_ftr.remove(child)
            etree.SubElement(first_ftr, P)


def has_cover(doc: ReplyDocument) -> bool:
    """Whether the document opens with a cover page (cover_title / cover_text paragraphs)."""
    for b in doc.blocks:
        if b.kind == "paragraph":
            if b.style in ("cover_title", "cover_text"):
                return True
            if b.text.strip():
                return False
        elif b.kind != "page_break":
            return False
    return False


def _footer_number(ftr: etree._Element, style: HouseStyle) -> None:
    """Fill a footer part with the page number as the house pattern prints it (8-1-{page})."""
    for child in list(ftr):
        ftr.remove(child)
    p = etree.SubElement(ftr, P)
    etree.SubElement(etree.SubElement(p, PPR), PSTYLE).set(VAL, "Footer")
    pending = ""  # literal text and {doc} go in one run: "8-1-3-" then the PAGE field
    for literal, field, _spec, _conv in string.Formatter().parse(style.page_number):
        pending += literal
        if field == "doc":
            pending += style.doc or ""
        elif field in ("page", "pages"):
            if pending:
                _text_run(p, pending)
                pending = ""
            _field(p, "PAGE" if field == "page" else "NUMPAGES", "1")
    if pending:
        _text_run(p, pending)


COMMENT_AUTHOR, COMMENT_INITIALS = "drafter", "DR"


def build_document(doc: ReplyDocument, style: HouseStyle | None = None,
                   comments: Mapping[int, Sequence[str]] | None = None) -> DocxDocument:
    """The rendered reply as a python-docx Document (not saved).

    `comments`: block index (of a paragraph in doc.blocks) -> the paragraphs of a Word comment
    anchored on that paragraph (author "drafter"); other blocks are ignored.
    """
    style = style or HouseStyle()
    d = docx.Document(BytesIO(_base_package()))
    _apply_styles(d, style)
    _apply_settings(d)
    _apply_section(d, style, doc)
    writer = BodyWriter(d.element.body, style)
    writer.anchor_blocks = {i for i, texts in (comments or {}).items() if any(t.strip() for t in texts)}
    writer.write(doc)
    if writer.provenance:  # drafter update reads it back (drafter.update.provenance)
        _add_provenance(d, writer.provenance)
    for i, p_el in sorted(writer.anchors.items()):
        texts = [t for t in comments[i] if t.strip()]
        para = DocxParagraph(p_el, d._body)
        runs = para.runs
        if not runs:
            runs = [para.add_run("")]
        comment = d.add_comment(runs, text=texts[0], author=COMMENT_AUTHOR, initials=COMMENT_INITIALS)
        for t in texts[1:]:
            comment.add_paragraph(t)
    props = d.core_properties
    props.title = doc.title
    props.author = ""
    props.comments = ""
    props.last_modified_by = ""
    props.revision = 1
    now = datetime.now(timezone.utc).replace(microsecond=0)
    props.created = props.modified = now
    return d


def _add_provenance(d: DocxDocument, mapping: dict) -> None:
    """The figures' provenance as a custom XML part of the document (see body.PROVENANCE_NS)."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    import uuid

    pkg = d.part.package
    part = Part(PackURI("/customXml/item90.xml"), "application/xml", provenance_xml(mapping), pkg)
    d.part.relate_to(part, _RT + "customXml")
    # its properties part: LibreOffice keeps a custom XML item on saving only when it has one
    props = (f'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<ds:datastoreItem ds:itemID="{{{uuid.uuid4()}}}" '
             'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs>'
             f'<ds:schemaRef ds:uri="{PROVENANCE_NS}"/></ds:schemaRefs></ds:datastoreItem>')
    prop_part = Part(PackURI("/customXml/itemProps90.xml"),
                     "application/vnd.openxmlformats-officedocument.customXmlProperties+xml", props.encode("utf-8"), pkg)
    part.relate_to(prop_part, _RT + "customXmlProps")


def render_docx(doc: ReplyDocument, style: HouseStyle | None, path: str | PathLike,
                comments: Mapping[int, Sequence[str]] | None = None) -> None:
    """Write `doc` as a DOCX at `path` in house style `style` (None: the default style).

    `comments` (optional): Word comments by block index, see build_document.
    """
    p = Path(path)
    if not p.parent.exists():
        raise UserError(f"folder {p.parent} does not exist", file=str(p))
    d = build_document(doc, style, comments)
    try:
        d.save(str(p))
    except PermissionError:
        raise UserError("cannot write here (open in Word? read-only folder?)", file=str(p)) from None
