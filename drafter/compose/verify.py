"""Section 二、中介机构核查情况: procedures and opinions for exactly the parties (and scopes) asked.

Parties keep the letter's words (保荐人 vs 保荐机构, 发行人律师 vs 律师). Parties with the same scope
share one block; a party asked about fewer requests gets its own block naming that scope. Procedures
come from the bank entries of the topics most relevant to the block's scope (by matcher score, at most
MAX_PROCEDURES per block; weak or `other` matches get generic steps and a placeholder); conclusions
(drafter/compose/conclude.py) mirror each request in scope and are all marked for confirmation. An ask
printed inside an item (…;请发行人律师就X发表核查意见) is concluded by its own party: a line of the
block when that party is the whole block, else its own `经核查,X针对(n)事项认为:` after it.

A 是否 ask is concluded as a choice for the reviewer (【待核实:不存在/存在】) unless the company data decides
it (`company`: the same computed figures the answer above uses), then the sentence names its figure. An ask
that names its own subject (请发行人律师就(1)中项目备案、环评情况进行核查) gets procedures and a conclusion
about that subject (drafter/data/rules/conclusions.yaml `subjects:`), and, for receivables or revenue, a
coverage table (函证/走访/细节测试 × periods, 核查比例 computed from the amounts once filled).
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..document import Block, Paragraph, Run, Table
from ..models import Question, Request, Verification
from .context import Names, join_parties
from .parties import KIND_ORDER, kinds_of, party_kind, procedure_kinds
from .conclude import ask_point, ask_subjects, conclude, mirror, needs_confirmation, own_text  # noqa: F401  (mirror: re-exported)
from .typography import nfkc

CN_NUM = "一二三四五六七八九十"
CONFIRM = "【待核实】"
EXTRA_DEMANDS = ("核查方法", "核查范围", "核查比例", "核查过程", "核查手段", "取得的证据", "核查证据", "函证", "走访", "监盘")
MAX_PROCEDURES = 10  # per party block, the most relevant topics' first
STRONG = 30.0  # a matcher score (0-100) below which a topic is too weak to lend its procedures
# when the bank has nothing for a party's kind: general steps, in our words, and a prompt to complete
GENERIC = {
    "sponsor": ["查阅与本题事项相关的合同、凭证、内部决策文件及公开披露资料", "访谈发行人管理层及相关业务负责人,了解相关事项的背景及具体情况"],
    "auditor": ["获取与本题事项相关的明细账及原始凭证,复核会计处理及金额的准确性", "执行分析性复核程序,分析相关科目变动的原因"],
    "lawyer": ["查阅与本题事项相关的合同、协议、决策文件及工商登记资料", "访谈发行人相关人员并取得其书面确认", "通过国家企业信用信息公示系统、裁判文书网等公开渠道进行检索"],
}


def cn_index(i: int) -> str:
    """1 -> 一, 11 -> 十一, 21 -> 二十一."""
    if i <= 10:
        return CN_NUM[i - 1]
    tens, ones = divmod(i, 10)
    return (CN_NUM[tens - 1] if tens > 1 else "") + "十" + (CN_NUM[ones - 1] if ones else "")


class Group:
    """Parties that verify the same requests."""

    def __init__(self, parties: list[str], ids: list[str], label: str | None, asks: list[Verification],
                 kinds: dict[str, str] | None = None):
        self.parties = parties
        self.party_kinds = dict(kinds or {})  # party as named -> its kind (Verification.kinds)
        self.ids = ids
        self.label = label  # None when the whole question
        self.asks = asks

    @property
    def who(self) -> str:
        return join_parties(self.parties)

    def kind(self, party: str) -> str:
        return self.party_kinds.get(party) or party_kind(party)

    @property
    def kinds(self) -> list[str]:
        """The parties' kinds (sponsor, financial_advisor, auditor, lawyer, appraiser, directors …)."""
        return sorted({self.kind(p) for p in self.parties}, key=lambda k: KIND_ORDER.get(k, 9))

    @property
    def procedure_kinds(self) -> list[str]:
        """The bank procedure keys the group performs (独立财务顾问: the sponsor's)."""
        out: list[str] = []
        for k in self.kinds:
            for pk in procedure_kinds(k):
                if pk not in out:
                    out.append(pk)
        return out

    @property
    def without_procedures(self) -> list[str]:
        """Parties the bank has no procedures for (评估机构, 独立董事 …), as named."""
        return [p for p in self.parties if not procedure_kinds(self.kind(p))]


