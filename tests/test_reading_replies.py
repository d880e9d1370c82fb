"""Reply documents whose headings were lost (issue 10 item 2): text after a reply marker is never a
request; a quoted question found without its heading becomes its own block, and is reported.

The cases are rebuilt from the real replies in ../shared/corpus: a heading line is deleted, as a PDF
page break does, and the parse must give the same questions, requests and replies as the whole text.
"""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from drafter.cli import main
from drafter.parse import parse_file, parse_text


def _without_heading(path, number: int) -> tuple[str, str]:
    """The reply's text, and the same text with question `number`'s heading line deleted."""
    raw = path.read_text(encoding="utf-8")
    whole = parse_text(raw)
    q = next(q for q in whole.questions if q.number == number)
    lines = raw.split("\n")
    head = q.label + q.title
    i = next(k for k, ln in enumerate(lines) if ln.strip() == head)  # the heading, not the contents line
    return raw, "\n".join(lines[:i] + lines[i + 1 :])


def _shape(letter):
    return [(q.number, q.label, [r.id for r in q.requests], q.reply) for q in letter.questions]


@pytest.mark.parametrize("number", [1, 3, 6])
def test_003_a_lost_question_heading_is_found_again(reply003, number):
    raw, cut = _without_heading(reply003, number)
    whole, got = parse_text(raw), parse_text(cut)
    assert len(got.questions) == 6
    assert [s[:3] for s in _shape(got)] == [s[:3] for s in _shape(whole)]  # numbers, labels, request ids
    assert [q.reply for q in got.questions] == [q.reply for q in whole.questions]  # every answer where it was
    lost = got.questions[number - 1]
    assert lost.text == whole.questions[number - 1].text  # the quoted words, no more, no less
    assert any(w.startswith(f"question {number}: its heading is missing") for w in got.warnings)


@pytest.mark.parametrize("number", [1, 2, 9, 17])
def test_002_a_lost_question_heading_is_found_again(reply002, number):
    raw, cut = _without_heading(reply002, number)
    whole, got = parse_text(raw), parse_text(cut)
    assert _shape(got) == _shape(whole)
    assert sum(len(q.requests) for q in got.questions) == 77
    assert len(got.warnings) == 1 and f"question {number}:" in got.warnings[0]


def test_the_whole_corpus_replies_read_without_warnings(reply002, reply003):
    assert parse_file(reply002).warnings == []
    assert parse_file(reply003).warnings == []


# A convertible-bond reply answering sub-question by sub-question; the heading `1.2 …` was lost at a page
# break, so the answer's own audit procedures (1)…(5) stand right before the next quoted sub-question.
CB_REPLY = """关于某某科技股份有限公司向不特定对象发行可转换公司债券申请文件的审核问询函的回复
问题1.关于境外销售
1.1 根据申报材料，报告期内发行人境外销售收入占比较高。请发行人说明：(1)境外销售的主要国家和客户；(2)境外销售收入与海关数据的匹配性；(3)汇率波动对业绩的影响。请保荐机构和申报会计师核查并发表明确意见。
回复：
一、发行人说明
(一)境外销售的主要国家和客户
报告期内，发行人境外销售主要集中于东南亚地区。
二、中介机构核查情况
(一)核查程序
保荐机构和申报会计师履行了以下核查程序：
(1)获取发行人境外销售明细表；
(2)访谈发行人销售负责人；
(3)获取海关出口数据并与账面收入核对；
(4)对发行人报告期内境外主要客户进行邮件函证，函证比例为80%；
(5)检查报关单、提单等原始单据。
(二)核查意见
经核查，保荐机构和申报会计师认为：发行人境外销售收入真实。
根据申报材料，报告期各期末，发行人应收账款余额增长较快。请发行人说明：(1)应收账款余额增长的原因；(2)坏账准备计提是否充分。请保荐机构核查并发表明确意见。
回复：
报告期各期末应收账款余额增长主要系收入增长所致。
问题2.关于募投项目
根据申报材料，本次募集资金拟投资于新能源项目。请发行人说明募投项目的必要性。
回复：
本次募投项目符合国家产业政策。
"""


