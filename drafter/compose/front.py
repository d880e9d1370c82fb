"""Front matter: cover, addressee and opening, typeface legend, rounding note, contents."""
from __future__ import annotations

from typing import Any

from ..document import Legend, LegendRow, PageBreak, Paragraph, ReplyDocument, Run, Toc
from .context import Names, get

DEFAULT_LEGEND = [
    ("问询函所列问题", "黑体(加粗)"),
    ("对问询函所列问题的回复", "宋体"),
    ("对招股说明书的修改、补充", "楷体(加粗)"),
]


def ph(text: str) -> Run:
    return Run(text=text if text.startswith("【") else f"【{text}】", placeholder=True)


def legend_rows(style: Any, names: Names) -> list[LegendRow]:
    if hasattr(style, "legend_rows"):
        rows = style.legend_rows(names.prospectus)
    else:
        rows = get(style, "legend") or DEFAULT_LEGEND
    out: list[LegendRow] = []
    for r in rows:
        if isinstance(r, (list, tuple)):
            what, face = r[0], r[1]
        else:
            what, face = get(r, "what", "label"), get(r, "face", "font")
        what = str(what)
        if not names.ipo:
            what = what.replace("招股说明书", names.prospectus)
        out.append(LegendRow(what=what, face=str(face)))
    return out


def cover(doc: ReplyDocument, names: Names) -> None:
    doc.para("", "cover_text")
    if names.issuer:
        doc.para(f"关于{names.issuer}", "cover_title")
    else:
        doc.add(Paragraph(style="cover_title", runs=[Run(text="关于"), ph("发行人全称")]))
    doc.add(Paragraph(style="cover_title", runs=[Run(text=names.offering_phrase)] if names.offering_phrase else [ph("发行类型")]))
    doc.para(f"申请文件的{names.letter_kind}的回复", "cover_title")
    for _ in range(8):  # the sponsor sits in the lower half of the cover
        doc.para("", "cover_text")
    doc.para(names.sponsor_title, "cover_text", align="center")
    doc.add(
        Paragraph(
            style="cover_text",
            align="center",
            runs=[Run(text=names.sponsor)] if names.sponsor else [ph(f"{names.sponsor_word}全称")],
        )
    )
    if names.sponsor_address:
        doc.para(f"({names.sponsor_address})", "cover_text", align="center")
    else:
        doc.add(Paragraph(style="cover_text", align="center", runs=[Run(text="("), ph(f"{names.sponsor_word}住所"), Run(text=")")]))
    doc.add(Paragraph(style="cover_text", align="center", runs=[ph("回复日期:二〇XX年X月")]))
    doc.add(PageBreak())


def opening(doc: ReplyDocument, names: Names, style: Any) -> None:
    doc.add(Paragraph(style="addressee", runs=[Run(text=f"{names.exchange}:")] if names.exchange else [ph("交易所名称"), Run(text=":")]))
    runs: list[Run] = [Run(text="贵所于")]
    runs.append(Run(text=names.letter_date) if names.letter_date else ph("问询函日期"))
    runs.append(Run(text=f"出具的《{names.letter_title or _letter_title(names)}》("))
    runs.append(Run(text=names.letter_number) if names.letter_number else ph("问询函文号"))
    runs.append(Run(text=")(以下简称“问询函”)已收悉。"))
    runs.append(Run(text=names.issuer) if names.issuer else ph("发行人全称"))
    short = f"“{names.short}”、" if names.short else ""
    runs.append(Run(text=f"(以下简称{short}“发行人”或“公司”)会同"))
    parties = [
        (names.sponsor, f"{names.sponsor_word}全称", names.sponsor_word),
        (names.auditor, "申报会计师全称", "申报会计师"),
        (names.lawyer, "发行人律师全称", "发行人律师"),
    ]
    for i, (name, need, word) in enumerate(parties):
        runs.append(Run(text=name) if name else ph(need))
        runs.append(Run(text=f"(以下简称“{word}”)" + ("、" if i < len(parties) - 1 else "")))
    runs.append(
        Run(
            text=f"等相关各方,已对问询函所列问题逐项核查、落实,现将有关情况回复如下,请予审核。"
            f"除另有说明外,本回复所用简称与《{names.issuer or '发行人'}{names.offering_phrase or ''}"
            f"{names.prospectus}(申报稿)》(以下简称“{names.prospectus}”)中的释义相同。"
        )
    )
    doc.add(Paragraph(style="body", runs=runs))
    doc.para("本回复中部分合计数与各明细数直接相加之和在尾数上如有差异,系数据计算时四舍五入所致。", "body")
    doc.para("本回复中的字体代表以下含义:", "body")
    doc.add(Legend(rows=legend_rows(style, names)))
    doc.add(PageBreak())


def _letter_title(names: Names) -> str:
    return f"关于{names.issuer or '【发行人全称】'}{names.offering_phrase or '【发行类型】'}申请文件的{names.letter_kind}"


def contents(doc: ReplyDocument, entries: list[str], style: Any = None) -> None:
    doc.para(get(style, "toc_title", default="目 录"), "toc_title", align="center")
    doc.add(Toc(entries=entries))
    doc.add(PageBreak())
