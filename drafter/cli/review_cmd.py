"""CLI commands for review: `drafter review` and `drafter checklist` (thin shells over drafter.review/checklist)."""
from __future__ import annotations

import json
import sys

import click


def register(main: click.Group) -> None:
    """Add this module's commands to the `drafter` group."""
    main.add_command(review_cmd)
    main.add_command(checklist_cmd)


@click.command("review")
@click.argument("reply", type=click.Path(dir_okay=False))
@click.option("--letter", "letter", type=click.Path(dir_okay=False), default=None,
              help="the letter as received (DOCX, PDF or text); without it the quotes in REPLY are the letter")
@click.option("--json", "as_json", is_flag=True, help="print the report as JSON")
@click.option("--annotate", "annotate", type=click.Path(dir_okay=False), default=None,
              help="write a copy of REPLY (.docx) with the findings as Word comments")
@click.option("--blocking-only", is_flag=True, help="with --annotate: comment only the blocking findings")
@click.option("--force", is_flag=True, help="with --annotate: replace the output if it exists")
def review_cmd(reply: str, letter: str | None, as_json: bool, annotate: str | None, blocking_only: bool,
               force: bool) -> None:
    """Review a finished reply (DOCX, PDF or text) before filing it.

    Checks every request is answered, every named party's 核查程序/核查意见 is there and covers the
    scope asked, quotes match the letter (with --letter), placeholders, punctuation, absolute wording
    and figures. Exit 0 when nothing blocks, 1 when something does (2 on a bad input file).
    """
    from ..errors import UserError
    from ..output import check_not_input, check_target
    from ..review import format_report, review_reply

    if blocking_only and not annotate:
        raise UserError("--blocking-only chooses which findings become Word comments: use it with --annotate OUT.docx")
    if annotate:  # fail before the work, not after
        if not reply.lower().endswith(".docx"):
            raise UserError("--annotate needs the reply as a .docx (the comments go into a copy of it)", file=reply)
        if not annotate.lower().endswith(".docx"):
            raise UserError("--annotate writes a .docx", file=annotate)
        check_not_input(annotate, reply, letter)
        check_target(annotate, force)
    rep = review_reply(reply, letter)
    n_comments = None
    if annotate:
        from ..review.annotate import annotate_docx

        n_comments = annotate_docx(rep, reply, annotate, force=force, include_warnings=not blocking_only)
    if as_json:
        d = rep.to_json_dict()
        if n_comments is not None:
            d["annotated"] = {"path": annotate, "comments": n_comments}
        click.echo(json.dumps(d, ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(rep))
        if n_comments is not None:
            click.echo(f"wrote {annotate} ({n_comments} comment(s))")
    sys.exit(0 if rep.ok else 1)


@click.command("checklist")
@click.argument("letter", type=click.Path(dir_okay=False))
@click.option("--company", "company", type=click.Path(dir_okay=False), default=None,
              help="company data (YAML or XLSX): owners and whether the data each topic needs is there")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
              help="OUT.xlsx or OUT.docx; never overwritten without --force")
@click.option("--force", is_flag=True, help="replace OUTPUT if it exists")
@click.option("--days", "days", type=click.IntRange(1, 400), default=None,
              help="reply window in working days, counted from the letter's date (default: the window the "
                   "letter states, else the rule for its kind)")
@click.option("--start", "start", default=None, help="count the window from this date (YYYY-MM-DD) instead")
@click.option("--holiday", "holidays", multiple=True,
              help="an extra day off (YYYY-MM-DD), a comma list, or a file with one date per line; repeatable "
                   "(Chinese public holidays are known for the years the calendar covers)")
@click.option("--workday", "workdays", multiple=True,
              help="a weekend day worked instead (调休), same forms as --holiday; repeatable")
@click.option("--previous", "previous", type=click.Path(dir_okay=False), default=None,
              help="the reply to the earlier round (DOCX): the 重开前轮回复 column names the earlier answer each row reopens")
def checklist_cmd(letter: str, company: str | None, output: str, force: bool, days: int | None, start: str | None,
                  holidays: tuple[str, ...], workdays: tuple[str, ...], previous: str | None) -> None:
    """Write the work checklist for LETTER: one row per request and per verification ask and party.

    Due dates count Chinese public holidays and make-up working days; the summary shows the rule
    that set the deadline and the days left."""
    import datetime as dt

    from ..read import read_text
    from ..review.checklist import build_checklist, left_text, parse_holidays, window_text, write_checklist
    from ..errors import UserError
    from ..output import check_not_input, check_target
    from ..parse import parse_file

    if not output.lower().endswith((".xlsx", ".docx")):
        raise UserError("the checklist is written as .xlsx or .docx", file=output)
    check_not_input(output, letter, company, previous)
    check_target(output, force)  # fail before the work, not after
    begin = None
    if start:
        try:
            begin = dt.date.fromisoformat(start)
        except ValueError:
            raise UserError(f"--start: not a date (YYYY-MM-DD): {start!r}") from None
    hol = parse_holidays(holidays)
    work = parse_holidays(workdays, option="--workday")
    from ..parse.refers import read_refs

    let = read_refs(parse_file(letter))  # a later round: the earlier questions it names
    text = read_text(letter)
    if not let.questions:
        raise UserError("no questions found in the letter", file=letter)
    prev_reply = None
    if previous:
        from ..compose.followup import read_previous

        prev_reply = read_previous(previous)
    prof = None
    if company:
        from ..company import load_company
        from ..company.check import issuer_mismatch

        prof = load_company(company)
        problem = issuer_mismatch(let.meta.issuer, prof)
        if problem:
            raise UserError(problem, file=company)
    cl = build_checklist(let, prof, window_days=days, holidays=hol, start=begin, workdays=work, letter_text=text)
    from ..compose.followup import apply_reopens, letter_reopens, link_rounds, reopens

    reopened = apply_reopens(cl, reopens(link_rounds(let, prev_reply)) if prev_reply is not None else letter_reopens(let))
    write_checklist(cl, output, force=force)
    if cl.calendar_warning:
        click.echo(cl.calendar_warning, err=True)
    click.echo(f"wrote {output}: {len(cl.request_rows)} request row(s), {len(cl.verification_rows)} verification "
               f"row(s); due {cl.due.isoformat()} ({window_text(cl)}"
               f"{'' if cl.letter_date or begin else ', today: the letter states no date'}; {left_text(cl)})"
               + (f"; {reopened} row(s) reopen an earlier answer" if reopened else ""))
    click.echo(f"deadline rule: {cl.due_rule}")
