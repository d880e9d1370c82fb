"""Rendering a ReplyDocument to DOCX: open the result with python-docx and check what Word will show."""
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml.ns import qn

from drafter.document import Legend, LegendRow, PageBreak, Paragraph, ReplyDocument, Run, Table, Toc
from drafter.render import PARA_STYLE_IDS, render_docx
from drafter.render.style import HouseStyle, load_style

ROOT = Path(__file__).resolve().parent.parent
TITLE = "关于青禾智能装备股份有限公司向不特定对象发行可转换公司债券申请文件的审核问询函的回复"


def sample_doc() -> ReplyDocument:
    d = ReplyDocument(title=TITLE, header_text="发行人及保荐人回复意见")
    d.para(TITLE, "cover_title")
    d.para("保荐人(主承销商)", "cover_text")
    d.add(PageBreak())
    d.para("深圳证券交易所:", "addressee")
    d.para("贵所出具的审核问询函(审核函〔2026〕020031号)已收悉,现就所列问题逐项回复如下。")
    d.add(Legend(rows=[LegendRow(what="问询函所列问题", face="黑体(加粗)"),
                       LegendRow(what="对问询函所列问题的回复", face="宋体"),
                       LegendRow(what="对募集说明书的修改、补充", face="楷体(加粗)")]))
    d.para("本回复中若出现总计数尾数与所列数值总和尾数不符的情况,均为四舍五入所致。", "note")
    d.add(PageBreak())
    d.para("目 录", "toc_title")
    d.add(Toc(entries=["1.关于财务性投资", "2.关于累计债券余额"]))
    d.add(PageBreak())
    d.para("1.关于财务性投资", "heading1")
    d.para("请发行人说明最近一期末是否持有金额较大的财务性投资。请保荐人和申报会计师核查并发表明确意见。", "question")
    d.para("回复:", "reply_label")
    d.para("一、发行人说明", "heading2")
    d.para("(一)最近一期末财务性投资情况", "heading3")
    d.add(Paragraph(runs=[Run(text="截至2026年6月30日,发行人财务性投资金额为"),
                          Run(text="【待补充:金额】", placeholder=True),
                          Run(text="万元,占比"), Run(text="3.21%", bold=True), Run(text="。")]))
    d.add(Table(header=[["项目", "2026年6月末", "2026年6月末"], ["", "金额", "是否财务性投资"]],
                rows=[["交易性金融资产", "1,250.00", "否"], ["长期股权投资", "【待补充:金额】", "是"],
                      ["合计", "3,662.45", "-"]],
                numeric_cols=[1], notes=["交易性金融资产为结构性存款。"]))
    d.para("1、对外投资", "heading4")
    d.para("已在募集说明书“第七节”之“五、财务状况分析”中补充披露如下:", "amendment_lead")
    d.para("截至2026年6月30日,公司不存在金额较大的财务性投资。", "amendment")
    d.add(Table(unit=None, header=[["项目", "金额"]], rows=[["财务性投资", "0.00"]], numeric_cols=[1],
                notes=["上表为补充披露内容。", "注2:金额为账面价值。"], style="amendment"))
    d.para("2.关于累计债券余额", "heading1")
    d.para("本次发行后累计债券余额占净资产的比例为41.67%。")
    d.add(PageBreak())
    d.para("(本页无正文,为《" + TITLE + "》之签章页)", "signature_center")
    d.para("法定代表人:", "signature")
    d.para("青禾智能装备股份有限公司", "signature", align="right")
    return d


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    path = tmp_path_factory.mktemp("render") / "reply.docx"
    render_docx(sample_doc(), HouseStyle(), path)
    return docx.Document(str(path))


def style_el(d, style_id):
    for s in d.styles.element.findall(qn("w:style")):
        if s.get(qn("w:styleId")) == style_id:
            return s
    raise AssertionError(f"style {style_id} missing")


def east_asian(d, style_id) -> str:
    return style_el(d, style_id).find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia"))


def is_bold(d, style_id) -> bool:
    b = style_el(d, style_id).find(qn("w:rPr")).find(qn("w:b"))
    return b is not None and b.get(qn("w:val")) not in ("0", "false")


