"""`drafter bank validate` checks every answer template: syntax, unknown names, a render that fails or
falls back to one placeholder with the example company (a misspelt metric, block or field)."""
from __future__ import annotations

import shutil

from click.testing import CliRunner

from drafter.cli import main
from drafter.compose.template_check import template_problems
from drafter.paths import BANK_DIR, TEMPLATES_DIR


def test_shipped_templates_have_no_problems():
    assert template_problems(TEMPLATES_DIR) == []


def test_broken_templates_are_reported_with_file_and_line(tmp_path):
    tpl = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, tpl)
    answers = tpl / "answers"
    (answers / "gross_margin.j2").write_text("第一行\n{% if x %}\n缺少结束\n", encoding="utf-8")
    (answers / "inventory.j2").write_text("{{ percentt(value('gross_margin')) }}\n", encoding="utf-8")
    (answers / "suppliers.j2").write_text("{{ percent(value('gross_marginn')) }}\n", encoding="utf-8")
    problems = template_problems(tpl)
    assert any(p.startswith(str(answers / "gross_margin.j2")) and "syntax error" in p for p in problems), problems
    assert any("inventory.j2:1: unknown name 'percentt'" in p for p in problems), problems
    assert any("suppliers.j2" in p and ("fails to render" in p or "falls back" in p) for p in problems), problems
    bank = tmp_path / "question_bank"
    shutil.copytree(BANK_DIR, bank)
    res = CliRunner().invoke(main, ["bank", "validate", "--bank", str(bank)])
    assert res.exit_code == 2
    assert "inventory.j2:1: unknown name 'percentt'" in res.output


def test_every_topic_has_its_answer_template():
    from drafter.match.bank import load_bank

    bank = load_bank()
    assert len(bank.topics) == 59
    missing = [tid for tid, t in bank.topics.items() if f"answers/{tid}.j2" not in t.templates
               or not (TEMPLATES_DIR / "answers" / f"{tid}.j2").is_file()]
    assert missing == []
