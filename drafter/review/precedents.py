"""`drafter review`: a precedent block (`【参考先例…】`, drafter draft --precedents inline) left in a
reply is another issuer's text: every one is blocking, with where it sits (question, request).

    precedent_findings(reply: Letter) -> list[Finding]

Called by drafter.review.review_letter at the end of its findings assembly.
"""
from __future__ import annotations

import re
from typing import Any

MARK = "【参考先例"  # drafter.compose.precedents.MARK (not imported: review stays free of compose)
_SOURCE = re.compile(r"【参考先例[:：]\s*(.{0,120}?)[,，]\s*相似度")


def _request_at(q: Any, pos: int) -> tuple[str | None, str | None]:
    """(request label, request id) of the answer holding position `pos` of the question's reply."""
    try:
        from ..parse.reply import split_reply

        parts = split_reply(q)
    except Exception:  # noqa: BLE001 - no split: the question alone locates it
        return None, None
    for rid, a in parts.answers.items():
        if a.end > a.start and a.start <= pos < a.end:
            return a.label, rid
    return None, None


def precedent_findings(reply: Any) -> list[Any]:
    """One blocking finding per precedent block left in the reply's answers."""
    from . import Finding

    out = []
    for q in reply.questions:
        text = q.reply or ""
        for m in re.finditer(re.escape(MARK), text):
            label, rid = _request_at(q, m.start())
            src = _SOURCE.search(text, m.start(), m.start() + 400)
            where = f"问题{q.number}" + (f" {label or rid}" if (label or rid) else "")
            out.append(Finding(
                severity="blocking", kind="precedent", question=q.number, request=label, request_id=rid,
                message=f"{where}: a precedent passage (【参考先例】 from another reply) is still in the answer: "
                        "rewrite it for this issuer and delete the block"
                        + (f" (source: {src.group(1)})" if src else ""),
                anchor=MARK, mark=MARK, detail={"offset": m.start(), "source": src.group(1) if src else None}))
    return out
