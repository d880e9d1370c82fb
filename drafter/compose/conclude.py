"""核查意见 sentences: what a verifying party signs for each request in its scope.

    mirror(text) -> list[str]        the 是否 asks as choices for the reviewer: 是否存在X -> 【待核实:不存在/存在】X,
                                     是否符合… -> 【待核实:符合/不符合】…; a point the company data decides
                                     (figures=…) is stated with its deciding figure instead (a `Decided` str)
    conclude(text, disclose=False, figures=None, forms=()) -> list[str]
                                     mirror() plus the qualities asked (说明X的原因及合理性 -> X具有合理性,
                                     X的必要性 -> X具有必要性, X的公允性 -> X公允 …), else one sentence that
                                     the matter was explained (或补充披露) and agrees with what was checked;
                                     [] when nothing can be said (the caller writes a placeholder naming the point)
    own_text(request_text, asks) -> str
                                     the request's own words: embedded asks to the intermediaries cut out
                                     (…。请年审会计师说明… / 请发行人律师就…发表核查意见), the 请保荐机构核查说明 lead dropped
    ask_point(ask_text) -> str       what an ask names as its own point (请发行人律师就X发表核查意见 -> X), or ""
    ask_subjects(ask_text) -> ([str], bool)
                                     what a verification ask names to verify (说明对X的核查过程 -> X), one per
                                     numbered part, and whether it also asks a general opinion

The words (polarity pairs, qualities, objects usually absent, data-decided forms) live in
drafter/data/rules/conclusions.yaml (drafter/compose/conclusion_rules.py). A sentence holding a choice
needs no further mark; a quality or plain statement is a judgement the caller marks 【待核实】; a `Decided`
sentence names the figure deciding it. `forms`: the bank's usual conclusions (question_bank `conclusions:`)
for the topics in scope, used as wording when one speaks of the same object.
"""
from __future__ import annotations

import re

from ..parse.patterns import PARTY_WORDS
from .typography import nfkc

_PARTIES = PARTY_WORDS + r"(?:\s*(?:[、和及与,]|以及)\s*" + PARTY_WORDS + r")*"
# the lead of a request addressed to the intermediaries: 请保荐机构和发行人律师核查说明 / 请保荐机构、律师补充说明
_ASK_LEAD = re.compile(r"^(?:另|同时|并|此外,?)?请\s*(?:独立)?" + _PARTIES
                       + r"\s*(?:审慎)?(?:核查并|核查后|核查)?(?:补充|进一步|详细|具体|逐项)?(?:说明|披露|分析|列示)?")
# how a request opens before its point (说明/补充披露/逐笔说明/全面自查 …)
_MLEAD = re.compile(r"^(?:并|请|另请|同时|进一步|以及|及|和|结合[^,,;;]*?)?(?:全面自查|自查|说明|披露|补充披露|分析|论证|核查|列示|明确)?")
_LEAD = re.compile(r"^(?:并|请|另请|同时|进一步|以及|及|和|此外)?\s*"
                   r"(?:(?:你公司|公司|申请人|上市公司)?\s*(?:逐笔|逐项|逐一|详细|具体|充分|补充|进一步|全面|定量|量化|对比|比较|结合[^,;]*?)?"
                   r"(?:说明|披露|分析|论证|核查|列示|明确|自查|揭示|提示)(?:并说明|并披露)?)?")


class Decided(str):
    """A conclusion the company data decides: it names its deciding figure (no 【待核实】 needed)."""


def choice(found: str, other: str) -> str:
    """Both answers for the reviewer, the usual finding first: 【待核实:不存在/存在】."""
    return f"【待核实:{found}/{other}】"


def _rules():
    from .conclusion_rules import rules

    return rules()


