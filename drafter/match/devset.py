"""Scoring drafter on hand-labelled real letters (issue 10): tests/data/real/{dev,heldout}/<id>.yaml.

Each label file names its letter text, the facts the letter shows (kind, sender, subject word, round) and,
per whole question, its number, how many requests it holds and its topic (primary, alternates). The
score says what a user sees: every question found, request counts right, the question's top topic
right (any accepted label, and the primary alone), and the letter's facts right.

`load_real(folder) -> list[RealLabel]`; `score_letter(label, letter, matches) -> LetterScore`;
`summarise(scores) -> SetScore`. Parsing and matching are the caller's (the CLI), so this module only
compares.
"""
from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from ..errors import UserError
from ..models import Letter
from . import LetterMatch


class RealQuestion(BaseModel):
    number: int
    title: str = ""
    requests: int | None  # None: the stored text cuts this question off, so its count is not scored
    primary: str
    alternates: list[str] = Field(default_factory=list)
    note: str | None = None


class RealMeta(BaseModel):
    kind: str | None = None
    sender: str | None = None
    subject: str | None = None
    round: str | None = None


class RealLabel(BaseModel):
    id: str
    text: str
    group: str
    source: dict = Field(default_factory=dict)
    meta: RealMeta = Field(default_factory=RealMeta)
    questions: list[RealQuestion]
    path: Path | None = None  # the label file (set on load)

    @property
    def text_path(self) -> Path:
        assert self.path is not None
        return self.path.parent / self.text


