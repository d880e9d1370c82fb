"""What the precedent library hands back: search hits, add outcomes, counts."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Precedent(BaseModel):
    """One stored request with how it was answered, as a search hit."""

    request: str  # the request's own words, as the letter put them
    answer: str  # the answer text under it in the reply ("" when none was found)
    source: str  # the reply file it was harvested from
    topic: str | None = None  # best topic id from the matcher (None until the matcher tagged it)
    topics: list[str] = Field(default_factory=list)  # the best topic and those scoring close to it
    score: float = 0.0  # 0-100, higher is closer
    request_id: str = ""  # "1.(3)", "2.(1)③" ...
    question: str = ""  # the question as headed: "1.关于技术先进性"
    procedures: str = ""  # the question's 核查程序 (verification procedures), when found
    opinion: str = ""  # the question's 核查意见 (verification conclusions), when found
    issuer: str | None = None
    exchange: str | None = None
    board: str | None = None
    offering_kind: str | None = None
    round: str | None = None
    year: int | None = None
    # who wrote the reply (its opening paragraph), to adapt a passage to another issuer
    short_names: list[str] = Field(default_factory=list)
    sponsor: str | None = None
    auditor: str | None = None
    lawyer: str | None = None


class AddResult(BaseModel):
    path: str
    status: Literal["added", "updated", "unchanged"]
    issuer: str | None = None
    questions: int = 0
    requests: int = 0
    answered: int = 0  # requests stored with a non-empty answer
    tagged: bool = False  # topics filled by the matcher


class LibraryStats(BaseModel):
    db: str
    replies: int = 0
    questions: int = 0
    requests: int = 0
    answered: int = 0
    untagged: int = 0  # requests without a topic yet
    by_topic: dict[str, int] = Field(default_factory=dict)  # topic id -> requests ("(none)" when untagged)
    by_board: dict[str, int] = Field(default_factory=dict)


class RequestRecord(BaseModel):
    """A harvested request, ready to store."""

    rid: str
    label: str = ""
    text: str
    answer: str = ""
    topic: str | None = None
    topics: list[str] = Field(default_factory=list)  # every matched topic id, best first
    disclose: bool = False


class QuestionRecord(BaseModel):
    number: int
    label: str = ""
    title: str = ""
    text: str = ""
    procedures: str = ""
    opinion: str = ""
    other_answers: list[str] = Field(default_factory=list)  # reply text outside answers and 核查 blocks
    topic: str | None = None
    requests: list[RequestRecord] = Field(default_factory=list)


class ReplyRecord(BaseModel):
    """Everything harvested from one reply file."""

    path: str  # resolved path
    sha256: str
    title: str | None = None
    issuer: str | None = None
    exchange: str | None = None
    board: str | None = None
    offering_kind: str | None = None
    round: str | None = None
    year: int | None = None
    letter_date: str | None = None
    letter_number: str | None = None
    letter_json: str = ""  # the parsed letter without reply texts (to tag topics later)
    short_names: list[str] = Field(default_factory=list)  # the issuer's short names (opening paragraph)
    sponsor: str | None = None
    auditor: str | None = None
    lawyer: str | None = None
    tagged: bool = False
    questions: list[QuestionRecord] = Field(default_factory=list)
