"""The matcher on the question kinds that real letters showed it missing (issue 10 item 4).

Every phrasing here is our own, short, and not taken from any letter: each test pins a CLASS of
questions (a heading that names the topic, facts that do, a request's main ask against its tails,
a restructuring letter's subject words), so a change that fits one letter and loses the class fails.
"""
from __future__ import annotations

import pytest

from drafter.match import is_heading, match_letter, match_text, split_tails
from drafter.match.bank import load_bank
from drafter.models import Letter, LetterMeta, Question, Request


def _q(number: int, title: str, background: str, asks: list[str], *, heading: bool = True) -> Question:
    """A question as the parser gives it: with a heading (关于X), or untitled (the title is its opening words)."""
    reqs = [Request(id=f"{number}.({i})", label=f"({i})", text=a) for i, a in enumerate(asks, 1)]
    body = background + "请发行人说明:" + "".join(f"({i}){a}" for i, a in enumerate(asks, 1))
    text = body if heading else title + body
    return Question(number=number, label=f"{number}.", title=title, text=text, background=background, requests=reqs)


def _top(q: Question, **meta) -> list[str]:
    m = match_letter(Letter(source="t", meta=LetterMeta(**meta), questions=[q]), load_bank())
    return [t.id for t in m.questions[0].topics]


# ------------------------------------------------------------------ 历史沿革 / 股权变动 (not 前次申报, not 诉讼)
def test_history_heading_with_prior_filing_and_lawsuit_in_the_facts():
    q = _q(1, "关于历史沿革",
           "公司曾于三年前递交上市申请后撤回;一名早期股东就转让款提起过诉讼,已调解结案。",
           ["历次股权转让的价格及确定方式,同一年度内价格不同的原因",
            "前次撤回申请后股东结构的变化",
            "转让双方是否存在纠纷"])
    assert _top(q)[0] == "equity_history"


def test_untitled_equity_transfer_question_with_holding_and_vam_tails():
    q = _q(2, "据申报文件,公司设立后",
           "据申报文件,公司设立后经历多次股权转让,每份出资的作价从一元到数元不等。",
           ["上述转让的作价依据及合理性、款项是否付清,是否存在委托持股、利益输送或对赌等安排"],
           heading=False)
    tops = _top(q)
    assert tops[0] == "equity_history", tops


def test_share_transfer_price_question_is_not_prior_application_or_litigation():
    tops = _top(_q(3, "关于股权变动", "实际控制人向外部投资人低价转让部分股权,相关股东此前涉诉。",
                   ["转让价格低于同期增资价格的原因", "诉讼对股权清晰的影响"]))
    assert tops[0] == "equity_history"
    assert tops.index("equity_history") < min(tops.index(t) for t in ("prior_application", "litigation_compliance") if t in tops)


# ------------------------------------------------------------------ 同业竞争 inside a restructuring letter
def test_horizontal_competition_in_a_restructuring_letter():
    q = _q(1, "交易报告书显示,标的公司",
           "交易报告书显示,标的公司与上市公司控股股东旗下另一企业均经营同类产品。",
           ["交易完成后上市公司与控股股东控制的其他企业之间是否构成竞争,相关承诺能否执行"],
           heading=False)
    tops = _top(q, offering_kind="发行股份购买资产")
    assert tops[0] == "horizontal_competition", tops


def test_restructuring_subject_words_do_not_pull_every_question_to_valuation():
    """标的资产/标的公司 is what a restructuring letter is about, like 发行人 in an IPO letter."""
    q = _q(2, "草案披露,标的资产",
           "草案披露,标的资产所在厂区的土地及厂房已全部为银行借款设定抵押。",
           ["抵押对应的债务、到期安排及抵押权实现对标的资产生产经营的影响"], heading=False)
    tops = _top(q, offering_kind="重大资产重组")
    assert tops[0] == "business_premises", tops


# ------------------------------------------------------------------ 前次募集资金 vs 本次募投项目
def test_prior_proceeds_and_this_offering_projects_are_told_apart():
    prior = _q(1, "关于前次募集资金", "公司上市时募集的资金仍有四成未投入,其中一个项目两次延期。",
               ["前次募集资金投入进度缓慢的原因", "延期是否经过董事会审议并公告"])
    this = _q(2, "关于本次募投项目", "本次拟募资投向新产线建设,达产后产能翻倍。",
              ["本次项目与前次项目的区别,是否重复建设", "新增产能的消化措施"])
    scope = {"offering_kind": "向特定对象发行股票"}
    assert _top(prior, **scope)[0] == "prior_fundraising"
    assert _top(this, **scope)[0] == "fundraising_projects"


