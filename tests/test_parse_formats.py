"""Small synthetic letters (our own words) in each format real letters use."""
from __future__ import annotations

from drafter.parse import parse_text


def ids(q):
    return [r.id for r in q.requests]


CSRC = """中国证监会行政许可项目审查一次反馈意见通知书
250101号
青松电子股份有限公司：
我会依法对你公司提交的首次公开发行股票并上市行政许可申请材料进行了审查，现需要你公司就有关问题作出书面说明和解释。
一、规范性问题
1、关于历史沿革。申报材料显示，发行人2015年由有限公司整体变更设立。请发行人说明整体变更时是否存在累计未弥补亏损，净资产折股是否合规。请保荐机构、发行人律师核查并发表意见。
2、关于关联交易。报告期内发行人向关联方采购原材料。请发行人补充披露：（1）关联采购的定价依据；（2）关联采购占同类采购的比例。请保荐机构、会计师核查并发表意见。
二、信息披露问题
3、请发行人补充披露报告期各期前五名客户变化的原因。请保荐机构核查并发表意见。
三、与财务会计资料相关的问题
4、关于存货。请发行人说明：1）存货跌价准备的计提方法；2）发出商品的期后结转情况。请保荐机构、会计师核查并发表意见。
"""


def test_csrc_groups_and_numbering():
    letter = parse_text(CSRC)
    qs = letter.questions
    assert [q.number for q in qs] == [1, 2, 3, 4]
    assert [q.label for q in qs] == ["1、", "2、", "3、", "4、"]
    assert [q.group for q in qs] == ["规范性问题", "规范性问题", "信息披露问题", "与财务会计资料相关的问题"]
    assert qs[0].title == "关于历史沿革"
    assert ids(qs[0]) == ["1"]
    assert qs[0].requests[0].text.startswith("说明整体变更时")
    assert qs[0].background == "申报材料显示，发行人2015年由有限公司整体变更设立。"
    assert ids(qs[1]) == ["2.(1)", "2.(2)"]
    assert all(r.disclose for r in qs[1].requests)  # 请发行人补充披露: applies to every item
    assert qs[1].verification[0].parties == ["保荐机构", "会计师"]
    assert ids(qs[2]) == ["3"] and qs[2].requests[0].disclose
    assert ids(qs[3]) == ["4.1)", "4.2)"]
    assert [r.label for r in qs[3].requests] == ["1)", "2)"]
    assert qs[0].verification[0].parties == ["保荐机构", "发行人律师"]
    assert letter.meta.exchange == "中国证监会"
    assert letter.meta.addressee == "青松电子股份有限公司"


SSE = """关于星河微电子股份有限公司首次公开发行股票并在科创板上市申请文件的审核问询函
上证科审（审核）〔2025〕101号
星河微电子股份有限公司、华东证券股份有限公司：
根据相关规定，本所审核机构对星河微电子股份有限公司首次公开发行股票并在科创板上市申请文件进行了审核，现提出如下问询问题。
问题 1.关于核心技术
根据申报材料，发行人的核心技术包括低功耗电源管理与高精度模拟前端设计。
请发行人说明：1)核心技术的来源及形成过程；2)核心技术在主要产品中的应用情况；3)与同行业可比公司的技术比较。
请保荐机构核查并发表明确意见。
问题 2.关于收入确认
请发行人说明报告期内收入确认政策是否与合同条款一致。
请保荐机构、申报会计师核查并发表明确意见，并说明核查方法、核查比例及取得的证据，同时提供相关工作底稿。
请发行人及保荐机构对上述问题逐项落实并在规定期限内提交回复。
上海证券交易所
2025年4月18日
"""


def test_sse_wenti_space_and_half_paren_requests():
    letter = parse_text(SSE)
    m = letter.meta
    assert m.exchange == "上海证券交易所" and m.board == "科创板" and m.offering_kind == "首次公开发行股票"
    assert m.number == "上证科审（审核）〔2025〕101号"
    assert m.date == "2025-04-18"
    assert m.issuer == "星河微电子股份有限公司"
    assert m.round == "首轮"
    q1, q2 = letter.questions
    assert q1.label == "问题 1." and q1.title == "关于核心技术"
    assert ids(q1) == ["1.1)", "1.2)", "1.3)"]
    assert q1.requests[2].text == "与同行业可比公司的技术比较。"
    assert ids(q2) == ["2"]
    v = q2.verification[0]
    assert v.parties == ["保荐机构", "申报会计师"]
    assert v.workpapers
    assert {"核查方法", "核查比例", "取得的证据"} <= set(v.demands)
    # the closing paragraph is not part of the last question
    assert "逐项落实" not in q2.text and "上海证券交易所" not in q2.text


