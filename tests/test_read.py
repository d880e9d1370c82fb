"""Reading letters from every supported format, and refusing bad input with one clear error."""
from __future__ import annotations

from pathlib import Path

import pytest

from drafter import read as read_mod
from drafter.read.clean import clean_text
from drafter.errors import UserError
from drafter.parse import parse_file
from drafter.read import read_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "letter.txt"


def _structure(letter):
    return [
        (q.number, q.title, [r.id for r in q.requests], [(v.parties, v.scope, v.scope_ids) for v in q.verification])
        for q in letter.questions
    ]


def _paragraphs() -> list[str]:
    return [p.strip() for p in EXAMPLE.read_text(encoding="utf-8").split("\n") if p.strip()]


# --- plain text ------------------------------------------------------------------------------------


def test_gb18030_text(tmp_path):
    p = tmp_path / "letter_gbk.txt"
    p.write_bytes(EXAMPLE.read_text(encoding="utf-8").encode("gb18030"))
    assert _structure(parse_file(p)) == _structure(parse_file(EXAMPLE))


def test_utf8_bom_and_crlf(tmp_path):
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbf" + EXAMPLE.read_text(encoding="utf-8").replace("\n", "\r\n").encode("utf-8"))
    assert _structure(parse_file(p)) == _structure(parse_file(EXAMPLE))


def test_markdown(tmp_path):
    p = tmp_path / "letter.md"
    body = "\n\n".join(("## " + s) if s[:2] in ("1.", "2.", "3.", "4.", "5.", "6.", "7.") else s for s in _paragraphs())
    p.write_text(body, encoding="utf-8")
    assert _structure(parse_file(p)) == _structure(parse_file(EXAMPLE))


def test_page_numbers_and_running_headers_are_dropped():
    raw = "\n".join(
        [
            "1.关于收入",
            "请发行人说明：",
            "(1)结合主要客户的订单情况，说明报告期内营业收入持续增长的原因及其可持续",
            "",
            "某某公司 审核问询函的回复",
            "8-1-4",
            "",
            "性，与同行业可比公司的变动趋势是否一致；",
            "(2)说明各期末在手订单的执行情况。",
            "某某公司 审核问询函的回复",
            "8-1-5",
            "请保荐人发表明确意见。",
            "某某公司 审核问询函的回复",
            "8-1-6",
            "12",
        ]
    )
    text = clean_text(raw)
    assert "8-1-4" not in text and "审核问询函的回复" not in text
    assert "说明报告期内营业收入持续增长的原因及其可持续性，与同行业" in text
    assert "\n12" not in text


def test_split_subscripts_are_glued_back():
    raw = "使用的材料包括AgSnO\n\n2\n\n和AgSnO\n\nIn\n\nO\n\n等类型的电接触材料。"
    assert clean_text(raw) == "使用的材料包括AgSnO2和AgSnOInO等类型的电接触材料。"


# --- DOCX ---------------------------------------------------------------------------------------------


def _make_docx(path: Path, numbered_headings: bool = False) -> None:
    import docx

    d = docx.Document()
    for s in _paragraphs():
        if numbered_headings and s[:2] in ("1.", "2.", "3.", "4.", "5.", "6.", "7."):
            d.add_paragraph(s[2:], style="List Number")  # Word's automatic numbering
        else:
            d.add_paragraph(s)
        if s.startswith("2.关于融资规模"):
            t = d.add_table(rows=2, cols=3)
            for cell, v in zip(t.rows[0].cells, ["项目", "金额(万元)", "占比"]):
                cell.text = v
            for cell, v in zip(t.rows[1].cells, ["补充流动资金", "14,000.00", "29.17%"]):
                cell.text = v
    d.save(str(path))


def test_docx_same_structure_as_text(tmp_path):
    p = tmp_path / "letter.docx"
    _make_docx(p)
    letter = parse_file(p)
    assert _structure(letter) == _structure(parse_file(EXAMPLE))
    assert "补充流动资金\t14,000.00\t29.17%" in letter.questions[1].background
    assert letter.meta.number == "审核函〔2026〕020031号"


def test_docx_automatic_numbering_restored(tmp_path):
    p = tmp_path / "numbered.docx"
    _make_docx(p, numbered_headings=True)
    letter = parse_file(p)
    assert [q.label for q in letter.questions] == [f"{n}." for n in range(1, 8)]
    assert _structure(letter) == _structure(parse_file(EXAMPLE))


def test_docx_not_a_zip(tmp_path):
    p = tmp_path / "fake.docx"
    p.write_text("this is not a word file", encoding="utf-8")
    with pytest.raises(UserError, match="not a zip") as e:
        read_text(p)
    assert e.value.file == str(p)


