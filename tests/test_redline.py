"""Tracked-change redlines (issue 13): `after` as w:ins/w:del against `before`; accept → after, reject → before."""
from __future__ import annotations

import datetime as dt
import re
import zipfile

import docx
import pytest
from click.testing import CliRunner
from lxml import etree

from drafter.cli import main
from drafter.errors import UserError
from drafter.paths import EXAMPLES_DIR
from drafter.update.redline import RedlineStats, char_opcodes, tokens, write_redline

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WHEN = dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.timezone.utc)
MARKS = (W + "rPr", W + "pPr", W + "trPr", W + "tcPr")


# ---------------------------------------------------------------------------------------------
# helpers: read a DOCX body, accept or reject every change


def _doc(path) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml"))


def _run_level(el) -> bool:
    return el.getparent() is not None and el.getparent().tag not in MARKS


def _drop(el) -> None:
    el.getparent().remove(el)


def _unwrap(el) -> None:
    for k in list(el):
        el.addprevious(k)
    _drop(el)


def accept_all(root):
    for d in [x for x in root.iter(W + "del") if _run_level(x)]:
        _drop(d)
    for i in [x for x in root.iter(W + "ins") if _run_level(x)]:
        _unwrap(i)
    for p in [p for p in root.iter(W + "p") if p.find(f"{W}pPr/{W}rPr/{W}del") is not None]:
        _drop(p)
    for tr in [t for t in root.iter(W + "tr") if t.find(f"{W}trPr/{W}del") is not None]:
        _drop(tr)
    for tc in [t for t in root.iter(W + "tc") if t.find(f"{W}tcPr/{W}cellDel") is not None]:
        _drop(tc)
    return root


def reject_all(root):
    for i in [x for x in root.iter(W + "ins") if _run_level(x)]:
        _drop(i)
    for d in [x for x in root.iter(W + "del") if _run_level(x)]:
        _unwrap(d)
    for t in root.iter(W + "delText"):
        t.tag = W + "t"
    for p in [p for p in root.iter(W + "p") if p.find(f"{W}pPr/{W}rPr/{W}ins") is not None]:
        _drop(p)
    for tr in [t for t in root.iter(W + "tr") if t.find(f"{W}trPr/{W}ins") is not None]:
        _drop(tr)
    for tc in [t for t in root.iter(W + "tc") if t.find(f"{W}tcPr/{W}cellIns") is not None]:
        _drop(tc)
    return root


def texts(root) -> list[str]:
    """Every paragraph's text in body order (table cells included)."""
    out = []
    for p in root.find(W + "body").iter(W + "p"):
        s = []
        for el in p.iter(W + "t", W + "delText", W + "tab", W + "br"):
            s.append(el.text or "" if el.tag in (W + "t", W + "delText") else ("\t" if el.tag == W + "tab" else "\n"))
        out.append("".join(s))
    return out


def changes(root, tag: str) -> list[str]:
    return ["".join(t.text or "" for t in el.iter(W + "t", W + "delText"))
            for el in root.iter(W + tag) if _run_level(el)]


def check_round_trip(before, after, red) -> None:
    assert texts(accept_all(_doc(red))) == texts(_doc(after))
    assert texts(reject_all(_doc(red))) == texts(_doc(before))
    root = _doc(red)
    for el in list(root.iter(W + "ins")) + list(root.iter(W + "del")):
        assert el.get(W + "author") and el.get(W + "date") and el.get(W + "id")
    ids = [el.get(W + "id") for el in root.iter(W + "ins", W + "del", W + "cellIns", W + "cellDel")]
    assert len(ids) == len(set(ids))
    docx.Document(str(red))  # python-docx reopens it


# ---------------------------------------------------------------------------------------------
# python-docx pairs


def _pair(tmp_path):
    b, a = docx.Document(), docx.Document()
    b.add_paragraph("公司2025年营业收入为1,234.56万元，同比增长12.5%。")
    p = a.add_paragraph("公司2025年营业收入为")
    r = p.add_run("1,456.78")
    r.bold = True
    p.add_run("万元，同比增长12.5%。")
    b.add_paragraph("报告期内主要客户未发生重大变化。")
    a.add_paragraph("报告期内主要客户未发生重大变化。")
    b.add_paragraph("本段说明已不再适用的历史情况，应当删去。")
    a.add_paragraph("Q3新增：截至2026年9月30日在手订单金额为3,210.00万元。")
    b.add_paragraph("结论：收入确认政策符合企业会计准则。")
    a.add_paragraph("结论：收入确认政策符合企业会计准则。")
    tb = b.add_table(rows=3, cols=4)
    ta = a.add_table(rows=4, cols=4)
    for t, rows in ((tb, [["项目", "2023年", "2024年", "2025年"], ["营业收入", "100.00", "200.00", "300.00"],
                          ["净利润", "10.00", "20.00", "30.00"]]),
                    (ta, [["项目", "2024年", "2025年", "2026年1-6月"], ["营业收入", "200.00", "300.00", "180.00"],
                          ["净利润", "20.00", "31.00", "15.00"], ["毛利率", "30.00%", "31.00%", "32.00%"]])):
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                t.cell(i, j).text = v
    bp, ap = tmp_path / "before.docx", tmp_path / "after.docx"
    b.save(str(bp))
    a.save(str(ap))
    return bp, ap