def own_text(text: str, asks: list[str] | tuple[str, ...] = ()) -> str:
    """The request's own words: asks embedded in it cut out, an intermediary lead dropped."""
    t = nfkc(text).strip()
    for a in asks:
        a = nfkc(a).strip().rstrip(";。,")
        if not a:
            continue
        i = t.find(a)
        if i > 0:  # an ask inside the item (not the item itself)
            t = (t[:i] + t[i + len(a):]).strip()
    t = _ASK_LEAD.sub("", t, count=1)
    # an ask to a party still left inside (…,请发行人律师就X发表核查意见)
    t = re.split(r"[,;。]\s*(?:另|同时|并)?请\s*(?:独立)?" + PARTY_WORDS, t, maxsplit=1)[0]
    return t.strip().rstrip(";。,,:")


def ask_point(text: str) -> str:
    """请发行人律师就该等出资方式是否合法发表核查意见 -> 该等出资方式是否合法; 请保荐机构核查并发表意见 -> ''."""
    t = nfkc(text).strip().rstrip(";。,")
    t = re.sub(r"^(?:另|同时|并|此外,?)?请\s*(?:独立)?" + _PARTIES, "", t)
    t = re.sub(r"^\s*(?:对|就|针对)(?:上述|前述|以上)?(?:问题|事项)?[()\d①-⑳、\-至]*", "", t)
    m = re.match(r"^\s*(?:对|就|针对)(.+?)(?:进行)?(?:核查并|审慎核查并|核查后)?发表(?:明确|核查|专项)?(?:核查)?意见", t)
    if m:
        return m.group(1).strip()
    t = re.sub(r"(?:[,;]?\s*(?:并|审慎)?(?:核查并|核查后|核查)?(?:发表|出具)(?:明确|核查|专项)?(?:核查)?意见.*)$", "", t)
    t = re.sub(r"^\s*(?:审慎)?(?:核查并|核查后|核查)?(?:补充|进一步)?(?:说明|披露)?", "", t)
    return "" if len(t) < 4 or re.fullmatch(r"(?:上述|前述|以上)?(?:问题|事项|情况)?[()\d①-⑳、\-至]*", t) else t


_GENERIC_SUBJECT = re.compile(r"^(?:上述|前述|以上|相关|该等|该|全部|各项)?(?:问题|事项|情况|内容|要求)?(?:进行)?$")


def ask_subject(text: str) -> tuple[str, bool]:
    """What a verification ask names as its own subject (the first), and whether it also asks a general opinion.

    请发行人律师就(1)中项目备案、环评情况进行核查 -> ("项目备案、环评情况", False);
    请保荐人、申报会计师发表明确意见,并说明就发行人应收账款账面价值真实性、准确性核查的具体情况及结论
    -> ("发行人应收账款账面价值真实性、准确性", True); 请保荐机构核查并发表明确意见 -> ("", True).
    """
    subjects, general = ask_subjects(text)
    return (subjects[0] if subjects else ""), general


_ON = r"(?:就|针对|(?<![面核相绝应])对(?!象|账|应(?!收|付)|比|外|接|手|方|于))"  # 就X / 对X, not 对象/对账/面对
_SUBJECT_RES = (
    # 说明对X的核查过程 / 就X进行核查 / 针对X所采取的核查程序
    (re.compile(_ON + r"([^,;。]+?)(?:所|而)?(?:进行|执行|实施|采取)?(?:的)?(?:核查|核实|专项核查)"
                r"(?:的|并|情况|过程|程序|方法|范围|措施|后|$)"), False),
    # 说明对X的函证和走访情况
    (re.compile(_ON + r"([^,;。]+?)(?:所|而)?(?:进行|执行|实施|采取)?(?:的)?(?:函证|走访|监盘|细节测试)(?:和|及|、|情况|过程|程序|比例)"), False),
    # 就X发表意见: the opinion asked is about X only
    (re.compile(_ON + r"([^,;。]+?)(?:进行)?(?:审慎)?(?:核查并|核查后)?发表(?:明确|核查|专项)?(?:核查)?意见"), True),
)


