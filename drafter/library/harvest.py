"""Harvest a reply file into library records: every request with the answer under it.

parse (drafter.parse) -> split each question's reply into answers per request and the
核查程序/核查意见 blocks (drafter.parse.reply.split_reply) -> topics (drafter.match; when it is not
available the topics stay empty and are filled later) -> ReplyRecord.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ..errors import UserError
from ..models import Letter, Question
from .models import QuestionRecord, ReplyRecord, RequestRecord
from .text import clean

_YEAR = re.compile(r"(?:^|[〔\[(﹝【（])(20\d\d)")


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_file(path: str | Path) -> Path:
    p = Path(path).expanduser()
    if not p.exists():
        raise UserError("no such file", file=str(path))
    if p.is_dir():
        raise UserError("is a folder, not a reply file", file=str(path))
    try:
        with p.open("rb") as f:
            f.read(1)
    except OSError as e:
        raise UserError(f"cannot be read: {e.strerror or e}", file=str(path)) from None
    return p.resolve()


def parse_reply(path: Path) -> Letter:
    from ..parse import parse_file

    letter = parse_file(path)
    if not any((q.reply or "").strip() for q in letter.questions):
        what = "no question found" if not letter.questions else "questions found but no reply under them"
        raise UserError(f"not a reply document: {what} (the library stores answered letters)", file=str(path))
    return letter


def harvest(path: str | Path, letter: Letter | None = None) -> ReplyRecord:
    """Parse a reply file and build its library record (UserError on bad input)."""
    p = check_file(path)
    sha = file_sha256(p)
    letter = letter or parse_reply(p)
    m = letter.meta
    rec = ReplyRecord(
        path=str(p), sha256=sha, title=m.title, issuer=m.issuer, exchange=m.exchange, board=m.board,
        offering_kind=m.offering_kind, round=m.round, year=_year(m.date, m.number),
        letter_date=m.date, letter_number=m.number, letter_json=letter_json(letter),
    )
    _read_parties(rec, p)
    for q in letter.questions:
        answers, procedures, opinion, others = split_question_full(q)
        requests = [RequestRecord(rid=r.id, label=r.label, text=r.text, answer=answers.get(r.id, ""),
                                  disclose=r.disclose) for r in q.requests]
        if not requests and (q.reply or "").strip():
            # No request recognised in the question: keep the question itself with its whole reply.
            requests = [RequestRecord(rid=str(q.number), text=clean(q.text) or q.title, answer=clean(q.reply or ""))]
        rec.questions.append(QuestionRecord(
            number=q.number, label=q.label, title=q.title, text=q.text,
            procedures=procedures, opinion=opinion, requests=requests, other_answers=others,
        ))
    tags = match_topics(letter)
    if tags is not None:
        apply_topics(rec, *tags)
    return rec


def _read_parties(rec: ReplyRecord, path: Path) -> None:
    """The issuer's short names and its intermediaries, from the reply's opening paragraph."""
    from .parties import opening_parties

    try:
        from ..read import read_text

        found = opening_parties(read_text(path), rec.issuer)
    except Exception:  # noqa: BLE001 - an unreadable opening leaves them empty: names are then not adapted
        return
    rec.short_names, rec.sponsor, rec.auditor, rec.lawyer = found.short_names, found.sponsor, found.auditor, found.lawyer


def _year(date: str | None, number: str | None) -> int | None:
    if date and re.match(r"\d{4}", date):
        return int(date[:4])
    if number and (mm := _YEAR.search(number)):
        return int(mm.group(1))
    return None


def letter_json(letter: Letter) -> str:
    """The letter without its reply texts: enough to run the matcher again later."""
    slim = letter.model_copy(update={"questions": [q.model_copy(update={"reply": None}) for q in letter.questions]})
    return slim.model_dump_json()


# ---- topics
def match_topics(letter: Letter) -> tuple[dict[int, str | None], dict[tuple[int, str], list[str]]] | None:
    """(question number -> best topic, (question number, request id) -> topic ids); None without a matcher."""
    try:
        from ..match import match_letter

        result = match_letter(letter)
    except Exception:  # noqa: BLE001 - no matcher yet (or it failed): topics stay empty, filled later
        return None
    qtopics: dict[int, str | None] = {}
    rtopics: dict[tuple[int, str], list[str]] = {}
    for qm in result.questions:
        qids = _strong(qm.topics)
        qtopics[qm.number] = qids[0] if qids else None
        for rm in qm.requests:
            rtopics[(qm.number, rm.id)] = _strong(rm.topics) or qids[:1]
    return qtopics, rtopics


def _strong(topics) -> list[str]:
    """The best topic and those scoring close to it (at least 60% of its score), at most 3."""
    ranked = sorted(topics, key=lambda t: -t.score)
    if not ranked:
        return []
    return [t.id for t in ranked if t.score >= 0.6 * ranked[0].score][:3]


def apply_topics(rec: ReplyRecord, qtopics: dict[int, str | None],
                 rtopics: dict[tuple[int, str], list[str]]) -> None:
    for q in rec.questions:
        q.topic = qtopics.get(q.number)
        for r in q.requests:
            r.topics = rtopics.get((q.number, r.rid)) or ([q.topic] if q.topic else [])
            r.topic = r.topics[0] if r.topics else None
    rec.tagged = True


# ---- splitting a question's reply
def _after_request(text: str, request: str) -> str:
    """What follows the request's own closing words in `text` (the whole text when they are not found)."""
    for n in (12, 8, 5):
        tail = request.rstrip("。；;，,.: ：")[-n:]
        if len(tail) == n and (i := text.find(tail)) >= 0:
            return text[i + n:].lstrip("。；;，,.:： \n")
    return text


