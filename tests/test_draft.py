"""drafter.draft and the `drafter draft` / `drafter demo` commands: end to end, never losing the user's work."""
from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from drafter.cli import main
from drafter.draft import DEMO_NAME, demo, draft, free_name
from drafter.errors import UserError
from drafter.paths import EXAMPLES_DIR
from _helpers import nf

DATA = Path(__file__).resolve().parent / "data"
LETTER = EXAMPLES_DIR / "letter.txt"
COMPANY = EXAMPLES_DIR / "company.yaml"


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
    assert res.output.splitlines()[0] == f"wrote {out}"
    assert "questions:    7" in res.output and "placeholders:" in res.output and "precedents:" in res.output
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


# -- precedents beside the open requests (Word comments from the precedent library) -----------------

@pytest.fixture(scope="module")
def library(reply002, reply003, tmp_path_factory):
    from drafter.library import add_files

    db = tmp_path_factory.mktemp("lib") / "library.sqlite3"
    res = add_files([reply002, reply003], db=db)
    assert [r.status for r in res] == ["added", "added"]
    return db


def _comments(path):
    d = docx.Document(str(path))
    body = d.element.body
    anchored = []  # (paragraph style id, paragraph text) of each comment's anchor
    for start in body.iter(docx.oxml.ns.qn("w:commentRangeStart")):
        p = start.getparent()
        anchored.append((p.pPr.pStyle.val if p.pPr is not None and p.pPr.pStyle is not None else None,
                         "".join(t.text or "" for t in p.iter(docx.oxml.ns.qn("w:t")))))
    return list(d.comments), anchored, "\n".join(p.text for p in d.paragraphs)


# Issue 14 gives every topic an answer template, so the demo letter has no request left open. These
# tests keep the offering topics of its first two questions untemplated to exercise the comments.
UNTEMPLATED = {"fundraising_projects", "fundraising_scale", "benefit_forecast"}


@pytest.fixture
def untemplated(monkeypatch):
    from drafter.compose.answers import Answerer

    orig = Answerer.template_for
    monkeypatch.setattr(Answerer, "template_for", lambda self, t: None if t in UNTEMPLATED else orig(self, t))


def test_precedents_as_comments_on_open_requests(library, tmp_path, monkeypatch, untemplated):
    from drafter.company import load_company
    from drafter.draft import draft_with_summary
    from drafter.match import match_letter

    monkeypatch.delenv("DRAFTER_LIBRARY", raising=False)
    res = draft_with_summary(LETTER, COMPANY, tmp_path / "reply.docx", library=library, precedents="comments")
    comments, anchored, body = _comments(res.path)
    assert res.library == library and res.precedents == len(comments) > 0
    assert f"precedents:   {res.precedents} open request(s) with Word comments" in res.summary()
    # anchored on request subheadings (（一）…) only, one comment each, by drafter
    assert all(sid == "Heading3" and re.match(r"^（[一二三四五六七八九十]+）", text) for sid, text in anchored)
    assert len(set(text for _, text in anchored)) == len(anchored)
    assert {(c.author, c.initials) for c in comments} == {("drafter", "DR")}
    first = comments[0].text
    assert first.startswith("可参考的既往回复") and ("002_b6a7c14d8069eefe.txt" in first or "003_474977f8a7f54835.txt" in first)
    assert "问：" in first and "答：" in first and "相似度" in first
    # only requests left open get them (the templates answer the others), and nothing is pasted into the body
    from drafter.compose import compose_reply_with_notes
    from drafter.render.style import HouseStyle

    doc, open_requests = compose_reply_with_notes(res.letter, load_company(COMPANY), match_letter(res.letter),
                                                  HouseStyle())
    open_heads = {o.heading.text for o in open_requests}
    all_heads = {b.text for b in doc.blocks if b.kind == "paragraph" and b.style == "heading3"
                 and re.match(r"^（[一二三四五六七八九十]+）", b.text)}
    assert {text for _, text in anchored} <= open_heads < all_heads
    assert "可参考的既往回复" not in body and "相似度" not in body