def test_a_replys_own_procedures_are_never_requests_nor_quoted():
    letter = parse_text(CB_REPLY)
    q1 = letter.questions[0]
    assert [r.id for r in q1.requests] == ["1.1(1)", "1.1(2)", "1.1(3)", "1.2(1)", "1.2(2)"]
    assert not any("函证" in r.text or "访谈" in r.text for r in letter.requests)
    assert "邮件函证" not in q1.text and "经核查" not in q1.text  # never quoted (黑体) as the exchange's words
    assert "邮件函证" in q1.reply and q1.reply.endswith("应收账款余额增长主要系收入增长所致。")
    assert [s.label for s in q1.sections] == ["1.1", "1.2"]
    assert letter.warnings == [
        "question 1: a quoted part without its heading (`根据申报材料…`) is read as sub-question 1.2 of question 1"]


def test_part_by_part_replies_still_split_at_their_labels():
    text = """问题1.关于收入
(1)请发行人说明收入确认政策。
【回复】
公司按照合同约定确认收入。
(2)请发行人说明前五大客户的变化原因。
【回复】
前五大客户变化系业务拓展所致。
问题2.关于存货
请发行人说明存货跌价准备计提是否充分。
【回复】
已充分计提。
"""
    letter = parse_text(text)
    q1 = letter.questions[0]
    assert [r.id for r in q1.requests] == ["1.(1)", "1.(2)"]
    assert q1.reply == "公司按照合同约定确认收入。\n前五大客户变化系业务拓展所致。"
    assert letter.warnings == []


def test_a_skipped_question_number_is_reported_in_parse_and_json(tmp_path):
    path = tmp_path / "letter.txt"
    path.write_text(
        "关于某某股份有限公司的关注函\n某某股份有限公司董事会：\n"
        "1.报告期内，公司营业收入下降30%。请你公司说明营业收入下降的原因。\n"
        "2.年报显示，你公司应收账款余额较大。请你公司说明坏账准备计提是否充分。\n"
        "4.年报显示，公司存货余额较大。请你公司说明跌价准备计提是否充分。\n"
        "特此函告。\n", encoding="utf-8")
    out = CliRunner().invoke(main, ["parse", str(path)])
    assert out.exit_code == 0
    assert re.search(r"warning: question number 3 not found: the questions go 2 → 4", out.output)
    js = CliRunner().invoke(main, ["parse", str(path), "--json"])
    assert '"warnings": [' in js.output and "question number 3 not found" in js.output


def test_a_sub_question_under_its_own_cn_label_after_an_answer_is_quoted_not_answered():
    """`(二)请你公司…` after the answer to `(一)`: its own part (the reply used to swallow it, 回复 and all)."""
    letter = parse_text(
        "关于对某某股份有限公司2022年年报问询函的回复\n一、关于营业收入\n"
        "(一)年报显示，公司2022年营业收入同比下降35%。请你公司说明收入下降的原因。\n回复：\n公司收入下降主要系下游需求减少所致。\n"
        "(二)请你公司说明前五大客户的变化情况及原因。\n回复：\n前五大客户变化系业务结构调整所致。\n"
        "二、关于商誉\n年报显示，公司商誉期末余额2.3亿元。请你公司说明商誉减值测试的具体过程。请年审会计师发表意见。\n回复：\n已按照准则进行减值测试。\n")
    q1 = letter.questions[0]
    assert [(r.id, r.text) for r in q1.requests] == [("1.(一)", "说明收入下降的原因。"), ("1.(二)", "说明前五大客户的变化情况及原因。")]
    assert [s.label for s in q1.sections] == ["(一)", "(二)"]
    assert q1.reply == "公司收入下降主要系下游需求减少所致。\n前五大客户变化系业务结构调整所致。"
    assert letter.warnings == []


