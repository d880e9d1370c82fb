"""Later rounds: link each question of a new letter to the earlier question(s) it follows up, and carry
the earlier answers into the new draft, marked as carried forward and to be revised.

    read_previous(path) -> Letter                       # the earlier reply (UserError when it is none)
    link_rounds(letter, previous, bank, matches=None, previous_matches=None) -> Followup
    carry_forward(doc, sections, followup, previous) -> int     # blocks inserted into the new draft
    reopens(followup) -> dict[request id, list[str]]    # for the checklist: which earlier answers each reopens
    letter_reopens(letter) -> dict[...]                  # the same from the letter's own references alone
    apply_reopens(checklist, mapping) -> int             # fill ChecklistRow.reopens

How a new question is linked, strongest evidence first (`Link.how`, `Link.evidence` says why):

1. explicit — the question names the earlier one: `首轮问询问题3之(2)`, `前次反馈意见第2题`
   (drafter.parse.refers);
2. quote — a phrase quoted after `根据问询回复…“X”` is found in an earlier answer;
3. topic — the matcher's best topic of the new question is a main topic of an earlier question
   (both scores at least TOPIC_MIN);
4. similar — the new question's words resemble an earlier question's (rapidfuzz, at least SIM_MIN).

A question with explicit references is linked to those only; otherwise to the best earlier question by
the other signals (the others that point to it are added to its evidence). Within a linked pair, each
new request takes the earlier request it names (`之(2)`) or, failing that, the most similar one.

Carried text is never drafter's own fact: it goes in shaded `precedent`-style paragraphs between
`【沿用首轮回复问题N…，待更新】` and `【沿用止】`, figures and dates highlighted to check, right after
the request's subheading; the fresh draft follows it. Tables of the earlier answer are not copied
(a line says where one stood): they are recomputed from the company data.
"""
from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field
from rapidfuzz import fuzz

from ..document import Paragraph, Run
from ..errors import UserError
from ..models import Letter, Question
from .typography import full_width, nfkc

__all__ = ["Link", "QuestionLinks", "Followup", "read_previous", "link_rounds", "carry_forward", "reopens",
           "letter_reopens", "apply_reopens", "CARRY_MARK", "CARRY_END"]

CARRY_MARK = "【沿用"  # every carried block starts with it: 【沿用首轮回复问题3之(2)，待更新】
CARRY_END = "【沿用止】"
TOPIC_MIN = 50.0  # both questions' scores for the shared topic
SIM_MIN = 55.0  # question-text similarity (0-100) enough on its own, when it also leads the next best by SIM_LEAD
SIM_LEAD = 8.0
REQ_SIM_MIN = 40.0  # below this a new request takes no earlier request's answer by similarity alone
CARRY_CHARS = 2400  # a carried answer is cut after about this many characters (the earlier reply has it all)


class Link(BaseModel):
    """One new question (or request) linked to one earlier question (or request), and why."""

    question: int  # the new question's number
    request_id: str | None = None  # the new request (None: the question as a whole)
    prev_question: int
    prev_request: str | None = None  # the earlier request whose answer is carried, "3.(2)"
    how: Literal["explicit", "quote", "topic", "similar"]
    score: float = 0.0  # 0-100: 100 for explicit, the matcher's or rapidfuzz's score otherwise
    evidence: list[str] = Field(default_factory=list)  # why, in words: 函件原文“首轮问询问题3之(2)”, 同一主题 …


class QuestionLinks(BaseModel):
    number: int
    title: str
    links: list[Link] = Field(default_factory=list)  # question-level links (request_id None), strongest first
    requests: list[Link] = Field(default_factory=list)  # per new request: the earlier request it carries

    @property
    def prev_questions(self) -> list[int]:
        return list(dict.fromkeys(x.prev_question for x in self.links))


class Followup(BaseModel):
    previous: str  # the earlier reply's path
    previous_title: str | None = None
    previous_round: str = "首轮"  # the round the earlier reply answered
    questions: list[QuestionLinks] = Field(default_factory=list)

    def of(self, number: int) -> QuestionLinks | None:
        return next((q for q in self.questions if q.number == number), None)

    @property
    def linked(self) -> list[QuestionLinks]:
        return [q for q in self.questions if q.links]


# ---------------------------------------------------------------------------------------------
# reading the earlier reply