def split_question(q: Question) -> tuple[dict[str, str], str, str]:
    """(answer text per request id, 核查程序 text, 核查意见 text): see split_question_full."""
    return split_question_full(q)[:3]


OTHER_MIN = 80  # a leftover stretch shorter than this is a heading or a label, not an answer


def split_question_full(q: Question) -> tuple[dict[str, str], str, str, list[str]]:
    """(answer text per request id, 核查程序 text, 核查意见 text) for one answered question.

    The split is drafter.parse.reply.split_reply's; here its parts are turned into stored text: each
    answer without its subheading (which only repeats the request), the question's 核查程序
    blocks and 核查意见 blocks each joined in reply order.
    """
    from ..parse.reply import split_reply

    reply = q.reply or ""
    if not reply.strip():
        return {}, "", ""
    parts = split_reply(q)
    head_end = {h.start: h.end for h in parts.headings}
    answers: dict[str, str] = {}
    asked = {r.id: clean(r.text) for r in q.requests}
    for rid, a in parts.answers.items():
        full = a.text or ""
        text = full
        if a.heading_start is not None and a.heading_start in head_end:
            text = text[max(0, head_end[a.heading_start] - a.start):]
        text = clean(text)
        if not text:  # the answer runs on in the subheading's own line: cut after the request's words
            text = _after_request(clean(full), asked.get(rid, ""))
        if text:
            answers[rid] = text

    def blocks(bs) -> str:
        return "\n\n".join(t for t in (clean(reply[b.start:b.end]) for b in sorted(bs, key=lambda b: b.start)) if t)

    # what the reply says outside every request's answer and the 核查程序/核查意见 blocks: mostly the
    # answers to verification demands (函证、走访 and their ratios), searchable as answers too
    covered = sorted([(a.start, a.end) for a in parts.answers.values() if a.end > a.start]
                     + [(b.start, b.end) for b in (*parts.procedures, *parts.opinions)])
    others, pos = [], 0
    for a, b in covered + [(len(reply), len(reply))]:
        if a > pos:
            t = clean(reply[pos:a])
            if len(t) >= OTHER_MIN:
                others.append(t)
        pos = max(pos, b)
    return answers, blocks(parts.procedures), blocks(parts.opinions), others
