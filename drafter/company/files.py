"""Open a company file by its kind: YAML (drafter.company.load) or an Excel workbook (drafter.company.excel)."""
from __future__ import annotations

from pathlib import Path

from ..errors import UserError
from .excel import load_xlsx
from .load import load_yaml
from .model import CompanyProfile


def load_company(path: str | Path) -> CompanyProfile:
    """Read a company file: .yaml/.yml or .xlsx/.xlsm. Raises UserError(s) on bad input."""
    p = Path(path)
    if not p.exists():
        raise UserError("no such file", file=str(p))
    if p.is_dir():
        raise UserError("is a folder, expected a company file (.yaml or .xlsx)", file=str(p))
    suffix = p.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return load_yaml(p)
    if suffix in (".xlsx", ".xlsm"):
        return load_xlsx(p)
    raise UserError(f"unknown company file type {p.suffix or '(none)'!r}; expected .yaml, .yml or .xlsx", file=str(p))
