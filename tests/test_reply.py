"""split_reply: answers per request, 核查 blocks per party, amendments, placeholders."""
from __future__ import annotations

import pytest

from drafter.models import Question, Request, Section, Verification
from drafter.parse.reply import find_placeholders, similarity, split_reply

REPLY = """一、发行人说明

(一)说明报告期内应收账款余额变动的原因及合理性;

报告期各期末,公司应收账款余额分别为1,000.00万元、1,200.00万元。

1、应收账款余额变动情况

8-1-12

余额随收入增长而增加。

(二)补充披露坏账准备计提政策与同行业可比公司的差异

公司已在招股说明书“第六节 财务会计信息与管理层分析·十、资产质量分析”中补充披露如下:

坏账准备计提比例与可比公司不存在重大差异。【待补充:可比公司坏账计提比例表】

(三)结合期后回款情况说明坏账准备计提是否充分

截至2026年3月末,期后回款比例为XX%。

二、中介机构核查情况

(一)核查程序

保荐人、申报会计师履行了以下核查程序:

1、获取应收账款明细表;

2、针对问题(2),申报会计师查阅了可比公司年报。

(二)核查意见

经核查,保荐人、申报会计师认为:

1、应收账款余额变动合理;

2、坏账准备计提充分。

(本页无正文,为《关于X的审核问询函的回复》之签章页)

法定代表人:__________
"""


def _question(reply: str = REPLY) -> Question:
    reqs = [
        Request(id="3.(1)", label="(1)", text="说明报告期内应收账款余额变动的原因及合理性"),
        Request(id="3.(2)", label="(2)", text="补充披露坏账准备计提政策与同行业可比公司的差异", disclose=True),
        Request(id="3.(3)", label="(3)", text="结合期后回款情况,说明坏账准备计提是否充分"),
    ]
    ver = Verification(text="请保荐人、申报会计师发表明确意见。", parties=["保荐人", "申报会计师"],
                       scope_ids=[r.id for r in reqs])
    return Question(number=3, label="3.", title="关于应收账款", text="…", requests=reqs, verification=[ver], reply=reply)


def test_each_request_gets_its_subheading_and_answer_text():
    parts = split_reply(_question())
    assert list(parts.answers) == ["3.(1)", "3.(2)", "3.(3)"]
    assert parts.unanswered == []
    a1 = parts.answers["3.(1)"]
    assert a1.heading.startswith("(一)说明报告期内应收账款余额")
    assert "余额随收入增长而增加" in a1.text and "坏账准备计提政策" not in a1.text
    assert parts.answers["3.(3)"].text.rstrip().endswith("XX%。")  # stops before 二、中介机构核查情况


def test_a_removed_answer_is_unanswered():
    q = _question()
    start = q.reply.index("(三)结合期后")
    q.reply = q.reply[:start] + q.reply[q.reply.index("二、中介机构"):]
    parts = split_reply(q)
    assert parts.unanswered == ["3.(3)"]


def test_procedures_and_opinions_name_their_parties():
    parts = split_reply(_question())
    assert [b.party_keys for b in parts.procedures][0] == ["sponsor", "auditor"]
    assert parts.opinions[0].parties == ["保荐人", "申报会计师"]
    assert parts.opinions[0].scope == "全部"
    assert len(parts.opinions) == 1


def test_amendment_location_and_request():
    parts = split_reply(_question())
    (am,) = parts.amendments
    assert am.location.startswith("第六节 财务会计信息与管理层分析")
    assert am.request_ids == ["3.(2)"]


def test_placeholders_found_and_signature_pages_ignored():
    parts = split_reply(_question())
    found = [(p.text, p.request_id) for p in parts.placeholders]
    assert ("【待补充:可比公司坏账计提比例表】", "3.(2)") in found
    assert ("XX", "3.(3)") in found
    assert all("_" not in t for t, _ in found)  # the signature line's blank is not in the answer


def test_placeholder_patterns():
    texts = [t for _, t in find_placeholders("金额为[●]万元,比例【待确认】,TODO 核对,日期____年")]
    assert texts == ["[●]", "【待确认】", "TODO", "____"]
    assert find_placeholders("公司XXL型号产品与ABB合作") == []