INLINE = """1.关于毛利率
申报材料显示，报告期内发行人毛利率分别为30.12%、28.45%和26.30%。
请发行人说明：（1）毛利率持续下降的原因；（2）与同行业可比公司的差异及原因；（3）是否存在进一步下滑的风险。
请保荐人、申报会计师核查并发表明确意见。
2.关于期间费用
请发行人说明：(1)销售费用率低于同行业的原因;(2)研发费用的归集方法，是否存在将生产成本计入研发费用的情形。
请申报会计师核查上述(2)事项并发表明确意见。
"""


def test_inline_runs_and_fullwidth_brackets():
    letter = parse_text(INLINE)
    q1, q2 = letter.questions
    assert ids(q1) == ["1.(1)", "1.(2)", "1.(3)"]
    assert [r.label for r in q1.requests] == ["(1)", "(2)", "(3)"]
    assert q1.requests[1].text == "与同行业可比公司的差异及原因；"
    assert ids(q2) == ["2.(1)", "2.(2)"]
    v = q2.verification[0]
    assert v.parties == ["申报会计师"] and v.scope == "(2)" and v.scope_ids == ["2.(2)"]


BACKGROUND_ITEMS = """3.关于客户集中度
申报材料显示：
(1)报告期内，发行人向前五大客户销售占比分别为61.20%、65.35%和70.02%。
(2)发行人第一大客户为其股东控制的企业。
请发行人：
(1)说明客户集中度逐年上升的原因；
(2)说明与第一大客户交易的定价公允性，并在招股说明书中补充披露相关交易的必要性；
(3)说明是否对第一大客户存在重大依赖。
请保荐人、申报会计师和发行人律师发表明确意见。
"""


def test_numbered_background_items_are_facts():
    q = parse_text(BACKGROUND_ITEMS).questions[0]
    assert q.number == 3
    assert ids(q) == ["3.(1)", "3.(2)", "3.(3)"]
    assert "61.20%" in q.background and "股东控制的企业" in q.background
    assert q.requests[0].text == "说明客户集中度逐年上升的原因；"
    assert [r.disclose for r in q.requests] == [False, True, False]
    assert q.verification[0].parties == ["保荐人", "申报会计师", "发行人律师"]
    assert q.sections == []


SECTIONS = """问题2.收入真实性与毛利率

（1）境外销售的真实性。根据申请文件，①报告期内境外收入占比由12.5%升至31.8%；②境外客户多为贸易商。请发行人：①说明境外收入增长的原因；②说明境外贸易商的终端销售情况。

(2)毛利率高于可比公司的合理性。根据问询回复，发行人毛利率高于可比公司平均水平。请发行人说明：①按产品列示毛利率的变动；②量化分析原材料价格变动的影响；③说明毛利率是否可持续。

(3)存货跌价准备。请发行人说明存货跌价准备计提是否充分。

(4)研发费用。请发行人：①说明研发人员的认定标准；②说明研发费用的归集范围。

请保荐机构核查上述事项并发表明确意见。请申报会计师核查上述(2)-(4)事项，核查第(2)之②事项，说明核查方法、核查范围、核查比例及结论，并提供相关工作底稿。
"""


def test_themed_sections_and_scoped_asks():
    q = parse_text(SECTIONS).questions[0]
    assert q.label == "问题2." and q.title == "收入真实性与毛利率"
    assert [s.label for s in q.sections] == ["(1)", "(2)", "(3)", "(4)"]
    assert q.sections[0].title == "境外销售的真实性"
    assert "贸易商" in q.sections[0].background
    assert ids(q) == ["2.(1)①", "2.(1)②", "2.(2)①", "2.(2)②", "2.(2)③", "2.(3)", "2.(4)①", "2.(4)②"]
    assert q.sections[2].request_ids == ["2.(3)"]
    v_all, v_acc = q.verification
    assert v_all.parties == ["保荐机构"] and v_all.scope == "全部" and len(v_all.scope_ids) == 8
    assert v_acc.parties == ["申报会计师"]
    assert v_acc.scope == "(2)-(4)"
    assert v_acc.scope_ids == ["2.(2)①", "2.(2)②", "2.(2)③", "2.(3)", "2.(4)①", "2.(4)②"]
    assert v_acc.workpapers
    assert {"核查方法", "核查范围", "核查比例", "核查结论"} <= set(v_acc.demands)


