"""Patterns met in real CSRC / exchange letters, each reproduced in a letter of our own words.

Every company, person and figure below is invented; only the shape of the letter is real.
"""
from __future__ import annotations

from drafter.parse import parse_text

CSRC = """青禾智能装备股份有限公司创业板首次公开发行股票申请文件反馈意见

【300999】【青禾智能】【2016-03-01】

远川证券股份有限公司：

现对你公司推荐的青禾智能装备股份有限公司（以下简称“公司”或“发行人”）首次公开发行股票并在创业板上市申请文件提出反馈意见，请你公司在30日内对下列问题逐项落实并提供书面回复和电子文档。若涉及对招股说明书的修改，请以楷体加粗标明。我会收到你公司的回复后，将根据情况决定是否再次向你公司发出反馈意见。

一、规范性问题

1、据招股说明书披露，发行人曾在境外设立持股平台，后予以注销。请发行人补充说明：(1)持股平台设立和注销的过程及原因。(2)注销后相关股权的去向，是否存在纠纷。(3)上述过程是否符合外汇管理规定。请保荐机构、发行人律师核查并发表意见，说明核查过程、核查方式。

2、发行人股东林青以其对发行人的借款转为出资，先后两次增资。(1)请保荐机构和发行人律师核查说明上述借款转增资本的经过，包括借款时间、金额及用途，请发行人律师就该等出资方式是否合法发表核查意见；(2)请保荐机构、发行人律师核查说明股东禾丰投资的基本情况，包括股权结构和主营业务。

3、关于发行人历史沿革。发行人由一家集体企业改制而来，改制时曾设立职工持股会。请发行人：
(1)说明改制方案是否经有权部门批准；
(2)补充披露职工持股会清理的过程，是否存在纠纷或潜在纠纷。
请保荐机构、律师核查并发表意见。

4、2003年，青禾有限的外方股东将全部股权转让给境内自然人。
(1)请说明外方股东的基本情况以及转让的原因。
(2)请补充披露转让价款的支付情况及资金来源。
(3)请说明外资企业变更为内资企业时是否补缴了税款。
请保荐机构、律师发表核查意见。

5、请保荐机构、发行人律师补充说明：(1)发行人历次增资的资金来源及其合法性；(2)历次股权转让的定价依据，同期价格差异较大的原因。

6、发行人现有38名股东，其中35名为自然人。请发行人说明：(1)自然人股东在发行人的任职情况；(2)自然人股东之间是否存在关联关系；(4)两名法人股东的股权结构及实际控制人。

7、根据招股说明书披露，股改时的审计机构不具备证券业务资格，发行人已委托其他会计师事务所重新审计。请保荐机构、发行人律师、申报会计师说明重新审计对股改基准日净资产的调整情况，以及对发行人持续经营时间计算的影响，是否构成本次发行的障碍。

8、发行人历史上发生多次股权转让。(1)请发行人说明历次股权转让的价格和定价依据。(2)新增股东为合伙企业的，请发行人说明其合伙人结构；为自然人的，说明其近五年从业经历。(3)招股说明书披露，青禾有限设立时注册资本分两期缴足。
"""

ANNUAL = """关于对青禾智能装备股份有限公司2025年年报的问询函

青禾智能装备股份有限公司董事会：

我部在对你公司2025年年度报告进行审查的过程中，关注到如下事项：

1.年报显示，你公司期末货币资金中有326.50万元被司法冻结。请你公司补充说明以下内容：(1)逐笔说明被冻结资金的原因及冻结起始时间。请年审会计师说明就货币资金真实性执行的审计程序和获取的审计证据。(2)说明被冻结账户的用途，冻结是否影响你公司日常经营。(3)请全面自查是否存在其他风险警示情形。请律师发表明确意见。

2.报告期内，你公司向关联方采购金额为1,280.00万元。请你公司补充披露：1)关联采购的定价依据。2)关联采购金额占同类采购的比例。3)请说明关联采购的必要性。请独立财务顾问和评估师核查并发表明确意见。

3.重组报告书披露，(1)标的公司甲持有乙公司40%股权；(2)乙公司与你公司存在采购往来。请上市公司说明：(1)乙公司的股权结构；(2)往来款的形成原因。请独立财务顾问核查并发表明确意见。

请你公司就上述问题做出书面说明，并在2026年5月20日前将有关说明材料报送我部。

特此函告。

深圳证券交易所
上市公司管理一部
2026年5月10日
"""