def test_library_options(library, tmp_path, monkeypatch, untemplated):
    monkeypatch.setenv("DRAFTER_LIBRARY", str(library))  # the user's default library
    runner = CliRunner()
    out = tmp_path / "a.docx"
    r = runner.invoke(main, ["draft", str(LETTER), "--company", str(COMPANY), "-o", str(out), "--precedents", "comments"])
    assert r.exit_code == 0, r.output
    assert "open request(s) with Word comments" in r.output and _comments(out)[0]  # the default library, when present
    out2 = tmp_path / "b.docx"
    r = runner.invoke(main, ["draft", str(LETTER), "--company", str(COMPANY), "-o", str(out2), "--no-library"])
    assert r.exit_code == 0 and "precedents:   none" in r.output and _comments(out2)[0] == []
    r = runner.invoke(main, ["draft", str(LETTER), "--company", str(COMPANY), "-o", str(tmp_path / "c.docx"),
                             "--library", str(tmp_path / "missing.sqlite3")])
    assert r.exit_code == 2 and "precedent library not found" in r.output and not (tmp_path / "c.docx").exists()
    monkeypatch.setenv("DRAFTER_LIBRARY", str(tmp_path / "none-yet.sqlite3"))  # no library: plain draft
    r = runner.invoke(main, ["draft", str(LETTER), "--company", str(COMPANY), "-o", str(tmp_path / "d.docx")])
    assert r.exit_code == 0 and "precedents:   none" in r.output
    assert not (tmp_path / "none-yet.sqlite3").exists()  # never created by drafting


def test_comment_text_and_excerpts():
    from drafter.compose.precedents import answer_excerpt, comment_lines
    from drafter.library import Precedent

    p = Precedent(request="说明各期供应商的数量,并按采购金额分层", source="/x/002.txt", issuer="某某股份有限公司", year=2023,
                  question="11.关于供应商", request_id="11.(2)", score=61.4,
                  answer="1、说明各期供应商的数量,并按采购金额分层\n公司将供应商划分为三个层级。\n(1)层级一")
    assert answer_excerpt(p.request, p.answer) == "公司将供应商划分为三个层级。 (1)层级一"
    lines = comment_lines([p])
    assert lines[1] == "1. 某某股份有限公司 2023年回复（002.txt） 11.关于供应商 11.（2），相似度61"
    assert lines[2].startswith("问：说明各期供应商的数量，") and lines[3].startswith("答：公司将供应商")
    assert comment_lines([]) == []


# -- refusals: output over an input, another issuer's data, a library file that is not one --------------

def test_output_that_is_an_input_is_refused_even_with_force(tmp_path):
    letter = tmp_path / "letter.docx"
    draft(LETTER, COMPANY, letter)  # a DOCX that parses as a letter (the reply quotes every question)
    before = letter.read_bytes()
    r = CliRunner().invoke(main, ["draft", str(letter), "--company", str(COMPANY), "-o", str(letter), "--force"])
    assert r.exit_code == 2 and "is also the input" in r.output and "Traceback" not in r.output
    assert len(r.output.strip().splitlines()) == 1
    assert letter.read_bytes() == before  # the letter is untouched
    style = tmp_path / "style.docx"  # a style, company or library file named as the output: refused alike
    style.write_bytes(b"not really a style")
    with pytest.raises(UserError) as e:
        draft(LETTER, COMPANY, style, style_path=style, force=True)
    assert "is also the input" in str(e.value) and style.read_bytes() == b"not really a style"


def _letter_for(tmp_path, issuer: str | None) -> Path:
    text = LETTER.read_text(encoding="utf-8")
    if issuer is None:  # the questions alone, pasted without the title and the addressee
        text = text[text.index("1.关于本次募投项目"):]
    else:
        text = text.replace("青禾智能装备股份有限公司", issuer)
    p = tmp_path / "letter.txt"
    p.write_text(text, encoding="utf-8")
    return p


