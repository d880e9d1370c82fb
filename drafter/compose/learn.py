"""Learn house templates from a past reply (issue 15 item 2).

A finished reply and the company file it was written from give one Jinja template per answer:
every figure whose printed form equals a financial item or a metric of the company data (after the
same rounding: amounts "9,897.80", percents "7.75%") becomes the expression that computes it
(`{{ amount(value("revenue", "2021")) }}`), the issuer's full and short names become
`{{ names.issuer }}` / `{{ names.short }}`, and every other figure stays as written but highlighted
(`{{ literal("123.45") }}`) for a person to verify. The source request's text is kept in the
template's comment header; drafter.compose.learned reads it back to choose among a topic's templates.

Rendering a learned template with the company it was learned from gives back the answer's text
(`round_trip`); with another company the bound figures are that company's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import numbers as N

HEADER = "drafter-learned"
# a figure: 1,234.56 / 12.34 / 1,234 with an optional % (a plain integer is a count, a year or a number
# of the text: left alone). Two decimals are read first and no further: a table read as text glues
# its cells ("98,791.26129.44%43,056.88" is 98,791.26 | 129.44% | 43,056.88).
FIGURE = re.compile(r"(?<![.,])-?(?:(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{2}%?"
                    r"|(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)(?:%|(?![\d])))")


@dataclass
class Binding:
    expr: str
    key: str
    period: str
    label: str  # the datum's Chinese label (to find it named in the text before the figure)


@dataclass
class LearnedAnswer:
    name: str  # answers/<topic>__q<n>_<rid>.j2
    topic: str
    question: int
    request_id: str
    request_text: str
    answer: str  # the answer's text as read from the reply
    template: str
    figures: int = 0  # decimal / grouped figures in the answer
    equal: int = 0  # of them, equal to a company datum's value (any form: 9,897.80 / 9897.80 / 7.75%)
    bound: int = 0  # of them, replaced by an expression
    bound_strings: list[str] = field(default_factory=list)


@dataclass
class LearnReport:
    answers: list[LearnedAnswer]
    skipped: list[str]  # requests without an answer text or a topic

    @property
    def figures(self) -> int:
        return sum(a.figures for a in self.answers)

    @property
    def equal(self) -> int:
        return sum(a.equal for a in self.answers)

    @property
    def bound(self) -> int:
        return sum(a.bound for a in self.answers)


# ----------------------------------------------------------------------------- the lookup


def lookup(company: Any) -> dict[str, list[Binding]]:
    """Printed form -> the data that print so (every financial item and metric, every period)."""
    from ..company import metrics as M
    from ..company.model import FINANCIAL_ITEMS

    out: dict[str, list[Binding]] = {}

    def put(s: str, b: Binding) -> None:
        if s and s != "-" and re.search(r"[1-9]", s):
            out.setdefault(s, []).append(b)

    periods = [p.key for p in company.periods]
    for key in FINANCIAL_ITEMS:
        for period in periods:
            v = M.item_value(company, key, period)
            if v is None:
                continue
            put(N.fmt_amount(v), Binding(f'amount(value("{key}", "{period}"))', key, period, M.label_of(key)))
    for key, series in M.all_period_metrics(company).items():
        kind = M.kind_of(key)
        for period, v in series.items():
            if v is None:
                continue
            call = f'value("{key}", "{period}")'
            if kind == "pct":
                put(N.fmt_pct(v), Binding(f"percent({call})", key, period, M.label_of(key)))
            elif kind == "amount":
                put(N.fmt_amount(v), Binding(f"amount({call})", key, period, M.label_of(key)))
            elif kind == "times":
                put(N.fmt_times(v), Binding(f"times({call})", key, period, M.label_of(key)))
    return out


def _values(company: Any) -> dict[bool, set[Decimal]]:
    """Every datum rounded to 2 places, percents (True) apart from amounts and multiples (False): for
    counting the figures that equal one whatever their printed form (9897.80 as well as 9,897.80)."""
    from ..company import metrics as M
    from ..company.model import FINANCIAL_ITEMS

    vals: dict[bool, set[Decimal]] = {True: set(), False: set()}
    for key in FINANCIAL_ITEMS:
        for p in company.periods:
            v = M.item_value(company, key, p.key)
            if v is not None:
                vals[False].add(N.round_half_up(v, 2))
    for key, series in M.all_period_metrics(company).items():
        pct = M.kind_of(key) in ("pct", "pp")
        for v in series.values():
            if v is not None:
                vals[pct].add(N.round_half_up(v, 2))
    for s in vals.values():
        s.discard(Decimal("0.00"))
    return vals


def _label_words(label: str) -> list[str]:
    base = re.sub(r"[(（].*", "", label)
    words = [base]
    for cut in ("率", "比例", "占比"):
        if base.endswith(cut) and len(base) > len(cut) + 1:
            words.append(base[: -len(cut)])
    return [w for w in words if len(w) >= 2]


def _choose(cands: list[Binding], before: str) -> Binding:
    """The most likely datum among those printing the same: its label and its period named just before."""
    window = before[-60:]
    sentence = re.split(r"[。；;\n]", window)[-1]

    def score(b: Binding) -> tuple:
        lab = max((sentence.rfind(w) for w in _label_words(b.label)), default=-1)
        plabel = N.period_label(b.period) if N.is_period_key(b.period) else b.period
        per = window.rfind(plabel) if plabel else -1
        if per < 0 and b.period.isdigit():
            per = window.rfind(b.period)
        item = 1 if "amount(value" in b.expr and "_avg" not in b.key else 0
        return (lab >= 0, lab, per >= 0, per, item)

    return max(cands, key=score)


# ----------------------------------------------------------------------------- one answer


def _jinja_text(s: str) -> str:
    """Literal text for a template: Jinja's openers printed, not read."""
    return re.sub(r"\{(?=[{%#])", '{{ "{" }}', s)


