"""Review a finished reply (问询函回复) before it is filed.

`review_reply(path, letter_path=None) -> ReviewReport` reads the reply (DOCX, PDF or text), takes the
letter from the questions quoted in it (or from `letter_path`), and checks per question:

- every request answered (a subheading in the reply that repeats or paraphrases it: drafter.parse.reply);
- every party the letter names has its 核查程序 and 核查意见, covering the scope asked;
- an ask naming its own subject (请申报会计师说明对应收账款账面价值真实性、准确性的核查过程) answered by that
  party: its 核查程序/核查意见 mention the subject's key words (a warning naming the ask when not);
- extra demands (核查比例, 核查范围 …) addressed; prospectus amendments where 披露 was asked;
- the quoted question identical to the letter's (only with `letter_path`: otherwise the quotes are the letter);
- placeholders left (drafter's 【待补充:…】, 【待…】, XX, [●] …);
- half-width punctuation between Chinese characters, absolute wording (确保, 绝对 …), and the same
  figure stated with different values.

Blocking: an unanswered request, a missing or mis-scoped party opinion, an altered quote, a placeholder.
Everything else is a warning. `ReviewReport.blocking` decides the CLI's exit code.
"""
from __future__ import annotations

import difflib
import os
import re
import unicodedata
from collections import Counter, defaultdict
from typing import Any, Literal

from pydantic import BaseModel, Field
from rapidfuzz import fuzz

from ..errors import UserError
from ..models import Letter, Question, Verification
from ..parse.reply import PAGE_NOISE, ReplyParts, keys_of, split_reply, workpapers_only

Severity = Literal["blocking", "warning"]


class Finding(BaseModel):
    severity: Severity
    kind: str  # unanswered / missing_opinion / mis_scoped_opinion / subject_not_answered / altered_quote / placeholder /
    #            missing_procedures / missing_amendment / demand_not_addressed / punctuation / wording / figures
    question: int | None = None
    request: str | None = None  # the request's label as printed, "(3)", "②", "" when unnumbered
    request_id: str | None = None
    party: str | None = None  # as the letter names it
    message: str
    anchor: str | None = None  # text in the reply the finding concerns (to place a comment)
    mark: str | None = None  # the exact words within the anchor's paragraph to hang the comment on
    in_quote: bool = False  # the anchor is in the quoted question (not in the answer)
    detail: dict[str, Any] = Field(default_factory=dict)


class PartyCheck(BaseModel):
    party: str  # as the letter names it
    key: str
    procedures: bool
    opinion: bool
    scope: str = "全部"  # as the letter prints it
    scope_asked: list[str]
    scope_missing: list[str] = Field(default_factory=list)


class QuestionReview(BaseModel):
    number: int
    title: str
    requests_total: int
    requests_answered: int
    unanswered: list[str] = Field(default_factory=list)  # labels
    parties: list[PartyCheck] = Field(default_factory=list)
    amendments: int = 0
    placeholders: int = 0
    altered: bool = False

    @property
    def answered(self) -> bool:
        return self.requests_answered == self.requests_total


class ReviewReport(BaseModel):
    source: str
    letter_source: str | None = None  # None: the letter is the reply's own quotes
    questions_total: int = 0
    questions_answered: int = 0
    requests_total: int = 0
    requests_answered: int = 0
    unanswered: list[dict[str, Any]] = Field(default_factory=list)  # {question, request, request_id, text}
    altered_questions: list[dict[str, Any]] = Field(default_factory=list)  # {question, differences}
    punctuation: dict[str, Any] = Field(default_factory=dict)  # {total, by_char, by_question}
    questions: list[QuestionReview] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "blocking"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.blocking

    def to_json_dict(self) -> dict[str, Any]:
        d = self.model_dump(mode="json")
        d["blocking_count"] = len(self.blocking)
        d["warning_count"] = len(self.warnings)
        d["ok"] = self.ok
        return d


# ---------------------------------------------------------------------------------------------
# entry points


def review_reply(path: str | os.PathLike, letter_path: str | os.PathLike | None = None) -> ReviewReport:
    """Review the reply at `path` (see the module docstring)."""
    from ..parse import parse_file

    reply = parse_file(path)
    if not reply.questions:
        raise UserError("no questions found: is this a reply to an inquiry letter?", file=str(path))
    if not any(q.reply for q in reply.questions):
        raise UserError("no answers found (no 回复: / 【回复】 after the quoted questions): "
                        "is this the letter rather than the reply?", file=str(path))
    letter = parse_file(letter_path) if letter_path is not None else None
    if letter is not None:
        _check_same_letter(reply, letter, path, letter_path)
    rep = review_letter(reply, letter, source=str(path), letter_source=str(letter_path) if letter_path else None)
    _outside_placeholders(path, reply, rep)
    return rep


