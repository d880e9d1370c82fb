"""drafter review: answers, party opinions, quotes, placeholders, warnings; exit codes; Word comments."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from drafter.cli import main
from drafter.paths import EXAMPLES_DIR as EXAMPLES
from drafter.review import (
    absolute_wording,
    extract_figures,
    halfwidth_punctuation,
    quote_differences,
    review_reply,
)

REPLY = """关于青禾智能装备股份有限公司向不特定对象发行可转换公司债券申请文件的审核问询函的回复

深圳证券交易所:

贵所于2026年3月16日出具的审核问询函已收悉,现回复如下。

1.关于应收账款

申报材料显示,报告期各期末,发行人应收账款余额持续增长。

请发行人:(1)说明报告期内应收账款余额变动的原因及合理性;(2)补充披露坏账准备计提政策与同行业可比公司的差异;(3)结合期后回款情况,说明坏账准备计提是否充分。

请保荐人和申报会计师核查并发表明确意见。

回复:

一、发行人说明

(一)说明报告期内应收账款余额变动的原因及合理性

2025年,公司营业收入为52,300.00万元。应收账款余额随收入增长而增加。

(二)补充披露坏账准备计提政策与同行业可比公司的差异

公司已在募集说明书“第五节 财务会计信息与管理层分析”中补充披露如下:

坏账准备计提比例与可比公司不存在重大差异。

(三)结合期后回款情况,说明坏账准备计提是否充分

截至2026年3月末,期后回款比例为86.20%,公司确保坏账准备计提充分。

二、中介机构核查情况

(一)核查程序

保荐人、申报会计师履行了以下核查程序:

1、获取应收账款明细表;

2、查阅可比公司年度报告。

(二)核查意见

经核查,保荐人、申报会计师认为:

1、应收账款余额变动合理;

2、坏账准备计提充分。

2.关于募投项目

请发行人说明本次募投项目的具体投资构成及测算依据。

请保荐人、申报会计师和发行人律师发表明确意见。

回复:

一、发行人说明

(一)本次募投项目的具体投资构成及测算依据

本次募投项目总投资为48,000.00万元,2025年公司营业收入为52,800.00万元。

二、中介机构核查情况

(一)核查程序

保荐人、申报会计师、发行人律师履行了以下核查程序:查阅可行性研究报告。

(二)核查意见

