"""Write a CompanyProfile back as company YAML (used by `drafter data convert` from a workbook)."""
from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from ..output import write_atomic
from .model import CompanyProfile

_HEADER = (
    "# Company data for drafter (see `drafter init --yaml` for a commented example).\n"
    "# Amounts in 万元; percentages in percent units; values keyed by period (2023, 2026H1 …).\n"
)


class _Dumper(yaml.SafeDumper):
    pass


def _decimal(dumper: yaml.SafeDumper, d: Decimal) -> yaml.ScalarNode:
    text = format(d, "f")
    tag = "tag:yaml.org,2002:int" if "." not in text else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, text)


def _scalar(v: Any) -> bool:
    return v is None or isinstance(v, (str, int, float, Decimal, bool, _dt.date))


def _dict(dumper: yaml.SafeDumper, d: dict) -> yaml.MappingNode:
    flow = bool(d) and all(_scalar(v) for v in d.values()) and len(d) <= 12
    return dumper.represent_mapping("tag:yaml.org,2002:map", d.items(), flow_style=flow)


def _list(dumper: yaml.SafeDumper, lst: list) -> yaml.SequenceNode:
    flow = all(_scalar(v) for v in lst)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", lst, flow_style=flow)


_Dumper.add_representer(Decimal, _decimal)
_Dumper.add_representer(dict, _dict)
_Dumper.add_representer(list, _list)


def _prune(v: Any) -> Any:
    """Drop empty containers and None values (they are the defaults)."""
    if isinstance(v, dict):
        out = {k: _prune(x) for k, x in v.items()}
        return {k: x for k, x in out.items() if x is not None and x != {} and x != []}
    if isinstance(v, list):
        return [_prune(x) for x in v]
    return v


def dump_yaml(profile: CompanyProfile) -> str:
    """YAML text that loads back (drafter.company.load_yaml_text) to an equal profile."""
    data = profile.model_dump(mode="python")
    for p in data.get("periods", []):
        if not p.get("comparative"):
            p.pop("comparative", None)
    data = _prune(data)
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000,
                     default_flow_style=False)
    return _HEADER + body


def write_yaml(profile: CompanyProfile, path: str | Path, force: bool = False) -> Path:
    text = dump_yaml(profile)
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), force=force)
