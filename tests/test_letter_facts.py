"""The letter's own facts — form, kind, sender, round, subject word, parties — read once by the parser
(LetterMeta) and used as given by the draft. Letters here are short ones written for the test."""
from __future__ import annotations

from pathlib import Path

import pytest

from drafter.compose import compose_reply
from drafter.compose.context import build_names
from drafter.company.check import letter_vs_company
from drafter.company import load_company
from drafter.parse import parse_text
from drafter.parse.facts import clean_number

ROOT = Path(__file__).resolve().parent.parent

NEEQ_LETTER = """关于北辰精密制造股份有限公司向不特定合格投资者公开发行股票并在精选层挂牌申请文件的审查问询函

北辰精密制造股份有限公司、华泰联合证券有限责任公司：
现对北辰精密制造股份有限公司（以下简称发行人）向不特定合格投资者公开发行股票并在精选层挂牌申请文件提出问询意见如下。

问题1.关于收入确认
根据申请文件，发行人主要产品为精密轴承。请发行人说明：（1）各类产品收入确认的时点及依据；（2）报告期内是否存在跨期确认收入的情形。
请保荐机构、会计师核查并发表明确意见。

问题2.关于毛利率
请发行人说明报告期内毛利率高于同行业可比公司的原因。
请保荐机构核查并发表明确意见。

全国中小企业股份转让系统有限责任公司
2020年9月18日
"""

CSRC_RESTRUCTURING = """中国证监会行政许可项目审查一次反馈意见通知书
192233号
东岳新材料股份有限公司：
我会依法对你公司提交的《东岳新材料股份有限公司发行股份购买资产并募集配套资金核准》行政许可申请材料进行了审查，现需要你公司就有关问题作出书面说明和解释，并在30个工作日内向我会行政许可受理部门提交书面回复意见。

1.申请文件显示，标的公司报告期内客户集中度较高。请你公司补充披露标的公司前五大客户的销售情况及稳定性。请独立财务顾问和会计师核查并发表明确意见。

2.请你公司补充披露本次交易完成后上市公司与标的公司在业务上的整合计划。请独立财务顾问核查并发表明确意见。

中国证券监督管理委员会
上市公司监管部
2019年6月3日
"""

CSRC_IPO_FAXINGREN = """中国证监会行政许可项目审查一次反馈意见通知书
181999号
南岭电子股份有限公司：
我会依法对你公司提交的《南岭电子股份有限公司首次公开发行股票并上市》行政许可申请材料进行了审查，现需要你公司就有关问题作出书面说明和解释。

一、规范性问题
1、请发行人说明报告期内股权变动的原因及定价依据。请保荐机构、发行人律师核查并发表意见。
2、请发行人补充披露主要客户的基本情况。请保荐机构核查并发表意见。

中国证券监督管理委员会
发行监管部
2018年4月2日
"""

FOURTH_ROUND = """关于苏河医疗科技股份有限公司首次公开发行股票并在科创板上市申请文件的第四轮审核问询函

上证科审（审核）〔2022〕301号

苏河医疗科技股份有限公司、国信证券股份有限公司：

1.关于收入
请发行人说明2022年1-6月收入下降的原因。
请保荐机构、申报会计师核查并发表明确意见。

上海证券交易所
2022年8月1日
"""


def test_neeq_letter_is_answered_to_quanguo_zhuanggongsi():
    letter = parse_text(NEEQ_LETTER, "neeq.txt")
    m = letter.meta
    assert m.sender == "全国中小企业股份转让系统有限责任公司"
    assert m.exchange == "全国中小企业股份转让系统有限责任公司"
    assert m.kind == "审查问询函" and m.form == "offering" and m.subject == "发行人"
    assert m.parties == {"sponsor": "保荐机构", "auditor": "会计师"}
    names = build_names(letter, None)
    assert names.authority == "贵公司"
    doc = compose_reply(letter, None, None, None, full_width=False)
    texts = [b.text for b in doc.blocks if b.kind == "paragraph"]
    assert "全国中小企业股份转让系统有限责任公司:" in texts
    assert not any("深圳证券交易所" in t for t in texts)
    assert any(t.startswith("贵公司于2020年9月18日出具的《") and "审查问询函" in t for t in texts)