经核查,保荐人、申报会计师、发行人律师认为:募投项目投资构成合理。
"""


@pytest.fixture()
def reply_file(tmp_path):
    p = tmp_path / "reply.txt"
    p.write_text(REPLY, encoding="utf-8")
    return p


def _run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


# ---- small pieces


def test_quote_differences_ignore_page_noise_whitespace_and_punctuation_width():
    letter = "请发行人说明报告期内固定资产变动的具体情况,机器设备规模与业务规模的匹配性。"
    reply = "请发行人说明报告期内固定资产变动的具体\n\n8-1-402\n\n情况，机器设备规模与业务规模的匹配性。"
    assert quote_differences(letter, reply) == []
    changed = reply.replace("业务规模", "经营规模")
    (d,) = quote_differences(letter, changed)
    assert (d["letter"], d["reply"]) == ("业务", "经营")


def test_halfwidth_punctuation_counts_marks_between_chinese_only():
    c = halfwidth_punctuation("(一)公司(以下简称发行人)的收入,毛利率;结论:合理。Revenue, 2022: 1,000.00")
    assert c == {"(": 1, ")": 1, ",": 1, ";": 1, ":": 1}


def test_absolute_wording():
    words = [w for w, _ in absolute_wording("公司确保质量,绝对可靠,一定会增长,在一定程度上受影响,完全不存在风险。")]
    assert words == ["确保", "绝对", "一定", "完全不存在"]


def test_figures_with_explicit_periods_and_reporting_period():
    text = "报告期内,公司营业收入分别为100.00万元、200.00万元和300.00万元。2022年,公司营业收入为301.00万元。"
    figs = extract_figures(text, ["2020年", "2021年", "2022年"])
    assert ("营业收入", "2022年", "万元", "300.00") in [f[:4] for f in figs]
    assert ("营业收入", "2022年", "万元", "301.00") in [f[:4] for f in figs]
    # a peer's figure is not the issuer's
    assert extract_figures("2022年,同行业可比公司营业收入为500.00万元。", []) == []


# ---- a whole reply


def test_clean_reply_passes_with_warnings(reply_file):
    rep = review_reply(reply_file)
    assert (rep.questions_answered, rep.questions_total) == (2, 2)
    assert (rep.requests_answered, rep.requests_total) == (4, 4)
    assert rep.ok and rep.blocking == []
    kinds = {f.kind for f in rep.warnings}
    assert {"punctuation", "wording", "figures"} <= kinds
    fig = next(f for f in rep.warnings if f.kind == "figures")
    assert fig.detail["values"] == ["52300.00", "52800.00"]
    res = _run("review", reply_file)
    assert res.exit_code == 0, res.output
    assert "requests answered: 4/4" in res.output


def test_placeholder_unanswered_and_missing_opinion_block(tmp_path):
    text = (REPLY.replace("期后回款比例为86.20%", "期后回款比例为【待补充:期后回款比例】")
            .replace("(一)本次募投项目的具体投资构成及测算依据\n\n本次募投项目总投资为48,000.00万元,"
                     "2025年公司营业收入为52,800.00万元。\n\n", "")
            .replace("保荐人、申报会计师、发行人律师认为", "保荐人、申报会计师认为"))
    p = tmp_path / "r.txt"
    p.write_text(text, encoding="utf-8")
    res = _run("review", p, "--json")
    assert res.exit_code == 1, res.output
    d = json.loads(res.output)
    assert d["requests_answered"] == 3 and d["requests_total"] == 4
    assert d["unanswered"][0]["question"] == 2
    blocking = sorted((f["kind"], f["question"]) for f in d["findings"] if f["severity"] == "blocking")
    assert blocking == [("missing_opinion", 2), ("placeholder", 1), ("unanswered", 2)]
    lawyer = next(f for f in d["findings"] if f["kind"] == "missing_opinion")
    assert lawyer["party"] == "发行人律师"


def test_mis_scoped_opinion(tmp_path):
    text = REPLY.replace("经核查,保荐人、申报会计师认为:\n\n1、应收账款余额变动合理;",
                         "经核查,保荐人、申报会计师认为:\n\n1、应收账款余额变动合理;\n\n针对问题(1),经核查,申报会计师认为:余额真实。")
    text = text.replace("保荐人、申报会计师履行了以下核查程序", "保荐人履行了以下核查程序") \
               .replace("经核查,保荐人、申报会计师认为:\n\n1、应收", "经核查,保荐人认为:\n\n1、应收")
    p = tmp_path / "r.txt"
    p.write_text(text, encoding="utf-8")
    rep = review_reply(p)
    mis = [f for f in rep.blocking if f.kind == "mis_scoped_opinion"]
    assert len(mis) == 1 and mis[0].party == "申报会计师"
    assert mis[0].detail["missing"] == ["1.(2)", "1.(3)"]


def test_bad_input_is_a_user_error(tmp_path):
    p = tmp_path / "letter.txt"
    p.write_text("1.关于收入\n\n请发行人说明收入增长的原因。\n", encoding="utf-8")
    res = _run("review", p)
    assert res.exit_code == 2
    assert "drafter:" in res.output and "Traceback" not in res.output


def test_annotate_writes_comments_at_the_place(tmp_path):
    docx = pytest.importorskip("docx")
    text = REPLY.replace("期后回款比例为86.20%", "期后回款比例为【待补充:期后回款比例】")
    d = docx.Document()
    for line in text.splitlines():
        if line.strip():
            d.add_paragraph(line)
    src = tmp_path / "reply.docx"
    d.save(src)
    out = tmp_path / "annotated.docx"
    res = _run("review", src, "--annotate", out)
    assert res.exit_code == 1, res.output
    assert out.exists() and src.stat().st_size < out.stat().st_size
    ann = docx.Document(out)
    texts = [c.text for c in ann.comments]
    assert any(t.startswith("[阻断]") and "【待补充:期后回款比例】" in t for t in texts)
    # the placeholder comment hangs on the placeholder's own words
    body = ann.element.body
    from docx.oxml.ns import qn

    for start in body.iter(qn("w:commentRangeStart")):
        run = start.getnext()
        if run is not None and run.tag == qn("w:r") and "【待补充" in "".join(t.text for t in run.iter(qn("w:t"))):
            break
    else:  # pragma: no cover
        raise AssertionError("no comment anchored on the placeholder")
    assert _run("review", src, "--annotate", out).exit_code == 2  # never overwritten without --force
    assert _run("review", src, "--annotate", out, "--force").exit_code == 1


# ---- the real replies (skip without ../shared/corpus)


@pytest.fixture(scope="module")
def edited002(reply002, tmp_path_factory):
    src = reply002.read_text(encoding="utf-8")
    a = src.index("(三)说明公司研发人员的专业")
    b = src.index("(四)结合主要产品的关键技术指标和功能特征,说明发行人现有主要产品")
    text = src[:a] + src[b:]
    q16 = text.index("16.关于非流动资产\n")
    i = text.index("机器设备规模与业务规模的匹配性", q16)
    text = text[:i] + "机器设备规模与经营规模的匹配性" + text[i + len("机器设备规模与业务规模的匹配性"):]
    p = tmp_path_factory.mktemp("edit") / "002_edited.txt"
    p.write_text(text, encoding="utf-8")
    return p


def test_corpus_002_everything_answered_nothing_blocks(reply002):
    res = _run("review", reply002, "--json")
    assert res.exit_code == 0, res.output[-2000:]
    d = json.loads(res.output)
    assert (d["questions_answered"], d["questions_total"]) == (17, 17)
    assert (d["requests_answered"], d["requests_total"]) == (77, 77)
    assert d["unanswered"] == [] and d["altered_questions"] == []
    assert d["punctuation"]["total"] > 1000  # the filed reply sets , ( ) in half width: warned, not blocking


def test_corpus_002_edited_copy_blocks_on_exactly_two_findings(reply002, edited002):
    res = _run("review", edited002, "--letter", reply002, "--json")
    assert res.exit_code == 1
    d = json.loads(res.output)
    assert (d["requests_answered"], d["requests_total"]) == (76, 77)
    assert [(u["question"], u["request"]) for u in d["unanswered"]] == [(1, "(3)")]
    assert [a["question"] for a in d["altered_questions"]] == [16]
    assert d["altered_questions"][0]["differences"][0]["reply"] == "经营"
    blocking = [(f["kind"], f["question"]) for f in d["findings"] if f["severity"] == "blocking"]
    assert sorted(blocking) == [("altered_quote", 16), ("unanswered", 1)]


def test_corpus_003_real_filed_reply_does_not_block(reply003):
    rep = review_reply(reply003)
    assert (rep.requests_answered, rep.requests_total) == (50, 50)
    assert rep.ok, [f.message for f in rep.blocking]
    q5 = next(q for q in rep.questions if q.number == 5)  # 申报会计师 asked only for 第(2)之②
    acc = next(p for p in q5.parties if p.key == "auditor")
    assert acc.opinion and acc.scope_missing == [] and acc.scope_asked == ["5.(2)②"]


def test_placeholder_in_the_opening_blocks(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text(REPLY.replace("贵所于2026年3月16日出具", "贵所于【问询函日期】出具"), encoding="utf-8")
    rep = review_reply(p)
    (f,) = rep.blocking
    assert f.kind == "placeholder" and f.detail["where"] == "cover and opening" and f.mark == "【问询函日期】"


def test_a_drafted_reply_answers_every_request_and_its_placeholders_block(tmp_path):
    draft = pytest.importorskip("drafter.draft")
    out = tmp_path / "demo.docx"
    draft.demo(str(out))
    rep = review_reply(out, EXAMPLES / "letter.txt")
    assert rep.requests_answered == rep.requests_total > 0
    assert rep.altered_questions == []
    kinds = {f.kind for f in rep.blocking}
    assert kinds == {"placeholder"}  # only the blanks a person must fill block


def test_letter_words_repeated_in_subheadings_and_quotes_are_not_warned(tmp_path):
    # the letter asks "如何确保…" with a half-width comma; the reply repeats the request as its
    # subheading and quotes it: those are the letter's words. The writer's own 确保 still warns.
    text = (REPLY
            .replace("(3)结合期后回款情况,说明坏账准备计提是否充分。", "(3)结合期后回款情况,说明如何确保坏账准备计提充分。")
            .replace("(三)结合期后回款情况,说明坏账准备计提是否充分", "(三)结合期后回款情况,说明如何确保坏账准备计提充分")
            .replace("2、坏账准备计提充分。", "2、关于“说明如何确保坏账准备计提充分”,坏账准备计提充分。"))
    p = tmp_path / "reply.txt"
    p.write_text(text, encoding="utf-8")
    rep = review_reply(p)
    wording = [f for f in rep.warnings if f.kind == "wording"]
    assert [(f.question, f.detail["word"]) for f in wording] == [(1, "确保")]  # the prose only
    assert "公司确保坏账准备" in wording[0].message and "如何确保" not in wording[0].message
    # punctuation: the repeated subheading's and the quote's commas are not counted, the prose's are
    base = tmp_path / "base.txt"
    base.write_text(REPLY.replace("(三)结合期后回款情况,说明坏账准备计提是否充分", "(三)结合期后回款情况，说明坏账准备计提是否充分"),
                    encoding="utf-8")
    assert rep.punctuation["by_question"][1] == review_reply(base).punctuation["by_question"][1]
    own = tmp_path / "own.txt"  # a subheading in the writer's own words is checked like prose
    own.write_text(REPLY.replace("(三)结合期后回款情况,说明坏账准备计提是否充分", "(三)坏账准备计提,公司确保充分"),
                   encoding="utf-8")
    assert sum(f.kind == "wording" for f in review_reply(own).warnings) == 2


def test_our_own_draft_of_a_letter_saying_ensure_gets_no_wording_warning(tmp_path):
    draft = pytest.importorskip("drafter.draft")
    letter = tmp_path / "letter.txt"
    letter.write_text((EXAMPLES / "letter.txt").read_text(encoding="utf-8").replace(
        "说明本次新增产能的必要性及产能消化措施的可行性", "说明如何确保新增产能得到消化,本次新增产能的必要性"), encoding="utf-8")
    out = draft.draft(letter, EXAMPLES / "company.yaml", tmp_path / "reply.docx")
    rep = review_reply(out, letter)
    assert rep.warnings == [] and {f.kind for f in rep.blocking} == {"placeholder"}
