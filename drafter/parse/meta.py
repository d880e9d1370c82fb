"""Letter metadata: title, issuer, exchange, board, offering kind, round, date, number, addressee."""
from __future__ import annotations

import re

from ..models import LetterMeta
from .headings import Heading, cn_number


# --- metadata --------------------------------------------------------------------------------------------

EXCHANGES = [
    ("深圳证券交易所", r"深圳证券交易所|深交所"),
    ("上海证券交易所", r"上海证券交易所|上交所"),
    ("北京证券交易所", r"北京证券交易所|北交所"),
    ("中国证监会", r"中国证券监督管理委员会|中国证监会"),
]
KINDS = [
    ("向不特定对象发行可转换公司债券", r"向不特定对象发行可转换公司债券|向不特定对象发行可转债"),
    ("向特定对象发行股票", r"向特定对象发行(?:A股)?股票"),
    ("向特定对象发行可转换公司债券", r"向特定对象发行可转换公司债券"),
    ("公开发行可转换公司债券", r"公开发行可转换公司债券"),
    ("非公开发行股票", r"非公开发行(?:A股)?股票"),
    ("发行股份购买资产", r"发行股份(?:及支付现金)?购买资产"),
    ("重大资产重组", r"重大资产重组|重组"),
    ("首次公开发行股票", r"首次公开发行"),
    ("向不特定合格投资者公开发行股票", r"向不特定合格投资者公开发行股票"),
    ("公开发行股票", r"公开发行股票并在(?:北交所|北京证券交易所|精选层)"),
]