# ------------------------------------------------------------------ 对赌 / 特殊权利
@pytest.mark.parametrize("ask", [
    "投资人享有的回购权、优先清算权和反稀释权目前是否已经终止,有无恢复的约定",
    "与投资人约定的业绩对赌及上市期限回购是否已解除,公司是否为义务人",
])
def test_vam_and_special_rights_in_any_phrasing(ask):
    q = _q(1, "投资人入股时", "投资人入股时与实际控制人另行签订了补充约定。", [ask], heading=False)
    assert _top(q)[0] == "vam_special_rights"


# ------------------------------------------------------------------ a request's main ask against its tails
def test_split_tails_keeps_the_subject_and_sets_aside_checks_and_elaborations():
    head, tail = split_tails("说明本年亏损扩大的原因,包括各项减值的计提情况,是否存在以前年度计提不足")
    assert head == "说明本年亏损扩大的原因"
    assert "包括各项减值的计提情况" in tail and "是否存在以前年度计提不足" in tail


def test_an_elaboration_does_not_outvote_the_main_ask():
    tops = [t.id for t in match_text("说明本期业绩大幅亏损的原因,包括商誉减值准备及长期股权投资减值的计提情况")]
    assert tops[0] == "revenue_growth", tops
    assert "goodwill_impairment" in tops[:3]


# ------------------------------------------------------------------ titles that are not headings; no topic at all
@pytest.mark.parametrize("title, ok", [
    ("关于历史沿革", True), ("问题3.关于收入确认", True), ("募投项目", True),
    ("说明你公司在本期计提减值时,应收款项是否涉及", False),
    ("请你公司说明子公司停产的原因", False),
    ("规范性问题", False), ("一、信息披露问题", False), ("與財務會計資料相關的問題", False), ("其他问题", True),
])
def test_is_heading(title, ok):
    assert is_heading(title) is ok


def test_a_wrapped_first_line_is_not_taken_for_the_question_title():
    # the reader took the first printed line for a title: it names 关联交易, the question asks about 商誉
    q = Question(number=1, label="一、", title="说明你公司本期各项减值中,应收款项是否涉及关联",
                 text="方往来,并结合子公司经营状况说明大额计提商誉减值的合理性,是否存在前期商誉减值计提不足。",
                 background="方往来,并结合子公司经营状况说明大额计提商誉减值的合理性,是否存在前期商誉减值计提不足。")
    assert _top(q)[0] == "goodwill_impairment"


def test_a_question_naming_no_topic_is_filed_under_other():
    q = Question(number=4, label="4.", title="", text="请说明在股东大会上投票反对的股东及其理由。",
                 requests=[Request(id="4", label="", text="请说明在股东大会上投票反对的股东及其理由。")])
    m = match_letter(Letter(source="t", questions=[q]), load_bank())
    top = m.questions[0].topics[0]
    assert top.id == "other" and "归入其他" in top.reason


def test_the_first_request_leads_when_the_requests_disagree():
    """Three asks on three topics, each as clear as the others: the question is filed under the first."""
    q = _q(2, "请发行人进一步说明", "",
           ["软件产品升级服务的收入确认时点及会计处理",
            "库存商品跌价准备计提是否充分",
            "用户隐私数据的保护措施及合规性"], heading=False)
    tops = _top(q)
    assert tops[0] == "revenue_recognition", tops


# ------------------------------------------------------------------ a heading decides a vague question
HEADINGS = {
    "关于历史沿革": "equity_history", "关于股权变动": "equity_history", "关于股权转让": "equity_history",
    "关于股权代持": "shareholder_verification", "关于申报前新增股东": "shareholder_verification",
    "关于对赌协议": "vam_special_rights", "关于特殊投资条款": "vam_special_rights",
    "关于同业竞争": "horizontal_competition", "关于关联交易": "related_party", "关于资金占用": "related_party",
    "关于独立性": "independence_dependence", "关于控制权稳定性": "actual_controller",
    "关于员工持股平台": "share_based_payment", "关于劳务派遣": "labor_employment",
    "关于经营资质": "environmental_safety", "关于行政处罚": "litigation_compliance", "关于产业政策": "litigation_compliance",
    "关于土地房产": "business_premises", "关于知识产权": "core_tech_ip", "关于科创属性": "board_positioning",
    "关于委托加工": "outsourcing", "关于经销商": "distribution_channels", "关于财务内控": "third_party_payments",
    "关于资产减值": "goodwill_impairment", "关于市场空间": "industry_competition",
    "关于募集资金用途": "fundraising_projects", "关于前次募集资金": "prior_fundraising", "关于前募": "prior_fundraising",
    "关于业绩承诺": "restructuring_valuation", "关于前次申报": "prior_application", "关于新三板挂牌": "prior_application",
    "关于偿债能力": "bond_balance_solvency", "关于媒体质疑": "other",
    "关于其他应收款": "accounts_receivable",  # not the catch-all because it says 其他
    "关于开发支出": "rd_investment", "关于合同负债": "revenue_recognition", "关于涉密信息豁免披露": "disclosure_quality",
    "关于非标准审计意见": "other", "关于资金池": "related_party", "关于业务、资产、人员、财务、机构的分开": "independence_dependence",
}


