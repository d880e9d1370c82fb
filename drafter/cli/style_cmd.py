"""CLI commands for the house style: `drafter style [FILE] [--specimen OUT.docx] [--force]`."""
from __future__ import annotations

import click


def register(main: click.Group) -> None:
    """Add this module's commands to the `drafter` group."""
    main.add_command(style_cmd)


@click.command("style")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=str))
@click.option("--specimen", "specimen_out", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="also write a specimen reply (DOCX) showing every style, to look at before drafting")
@click.option("--force", is_flag=True, help="replace the specimen file if it exists")
def style_cmd(file: str | None, specimen_out: str | None, force: bool) -> None:
    """Check a house-style YAML file and show the style it gives (no FILE: the defaults).

    Keys: faces (per logical style: face, latin, bold, size, align, indent, line_spacing,
    space_before, space_after, keep_with_next), size, line_spacing, latin_face, margins,
    page_number ("8-1-{page}", "8-1-{doc}-{page}"), doc, reply_label, toc_title, toc_levels,
    table, placeholder, legend. See examples/style.yaml.
    """
    from ..output import check_target, write_atomic
    from ..render import render_docx
    from ..render.specimen import specimen
    from ..render.style import FACE_KEYS, load_style

    from ..errors import UserError

    if specimen_out and not specimen_out.lower().endswith(".docx"):
        raise UserError("the specimen is a Word file: give a name ending in .docx", file=specimen_out)
    style = load_style(file)
    if specimen_out:
        check_target(specimen_out, force)  # refuse before printing anything
    click.echo(f"{file or '(defaults)'}: {style.name}")
    click.echo(f"  page numbers  {style.page_label(1)}, {style.page_label(2)}, ...   reply label {style.reply_label}")
    m = style.margins
    click.echo(f"  A4, margins (cm) top {m.top} bottom {m.bottom} left {m.left} right {m.right};"
               f" body {style.size}pt, line spacing {style.line_spacing}")
    for key in FACE_KEYS:
        f = style.face(key)
        click.echo(f"  {key:<17} {f.face}{'(加粗)' if f.bold else ''} / {f.latin}, {f.size}pt, {f.align},"
                   f" indent {f.indent}")
    click.echo("  legend        " + "; ".join(f"{r.what} — {r.face}" for r in style.legend_rows()))
    if specimen_out:
        doc = specimen(style)
        path = write_atomic(specimen_out, lambda p: render_docx(doc, style, p), force=force)
        click.echo(f"wrote {path}")
