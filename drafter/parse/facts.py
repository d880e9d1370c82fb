"""Facts of a letter that decide the reply's form: its form, kind, sender, subject word and the
intermediaries' words — read once, by the parser, and carried in `LetterMeta`.

    letter_form(meta, questions) -> "offering" | "csrc" | "restructuring" | "annual" | "attention"
    letter_kind(meta, form)      -> 审核问询函 / 审查问询函 / 第二轮审核问询函 / 落实函 / 反馈意见 / 重组问询函 / 年报问询函 / 关注函 …
    subject_word(questions, form)-> 发行人 / 申请人 / 上市公司 / 公司 (the letter's own word)
    party_words(questions)       -> party kind -> the first word the letter uses (保荐机构, 会计师, 独立财务顾问 …)
    sender_of(lines)             -> who signed the letter (深圳证券交易所创业板公司管理部, 全国中小企业股份转让系统有限责任公司 …)
    clean_number(number)         -> the letter's number when read cleanly, else None

Compose and checklist read these from the letter; they derive them with the same functions only for a
Letter built by hand (tests) that lacks them.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from ..models import LetterMeta, Question
from .verify import party_kind

FORMS = ("offering", "csrc", "restructuring", "annual", "attention")
NEEQ = "全国中小企业股份转让系统有限责任公司"
CSRC = "中国证券监督管理委员会"
SUBJECT_WORDS = {"发行人": "发行人", "申请人": "申请人", "上市公司": "上市公司", "你公司": "公司", "贵公司": "公司", "公司": "公司"}


def is_neeq(meta: LetterMeta) -> bool:
    """A 精选层 letter from 全国股转公司 (审查问询函)."""
    text = " ".join(x for x in (meta.title, meta.exchange, meta.sender) if x)
    return bool(re.search(r"全国中小企业股份转让系统|全国股转|精选层|审查问询函", text))


def is_csrc(meta: LetterMeta) -> bool:
    return (meta.exchange or "").startswith("中国证") or "反馈意见" in (meta.title or "") or \
        (meta.sender or "").startswith(CSRC)


def letter_form(meta: LetterMeta, questions: Sequence[Question] = (), text: str = "") -> str:
    """Who answers, to whom, under which title (see FORMS). `text`: the letter's opening, read for
    what the letter calls itself when no title was found (a statement quoting `年报问询函【2018】第48号`,
    an excerpt that starts at its first question)."""
    title = meta.title or ""
    if not title and not is_csrc(meta):
        named = re.search(r"年报问询函|年度报告[^。]{0,10}问询函|关注函|监管工作函|重组问询函|审核问询函|审查问询函|反馈意见",
                          (meta.number or "") + "\n" + text)
        if named and named.group(0) in ("关注函", "监管工作函"):
            return "attention"
        if named and "年" in named.group(0):
            return "annual"
        asked = " ".join(q.text or "" for q in questions)
        if not named and re.search(r"请\s*(?:你|贵)?公司|你公司", asked + text) and not re.search(r"请\s*(?:发行人|申请人)", asked):
            return "attention"  # a letter to a listed company (请你公司…) without its title
    restructuring = (meta.offering_kind in ("重大资产重组", "发行股份购买资产")
                     or bool(re.search(r"重组|购买资产", title)))
    if is_csrc(meta):
        # a CSRC feedback on 发行股份购买资产 is answered by the 上市公司 and its 独立财务顾问
        return "restructuring" if restructuring else "csrc"
    if "申请文件" in title or meta.round == "落实函" or "落实函" in title:
        return "offering"
    if "重组问询函" in title or (restructuring and "申请文件" not in title):
        return "restructuring"
    if re.search(r"年报|年度报告|半年报|定期报告", title):
        return "annual"
    if re.search(r"审核问询函|审查问询函", title) or meta.offering_kind:
        return "offering"
    if "关注函" in title or "监管工作函" in title or re.match(r"关于对.+的问询函$", title.strip()):
        return "attention"
    return "offering"


def letter_kind(meta: LetterMeta, form: str) -> str:
    """What the letter calls itself after 申请文件的 (审核问询函, 第二轮审核问询函, 审查问询函, …落实函),
    反馈意见 / 二次反馈意见 (CSRC), 重组问询函, 年报问询函, 关注函."""
    title = (meta.title or "").strip()
    if form == "csrc" or (form == "restructuring" and is_csrc(meta)):
        m = re.search(r"([一二三四五六七八九]次)反馈意见", title)
        if m and m.group(1) != "一次":
            return f"{m.group(1)}反馈意见"
        return "二次反馈意见" if meta.round == "第二轮" else "反馈意见"
    if form == "restructuring":
        return "重组问询函"
    if form == "annual":
        return "年报问询函"
    if form == "attention":
        m = re.search(r"(关注函|问询函)$", title)
        return m.group(1) if m else "关注函"
    m = re.search(r"申请文件的?(.{0,12}(?:问询函|落实函|反馈意见))$", title)
    if m:
        return m.group(1)
    m = re.search(r"上市的((?:审核中心)?意见落实函)$", title)
    if m:
        return m.group(1)
    base = "审查问询函" if is_neeq(meta) else "审核问询函"
    if meta.round in ("第二轮", "第三轮", "第四轮"):
        return f"{meta.round}{base}"
    if meta.round == "落实函":
        return "审核中心意见落实函"
    return base


def subject_word(questions: Iterable[Question], form: str) -> str:
    """How the letter calls the company it asks: 发行人 / 申请人 / 上市公司 / 公司 (你公司 -> 公司).
    A CSRC letter that says 发行人 is answered by the 发行人."""
    counts: dict[str, int] = {}
    for q in questions:
        for m in re.finditer(r"请\s*(发行人|申请人|上市公司|你公司|贵公司|公司)(?!律师)", q.text or ""):
            w = SUBJECT_WORDS[m.group(1)]
            counts[w] = counts.get(w, 0) + 1
    if form == "restructuring":  # the 上市公司 as against the 标的公司; 你公司 letters: 公司
        if "上市公司" in counts:
            return "上市公司"
        if counts.get("申请人", 0) > counts.get("公司", 0):
            return "申请人"
        return "公司"
    if form in ("annual", "attention"):
        return "公司"
    if form == "csrc":
        if counts.get("发行人", 0) == counts.get("申请人", 0):
            # asks addressed only to the intermediaries (请保荐机构、发行人律师核查…): the word the
            # questions use for the company decides (控制发行人…, 申请人及其子公司…)
            for q in questions:
                for m in re.finditer(r"(发行人|申请人)(?!律师)", q.text or ""):
                    counts[m.group(1)] = counts.get(m.group(1), 0) + 1
        return "发行人" if counts.get("发行人", 0) > counts.get("申请人", 0) else "申请人"
    if counts.get("申请人", 0) > counts.get("发行人", 0):
        return "申请人"
    return "发行人"


def party_words(questions: Iterable[Question]) -> dict[str, str]:
    """Party kind -> the first word the letter uses for it (保荐机构, 会计师, 申请人律师, 独立财务顾问 …)."""
    out: dict[str, str] = {}
    for q in questions:
        for v in q.verification:
            kinds = list(v.kinds) if len(v.kinds) == len(v.parties) else [
                party_kind(unicodedata.normalize("NFKC", p)) for p in v.parties]
            for p, k in zip(v.parties, kinds):
                out.setdefault(k, p)
    return out


_DEPT = re.compile(r"^(?:(深圳证券交易所|上海证券交易所|北京证券交易所))?\s*([\u4e00-\u9fff]{0,12}(?:管理[一二三四]?部|公司部|监管部))$")
_CSRC_DEPT = re.compile(r"^(?:中国证券监督管理委员会|中国证监会)?\s*((?:发行监管部|上市公司监管部|非上市公众公司监管部|创新业务监管部|并购重组审核委员会|上市部|发行部))$")


def sender_of(lines: Sequence[str]) -> str | None:
    """Who signed the letter, from its closing lines: an exchange department (深圳证券交易所创业板公司管理部,
    上海证券交易所上市公司管理一部), 全国股转公司, or a CSRC department; None when the letter names none."""
    tail = [re.sub(r"\s+", "", ln) for ln in lines if ln and ln.strip()][-8:]
    for i, ln in enumerate(tail):
        prev = tail[i - 1] if i else ""
        m = _CSRC_DEPT.match(ln)
        if m and (ln.startswith("中国证") or prev.startswith("中国证")):
            return CSRC + m.group(1)
        m = _DEPT.match(ln)
        if m and m.group(2) and not prev.startswith("中国证"):
            exchange = m.group(1) or (tail[i - 1] if i and re.fullmatch(r"(深圳|上海|北京)证券交易所", tail[i - 1]) else "")
            return exchange + m.group(2)
        if re.fullmatch(r"全国中小企业股份转让系统(?:有限责任公司)?(?:挂牌审查部|公司监管部|融资并购部)?", ln):
            return ln if "有限责任公司" in ln else ln.replace("全国中小企业股份转让系统", NEEQ)
    return None


_NUMBER = re.compile(r"^(?P<prefix>[\u4e00-\u9fff()（）]{0,16})[〔［\[（(﹝【]\s*(?P<year>\d{4})\s*[〕］\]）)﹞】]\s*第?\s*(?P<n>\d{1,8})\s*号$")
# words that never belong to a letter number: the sentence around it leaked into the capture
_NUMBER_NOISE = re.compile(r"日|的|出具|下发|发出|收到|贵所|贵会|贵公司|根据|关于|于$")


def clean_number(number: str | None) -> str | None:
    """The letter number as printed when it was read cleanly (审核函〔2023〕010019号, 上证科审(审核)〔2022〕185号,
    181562号); None when the capture carries sentence words (`日出具的审核函〔2021〕…`) or is malformed."""
    if not number:
        return None
    s = re.sub(r"\s+", "", number)
    if re.fullmatch(r"\d{5,8}号", s):
        return s
    m = _NUMBER.match(s)
    if not m:
        return None
    prefix = m.group("prefix")
    if _NUMBER_NOISE.search(prefix):
        return None
    if prefix and not re.search(r"函|审|许可|证|字|部", prefix):
        return None
    return s


def fill_facts(meta: LetterMeta, questions: Sequence[Question], paras: Sequence[str], kind: str) -> LetterMeta:
    """Set the form, kind, sender, subject word and party words on `meta` (in place; returned)."""
    sender = sender_of(paras) if kind == "letter" else None
    if sender:
        meta.sender = sender
    elif is_neeq(meta):
        meta.sender = NEEQ
    elif meta.exchange:  # an exchange's review letter: the exchange itself (its department is not printed)
        meta.sender = CSRC if meta.exchange.startswith("中国证") else meta.exchange
    if is_neeq(meta) and (meta.exchange in (None, "北京证券交易所", "深圳证券交易所")):
        meta.exchange = NEEQ
    top = "\n".join(paras[:40])
    meta.form = letter_form(meta, questions, top[:3000])
    meta.kind = letter_kind(meta, meta.form)
    if not meta.title and meta.kind == "关注函" and "关注函" not in top and re.search(r"问询函", top):
        meta.kind = "问询函"  # an untitled letter that calls itself 问询函 (its title lines lost in the copy)
    meta.subject = subject_word(questions, meta.form)
    meta.parties = party_words(questions)
    meta.number = clean_number(meta.number)
    return meta
