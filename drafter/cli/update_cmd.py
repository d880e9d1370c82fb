"""CLI command `drafter update` (加期): a thin shell over drafter.update.apply."""
from __future__ import annotations

import click


def register(main: click.Group) -> None:
    """Add this module's commands to the `drafter` group."""
    main.add_command(update_cmd)


@click.command("update")
@click.argument("reply", type=click.Path(exists=True, dir_okay=False))
@click.option("--company", "company", required=True, type=click.Path(exists=True, dir_okay=False),
              help="the new company file (YAML or XLSX) with the new or revised period")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
              help="the updated reply (.docx)")
@click.option("--redline", "redline", type=click.Path(dir_okay=False), default=None,
              help="also write the change as Word tracked changes against REPLY (.docx)")
@click.option("--style", "style_path", type=click.Path(exists=True, dir_okay=False), default=None,
              help="house style YAML (the revised look: revised.face / revised.bold)")
@click.option("--json", "as_json", is_flag=True, help="print every change as JSON")
@click.option("--force", is_flag=True, help="replace OUT (and the redline) if they exist")
def update_cmd(reply: str, company: str, output: str, redline: str | None, style_path: str | None,
               as_json: bool, force: bool) -> None:
    """Recompute every figure and table drafter wrote into REPLY from a new company file (加期).

    Changed figures and table cells are set in 楷体加粗; new periods add table columns; text the team
    wrote or edited is kept (an edited sentence whose figure turned sign gets a Word comment); numbers
    in untagged text equal to an old figure are listed to check by hand. Exit 2 on a bad input.
    """
    from pathlib import Path

    from ..errors import UserError
    from ..output import check_not_input, check_target
    from ..render.style import load_style
    from ..update.apply import update_reply

    write_redline = None
    if not output.lower().endswith(".docx"):
        raise UserError("the updated reply is written as .docx", file=output)
    if not reply.lower().endswith(".docx"):
        raise UserError("not a drafter reply: update reads the .docx drafter wrote", file=reply)
    check_not_input(output, reply, company)
    check_target(output, force)
    if redline:
        try:
            from ..update.redline import write_redline
        except ImportError:
            raise UserError("--redline is not available in this build (drafter.update.redline is missing)") from None
        if not redline.lower().endswith(".docx"):
            raise UserError("the redline is written as .docx", file=redline)
        check_not_input(redline, reply, company, output)
        check_target(redline, force)
    style = load_style(style_path) if style_path else None
    rep = update_reply(Path(reply), Path(company), Path(output), style=style, force=force)
    if redline and write_redline is not None:
        stats = write_redline(Path(reply), Path(output), Path(redline), force=force)
        rep.redline = redline
        rep.redline_stats = stats.model_dump() if hasattr(stats, "model_dump") else dict(stats)
    if as_json:
        click.echo(rep.model_dump_json(indent=2))
    else:
        for line in rep.summary_lines():
            click.echo(line)
