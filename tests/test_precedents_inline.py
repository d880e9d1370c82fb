"""Precedent passages in the draft (`drafter draft --precedents inline`, the default with a library):
each corpus letter drafted with a library of the other corpus reply."""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from drafter.cli import main
from drafter.compose.precedents import END, MARK, adapt_runs, issuer_aliases, precedent_blocks
from drafter.errors import UserError
from drafter.library import add_files

DATA = Path(__file__).resolve().parent / "data"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# the precedent issuer's names and intermediaries: none may remain in an adapted passage
NAMES_002 = ["深圳市优优绿能", "优优绿能", "优优", "民生证券", "致同会计师", "信达律师"]
NAMES_003 = ["温州聚星科技", "聚星科技", "聚星", "国投证券", "中汇会计师", "锦天城"]


def _prec(**kw):
    base = dict(issuer="温州聚星科技股份有限公司", short_names=[], sponsor="国投证券股份有限公司",
                auditor="中汇会计师事务所(特殊普通合伙)", lawyer="上海市锦天城律师事务所", source="/x/003.txt",
                question="问题2.业绩波动", request_id="2.(1)", score=41.26, year=2024, request="说明X", answer="")
    base.update(kw)
    return SimpleNamespace(**base)


def _names(**kw):
    base = dict(issuer="深圳市优优绿能股份有限公司", short="优优绿能", subject="发行人", sponsor="民生证券股份有限公司",
                auditor="致同会计师事务所(特殊普通合伙)", lawyer="广东信达律师事务所")
    base.update(kw)
    return SimpleNamespace(**base)


def test_adapt_replaces_names_and_flags_what_came_from_the_precedent():
    text = ("温州聚星科技股份有限公司(以下简称“聚星科技”)2023年度向宁波博雅金属材料有限公司采购1,885.04万元,"
            "占比12.5%;国投证券、中汇会计师事务所(特殊普通合伙)核查了聚星科技与新加坡聚星的交易。")
    runs = adapt_runs(text, _prec(), _names())
    out = "".join(r.text for r in runs)
    assert not any(n in out for n in NAMES_003)
    assert out.startswith("深圳市优优绿能股份有限公司") and "民生证券" in out and "致同会计师事务所" in out
    verify = [r.text for r in runs if r.verify]
    assert "2023年度" in verify and "1,885.04万元" in verify and "12.5%" in verify
    assert any("宁波博雅金属材料有限公司" in v for v in verify)
    assert any(r.verify and r.text == "优优绿能" for r in runs)  # 新加坡聚星: our name, but to check
    # our issuer unknown: a placeholder, never the precedent's name
    runs = adapt_runs(text, _prec(), _names(issuer=None, sponsor=None))
    assert any(r.placeholder and r.text == "【发行人全称】" for r in runs)
    assert any(r.placeholder and r.text == "【保荐机构名称】" for r in runs)
    assert not any(n in "".join(r.text for r in runs) for n in NAMES_003)


def test_issuer_aliases():
    names, cores = issuer_aliases("温州聚星科技股份有限公司")
    assert "聚星科技" in names and "温州聚星科技" in names and cores == ["聚星"]
    names, cores = issuer_aliases("深圳市优优绿能股份有限公司", ["优优绿能"])
    assert names[0] == "深圳市优优绿能" and "优优绿能" in names and cores == ["优优"]


def test_block_shape():
    p = _prec(answer="(一)说明X\n公司2023年收入为100.00万元。\n其次,毛利率为20.00%。")
    blocks = precedent_blocks(p, _names())
    assert all(b.style == "precedent" for b in blocks)
    head = blocks[0].text
    assert head.startswith(MARK) and "003.txt" in head and "2.(1)" in head and "相似度41" in head
    assert blocks[-1].text == END and len(blocks) == 4  # header, two lines (the repeated request dropped), end


def _precedent_paras(path: Path):
    import docx

    d = docx.Document(str(path))
    out, section = [], None
    for p in d.paragraphs:
        sid = p.style.style_id
        if sid == "Heading2":
            section = p.text
        if sid == "ReplyPrecedent":
            out.append((p, section))
    return out


@pytest.fixture(scope="module")
def libs(tmp_path_factory, reply002, reply003):
    root = tmp_path_factory.mktemp("prec")
    out = {}
    for key, reply in (("002", reply002), ("003", reply003)):
        res = add_files([reply], db=root / f"lib{key}.sqlite3")
        assert not isinstance(res[0], UserError), res
        out[key] = root / f"lib{key}.sqlite3"
    return out


@pytest.mark.parametrize("letter,company,other,theirs", [
    ("002", "company_002.yaml", "003", NAMES_003),
    ("003", "company_003.yaml", "002", NAMES_002),
])
def test_draft_with_the_other_library_inserts_adapted_blocks(tmp_path, corpus, libs, letter, company, other, theirs):
    from drafter.draft import draft_with_summary

    src = next(corpus.glob(f"{letter}_*.txt"))
    out = tmp_path / f"draft{letter}.docx"
    res = draft_with_summary(src, DATA / company, out, library=libs[other])
    assert res.precedent_form == "inline" and res.precedents >= 3
    assert "【参考先例】 block" in "\n".join(res.summary_lines())
    paras = _precedent_paras(out)
    heads = [p for p, _ in paras if p.text.startswith(MARK)]
    assert len(heads) == res.precedents == sum(p.text == END for p, _ in paras)
    # the source is named: file, question and request id, score
    assert all(f"{other}_" in h.text and "相似度" in h.text for h in heads)
    # adapted: the passages no longer name the precedent's issuer nor its intermediaries
    body = [p.text for p, _ in paras if not p.text.startswith(MARK)]
    for name in theirs:
        assert not any(name in t for t in body), name
    # figures, dates and names of the precedent are highlighted to verify
    verify = [r for p, _ in paras for r in p.runs
              if r._r.rPr is not None and r._r.rPr.rStyle is not None and r._r.rPr.rStyle.val == "ReplyVerify"]
    assert len(verify) >= 10 and all(r._r.rPr.find(f"{W}highlight") is not None for r in verify)
    # shaded, its own style, and only in the issuer's part (never in 中介机构核查 / 核查意见)
    import docx

    styles = docx.Document(str(out)).styles
    assert styles["Reply Precedent"].element.pPr.find(f"{W}shd") is not None
    assert all("核查" not in (section or "") for _, section in paras)

    # drafter review: every block is blocking, with its location
    r = CliRunner().invoke(main, ["review", str(out), "--json"])
    assert r.exit_code == 1
    found = [f for f in json.loads(r.stdout)["findings"] if f["kind"] == "precedent"]
    assert len(found) == res.precedents and all(f["severity"] == "blocking" for f in found)
    assert all(f["question"] and f["request_id"] for f in found)


def test_comments_and_off(tmp_path, corpus, libs):
    from drafter.draft import draft_with_summary

    src = next(corpus.glob("002_*.txt"))
    res = draft_with_summary(src, DATA / "company_002.yaml", tmp_path / "c.docx", library=libs["003"],
                             precedents="comments")
    assert res.precedent_form == "comments" and res.precedents > 0 and not _precedent_paras(res.path)
    r = CliRunner().invoke(main, ["draft", str(src), "--company", str(DATA / "company_002.yaml"),
                                  "-o", str(tmp_path / "o.docx"), "--library", str(libs["003"]), "--precedents", "off"])
    assert r.exit_code == 0, r.output
    assert "no precedent library consulted" in r.stdout and not _precedent_paras(tmp_path / "o.docx")