def _q(letter, n):
    return next(q for q in letter.questions if q.number == n)


def _top(q):
    return [r for r in q.requests if r.parent is None]


def test_csrc_opening_header_and_addressee_are_not_questions():
    letter = parse_text(CSRC)
    assert [q.number for q in letter.questions] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert all(q.group == "规范性问题" for q in letter.questions)
    assert letter.meta.addressee == "远川证券股份有限公司"
    assert letter.meta.issuer == "青禾智能装备股份有限公司"
    assert letter.meta.exchange == "中国证监会" and letter.meta.board == "创业板"  # 我会: a CSRC notice
    assert letter.meta.date == "2016-03-01"
    assert letter.meta.title == "青禾智能装备股份有限公司创业板首次公开发行股票申请文件反馈意见"
    assert not any("现对你公司推荐" in q.text or "300999" in q.text for q in letter.questions)


def test_items_ending_with_full_stop_then_ask_for_process():
    q = _q(parse_text(CSRC), 1)
    assert [r.id for r in _top(q)] == ["1.(1)", "1.(2)", "1.(3)"]
    assert _top(q)[1].text.startswith("注销后相关股权的去向")
    assert q.background.startswith("据招股说明书披露")
    [v] = q.verification
    assert v.parties == ["保荐机构", "发行人律师"] and v.scope == "全部"
    assert v.scope_ids == ["1.(1)", "1.(2)", "1.(3)"]
    assert "核查过程" in v.demands


def test_numbered_items_addressed_to_the_sponsor_are_requests_and_scoped_asks():
    q = _q(parse_text(CSRC), 2)
    assert [r.id for r in _top(q)] == ["2.(1)", "2.(2)"]
    assert _top(q)[0].text.startswith("请保荐机构和发行人律师核查说明上述借款转增资本的经过")
    assert _top(q)[1].text.startswith("请保荐机构、发行人律师核查说明股东禾丰投资")
    assert q.background == "发行人股东林青以其对发行人的借款转为出资，先后两次增资。"
    asks = [(v.parties, v.scope_ids) for v in q.verification]
    assert (["保荐机构", "发行人律师"], ["2.(1)"]) in asks
    assert (["发行人律师"], ["2.(1)"]) in asks
    assert (["保荐机构", "发行人律师"], ["2.(2)"]) in asks
    assert len(asks) == 3


def test_opening_title_sentence_and_items_on_their_own_lines():
    q = _q(parse_text(CSRC), 3)
    assert q.title == "关于发行人历史沿革"
    assert q.background.startswith("发行人由一家集体企业改制而来")
    assert [r.id for r in _top(q)] == ["3.(1)", "3.(2)"]
    assert _top(q)[1].disclose
    [v] = q.verification
    assert v.parties == ["保荐机构", "律师"] and v.scope_ids == ["3.(1)", "3.(2)"]


def test_items_asking_without_a_subject():
    q = _q(parse_text(CSRC), 4)
    # a first sentence stating a fact is background, not a title
    assert q.background.startswith("2003年，青禾有限的外方股东")
    assert q.title.startswith("2003年，青禾有限")
    assert not q.sections
    assert [(r.id, r.label) for r in _top(q)] == [("4.(1)", "(1)"), ("4.(2)", "(2)"), ("4.(3)", "(3)")]
    assert _top(q)[0].text.startswith("说明外方股东的基本情况")
    assert _top(q)[1].disclose
    [v] = q.verification
    assert v.parties == ["保荐机构", "律师"] and v.scope == "全部" and len(v.scope_ids) == 3


