"""Web copies of letters (issue 10 item 2): page clutter before the letter, a whole letter on one line,
`1)` items, headings real copies use, questions that ask without `请发行人`.

The texts follow the shapes of the real web copies in the dev set (tests/data/real/dev): site menus,
share lines, stock quotes, a numbered headline list before the letter, 事项一 headings, a contents block
whose leaders the PDF extraction dropped. Names and figures are made up.
"""
from __future__ import annotations

from drafter.parse import parse_text


def _shape(letter):
    return [(q.number, q.title, len([r for r in q.requests if r.parent is None])) for q in letter.questions]


RUN_ON = (
    "首页 > 信息披露 > 监管信息公开 > 问询函件\n读取中,请稍候\n分享到： 微信 微博 QQ空间\n"
    "某某科技(688999) 最新价：23.45 涨跌幅：+1.23%\n2023-05-12 15:30:01 来源：上海证券交易所\n"
    "关于某某科技股份有限公司首次公开发行股票并在科创板上市申请文件的审核问询函 上证科审(审核)〔2023〕123号 "
    "某某科技股份有限公司、某某证券股份有限公司： 根据《证券法》《上海证券交易所科创板股票发行上市审核规则》等有关法律、法规及本所有关规定，"
    "本所审核机构对某某科技股份有限公司首次公开发行股票并在科创板上市申请文件进行了审核，并形成了首轮问询问题。 "
    "问题1.关于核心技术 根据申报材料，发行人核心技术来源于合作研发。请发行人说明：（1）核心技术的形成过程；（2）合作研发的具体安排。"
    "请保荐机构核查并发表明确意见。 问题2.关于收入 根据申报材料，报告期内收入增长较快。请发行人说明：1）收入增长的原因；"
    "2）与同行业可比公司的比较情况。 问题3.关于存货 报告期各期末，发行人存货余额较大。请发行人说明存货跌价准备计提的充分性。"
    "请申报会计师核查并发表明确意见。 对本问询函所列问题，请逐项落实。 上海证券交易所 2023年5月12日\n"
)


def test_a_letter_on_one_line_after_page_clutter_keeps_its_opening_and_questions():
    letter = parse_text(RUN_ON)
    m = letter.meta
    assert m.title == "关于某某科技股份有限公司首次公开发行股票并在科创板上市申请文件的审核问询函"
    assert m.number == "上证科审(审核)〔2023〕123号"
    assert m.addressee == "某某科技股份有限公司、某某证券股份有限公司"
    assert m.date == "2023-05-12"
    assert _shape(letter) == [(1, "关于核心技术", 2), (2, "关于收入", 2), (3, "关于存货", 1)]
    q2, q3 = letter.questions[1], letter.questions[2]
    assert [r.id for r in q2.requests] == ["2.1)", "2.2)"]
    assert q3.background == "报告期各期末，发行人存货余额较大。"
    assert [v.parties for v in q3.verification] == [["申报会计师"]]
    assert "逐项落实" not in q3.text and "2023年5月12日" not in q3.text
    assert letter.warnings == []


HEADLINES = """网站首页 | 新闻中心 | 信息披露 | 投资者关系
当前位置：首页 > 监管动态 > 问询函
分享到：
某某股份 600123 12.34 +0.56 +4.75%
2022年06月15日 星期三 09:30
热门文章
1.某某公司发布年度业绩预告
2.某某公司获得政府补助公告
3.某某公司董事辞职公告
4.某某公司股东减持公告
关于对某某股份有限公司2021年年度报告的信息披露监管问询函
上证公函【2022】0567号
某某股份有限公司：
经对你公司2021年年度报告的事后审核，请你公司进一步补充披露下述信息。
1.年报显示，公司2021年实现营业收入5.6亿元，同比下降35%。请公司补充披露：（1）收入下降的原因；（2）主要客户的变化情况。
2.年报显示，公司商誉期末余额2.3亿元。请公司说明商誉减值测试的具体过程。请年审会计师发表意见。
3.年报显示，公司应收账款余额较大。请公司说明坏账准备计提的充分性。
请你公司于2022年6月22日之前披露本问询函，并以书面形式回复我部。
上海证券交易所上市公司管理一部
二〇二二年六月十五日
相关阅读
1.某某公司关于问询函的回复公告
2.某某公司关于年报的更正公告
"""


def test_a_pages_numbered_headlines_are_not_the_questions():
    letter = parse_text(HEADLINES)
    assert [(q.number, len(q.requests)) for q in letter.questions] == [(1, 2), (2, 1), (3, 1)]
    assert letter.meta.title == "关于对某某股份有限公司2021年年度报告的信息披露监管问询函"
    assert letter.meta.number == "上证公函【2022】0567号"
    assert letter.meta.kind == "年报问询函"
    assert not any("某某公司" in q.text for q in letter.questions)


