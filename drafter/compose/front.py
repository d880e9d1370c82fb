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
        if names.letter_short != "问询函":
            what = what.replace("问询函", names.letter_short)
        out.append(LegendRow(what=what, face=str(face)))
    return out


def _cover_title_lines(names: Names) -> list[list[Run]]:
    """The reply's title on the cover, one list of runs per line."""
    issuer = [Run(text=names.issuer)] if names.issuer else [ph(f"{names.subject}全称")]
    if names.letter_type == "restructuring":
        return [[Run(text="关于"), *issuer], [Run(text="重组问询函的回复")]]
    if names.letter_type == "annual":
        year = [Run(text=names.year)] if names.year else [ph("年度")]
        return [[Run(text="关于"), *issuer], [*year, Run(text="年报问询函的回复")]]
    if names.letter_type == "attention":
        return [[Run(text="关于对"), *issuer], [Run(text=f"{names.letter_kind}的回复")]]
    phrase = [Run(text=names.offering_phrase)] if names.offering_phrase else [ph("发行类型")]
    # csrc: 申请文件反馈意见的回复
    return [[Run(text="关于"), *issuer], phrase, [Run(text=f"申请文件{names.letter_kind}的回复")]]


def cover(doc: ReplyDocument, names: Names) -> None:
    if names.letter_type != "offering":
        return _cover_by_kind(doc, names)
    doc.para("", "cover_text")
    if names.issuer:
        doc.para(f"关于{names.issuer}", "cover_title")
    else:
        doc.add(Paragraph(style="cover_title", runs=[Run(text="关于"), ph("发行人全称")]))
    doc.add(Paragraph(style="cover_title", runs=[Run(text=names.offering_phrase)] if names.offering_phrase else [ph("发行类型")]))
    doc.para(f"{names.kind_tail}的回复", "cover_title")
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


def _cover_by_kind(doc: ReplyDocument, names: Names) -> None:
    """Covers of CSRC, 重组, 年报 and 关注函 replies: the title, then who files it."""
    doc.para("", "cover_text")
    for line in _cover_title_lines(names):
        doc.add(Paragraph(style="cover_title", runs=line))
    for _ in range(8):
        doc.para("", "cover_text")
    if names.letter_type == "csrc":  # the 申请人 files with its 保荐机构
        who, name, address = names.sponsor_title, names.sponsor, names.sponsor_address
        need = names.sponsor_word
    elif names.letter_type == "restructuring":  # the 上市公司 with its 独立财务顾问
        who, name, address, need = "独立财务顾问", names.advisor, None, "独立财务顾问"
    else:  # 年报问询函 / 关注函: the company's board answers itself
        who = None
        name, address, need = (f"{names.issuer}董事会" if names.issuer else None), "", "公司全称"
    if who:
        doc.para(who, "cover_text", align="center")
    doc.add(Paragraph(style="cover_text", align="center",
                      runs=[Run(text=name)] if name else ([ph(need), Run(text="董事会")] if not who else [ph(f"{need}全称")])))
    if who and address:
        doc.para(f"({address})", "cover_text", align="center")
    elif who:
        doc.add(Paragraph(style="cover_text", align="center", runs=[Run(text="("), ph(f"{need}住所"), Run(text=")")]))
    doc.add(Paragraph(style="cover_text", align="center", runs=[ph("回复日期:二〇XX年X月")]))
    doc.add(PageBreak())


def opening(doc: ReplyDocument, names: Names, style: Any) -> None:
    if names.letter_type != "offering":
        _opening_by_kind(doc, names)
        _notes(doc, names, style)
        return
    doc.add(Paragraph(style="addressee", runs=[Run(text=f"{names.exchange}:")] if names.exchange else [ph("交易所名称"), Run(text=":")]))
    runs: list[Run] = [Run(text=f"{names.authority}于")]
    runs.append(Run(text=names.letter_date) if names.letter_date else ph("问询函日期"))
    runs.append(Run(text=f"出具的《{names.letter_title or _letter_title(names)}》("))
    runs.append(Run(text=names.letter_number) if names.letter_number else ph("问询函文号"))
    runs.append(Run(text=f")(以下简称“{names.letter_short}”)已收悉。"))
    runs.append(Run(text=names.issuer) if names.issuer else ph(f"{names.subject}全称"))
    short = f"“{names.short}”、" if names.short else ""
    runs.append(Run(text=f"(以下简称{short}“{names.subject}”或“公司”)会同"))
    parties = [
        (names.sponsor, f"{names.sponsor_word}全称", names.sponsor_word),
        (names.auditor, "申报会计师全称", names.words.get("auditor", "申报会计师")),  # as the letter calls them
        (names.lawyer, "发行人律师全称", names.words.get("lawyer", "发行人律师")),
    ]
    for i, (name, need, word) in enumerate(parties):
        runs.append(Run(text=name) if name else ph(need))
        runs.append(Run(text=f"(以下简称“{word}”)" + ("、" if i < len(parties) - 1 else "")))
    runs.append(
        Run(
            text=f"等相关各方,已对{names.letter_short}所列问题逐项核查、落实,现将有关情况回复如下,请予审核。"
            f"除另有说明外,本回复所用简称与《{names.issuer or '发行人'}{names.offering_phrase or ''}"
            f"{names.prospectus}(申报稿)》(以下简称“{names.prospectus}”)中的释义相同。"
        )
    )
    doc.add(Paragraph(style="body", runs=runs))
    _notes(doc, names, style)


