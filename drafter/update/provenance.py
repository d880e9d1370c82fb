"""Read back what drafter wrote into a reply: the provenance map and the places its figures and tables
sit now, after the team's editing (drafter.render.body writes them).

    tags = locate(document)   # [Tag(name, source, paragraph or table, runs)], in document order

A figure is the runs between a hidden bookmark's start and end (`_DrF000001`); a table holds a point
bookmark in its first cell. The custom XML part (namespace urn:drafter:provenance) maps each bookmark
name to its source. A bookmark the team deleted (with its text) is simply not found.
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from typing import Any

from docx.document import Document as DocxDocument
from lxml import etree

from ..errors import UserError
from ..render.body import BMEND, BMSTART, ID, NAME, P, PROVENANCE_NS, PROVENANCE_PREFIX, R, TBL, W, provenance_xml

CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
PSTYLE_VAL = f"{W}pPr/{W}pStyle"
_TEXT = {W + "t", W + "tab", W + "br", W + "cr"}


@dataclass
class Tag:
    name: str  # the bookmark name
    source: dict[str, Any]
    paragraph: etree._Element | None = None  # a figure's w:p
    runs: list[etree._Element] = field(default_factory=list)  # a figure's w:r between start and end
    table: etree._Element | None = None  # a table's w:tbl

    @property
    def is_table(self) -> bool:
        return self.table is not None

    @property
    def text(self) -> str:
        return "".join(run_text(r) for r in self.runs)


def run_text(r: etree._Element) -> str:
    out = []
    for el in r:
        tag = el.tag
        if tag == W + "t":
            out.append(el.text or "")
        elif tag == W + "tab":
            out.append("\t")
        elif tag in (W + "br", W + "cr"):
            out.append("\n")
    return "".join(out)


def paragraph_text(p: etree._Element) -> str:
    """The paragraph's text as drafter hashed it: its runs (hyperlinks' and content controls' too)."""
    return "".join(run_text(r) for r in p.iter(R))


def _part(d: DocxDocument):
    for rel in d.part.rels.values():
        if rel.is_external or rel.reltype != CUSTOM_XML:
            continue
        blob = rel.target_part.blob
        if PROVENANCE_NS.encode() in blob[:400]:
            return rel.target_part
    return None


def read_map(d: DocxDocument, file: str | None = None) -> dict[str, dict]:
    """The provenance map; UserError when the document holds none (not a reply drafter wrote)."""
    part = _part(d)
    if part is None:
        raise UserError("not a reply drafter wrote (it holds no figure provenance; draft it with drafter 0.x "
                        "or later)", file=file)
    try:
        root = etree.fromstring(part.blob)
        data = json.loads(root.text or "{}")
    except (etree.XMLSyntaxError, ValueError):
        raise UserError("the reply's figure provenance is damaged (custom XML part unreadable)", file=file) from None
    return data if isinstance(data, dict) else {}


def write_map(d: DocxDocument, mapping: dict[str, dict]) -> None:
    """Replace the provenance part's content (after an update: new printed texts and hashes)."""
    part = _part(d)
    if part is not None:
        part._blob = provenance_xml(mapping)


def locate(d: DocxDocument, mapping: dict[str, dict]) -> list[Tag]:
    """Every tagged figure and table still in the document body, in document order."""
    body = d.element.body
    tags: list[Tag] = []
    for start in body.iter(BMSTART):
        name = start.get(NAME) or ""
        if not name.startswith(PROVENANCE_PREFIX) or name not in mapping:
            continue
        source = mapping[name]
        if source.get("table"):
            tbl = next((a for a in start.iterancestors(TBL)), None)
            if tbl is not None:
                tags.append(Tag(name, source, table=tbl))
            continue
        p = start.getparent()
        if p is None or p.tag != P:
            continue
        bid = start.get(ID)
        runs: list[etree._Element] = []
        closed = False
        for sib in start.itersiblings():
            if sib.tag == BMEND and sib.get(ID) == bid:
                closed = True
                break
            if sib.tag == R and any(c.tag in _TEXT for c in sib):  # not a comment's reference mark
                runs.append(sib)
        if closed and runs:
            tags.append(Tag(name, source, paragraph=p, runs=runs))
    return tags


def decode_map_text(xml_text: str) -> dict[str, dict]:
    """The map from the part's XML text (tests and tools reading a DOCX unzipped)."""
    start = xml_text.index(">", xml_text.index("<provenance")) + 1
    return json.loads(html.unescape(xml_text[start:xml_text.rindex("</provenance>")]))
