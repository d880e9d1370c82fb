"""The SQLite store of the precedent library: one plain database file the user can copy or back up.

Tables: `replies` (one row per harvested reply file, keyed by content hash and resolved path),
`questions`, `requests` (request text + answer text), `requests_fts` (FTS5, trigram tokenizer, over
the normalised request text: substring search), `requests_bi` (FTS5 over the request's character
bigrams as tokens: word-level search for Chinese) and `grams` (document frequency of each bigram,
to pick a query's distinctive words without scanning the index).
"""
from __future__ import annotations

import functools
import math
import os
import sqlite3
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from ..errors import UserError
from .models import LibraryStats, Precedent, ReplyRecord
from .passages import delete_passages, migrate, put_extra
from .text import bigram_body, bigrams, fts_phrase, half_up, normalize, pick_terms, similarity

SCHEMA_VERSION = 2  # 2: intermediaries of each reply; passages (answers, 核查程序, 核查意见) searchable
HARVESTER_VERSION = 2  # 2: parties and other answers (H9). Bump when harvesting changes so re-adding an unchanged file refreshes it
APP_ID = 0x44524654  # "DRFT": marks the file as a drafter library
POSTINGS_BUDGET = 20_000  # index entries read per search (keeps a search fast at 100k+ requests)
MAX_QUERY = 20_000  # characters of search text (a long request has about 2,000)
MAX_LIKE = 1_000  # a substring scan only for text this short (SQLite refuses very long LIKE patterns)
SHORT_QUERY = 12  # up to this many characters, requests containing the query as written are tried first
_JOINS = (" JOIN requests req ON req.id = f.rowid JOIN questions q ON q.id = req.question_id"
          " JOIN replies rp ON rp.id = req.reply_id")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS replies(
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  title TEXT, issuer TEXT, exchange TEXT, board TEXT, offering_kind TEXT, round TEXT, year INTEGER,
  letter_date TEXT, letter_number TEXT,
  letter_json TEXT NOT NULL DEFAULT '',
  tagged INTEGER NOT NULL DEFAULT 0,
  harvester INTEGER NOT NULL DEFAULT 0,
  added_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS replies_sha ON replies(sha256);
CREATE INDEX IF NOT EXISTS replies_path ON replies(path);
CREATE TABLE IF NOT EXISTS questions(
  id INTEGER PRIMARY KEY,
  reply_id INTEGER NOT NULL REFERENCES replies(id) ON DELETE CASCADE,
  number INTEGER NOT NULL, label TEXT, title TEXT, text TEXT,
  procedures TEXT NOT NULL DEFAULT '', opinion TEXT NOT NULL DEFAULT '',
  topic TEXT
);
CREATE INDEX IF NOT EXISTS questions_reply ON questions(reply_id);
CREATE TABLE IF NOT EXISTS requests(
  id INTEGER PRIMARY KEY,
  reply_id INTEGER NOT NULL REFERENCES replies(id) ON DELETE CASCADE,
  question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
  rid TEXT NOT NULL, label TEXT, text TEXT NOT NULL, answer TEXT NOT NULL DEFAULT '',
  disclose INTEGER NOT NULL DEFAULT 0,
  topic TEXT, topics TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS requests_reply ON requests(reply_id);
CREATE INDEX IF NOT EXISTS requests_topic ON requests(topic);
CREATE VIRTUAL TABLE IF NOT EXISTS requests_fts USING fts5(body, tokenize='trigram');
CREATE VIRTUAL TABLE IF NOT EXISTS requests_bi USING fts5(body, tokenize='unicode61');
CREATE TABLE IF NOT EXISTS grams(term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
""" + """
CREATE TABLE IF NOT EXISTS parties(
  reply_id INTEGER PRIMARY KEY REFERENCES replies(id) ON DELETE CASCADE,
  short_names TEXT NOT NULL DEFAULT '', sponsor TEXT, auditor TEXT, lawyer TEXT
);
CREATE TABLE IF NOT EXISTS passages(
  id INTEGER PRIMARY KEY,
  reply_id INTEGER NOT NULL REFERENCES replies(id) ON DELETE CASCADE,
  question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
  request_id INTEGER REFERENCES requests(id) ON DELETE CASCADE,
  kind TEXT NOT NULL, text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS passages_reply ON passages(reply_id);
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(body, tokenize='trigram');
"""


class LibraryUnreadable(UserError):
    """The library file itself is damaged, foreign or locked: every later file or search would fail too."""


def _db_errors(method):
    """An SQLite failure inside the library (a damaged page, a file that is no database, a lock held
    too long) is one line naming the library, never a traceback."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as e:
            raise LibraryUnreadable(_explain(e), file=str(self.path)) from None

    return wrapper


def guarded(lib: "Library", fn, *args, **kwargs):
    """Run `fn(*args)` against the library's database with the same one-line errors as its methods."""
    try:
        return fn(*args, **kwargs)
    except sqlite3.DatabaseError as e:
        raise LibraryUnreadable(_explain(e), file=str(lib.path)) from None


def _explain(e: sqlite3.DatabaseError) -> str:
    msg = str(e)
    if "locked" in msg or "busy" in msg:
        return f"the precedent library is busy (another drafter is writing to it: {msg}); try again"
    if "malformed" in msg or "not a database" in msg or "corrupt" in msg:
        return (f"the precedent library is damaged ({msg}); restore it from a backup or build a new one "
                "with `drafter library add`")
    return f"cannot use the precedent library ({msg})"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def check_sqlite() -> None:
    """FTS5's trigram tokenizer arrived in SQLite 3.34."""
    if sqlite3.sqlite_version_info < (3, 34, 0):
        raise UserError(
            f"the precedent library needs SQLite 3.34 or newer (FTS5 trigram); this Python has {sqlite3.sqlite_version}"
        )


class Library:
    """An open precedent library. Use as a context manager, or call close()."""

    def __init__(self, path: str | Path, create: bool = True):
        check_sqlite()
        self.path = Path(path).expanduser()
        if self.path.is_dir():
            raise UserError("is a folder, not a library database", file=str(self.path))
        if not self.path.exists():
            if not create:
                raise UserError("no precedent library here yet (add replies with `drafter library add`)",
                                file=str(self.path))
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise UserError(f"cannot create its folder: {e.strerror or e}", file=str(self.path)) from None
        if create:  # opened to write: say so now rather than fail on the first file stored
            folder = self.path.parent
            if self.path.exists() and not os.access(self.path, os.R_OK | os.W_OK):
                raise UserError("the library file is read-only here; cannot store replies in it",
                                file=str(self.path))
            if not os.access(folder, os.W_OK | os.X_OK):
                raise UserError(f"cannot write in folder {folder} (SQLite keeps its journal beside the library)",
                                file=str(self.path))
        try:
            self.db = sqlite3.connect(self.path, timeout=30)  # wait (busy timeout) for another drafter writing
            self.db.execute("PRAGMA foreign_keys=ON")
            self._init(create)
        except sqlite3.OperationalError as e:
            raise LibraryUnreadable(_explain(e), file=str(self.path)) from None
        except sqlite3.DatabaseError as e:
            raise LibraryUnreadable(f"not a drafter library database ({e})", file=str(self.path)) from None

    # ---- lifecycle
    def _init(self, create: bool = True) -> None:
        """Check the file is a drafter library; a new (empty) file gets the schema and the marker in
        one transaction, so an interrupted or concurrent first `library add` never leaves a file with
        tables but no marker."""
        db = self.db
        app_id, version, names = self._header()
        if names and app_id != APP_ID and not self._unfinished(app_id, version, names):
            raise UserError("is an SQLite database but not a drafter library; not touched", file=str(self.path))
        if version > SCHEMA_VERSION:
            raise UserError(f"was written by a newer drafter (schema {version}); update drafter", file=str(self.path))
        if create:  # while writing: WAL (readers never block the writer, nor it them); close() goes back
            self._wal = db.execute("PRAGMA journal_mode=WAL").fetchone()[0].lower() == "wal"
        if app_id == APP_ID and names:
            if create:  # about to store: a damaged library is found now, not after harvesting
                self.check()
            if version < SCHEMA_VERSION:  # an older library is upgraded in place (one transaction)
                migrate(db, version, self.path, _SCHEMA, SCHEMA_VERSION)
            return
        if not create:
            return
        db.isolation_level = None
        try:
            db.execute("BEGIN IMMEDIATE")  # one writer at a time; the others wait (busy timeout)
            try:
                app_id, version, names = self._header()  # another drafter may have just created it
                if not (app_id == APP_ID and names):
                    for stmt in _SCHEMA.split(";"):
                        if stmt.strip():
                            db.execute(stmt)
                    db.execute(f"PRAGMA application_id={APP_ID}")
                    db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        finally:
            db.isolation_level = ""

    def _header(self) -> tuple[int, int, set[str]]:
        db = self.db
        app_id = db.execute("PRAGMA application_id").fetchone()[0]
        version = db.execute("PRAGMA user_version").fetchone()[0]
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")}
        return app_id, version, names

    @staticmethod
    def _unfinished(app_id: int, version: int, names: set[str]) -> bool:
        """A library an older drafter began and was stopped before marking (only our own tables, no
        marker): finished now instead of refused forever."""
        ours = {"replies", "questions", "requests", "grams", "replies_sha", "replies_path", "questions_reply",
                "requests_reply", "requests_topic", "parties", "passages", "passages_reply"}
        return (app_id == 0 and version == 0 and "replies" in names
                and all(n in ours or n.startswith(("requests_fts", "requests_bi", "passages_fts", "sqlite_")) for n in names))

    @_db_errors
    def check(self) -> None:
        """Read the whole file once (PRAGMA quick_check): a damaged library is found before drafting."""
        row = self.db.execute("PRAGMA quick_check(1)").fetchone()
        if row is None or row[0] != "ok":
            detail = [ln for ln in (row[0] if row else "no answer").splitlines() if not ln.startswith("***")]
            raise sqlite3.DatabaseError(f"database disk image is malformed: {detail[0] if detail else row[0]}")

    _wal = False

    def close(self) -> None:
        if self._wal:  # at rest the library is one plain file to copy; another drafter still writing keeps WAL
            try:
                self.db.execute("PRAGMA journal_mode=DELETE")
            except sqlite3.Error:
                pass
        self.db.close()

    def __enter__(self) -> "Library":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- writing
    @_db_errors
    def find(self, path: str, sha256: str) -> list[tuple]:
        """Stored replies with this resolved path or this content: (id, path, sha256, harvester, tagged)."""
        return self.db.execute(
            "SELECT id, path, sha256, harvester, tagged FROM replies WHERE path=? OR sha256=?", (path, sha256)
        ).fetchall()

    def is_current(self, path: str, sha256: str, want_tags: bool) -> bool:
        """True when this exact file is stored by this harvester (and tagged, if a matcher exists)."""
        return any(
            p == path and s == sha256 and h == HARVESTER_VERSION and (t or not want_tags)
            for _, p, s, h, t in self.find(path, sha256)
        )

    @_db_errors
    def put(self, rec: ReplyRecord) -> str:
        """Store a harvested reply, replacing any earlier version of the same file or content.

        Returns "added" or "updated". One transaction: a failure leaves the library as it was.
        """
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")  # take the write lock first: no lock upgrade to fail later
            old = self.find(rec.path, rec.sha256)
            added_at = None
            for rid, *_ in old:
                added_at = added_at or self.db.execute(
                    "SELECT added_at FROM replies WHERE id=?", (rid,)).fetchone()[0]
                self._delete(rid)
            now = _now()
            cur = self.db.execute(
                "INSERT INTO replies(path, sha256, title, issuer, exchange, board, offering_kind, round, year,"
                " letter_date, letter_number, letter_json, tagged, harvester, added_at, updated_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (rec.path, rec.sha256, rec.title, rec.issuer, rec.exchange, rec.board, rec.offering_kind,
                 rec.round, rec.year, rec.letter_date, rec.letter_number, rec.letter_json, int(rec.tagged),
                 HARVESTER_VERSION, added_at or now, now),
            )
            reply_id = cur.lastrowid
            df: Counter[str] = Counter()
            fts_rows = []
            for q in rec.questions:
                qid = self.db.execute(
                    "INSERT INTO questions(reply_id, number, label, title, text, procedures, opinion, topic)"
                    " VALUES (?,?,?,?,?,?,?,?)",
                    (reply_id, q.number, q.label, q.title, q.text, q.procedures, q.opinion, q.topic),
                ).lastrowid
                for r in q.requests:
                    req_id = self.db.execute(
                        "INSERT INTO requests(reply_id, question_id, rid, label, text, answer, disclose, topic, topics)"
                        " VALUES (?,?,?,?,?,?,?,?,?)",
                        (reply_id, qid, r.rid, r.label, r.text, r.answer, int(r.disclose), r.topic,
                         _topics_col(r.topics)),
                    ).lastrowid
                    body = normalize(r.text)
                    fts_rows.append((req_id, body, bigram_body(body)))
                    df.update(bigrams(body))
            self.db.executemany("INSERT INTO requests_fts(rowid, body) VALUES (?,?)", [r[:2] for r in fts_rows])
            self.db.executemany("INSERT INTO requests_bi(rowid, body) VALUES (?,?)", [(r[0], r[2]) for r in fts_rows])
            self.db.executemany(
                "INSERT INTO grams(term, df) VALUES (?,?) ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
                df.items(),
            )
            put_extra(self.db, reply_id, rec)  # H9: intermediaries and searchable passages
        return "updated" if old else "added"

    def _delete(self, reply_id: int) -> None:
        delete_passages(self.db, reply_id)  # H9: the passages' FTS rows (the rest cascades)
        rows = self.db.execute(
            "SELECT f.rowid, f.body FROM requests_fts f WHERE f.rowid IN (SELECT id FROM requests WHERE reply_id=?)",
            (reply_id,),
        ).fetchall()
        df: Counter[str] = Counter()
        for _, body in rows:
            df.update(bigrams(body))
        self.db.executemany("DELETE FROM requests_fts WHERE rowid=?", [(r[0],) for r in rows])
        self.db.executemany("DELETE FROM requests_bi WHERE rowid=?", [(r[0],) for r in rows])
        self.db.executemany("UPDATE grams SET df = df - ? WHERE term=?", [(n, t) for t, n in df.items()])
        self.db.execute("DELETE FROM grams WHERE df <= 0")
        self.db.execute("DELETE FROM replies WHERE id=?", (reply_id,))  # cascades to questions, requests

    @_db_errors
    def untagged(self) -> list[tuple[int, str]]:
        """(reply id, letter json) of replies the matcher has not tagged yet."""
        return self.db.execute("SELECT id, letter_json FROM replies WHERE tagged=0 AND letter_json<>''").fetchall()

    @_db_errors
    def set_topics(self, reply_id: int, questions: dict[int, str | None],
                   requests: dict[tuple[int, str], list[str]]) -> None:
        """Fill topics of a stored reply: question number -> topic; (question number, request id) -> topic ids."""
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            for number, topic in questions.items():
                self.db.execute("UPDATE questions SET topic=? WHERE reply_id=? AND number=?", (topic, reply_id, number))
            for (number, rid), topics in requests.items():
                self.db.execute(
                    "UPDATE requests SET topic=?, topics=? WHERE reply_id=? AND rid=?"
                    " AND question_id IN (SELECT id FROM questions WHERE reply_id=? AND number=?)",
                    (topics[0] if topics else None, _topics_col(topics), reply_id, rid, reply_id, number),
                )
            self.db.execute("UPDATE replies SET tagged=1 WHERE id=?", (reply_id,))

    # ---- reading
    @_db_errors
    def search(self, text: str, topic: str | None = None, board: str | None = None, limit: int = 10,
               candidates: int = 200) -> list[Precedent]:
        """Ranked precedents for `text`: FTS5 candidates (bm25; bigram words, trigram substrings), fuzzy re-rank."""
        if len(text) > MAX_QUERY:
            raise UserError(f"the search text is too long ({len(text):,} characters; the limit is {MAX_QUERY:,}): "
                            "give a request's wording or a few words")
        qn = normalize(text)
        if not qn:
            raise UserError("nothing to search for: the search text is empty")
        if limit < 1:
            return []
        where, params = [], []
        if topic:
            where.append("(req.topics LIKE ? OR (req.topics = '' AND q.topic = ?))")
            params += [f"%,{topic},%", topic]
        if board:
            where.append("rp.board = ?")
            params.append(board)
        filt = "".join(f" AND {w}" for w in where)
        n = max(candidates, limit * 5)
        qbi = bigrams(qn)
        df: dict[str, int] = {}
        if qbi:
            ph = ",".join("?" * len(qbi))
            df = dict(self.db.execute(f"SELECT term, df FROM grams WHERE term IN ({ph})", qbi).fetchall())
        found: dict[int, float] = {}  # rowid -> bm25 relative to the best of its search (0-1)

        def fts(table: str, expr: str) -> None:
            hits = self._fts(table, expr, filt, params, n)
            best = min((r for _, r in hits), default=0.0) or -1.0
            for rowid, rank in hits:
                found[rowid] = max(found.get(rowid, 0.0), rank / best)

        if 3 <= len(qn) <= SHORT_QUERY:
            fts("requests_fts", fts_phrase(qn))  # a few words: requests containing them as written
        terms = pick_terms(qbi, df, POSTINGS_BUDGET)
        if terms:
            fts("requests_bi", " OR ".join(fts_phrase(t) for t in terms))
        if found:
            ph = ",".join("?" * len(found))
            rows = self.db.execute(f"SELECT rowid, body FROM requests_fts WHERE rowid IN ({ph})", list(found)).fetchall()
        elif len(qn) > MAX_LIKE:
            rows = []  # a long text sharing no indexed word with any request is found nowhere as a whole
        else:
            # One character, or text with no indexed word: plain substring scan.
            like = qn.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            rows = self.db.execute(
                f"SELECT f.rowid, f.body FROM requests_fts f {_JOINS}"
                f" WHERE f.body LIKE ? ESCAPE '\\'{filt} LIMIT ?",
                [f"%{like}%", *params, n * 5],
            ).fetchall()
        if not rows:
            return []
        total = self._count()
        qw = {g: math.log((total + 1) / (df.get(g, 0) + 0.5)) for g in qbi}
        scored = []
        for rowid, body in rows:
            s = 0.9 * similarity(qn, qw, body) + 10.0 * found.get(rowid, 0.0)
            scored.append((s, rowid))
        scored.sort(key=lambda t: (-t[0], t[1]))
        return self._precedents(scored[:limit])

    def _count(self) -> int:
        return self.db.execute("SELECT max(rowid) FROM requests").fetchone()[0] or 0

    def _fts(self, table: str, expr: str, filt: str, params: list, n: int) -> list[tuple[int, float]]:
        """Top-n FTS5 matches (rowid, bm25). Without filters the FTS table alone is ranked (fastest);
        with filters, the best matches are filtered first and the whole match set only if too few remain."""
        if not filt:
            return self.db.execute(
                f"SELECT rowid, rank FROM {table} WHERE {table} MATCH ? ORDER BY rank LIMIT ?", (expr, n)).fetchall()
        joins = _JOINS.replace("f.rowid", "f.id")
        rows = self.db.execute(
            f"SELECT f.id, f.rank FROM (SELECT rowid AS id, rank FROM {table}"
            f" WHERE {table} MATCH ? ORDER BY rank LIMIT ?) f {joins} WHERE 1{filt} ORDER BY f.rank LIMIT ?",
            [expr, n * 10, *params, n]).fetchall()
        if len(rows) >= n:
            return rows
        return self.db.execute(
            f"SELECT f.rowid, f.rank FROM {table} f {_JOINS}"
            f" WHERE {table} MATCH ?{filt} ORDER BY f.rank LIMIT ?", [expr, *params, n]).fetchall()

    def _precedents(self, top: list[tuple[float, int]]) -> list[Precedent]:
        ids = [rid for _, rid in top]
        ph = ",".join("?" * len(ids))
        rows = self.db.execute(
            "SELECT req.id, req.text, req.answer, rp.path, req.topic, req.rid, q.label, q.title, q.procedures,"
            " q.opinion, rp.issuer, rp.exchange, rp.board, rp.offering_kind, rp.round, rp.year, q.topic, req.topics"
            " FROM requests req JOIN questions q ON q.id = req.question_id JOIN replies rp ON rp.id = req.reply_id"
            f" WHERE req.id IN ({ph})",
            ids,
        ).fetchall()
        by_id = {r[0]: r for r in rows}
        out = []
        for score, rid in top:
            r = by_id[rid]
            out.append(Precedent(
                request=r[1], answer=r[2], source=r[3], topic=r[4] or r[16],
                topics=[t for t in (r[17] or "").split(",") if t] or ([r[16]] if r[16] else []), score=half_up(min(score, 100.0)),
                request_id=r[5], question=f"{r[6] or ''}{r[7] or ''}", procedures=r[8], opinion=r[9],
                issuer=r[10], exchange=r[11], board=r[12], offering_kind=r[13], round=r[14], year=r[15],
            ))
        return out

    @_db_errors
    def stats(self) -> LibraryStats:
        one = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        by_topic = dict(self.db.execute(
            "SELECT coalesce(req.topic, q.topic, '(none)') AS t, count(*) FROM requests req"
            " JOIN questions q ON q.id = req.question_id GROUP BY t ORDER BY count(*) DESC, t").fetchall())
        by_board = dict(self.db.execute(
            "SELECT coalesce(rp.board, '(unknown)') AS b, count(*) FROM requests req"
            " JOIN replies rp ON rp.id = req.reply_id GROUP BY b ORDER BY count(*) DESC, b").fetchall())
        return LibraryStats(
            db=str(self.path),
            replies=one("SELECT count(*) FROM replies"),
            questions=one("SELECT count(*) FROM questions"),
            requests=one("SELECT count(*) FROM requests"),
            answered=one("SELECT count(*) FROM requests WHERE answer <> ''"),
            untagged=one("SELECT count(*) FROM requests req JOIN questions q ON q.id = req.question_id"
                         " WHERE req.topic IS NULL AND q.topic IS NULL"),
            by_topic=by_topic, by_board=by_board,
        )


def _topics_col(topics: list[str]) -> str:
    return f",{','.join(topics)}," if topics else ""