def test_docx_broken_zip(tmp_path):
    import zipfile

    p = tmp_path / "broken.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hello.txt", "no document inside")
    with pytest.raises(UserError, match="not a Word document"):
        read_text(p)


# --- PDF ----------------------------------------------------------------------------------------------


def _make_pdf(path: Path, encrypt: str | None = None, image_only: bool = False, per_line: int = 36) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), encrypt=encrypt)
    page = 1

    def footer():
        c.setFont("STSong-Light", 9)
        c.drawString(280, 30, f"8-1-{page}")
        c.drawString(72, 810, "青禾智能装备股份有限公司 审核问询函")

    if image_only:
        c.rect(72, 400, 300, 200, fill=1)
        c.showPage()
        c.save()
        return
    y = 780
    footer()
    for para in _paragraphs():
        lines = [para[i : i + per_line] for i in range(0, len(para), per_line)]  # PDF line wrapping
        for ln in lines:
            if y < 60:
                c.showPage()
                page += 1
                footer()
                y = 780
            c.setFont("STSong-Light", 11)
            c.drawString(60, y, ln)
            y -= 16
        y -= 6
    c.showPage()
    c.save()


def test_pdf_same_structure_as_text(tmp_path):
    p = tmp_path / "letter.pdf"
    _make_pdf(p)
    letter = parse_file(p)
    assert _structure(letter) == _structure(parse_file(EXAMPLE))
    # wrapped lines re-joined: a long request reads as one sentence again
    want = parse_file(EXAMPLE).questions[0].requests[1].text
    assert letter.questions[0].requests[1].text == want
    text = read_text(p)
    assert "8-1-" not in text
    assert "青禾智能装备股份有限公司 审核问询函" not in text  # the running header


def test_pdf_encrypted(tmp_path):
    p = tmp_path / "locked.pdf"
    _make_pdf(p, encrypt="secret")
    with pytest.raises(UserError, match="encrypted"):
        read_text(p)


def test_pdf_image_only(tmp_path):
    p = tmp_path / "scan.pdf"
    _make_pdf(p, image_only=True)
    with pytest.raises(UserError, match="no text layer"):
        read_text(p)


def test_pdf_garbage(tmp_path):
    p = tmp_path / "bad.pdf"
    p.write_bytes(b"%PDF-1.4\n garbage garbage")
    with pytest.raises(UserError, match="PDF"):
        read_text(p)


# --- bad input ----------------------------------------------------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(UserError, match="file not found"):
        read_text(tmp_path / "nope.txt")


def test_empty_file(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    with pytest.raises(UserError, match="empty"):
        read_text(p)
    p.write_text("\n\n   \n", encoding="utf-8")
    with pytest.raises(UserError, match="no text"):
        read_text(p)


def test_binary_noise(tmp_path):
    import random

    rnd = random.Random(7)
    p = tmp_path / "noise.txt"
    p.write_bytes(bytes(rnd.randrange(256) for _ in range(5000)))
    with pytest.raises(UserError, match="not a text file"):
        read_text(p)


def test_directory(tmp_path):
    with pytest.raises(UserError, match="folder"):
        read_text(tmp_path)


def test_too_large(tmp_path, monkeypatch):
    monkeypatch.setattr(read_mod, "MAX_BYTES", 1000)
    p = tmp_path / "big.txt"
    p.write_bytes("问".encode("utf-8") * 2000)
    with pytest.raises(UserError, match="too large"):
        read_text(p)


def test_text_without_question(tmp_path):
    p = tmp_path / "none.txt"
    p.write_text("这是一份会议纪要，没有任何问询问题。", encoding="utf-8")
    with pytest.raises(UserError, match="no inquiry question"):
        parse_file(p)


def test_html_page(tmp_path):
    p = tmp_path / "letter.html"
    body = "".join(f"<p>{s}</p>" for s in _paragraphs())
    p.write_text(
        "<!DOCTYPE html><html><head><title>问询函</title><script>var x=1;</script></head><body>"
        "<div class='nav'>首页 &gt; 审核动态</div>" + body + "</body></html>",
        encoding="utf-8",
    )
    assert _structure(parse_file(p)) == _structure(parse_file(EXAMPLE))


def test_encrypted_docx_is_named(tmp_path):
    p = tmp_path / "locked.docx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(UserError, match="password-protected"):
        read_text(p)


def test_too_much_text(tmp_path, monkeypatch):
    monkeypatch.setattr(read_mod, "MAX_CHARS", 100)
    p = tmp_path / "long.txt"
    p.write_text("问题" * 200, encoding="utf-8")
    with pytest.raises(UserError, match="too much text"):
        read_text(p)


def _add_numbering(document, num_id: int, fmt: str, lvl_text: str) -> str:
    """Define a one-level list numbering (`(%1)` decimal, `%1` circled …) in the document."""
    from docx.oxml import parse_xml

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {ns} w:abstractNumId="{num_id}"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{lvl_text}"/></w:lvl></w:abstractNum>'
    )
    num = parse_xml(f'<w:num {ns} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/></w:num>')
    first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(num)
    return str(num_id)