def test_csrc_restructuring_feedback_is_answered_by_the_listed_company_and_its_advisor():
    letter = parse_text(CSRC_RESTRUCTURING, "csrc_restr.txt")
    m = letter.meta
    assert m.form == "restructuring"
    assert m.sender == "中国证券监督管理委员会上市公司监管部"
    assert m.parties["financial_advisor"] == "独立财务顾问"
    names = build_names(letter, None)
    assert names.authority == "贵会"
    assert names.addressee == "中国证券监督管理委员会"
    doc = compose_reply(letter, None, None, None, full_width=False)
    texts = "\n".join(b.text for b in doc.blocks if b.kind == "paragraph")
    assert "独立财务顾问" in texts
    assert "保荐机构(主承销商)" not in texts and "申请人说明" not in texts


def test_csrc_ipo_letter_that_says_faxingren_is_answered_by_the_faxingren():
    letter = parse_text(CSRC_IPO_FAXINGREN, "csrc_ipo.txt")
    assert letter.meta.form == "csrc"
    assert letter.meta.subject == "发行人"
    assert letter.meta.sender == "中国证券监督管理委员会发行监管部"
    names = build_names(letter, None)
    assert names.subject == "发行人"
    doc = compose_reply(letter, None, None, None, full_width=False)
    texts = "\n".join(b.text for b in doc.blocks if b.kind == "paragraph")
    assert "一、发行人说明" in texts and "申请人说明" not in texts


def test_fourth_round_is_read_as_such():
    letter = parse_text(FOURTH_ROUND, "r4.txt")
    assert letter.meta.round == "第四轮"
    assert letter.meta.kind == "第四轮审核问询函"
    assert letter.meta.number == "上证科审（审核）〔2022〕301号"


@pytest.mark.parametrize("raw, clean", [
    ("审核函〔2023〕010019号", "审核函〔2023〕010019号"),
    ("审核函﹝2023﹞010019号", "审核函﹝2023﹞010019号"),
    ("上证科审（审核）〔2024〕57号", "上证科审（审核）〔2024〕57号"),
    ("公司部年报问询函〔2024〕第136号", "公司部年报问询函〔2024〕第136号"),
    ("181562号", "181562号"),
    ("日出具的审核函〔2021〕", None),
    ("日出具的审核函〔2021〕120号", None),
    ("贵所下发的审核问询函〔2022〕289 号", None),
    ("〔2022〕", None),
])
def test_a_letter_number_is_kept_only_when_read_cleanly(raw, clean):
    assert clean_number(raw) == clean


def test_garbled_number_is_not_pasted_into_the_opening():
    text = FOURTH_ROUND.replace("上证科审（审核）〔2022〕301号", "根据贵所下发的审核问询函〔2022〕289 号")
    letter = parse_text(text, "g.txt")
    assert letter.meta.number is None
    doc = compose_reply(letter, None, None, None, full_width=False)
    texts = "\n".join(b.text for b in doc.blocks if b.kind == "paragraph")
    assert "289" not in texts
    assert "【待补充:问询函文号】" in texts or "问询函文号" in texts


def test_letter_and_company_file_disagreements_are_one_line_each():
    company = load_company(ROOT / "examples" / "company.yaml")  # 深交所 创业板, a convertible bond
    letter = parse_text(FOURTH_ROUND, "r4.txt")  # 上交所 科创板 IPO
    warnings = letter_vs_company(letter.meta, company)
    assert any("上海证券交易所" in w and "深圳证券交易所" in w for w in warnings)
    assert any("科创板" in w and "创业板" in w for w in warnings)
    assert any("首次公开发行" in w for w in warnings)
    anonymous = parse_text("1.关于收入\n请发行人说明收入增长的原因。\n请保荐人核查并发表明确意见。\n", "x.txt")
    warnings = letter_vs_company(anonymous.meta, company)
    assert any("names no issuer" in w and "青禾智能装备股份有限公司" in w for w in warnings)
    assert all("\n" not in w for w in warnings)
