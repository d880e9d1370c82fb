"""Where drafter finds its own resources (templates, question bank, examples)."""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# An editable install (pip install -e .) runs from the checkout: resources sit beside the package.
PROJECT_DIR = Path(os.environ.get("DRAFTER_HOME") or PACKAGE_DIR.parent)

TEMPLATES_DIR = PROJECT_DIR / "templates"
BANK_DIR = PROJECT_DIR / "question_bank"
EXAMPLES_DIR = PROJECT_DIR / "examples"


def taxonomy_path() -> Path:
    """The topic ids (a copy of the project's shared taxonomy, shipped with the bank)."""
    return BANK_DIR / "_taxonomy.yaml"
