"""Precedents for the requests the draft leaves to a person, from the team's precedent library
(drafter.library), in one of two forms (`drafter draft --precedents comments|inline`):

- comments: the three closest past answers as Word comment text beside the request (an excerpt each);
- inline: the closest past answer (score >= INLINE_MIN_SCORE) as a shaded block in the answer, which
  starts `【参考先例` and names its source, with the precedent issuer's names and intermediaries
  replaced by this issuer's and every figure, date and proper name from the precedent highlighted
  to verify (`Run.verify`). A precedent is someone else's facts: `drafter review` counts every block
  left in a reply as blocking, and the blocks never reach the 核查意见.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..document import Paragraph, Run
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


# ---- inline: the closest past answer, adapted to this issuer, as a shaded block in the draft -----
MARK = "【参考先例"  # every precedent block starts with it (drafter review counts them as blocking)
END = "【先例止】"  # the block's last paragraph: delete from MARK to here once rewritten
INLINE_MIN_SCORE = 30.0  # a weaker match is not worth a block (unrelated requests score 20-25)
INLINE_CHARS = 1500  # the passage is cut after about this many characters (the source has it all)
_ORG_SUFFIX = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|集团股份有限公司|集团有限公司)$")
_REGION = re.compile(r"^(?:[\u4e00-\u9fff]{1,4}?(?:省|市|自治区|特别行政区|县|区))+")
_NOT_CORE = {"中国", "国家", "上海", "北京", "深圳", "广东", "浙江", "江苏", "华东", "华南", "科技", "电子", "股份"}
_NAME_CHARS = r"[^\s，,。；;：:、“”\"《》()（）【】的与和及向对为在从将是等了或其但而并以于被由至]"
_VERIFY = re.compile(
    r"\d{4}\s*年(?:度|末|初)?(?:\s*\d{1,2}\s*(?:[-－~～至]\s*\d{1,2}\s*)?月(?:末|份)?(?:\s*\d{1,2}\s*日)?)?"  # dates
    r"|\d{6}\.(?:SZ|SH|BJ|sz|sh|bj)"  # stock codes
    rf"|{_NAME_CHARS}{{2,8}}(?=[(（]\d{{6}}\.(?:SZ|SH|BJ))"  # a listed company's name before its code
    r"|[-+－]?\d[\d,，.．]*\s*(?:%|％|个百分点|万元|亿元|元/[\u4e00-\u9fff]+|元|万股|股|倍|家|人|名|台|套|个|项|件|次|天|吨|平方米|万)?"
    rf"|{_NAME_CHARS}{{2,24}}?(?:股份有限公司|有限责任公司|有限公司|会计师事务所|律师事务所|研究院|研究所|大学|银行|合伙企业|(?:[(（](?:有限合伙|特殊普通合伙)[)）]))"
    r"|(?<=[“\"])[^”\"\n]{2,12}(?=[”\"])"  # a quoted short name the precedent defined (以下简称“X”)
)


def issuer_aliases(issuer: str | None, short_names: Sequence[str] = ()) -> tuple[list[str], list[str]]:
    """(names to replace by this issuer's short name, trade-name cores to flag): from the stored
    short names and the full name (温州聚星科技股份有限公司 -> 温州聚星科技, 聚星科技; core 聚星)."""
    names = [s for s in short_names if len(s) >= 2]
    if issuer:
        stem = _ORG_SUFFIX.sub("", issuer)
        bare = _REGION.sub("", stem)
        names += [stem, bare]
        if len(bare) >= 6 and bare == stem:  # a two-character city without 市: 温州聚星科技
            names.append(bare[2:])
    names = [n for n in dict.fromkeys(names) if len(n) >= 3 and n != issuer]
    cores = [n[:2] for n in names if len(n) == 4 and n[:2] not in _NOT_CORE]
    return sorted(names, key=len, reverse=True), list(dict.fromkeys(cores))


def _segments(text: str, subs: list[tuple[str, str, bool]], cores: list[str], core_to: str) -> list[tuple[str, str]]:
    """(text, kind) pieces: kind 'ours' (a replaced name), 'ph' (a name we do not know), 'verify', ''."""
    pieces: list[tuple[str, str]] = []
    keys = [s for s, _, _ in subs] + cores
    if keys:
        alt = re.compile("|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True)))
        to = {s: (t, "ph" if ph else "ours") for s, t, ph in subs}
        for c in cores:
            to.setdefault(c, (core_to, "verify"))
        pos = 0
        for m in alt.finditer(text):
            pieces.append((text[pos:m.start()], ""))
            pieces.append(to[m.group(0)])
            pos = m.end()
        pieces.append((text[pos:], ""))
    else:
        pieces = [(text, "")]
    out: list[tuple[str, str]] = []
    for t, kind in pieces:
        if kind or not t:
            if t:
                out.append((t, kind))
            continue
        pos = 0
        for m in _VERIFY.finditer(t):
            if not m.group(0).strip() or not re.search(r"\d|[\u4e00-\u9fffA-Za-z]{2}", m.group(0)):
                continue
            if _list_label(t, m.start(), m.end()):
                continue
            out.append((t[pos:m.start()], ""))
            out.append((m.group(0), "verify"))
            pos = m.end()
        out.append((t[pos:], ""))
    return [(t, k) for t, k in out if t]


def _list_label(t: str, a: int, b: int) -> bool:
    """1、 (1) ① 2) and the like: a list label, not a figure from the precedent."""
    g = t[a:b]
    if not g.isdigit() or len(g) > 2:
        return False
    before, after = t[a - 1:a], t[b:b + 1]
    return before in "(（" and after in ")）" or (a == 0 or before in "\n 。；;：:") and after in "、.．)）"


def adapt_runs(text: str, p: Any, names: Any) -> list[Run]:
    """A precedent's text as runs for this issuer: the precedent issuer's names and intermediaries
    replaced by ours (a placeholder where ours is unknown), every figure, date and proper name left
    from the precedent flagged `verify`."""
    subs: list[tuple[str, str, bool]] = []
    mine = getattr(names, "issuer", None)
    short = getattr(names, "short", None) or getattr(names, "subject", None) or "发行人"
    pissuer = getattr(p, "issuer", None)
    if pissuer:
        subs.append((pissuer, mine or "【发行人全称】", not mine))
    alias, cores = issuer_aliases(pissuer, getattr(p, "short_names", []) or [])
    subs += [(a, short, False) for a in alias if a != short]
    for role, word in (("sponsor", "保荐机构"), ("auditor", "申报会计师"), ("lawyer", "发行人律师")):
        theirs = getattr(p, role, None)
        ours = getattr(names, role, None)
        from ..library.parties import short_forms

        for i, form in enumerate(short_forms(theirs)):
            if ours and form != ours:
                subs.append((form, ours, False))
            elif not ours:
                subs.append((form, f"【{word}名称】", True))
    subs = [s for s in subs if s[0]]
    cores = [c for c in cores if c not in short]
    runs = []
    for t, kind in _segments(text, subs, cores, short):
        runs.append(Run(text=t, placeholder=kind == "ph", verify=kind == "verify"))
    return runs


def precedent_blocks(p: Any, names: Any, chars: int = INLINE_CHARS) -> list[Paragraph]:
    """The block for one precedent: a header naming the source, the adapted passage, the end mark."""
    score = float(getattr(p, "score", 0) or 0)
    head = (f"{MARK}：{describe_source(p)}，相似度{score:.0f}。以下为该回复原文，drafter已将发行人及中介机构名称"
            "替换为本次名称；高亮处为先例中的数字、日期和名称，须按本公司事实核实改写；改写完成后删除本段至“先例止”】")
    out = [Paragraph(style="precedent", runs=[Run(text=head, bold=True)])]
    answer = getattr(p, "answer", "") or ""
    lines = [ln.strip() for ln in answer.splitlines() if ln.strip()]
    req = nfkc(_SPACE.sub("", getattr(p, "request", "") or ""))
    if lines and nfkc(_LABEL.sub("", lines[0], count=1))[:10] in req:
        lines = lines[1:]  # the subheading that repeats the precedent's own request
    total = 0
    for ln in lines:
        if total >= chars:
            out.append(Paragraph(style="precedent", runs=[Run(text="……(以下从略,全文见来源)")]))
            break
        total += len(ln)
        out.append(Paragraph(style="precedent", runs=adapt_runs(full_width(ln), p, names)))
    out.append(Paragraph(style="precedent", runs=[Run(text=END, bold=True)]))
    return out


_SECTION_END = {"heading1", "heading2", "heading3", "amendment_lead"}


def insert_precedents(doc: Any, open_requests: Sequence[Any], find: Finder, names: Any) -> int:
    """Insert, after each open request's answer, the block of its closest precedent (if `find`
    returns one). Returns how many blocks were inserted. 核查意见 are never touched: the blocks
    sit in the 发行人说明 part, before the next subheading."""
    where = {id(b): i for i, b in enumerate(doc.blocks)}
    plan: list[tuple[int, list]] = []
    for o in open_requests:
        i = where.get(id(o.heading))
        if i is None:
            continue
        hits = list(find(o.request.text, o.topic))
        if not hits:
            continue
        j = i + 1
        while j < len(doc.blocks):
            b = doc.blocks[j]
            if getattr(b, "kind", "") == "paragraph" and b.style in _SECTION_END:
                break
            j += 1
        plan.append((j, precedent_blocks(hits[0], names)))
    for j, blocks in sorted(plan, key=lambda t: -t[0]):
        doc.blocks[j:j] = blocks
    return len(plan)