def ask_subjects(text: str) -> tuple[list[str], bool]:
    """Every subject an ask names (one per numbered part: 请保荐机构:(1)核查上述事项…(3)对X发表明确意见。(4)说明对Y的
    核查情况 -> [X, Y]) and whether it also asks a general opinion on the question."""
    t = nfkc(text).strip().rstrip(";。,")
    t = re.sub(r"^(?:另|同时|并|此外,?)?请\s*(?:独立)?" + _PARTIES + r"\s*:?", "", t)
    out: list[str] = []
    general = False
    for piece in re.split(r"(?:^|[。;])\s*[(]\d{1,2}[)]|[。;]|另请|,另", t):
        piece = piece.strip()
        if not piece:
            continue
        subject = ""
        for pat, own_opinion in _SUBJECT_RES:
            m = pat.search(piece)
            if m:
                subject = m.group(1)
                break
        subject = re.sub(r"^(?:问题)?(?:第?[(]\d{1,2}[)](?:之[①-⑳])?[、和及至\-]?)+(?:中|所述|项下)?(?:的)?", "", subject.strip())
        subject = re.sub(r"^(?:上述|前述|以上)(?:问题|事项)?(?:中)?(?:的)?(?=.{4})", "", subject).strip()
        if _GENERIC_SUBJECT.fullmatch(subject) or len(subject) < 3 or len(subject) > 40:
            subject = ""
        if subject and m and re.match(r"^(?:并|后)?(?:发表|出具)", piece[m.end() - 1:].lstrip("核查并后")):
            own_opinion = True  # 对X核查并发表明确意见: the opinion asked is about X
        rest = piece.replace(m.group(0), "") if (subject and m) else piece
        if subject and subject not in out:
            out.append(subject)
        if re.search(r"发表(?:明确|核查|专项)?(?:核查)?意见", rest) and not (subject and own_opinion):
            general = True
    return out, general or not out


# ---------------------------------------------------------------- 是否 asks


def mirror(text: str, figures=None, forms: tuple[str, ...] | list[str] = ()) -> list[str]:
    """Conclusions for the 是否 asks of a request: 说明是否存在X的情形 -> 发行人【待核实:不存在/存在】X的情形;
    a point the company data decides: the sentence with its figure (see the module docstring).

    Returns [] when no clause can be mirrored (conclude() then looks for qualities or a plain statement).
    """
    return [c for c, _ in _conclusions(text, soft=False, figures=figures, forms=forms)]


def conclude(text: str, disclose: bool = False, subject: str = "发行人", figures=None,
             forms: tuple[str, ...] | list[str] = ()) -> list[str]:
    """What a verifying party signs for a request (see the module docstring)."""
    out = [c for c, _ in _conclusions(text, soft=True, figures=figures, forms=forms)]
    if out:
        return out
    point = _plain_point(text)
    if not point:
        return []
    if disclose:
        return [f"{subject}已补充披露{point}"]
    return [f"{subject}已说明{point},相关情况与核查获取的资料一致"]


def needs_confirmation(sentence: str) -> bool:
    """A judgement the reviewer confirms (【待核实】 after it): neither a choice nor decided by the data."""
    return not isinstance(sentence, Decided) and "【待核实:" not in sentence and "【待核实：" not in sentence


def _decided(prev: str, seg: str, figures) -> Decided | None:
    """The sentence the data decides for a 是否 clause (`seg`, after the clause `prev`), or None."""
    if figures is None:
        return None
    from .conclude_data import decide

    for pat, clause, d in _rules().decided:
        if clause is None:
            hit = pat.search(seg)
        else:  # 本次发行完成后累计债券余额占净资产的比例,是否符合…: the point named before, the ask in the clause
            hit = clause.search(seg) and pat.search(prev + "," + seg)
        if hit:
            found = decide(d.figure, d.forms, figures)
            if found:
                out = Decided(found)
                out.figures = getattr(found, "figures", [])  # [(printed text, provenance)] for drafter update
                return out
    return None


