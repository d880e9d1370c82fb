"""A specimen reply showing every logical style of a house style (for `drafter style --specimen`).

The wording is our own and fictional (the bundled example issuer); it exists to show faces,
sizes, tables, placeholders and page numbers, not to be filed.
"""
from __future__ import annotations

from ..document import Legend, PageBreak, Paragraph, ReplyDocument, Run, Table, Toc
from .style import HouseStyle

ISSUER = "青禾智能装备股份有限公司"
TITLE = f"关于{ISSUER}向不特定对象发行可转换公司债券申请文件的审核问询函的回复"


def specimen(style: HouseStyle) -> ReplyDocument:
    d = ReplyDocument(title=TITLE, header_text=f"{ISSUER}审核问询函回复(样张)")
    d.para("", "cover_text")
    d.para(f"关于{ISSUER}", "cover_title")
    d.para("向不特定对象发行可转换公司债券", "cover_title")
    d.para("申请文件的审核问询函的回复", "cover_title")
    d.para("保荐人(主承销商)", "cover_text")
    d.para("远川证券股份有限公司", "cover_text")
    d.add(PageBreak())
    d.para("深圳证券交易所:", "addressee")
    d.para("本样张按所选版式排出回复的各类段落、表格和占位符,便于在起草前核对字体、字号、行距、页边距与页码。"
           "正文使用“对问询函所列问题的回复”的字体;问题、标题与修改内容各用其字体。")
    d.para("本回复中若出现合计数与各分项数值之和尾数不符的情况,均为四舍五入所致。本回复的字体说明如下:")
    d.add(Legend(rows=style.legend_rows("募集说明书")))
    d.add(PageBreak())
    d.para(style.toc_title, "toc_title")
    d.add(Toc(entries=["1.关于样张问题一", "2.关于样张问题二"]))
    d.add(PageBreak())
    d.para("1.关于样张问题一", "heading1")
    d.para("申报材料显示,报告期各期末,发行人应收账款余额持续增长。请发行人:(1)说明应收账款余额增长的原因及合理性;"
           "(2)补充披露坏账准备计提的充分性。请保荐人和申报会计师核查并发表明确意见。", "question")
    d.para(style.reply_label, "reply_label")
    d.para("一、发行人说明", "heading2")
    d.para("(一)说明应收账款余额增长的原因及合理性", "heading3")
    d.para("1、余额变动情况", "heading4")
    d.add(Paragraph(runs=[
        Run(text="报告期各期末,发行人应收账款余额分别为9,897.80万元、12,345.67万元和15,001.02万元,增长主要来自"),
        Run(text="【待补充:主要客户及信用期变化】", placeholder=True),
        Run(text="。其中,"), Run(text="前五名客户余额占比为54.17%", bold=True), Run(text="。"),
    ]))
    d.add(Table(
        header=[["项目", "2025年末", "2025年末", "2024年末", "2024年末"], ["", "金额", "占比", "金额", "占比"]],
        rows=[["1年以内", "14,250.97", "95.00%", "11,728.39", "95.00%"],
              ["1至2年", "750.05", "5.00%", "【待补充】", "5.00%"],
              ["合计", "15,001.02", "100.00%", "12,345.67", "100.00%"]],
        numeric_cols=[1, 2, 3, 4],
        notes=["占比为各账龄余额占应收账款余额的比例。"],
    ))
    d.para("(二)补充披露坏账准备计提的充分性", "heading3")
    d.para("发行人已在募集说明书“第七节 财务会计信息与管理层分析”之“五、财务状况分析”中补充披露如下:",
           "amendment_lead")
    d.para("报告期各期末,公司按预期信用损失模型计提坏账准备,计提比例与同行业可比公司不存在重大差异。", "amendment")
    d.add(Table(unit="万元", header=[["项目", "2025年末"]], rows=[["坏账准备", "790.55"]], numeric_cols=[1],
                style="amendment"))
    d.para("二、中介机构核查情况", "heading2")
    d.para("(一)核查程序", "heading3")
    d.para("保荐人、申报会计师履行了以下核查程序:")
    d.para("1、获取发行人应收账款明细表,复核账龄划分;")
    d.para("2、对主要客户执行函证程序。")
    d.para("(二)核查意见", "heading3")
    d.para("经核查,保荐人、申报会计师认为:")
    d.add(Paragraph(runs=[Run(text="【待核实:核查结论】", placeholder=True)]))
    d.add(PageBreak())
    d.para("2.关于样张问题二", "heading1")
    d.para("请发行人说明本次募集资金投资项目的测算依据。", "question")
    d.para(style.reply_label, "reply_label")
    d.para("本页用于查看页眉、页脚页码与第二个问题的标题。")
    d.add(PageBreak())
    d.para(f"(本页无正文,为《{TITLE}》之签章页)", "signature_center")
    d.para("法定代表人:", "signature")
    d.para(ISSUER, "signature", align="right")
    d.para("年    月    日", "signature", align="right")
    return d
