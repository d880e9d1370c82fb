"""What was answered, searchable: every stored request, answer, 核查程序 and 核查意见 as a passage
(table `passages`, FTS5 trigram index `passages_fts` over its normalised text), the reply's
intermediaries (table `parties`), schema migration, and removing a reply.

Search terms of three characters or more use the trigram index; one- and two-character terms
(trigrams cannot match them) are matched with instr() over the indexed text. A hit says where it
matched (request / answer / procedure / opinion) and where in the passage (spans to highlight).
"""
from __future__ import annotations

import sqlite3
import unicodedata
from pathlib import Path

from pydantic import BaseModel, Field

from ..errors import UserError
from .models import ReplyRecord
from .text import fts_phrase, normalize

KINDS = ("request", "answer", "procedure", "opinion")
KIND_CN = {"request": "请求", "answer": "回复", "procedure": "核查程序", "opinion": "核查意见"}
SNIPPET = 60  # characters shown each side of the first match


class PassageHit(BaseModel):
    """One passage containing every search term."""

    kind: str  # request / answer / procedure / opinion: where it matched
    snippet: str  # the passage around the first match
    spans: list[tuple[int, int]] = Field(default_factory=list)  # matched terms within `snippet`
    matches: int = 0  # occurrences of the terms in the whole passage
    source: str
    issuer: str | None = None
    question: str = ""
    request_id: str = ""  # "" for a question's 核查程序 / 核查意见
    request: str = ""

    def marked(self, start: str = "[", end: str = "]") -> str:
        """The snippet with each match wrapped in `start`/`end` (e.g. ANSI bold on a terminal)."""
        out, last = [], 0
        for a, b in self.spans:
            out += [self.snippet[last:a], start, self.snippet[a:b], end]
            last = b
        out.append(self.snippet[last:])
        return "".join(out)


# ---- writing
def put_extra(db: sqlite3.Connection, reply_id: int, rec: ReplyRecord) -> None:
    """Store a reply's intermediaries and its passages (inside the caller's transaction)."""
    db.execute("INSERT OR REPLACE INTO parties(reply_id, short_names, sponsor, auditor, lawyer) VALUES (?,?,?,?,?)",
               (reply_id, ",".join(rec.short_names), rec.sponsor, rec.auditor, rec.lawyer))
    fill_passages(db, reply_id)
    qids = dict(db.execute("SELECT number, id FROM questions WHERE reply_id=?", (reply_id,)).fetchall())
    for q in rec.questions:
        for text in q.other_answers:
            _put(db, reply_id, qids[q.number], None, "answer", text)


def _put(db: sqlite3.Connection, reply_id: int, qid: int, req_id: int | None, kind: str, text: str) -> None:
    pid = db.execute("INSERT INTO passages(reply_id, question_id, request_id, kind, text) VALUES (?,?,?,?,?)",
                     (reply_id, qid, req_id, kind, text)).lastrowid
    db.execute("INSERT INTO passages_fts(rowid, body) VALUES (?,?)", (pid, normalize(text)))


def fill_passages(db: sqlite3.Connection, reply_id: int) -> int:
    """(Re)build the passages of one stored reply from its stored questions and requests."""
    delete_passages(db, reply_id)
    rows: list[tuple[int, int | None, str, str]] = []
    for qid, procedures, opinion in db.execute(
            "SELECT id, procedures, opinion FROM questions WHERE reply_id=? ORDER BY id", (reply_id,)).fetchall():
        for req_id, text, answer in db.execute(
                "SELECT id, text, answer FROM requests WHERE question_id=? ORDER BY id", (qid,)).fetchall():
            rows.append((qid, req_id, "request", text))
            if answer:
                rows.append((qid, req_id, "answer", answer))
        if procedures:
            rows.append((qid, None, "procedure", procedures))
        if opinion:
            rows.append((qid, None, "opinion", opinion))
    for qid, req_id, kind, text in rows:
        _put(db, reply_id, qid, req_id, kind, text)
    return len(rows)


def delete_passages(db: sqlite3.Connection, reply_id: int) -> None:
    db.execute("DELETE FROM passages_fts WHERE rowid IN (SELECT id FROM passages WHERE reply_id=?)", (reply_id,))
    db.execute("DELETE FROM passages WHERE reply_id=?", (reply_id,))


def migrate(db: sqlite3.Connection, version: int, path: Path | str = "", schema: str = "", schema_version: int = 2) -> None:
    """Upgrade a library written by an older drafter in place, in one transaction (all or nothing).

    1 -> 2: tables `parties`, `passages`, `passages_fts`, filled from the stored answers.
    """
    _SCHEMA, SCHEMA_VERSION = schema, schema_version  # the store's (passed in: no import back)
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            if version < 2:
                for stmt in _SCHEMA.split(";"):
                    if stmt.strip():
                        db.execute(stmt)  # IF NOT EXISTS: only the new tables are created
                for (rid,) in db.execute("SELECT id FROM replies").fetchall():
                    fill_passages(db, rid)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    except sqlite3.OperationalError as e:
        raise UserError(f"written by an older drafter (schema {version}) and cannot be upgraded here ({e}); "
                        "open it once where it is writable", file=str(path)) from None