def test_share_line_is_no_addressee_and_a_broken_number_is_joined():
    letter = parse_text(
        "华某:关于对深圳证券交易所关注函回复的公告\n来源:某某信息 2020-02-13 00:00:00\n关注证券之星官方微博:\n"
        "公司于近日收到深圳证券交易所下发的《关于对华某传媒股份有限公司的关注函》(创业板关注 函〔2020〕第 104 号)。\n"
        "1.请你公司进一步说明导致本期业绩大幅亏损的原因。\n2.请你公司说明商誉减值计提的充分性。\n")
    assert letter.meta.addressee is None
    assert letter.meta.number == "创业板关注函〔2020〕第104号"


def test_shi_xiang_headings_of_an_annual_report_reply():
    letter = parse_text(
        "某某股份有限公司关于深圳证券交易所问询函回复的公告\n"
        "事项一:报告期内,你公司前五大客户销售金额为4.94亿元。请你公司:\n"
        "(1)说明客户集中度高的原因和合理性。\n(2)说明公司是否存在对主要客户的重大依赖。\n"
        "事项二:报告期内,你公司存货余额较大。请你公司说明存货跌价准备计提是否充分。\n")
    assert _shape(letter) == [(1, "报告期内", 2), (2, "报告期内", 1)]


def test_a_contents_block_without_leaders_is_no_question_run():
    letter = parse_text(
        "某某股份有限公司\n关于深圳证券交易所中小板公司管理部\n2017 年年报问询函的回复\n目录 页次\n"
        "一、 关于深圳证券交易所中小板公司管理部 1-12\n2017 年年报问询函的回复\n二、 事务所资质证明\n"
        "深圳证券交易所中小板公司管理部:\n根据贵部《中小板年报问询函【2018】第 48 号》,我们对贵部要求会计师回复的问题进行了审慎核查, 现答复如下:\n"
        "问题 4、报告期内,你公司与某某科技有限公司股东达成协议,约定最终股权转让价款。请结合收购背景、协议签订内容等,说明上述事项的相关会计处理。"
        "请年审会计师对相关会计处理发表专项意见。\n")
    assert [(q.number, len(q.requests)) for q in letter.questions] == [(4, 1)]
    assert letter.warnings == ["the first question found is 4: questions 1–3 not in the text (an excerpt, or a statement answering only some questions?)"]
    assert letter.meta.number == "中小板年报问询函【2018】第48号"
    assert letter.meta.kind == "年报问询函"


def test_questions_that_ask_without_qing_fa_xing_ren_keep_one_request():
    letter = parse_text(
        "近日,有媒体刊载报道,我部对此表示高度关注,请你公司核查并做出说明:\n"
        "1、根据报道,你公司部分产品未标明捕捞海域。请对你公司产品进行全面自查,说明相关产品包装标签是否符合行业规定。\n"
        "2、报告期内,你公司控股、参股子公司是否存在房地产相关业务,请保荐机构和律师发表核查意见。\n"
        "3、请保荐机构及申请人律师核查独立董事任职是否符合相关规定并发表意见。\n"
        "4、请你公司说明其他应收款的形成原因。\n")
    qs = letter.questions
    # 3: an ask to verify whether (核查X是否Y并发表意见) stays a verification ask (tests/test_compose_placement.py)
    assert [len(q.requests) for q in qs] == [1, 1, 0, 1]
    assert qs[0].requests[0].text.startswith("对你公司产品进行全面自查")
    assert qs[0].background == "根据报道,你公司部分产品未标明捕捞海域。"
    assert qs[1].requests[0].text.startswith("报告期内,你公司控股、参股子公司是否存在房地产相关业务")
    assert qs[2].verification and qs[2].verification[0].parties == ["保荐机构", "申请人律师"]


def test_an_auditors_statement_quoting_a_question_without_qing():
    letter = parse_text(
        "深圳证券交易所公司管理部:\n根据贵部出具的关注函(公司部关注函〔2020〕第 84 号),要求我所提供的具体事项说明如下:\n"
        "一、说明你公司在资产减值计提中,信用减值损失的项目是否涉及关联交易产生的往来款项;同时说明报告期计提大额商誉减值的合理性。"
        "请年审会计师进行核查并发布明确意见。\n")
    q = letter.questions[0]
    assert len(q.requests) == 1 and q.requests[0].text.startswith("说明你公司在资产减值计提中")
    assert q.background == ""
    assert letter.meta.kind == "关注函"


