"""The bundled example letter (examples/letter.txt) parses into the structure it was written with."""
from __future__ import annotations

from pathlib import Path

from drafter.parse import parse_file

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "letter.txt"


def test_example_letter_structure():
    letter = parse_file(EXAMPLE)
    assert letter.kind == "letter"
    m = letter.meta
    assert m.issuer == "青禾智能装备股份有限公司"
    assert m.exchange == "深圳证券交易所"
    assert m.board == "创业板"
    assert m.offering_kind == "向不特定对象发行可转换公司债券"
    assert m.round == "首轮"
    assert m.date == "2026-03-16"
    assert m.number == "审核函〔2026〕020031号"
    assert m.addressee == "青禾智能装备股份有限公司、远川证券股份有限公司"
    assert [q.title for q in letter.questions] == [
        "关于本次募投项目",
        "关于融资规模",
        "关于财务性投资",
        "关于累计债券余额与偿债能力",
        "关于经营业绩",
        "关于应收账款与存货",
        "关于主要客户与供应商",
    ]
    assert [len(q.requests) for q in letter.questions] == [4, 2, 2, 2, 4, 2, 1]
    q1 = letter.questions[0]
    assert [r.disclose for r in q1.requests] == [False, False, False, True]
    assert "产能利用率分别为88.40%" in q1.background
    assert [(v.parties, v.scope, v.scope_ids) for v in q1.verification] == [
        (["保荐人", "申报会计师"], "全部", ["1.(1)", "1.(2)", "1.(3)", "1.(4)"]),
        (["发行人律师"], "(1)", ["1.(1)"]),
    ]
    q3 = letter.questions[2]
    assert q3.verification[0].rules == ["《证券期货法律适用意见第18号》第一条"]
    assert {"核查方法", "核查范围", "取得的证据"} <= set(q3.verification[0].demands)
    q5 = letter.questions[4]
    assert [(v.parties, v.scope, v.scope_ids) for v in q5.verification] == [
        (["保荐人", "申报会计师"], "全部", ["5.(1)", "5.(2)", "5.(3)", "5.(4)"]),
        (["申报会计师"], "(2)(3)", ["5.(2)", "5.(3)"]),
    ]
    q7 = letter.questions[6]
    assert [r.id for r in q7.requests] == ["7"]
    assert q7.verification[0].parties == ["保荐人", "申报会计师", "发行人律师"]
    # the closing lines are not part of question 7
    assert "逐项落实" not in q7.text and "上市审核中心" not in q7.text
