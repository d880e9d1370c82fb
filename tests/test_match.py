"""The matcher: ranking, reasons, context, JSON shape, and accuracy on the hand-labelled corpus letters."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz import fuzz

from drafter.bank import load_bank
from drafter.cli import main
from drafter.match import (
    _code,
    bigrams,
    clauses,
    evaluate,
    load_labels,
    match_letter,
    match_text,
    normalize,
)
from drafter.models import Letter, LetterMeta, Question, Request, Section

DATA = Path(__file__).resolve().parent / "data"


# ------------------------------------------------------------------------------ text and bigram sets
def test_normalize_and_clauses():
    assert normalize("说明 应收账款（余额）\n8-1-12 变动；") == "说明应收账款(余额)变动;"
    cs = clauses(normalize("说明信用期是否变化；结合坏账准备的测算过程，说明计提是否充分。"))
    assert cs == ["说明信用期是否变化", "结合坏账准备的测算过程,说明计提是否充分"]
    assert bigrams("应收账款12逾期") == {"应收", "收账", "账款", "逾期"}


@given(st.sets(st.integers(0, 3000), max_size=60), st.sets(st.integers(0, 3000), max_size=60))
def test_ratio_on_sorted_bigram_codes_is_the_dice_of_the_sets(a, b):
    """The trick the index relies on: LCS of two sorted sets is their intersection."""
    sa = "".join(_code(i) for i in sorted(a))
    sb = "".join(_code(i) for i in sorted(b))
    if not a and not b:
        return
    dice = 200.0 * len(a & b) / (len(a) + len(b))
    assert fuzz.ratio(sa, sb) == pytest.approx(dice)
    assert round(fuzz.ratio(sa, sb) * (len(a) + len(b)) / 200.0) == len(a & b)


# -------------------------------------------------------------------------------- single requests
@pytest.mark.parametrize(
    "text, expected",
    [
        ("说明各期末应收账款逾期金额及期后回款情况,坏账准备计提是否充分", "accounts_receivable"),
        ("说明第三方回款的原因、必要性及商业合理性,是否与销售收入勾稽一致", "third_party_payments"),
        ("说明各期末存货库龄结构及存货跌价准备计提的充分性", "inventory"),
        ("说明股权激励对象、授予价格及公允价值的确定依据,股份支付费用的分期摊销是否准确", "share_based_payment"),
        ("说明对赌协议及特殊权利条款的解除情况,是否存在效力恢复条款", "vam_special_rights"),
        ("量化分析产品售价和单位成本变动对主营业务毛利率的影响", "gross_margin"),
        ("结合董事会决议日前六个月至今新投入的财务性投资,说明是否已从募集资金总额中扣除", "financial_investment"),
    ],
)
def test_match_text_top1(text, expected):
    got = match_text(text)
    assert got and got[0].id == expected, [(t.id, t.score, t.reason) for t in got]
    assert 0 < got[0].score <= 100


def test_reason_names_keywords_and_exemplar():
    top = match_text("说明主要客户信用政策是否发生变化,应收账款逾期情况及期后回款")[0]
    assert top.id == "accounts_receivable"
    assert "关键词:" in top.reason and "应收账款(1)" in top.reason
    assert "例句相似" in top.reason


def _letter(questions: list[Question], offering: str | None = "首次公开发行股票") -> Letter:
    return Letter(source="<test>", meta=LetterMeta(offering_kind=offering), questions=questions)


def test_question_title_lends_context_to_a_vague_request():
    q = Question(number=3, label="3.", title="关于存货", text="",
                 requests=[Request(id="3.(1)", label="(1)", text="说明报告期各期末余额变动的原因及合理性"),
                           Request(id="3.(2)", label="(2)", text="说明第三方回款的原因及必要性")])
    m = match_letter(_letter([q]))
    r1, r2 = m.questions[0].requests
    assert r1.topics[0].id == "inventory" and "题目: 关于存货" in r1.topics[0].reason
    assert r2.topics[0].id == "third_party_payments"  # its own words beat the title
    assert m.questions[0].topics[0].id == "inventory"


def test_section_title_lends_context():
    q = Question(
        number=2, label="问题2.", title="其他问题", text="",
        sections=[Section(label="(1)", title="关于应收账款回款", request_ids=["2.(1)①"])],
        requests=[Request(id="2.(1)①", label="①", section="(1)", text="说明期末余额的构成及变动原因")],
    )
    r = match_letter(_letter([q])).questions[0].requests[0]
    assert r.topics[0].id == "accounts_receivable"
    assert "小标题: 关于应收账款回款" in r.topics[0].reason


def test_letter_match_shape_and_order():
    reqs = [Request(id=f"1.({i})", label=f"({i})", text=t) for i, t in
            enumerate(["说明应收账款坏账准备计提是否充分", "说明存货跌价准备", "说明毛利率高于可比公司的原因"], 1)]
    m = match_letter(_letter([Question(number=1, label="1.", title="关于财务", text="", requests=reqs)]))
    data = json.loads(m.model_dump_json())
    q = data["questions"][0]
    assert q["number"] == 1
    assert [r["id"] for r in q["requests"]] == ["1.(1)", "1.(2)", "1.(3)"]
    for item in [q, *q["requests"]]:
        scores = [t["score"] for t in item["topics"]]
        assert scores == sorted(scores, reverse=True) and len(scores) <= 5
        assert all(set(t) == {"id", "score", "reason"} for t in item["topics"])
    assert [r["topics"][0]["id"] for r in q["requests"]] == ["accounts_receivable", "inventory", "gross_margin"]


def test_offering_specific_topics_are_damped_in_other_letters():
    bank = load_bank()
    conv = [t for t in bank.topics.values() if "all" not in t.offerings and "ipo" not in t.offerings]
    assert conv, "some topics are specific to refinancing"
    text = "说明本次募集资金规模的合理性"
    req = [Request(id="1.(1)", label="(1)", text=text)]
    ipo = match_letter(_letter([Question(number=1, label="1.", title="", text="", requests=req)]))
    cb = match_letter(_letter([Question(number=1, label="1.", title="", text="", requests=req)],
                              offering="向不特定对象发行可转换公司债券"))
    s_ipo = {t.id: t.score for t in ipo.questions[0].requests[0].topics}
    s_cb = {t.id: t.score for t in cb.questions[0].requests[0].topics}
    damped = [t.id for t in conv if t.id in s_ipo and t.id in s_cb]
    assert all(s_ipo[d] < s_cb[d] for d in damped)


def test_empty_and_unmatched_requests_do_not_crash():
    q = Question(number=1, label="1.", title="", text="",
                 requests=[Request(id="1", label="", text=""), Request(id="1.(2)", label="(2)", text="zzz")])
    m = match_letter(_letter([q]))
    assert [r.id for r in m.questions[0].requests] == ["1", "1.(2)"]


# ------------------------------------------------------------------------------- the corpus letters
THRESHOLDS = {"request_top1": 0.85, "request_top3": 0.95, "question_top1": 0.80}


@pytest.fixture(scope="module")
def corpus_results(reply002, reply003):
    from drafter.parse import parse_file

    bank = load_bank()
    out = {}
    for key, path in (("002", reply002), ("003", reply003)):
        letter = parse_file(path)
        labels = load_labels(DATA / f"labels_{key}.yaml")
        out[key] = (letter, match_letter(letter, bank), evaluate(match_letter(letter, bank), labels))
    return out


@pytest.mark.parametrize("key, n_requests, n_questions", [("002", 77, 17), ("003", 50, 6)])
def test_labels_cover_every_parsed_request(corpus_results, key, n_requests, n_questions):
    letter, _, report = corpus_results[key]
    assert len(letter.requests) == n_requests and len(letter.questions) == n_questions
    assert report.requests.total == n_requests and report.questions.total == n_questions
    assert report.requests.missing == [] and report.questions.missing == []


@pytest.mark.parametrize("key", ["002", "003"])
def test_accuracy_on_each_corpus_letter(corpus_results, key):
    r = corpus_results[key][2]
    misses = [m.model_dump() for m in r.requests.misses]
    assert r.requests.top1_rate >= THRESHOLDS["request_top1"], misses
    assert r.requests.top3_rate >= THRESHOLDS["request_top3"], misses
    assert r.questions.top1_rate >= THRESHOLDS["question_top1"], [m.model_dump() for m in r.questions.misses]


def test_accuracy_on_both_letters_together(corpus_results):
    req = [corpus_results[k][2].requests for k in ("002", "003")]
    qs = [corpus_results[k][2].questions for k in ("002", "003")]
    n = sum(s.total for s in req)
    assert sum(s.top1 for s in req) / n >= THRESHOLDS["request_top1"]
    assert sum(s.top3 for s in req) / n >= THRESHOLDS["request_top3"]
    assert sum(s.top1 for s in qs) / sum(s.total for s in qs) >= THRESHOLDS["question_top1"]


def test_corpus_reasons_are_readable(corpus_results):
    m = corpus_results["002"][1]
    r = m.request("14.(5)")
    assert r.topics[0].id == "third_party_payments"
    assert "第三方回款" in r.topics[0].reason
    q14 = m.question(14)
    assert q14.topics[0].id == "accounts_receivable" and "题目: 关于应收账款" in q14.topics[0].reason


def test_cli_match_json_on_a_corpus_letter(reply003):
    res = CliRunner().invoke(main, ["match", str(reply003), "--json"])
    assert res.exit_code == 0, res.output[-500:]
    data = json.loads(res.output)
    assert [q["number"] for q in data["questions"]] == [1, 2, 3, 4, 5, 6]
    q5 = data["questions"][4]
    assert [r["id"] for r in q5["requests"]] == ["5.(1)①", "5.(1)②", "5.(2)①", "5.(2)②", "5.(2)③", "5.(3)①", "5.(3)②"]
    assert all(r["topics"] and {"id", "score", "reason"} <= set(r["topics"][0]) for r in q5["requests"])
    assert q5["requests"][2]["topics"][0]["id"] == "dividend_policy"


def test_cli_match_table_and_eval(reply002):
    runner = CliRunner()
    res = runner.invoke(main, ["match", str(reply002)])
    assert res.exit_code == 0
    assert "14.(5)" in res.output and "third_party_payments" in res.output
    res = runner.invoke(main, ["bank", "eval", "--json"])
    assert res.exit_code == 0, res.output[-500:]
    total = json.loads(res.output)["total"]
    assert total["requests"]["total"] == 127 and total["questions"]["total"] == 23


def test_cli_match_missing_letter_is_one_line():
    res = CliRunner().invoke(main, ["match", "/nonexistent/letter.txt"])
    assert res.exit_code == 2 and "Traceback" not in res.output