def read_previous(path: str | os.PathLike) -> Letter:
    """The earlier reply (a document quoting the questions with their answers). One UserError line
    when the file is missing, unreadable, or a letter rather than a reply."""
    from ..parse import parse_file

    p = Path(path)
    if not p.is_file():
        raise UserError("--previous: the earlier reply was not found", file=str(p))
    try:
        prev = parse_file(p)
    except UserError as e:
        raise UserError(f"--previous: not a readable reply document ({e.message if hasattr(e, 'message') else e})",
                        file=str(p)) from None
    except Exception as e:  # noqa: BLE001 - a damaged file is the user's, not a crash
        raise UserError(f"--previous: cannot read the earlier reply ({type(e).__name__})", file=str(p)) from None
    if prev.kind != "reply" or not any((q.reply or "").strip() for q in prev.questions):
        raise UserError("--previous: not a reply document (no question is followed by 回复:/【回复】); "
                        "give the earlier round's reply, not a letter", file=str(p))
    return prev


# ---------------------------------------------------------------------------------------------
# linking


def _topics(matches: Any, number: int) -> dict[str, float]:
    qm = matches.question(number) if matches is not None else None
    return {t.id: float(t.score) for t in reversed(qm.topics)} if qm else {}


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", nfkc(s or ""))


def _qwords(q: Question) -> str:
    """A question's own words: background and requests (no verification asks)."""
    return _norm(q.background + "".join(r.text for r in q.requests)) or _norm(q.text)


def _bigrams(s: str) -> str:
    """The text's distinct Chinese character pairs as space-separated tokens (word-like units for rapidfuzz)."""
    s = re.sub(r"[^\u4e00-\u9fff]", "", s)
    return " ".join(sorted({s[i:i + 2] for i in range(len(s) - 1)}))


def _similarity(a: str, b: str) -> float:
    """0-100: how alike two question or request texts are (shared character pairs, rapidfuzz token_set_ratio)."""
    if not a or not b:
        return 0.0
    return float(fuzz.token_set_ratio(_bigrams(a), _bigrams(b)))


def _prev_request(prev_q: Question, item: str | None) -> str | None:
    if not item:
        return None
    for r in prev_q.requests:
        if r.label.replace("（", "(").replace("）", ")") == item or r.id.endswith("." + item):
            return r.id
    return None


def link_rounds(letter: Letter, previous: Letter, bank: Any = None, matches: Any = None,
                previous_matches: Any = None) -> Followup:
    """Link every question of `letter` to the earlier question(s) of `previous` it follows up."""
    if bank is None:
        from ..match.bank import load_bank

        bank = load_bank()
    from ..match import match_letter

    if matches is None:
        matches = match_letter(letter, bank)
    if previous_matches is None:
        previous_matches = match_letter(previous, bank)
    prev_by_n = {q.number: q for q in previous.questions}
    prev_words = {q.number: _qwords(q) for q in previous.questions}
    prev_reply = {q.number: _norm(q.reply or "") for q in previous.questions}
    prev_topics = {q.number: _topics(previous_matches, q.number) for q in previous.questions}
    fu = Followup(previous=previous.source, previous_title=previous.meta.title,
                  previous_round=previous.meta.round if previous.meta.round != "未知" else "首轮")
    for q in letter.questions:
        ql = QuestionLinks(number=q.number, title=q.title)
        cand: dict[int, Link] = {}

        def add(n: int, how: str, score: float, why: str, prev_request: str | None = None,
                request_id: str | None = None) -> None:
            if n not in prev_by_n:
                return
            link = cand.get(n)
            if link is None:
                cand[n] = Link(question=q.number, prev_question=n, how=how, score=score, evidence=[why],
                               prev_request=prev_request, request_id=None)
            else:
                if why not in link.evidence:
                    link.evidence.append(why)
                order = ["explicit", "quote", "topic", "similar"]
                if order.index(how) < order.index(link.how):
                    link.how, link.score = how, score  # type: ignore[assignment]

        explicit: list[tuple[int, str | None, str | None, str]] = []  # (prev n, prev request, new request, words)
        for r in q.refers:
            if r.kind == "question" and r.question in prev_by_n:
                pr = _prev_request(prev_by_n[r.question], r.item)
                explicit.append((r.question, pr, r.request_id, r.text))
                add(r.question, "explicit", 100.0, f"函件原文“{r.text}”", pr)
        for r in q.refers:
            if r.kind == "quote":
                phrase = _norm(r.text)
                for n, txt in prev_reply.items():
                    if phrase and phrase in txt:
                        add(n, "quote", 90.0, f"所引“{r.text}”见{fu.previous_round}回复问题{n}")
        mine = _topics(matches, q.number)
        if mine:
            top = max(mine, key=mine.get)
            best_n, best = None, 0.0
            for n, theirs in prev_topics.items():
                s = min(mine[top], theirs.get(top, 0.0))
                if s > best:
                    best_n, best = n, s
            if best_n is not None and best >= TOPIC_MIN:
                name = getattr(bank.topics.get(top), "name", top) if bank is not None else top
                add(best_n, "topic", best, f"同一主题“{name}”(本轮{mine[top]:.0f}、{fu.previous_round}{prev_topics[best_n][top]:.0f})")
        words = _qwords(q)
        sims = {n: _similarity(words, w) for n, w in prev_words.items() if w}
        if sims:
            ranked = sorted(sims, key=sims.get, reverse=True)
            n = ranked[0]
            lead = sims[n] - (sims[ranked[1]] if len(ranked) > 1 else 0.0)
            if (sims[n] >= SIM_MIN and lead >= SIM_LEAD) or (n in cand and lead >= SIM_LEAD):
                add(n, "similar", sims[n], f"文字相似度{sims[n]:.0f}(次高{sims[n] - lead:.0f})")
        if explicit:
            keep = {n for n, *_ in explicit}
            links = [cand[n] for n in cand if n in keep or cand[n].how == "quote"]
        elif cand:
            order = {"quote": 0, "topic": 1, "similar": 2}
            links = [sorted(cand.values(), key=lambda x: (order.get(x.how, 3), -x.score))[0]]
        else:
            links = []
        ql.links = sorted(links, key=lambda x: (x.how != "explicit", -x.score))
        ql.requests = _request_links(q, ql.links, explicit, prev_by_n)
        fu.questions.append(ql)
    return fu