def _check_same_letter(reply: Letter, letter: Letter, path, letter_path) -> None:
    """A --letter for another issuer or another letter number is a wrong file, not 17 blocking findings."""
    def norm(s: str | None) -> str:
        return re.sub(r"\s+", "", s or "")

    ri, li = norm(reply.meta.issuer), norm(letter.meta.issuer)
    if ri and li and ri != li:
        raise UserError(f"the letter concerns {letter.meta.issuer} but the reply {path} answers for "
                        f"{reply.meta.issuer}: is this the right letter?", file=str(letter_path))
    rn, ln = re.sub(r"\D", "", reply.meta.number or ""), re.sub(r"\D", "", letter.meta.number or "")
    if rn and ln and rn != ln:
        raise UserError(f"the letter is {letter.meta.number} but the reply answers {reply.meta.number}: "
                        "is this the right letter?", file=str(letter_path))


def _outside_placeholders(path, reply: Letter, rep: ReviewReport) -> None:
    """Placeholders on the cover, in the opening and on the signature pages (outside every answer)."""
    from ..read import read_text
    from ..parse.reply import find_placeholders, signature_start

    full = read_text(path)
    first = reply.questions[0]
    key = (first.text or "").strip()[:30]
    i = full.find(key) if key else -1
    front = full[:i] if i > 0 else ""
    last = reply.questions[-1].reply or ""
    back = last[signature_start(last):]
    for where, text, qn in (("cover and opening", front, None), ("signature pages", back, reply.questions[-1].number)):
        for pos, t in find_placeholders(text):
            if where == "signature pages" and not t.startswith(("【", "[", "〔", "TODO", "TBD", "FIXME")):
                continue  # blank lines for signatures and dates are left blank on purpose
            ctx = re.sub(r"\s+", " ", text[max(0, pos - 20): pos + len(t) + 20]).strip()
            rep.findings.append(Finding(severity="blocking", kind="placeholder", question=qn,
                                        message=f"{where}: placeholder left: “{t}” in …{ctx}…",
                                        anchor=t if len(t) >= 4 else ctx[:40], mark=t, detail={"where": where}))
    order = {"blocking": 0, "warning": 1}
    rep.findings.sort(key=lambda f: (order[f.severity], f.question or 0))


