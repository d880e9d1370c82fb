"""Load a company file (YAML or XLSX) into a CompanyProfile, reporting every problem at once.

Problems become `drafter.errors.UserErrors`, one `UserError` per problem, each naming the file, the
place (``line 12: financials.revenue.2021`` for YAML; ``sheet 财务数据, cell C5 (营业收入 / 2021年)``
for Excel) and what was expected. Never a traceback, never a silent default.
"""
from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..errors import UserError, UserErrors
from .model import CompanyProfile

Loc = tuple  # a path into the raw data: ("financials", "revenue", "2021")
Locate = Callable[[Loc], str | None]


# --------------------------------------------------------------------------- YAML


MAX_YAML_BYTES = 20 * 1024 * 1024  # a company file is a few hundred lines
MAX_NODES = 100_000  # values once aliases are expanded (stops "billion laughs"; a company file has a few thousand)
from ..safe_yaml import MAX_ALIASES, MAX_DEPTH, LimitedLoader as _LimitedLoader  # noqa: E402,F401


class _Marks:
    """Line numbers of YAML nodes by path."""

    def __init__(self) -> None:
        self.lines: dict[Loc, int] = {}
        self.walked = 0  # nodes visited, aliases expanded

    def locate(self, loc: Loc) -> str | None:
        # the deepest known ancestor's line
        for n in range(len(loc), -1, -1):
            if loc[:n] in self.lines:
                return f"line {self.lines[loc[:n]]}"
        return None


_INT_RE = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")


def _scalar(node: yaml.ScalarNode) -> Any:
    tag, value = node.tag, node.value
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return value.lower() in ("yes", "true", "on", "y")
    if tag == "tag:yaml.org,2002:int":
        v = value.replace("_", "")
        if _INT_RE.match(v):
            return Decimal(v)
        return value  # 0123 (a code with a leading zero), 0x1f … kept as written
    if tag == "tag:yaml.org,2002:float":
        try:
            d = Decimal(value.replace("_", ""))
        except InvalidOperation:
            return value  # .inf / .nan: rejected later as "expected a number"
        return d if d.is_finite() else value
    if tag == "tag:yaml.org,2002:timestamp":
        m = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})", value)
        if m:
            try:
                return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return value
        return value
    return value


def _key_text(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        return node.value
    return str(node)


def _walk(node: yaml.Node, loc: Loc, marks: _Marks, problems: list[tuple[Loc, str]]) -> Any:
    marks.walked += 1
    if marks.walked > MAX_NODES:
        raise _TooBig(node.start_mark.line + 1)
    marks.lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for k, v in node.value:
            key = _key_text(k)
            if k.tag == "tag:yaml.org,2002:merge":
                problems.append((loc, "YAML merge keys (<<) are not supported here"))
                continue
            if key in out:
                marks.lines[(*loc, key)] = k.start_mark.line + 1
                problems.append(((*loc, key), f"{key!r} appears twice in this mapping"))
                continue
            marks.lines[(*loc, key)] = k.start_mark.line + 1
            out[key] = _walk(v, (*loc, key), marks, problems)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_walk(v, (*loc, i), marks, problems) for i, v in enumerate(node.value)]
    return _scalar(node)