def load_real(folder: Path) -> list[RealLabel]:
    """Every `<id>.yaml` label in `folder`, sorted by id; a malformed one is a UserError naming the file."""
    import yaml

    from ..safe_yaml import LimitedLoader

    out = []
    for p in sorted(Path(folder).glob("*.yaml")):
        try:
            data = yaml.load(p.read_text(encoding="utf-8"), Loader=LimitedLoader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
            raise UserError(f"cannot read label: {str(e).splitlines()[0]}", file=str(p)) from None
        try:
            lab = RealLabel.model_validate(data)
        except ValidationError as e:
            err = e.errors()[0]
            where = ".".join(str(x) for x in err["loc"])
            raise UserError(f"bad label at {where}: {err['msg']}", file=str(p)) from None
        lab.path = p
        if not lab.text_path.exists():
            raise UserError(f"its letter text {lab.text} is missing", file=str(p))
        out.append(lab)
    return out


# ------------------------------------------------------------------------------------------ facts
_ORGS = {
    "上海证券交易所": ("上海证券交易所", "上交所"),
    "深圳证券交易所": ("深圳证券交易所", "深交所"),
    "北京证券交易所": ("北京证券交易所", "北交所"),
    "全国中小企业股份转让系统有限责任公司": ("全国中小企业股份转让系统", "全国股转公司", "股转公司"),
    "中国证券监督管理委员会": ("中国证券监督管理委员会", "中国证监会", "证监会"),
}
_SUBJECT_SAME = {"你公司": "公司", "贵公司": "公司"}


def sender_ok(expected: str, got: str | None) -> bool:
    if not got:
        return False
    names = _ORGS.get(expected, (expected,))
    return any(n in got for n in names)


def kind_ok(expected: str, got: str | None) -> bool:
    return bool(got) and expected in got


def subject_ok(expected: str, got: str | None) -> bool:
    return _SUBJECT_SAME.get(expected, expected) == _SUBJECT_SAME.get(got or "", got or "")


# ------------------------------------------------------------------------------------------ scores
class QuestionResult(BaseModel):
    number: int
    found: bool
    requests_expected: int | None
    requests_got: int | None = None
    primary: str
    accepted: list[str]
    got: list[str] = Field(default_factory=list)  # top topics, best first

    @property
    def counted(self) -> bool:
        """Whether the request count is scored (the question is whole in the stored text)."""
        return self.requests_expected is not None

    @property
    def requests_ok(self) -> bool:
        return self.counted and self.found and self.requests_got == self.requests_expected

    @property
    def top1(self) -> bool:
        return bool(self.got) and self.got[0] in self.accepted

    @property
    def top1_primary(self) -> bool:
        return bool(self.got) and self.got[0] == self.primary


class LetterScore(BaseModel):
    id: str
    group: str
    questions: list[QuestionResult]
    extra_questions: int = 0  # parsed questions with no label (an over-split, or a reply's text read as one)
    facts: dict[str, tuple[str, str | None, bool]] = Field(default_factory=dict)  # field -> (want, got, ok)


def score_letter(label: RealLabel, letter: Letter, matches: LetterMatch) -> LetterScore:
    by_number = {q.number: q for q in letter.questions}
    m_by_number = {q.number: q for q in matches.questions}
    results = []
    used = set()
    for i, lq in enumerate(label.questions):
        pq = by_number.get(lq.number)
        if pq is None and len(letter.questions) == len(label.questions):
            pq = letter.questions[i]  # numbered differently, same shape: align by position
        accepted = [lq.primary, *lq.alternates]
        if pq is None:
            results.append(QuestionResult(number=lq.number, found=False, requests_expected=lq.requests,
                                          primary=lq.primary, accepted=accepted))
            continue
        used.add(pq.number)
        mq = m_by_number.get(pq.number)
        results.append(QuestionResult(
            number=lq.number, found=True, requests_expected=lq.requests, requests_got=len(pq.requests),
            primary=lq.primary, accepted=accepted, got=[t.id for t in (mq.topics if mq else [])][:3]))
    facts: dict[str, tuple[str, str | None, bool]] = {}
    meta = letter.meta
    if label.meta.kind:
        facts["kind"] = (label.meta.kind, meta.kind, kind_ok(label.meta.kind, meta.kind))
    if label.meta.sender:
        facts["sender"] = (label.meta.sender, meta.sender, sender_ok(label.meta.sender, meta.sender))
    if label.meta.subject:
        facts["subject"] = (label.meta.subject, meta.subject, subject_ok(label.meta.subject, meta.subject))
    if label.meta.round:
        facts["round"] = (label.meta.round, meta.round, label.meta.round == meta.round)
    extra = len([q for q in letter.questions if q.number not in used])
    return LetterScore(id=label.id, group=label.group, questions=results, extra_questions=extra, facts=facts)


class SetScore(BaseModel):
    letters: int = 0
    questions: int = 0
    found: int = 0
    counted: int = 0  # questions whose request count is scored (whole in the stored text)
    requests_ok: int = 0
    top1: int = 0
    top1_primary: int = 0
    extra_questions: int = 0
    facts: dict[str, list[int]] = Field(default_factory=dict)  # field -> [right, labelled]

    def rate(self, n: int, of: int | None = None) -> float:
        d = self.questions if of is None else of
        return n / d if d else 0.0


def summarise(scores: list[LetterScore]) -> SetScore:
    s = SetScore(letters=len(scores))
    for ls in scores:
        s.extra_questions += ls.extra_questions
        for q in ls.questions:
            s.questions += 1
            s.found += q.found
            s.counted += q.counted
            s.requests_ok += q.requests_ok
            s.top1 += q.top1
            s.top1_primary += q.top1_primary
        for field, (_, _, ok) in ls.facts.items():
            right, total = s.facts.setdefault(field, [0, 0])
            s.facts[field] = [right + ok, total + 1]
    return s


def describe(s: SetScore) -> list[str]:
    """The figures as printed lines."""
    q = s.questions
    lines = [
        f"letters {s.letters}, questions {q}",
        f"questions found      {s.found:4d}/{q:<4d} {s.rate(s.found):6.1%}"
        + (f"   ({s.extra_questions} parsed question(s) with no label)" if s.extra_questions else ""),
        f"request counts right {s.requests_ok:4d}/{s.counted:<4d} {s.rate(s.requests_ok, s.counted):6.1%}"
        + (f"   ({q - s.counted} cut-off question(s) not counted)" if s.counted < q else ""),
        f"question top-1       {s.top1:4d}/{q:<4d} {s.rate(s.top1):6.1%}",
        f"question primary     {s.top1_primary:4d}/{q:<4d} {s.rate(s.top1_primary):6.1%}",
    ]
    for field in ("kind", "sender", "subject", "round"):
        if field in s.facts:
            right, total = s.facts[field]
            lines.append(f"letter {field:13s} {right:4d}/{total:<4d} {s.rate(right, total):6.1%}")
    return lines


def misses(ls: LetterScore) -> list[str]:
    """One line per thing a letter got wrong."""
    out = []
    for q in ls.questions:
        if not q.found:
            out.append(f"question {q.number} not found")
            continue
        if q.counted and not q.requests_ok:
            out.append(f"question {q.number}: {q.requests_got} request(s), want {q.requests_expected}")
        if not q.top1:
            out.append(f"question {q.number}: topic {', '.join(q.got) or '-'}; want {'/'.join(q.accepted)}")
    if ls.extra_questions:
        out.append(f"{ls.extra_questions} parsed question(s) with no label")
    for field, (want, got, ok) in ls.facts.items():
        if not ok:
            out.append(f"{field}: got {got or '-'}, want {want}")
    return out
