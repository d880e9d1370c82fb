"""Company data: the CompanyProfile model, loading from YAML or Excel, derived metrics.

    from drafter.company import load_company
    profile = load_company("examples/company.yaml")      # or an .xlsx made by `drafter init --xlsx`
    from drafter.company.metrics import metric_series
    metric_series(profile)["rd_expense_ratio"]["2021"]   # Decimal, percent units
"""
from __future__ import annotations

from .files import load_company
from .load import load_yaml_text, profile_from_data
from .model import (
    CANONICAL_KEYS,
    FINANCIAL_ITEMS,
    FINANCIAL_LABELS,
    PEER_METRICS,
    CompanyProfile,
    Period,
)

__all__ = [
    "CANONICAL_KEYS",
    "FINANCIAL_ITEMS",
    "FINANCIAL_LABELS",
    "PEER_METRICS",
    "CompanyProfile",
    "Period",
    "load_company",
    "load_yaml_text",
    "profile_from_data",
]
