"""The base document's styles, generated from a HouseStyle.

Every look lives in a Word style (styles.xml); the body only names style ids. East Asian faces go
in `w:rFonts w:eastAsia` (python-docx's `font.name` sets only the Latin faces), Latin faces in
ascii/hAnsi/cs, and no theme fonts are referenced, so nothing overrides the house faces.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from .style import FaceSpec, HouseStyle, cm_to_twips, pt_to_half_points

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# logical paragraph style (document.ParaStyle) -> Word style id
PARA_STYLE_IDS: dict[str, str] = {
    "cover_title": "ReplyCoverTitle",
    "cover_text": "ReplyCoverText",
    "addressee": "ReplyAddressee",
    "body": "ReplyBody",
    "question": "ReplyQuestion",
    "amendment": "ReplyAmendment",
    "amendment_lead": "ReplyAmendmentLead",
    "heading1": "Heading1",
    "heading2": "Heading2",
    "heading3": "Heading3",
    "heading4": "Heading4",
    "reply_label": "ReplyLabel",
    "table_unit": "ReplyTableUnit",
    "note": "ReplyNote",
    "legend": "ReplyLegend",
    "toc_title": "ReplyTocTitle",
    "signature": "ReplySignature",
    "signature_center": "ReplySignatureCenter",
    "precedent": "ReplyPrecedent",
}

# table cell paragraphs: (table kind, role) -> style id
CELL_STYLE_IDS: dict[tuple[str, str], str] = {
    ("body", "text"): "ReplyTableText",
    ("body", "number"): "ReplyTableNumber",
    ("body", "header"): "ReplyTableHeader",
    ("amendment", "text"): "ReplyTableTextAmend",
    ("amendment", "number"): "ReplyTableNumberAmend",
    ("amendment", "header"): "ReplyTableHeaderAmend",
}
TOC_STYLE_IDS = {1: "TOC1", 2: "TOC2", 3: "TOC3", 4: "TOC4"}


def _quoteattr(v: str) -> str:
    """An XML attribute value in double quotes (xml.sax.saxutils.quoteattr without its import of
    urllib, http and ssl: 0.1 s of start-up)."""
    v = v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return '"' + v.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;") + '"'


def cell_style_id(kind: str, role: str, tier: int = 0) -> str:
    """The cell style of a table printed at the table size (tier 0) or its n-th compact size."""
    sid = CELL_STYLE_IDS[(kind, role)]
    return sid if tier == 0 else f"{sid}C{tier}"
TABLE_STYLE_ID = "ReplyTable"
PLACEHOLDER_STYLE_ID = "ReplyPlaceholder"
VERIFY_STYLE_ID = "ReplyVerify"  # a figure, date or name taken from a precedent: check it
LEGEND_TABLE_TEXT = "ReplyLegend"

# Word style names (what the user sees in Word's style pane) for the ids above.
STYLE_NAMES: dict[str, str] = {
    "Normal": "Normal",
    "Heading1": "heading 1", "Heading2": "heading 2", "Heading3": "heading 3", "Heading4": "heading 4",
    "ReplyCoverTitle": "Reply Cover Title", "ReplyCoverText": "Reply Cover Text",
    "ReplyAddressee": "Reply Addressee", "ReplyBody": "Reply Body", "ReplyQuestion": "Reply Question",
    "ReplyAmendment": "Reply Amendment", "ReplyAmendmentLead": "Reply Amendment Lead",
    "ReplyLabel": "Reply Label", "ReplyTableUnit": "Reply Table Unit", "ReplyNote": "Reply Note",
    "ReplyLegend": "Reply Legend", "ReplyTocTitle": "Reply TOC Title", "ReplySignature": "Reply Signature",
    "ReplySignatureCenter": "Reply Signature Center", "ReplyPrecedent": "Reply Precedent",
    "ReplyTableText": "Reply Table Text", "ReplyTableNumber": "Reply Table Number",
    "ReplyTableHeader": "Reply Table Header", "ReplyTableTextAmend": "Reply Table Text Amendment",
    "ReplyTableNumberAmend": "Reply Table Number Amendment",
    "ReplyTableHeaderAmend": "Reply Table Header Amendment",
    "TOC1": "toc 1", "TOC2": "toc 2", "TOC3": "toc 3", "TOC4": "toc 4",
    "Header": "header", "Footer": "footer", "CommentText": "annotation text",
}

_JC = {"left": "left", "center": "center", "right": "right", "justify": "both"}

# Known Chinese faces: Windows family name, GB2312 charset, pitch (helps Word on a machine that
# lacks the face pick a sensible substitute).
_FONT_TABLE = {
    "宋体": ("SimSun", "roman", "variable"),
    "黑体": ("SimHei", "modern", "fixed"),
    "楷体": ("KaiTi", "modern", "fixed"),
    "仿宋": ("FangSong", "modern", "fixed"),
    "楷体_GB2312": ("KaiTi_GB2312", "modern", "fixed"),
    "仿宋_GB2312": ("FangSong_GB2312", "modern", "fixed"),
    "微软雅黑": ("Microsoft YaHei", "swiss", "variable"),
}


def _a(value: object) -> str:
    return _quoteattr(str(value))


def _twips_pt(pt: Decimal) -> int:
    return int((Decimal(pt) * 20).to_integral_value(ROUND_HALF_UP))


def text_width_twips(style: HouseStyle) -> int:
    """Width between the margins on A4 portrait."""
    return 11906 - cm_to_twips(style.margins.left) - cm_to_twips(style.margins.right)


def rpr_xml(f: FaceSpec, *, color: str | None = "000000") -> str:
    bold = "" if f.bold else ' w:val="0"'
    hp = pt_to_half_points(f.size)
    parts = [
        f"<w:rFonts w:ascii={_a(f.latin)} w:hAnsi={_a(f.latin)} w:eastAsia={_a(f.face)} w:cs={_a(f.latin)}/>",
        f"<w:b{bold}/><w:bCs{bold}/>",
    ]
    if color:
        parts.append(f'<w:color w:val="{color}"/>')
    parts.append(f'<w:sz w:val="{hp}"/><w:szCs w:val="{hp}"/>')
    return "<w:rPr>" + "".join(parts) + "</w:rPr>"


def ppr_xml(f: FaceSpec, *, align: str | None = None, extra_before_ind: str = "", outline: int | None = None,
            tabs: str = "", left_indent_twips: int = 0) -> str:
    parts = []
    if f.keep_with_next:
        parts.append("<w:keepNext/>")
    parts.append(extra_before_ind)
    if tabs:
        parts.append(tabs)
    line = int((Decimal(f.line_spacing) * 240).to_integral_value(ROUND_HALF_UP))
    parts.append(
        f'<w:spacing w:before="{_twips_pt(f.space_before)}" w:after="{_twips_pt(f.space_after)}" '
        f'w:line="{line}" w:lineRule="auto"/>'
    )
    chars = int((Decimal(f.indent) * 100).to_integral_value(ROUND_HALF_UP))
    first = int((Decimal(f.indent) * Decimal(f.size) * 20).to_integral_value(ROUND_HALF_UP))
    left = f' w:left="{left_indent_twips}"' if left_indent_twips else ' w:left="0"'
    parts.append(f'<w:ind{left} w:firstLineChars="{chars}" w:firstLine="{first}"/>')
    parts.append(f'<w:jc w:val="{_JC[align or f.align]}"/>')
    if outline is not None:
        parts.append(f'<w:outlineLvl w:val="{outline}"/>')
    return "<w:pPr>" + "".join(parts) + "</w:pPr>"


def _para_style(sid: str, f: FaceSpec, *, based_on: str | None = "Normal", next_id: str | None = None,
                outline: int | None = None, priority: int = 20, align: str | None = None,
                extra_before_ind: str = "", tabs: str = "", left_indent_twips: int = 0,
                qformat: bool = True, default: bool = False, name: str | None = None) -> str:
    flag = ' w:default="1"' if default else ""
    head = f'<w:style w:type="paragraph"{flag} w:styleId="{sid}">'
    head += f"<w:name w:val={_a(name or STYLE_NAMES[sid])}/>"
    if based_on:
        head += f'<w:basedOn w:val="{based_on}"/>'
    head += f'<w:next w:val="{next_id or sid}"/>'
    head += f'<w:uiPriority w:val="{priority}"/>'
    if qformat:
        head += "<w:qFormat/>"
    return (head + ppr_xml(f, align=align, extra_before_ind=extra_before_ind, outline=outline, tabs=tabs,
                           left_indent_twips=left_indent_twips)
            + rpr_xml(f) + "</w:style>")


def _border_xml(tag: str, style: HouseStyle, sides=("top", "left", "bottom", "right", "insideH", "insideV")) -> str:
    sz = int((style.table.border_pt * 8).to_integral_value(ROUND_HALF_UP))
    if sz <= 0:
        inner = "".join(f'<w:{s} w:val="nil"/>' for s in sides)
    else:
        inner = "".join(f'<w:{s} w:val="single" w:sz="{sz}" w:space="0" w:color="000000"/>' for s in sides)
    return f"<w:{tag}>{inner}</w:{tag}>"


def table_borders_xml(style: HouseStyle) -> str:
    return _border_xml("tblBorders", style)


def styles_xml(style: HouseStyle) -> str:
    """The whole styles.xml part for a house style."""
    body = style.face("body")
    f = style.face
    out = [
        f'<w:styles xmlns:w="{W_NS}">',
        "<w:docDefaults><w:rPrDefault><w:rPr>",
        f"<w:rFonts w:ascii={_a(body.latin)} w:hAnsi={_a(body.latin)} w:eastAsia={_a(body.face)} w:cs={_a(body.latin)}/>",
        f'<w:kern w:val="2"/><w:sz w:val="{pt_to_half_points(style.size)}"/>'
        f'<w:szCs w:val="{pt_to_half_points(style.size)}"/>',
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>',
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl/></w:pPr></w:pPrDefault></w:docDefaults>",
    ]
    normal = body.model_copy(update={"indent": Decimal(0)})
    out.append(_para_style("Normal", normal, based_on=None, default=True, priority=0))
    out.append(
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        "<w:unhideWhenUsed/></w:style>"
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'
    )
    # headings: built-in names so Word's navigation pane and TOC field see them
    for level in (1, 2, 3, 4):
        out.append(_para_style(f"Heading{level}", f(f"heading{level}"), next_id="ReplyBody",
                               outline=level - 1, priority=9))
    for logical, sid in PARA_STYLE_IDS.items():
        if logical.startswith("heading"):
            continue
        next_id = None  # the style Word gives the next paragraph when the user presses Enter
        if logical in ("question", "reply_label", "addressee"):
            next_id = "ReplyBody"
        elif logical == "amendment_lead":
            next_id = "ReplyAmendment"
        if logical == "precedent":
            out.append(_para_style(sid, f(logical), next_id="ReplyBody", extra_before_ind=precedent_ppr(style)))
            continue
        out.append(_para_style(sid, f(logical), next_id=next_id))
    # table cells: body tables in the table face, amendment tables in the amendment face at table size
    table, header = f("table"), f("table_header")
    amend = f("amendment")
    amend_cell = table.model_copy(update={"face": amend.face, "latin": amend.latin, "bold": amend.bold})
    amend_head = header.model_copy(update={"face": amend.face, "latin": amend.latin, "bold": True})
    for (kind, role), sid in CELL_STYLE_IDS.items():
        base = {"text": table, "number": table, "header": header}[role]
        if kind == "amendment":
            base = amend_head if role == "header" else amend_cell
        align = "right" if role == "number" else None
        out.append(_para_style(sid, base, align=align, priority=30, qformat=False))
        for tier, size in enumerate(style.table.compact_sizes, 1):  # wide tables: same look, smaller
            small = base.model_copy(update={"size": size})
            out.append(_para_style(cell_style_id(kind, role, tier), small, align=align, priority=31, qformat=False,
                                   name=f"{STYLE_NAMES[sid]} {size}pt"))
    # 目录 entries: a right tab with dot leader at the text width
    width = text_width_twips(style)
    toc = f("toc")
    for level, sid in TOC_STYLE_IDS.items():
        tabs = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{width}"/></w:tabs>'
        left = int((Decimal(level - 1) * 2 * Decimal(toc.size) * 20).to_integral_value(ROUND_HALF_UP))
        out.append(_para_style(sid, toc, next_id="ReplyBody", priority=39, tabs=tabs, left_indent_twips=left,
                               qformat=False))
    # running header (with a rule below) and footer
    rule = '<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="1" w:color="000000"/></w:pBdr>'
    out.append(_para_style("Header", f("header"), priority=99, extra_before_ind=rule, qformat=False))
    out.append(_para_style("Footer", f("footer"), priority=99, qformat=False))
    # Word comments (drafter's precedent notes): small, single-spaced, no indent
    note = f("note").model_copy(update={"line_spacing": Decimal(1), "align": "left", "indent": Decimal(0)})
    out.append(_para_style("CommentText", note, priority=99, qformat=False))
    out.append(
        '<w:style w:type="character" w:styleId="CommentReference"><w:name w:val="annotation reference"/>'
        '<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
        '<w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>'
    )
    # placeholders: red on yellow, so nobody misses them (the runs also carry the highlight directly)
    ph = style.placeholder
    ph_rpr = ""
    if ph.color:
        ph_rpr += f'<w:color w:val="{ph.color}"/>'
    if ph.highlight != "none":
        ph_rpr += f'<w:highlight w:val="{ph.highlight}"/>'
    out.append(
        f'<w:style w:type="character" w:styleId="{PLACEHOLDER_STYLE_ID}"><w:name w:val="Reply Placeholder"/>'
        f'<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="20"/><w:qFormat/>'
        f"<w:rPr>{ph_rpr}</w:rPr></w:style>"
    )
    out.append(
        f'<w:style w:type="character" w:styleId="{VERIFY_STYLE_ID}"><w:name w:val="Reply Verify"/>'
        f'<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="20"/><w:qFormat/>'
        f"<w:rPr>{verify_rpr(style)}</w:rPr></w:style>"
    )
    out.append(
        '<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/>'
        '<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/></w:style>'
    )
    # tables: borders and cell margins in a table style
    out.append(
        f'<w:style w:type="table" w:styleId="{TABLE_STYLE_ID}"><w:name w:val="Reply Table"/>'
        f'<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>'
        f'<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        f"<w:tblPr>{table_borders_xml(style)}"
        '<w:tblCellMar><w:top w:w="15" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
        '<w:bottom w:w="15" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
    )
    out.append("</w:styles>")
    return "".join(out)


def precedent_ppr(style: HouseStyle) -> str:
    """The precedent paragraph's left rule and shading (w:pBdr, w:shd: before w:spacing in w:pPr)."""
    look = style.precedent
    out = ""
    if look.border:
        out += f'<w:pBdr><w:left w:val="single" w:sz="18" w:space="4" w:color="{look.border}"/></w:pBdr>'
    if look.fill:
        out += f'<w:shd w:val="clear" w:color="auto" w:fill="{look.fill}"/>'
    return out


def verify_rpr(style: HouseStyle) -> str:
    look = style.precedent
    out = f'<w:color w:val="{look.color}"/>' if look.color else ""
    if look.highlight != "none":
        out += f'<w:highlight w:val="{look.highlight}"/>'
    return out


def font_table_xml(style: HouseStyle) -> str:
    """fontTable.xml naming the faces in use (with their Windows names for substitution)."""
    faces: list[str] = []
    for key in style.faces:
        spec = style.face(key)
        for name in (spec.face, spec.latin):
            if name and name not in faces:
                faces.append(name)
    out = [f'<w:fonts xmlns:w="{W_NS}">']
    for name in faces:
        if name in _FONT_TABLE:
            alt, family, pitch = _FONT_TABLE[name]
            out.append(f"<w:font w:name={_a(name)}><w:altName w:val={_a(alt)}/><w:charset w:val=\"86\"/>"
                       f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>')
        else:
            out.append(f"<w:font w:name={_a(name)}/>")
    out.append("</w:fonts>")
    return "".join(out)
