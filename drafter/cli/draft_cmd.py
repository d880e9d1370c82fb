"""CLI commands for draft: `drafter draft` and `drafter demo` (thin shells over drafter.draft)."""
from __future__ import annotations

import click


def register(main: click.Group) -> None:
    """Add this module's commands to the `drafter` group."""

    @main.command("draft")
    @click.argument("letter", type=click.Path(dir_okay=False))
    @click.option("--company", "company", required=True, type=click.Path(dir_okay=False),
                  help="company data (YAML or XLSX)")
    @click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
                  help="the reply to write (.docx); never overwritten without --force")
    @click.option("--force", is_flag=True, help="replace OUTPUT if it exists")
    @click.option("--style", "style", type=click.Path(dir_okay=False), default=None,
                  help="house style (YAML): faces, legend, page numbers, reply label")
    @click.option("--library", "library", type=click.Path(dir_okay=False), default=None,
                  help="precedent library (drafter library add …) for the requests drafter cannot answer; "
                       "default: your library, when there is one")
    @click.option("--no-library", "no_library", is_flag=True, help="no precedents")
    @click.option("--precedents", "precedents", type=click.Choice(["inline", "comments", "off"]), default=None,
                  help="how precedents appear: inline (default: the closest past answer, adapted and shaded, "
                       "to rewrite), comments (Word comments beside the request) or off")
    @click.option("--allow-other-issuer", "allow_other_issuer", is_flag=True,
                  help="draft even though the company data names another issuer than the letter")
    @click.option("--templates", "templates", type=click.Path(file_okay=False), default=None,
                  help="learned templates (drafter template learn), used ahead of the bank's for their topics; "
                       "default: the house style's templates:")
    @click.option("--previous", "previous", type=click.Path(dir_okay=False), default=None,
                  help="the reply to the earlier round (DOCX): questions that follow it up are linked to it and "
                       "its answers carried forward, marked 【沿用…，待更新】 to revise")
    def draft_cmd(letter: str, company: str, output: str, force: bool, style: str | None, library: str | None,
                  no_library: bool, precedents: str | None, allow_other_issuer: bool, templates: str | None,
                  previous: str | None) -> None:
        """Draft the reply to LETTER (DOCX, PDF or text) as a DOCX."""
        from ..draft import draft_with_summary
        from ..errors import UserError

        if library and no_library:
            raise UserError("give --library DB or --no-library, not both")
        res = draft_with_summary(letter, company, output, style_path=style, force=force,
                                 library=False if no_library else library,
                                 allow_other_issuer=allow_other_issuer, precedents=precedents,
                                 templates=templates, previous=previous)
        for line in res.summary_lines():
            click.echo(line)

    @main.command("demo")
    @click.option("-o", "--output", "output", type=click.Path(dir_okay=False), default=None,
                  help="where to write (default: ./drafter-demo-回复.docx, or -2, -3 … if taken)")
    @click.option("--force", is_flag=True, help="replace OUTPUT if it exists (only with -o)")
    def demo_cmd(output: str | None, force: bool) -> None:
        """Draft the bundled example letter for the bundled example company into a new DOCX."""
        from ..draft import demo
        from ..errors import UserError

        if force and not output:
            raise UserError("--force replaces the file named with -o; without -o the demo always writes a new file")
        res = demo(output, force=force)
        for line in res.summary_lines():
            click.echo(line)