def remove(db: sqlite3.Connection, what: str, delete) -> list[tuple[int, str]]:
    """Remove stored replies named by id, by file (resolved path, or its name when unique) or by
    content hash; returns (id, path) of those removed. UserError when nothing or several match."""
    rows: list[tuple[int, str]] = []
    if what.isdigit():
        rows = db.execute("SELECT id, path FROM replies WHERE id=?", (int(what),)).fetchall()
    if not rows:
        p = Path(what).expanduser()
        full = str(p.resolve()) if p.exists() else str(p)
        rows = db.execute("SELECT id, path FROM replies WHERE path=? OR sha256=?", (full, what)).fetchall()
    if not rows and p.exists():
        from .harvest import file_sha256

        rows = db.execute("SELECT id, path FROM replies WHERE sha256=?", (file_sha256(p),)).fetchall()
    if not rows:
        named = [r for r in db.execute("SELECT id, path FROM replies").fetchall() if Path(r[1]).name == p.name]
        if len(named) > 1:
            raise UserError(f"{len(named)} stored replies are named {p.name}; give the full path or the id "
                            f"({', '.join(str(r[0]) for r in named)})")
        rows = named
    if not rows:
        raise UserError(f"no stored reply is {what!r} (see `drafter library list` for ids and files)")
    with db:
        for rid, _ in rows:
            delete(rid)
    return rows


def list_replies(db: sqlite3.Connection) -> list[tuple]:
    """(id, path, issuer, year, requests) of every stored reply."""
    return db.execute("SELECT r.id, r.path, r.issuer, r.year, (SELECT count(*) FROM requests WHERE reply_id=r.id)"
                      " FROM replies r ORDER BY r.id").fetchall()


def parties_of(db: sqlite3.Connection, source: str) -> dict:
    row = db.execute("SELECT p.short_names, p.sponsor, p.auditor, p.lawyer FROM parties p"
                     " JOIN replies r ON r.id = p.reply_id WHERE r.path=?", (source,)).fetchone()
    if not row:
        return {}
    return {"short_names": [x for x in row[0].split(",") if x], "sponsor": row[1], "auditor": row[2],
            "lawyer": row[3]}


# ---- searching
def _map_norm(text: str) -> tuple[str, list[int]]:
    """normalize(text) with, for each of its characters, the index of the original character."""
    out, where = [], []
    for i, c in enumerate(text):
        n = "".join(unicodedata.normalize("NFKC", c).lower().split())
        out.append(n)
        where += [i] * len(n)
    return "".join(out), where


def find_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Where the normalised `terms` occur in `text` (original positions, sorted, not overlapping)."""
    norm, where = _map_norm(text)
    spans = []
    for t in terms:
        i = norm.find(t)
        while i >= 0 and t:
            spans.append((where[i], where[i + len(t) - 1] + 1))
            i = norm.find(t, i + len(t))
    spans.sort()
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and a < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _snippet(text: str, spans: list[tuple[int, int]], width: int = SNIPPET) -> tuple[str, list[tuple[int, int]]]:
    a = max(0, spans[0][0] - width)
    b = min(len(text), spans[0][1] + width)
    for s, e in spans[1:]:  # stretch to matches close to the first one
        if e <= b + width // 2:
            b = min(len(text), max(b, e + 10))
    raw = text[a:b]
    # one line: newlines become spaces (same length, so spans stay right)
    shown = raw.replace("\n", " ").replace("\r", " ").replace("\t", " ")
    rel = [(s - a, e - a) for s, e in spans if s >= a and e <= b]
    pre, post = ("…" if a > 0 else ""), ("…" if b < len(text) else "")
    return pre + shown + post, [(s + len(pre), e + len(pre)) for s, e in rel]


def search_passages(db: sqlite3.Connection, query: str, kinds: tuple[str, ...] = KINDS, limit: int = 20,
                    board: str | None = None, topic: str | None = None) -> list[PassageHit]:
    """Passages of the given kinds containing every term of `query` (terms split on spaces),
    most matches first."""
    terms = [t for t in (normalize(x) for x in query.split()) if t]
    if not terms:
        raise UserError("nothing to search for: the search text is empty")
    long = [t for t in terms if len(t) >= 3]
    short = [t for t in terms if len(t) < 3]
    where, params = [], []
    if long:
        where.append("passages_fts MATCH ?")
        params.append(" AND ".join(fts_phrase(t) for t in long))
    for t in short:
        where.append("instr(f.body, ?) > 0")
        params.append(t)
    kinds = tuple(k for k in kinds if k in KINDS) or KINDS
    where.append(f"p.kind IN ({','.join('?' * len(kinds))})")
    params += list(kinds)
    if board:
        where.append("rp.board = ?")
        params.append(board)
    if topic:
        where.append("(req.topics LIKE ? OR q.topic = ?)")
        params += [f"%,{topic},%", topic]
    rows = db.execute(
        "SELECT p.kind, p.text, rp.path, rp.issuer, q.label, q.title, coalesce(req.rid, ''), coalesce(req.text, ''), p.id"
        " FROM passages_fts f JOIN passages p ON p.id = f.rowid JOIN replies rp ON rp.id = p.reply_id"
        " JOIN questions q ON q.id = p.question_id LEFT JOIN requests req ON req.id = p.request_id"
        f" WHERE {' AND '.join(where)} LIMIT ?", [*params, max(limit * 20, 500)]).fetchall()
    hits = []
    for kind, text, path, issuer, qlabel, qtitle, rid, rtext, pid in rows:
        spans = find_spans(text, terms)
        if not spans:
            continue
        snip, rel = _snippet(text, spans)
        hits.append((len(spans), pid, PassageHit(kind=kind, snippet=snip, spans=rel, matches=len(spans), source=path,
                                                 issuer=issuer, question=f"{qlabel or ''}{qtitle or ''}",
                                                 request_id=rid, request=rtext)))
    order = {k: i for i, k in enumerate(KINDS)}
    hits.sort(key=lambda h: (-h[0], order.get(h[2].kind, 9), h[1]))
    return [h for _, _, h in hits[:limit]]
