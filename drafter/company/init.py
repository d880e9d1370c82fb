"""Starter company files for `drafter init`: the bundled fictional example (examples/company.yaml)."""
from __future__ import annotations

import shutil
from pathlib import Path

from ..errors import UserError
from ..output import write_atomic
from ..paths import EXAMPLES_DIR


def example_path() -> Path:
    """The bundled example company (青禾智能, fictional)."""
    p = EXAMPLES_DIR / "company.yaml"
    if not p.exists():
        raise UserError("the bundled example is missing (is drafter installed from its checkout?)", file=str(p))
    return p


def write_starter_yaml(path: str | Path, force: bool = False) -> Path:
    """Copy the example YAML (comments included) to `path`; never overwrites without force."""
    src = example_path()
    return write_atomic(path, lambda tmp: shutil.copyfile(src, tmp), force=force)


def write_starter_xlsx(path: str | Path, force: bool = False) -> Path:
    """Write the example as a workbook at `path`; it loads back to the same profile as the YAML."""
    from .excel import write_xlsx
    from .load import load_yaml

    profile = load_yaml(example_path())
    return write_atomic(path, lambda tmp: write_xlsx(profile, tmp), force=force)
