"""Random text never crashes the cleaner or the parser (hypothesis)."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafter.read.clean import clean_text
from drafter.models import Letter
from drafter.parse import parse_text

# pieces real letters are made of, so random mixes hit the parser's branches
PIECES = [
    "1.关于收入", "问题2.", "问题 3.关于X", "一、规范性问题", "1、", "2、", "(1)", "（2）", "(3)", "①", "②", "1)", "2)",
    "请发行人:", "请发行人说明：", "请发行人补充披露", "请保荐人、申报会计师核查并发表明确意见。", "请保荐机构和律师核查上述(1)事项",
    "核查第(2)之②事项", "(2)-(4)", "回复:", "【回复】", "8-1-4", "8-1-3-12", "申报材料显示:", "。", "；", ";", "\n", "\n\n",
    "《再融资业务若干问题解答》第15问", "工作底稿", "已披露", "披露", "AgSnO", "2", "In", "……… 3", "关于", "审核函〔2023〕010019号",
    "深圳证券交易所:", "2023年1月11日", "（本页无正文", "说明", "的原因及合理性", "报告期内", "12.34%", "5,678.90万元",
]

texty = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=60).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texty)
def test_random_letter_like_text_never_crashes(text):
    letter = parse_text(text)
    assert isinstance(letter, Letter)
    ids = [r.id for r in letter.requests]
    assert len(ids) == len(set(ids))
    for q in letter.questions:
        for v in q.verification:
            assert set(v.scope_ids) <= {r.id for r in q.requests}


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_unicode_never_crashes(text):
    assert isinstance(clean_text(text), str)
    assert isinstance(parse_text(text), Letter)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_arbitrary_bytes_as_file(tmp_path_factory, data):
    from drafter.errors import UserError
    from drafter.parse import parse_file

    p = tmp_path_factory.mktemp("fz") / "x.txt"
    p.write_bytes(data)
    try:
        parse_file(p)
    except UserError:
        pass