def test_scope_of_one_item_of_a_section():
    text = SECTIONS.replace("请申报会计师核查上述(2)-(4)事项，核查第(2)之②事项，", "请申报会计师核查第(2)之②事项，")
    q = parse_text(text).questions[0]
    v = q.verification[1]
    assert v.scope == "第(2)之②" and v.scope_ids == ["2.(2)②"]


RULES = """1.关于财务性投资
申报材料显示，发行人持有一家产业基金的份额。
请发行人说明最近一期末是否持有金额较大的财务性投资。
请保荐人和申报会计师根据《再融资业务若干问题解答》第15问、《证券期货法律适用意见第18号》第一条的规定核查并发表明确意见。
"""


def test_cited_rules():
    q = parse_text(RULES).questions[0]
    assert ids(q) == ["1"]
    v = q.verification[0]
    assert v.rules == ["《再融资业务若干问题解答》第15问", "《证券期货法律适用意见第18号》第一条"]
    assert v.parties == ["保荐人", "申报会计师"]


WEB = """读取中,请稍候
00-00 00:00:00
--.--
0.00 (0.000%)
昨收盘:0.000今开盘:0.000最高价:0.000最低价:0.000
某某科技:关于收到审核问询函的公告 下载公告
公告日期:2025-05-06
关于某某科技股份有限公司首次公开发行股票并在创业板上市申请文件的审核问询函
审核函〔2025〕010888号
某某科技股份有限公司、南山证券股份有限公司：
1.关于业务模式
请发行人说明经销模式下收入确认的具体时点。
请保荐人、申报会计师发表明确意见。
深圳证券交易所上市审核中心
2025年5月6日
附件:公告原文
返回页顶
"""


def test_web_page_chrome_is_dropped():
    letter = parse_text(WEB)
    assert len(letter.questions) == 1
    q = letter.questions[0]
    assert ids(q) == ["1"]
    assert "上市审核中心" not in q.text and "返回页顶" not in q.text
    m = letter.meta
    assert m.number == "审核函〔2025〕010888号"
    assert m.date == "2025-05-06"
    assert m.board == "创业板" and m.exchange == "深圳证券交易所"
    assert m.addressee == "某某科技股份有限公司、南山证券股份有限公司"


SUBITEMS = """2.关于应收账款
请发行人说明：
(1)应收账款的账龄分布，包括：
①一年以内的金额及占比；
②一年以上的金额及占比；
(2)坏账准备计提的充分性。
请保荐人、申报会计师发表明确意见。
"""


def test_sub_items_on_their_own_lines():
    q = parse_text(SUBITEMS).questions[0]
    top = [r.id for r in q.requests if r.parent is None]
    assert top == ["2.(1)", "2.(2)"]
    subs = [(r.id, r.parent) for r in q.requests if r.parent]
    assert subs == [("2.(1)①", "2.(1)"), ("2.(1)②", "2.(1)")]
    assert q.verification[0].scope_ids == ["2.(1)", "2.(2)"]


LUOSHI = """关于某某新材料股份有限公司首次公开发行股票并在主板上市的审核中心意见落实函
1.关于募投项目
请发行人进一步说明新增产能的消化措施，并在招股说明书“重大事项提示”中补充披露相关风险。
请保荐人核查并发表明确意见。
"""


def test_luoshi_round_and_disclose():
    letter = parse_text(LUOSHI)
    assert letter.meta.round == "落实函" and letter.meta.board == "主板"
    r = letter.questions[0].requests[0]
    assert r.id == "1" and r.disclose


RESTRUCTURE = """关于东岳重工股份有限公司发行股份购买资产并募集配套资金申请的审核问询函
问题1.关于标的资产评估
请上市公司说明：(1)收益法评估中预测收入增长率的依据；(2)折现率取值的合理性。
请独立财务顾问、评估师核查并发表明确意见。
"""


def test_restructuring_parties():
    letter = parse_text(RESTRUCTURE)
    assert letter.meta.offering_kind == "发行股份购买资产"
    q = letter.questions[0]
    assert ids(q) == ["1.(1)", "1.(2)"]
    assert q.verification[0].parties == ["独立财务顾问", "评估师"]


def test_disclosure_facts_are_not_asks():
    text = """1.关于信息披露
申报材料显示，发行人已披露主要客户名称。
请发行人：
(1)说明招股说明书已披露的客户数量与实际是否一致；
(2)说明相关公司公开披露的采购金额与发行人销售金额存在差异的原因；
(3)补充披露前五大客户的基本情况。
(4)说明相关风险是否已充分披露；
(5)进一步分析并披露客户集中度较高的原因，并作重大事项提示。
请保荐人发表明确意见。
"""
    q = parse_text(text).questions[0]
    assert [r.disclose for r in q.requests] == [False, False, True, False, True]


