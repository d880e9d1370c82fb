"""Shapes of modern exchange letters and replies (2020-2025), each in a synthetic letter of our own words.

Every pattern here was seen in real exchange letters or replies quoting them (审核问询函, 落实函,
年报问询函, 监管工作函, 重组问询函) and once read wrong; the letters below are invented.
"""
from __future__ import annotations

from drafter.parse import parse_text


def _reqs(q):
    return [(r.id, r.label) for r in q.requests]


def test_chinese_numbered_theme_heads_numbered_questions_even_in_an_excerpt():
    # an SSE letter groups questions under 一、关于X; an excerpt may start at question 7
    letter = parse_text(
        "关于甲科技股份有限公司发行股份购买资产申请文件的审核问询函\n"
        "一、关于交易方案\n"
        "7.关于标的公司控制权\n"
        "重组报告书显示，标的公司无控股股东。\n"
        "请公司说明：(1)标的公司控制权的认定依据；(2)本次交易后的治理安排。\n"
        "请独立财务顾问和律师核查并发表明确意见。\n"
        "8.关于业绩承诺\n"
        "请公司说明业绩承诺的可实现性。\n"
    )
    assert [(q.number, q.title, q.group) for q in letter.questions] == [
        (7, "关于标的公司控制权", "关于交易方案"), (8, "关于业绩承诺", "关于交易方案")]
    assert _reqs(letter.questions[0]) == [("7.(1)", "(1)"), ("7.(2)", "(2)")]
    assert letter.questions[0].verification[0].parties == ["独立财务顾问", "律师"]


def test_chinese_numbered_facts_before_numbered_asks_are_their_background():
    # an auditor's reply restates 一、<facts> then 1、请你公司…
    letter = parse_text(
        "一、2025年度，你公司营业收入同比下降60%，扣非后净利润连续两年为负。\n"
        "1、请你公司结合行业情况说明持续经营能力是否存在重大不确定性。请年审会计师核查并发表明确意见。\n"
        "公司回复：\n"
        "公司主要产品的订单已恢复。\n"
    )
    q = letter.questions[0]
    assert letter.kind == "reply"
    assert q.label == "1、" and q.group.startswith("2025年度")
    assert "营业收入同比下降60%" in q.background
    assert [r.text for r in q.requests] == ["结合行业情况说明持续经营能力是否存在重大不确定性。"]
    assert q.verification[0].parties == ["年审会计师"]
    assert q.reply == "公司主要产品的订单已恢复。"


def test_a_bare_shuoming_paragraph_marks_the_answer():
    letter = parse_text(
        "一、发行人于2021年收购乙公司。\n"
        "(2)请发行人说明该收购是否构成非同一控制下企业合并。\n"
        "请申报会计师对问题(2)核查并发表意见。(落实函第1条)\n"
        "说明：\n"
        "(一)收购的背景\n"
        "乙公司原由无关第三方控制。\n"
    )
    q = letter.questions[0]
    assert letter.kind == "reply"
    assert _reqs(q) == [("1.(2)", "(2)")]
    assert q.verification[0].scope == "(2)"
    assert q.reply.startswith("(一)收购的背景")


def test_an_item_opening_with_its_own_intro_is_one_request():
    letter = parse_text(
        "问题1\n根据申报材料，申请人持有多项对外投资，截至报告期末账面价值较大，部分被投资企业正在申请上市。\n"
        "请申请人：(1)测算所投资企业的估值变化；(2)说明相关企业的上市进展；(3)请申请人补充说明如何落实相关承诺。\n"
        "请保荐人和会计师核查并发表明确意见。\n"
    )
    q = letter.questions[0]
    assert _reqs(q) == [("1.(1)", "(1)"), ("1.(2)", "(2)"), ("1.(3)", "(3)")]
    assert q.requests[2].text == "补充说明如何落实相关承诺。"


