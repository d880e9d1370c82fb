"""CLI command `drafter compare BEFORE.docx AFTER.docx -o RED.docx`: a tracked-change redline (drafter.update.redline)."""
from __future__ import annotations

import click


def register(main: click.Group) -> None:
    """Add this module's command to the `drafter` group."""
    main.add_command(compare_cmd)


@click.command("compare")
@click.argument("before", type=click.Path(dir_okay=False))
@click.argument("after", type=click.Path(dir_okay=False))
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
              help="the redline RED.docx; never overwritten without --force")
@click.option("--author", default="drafter", show_default=True, help="the name on every tracked change")
@click.option("--force", is_flag=True, help="replace OUTPUT if it exists")
def compare_cmd(before: str, after: str, output: str, author: str, force: bool) -> None:
    """Write AFTER as Word tracked changes against BEFORE (accept all = AFTER, reject all = BEFORE).

    Paragraphs are aligned by their text; changed wording is shown by characters with figures kept
    whole; tables row by row and cell by cell, new and dropped columns included. AFTER's styles,
    comments, content controls and bookmarks are kept.
    """
    from pathlib import Path

    from ..update.redline import write_redline

    st = write_redline(Path(before), Path(after), Path(output), author=author, force=force)
    click.echo(f"wrote {output}: {st.insertions} insertion(s), {st.deletions} deletion(s); "
               f"{st.paragraphs_changed} paragraph(s) and {st.cells_changed} table cell(s) changed")