def review_letter(reply: Letter, letter: Letter | None = None, source: str = "<reply>",
                  letter_source: str | None = None) -> ReviewReport:
    """Review a parsed reply; `letter` (parsed separately) is the reference for quotes and requests."""
    rep = ReviewReport(source=source, letter_source=letter_source)
    by_num = {q.number: q for q in reply.questions}
    ref_questions = letter.questions if letter is not None else reply.questions
    punct_total: Counter[str] = Counter()
    punct_by_q: dict[int, int] = {}
    figures: list[tuple[int, str, str, str, str, str]] = []

    report_periods = reporting_periods("\n".join(q.reply or "" for q in reply.questions))
    for ref in ref_questions:
        got = by_num.get(ref.number)
        if got is None or not (got.reply or "").strip():
            rep.questions.append(QuestionReview(number=ref.number, title=ref.title,
                                                requests_total=len(ref.requests) or 1, requests_answered=0))
            for r in ref.requests or [None]:
                rep.unanswered.append({"question": ref.number, "request": r.label if r else "",
                                       "request_id": r.id if r else str(ref.number), "text": (r.text if r else ref.title)[:200]})
            rep.findings.append(Finding(severity="blocking", kind="unanswered", question=ref.number,
                                        message=f"问题{ref.number}({ref.title}): no answer found in the reply"))
            continue
        # the letter's structure, the reply's answer
        q = ref.model_copy(update={"reply": got.reply}) if letter is not None else got
        parts = split_reply(q)
        qr = _review_question(q, parts, rep)
        if letter is not None:
            diffs = quote_differences(ref.text, got.text)
            if diffs:
                qr.altered = True
                rep.altered_questions.append({"question": ref.number, "differences": diffs})
                changed = sum(max(len(d["letter"]), len(d["reply"])) for d in diffs)
                if changed > 0.5 * max(len(quote_text(ref.text)), 1):
                    shown = (f"most of it ({changed} characters) — is this the right letter, "
                             f"and are the questions numbered alike?")
                else:
                    shown = "; ".join(f"“{_short(d['letter'], 30)}” -> “{_short(d['reply'], 30)}”" for d in diffs[:3])
                    if len(diffs) > 3:
                        shown += f" (and {len(diffs) - 3} more difference(s))"
                rep.findings.append(Finding(
                    severity="blocking", kind="altered_quote", question=ref.number,
                    message=f"问题{ref.number}: the quoted question differs from the letter: {shown}",
                    anchor=diffs[0]["reply_context"] or None, mark=diffs[0]["reply"] or None, in_quote=True,
                    detail={"differences": diffs}))
        rep.questions.append(qr)
        # warnings over the answer text; the letter's own words repeated in it (subheadings that
        # repeat a request, quotes of the letter) are the letter's, not the writer's: not checked
        body = (q.reply or "")[: _sig(q.reply or "")]
        prose = mask_spans(body, repeated_spans(body, q, parts))
        c = halfwidth_punctuation(prose)
        if c:
            punct_total.update(c)
            punct_by_q[q.number] = sum(c.values())
            rep.findings.append(Finding(
                severity="warning", kind="punctuation", question=q.number,
                message=f"问题{q.number}: {sum(c.values())} half-width punctuation mark(s) between Chinese characters "
                        f"({', '.join(f'{k} ×{v}' for k, v in c.most_common())})",
                detail={"by_char": dict(c)}))
        for word, ctx in absolute_wording(prose, context_of=body):
            rep.findings.append(Finding(severity="warning", kind="wording", question=q.number,
                                        message=f"问题{q.number}: absolute wording “{word}”: …{ctx}…",
                                        anchor=ctx, mark=word, detail={"word": word}))
        for metric, period, unit, value, ctx in extract_figures(body, report_periods):
            figures.append((q.number, metric, period, unit, value, ctx))

    if letter is not None:
        known = {q.number for q in letter.questions}
        for q in reply.questions:
            if q.number not in known:
                rep.findings.append(Finding(
                    severity="warning", kind="extra_question", question=q.number,
                    message=f"问题{q.number} ({q.title}) is in the reply but not in the letter: wrong letter, or numbering changed?",
                    anchor=q.title))
    rep.findings.extend(_figure_conflicts(figures))
    from .precedents import precedent_findings  # H9: precedent blocks left in the reply

    rep.findings.extend(precedent_findings(reply))
    rep.questions_total = len(rep.questions)
    rep.questions_answered = sum(1 for x in rep.questions if x.answered)
    rep.requests_total = sum(x.requests_total for x in rep.questions)
    rep.requests_answered = sum(x.requests_answered for x in rep.questions)
    rep.punctuation = {"total": sum(punct_total.values()), "by_char": dict(punct_total), "by_question": punct_by_q}
    order = {"blocking": 0, "warning": 1}
    rep.findings.sort(key=lambda f: (order[f.severity], f.question or 0))
    return rep


def _sig(text: str) -> int:
    from ..parse.reply import signature_start

    return signature_start(text)


# ---------------------------------------------------------------------------------------------
# per question


