"""Draft a reply end to end: read -> parse -> match -> compose -> render, written atomically.

    draft(letter_path, company_path, out_path, style_path=None, force=False) -> Path
    draft_with_summary(...) -> DraftResult   (the same, plus counts for the CLI)
    demo(out_path=None) -> DraftResult       (the bundled example into a new file)
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .compose import compose_reply, count_placeholders
from .document import ReplyDocument
from .errors import UserError
from .models import Letter
from .output import check_target, write_atomic
from .paths import EXAMPLES_DIR


@dataclass
class DraftResult:
    path: Path
    letter: Letter
    document: ReplyDocument
    questions: int
    requests: int
    placeholders: int

    def summary(self) -> str:
        return (f"{self.path}: {self.questions} questions, {self.requests} requests, "
                f"{self.placeholders} placeholders left to fill")


def _check_out(out_path: str | os.PathLike, force: bool) -> Path:
    out = Path(out_path)
    if out.suffix.lower() != ".docx":
        raise UserError("the reply is written as a Word file: give a name ending in .docx", file=str(out))
    return check_target(out, force)


def draft_with_summary(letter_path: str | os.PathLike, company_path: str | os.PathLike, out_path: str | os.PathLike,
                       style_path: str | os.PathLike | None = None, force: bool = False) -> DraftResult:
    out = _check_out(out_path, force)  # refuse early, before any work
    from .bank import load_bank
    from .company import load_company
    from .match import match_letter
    from .parse import parse_file
    from .render import render_docx
    from .style import load_style

    style = load_style(style_path)
    letter = parse_file(letter_path)
    if not letter.questions:
        raise UserError("no questions found: is this an inquiry letter?", file=str(letter_path))
    company = load_company(company_path)
    bank = load_bank()
    matches = match_letter(letter, bank)
    doc = compose_reply(letter, company, matches, style, bank)
    path = write_atomic(out, lambda p: render_docx(doc, style, p), force=force)
    return DraftResult(
        path=path,
        letter=letter,
        document=doc,
        questions=len(letter.questions),
        requests=len(letter.requests),
        placeholders=count_placeholders(doc),
    )


def draft(letter_path: str | os.PathLike, company_path: str | os.PathLike, out_path: str | os.PathLike,
          style_path: str | os.PathLike | None = None, force: bool = False) -> Path:
    """Draft the reply DOCX for `letter_path` with the company data in `company_path`; returns the path.

    Never overwrites an existing file unless `force`; a crash half-way leaves no partial file.
    """
    return draft_with_summary(letter_path, company_path, out_path, style_path, force).path


DEMO_NAME = "drafter-demo-回复.docx"


def free_name(folder: str | os.PathLike = ".", name: str = DEMO_NAME) -> Path:
    """`name` in `folder`, or name-2, name-3 … if taken: the demo never touches an existing file."""
    folder = Path(folder)
    stem, suffix = Path(name).stem, Path(name).suffix
    candidate = folder / name
    n = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{n}{suffix}"
        n += 1
    return candidate


def demo(out_path: str | os.PathLike | None = None) -> DraftResult:
    """Draft the bundled example (examples/letter.txt + examples/company.yaml) into a new file."""
    letter = EXAMPLES_DIR / "letter.txt"
    company = EXAMPLES_DIR / "company.yaml"
    for p in (letter, company):
        if not p.exists():
            raise UserError("bundled example missing (reinstall drafter)", file=str(p))
    out = Path(out_path) if out_path else free_name(".")
    return draft_with_summary(letter, company, out)