def body_items(d):
    """('p', style id, text) and ('tbl', rows of cell texts) in document order."""
    out = []
    for el in d.element.body:
        if el.tag == qn("w:p"):
            ps = el.find(qn("w:pPr") + "/" + qn("w:pStyle"))
            text = "".join(t.text or "" for t in el.iter(qn("w:t")))
            out.append(("p", ps.get(qn("w:val")) if ps is not None else None, text))
        elif el.tag == qn("w:tbl"):
            rows = [["".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in tr.findall(qn("w:tc"))]
                    for tr in el.findall(qn("w:tr"))]
            out.append(("tbl", rows))
    return out


def test_faces_on_styles(rendered):
    d = rendered
    assert east_asian(d, PARA_STYLE_IDS["question"]) == "黑体" and is_bold(d, "ReplyQuestion")
    assert east_asian(d, PARA_STYLE_IDS["body"]) == "宋体" and not is_bold(d, "ReplyBody")
    assert east_asian(d, PARA_STYLE_IDS["amendment"]) == "楷体" and is_bold(d, "ReplyAmendment")
    assert east_asian(d, "ReplyTableTextAmend") == "楷体"
    fonts = style_el(d, "ReplyBody").find(qn("w:rPr")).find(qn("w:rFonts"))
    assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == "Times New Roman"
    assert fonts.get(qn("w:asciiTheme")) is None  # no theme font overriding the house faces
    body = d.styles["Reply Body"]
    assert body.font.size.pt == 12 and body.paragraph_format.line_spacing == 1.5
    assert d.styles["Reply Question"].font.bold is True