def _ask_ids(q: Question, v: Verification) -> list[str]:
    all_ids = [r.id for r in q.requests]
    if v.scope_ids:
        return [i for i in all_ids if i in set(v.scope_ids)] or list(v.scope_ids)
    if v.section:
        sec = next((s for s in q.sections if s.label == v.section), None)
        if sec and sec.request_ids:
            return list(sec.request_ids)
    return all_ids


def _ask_label(q: Question, v: Verification) -> str | None:
    if v.scope and v.scope != "全部":
        return v.scope
    if v.section:
        return v.section
    return None


def groups(q: Question) -> list[Group]:
    """Group the question's verification asks by party, then parties by identical scope."""
    all_ids = [r.id for r in q.requests]
    per_party: dict[str, tuple[list[str], list[str | None], list[Verification]]] = {}
    kinds: dict[str, str] = {}
    for v in q.verification:
        ids = _ask_ids(q, v)
        label = _ask_label(q, v)
        for p, k in zip(v.parties, kinds_of(v)):
            kinds.setdefault(p, k)
            cur = per_party.setdefault(p, ([], [], []))
            for i in ids:
                if i not in cur[0]:
                    cur[0].append(i)
            if label not in cur[1]:
                cur[1].append(label)
            cur[2].append(v)
    out: dict[tuple[str, ...], Group] = {}
    for p, (ids, labels, asks) in per_party.items():
        ids_sorted = [i for i in all_ids if i in ids] + [i for i in ids if i not in all_ids]
        whole = None in labels or set(all_ids) <= set(ids_sorted)
        key = ("*",) if whole else tuple(ids_sorted)
        g = out.get(key)
        if g is None:
            label = None if whole else "、".join(lbl for lbl in labels if lbl)
            out[key] = Group([p], all_ids if whole else ids_sorted, label, list(asks), kinds)
        else:
            g.parties.append(p)
            g.asks.extend(a for a in asks if a not in g.asks)
    for g in out.values():
        g.parties.sort(key=lambda p: KIND_ORDER.get(g.kind(p), 9))
    # the whole-question block first, then narrower scopes in letter order
    return sorted(out.values(), key=lambda g: (g.label is not None, all_ids.index(g.ids[0]) if g.ids and g.ids[0] in all_ids else 99))


# ---------------------------------------------------------------- conclusions mirroring requests
# (the sentences themselves: drafter/compose/conclude.py)


def _inside(v: Verification, r: Request) -> bool:
    """An ask printed inside the request's own words (…;请发行人律师就X发表核查意见)."""
    a = nfkc(v.text).strip().rstrip(";。,")
    return bool(a) and a in nfkc(r.text) and r.id in (v.scope_ids or [r.id])


def _opens_with(v: Verification, r: Request) -> bool:
    a = nfkc(v.text).strip().rstrip(";。,")
    return bool(a) and nfkc(r.text).strip().startswith(a)


def _gist(text: str, n: int = 40) -> str:
    first = re.split(r"[;。]", own_text(text) or nfkc(text).strip())[0]
    return first if len(first) <= n else first[:n] + "…"


# ---------------------------------------------------------------- blocks


def _para(*runs: Run, style: str = "body") -> Paragraph:
    return Paragraph(style=style, runs=[r for r in runs if r.text])