def test_draft_prints_the_readers_warning(tmp_path):
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    text = (root / "examples" / "letter.txt").read_text(encoding="utf-8")
    heads = re.findall(r"^(\d+)\.关于", text, flags=re.M)
    assert len(heads) >= 3
    cut = re.sub(r"^2\.(?=关于)", "", text, count=1, flags=re.M)  # question 2's number lost in the copy
    letter = tmp_path / "letter.txt"
    letter.write_text(cut, encoding="utf-8")
    res = CliRunner().invoke(main, ["draft", str(letter), "--company", str(root / "examples" / "company.yaml"),
                                    "-o", str(tmp_path / "reply.docx")])
    assert res.exit_code == 0, res.output
    assert "warning: question number 2 not found: the questions go 1 → 3" in res.output


def test_a_question_whose_quote_is_missing_is_reported():
    letter = parse_text(
        "问题1.关于收入\n请发行人说明收入确认政策。\n回复：\n公司按合同约定确认收入。\n"
        "问题2.关于存货\n回复：\n存货跌价准备已充分计提。\n"
        "问题3.关于商誉\n请发行人说明商誉减值测试过程。\n回复：\n已按准则测试。\n")
    assert [len(q.requests) for q in letter.questions] == [1, 0, 1]
    assert letter.warnings == ["question 2 (关于存货): its quoted text was not found before the reply marker"]


@pytest.mark.parametrize("marker", ["公司回复如下：", "回复如下：", "公司说明："])
def test_an_annual_report_reply_marked_by_a_line_of_its_own(marker):
    letter = parse_text(
        "关于对某某公司的问询函回复\n现将回复内容公告如下：\n1.年报显示，公司收入下降。请你公司说明原因。\n" + marker +
        "\n收入下降系需求减少。\n2.年报显示，公司存货较大。请你公司说明跌价准备。\n" + marker + "\n已充分计提。\n")
    assert letter.kind == "reply"
    assert [q.reply for q in letter.questions] == ["收入下降系需求减少。", "已充分计提。"]


SSE_SUBS = """关于某某科技股份有限公司首次公开发行股票并在科创板上市申请文件的审核问询函的回复
问题1.关于核心技术
问题1.1 根据申报材料，发行人核心技术来源于合作研发。请发行人说明：（1）核心技术的形成过程；（2）合作研发的具体安排。
回复：
一、核心技术的形成过程
发行人核心技术系自主研发形成。
问题1.2 根据申报材料，发行人拥有专利30项。请发行人说明专利的取得方式。
回复：
发行人专利均为原始取得。
问题2.关于收入
根据申报材料，报告期内收入增长较快。请发行人说明收入增长的原因。
回复：
收入增长主要系新客户开拓。
"""


@pytest.mark.parametrize("lost", [False, True])
def test_sub_questions_headed_wenti_n_m_are_sections_even_when_one_label_is_lost(lost):
    text = SSE_SUBS.replace("问题1.2 ", "") if lost else SSE_SUBS
    letter = parse_text(text)
    q1 = letter.questions[0]
    assert [(q.number, q.title) for q in letter.questions] == [(1, "关于核心技术"), (2, "关于收入")]
    assert [r.id for r in q1.requests] == ["1.1(1)", "1.1(2)", "1.2"]
    assert q1.reply == "一、核心技术的形成过程\n发行人核心技术系自主研发形成。\n发行人专利均为原始取得。"
    assert letter.warnings == (["question 1: a quoted part without its heading (`根据申报材料…`) is read as "
                                "sub-question 1.2 of question 1"] if lost else [])


def test_a_question_opening_with_a_year_is_no_sub_question_label():
    letter = parse_text("问题1.2021年，公司收入下降。请发行人说明原因。\n问题2.关于存货\n请发行人说明存货跌价准备。\n")
    assert [(q.number, len(q.requests)) for q in letter.questions] == [(1, 1), (2, 1)]
