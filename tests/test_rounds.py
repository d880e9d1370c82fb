"""Later rounds (issue 13 item 3): the round and references a letter states (drafter.parse.refers), the links
of a second-round letter to the first-round reply and the answers carried forward (drafter.compose.followup,
drafter draft --previous), and the checklist's 重开前轮回复 column."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from drafter.cli import main
from drafter.compose.followup import (CARRY_END, CARRY_MARK, apply_reopens, letter_reopens, link_rounds, read_previous,
                                      reopens)
from drafter.errors import UserError
from drafter.parse import parse_file
from drafter.parse.refers import parse_with_refs
from drafter.parse.reply import split_reply
from drafter.paths import EXAMPLES_DIR

ROUND2 = EXAMPLES_DIR / "letter_round2.txt"
COMPANY = EXAMPLES_DIR / "company.yaml"
LETTERS = Path(__file__).resolve().parent / "data" / "letters"
# the example's follow-ups: new question -> the first-round question it follows up; 6 is a new topic
EXPECTED = {1: [1], 2: [2], 3: [3], 4: [5], 5: [6], 6: []}


@pytest.fixture(scope="module")
def round1(tmp_path_factory) -> Path:
    """The round-1 reply, drafted here from the bundled example (what `drafter demo` writes)."""
    from drafter.draft import demo

    out = tmp_path_factory.mktemp("r1") / "round1.docx"
    demo(out)
    return out


@pytest.fixture(scope="module")
def round2(round1, tmp_path_factory):
    from drafter.draft import draft_with_summary

    out = tmp_path_factory.mktemp("r2") / "round2.docx"
    res = draft_with_summary(ROUND2, COMPANY, out, library=False, previous=round1)
    return res


# --------------------------------------------------------------------------------------------- parse


def test_example_round2_parses_with_round_and_references():
    L = parse_with_refs(ROUND2)
    m = L.meta
    assert m.round == "第二轮" and m.kind == "第二轮审核问询函"
    assert m.title.endswith("可转换公司债券的第二轮审核问询函")  # its own title, not the first round's it quotes
    assert m.number == "审核函〔2026〕020087号" and m.date == "2026-09-18"
    assert L.follows is not None and L.follows.round == "首轮"
    assert L.follows.number == "审核函〔2026〕020031号" and L.follows.date == "2026-03-16"
    assert L.follows.title.endswith("可转换公司债券的审核问询函")
    assert len(L.questions) == 6 and len(L.requests) == 11
    named = {q.number: [(r.question, r.item, r.request_id) for r in q.refers if r.kind == "question"] for q in L.questions}
    assert named == {1: [(1, "(1)", "1.(1)")], 2: [(2, None, "2")], 3: [(3, "(2)", "3.(2)")], 4: [(5, "(2)", "4.(1)")],
                     5: [], 6: []}
    cites = {q.number for q in L.questions if any(r.kind == "reply" for r in q.refers)}
    assert cites == {1, 2, 3, 4, 5}
    assert [r.text for r in L.questions[4].refers if r.kind == "quote"] == ["期后回款比例"]
    assert L.questions[5].refers == []  # 前次募集资金 is an earlier offering, not an earlier letter
    assert sum(r.kind == "followup" for q in L.questions for r in q.refers) == 4  # 进一步说明 ×3, 进一步量化


def test_first_round_letters_refer_to_nothing():
    for path in (EXAMPLES_DIR / "letter.txt", LETTERS / "d_szse_chinext_private_placement.txt"):
        L = parse_with_refs(path)
        assert L.meta.round == "首轮" and L.follows is None
        assert [r for q in L.questions for r in q.refers if r.kind != "followup"] == []


@pytest.mark.parametrize("name, rnd, follows, cites, followups", [
    ("c_bse_ipo_r2", "第二轮", "首轮", {1: 1, 2: 1, 3: 1, 4: 1}, set()),  # 根据问询回复 in every question
    ("g2_csrc_feedback_r2", "第二轮", "首轮", {2: 1}, set()),  # 根据反馈回复 in question 2 only
    ("h_sse_star_luoshi", "落实函", "未知", {}, {1, 2, 3}),  # 请发行人进一步说明 in 1-3; 4 asks a deletion
    ("j_mixed_widths", "第二轮", "首轮", {1: 1, 2: 1, 3: 1, 4: 1, 5: 1}, set()),  # 根据首轮问询回复
])
def test_real_later_round_letters_report_round_and_references(name, rnd, follows, cites, followups):
    L = parse_with_refs(LETTERS / f"{name}.txt")
    assert L.meta.round == rnd
    assert L.follows is not None and L.follows.round == follows
    got = {q.number: sum(r.kind == "reply" for r in q.refers) for q in L.questions if any(r.kind == "reply" for r in q.refers)}
    assert got == cites
    assert {q.number for q in L.questions if any(r.kind == "followup" for r in q.refers)} == followups
    assert not any(r.kind == "question" for q in L.questions for r in q.refers)  # none names an earlier question


def test_real_second_round_reply_quotes_the_first_round(reply003):
    """A real second-round reply (聚星科技, 北交所): the quoted questions cite the first-round reply and
    quote phrases from it; a reply's opening names the letter it answers, not an earlier one."""
    L = parse_with_refs(reply003)
    assert L.kind == "reply" and L.meta.round == "第二轮" and L.follows is None
    q1 = L.questions[0]
    assert any(r.kind == "reply" and r.round == "首轮" for r in q1.refers)
    assert "占领国内市场中高端份额" in [r.text for r in q1.refers if r.kind == "quote"]
    assert sum(1 for q in L.questions if any(r.kind == "reply" for r in q.refers)) == 5


