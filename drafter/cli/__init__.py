"""The `drafter` command line: a thin shell over the library API.

Each feature registers its commands from its own module here (parse, data, bank, draft, review,
library). A `UserError` anywhere becomes one line on stderr and exit code 2.
"""
from __future__ import annotations

import decimal
import os
import stat
import sys
from pathlib import Path

import click

from ..errors import UserError


def _refuse_special_files(args: list[str]) -> None:
    """A FIFO, device or socket named on the command line would block or never end when read:
    refused before any command runs (an existing regular file or folder passes untouched)."""
    from ..read import check_regular

    for arg in args:
        if arg == "-" or not arg or len(arg) > 4096:
            continue
        value = arg.split("=", 1)[1] if arg.startswith("--") and "=" in arg else arg
        try:
            st = os.stat(value)
        except (OSError, ValueError):
            continue
        if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
            check_regular(Path(value), st)


class DrafterGroup(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            if ctx.parent is None:
                protected = getattr(ctx, "_protected_args", None)  # click ≥ 8.2 (protected_args is deprecated)
                if protected is None:
                    protected = getattr(ctx, "protected_args", [])
                _refuse_special_files([*protected, *ctx.args])
            return super().invoke(ctx)
        except UserError as e:
            for line in str(e).splitlines():
                click.echo(f"drafter: {line}", err=True)
            sys.exit(e.exit_code)
        except BrokenPipeError:  # `drafter parse x | head`
            sys.exit(0)
        except click.BadParameter as e:
            if (e.param is not None and isinstance(e.param.type, click.Path)
                    and not isinstance(e, click.MissingParameter)):
                # a missing, unreadable or folder path: one line naming it, like every other bad file
                click.echo(f"drafter: {e.format_message()}", err=True)
                sys.exit(2)
            raise
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise  # usage errors and --help: click's own messages
        except (decimal.InvalidOperation, decimal.Overflow, decimal.DivisionByZero) as e:
            # a figure beyond what can be computed with (checks on loading catch the known ones)
            click.echo(f"drafter: a figure is out of the range drafter can compute with ({type(e).__name__}); "
                       "check the company data for a typo (an exponent like 1e-50 or 1e400)", err=True)
            sys.exit(2)
        except MemoryError:
            click.echo("drafter: the input is too large to process in the memory available "
                       "(see the input limits in the README)", err=True)
            sys.exit(2)
        except RecursionError:
            click.echo("drafter: the input is nested too deeply to process", err=True)
            sys.exit(2)
        except Exception as e:  # a bug of ours, not the user's mistake: one line, exit 1, and how to report it
            if os.environ.get("DRAFTER_DEBUG"):
                raise
            where = ""
            tb = e.__traceback__
            while tb is not None and tb.tb_next is not None:
                tb = tb.tb_next
            if tb is not None:
                where = f" (at {os.path.basename(tb.tb_frame.f_code.co_filename)}:{tb.tb_lineno})"
            detail = str(e).splitlines()[0] if str(e) else ""
            click.echo(f"drafter: internal error: {type(e).__name__}{': ' + detail if detail else ''}{where}; "
                       "please report it with the command you ran (DRAFTER_DEBUG=1 shows the traceback)", err=True)
            sys.exit(1)


@click.group(cls=DrafterGroup)
@click.version_option(package_name="drafter")
def main() -> None:
    """问询函回复起草助手 — read an inquiry letter, match it to the question bank, draft the reply."""


def _register() -> None:
    from . import (bank_cmd, compare_cmd, data_cmd, draft_cmd, library_cmd, parse_cmd, review_cmd, style_cmd,
                   template_cmd, update_cmd)

    for mod in (parse_cmd, data_cmd, bank_cmd, draft_cmd, review_cmd, library_cmd, style_cmd, template_cmd,
                compare_cmd, update_cmd):
        mod.register(main)


_register()