def _conclusions(text: str, soft: bool, figures=None, forms: tuple[str, ...] | list[str] = ()) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    text = nfkc(text).replace("你公司", "公司")
    hint = ""  # what the clause before talks about: 说明现有各主要产品所处的生命周期,是否属于… -> 现有各主要产品
    shint = ""  # the subject of the 是否 ask before (坏账准备计提是否充分,与同行业可比公司是否存在差异)
    rhint = ""  # what a 原因 clause before explains: only a comparison (与X是否匹配) speaks of it
    prev = ""
    for seg in _clauses(text):
        seg = seg.strip()
        if not seg:
            continue
        if "是否" not in seg:
            h = _topic_of(seg, bare=True)
            if h and re.search(r"的原因(?:及合理性)?$", seg):
                rhint, shint, hint = h, "", ""  # 应收账款余额增长的原因,与营业收入增长是否匹配: a comparison only
            else:
                hint = h or hint
                shint = rhint = ""
            if soft:
                for c in _qualities(seg):
                    if c not in [o for o, _ in out]:
                        out.append((c, 1))
            prev = seg
            continue
        res = _decided(prev, seg, figures) or _mirror_clause(seg, hint, shint, rhint, forms)
        prev = seg
        if res and res not in [o for o, _ in out]:
            out.append((res, 0))
        subj = _MLEAD.sub("", _after_verb(seg.partition("是否")[0], ("说明", "分析", "披露", "自查"))).strip()
        if 3 <= len(subj) <= 16 and not subj.startswith(("与", "和", "同", "结合", "对比", "根据")):
            shint = subj
    return out


def _from_bank(after: str, forms: tuple[str, ...] | list[str],
               pair: tuple[str, str] = ("", "")) -> tuple[str, str, str, str] | None:
    """The bank's usual conclusion that speaks of the same object, as (before, word, other, after) for a
    choice: the ask's own polarity words first (是否存在X -> 不存在…X), else a polarity word right before it."""
    obj = re.sub(r"(?:的)?(?:情形|情况)$", "", after).strip()
    if len(obj) < 6 or not forms:  # 财务性投资 alone is too general to pick a sentence by
        return None
    key = obj[:8]
    R = _rules()
    pairs = [(c.found, c.other) for _, c in [*R.negative, *R.positive]]
    for form in forms:
        for clause in re.split(r"[,;。]", nfkc(form)):
            i = clause.find(key)
            if i < 0:
                continue
            head = clause[:i]
            best = None  # (start, word, other): the first polarity word before the object (不存在持有X: 不存在)
            for found, other in [pair, *pairs]:
                for w, o in ((found, other), (other, found)):
                    if len(w) < 2 or not o:
                        continue
                    for mw in re.finditer(re.escape(w), head):
                        j = mw.start()
                        if re.search(r"[不未无非]$", head[:j]):
                            continue
                        if best is None or (j, -len(w)) < (best[0], -len(best[1])):
                            best = (j, w, o)
                        break
            if best:
                j, w, o = best
                return head[:j].strip(), w, o, clause[j + len(w):]
    return None


