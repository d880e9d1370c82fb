"""CLI commands for company data: `drafter init`, `drafter data check`, `drafter data convert`."""
from __future__ import annotations

import json

import click

from ..errors import UserError


def register(main: click.Group) -> None:
    """Add this module's commands to the `drafter` group."""
    main.add_command(init_cmd)
    main.add_command(data_group)


@click.command("init")
@click.option("--yaml", "yaml_path", type=click.Path(dir_okay=False, path_type=str),
              help="Write a starter company file in YAML (the fictional example 青禾智能).")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False, path_type=str),
              help="Write the same starter data as an Excel workbook (a sheet per block).")
@click.option("--force", is_flag=True, help="Replace an existing file.")
def init_cmd(yaml_path: str | None, xlsx_path: str | None, force: bool) -> None:
    """Write a starter company data file filled with a fictional example; edit it with your figures.

    Both forms load back to the same data: `drafter data check FILE` shows what drafter derives.
    """
    from ..company.init import write_starter_xlsx, write_starter_yaml

    if not yaml_path and not xlsx_path:
        raise UserError("say what to write: drafter init --yaml company.yaml and/or --xlsx company.xlsx")
    if yaml_path and not yaml_path.lower().endswith((".yaml", ".yml")):
        raise UserError("--yaml writes a YAML file: give a name ending in .yaml or .yml", file=yaml_path)
    if xlsx_path and not xlsx_path.lower().endswith(".xlsx"):
        raise UserError("--xlsx writes an Excel workbook: give a name ending in .xlsx", file=xlsx_path)
    from ..output import check_target

    for target in (yaml_path, xlsx_path):  # both refused before either is written
        if target:
            check_target(target, force)
    if yaml_path:
        out = write_starter_yaml(yaml_path, force=force)
        click.echo(f"wrote {out}")
    if xlsx_path:
        out = write_starter_xlsx(xlsx_path, force=force)
        click.echo(f"wrote {out}")


@click.group("data")
def data_group() -> None:
    """Company data files (YAML or Excel): validate and show derived metrics."""


@data_group.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option("--json", "as_json", is_flag=True, help="Print the metrics and warnings as JSON.")
def check_cmd(file: str, as_json: bool) -> None:
    """Validate FILE (.yaml or .xlsx) and print the ratios a reviewer checks first.

    Per period: revenue growth and CAGR, gross margin, expense and R&D ratios, receivables / revenue,
    turnover, debt ratio, concentration, peers … (each when its inputs are present), then checks that
    the detail blocks add up to the financials. A bad file: one line per problem, exit code 2.
    """
    from ..company import load_company
    from ..company.check import check_report, format_check

    profile = load_company(file)
    report = check_report(profile, source=file)
    if as_json:
        report = {k: v for k, v in report.items() if not k.startswith("_")}
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo(format_check(report, profile))


@data_group.command("convert")
@click.argument("source", type=click.Path(dir_okay=False, path_type=str))
@click.argument("target", type=click.Path(dir_okay=False, path_type=str))
@click.option("--force", is_flag=True, help="Replace an existing TARGET.")
def convert_cmd(source: str, target: str, force: bool) -> None:
    """Convert a company file between YAML and Excel (TARGET's suffix: .yaml/.yml or .xlsx).

    SOURCE is validated first; the written file loads back to the same data.
    """
    from pathlib import Path

    from ..company import load_company
    from ..output import check_not_input, write_atomic

    suffix = Path(target).suffix.lower()
    if suffix not in (".yaml", ".yml", ".xlsx"):
        raise UserError("expected a target ending in .yaml, .yml or .xlsx", file=target)
    check_not_input(target, source)
    profile = load_company(source)
    if suffix == ".xlsx":
        from ..company.excel import write_xlsx

        out = write_atomic(target, lambda tmp: write_xlsx(profile, tmp), force=force)
    else:
        from ..company.dump import write_yaml

        out = write_yaml(profile, target, force=force)
    click.echo(f"wrote {out}")