def test_an_item_addressed_to_the_intermediaries_is_also_an_ask_for_that_item():
    letter = parse_text(
        "1.本次发行对象为控股股东。请申请人补充说明：(1)认购资金来源；(2)认购数量区间；"
        "(3)请保荐机构和律师核查控股股东在定价基准日前六个月是否存在减持。\n"
        "请保荐机构和申请人律师对上述事项核查并发表明确意见。\n"
    )
    q = letter.questions[0]
    assert [r.label for r in q.requests] == ["(1)", "(2)", "(3)"]
    scoped = [v for v in q.verification if v.scope == "(3)"]
    assert scoped and scoped[0].parties == ["保荐机构", "律师"] and scoped[0].scope_ids == ["1.(3)"]
    assert any(v.scope == "全部" and v.parties == ["保荐机构", "申请人律师"] for v in q.verification)


def test_front_matter_asking_to_answer_within_twenty_days_is_no_question():
    letter = parse_text(
        "关于丙股份有限公司公开发行股票并在北交所上市申请文件的审核问询函\n"
        "丙股份有限公司并丁证券股份有限公司：\n"
        "请发行人与保荐机构在20个工作日内对问询意见逐项予以落实，通过审核系统上传问询意见回复文件。\n"
        "问题1.关于经营资质\n"
        "请发行人说明是否取得生产经营所需的全部资质。\n"
    )
    assert [(q.number, q.title) for q in letter.questions] == [(1, "关于经营资质")]


def test_a_reply_copied_in_one_run_is_split_before_its_questions_and_reply_markers():
    run = (
        "戊会计师事务所关于己公司年报问询函的回复 深圳证券交易所：贵部出具的年报问询函奉悉，我们作为年审会计师进行了核查，"
        "现就有关事项回复说明如下： 一、你公司对联营企业的投资未能取得其财务数据，审计报告为保留意见。 请你公司："
        "(1)说明形成该项投资的详细情况；(2)说明未能取得财务数据的原因。请年审会计师核查并发表明确意见。 "
        "公司回复：该项投资形成于2022年，联营企业因股东纠纷未提供报表。我们执行了函证与访谈程序，获取了相关证据，"
        "认为公司的会计处理符合准则的规定，并已在审计报告中说明了保留事项的影响。"
        "联营企业的经营情况稳定，公司已委派董事参与其日常管理，并计划通过协商或诉讼取得其账簿资料。"
        "我们将在后续审计中持续关注上述事项的进展，并根据取得的证据评价其对财务报表的影响。"
        "公司已就该事项履行了信息披露义务，管理层承诺在下一报告期结束前完成对该项投资的清理或处置，"
        "届时将按照处置对价与账面价值的差额确认投资收益，并在定期报告中披露处置的进展和对业绩的影响。"
    )
    letter = parse_text(run)
    q = letter.questions[0]
    assert letter.kind == "reply" and q.label == "一、"
    assert _reqs(q) == [("1.(1)", "(1)"), ("1.(2)", "(2)")]
    assert q.reply.startswith("该项投资形成于2022年")


def test_a_run_on_copy_with_a_contents_list_finds_wenti_yi_headings():
    run = (
        "庚公司向特定对象发行股票落实函的回复 中国证券监督管理委员会、深圳证券交易所：我们对落实函所列问题进行了核查，"
        "现回复如下，请予审核。 目 录 目 录 ........................ 1 问题一 ........................ 2 "
        "问题二 ........................ 9 2-1 问题一 关于财务性投资。根据申请文件，发行人持有一项产业基金份额，账面价值较大。 "
        "请发行人：(1)说明未将该基金认定为财务性投资的理由；(2)说明董事会前六个月至今新投入的财务性投资。"
        " 回复： 一、产业基金的投资情况 发行人于2023年认缴该基金份额，基金投向与发行人主业相关的上下游企业，"
        "发行人派员参与投资决策，投资目的在于获取技术与渠道，而非获取财务收益。基金已投项目共五个，"
        "均为发行人的客户或供应商，相关交易均按市场价格进行。发行人对该基金不具有控制，按权益法核算，"
        "报告期内确认的投资收益金额较小。基金的存续期为七年，发行人没有追加出资的计划，也未对其他合伙人承担保底义务。"
    )
    letter = parse_text(run)
    assert [(q.label, q.title) for q in letter.questions] == [("问题一", "关于财务性投资")]
    assert _reqs(letter.questions[0]) == [("1.(1)", "(1)"), ("1.(2)", "(2)")]