def _ph(text: str) -> Run:
    return Run(text=text if text.startswith("【") else f"【待补充:{text}】", placeholder=True)


def _conclusion(n: int, lines: list[str]) -> Paragraph:
    """`n、A【待核实:不存在/存在】B;C具有合理性【待核实】。` — a choice is the reviewer's to make, a judgement
    (quality, plain statement) is marked 【待核实】, a sentence the data decides names its figure; a
    placeholder line stays a placeholder."""
    if len(lines) == 1 and lines[0].startswith("【"):
        return _para(Run(text=f"{n}、"), _ph(lines[0]), Run(text="。"))
    runs: list[Run] = [Run(text=f"{n}、")]
    said = [c for c in lines if not c.startswith("【")]
    for i, c in enumerate(said):
        runs += _choice_runs(c)
        if needs_confirmation(c):
            runs.append(Run(text=CONFIRM, placeholder=True))
        if i < len(said) - 1:
            runs.append(Run(text=";"))
    runs.append(Run(text="。"))
    return _para(*runs)


def _choice_runs(text: str) -> list[Run]:
    """A sentence's words with each 【待核实:A/B】 choice as a placeholder run (highlighted for the reviewer)."""
    out: list[Run] = []
    figures = list(getattr(text, "figures", None) or [])  # a decided sentence's figures, with provenance
    for part in re.split(r"(【待核实[:：][^】]*】)", text):
        if not part:
            continue
        if figures and not part.startswith("【"):
            out.extend(_figure_runs(part, figures))
        else:
            out.append(Run(text=part, placeholder=part.startswith("【")))
    return out


def _figure_runs(part: str, figures: list) -> list[Run]:
    """`part` with the decided sentence's figures (in order) as runs carrying their provenance."""
    out: list[Run] = []
    pos = 0
    while figures:
        shown, source = figures[0]
        i = part.find(shown, pos)
        if i < 0:
            break
        figures.pop(0)
        if i > pos:
            out.append(Run(text=part[pos:i]))
        out.append(Run(text=shown, source=source))
        pos = i + len(shown)
    if pos < len(part):
        out.append(Run(text=part[pos:]))
    return out


PER_TOPIC_KIND = 4


def procedures_for(kinds: Sequence[str], topic_ids: Sequence[str], bank_topics: Mapping[str, Any]) -> list[str]:
    """Procedures of the topics in scope for the parties' kinds: topic by topic, each kind's first few."""
    out: list[str] = []
    per = max(3, PER_TOPIC_KIND + 2 - len(topic_ids))
    for tid in topic_ids:
        t = bank_topics.get(tid)
        if t is None:
            continue
        for kind in kinds:
            for p in ((getattr(t, "procedures", None) or {}).get(kind, []) or [])[:per]:
                p = nfkc(p).strip().rstrip(";。")
                if p and p not in out:
                    out.append(p)
    return out[:MAX_PROCEDURES]


