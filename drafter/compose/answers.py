"""The answer under each request: the matched topic's template filled with company data, or a
highlighted placeholder that says which facts and data a person must supply."""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..document import Block, Paragraph, Run
from ..models import Question, Request
from ..templating import render_parts, template_exists
from . import computed
from .context import Names

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
}


def _field_words(fields: Sequence[str]) -> str:
    """The company data a person can draw on, in words (technical paths without a name are left out)."""
    try:
        from ..company.model import FINANCIAL_LABELS
    except Exception:  # pragma: no cover
        FINANCIAL_LABELS = {}
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


class Answerer:
    """Fills each request's answer from the matched topic's template.

    A topic's template is rendered once per question. When several requests of a question share the
    topic, the template's parts (`{{ part("kw1|kw2") }}`) go under the request whose text names their
    keywords; a request left without a part points to the answer above and asks for its own facts.
    """

    def __init__(self, company: Any, names: Names, bank_topics: Mapping[str, Any], templates_dir: str | Path | None = None):
        self.company = company
        self.names = names
        self.bank_topics = bank_topics
        self.templates_dir = templates_dir
        self._ctx: dict[str, tuple[dict, dict]] = {}
        self._blocks: dict[str, list[Block]] = {}
        self._main: dict[str, str] = {}  # topic -> id of the request holding most of its answer
        self._labels: dict[str, str] = {}
        self._index: dict[str, int] = {}

    def template_for(self, topic_id: str) -> str | None:
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

    def start_question(self, q: Question, request_topics: Mapping[str, list[str]], question_topics: Sequence[str],
                       labels: Mapping[str, str] | None = None) -> None:
        """Render the templates this question needs and place their parts under its requests.

        `labels`: how the reply numbers each request's subheading ("(二)", "二、(一)"), for cross-references.
        """
        from .verify import cn_index

        self._blocks, self._main = {}, {}
        self._labels = dict(labels or {})
        for i, r in enumerate(q.requests, 1):
            self._labels.setdefault(r.id, f"({cn_index(i)})")
        self._index = {r.id: i for i, r in enumerate(q.requests, 1)}
        by_topic: dict[str, list[Request]] = {}
        for r in q.requests:
            topics = list(request_topics.get(r.id, [])) or list(question_topics)
            if topics and self.template_for(topics[0]):
                by_topic.setdefault(topics[0], []).append(r)
        for topic, reqs in by_topic.items():
            ctx, tables = self.context(topic)
            ctx = {**ctx, "request": {"id": reqs[0].id, "text": reqs[0].text, "disclose": reqs[0].disclose},
                   "requests": [{"id": r.id, "text": r.text} for r in reqs],
                   "question": {"number": q.number, "title": q.title}}
            parts = render_parts(self.template_for(topic), ctx, tables, self.templates_dir)
            placed: dict[str, list[Block]] = {r.id: [] for r in reqs}
            for part in parts:
                scores = [part.score(r.text) for r in reqs]
                best = scores.index(max(scores)) if scores and max(scores) > 0 else 0
                placed[reqs[best].id].extend(part.blocks)
            for rid, blocks in placed.items():
                if blocks:
                    self._blocks[rid] = _number_h4(blocks)
            main = max(reqs, key=lambda r: len(placed[r.id]))
            self._main[topic] = main.id

    def has_own_answer(self, r: Request) -> bool:
        """Whether a template answers this request itself (after start_question for its question)."""
        return r.id in self._blocks

    def _placeholder(self, text: str) -> Paragraph:
        return Paragraph(style="body", runs=[Run(text=f"【待补充:{text}】", placeholder=True)])

    def answer(self, q: Question, r: Request, topics: Sequence[str], index: int) -> list[Block]:
        if r.id in self._blocks:
            return self._blocks[r.id]
        if not topics:
            return [self._placeholder("逐项回应本项要求所列事项,说明具体事实、原因及依据")]
        top = topics[0]
        t = self.bank_topics.get(top)
        tname = getattr(t, "name", top)
        if top in self._main:
            where = self._labels.get(self._main[top], "")
            return [
                Paragraph(
                    style="body",
                    runs=[
                        Run(text=f"相关数据及分析参见本题“{where}”的回复。"),
                        Run(text="【待补充:本项需另行说明的事实】", placeholder=True),
                    ],
                )
            ]
        fields = _field_words(getattr(t, "data_fields", None) or [])
        need = f";可参考的公司数据:{fields}" if fields else ""
        return [self._placeholder(f"{tname}——逐项说明本项所问的具体事实、原因及依据{need}")]
