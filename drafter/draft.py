"""Draft a reply end to end: read -> parse -> match -> compose -> render, written atomically.

    draft(letter_path, company_path, out_path, style_path=None, force=False, library=None,
          allow_other_issuer=False) -> Path
    draft_with_summary(...) -> DraftResult   (the same, plus counts for the CLI)
    demo(out_path=None, force=False) -> DraftResult   (the bundled example into a new file)

Refused with a UserError (one line, exit 2): an output that is one of the inputs (even with force),
company data for another issuer than the letter's (unless allow_other_issuer), and a library file
given explicitly that is not a drafter library.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .compose import compose_reply_full, count_placeholders
from .document import ReplyDocument
from .errors import UserError
from .models import Letter
from .output import check_not_input, check_target, write_atomic
from .paths import EXAMPLES_DIR


@dataclass
class DraftResult:
    path: Path
    letter: Letter
    document: ReplyDocument
    questions: int
    requests: int
    placeholders: int
    precedents: int = 0  # open requests with precedents from the library (comments or inline blocks)
    library: Path | None = None  # the precedent library consulted, if any
    precedent_form: str = "inline"  # comments / inline
    coverage: object | None = None  # drafter.compose.coverage.Coverage: request sections with content
    warnings: list[str] = field(default_factory=list)  # where the letter and the company file disagree
    learned: int = 0  # requests answered with a learned template (--templates / the style's templates:)
    templates: Path | None = None  # the learned templates folder, if any
    followup: object | None = None  # drafter.compose.followup.Followup: the links to the earlier round (--previous)
    carried: int = 0  # requests pre-filled with the earlier answer (【沿用…】 blocks to revise)

    def summary_lines(self) -> list[str]:
        """What `drafter draft` and `drafter demo` print: `wrote PATH`, then the counts."""
        if self.library is not None and self.precedent_form == "inline":
            prec = (f"{self.precedents} open request(s) with a 【参考先例】 block to rewrite (from {self.library}; "
                    "drafter review blocks until they are gone)")
        elif self.library is not None:
            prec = f"{self.precedents} open request(s) with Word comments (from {self.library})"
        else:
            prec = "none (no precedent library consulted)"
        return [
            f"wrote {self.path}",
            f"  questions:    {self.questions}",
            f"  requests:     {self.requests}",
            f"  placeholders: {self.placeholders} left to fill (highlighted 【…】 runs to fill or confirm)",
            *([f"  content:      {self.coverage} (a computed table or 60+ characters outside 【…】)"]
              if self.coverage is not None else []),
            f"  precedents:   {prec}",
            *([f"  learned:      {self.learned} request(s) answered with a learned template (from {self.templates})"]
              if self.templates is not None else []),
        ] + self._previous_lines() + [f"warning: {w}" for w in self.warnings]

    def _previous_lines(self) -> list[str]:
        fu = self.followup
        if fu is None:
            return []
        pairs = ", ".join(f"{q.number}←{'+'.join(str(n) for n in q.prev_questions)}" for q in fu.linked)
        loose = [str(q.number) for q in fu.questions if not q.links]
        return [f"  previous:     {len(fu.linked)}/{len(fu.questions)} question(s) follow up {fu.previous_round}回复 "
                f"({fu.previous}): {pairs or 'none'}" + (f"; new: {', '.join(loose)}" if loose else ""),
                f"  carried:      {self.carried} answer(s) carried forward from {fu.previous_round}回复 "
                "(shaded 【沿用…，待更新】 blocks: revise, then delete to 【沿用止】)"]

    def summary(self) -> str:
        return "\n".join(self.summary_lines())


def _check_out(out_path: str | os.PathLike, force: bool) -> Path:
    out = Path(out_path)
    if out.suffix.lower() != ".docx":
        raise UserError("the reply is written as a Word file: give a name ending in .docx", file=str(out))
    return check_target(out, force)


def library_path(library: str | os.PathLike | bool | None) -> Path | None:
    """The precedent library to consult: False none; None the default one if it exists; a path (must exist)."""
    if library is False:
        return None
    if library is None or library is True:
        from .library import default_db_path

        p = default_db_path()
        if not p.is_file():
            return None
        try:  # the default library, unreadable or not one, stays silent: a plain draft
            check_library_file(p)
        except UserError:
            return None
        return p
    p = Path(library)
    if not p.is_file():
        raise UserError("precedent library not found (build one with `drafter library add REPLY…`)", file=str(p))
    check_library_file(p)
    return p


def check_library_file(p: Path) -> None:
    """A library named explicitly must be one: opened read-only (never created nor changed) and its
    SQLite application id checked. The default library stays silent instead (precedents_for)."""
    import sqlite3

    from .library.store import APP_ID

    problem = None
    try:
        with open(p, "rb") as fh:
            head = fh.read(16)
    except OSError as e:
        raise UserError(f"cannot read the precedent library ({e.strerror or e})", file=str(p)) from None
    if head != b"SQLite format 3\x00":
        problem = "not a drafter precedent library (not an SQLite database)"
    else:
        try:
            db = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True)
            try:
                app_id = db.execute("PRAGMA application_id").fetchone()[0]
            finally:
                db.close()
        except sqlite3.Error as e:
            raise UserError(f"cannot read the precedent library ({e})", file=str(p)) from None
        if app_id != APP_ID:
            problem = "an SQLite database but not a drafter precedent library"
        else:  # named explicitly: a damaged one stops here rather than silently giving no precedents
            from .library.store import Library

            with Library(p, create=False) as lib:
                lib.check()
    if problem:
        raise UserError(f"{problem}; build one with `drafter library add REPLY…`, or leave out --library",
                        file=str(p))


def draft_with_summary(letter_path: str | os.PathLike, company_path: str | os.PathLike, out_path: str | os.PathLike,
                       style_path: str | os.PathLike | None = None, force: bool = False,
                       library: str | os.PathLike | bool | None = None,
                       allow_other_issuer: bool = False, precedents: str | None = None,
                       templates: str | os.PathLike | None = None,
                       previous: str | os.PathLike | None = None) -> DraftResult:
    """draft() with counts. `library`: precedent library for the open requests (None: the default
    library when there is one; False: none; a path: that database). `precedents`: "inline" (the
    closest past answer adapted into the draft, the default), "comments" (Word comments beside
    the request) or "off". `templates`: a folder of learned templates (drafter template learn), used
    ahead of the bank's for their topics (default: the house style's `templates:`). `previous`: the reply
    to the earlier round: each question following one up is linked to it and its answers carried
    forward, marked to revise (drafter.compose.followup)."""
    out = _check_out(out_path, force)  # refuse early, before any work
    form = precedents or "inline"
    if form not in PRECEDENT_FORMS:
        raise UserError(f"unknown precedent form {form!r}; expected one of {', '.join(PRECEDENT_FORMS)}",
                        place="--precedents")
    db = library_path(False if form == "off" else library)
    # --force replaces an old output, never the letter, the company data, the style or the library
    check_not_input(out, letter_path, company_path, style_path, db, previous)
    from .match.bank import load_bank
    from .company import load_company
    from .match import match_letter
    from .parse import parse_file
    from .render import render_docx
    from .render.style import load_style

    style = load_style(style_path)
    from .parse.refers import read_refs

    letter = read_refs(parse_file(letter_path))  # a later round: its own title, round and references
    if not letter.questions:
        raise UserError("no questions found: is this an inquiry letter?", file=str(letter_path))
    prev = None
    if previous is not None:
        from .compose.followup import read_previous

        prev = read_previous(previous)
    company = load_company(company_path)
    if not allow_other_issuer:
        from .company.check import issuer_mismatch

        problem = issuer_mismatch(letter.meta.issuer, company)
        if problem:
            raise UserError(problem + " (--allow-other-issuer to draft anyway)", file=str(company_path))
    from .company.check import letter_vs_company

    warnings = list(letter.warnings) + letter_vs_company(letter.meta, company)  # the reader's doubts first
    learned = None
    tdir = Path(templates) if templates is not None else style.templates_path
    if tdir is not None:
        from .compose.learned import LearnedTemplates

        learned = LearnedTemplates(tdir)
    bank = load_bank()
    matches = match_letter(letter, bank)
    composed = compose_reply_full(letter, company, matches, style, bank, learned=learned)
    doc, open_requests = composed.document, composed.open_requests
    followup, carried = None, 0
    if prev is not None:
        from .compose.followup import carry_forward, link_rounds

        followup = link_rounds(letter, prev, bank, matches)
        carried = carry_forward(doc, composed.sections, followup, prev)
    comments: dict[int, list[str]] = {}
    inserted = 0
    if db is not None and open_requests and form == "comments":
        from .compose.precedents import precedent_comments
        from .library import precedents_for

        comments = precedent_comments(doc, open_requests,
                                      lambda text, topic: precedents_for(text, topic=topic, limit=3, db=db))
    elif db is not None and open_requests:
        from .compose.context import build_names
        from .compose.precedents import INLINE_MIN_SCORE, insert_precedents
        from .library import precedents_for

        inserted = insert_precedents(
            doc, open_requests,
            lambda text, topic: precedents_for(text, topic=topic, limit=1, db=db, min_score=INLINE_MIN_SCORE),
            build_names(letter, company))
    path = write_atomic(out, lambda p: render_docx(doc, style, p, comments=comments), force=force)
    return DraftResult(
        path=path,
        letter=letter,
        document=doc,
        questions=len(letter.questions),
        requests=len(letter.requests),
        placeholders=count_placeholders(doc),
        precedents=len(comments) if form == "comments" else inserted,
        library=db,
        precedent_form=form,
        coverage=composed.coverage(),
        warnings=warnings,
        learned=len(composed.learned_used),
        templates=tdir,
        followup=followup,
        carried=carried,
    )


def draft(letter_path: str | os.PathLike, company_path: str | os.PathLike, out_path: str | os.PathLike,
          style_path: str | os.PathLike | None = None, force: bool = False,
          library: str | os.PathLike | bool | None = None, allow_other_issuer: bool = False,
          precedents: str | None = None) -> Path:
    """Draft the reply DOCX for `letter_path` with the company data in `company_path`; returns the path.

    Never overwrites an existing file unless `force`; a crash half-way leaves no partial file.
    Requests without a template answer get the closest precedent of `library` as an adapted block
    (`precedents="inline"`, the default) or the closest three as Word comments ("comments"); None:
    the default library if there is one; False or precedents="off": none. Company data for another
    issuer than the letter names is refused unless `allow_other_issuer`.
    """
    return draft_with_summary(letter_path, company_path, out_path, style_path, force, library,
                              allow_other_issuer, precedents).path


PRECEDENT_FORMS = ("inline", "comments", "off")

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


def demo(out_path: str | os.PathLike | None = None, force: bool = False) -> DraftResult:
    """Draft the bundled example (examples/letter.txt + examples/company.yaml) into a new file
    (an explicit `out_path` that exists is replaced only with `force`)."""
    letter = EXAMPLES_DIR / "letter.txt"
    company = EXAMPLES_DIR / "company.yaml"
    for p in (letter, company):
        if not p.exists():
            raise UserError("bundled example missing (reinstall drafter)", file=str(p))
    out = Path(out_path) if out_path else free_name(".")
    return draft_with_summary(letter, company, out, force=force and out_path is not None,
                              library=False)  # the demo shows drafter alone