def _request_links(q: Question, links: Sequence[Link], explicit, prev_by_n: dict[int, Question]) -> list[Link]:
    """Per new request, the earlier request whose answer it carries (the one it names, else the most similar)."""
    if not links:
        return []
    out: list[Link] = []
    named = {new: (n, pr, words) for n, pr, new, words in explicit if new and pr}
    claimed = {pr for _, pr, _ in named.values()}  # an earlier request another new request names stays its own
    for r in q.requests:
        if r.parent is not None:
            continue
        if r.id in named:
            n, pr, words = named[r.id]
            out.append(Link(question=q.number, request_id=r.id, prev_question=n, prev_request=pr, how="explicit",
                            score=100.0, evidence=[f"本项原文“{words}”"]))
            continue
        best: tuple[float, int, str] | None = None
        mine = _norm(r.text)
        for link in links:
            for pr in prev_by_n[link.prev_question].requests:
                if pr.parent is not None or pr.id in claimed:
                    continue
                s = _similarity(mine, _norm(pr.text))
                if best is None or s > best[0]:
                    best = (s, link.prev_question, pr.id)
        if best is None:
            continue
        single = len(q.requests) == 1 or len([x for x in q.requests if x.parent is None]) == 1
        if best[0] >= REQ_SIM_MIN or single:
            out.append(Link(question=q.number, request_id=r.id, prev_question=best[1], prev_request=best[2],
                            how="similar", score=best[0], evidence=[f"本项与{best[2]}文字相似度{best[0]:.0f}"]))
    return out


def reopens(fu: Followup) -> dict[str, list[str]]:
    """New request id, or `#<question number>` -> the earlier answers it reopens, with why:
    `首轮回复3.(2)：本项原文“首轮问询问题3之(2)”` (request), `首轮回复问题3：函件原文“…”；同一主题 …` (question)."""
    out: dict[str, list[str]] = {}
    for ql in fu.questions:
        qline = [f"{fu.previous_round}回复问题{x.prev_question}：{'；'.join(x.evidence)}" for x in ql.links]
        if qline:
            out[f"#{ql.number}"] = qline
        for x in ql.requests:
            out.setdefault(x.request_id or f"#{ql.number}", []).append(
                f"{fu.previous_round}回复{x.prev_request or '问题' + str(x.prev_question)}：{'；'.join(x.evidence)}")
    return out


def letter_reopens(letter: Letter) -> dict[str, list[str]]:
    """The same from the letter alone (no earlier reply at hand): the earlier questions it names
    (`首轮问询问题3之(2)`), or that it cites the earlier reply (`根据首轮问询回复`), or, in a later round,
    that it asks again (`请进一步说明`)."""
    out: dict[str, list[str]] = {}
    for q in letter.questions:
        named = [r for r in q.refers if r.kind == "question"]
        cited = [r for r in q.refers if r.kind in ("reply", "quote")]
        if not cited and letter.meta.round in ("第二轮", "第三轮", "第四轮", "落实函"):
            cited = [r for r in q.refers if r.kind == "followup"]  # a later round's 请进一步说明
        qline = [f"{r.round or '前轮'}问题{r.question}{r.item or ''}：函件原文“{r.text}”" for r in named]
        if not qline and cited:
            qline = [f"{cited[0].round or '前轮'}回复(未注明问题)：函件原文“{cited[0].text}”"]
        if qline:
            out[f"#{q.number}"] = list(dict.fromkeys(qline))
        for r in named:
            if r.request_id:
                out.setdefault(r.request_id, []).append(f"{r.round or '前轮'}问题{r.question}{r.item or ''}：本项原文“{r.text}”")
    return out