def test_parse_cli_prints_round_follows_and_references():
    r = CliRunner().invoke(main, ["parse", str(ROUND2)])
    assert r.exit_code == 0, r.output
    assert "  round: 第二轮" in r.output
    assert "  follows: 首轮 《关于青禾智能装备股份有限公司申请向不特定对象发行可转换公司债券的审核问询函》 审核函〔2026〕020031号 2026-03-16" in r.output
    assert "首轮问询问题3之(2) -> 首轮 3.(2) [in 3.(2)]" in r.output
    assert "“期后回款比例”" in r.output
    j = json.loads(CliRunner().invoke(main, ["parse", str(ROUND2), "--json"]).output)
    assert j["follows"]["number"] == "审核函〔2026〕020031号"
    assert {"kind": "question", "question": 5, "item": "(2)", "request_id": "4.(1)"}.items() <= \
        next(r for r in j["questions"][3]["refers"] if r["kind"] == "question").items()


# --------------------------------------------------------------------------------------------- links


def test_every_follow_up_links_to_the_right_earlier_question(round1):
    fu = link_rounds(parse_with_refs(ROUND2), read_previous(round1))
    assert {q.number: q.prev_questions for q in fu.questions} == EXPECTED
    by_n = {q.number: q for q in fu.questions}
    assert by_n[1].links[0].how == "explicit" and "函件原文“首轮问询问题1之(1)”" in by_n[1].links[0].evidence
    assert by_n[5].links[0].how == "quote"  # named no question: found by the phrase it quotes, and its topic
    assert any(e.startswith("同一主题“应收账款”") for e in by_n[5].links[0].evidence)
    # each request takes the earlier request it names, else the most alike in the linked question
    req = {x.request_id: x.prev_request for q in fu.questions for x in q.requests}
    assert req == {"1.(1)": "1.(1)", "1.(2)": "1.(3)", "2": "2.(1)", "3.(1)": "3.(1)", "3.(2)": "3.(2)",
                   "4.(1)": "5.(2)", "4.(2)": "5.(4)", "5.(1)": "6.(1)", "5.(2)": "6.(1)"}