def _review_question(q: Question, parts: ReplyParts, rep: ReviewReport) -> QuestionReview:
    reqs = q.requests
    qr = QuestionReview(number=q.number, title=q.title, requests_total=len(reqs),
                        requests_answered=len(reqs) - len(parts.unanswered),
                        amendments=len(parts.amendments), placeholders=len(parts.placeholders))
    by_id = {r.id: r for r in reqs}
    for rid in parts.unanswered:
        r = by_id[rid]
        qr.unanswered.append(r.label)
        rep.unanswered.append({"question": q.number, "request": r.label, "request_id": r.id, "text": r.text[:200]})
        rep.findings.append(Finding(
            severity="blocking", kind="unanswered", question=q.number, request=r.label, request_id=r.id,
            message=f"问题{q.number}{r.label or ''}: no answer subheading matches the request “{_short(r.text)}”",
            anchor=_short(r.text, 30), in_quote=True))
    if parts.flat:
        rep.findings.append(Finding(
            severity="warning", kind="no_subheadings", question=q.number,
            message=f"问题{q.number}: the answer has no subheadings, so its {len(reqs)} requests could not be "
                    f"checked one by one (the house form repeats each request as a subheading)",
            anchor=_short(q.title, 30)))
    # parties
    all_ids = [r.id for r in reqs]
    for v in q.verification:
        if workpapers_only(v):  # 提供工作底稿: handed in separately, nothing to find in the reply
            continue
        asked = [i for i in (v.scope_ids or all_ids) if i in by_id] or all_ids
        for party in v.parties:
            keys = keys_of([party])
            for key in keys:
                ops = [b for b in parts.opinions if key in b.party_keys]
                procs = [b for b in parts.procedures if key in b.party_keys]
                covered = {i for b in ops for i in b.scope_ids}
                missing = [i for i in asked if i not in covered]
                pc = PartyCheck(party=party, key=key, procedures=bool(procs), opinion=bool(ops), scope=v.scope or "全部",
                                scope_asked=asked,
                                scope_missing=missing if ops else asked)
                if not any(p.key == key and p.scope_asked == asked for p in qr.parties):
                    qr.parties.append(pc)
                scope_txt = v.scope if v.scope and v.scope != "全部" else "全部事项"
                if not ops:
                    rep.findings.append(Finding(
                        severity="blocking", kind="missing_opinion", question=q.number, party=party,
                        message=f"问题{q.number}: no 核查意见 of {party} (asked: “{_short(v.text, 60)}”)",
                        anchor=_short(v.text, 30), in_quote=True, detail={"scope": scope_txt}))
                elif missing:
                    labels = [by_id[i].label or i for i in missing]
                    rep.findings.append(Finding(
                        severity="blocking", kind="mis_scoped_opinion", question=q.number, party=party,
                        message=f"问题{q.number}: {party}'s 核查意见 does not cover {', '.join(labels)} "
                                f"(asked: {scope_txt}; found: {', '.join(b.scope for b in ops)})",
                        anchor=ops[0].lead[:40], detail={"missing": missing}))
                used = {n for b in ops + procs for n in b.parties if key in keys_of([n])}
                if used and party not in used and not any(party in n or n in party for n in used):
                    other = sorted(used)[0]
                    rep.findings.append(Finding(
                        severity="warning", kind="party_name", question=q.number, party=party,
                        message=f"问题{q.number}: the letter says {party}, the reply says {other} (repeat the letter's name)",
                        anchor=(ops or procs)[0].lead[:40], mark=other))
                if not procs:
                    rep.findings.append(Finding(
                        severity="warning", kind="missing_procedures", question=q.number, party=party,
                        message=f"问题{q.number}: no 核查程序 naming {party}",
                        anchor=ops[0].lead[:40] if ops else None))
        _check_demands(q, v, parts, rep)
        _check_subject(q, v, parts, rep)
    # amendments where 披露 was asked
    for r in reqs:
        if not r.disclose or r.id in parts.unanswered:
            continue
        a = parts.answers[r.id]
        has = any(r.id in am.request_ids for am in parts.amendments) or bool(
            re.search(r"(?:招股说明书|募集说明书)[^。\n]{0,120}(?:补充披露|披露|修改|修订)|补充披露", a.text))
        if not has:
            rep.findings.append(Finding(
                severity="warning", kind="missing_amendment", question=q.number, request=r.label, request_id=r.id,
                message=f"问题{q.number}{r.label}: 披露 was asked but no prospectus amendment "
                        f"(…补充披露如下 / 已在招股说明书…披露) was found in the answer",
                anchor=(a.heading or "")[:40] or None))
    # placeholders
    for ph in parts.placeholders:
        r = by_id.get(ph.request_id or "")
        rep.findings.append(Finding(
            severity="blocking", kind="placeholder", question=q.number, request=r.label if r else None,
            request_id=ph.request_id, message=f"问题{q.number}{r.label if r else ''}: placeholder left: “{ph.text}” in …{ph.context}…",
            anchor=ph.text if len(ph.text) >= 4 else ph.context[:40], mark=ph.text))
    return qr


DEMAND_WORDS = {
    "核查方法": r"核查程序|核查方法|核查方式|执行了|履行了",
    "核查方式": r"核查程序|核查方法|核查方式|执行了|履行了",
    "核查范围": r"范围|覆盖|核查对象|样本|选取",
    "核查比例": r"比例|占比|%",
    "核查过程": r"过程|程序",
    "取得的证据": r"证据|获取|取得",
    "获取的证据": r"证据|获取|取得",
    "证据": r"证据|获取|取得",
    "核查结论": r"结论|认为|核查意见",
    "结论": r"结论|认为|核查意见",
    "函证": r"函证|回函",
    "走访": r"走访|访谈",
    "监盘": r"监盘|盘点",
}


