"""Cleaning extracted letter text without losing any of its words.

Input: raw lines as they come out of a text file, a PDF text layer or a web page copy.
Output: one paragraph per line (no blank lines), with
- web-page chrome above the document (ticker lines, `下载公告`, `公告日期:`) and below it dropped;
- page-number lines (`8-1-4`, `8-1-3-12`, `1-1-20`, `- 3 -`, `第3页`, bare numbers) dropped;
- running headers/footers (a short line repeated beside page numbers) dropped;
- sentences broken by page breaks and PDF line wrapping re-joined;
- sub/superscripts split onto their own lines (`AgSnO` / `2`) glued back.
The wording itself is never changed: only line breaks are removed and noise lines dropped.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

# --- noise lines ---------------------------------------------------------------------------------

PAGE_NUMBER = re.compile(
    r"^\s*(?:"
    r"\d{1,3}(?:\s*-\s*\d{1,4}){1,3}"  # 8-1-4, 8-1-3-12, 1-1-20
    r"|[-－—–]\s*\d{1,4}\s*[-－—–]"  # - 3 -
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"  # 第3页 共20页
    r"|\d{1,4}\s*/\s*\d{1,4}"  # 3/20
    r"|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?"
    r"|\d{1,4}"  # bare page number
    r")\s*$"
)

# Lines of a web page around the document (stock ticker widgets, download links ...).
CHROME = re.compile(
    r"读取中|请稍候|^\s*\d{2}-\d{2}\s+\d{2}:\d{2}(?::\d{2})?\s*$|^\s*--\.--\s*$|^\s*[-+]?\d+\.\d+\s*\([-+]?\d+\.\d+%\)\s*$"
    r"|昨收盘|今开盘|成交额|成交量|市盈率|52周最|下载公告|^\s*公告日期\s*[:：]|附件\s*[:：]\s*公告原文|返回页顶"
    r"|^\s*(?:首页|当前位置|您的位置|位置)\s*[:：>＞]|^\s*字号\s*[:：]|分享到|打印本页|关闭窗口|^\s*来源\s*[:：]"
    r"|^\s*(?:发布|更新)时间\s*[:：]|^\s*浏览次数|^\s*【\s*(?:大|中|小)\s*】|^\s*上一篇|^\s*下一篇|^\s*责任编辑"
    r"|^\s*(?:登录|注册|搜索|网站地图|English|无障碍)(?:\s*[|｜/]\s*\S+)*+\s*$"
    r"|^\s*(?:发布|更新|公告|披露)日期\s*[:：]|^\s*字号\s*[:：]?\s*(?:[【\[]?\s*[大中小]\s*[】\]]?\s*){2,3}$"
    r"|^\s*(?:[【\[]\s*(?:打印|关闭|收藏|返回|分享)\s*[】\]]\s*)+$|^\s*(?:版权所有|Copyright|©)|^\s*(?:相关)?附件\s*[:：]\s*$"
    r"|^\s*(?:联系我们|法律声明|网站声明|隐私政策)(?:\s*[|｜/]\s*\S+)*+\s*$|[|｜]\s*(?:网站地图|联系我们|法律声明)"
    r"|^\s*\S{0,6}ICP备"
)

# Where the document itself starts (anything above that looks like chrome is dropped).
DOC_START = re.compile(
    r"问询函|问询意见|反馈意见|落实函|审核意见|意见函|关注函|监管工作函|(?:证券交易所|证监会|监督管理委员会)\s*[:：]\s*$"
    r"|^\s*(?:问题\s*)?[1１]\s*[.．、]|^\s*[一二三四五六七八九十]+、"
)

TERMINAL = "。:：;；！!？?"  # a paragraph may end here
CLOSERS = "”’」』)）】》"  # may follow the terminal punctuation
CONTINUING = "、,，(（“‘《〈—-·/+×"  # a line ending here surely goes on

# A line that starts a new paragraph even when the previous one did not end properly.
STRUCT_START = re.compile(
    r"^\s*(?:"
    r"问题\s*\d+|\d{1,3}\s*[.．、](?!\d)|[一二三四五六七八九十]+\s*[、.．]|[(（]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]"
    r"|[①-⑳]|\d{1,2}\s*[)）]|[【〖]|回\s*复\s*[:：]|答\s*复\s*[:：]"
    r"|请\s*(?:发行人|保荐|申报会计师|年审会计师|会计师|律师|发行人律师|申请人|独立财务顾问|评估|公司|你公司|上市公司)"
    r"|申报材料显示|根据申报材料|根据申请文件|根据问询回复|根据首轮|根据回复|注\s*\d*\s*[:：]|单位\s*[:：]|目\s*录|附件|附表"
    r"|（本页无正文|\(本页无正文|本页无正文"
    r")"
)
SUBHEAD = re.compile(
    r"^\s*(?:[(（]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]|[①-⑳]|\d{1,2}\s*[、.．)）](?!\d)|[一二三四五六七八九十]+\s*、|[A-Za-z]\s*[、.．])"
)
HEADING = re.compile(r"^\s*(?:问题\s*\d+|\d{1,3}\s*[.．、]\s*关于|[一二三四五六七八九十]+\s*、)")
STANDALONE_END = re.compile(r"(?:[〕\]］）)﹞】]\s*\d{1,8}\s*号|^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|问询函|反馈意见|意见函|落实函|通知书|的回复|审核中心|（修订稿）|\(修订稿\))\s*$")
STANDALONE_LINE = re.compile(r"^[^。，,；;]{2,80}(?:公司|交易所|审核中心|委员会|监管部|事务所)[:：]\s*$")
# STANDALONE_END without its whole-line date branch: for the end of a long paragraph
_STANDALONE_END_TAIL = re.compile(r"(?:[〕\]］）)﹞】]\s*\d{1,8}\s*号|问询函|反馈意见|意见函|落实函|通知书|的回复|审核中心|（修订稿）|\(修订稿\))\s*$")
SUBSCRIPT = re.compile(r"^[A-Za-z0-9]{1,3}$")
# a leader starts where its run starts and takes the whole run (possessive): linear on long runs of dots
TOC_LINE = re.compile(r"(?:(?<!\.)\.{4,}+|(?<!…)…{2,}+|(?<!·)·{4,}+|(?<!-)-{6,}+|(?<!_)_{6,}+)\s*+\d{1,4}\s*$")


RE_PROSE_PUNCT = re.compile(r"[，,。;；]")
RE_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?%?")
RE_DIGIT = re.compile(r"\d")
RE_DATE_ONLY = re.compile(r"\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?")


@lru_cache(maxsize=4096)
def _is_tabular(line: str) -> bool:
    """A table row flattened to text: many figures and no prose punctuation."""
    s = line.strip()
    if not s or RE_PROSE_PUNCT.search(s):
        return False
    if "\t" in s:
        return True
    if len(RE_DATE_ONLY.findall(s)) == 1 and len(RE_NUMBER.findall(RE_DATE_ONLY.sub("", s))) < 2 and not s[:1].isdigit():
        return False  # prose mentioning a date (截至2023年12月31日), not a table row
    return len(RE_NUMBER.findall(s)) >= 3 or len(RE_DIGIT.findall(s)) / len(s) > 0.3


RUNON_LINE = 200  # a line this long holds document text, whatever page words it also carries


def _chrome(line: str) -> bool:
    return len(line) < RUNON_LINE and CHROME.search(line) is not None


def _trim_runon(line: str) -> str:
    """A whole page copied as one line: drop the page's words before the letter's title
    (`首页 > … 读取中,请稍候 分享到 … 关于对X公司的关注函 …`)."""
    if len(line) < RUNON_LINE:
        return line
    m = DOC_START.search(line)
    if not m:
        return line
    title = line.rfind("关于", 0, m.start())
    if title > 0 and CHROME.search(line[:title]):
        return line[title:]
    return line


def strip_chrome(lines: list[str]) -> list[str]:
    """Drop web-page chrome above the document start and below the document end."""
    lines = [_trim_runon(ln) for ln in lines]
    start = None
    for i, line in enumerate(lines[:200]):
        if DOC_START.search(line) and not _chrome(line):
            start = i
            break
    if start is not None:
        head = [ln for ln in lines[:start] if ln.strip() and not _chrome(ln)]
        lines = head + lines[start:]
    # trailing chrome
    end = len(lines)
    while end > 0 and (not lines[end - 1].strip() or lines[end - 1] == PAGE_BREAK or _chrome(lines[end - 1])):
        end -= 1
    return lines[:end]


def _running_headers(lines: list[str], pagenos: set[int]) -> set[str]:
    """Short lines repeated next to page numbers: running headers or footers."""
    counts = Counter(ln.strip() for ln in lines if 0 < len(ln.strip()) <= 60)
    near: Counter[str] = Counter()
    for i in pagenos:
        seen = set()
        for j in (i - 2, i - 1, i + 1, i + 2):
            if 0 <= j < len(lines):
                s = lines[j].strip()
                if s and s not in seen and counts[s] >= 3:
                    near[s] += 1
                    seen.add(s)
    return {s for s, n in near.items() if n >= 3 and n >= counts[s] * 0.6}


PAGE_BREAK = "\ue000"  # a line holding only a form feed: the page ends here


def clean_lines(raw_lines: list[str], *, join: bool = True) -> list[str]:
    """Clean raw extracted lines into paragraphs (see module docstring).

    A line that is a form feed (`\\f`, as PDF extractors emit between pages) marks a page break.
    """
    lines = [PAGE_BREAK if "\f" in ln and not ln.replace("\f", "").strip() else ln for ln in raw_lines]
    lines = [ln.replace("\u3000", " ").replace("\xa0", " ").replace("\f", " ").rstrip() for ln in lines]
    lines = [ln.replace("\ufeff", "").replace("\u200b", "") for ln in lines]
    lines = strip_chrome(lines)

    # page numbers: a short digit line is a page number unless it is a split-off sub/superscript
    pagenos: set[int] = set()
    nonblank = [i for i, ln in enumerate(lines) if ln.strip()]
    for k, i in enumerate(nonblank):
        s = lines[i].strip()
        if s == PAGE_BREAK:
            pagenos.add(i)
            continue
        if not PAGE_NUMBER.match(s):
            continue
        if s.isdigit():
            prev = lines[nonblank[k - 1]].strip() if k > 0 else ""
            if len(s) <= 2 and prev[-1:].isascii() and prev[-1:].isalpha():
                continue  # AgSnO / 2: a subscript, glued back below
        pagenos.add(i)
    headers = _running_headers(lines, pagenos) if len(pagenos) >= 3 else set()
    headers.discard(PAGE_BREAK)

    # paragraphs: (text, broke_at_page) pairs
    items: list[tuple[str, bool]] = []
    page_break = False
    for i, ln in enumerate(lines):
        s = ln.strip()
        if not s:
            continue
        if i in pagenos:
            page_break = True
            continue
        if s in headers:
            page_break = True
            continue
        items.append((s, page_break))
        page_break = False

    if not join:
        return [s for s, _ in items]

    width = _line_width([s for s, _ in items])
    out: list[_Para] = []
    glue_next = False
    for s, after_break in items:
        if not out:
            out.append(_Para(s))
            continue
        prev = out[-1]
        if glue_next:
            glue_next = False
            if not STRUCT_START.match(s):
                prev.add(s)
                continue
        if SUBSCRIPT.match(s) and prev.tail[-1:].isascii() and prev.tail[-1:].isalnum() and not prev.is_tabular():
            prev.add(s)  # AgSnO + 2
            glue_next = True
            continue
        if _should_join(prev, s, width, after_break):
            prev.add(s)
        else:
            out.append(_Para(s))
    return [p.text() for p in out]


EXACT = 2000  # a paragraph up to this length is examined whole; a longer one by its ends and running counts
TAIL = 64  # patterns anchored at a paragraph's end (TOC leaders, `〔2025〕1号`) look at this many last characters


class _Para:
    """A paragraph being re-joined from lines. Joining appends a piece (never copies the growing text)
    and keeps what the joining rules look at (its start, its end, quote and figure counts), so cleaning
    stays linear however long a paragraph without sentence stops grows."""

    __slots__ = ("parts", "length", "head", "tail", "quotes", "prose", "tab", "digits", "numbers")

    def __init__(self, s: str) -> None:
        self.parts = [s]
        self.length = len(s)
        self.head = s[:EXACT]
        self.tail = s[-EXACT:]
        self.quotes = s.count("“") - s.count("”")
        self.prose = bool(RE_PROSE_PUNCT.search(s))
        self.tab = "\t" in s
        self.digits = len(RE_DIGIT.findall(s))
        self.numbers = len(RE_NUMBER.findall(s))

    def add(self, s: str) -> None:
        self.parts.append(s)
        self.length += len(s)
        if len(self.head) < EXACT:
            self.head = (self.head + s)[:EXACT]
        self.tail = (self.tail + s)[-EXACT:]
        self.quotes += s.count("“") - s.count("”")
        self.prose = self.prose or bool(RE_PROSE_PUNCT.search(s))
        self.tab = self.tab or "\t" in s
        self.digits += len(RE_DIGIT.findall(s))
        self.numbers += len(RE_NUMBER.findall(s))

    @property
    def whole(self) -> bool:
        return self.length <= EXACT  # head and tail both hold the whole text

    def is_tabular(self) -> bool:
        if self.whole:
            return _is_tabular(self.head)
        if self.prose:
            return False
        return self.tab or self.numbers >= 3 or self.digits / self.length > 0.3

    def text(self) -> str:
        return "".join(self.parts)


def _line_width(lines: list[str]) -> int:
    lengths = sorted(len(s) for s in lines if len(s) >= 8)
    if not lengths:
        return 0
    return lengths[int(len(lengths) * 0.9) - 1 if len(lengths) > 1 else 0]


def _should_join(para: _Para, nxt: str, width: int, after_break: bool) -> bool:
    """Was the paragraph so far cut in the middle of a sentence (page break or line wrap)?"""
    prev, head = para.tail[-TAIL:], para.head  # end patterns look at the last TAIL characters
    nxt_tail = nxt[-TAIL:]
    last = prev[-1]
    if last in TERMINAL:
        return False
    if last in CLOSERS and len(prev) > 1 and prev[-2] in TERMINAL:
        return False
    if STRUCT_START.match(nxt) or TOC_LINE.search(prev) or TOC_LINE.search(nxt_tail):
        return False
    if para.quotes > 0 and para.length >= 0.8 * width and not _is_tabular(nxt):
        return True  # a quotation opened and not closed on a full line goes on (`一、问询函问题“2、…`)
    if para.is_tabular() or _is_tabular(nxt):
        return False
    if para.length < 60 and HEADING.match(head):
        return False
    if last in CONTINUING:
        return True
    if para.length < min(60, 0.9 * width) and SUBHEAD.match(head) and not re.search(r"[。；;,，]", head):
        return False  # a numbered subheading (`(1)…的原因合理`, `1、…`) stands on its own line
    if (STANDALONE_END if para.length <= TAIL else _STANDALONE_END_TAIL).search(prev) \
            or STANDALONE_LINE.match(nxt):
        return False  # 审核函〔2025〕1号 / 2025年5月6日 / 某某公司： stand on their own lines
    if after_break:
        return True  # the page ended in the middle of a sentence
    threshold = 30 if width >= 40 else max(12, int(width * 0.8))
    return para.length >= threshold


def clean_text(text: str, *, join: bool = True) -> str:
    """Clean a whole text (see `clean_lines`); paragraphs separated by one newline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\f\n")
    return "\n".join(clean_lines(text.split("\n"), join=join))