def test_a_list_whose_first_item_starts_with_a_word_like_xiang_mu():
    letter = parse_text(
        "1、本次募投越南项目在境外开展,请申请人说明:(1)项目是否符合《指导意见》(国办发[2017]74号)的要求,"
        "(2)相关境内外审批手续是否完备,是否符合审批权限要求。请保荐机构和律师发表核查意见。\n"
        "2、请申请人补充披露(1)(2)相关风险。\n")
    assert [r.id for r in letter.questions[0].requests] == ["1.(1)", "1.(2)"]
    assert [r.id for r in letter.questions[1].requests] == ["2"]  # labels naming earlier items, one request


def test_half_paren_items_are_requests_after_an_intro_and_facts_in_background():
    letter = parse_text(
        "1.年报显示，公司存货余额较大：1）原材料1亿元；2）库存商品2亿元。请你公司：\n"
        "1）说明跌价准备计提是否充分；\n2）说明存货周转率下降的原因。\n"
        "2.年报显示，公司应收账款余额较大。请你公司补充说明：1) 前五名欠款方的名称及账龄; 2) 坏账准备计提是否充分。\n")
    q1, q2 = letter.questions
    assert [r.id for r in q1.requests] == ["1.1)", "1.2)"]
    assert "原材料1亿元" in q1.background
    assert [r.id for r in q2.requests] == ["2.1)", "2.2)"]


def test_an_untitled_single_question_keeps_the_facts_before_its_request():
    letter = parse_text(
        "  附-《关于某某(北京)信息技术股份有限公司精选层挂牌申请文件的审查问询函》全文\n\n"
        "  现对由某某证券股份有限公司推荐的某某(北京)信息技术股份有限公司股票在精选层挂牌的申请文件提出问询意见,请发行人与保荐机构予以落实。\n\n"
        "  根据公开发行说明书,2019年度公司先后5次向实际控制人拆借资金,累计发生额2,100万元。\n\n"
        "  请发行人:(1)补充披露实际控制人占用发行人资金的原因。(2)说明上述资金占用行为是否违反公开承诺。\n")
    q = letter.questions[0]
    assert len(letter.questions) == 1 and [r.id for r in q.requests] == ["1.(1)", "1.(2)"]
    assert q.background.startswith("根据公开发行说明书,2019年度")
    assert q.title.startswith("根据公开发行说明书,2019年度")


def test_a_title_broken_by_a_space_in_a_pdf_copy_is_one_title():
    letter = parse_text(
        "上海证券交易所文件 ─────────────── 上证上审(再融资)〔2023〕601 号 关于某某医药发展股份有限公司向特定 对象发行股票申请文件的审核问询函 "
        "某某医药发展股份有限公司、某某证券有限责任公司: 根据《证券法》等有关法律、法规及本所有关规定等,本所审核机构对某某医药发展股份有限公司"
        "向特定对象发行股票申请文件进行了审核,并形成了首轮问询问题。 1.关于本次募投项目必要性 根据申报材料,1)项目将扩大生产规模。2)报告期内,公司主营业务以医药业务为主。"
        "请发行人说明本次募投项目的必要性。 2.关于融资规模 根据申报材料,本次发行拟募集资金不超过10亿元,其中补充流动资金3亿元。"
        "请发行人结合货币资金余额、资产负债率及未来三年资金缺口,说明本次融资规模的合理性。请保荐机构及申报会计师核查并发表明确意见。\n")
    m = letter.meta
    assert m.title == "关于某某医药发展股份有限公司向特定对象发行股票申请文件的审核问询函"
    assert m.offering_kind == "向特定对象发行股票" and m.number == "上证上审(再融资)〔2023〕601号"
    assert [(q.title, len(q.requests)) for q in letter.questions] == [("关于本次募投项目必要性", 1), ("关于融资规模", 1)]


def test_a_question_heading_glued_to_the_paragraph_before_is_split_off():
    letter = parse_text(
        "关于某某股份有限公司首次公开发行股票并在创业板上市申请文件的审核问询函\n某某股份有限公司、某某证券股份有限公司：\n"
        "问题1.关于核心技术\n根据申报材料，发行人核心技术来源于合作研发。请发行人说明：（1）核心技术的形成过程；（2）合作研发的具体安排。"
        "请保荐人核查并发表明确意见。问题2.关于收入 根据申报材料，报告期内收入增长较快。请发行人说明收入增长的原因。\n"
        "问题3.关于存货\n报告期各期末，发行人存货余额较大。请发行人说明存货跌价准备计提的充分性。请申报会计师核查并发表明确意见。"
        "问题4：关于毛利率。报告期内毛利率高于同行业。请发行人说明毛利率较高的原因。\n")
    assert _shape(letter) == [(1, "关于核心技术", 2), (2, "关于收入", 1), (3, "关于存货", 1), (4, "关于毛利率", 1)]
    assert letter.warnings == []


