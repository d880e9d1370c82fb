"""The question bank: the real bank against schema and taxonomy; validate on crafted bad banks."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from drafter.match.bank import load_bank, load_taxonomy, validate_bank
from drafter.cli import main
from drafter.errors import UserError
from drafter.paths import BANK_DIR

TAXONOMY = textwrap.dedent(
    """\
    groups: {finance: 财务会计, other: 其他}
    topics:
      - {id: accounts_receivable, group: finance, name: 应收账款, scope: 信用政策}
      - {id: inventory, group: finance, name: 存货, scope: 库龄}
      - {id: other, group: other, name: 其他, scope: 其他}
    """
)


def topic_yaml(tid: str, name: str, group: str = "finance", exemplars=("说明信用政策是否发生变化",),
               templates=(), extra: str = "") -> str:
    ex = "".join(f"\n  - {e}" for e in exemplars) or " []"
    tpl = "".join(f"\n  - {t}" for t in templates) or " []"
    return (f"id: {tid}\nname: {name}\ngroup: {group}\nkeywords:\n  {name}: 3\nexemplars:{ex}\n"
            f"templates:{tpl}\n{extra}")


@pytest.fixture
def good_bank(tmp_path: Path) -> Path:
    bank = tmp_path / "question_bank"
    bank.mkdir()
    (tmp_path / "templates" / "answers").mkdir(parents=True)
    (tmp_path / "templates" / "answers" / "inventory.j2").write_text("存货", encoding="utf-8")
    (bank / "_taxonomy.yaml").write_text(TAXONOMY, encoding="utf-8")
    (bank / "accounts_receivable.yaml").write_text(topic_yaml("accounts_receivable", "应收账款"), encoding="utf-8")
    (bank / "inventory.yaml").write_text(
        topic_yaml("inventory", "存货", exemplars=["说明存货库龄及跌价准备计提是否充分"],
                   templates=["answers/inventory.j2"]), encoding="utf-8")
    (bank / "other.yaml").write_text(topic_yaml("other", "其他", group="other", exemplars=[]), encoding="utf-8")
    return bank


# --------------------------------------------------------------------------------- the real bank
def test_real_bank_covers_the_taxonomy():
    bank = load_bank()
    tax = load_taxonomy()
    assert len(tax.topics) == 59
    assert set(tax.topics) <= set(bank.topics), sorted(set(tax.topics) - set(bank.topics))
    for tid, t in bank.topics.items():
        assert t.id == tid
        assert t.group == tax.topics[t.parent or tid].group
        assert bank.files[tid].name == f"{tid}.yaml"
    # every topic says something the matcher can use
    thin = [tid for tid, t in bank.topics.items() if tid != "other" and (len(t.keywords) < 5 or len(t.exemplars) < 3)]
    assert not thin, thin


def test_real_bank_is_valid_apart_from_templates_still_being_written():
    problems = validate_bank()
    # templates/answers/*.j2 are written concurrently by the compose helper: tolerate only those
    others = [p for p in problems if "missing template" not in p]
    assert others == []
    for p in problems:  # and even those name a file and a line
        file, line, _ = p.split(":", 2)
        assert file.endswith(".yaml") and int(line) > 0


def test_real_bank_triggers_name_known_metrics():
    bank = load_bank()
    with_triggers = {tid for tid, t in bank.topics.items() if t.triggers}
    assert {"accounts_receivable", "revenue_growth", "customer_concentration", "gross_margin"} <= with_triggers


def test_load_bank_is_cached_until_a_file_changes(good_bank: Path):
    b1 = load_bank(good_bank)
    assert load_bank(good_bank) is b1
    f = good_bank / "inventory.yaml"
    f.write_text(f.read_text(encoding="utf-8") + "aliases: [库存]\n", encoding="utf-8")
    b2 = load_bank(good_bank)
    assert b2 is not b1 and b2.topics["inventory"].aliases == ["库存"]
    assert list(b2.topics) == ["accounts_receivable", "inventory", "other"]  # taxonomy order


def test_crafted_good_bank_validates(good_bank: Path):
    assert validate_bank(good_bank) == []
    res = CliRunner().invoke(main, ["bank", "validate", "--bank", str(good_bank)])
    assert res.exit_code == 0, res.output
    assert "OK" in res.output


# ------------------------------------------------------------------------------- crafted problems
def _problems(bank: Path) -> list[str]:
    return validate_bank(bank)


def test_unknown_id_is_reported_with_file_and_line(good_bank: Path):
    (good_bank / "warranty.yaml").write_text(topic_yaml("warranty", "质保金", exemplars=["说明质保金的计提"]),
                                             encoding="utf-8")
    probs = _problems(good_bank)
    hit = [p for p in probs if "warranty.yaml:1:" in p and "unknown topic id 'warranty'" in p]
    assert hit, probs
    with pytest.raises(UserError) as e:
        load_bank(good_bank)
    assert "warranty" in str(e.value)


def test_child_topic_with_known_parent_is_accepted(good_bank: Path):
    (good_bank / "inventory_count.yaml").write_text(
        topic_yaml("inventory_count", "存货监盘", exemplars=["说明存货监盘的范围与比例"], extra="parent: inventory\n"),
        encoding="utf-8")
    assert _problems(good_bank) == []
    assert load_bank(good_bank).topics["inventory_count"].parent == "inventory"


def test_missing_template_is_reported(good_bank: Path):
    f = good_bank / "accounts_receivable.yaml"
    f.write_text(topic_yaml("accounts_receivable", "应收账款", templates=["answers/accounts_receivable.j2"]),
                 encoding="utf-8")
    probs = _problems(good_bank)
    line = f.read_text(encoding="utf-8").splitlines().index("  - answers/accounts_receivable.j2") + 1
    assert any(p.startswith(f"{f}:{line}:") or f":{line}: missing template 'answers/accounts_receivable.j2'" in p
               for p in probs), probs


def test_bad_yaml_is_reported_with_its_line(good_bank: Path):
    f = good_bank / "inventory.yaml"
    f.write_text("id: inventory\nname: 存货\ngroup: finance\nkeywords: {存货: 3\nexemplars: []\n", encoding="utf-8")
    probs = _problems(good_bank)
    bad = [p for p in probs if "inventory.yaml:" in p and "bad YAML" in p]
    assert bad, probs
    assert int(bad[0].split(":")[1]) >= 4
    # the other files are still checked, and the missing taxonomy file for the broken one is named too
    res = CliRunner().invoke(main, ["bank", "validate", "--bank", str(good_bank)])
    assert res.exit_code == 2
    assert "bad YAML" in res.output


def test_duplicate_exemplar_across_topics(good_bank: Path):
    f = good_bank / "inventory.yaml"
    f.write_text(topic_yaml("inventory", "存货", exemplars=["说明存货库龄", "说明信用政策是否发生变化。"]),
                 encoding="utf-8")
    probs = _problems(good_bank)
    dup = [p for p in probs if "duplicate exemplar" in p]
    assert len(dup) == 1 and "inventory.yaml:8:" in dup[0] and "accounts_receivable.yaml:7" in dup[0], probs


def test_schema_errors_unknown_field_and_wrong_type(good_bank: Path):
    f = good_bank / "inventory.yaml"
    f.write_text("id: inventory\nname: 存货\ngroup: finance\nkeywords:\n  存货: heavy\nexemplarz: []\n",
                 encoding="utf-8")
    probs = _problems(good_bank)
    assert any("inventory.yaml:5:" in p and "keywords" in p for p in probs), probs
    assert any("inventory.yaml:6:" in p and "exemplarz" in p and "unknown field" in p for p in probs), probs


def test_duplicate_key_wrong_group_and_missing_topic_file(good_bank: Path):
    (good_bank / "other.yaml").unlink()
    f = good_bank / "inventory.yaml"
    f.write_text("id: inventory\nname: 存货\ngroup: offering\nkeywords:\n  存货: 3\n  库龄: 2\n  存货: 1\n",
                 encoding="utf-8")
    probs = _problems(good_bank)
    assert any("inventory.yaml:7:" in p and "duplicate key '存货'" in p for p in probs), probs
    assert any("inventory.yaml:3:" in p and "group 'offering'" in p for p in probs), probs
    assert any("_taxonomy.yaml:5:" in p and "'other'" in p for p in probs), probs


def test_unknown_trigger_metric(good_bank: Path):
    extra = "triggers:\n  - {metric: receivable_ratio, op: '>', value: 30, reason: 应收较高}\n"
    (good_bank / "accounts_receivable.yaml").write_text(topic_yaml("accounts_receivable", "应收账款", extra=extra),
                                                        encoding="utf-8")
    probs = _problems(good_bank)
    assert any("unknown metric 'receivable_ratio'" in p for p in probs), probs


def test_every_problem_reported_at_once(good_bank: Path):
    (good_bank / "warranty.yaml").write_text(topic_yaml("warranty", "质保金", exemplars=["说明质保金"]),
                                             encoding="utf-8")
    (good_bank / "inventory.yaml").write_text("id: [\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["bank", "validate", "--bank", str(good_bank)])
    assert res.exit_code == 2
    lines = [ln for ln in res.output.splitlines() if ".yaml:" in ln]
    assert any("warranty.yaml" in ln for ln in lines) and any("inventory.yaml" in ln for ln in lines)


# -------------------------------------------------------------------------------------------- CLI
def test_bank_show_unknown_id_is_one_line_exit_2():
    res = CliRunner().invoke(main, ["bank", "show", "no_such_topic"])
    assert res.exit_code == 2
    assert res.output.strip().count("\n") == 0 and "no_such_topic" in res.output
    assert "Traceback" not in res.output


def test_bank_show_and_list():
    runner = CliRunner()
    res = runner.invoke(main, ["bank", "show", "accounts_receivable"])
    assert res.exit_code == 0, res.output
    assert "应收账款" in res.output and "例句" in res.output
    res = runner.invoke(main, ["bank", "list", "--json"])
    rows = yaml.safe_load(res.output)
    assert {r["id"] for r in rows} >= set(load_taxonomy().topics)


def test_bank_search_finds_the_topic():
    res = CliRunner().invoke(main, ["bank", "search", "第三方回款"])
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[0].startswith("third_party_payments")
    res = CliRunner().invoke(main, ["bank", "search", "--json", "对赌协议"])
    assert yaml.safe_load(res.output)[0]["id"] == "vam_special_rights"


def test_bank_folder_missing_is_a_user_error(tmp_path: Path):
    res = CliRunner().invoke(main, ["bank", "list", "--bank", str(tmp_path / "nope")])
    assert res.exit_code == 2 and "not found" in res.output


def test_bank_dir_default_is_the_project_bank():
    assert load_bank().path == BANK_DIR
