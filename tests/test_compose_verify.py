"""Section 二 (核查程序/核查意见): parties in the letter's words, scopes honoured, conclusions mirrored."""
from __future__ import annotations


import pytest

from drafter.match.bank import load_bank
from drafter.compose import compose_reply
from drafter.compose.context import build_names
from drafter.compose.verify import groups, mirror, verification_blocks
from drafter.document import Paragraph, Table
from drafter.match import match_letter
from drafter.models import Letter, Question, Request, Verification
from drafter.parse import parse_file
from drafter.render.style import HouseStyle
from _helpers import nf


@pytest.mark.parametrize("request_text, expected", [
    ("说明是否存在将研发人员和其他人员混同的情形", ["发行人【待核实:不存在/存在】将研发人员和其他人员混同的情形"]),
    ("结合上述内容,进一步说明公司的核心竞争力,是否属于成长型创新创业企业、是否符合创业板定位。",
     ["发行人【待核实:属于/不属于】成长型创新创业企业", "发行人【待核实:符合/不符合】创业板定位"]),
    ("说明坏账准备计提是否充分", ["坏账准备计提【待核实:充分/不充分】"]),
    ("最近一期末是否持有金额较大的财务性投资", ["最近一期末【待核实:未持有/持有】金额较大的财务性投资"]),
    ("说明发行人的研发实力及原因", []),  # nothing to mirror: the caller writes a placeholder conclusion
    # a clause without a subject takes what the clause before named
    ("说明现有各主要产品所处的生命周期,是否属于当前市场主流产品", ["发行人现有各主要产品【待核实:属于/不属于】当前市场主流产品"]),
    ("说明研发人员的划分标准,是否存在与生产人员混同的情形", ["发行人研发人员【待核实:不存在/存在】与生产人员混同的情形"]),
    ("说明报告期内公司营业收入增长的原因及合理性,与同行业可比公司增长趋势是否一致",
     ["公司营业收入增长与同行业可比公司增长趋势【待核实:一致/不一致】"]),
    # the predicate stops before a list item that asks for something else; two 是否 asks joined by 、
    ("说明主要原材料是否存在供应紧张、长期供货的稳定性", ["主要原材料【待核实:不存在/存在】供应紧张"]),
    ("比较分析采购价格与市场价格是否存在重大差异、各期采购价格是否存在重大差异",
     ["采购价格与市场价格【待核实:不存在/存在】重大差异", "各期采购价格【待核实:不存在/存在】重大差异"]),
    ("说明对万帮数字、ABB等主要客户是否构成依赖", ["对万帮数字、ABB等主要客户【待核实:不构成/构成】依赖"]),
])
def test_mirror(request_text, expected):
    assert mirror(request_text) == expected


def question(verification, n_requests=3):
    reqs = [Request(id=f"1.({i})", label=f"({i})", text=f"说明事项{i}是否存在异常的情形") for i in range(1, n_requests + 1)]
    return Question(number=1, label="1.", title="关于测试", text="1.关于测试\n请发行人说明。", requests=reqs,
                    verification=verification)


def test_parties_with_different_scopes_get_separate_blocks():
    q = question([
        Verification(text="请保荐机构核查并发表明确意见", parties=["保荐机构"]),
        Verification(text="请申报会计师和律师核查(2)并发表明确意见", parties=["申报会计师", "律师"], scope="(2)",
                     scope_ids=["1.(2)"]),
    ])
    gs = groups(q)
    assert [(g.who, g.label, g.ids) for g in gs] == [
        ("保荐机构", None, ["1.(1)", "1.(2)", "1.(3)"]),
        ("申报会计师、律师", "(2)", ["1.(2)"]),
    ]
    names = build_names(Letter(source="x", questions=[q]), None)
    text = [nf(b.text) for b in verification_blocks(q, names, {}, [], {}) if isinstance(b, Paragraph)]
    assert "保荐机构履行了以下核查程序:" in text
    assert "申报会计师、律师针对(2)事项履行了以下核查程序:" in text
    assert "经核查,申报会计师、律师针对(2)事项认为:" in text
    i = text.index("经核查,申报会计师、律师针对(2)事项认为:")
    assert text[i + 1] == "1、事项2【待核实:不存在/存在】异常的情形。"  # only the request in scope
    assert len([t for t in text[i + 1:] if t.startswith(("1、", "2、", "3、"))]) == 1
    assert "保荐人" not in " ".join(text)


def test_same_scope_parties_share_one_block_in_house_order():
    q = question([Verification(text="请申报会计师、保荐人核查并发表明确意见", parties=["申报会计师", "保荐人"])])
    gs = groups(q)
    assert len(gs) == 1 and gs[0].who == "保荐人、申报会计师"