def _mirror_clause(seg: str, hint: str, shint: str = "", rhint: str = "",
                   forms: tuple[str, ...] | list[str] = ()) -> str | None:
    R = _rules()
    subject, _, pred = seg.partition("是否")
    subject = _after_verb(subject, ("说明", "分析", "披露", "自查"))  # "结合…的方法说明公司X" -> "公司X"
    subject = _MLEAD.sub("", subject).strip()
    subject = re.sub(r"^(?:报告期内|报告期各期)$", "", subject)
    if subject in R.adverb_subjects:  # 预期是否存在搬迁风险 -> 发行人预期…
        subject = "发行人" + subject
    subject = re.sub(r"(?:的)?(?:情况|状况)(?:及|以及|和)(?=在|于|报告期)", "", subject)  # 信用期情况及在报告期内 -> 信用期在报告期内
    if subject.endswith(("及", "以及", "和")):  # 外协价格确定的依据、变动情况及是否公允 -> 外协价格确定
        subject = re.sub(r"(?:以及|及|和)$", "", subject)
        subject = re.sub(r"情况$", "", subject.split("的", 1)[0]).strip()
    if subject.startswith(("与", "和", "同")):  # 与X是否存在差异: the subject is the clause before's
        lead = re.sub(r"(?:波动较大|波动|较大|较高|较低)$", "", shint or rhint or hint)  # 现金流量净额波动较大的原因,与净利润是否匹配
        subject = (lead or ("" if "发行人" in subject else "发行人")) + subject
    pred = R.trailing_re.sub("", pred).strip()
    pred = _PRED_END.split(pred, 1)[0].strip()
    if re.match(r"^通过.*(?:规避|调节|输送|虚增|粉饰)", pred):  # 是否通过X规避Y -> 发行人【不存在/存在】通过X规避Y的情形
        return _tidy("发行人" + choice("不存在", "存在") + pred + "的情形")
    pred = re.sub(r"^(经|通过)", r"已\1", pred)  # 是否经有权部门批准 -> 【已/未】经有权部门批准
    m = re.match(r"^([\u4e00-\u9fff]{1,4})了(.*)$", pred)  # 是否补缴了税款 -> 【已/未】补缴税款
    if m:
        pred = "已" + m.group(1) + m.group(2)
    pol: tuple[str, str, str, str] | None = None  # (before, found, other, after): plain = before+found+after
    alone = True  # the answer may be said of the issuer with nothing named before it
    needs_subject = True  # 不存在X的情形 speaks of the issuer; 与…混同, 符合…, 有效 need what the clause before named
    m = re.match(r"^(?:会)?对(.+?)(产生|造成|构成|存在)(.*)$", pred)  # 是否对X产生重大不利影响
    if m:
        x, verb, rest = m.groups()
        if verb in ("产生", "造成"):
            pol = ("", "不会", "会", f"对{x}{verb}{rest}")
        else:
            pol = (f"对{x}", "不" + verb, verb, rest)
        needs_subject = False
        if not subject:
            subject = shint or ("发行人" if verb == "存在" else "上述事项")
    if re.match(r"^(?:与|和|同)", pred) and not subject and (shint or rhint):
        hint = re.sub(r"(?:波动较大|波动|较大|较高|较低)$", "", shint or rhint)  # 现金流量净额波动较大,与净利润是否匹配
    if pol is None and re.match(r"^(?:与|和|同)", pred):  # 是否与客户领用对账一致 / 是否与X存在差异
        for pat, c in R.comparisons:
            mc = pat.search(pred)
            if mc:
                if not c.found:
                    w = mc.group(0)
                    pol = (pred[:mc.start()], w, c.other + w, pred[mc.end():])
                else:
                    pol = (pred[:mc.start()], c.found, c.other, (mc.group(1) if mc.groups() else "") + pred[mc.end():])
                break
    if pol is None:
        for pat, c in R.negative:
            mk = pat.match(pred)
            if mk:
                rest = pred[mk.end():]
                pol = ("", c.found, c.other, rest)
                needs_subject = rest.startswith(("与", "和", "对", "被", "在"))
                break
    if pol is None:
        for pat, c in R.positive:
            mk = pat.match(pred)
            if mk:
                found, other = c.found, c.other
                if mk.group(0) in ("属于", "具有", "涉及") and any(b in pred for b in R.absent_objects):
                    found, other = other, found  # 是否属于财务性投资 -> 【不属于/属于】财务性投资
                pol = ("", found, other, pred[mk.end():])
                alone = c.alone
                break
    if pol is None:
        return None
    res = "".join(pol[:2]) + pol[3]  # the usual finding, plain: what the checks below look at
    if not res.strip() or res.strip() in ("不存在", "已", "未发生"):
        return None
    if forms:
        banked = _from_bank(pol[3], forms, (pol[1], pol[2]))
        if banked and banked[0]:  # the bank's sentence names its own subject
            return _tidy(banked[0] + choice(banked[1], banked[2]) + banked[3])
        if banked:
            pol = banked
            res = "".join(pol[:2]) + pol[3]
    if res.startswith("符合《") and "会计准则" not in res and not subject:  # a rule is met by the issuer: 发行人符合《…》的相关规定
        hint = shint = ""
    if re.match(r"^(?:最近一期末|报告期|截至|自本次)", shint):
        shint = ""
    if not subject and shint and not res.startswith(("不存在", "未持有", "不涉及")):
        subject = shint  # X是否A、是否B: B speaks of X too
    if res.startswith("不构成") and "障碍" in res and not subject:
        subject = "上述事项"
    if res.startswith("不构成重大违法") and not subject:
        subject = "上述行为"
    if res.startswith("未超过") and not subject and not shint:
        subject = "相关比例" if re.search(r"比例|比重", res) else "相关金额"
    core = re.sub(r"^(?:发行人|公司|申请人)?(?:本次|上述|相关|该等|该)?", "", hint)
    if core and core in res:  # 发行人本次新增产能不存在新增产能无法消化的风险: the thing is named already
        hint = ""
    if not subject and not hint and not alone:
        return None  # 发行人客观准确: nothing to say it of
    prefix = ""
    if subject and not subject.startswith(("结合", "对比", "根据")):
        prefix = subject
    elif hint and (needs_subject or (res.startswith("不存在") and "情形" not in res)
                   or (res.startswith(("不构成", "不涉及")) and hint.startswith(("上述", "相关", "该")))) \
            and not res.startswith(("发行人", "公司")):
        prefix = hint  # 注销后相关股权的去向,是否存在纠纷 -> 注销后相关股权【不存在/存在】纠纷
    elif not res.startswith(("发行人", "公司", "对", "不会对")):
        prefix = "发行人"
    return _tidy(prefix + pol[0] + choice(pol[1], pol[2]) + pol[3])


