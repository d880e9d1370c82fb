"""drafter update (issue 13 items 1-2): figures and tables that remember where they came from, and a
reply brought up to a new company file after the team has edited it.

The bundled example is drafted once per module; company files are derived in the tests from
examples/company.yaml (the latest period revised; a new period 2026Q3 after 2026H1).
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from drafter.cli import main
from drafter.update.apply import _body_texts, _cell_text, _cells_by_label
from drafter.update.provenance import locate, read_map

ROOT = Path(__file__).resolve().parent.parent
LETTER = ROOT / "examples" / "letter.txt"
COMPANY = ROOT / "examples" / "company.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def draft(tmp: Path, company: Path, name: str) -> Path:
    out = tmp / name
    res = run("draft", LETTER, "--company", company, "-o", out, "--no-library")
    assert res.exit_code == 0, res.output
    return out


def revised_company(tmp: Path, factor: str = "1.0731", name: str = "company_revised.yaml") -> Path:
    """The example with every 2026H1 amount revised (the latest period changed)."""
    text = COMPANY.read_text(encoding="utf-8")

    def bump(m):
        return f'{m.group(1)}{(Decimal(m.group(2)) * Decimal(factor)).quantize(Decimal("0.01"))}'

    new = re.sub(r'("2026H1": )(-?\d+\.\d+)', bump, text)
    assert new != text
    p = tmp / name
    p.write_text(new, encoding="utf-8")
    return p


def q3_company(tmp: Path) -> Path:
    """The example with a new period 2026Q3 (and its comparative 2025Q3): 2026H1 leaves the window."""
    text = COMPANY.read_text(encoding="utf-8")
    text = text.replace('  - {key: "2026H1", end: 2026-06-30}',
                        '  - {key: "2026H1", end: 2026-06-30, comparative: true}\n'
                        '  - {key: "2025Q3", end: 2025-09-30, comparative: true}\n'
                        '  - {key: "2026Q3", end: 2026-09-30}')

    def add(m):
        line = m.group(0)
        h1 = re.search(r'"2026H1": (-?[\d.]+)', line)
        if h1 is None:
            return line
        whole = "." not in h1.group(1)

        def scale(v, f):
            d = Decimal(v) * Decimal(f)
            return str(int(d)) if whole else str(d.quantize(Decimal("0.01")))

        extra = f', "2026Q3": {scale(h1.group(1), "1.52")}'
        p1 = re.search(r'"2025H1": (-?[\d.]+)', line)
        if p1 is not None:
            extra = f', "2025Q3": {scale(p1.group(1), "1.49")}' + extra
        return line.replace(h1.group(0), h1.group(0) + extra, 1)

    text = re.sub(r'^.*"2026H1": -?[\d.]+.*$', add, text, flags=re.M)
    p = tmp / "company_q3.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def tagged(path: Path) -> dict[str, object]:
    """bookmark name -> the figure's text, or a table's body cell texts."""
    d = docx.Document(str(path))
    return {t.name: (_body_texts(t.table) if t.is_table else t.text) for t in locate(d, read_map(d))}


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("update")
    reply = draft(tmp, COMPANY, "reply.docx")
    return tmp, reply


# --------------------------------------------------------------------------- provenance in the draft

def test_draft_tags_its_figures_and_tables(work):
    tmp, reply = work
    d = docx.Document(str(reply))
    mapping = read_map(d)
    tags = locate(d, mapping)
    figures = [t for t in tags if not t.is_table]
    tables = [t for t in tags if t.is_table]
    assert len(figures) >= 50 and len(tables) >= 20, (len(figures), len(tables))
    assert len(tags) == len(mapping)  # every entry of the map has its bookmark
    assert len(tables) == len([t for t in d.tables if t._tbl in {x.table for x in tables}])
    # what a tag says is enough to recompute: metric/path, period, format; tables their spec
    rev = [t.source for t in figures if t.source.get("key") == "revenue" and t.source.get("period") == "2025"]
    assert rev and rev[0]["fmt"] == "fmt_amount" and rev[0]["text"] == "108,746.92"
    kinds = {t.source["kind"] for t in tables}
    assert {"computed", "fin_table", "ratio_table", "records_table"} <= kinds
    assert all(t.source.get("fmt") in ("fmt_amount", "fmt_pct", "fmt_pp", "fmt_growth", "fmt_times", "fmt_int",
                                       "fmt_number", "fmt_pp_num") for t in figures)
    # invisible in print: the figures are ordinary runs of their paragraphs (python-docx sees them)
    texts = "\n".join(p.text for p in d.paragraphs)
    assert "108,746.92" in texts and "增长12.75%" in texts
    names = [b.get(W + "name") for b in d.element.body.iter(W + "bookmarkStart")]
    assert all(n.startswith("_") for n in names)  # hidden bookmarks (a leading underscore)


# --------------------------------------------------------------------------- the 加期 workflow

def _team_edits(reply: Path, out: Path) -> dict[str, str]:
    """Edit the reply as a user would with python-docx: change a sentence, add paragraphs."""
    d = docx.Document(str(reply))
    mapping = read_map(d)
    tags = locate(d, mapping)
    growth = next(t for t in tags if not t.is_table and t.source.get("fmt") == "fmt_growth"
                  and t.source.get("key") == "revenue")
    para = next(p for p in d.paragraphs if p._p is growth.paragraph)
    first = para.runs[0]
    assert growth.runs[0] is not first._r
    first.text = "经团队复核，" + first.text  # a sentence the team changed (not its figure)
    para.add_run("收入规模保持增长态势。")  # and words that point one way
    edited_sentence = para.text
    untouched = next(p for p in d.paragraphs if "报告期内" in p.text and not any(
        t.paragraph is p._p for t in tags if not t.is_table))
    untouched.runs[-1].text = untouched.runs[-1].text + "（团队补充：以上情况已与财务部门核对。）"
    added = untouched.insert_paragraph_before("团队新增段落：本段由项目组撰写，数据更新时不应改动。")
    d.add_paragraph("团队在文末新增的说明。")
    d.save(str(out))
    return {"edited": edited_sentence, "untouched": untouched.text, "added": added.text}


def test_update_after_the_team_edited_the_reply(work):
    tmp, reply = work
    edited = tmp / "reply_edited.docx"
    edits = _team_edits(reply, edited)
    company = revised_company(tmp)
    out = tmp / "reply_updated.docx"
    res = run("update", edited, "--company", company, "-o", out, "--json")
    assert res.exit_code == 0, res.output
    rep = json.loads(res.output)

    # every tagged figure and table now says what a fresh draft from the new file says
    fresh = tagged(draft(tmp, company, "fresh.docx"))
    now = tagged(out)
    assert now.keys() == fresh.keys()
    assert [k for k in now if now[k] != fresh[k]] == []
    notes = lambda path: [p.text for p in docx.Document(str(path)).paragraphs if p.style.name == "Reply Note"]  # noqa: E731
    assert notes(out) == notes(tmp / "fresh.docx")  # the 注 lines below the tables too
    before = tagged(edited)
    changed = [k for k in now if now[k] != before[k]]
    assert len(changed) >= 30
    assert rep["figures_changed"] >= 10 and rep["tables_changed"] >= 15 and rep["cells_changed"] >= 80
    assert rep["figures"] == sum(1 for v in before.values() if isinstance(v, str))

    # the team's edits are intact
    d = docx.Document(str(out))
    texts = [p.text for p in d.paragraphs]
    assert edits["added"] in texts and "团队在文末新增的说明。" in texts and edits["untouched"] in texts
    sentence = next(t for t in texts if t.startswith("经团队复核，"))
    assert sentence.endswith("收入规模保持增长态势。") and "增长20.99%" in sentence
    # the edited paragraph got its new figure, and the report says it was edited
    growth = [c for c in rep["changes"] if c["kind"] == "figure" and c["new"] == "增长20.99%"]
    assert growth and growth[0]["edited"] and growth[0]["old"] == "增长12.75%"

    # every changed run is 楷体加粗
    mapping = read_map(d)
    for t in locate(d, mapping):
        if t.is_table or now[t.name] == before[t.name]:
            continue
        for r in t.runs:
            rpr = r.find(W + "rPr")
            assert rpr.find(W + "rFonts").get(W + "eastAsia") == "楷体" and rpr.find(W + "b") is not None
    changed_cells = 0
    for t in locate(d, mapping):
        if t.is_table and now[t.name] != before[t.name]:
            for tc in t.table.iter(W + "tc"):
                for r in tc.iter(W + "r"):
                    rpr = r.find(W + "rPr")
                    if rpr is not None and rpr.find(W + "b") is not None:
                        changed_cells += 1
    assert changed_cells >= rep["cells_changed"]

    # every change is listed with where, old and new
    assert len([c for c in rep["changes"] if c["kind"] == "figure"]) == rep["figures_changed"]
    assert all(c["where"] and c["new"] for c in rep["changes"])
    assert any("“营业收入”行" in c["where"] and c["old"] == "56,218.63" and c["new"] == "60,328.21"
               for c in rep["changes"])
    # numbers written outside the tags that equal an old figure are listed to check by hand
    hand = [h for h in rep["check_by_hand"] if "equal to an old figure" in h["reason"]]
    assert any(h["text"] == "3,000.00" for h in hand)  # a record's own amount (not tagged)
    # the conclusions the data decides carry their figures too (核查意见: 财务性投资 30%, 累计债券余额 50%)
    assert any(t.startswith("1、") and "127,365.24" in t for t in texts)
    assert not any("118,689.07" in t for t in texts)

    # drafter review still finds every question and request answered, with the same outcome as before
    r0, r1 = run("review", reply), run("review", out)
    assert r1.exit_code == r0.exit_code
    cov = re.compile(r"questions answered: \d+/\d+; requests answered: \d+/\d+")
    assert cov.search(r0.output).group(0) == cov.search(r1.output).group(0)
    assert "7/7" in cov.search(r1.output).group(0)


def test_a_turned_sign_gets_a_comment_in_an_edited_sentence(work):
    tmp, reply = work
    edited = tmp / "reply_edited_sign.docx"
    _team_edits(reply, edited)
    company = revised_company(tmp, factor="0.80", name="company_down.yaml")  # 2026H1 below 2025H1
    out = tmp / "reply_down.docx"
    res = run("update", edited, "--company", company, "-o", out, "--json")
    assert res.exit_code == 0, res.output
    rep = json.loads(res.output)
    flipped = [c for c in rep["changes"] if c["kind"] == "figure" and c["old"] == "增长12.75%"]
    assert flipped and flipped[0]["new"].startswith("下降") and flipped[0]["comment"]
    assert "增长" in flipped[0]["comment"] and rep["comments"] >= 1
    d = docx.Document(str(out))
    comments = [c.text for c in d.comments]
    assert any("由正转负" in c for c in comments)
    # a second update from the same file changes nothing and keeps the comment; a later one still works
    again = tmp / "reply_down_again.docx"
    res = run("update", out, "--company", company, "-o", again, "--json")
    rep2 = json.loads(res.output)
    assert res.exit_code == 0 and rep2["figures_changed"] == 0 and rep2["tables_changed"] == 0
    assert len(docx.Document(str(again)).comments) == len(comments)
    res = run("update", out, "--company", revised_company(tmp, name="company_up_again.yaml"), "-o",
              tmp / "reply_up_again.docx", "--json")
    assert res.exit_code == 0 and json.loads(res.output)["figures_changed"] >= 10


def test_a_new_period_adds_its_column(work):
    tmp, reply = work
    company = q3_company(tmp)
    out = tmp / "reply_q3.docx"
    res = run("update", reply, "--company", company, "-o", out, "--json")
    assert res.exit_code == 0, res.output
    rep = json.loads(res.output)
    d_old, d_new = docx.Document(str(reply)), docx.Document(str(out))
    old_t = {t.name: t for t in locate(d_old, read_map(d_old)) if t.is_table}
    new_t = {t.name: t for t in locate(d_new, read_map(d_new)) if t.is_table}
    gained = 0
    for name, t in new_t.items():
        _, cols = _cells_by_label(t.table)
        _, old_cols = _cells_by_label(old_t[name].table)
        if any("2026年1-9月" in c or "2026年9月30日" in c for c in cols):
            assert not any("2026年1-6月" in c for c in cols)  # the window moved: the old interim drops
            assert any("2026年1-6月" in c or "2026年6月30日" in c for c in old_cols)
            gained += 1
    assert gained >= 8
    revenue = next(t for t in new_t.values() if t.source.get("name") == "revenue_total")
    cells, cols = _cells_by_label(revenue.table)
    assert cols[1] == "2026年1-9月"
    q3_rev = (Decimal("56218.63") * Decimal("1.52")).quantize(Decimal("0.01"))
    assert _cell_text(cells[("营业收入", 1, "2026年1-9月")]) == f"{q3_rev:,}"
    assert any(c["kind"] == "table" and "2026年1-9月" in c["new"] for c in rep["changes"])
    texts = [p.text for p in d_new.paragraphs]
    assert any("2026年1-9月与2025年1-9月比较" in t for t in texts)  # the note below follows the new period
    assert not any("2026年1-6月与2025年1-6月比较" in t for t in texts)
    # a sentence about the former latest period is not silently re-dated
    assert any("no longer reports" in h["reason"] or "new file's latest" in h["reason"]
               for h in rep["check_by_hand"])


def test_printed_summary_lists_changes(work):
    tmp, reply = work
    out = tmp / "reply_summary.docx"
    res = run("update", reply, "--company", revised_company(tmp, name="c2.yaml"), "-o", out)
    assert res.exit_code == 0, res.output
    assert "56,218.63 → 60,328.21" in res.output and f"wrote {out}" in res.output
    assert re.search(r"changed: \d+ figures, \d+ tables \(\d+ cells\)", res.output)


def test_revised_look_comes_from_the_house_style(work):
    tmp, reply = work
    style = tmp / "style.yaml"
    style.write_text("revised:\n  face: 仿宋\n  bold: false\n", encoding="utf-8")
    out = tmp / "reply_style.docx"
    res = run("update", reply, "--company", revised_company(tmp, name="c3.yaml"), "-o", out, "--style", style)
    assert res.exit_code == 0, res.output
    def faces(path):
        body = docx.Document(str(path)).element.body
        return [f.get(W + "eastAsia") for f in body.iter(W + "rFonts")]

    before, after = faces(reply), faces(out)
    assert after.count("楷体") == before.count("楷体")  # (the legend shows 楷体 itself)
    assert after.count("仿宋") >= before.count("仿宋") + 30


def test_a_retyped_paragraph_is_listed_to_check(work, tmp_path):
    """python-docx's paragraph.text = … retypes a paragraph (its tags go): its old figures are listed."""
    tmp, reply = work
    d = docx.Document(str(reply))
    para = next(p for p in d.paragraphs if "40.73%" in p.text and "增长12.75%" in p.text)
    para.text = para.text.replace("营业收入", "公司营业收入")
    retyped = tmp_path / "retyped.docx"
    d.save(str(retyped))
    out = tmp_path / "retyped_updated.docx"
    res = run("update", retyped, "--company", revised_company(tmp_path), "-o", out, "--json")
    assert res.exit_code == 0, res.output
    rep = json.loads(res.output)
    assert rep["untraced"] >= 2
    listed = {h["text"]: h["reason"] for h in rep["check_by_hand"]}
    assert "40.73%" in listed and "37.95%" in listed["40.73%"]
    assert "12.75%" in listed and "增长20.99%" in listed["12.75%"]
    after = next(p.text for p in docx.Document(str(out)).paragraphs if "公司营业收入" in p.text and "40.73%" in p.text)
    assert "增长12.75%" in after  # the team's text is never rewritten