def test_company_data_of_another_issuer_is_refused(tmp_path):
    letter = _letter_for(tmp_path, "星河精工科技股份有限公司")
    out = tmp_path / "reply.docx"
    r = CliRunner().invoke(main, ["draft", str(letter), "--company", str(COMPANY), "-o", str(out)])
    assert r.exit_code == 2 and "Traceback" not in r.output
    (line,) = r.output.strip().splitlines()
    assert "星河精工科技股份有限公司" in line and "青禾智能装备股份有限公司" in line and "--allow-other-issuer" in line
    assert not out.exists()
    r = CliRunner().invoke(main, ["draft", str(letter), "--company", str(COMPANY), "-o", str(out),
                                  "--allow-other-issuer"])
    assert r.exit_code == 0, r.output
    assert out.exists()


def test_letter_naming_no_issuer_is_drafted(tmp_path):
    from drafter.parse import parse_file

    letter = _letter_for(tmp_path, None)
    assert not parse_file(letter).meta.issuer
    out = draft(letter, COMPANY, tmp_path / "reply.docx")
    assert out.exists()


def test_explicit_library_that_is_not_one_is_refused(tmp_path, monkeypatch):
    import sqlite3

    monkeypatch.delenv("DRAFTER_LIBRARY", raising=False)
    noise = tmp_path / "noise.db"
    noise.write_bytes(bytes(range(256)) * 4)
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE t (x)")
    for bad, words in ((noise, "not an SQLite database"), (empty, "not an SQLite database"),
                       (other, "not a drafter precedent library")):
        before = bad.read_bytes()
        out = tmp_path / f"{bad.stem}.docx"
        r = CliRunner().invoke(main, ["draft", str(LETTER), "--company", str(COMPANY), "-o", str(out),
                                      "--library", str(bad)])
        assert r.exit_code == 2, r.output
        (line,) = r.output.strip().splitlines()
        assert str(bad) in line and words in line
        assert not out.exists() and bad.read_bytes() == before  # neither drafted nor turned into a library
    # the default library, absent or unreadable, stays silent: a plain draft
    monkeypatch.setenv("DRAFTER_LIBRARY", str(noise))
    r = CliRunner().invoke(main, ["draft", str(LETTER), "--company", str(COMPANY), "-o", str(tmp_path / "d.docx")])
    assert r.exit_code == 0, r.output
    assert "precedents:   none (no precedent library consulted)" in r.output


def test_draft_and_demo_print_the_same_summary(tmp_path, monkeypatch):
    monkeypatch.delenv("DRAFTER_LIBRARY", raising=False)
    monkeypatch.setenv("DRAFTER_LIBRARY", str(tmp_path / "no-library.sqlite3"))
    runner = CliRunner()
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    rd = runner.invoke(main, ["draft", str(LETTER), "--company", str(COMPANY), "-o", str(a)])
    rm = runner.invoke(main, ["demo", "-o", str(b)])
    assert rd.exit_code == 0 and rm.exit_code == 0, rd.output + rm.output
    d_lines, m_lines = rd.output.splitlines(), rm.output.splitlines()
    assert d_lines[0] == f"wrote {a}" and m_lines[0] == f"wrote {b}"
    assert d_lines[1:] == m_lines[1:]  # the same letter and data: the same counts, in the same words
    assert [ln.split(":")[0].strip() for ln in d_lines[1:]] == ["questions", "requests", "placeholders", "content",
                                                                "precedents"]
    assert "questions:    7" in rd.output and re.search(r"placeholders: \d+ left to fill", rd.output)
    # request sections holding a computed table or 60+ characters outside 【…】, of the letter's 17
    m = re.search(r"content:\s+(\d+)/17 request sections", rd.output)
    assert m and int(m.group(1)) == 17, rd.output
    # demo -o over an existing file: refused without --force, replaced with it
    r = runner.invoke(main, ["demo", "-o", str(b)])
    assert r.exit_code == 2 and "--force" in r.output
    r = runner.invoke(main, ["demo", "-o", str(b), "--force"])
    assert r.exit_code == 0 and r.output.splitlines()[0] == f"wrote {b}"
    r = runner.invoke(main, ["demo", "--force"])  # --force without -o: nothing to replace
    assert r.exit_code == 2 and "-o" in r.output
