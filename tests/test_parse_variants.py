"""More letter and reply layouts (synthetic, our own words): sub-questions, groups, part-by-part replies."""
from __future__ import annotations

from drafter.read.clean import clean_text
from drafter.parse import parse_text


def ids(q):
    return [r.id for r in q.requests]


def test_sse_sub_questions_1_1():
    text = """问题1.关于核心技术
1.1 关于技术来源
根据申报材料，发行人核心技术来源于创始团队在原单位的研究积累。
请发行人说明：(1)核心技术的形成过程；(2)是否存在权属纠纷。
请保荐机构、发行人律师核查并发表明确意见。
1.2 根据申报材料，发行人研发人员占比较低。请发行人说明研发人员的认定标准。
请保荐机构核查并发表明确意见。
"""
    q = parse_text(text).questions[0]
    assert [s.label for s in q.sections] == ["1.1", "1.2"]
    assert q.sections[0].title == "关于技术来源"
    assert ids(q) == ["1.1(1)", "1.1(2)", "1.2"]
    assert [(v.parties, v.section, v.scope_ids) for v in q.verification] == [
        (["保荐机构", "发行人律师"], "1.1", ["1.1(1)", "1.1(2)"]),
        (["保荐机构"], "1.2", ["1.2"]),
    ]


def test_groups_with_topic_titles_and_dot_questions():
    text = """一、关于发行人股权结构
1.招股说明书披露，发行人实际控制人通过持股平台间接持股。请发行人说明持股平台的出资来源。请保荐机构核查并发表意见。
2.关于股东特殊权利。请发行人说明对赌协议的解除情况。请保荐机构、发行人律师核查并发表意见。
二、关于财务会计信息
3.关于收入。请发行人说明收入确认时点。请申报会计师核查并发表意见。
"""
    qs = parse_text(text).questions
    assert [q.number for q in qs] == [1, 2, 3]
    assert [q.group for q in qs] == ["关于发行人股权结构", "关于发行人股权结构", "关于财务会计信息"]
    assert qs[1].title == "关于股东特殊权利"
    assert "二、关于财务会计信息" not in qs[1].text
    assert ids(qs[0]) == ["1"] and qs[0].requests[0].text.startswith("说明持股平台")
    assert qs[0].background.startswith("招股说明书披露")


def test_chinese_numeral_questions():
    text = """问题一：关于募集资金用途
请发行人说明募投项目的具体投资构成。
请保荐人核查并发表明确意见。
问题二：关于关联交易
请发行人说明：（1）关联交易的必要性；（2）定价的公允性。
请保荐人、申报会计师核查并发表明确意见。
"""
    qs = parse_text(text).questions
    assert [q.number for q in qs] == [1, 2]
    assert qs[1].title == "关于关联交易"
    assert ids(qs[1]) == ["2.(1)", "2.(2)"]


def test_missing_question_number_is_tolerated():
    text = """1.关于收入
请发行人说明收入增长的原因。
请保荐人发表明确意见。
3.关于成本
请发行人说明成本构成。
请保荐人发表明确意见。
4.关于费用
请发行人说明费用率变动原因。
请保荐人发表明确意见。
"""
    assert [q.number for q in parse_text(text).questions] == [1, 3, 4]


def test_letter_without_numbered_questions():
    text = """关于某某股份有限公司首次公开发行股票并在创业板上市的审核中心意见落实函
某某股份有限公司、某某证券股份有限公司：
请发行人进一步说明：(1)境外收入的真实性；(2)海关数据与境外收入的匹配性。请保荐人、申报会计师核查并发表明确意见。
请发行人在招股说明书“重大事项提示”中补充披露客户集中度较高的风险。
请你公司对上述问题逐项落实，并在十个工作日内提交回复。
"""
    letter = parse_text(text)
    assert letter.meta.round == "落实函"
    assert len(letter.questions) == 2
    assert ids(letter.questions[0]) == ["1.(1)", "1.(2)"]
    assert letter.questions[0].verification[0].parties == ["保荐人", "申报会计师"]
    assert letter.questions[1].requests[0].disclose


def test_reply_answering_each_section_separately():
    text = """关于某某股份有限公司第二轮审核问询函的回复
北京证券交易所：
贵所于2024年5月10日出具的《关于某某股份有限公司公开发行股票并在北交所上市申请文件的第二轮审核问询函》已收悉。
问题1.经营业绩
(1)收入增长。根据问询回复，发行人报告期内收入持续增长。请发行人：①说明收入增长的原因；②说明增长的可持续性。
【回复】
一、收入增长的原因
(1)下游需求增加。公司主要客户的采购量上升。
(2)新产品放量。公司新产品在报告期内实现批量销售。
(2)毛利率。根据问询回复，发行人毛利率高于同行业。请发行人说明毛利率高于同行业的原因。
请保荐机构核查上述事项并发表明确意见。
【回复】
公司毛利率较高主要系产品结构差异所致。
问题2.其他问题
请发行人说明期后业绩情况。
【回复】
公司期后经营情况良好。
"""
    letter = parse_text(text)
    assert letter.kind == "reply"
    q1, q2 = letter.questions
    assert [s.label for s in q1.sections] == ["(1)", "(2)"]
    assert ids(q1) == ["1.(1)①", "1.(1)②", "1.(2)"]
    assert "公司主要客户的采购量上升" in q1.reply and "产品结构差异" in q1.reply
    assert "下游需求增加" not in q1.text
    assert q1.verification[0].scope_ids == ids(q1)
    assert q2.reply == "公司期后经营情况良好。"
    assert letter.meta.date == "2024-05-10"


