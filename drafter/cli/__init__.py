"""The `drafter` command line: a thin shell over the library API.

Each feature registers its commands from its own module here (parse, data, bank, draft, review,
library). A `UserError` anywhere becomes one line on stderr and exit code 2.
"""
from __future__ import annotations

import sys

import click

from ..errors import UserError


class DrafterGroup(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except UserError as e:
            for line in str(e).splitlines():
                click.echo(f"drafter: {line}", err=True)
            sys.exit(e.exit_code)
        except BrokenPipeError:  # `drafter parse x | head`
            sys.exit(0)


@click.group(cls=DrafterGroup)
@click.version_option(package_name="drafter")
def main() -> None:
    """问询函回复起草助手 — read an inquiry letter, match it to the question bank, draft the reply."""


def _register() -> None:
    from . import bank_cmd, data_cmd, draft_cmd, library_cmd, parse_cmd, review_cmd, style_cmd

    for mod in (parse_cmd, data_cmd, bank_cmd, draft_cmd, review_cmd, library_cmd, style_cmd):
        mod.register(main)


_register()