def _sections(path: Path) -> dict[int, list]:
    """The drafted reply's paragraphs by question (from its `N.关于…` heading to the next)."""
    d = docx.Document(str(path))
    out: dict[int, list] = {}
    cur = None
    for p in d.paragraphs:
        if p.style.name.startswith("Heading 1") or p.style.style_id in ("ReplyHeading1", "Heading1"):
            head = p.text.strip()
            if head[:1].isdigit():
                cur = int(head.split(".")[0])
        if cur is not None:
            out.setdefault(cur, []).append(p)
    return out


def test_draft_previous_carries_the_earlier_answers_marked(round1, round2):
    res = round2
    assert res.carried == 9
    assert "  previous:     5/6 question(s) follow up 首轮回复" in res.summary()
    assert "1←1, 2←2, 3←3, 4←5, 5←6; new: 6" in res.summary()
    secs = _sections(res.path)
    assert sorted(secs) == [1, 2, 3, 4, 5, 6]
    marks = {n: [p.text for p in ps if p.text.startswith(CARRY_MARK) and p.text != CARRY_END] for n, ps in secs.items()}
    assert [len(marks[n]) for n in range(1, 7)] == [2, 1, 2, 2, 2, 0]  # the new topic (6) carries nothing
    assert marks[3][1].startswith("【沿用首轮回复问题3之（2），待更新】")
    assert "函件原文“首轮问询问题3之（2）”" in marks[3][1]
    # the carried text is the round-1 answer's, in the shaded precedent style, between the marks
    prev = read_previous(round1)
    ans = split_reply(prev.questions[2]).answers["3.(2)"].text
    sentence = next(x for x in ans.splitlines()[1:] if len(x) > 30 and "\t" not in x)
    ps = secs[3]
    start = next(i for i, p in enumerate(ps) if p.text.startswith("【沿用首轮回复问题3之（2）"))
    end = next(i for i, p in enumerate(ps) if i > start and p.text == CARRY_END)
    block = ps[start:end + 1]
    assert all(p.style.style_id == "ReplyPrecedent" for p in block)
    carried = "".join(p.text for p in block[1:-1])
    assert sentence[:20].replace(",", "，").replace(":", "：")[:12] in carried
    # the marker run is highlighted, never plain text that could pass for a new fact
    assert block[0].runs[0].text.startswith(CARRY_MARK) and block[0].runs[0].font.highlight_color is not None
    # the carried block stands before drafter's own new answer to the request, under its subheading
    head = next(i for i, p in enumerate(ps) if p.text.startswith("（二）") and "财务性投资" in p.text)
    assert head == start - 1


def test_draft_without_previous_carries_nothing(tmp_path):
    from drafter.draft import draft_with_summary

    res = draft_with_summary(ROUND2, COMPANY, tmp_path / "r2.docx", library=False)
    assert res.carried == 0 and res.followup is None and "previous:" not in res.summary()
    with zipfile.ZipFile(res.path) as z:
        assert CARRY_MARK not in z.read("word/document.xml").decode("utf-8")


def test_previous_that_is_not_a_reply_is_one_line_exit_2(tmp_path, round1):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip at all" * 20)
    runner = CliRunner()
    for prev, words in ((EXAMPLES_DIR / "letter.txt", "not a reply document"), (bad, "not a readable reply document"),
                        (tmp_path / "missing.docx", "not found")):
        r = runner.invoke(main, ["draft", str(ROUND2), "--company", str(COMPANY), "--previous", str(prev),
                                 "-o", str(tmp_path / "out.docx")])
        assert r.exit_code == 2, r.output
        assert words in r.output and "Traceback" not in r.output and len(r.output.strip().splitlines()) == 1
        assert not (tmp_path / "out.docx").exists()
    with pytest.raises(UserError):
        read_previous(EXAMPLES_DIR / "letter.txt")