def test_headings_are_word_headings(rendered):
    for level in (1, 2, 3, 4):
        s = rendered.styles[f"Heading {level}"]
        assert s.style_id == f"Heading{level}"
        lvl = style_el(rendered, f"Heading{level}").find(qn("w:pPr")).find(qn("w:outlineLvl"))
        assert lvl.get(qn("w:val")) == str(level - 1)
    headings = [p.text for p in rendered.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["1.关于财务性投资", "2.关于累计债券余额"]
    assert east_asian(rendered, "Heading1") == "黑体"


def test_every_block_in_order(rendered):
    doc = sample_doc()
    expected = []
    for b in doc.blocks:
        if b.kind == "paragraph":
            expected.append(("p", PARA_STYLE_IDS[b.style], b.text))
        elif b.kind == "table":
            if b.unit:
                expected.append(("p", "ReplyTableUnit", f"单位：{b.unit}"))
            expected.append(("tbl", None))
            expected.extend(("p", "ReplyNote", None) for _ in b.notes)
        elif b.kind == "legend":
            expected.append(("tbl", None))
        elif b.kind == "toc":
            expected.extend(("p", "TOC1", e) for e in b.entries)  # + the PAGEREF result (empty)
    got = body_items(rendered)
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert g[0] == e[0]
        if e[0] == "p":
            assert g[1] == e[1]
            if e[2] is not None:
                assert g[2] == e[2]
    notes = [g[2] for g in got if g[0] == "p" and g[1] == "ReplyNote"]
    assert notes[1:] == ["注：交易性金融资产为结构性存款。", "注1：上表为补充披露内容。", "注2:金额为账面价值。"]
    tables = [g[1] for g in got if g[0] == "tbl"]
    assert tables[0] == [["问询函所列问题", "黑体(加粗)"], ["对问询函所列问题的回复", "宋体"],
                         ["对募集说明书的修改、补充", "楷体(加粗)"]]
    assert tables[1][2:] == [["交易性金融资产", "1,250.00", "否"], ["长期股权投资", "【待补充:金额】", "是"],
                             ["合计", "3,662.45", "-"]]


def test_page_setup_and_footer(rendered):
    sec = rendered.sections[0]
    assert (sec.page_width.mm, sec.page_height.mm) == pytest.approx((210, 297), abs=0.1)
    assert sec.left_margin.cm == pytest.approx(3.17, abs=0.01)
    ftr = sec.footer._element
    instr = [t.text.strip() for t in ftr.iter(qn("w:instrText"))]
    assert instr == ["PAGE"]
    assert [f.get(qn("w:fldCharType")) for f in ftr.iter(qn("w:fldChar"))] == ["begin", "separate", "end"]
    texts = [t.text for t in ftr.iter(qn("w:t"))]
    assert texts[0] == "8-1-"
    assert sec.header.paragraphs[0].text == "发行人及保荐人回复意见"
    # the cover (first page) has no running header but keeps its number 8-1-1, as filed replies do
    assert sec.different_first_page_header_footer
    assert "".join(p.text for p in sec.first_page_header.paragraphs) == ""
    first = sec.first_page_footer._element
    assert [t.text.strip() for t in first.iter(qn("w:instrText"))] == ["PAGE"]
    assert [t.text for t in first.iter(qn("w:t"))][0] == "8-1-"


def test_cover_without_number_and_documents_without_cover(tmp_path):
    path = tmp_path / "a.docx"
    render_docx(sample_doc(), HouseStyle(cover_page_number=False), path)
    sec = docx.Document(str(path)).sections[0]
    assert sec.different_first_page_header_footer
    assert list(sec.first_page_footer._element.iter(qn("w:instrText"))) == []
    assert sec.footer.paragraphs[0].text.startswith("8-1-")
    plain = ReplyDocument(title="x", header_text="页眉")  # no cover: page 1 is an ordinary page
    plain.para("1.关于收入", "heading1")
    render_docx(plain, HouseStyle(), tmp_path / "b.docx")
    sec = docx.Document(str(tmp_path / "b.docx")).sections[0]
    assert not sec.different_first_page_header_footer


def test_toc_field_updates_on_open(rendered):
    body = rendered.element.body
    instr = [t.text for t in body.iter(qn("w:instrText"))]
    assert instr[0].strip() == 'TOC \\o "1-3" \\h \\z \\u'
    assert sum(1 for x in instr if x.strip().startswith("PAGEREF _Toc")) == 2
    upd = rendered.settings.element.find(qn("w:updateFields"))
    assert upd is not None and upd.get(qn("w:val")) == "true"
    toc = [p.text for p in rendered.paragraphs if p.style.name == "toc 1"]
    # entry, a tab to the dotted right tab stop, then the page number Word fills in
    assert toc == ["1.关于财务性投资\t", "2.关于累计债券余额\t"]
    # the entries link to bookmarks on the headings
    marks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    anchors = {h.get(qn("w:anchor")) for h in body.iter(qn("w:hyperlink"))}
    assert anchors and anchors <= marks


def test_tables(rendered):
    t = rendered.tables[1]  # [0] is the legend
    trs = t._tbl.findall(qn("w:tr"))
    header_flags = [tr.find(qn("w:trPr") + "/" + qn("w:tblHeader")) is not None for tr in trs]
    assert header_flags == [True, True, False, False, False]
    # 2026年6月末 spans the 金额 and 是否财务性投资 columns; 项目 merges down
    first = trs[0].findall(qn("w:tc"))
    assert first[1].find(qn("w:tcPr") + "/" + qn("w:gridSpan")).get(qn("w:val")) == "2"
    assert first[0].find(qn("w:tcPr") + "/" + qn("w:vMerge")).get(qn("w:val")) == "restart"
    # numeric columns right-aligned, text columns not, header centred
    row = t.rows[2]
    assert row.cells[1].paragraphs[0].style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert row.cells[0].paragraphs[0].style.paragraph_format.alignment != WD_ALIGN_PARAGRAPH.RIGHT
    assert t.rows[0].cells[0].paragraphs[0].style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    borders = t._tbl.tblPr.find(qn("w:tblBorders"))
    assert {c.tag.split("}")[1] for c in borders} >= {"top", "bottom", "left", "right", "insideH", "insideV"}
    assert all(c.get(qn("w:val")) == "single" for c in borders)
    unit = [p for p in rendered.paragraphs if p.text == "单位：万元"][0]
    assert unit.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # the sentence leading into a table keeps with it; other body paragraphs do not
    lead = [p for p in rendered.paragraphs if p.text.startswith("截至2026年6月30日")][0]
    assert lead.paragraph_format.keep_with_next
    assert not [p for p in rendered.paragraphs if p.text.startswith("贵所出具")][0].paragraph_format.keep_with_next
    # a short table keeps together, and with its 注 line below: every row keeps with the next
    keep = [tr.find(qn("w:tc") + "/" + qn("w:p") + "/" + qn("w:pPr") + "/" + qn("w:keepNext")) is not None
            for tr in trs]
    assert keep == [True, True, True, True, True]
    amend = rendered.tables[2]
    assert amend.rows[1].cells[1].paragraphs[0].style.style_id == "ReplyTableNumberAmend"


def test_placeholders_highlighted(rendered):
    runs = [r for p in rendered.paragraphs for r in p.runs if r.text.startswith("【待补充")]
    cell_runs = [r for t in rendered.tables for row in t.rows for c in row.cells for p in c.paragraphs
                 for r in p.runs if r.text.startswith("【待补充")]
    assert len(runs) == 1 and len(cell_runs) == 1
    for r in runs + cell_runs:
        assert r.font.highlight_color == WD_COLOR_INDEX.YELLOW
        assert str(r.font.color.rgb) == "FF0000"
        assert r.style.name == "Reply Placeholder"
    bold = [r for p in rendered.paragraphs for r in p.runs if r.text == "3.21%"][0]
    assert bold.bold is True and bold.font.highlight_color is None


def test_page_breaks_and_legend(rendered):
    breaks = [p.text for p in rendered.paragraphs if p.paragraph_format.page_break_before]
    assert breaks == ["深圳证券交易所:", "目 录", "1.关于财务性投资", "(本页无正文,为《" + TITLE + "》之签章页)"]
    legend = rendered.tables[0]
    assert legend._tbl.tblPr.find(qn("w:tblBorders")) is not None
    face_run = legend.rows[0].cells[1].paragraphs[0].runs[0]  # 黑体(加粗) shown in 黑体, bold
    assert face_run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体" and face_run.bold
    assert rendered.core_properties.title == TITLE


def test_custom_style_changes_faces_and_page_pattern(tmp_path):
    p = tmp_path / "house.yaml"
    p.write_text(
        'page_number: "8-1-{doc}-{page}"\ndoc: 3\nfaces:\n  question: {face: 宋体, bold: true}\n'
        "  body: {face: 仿宋}\n  amendment: {face: 楷体_GB2312}\nplaceholder: {highlight: green, color: none}\n"
        "table: {border_pt: 1}\n",
        encoding="utf-8",
    )
    out = tmp_path / "reply.docx"
    render_docx(sample_doc(), load_style(p), out)
    d = docx.Document(str(out))
    assert east_asian(d, "ReplyQuestion") == "宋体" and is_bold(d, "ReplyQuestion")
    assert east_asian(d, "ReplyBody") == "仿宋"
    assert east_asian(d, "ReplyAmendment") == "楷体_GB2312" and is_bold(d, "ReplyAmendment")
    ftr = d.sections[0].footer._element
    assert [t.text for t in ftr.iter(qn("w:t"))][0] == "8-1-3-"
    assert [t.text.strip() for t in ftr.iter(qn("w:instrText"))] == ["PAGE"]
    ph = [r for par in d.paragraphs for r in par.runs if r.text.startswith("【待补充")][0]
    assert ph.font.highlight_color == WD_COLOR_INDEX.BRIGHT_GREEN and ph.font.color.rgb is None
    sz = d.tables[1]._tbl.tblPr.find(qn("w:tblBorders")).find(qn("w:top")).get(qn("w:sz"))
    assert sz == "8"


def test_example_style_renders(tmp_path):
    out = tmp_path / "reply.docx"
    render_docx(sample_doc(), load_style(ROOT / "examples" / "style.yaml"), out)
    d = docx.Document(str(out))
    assert [t.text for t in d.sections[0].footer._element.iter(qn("w:t"))][0] == "8-1-3-"
    assert east_asian(d, "ReplyQuestion") == "黑体" and not is_bold(d, "ReplyQuestion")


def test_awkward_content(tmp_path):
    """Control characters, line breaks, ragged rows, empty tables and blocks never crash or lose text."""
    d = ReplyDocument(title="t")
    d.para("bell\x07 and\ttab\nnew line ")
    d.add(Paragraph(runs=[Run(text="", placeholder=True)]))
    d.add(Table(header=[["a", "b"]], rows=[["1"], ["1", "2", "3"]], numeric_cols=[1]))
    d.add(Table(header=[["n"]], rows=[[str(i)] for i in range(20)]))  # long: may split, header repeats
    d.add(Table(header=[], rows=[], notes=["注1:只有注释"]))
    d.add(Toc())
    d.add(PageBreak())
    out = tmp_path / "odd.docx"
    render_docx(d, None, out)
    doc = docx.Document(str(out))
    assert doc.paragraphs[0].text == "bell and\ttab\nnew line "
    assert doc.paragraphs[1].text == "【待补充】"  # an empty placeholder still shows
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert rows == [["a", "b", ""], ["1", "", ""], ["1", "2", "3"]]
    assert any(p.text == "注1:只有注释" for p in doc.paragraphs)
    long_rows = doc.tables[1]._tbl.findall(qn("w:tr"))
    kept = [tr.find(".//" + qn("w:keepNext")) is not None for tr in long_rows]
    assert kept[0] and not any(kept[1:])
    assert doc.element.body.findall(".//" + qn("w:br"))[-1].get(qn("w:type")) == "page"


def test_page_count_pattern_grey_header_and_no_borders(tmp_path):
    style = HouseStyle(page_number="第{page}页 共{pages}页", table={"header_fill": "D9D9D9", "border_pt": 0})
    out = tmp_path / "reply.docx"
    render_docx(sample_doc(), style, out)
    d = docx.Document(str(out))
    ftr = d.sections[0].footer._element
    assert [t.text.strip() for t in ftr.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]
    texts = [t.text for t in ftr.iter(qn("w:t"))]
    assert texts[0] == "第" and "页 共" in texts and texts[-1] == "页"
    t = d.tables[1]
    shd = t.rows[0].cells[1]._tc.tcPr.find(qn("w:shd"))
    assert shd.get(qn("w:fill")) == "D9D9D9"
    assert t.rows[2].cells[1]._tc.tcPr.find(qn("w:shd")) is None  # body rows stay white
    assert {b.get(qn("w:val")) for b in t._tbl.tblPr.find(qn("w:tblBorders"))} == {"nil"}


def _four_periods(label_rows):
    years = ["2026年1-6月", "2025年", "2024年", "2023年"]
    header = [["产品类别"] + [y for y in years for _ in (0, 1)], [""] + ["金额", "占比"] * 4]
    return Table(header=header, rows=label_rows, numeric_cols=list(range(1, 9)), notes=["占比=各类收入/主营业务收入。"])


def test_wide_tables_set_smaller_so_figures_never_break(tmp_path):
    from drafter.render.body import text_units

    rows = [["智能分拣系统", "29,488.98", "53.00%", "58,095.00", "54.00%", "52,649.50", "56.00%", "47,155.72", "58.00%"],
            ["配件及技术服务", "6,120.35", "11.00%", "11,834.16", "11.00%", "10,341.86", "11.00%", "8,943.32", "11.00%"],
            ["主营业务收入", "55,639.58", "100.00%", "107,583.33", "100.00%", "94,016.96", "100.00%", "81,302.96",
             "100.00%"]]
    d = ReplyDocument(title="t")
    d.add(_four_periods(rows))
    d.add(Table(header=[["项目", "2025年", "2024年"]], rows=[["营业收入", "108,746.92", "95,120.36"]], numeric_cols=[1, 2]))
    style = HouseStyle()
    out = tmp_path / "wide.docx"
    render_docx(d, style, out)
    doc = docx.Document(str(out))
    wide, narrow = doc.tables
    # the 9-column table is set at 小五 (9pt) with narrow cell margins; the 3-column one stays 五号
    cell = wide.rows[2].cells[1].paragraphs[0]
    assert cell.style.style_id == "ReplyTableNumberC1" and cell.style.font.size.pt == 9
    assert wide.rows[0].cells[0].paragraphs[0].style.style_id == "ReplyTableHeaderC1"
    assert wide._tbl.tblPr.find(qn("w:tblCellMar")) is not None
    assert narrow.rows[1].cells[1].paragraphs[0].style.style_id == "ReplyTableNumber"
    assert narrow._tbl.tblPr.find(qn("w:tblCellMar")) is None
    # every figure fits its column on one line at 9pt (twips: 10 per half-em per point), margins aside
    grid = [int(g.get(qn("w:w"))) for g in wide._tbl.find(qn("w:tblGrid"))]
    assert sum(grid) <= 11906 - 2 * 1797 + 1
    for row in rows:
        for i, text in enumerate(row[1:], 1):
            assert text_units(text) * 9 * 10 <= grid[i] - 90, (text, grid[i])
    assert text_units("配件及技术服务") * 90 <= grid[0] - 90  # and the labels, here, on one line too


def test_text_units_measure_what_prints():
    from drafter.render.body import text_units

    assert text_units("47,155.72") == 8  # seven digits, two narrow separators
    assert text_units("智能分拣系统") == 12
    assert text_units("2026年1-6月") > text_units("2026") + 2 * 3  # the quarter-em gaps between 年 and digits


def test_spare_room_goes_first_to_columns_it_puts_on_one_line(tmp_path):
    d = ReplyDocument(title="t")
    rows = [[f"2026年1-6月", str(i), name, "智能分拣系统", "6,659.66", "11.85%"]
            for i, name in enumerate(["Nordvik Logistics AB", "西岸冷链物流有限公司(关联方)", "华拓物流科技有限公司"], 1)]
    d.add(Table(header=[["期间", "序号", "客户名称", "销售内容", "销售金额", "占营业收入比例"]], rows=rows,
                numeric_cols=[4, 5]))
    render_docx(d, HouseStyle(), tmp_path / "t.docx")
    from drafter.render.body import text_units

    grid = [int(g.get(qn("w:w"))) for g in docx.Document(str(tmp_path / "t.docx")).tables[0]._tbl.find(qn("w:tblGrid"))]
    # the period and the product fit on one line; the long customer name is the column that wraps
    assert grid[0] - 170 >= text_units("2026年1-6月") * 105
    assert grid[3] - 170 >= text_units("智能分拣系统") * 105


def test_too_wide_even_at_the_smallest_size_still_renders(tmp_path):
    years = [f"{y}年" for y in range(2010, 2026)]
    d = ReplyDocument(title="t")
    d.add(Table(header=[["项目"] + years], rows=[["营业收入"] + ["1,234,567.89"] * len(years)],
                numeric_cols=list(range(1, len(years) + 1))))
    render_docx(d, HouseStyle(table={"compact_sizes": ["小五"]}), tmp_path / "w.docx")
    t = docx.Document(str(tmp_path / "w.docx")).tables[0]
    assert t.rows[1].cells[1].paragraphs[0].style.style_id == "ReplyTableNumberC1"  # the smallest it has
    assert len(t.rows[1].cells) == 17
    d = ReplyDocument(title="t")  # absurdly many columns: still positive widths that add up to the page
    d.add(Table(header=[[str(i) for i in range(80)]], rows=[["1.00"] * 80], numeric_cols=list(range(80))))
    render_docx(d, HouseStyle(), tmp_path / "w80.docx")
    grid = [int(g.get(qn("w:w"))) for g in docx.Document(str(tmp_path / "w80.docx")).tables[0]._tbl.find(qn("w:tblGrid"))]
    assert min(grid) > 0 and sum(grid) == 11906 - 2 * 1797


def test_comments_anchored_on_paragraphs(tmp_path):
    doc = sample_doc()
    idx = next(i for i, b in enumerate(doc.blocks) if b.kind == "paragraph" and b.style == "heading3")
    table = next(i for i, b in enumerate(doc.blocks) if b.kind == "table")
    out = tmp_path / "c.docx"
    render_docx(doc, None, out, comments={idx: ["第一段", "第二段"], table: ["not a paragraph: ignored"], 0: [" "]})
    d = docx.Document(str(out))
    comments = list(d.comments)
    assert len(comments) == 1
    c = comments[0]
    assert (c.author, c.initials) == ("drafter", "DR") and [p.text for p in c.paragraphs] == ["第一段", "第二段"]
    start = next(d.element.body.iter(qn("w:commentRangeStart")))
    assert "".join(t.text for t in start.getparent().iter(qn("w:t"))) == doc.blocks[idx].text
    assert {"CommentText", "CommentReference"} <= {s.style_id for s in d.styles}