def _quoted(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def templatize(text: str, company: Any, table: dict[str, list[Binding]] | None = None,
               values: dict[bool, set[Decimal]] | None = None) -> tuple[str, int, int, int, list[str]]:
    """(template body, figures, figures equal to a datum, figures bound, bound printed forms)."""
    table = lookup(company) if table is None else table
    values = _values(company) if values is None else values
    full = (company.company.name or "").strip() if getattr(company, "company", None) else ""
    short = (company.company.short_name or "").strip() if getattr(company, "company", None) else ""
    names = [(n, e) for n, e in ((full, "{{ names.issuer }}"), (short, "{{ names.short or ph(\"公司简称\") }}")) if n]
    figures = equal = bound = 0
    bound_strings: list[str] = []
    out: list[str] = []
    pos = 0
    pattern = "|".join([re.escape(n) for n, _ in sorted(names, key=lambda x: -len(x[0]))] + [FIGURE.pattern])
    for m in re.finditer(pattern, text):
        s = m.group(0)
        out.append(_jinja_text(text[pos:m.start()]))
        pos = m.end()
        name_expr = next((e for n, e in names if n == s), None)
        if name_expr is not None:
            out.append(name_expr)
            continue
        figures += 1
        num = Decimal(s.rstrip("%").replace(",", ""))
        pool = values[s.endswith("%")]
        is_equal = N.round_half_up(num, 2) in pool or N.round_half_up(-num, 2) in pool
        equal += is_equal
        cands = table.get(s)
        if cands:
            b = _choose(cands, text[:m.start()])
            out.append("{{ " + b.expr + " }}")
            bound += 1
            bound_strings.append(s)
            if not is_equal:
                equal += 1
        else:
            out.append("{{ literal(" + _quoted(s) + ") }}")
    out.append(_jinja_text(text[pos:]))
    return "".join(out), figures, equal, bound, bound_strings


def sanitise(s: str) -> str:
    """A request id as a file name part: 1.(2)① -> 1-2-1."""
    s = re.sub("[\u2460-\u2473]", lambda m: f"-{ord(m.group(0)) - 0x245F}-", s)
    return re.sub(r"[^0-9A-Za-z_]+", "-", s).strip("-") or "x"


def header(topic: str, question: int, rid: str, request_text: str, source: str) -> str:
    req = " ".join(request_text.split()).replace("#}", "# }")
    return (f"{{# {HEADER}\ntopic: {topic}\nsource: {source}\nquestion: {question}\nrequest: {rid}\n"
            f"request_text: {req}\n#}}\n")


# ----------------------------------------------------------------------------- a whole reply


def learn(reply: str | Path, company: Any) -> LearnReport:
    """The learned templates of every answer of `reply` (a path) written from `company` (a profile)."""
    from ..library.harvest import check_file, match_topics, parse_reply, split_question_full

    path = check_file(reply)
    letter = parse_reply(path)
    tags = match_topics(letter)
    rtopics = tags[1] if tags else {}
    qtopics = tags[0] if tags else {}
    table, values = lookup(company), _values(company)
    answers: list[LearnedAnswer] = []
    skipped: list[str] = []
    for q in letter.questions:
        texts = split_question_full(q)[0]
        for r in q.requests:
            where = f"问题{q.number} {r.id}"
            text = texts.get(r.id, "").strip()
            topics = rtopics.get((q.number, r.id)) or ([qtopics[q.number]] if qtopics.get(q.number) else [])
            if not text or not topics:
                skipped.append(f"{where}: " + ("no answer text" if not text else "no topic"))
                continue
            body, figs, eq, bd, bs = templatize(text, company, table, values)
            topic = topics[0]
            name = f"answers/{topic}__q{q.number}_{sanitise(r.id)}.j2"
            n = 2
            while any(a.name == name for a in answers):  # two ids read alike: keep both
                name = f"answers/{topic}__q{q.number}_{sanitise(r.id)}-v{n}.j2"
                n += 1
            tpl = header(topic, q.number, r.id, r.text, path.name) + body + "\n"
            answers.append(LearnedAnswer(name=name, topic=topic, question=q.number, request_id=r.id,
                                         request_text=r.text, answer=text, template=tpl, figures=figs,
                                         equal=eq, bound=bd, bound_strings=bs))
    return LearnReport(answers=answers, skipped=skipped)


def write(report: LearnReport, out_dir: str | Path) -> list[Path]:
    out = Path(out_dir)
    written: list[Path] = []
    for a in report.answers:
        p = out / a.name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(a.template, encoding="utf-8")
        written.append(p)
    return written


# ----------------------------------------------------------------------------- the round trip


def render_learned(folder: str | Path, name: str, company: Any, names: Any) -> str:
    """A learned template rendered with `company`: its text (placeholder runs included, as written)."""
    from .templating import render_blocks
    from .computed import context_for

    ctx, tables = context_for("", company, names)
    blocks = render_blocks(name, ctx, tables, templates_dir=folder)
    return "\n".join(getattr(b, "text", "") for b in blocks)


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)
