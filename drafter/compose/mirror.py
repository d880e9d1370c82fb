"""Numbered sub-answers that mirror a request's own parts.

    split_request("结合A、B，说明C") -> [Ask(A, "basis"), Ask(B, "basis"), Ask(C, "ask")]
    split_request("说明X，Y是否Z") -> [Ask(X, "ask"), Ask(Y是否Z, "whether")]

A request names what the reply must cover: the facts it must be read against (`结合…`), then the
things to explain (`说明…`), sometimes several, separated by `，`, `；`, `以及` or, for distinct asks,
`、`. Each becomes one sub-answer: a minor heading in the request's own words and a placeholder that
says what to write and from which evidence. Word lists of short noun enumerations (`专业、学历、工作年限`)
stay one part.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

MAX_PARTS = 8

# leading verbs of an ask: dropped from the heading (the heading names the subject)
_LEAD = re.compile(
    r"^(?:请(?:发行人)?|并|且|同时|另外|此外|再|还)*"
    r"(?:(?:进一步)?(?:详细)?(?:结合上述(?:内容|情况)?[，,]?)?"
    r"(?:量化分析并|量化分析|量化|分析并|具体|补充|进一步|详细|逐项|分别|比较|对比)*"
    r"(?:说明|披露|分析|列示|论证|解释|介绍|阐述|模拟测算|测算)(?:并披露|并说明|及披露)?)?[：:，,]?"
)
_BASIS_START = re.compile(r"^(?:请(?:发行人)?)?(?:并|同时|再)?(?:进一步)?(?:结合|根据|对照|参照|比照|基于|对比|比较)")
# where the asks begin after the facts: the first verb of explaining (招股说明书 is no verb)
_VERB = re.compile(r"[，,]?(?:进一步|量化|详细|具体|补充|逐项|分别|合理)*(?:分析并?说明|分析并?披露|说明(?!书)|(?<![的性])分析|披露|论证|列示)")
# an ask of its own inside a list: it says what to explain, not only what to list
_ASK_WORD = re.compile(r"是否|原因|合理性|匹配|影响|依据|差异|公允|充分|必要性|可持续|一致|方式|措施|安排|过程|风险|变动|变化|趋势")
_ASK_TAIL = re.compile(r"(?:原因|合理性|情况|依据|影响|差异|必要性|可持续性|持续性|公允性|可行性|完整性|准确性|措施|安排|过程|趋势|计划|作用|联系|依据)(?:及其?合理性)?$")
_WHETHER = re.compile(r"是否|有无|能否|可否")
_SENTENCES = re.compile(r"[；;。]|[，,](?=(?:并|同时|再|另)?结合)")
_CONDITION = re.compile(r"^(?:如|若|如是|如有|如存在|如否)")
_JOINED = re.compile(r"^(?:且|但|而|包括|其中)")
_CONTEXT = re.compile(r"^(?:在.{2,30}(?:下|时|中)|自.{2,40}(?:至今|以来|起))$")  # 在…的情况下: a setting, read with the ask after it
_GENERIC_BASIS = re.compile(r"^(?:上述|前述|以上|第[(（]?\d|《)|规定$|^(?:有关|相关)(?:因素|情况|事项)$")  # earlier parts, a rule
_TRAIL = "；;。.，,、：: \t"
# an intermediary's ask inside a request (请律师就…发表核查意见): answered in the verification part
_VERIFY = re.compile(r"(?:发表|出具)(?:明确|核查)*意见|^(?:请)?(?:保荐|律师|发行人律师|申报会计师|会计师|独立财务顾问|评估师)")
_ASK_VERB = re.compile(r"^(?:模拟测算|测算|量化分析|列示)")
_PHRASE = re.compile(r"的|情况")  # a phrase of its own (not one noun of an enumeration)
_DATES = re.compile(r"^[\d年月日\-—至及和、]+$")  # 2020年、2021年: when, read with what follows
_PAREN = re.compile(r"[(（][^()（）]*[)）]")


@dataclass
class Ask:
    text: str  # the part in the request's words, leading verbs dropped
    kind: str  # "basis" (a fact to read against, from 结合…), "ask" (explain), "whether" (a 是否 ask)

    @property
    def heading(self) -> str:
        if self.kind == "basis":
            return f"关于{self.text}"
        return self.text


def _clean(s: str) -> str:
    s = s.strip().strip(_TRAIL)
    s = re.sub(r"^(?:以及|及|和|并且|并|同时)", "", s).strip(_TRAIL)
    return s


def _strip_lead(s: str) -> str:
    for _ in range(3):  # 分析说明, 进一步分析并说明
        m = _LEAD.match(s)
        if not (m and m.end() and s[m.end():].strip(_TRAIL)):
            break
        s = s[m.end():].strip(_TRAIL)
    return s


def _protect(s: str) -> str:
    """、 and ， inside parentheses are not separators: hide them (restored by _unprotect)."""
    return _PAREN.sub(lambda m: m.group(0).replace("、", "\ue010").replace("，", "\ue011").replace(",", "\ue012"), s)


def _unprotect(s: str) -> str:
    return s.replace("\ue010", "、").replace("\ue011", "，").replace("\ue012", ",")


def _basis_items(s: str) -> list[str]:
    """The facts after 结合: split on ，/以及, on 、 only between long phrases (料、工、费 is one)."""
    s = re.sub(r"等(?:因素|情况|方面|内容|事项)?$", "", s.strip(_TRAIL))
    out: list[str] = []
    for chunk in re.split(r"[，,]|以及", s):
        chunk = _clean(chunk)
        if not chunk:
            continue
        pieces = [_clean(p) for p in chunk.split("、")]
        phrases = sum(1 for p in pieces if _PHRASE.search(p))
        if len(pieces) > 1 and all(len(p) >= 6 for p in pieces) and (
                phrases == len(pieces) or (len(pieces) >= 3 and phrases * 2 > len(pieces))):
            out += pieces
        else:
            out.append(chunk)
    return [x for x in out if x and not _GENERIC_BASIS.match(x)]


def _ask_items(s: str) -> list[str]:
    """The things to explain: split on ，/以及 into clauses; on 、 only between distinct asks."""
    out: list[str] = []
    for sub in re.split(r"[，,]|(?<=[\u4e00-\u9fff年])以及", s):
        sub = sub.strip().strip(_TRAIL)
        if not sub:
            continue
        prev = out[-1] if out else ""
        if prev and _DATES.match(_strip_lead(prev)):
            out[-1] = f"{prev}、{sub}"  # 2020年、2021年以及2022年1-6月，…: one ask
            continue
        if prev and (_CONDITION.match(sub) or _CONDITION.match(prev.split("，")[-1]) or _JOINED.match(sub)
                     or _CONTEXT.match(_strip_lead(prev.split("，")[-1]))
                     or (not _ASK_WORD.search(sub) and len(sub) <= 6)):
            out[-1] = f"{prev}，{sub}"  # 如是/且/在…情况下 … belongs with its neighbour
            continue
        out.append(sub)
    final: list[str] = []
    for x in out:
        x = _clean(_strip_lead(x))
        pieces = [_clean(p) for p in re.split(r"、|(?<=[\u4e00-\u9fff])及(?!其)", x)]
        if (len(pieces) > 1 and not _WHETHER.search(pieces[0])
                and all(len(p) >= 8 and _ASK_TAIL.search(p) for p in pieces)):
            final += pieces  # 说明X的原因、Y的合理性: distinct asks
        elif x:
            final.append(x)
    return [x for x in final if x]


def split_request(text: str) -> list[Ask]:
    """The request's parts, in its order (at most MAX_PARTS; the rest joins the last part)."""
    text = _protect(re.sub(r"\s+", "", text or "").strip(_TRAIL))
    parts: list[Ask] = []
    for sentence in _SENTENCES.split(text):
        sentence = _clean(sentence)
        if not sentence:
            continue
        rest = sentence
        m = _BASIS_START.match(sentence)
        if m:
            v = _VERB.search(sentence, m.end())
            basis = sentence[m.end():v.start()] if v else ""
            if v and len(basis.strip(_TRAIL)) >= 2:  # 结合X，说明Y: the facts first, then the asks
                for x in _basis_items(basis):  # 结合A，模拟测算B，说明C: B is an ask of its own
                    parts.append(Ask(_strip_lead(x), "ask") if _ASK_VERB.match(x) else Ask(x, "basis"))
                rest = sentence[v.start():].lstrip("，,")
        for x in _ask_items(rest):
            parts.append(Ask(x, "whether" if _WHETHER.search(x) else "ask"))
    parts = [Ask(_unprotect(p.text), p.kind) for p in parts if len(p.text) >= 2 and not _VERIFY.search(p.text)]
    if len(parts) > MAX_PARTS:
        tail = parts[MAX_PARTS - 1:]
        parts = parts[:MAX_PARTS - 1] + [Ask("；".join(p.text for p in tail), "ask")]
    return parts


_STOP = {"情况", "原因", "是否", "报告", "告期", "期内", "发行", "行人", "说明", "分析", "相关", "具体", "以及",
         "及其", "各期", "主要", "公司", "合理", "理性", "存在", "进一", "一步"}


def _bigrams(s: str) -> set[str]:
    s = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9%]", "", s)
    return {s[i:i + 2] for i in range(len(s) - 1)} - _STOP


def covered_by(ask: Ask, headings: list[str]) -> bool:
    """Whether a template section already answers this part: half of its words (two-character pieces,
    the generic ones left out) appear in one section's text (its heading and what it says)."""
    mine = _bigrams(ask.text)
    if not mine:
        return False
    for h in headings:
        theirs = _bigrams(h)
        if len(mine & theirs) * 2 >= len(mine):
            return True
    return False