def test_short_subheading_cannot_claim_a_long_request():
    req = "结合国内外主要竞争对手的主营业务和产品、相关信息的可获得性等,说明所选取的同行业可比公司的完整性及可比性"
    assert similarity("同行业可比公司", req) < 62
    assert similarity("结合国内外主要竞争对手的主营业务和产品、相关信息的可获得性等", req) == 100


def test_one_subheading_may_answer_two_requests():
    reply = ("一、发行人说明\n\n(一)说明收入确认方法及时点,以及渠道销售的原因及合理性\n\n内容甲。\n\n"
             "(二)说明境外销售的分布情况\n\n内容乙。\n")
    reqs = [Request(id="1.(1)", label="(1)", text="说明收入确认方法及时点"),
            Request(id="1.(2)", label="(2)", text="说明渠道销售的原因及合理性"),
            Request(id="1.(3)", label="(3)", text="说明境外销售的分布情况")]
    q = Question(number=1, label="1.", title="收入", text="", requests=reqs, reply=reply)
    parts = split_reply(q)
    assert parts.unanswered == []
    assert parts.answers["1.(1)"].heading_start == parts.answers["1.(2)"].heading_start
    assert parts.answers["1.(1)"].shared_with == ["1.(2)"]


def test_scoped_blocks_in_sections():
    reply = ("一、关于子公司增资\n\n(一)说明增资的原因\n\n内容。\n\n(二)保荐机构、发行人律师核查情况\n\n"
             "保荐机构、发行人律师履行了以下核查程序:查阅决议。\n\n经核查,保荐机构、发行人律师认为:程序合规。\n\n"
             "二、关于存货\n\n(一)说明库龄情况\n\n内容。\n\n(二)核查程序及核查意见\n\n"
             "保荐机构及申报会计师执行了以下核查程序:监盘。\n\n经核查,保荐机构及申报会计师认为:存货真实。\n")
    reqs = [Request(id="6.(1)①", label="①", text="说明增资的原因", section="(1)"),
            Request(id="6.(2)①", label="①", text="说明库龄情况", section="(2)")]
    secs = [Section(label="(1)", title="关于子公司增资", request_ids=["6.(1)①"]),
            Section(label="(2)", title="关于存货", request_ids=["6.(2)①"])]
    q = Question(number=6, label="问题6.", title="其他问题", text="", sections=secs, requests=reqs, reply=reply)
    parts = split_reply(q)
    assert parts.unanswered == []
    law = [b for b in parts.opinions if "lawyer" in b.party_keys]
    assert [b.scope_ids for b in law] == [["6.(1)①"]]
    acc = [b for b in parts.opinions if "auditor" in b.party_keys]
    assert [b.scope_ids for b in acc] == [["6.(2)①"]]


# ---- the real replies (skip without ../shared/corpus)


@pytest.fixture(scope="module")
def letter002(reply002):
    parse = pytest.importorskip("drafter.parse")
    return parse.parse_file(reply002)


def test_corpus_002_every_request_answered(letter002):
    total = answered = 0
    for q in letter002.questions:
        parts = split_reply(q)
        total += len(parts.answers)
        answered += len(parts.answers) - len(parts.unanswered)
        assert parts.opinions, f"question {q.number}: no 核查意见 found"
    assert (answered, total) == (77, 77)


def test_corpus_002_removed_answer_is_found(letter002):
    q = letter002.questions[0].model_copy(deep=True)
    a = q.reply.index("(三)说明公司研发人员")
    b = q.reply.index("(四)结合主要产品的关键技术指标")
    q.reply = q.reply[:a] + q.reply[b:]
    parts = split_reply(q)
    assert parts.unanswered == [q.requests[2].id]


@pytest.fixture(scope="module")
def letter003(reply003):
    parse = pytest.importorskip("drafter.parse")
    return parse.parse_file(reply003)


