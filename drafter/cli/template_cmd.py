"""CLI commands for learned templates: `drafter template learn` (drafter.compose.learn)."""
from __future__ import annotations

from pathlib import Path

import click


def register(main: click.Group) -> None:
    """Add this module's commands to the `drafter` group."""

    @main.group("template")
    def template_group() -> None:
        """House templates learned from past replies."""

    @template_group.command("learn")
    @click.argument("reply", type=click.Path(dir_okay=False))
    @click.option("--company", "company", required=True, type=click.Path(dir_okay=False),
                  help="the company data (YAML or XLSX) the reply was written from")
    @click.option("-o", "--output", "output", required=True, type=click.Path(file_okay=False),
                  help="folder to write the templates into (answers/<topic>__q<N>_<request>.j2)")
    @click.option("--force", is_flag=True, help="replace templates of the same name already in the folder")
    def learn_cmd(reply: str, company: str, output: str, force: bool) -> None:
        """Learn one answer template per answer of REPLY (a finished reply: DOCX, PDF or text): figures
        equal to the company's data become the expressions computing them, the issuer's names
        variables, other figures highlighted literals. Use them with `drafter draft --templates DIR`."""
        from ..company import load_company
        from ..compose.learn import learn, write
        from ..errors import UserError

        out = Path(output)
        if out.exists() and not out.is_dir():
            raise UserError("is a file, expected a folder for the templates", file=output)
        profile = load_company(company)
        report = learn(reply, profile)
        if not report.answers:
            raise UserError("no answer with a topic found in this reply: nothing to learn", file=reply)
        taken = [a.name for a in report.answers if (out / a.name).exists()]
        if taken and not force:
            raise UserError(f"{len(taken)} template(s) already there, e.g. {taken[0]} (--force to replace)",
                            file=output)
        write(report, out)
        eq = report.equal
        share = f"{100 * report.bound / eq:.1f}%" if eq else "-"
        click.echo(f"wrote {len(report.answers)} template(s) into {out}")
        click.echo(f"  figures:  {report.figures} read, {eq} equal to company data, {report.bound} bound ({share})")
        click.echo(f"  skipped:  {len(report.skipped)} request(s) without an answer text or a topic")
