"""The parser on the two real replies in ../shared/corpus (skipped when the corpus is absent)."""
from __future__ import annotations

import pytest

from drafter.parse import parse_file


@pytest.fixture(scope="module")
def letter002(reply002):
    return parse_file(reply002)


@pytest.fixture(scope="module")
def letter003(reply003):
    return parse_file(reply003)


def test_002_counts(letter002):
    assert letter002.kind == "reply"
    assert [q.number for q in letter002.questions] == list(range(1, 18))
    counts = [len([r for r in q.requests if r.parent is None]) for q in letter002.questions]
    assert counts == [5, 3, 6, 4, 3, 3, 2, 6, 6, 8, 4, 6, 8, 5, 5, 1, 2]
    assert sum(counts) == 77


def test_002_titles_and_ids(letter002):
    q1 = letter002.questions[0]
    assert q1.title == "关于发行人业务、行业发展和创业板定位"
    assert [r.id for r in q1.requests] == ["1.(1)", "1.(2)", "1.(3)", "1.(4)", "1.(5)"]
    # the request cut by the page number 8-1-4 is re-joined, page number gone
    r3 = q1.requests[2].text
    assert "研发费用率、研发团队组建" in r3 and "8-1-4" not in r3
    assert letter002.questions[15].requests[0].id == "16"
    assert letter002.questions[15].requests[0].label == ""
    assert letter002.questions[15].requests[0].text.startswith("说明报告期内固定资产变动")
    ids = [r.id for r in letter002.requests]
    assert len(ids) == len(set(ids))


def test_002_background_is_not_requests(letter002):
    q1 = letter002.questions[0]
    assert q1.background.startswith("申报材料显示")
    assert "12.27%" in q1.background
    assert all("12.27%" not in r.text for r in q1.requests)


def test_002_parties_as_named(letter002):
    parties = [q.verification[0].parties for q in letter002.questions]
    assert parties[0] == ["保荐人", "申报会计师", "发行人律师"]
    assert parties[3] == ["保荐人", "发行人律师"]  # question 4: no 申报会计师
    assert parties[4] == ["保荐人", "发行人律师"]  # question 5: no 申报会计师
    assert parties[7] == ["保荐人", "申报会计师"]
    for q in letter002.questions:
        assert len(q.verification) == 1
        assert q.verification[0].scope == "全部"
        assert q.verification[0].scope_ids == [r.id for r in q.requests]


def test_002_demands(letter002):
    v8 = letter002.questions[7].verification[0]
    for d in ("核查方法", "核查范围", "核查比例", "取得的证据", "核查结论"):
        assert d in v8.demands
    assert "监盘" in letter002.questions[14].verification[0].demands


def test_002_disclose(letter002):
    q8 = letter002.questions[7]
    assert [r.disclose for r in q8.requests] == [False, False, False, False, True, False]
    q10 = letter002.questions[9]
    assert q10.requests[0].disclose  # 进一步量化分析并披露
    assert not q10.requests[1].disclose


def test_002_reply_text_and_meta(letter002):
    q1 = letter002.questions[0]
    assert q1.reply.startswith("一、发行人情况说明")
    assert "回复:" not in q1.text
    q17 = letter002.questions[16]
    assert "本页无正文" not in q17.reply
    assert q17.reply.rstrip().endswith("预计不会对发行人经营业绩和持续经营能力构成重大不利影响。")
    m = letter002.meta
    assert m.issuer == "深圳市优优绿能股份有限公司"
    assert m.exchange == "深圳证券交易所"
    assert m.board == "创业板"
    assert m.offering_kind == "首次公开发行股票"
    assert m.round == "首轮"
    assert m.date == "2023-01-11"
    assert m.number == "审核函﹝2023﹞010019号"


def test_002_toc_is_not_questions(letter002):
    assert all("......" not in q.title for q in letter002.questions)
    assert letter002.questions[1].text.startswith("申报材料显示")