def _check_demands(q: Question, v: Verification, parts: ReplyParts, rep: ReviewReport) -> None:
    where = q.reply or ""  # a demand may be answered in its own section (五、说明对…的函证情况), not only under 核查
    for d in v.demands:
        if "底稿" in d:  # work papers are handed in separately, not written into the reply
            continue
        pat = DEMAND_WORDS.get(d.strip())
        if pat is None:
            for k, p in DEMAND_WORDS.items():
                if k in d:
                    pat = p
                    break
        core = re.sub(r"核查|情况|说明|的", "", d)
        if pat:
            ok = bool(re.search(pat, where))
        elif 2 <= len(core) <= 12:
            ok = core in where or (len(core) >= 4 and core[-2:] in where)  # 资金流水 answered as 银行卡流水
        else:
            ok = fuzz.partial_ratio(d[:80], where) >= 70
        if not ok:
            rep.findings.append(Finding(
                severity="warning", kind="demand_not_addressed", question=q.number,
                message=f"问题{q.number}: the letter also asks for “{_short(d, 40)}”; nothing in the reply addresses it",
                anchor=_short(v.text, 30), in_quote=True, detail={"demand": d}))


# words that say nothing of what a subject is about
_SUBJECT_NOISE = re.compile(r"发行人|公司|申请人|报告期(?:内|各期)?|相关|上述|前述|情况|具体|重要|事项|问题|核查|是否|不?存在|的|进行|说明|及其?|以及|和|与|对|等")


def subject_terms(subject: str) -> list[str]:
    """The key words of an ask's subject: 发行人应收账款账面价值真实性、准确性 -> [应收账款账面价值真实性, 准确性]."""
    out = []
    for part in re.split(r"[、,;/]|及|以及|和|与", unicodedata.normalize("NFKC", subject)):
        core = re.sub(r"性$", "", _SUBJECT_NOISE.sub("", part).strip("()() "))
        if len(core) >= 2 and core not in out:
            out.append(core)
    return out


def _mentions(text: str, term: str) -> bool:
    """The term, or (a long one) its head or tail of four characters: 应收账款账面价值真实性 ~ 应收账款 …真实性."""
    if term in text:
        return True
    return len(term) >= 6 and (term[:4] in text and term[-3:] in text)


def _check_subject(q: Question, v: Verification, parts: ReplyParts, rep: ReviewReport) -> None:
    """An ask naming what to verify is answered about that subject by each party asked (warning when not)."""
    from ..compose.conclude import ask_subjects

    for subject in ask_subjects(v.text)[0]:
        _check_one_subject(q, v, subject, parts, rep)


def _check_one_subject(q: Question, v: Verification, subject: str, parts: ReplyParts, rep: ReviewReport) -> None:
    terms = subject_terms(subject)
    if not terms:
        return
    for party in v.parties:
        keys = keys_of([party])
        blocks = [b for b in [*parts.opinions, *parts.procedures] if any(k in b.party_keys for k in keys)]
        if not blocks:
            continue  # no block at all: missing_opinion says so already
        text = unicodedata.normalize("NFKC", "\n".join(b.text for b in blocks))
        found = [t for t in terms if _mentions(text, t)]
        if len(found) * 2 < len(terms) and q.reply:  # answered in a section of its own (五、关于函证情况 …)
            found = [t for t in terms if _mentions(unicodedata.normalize("NFKC", q.reply), t)]
        if len(found) * 2 < len(terms) or not found:
            missing = [t for t in terms if t not in found]
            rep.findings.append(Finding(
                severity="warning", kind="subject_not_answered", question=q.number, party=party,
                message=f"问题{q.number}: the letter asks {party} about “{_short(subject, 40)}”; its 核查程序/核查意见 "
                        f"never mention {', '.join(missing)} (asked: “{_short(v.text, 60)}”)",
                anchor=_short(v.text, 30), in_quote=True, detail={"subject": subject, "missing": missing}))


def _short(t: str, n: int = 40) -> str:
    t = re.sub(r"\s+", "", t or "")
    return t if len(t) <= n else t[:n] + "…"