def test_list_introduced_by_an_ask_to_the_intermediaries():
    q = _q(parse_text(CSRC), 5)
    assert [r.id for r in _top(q)] == ["5.(1)", "5.(2)"]
    assert _top(q)[0].text.startswith("发行人历次增资的资金来源")
    [v] = q.verification
    assert v.parties == ["保荐机构", "发行人律师"] and v.scope_ids == ["5.(1)", "5.(2)"]


def test_a_number_skipped_by_the_letter_does_not_merge_items():
    q = _q(parse_text(CSRC), 6)
    assert [r.label for r in _top(q)] == ["(1)", "(2)", "(4)"]
    assert _top(q)[1].text == "自然人股东之间是否存在关联关系；"


def test_question_asking_only_the_intermediaries_keeps_its_content_as_a_request():
    q = _q(parse_text(CSRC), 7)
    [r] = q.requests
    assert r.id == "7" and r.text.startswith("说明重新审计对股改基准日净资产的调整情况")
    [v] = q.verification
    assert v.parties == ["保荐机构", "发行人律师", "申报会计师"] and v.scope_ids == ["7"]


def test_items_with_requests_inside_stay_whole():
    q = _q(parse_text(CSRC), 8)
    assert q.background == "发行人历史上发生多次股权转让。"
    assert [r.label for r in _top(q)] == ["(1)", "(2)", "(3)"]
    assert "为自然人的，说明其近五年从业经历" in _top(q)[1].text
    assert _top(q)[2].text.startswith("招股说明书披露，青禾有限设立时注册资本分两期缴足")


def test_an_ask_inside_an_item_covers_that_item_and_the_list_goes_on():
    letter = parse_text(ANNUAL)
    assert len(letter.questions) == 3
    q = _q(letter, 1)
    assert [r.id for r in _top(q)] == ["1.(1)", "1.(2)", "1.(3)"]
    assert _top(q)[2].text.startswith("全面自查")
    asks = {tuple(v.parties): v.scope_ids for v in q.verification}
    assert asks == {("年审会计师",): ["1.(1)"], ("律师",): ["1.(1)", "1.(2)", "1.(3)"]}


def test_half_bracket_items_inline_with_a_subjectless_item():
    q = _q(parse_text(ANNUAL), 2)
    assert [r.id for r in _top(q)] == ["2.1)", "2.2)", "2.3)"]
    assert all(r.disclose for r in _top(q)[:2])
    [v] = q.verification
    assert v.parties == ["独立财务顾问", "评估师"] and len(v.scope_ids) == 3


def test_a_numbered_list_of_facts_is_background():
    q = _q(parse_text(ANNUAL), 3)
    assert "(1)标的公司甲持有乙公司40%股权" in q.background
    assert [r.id for r in _top(q)] == ["3.(1)", "3.(2)"]
    assert _top(q)[0].text.startswith("乙公司的股权结构")
    assert "书面说明" not in q.text  # the closing paragraph is not part of the last question


def test_web_copy_without_line_breaks():
    runon = "".join(CSRC.split("\n"))
    letter = parse_text(runon)
    assert [q.number for q in letter.questions] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert [r.id for r in _top(_q(letter, 1))] == ["1.(1)", "1.(2)", "1.(3)"]
    assert [r.id for r in _top(_q(letter, 2))] == ["2.(1)", "2.(2)"]


def test_a_single_quoted_item_keeps_its_label():
    text = """关于青禾智能装备股份有限公司注册环节反馈意见落实函中有关财务事项的说明

一、发行人于2015年设立全资子公司禾川科技，2019年将其股权全部转让给关联方。

(4)请发行人结合禾川科技的历史沿革，补充说明转让前后的持股比例及表决权安排，是否符合会计准则关于合并范围的规定。

请申报会计师对问题(4)核查并发表意见。
"""
    letter = parse_text(text)
    [q] = letter.questions
    [r] = q.requests
    assert (r.id, r.label) == ("1.(4)", "(4)") and r.text.startswith("结合禾川科技的历史沿革")
    assert not q.background.endswith("(4)")
    [v] = q.verification
    assert v.parties == ["申报会计师"] and v.scope_ids == ["1.(4)"]