def apply_reopens(checklist: Any, mapping: dict[str, list[str]]) -> int:
    """Fill the checklist rows' `reopens` (in place) from reopens() or letter_reopens(): a request row
    takes its own entry, else its question's; a verification row its question's. Returns rows filled."""
    n = 0
    for row in checklist.rows:
        own = mapping.get(row.id) if row.kind == "request" else None
        row.reopens = list(own or mapping.get(f"#{row.question}", []))
        n += bool(row.reopens)
    return n


# ---------------------------------------------------------------------------------------------
# carrying the earlier answers forward

_LABEL = re.compile(r"^\s*(?:[(（]?[一二三四五六七八九十\d]+[)）、.．]|[①-⑳])\s*")


def _answer_lines(prev_q: Question, prev_rid: str, prev_round: str) -> list[str]:
    """The earlier answer to one request, as paragraphs: its subheading dropped, tables as one line each."""
    from ..parse.reply import split_reply

    try:
        parts = split_reply(prev_q)
    except Exception:  # noqa: BLE001 - an answer we cannot split carries nothing rather than stopping the draft
        return []
    a = parts.answers.get(prev_rid)
    if a is None or not a.answered or not a.text.strip():
        return []
    lines = [x.strip() for x in a.text.splitlines() if x.strip()]
    req = _norm(next((r.text for r in prev_q.requests if r.id == prev_rid), ""))
    if lines and _norm(_LABEL.sub("", lines[0], count=1))[:10] in req:
        lines = lines[1:]  # the subheading that repeats the request
    out: list[str] = []
    table = 0
    for ln in lines:
        if "\t" in ln:
            table += 1
            continue
        if table:
            out.append(f"(此处为{prev_round}回复中的表格,共{table}行,按最新数据重新列示)")
            table = 0
        if re.match(r"^单位[:：]", ln):
            continue
        out.append(ln)
    if table:
        out.append(f"(此处为{prev_round}回复中的表格,共{table}行,按最新数据重新列示)")
    return out


def carried_blocks(prev_round: str, prev_q: Question, prev_rid: str, evidence: Sequence[str]) -> list[Paragraph]:
    """The shaded block carrying one earlier answer: header (what, why), the answer, the end mark."""
    lines = _answer_lines(prev_q, prev_rid, prev_round)
    if not lines:
        return []
    req = next((r for r in prev_q.requests if r.id == prev_rid), None)
    where = f"问题{prev_q.number}" + (f"之{req.label}" if req is not None and req.label else "")
    mark = f"{CARRY_MARK}{prev_round}回复{where}，待更新】"
    head = (f"以下为{prev_round}回复对该项的答复原文(关联依据:{'；'.join(evidence)})。其中的事实与数据截至{prev_round}"
            f"回复，须按本轮问询的要求更新、补充后改写为本轮回复;高亮处为须核实更新的数字和日期;改写完成后删除本段至“沿用止”")
    from .precedents import adapt_runs

    # the marker itself highlighted (as the figures to check are), the rest of the header bold
    out = [Paragraph(style="precedent", runs=[Run(text=full_width(mark), bold=True, verify=True),
                                              Run(text=full_width(head), bold=True)])]
    total = 0
    for ln in lines:
        if total >= CARRY_CHARS:
            out.append(Paragraph(style="precedent", runs=[Run(text=f"……(以下从略,全文见{prev_round}回复{where})")]))
            break
        total += len(ln)
        out.append(Paragraph(style="precedent", runs=adapt_runs(full_width(ln), None, None)))
    out.append(Paragraph(style="precedent", runs=[Run(text=CARRY_END, bold=True)]))
    return out


def carry_forward(doc: Any, sections: Sequence[Any], fu: Followup, previous: Letter) -> int:
    """Insert each linked request's carried block right after its subheading in `doc` (in place).
    `sections`: the composed request sections (question, request, heading). Returns the blocks inserted."""
    prev_by_n = {q.number: q for q in previous.questions}
    by_req = {x.request_id: x for ql in fu.questions for x in ql.requests}
    where = {id(b): i for i, b in enumerate(doc.blocks)}
    plan: list[tuple[int, list]] = []
    for s in sections:
        link = by_req.get(s.request.id)
        i = where.get(id(s.heading))
        if link is None or i is None or link.prev_request is None:
            continue
        ql = fu.of(s.question.number)
        why = list(link.evidence)
        if ql is not None:
            why = [e for x in ql.links if x.prev_question == link.prev_question for e in x.evidence] + why
        blocks = carried_blocks(fu.previous_round, prev_by_n[link.prev_question], link.prev_request,
                                list(dict.fromkeys(why)))
        if blocks:
            plan.append((i + 1, blocks))
    for j, blocks in sorted(plan, key=lambda t: -t[0]):
        doc.blocks[j:j] = blocks
    return len(plan)