# where a predicate stops: before a list item that asks for something else (…风险、与客户合作的历史)
_PRED_END = re.compile(r"(?:、|以及|及|,)(?=[^、]*(?:历史|情况|稳定性|依据|原因|方式|过程|内容|构成|进展|措施)$)")


def _after_verb(seg: str, verbs: tuple[str, ...]) -> str:
    """The words after the last request verb (说明书 is no verb)."""
    m = None
    for m in re.finditer("|".join(f"{v}(?!书)" for v in verbs), seg):
        pass
    return seg[m.end():] if m else seg


def _tidy(s: str) -> str:
    s = s.strip().rstrip("的,、;。")
    s = re.sub(r"(发行人|申请人|公司)\1", r"\1", s)
    return s


def _clauses(text: str) -> list[str]:
    """Clauses split at punctuation, and at 、 between two 是否 asks (X是否A、Y是否B)."""
    out: list[str] = []
    for seg in re.split(r"[,;。:!?]", text):
        parts = seg.split("、")
        cur = parts[0]
        for part in parts[1:]:
            if "是否" in part and "是否" in cur:
                out.append(cur)
                cur = part
            else:
                cur += "、" + part
        out.append(cur)
    return out


def _topic_of(seg: str, bare: bool = False) -> str:
    """The thing a clause without 是否 talks about, when it names one plainly (else "").
    `bare`: the request's first clause, which may name its thing without a verb (注销后相关股权的去向)."""
    after = _after_verb(seg, ("说明", "分析", "披露", "列示"))
    had_verb = after != seg
    seg = after
    if not had_verb:
        if not bare or seg.startswith(("结合", "对比", "根据")) or "的" not in seg:
            return ""
        head = re.sub(r"^(?:发行人|公司|申请人)的", "", seg.rsplit("的", 1)[0]).strip()
        if re.search(r"与.+的(?:关系|联系|区别|差异|比较|对比)", seg):  # 对外投资企业与发行人主营业务的关系 -> 对外投资企业
            head = head.split("与", 1)[0]
        return head if 2 <= len(head) <= 30 else ""
    head = re.split(r"所|的|及|和|与|、|中", seg, maxsplit=1)[0].strip()
    head = re.sub(r"^报告期(?:内|各期)?", "", head)
    if not 3 <= len(head) <= 16 or head in ("公司", "发行人") or head.startswith(("结合", "对比", "根据")):
        return ""
    return head if head.startswith(("发行人", "公司", "上述", "相关", "该")) else "发行人" + head


# ---------------------------------------------------------------- qualities and plain statements


