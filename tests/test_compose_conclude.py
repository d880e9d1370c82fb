"""核查意见 for the real-letter shapes: conclusions a practitioner signs, never the request pasted back."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from drafter.compose.conclude import ask_point, conclude, own_text
from drafter.draft import draft_with_summary
from _helpers import nf

HERE = Path(__file__).parent
ROOT = HERE.parent


@pytest.mark.parametrize("request_text, disclose, expected", [
    ("说明标的公司客户集中度较高的原因及合理性", False, ["标的公司客户集中度较高具有合理性"]),
    ("关联交易的必要性及定价公允性；", False, ["关联交易具有必要性", "关联交易定价公允"]),
    ("说明改制方案是否经有权部门批准；", False, ["改制方案【待核实:已/未】经有权部门批准"]),
    ("说明外资企业变更为内资企业时是否补缴了税款。", False, ["外资企业变更为内资企业时【待核实:已/未】补缴税款"]),
    ("注销后相关股权的去向，是否存在纠纷。", False, ["注销后相关股权【待核实:不存在/存在】纠纷"]),
    ("全面自查是否存在其他风险警示情形。", False, ["发行人【待核实:不存在/存在】其他风险警示情形"]),
    ("说明被冻结账户的用途，冻结是否影响你公司日常经营。", False, ["冻结【待核实:不影响/影响】公司日常经营"]),
    ("本次募投项目是否属于高耗能、高排放项目，是否符合国家产业政策；", False,
     ["本次募投项目【待核实:不属于/属于】高耗能、高排放项目", "本次募投项目【待核实:符合/不符合】国家产业政策"]),
    ("说明重新审计对股改基准日净资产的调整情况，是否构成本次发行的障碍。", False, ["上述事项【待核实:不构成/构成】本次发行的障碍"]),
    ("补充披露转让价款的支付情况及资金来源。", True, ["发行人已补充披露转让价款的支付情况及资金来源"]),
    ("持股平台设立和注销的过程及原因。", False, ["发行人已说明持股平台设立和注销的过程及原因,相关情况与核查获取的资料一致"]),
])
def test_conclusions(request_text, disclose, expected):
    assert conclude(request_text, disclose) == expected


def test_item_addressed_to_the_intermediaries():
    text = ("请保荐机构和发行人律师核查说明上述借款转增资本的经过，包括借款时间、金额及用途，"
            "请发行人律师就该等出资方式是否合法发表核查意见；")
    ask = "请发行人律师就该等出资方式是否合法发表核查意见；"
    own = own_text(text, [ask])
    assert own == "上述借款转增资本的经过,包括借款时间、金额及用途"
    assert conclude(own) == ["发行人已说明上述借款转增资本的经过,相关情况与核查获取的资料一致"]
    assert ask_point(ask) == "该等出资方式是否合法"
    assert conclude(ask_point(ask)) == ["该等出资方式【待核实:合法/不合法】"]
    assert ask_point("请保荐机构、律师核查并发表意见。") == ""


def _letters() -> list[Path]:
    spec = importlib.util.spec_from_file_location("rp", HERE / "test_parse_real_patterns.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return [(name, getattr(mod, name)) for name in ("CSRC", "ANNUAL")], sorted((HERE / "data" / "letters").glob("*.txt"))


def _opinions(doc) -> list[str]:
    out, on = [], False
    for b in doc.blocks:
        if b.kind != "paragraph":
            continue
        t = nf(b.text)
        if b.style in ("heading1", "heading2"):
            on = False
        elif b.style == "heading3":
            on = t.endswith("核查意见")
        elif on:
            out.append(t)
    return out


@pytest.fixture(scope="module")
def drafted(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("drafts")
    synthetic, files = _letters()
    out = {}
    for name, text in synthetic:
        p = tmp / f"{name}.txt"
        p.write_text(text, encoding="utf-8")
        files = [p, *files]
    for p in files:
        res = draft_with_summary(p, ROOT / "examples" / "company.yaml", tmp / f"{p.stem}.docx",
                                 allow_other_issuer=True, library=False)
        out[p.stem] = res.document
    return out


def test_real_shapes_concluded_by_the_party_asked(drafted):
    ops = _opinions(drafted["CSRC"])
    assert "经核查,发行人律师针对(1)事项认为:" in ops
    assert "1、该等出资方式【待核实:合法/不合法】。" in ops
    assert "3、上述过程【待核实:符合/不符合】外汇管理规定。" in ops
    assert "1、上述事项【待核实:不构成/构成】本次发行的障碍。" in ops
    ann = _opinions(drafted["ANNUAL"])
    assert "经核查,年审会计师针对(1)事项认为:" in ann
    assert any("货币资金真实【待核实】" in t for t in ann)


def test_no_opinion_line_reads_wrong(drafted):
    lines = [t for doc in drafted.values() for t in _opinions(doc)]
    assert len(lines) > 200
    for t in lines:
        assert "是否" not in t, t
        assert not t.endswith("的【待核实】。"), t
        assert "你公司" not in t, t
        assert not any(f"{w}{w}" in t for w in ("发行人", "申请人", "公司")), t
    # every party named once in a lead
    for doc in drafted.values():
        for t in (nf(b.text) for b in doc.blocks if b.kind == "paragraph"):
            if t.startswith("经核查,") and t.endswith("认为:"):
                who = t[len("经核查,"):].split("针对")[0].removesuffix("认为:")
                assert len(who.split("、")) == len(set(who.split("、"))), t
    # a request is never pasted back as its own conclusion
    body = [t.split("、", 1)[1] for t in lines if t[:1].isdigit() and "、" in t]
    assert not any(t.startswith(("请", "说明", "补充说明", "补充披露")) for t in body)


def test_procedures_capped_and_on_topic(drafted):
    doc = drafted["CSRC"]
    blocks, on, count, counts = doc.blocks, False, 0, []
    for b in blocks:
        if b.kind != "paragraph":
            continue
        t = nf(b.text)
        if t.endswith("履行了以下核查程序:"):
            if on:
                counts.append(count)
            on, count = True, 0
        elif on and t[:1].isdigit():
            count += 1
        elif on:
            counts.append(count)
            on = False
    assert counts and max(counts) <= 10
    text = nf("\n".join(b.text for b in blocks if b.kind == "paragraph"))
    assert "执行收入截止性测试" not in text  # an equity-history letter lists no revenue procedures


def test_topics_for_procedures_by_score():
    from drafter.compose.verify import _topics_in_scope

    scores = {"": {"equity_history": 48.7, "revenue_verification": 15.7, "shareholder_verification": 11.3},
              "1.(1)": {"equity_history": 54.6, "red_chip_foreign": 33.3},
              "1.(2)": {"shareholder_verification": 74.7, "financial_investment": 26.0}}
    # most relevant first; a topic never strong in scope lends nothing
    assert _topics_in_scope(["1.(1)", "1.(2)"], {}, [], scores) == ["equity_history", "shareholder_verification"]
    assert _topics_in_scope(["1.(1)"], {}, [], scores) == ["equity_history"]  # red_chip 33.3: under half the best
    # matched only to `other` or weakly: no bank topic (generic steps and a placeholder follow)
    assert _topics_in_scope(["1"], {}, [], {"": {"other": 80.0}, "1": {"pricing": 12.0}}) == []


def test_weak_match_gets_generic_procedures_and_a_placeholder():
    from drafter.match.bank import load_bank
    from drafter.compose.context import build_names
    from drafter.compose.verify import GENERIC, verification_blocks
    from drafter.models import Letter, Question, Request, Verification

    q = Question(number=1, label="1.", title="关于其他", text="1.关于其他\n请发行人说明X。",
                 requests=[Request(id="1", label="", text="说明公司名称变更的原因")],
                 verification=[Verification(text="请保荐机构核查并发表明确意见", parties=["保荐机构"])])
    names = build_names(Letter(source="x", questions=[q]), None)
    blocks = verification_blocks(q, names, {"1": ["other"]}, ["other"], load_bank().topics,
                                 scores={"": {"other": 40.0}, "1": {"other": 40.0}})
    text = [nf(b.text) for b in blocks if b.kind == "paragraph"]
    assert any(nf(GENERIC["sponsor"][0]) in t for t in text)
    assert any("问题库未提供本题的专门核查程序" in t for t in text)
    assert "1、公司名称变更的原因合理【待核实】。" in text