def test_reply_quoting_a_question_wrapped_inside_its_quotation_marks():
    lines = [
        "关于对青禾智能装备股份有限公司2025年年报的问询函的回复",
        "深圳证券交易所上市公司管理一部：",
        "我们接受青禾智能装备股份有限公司的委托，对其2025年度财务报表进行了审计，现就年报问询函",
        "中要求会计师核查的问题答复如下：",
        "一、年报问询函问题“3、(2)请说明本期其他应收款余额增加而坏账准备计提",
        "比例下降的原因，坏账准备计提是否充分。请年审会计师发表意见。”",
        "答复：",
        "本期其他应收款增加主要系支付的投标保证金增加，保证金回收风险较低，计提比例相应下降。",
    ]
    letter = parse_text("\n".join(lines))
    assert letter.kind == "reply"
    [q] = letter.questions
    assert "比例下降的原因" in q.text and "请年审会计师发表意见" in q.text
    assert [v.parties for v in q.verification] == [["年审会计师"]]
    assert q.reply.startswith("本期其他应收款增加")


def test_a_long_intro_naming_a_rule_then_its_list():
    text = """1.关于重大事项提示
请发行人按照《公开发行证券的公司信息披露内容与格式准则第41号——科创板公司招股说明书》的规定，全面梳理“重大事项提示”各项内容，突出重大性，删除冗余表述，并补充以下内容：(1)公司尚未盈利，累计未弥补亏损可能继续扩大；(2)不同业务毛利率差异较大。
"""
    [q] = parse_text(text).questions
    assert [r.id for r in q.requests] == ["1.(1)", "1.(2)"]
    assert q.requests[0].text.startswith("公司尚未盈利")
    assert not any(r.disclose for r in q.requests)  # 披露 in the rule's name is not an ask to disclose



def test_facts_list_then_a_request_list_with_an_ask_inside():
    text = """1.关于标的资产
报告书显示，(1)标的公司甲持有乙公司40%股权；(2)乙公司与上市公司存在采购往来。请上市公司说明：(1)乙公司的股权结构，请独立财务顾问核查并发表意见；(2)往来款的形成原因；(3)往来款的结算安排。请会计师核查并发表明确意见。
"""
    [q] = parse_text(text).questions
    assert "(2)乙公司与上市公司存在采购往来" in q.background
    assert [r.id for r in q.requests] == ["1.(1)", "1.(2)", "1.(3)"]
    asks = {tuple(v.parties): v.scope_ids for v in q.verification}
    assert asks == {("独立财务顾问",): ["1.(1)"], ("会计师",): ["1.(1)", "1.(2)", "1.(3)"]}


def test_a_numbered_verification_list_after_the_issuers_requests_is_no_request():
    text = """1.关于供应商
报告期内贸易型供应商采购占比较高。
请发行人说明：(1)主要供应商变化的原因；(2)票据结算的安排。请保荐机构和申报会计师：(1)核查上述事项并发表明确意见。(2)说明对供应商函证和走访的情况及核查比例。
"""
    [q] = parse_text(text).questions
    assert [r.id for r in q.requests] == ["1.(1)", "1.(2)"]
    [v] = q.verification
    assert v.parties == ["保荐机构", "申报会计师"] and "函证" in v.text



def test_an_item_glued_to_the_previous_one_without_punctuation():
    text = """1.发行人历史上多次增资。请发行人说明：(1)历次增资的价格；(2)增资款的来源(3)补充说明新增股东与发行人客户是否存在关联关系；(4)对问题(2)所述事项提供银行流水。
"""
    [q] = parse_text(text).questions
    assert [r.label for r in q.requests] == ["(1)", "(2)", "(3)", "(4)"]
    assert q.requests[1].text == "增资款的来源"
    assert q.requests[3].text.startswith("对问题(2)所述事项")  # a reference is not an item