# ---------------------------------------------------------------------------------------------
# quotes

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"', "『": '"', "』": '"',
                         "〔": "[", "〕": "]", "﹝": "[", "﹞": "]", "【": "[", "】": "]", "—": "-", "－": "-",
                         "～": "~", "、": ",", "。": "."})


def quote_text(text: str) -> str:
    """A quoted question made comparable: page noise, whitespace and punctuation width removed."""
    lines = [ln for ln in (text or "").splitlines() if not PAGE_NOISE.match(ln.strip())]
    t = unicodedata.normalize("NFKC", "".join(ln.strip() for ln in lines)).translate(_QUOTES)
    t = re.sub(r"\s+", "", t)
    t = re.sub(r"【回复】|\[回复\]|回复[::]?$", "", t)
    return t


def quote_differences(letter_text: str, reply_text: str, context: int = 8) -> list[dict[str, str]]:
    """The words that differ between the letter's question and the reply's quote (empty when equal)."""
    a, b = quote_text(letter_text), quote_text(reply_text)
    if a == b:
        return []
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    out: list[dict[str, str]] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        # a difference only in punctuation is not an altered quote
        if re.sub(r"[\W_]", "", a[i1:i2]) == re.sub(r"[\W_]", "", b[j1:j2]):
            continue
        out.append({
            "letter": a[i1:i2], "reply": b[j1:j2],
            "letter_context": a[max(0, i1 - context): i2 + context],
            "reply_context": b[max(0, j1 - context): j2 + context],
        })
    return out


# ---------------------------------------------------------------------------------------------
# warnings: punctuation, wording, figures

CJK = r"[\u3400-\u9fff]"
_HALF = re.compile(rf"(?<={CJK})[,;:()](?={CJK})|(?<={CJK})\((?=[\u3400-\u9fff\d])|(?<=[\u3400-\u9fff\d])\)(?={CJK})")


_LABEL = re.compile(r"\([一二三四五六七八九十\d]{1,3}\)")


def halfwidth_punctuation(text: str) -> Counter[str]:
    """Half-width , ; : ( ) between Chinese characters, counted per mark (labels like (一) (3) not counted)."""
    text = _LABEL.sub("", text)
    return Counter(m.group(0) for m in _HALF.finditer(text))


REPEAT_MIN = 80.0  # similarity at which a subheading repeats a request (rather than answers in own words)
_QUOTED = re.compile(r"“([^“”\n]{4,400})”")


def repeated_spans(body: str, q: Question, parts: ReplyParts) -> list[tuple[int, int]]:
    """Where the answer repeats the letter's words: subheadings that repeat one of the question's
    requests, and “quotes” of the question's text. Positions in `body` (the text split_reply read)."""
    from ..parse.reply import norm, similarity

    spans = []
    for h in parts.headings:
        if h.end > len(body):
            continue
        # the heading's own line; the lines read on after it (a heading cut by a page) only while
        # they continue the request's words, never the answer's first paragraph
        lines, pos = [], h.start
        for ln in body[h.start:h.end].split("\n"):
            lines.append((pos, pos + len(ln), ln))
            pos += len(ln) + 1
        best = max(q.requests, key=lambda r: similarity(h.first or h.text, r.text), default=None)
        if best is None or similarity(h.first or h.text, best.text) < REPEAT_MIN:
            continue
        want = norm(best.text)
        a, b = lines[0][0], lines[0][1]
        for s0, e0, ln in lines[1:]:
            if not norm(ln) or norm(ln) not in want:
                break
            b = e0
        spans.append((a, b))
    letter = norm(q.text or "") + "".join(norm(r.text) for r in q.requests)
    for m in _QUOTED.finditer(body):
        inner = norm(m.group(1).rstrip("…"))
        if len(inner) >= 4 and inner in letter:
            spans.append(m.span(1))
    return spans


