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
    """Harvest reply files (DOCX, PDF, text) into the library; re-adding a file updates it."""
    from ..library import AddResult, add_files, default_db_path

    n = len(files)
    seen: list[AddResult | UserError] = []

    def on_result(path: str, res: AddResult | UserError) -> None:  # one line per file on stderr
        seen.append(res)
        if isinstance(res, UserError):
            for line in str(res).splitlines():
                click.echo(f"drafter: {line}", err=True)
            return
        tag = "" if res.tagged else ", topics pending (no matcher yet)"
        click.echo(f"[{len(seen)}/{n}] {res.status} {path}: {res.questions} questions, "
                   f"{res.requests} requests ({res.answered} with answers){tag}", err=True)

    add_files(files, db=db, on_result=on_result)
    failed = sum(isinstance(r, UserError) for r in seen)
    click.echo(f"{n - failed} of {n} file(s) stored in {db or default_db_path()}", err=True)
    if failed:
        sys.exit(2)


@library.command("search")
@click.argument("text", nargs=-1, required=True)
@click.option("--topic", default=None, help="Only requests matched to this topic id (question_bank/_taxonomy.yaml).")
@click.option("--board", default=None, help="Only replies on this board: 主板 / 创业板 / 科创板 / 北交所.")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 200))
@click.option("--full", is_flag=True, help="Print whole answers (default: the first 300 characters).")
@click.option("--json", "as_json", is_flag=True, help="JSON: {\"results\": [{request, answer, source, topic, score, ...}]}.")
@_DB
def search_cmd(text: tuple[str, ...], topic: str | None, board: str | None, limit: int, full: bool,
               as_json: bool, db: str | None) -> None:
    """Ranked precedents for TEXT (a request's wording, or a few words)."""
    from ..library import search

    query = " ".join(text)
    hits = search(query, topic=topic, board=board, limit=limit, db=db)
    if as_json:
        click.echo(json.dumps({"query": query, "results": [h.model_dump() for h in hits]},
                              ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo("no precedents found", err=True)
        return
    for i, h in enumerate(hits, 1):
        where = " ".join(x for x in (h.issuer, h.exchange, h.board, h.round, str(h.year or "")) if x)
        click.echo(f"{i}. [{h.score:.1f}] {h.question} {h.request_id}  topic: {h.topic or '-'}")
        click.echo(f"   {where}")
        click.echo(f"   source: {h.source}")
        click.echo(f"   请求: {h.request}")
        answer = h.answer if full or len(h.answer) <= 300 else h.answer[:300] + "…"
        click.echo("   回复: " + (answer.replace("\n", "\n         ") if answer else "(no answer text found)"))
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
