"""Shared test fixtures.

Real documents live in ../shared/corpus beside the checkout (never on a user's machine): tests that
need them take the `corpus` fixture, which skips with a clear reason when the folder is absent.
"""
from __future__ import annotations

from pathlib import Path

import os

import pytest
from hypothesis import settings

# CI runs the property tests with a fixed seed (no flaky landings); developers' runs stay random.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not (CORPUS / "002_b6a7c14d8069eefe.txt").exists():
        pytest.skip(f"real documents not available: {CORPUS} is absent (only in the development checkout)")
    return CORPUS


@pytest.fixture(scope="session")
def reply002(corpus) -> Path:
    return corpus / "002_b6a7c14d8069eefe.txt"


@pytest.fixture(scope="session")
def reply003(corpus) -> Path:
    return corpus / "003_474977f8a7f54835.txt"
