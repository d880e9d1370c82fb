"""The precedent library: a team's own store of how requests were answered, searched offline.

    from drafter.library import add_files, search, stats, precedents_for
    add_files(["reply1.docx", "reply2.pdf"])            # harvest replies into the default library
    for p in search("说明研发人员的认定依据", limit=5):   # ranked precedents
        print(p.score, p.request, p.answer[:80])

The library is one SQLite file (default: platformdirs.user_data_dir("drafter")/library.sqlite3,
or $DRAFTER_LIBRARY, or an explicit `db`). Re-adding a file updates it, never duplicates it
(keyed by content hash and resolved path).
"""
from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import UserError
from .models import AddResult, LibraryStats, Precedent
from .store import Library, LibraryUnreadable, guarded

__all__ = [
    "AddResult", "Library", "LibraryStats", "Precedent", "add_file", "add_files", "default_db_path",
    "fill_topics", "list_replies", "open_library", "remove", "search_passages", "precedents_for", "search", "stats", "topic_ids", "check_topic",
]

DB_NAME = "library.sqlite3"


def default_db_path() -> Path:
    env = os.environ.get("DRAFTER_LIBRARY")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("drafter", appauthor=False)) / DB_NAME


def open_library(db: str | Path | None = None, create: bool = True) -> Library:
    return Library(db or default_db_path(), create=create)


def topic_ids() -> set[str]:
    """Topic ids of the bank's taxonomy (question_bank/_taxonomy.yaml)."""
    import yaml

    from ..paths import taxonomy_path

    path = taxonomy_path()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError:
        return set()
    return {t["id"] for t in data.get("topics", []) if isinstance(t, dict) and "id" in t}


def check_topic(topic: str | None) -> None:
    if topic is None:
        return
    ids = topic_ids()
    if ids and topic not in ids:
        from rapidfuzz import process

        near = [m[0] for m in process.extract(topic, sorted(ids), limit=3, score_cutoff=60)]
        hint = f" (did you mean {', '.join(near)}?)" if near else " (see question_bank/_taxonomy.yaml)"
        raise UserError(f"unknown topic id {topic!r}{hint}", place="--topic")


BOARDS = ("主板", "创业板", "科创板", "北交所")
_BOARD_ALIASES = {"北京证券交易所": "北交所", "北证": "北交所", "创业": "创业板", "科创": "科创板"}


def check_board(board: str | None) -> str | None:
    """The board as stored (主板 / 创业板 / 科创板 / 北交所); UserError for anything else, never a silent miss."""
    if board is None:
        return None
    b = board.strip()
    b = _BOARD_ALIASES.get(b, b)
    if b not in BOARDS:
        raise UserError(f"unknown board {board!r}; expected one of {', '.join(BOARDS)}", place="--board")
    return b


def add_file(lib: Library, path: str | Path) -> AddResult:
    """Harvest one reply file into an open library (UserError on bad input; nothing stored then)."""
    from .harvest import check_file, file_sha256, harvest

    p = check_file(path)
    sha = file_sha256(p)
    if lib.is_current(str(p), sha, want_tags=_matcher_available()):
        row = lib.db.execute(
            "SELECT issuer, tagged, (SELECT count(*) FROM questions WHERE reply_id=r.id),"
            " (SELECT count(*) FROM requests WHERE reply_id=r.id),"
            " (SELECT count(*) FROM requests WHERE reply_id=r.id AND answer<>'') FROM replies r WHERE sha256=?",
            (sha,)).fetchone()
        return AddResult(path=str(p), status="unchanged", issuer=row[0], tagged=bool(row[1]),
                         questions=row[2], requests=row[3], answered=row[4])
    rec = harvest(p)
    status = lib.put(rec)
    reqs = [r for q in rec.questions for r in q.requests]
    return AddResult(path=str(p), status=status, issuer=rec.issuer, questions=len(rec.questions),
                     requests=len(reqs), answered=sum(1 for r in reqs if r.answer), tagged=rec.tagged)