class _TooBig(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def parse_yaml_text(text: str, file: str = "<text>") -> tuple[Any, _Marks]:
    """YAML text -> (plain data with Decimal numbers and date dates, line marks)."""
    try:
        node = yaml.compose(text, Loader=_LimitedLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        raise UserError(f"not valid YAML: {e.problem or e}", file=file, place=place) from None
    except yaml.YAMLError as e:
        raise UserError(f"not valid YAML: {e}", file=file) from None
    marks = _Marks()
    if node is None:
        raise UserError("the file is empty; expected a company mapping (company:, unit:, periods: …)", file=file)
    problems: list[tuple[Loc, str]] = []
    try:
        data = _walk(node, (), marks, problems)
    except _TooBig as e:
        raise UserError(f"aliases (*name) expand to more than {MAX_NODES:,} values; write the values out",
                        file=file, place=f"line {e.line}") from None
    if problems:
        raise UserErrors([UserError(msg, file=file, place=_place(marks.locate(loc), loc)) for loc, msg in problems])
    return data, marks


def load_yaml(path: str | Path) -> CompanyProfile:
    p = Path(path)
    from ..read import check_regular

    check_regular(p)
    if p.stat().st_size > MAX_YAML_BYTES:
        raise UserError(f"the file is too large ({p.stat().st_size / 1024 / 1024:,.0f} MB; the limit for a company "
                        f"file is {MAX_YAML_BYTES // 1024 // 1024} MB)", file=str(p))
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UserError("is not UTF-8 text; save the YAML file as UTF-8", file=str(p)) from None
    except OSError as e:
        raise UserError(f"cannot read: {e.strerror}", file=str(p)) from None
    return load_yaml_text(text, file=str(p))


def load_yaml_text(text: str, file: str = "<text>") -> CompanyProfile:
    data, marks = parse_yaml_text(text, file)
    check_magnitudes(data, file, marks.locate)
    return profile_from_data(data, file=file, locate=marks.locate)


_NUMBER_TEXT = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)[eE][-+]?\d+")
MIN_FIGURE = Decimal("1e-6")  # a nonzero figure smaller than this is a typo (1e-50), not data
MIN_EXPONENT = MIN_FIGURE.adjusted()


def magnitude_problems(data: Any, loc: Loc = ()) -> list[tuple[Loc, str]]:
    """Nonzero numbers too small to compute ratios with (1e-50): (place, message). Implausibly large
    ones are the model's to report."""
    out: list[tuple[Loc, str]] = []
    if isinstance(data, dict):
        for k, v in data.items():
            out += magnitude_problems(v, (*loc, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += magnitude_problems(v, (*loc, i))
    if isinstance(data, str) and _NUMBER_TEXT.fullmatch(data.strip()):
        data = Decimal(data.strip())  # `1e-50` is text to YAML but a number to the model
    # by the exponent alone: no arithmetic on a figure like 1e999999999
    if isinstance(data, Decimal) and data.is_finite() and not data.is_zero() and data.adjusted() < MIN_EXPONENT:
        out.append((loc, f"the figure {data} is implausibly small (a nonzero figure is at least {MIN_FIGURE}: "
                         "amounts are in 万元 or 元, percentages in percent units); check for a typo"))
    return out


def check_magnitudes(data: Any, file: str, locate: Locate | None) -> None:
    problems = magnitude_problems(data)
    if problems:
        raise UserErrors([UserError(msg, file=file, place=_place(locate(loc) if locate else None, loc))
                          for loc, msg in problems])


# --------------------------------------------------------------------------- validation


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"  # 1-based: the user's "third customer"
        else:
            out += ("." if out else "") + str(part)
    return out


def _place(where: str | None, loc: Loc) -> str | None:
    path = _dotted(loc)
    if where and path:
        return f"{where}: {path}"
    return where or path or None


_PYDANTIC_MESSAGES = {
    "missing": "missing required field",
    "extra_forbidden": "unknown field",
    "string_type": "expected text",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "date_type": "expected a date like 2026-06-30",
    "date_parsing": "expected a date like 2026-06-30",
    "date_from_datetime_parsing": "expected a date like 2026-06-30",
    "date_from_datetime_inexact": "expected a date without a time",
    "list_type": "expected a list",
    "dict_type": "expected a mapping (key: value)",
    "model_type": "expected a mapping (key: value)",
    "model_attributes_type": "expected a mapping (key: value)",
    "too_short": "expected at least one entry",
    "literal_error": "unexpected value",
    "int_parsing": "expected a whole number",
    "int_type": "expected a whole number",
    "decimal_parsing": "expected a number",
    "decimal_type": "expected a number",
}


def _message(err: dict) -> str:
    typ = err.get("type", "")
    if typ == "value_error":
        msg = err.get("msg", "")
        return msg.removeprefix("Value error, ")
    if typ == "extra_forbidden":
        loc = err.get("loc") or ("?",)
        key = loc[-1]
        if len(loc) == 2 and loc[0] == "financials":
            import difflib

            from .model import FINANCIAL_ITEMS

            near = difflib.get_close_matches(str(key), list(FINANCIAL_ITEMS), n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            return f"unknown financial item {key!r}{hint}; expected a canonical key such as revenue, operating_cost, rd_expense"
        return f"unknown field {key!r}{_suggest(key)}"
    base = _PYDANTIC_MESSAGES.get(typ)
    if base is None:
        return err.get("msg", "invalid value")
    if typ == "missing":
        return base
    inp = err.get("input")
    if inp is not None and not isinstance(inp, (dict, list)):
        return f"{base}, got {inp!r}" if not isinstance(inp, Decimal) else f"{base}, got {inp}"
    if isinstance(inp, (dict, list)):
        return f"{base}, got a {'mapping' if isinstance(inp, dict) else 'list'}"
    return base


def _all_field_names() -> list[str]:
    from pydantic import BaseModel

    from . import model as M

    names: set[str] = set()
    for obj in vars(M).values():
        if isinstance(obj, type) and issubclass(obj, BaseModel) and obj is not BaseModel:
            names |= set(obj.model_fields)
    return sorted(names)


def _suggest(key: Any) -> str:
    import difflib

    near = difflib.get_close_matches(str(key), _all_field_names(), n=1, cutoff=0.75)
    return f" (did you mean {near[0]!r}?)" if near else ""


def _clean_loc(loc: Loc) -> Loc:
    """Drop pydantic's internal markers ('[key]', function-after[...] …) from an error location."""
    out = []
    for part in loc:
        if isinstance(part, str) and (part == "[key]" or part.startswith(("function-", "json-or-python"))):
            continue
        out.append(part)
    return tuple(out)


def _declared_periods(data: Any) -> set[str] | None:
    if not isinstance(data, dict) or not isinstance(data.get("periods"), list):
        return None
    keys = set()
    for p in data["periods"]:
        if isinstance(p, dict) and p.get("key") is not None:
            k = p["key"]
            keys.add(str(k).strip())
    return keys or None


def profile_from_data(data: Any, file: str = "<data>", locate: Locate | None = None) -> CompanyProfile:
    """Validate plain data (as read from YAML or Excel) into a CompanyProfile.

    `locate(loc)` turns a path in `data` into a place ("line 12", "sheet 财务数据, cell C5"); on failure a
    UserErrors is raised with one UserError per problem, in file order.
    """
    if not isinstance(data, dict):
        raise UserError("expected a mapping at the top (company:, unit:, periods:, financials: …)", file=file)
    periods = _declared_periods(data)
    try:
        return CompanyProfile.model_validate(data, context={"periods": periods})
    except ValidationError as e:
        errors: list[tuple[Any, UserError]] = []
        seen: set[tuple] = set()
        for err in e.errors(include_url=False):
            loc = _clean_loc(tuple(err.get("loc", ())))
            msg = _message(err)
            if (loc, msg) in seen:
                continue
            seen.add((loc, msg))
            where = locate(loc) if locate else None
            errors.append((_sort_key(where), UserError(msg, file=file, place=_place(where, loc))))
        errors.sort(key=lambda t: t[0])
        raise UserErrors(_collapse_undeclared([u for _, u in errors])) from None


_UNDECLARED_RE = re.compile(r"^period '([^']*)' is not declared in periods")


def _collapse_undeclared(errors: list[UserError]) -> list[UserError]:
    """One line per undeclared period, not one per value: a typo in `periods` (or in a column header)
    would otherwise bury the cause under a hundred identical lines."""
    first: dict[str, UserError] = {}
    extra: dict[str, int] = {}
    out: list[UserError] = []
    for u in errors:
        m = _UNDECLARED_RE.match(u.message)
        if not m:
            out.append(u)
            continue
        key = m.group(1)
        if key in first:
            extra[key] += 1
            continue
        first[key] = u
        extra[key] = 0
        out.append(u)
    for key, u in first.items():
        if extra[key]:
            u.message += f"; {extra[key]} more value(s) use period {key!r}"
    return out


def _sort_key(where: str | None) -> int:
    m = re.match(r"line (\d+)", where or "")
    return int(m.group(1)) if m else 0  # Excel places keep the validation order (sheet by sheet)