def mask_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with the spans blanked (same length, so positions still match the original)."""
    chars = list(text)
    for a, b in spans:
        for i in range(max(0, a), min(len(chars), b)):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


from ..vocab import ABSOLUTE  # noqa: E402  (one vocabulary: absolute wording a reply avoids)


def absolute_wording(text: str, context_of: str | None = None) -> list[tuple[str, str]]:
    """(word, context) per absolute expression in `text`; the context is taken from `context_of`
    (the unmasked text at the same positions) when given."""
    src = text if context_of is None else context_of
    out = []
    for m in ABSOLUTE.finditer(text):
        a, b = m.span()
        ctx = re.sub(r"\s+", "", src[max(0, a - 12): b + 12])
        out.append((m.group(0), ctx))
    return out


METRICS = ["营业收入", "主营业务收入", "营业成本", "主营业务成本", "净利润", "归属于母公司所有者的净利润",
           "扣除非经常性损益后归属于母公司所有者的净利润", "毛利率", "主营业务毛利率", "综合毛利率", "研发费用", "销售费用",
           "管理费用", "财务费用", "研发费用率", "应收账款余额", "应收账款账面余额", "应收账款账面价值", "存货余额",
           "存货账面余额", "存货账面价值", "经营活动产生的现金流量净额", "资产负债率", "境外销售收入", "外销收入", "内销收入"]
_MET = "|".join(sorted(map(re.escape, METRICS), key=len, reverse=True))
_NUM = r"-?\d{1,3}(?:,\d{3})*(?:\.\d+)?|-?\d+(?:\.\d+)?"
_UNIT = r"万元|亿元|元|%"
_METRIC_AT = re.compile(
    rf"(?:^|(?<=[,,:：年末度月日])|(?<=公司)|(?<=发行人)|(?<=公司的)|(?<=发行人的))(?P<metric>{_MET})"
    rf"(?:金额|总额|合计)?(?P<verb>分别为|分别是|分别达到|为|达到|达|实现|是)(?:人民币)?"
    rf"(?P<values>(?:(?:{_NUM})(?:{_UNIT})?\s*[、和及与,,]?\s*)+)"
)
_PERIOD = re.compile(r"((?:19|20)\d{2})(?:年)?(?:\s*(?:至|-|~|—)\s*((?:19|20)\d{2}))?年(1-\d{1,2}月|度|末|\d{1,2}月末|\d{1,2}月\d{1,2}日)?")
_OTHER_SUBJECT = re.compile(r"可比公司|同行业|竞争对手|客户|供应商|子公司|上市公司|行业|平均|股份|科技|集团|电气|[A-Z]{2,}")


def _periods(clause: str) -> list[str]:
    out: list[str] = []
    for m in _PERIOD.finditer(clause):
        y1, y2, suf = m.group(1), m.group(2), m.group(3) or ""
        suf = "" if suf == "度" else suf
        if y2:
            out += [f"{y}年{suf}" for y in range(int(y1), int(y2) + 1)]
        else:
            out.append(f"{y1}年{suf}")
    return out


_HEADER_YEARS = re.compile(r"((?:(?:19|20)\d{2}年(?:1-\d{1,2}月|度|末|\d{1,2}月末)?){3,4})")


def reporting_periods(text: str) -> list[str]:
    """The reporting period (报告期) as the reply's tables head it, oldest first: ["2020年", "2021年", "2022年"]."""
    seen: Counter[tuple[str, ...]] = Counter()
    for m in _HEADER_YEARS.finditer(text):
        ps = tuple(_periods(m.group(1)))
        if len(set(ps)) == len(ps) and all(not p.endswith("末") for p in ps):
            seen[tuple(sorted(ps))] += 1
    return list(seen.most_common(1)[0][0]) if seen else []


def extract_figures(text: str, report: list[str] | None = None) -> list[tuple[str, str, str, str, str]]:
    """(metric, period, unit, value, context) for the issuer's own figures stated with explicit periods.

    `2022年,公司营业收入为98,791.26万元` and `2020年、2021年和2022年,公司毛利率分别为a、b和c` qualify;
    a clause naming peers, customers or suppliers, or `报告期各期` without years, does not.
    """
    out = []
    for clause in re.split(r"[。;；\n]", text):
        if len(clause) > 800 or not re.search(_MET, clause):
            continue
        for m in _METRIC_AT.finditer(clause):
            head = clause[: m.start()]
            if _OTHER_SUBJECT.search(head):
                continue
            periods: list[str] = []
            for seg in reversed(re.split(r"[,,]", head)):
                periods = _periods(seg)
                if periods:
                    break
                if "报告期" in seg and report:
                    periods = list(report)
                    break
            vals = re.findall(rf"({_NUM})({_UNIT})?", m.group("values"))
            units = [u for _, u in vals if u]
            if not vals or not units or len(set(units)) != 1:
                continue
            unit = units[0]
            values = [v.replace(",", "") for v, _ in vals]
            if m.group("verb").startswith("分别"):
                if len(periods) != len(values):
                    continue
            else:
                if len(values) != 1 or not periods:
                    continue
                periods = periods[-1:]
            ctx = re.sub(r"\s+", "", clause[max(0, m.start() - 20): m.end()])[:80]
            for per, val in zip(periods, values):
                out.append((m.group("metric"), per, unit, val, ctx))
    return out


