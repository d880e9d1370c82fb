"""CLI commands for parse: `drafter parse FILE [--json]`."""
from __future__ import annotations

import click

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the models load with the command that needs them (start-up)
    from ..models import Letter


def register(main: click.Group) -> None:
    """Add this module's commands to the `drafter` group."""
    main.add_command(parse_cmd)


@click.command("parse")
@click.argument("file", type=click.Path(dir_okay=True, path_type=str))
@click.option("--json", "as_json", is_flag=True, help="Print the parsed letter as JSON (the Letter model).")
@click.option("--text", "as_text", is_flag=True, help="Print the cleaned text the parser reads (one paragraph a line).")
def parse_cmd(file: str, as_json: bool, as_text: bool) -> None:
    """Read an inquiry letter (or a reply quoting one) and show its questions and requests.

    FILE may be .txt/.md (UTF-8 or GB18030), .html, .docx or .pdf (with a text layer).
    """
    from ..parse.refers import parse_with_refs

    if as_text:
        from ..read import read_text

        click.echo(read_text(file))
        return
    letter = parse_with_refs(file)  # with the round and its references to earlier rounds
    if as_json:
        click.echo(letter.model_dump_json(indent=2))
    else:
        click.echo(outline(letter))


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _short(s: str, n: int = 60) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def outline(letter: Letter) -> str:
    """A readable outline: metadata, then each question with its sections, requests and asks."""
    m = letter.meta
    lines = [f"{letter.source} ({'reply document' if letter.kind == 'reply' else 'letter'})"]
    for label, value in (
        ("title", m.title),
        ("issuer", m.issuer),
        ("exchange", m.exchange),
        ("board", m.board),
        ("offering", m.offering_kind),
        ("round", m.round if m.round != "未知" else None),
        ("follows", _follows(letter.follows)),
        ("kind", m.kind),
        ("sender", m.sender),
        ("subject", m.subject),
        ("parties", "、".join(m.parties.values()) if m.parties else None),
        ("date", m.date),
        ("number", m.number),
        ("addressee", m.addressee),
    ):
        if value:
            lines.append(f"  {label}: {value}")
    n_req = sum(len([r for r in q.requests if r.parent is None]) for q in letter.questions)
    lines.append(f"  {_count(len(letter.questions), 'question')}, {_count(n_req, 'request')}")
    lines.extend(f"  warning: {w}" for w in letter.warnings)  # what the reader could not be sure of
    group = None
    for q in letter.questions:
        if q.group and q.group != group:
            group = q.group
            lines.append("")
            lines.append(f"[{group}]")
        lines.append("")
        top = [r for r in q.requests if r.parent is None]
        lines.append(f"{q.label}{q.title}  ({_count(len(top), 'request')})")
        if q.background:
            lines.append(f"  背景: {_short(q.background)}")
        if q.refers:
            lines.append(f"  前轮: {_refers(q.refers)}")
        by_section: dict[str | None, list] = {}
        for r in q.requests:
            by_section.setdefault(r.section, []).append(r)
        for r in by_section.get(None, []):
            lines.append(_req_line(r))
        for s in q.sections:
            lines.append(f"  {s.label}{s.title}")
            for r in by_section.get(s.label, []):
                lines.append("  " + _req_line(r))
            for v in q.verification:
                if v.section == s.label:
                    lines.append("  " + _ver_line(v))
        for v in q.verification:
            if v.section is None or v.section not in {s.label for s in q.sections}:
                lines.append(_ver_line(v))
        if q.reply is not None:
            lines.append(f"  回复: {len(q.reply)} characters")
    return "\n".join(lines)


def _follows(f) -> str | None:
    """The earlier letter a later round follows: 首轮 《关于…》 审核函〔2026〕020031号 2026-03-16."""
    if f is None:
        return None
    parts = [f.round if f.round != "未知" else "an earlier round"]
    if f.title:
        parts.append(f"《{f.title}》")
    parts += [x for x in (f.number, f.date) if x]
    return " ".join(parts)


def _refers(refs) -> str:
    """A question's references to earlier rounds: 首轮问询问题1之(1) -> 首轮 1.(1) [in 1.(1)]; 根据首轮问询回复; 进一步说明 ×2."""
    out: list[str] = []
    counts: dict[str, int] = {}
    for r in refs:
        if r.kind == "question":
            where = f" [in {r.request_id}]" if r.request_id else ""
            item = r.item or ""
            s = f"{r.text} -> {r.round or '前轮'} {r.question}.{item}".rstrip(".") + where
        elif r.kind == "quote":
            s = f"“{r.text}”"
        else:
            s = r.text
        if s in counts:
            counts[s] += 1
        else:
            counts[s] = 1
            out.append(s)
    return "; ".join(s + (f" ×{counts[s]}" if counts[s] > 1 else "") for s in out)


def _req_line(r) -> str:
    indent = "      " if r.parent else "  "
    flag = " [披露]" if r.disclose else ""
    return f"{indent}{r.id:<10} {_short(r.text)}{flag}"


def _ver_line(v) -> str:
    extra = []
    if v.scope != "全部":
        extra.append(f"scope {v.scope} -> {', '.join(v.scope_ids) or '?'}")
    if v.demands:
        extra.append("demands " + "、".join(v.demands))
    if v.workpapers:
        extra.append("工作底稿")
    if v.rules:
        extra.append("rules " + " ".join(v.rules))
    tail = f"  ({'; '.join(extra)})" if extra else ""
    return f"  核查: {'、'.join(v.parties) or '?'}{tail}"
