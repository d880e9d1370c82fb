"""`drafter library`: build and search the team's precedent library (SQLite, offline)."""
from __future__ import annotations

import json
import sys

import click

from ..errors import UserError


def register(main: click.Group) -> None:
    """Add this module's commands to the `drafter` group."""
    main.add_command(library)


_DB = click.option("--db", "db", type=click.Path(dir_okay=False), default=None,
                   help="Library database file (default: the user data folder, or $DRAFTER_LIBRARY).")


@click.group()
def library() -> None:
    """Precedent library: store answered replies, search how similar requests were answered."""


@library.command("add")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@_DB
def add_cmd(files: tuple[str, ...], db: str | None) -> None:
    """Harvest reply files (DOCX, PDF, text) into the library; re-adding a file updates it.

    Several files show a progress bar on a terminal; otherwise one line per file on stderr."""
    from ..library import AddResult, add_files, default_db_path

    n = len(files)
    seen: list[AddResult | UserError] = []
    bar = None
    if n > 1 and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=n, unit="file", file=sys.stderr, leave=False, dynamic_ncols=True)

    def say(line: str) -> None:
        if bar is not None:
            bar.write(line, file=sys.stderr)
        else:
            click.echo(line, err=True)

    def on_result(path: str, res: AddResult | UserError) -> None:  # one line per file on stderr
        seen.append(res)
        if bar is not None:
            bar.update(1)
        if isinstance(res, UserError):
            for line in str(res).splitlines():
                say(f"drafter: {line}")
            return
        tag = "" if res.tagged else ", topics pending (no matcher yet)"
        say(f"[{len(seen)}/{n}] {res.status} {path}: {res.questions} questions, "
            f"{res.requests} requests ({res.answered} with answers){tag}")

    try:
        add_files(files, db=db, on_result=on_result)
    finally:
        if bar is not None:
            bar.close()
    failed = sum(isinstance(r, UserError) for r in seen)
    click.echo(f"{n - failed} of {n} file(s) stored in {db or default_db_path()}", err=True)
    if failed:
        sys.exit(2)


@library.command("remove")
@click.argument("what", nargs=-1, required=True)
@_DB
def remove_cmd(what: tuple[str, ...], db: str | None) -> None:
    """Remove stored replies, each named by its FILE (path, or name when unique) or its ID (`library list`)."""
    from ..library import remove

    for w in what:
        for rid, path in remove(w, db=db):
            click.echo(f"removed {rid} {path}", err=True)


@library.command("list")
@_DB
def list_cmd(db: str | None) -> None:
    """Stored replies: id, issuer, year, requests, file."""
    from ..library import list_replies

    for rid, path, issuer, year, n in list_replies(db=db):
        click.echo(f"{rid:>4}  {issuer or '-'}  {year or '-'}  {n} requests  {path}")


_IN = ("request", "answer", "procedure", "opinion", "all")


@library.command("search")
@click.argument("text", nargs=-1, required=True)
@click.option("--in", "where", type=click.Choice(_IN), default="all", show_default=True,
              help="Where to look: requests (ranked by similarity), answers, 核查程序, 核查意见, or all.")
@click.option("--topic", default=None, help="Only requests matched to this topic id (question_bank/_taxonomy.yaml).")
@click.option("--board", default=None, help="Only replies on this board: 主板 / 创业板 / 科创板 / 北交所.")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 200),
              help="Most requests, and most passages of each kind (answer, 核查程序, 核查意见), to show.")
@click.option("--full", is_flag=True, help="Print whole answers (default: the first 300 characters).")
@click.option("--json", "as_json", is_flag=True,
              help="JSON: {\"results\": [{request, answer, source, topic, score, ...}], \"passages\": [{kind, snippet, spans, ...}]}.")
@_DB
def search_cmd(text: tuple[str, ...], where: str, topic: str | None, board: str | None, limit: int, full: bool,
               as_json: bool, db: str | None) -> None:
    """Ranked precedents for TEXT (a request's wording, or a few words), and the answers, 核查程序 and
    核查意见 that contain its words (each hit says where it matched; matches in [brackets], bold on a terminal)."""
    from ..library import search, search_passages

    query = " ".join(text)
    hits = search(query, topic=topic, board=board, limit=limit, db=db) if where in ("request", "all") else []
    kinds = ("answer", "procedure", "opinion") if where == "all" else (() if where == "request" else (where,))
    passages = [p for k in kinds for p in search_passages(query, (k,), board=board, topic=topic, limit=limit, db=db)]
    if as_json:
        click.echo(json.dumps({"query": query, "results": [h.model_dump() for h in hits],
                               "passages": [p.model_dump() for p in passages]}, ensure_ascii=False, indent=2))
        return
    if not hits and not passages:
        click.echo("no precedents found", err=True)
        return
    for i, h in enumerate(hits, 1):
        place = " ".join(x for x in (h.issuer, h.exchange, h.board, h.round, str(h.year or "")) if x)
        click.echo(f"{i}. [{h.score:.1f}] {h.question} {h.request_id}  topic: {h.topic or '-'}  matched in: request")
        click.echo(f"   {place}")
        click.echo(f"   source: {h.source}")
        click.echo(f"   请求: {h.request}")
        answer = h.answer if full or len(h.answer) <= 300 else h.answer[:300] + "…"
        click.echo("   回复: " + (answer.replace("\n", "\n         ") if answer else "(no answer text found)"))
        click.echo()
    if passages:
        from ..library.passages import KIND_CN

        bold = sys.stdout.isatty()
        start, end = ("\033[1m", "\033[0m") if bold else ("[", "]")
        click.echo(f"passages containing {query!r}:")
        for i, p in enumerate(passages, len(hits) + 1):
            at = f"{p.question} {p.request_id}".strip()
            click.echo(f"{i}. matched in: {p.kind} ({KIND_CN[p.kind]}), {p.matches}×  {at}")
            click.echo(f"   {p.issuer or '-'}  source: {p.source}")
            click.echo(f"   {p.marked(start, end)}")
            click.echo()


@library.command("stats")
@click.option("--json", "as_json", is_flag=True, help="JSON counts: replies, questions, requests, by_topic ...")
@_DB
def stats_cmd(as_json: bool, db: str | None) -> None:
    """Counts of stored replies, questions and requests, by topic."""
    from ..library import stats

    st = stats(db=db)
    if as_json:
        click.echo(json.dumps(st.model_dump(), ensure_ascii=False, indent=2))
        return
    from pathlib import Path

    if not Path(st.db).exists():
        click.echo(f"library: {st.db} (not created yet: add replies with `drafter library add FILE ...`)")
        return
    click.echo(f"library: {st.db}")
    click.echo(f"replies: {st.replies}  questions: {st.questions}  requests: {st.requests} "
               f"(with answers: {st.answered}, without topic: {st.untagged})")
    if st.by_topic:
        click.echo("by topic:")
        for t, n in st.by_topic.items():
            click.echo(f"  {t:<28} {n}")
    if st.by_board:
        click.echo("by board: " + ", ".join(f"{b} {n}" for b, n in st.by_board.items()))
