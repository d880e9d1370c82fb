"""Precedent library: harvest replies into SQLite, search them offline (drafter.library, `drafter library`)."""
from __future__ import annotations

import json
import shutil
import sqlite3

import pytest
from click.testing import CliRunner

from drafter.cli import main
from drafter.errors import UserError
from drafter.library import (
    Library, add_files, fill_topics, open_library, precedents_for, search, stats,
)
from drafter.library import harvest as harvest_mod

# Our own rewordings of requests of the two shared replies: (question, request id, paraphrase).
PARAPHRASES = [
    (1, "1.(3)", "请说明研发人员的学历、专业背景、从业年限和薪酬水平,以及研发人员认定标准"),
    (15, "15.(1)", "分析各报告期末存货余额与在手订单是否匹配,说明存货有无订单支撑"),
    (14, "14.(3)", "说明应收账款逾期的客户、金额和比例,逾期原因以及期后回款情况"),
    (12, "12.(3)", "量化说明原材料涨价对公司毛利率的影响及今后趋势"),
    (8, "8.(6)", "出口退税与境外销售规模是否匹配,报关数据与公司数据是否一致及差异原因"),
    (13, "13.(3)", "说明质保费占收入比例波动的原因,质保费计提是否充分"),
    (4, "4.(4)", "银行承兑汇票保证金比例与可比公司相比的差异及原因,保证金比例能否持续"),
    (6, "6.(2)②", "库龄一年以上的库存商品长期未售出的原因,存货跌价准备计提是否充分"),
    (6, "6.(1)", "说明产能利用率偏低的原因及合理性,结合生产工序和制约产能的因素分析"),
    (13, "13.(8)", "说明股权激励的对象和过程,权益工具公允价值如何确定,股份支付处理是否合规"),
    (6, "6.(1)①", "说明公司向新加坡子公司增资的原因,结合该子公司经营现状和计划"),
    (16, "16", "机器设备规模与业务规模是否匹配,固定资产未计提减值准备是否恰当"),
    (9, "9.(4)", "报告期是否存在异常新增客户,客户与发行人之间是否存在关联关系或利益安排"),
    (13, "13.(2)", "结合运输量、运输距离和收入区域分布,分析单位运费和运费占收入比例变动的原因"),
    (3, "3.(5)②", "角料委外入库量占产量的比例为何逐期提高"),
]


@pytest.fixture(scope="module")
def libdb(tmp_path_factory, reply002, reply003):
    """A library holding the two shared replies (built once for this module)."""
    db = tmp_path_factory.mktemp("lib") / "library.sqlite3"
    results = add_files([reply002, reply003], db=db)
    assert all(not isinstance(r, UserError) for r in results), results
    return db


@pytest.fixture(scope="module")
def lib(libdb):
    with open_library(libdb, create=False) as lib:
        yield lib


def _stored(lib: Library) -> list[tuple[str, str, str]]:
    return lib.db.execute(
        "SELECT rp.path, req.rid, req.text FROM requests req JOIN replies rp ON rp.id = req.reply_id").fetchall()


# ---- harvest
def test_both_replies_store_all_127_requests_with_answers(libdb):
    st = stats(libdb)
    assert (st.replies, st.questions, st.requests) == (2, 23, 127)
    assert st.answered == 127  # 002 3.(3) answers on its subheading's own line: kept too
    assert st.by_board == {"创业板": 77, "北交所": 50}
    assert sum(st.by_topic.values()) == 127


def test_metadata_per_reply(lib, reply002, reply003):
    rows = {p: r for p, *r in lib.db.execute(
        "SELECT path, issuer, exchange, board, offering_kind, round, year, letter_number FROM replies")}
    r2, r3 = rows[str(reply002.resolve())], rows[str(reply003.resolve())]
    assert r2[:3] == ["深圳市优优绿能股份有限公司", "深圳证券交易所", "创业板"]
    assert r2[5] == 2023 and "010019" in r2[6]
    assert r3[:3] == ["温州聚星科技股份有限公司", "北京证券交易所", "北交所"]
    assert r3[4] == "第二轮" and r3[5] == 2024


def test_answers_are_the_text_under_each_request(lib):
    answer = dict(lib.db.execute(
        "SELECT req.rid, req.answer FROM requests req JOIN replies rp ON rp.id = req.reply_id"
        " WHERE rp.board = '创业板'").fetchall())
    # 002, 14.(3): overdue receivables; the answer tabulates them and their later collection.
    assert "逾期" in answer["14.(3)"] and "期后回款" in answer["14.(3)"]
    # 002, 6.(1): capacity utilisation; the answer does not run into 6.(2)'s outsourcing answer.
    assert "产能" in answer["6.(1)"]
    assert not answer["6.(1)"].startswith("结合各产品类别")
    # No answer keeps its subheading (which only repeats the request) as its first line.
    assert not answer["15.(1)"].startswith("(一)")