def _numbered(document, text: str, num_id: str):
    from docx.oxml import parse_xml

    p = document.add_paragraph(text)
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    p._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {ns}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return p


def test_docx_list_numbered_requests(tmp_path):
    import docx

    d = docx.Document()
    paren = _add_numbering(d, 901, "decimal", "(%1)")
    circled = _add_numbering(d, 902, "decimalEnclosedCircle", "%1")
    d.add_paragraph("1.关于收入")
    d.add_paragraph("请发行人说明：")
    _numbered(d, "收入确认的时点；", paren)
    _numbered(d, "退货的会计处理。", paren)
    d.add_paragraph("请保荐人、申报会计师核查并发表明确意见。")
    d.add_paragraph("2.关于成本")
    d.add_paragraph("请发行人说明：")
    _numbered(d, "成本的构成；", circled)
    _numbered(d, "料工费的变动。", circled)
    d.add_paragraph("请申报会计师核查②事项并发表明确意见。")
    path = tmp_path / "numbered.docx"
    d.save(str(path))
    letter = parse_file(path)
    q1, q2 = letter.questions
    assert [(r.id, r.text) for r in q1.requests] == [("1.(1)", "收入确认的时点；"), ("1.(2)", "退货的会计处理。")]
    assert [r.id for r in q2.requests] == ["2.①", "2.②"]
    assert q2.verification[0].scope_ids == ["2.②"]


def test_subheadings_stay_apart_and_wrapped_lines_join():
    """Text extracted one paragraph a line (like the corpus): long lines are whole paragraphs."""
    long = "公司主要产品为各功率等级的充电模块，报告期内销售收入持续增长，" * 4 + "具体情况如下。"
    raw = "\n\n".join(
        [
            long,
            long,
            "(1)2020年8月新股东入股价格低于前一轮融资的原因合理",
            "新股东于2020年8月的入股价格为8.96元/注册资本，主要原因如下：",
            "请发行人说明截至2023年12月31日",
            "8-1-5",
            "的应收账款余额及其期后回款的具体情况，并分析其变动原因。",
            "项目2022年2021年2020年",
            "营业收入98,791.2643,056.8820,980.79",
        ]
    )
    assert clean_text(raw).split("\n")[2:] == [
        "(1)2020年8月新股东入股价格低于前一轮融资的原因合理",
        "新股东于2020年8月的入股价格为8.96元/注册资本，主要原因如下：",
        "请发行人说明截至2023年12月31日的应收账款余额及其期后回款的具体情况，并分析其变动原因。",
        "项目2022年2021年2020年",
        "营业收入98,791.2643,056.8820,980.79",
    ]


def test_unsupported_types(tmp_path):
    import openpyxl

    x = tmp_path / "data.xlsx"
    openpyxl.Workbook().save(x)
    with pytest.raises(UserError, match="unsupported file type '.xlsx'"):
        read_text(x)
    d = tmp_path / "old.doc"
    d.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    with pytest.raises(UserError, match="save it as .docx"):
        read_text(d)


def test_docx_saved_as_txt_is_still_read(tmp_path):
    p = tmp_path / "letter.txt"
    _make_docx(p)
    assert _structure(parse_file(p)) == _structure(parse_file(EXAMPLE))


def test_other_encodings_are_read_or_refused_clearly(tmp_path):
    """UTF-16 without a byte-order mark is read; Big5 is refused with a line naming the problem
    (GB18030 would otherwise "decode" it into nonsense without a word)."""
    from drafter.read import read_text

    letter = (Path(__file__).resolve().parent.parent / "examples" / "letter.txt").read_text(encoding="utf-8")
    for enc in ("utf-16-be", "utf-16-le", "gb18030"):
        f = tmp_path / f"{enc}.txt"
        f.write_bytes(letter.encode(enc))
        assert "请发行人" in read_text(f)
    big5 = tmp_path / "big5.txt"
    big5.write_bytes(letter.encode("big5", errors="ignore"))
    with pytest.raises(UserError, match="Big5"):
        read_text(big5)