def evidence_for(topic_ids: Sequence[str], bank_topics: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    for tid in topic_ids:
        t = bank_topics.get(tid)
        for e in (getattr(t, "evidence", None) or []) if t is not None else []:
            e = nfkc(e).strip().rstrip(";。")
            if e and e not in out:
                out.append(e)
    return out


def _topics_in_scope(ids: Sequence[str], request_topics: Mapping[str, list[str]], question_topics: Sequence[str],
                     scores: Mapping[str, Mapping[str, float]] | None = None) -> list[str]:
    """The topics whose procedures a block lists, most relevant first. With the matcher's scores
    (`scores[""]` the question's, `scores[request id]` each request's): every topic weighed by its
    question score plus its scores on the requests in scope; `other` and topics never scored
    STRONG anywhere in scope are left out, as are those under half the best weight."""
    if scores:
        weight: dict[str, float] = {}
        strong: set[str] = set()
        for key in ["", *ids]:
            for rank, (tid, sc) in enumerate(sorted((scores.get(key) or {}).items(), key=lambda kv: -kv[1])):
                if rank >= (3 if key == "" else 2):
                    break
                weight[tid] = weight.get(tid, 0.0) + sc
                if sc >= STRONG:
                    strong.add(tid)
        ranked = sorted((t for t in weight if t in strong and t != "other"), key=lambda t: -weight[t])
        if ranked:
            best = weight[ranked[0]]
            return [t for t in ranked if weight[t] >= best / 2][:3]
        if any(scores.get(k) for k in ["", *ids]):
            return []  # matched only weakly or to `other`: generic procedures and a placeholder
    out: list[str] = []
    for t in question_topics[:1]:
        if t not in out:
            out.append(t)
    for i in ids:
        for t in request_topics.get(i, [])[:1]:
            if t not in out:
                out.append(t)
    return out


def verification_blocks(
    q: Question,
    names: Names,
    request_topics: Mapping[str, list[str]],
    question_topics: Sequence[str],
    bank_topics: Mapping[str, Any],
    periods: Sequence[str] = (),
    heading_no: int = 2,
    scores: Mapping[str, Mapping[str, float]] | None = None,
    company: Any = None,
) -> list[Block]:
    """`二、中介机构核查情况` for the question, or [] when the letter asks no verification.

    `company`: the company data; a 是否 point its computed figures decide (财务性投资 30%, 扣除, 累计债券余额
    50%) is concluded with the figure, the same the answer above uses (drafter/compose/computed.py)."""
    if not q.verification:
        return []
    gs = groups(q)
    reqs = {r.id: r for r in q.requests}
    sub = 0
    figures = _figures(company, names)
    subjects = _subject_asks(q)  # (ask, subject, general) for asks naming their own subject

    def subhead(text: str) -> Paragraph:
        nonlocal sub
        sub += 1
        return Paragraph.of(f"({cn_index(sub)}){text}", "heading3")

    who_all = join_parties([p for g in gs for p in g.parties])
    title = f"{who_all}核查情况" if names.self_answered and len(gs) == 1 else "中介机构核查情况"
    blocks: list[Block] = [Paragraph.of(f"{cn_index(heading_no)}、{title}", "heading2")]

    # (一) 核查程序
    blocks.append(subhead("核查程序"))
    for g in gs:
        scope = f"针对{g.label}事项" if g.label else ""
        blocks.append(Paragraph.of(f"{g.who}{scope}履行了以下核查程序:"))
        topic_ids = _topics_in_scope(g.ids, request_topics, question_topics, scores)
        pkinds = g.procedure_kinds
        mine = [(v, subj, gen) for v, subj, gen in subjects if v in g.asks]
        only_subjects = bool(mine) and not any(gen for _, _, gen in mine) and all(
            any(v is a for a, _, _ in mine) for v in g.asks)
        own_procs = [p for _, subj, _ in mine for p in subject_procedures(subj)] if pkinds else []
        unruled = [subj for _, subj, _ in mine if subject_rule(subj) is None]  # a placeholder names each
        procs = [] if only_subjects else procedures_for(pkinds, topic_ids, bank_topics)
        procs = list(dict.fromkeys(own_procs + procs))[:MAX_PROCEDURES + len(own_procs)]
        generic = not procs and bool(pkinds)
        if generic:
            procs = [p for k in pkinds for p in GENERIC.get(k, [])]
        own = g.without_procedures  # 评估机构, 独立董事 …: the bank has none; never another party's
        for n, p in enumerate(procs, 1):
            last = n == len(procs) and not own
            blocks.append(_para(Run(text=f"{n}、{p}。" if last else f"{n}、{p};")))
        n = len(procs)
        for subj in unruled if pkinds else []:
            n += 1
            blocks.append(_para(Run(text=f"{n}、"), _ph(f"针对{subj}实际执行的核查程序(查阅的文件、访谈对象、函证或走访范围)")))
        if generic and not unruled:
            n += 1
            blocks.append(_para(Run(text=f"{n}、"), _ph("问题库未提供本题的专门核查程序,请补充针对本题事项实际执行的程序")))
        for p in own:
            n += 1
            blocks.append(_para(Run(text=f"{n}、"), _ph(f"{p}针对本题事项履行的核查程序")))

    # (二) 核查意见
    blocks.append(subhead("核查意见"))
    for g in gs:
        scope = f"针对{g.label}事项" if g.label else ""
        blocks.append(Paragraph.of(f"经核查,{g.who}{scope}认为:"))
        n = 0
        narrower: list[tuple[list[str], Request, list[str]]] = []  # points asked of some of the group only
        topic_ids = _topics_in_scope(g.ids, request_topics, question_topics, scores)
        forms = _bank_conclusions(topic_ids, bank_topics)
        mine = [(v, subj, gen) for v, subj, gen in subjects if v in g.asks]
        only_subjects = bool(mine) and not any(gen for _, _, gen in mine) and all(
            any(v is a for a, _, _ in mine) for v in g.asks)
        for rid in ([] if only_subjects else g.ids):
            r: Request | None = reqs.get(rid)
            if r is None:
                continue
            inside = [v for v in q.verification if _inside(v, r)]
            embedded = [v.text for v in inside if not _opens_with(v, r)]
            lines = conclude(own_text(r.text, embedded), r.disclose, figures=figures, forms=forms)
            for v in inside:
                if _opens_with(v, r):
                    continue
                point = ask_point(v.text)
                found = conclude(point, figures=figures, forms=forms) if point else []
                if not point:
                    continue
                if not found:
                    found = [f"【待补充:就“{_gist(point, 24)}”的核查结论】"]
                inter = [p for p in g.parties if p in v.parties]
                if inter == g.parties:
                    lines += [c for c in found if c not in lines]
                elif inter:
                    narrower.append((inter, r, found))
            n += 1
            if lines:
                blocks.append(_conclusion(n, lines))
            else:
                blocks.append(_para(Run(text=f"{n}、"), _ph(f"就“{_gist(r.text, 24)}”的核查结论"), Run(text="。")))
        subject_lines: list[tuple[list[str], str]] = []  # (parties when only some of the group, subject)
        for v, subj, _ in mine:
            inter = [p for p in g.parties if p in v.parties]
            if inter == g.parties:
                n += 1
                blocks.append(_subject_conclusion(n, subj))
            elif inter:
                subject_lines.append((inter, subj))
        if n == 0:
            blocks.append(_para(Run(text="1、"), _ph("核查结论"), Run(text="。")))
        for parties, subj in subject_lines:
            blocks.append(Paragraph.of(f"经核查,{join_parties(parties)}针对{subj}认为:"))
            blocks.append(_subject_conclusion(1, subj))
        for parties, r, found in narrower:
            label = r.label.strip() or "本题"
            blocks.append(Paragraph.of(f"经核查,{join_parties(parties)}针对{label}事项认为:"))
            blocks.append(_conclusion(1, found))

    # an ask naming its own subject of a kind that needs coverage figures (函证/走访/细节测试 with 核查比例)
    done: set[str] = set()
    for v, subj, _ in subjects:
        rule = subject_rule(subj)
        if rule is None or "coverage" not in rule.tables or subj in done:
            continue
        done.add(subj)
        blocks.append(subhead(f"关于{subj}的核查范围及核查比例"))
        blocks.append(_para(Run(text=f"{join_parties(v.parties)}针对{subj}执行的函证、走访及细节测试的核查金额及核查比例如下:")))
        blocks.append(coverage_table(rule.base or "revenue", company, periods))

    # extra demands: method / scope / ratio (with the tables to fill), evidence; then any other named check
    asks = [a for g in gs for a in g.asks]
    demands = list(dict.fromkeys(d for a in asks for d in a.demands))
    method = [d for d in demands if any(k in d for k in EXTRA_DEMANDS)]
    if method:
        blocks.append(subhead("核查方法、核查范围、核查比例及取得的证据"))
        who = join_parties([p for a in asks if any(d in method for d in a.demands) for p in a.parties])
        blocks.append(_para(Run(text=f"{who}对相关事项采取的核查方法、核查范围及取得的证据如下:"), _ph("核查方法、核查范围及取得的证据")))
        for t in ratio_tables(method, periods):
            if done and t[0].startswith(("函证", "走访")):
                continue  # the coverage table above has the 函证 and 走访 rows
            blocks.append(Paragraph.of(t[0]))
            blocks.append(t[1])
    for d in demands:
        if d in method or d in ("核查程序", "核查结论", "核查意见"):
            continue
        blocks.append(subhead(f"关于{d}"))
        who = join_parties([p for a in asks if d in a.demands for p in a.parties])
        blocks.append(_para(Run(text=f"{who}关于{d}的具体情况如下:"), _ph(f"{d}的范围、方法、结果及结论")))
    if any(a.workpapers for g in gs for a in g.asks):
        blocks.append(subhead("工作底稿"))
        who = join_parties([p for g in gs for a in g.asks if a.workpapers for p in a.parties])
        blocks.append(Paragraph.of(f"{who}已将以下核查资料归入工作底稿,并随本回复一并提交:"))
        topic_ids = _topics_in_scope([i for g in gs for i in g.ids], request_topics, question_topics)
        ev = evidence_for(topic_ids, bank_topics)
        if not ev:
            blocks.append(_para(Run(text="1、"), _ph("工作底稿清单")))
        for n, e in enumerate(ev, 1):
            blocks.append(_para(Run(text=f"{n}、{e}{';' if n < len(ev) else '。'}")))
    return blocks


# ---------------------------------------------------------------- asks naming their own subject


def _subject_asks(q: Question) -> list[tuple[Verification, str, bool]]:
    """Asks that name what to verify (请申报会计师说明对应收账款账面价值真实性的核查过程), not printed inside
    a request (those are concluded with the request): (ask, subject, also asks a general opinion)."""
    out = []
    for v in q.verification:
        if any(_inside(v, r) for r in q.requests):
            continue
        subjects, general = ask_subjects(v.text)
        out += [(v, subj, general) for subj in subjects]
    return out


def subject_rule(subject: str):
    """The rules file's entry for a verification subject (procedures, tables), or None."""
    from .conclusion_rules import rules

    for pat, rule in rules().subjects:
        if pat.search(subject):
            return rule
    return None


def subject_procedures(subject: str) -> list[str]:
    rule = subject_rule(subject)
    return [nfkc(p).strip().rstrip(";。") for p in (rule.procedures if rule else [])]


def _subject_conclusion(n: int, subject: str) -> Paragraph:
    """The conclusion about an ask's own subject: its qualities or 是否 asks, else a placeholder naming it."""
    lines = conclude(subject) if re.search(r"是否|性$|性、", subject) else []
    if lines:
        return _conclusion(n, [f"针对{subject}," + lines[0], *lines[1:]] if not lines[0].startswith(subject[:4]) else lines)
    return _para(Run(text=f"{n}、针对{subject},"), _ph(f"{subject}的核查结论(逐项对照取得的证据说明核查结果)"), Run(text="。"))


def _figures(company: Any, names: Names):
    """The topics' computed figures (the answer templates' `f`), or None without company data."""
    if company is None:
        return None
    from . import computed

    cache: dict[str, Mapping[str, Any]] = {}

    def figures(topic_id: str) -> Mapping[str, Any]:
        if topic_id not in cache:
            cache[topic_id] = computed.context_for(topic_id, company, names)[0].get("f") or {}
        return cache[topic_id]

    return figures


def _bank_conclusions(topic_ids: Sequence[str], bank_topics: Mapping[str, Any]) -> list[str]:
    return [c for tid in topic_ids for c in (getattr(bank_topics.get(tid), "conclusions", None) or [])]


COVERAGE_METHODS = ("函证", "走访", "细节测试")
_BASE_LABEL = {"revenue": "营业收入", "accounts_receivable_balance": "应收账款余额",
               "accounts_receivable": "应收账款账面价值", "inventory": "存货余额"}


def coverage_table(base: str, company: Any, periods: Sequence[str]) -> Table:
    """Rows 函证/走访/细节测试 (核查金额, 核查比例) against the base amount, one column per period (latest
    first). The base comes from the company data; the checked amounts are the team's to fill, and a ratio
    is computed only when both amounts are known."""
    from .. import numbers as N
    from . import computed

    keys = [p for p in reversed(list(periods))]
    balance = base != "revenue"
    labels = [(N.period_end_label(p) if balance else N.period_label(p)) if N.is_period_key(p) else p for p in keys]
    what = _BASE_LABEL.get(base, base)
    amounts = [computed.fin(company, base, p) if company is not None and N.is_period_key(p) else None for p in keys]
    if not keys:
        labels, amounts = ["【报告期各期】"], [None]
    rows = [[what] + [N.fmt_amount(a) if a is not None else "【待补充】" for a in amounts]]
    for m in COVERAGE_METHODS:
        rows.append([f"{m}核查金额"] + ["【待补充】"] * len(labels))
        rows.append([f"{m}核查比例"] + ["【待计算】"] * len(labels))
    t = Table(unit="万元", header=[["项目", *labels]], rows=rows, numeric_cols=list(range(1, len(labels) + 1)),
              notes=[f"注:核查比例=核查金额/{what};{what}取自公司财务数据,核查金额按实际执行的函证、走访及细节测试填列。"])
    if company is not None:  # what rebuilds it from a new company file (drafter update)
        t.source = {"kind": "coverage", "args": {"base": base}}
    return t


def _rows(labels: Sequence[str], n: int) -> list[list[str]]:
    return [[lb] + ["【待填】"] * n for lb in (list(reversed(labels)) or ["【报告期各期】"])]


def ratio_tables(demands: Sequence[str], periods: Sequence[str]) -> list[tuple[str, Table]]:
    """Skeletons for the ratios a letter demands: amounts to fill, ratios to compute from them once filled.

    `periods`: period keys (2025, 2026H1); rows are latest first.
    """
    from .. import numbers as N

    labels = [N.period_label(p) if N.is_period_key(p) else p for p in periods]
    ends = [N.period_end_label(p) if N.is_period_key(p) else p for p in periods]
    text = "、".join(demands)
    out: list[tuple[str, Table]] = []
    if any(k in text for k in ("函证", "回函", "核查比例")):
        out.append(("函证情况如下:", Table(
            unit="万元",
            header=[["期间", "核查基数", "函证金额", "函证比例", "回函确认金额", "回函比例"]],
            rows=_rows(labels, 5), numeric_cols=[1, 2, 3, 4, 5],
            notes=["注:函证比例=函证金额/核查基数;回函比例=回函确认金额/函证金额;核查基数为当期营业收入或期末应收账款余额。"])))
    if "走访" in text:
        out.append(("走访情况如下:", Table(
            unit="万元", header=[["期间", "营业收入", "走访客户收入", "走访比例"]],
            rows=_rows(labels, 3), numeric_cols=[1, 2, 3],
            notes=["注:走访比例=走访客户收入/营业收入。"])))
    if "监盘" in text:
        out.append(("存货监盘情况如下:", Table(
            unit="万元", header=[["期末", "存货余额", "监盘金额", "监盘比例"]],
            rows=_rows(ends, 3), numeric_cols=[1, 2, 3],
            notes=["注:监盘比例=监盘金额/存货余额。"])))
    return out