def test_verification_blocks_kept_per_question(lib):
    proc, opin = lib.db.execute(
        "SELECT q.procedures, q.opinion FROM questions q JOIN replies rp ON rp.id = q.reply_id"
        " WHERE rp.board = '创业板' AND q.number = 12").fetchone()
    assert "核查程序" in proc and "访谈" in proc
    assert opin.startswith("经核查") and "毛利率" in opin


# ---- search
def test_own_wording_comes_first_for_every_request(lib):
    for path, rid, text in _stored(lib):
        top = lib.search(text, limit=1)
        assert top and top[0].request == text and top[0].source == path, (rid, text[:40])


@pytest.mark.parametrize("number, rid, query", PARAPHRASES, ids=[p[1] for p in PARAPHRASES])
def test_paraphrase_found_in_top3_with_its_answer(lib, reply002, reply003, number, rid, query):
    hits = lib.search(query, limit=3)
    source = str((reply003 if rid in ("4.(4)", "6.(2)②", "6.(1)①", "3.(5)②") else reply002).resolve())
    match = [h for h in hits if h.request_id == rid and h.source == source]
    assert match, [(h.request_id, h.score) for h in hits]
    assert len(match[0].answer) > 100  # the hit carries its answer text
    assert match[0].question.startswith(("问题" if "corpus/003" in source else "", f"{number}"))


def test_hits_are_ranked_scored_and_described(lib):
    hits = lib.search("说明应收账款逾期的客户、金额和比例,逾期原因以及期后回款情况", limit=5)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert 0 < hits[-1].score <= hits[0].score <= 100
    top = hits[0]
    assert top.issuer == "深圳市优优绿能股份有限公司" and top.board == "创业板" and top.year == 2023
    assert top.topic == "accounts_receivable"
    assert top.procedures and top.opinion


def test_short_queries(lib):
    two = lib.search("毛利", limit=10)
    assert len(two) == 10 and all("毛利" in h.request for h in two)
    one = lib.search("税", limit=5)
    assert one and all("税" in h.request for h in one)
    few = lib.search("出口退税", limit=3)
    assert few[0].request_id == "8.(6)"


def test_filters_by_board_and_topic(lib):
    hits = lib.search("毛利率变动的原因及合理性", board="北交所", limit=10)
    assert hits and all(h.board == "北交所" for h in hits)
    hits = lib.search("说明存货跌价准备计提是否充分", topic="inventory", limit=10)
    assert hits and all("inventory" in h.topics for h in hits)
    assert hits[0].request_id in ("15.(3)", "6.(2)①", "6.(2)②")
    assert lib.search("说明存货跌价准备计提是否充分", board="主板") == []


def test_unknown_topic_is_a_user_error(libdb):
    with pytest.raises(UserError, match="unknown topic id 'inventry'.*inventory"):
        search("存货", topic="inventry", db=libdb)


def test_precedents_for(libdb, tmp_path):
    got = precedents_for("说明质保费占收入比例波动的原因,质保费计提是否充分", db=libdb)
    assert 1 <= len(got) <= 3 and got[0].request_id == "13.(3)" and got[0].answer
    got = precedents_for("说明质保费计提是否充分", topic="period_expenses", limit=2, db=libdb)
    assert len(got) <= 2 and got[0].request_id == "13.(3)"
    assert precedents_for("请说明公司食堂的菜单和就餐安排", db=libdb) == []  # nothing close enough
    assert precedents_for("任何请求", db=tmp_path / "none.sqlite3") == []  # no library: no precedents
    assert not (tmp_path / "none.sqlite3").exists()  # and none created as a side effect


# ---- updates, never duplicates
def test_readd_updates_never_duplicates(tmp_path, reply003):
    db = tmp_path / "lib.sqlite3"
    copy = tmp_path / "r003.txt"
    shutil.copy(reply003, copy)
    first = add_files([copy], db=db)[0]
    assert first.status == "added" and first.requests == 50
    assert add_files([copy], db=db)[0].status == "unchanged"
    other = tmp_path / "same_content.txt"  # the same content under another name: one reply
    shutil.copy(reply003, other)
    assert add_files([other], db=db)[0].status == "updated"
    with copy.open("a", encoding="utf-8") as f:  # `copy` changed on disk: new content, new reply
        f.write("\n")
    assert add_files([copy], db=db)[0].status == "added"
    with copy.open("a", encoding="utf-8") as f:  # changed again: the stored version is replaced
        f.write("\n")
    assert add_files([copy], db=db)[0].status == "updated"
    st = stats(db)
    assert (st.replies, st.requests) == (2, 100)  # `other` and the changed `copy` are two contents
    add_files([other, copy], db=db)
    with open_library(db) as lib:
        assert lib.db.execute("SELECT count(*) FROM requests_fts").fetchone()[0] == 100
        assert lib.db.execute("SELECT count(*) FROM requests_bi").fetchone()[0] == 100
        assert lib.db.execute("SELECT min(df) FROM grams").fetchone()[0] >= 1
        assert lib.db.execute("SELECT df FROM grams WHERE term='春禄'").fetchone()[0] > 0