def _notes(doc: ReplyDocument, names: Names, style: Any) -> None:
    doc.para("本回复中部分合计数与各明细数直接相加之和在尾数上如有差异,系数据计算时四舍五入所致。", "body")
    doc.para("本回复中的字体代表以下含义:", "body")
    doc.add(Legend(rows=legend_rows(style, names)))
    doc.add(PageBreak())


def _opening_by_kind(doc: ReplyDocument, names: Names) -> None:
    """Addressee and opening of CSRC, 重组, 年报 and 关注函 replies (in the letter's own words)."""
    to = names.addressee
    if names.letter_type == "csrc":
        to = to or "中国证券监督管理委员会"
    doc.add(Paragraph(style="addressee", runs=[Run(text=f"{to}:")] if to else [ph("交易所及监管部门名称"), Run(text=":")]))
    if names.self_answered:  # the board's statement that opens a company's reply announcement
        doc.para("本公司及董事会全体成员保证信息披露的内容真实、准确、完整,没有虚假记载、误导性陈述或重大遗漏。", "body")
    runs: list[Run] = [Run(text=f"{names.authority}于")]
    runs.append(Run(text=names.letter_date) if names.letter_date else ph(f"{names.letter_short}日期"))
    title = names.letter_title or _letter_title(names)
    runs.append(Run(text=f"出具的《{title}》("))
    runs.append(Run(text=names.letter_number) if names.letter_number else ph(f"{names.letter_short}文号"))
    runs.append(Run(text=f")(以下简称“{names.letter_short}”)已收悉。"))
    runs.append(Run(text=names.issuer) if names.issuer else ph(f"{names.subject}全称"))
    short = f"“{names.short}”、" if names.short else ""
    if names.subject == "公司":
        runs.append(Run(text=f"(以下简称“{names.short}”或“公司”)" if names.short else "(以下简称“公司”)"))
    else:
        runs.append(Run(text=f"(以下简称{short}“{names.subject}”或“公司”)"))
    if names.letter_type == "csrc":
        parties = [(names.sponsor, "sponsor"), (names.auditor, "auditor"), (names.lawyer, "lawyer")]
    elif names.letter_type == "restructuring":
        parties = [(names.advisor, "financial_advisor"), (names.auditor, "auditor"), (names.lawyer, "lawyer")]
        if "appraiser" in names.words:
            parties.append((None, "appraiser"))
    else:  # the company answers; the intermediaries the letter asks join it
        parties = [(n, k) for n, k in ((names.auditor, "auditor"), (names.lawyer, "lawyer"), (None, "financial_advisor"),
                                       (None, "appraiser"), (names.sponsor, "sponsor")) if k in names.words]
    if parties:
        runs.append(Run(text="会同"))
        for i, (name, kind) in enumerate(parties):
            word = names.word(kind)
            runs.append(Run(text=name) if name else ph(f"{word}全称"))
            runs.append(Run(text=f"(以下简称“{word}”)" + ("、" if i < len(parties) - 1 else "")))
        runs.append(Run(text="等相关各方,"))
    else:
        runs.append(Run(text="董事会" if names.self_answered else ""))
        runs.append(Run(text="高度重视," if names.self_answered else ","))
    runs.append(Run(text=f"已对{names.letter_short}所列问题逐项核查、落实,现将有关情况回复如下"
                        + (",请予审核。" if names.letter_type in ("csrc", "restructuring") else "。")))
    if names.letter_type == "csrc":
        runs.append(Run(text="除另有说明外,本回复所用简称与申请文件中的释义相同。"))
    elif names.letter_type == "restructuring":
        runs += [Run(text="除另有说明外,本回复所用简称与《"), ph("重组报告书全称"),
                 Run(text="》(以下简称“重组报告书”)中的释义相同。")]
    doc.add(Paragraph(style="body", runs=runs))


def _letter_title(names: Names) -> str:
    return f"关于{names.issuer or '【发行人全称】'}{names.offering_phrase or '【发行类型】'}{names.kind_tail}"


def contents(doc: ReplyDocument, entries: list[str], style: Any = None) -> None:
    doc.para(get(style, "toc_title", default="目 录"), "toc_title", align="center")
    doc.add(Toc(entries=entries))
    doc.add(PageBreak())