def add_files(paths: Iterable[str | Path], db: str | Path | None = None,
              on_result: Callable[[str, AddResult | UserError], None] | None = None
              ) -> list[AddResult | UserError]:
    """Harvest many files; a bad file is reported (as its UserError) and the others go on."""
    out: list[AddResult | UserError] = []
    with open_library(db) as lib:
        for path in paths:
            try:
                res: AddResult | UserError = add_file(lib, path)
            except LibraryUnreadable:  # the library, not the file: the next files would fail too
                raise
            except UserError as e:
                if not e.file:
                    e.file = str(path)
                res = e
            except sqlite3.OperationalError as e:  # the database, not the file: the next files would fail too
                raise UserError(f"cannot store replies in the library ({e})", file=str(lib.path)) from None
            except Exception as e:  # noqa: BLE001 - a bug of ours must not stop the other files
                res = UserError(f"could not be harvested ({type(e).__name__}: {e}); nothing stored for it,"
                                " please report this", file=str(path))
            out.append(res)
            if on_result:
                on_result(str(path), res)
        fill_topics(lib)
    return out


def _matcher_available() -> bool:
    try:
        from .. import match  # noqa: F401
    except Exception:  # noqa: BLE001 - absent or broken: treat as not available
        return False
    return True


def fill_topics(lib: Library) -> int:
    """Tag stored replies the matcher has not seen yet (added before it existed). Returns how many."""
    if not _matcher_available():
        return 0
    from ..models import Letter
    from .harvest import match_topics

    done = 0
    for reply_id, js in lib.untagged():
        try:
            tags = match_topics(Letter.model_validate_json(js))
        except Exception:  # noqa: BLE001 - a matcher failure leaves topics empty, as before
            continue
        if tags is not None:
            lib.set_topics(reply_id, *tags)
            done += 1
    return done


def search(text: str, topic: str | None = None, board: str | None = None, limit: int = 10,
           db: str | Path | None = None) -> list[Precedent]:
    check_topic(topic)
    board = check_board(board)
    with open_library(db, create=False) as lib:
        return lib.search(text, topic=topic, board=board, limit=limit)


def search_passages(text: str, kinds: tuple[str, ...] | None = None, board: str | None = None,
                    topic: str | None = None, limit: int = 20, db: str | Path | None = None):
    """Passages (request, answer, 核查程序, 核查意见) containing every word of `text`: PassageHit list."""
    from .passages import KINDS, search_passages as _search

    check_topic(topic)
    board = check_board(board)
    with open_library(db, create=False) as lib:
        return guarded(lib, _search, lib.db, text, kinds or KINDS, limit=limit, board=board, topic=topic)


def remove(what: str, db: str | Path | None = None) -> list[tuple[int, str]]:
    """Remove the stored reply named by `what` (its id, its file or content hash): [(id, path)]."""
    from .passages import remove as _remove

    with open_library(db, create=False) as lib:
        return guarded(lib, _remove, lib.db, what, lib._delete)


def list_replies(db: str | Path | None = None) -> list[tuple]:
    from .passages import list_replies as _list

    with open_library(db, create=False) as lib:
        return guarded(lib, _list, lib.db)


def stats(db: str | Path | None = None) -> LibraryStats:
    path = Path(db or default_db_path())
    if not path.exists():
        return LibraryStats(db=str(path))
    with open_library(path, create=False) as lib:
        return lib.stats()


def precedents_for(request_text: str, topic: str | None = None, limit: int = 3,
                   db: str | Path | None = None, min_score: float = 25.0) -> list[Precedent]:
    """Top precedents for a request of a letter being drafted (for Word comments or an appendix).

    Never raises for a missing or unreadable library: a team without one simply gets no
    precedents (and no library file is created). With a topic, precedents of that topic come
    first; when it has none, any topic is searched. Hits scoring under `min_score` (0-100) are
    left out: unrelated requests score about 20-25, a reworded request of the same ask 35-70.
    """
    path = Path(db or default_db_path())
    if not path.exists() or not (request_text or "").strip():
        return []
    try:
        with open_library(path, create=False) as lib:
            hits = lib.search(request_text, topic=topic, limit=limit) if topic else []
            hits = [h for h in hits if h.score >= min_score]
            if not hits:
                hits = [h for h in lib.search(request_text, limit=limit) if h.score >= min_score]
            from .passages import parties_of

            for h in hits:  # who wrote it: to adapt the passage to the issuer being drafted
                for k, v in parties_of(lib.db, h.source).items():
                    setattr(h, k, v)
            return hits
    except (UserError, sqlite3.Error):
        return []