@pytest.mark.parametrize("heading, topic", sorted(HEADINGS.items()))
def test_a_heading_files_a_question_whose_requests_say_little(heading, topic):
    q = _q(1, heading, "", ["上述事项的具体情况及合理性", "是否存在纠纷或潜在纠纷"])
    assert _top(q)[0] == topic


# ------------------------------------------------------------------ letters copied from traditional-script pages
def test_traditional_characters_are_matched_as_simplified():
    from drafter.match import normalize

    assert normalize("關於歷史沿革") == "关于历史沿革"
    assert normalize("著作权 乾坤 发行人") == "著作权乾坤发行人"  # simplified text (著, 乾 included) is left alone
    q = _q(1, "關於歷史沿革", "發行人設立後經歷多次股權轉讓。", ["歷次股權轉讓的價格及定價依據", "轉讓款是否已支付"])
    assert _top(q)[0] == "equity_history"
    assert [t.id for t in match_text("說明對賭協議的解除情況,是否存在效力恢復條款")][0] == "vam_special_rights"


def test_the_procedure_ask_every_annual_letter_appends_does_not_decide():
    """`以及履行的审议程序和信息披露义务` follows asks of every kind; the ask before it names the topic."""
    head, tail = split_tails("结合收购背景说明尾款调整的会计处理,以及履行的审议程序和信息披露义务")
    assert "收购背景" in head and tail.startswith("以及履行")
    tops = [t.id for t in match_text("结合收购背景及协议约定,说明收购对价调整的会计处理,以及履行的审议程序和信息披露义务")]
    assert tops[0] == "restructuring_valuation", tops


# ------------------------------------------------------------------ asks of every letter kind, in our words
ASKS = [
    # annual-report and attention letters
    ("说明股票交易异常波动期间是否存在应披露未披露的重大信息", "disclosure_quality"),
    ("核查董事在公告前买卖公司股票的情况,是否涉嫌内幕交易", "litigation_compliance"),
    ("说明控股股东是否非经营性占用公司资金", "related_party"),
    ("说明对外提供财务资助的对象及回收安排", "related_party"),
    ("说明期末短期借款增加而利息支出下降的原因", "bond_balance_solvency"),
    ("说明本次高送转方案与业绩增长是否匹配", "dividend_policy"),
    ("说明员工工资是否存在拖欠", "labor_employment"),
    ("说明更换年审会计师事务所的原因", "other"),
    ("说明子公司是否已经失控,是否仍应纳入合并报表范围", "other"),
    ("说明本期业绩由盈转亏的原因及改善持续经营能力的措施", "revenue_growth"),
    ("说明内部控制被出具否定意见所涉缺陷的整改情况", "litigation_compliance"),
    ("说明生产许可证被吊销对经营的影响", "environmental_safety"),
    # CSRC feedback and exchange IPO letters
    ("说明设立时的资产、业务由前身承继的情况", "equity_history"),
    ("说明历次增资价格的确定方式及公允性", "equity_history"),
    ("说明自然人股东是否超过200人", "shareholder_verification"),
    ("说明投资人的回购权和反稀释权是否已彻底终止", "vam_special_rights"),
    ("说明员工代收货款的金额及整改", "third_party_payments"),
    ("说明商标是否来自控股股东授权,是否存在商标纠纷", "core_tech_ip"),
    ("说明资产是否完整,是否具备完整的业务体系", "independence_dependence"),
    ("说明涉密信息豁免披露的依据", "disclosure_quality"),
    ("说明是否符合进层条件", "board_positioning"),
    ("说明控股股东所作股份锁定承诺的期限", "offering_pricing"),
    # refinancing and restructuring letters
    ("说明前募资金尚未用完又再次融资的必要性", "prior_fundraising"),
    ("说明首发募投项目延期的原因", "prior_fundraising"),
    ("说明扩产的必要性及新增产能的消化措施", "fundraising_projects"),
    ("说明交易完成后是否新增同业竞争", "horizontal_competition"),
    ("说明交易对方穿透至最终出资人的情况", "shareholder_verification"),
    ("说明标的公司历次评估与本次评估的差异", "restructuring_valuation"),
    ("说明收购子公司的作价依据", "restructuring_valuation"),
]


@pytest.mark.parametrize("ask, topic", ASKS)
def test_asks_of_every_letter_kind(ask, topic):
    assert [t.id for t in match_text(ask)][:1] == [topic]
