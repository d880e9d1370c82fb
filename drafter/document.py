"""The composed reply: the contract between `compose` (what to say) and `render` (how it looks).

`compose` builds a `ReplyDocument` from a parsed letter, the company data and the matched topics;
`render` turns it into a DOCX. Blocks carry *logical* styles only; the house style decides faces,
sizes and spacing, so nothing here names a font.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, Field

# Logical paragraph styles. The renderer maps each to a Word style in the base document.
ParaStyle = Literal[
    "cover_title",  # 关于X…审核问询函的回复 (cover)
    "cover_text",  # sponsor name / address / date lines on the cover
    "addressee",  # 深圳证券交易所:
    "body",  # 宋体 answer text
    "question",  # the letter's question quoted (黑体加粗 by default)
    "amendment",  # prospectus change (楷体加粗)
    "amendment_lead",  # 已在招股说明书"第六节…"中补充披露如下: (宋体)
    "heading1",  # question heading: 1.关于X (TOC level 1)
    "heading2",  # 一、发行人说明 / 二、中介机构核查情况 (TOC level 2)
    "heading3",  # (一)… request subheading / 核查程序 (TOC level 3)
    "heading4",  # 1、… minor subheading
    "reply_label",  # 回复: / 【回复】
    "table_unit",  # 单位:万元 (right-aligned, above a table)
    "note",  # 注: lines below a table
    "legend",  # typeface legend lines
    "toc_title",  # 目 录
    "signature",  # signature page lines
    "signature_center",  # (本页无正文,为《…》之签章页)
    "precedent",  # 【参考先例…】 a past answer adapted from the library: shaded, to rewrite or delete
]


class Run(BaseModel):
    text: str
    bold: bool | None = None  # None: as the paragraph style says
    placeholder: bool = False  # a human must write here: highlighted, never silently blank
    verify: bool = False  # came from a precedent (a figure, date or name of another issuer): highlighted to check
    # where a figure came from, to recompute it (drafter update): {"kind": "metric"|"f", …, "fmt": "amount"…};
    # the renderer wraps the run in a hidden bookmark and keeps this in the DOCX (drafter.update.provenance)
    source: dict[str, Any] | None = None


class Paragraph(BaseModel):
    kind: Literal["paragraph"] = "paragraph"
    style: ParaStyle = "body"
    runs: list[Run] = Field(default_factory=list)
    align: Literal["left", "center", "right", "justify"] | None = None

    @classmethod
    def of(cls, text: str, style: ParaStyle = "body", **kw) -> "Paragraph":
        return cls(style=style, runs=[Run(text=text)], **kw)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


class Table(BaseModel):
    kind: Literal["table"] = "table"
    unit: str | None = "万元"  # printed above as 单位:万元; None for no unit line
    header: list[list[str]]  # one or more header rows (repeated on each page)
    rows: list[list[str]]  # body cells, already formatted strings
    numeric_cols: list[int] = Field(default_factory=list)  # right-aligned columns
    notes: list[str] = Field(default_factory=list)  # 注: lines below
    style: Literal["body", "amendment"] = "body"  # amendment tables print in 楷体
    # the spec that rebuilds the table (drafter update): {"kind": "computed", "topic", "name"} or
    # {"kind": "fin_table"|"ratio_table"|"records_table"|"series_table", "args": {…}}
    source: dict[str, Any] | None = None


class PageBreak(BaseModel):
    kind: Literal["page_break"] = "page_break"


class Toc(BaseModel):
    """目录: a real Word TOC field (updates on open) plus visible entries (heading1 titles)."""

    kind: Literal["toc"] = "toc"
    entries: list[str] = Field(default_factory=list)


class LegendRow(BaseModel):
    what: str  # 问询函所列问题
    face: str  # 黑体(加粗)


class Legend(BaseModel):
    kind: Literal["legend"] = "legend"
    rows: list[LegendRow]


Block = Annotated[Union[Paragraph, Table, PageBreak, Toc, Legend], Field(discriminator="kind")]


class ReplyDocument(BaseModel):
    title: str  # used for document properties and signature pages
    header_text: str | None = None  # running header, e.g. 发行人及保荐人回复意见
    blocks: list[Block] = Field(default_factory=list)

    def add(self, block: Block) -> Block:
        self.blocks.append(block)
        return block

    def para(self, text: str, style: ParaStyle = "body", **kw) -> Paragraph:
        p = Paragraph.of(text, style, **kw)
        self.blocks.append(p)
        return p