def letter_meta(paras: list[str], headings: list[Heading], kind: str) -> LetterMeta:
    top_end = headings[0].idx if headings else min(len(paras), 40)
    top = paras[:top_end]
    top_text = "\n".join(top)
    meta = LetterMeta()
    # the letter's title: 《关于…问询函》 quoted in a reply's opening, or a title line (possibly split)
    title = None
    m = re.search(r"《(关于[^《》]{4,120}?(?:问询函|反馈意见|意见函|落实函|审核意见|关注函)[^《》]{0,10})》", top_text)
    if not m:
        m = re.search(r"《((?:中国证监会|中国证券监督管理委员会)[^《》]{0,40}?(?:反馈意见通知书|反馈意见|告知函))》", top_text)
    if m:
        title = m.group(1)
    else:
        joined = "".join(p for p in top[:15] if len(p) < 80)
        m = re.search(r"(关于[^:：。]{4,120}?(?:问询函|反馈意见|意见函|落实函|审核意见|问询问题|关注函))(?!的回复)", joined)
        if m:
            title = m.group(1)
        else:  # 中国证监会行政许可项目审查一次反馈意见通知书
            m = re.search(r"((?:中国证监会|中国证券监督管理委员会)[^:：。]{0,40}?(?:反馈意见通知书|反馈意见|告知函))(?!的回复)", joined)
            if m:
                title = m.group(1)
    if not title:  # a CSRC notice's own first line: X股份有限公司首次公开发行股票申请文件反馈意见
        for p in top[:5]:
            m = re.match(r"^\s*([\u4e00-\u9fff（）()]{2,40}?(?:股份有限公司|有限责任公司)[^。:：，,]{0,60}?(?:反馈意见|问询函|落实函|关注函|意见函))\s*$", p)
            if m:
                title = m.group(1)
                break
    if title:
        title = re.sub(r"\s*\n\s*", "", title)  # a title broken over lines is one title
        title = re.sub(r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff])", "", title)  # (a line break a copy left as a space)
    meta.title = title
    if title:
        im = re.search(r"关于(?:对)?(.+?(?:股份有限公司|有限责任公司|有限公司|集团公司|公司))", title)
        # 关于发行人申请向不特定对象发行可转换公司债券…: "公司" of 可转换公司债券 is no issuer's name
        if im and not re.search(r"发行|申请|首次公开|可转换|债券|上市", im.group(1)):
            meta.issuer = im.group(1)
    if not meta.issuer:
        im = re.search(r"([\u4e00-\u9fff（）()]{2,40}?(?:股份有限公司|有限责任公司))", top_text)
        if im:
            meta.issuer = re.sub(r"^(?:关于对|关于|对)", "", im.group(1))
    scope_text = (title or "") + "\n" + top_text
    for name, rx in EXCHANGES:
        if re.search(r"^\s*(?:" + rx + r")\s*[:：]\s*$", top_text, re.M) or (title and re.search(rx, title)):
            meta.exchange = name
            break
    if not meta.exchange:
        for name, rx in EXCHANGES:
            if re.search(rx, top_text):
                meta.exchange = name
                break
    if not meta.exchange and kind == "letter":
        # the signature at the end: 深圳证券交易所 / 上市公司管理一部 / 2024年5月17日
        tail = "\n".join(paras[-8:])
        for name, rx in EXCHANGES:
            if re.search(r"^\s*(?:" + rx + r")", tail, re.M):
                meta.exchange = name
                break
    if not meta.exchange and kind == "letter" and re.search(r"我会|发行监管部|并购重组审核委员会|行政许可", top_text):
        meta.exchange = "中国证监会"  # a CSRC feedback notice (现对你公司推荐的…提出反馈意见…我会收到你公司的回复后…)
    if not meta.exchange:
        if re.search(r"创业板", scope_text):
            meta.exchange = "深圳证券交易所"
        elif re.search(r"科创板", scope_text):
            meta.exchange = "上海证券交易所"
    board = None
    if re.search(r"创业板", scope_text):
        board = "创业板"
    elif re.search(r"科创板", scope_text):
        board = "科创板"
    elif re.search(r"北交所|北京证券交易所|精选层", scope_text):
        board = "北交所"
    elif re.search(r"主板", scope_text):
        board = "主板"
    if board is None and meta.number and re.match(r"上证科审", meta.number):
        board = "科创板"  # 上证科审（审核）/（再融资）: the STAR market's review letters
    meta.board = board
    for name, rx in KINDS:
        if re.search(rx, title or "") or (not title and re.search(rx, top_text)):
            meta.offering_kind = name
            break
    if not meta.offering_kind and title and re.match(r"(?:中国证监会|中国证券监督管理委员会)", title):
        for name, rx in KINDS:  # the notice names the application in its first paragraph
            if re.search(rx, top_text):
                meta.offering_kind = name
                break
    rt = title or top_text[:400]
    if re.search(r"落实函|意见落实", rt):
        meta.round = "落实函"
    elif re.search(r"第四轮|四轮", rt):
        meta.round = "第四轮"
    elif re.search(r"第三轮|三轮", rt):
        meta.round = "第三轮"
    elif re.search(r"第二轮|二轮|二次反馈", rt):
        meta.round = "第二轮"
    elif title or re.search(r"首轮|问询函|反馈意见", top_text):
        meta.round = "首轮"
    # a letter's own number (…函〔2023〕1号) before another's (an auditor's 大华核字[2018]003096号); a
    # space a line break left inside the prefix (`年报问 询函【2018】第 48 号`) is dropped
    nms = list(re.finditer(r"((?:[\u4e00-\u9fff()（）]|(?<=[\u4e00-\u9fff])[ \u3000](?=[\u4e00-\u9fff])){0,16}"
                           r"[〔［\[（(﹝【]\s*\d{4}\s*[〕］\]）)﹞】]\s*第?\s*\d{1,8}\s*号)", top_text))
    nm = next((m for m in nms if "函" in m.group(1)), nms[0] if nms else None)
    if not nm:  # CSRC notices: the acceptance number alone on its line (181562号)
        nm = re.search(r"^\s*(\d{5,8}\s*号)\s*$", top_text, re.M)
    if nm:
        meta.number = re.sub(r"[ \u3000]+", "", re.sub(r"^[(（]+", "", nm.group(1).strip()))
    # the day a letter was issued; not the day an earlier round was (`于2025年2月10日发出首轮审核问询函`)
    dm = next((m for m in re.finditer(
        r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:出具|下发|发出|印发|签发|发来|发布)(?!\s*(?:了|的)?\s*(?:首轮|第一轮|前次|上一轮|前一轮|前轮))",
        top_text)), None)
    if not dm:
        dm = re.search(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$", top_text, re.M)
    if not dm:  # a web copy's header line: 【300999】【青禾智能】【2016-03-01】
        dm = re.search(r"【\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*】", top_text)
    if not dm and kind == "letter":
        for p in reversed(paras[-12:]):
            dm = re.match(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$", p)
            if dm:
                break
    if dm:
        meta.date = f"{int(dm.group(1)):04d}-{int(dm.group(2)):02d}-{int(dm.group(3)):02d}"
    elif kind == "letter":
        for p in reversed(paras[-12:]):  # 二〇二四年五月十日
            cm = re.match(r"^\s*([〇零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日\s*$", p)
            if cm:
                y = "".join(str("〇一二三四五六七八九".index(c.replace("零", "〇"))) for c in cm.group(1))
                mo, d = cn_number(cm.group(2)), cn_number(cm.group(3))
                if 1 <= mo <= 12 and 1 <= d <= 31:
                    meta.date = f"{y}-{mo:02d}-{d:02d}"
                break
    if kind == "letter":
        for p in top:
            am = re.match(r"^\s*([\u4e00-\u9fff（）()、]{2,80}?)\s*[:：]\s*$", p)
            # (not a web page's share or source line: 关注证券之星官方微博：)
            if am and not re.search(r"问询|显示|如下|目录|说明|关注|微博|微信|分享|扫码|扫一扫|来源|阅读|点击|收藏|转发", am.group(1)):
                meta.addressee = am.group(1)
                break
    return meta