def test_attention_letter_asking_the_controlling_shareholder_directly():
    text = """1.关于股份质押
你公司控股股东所持股份质押比例较高。请控股股东说明质押融资的用途及还款安排。请独立董事核查并发表明确意见。
"""
    [q] = parse_text(text).questions
    [r] = q.requests
    assert r.text.startswith("控股股东说明质押融资的用途")  # who is asked stays in the request
    [v] = q.verification
    assert v.parties == ["独立董事"] and v.scope_ids == [r.id]



def test_a_title_run_into_its_body_by_a_copy():
    text = """问题一、关于退市风险截至2026年4月29日，你公司股票收盘价已连续12个交易日低于1元。请公司充分提示股票可能被终止上市的风险。
"""
    [q] = parse_text(text).questions
    assert q.title == "关于退市风险"
    assert q.background.startswith("截至2026年4月29日")



def test_reply_quoting_a_numbered_question_inside_quotation_marks():
    lines = [
        "关于对青禾智能装备股份有限公司年报问询函有关问题的专项说明",
        "深圳证券交易所上市公司管理一部：",
        "作为公司2025年度的会计师，我们对贵部提出的相关问题进行了核查，现说明如下：",
        "1、“1、请详细说明：(1)对应收禾川科技款项可回收性前后判断不一致的原因；(2)结合房产过户进度，说明处置收益确认的依据，并请会计师事务所核查并出具专项意见。”",
        "答复：",
        "禾川科技于2025年末提供了还款计划，公司据此重新评估了回收可能性。",
    ]
    letter = parse_text("\n".join(lines))
    [q] = letter.questions
    assert q.title == "请详细说明" and q.background == ""
    assert [r.id for r in q.requests] == ["1.(1)", "1.(2)"]
    assert q.requests[0].text.startswith("对应收禾川科技款项")
    assert [v.parties for v in q.verification] == [["会计师事务所"]]
    assert q.reply.startswith("禾川科技于2025年末")


# --- topics a practitioner expects for these real-letter shapes (requests in our own words) ---------------

import pytest  # noqa: E402

from drafter.match import match_letter, match_text  # noqa: E402


@pytest.mark.parametrize("text, topic", [
    ("说明青禾有限由外资企业变更为内资企业时是否涉及税收补缴情形", "tax_subsidy"),
    ("说明股东禾丰投资的基本情况，包括股权结构、注册资本、主营业务", "shareholder_verification"),
    ("说明各类服务是否属于一种业务，发行人是否符合主要经营一种业务的发行条件", "business_model"),
    ("逐笔说明被冻结资金的原因、冻结起始时间及存放银行", "litigation_compliance"),
    ("充分提示公司股票可能被终止上市的风险", "disclosure_quality"),
    ("说明协议控制架构搭建、境外上市及私有化退市的过程", "red_chip_foreign"),
    ("补充说明1998年实物出资的具体内容及补充评估的依据", "state_collective_assets"),
    ("说明收购子公司认定为非同一控制下合并的依据", "goodwill_impairment"),
    ("说明终止推进首发上市的原因以及上市辅导的进展", "prior_application"),
])
def test_real_request_shapes_find_their_topic(text, topic):
    assert match_text(text)[0].id == topic


def test_a_request_pointing_back_at_the_facts_takes_their_topic():
    text = """1.申请材料显示，本次交易拟募集配套资金3.2亿元，用于标的公司募投项目建设及补充流动资金，但未披露募投项目的预期收益和资金需求测算依据。请你公司：1)补充披露上述内容。2)补充披露募集配套资金失败的补救措施。请独立财务顾问核查并发表明确意见。
"""
    m = match_letter(parse_text(text))
    first = m.questions[0].requests[0]
    assert first.topics and first.topics[0].id in {"fundraising_projects", "fundraising_scale"}
    assert "背景" in first.topics[0].reason