ONE_LINE_PAGE = (
    "首页 > 信息披露 > 监管措施 读取中,请稍候 分享到： 微信 微博 某某控股 000669 2.15 -0.05 2023-05-10 "
    "关于对某某控股集团股份有限公司的关注函 公司部关注函〔2023〕第261号 某某控股集团股份有限公司董事会： "
    "2023年5月9日，你公司披露《关于为子公司提供担保的公告》，称拟为控股子公司提供不超过5亿元的担保。我部对此表示关注，请你公司核实并说明以下事项： "
    "1.请你公司说明被担保方的基本情况，以及其他股东未按出资比例提供担保的原因及合理性。 "
    "2.请你公司结合被担保方的偿债能力，说明本次担保的风险及拟采取的风险控制措施。请独立董事发表意见。 "
    "3.你公司认为应予说明的其他事项。 请你公司就上述问题做出书面说明，在2023年5月15日前将有关说明材料报送我部并对外披露。 "
    "特此函告。 深圳证券交易所上市公司管理一部 2023年5月10日\n"
)


def test_a_whole_page_on_one_line_with_its_menus_and_share_buttons():
    letter = parse_text(ONE_LINE_PAGE)
    m = letter.meta
    assert (m.title, m.number, m.addressee) == (
        "关于对某某控股集团股份有限公司的关注函", "公司部关注函〔2023〕第261号", "某某控股集团股份有限公司董事会")
    assert (m.kind, m.sender, m.date) == ("关注函", "深圳证券交易所上市公司管理一部", "2023-05-10")
    assert [len(q.requests) for q in letter.questions] == [1, 1, 1]
    assert letter.questions[2].requests[0].text == "你公司认为应予说明的其他事项。"
    assert not any("特此函告" in q.text or "稍候" in q.text for q in letter.questions)


def test_a_glued_heading_without_guan_yu_is_split_when_its_number_is_missing():
    letter = parse_text(
        "问题1.关于核心技术\n根据申报材料，发行人核心技术来源于合作研发。请发行人说明核心技术的形成过程。"
        "请保荐人核查并发表明确意见。问题2.收入 根据申报材料，报告期内收入增长较快。请发行人说明收入增长的原因。\n"
        "问题3.关于存货\n报告期各期末，发行人存货余额较大。请发行人说明存货跌价准备计提的充分性。如问题1.所述，合作研发仍在进行。\n")
    assert _shape(letter) == [(1, "关于核心技术", 1), (2, "收入", 1), (3, "关于存货", 1)]


def test_a_bare_question_heading_after_the_contents_is_a_question():
    letter = parse_text(
        "某某科技股份有限公司\n首次公开发行股票并在科创板上市的\n科创板上市委会议意见落实函之回复\n"
        "本回复的字体规定如下:\n落实函所列问题 黑体(不加粗)\n目 录\n"
        "问题1 ............................................3\n问题 2 ............................................7\n"
        "问题1\n请发行人:(1)结合最新经营数据,分析发行人能否实现全年盈利;(2)预计下一年度的经营状况。\n"
        "问题2\n请发行人说明在手订单的覆盖率。\n")
    assert [(q.label, len(q.requests)) for q in letter.questions] == [("问题1", 2), ("问题2", 1)]


def test_a_letter_in_traditional_characters_is_reported_not_silently_misread():
    letter = parse_text(
        "附-《關於某某防務技術股份有限公司精選層掛牌申請文件的審查問詢函》全文\n"
        "某某防務技術股份有限公司並某某證券股份有限公司:\n"
        "一、規範性問題\n問題1.關於涉密信息披露\n"
        "請發行人:(1)說明是否全部供應商、客戶信息均涉及國家秘密;(2)補充披露報告期對主要供應商和客戶採購銷售的具體情況。"
        "請保薦機構、發行人律師核查並發表明確意見。\n")
    assert letter.warnings and letter.warnings[0].startswith("the text is in traditional characters")


def test_the_companys_own_financial_adviser_asked_to_verify_is_no_request():
    letter = parse_text(
        "一、请核实公司在相关重组文件中披露的标的公司财务数据是否真实、准确;\n"
        "二、请核实本次重组中公司聘请的律师是否具有独立性;\n"
        "三、请公司本次重组财务顾问针对上述事项进行核查并发表意见。\n")
    assert [len(q.requests) for q in letter.questions] == [1, 1, 0]
    assert [v.parties for v in letter.questions[2].verification] == [["财务顾问"]]
