"""Patterns shared by the parser: question headings, reply markers, request intros, verification asks."""
from __future__ import annotations

import re

from ..vocab import CIRCLED  # noqa: F401  (re-exported)
from ..vocab import PARTY_KINDS as _PARTY_KINDS
from ..vocab import PARTY_WORDS as _PARTY_WORDS
CN_NUM = "一二三四五六七八九十"

# --- question headings -----------------------------------------------------------------------------

# 问题1.X / 问题 1.关于X / 问题1:X / 问题1 X / 【问题1】X
RE_Q_WENTI = re.compile(r"^\s*[【\[]?\s*问题\s*(\d{1,3})(?!\s*[.．]\s*\d{1,2}(?![\d%％万亿元年]))\s*[】\]]?\s*(?:[.．、:：]\s*|\s+|(?=关于))(.*)$")
RE_Q_WENTI_BARE = re.compile(r"^\s*[【\[]?\s*问题\s*(\d{1,3})\s*[】\]]?\s*$")
# 1.关于X / 1. X / 1．X (not 1.1, not 1.5万元)
RE_Q_DOT = re.compile(r"^\s*(\d{1,3})\s*[.．](?![\d.．])\s*(.+)$")
# 1、X (CSRC feedback letters)
RE_Q_DUN = re.compile(r"^\s*(\d{1,3})\s*、\s*(.+)$")
# 问题一、X / 一、关于X (questions numbered in Chinese numerals; used only when nothing else is)
RE_Q_CN = re.compile(r"^\s*(?:问题\s*|事项\s*)?([一二三四五六七八九十]{1,3})\s*[、.．:：]\s*(.+)$")  # (事项一：… in annual-report replies)
# 问题一 关于X (a space after the numeral; only with 问题)
RE_Q_CN_WENTI = re.compile(r"^\s*(?:问题|事项)\s*([一二三四五六七八九十]{1,3})\s+(\S.*)$")
# 一、规范性问题
RE_GROUP = re.compile(r"^\s*([一二三四五六七八九十]{1,3})\s*[、.．]\s*(.{1,40}?)\s*[:：]?\s*$")

# reply markers: a paragraph that is, or ends with, 回复: / 【回复】 (or starts with 回复:)
REPLY_LABEL = (
    r"(?:[【〖\[]\s*(?:发行人|公司)?\s*(?:回\s*复|答\s*复)(?:\s*说明)?\s*[】〗\]]"
    r"|(?:(?:发行人|公司|上市公司|申请人|(?:申报|年审)?会计师|保荐(?:人|机构))\s*)?(?:回\s*复|答\s*复)(?:\s*说明)?\s*[:：])"
)
# a paragraph that is only `说明：` (an auditor's special statement answers each quoted question so)
# (or `公司说明：`, and `公司回复如下：` standing alone after a quoted question)
RE_REPLY_BARE = re.compile(
    r"^\s*(?:(?:公司|发行人|上市公司)?\s*说\s*明|[【\[]\s*(?:公司|发行人)?\s*说\s*明\s*[】\]]"
    r"|(?:公司|发行人|上市公司)?\s*(?:回\s*复|答\s*复|说\s*明)\s*如\s*下)\s*[:：]?\s*$"
)
RE_REPLY_START = re.compile(r"^\s*" + REPLY_LABEL)
RE_REPLY = re.compile(r"(?:^|(?<=[。;；！？!?”）)]))\s*" + REPLY_LABEL)

# --- inside a question -----------------------------------------------------------------------------

# party words and kinds: one vocabulary (drafter/data/vocab.json, drafter.vocab)
PARTY_WORDS = _PARTY_WORDS
# what kind of party a name is (Verification.kinds): the letter's words stay in Verification.parties
PARTY_KINDS = _PARTY_KINDS
# a verification ask: 请保荐人、申报会计师… (at a sentence start)
RE_VERIFY = re.compile(
    r"(?:^|(?<=[\n。;；！？!?:：,，]))\s*(?:另|同时|并|此外[,，]?)?\s*请\s*(?:你公司|公司|上市公司)?\s*"
    r"(?:本次(?:重组|交易|发行)的?|聘请的)?\s*(?:独立)?" + PARTY_WORDS  # (请公司本次重组财务顾问…核查)
)
# a request intro: 请发行人: / 请发行人说明: / 请发行人补充披露… / 请公司… (not 请发行人律师)
SUBJECTS = r"(?:发行人|申请人|上市公司|你公司|贵公司|公司|标的公司|你们)"
# CSRC feedback letters often ask with no subject at all: 请说明… / 请补充披露… / 请结合…分析…
SUBJECTLESS = r"(?:补充|进一步|详细|具体|逐项|分别|量化|全面)?\s*(?:说明|披露|分析|提供|列示|解释|核实|结合|对比|自查)"
# others a 关注函 / 重组问询函 asks directly (their words stay in the request: 控股股东说明…)
OTHER_SUBJECTS = r"(?:控股股东|实际控制人|董事会|全体董事|交易对方)(?!、?(?:保荐|会计师|律师|独立董事|监事会))"
RE_INTRO = re.compile(
    r"(?:^|(?<=[\n。;；！？!?:：])|(?<=[,，](?=请\s*(?:你公司|贵公司|公司|上市公司|发行人|申请人)[^律、及和]))"
    r"|(?<=[(（]\d[)）])|(?<=[(（]\d\d[)）])|(?<=[(（][一二三四五六七八九十][)）])"  # right after an item label: `(6)请发行人结合…`, `(二)请你公司…`
    r"|(?<=[“\"])|(?<=[“\"]\d、)|(?<=[“\"]\d\d、))"  # a quoted question in a reply: `1、“1、请详细说明…`
    r"\s*(?:另|同时|此外[,，]?)?\s*请\s*(?:" + SUBJECTS + r"(?!律师|、|及(?:保荐|中介|独立)|和(?:保荐|中介|独立)|独立董事|监事会|年审"
    r"|(?:本次(?:重组|交易|发行)的?|聘请的)(?:独立)?(?:财务顾问|保荐|会计师|律师|评估))"
    r"|(?=" + SUBJECTLESS + r")"
    r"|(?=" + OTHER_SUBJECTS + r"))"
)
RE_PAREN_NUM = re.compile(r"^\s*[(（]\s*(\d{1,2})\s*[)）]")

FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _dg(n: int) -> str:
    """A number as a pattern matching ASCII or full-width digits: 12 -> (?:1|１)(?:2|２)."""
    return "".join(f"(?:{c}|{chr(ord(c) + 0xFEE0)})" for c in str(n))


MARKER_STYLES = {
    "paren": lambda n: rf"[(（]\s*{_dg(n)}\s*[)）]",
    "circled": lambda n: re.escape(CIRCLED[n - 1]) if n <= 20 else r"(?!x)x",
    "half": lambda n: rf"(?<![(（\d]){_dg(n)}\s*[)）]",
    "dun": lambda n: rf"(?<![\d.．]){_dg(n)}\s*、",
    "dot": lambda n: rf"(?<![\d.．]){_dg(n)}\s*[.．](?!\d)",
    "cnparen": lambda n: rf"[(（]\s*{CN_NUM[n - 1] if n <= 10 else 'x'}\s*[)）]",
}
FIRST_MARKER = [
    ("paren", re.compile(r"^[(（]\s*[1１]\s*[)）]")),
    ("circled", re.compile(r"^①")),
    ("half", re.compile(r"^[1１]\s*[)）]")),
    ("dun", re.compile(r"^[1１]\s*、")),
    ("dot", re.compile(r"^[1１]\s*[.．](?!\d)")),
    ("cnparen", re.compile(r"^[(（]\s*一\s*[)）]")),
]
BOUNDARY = "\n。;；:：,，！？!? "

DEMAND_WORDS = [
    ("核查方法", r"核查(?:方法|方式|手段)|(?:函证|走访|监盘|访谈)[^。;；]{0,6}方法"),
    ("核查范围", r"范围|核查对象"),
    ("核查比例", r"比例"),
    ("核查过程", r"核查过程"),
    ("核查程序", r"核查程序|履行的程序|执行的程序|所采取的核查措施|替代(?:性)?(?:核查)?(?:程序|措施)"),
    ("取得的证据", r"(?:取得|获取|获得)的?(?:相关)?(?:核查)?证据|核查证据"),
    ("核查结论", r"核查结论|及结论|和结论|、结论|核查意见"),
    ("函证", r"函证"),
    ("走访", r"走访"),
    ("监盘", r"监盘"),
    ("资金流水核查", r"资金流水"),
]
RE_RULE = re.compile(
    r"《[^《》]{2,60}》"
    r"(?:\s*(?:第\s*[一二三四五六七八九十百零\d]+(?:\s*[-－—]\s*\d+)?\s*[条问题款项章节]"
    r"(?:第[一二三四五六七八九十百零\d]+[条问题款项])?|\d+\s*[-－—]\s*\d+(?:\s*条)?|问题\s*\d+))?"
)
RE_DISCLOSE = re.compile(r"披露")

RE_CLOSING = re.compile(
    r"^\s*(?:请(?:你|贵)?(?:公司|发行人|保荐人|保荐机构)?(?:[及与和](?:保荐人|保荐机构|中介机构))?(?:对上述问题|就上述问题|对以下问题|就以下问题|对下列问题|对本函|逐项落实|认真落实|在\s*\d+|于\s*\d+|自收到)"
    r"|请对上述问题|请就上述问题|对本问询函|对上述问题逐项落实|如对本函|涉及对招股说明书的修改|发行人及(?:保荐人|保荐机构)|"
    r"对于上述问题|对于上述事项|除上述问题外|除上述事项外|请发行人区分|特此函告|我部提醒你公司|"
    r"(?:同时\s*[,，]?\s*)?请(?:你|贵)?(?:公司|发行人)?关注(?:社会关注度|媒体报道|与本次发行相关的)|若无重大舆情|"
    r"请(?:你|贵)?(?:公司|发行人)?(?:收到本|于收到|在收到)|"
    r"(?:深圳|上海|北京)证券交易所\s*(?:上市审核中心|上市审核|发行上市审核|(?:创业板|科创板|主板)?(?:上市)?公司管理)?\s*[一二三四五]?(?:部|中心|机构)?\s*$|"
    r"(?:创业板|科创板|主板)?(?:上市)?公司管理[一二三四五]?部\s*$|上市审核中心\s*$|"
    r"中国证(?:券)?监(?:督管理委员)?会(?:发行监管部)?\s*$|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$|[二〇零一]{4}年|（本页无正文|\(本页无正文|本页无正文|附件[:：]?)"
)