def test_scope_variants():
    base = """1.关于存货
请发行人说明：(1)存货构成；(2)库龄；(3)跌价准备；(4)盘点情况。
{ask}
"""
    cases = {
        "请申报会计师对问题(1)(3)核查并发表明确意见。": ("(1)(3)", ["1.(1)", "1.(3)"]),
        "请申报会计师核查(2)至(4)并发表明确意见。": ("(2)-(4)", ["1.(2)", "1.(3)", "1.(4)"]),
        "请申报会计师核查（1）、（4）事项并发表明确意见。": ("(1)(4)", ["1.(1)", "1.(4)"]),
        "请申报会计师核查并发表明确意见。": ("全部", ["1.(1)", "1.(2)", "1.(3)", "1.(4)"]),
        "请保荐人、申报会计师：(1)核查上述事项并发表明确意见；(2)说明监盘比例。": ("全部", ["1.(1)", "1.(2)", "1.(3)", "1.(4)"]),
    }
    for ask, (scope, want) in cases.items():
        v = parse_text(base.format(ask=ask)).questions[0].verification[0]
        assert (v.scope, v.scope_ids) == (scope, want), ask


def test_circled_scope_inside_flat_question():
    text = """2.关于应收账款
请发行人说明：①账龄结构；②期后回款；③坏账准备计提比例。
请保荐人核查并发表明确意见，请申报会计师核查②③事项并发表明确意见。
"""
    q = parse_text(text).questions[0]
    assert ids(q) == ["2.①", "2.②", "2.③"]
    assert [(v.parties, v.scope, v.scope_ids) for v in q.verification] == [
        (["保荐人"], "全部", ["2.①", "2.②", "2.③"]),
        (["申报会计师"], "②③", ["2.②", "2.③"]),
    ]


def test_running_headers_at_form_feed_page_breaks():
    pages = []
    for k in range(4):
        pages.append(f"某某公司审核问询函回复\n第{k + 1}段结束。\n第{k + 2}段正文的开头部分说明了报告期内公司主营业务收入的构成及变动情况，并且这一段文字很长以至于跨越了页面的")
    text = clean_text("\f".join(pages) + "\f某某公司审核问询函回复\n第5段结束。")
    assert "某某公司审核问询函回复" not in text
    assert "跨越了页面的第3段结束。" in text


def test_reply_marker_variants():
    for marker in ("回复：", "【回复】", "答复：", "【发行人回复】", "回复说明：", "答："):
        text = f"""问题1.关于收入
请发行人说明收入增长的原因。
请保荐机构核查并发表明确意见。
{marker}
一、收入增长的原因
公司主要产品销量上升。
问题2.关于成本
请发行人说明成本构成。
{marker}
公司成本以直接材料为主。
(以下无正文)
(本页无正文，为某某公司审核问询函回复之签章页)
"""
        letter = parse_text(text)
        assert letter.kind == "reply", marker
        q1, q2 = letter.questions
        assert q1.reply == "一、收入增长的原因\n公司主要产品销量上升。", marker
        assert q2.reply == "公司成本以直接材料为主。", marker
        assert q1.verification[0].parties == ["保荐机构"]


def test_csrc_refinancing_feedback():
    text = """1、根据申报文件，本次发行拟募集资金投向新建生产基地。请申请人补充说明：(1)募投项目是否履行审批或备案程序；(2)募投项目用地是否落实。请保荐机构及律师发表核查意见。
2、请申请人说明部分募投项目由非全资子公司实施时其他股东是否同比例增资。请保荐机构和申请人律师对上述事项进行核查，并发表明确意见。
"""
    q1, q2 = parse_text(text).questions
    assert [r.id for r in q1.requests] == ["1.(1)", "1.(2)"]
    assert q1.background.startswith("根据申报文件")
    assert q1.verification[0].parties == ["保荐机构", "律师"]
    assert [r.id for r in q2.requests] == ["2"]
    assert q2.verification[0].parties == ["保荐机构", "申请人律师"]


