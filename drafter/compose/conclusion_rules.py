"""The conclusion rules (drafter/data/rules/conclusions.yaml): word lists and rewriting forms for 核查意见.

    rules() -> Rules                    loaded and compiled once (a UserError naming file:line when broken)
    validate_rules(path=None) -> list   every problem as "file:line: message" ([] when sound)

The file is data a domain expert edits; drafter/compose/conclude.py reads only what this module gives.
"""
from __future__ import annotations

import re
import string
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import UserError

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "rules" / "conclusions.yaml"

# the computed tests a `decided:` entry may name, with the outcomes (forms) each may produce and the
# fields its forms may use (drafter/compose/conclude_data.py fills them)
DECIDERS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "financial_investment_large": (frozenset({"below", "above"}),
                                   frozenset({"end_label", "total_financial", "net_assets_parent", "share"})),
    "financial_investment_deduct": (frozenset({"none", "deducted", "to_deduct"}),
                                    frozenset({"deduct", "amount_after_deduct", "offering_amount"})),
    "bond_ratio": (frozenset({"below", "above"}),
                   frozenset({"cumulative", "net_assets", "bond_ratio", "outstanding", "amount"})),
}
TABLES = frozenset({"coverage"})
BASES = frozenset({"revenue", "accounts_receivable_balance", "accounts_receivable", "inventory"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Choice(_Strict):
    ask: str  # a regular expression matched at the start of the predicate (after 是否)
    found: str  # the usual finding, offered first
    other: str  # the other answer
    alone: bool = False  # may be said of the issuer with nothing named before it


class Quality(_Strict):
    ask: str
    form: str


class Decided(_Strict):
    figure: str
    when: str  # on the 是否 clause with the clause before it (what the point is about)
    clause: str = ""  # on the 是否 clause itself (what is asked of it); "" = `when` on the clause alone
    forms: dict[str, str]


class Subject(_Strict):
    when: str
    base: str | None = None  # the financial item a coverage table's ratios are of
    tables: list[str] = Field(default_factory=list)
    procedures: list[str] = Field(default_factory=list)


class RulesFile(_Strict):
    negative: list[Choice]
    positive: list[Choice]
    comparisons: list[Choice] = Field(default_factory=list)
    absent_objects: list[str] = Field(default_factory=list)
    trailing: list[str] = Field(default_factory=list)  # regular expressions
    adverb_subjects: list[str] = Field(default_factory=list)
    qualities: list[Quality]
    decided: list[Decided] = Field(default_factory=list)
    subjects: list[Subject] = Field(default_factory=list)


class Rules:
    """The file, compiled: (pattern, choice) lists in file order."""

    def __init__(self, data: RulesFile):
        self.data = data
        self.negative = [(re.compile(c.ask), c) for c in data.negative]
        self.positive = [(re.compile(c.ask), c) for c in data.positive]
        self.comparisons = [(re.compile(c.ask), c) for c in data.comparisons]
        self.absent_objects = tuple(data.absent_objects)
        self.trailing_re = re.compile("(?:" + "|".join(f"(?:{t})" for t in data.trailing) + ")$") if data.trailing else re.compile(r"(?!)")
        self.adverb_subjects = frozenset(data.adverb_subjects)
        self.qualities = tuple((q.ask, q.form) for q in data.qualities)
        self.quality_re = re.compile(r"(?:的|及其?|和|、)?(" + "|".join(re.escape(q) for q, _ in self.qualities) + r")")
        self.decided = [(re.compile(d.when), re.compile(d.clause) if d.clause else None, d) for d in data.decided]
        self.subjects = [(re.compile(s.when), s) for s in data.subjects]

    def polarity_words(self) -> set[str]:
        """Every answer form a 是否 ask may take (for checks that no conclusion asserts one unasked)."""
        out: set[str] = set()
        for c in [*self.data.negative, *self.data.positive, *self.data.comparisons]:
            out |= {w for w in (c.found, c.other) if w}
        return out


def _parse(text: str, where: str) -> tuple[RulesFile | None, list[str]]:
    from ..match.bank import _NodeLines, _duplicate_keys, _yaml_problem

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        return None, [f"{where}:{(mark.line + 1) if mark else 1}: bad YAML: {_yaml_problem(e)}"]
    if not isinstance(data, dict) or node is None:
        return None, [f"{where}:1: the rules file must be a mapping (negative:, positive:, qualities: …)"]
    lines = _NodeLines(node)
    problems = [f"{where}:{ln}: duplicate key {k!r} (the later one silently wins)" for ln, k in _duplicate_keys(node)]

    def check_re(pattern: object, loc: tuple) -> None:
        if not isinstance(pattern, str):
            return  # the schema reports it
        try:
            re.compile(pattern)
        except re.error as e:
            problems.append(f"{where}:{lines.line(loc)}: bad regular expression {pattern!r}: {e}")

    for i, t in enumerate(data.get("trailing") or [] if isinstance(data.get("trailing") or [], list) else []):
        check_re(t, ("trailing", i))
    for key, field in (("negative", "ask"), ("positive", "ask"), ("comparisons", "ask"), ("decided", "when"),
                       ("decided", "clause"), ("subjects", "when")):
        for i, item in enumerate(data.get(key) or [] if isinstance(data.get(key) or [], list) else []):
            if isinstance(item, dict):
                check_re(item.get(field), (key, i, field))
    try:
        parsed = RulesFile.model_validate(data)
    except ValidationError as e:
        for err in e.errors():
            loc = err.get("loc", ())
            msg = "unknown field" if err.get("type") == "extra_forbidden" else err.get("msg", "invalid")
            problems.append(f"{where}:{lines.line(loc)}: {'.'.join(str(p) for p in loc)}: {msg}")
        return None, problems

    for i, d in enumerate(parsed.decided):
        known = DECIDERS.get(d.figure)
        if known is None:
            problems.append(f"{where}:{lines.line(('decided', i, 'figure'))}: unknown figure {d.figure!r} "
                            f"(known: {', '.join(sorted(DECIDERS))})")
            continue
        outcomes, fields = known
        for name, form in d.forms.items():
            loc = ("decided", i, "forms", name)
            if name not in outcomes:
                problems.append(f"{where}:{lines.line(loc)}: unknown outcome {name!r} for {d.figure} "
                                f"(known: {', '.join(sorted(outcomes))})")
            try:
                used = {f for _, f, _, _ in string.Formatter().parse(form) if f}
            except ValueError as e:
                problems.append(f"{where}:{lines.line(loc)}: bad form: {e}")
                continue
            for f in sorted(used - fields):
                problems.append(f"{where}:{lines.line(loc)}: unknown field {{{f}}} in form {name!r} "
                                f"(known: {', '.join(sorted(fields))})")
    for i, s in enumerate(parsed.subjects):
        for t in s.tables:
            if t not in TABLES:
                problems.append(f"{where}:{lines.line(('subjects', i, 'tables'))}: unknown table {t!r} "
                                f"(known: {', '.join(sorted(TABLES))})")
        if s.base is not None and s.base not in BASES:
            problems.append(f"{where}:{lines.line(('subjects', i, 'base'))}: unknown base {s.base!r} "
                            f"(known: {', '.join(sorted(BASES))})")
    return (None if problems else parsed), problems


def validate_rules(path: str | Path | None = None) -> list[str]:
    p = Path(path) if path else RULES_FILE
    where = _where(p)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        return [f"{where}:1: cannot read the rules file: {e}"]
    return _parse(text, where)[1]


def _where(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


@lru_cache(maxsize=4)
def rules(path: str | None = None) -> Rules:
    p = Path(path) if path else RULES_FILE
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise UserError(f"{_where(p)}: cannot read the conclusion rules: {e}") from e
    parsed, problems = _parse(text, _where(p))
    if parsed is None:
        raise UserError(problems[0] if problems else f"{_where(p)}: invalid conclusion rules")
    return Rules(parsed)
