"""Precedents beside the draft: for each request the draft leaves to a person, the closest answers
from the team's precedent library (drafter.library), written as Word comment text.

Never pasted into the answer body: a precedent is someone else's facts. The comment says where it
comes from and shows an excerpt, so the writer can open the source and reuse the reasoning.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .typography import full_width, nfkc

LEAD = "可参考的既往回复(drafter按本项要求检索问答库所得,仅供参考;事实与数据以本公司为准,请勿直接粘贴):"
REQUEST_CHARS = 80
ANSWER_CHARS = 180
_LABEL = re.compile(r"^\s*(?:[(（]?[一二三四五六七八九十\d]+[)）、.．]|[①-⑳])\s*")
_SPACE = re.compile(r"\s+")


def _clip(text: str, n: int) -> str:
    text = _SPACE.sub(" ", text).strip()
    return text if len(text) <= n else text[:n].rstrip() + "…"


def answer_excerpt(request: str, answer: str, n: int = ANSWER_CHARS) -> str:
    """The start of a stored answer, without the subheading that repeats (or paraphrases) the request."""
    lines = [ln.strip() for ln in answer.splitlines() if ln.strip()]
    req = nfkc(_SPACE.sub("", request))
    if lines:
        first = nfkc(_LABEL.sub("", lines[0], count=1))
        if first[:10] and first[:10] in req:  # 1、<the request, as the reply's subheading>
            rest = first
            for cut in range(min(len(first), len(req)), 9, -1):  # a heading run into its text: keep the text
                if first[:cut] in req:
                    rest = first[cut:]
                    break
            lines = ([rest.lstrip(";；。:：,，")] if len(rest) > 10 else []) + lines[1:]
    return _clip(" ".join(lines), n)


def describe_source(p: Any) -> str:
    """Who answered and where: 深圳市优优绿能股份有限公司 2023年回复(002_….txt) 1.关于… 1.(3)."""
    who = getattr(p, "issuer", None) or ""
    year = getattr(p, "year", None)
    name = Path(getattr(p, "source", "") or "").name
    where = f"{who}{f' {year}年' if year else ''}回复" if who or year else "回复"
    if name:
        where += f"({name})"
    q = getattr(p, "question", "") or ""
    rid = getattr(p, "request_id", "") or ""
    return " ".join(x for x in (where, q, rid) if x)


def comment_lines(precedents: Sequence[Any]) -> list[str]:
    """The paragraphs of one Word comment listing `precedents` (best first); [] when none."""
    if not precedents:
        return []
    out = [LEAD]
    for i, p in enumerate(precedents, 1):
        out.append(f"{i}. {describe_source(p)},相似度{float(getattr(p, 'score', 0) or 0):.0f}")
        out.append(f"问:{_clip(getattr(p, 'request', '') or '', REQUEST_CHARS)}")
        ans = getattr(p, "answer", "") or ""
        out.append(f"答:{answer_excerpt(getattr(p, 'request', '') or '', ans)}" if ans.strip() else "答:(库中未存该项回复正文)")
    return [full_width(x) for x in out]


Finder = Callable[[str, "str | None"], Sequence[Any]]


def precedent_comments(doc: Any, open_requests: Sequence[Any], find: Finder) -> dict[int, list[str]]:
    """Block index of each open request's subheading -> comment paragraphs (only where `find` found some).

    `find(request_text, topic)` returns precedents best first (e.g. drafter.library.precedents_for).
    """
    where = {id(b): i for i, b in enumerate(doc.blocks)}
    out: dict[int, list[str]] = {}
    for o in open_requests:
        i = where.get(id(o.heading))
        if i is None:
            continue
        lines = comment_lines(find(o.request.text, o.topic))
        if lines:
            out[i] = lines
    return out