def test_no_question_gives_empty_letter():
    assert parse_text("这是一段普通的文字，没有任何问询问题。").questions == []
    assert parse_text("").questions == []


def test_ids_unique_with_two_intros():
    text = """1.关于收入
请发行人说明：(1)收入确认时点；(2)退货政策。请发行人补充披露：(1)前五大客户情况。
请保荐人发表明确意见。
"""
    q = parse_text(text).questions[0]
    assert ids(q) == ["1.(1)", "1.(2)", "1.(1)#2"]
    assert q.requests[2].disclose


REFINANCING = """关于某某电气股份有限公司申请向特定对象发行股票的审核问询函
审核函〔2025〕020123号
某某电气股份有限公司：
1.本次发行拟募集资金不超过80,000.00万元，用于储能变流器扩产项目和补充流动资金。请发行人补充说明：（1）扩产项目与现有业务的区别和联系；（2）结合在手订单说明新增产能的消化措施；（3）补充流动资金比例是否符合《证券期货法律适用意见第18号》第五条的规定。请保荐人核查并发表明确意见，请会计师核查（2）（3）并发表明确意见。
2.截至最近一期末，发行人持有其他权益工具投资3,000.00万元。请发行人说明最近一期末是否持有金额较大的财务性投资，自本次发行董事会决议日前六个月至今是否存在新投入的财务性投资。请保荐人和会计师核查并发表明确意见。
请你公司对上述问题逐项落实，并在十五个工作日内提交回复。
深圳证券交易所上市审核中心
2025年6月3日
"""


def test_refinancing_letter_with_inline_questions():
    letter = parse_text(REFINANCING)
    m = letter.meta
    assert m.offering_kind == "向特定对象发行股票" and m.round == "首轮" and m.date == "2025-06-03"
    q1, q2 = letter.questions
    assert q1.title == "本次发行拟募集资金不超过80,000.00万元"
    assert q1.background.startswith("本次发行拟募集资金")
    assert ids(q1) == ["1.(1)", "1.(2)", "1.(3)"]
    assert [(v.parties, v.scope, v.scope_ids) for v in q1.verification] == [
        (["保荐人"], "全部", ["1.(1)", "1.(2)", "1.(3)"]),
        (["会计师"], "(2)(3)", ["1.(2)", "1.(3)"]),
    ]
    assert ids(q2) == ["2"]
    assert q2.verification[0].parties == ["保荐人", "会计师"]
    assert "逐项落实" not in q2.text


RESTRUCTURING_SZ = """关于某某科技股份有限公司发行股份购买资产并募集配套资金申请的审核问询函
一、关于交易方案
问题1.报告书显示，本次交易标的为某某新能源100%股权。请你公司补充披露：1）交易作价的确定依据；2）业绩承诺的可实现性。请独立财务顾问、评估师核查并发表明确意见。
二、关于标的资产
问题2.报告书显示，标的公司报告期内存在客户集中的情况。请上市公司说明对主要客户是否存在重大依赖。请独立财务顾问、会计师和律师核查并发表明确意见。
"""


def test_restructuring_letter_with_groups():
    letter = parse_text(RESTRUCTURING_SZ)
    q1, q2 = letter.questions
    assert (q1.group, q2.group) == ("关于交易方案", "关于标的资产")
    assert ids(q1) == ["1.1)", "1.2)"] and all(r.disclose for r in q1.requests)
    assert q1.verification[0].parties == ["独立财务顾问", "评估师"]
    assert ids(q2) == ["2"]
    assert q2.verification[0].parties == ["独立财务顾问", "会计师", "律师"]
    assert "二、关于标的资产" not in q1.text


def test_rule_citations_with_article_numbers():
    text = """1.关于收入
请发行人说明收入确认政策。
请保荐人、申报会计师根据《监管规则适用指引——发行类第5号》5-15、《首发业务若干问题解答》问题15以及《监管规则适用指引——发行类第4号》第4-11条核查并发表明确意见。
"""
    v = parse_text(text).questions[0].verification[0]
    assert v.rules == [
        "《监管规则适用指引——发行类第5号》5-15",
        "《首发业务若干问题解答》问题15",
        "《监管规则适用指引——发行类第4号》第4-11条",
    ]