def test_a_table_the_team_edited_keeps_their_words(work, tmp_path):
    tmp, reply = work
    d = docx.Document(str(reply))
    tag = next(t for t in locate(d, read_map(d)) if t.is_table and t.source.get("name") == "revenue_total")
    table = next(t for t in d.tables if t._tbl is tag.table)
    row = next(r for r in table.rows if r.cells[0].text == "营业收入")
    row.cells[0].paragraphs[0].runs[0].text = "营业收入"  # unchanged label, and a team's remark in a cell:
    remark = next(r for r in table.rows if r.cells[0].text == "营业收入增长率")
    remark.cells[0].paragraphs[0].runs[0].text = "营业收入增长率（经复核）"
    edited = tmp_path / "table_edited.docx"
    d.save(str(edited))
    out = tmp_path / "table_updated.docx"
    res = run("update", edited, "--company", revised_company(tmp_path), "-o", out, "--json")
    assert res.exit_code == 0, res.output
    rep = json.loads(res.output)
    d2 = docx.Document(str(out))
    tag2 = next(t for t in locate(d2, read_map(d2)) if t.is_table and t.source.get("name") == "revenue_total")
    cells, _ = _cells_by_label(tag2.table)
    assert _cell_text(cells[("营业收入", 1, "2026年1-6月")]) == "60,328.21"  # the figure cell follows the data
    assert ("营业收入增长率（经复核）", 1, "2025年") in cells  # the team's words stay
    assert any(c["edited"] and c["kind"] == "cell" and c["new"] == "60,328.21" for c in rep["changes"])
    assert any(h["text"] == "营业收入增长率（经复核）" for h in rep["check_by_hand"])  # not silently stale