def _figure_conflicts(figs: list[tuple[int, str, str, str, str, str]]) -> list[Finding]:
    groups: dict[tuple[str, str, str], list[tuple[int, str, str]]] = defaultdict(list)
    for qn, metric, period, unit, value, ctx in figs:
        groups[(metric, period, unit)].append((qn, value, ctx))
    out = []
    for (metric, period, unit), items in groups.items():
        values = sorted({v for _, v, _ in items})
        if len(values) < 2:
            continue
        where = {}
        for qn, v, ctx in items:
            where.setdefault(v, (qn, ctx))
        shown = "; ".join(f"{v}{unit} (问题{where[v][0]}: …{where[v][1]}…)" for v in values)
        out.append(Finding(severity="warning", kind="figures", question=where[values[0]][0],
                           message=f"{period}{metric} stated with different values: {shown} — double-check",
                           anchor=where[values[1]][1], detail={"metric": metric, "period": period, "unit": unit,
                                                               "values": values}))
    return out


# ---------------------------------------------------------------------------------------------
# text report


def format_report(rep: ReviewReport, limit: int = 30) -> str:
    lines = [f"Review of {rep.source}" + (f" against {rep.letter_source}" if rep.letter_source else "")]
    lines.append(f"questions answered: {rep.questions_answered}/{rep.questions_total}; "
                 f"requests answered: {rep.requests_answered}/{rep.requests_total}")
    for qr in rep.questions:
        flags = []
        if qr.unanswered:
            flags.append("unanswered " + " ".join(x or "(whole)" for x in qr.unanswered))
        bad = [p for p in qr.parties if not p.opinion or p.scope_missing]
        if bad:
            flags.append("opinions: " + ", ".join(p.party for p in bad))
        if qr.altered:
            flags.append("quote altered")
        if qr.placeholders:
            flags.append(f"{qr.placeholders} placeholder(s)")
        parties = " ".join(f"{p.party}{'' if p.scope == '全部' else p.scope}[{'程序' if p.procedures else '-'}"
                           f"{'意见' if p.opinion else '-'}]" for p in qr.parties)
        lines.append(f"  问题{qr.number} {qr.title[:24]}: {qr.requests_answered}/{qr.requests_total} answered; "
                     f"{parties}" + (f"  !! {'; '.join(flags)}" if flags else ""))
    blocking = rep.blocking
    lines.append("")
    lines.append(f"BLOCKING ({len(blocking)}):" if blocking else "BLOCKING: none")
    for f in blocking[:limit * 3]:
        lines.append(f"  - {f.message}")
    if len(blocking) > limit * 3:
        lines.append(f"    … {len(blocking) - limit * 3} more blocking finding(s) (see --json, or --annotate)")
    warns = rep.warnings
    lines.append(f"WARNINGS ({len(warns)}):")
    by_kind: dict[str, list[Finding]] = defaultdict(list)
    for f in warns:
        by_kind[f.kind].append(f)
    if rep.punctuation.get("total"):
        pc = rep.punctuation
        lines.append(f"  - punctuation: {pc['total']} half-width marks between Chinese characters "
                     f"({', '.join(f'{k} ×{v}' for k, v in sorted(pc['by_char'].items(), key=lambda x: -x[1]))}) "
                     f"in {len(pc['by_question'])} question(s)")
    for kind, fs in by_kind.items():
        if kind == "punctuation":
            continue
        if kind == "wording":
            words = Counter(f.detail.get("word") for f in fs)
            lines.append(f"  - wording: {len(fs)} absolute expression(s): "
                         + ", ".join(f"{w} ×{n}" for w, n in words.most_common()))
            for f in fs[:5]:
                lines.append(f"      {f.message}")
            if len(fs) > 5:
                lines.append(f"      … {len(fs) - 5} more (see --json)")
            continue
        for f in fs[:limit]:
            lines.append(f"  - {f.message}")
        if len(fs) > limit:
            lines.append(f"    … {len(fs) - limit} more {kind} (see --json)")
    lines.append("")
    lines.append("result: " + ("OK (nothing blocks)" if rep.ok else f"{len(blocking)} blocking finding(s)"))
    return "\n".join(lines)