def _leave_one_out(letter) -> tuple[int, list]:
    """Delete each request's answer in turn: exactly that request must come out unanswered."""
    found, misses = 0, []
    for q in letter.questions:
        for rid, a in split_reply(q).answers.items():
            if a.shared_with:
                continue
            cut = q.model_copy(update={"reply": q.reply[:a.start] + q.reply[a.end:]})
            got = split_reply(cut).unanswered
            if got == [rid]:
                found += 1
            else:
                misses.append((rid, got))
    return found, misses


def test_corpus_002_each_removed_answer_is_found(letter002):
    assert _leave_one_out(letter002) == (77, [])


def test_corpus_003_every_request_answered_and_each_removal_found(letter003):
    parts = [split_reply(q) for q in letter003.questions]
    assert sum(len(p.answers) for p in parts) == 50
    assert [rid for p in parts for rid in p.unanswered] == []
    assert _leave_one_out(letter003) == (50, [])
    q5 = parts[4]
    auditor = [b for b in q5.procedures if b.party_keys == ["auditor"]]
    assert auditor and auditor[0].scope == "(2)之②" and auditor[0].scope_ids == ["5.(2)②"]


def test_paraphrased_subheadings_numbered_alike_answer_their_requests():
    reply = ("一、发行人说明\n\n(一)可比公司\n\n选取依据如下。\n\n(二)竞争格局\n\n行业集中度较高。\n\n"
             "(三)研发团队\n\n研发人员共72人。\n")
    reqs = [Request(id="1.(1)", label="(1)", text="结合国内外主要竞争对手的主营业务,说明所选取的同行业可比公司的完整性及可比性"),
            Request(id="1.(2)", label="(2)", text="说明发行人所处细分领域的竞争格局及其变化趋势"),
            Request(id="1.(3)", label="(3)", text="说明公司研发人员的专业、学历、工作年限及薪酬")]
    q = Question(number=1, label="1.", title="业务", text="", requests=reqs, reply=reply)
    parts = split_reply(q)
    assert parts.unanswered == []
    assert parts.answers["1.(3)"].heading == "(三)研发团队"
    # with one answer gone the numbering no longer lines up: the gap shows (terse paraphrases may be
    # flagged with it, as nothing else ties them to their requests)
    q2 = q.model_copy(update={"reply": reply.replace("(二)竞争格局\n\n行业集中度较高。\n\n", "")})
    assert "1.(2)" in split_reply(q2).unanswered


def test_prose_answer_without_subheadings():
    reply = ("经了解,公司应收账款余额随收入增长而增加,期后回款情况良好,坏账准备计提充分。\n\n"
             "二、中介机构核查情况\n\n经核查,保荐人认为:计提充分。\n")
    one = Question(number=2, label="2.", title="应收", text="", reply=reply,
                   requests=[Request(id="2", label="", text="说明应收账款余额变动的原因")])
    parts = split_reply(one)
    assert parts.unanswered == [] and not parts.flat
    two = one.model_copy(update={"requests": one.requests + [Request(id="2b", label="", text="说明坏账准备计提是否充分")]})
    parts = split_reply(two)
    assert parts.unanswered == [] and parts.flat


@pytest.mark.parametrize(
    "letter_words, reply_words, key",
    [
        ("申请人律师", "申请人律师", "lawyer"),
        ("年审会计师", "年审会计师", "auditor"),
        ("评估师", "评估机构", "appraiser"),
        ("独立财务顾问", "独立财务顾问", "financial_advisor"),
    ],
)
def test_parties_beyond_ipo_letters_are_recognised(letter_words, reply_words, key):
    """Refinancing, restructuring, annual-report and CSRC letters name other parties: the reply's
    opinion is found under the same kind whatever words each side uses."""
    reply = REPLY.replace("保荐人、申报会计师履行了", f"{reply_words}履行了").replace(
        "经核查,保荐人、申报会计师认为", f"经核查,{reply_words}认为")
    q = _question(reply)
    q.verification = [Verification(text=f"请{letter_words}核查并发表明确意见。", parties=[letter_words],
                                   scope_ids=[r.id for r in q.requests])]
    parts = split_reply(q)
    assert [b.party_keys for b in parts.opinions] == [[key]]
    assert [b.party_keys for b in parts.procedures][0] == [key]