def test_topics_filled_later_when_matcher_was_missing(tmp_path, reply003, monkeypatch):
    db = tmp_path / "lib.sqlite3"
    monkeypatch.setattr(harvest_mod, "match_topics", lambda letter: None)
    res = add_files([reply003], db=db)[0]
    assert not res.tagged and stats(db).untagged == 50
    monkeypatch.undo()
    with open_library(db) as lib:
        assert fill_topics(lib) == 1
    st = stats(db)
    assert st.untagged == 0 and "(none)" not in st.by_topic


# ---- the file
def test_database_is_a_plain_sqlite_file(libdb):
    con = sqlite3.connect(libdb)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file to copy
    names = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    assert {"replies", "questions", "requests", "requests_fts", "requests_bi"} <= names
    con.close()


def test_foreign_database_refused(tmp_path):
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t(x)")
    con.commit()
    con.close()
    with pytest.raises(UserError, match="not a drafter library"):
        Library(other)
    junk = tmp_path / "junk.db"
    junk.write_text("hello, not a database" * 100)
    with pytest.raises(UserError, match="not a drafter library"):
        Library(junk)
    assert junk.read_text().startswith("hello")  # untouched


# ---- CLI
def test_cli_add_reports_each_bad_file_and_continues(tmp_path, reply003):
    db = tmp_path / "lib.sqlite3"
    letter = tmp_path / "letter.txt"
    letter.write_text("关于X公司申请文件的审核问询函\n\n1.关于收入\n\n请发行人说明收入增长的原因。\n", encoding="utf-8")
    junk = tmp_path / "junk.docx"
    junk.write_bytes(b"\x00\x01 not a zip")
    r = CliRunner().invoke(main, ["library", "add", str(tmp_path / "missing.txt"), str(letter), str(junk),
                                  str(reply003), "--db", str(db)])
    assert r.exit_code == 2
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("drafter: ")]
    assert len(errors) == 3 and "missing.txt: no such file" in errors[0]
    assert "not a reply" in errors[1] and "junk.docx" in errors[2]
    assert "Traceback" not in r.output
    assert "added" in r.stderr and "50 requests" in r.stderr
    assert stats(db).requests == 50


def test_cli_search_and_stats_json(libdb):
    runner = CliRunner()
    r = runner.invoke(main, ["library", "search", "量化说明原材料涨价对公司毛利率的影响", "--json", "--limit", "3",
                             "--db", str(libdb)])
    assert r.exit_code == 0, r.output
    res = json.loads(r.stdout)["results"]
    assert len(res) == 3 and res[0]["request_id"] == "12.(3)"
    assert {"request", "answer", "source", "topic", "score"} <= set(res[0])
    r = runner.invoke(main, ["library", "search", "存货跌价", "--board", "创业板", "--db", str(libdb)])
    assert r.exit_code == 0 and "存货" in r.stdout and "回复:" in r.stdout
    r = runner.invoke(main, ["library", "stats", "--json", "--db", str(libdb)])
    st = json.loads(r.stdout)
    assert (st["replies"], st["questions"], st["requests"]) == (2, 23, 127) and st["by_topic"]


def test_cli_bad_topic_and_missing_library(tmp_path, libdb):
    runner = CliRunner()
    r = runner.invoke(main, ["library", "search", "存货", "--topic", "nope", "--db", str(libdb)])
    assert r.exit_code == 2 and r.stderr.count("\n") == 1 and "unknown topic id 'nope'" in r.stderr
    r = runner.invoke(main, ["library", "search", "存货", "--db", str(tmp_path / "none.sqlite3")])
    assert r.exit_code == 2 and "no precedent library here yet" in r.stderr
    assert not (tmp_path / "none.sqlite3").exists()


def test_docx_reply_is_harvested(tmp_path, reply002):
    """A DOCX reply: the cover, opening and questions 1-3 of 002 written as Word paragraphs."""
    docx = pytest.importorskip("docx")
    lines = reply002.read_text(encoding="utf-8").splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("关于深圳市优优绿能"))
    q4 = next(i for i, ln in enumerate(lines) if ln == "4.关于股权变动与历史沿革")
    doc = docx.Document()
    for ln in lines[start:q4]:
        if ln.strip():
            doc.add_paragraph(ln)
    path = tmp_path / "reply_q1-3.docx"
    doc.save(path)
    db = tmp_path / "lib.sqlite3"
    res = add_files([path], db=db)[0]
    assert not isinstance(res, UserError), res
    assert (res.questions, res.requests) == (3, 14) and res.answered >= 13
    hit = search("说明具备自行生产能力的客户向发行人采购充电模块的原因", db=db, limit=1)[0]
    assert hit.request_id == "3.(5)" and hit.source == str(path.resolve()) and "自" in hit.answer