def test_draft_cli_previous(tmp_path, round1):
    r = CliRunner().invoke(main, ["draft", str(ROUND2), "--company", str(COMPANY), "--previous", str(round1),
                                  "--no-library", "-o", str(tmp_path / "r2.docx")])
    assert r.exit_code == 0, r.output
    assert "carried:      9 answer(s) carried forward from 首轮回复" in r.output


# --------------------------------------------------------------------------------------------- checklist


def test_checklist_lists_the_reopened_answers(round1):
    from drafter.review.checklist import build_checklist

    letter = parse_with_refs(ROUND2)
    cl = build_checklist(letter)
    n = apply_reopens(cl, reopens(link_rounds(letter, read_previous(round1))))
    rows = {r.id: r for r in cl.rows}
    assert rows["3.(2)"].reopens == ["首轮回复3.(2)：本项原文“首轮问询问题3之(2)”"]
    assert rows["4.(1)"].reopens[0].startswith("首轮回复5.(2)")
    assert rows["5.(1)"].reopens[0].startswith("首轮回复6.(1)")
    assert rows["4.核查1-保荐人"].reopens[0].startswith("首轮回复问题5：")
    assert all(not r.reopens for r in cl.rows if r.question == 6)
    assert n == sum(1 for r in cl.rows if r.question != 6)
    # from the letter alone: the earlier questions it names
    cl0 = build_checklist(letter)
    apply_reopens(cl0, letter_reopens(letter))
    assert {r.id: r.reopens[0].split("：")[0] for r in cl0.request_rows if r.reopens} == {
        "1.(1)": "首轮问题1(1)", "1.(2)": "首轮问题1(1)", "2": "首轮问题2", "3.(1)": "首轮问题3(2)", "3.(2)": "首轮问题3(2)",
        "4.(1)": "首轮问题5(2)", "4.(2)": "首轮问题5(2)", "5.(1)": "前轮回复(未注明问题)", "5.(2)": "前轮回复(未注明问题)"}


def test_checklist_cli_previous_writes_the_column(tmp_path, round1):
    out = tmp_path / "cl.xlsx"
    r = CliRunner().invoke(main, ["checklist", str(ROUND2), "--previous", str(round1), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "19 row(s) reopen an earlier answer" in r.output
    ws = openpyxl.load_workbook(out)["清单"]
    header = [c.value for c in ws[1]]
    col = header.index("重开前轮回复")
    cells = {row[1].value: row[col].value for row in ws.iter_rows(min_row=2)}
    assert cells["1.(2)"].startswith("首轮回复1.(3)")
    assert not cells["6.(1)"]
    dout = tmp_path / "cl.docx"
    assert CliRunner().invoke(main, ["checklist", str(ROUND2), "--previous", str(round1), "-o", str(dout)]).exit_code == 0
    t = docx.Document(str(dout)).tables[0]
    hdr = [c.text for c in t.rows[0].cells]
    k = hdr.index("重开前轮回复")
    assert any(row.cells[k].text == "首轮回复3.(2)" for row in t.rows[1:])


def test_first_round_checklist_has_no_reopens_column(tmp_path):
    out = tmp_path / "cl.xlsx"
    r = CliRunner().invoke(main, ["checklist", str(EXAMPLES_DIR / "letter.txt"), "-o", str(out)])
    assert r.exit_code == 0 and "reopen" not in r.output
    assert "重开前轮回复" not in [c.value for c in openpyxl.load_workbook(out)["清单"][1]]


def test_letter_alone_reopens_for_a_luoshi():
    """A 落实函 names no earlier question: its 请进一步说明 asks reopen an earlier answer all the same."""
    from drafter.review.checklist import build_checklist

    letter = parse_with_refs(LETTERS / "h_sse_star_luoshi.txt")
    cl = build_checklist(letter)
    apply_reopens(cl, letter_reopens(letter))
    assert {r.question for r in cl.request_rows if r.reopens} == {1, 2, 3}
    assert cl.request_rows[0].reopens == ["前轮回复(未注明问题)：函件原文“进一步说明”"]