def test_checked_amounts_the_team_filled_in_stay(work, tmp_path):
    """The 核查比例 table: the base amounts follow the data, the amounts the team filled in stay."""
    tmp, reply = work
    d = docx.Document(str(reply))
    tag = next(t for t in locate(d, read_map(d)) if t.is_table and t.source.get("kind") == "coverage")
    table = next(t for t in d.tables if t._tbl is tag.table)
    row = next(r for r in table.rows if r.cells[0].text == "函证核查金额")
    for cell in row.cells[1:]:
        cell.paragraphs[0].runs[0].text = "30,000.00"
    edited = tmp_path / "coverage_filled.docx"
    d.save(str(edited))
    out = tmp_path / "coverage_updated.docx"
    res = run("update", edited, "--company", revised_company(tmp_path), "-o", out, "--json")
    assert res.exit_code == 0, res.output
    d2 = docx.Document(str(out))
    tag2 = next(t for t in locate(d2, read_map(d2)) if t.is_table and t.source.get("kind") == "coverage")
    body = _body_texts(tag2.table)
    filled = next(r for r in body if r[0] == "函证核查金额")
    assert filled[1:] == ["30,000.00"] * (len(filled) - 1)
    assert body[0][1] != _body_texts(tag.table)[0][1]  # the base amount of the latest period changed


