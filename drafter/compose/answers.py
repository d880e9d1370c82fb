"""The answer under each request: the matched topic's template filled with company data, then numbered
sub-answers mirroring the request's own parts, each a placeholder saying what to write and from which
evidence (drafter.compose.mirror splits the request).

A request's top topic template is rendered once per request. Besides the topic's figures (`company`,
`names`, `periods`, `latest`, `f`, the template globals), the context holds:

    request        {id, text, disclose, label}   the request answered (label: "(二)" as the reply numbers it)
    question       {number, title, text}
    requests       the question's requests answered with this template, [{id, text}]
    first          True for the first of them
    asks("a|b")    True when this request's text names one of the keywords
    elsewhere("a|b")   True when another of them names one
    answer_here("a|b") asks(...), or first when no other request asks it (a part nobody asks still
                   appears once, under the first request)
    answer_once("a|b") True for the first request that asks it (or the first request when none does):
                   the lead with its tables goes there; the others give the figures in a sentence

A computed table is printed once per question: when a later request's answer holds the same table, it
becomes a one-line pointer to the request that printed it ("相关数据详见本题(一)回复中的表格。"). Old
templates split with `part("kw")` still work: a keyword part is kept where answer_here(kw) holds, the
text before the first part under the first request. A question that asks only the intermediaries (no
request of the issuer) gets its top topic's template, whole (`question_answer`).
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..document import Block, Paragraph, Run, Table
from ..models import Question, Request
from .templating import render_parts, template_exists
from . import computed
from .context import Names
from .mirror import Ask, covered_by, split_request, _bigrams

FIELD_WORDS = {
    "company": "公司基本信息",
    "offering": "本次发行方案",
    "revenue_breakdown": "收入构成",
    "customers": "前五大客户",
    "suppliers": "前五大供应商",
    "peers": "同行业可比公司数据",
    "rd": "研发数据",
    "employees": "员工及薪酬数据",
    "receivables": "应收账款明细",
    "inventory": "存货明细",
    "fixed_assets": "固定资产明细",
    "investments": "可能涉及财务性投资的科目明细",
    "projects": "募投项目数据",
    "dividends": "分红数据",
    "post_period": "审计截止日后财务数据",
    "equity_history": "股权演变",
    "shareholders": "股东情况",
    "related_transactions": "关联交易",
    "capacity": "产能产量",
    "purchases": "原材料采购",
    "litigation": "诉讼仲裁",
    "subsidies": "政府补助",
    "tax_incentives": "税收优惠",
    "debts": "有息负债",
    "cash": "货币资金明细",
    "premises": "经营场所",
    "share_payments": "股份支付",
    "outsourcing": "委外加工",
    "third_party_payments": "第三方回款",
    "core_technologies": "核心技术",
    "patents": "知识产权",
    "prior_fundraising": "前次募集资金",
    "management_changes": "董监高变动",
    "bills": "应收票据",
}


def _field_words(fields: Sequence[str]) -> str:
    """The company data a person can draw on, in words (technical paths without a name are left out)."""
    from ..company.model import FINANCIAL_LABELS
    words: list[str] = []
    for f in fields:
        head, _, rest = f.partition(".")
        if head == "financials":
            w = FINANCIAL_LABELS.get(rest.split(".")[0]) if rest else "财务数据"
        else:
            w = FIELD_WORDS.get(head)
        if w and w not in words:
            words.append(w)
    return "、".join(words[:6])


def _number_h4(blocks: list[Block]) -> list[Block]:
    """Number the minor subheadings of one answer 1、2、… (templates write them unnumbered)."""
    n = 0
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, Paragraph) and b.style == "heading4" and not re.match(r"^\d+、", b.text):
            n += 1
            b = b.model_copy(update={"runs": [Run(text=f"{n}、"), *b.runs]})
        out.append(b)
    return out


def _keywords(kw: Any) -> list[str]:
    return [k.strip() for k in str(kw or "").split("|") if k.strip()]


def _names_any(text: str, kw: Any) -> bool:
    return any(k in text for k in _keywords(kw))


def _table_key(t: Table) -> tuple:
    return (tuple(tuple(r) for r in t.header), tuple(tuple(r) for r in t.rows))


_LEADS_INTO_TABLE = re.compile(r"(?:如下|如下表|列示如下|具体如下)[:：]?$")


def pointer(label: str) -> Paragraph:
    """The line a later request gets instead of a table printed above in the same question."""
    where = f"本题{label}" if label else "本题上文"
    return Paragraph(style="body", runs=[Run(text=f"相关数据详见{where}回复中的表格。")])


def request_context(q: Question | None = None, r: Request | None = None, peers: Sequence[Request] = (),
                    label: str = "") -> dict[str, Any]:
    """The request side of a template's context (see the module docstring).

    `r` None: the template answers the question itself (every part of it goes there). `q` None too:
    no letter at all (checking a template): nothing is asked, and every part is rendered once.
    """
    text = r.text if r is not None else ((q.text or "") if q is not None else "")
    first = r is None or not peers or peers[0].id == r.id
    others = [p.text for p in peers if r is None or p.id != r.id]
    ids = [p.id for p in peers]
    earlier = [p.text for p in peers[:ids.index(r.id)]] if r is not None and r.id in ids else []

    def asks(kw: Any = "") -> bool:
        """True when this request's text names one of the keywords `a|b|c`."""
        return _names_any(text, kw)

    def elsewhere(kw: Any = "") -> bool:
        """True when another request of this question (same template) names one of the keywords."""
        return any(_names_any(o, kw) for o in others)

    def answer_here(kw: Any = "") -> bool:
        """True when this request asks it, or when it is the first one and no other request asks it
        (so a part nobody asks is still given once, under the first request)."""
        return asks(kw) or (first and not elsewhere(kw))

    def answer_once(kw: Any = "") -> bool:
        """True for the first request of this question that asks it (or the first request when none
        does): a lead with the tables goes there once; the others give the figures in a sentence."""
        if asks(kw):
            return not any(_names_any(o, kw) for o in earlier)
        return first and not elsewhere(kw)

    return {
        "request": {"id": r.id if r else "", "text": text, "disclose": bool(r and r.disclose), "label": label},
        "question": {"number": q.number if q else 0, "title": q.title if q else "", "text": q.text if q else ""},
        "requests": [{"id": p.id, "text": p.text} for p in peers], "first": first,
        "asks": asks, "elsewhere": elsewhere, "answer_here": answer_here, "answer_once": answer_once,
    }