def test_tokens_keep_numbers_whole():
    assert tokens("营业收入1,234.56万元") == ["营", "业", "收", "入", "1,234.56", "万", "元"]
    ops = [o for o in char_opcodes("为1,234.56万元", "为1,456.78万元") if o[0] != "equal"]
    assert ops == [("replace", 1, 9, 1, 9)]  # one deletion + one insertion, not digit by digit


def test_python_docx_pair(tmp_path):
    bp, ap = _pair(tmp_path)
    red = tmp_path / "red.docx"
    stats = write_redline(bp, ap, red, author="审阅人", when=WHEN)
    assert isinstance(stats, RedlineStats)
    root = _doc(red)
    ins, dels = changes(root, "ins"), changes(root, "del")
    # the figure: one deletion and one insertion, the new figure keeping its bold run
    assert "1,234.56" in dels and "1,456.78" in ins
    new_run = next(el for el in root.iter(W + "ins") if "".join(t.text for t in el.iter(W + "t")) == "1,456.78")
    assert new_run.find(f"{W}r/{W}rPr/{W}b") is not None
    # a paragraph replaced by an unrelated one: whole deletion + whole insertion, paragraph marks too
    assert "本段说明已不再适用的历史情况，应当删去。" in dels
    assert "Q3新增：截至2026年9月30日在手订单金额为3,210.00万元。" in ins
    marked = [p for p in root.iter(W + "p") if p.find(f"{W}pPr/{W}rPr/{W}ins") is not None]
    assert len(marked) == 1 and len([p for p in root.iter(W + "p") if p.find(f"{W}pPr/{W}rPr/{W}del") is not None]) == 1
    # the table: 2023 column dropped (deleted text), 2026年1-6月 column added (inserted text), a new row
    assert "2023年" in dels and "100.00" in dels and "10.00" in dels
    assert "2026年1-6月" in ins and "180.00" in ins and "15.00" in ins
    assert ("30.00" in dels and "31.00" in ins)  # 净利润 2025 changed in place
    assert "毛利率" in ins and "32.00%" in ins
    # cellDel: the dropped column on 3 rows + the empty filler on the new row; cellIns: 3 paired rows
    assert len(list(root.iter(W + "cellDel"))) == 4 and len(list(root.iter(W + "cellIns"))) == 3
    assert len(root.find(f"{W}body/{W}tbl/{W}tblGrid").findall(W + "gridCol")) == 5
    assert len([tr for tr in root.iter(W + "tr") if tr.find(f"{W}trPr/{W}ins") is not None]) == 1
    assert stats.insertions == len(ins) and stats.deletions == len(dels)
    assert stats.paragraphs_changed == 3  # the figure, the deleted one and the inserted one
    assert stats.cells_changed == 11  # 3 dropped-column cells, 3 new-column cells, 1 edited, the new row's 4
    assert {el.get(W + "author") for el in root.iter(W + "ins")} == {"审阅人"}
    assert {el.get(W + "date") for el in root.iter(W + "del")} == {"2026-12-04T09:30:00Z"}
    check_round_trip(bp, ap, red)


def test_identical_documents_have_no_changes(tmp_path):
    bp, _ = _pair(tmp_path)
    red = tmp_path / "same.docx"
    stats = write_redline(bp, bp, red)
    assert stats == RedlineStats()
    assert texts(_doc(red)) == texts(_doc(bp))


