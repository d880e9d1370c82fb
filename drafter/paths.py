"""Where drafter finds its own resources (templates, question bank, examples).

From a checkout (`pip install -e .`) they are the top-level folders beside the package — the source
of truth, edited in place. A built wheel (`pip install .`) carries copies inside the package, under
`drafter/resources/` (setup.py copies them at build time). `DRAFTER_HOME` points at another checkout.
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
_BUNDLED = PACKAGE_DIR / "resources"


def _home() -> Path:
    if os.environ.get("DRAFTER_HOME"):
        return Path(os.environ["DRAFTER_HOME"])
    if (PACKAGE_DIR.parent / "question_bank").is_dir() and (PACKAGE_DIR.parent / "templates").is_dir():
        return PACKAGE_DIR.parent  # a checkout
    return _BUNDLED  # an installed wheel


PROJECT_DIR = _home()

TEMPLATES_DIR = PROJECT_DIR / "templates"
BANK_DIR = PROJECT_DIR / "question_bank"
EXAMPLES_DIR = PROJECT_DIR / "examples"


def taxonomy_path() -> Path:
    """The topic ids (a copy of the project's shared taxonomy, shipped with the bank)."""
    return BANK_DIR / "_taxonomy.yaml"


def cache_dir() -> Path | None:
    """Where drafter keeps what it can rebuild (compiled templates, the loaded bank): $DRAFTER_CACHE_DIR,
    else the user's cache folder; None when this system has none (then nothing is cached)."""
    if os.environ.get("DRAFTER_CACHE_DIR"):
        return Path(os.environ["DRAFTER_CACHE_DIR"])
    try:
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("drafter"))
    except Exception:  # noqa: BLE001 - no cache folder on this system: rebuild every run
        return None