class Answerer:
    """Fills each request's answer from its top topic's template, then mirrors the request's parts."""

    def __init__(self, company: Any, names: Names, bank_topics: Mapping[str, Any], templates_dir: str | Path | None = None,
                 learned: Any = None):
        self.company = company
        self.learned = learned  # drafter.compose.learned.LearnedTemplates: ahead of the bank's for their topics
        self.learned_used: list[tuple[str, str]] = []  # (request id, learned template name)
        self.names = names
        self.bank_topics = bank_topics
        self.templates_dir = templates_dir
        self._ctx: dict[str, tuple[dict, dict]] = {}
        self._blocks: dict[str, list[Block]] = {}
        self._labels: dict[str, str] = {}
        self._seen: dict[tuple, str] = {}

    def template_for(self, topic_id: str | None) -> str | None:
        if not topic_id:
            return None
        t = self.bank_topics.get(topic_id)
        names = list(getattr(t, "templates", None) or []) + [f"answers/{topic_id}.j2"]
        for n in names:
            if n.startswith("answers/") and template_exists(n, self.templates_dir):
                return n
        return None

    def context(self, topic_id: str) -> tuple[dict, dict]:
        if topic_id not in self._ctx:
            self._ctx[topic_id] = computed.context_for(topic_id, self.company, self.names)
        return self._ctx[topic_id]

    # ----------------------------------------------------------------------------- rendering

    def render(self, topic: str, q: Question, r: Request | None, peers: Sequence[Request], label: str = "") -> list[Block]:
        """The topic's template for one request (`r` None: for the question itself, which asks only
        the intermediaries). `peers`: the question's requests rendered with the same template."""
        name = self.template_for(topic)
        if name is None:
            return []
        ctx, tables = self.context(topic)
        ctx = {**ctx, **request_context(q, r, peers, label)}
        parts = render_parts(name, ctx, tables, self.templates_dir)
        first = ctx["first"]
        answer_here = ctx["answer_here"]
        if not any(p.keywords for p in parts):  # no part(): the template branched with asks() itself
            return [b for p in parts for b in p.blocks]
        out: list[Block] = []
        for p in parts:  # old templates: a keyword part goes where it is asked (else the first request)
            if (answer_here("|".join(p.keywords)) if p.keywords else first):
                out += p.blocks
        return out

    def render_learned(self, topic: str, lt: Any, q: Question, r: Request, label: str) -> list[Block]:
        """A learned template (drafter template learn) for one request: rendered whole."""
        from .templating import render_blocks

        ctx, tables = self.context(topic)
        ctx = {**ctx, **request_context(q, r, [r], label)}
        return render_blocks(lt.name, ctx, tables, self.learned.folder)

    def _dedup(self, blocks: list[Block], label: str) -> list[Block]:
        """A table this question printed above becomes a pointer to where it is (its lead-in line too)."""
        out: list[Block] = []
        for b in blocks:
            if isinstance(b, Table):
                key = _table_key(b)
                where = self._seen.get(key)
                if where is None or where == label:
                    self._seen.setdefault(key, label)
                    out.append(b)
                    continue
                if out and isinstance(out[-1], Paragraph) and out[-1].style == "body" \
                        and _LEADS_INTO_TABLE.search(out[-1].text.strip()):
                    out.pop()  # "…如下:" leads into a table that is not here
                if out and isinstance(out[-1], Paragraph) and out[-1].text == pointer(where).text:
                    continue
                out.append(pointer(where))
            else:
                out.append(b)
        return out

    def start_question(self, q: Question, request_topics: Mapping[str, list[str]], question_topics: Sequence[str],
                       labels: Mapping[str, str] | None = None) -> None:
        """Render each request's template (in letter order, so a table is printed where first asked).

        `labels`: how the reply numbers each request's subheading ("(二)", "二、(一)"), for pointers.
        """
        from .verify import cn_index

        self._blocks, self._seen = {}, {}
        self._labels = dict(labels or {})
        for i, r in enumerate(q.requests, 1):
            self._labels.setdefault(r.id, f"({cn_index(i)})")
        top: dict[str, str] = {}
        peers: dict[str, list[Request]] = {}
        learned: dict[str, Any] = {}
        for r in q.requests:
            topics = list(request_topics.get(r.id, [])) or list(question_topics)
            lt = self.learned.pick(topics[0], r.text) if self.learned is not None and topics else None
            if lt is not None:
                learned[r.id] = (topics[0], lt)
            elif topics and self.template_for(topics[0]):
                top[r.id] = topics[0]
                peers.setdefault(topics[0], []).append(r)
        for r in q.requests:
            if r.id in learned:
                label = self._labels.get(r.id, "")
                blocks = self._dedup(self.render_learned(*learned[r.id], q, r, label), label)
                if blocks:
                    self._blocks[r.id] = blocks
                    self.learned_used.append((r.id, learned[r.id][1].name))
                continue
            if r.id not in top:
                continue
            label = self._labels.get(r.id, "")
            blocks = self._dedup(self.render(top[r.id], q, r, peers[top[r.id]], label), label)
            if blocks:
                self._blocks[r.id] = blocks

    def question_answer(self, q: Question, question_topics: Sequence[str]) -> list[Block]:
        """The answer of a question that asks only the intermediaries: its top topic's template, whole."""
        for t in list(question_topics)[:1]:
            if self.template_for(t):
                return _number_h4(self.render(t, q, None, [], ""))
        return []

    def has_own_answer(self, r: Request) -> bool:
        """Whether a template answers this request itself (after start_question for its question)."""
        return r.id in self._blocks

    # ----------------------------------------------------------------------------- mirrored parts

    def _evidence(self, topic: str | None, ask: Ask) -> str:
        t = self.bank_topics.get(topic) if topic else None
        ev = [str(e) for e in (getattr(t, "evidence", None) or [])]
        mine = _bigrams(ask.text)
        chosen = [e for e in ev if len(mine & _bigrams(e)) >= 2][:2] or ev[:1]
        fields = _field_words((getattr(t, "data_fields", None) or [])[:4]) if ask.kind == "basis" else ""
        words = "、".join(chosen)
        if fields:
            words = f"{words}；公司数据：{fields}" if words else f"公司数据：{fields}"
        return words

    def _placeholder_for(self, ask: Ask, topic: str | None, last: bool, had_basis: bool) -> str:
        ev = self._evidence(topic, ask)
        src = f"（依据：{ev}）" if ev else "（依据：相关合同、台账、访谈记录等底稿）"
        said = f"“{ask.text}”"  # the letter's words, quoted (drafter review leaves quotes of the letter alone)
        if ask.kind == "basis":
            return f"列示{said}的具体事实与数据，并说明其对本项所问事项的影响{src}"
        lead = "结合上述各项，" if last and had_basis else ""
        if ask.kind == "whether":
            return f"{lead}就{said}说明核实的事实，结论（是/否）须经核实后填写{src}"
        return f"{lead}说明{said}的具体情况、原因及依据{src}"

    def mirrored(self, r: Request, topic: str | None, template_blocks: Sequence[Block]) -> list[Block]:
        """Numbered sub-answers for the parts of the request the template did not cover."""
        heads: list[str] = []  # each template section's text: its heading and what follows it
        for b in template_blocks:
            if isinstance(b, Paragraph) and (b.style == "heading4" or not heads):
                heads.append(b.text)
            elif isinstance(b, Paragraph):
                heads[-1] += b.text
        parts = split_request(r.text)
        todo = [a for a in parts if not covered_by(a, heads)]
        if not todo:
            return []
        had_basis = any(a.kind == "basis" for a in parts)
        if len(todo) == 1 and not template_blocks:
            a = todo[0]
            return [_ph(self._placeholder_for(a, topic, True, had_basis))]
        out: list[Block] = []
        from ..vocab import ABSOLUTE

        for i, a in enumerate(todo):
            # a heading in the letter's words that drafter review would read as ours (确保…) is quoted
            out.append(Paragraph.of(f"关于“{a.text}”" if ABSOLUTE.search(a.text) else a.heading, "heading4"))
            out.append(_ph(self._placeholder_for(a, topic, i == len(todo) - 1, had_basis)))
        return out

    def answer(self, q: Question, r: Request, topics: Sequence[str], index: int) -> list[Block]:
        top = topics[0] if topics else None
        own = list(self._blocks.get(r.id, []))
        blocks = own + self.mirrored(r, top, own)
        if not blocks:
            t = self.bank_topics.get(top) if top else None
            tname = getattr(t, "name", top) if top else None
            what = f"{tname}——逐项说明本项所问的具体事实、原因及依据" if tname else "逐项回应本项要求所列事项,说明具体事实、原因及依据"
            blocks = [_ph(what)]
        return _number_h4(blocks)


def _ph(text: str) -> Paragraph:
    return Paragraph(style="body", runs=[Run(text=f"【待补充:{text}】", placeholder=True)])