def test_fullwidth_digits():
    text = """１．关于收入
请发行人说明：（１）收入确认时点；（２）退货政策。
请申报会计师核查（２）事项并发表明确意见。
"""
    q = parse_text(text).questions[0]
    assert q.number == 1
    assert ids(q) == ["1.(1)", "1.(2)"]
    assert q.requests[0].label == "(1)"
    assert q.verification[0].scope_ids == ["1.(2)"]


def test_every_section_with_its_own_asks():
    text = """问题3.其他事项
(1)关于租赁房产。根据申请文件，发行人主要经营场所为租赁取得。请发行人说明租赁房产的权属情况。请保荐机构和发行人律师核查并发表明确意见。
(2)关于社保缴纳。请发行人说明：①未缴纳社保的人数；②补缴对业绩的影响。
请保荐机构、申报会计师核查上述事项并发表明确意见。
"""
    q = parse_text(text).questions[0]
    assert [(v.parties, v.section, v.scope_ids) for v in q.verification] == [
        (["保荐机构", "发行人律师"], "(1)", ["3.(1)"]),
        (["保荐机构", "申报会计师"], "(2)", ["3.(2)①", "3.(2)②"]),
    ]


def test_parties_not_taken_from_cited_rule_names():
    text = """1.关于历史沿革
请发行人说明股权代持的解除情况。
请保荐人根据《律师事务所从事证券法律业务管理办法》的相关要求核查并发表明确意见。
"""
    v = parse_text(text).questions[0].verification[0]
    assert v.parties == ["保荐人"]
    assert v.rules == ["《律师事务所从事证券法律业务管理办法》"]


def test_reply_excerpt_with_one_question_not_numbered_1():
    text = """目 录
1.关于收入 .............................. 3
2.关于成本 .............................. 9
3.关于客户 .............................. 15
3.关于客户
请发行人说明：(1)前五大客户的变动原因；(2)新增客户的合作背景。
请保荐人发表明确意见。
回复:
一、发行人情况说明
(一)前五大客户的变动原因
报告期内客户结构保持稳定。
二、中介机构核查情况
"""
    letter = parse_text(text)
    assert letter.kind == "reply"
    assert [(q.number, q.title) for q in letter.questions] == [(3, "关于客户")]
    assert ids(letter.questions[0]) == ["3.(1)", "3.(2)"]
    assert letter.questions[0].reply.startswith("一、发行人情况说明")


def test_section_titles_on_their_own_lines():
    text = """问题4.募投项目
(1)关于产能消化
根据申请文件，募投项目达产后新增产能较大。
请发行人说明新增产能的消化措施。
(2)关于效益测算
请发行人说明：①销售单价的取值依据；②毛利率的取值依据。
请保荐机构核查并发表明确意见。
"""
    q = parse_text(text).questions[0]
    assert [(s.label, s.title) for s in q.sections] == [("(1)", "关于产能消化"), ("(2)", "关于效益测算")]
    assert q.sections[0].background == "根据申请文件，募投项目达产后新增产能较大。"
    assert ids(q) == ["4.(1)", "4.(2)①", "4.(2)②"]
    assert q.verification[0].scope_ids == ids(q)


def test_reply_to_inline_questions():
    text = """1.本次募集资金用于扩产项目。请发行人说明新增产能的消化措施。请保荐人核查并发表明确意见。
回复：
公司已取得主要客户的框架协议。
2.请发行人说明最近一期末是否持有财务性投资。请保荐人和会计师核查并发表明确意见。回复：
最近一期末不存在金额较大的财务性投资。
"""
    letter = parse_text(text)
    assert letter.kind == "reply"
    q1, q2 = letter.questions
    assert ids(q1) == ["1"] and q1.reply == "公司已取得主要客户的框架协议。"
    assert ids(q2) == ["2"] and q2.reply == "最近一期末不存在金额较大的财务性投资。"
    assert q2.verification[0].parties == ["保荐人", "会计师"]


def test_question_label_and_title_on_separate_lines():
    text = """问题1
关于核心技术
根据申报材料，发行人拥有多项核心技术。
请发行人说明：（1）核心技术来源；（2）是否存在纠纷。
请保荐机构核查并发表明确意见。
回复：
问题2
关于收入
请发行人说明收入确认政策。
回复：
"""
    letter = parse_text(text)
    q1, q2 = letter.questions
    assert (q1.label, q1.title, q2.label, q2.title) == ("问题1", "关于核心技术", "问题2", "关于收入")
    assert q1.background == "根据申报材料，发行人拥有多项核心技术。"
    assert ids(q1) == ["1.(1)", "1.(2)"] and ids(q2) == ["2"]
    assert q1.reply == "" and q2.reply == ""


def test_issuer_is_not_taken_from_the_offering_words_of_a_title():
    from drafter.parse import parse_text

    text = "关于发行人申请向不特定对象发行可转换公司债券的审核问询函\n\n1.关于募投项目\n请发行人说明本次募投项目的必要性。请保荐人核查并发表明确意见。\n"
    assert parse_text(text).meta.issuer is None
