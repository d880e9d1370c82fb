"""drafter.draft and the `drafter draft` / `drafter demo` commands: end to end, never losing the user's work."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from drafter.cli import main
from drafter.draft import DEMO_NAME, demo, draft, free_name
from drafter.errors import UserError
from drafter.paths import EXAMPLES_DIR

DATA = Path(__file__).resolve().parent / "data"
LETTER = EXAMPLES_DIR / "letter.txt"
COMPANY = EXAMPLES_DIR / "company.yaml"


def nf(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def test_draft_writes_a_docx_that_opens(tmp_path):
    out = draft(LETTER, COMPANY, tmp_path / "reply.docx")
    assert out == tmp_path / "reply.docx"
    d = docx.Document(str(out))
    text = nf("\n".join(p.text for p in d.paragraphs))
    assert "关于青禾智能装备股份有限公司" in text
    assert "深圳证券交易所:" in text
    assert "审核函〔2026〕020031号" in text
    assert "一、发行人说明" in text and "二、中介机构核查情况" in text
    assert [p.name for p in tmp_path.iterdir()] == ["reply.docx"]  # no temporary file left


def test_never_overwrites_without_force(tmp_path):
    out = tmp_path / "reply.docx"
    out.write_bytes(b"the user's edited reply")
    with pytest.raises(UserError) as e:
        draft(LETTER, COMPANY, out)
    assert "--force" in str(e.value)
    assert out.read_bytes() == b"the user's edited reply"
    draft(LETTER, COMPANY, out, force=True)
    assert docx.Document(str(out)).paragraphs


def test_failure_half_way_leaves_nothing(tmp_path):
    bad_company = tmp_path / "company.yaml"
    bad_company.write_text("company: [not, a, mapping\n", encoding="utf-8")
    with pytest.raises(UserError):
        draft(LETTER, bad_company, tmp_path / "reply.docx")
    assert not (tmp_path / "reply.docx").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["company.yaml"]


def test_output_must_be_docx(tmp_path):
    with pytest.raises(UserError) as e:
        draft(LETTER, COMPANY, tmp_path / "reply.pdf")
    assert ".docx" in str(e.value)


def test_style_option_changes_reply_label(tmp_path):
    style = tmp_path / "style.yaml"
    style.write_text("reply_label: 【回复】\n", encoding="utf-8")
    out = draft(LETTER, COMPANY, tmp_path / "reply.docx", style_path=style)
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "【回复】" in texts and "回复:" not in texts


def test_free_name_counts_up(tmp_path):
    assert free_name(tmp_path) == tmp_path / DEMO_NAME
    (tmp_path / DEMO_NAME).write_bytes(b"x")
    assert free_name(tmp_path).name == "drafter-demo-回复-2.docx"
    (tmp_path / "drafter-demo-回复-2.docx").write_bytes(b"x")
    assert free_name(tmp_path).name == "drafter-demo-回复-3.docx"


def test_demo_into_new_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = demo()
    second = demo()
    assert first.path.name == DEMO_NAME and second.path.name == "drafter-demo-回复-2.docx"
    assert first.questions == 7 and first.requests >= 10 and first.placeholders > 0
    assert "placeholders" in first.summary()


def test_cli_draft_and_demo(tmp_path, monkeypatch):
    runner = CliRunner()
    out = tmp_path / "r.docx"
    res = runner.invoke(main, ["draft", str(LETTER), "--company", str(COMPANY), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "7 questions" in res.output and "placeholders" in res.output
    res = runner.invoke(main, ["draft", str(LETTER), "--company", str(COMPANY), "-o", str(out)])
    assert res.exit_code == 2 and "--force" in res.output and "Traceback" not in res.output
    res = runner.invoke(main, ["draft", str(LETTER), "--company", str(COMPANY), "-o", str(out), "--force"])
    assert res.exit_code == 0
    res = runner.invoke(main, ["draft", str(tmp_path / "missing.txt"), "--company", str(COMPANY), "-o", str(tmp_path / "x.docx")])
    assert res.exit_code == 2 and "missing.txt" in res.output
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(main, ["demo"])
    assert res.exit_code == 0, res.output
    assert DEMO_NAME in res.output and "questions:" in res.output and "placeholders:" in res.output
    assert (tmp_path / DEMO_NAME).exists()
    res = runner.invoke(main, ["demo", "-o", str(out)])
    assert res.exit_code == 2  # an explicit name that exists is refused, not replaced
