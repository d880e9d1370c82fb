"""Searching what was answered (answers, 核查程序, 核查意见), removing replies, schema migration, progress."""
from __future__ import annotations

import json
import shutil
import sqlite3

import pytest
from click.testing import CliRunner

from drafter.cli import main
from drafter.errors import UserError
from drafter.library import add_files, list_replies, open_library, remove, search_passages, stats
from drafter.library.passages import find_spans
from drafter.library.store import SCHEMA_VERSION


@pytest.fixture(scope="module")
def both(tmp_path_factory, reply002, reply003):
    db = tmp_path_factory.mktemp("search") / "library.sqlite3"
    res = add_files([reply002, reply003], db=db)
    assert all(not isinstance(r, UserError) for r in res), res
    return db


def test_hanzheng_is_found_in_answers_and_procedures(both):
    hits = search_passages("函证", db=both, limit=200)
    kinds = {h.kind for h in hits}
    assert {"answer", "procedure"} <= kinds
    # every hit shows the term where it matched
    for h in hits:
        assert h.spans and all(h.snippet[a:b] == "函证" for a, b in h.spans)
        assert "[函证]" in h.marked()
    # both replies describe their 函证
    assert {"深圳市优优绿能股份有限公司", "温州聚星科技股份有限公司"} <= {h.issuer for h in hits}
    # the requests alone (the old search) hold almost none of them
    assert sum(h.matches for h in hits) >= 60


def test_cli_search_in_all_and_in_one_place(both):
    runner = CliRunner()
    r = runner.invoke(main, ["library", "search", "函证", "--db", str(both)])
    assert r.exit_code == 0, r.output
    assert "matched in: answer" in r.stdout and "matched in: procedure" in r.stdout and "[函证]" in r.stdout
    r = runner.invoke(main, ["library", "search", "函证", "--in", "procedure", "--json", "--limit", "50", "--db", str(both)])
    out = json.loads(r.stdout)
    assert out["results"] == [] and out["passages"] and {p["kind"] for p in out["passages"]} == {"procedure"}
    r = runner.invoke(main, ["library", "search", "回函", "--in", "opinion", "--json", "--db", str(both)])
    assert all(p["kind"] == "opinion" for p in json.loads(r.stdout)["passages"])
    # a request's wording still ranks requests (matched in: request)
    r = runner.invoke(main, ["library", "search", "量化说明原材料涨价对公司毛利率的影响", "--in", "request",
                             "--db", str(both)])
    assert r.exit_code == 0 and "matched in: request" in r.stdout and "passages containing" not in r.stdout


def test_one_and_two_character_terms(both):
    one = search_passages("税", ("answer",), db=both, limit=5)
    assert len(one) == 5 and all("税" in h.snippet for h in one)
    two = search_passages("监盘", ("procedure",), db=both, limit=5)
    assert two and all(h.kind == "procedure" and "监盘" in h.snippet for h in two)
    # several terms: every one must be there (a short one and a long one together)
    mixed = search_passages("函证 回函比例", db=both, limit=20)
    assert mixed
    for h in mixed:
        assert {"函证", "回函比例"} <= {h.snippet[a:b] for a, b in h.spans} or h.matches >= 2


def test_find_spans_maps_full_width_back():
    text = "对主要客户执行ＡＢＣ函证,回函率为９５％。"
    spans = find_spans(text, ["abc函证"])
    assert [text[a:b] for a, b in spans] == ["ＡＢＣ函证"]


def test_remove_by_file_and_id(tmp_path, reply002, reply003):
    db = tmp_path / "lib.sqlite3"
    add_files([reply002, reply003], db=db)
    assert stats(db).replies == 2
    gone = remove(str(reply002), db=db)
    assert len(gone) == 1 and gone[0][1] == str(reply002.resolve())
    st = stats(db)
    assert (st.replies, st.requests) == (1, 50)
    assert all(h.issuer == "温州聚星科技股份有限公司" for h in search_passages("函证", db=db, limit=50))
    rid = list_replies(db)[0][0]
    r = CliRunner().invoke(main, ["library", "remove", str(rid), "--db", str(db)])
    assert r.exit_code == 0 and "removed" in r.stderr
    assert stats(db).replies == 0
    with open_library(db, create=False) as lib:  # nothing of them left in any index
        assert lib.db.execute("SELECT count(*) FROM passages_fts").fetchone()[0] == 0
        assert lib.db.execute("SELECT count(*) FROM requests_fts").fetchone()[0] == 0
    r = CliRunner().invoke(main, ["library", "remove", "nope.txt", "--db", str(db)])
    assert r.exit_code == 2 and "no stored reply" in r.stderr


def test_old_library_is_migrated_in_place(tmp_path, both, reply002, reply003):
    db = tmp_path / "old.sqlite3"
    shutil.copy(both, db)
    con = sqlite3.connect(db)  # make it a schema-1 library: no passages, no parties
    con.executescript("DROP TABLE passages_fts; DROP TABLE passages; DROP TABLE parties; "
                      "UPDATE replies SET harvester=1; PRAGMA user_version=1;")
    con.close()
    hits = search_passages("函证", db=db, limit=100)  # opening it migrates it, from what it stored
    assert "procedure" in {h.kind for h in hits}
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
    assert con.execute("SELECT count(*) FROM passages WHERE kind='request'").fetchone()[0] == 127
    con.close()
    # re-adding the files (a newer harvester) refreshes them: intermediaries and verification answers too
    res = add_files([reply002, reply003], db=db)
    assert [r.status for r in res] == ["updated", "updated"]
    assert {"answer", "procedure"} <= {h.kind for h in search_passages("函证", db=db, limit=100)}


def test_newer_library_is_refused(tmp_path, both):
    db = tmp_path / "new.sqlite3"
    shutil.copy(both, db)
    con = sqlite3.connect(db)
    con.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    con.close()
    r = CliRunner().invoke(main, ["library", "search", "函证", "--db", str(db)])
    assert r.exit_code == 2 and "newer drafter" in r.stderr


def test_add_many_without_terminal_prints_lines_not_a_bar(tmp_path, reply002, reply003):
    r = CliRunner().invoke(main, ["library", "add", str(reply002), str(reply003), "--db", str(tmp_path / "l.sqlite3")])
    assert r.exit_code == 0, r.output
    assert "[1/2] added" in r.stderr and "[2/2] added" in r.stderr and "\r" not in r.stderr
    assert "2 of 2 file(s) stored" in r.stderr


def test_intermediaries_are_stored(both):
    from drafter.library.passages import parties_of

    with open_library(both, create=False) as lib:
        paths = {p: i for i, p, *_ in lib.db.execute("SELECT id, path, issuer FROM replies")}
        by_issuer = {iss: parties_of(lib.db, p) for p, iss in lib.db.execute("SELECT path, issuer FROM replies")}
    assert paths
    p2 = by_issuer["深圳市优优绿能股份有限公司"]
    assert p2["sponsor"] == "民生证券股份有限公司" and p2["lawyer"] == "广东信达律师事务所"
    assert p2["short_names"] == ["优优绿能"] and p2["auditor"].startswith("致同会计师事务所")
    assert by_issuer["温州聚星科技股份有限公司"]["sponsor"] == "国投证券股份有限公司"