# --------------------------------------------------------------------------- mistakes: one line, exit 2

def test_errors_are_one_line_and_exit_2(work, tmp_path):
    tmp, reply = work
    company = revised_company(tmp_path)
    text = tmp_path / "notes.docx"
    text.write_text("not a word file", encoding="utf-8")
    plain = tmp_path / "plain.docx"
    docx.Document().save(str(plain))
    exists = tmp_path / "exists.docx"
    exists.write_bytes(b"x")
    cases = [
        (("update", text, "--company", company, "-o", tmp_path / "o1.docx"), "not a readable .docx"),
        (("update", plain, "--company", company, "-o", tmp_path / "o2.docx"), "not a reply drafter wrote"),
        (("update", reply, "--company", company, "-o", exists), "exists"),
        (("update", reply, "--company", company, "-o", reply, "--force"), "is also the input"),
        (("update", reply, "--company", tmp_path / "missing.yaml", "-o", tmp_path / "o3.docx"), "missing.yaml"),
    ]
    for args, words in cases:
        res = run(*args)
        assert res.exit_code == 2, (args, res.output)
        lines = [x for x in res.output.splitlines() if x.strip()]
        assert len(lines) == 1 and words in lines[0], (args, res.output)
        assert "Traceback" not in res.output
    assert exists.read_bytes() == b"x"


