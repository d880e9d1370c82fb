"""drafter.compose.templating: sandboxed Jinja, missing data as visible placeholders, company strings as data only."""
from __future__ import annotations

from decimal import Decimal

import pytest

from drafter.document import Paragraph, Table
from drafter.errors import UserError
from drafter.compose.templating import render_blocks, render_parts, text_to_blocks


@pytest.fixture()
def tdir(tmp_path):
    (tmp_path / "answers").mkdir()
    return tmp_path


def write(tdir, name, body):
    (tdir / "answers" / name).write_text(body, encoding="utf-8")
    return f"answers/{name}"


def test_paragraphs_placeholders_tables_and_headings(tdir):
    name = write(tdir, "t.j2", '{{ h4("概况") }}\n截至{{ d }},金额为{{ amount(x) }}万元,'
                 '比例为{{ percent(p) }}。\n\n{{ table("t1") }}\n第二段{{ ph("原因") }}')
    t1 = Table(header=[["项目", "金额"]], rows=[["A", "1.00"]])
    blocks = render_blocks(name, {"d": "2022年末", "x": Decimal("9897.8"), "p": None}, {"t1": t1}, tdir)
    assert [b.kind for b in blocks] == ["paragraph", "paragraph", "table", "paragraph"]
    assert blocks[0].style == "heading4" and blocks[0].text == "概况"
    p = blocks[1]
    assert p.text == "截至2022年末,金额为9,897.80万元,比例为【待补充:比例】。"
    assert [r.placeholder for r in p.runs] == [False, True, False]
    assert blocks[2] is t1
    assert blocks[3].runs[-1].placeholder and blocks[3].runs[-1].text == "【待补充:原因】"


def test_undefined_variable_printed_becomes_placeholder_run_in_place(tdir):
    name = write(tdir, "u.j2", "净资产为{{ company.financials.net_assets_parent }}万元。")
    blocks = render_blocks(name, {"company": {}}, {}, tdir)
    assert len(blocks) == 1 and isinstance(blocks[0], Paragraph)
    assert [r.placeholder for r in blocks[0].runs] == [False, True, False]
    assert blocks[0].runs[1].text == "【待补充:公司数据“financials.net_assets_parent”】"


def test_undefined_variable_used_in_logic_becomes_placeholder_paragraph(tdir):
    name = write(tdir, "w.j2", "{% if ratio > 30 %}超过{% else %}未超过{% endif %}30%。")
    blocks = render_blocks(name, {}, {}, tdir)
    assert len(blocks) == 1
    run = blocks[0].runs[0]
    assert run.placeholder and "ratio" in run.text and run.text.startswith("【待补充")


def test_company_strings_are_data_never_template_source(tdir):
    name = write(tdir, "s.j2", "公司名称:{{ name }}。")
    evil = "{{ 7*7 }}{% for x in range(3) %}x{% endfor %}\ue002table\ue003t1\n【伪造】\ue000ph\ue001"
    blocks = render_blocks(name, {"name": evil}, {"t1": Table(header=[["a"]], rows=[])}, tdir)
    assert len(blocks) == 1 and blocks[0].kind == "paragraph"
    text = blocks[0].text
    assert "{{ 7*7 }}" in text and "49" not in text  # printed, not evaluated
    assert not any(r.placeholder for r in blocks[0].runs)  # no structure injected from data
    assert "\ue000" not in text and "\ue002" not in text


def test_sandbox_blocks_unsafe_attribute_access(tdir):
    name = write(tdir, "x.j2", "{{ obj.__class__.__mro__ }}\n\n{{ obj.__init__.__globals__ }}")
    blocks = render_blocks(name, {"obj": object()}, {}, tdir)
    text = "".join(b.text for b in blocks)
    assert "<class" not in text and "<built-in" not in text and "builtins" not in text
    assert all(r.placeholder for b in blocks for r in b.runs)  # refused access shows as a gap to fill
    name = write(tdir, "y.j2", "{{ ''.__class__.__subclasses__() }}")
    blocks = render_blocks(name, {}, {}, tdir)
    assert "subclasses" not in "".join(b.text for b in blocks) or blocks[0].runs[0].placeholder


def test_missing_or_broken_template_is_a_user_error(tdir):
    with pytest.raises(UserError):
        render_blocks("answers/nope.j2", {}, {}, tdir)
    name = write(tdir, "b.j2", "{% if %}")
    with pytest.raises(UserError) as e:
        render_blocks(name, {}, {}, tdir)
    assert "b.j2" in str(e.value)


def test_parts_split_by_keywords(tdir):
    name = write(tdir, "p.j2", "总述。\n{{ part(\"前六个月|扣除\") }}\n窗口期。\n{{ part(\"最近一期末|30%\") }}\n期末。")
    parts = render_parts(name, {}, {}, tdir)
    assert [p.keywords for p in parts] == [[], ["前六个月", "扣除"], ["最近一期末", "30%"]]
    assert parts[1].score("董事会决议日前六个月至今,是否已扣除") == 2
    assert [b.text for p in parts for b in p.blocks] == ["总述。", "窗口期。", "期末。"]


def test_text_to_blocks_joins_wrapped_lines():
    blocks = text_to_blocks("第一行\n接续\n\n第二段")
    assert [b.text for b in blocks] == ["第一行接续", "第二段"]


def test_shipped_answer_templates_render_without_company(tmp_path):
    """Every shipped template renders with no company data at all: placeholders, never a crash."""
    from drafter.compose import computed
    from drafter.compose.context import build_names
    from drafter.models import Letter
    from drafter.paths import TEMPLATES_DIR

    names = build_names(Letter(source="x"), None)
    for path in sorted((TEMPLATES_DIR / "answers").glob("*.j2")):
        topic = path.stem
        ctx, tables = computed.context_for(topic, None, names)
        blocks = render_blocks(f"answers/{path.name}", ctx, tables)
        assert blocks, topic
        assert any(r.placeholder for b in blocks if isinstance(b, Paragraph) for r in b.runs), topic


def test_share_table_leaves_the_share_of_a_missing_amount_to_fill():
    from drafter.compose.computed import MISSING, share_table

    items = [("内销", {"2022H1": None, "2021": Decimal("32654.85")}),
             ("外销", {"2022H1": None, "2021": Decimal("10340.71")})]
    t = share_table(items, ["2022H1", "2021"], "销售区域", None)
    assert t.rows[0] == ["内销", MISSING, MISSING, "32,654.85", "75.95%"]
    assert t.rows[-1] == ["合计", MISSING, MISSING, "42,995.56", "100.00%"]