def test_after_keeps_bookmarks_content_controls_comments(tmp_path):
    """Provenance tags (bookmarks, content controls) and the other parts of `after` survive."""
    bp, ap = _pair(tmp_path)
    with zipfile.ZipFile(ap) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    root = etree.fromstring(parts["word/document.xml"])
    p = root.find(W + "body").find(W + "p")  # the figure paragraph: tag its bold run
    runs = p.findall(W + "r")
    bm = etree.Element(W + "bookmarkStart", {W + "id": "7", W + "name": "_DrF000001"})
    runs[1].addprevious(bm)
    runs[1].addnext(etree.Element(W + "bookmarkEnd", {W + "id": "7"}))
    sdt = etree.Element(W + "sdt")
    etree.SubElement(etree.SubElement(sdt, W + "sdtPr"), W + "tag", {W + "val": "metric:revenue"})
    content = etree.SubElement(sdt, W + "sdtContent")
    runs[2].addprevious(sdt)
    content.append(runs[2])
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    parts["customXml/item9.xml"] = b"<drafter>{}</drafter>"
    with zipfile.ZipFile(ap, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    red = tmp_path / "red.docx"
    write_redline(bp, ap, red)
    out = _doc(red)
    starts = [b for b in out.iter(W + "bookmarkStart") if b.get(W + "name") == "_DrF000001"]
    assert len(starts) == 1
    # the tagged figure is still between the bookmark's start and end
    between = []
    el = starts[0].getnext()
    while el is not None and el.tag != W + "bookmarkEnd":
        between.append("".join(t.text for t in el.iter(W + "t")))
        el = el.getnext()
    assert "".join(between) == "1,456.78"
    assert [t.get(W + "val") for t in out.iter(W + "tag")] == ["metric:revenue"]
    with zipfile.ZipFile(red) as z:
        assert z.read("customXml/item9.xml") == b"<drafter>{}</drafter>"
        with zipfile.ZipFile(ap) as za:
            assert z.read("word/styles.xml") == za.read("word/styles.xml")
    check_round_trip(bp, ap, red)


def test_never_overwrites_and_bad_inputs(tmp_path):
    bp, ap = _pair(tmp_path)
    red = tmp_path / "red.docx"
    red.write_bytes(b"the team's redline")
    with pytest.raises(UserError, match="--force"):
        write_redline(bp, ap, red)
    assert red.read_bytes() == b"the team's redline"
    write_redline(bp, ap, red, force=True)
    docx.Document(str(red))
    not_docx = tmp_path / "x.docx"
    not_docx.write_text("plain text", encoding="utf-8")
    with pytest.raises(UserError, match="x.docx"):
        write_redline(not_docx, ap, tmp_path / "r2.docx")
    with pytest.raises(UserError):
        write_redline(bp, ap, ap, force=True)  # never the input itself
    assert not (tmp_path / "r2.docx").exists()


def test_compare_command(tmp_path):
    bp, ap = _pair(tmp_path)
    red = tmp_path / "red.docx"
    run = CliRunner().invoke(main, ["compare", str(bp), str(ap), "-o", str(red), "--author", "律师"])
    assert run.exit_code == 0, run.output
    assert re.search(r"\d+ insertion\(s\), \d+ deletion\(s\)", run.output)
    assert {el.get(W + "author") for el in _doc(red).iter(W + "del")} == {"律师"}
    again = CliRunner().invoke(main, ["compare", str(bp), str(ap), "-o", str(red)])
    assert again.exit_code == 2 and "--force" in again.output and len(again.output.strip().splitlines()) == 1


# ---------------------------------------------------------------------------------------------
# two drafts of the bundled example with different company data


@pytest.fixture(scope="module")
def example_drafts(tmp_path_factory):
    from drafter.draft import draft

    d = tmp_path_factory.mktemp("drafts")
    text = (EXAMPLES_DIR / "company.yaml").read_text(encoding="utf-8")
    changed = text.replace('"2026H1": 56218.63}', '"2026H1": 58216.34}').replace('"2026H1": 9085.75}', '"2026H1": 8890.12}')
    assert changed.count("58216.34") == 1 and changed.count("8890.12") == 1
    (d / "company2.yaml").write_text(changed, encoding="utf-8")
    before, after = d / "before.docx", d / "after.docx"
    draft(EXAMPLES_DIR / "letter.txt", EXAMPLES_DIR / "company.yaml", before, library=False)
    draft(EXAMPLES_DIR / "letter.txt", d / "company2.yaml", after, library=False)
    return before, after


def test_example_drafts_with_new_figures(example_drafts, tmp_path):
    before, after = example_drafts
    red = tmp_path / "red.docx"
    stats = write_redline(before, after, red, when=WHEN)
    root = _doc(red)
    ins, dels = changes(root, "ins"), changes(root, "del")
    assert stats.insertions == len(ins) and stats.deletions == len(dels)
    assert stats.insertions > 5 and stats.deletions > 5 and stats.paragraphs_changed + stats.cells_changed > 5
    # the changed revenue, whole, old out and new in, wherever the reply prints it; ratios built on it follow
    assert dels.count("56,218.63") == ins.count("58,216.34") >= 2
    assert len(dels) == len(ins)  # every change is one figure replaced by another
    # nothing that did not change is marked: every deletion holds a digit (figures and ratios only)
    assert all(re.search(r"\d", s) for s in dels + ins), [s for s in dels + ins if not re.search(r"\d", s)]
    # no whole paragraph came or went
    assert not [p for p in root.iter(W + "p") if p.find(f"{W}pPr/{W}rPr/{W}ins") is not None]
    check_round_trip(before, after, red)


def test_example_draft_edited_by_the_team(example_drafts, tmp_path):
    """The team adds a paragraph and rewrites a sentence: a whole inserted paragraph and an in-line edit."""
    before, _ = example_drafts
    d = docx.Document(str(before))
    paras = [p for p in d.paragraphs if "已收悉" in p.text]
    assert paras
    target = paras[0]
    old = target.text
    added = "经与保荐人沟通，本次回复已按最新审核关注要点补充完善。"
    target.insert_paragraph_before(added)
    edited_run = next(r for r in target.runs if "已收悉" in r.text)
    edited_run.text = edited_run.text.replace("已收悉", "已于当日收悉")
    after = tmp_path / "edited.docx"
    d.save(str(after))
    red = tmp_path / "red.docx"
    stats = write_redline(before, after, red, when=WHEN)
    root = _doc(red)
    assert changes(root, "ins") == [added, "于当日"] and changes(root, "del") == []
    assert stats.insertions == 2 and stats.deletions == 0 and stats.paragraphs_changed == 2 and stats.cells_changed == 0
    marked = [p for p in root.iter(W + "p") if p.find(f"{W}pPr/{W}rPr/{W}ins") is not None]
    assert [t.text for p in marked for t in p.iter(W + "t")] == [added]
    assert old.replace("已收悉", "已于当日收悉") in texts(accept_all(_doc(red)))
    check_round_trip(before, after, red)


# ---------------------------------------------------------------------------------------------
# any edit: accept gives after, reject gives before (random paragraphs, runs and tables)

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

_WORDS = ["营业收入", "1,234.56", "万元", "同比增长", "12.5%", "，", "。", "公司", "2025年", "毛利率", "Q3", " ", "下降", "\t"]
_para = st.lists(st.sampled_from(_WORDS), min_size=0, max_size=8).map("".join)


def _write(path, paras, split, table):
    d = docx.Document()
    for k, text in enumerate(paras):
        p = d.add_paragraph()
        cut = split % (len(text) + 1) if text else 0
        for i, piece in enumerate((text[:cut], text[cut:])):
            if piece:
                r = p.add_run(piece)
                r.bold = (i + k) % 2 == 0
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for i, row in enumerate(table):
            for j, v in enumerate(row):
                t.cell(i, j).text = v
    d.save(str(path))


_table = st.integers(1, 3).flatmap(lambda cols: st.lists(st.lists(_para, min_size=cols, max_size=cols),
                                                          min_size=0, max_size=3))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.lists(_para, max_size=6), after=st.lists(_para, max_size=6), sb=st.integers(0, 9),
       sa=st.integers(0, 9), tb=_table, ta=_table)