def test_redline_without_the_writer_is_one_clear_line(work, tmp_path):
    pytest.importorskip("drafter.update.apply")
    try:
        import drafter.update.redline  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("drafter.update.redline is present: tests/test_redline*.py cover --redline")
    tmp, reply = work
    res = run("update", reply, "--company", revised_company(tmp_path), "-o", tmp_path / "o.docx",
              "--redline", tmp_path / "red.docx")
    assert res.exit_code == 2 and "--redline" in res.output and len(res.output.strip().splitlines()) == 1
    assert not (tmp_path / "o.docx").exists()


def test_redline_is_written_by_the_redline_writer(work, tmp_path, monkeypatch):
    """The contract with drafter.update.redline (SPEC C): write_redline(REPLY, OUT, RED, force=…) after OUT."""
    import sys
    import types

    from pydantic import BaseModel

    class Stats(BaseModel):
        insertions: int = 3
        deletions: int = 3
        paragraphs_changed: int = 2
        cells_changed: int = 1

    calls = []

    def write_redline(before, after, out, *, author="drafter", when=None, force=False):
        assert after.exists()  # the updated reply is written first
        calls.append((before, after, out, force))
        out.write_bytes(b"redline")
        return Stats()

    monkeypatch.setitem(sys.modules, "drafter.update.redline",
                        types.SimpleNamespace(write_redline=write_redline))
    tmp, reply = work
    out, red = tmp_path / "o.docx", tmp_path / "red.docx"
    res = run("update", reply, "--company", revised_company(tmp_path), "-o", out, "--redline", red, "--json")
    assert res.exit_code == 0, res.output
    rep = json.loads(res.output)
    assert calls == [(reply, out, red, False)]
    assert rep["redline"] == str(red) and rep["redline_stats"]["insertions"] == 3


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_tags_survive_a_libreoffice_save(work, tmp_path):
    tmp, reply = work
    lo = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "docx", "--outdir", str(lo), str(reply)],
                   check=True, capture_output=True, timeout=180)
    saved = lo / reply.name
    assert tagged(saved).keys() == tagged(reply).keys()
    out = tmp_path / "lo_updated.docx"
    res = run("update", saved, "--company", revised_company(tmp_path), "-o", out, "--json")
    assert res.exit_code == 0, res.output
    rep = json.loads(res.output)
    assert rep["figures_changed"] >= 10 and not any(c["edited"] for c in rep["changes"])