def test_003_counts_and_sections(letter003):
    assert letter003.kind == "reply"
    counts = [len(q.requests) for q in letter003.questions]
    assert counts == [6, 9, 15, 4, 7, 9]
    assert sum(counts) == 50
    q1 = letter003.questions[0]
    assert [s.label for s in q1.sections] == ["(1)", "(2)", "(3)"]
    assert q1.sections[0].title == "关于定制化开发与创新特征"
    assert [r.id for r in q1.requests] == ["1.(1)", "1.(2)①", "1.(2)②", "1.(2)③", "1.(3)①", "1.(3)②"]
    assert q1.sections[1].request_ids == ["1.(2)①", "1.(2)②", "1.(2)③"]
    # background facts ①②③ of section (1) are not requests
    assert "福达合金、温州宏丰与发行人产品均属于低压电接触产品" in q1.sections[0].background
    q3 = letter003.questions[2]
    assert [s.label for s in q3.sections] == ["(1)", "(2)", "(3)", "(4)", "(5)"]
    assert "3.(4)" in [r.id for r in q3.requests]
    assert q3.background.startswith("根据问询回复")
    q4 = letter003.questions[3]
    assert q4.sections == []
    assert [r.id for r in q4.requests] == ["4.(1)", "4.(2)", "4.(3)", "4.(4)"]
    assert "相匹配" in q4.requests[2].text


def test_003_scoped_asks(letter003):
    q5 = letter003.questions[4]
    assert [(v.parties, v.scope) for v in q5.verification] == [(["保荐机构"], "全部"), (["申报会计师"], "第(2)之②")]
    assert q5.verification[0].scope_ids == [r.id for r in q5.requests]
    assert q5.verification[1].scope_ids == ["5.(2)②"]
    q6 = letter003.questions[5]
    assert [(v.parties, v.scope) for v in q6.verification] == [(["保荐机构", "律师"], "(1)"), (["保荐机构", "申报会计师"], "(2)-(4)")]
    assert q6.verification[0].scope_ids == ["6.(1)①", "6.(1)②", "6.(1)③"]
    assert q6.verification[1].scope_ids == ["6.(2)①", "6.(2)②", "6.(3)①", "6.(3)②", "6.(4)①", "6.(4)②"]


def test_003_workpapers_and_reply(letter003):
    q2 = letter003.questions[1]
    assert any(v.workpapers and v.parties == ["保荐机构"] for v in q2.verification)
    # the (1)…(4) demands of the ask are not requests
    assert len(q2.requests) == 9
    assert q2.reply and q2.reply.startswith("一、")
    m = letter003.meta
    assert m.exchange == "北京证券交易所" and m.board == "北交所" and m.round == "第二轮"
    assert m.date == "2024-03-01"


def _excerpt_002(reply002) -> list[str]:
    """Questions 1-3 of the 002 reply: each quoted question plus the start of its reply."""
    lines = [ln for ln in reply002.read_text(encoding="utf-8").splitlines() if ln.strip()]
    out: list[str] = []
    for n, nxt in ((1, 2), (2, 3), (3, 4)):
        start = max(i for i, ln in enumerate(lines) if ln.startswith(f"{n}.关于") and "....." not in ln)
        reply = next(i for i in range(start, len(lines)) if lines[i].rstrip().endswith("回复:"))
        out.extend(lines[start : reply + 12])
    return out


def test_pdf_of_a_corpus_reply_excerpt(reply002, tmp_path):
    """The quoted questions survive PDF line wrapping and page numbers like 8-1-4."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    from drafter.parse import parse_file

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "reply.pdf"
    c = canvas.Canvas(str(path))
    page, y = 1, 780
    for para in _excerpt_002(reply002):
        if len(para) < 3 and para.isdigit():
            continue
        for k in range(0, len(para), 38):
            if y < 60:
                c.setFont("STSong-Light", 9)
                c.drawString(280, 30, f"8-1-{page}")
                c.showPage()
                page, y = page + 1, 780
            c.setFont("STSong-Light", 10.5)
            c.drawString(56, y, para[k : k + 38])
            y -= 15
    c.setFont("STSong-Light", 9)
    c.drawString(280, 30, f"8-1-{page}")
    c.showPage()
    c.save()
    letter = parse_file(path)
    assert letter.kind == "reply"
    assert [len(q.requests) for q in letter.questions] == [5, 3, 6]
    want = parse_file(reply002)
    for got_q, want_q in zip(letter.questions, want.questions):
        assert [r.text for r in got_q.requests] == [r.text for r in want_q.requests]
        assert [v.parties for v in got_q.verification] == [v.parties for v in want_q.verification]