def test_no_verification_no_section_two():
    q = question([])
    names = build_names(Letter(source="x", questions=[q]), None)
    assert verification_blocks(q, names, {}, [], {}) == []


def test_procedures_come_from_the_bank_per_party_kind():
    bank = load_bank()
    q = question([Verification(text="请保荐人、申报会计师核查", parties=["保荐人", "申报会计师"])], 1)
    names = build_names(Letter(source="x", questions=[q]), None)
    blocks = verification_blocks(q, names, {"1.(1)": ["financial_investment"]}, ["financial_investment"], bank.topics)
    text = [nf(b.text) for b in blocks if isinstance(b, Paragraph)]
    fi = bank.topics["financial_investment"]
    assert any(nf(fi.procedures["sponsor"][0]).rstrip(";。") in t for t in text)
    assert any(nf(fi.procedures["auditor"][0]).rstrip(";。") in t for t in text)
    assert not any(nf(p).rstrip(";。") in t for p in fi.procedures.get("lawyer", []) for t in text)


def test_workpapers_and_ratio_demands():
    bank = load_bank()
    q = question([Verification(text="请保荐人核查,说明核查方法、核查比例,并提供工作底稿", parties=["保荐人"],
                               demands=["核查方法", "核查比例"], workpapers=True)], 1)
    names = build_names(Letter(source="x", questions=[q]), None)
    blocks = verification_blocks(q, names, {"1.(1)": ["accounts_receivable"]}, [], bank.topics, ["2024", "2025"])
    heads = [nf(b.text) for b in blocks if isinstance(b, Paragraph) and b.style == "heading3"]
    assert heads == ["(一)核查程序", "(二)核查意见", "(三)核查方法、核查范围、核查比例及取得的证据", "(四)工作底稿"]
    ratio = next(b for b in blocks if isinstance(b, Table))
    assert ratio.header[0][2] == "函证金额" and ratio.header[0][5] == "回函比例"
    assert [r[0] for r in ratio.rows] == ["2025年", "2024年"]  # latest first
    evidence = bank.topics["accounts_receivable"].evidence
    text = " ".join(nf(b.text) for b in blocks if isinstance(b, Paragraph))
    assert evidence and nf(evidence[0]).rstrip(";。") in text


def test_bse_letter_003_without_company_data(reply003):
    """北交所 second round: 保荐机构 throughout, scoped asks, and no company data at all (placeholders, no crash)."""
    letter = parse_file(reply003)
    doc = compose_reply(letter, None, match_letter(letter), HouseStyle())
    text = nf("\n".join(b.text for b in doc.blocks if isinstance(b, Paragraph)))
    assert doc.title == "关于温州聚星科技股份有限公司公开发行股票并在北交所上市申请文件的第二轮审核问询函的回复"
    assert "招股说明书(申报稿)" in text and "募集说明书" not in text  # an IPO on 北交所
    assert "保荐机构(主承销商)" in text
    assert "保荐人" not in text
    assert "北京证券交易所:" in text
    heads = [b for b in doc.blocks if isinstance(b, Paragraph) and b.style == "heading1"]
    assert len(heads) == len(letter.questions) == 6
    subs = [b for b in doc.blocks if isinstance(b, Paragraph) and b.style == "heading3" and not nf(b.text).endswith(("核查程序", "核查意见"))]
    assert len(subs) >= len(letter.requests)
    scoped = [v for q in letter.questions for v in q.verification if v.scope != "全部"]
    assert scoped
    assert any("针对" in line and "事项履行了以下核查程序" in line for line in text.splitlines())


def test_each_demand_gets_its_table_or_section():
    q = question([Verification(text="请保荐人、申报会计师说明监盘比例、走访情况,并结合资金流水核查情况发表意见",
                               parties=["保荐人", "申报会计师"], demands=["监盘", "走访", "资金流水核查"])], 1)
    names = build_names(Letter(source="x", questions=[q]), None)
    blocks = verification_blocks(q, names, {}, [], {}, ["2025", "2026H1"])
    tables = [b for b in blocks if isinstance(b, Table)]
    assert [t.header[0][-1] for t in tables] == ["走访比例", "监盘比例"]
    assert [r[0] for r in tables[1].rows] == ["2026年6月末", "2025年末"]
    assert all(t.notes for t in tables)
    heads = [nf(b.text) for b in blocks if isinstance(b, Paragraph) and b.style == "heading3"]
    assert heads[-1] == "(四)关于资金流水核查"