def _strip_lead(seg: str) -> str:
    seg = seg.strip()
    for verb in ("说明", "分析", "披露", "列示"):
        m = re.search(f"{verb}(?!书)", seg)
        if m and m.start() <= 12 and not seg.startswith(("结合", "对比", "根据")):
            seg = seg[m.end():]
            break
    seg = _LEAD.sub("", seg).strip()
    seg = re.sub(r"^(?:就|对|关于)", "", seg).strip()
    seg = re.sub(r"^(?:[(（]\d{1,2}[)）])+", "", seg)  # 补充披露(1)(3)相关风险 -> 相关风险
    return re.sub(r"^(?:发行人|申请人|公司)(?:的|(?=与))", "其", seg)


def _qualities(seg: str) -> list[str]:
    """X的合理性 -> X具有合理性, X的原因 -> X的原因合理 (a clause without 是否)."""
    if seg.startswith(("结合", "对比", "根据", "参照")) and not re.search(r"说明|分析", seg):
        return []
    body = _strip_lead(seg)
    out: list[str] = []
    last_x = ""
    pos = 0
    R = _rules()
    for m in R.quality_re.finditer(body):
        x = body[pos:m.start()].strip()
        x = re.sub(r"^(?:及其?|和|、|以及)", "", x).strip()
        if x.endswith("的原因"):
            x = x[: -len("的原因")]
        x = re.sub(r"(?:的|及其?|和)$", "", x).strip()
        word = dict(R.qualities)[m.group(1)]
        pre = re.match(r"^(.+?的原因)(?:及|和|、)(.+)$", x)  # X较高的原因及交易作价的公允性
        if pre:
            out.append(_tidy(pre.group(1) + "合理"))
            x = pre.group(2)
        x = re.sub(r"^.*(?:情况|方式|措施|过程|内容|构成|进展)(?:及|和|、)", "", x)  # …回款情况及坏账准备计提的充分性
        x = re.sub(r"(?:的)?计提方法$", "计提", x)
        tail = re.match(r"^.+、.+(?:及|和)(.{4,})$", x)  # 成立时间、合作背景及采购价格的公允性 -> 采购价格
        if tail and "的" not in tail.group(1):
            x = tail.group(1)
        if word.startswith("具有") and word != "具有合理性":
            x = re.sub(r"的(?:确定|选取|测算)依据$", "", x)
        if x.startswith("其"):
            x = "发行人" + x[1:]
        if x.startswith(tuple(c.found for _, c in R.negative)):  # 不影响…有效性的认定: the letter's premise, not a quality
            pos = m.end()
            continue
        if len(x) <= 3 and last_x:
            x = last_x + x
        if len(x) < 4:
            pos = m.end()
            continue
        if not x:
            pos = m.end()
            continue
        if "," in x or len(x) > 40 or len(x) < 2:
            pos = m.end()
            continue
        out.append(_tidy(x + word))
        last_x = re.split(r"的", x, maxsplit=1)[0] if "的" in x else x
        pos = m.end()
    if out:
        return out
    m = re.match(r"^(.{2,30}?)的原因$", body)
    if m and not re.search(r"[,、]|以及|情况|的(?:基本|具体)", m.group(1)):
        return [_tidy(m.group(1) + "的原因合理")]
    return []


def _plain_point(text: str) -> str:
    """The request's first point, as the object of 已说明: 持股平台设立和注销的过程及原因."""
    for seg in _clauses(nfkc(text).replace("你公司", "公司")):
        seg = seg.strip()
        if not seg or seg.startswith(("结合", "对比", "根据", "参照")) and not re.search(r"说明|分析|披露|列示", seg):
            continue
        p = _strip_lead(seg)
        p = re.sub(r"^(?:请|并)", "", p).strip()
        if not p:
            continue
        if len(p) < 4 or "是否" in p or "请" in p:
            return ""
        if len(p) > 40:
            cut = p[:40].rfind("、")
            if cut < 6:
                return ""
            p = p[:cut] + "等情况"
        return _tidy(p)
    return ""