def test_a_title_ended_by_an_ascii_stop_keeps_the_facts_as_background():
    letter = parse_text(
        "1.关于应收账款.年报显示,截至2025年末,公司应收账款账面价值较上年增加30%.\n"
        "请公司:(1)结合信用政策说明应收账款增加的原因;(2)说明坏账准备计提是否充分.\n"
    )
    q = letter.questions[0]
    assert q.title == "关于应收账款"
    assert q.background.startswith("年报显示,截至2025年末")
    assert [r.label for r in q.requests] == ["(1)", "(2)"]


def test_numbered_answer_lines_after_a_wenti_question_are_not_questions():
    letter = parse_text(
        "辛评估有限公司关于年报问询函的书面说明\n"
        "问题 1、请结合评估报告补充说明商誉减值测试的具体过程及关键参数的预测依据。\n"
        "一、资产组的评估情况\n"
        "(一)重要假设\n"
        "1.假设宏观经济形势无重大变化。\n"
        "2.假设利率和税率不发生重大变化。\n"
        "3.假设被评估单位持续经营。\n"
    )
    assert [q.label for q in letter.questions] == ["问题 1、"]
    assert len(letter.questions[0].requests) == 1


def test_a_second_round_letter_is_dated_by_its_own_signature_not_the_first_rounds_date():
    letter = parse_text(
        "关于壬科技股份有限公司首次公开发行股票并在创业板上市申请文件的第二轮审核问询函\n"
        "审核函〔2025〕010999号\n"
        "壬科技股份有限公司：\n"
        "我所于2025年2月10日发出首轮审核问询函，现对你公司的回复提出第二轮审核问询问题。\n"
        "1.关于收入\n"
        "请发行人说明第四季度收入占比较高的原因。\n"
        "请保荐人、申报会计师发表明确意见。\n"
        "深圳证券交易所上市审核中心\n"
        "2025年3月20日\n"
    )
    assert letter.meta.round == "第二轮"
    assert letter.meta.date == "2025-03-20"


def test_a_fact_sentence_after_a_bare_wenti_heading_is_background_not_title():
    letter = parse_text(
        "问题1\n"
        "报告期末，发行人持有交易性金融资产2.3亿元。\n"
        "请发行人补充说明最近一期末是否持有金额较大的财务性投资。\n"
        "请保荐人和会计师核查并发表明确意见。\n"
        "问题2\n"
        "关于累计债券余额\n"
        "请发行人说明本次发行后累计债券余额占净资产的比例。\n"
    )
    q1, q2 = letter.questions
    assert q1.title == "" and q1.background == "报告期末，发行人持有交易性金融资产2.3亿元。"
    assert q2.title == "关于累计债券余额"


def test_an_auditors_statement_quoting_a_numbered_item_keeps_its_label():
    letter = parse_text(
        "关于对某公司年报问询函的回复\n"
        "深圳证券交易所：\n"
        "我们对贵部要求会计师核查的问题进行了核查，现答复如下：\n"
        "一、年报问询函问题“3、(2)请说明存货跌价准备计提是否充分。请年审会计师发表意见。”\n"
        "答复：\n"
        "公司按成本与可变现净值孰低计提跌价准备。\n"
    )
    q = letter.questions[0]
    assert letter.kind == "reply" and q.background == ""
    assert _reqs(q) == [("1.(2)", "(2)")]
    assert q.verification[0].parties == ["年审会计师"] and q.verification[0].scope_ids == ["1.(2)"]