def test_any_edit_round_trips(tmp_path, before, after, sb, sa, tb, ta):
    bp, ap, red = tmp_path / "b.docx", tmp_path / "a.docx", tmp_path / "r.docx"
    _write(bp, before, sb, tb)
    _write(ap, after, sa, ta)
    write_redline(bp, ap, red, force=True)
    assert texts(accept_all(_doc(red))) == texts(_doc(ap))
    assert texts(reject_all(_doc(red))) == texts(_doc(bp))


def test_after_comments_stay_anchored(tmp_path):
    bp, ap = _pair(tmp_path)
    d = docx.Document(str(ap))
    p = d.paragraphs[0]
    d.add_comment(p.runs[1], text="请核对本期营业收入", author="审计")
    d.save(str(ap))
    red = tmp_path / "red.docx"
    write_redline(bp, ap, red)
    out = _doc(red)
    assert len(list(out.iter(W + "commentRangeStart"))) == 1 and len(list(out.iter(W + "commentReference"))) == 1
    start = next(out.iter(W + "commentRangeStart"))
    between, el = [], start.getnext()
    while el is not None and el.tag != W + "commentRangeEnd":
        between.append("".join(t.text for t in el.iter(W + "t")))
        el = el.getnext()
    assert "".join(between) == "1,456.78"  # the comment still covers the new figure
    assert [c.text for c in docx.Document(str(red)).comments] == ["请核对本期营业收入"]
    check_round_trip(bp, ap, red)
