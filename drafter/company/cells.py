"""Workbook cell values as plain data, shared by the workbook reader (excel) and the block sheets (sheets)."""
from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any

from .. import numbers as N

YES = {"是", "yes", "y", "true", "1", "√", "Y", "TRUE", "True"}
NO = {"否", "no", "n", "false", "0", "", "N", "FALSE", "False"}
BLANK = {"", "-", "—", "/"}


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and v.strip() in BLANK)


def _cell(v: Any) -> Any:
    """A cell value as plain data: numbers -> Decimal (through repr, never Decimal(float)), dates -> date."""
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return Decimal(v)
    if isinstance(v, float):
        return N.to_decimal(v) if v == v and v not in (float("inf"), float("-inf")) else str(v)
    if isinstance(v, _dt.datetime):
        return v.date() if (v.hour, v.minute, v.second) == (0, 0, 0) else v
    if isinstance(v, str):
        return v.strip()
    return v


def _yes_no(v: Any, problem) -> bool | None:
    if isinstance(v, bool):
        return v
    s = str(v).strip()
    if s in YES:
        return True
    if s in NO:
        return False
    problem(f"expected 是 or 否, got {v!r}")
    return None
