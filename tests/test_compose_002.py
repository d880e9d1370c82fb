"""Drafting the real 002 letter (深交所, 创业板 IPO, 17 questions, 77 requests) for tests/data/company_002.yaml."""
from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from drafter.document import Paragraph, Table, Toc
from drafter.draft import draft_with_summary
from drafter.parse import parse_file
from _helpers import nf

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def drafted(reply002, tmp_path_factory):
    out = tmp_path_factory.mktemp("d002") / "reply002.docx"
    res = draft_with_summary(reply002, DATA / "company_002.yaml", out)
    return res


@pytest.fixture(scope="module")
def letter(reply002):
    return parse_file(reply002)


@pytest.fixture(scope="module")
def paras(drafted):
    return [b for b in drafted.document.blocks if isinstance(b, Paragraph)]


def per_question(paras):
    """heading1 text -> the paragraphs up to the next heading1 (signature pages excluded)."""
    out: dict[str, list[Paragraph]] = {}
    cur = None
    for p in paras:
        if p.style == "heading1":
            cur = nf(p.text)
            out[cur] = []
        elif p.style.startswith("signature"):
            cur = None
        elif cur:
            out[cur].append(p)
    return out


def test_every_question_heading(drafted, letter, paras):
    assert drafted.questions == 17 and drafted.requests == 77
    heads = [nf(p.text) for p in paras if p.style == "heading1"]
    assert heads == [nf(f"{q.label}{q.title}") for q in letter.questions]
    assert heads[0] == "1.关于发行人业务、行业发展和创业板定位"
    assert heads[16] == "17.关于审计截止日后财务信息及经营状况"
    toc = next(b for b in drafted.document.blocks if isinstance(b, Toc))
    assert [nf(e) for e in toc.entries] == heads


def test_every_request_mirrored_as_subheading(letter, paras):
    sections = per_question(paras)
    mirrored = 0
    for q in letter.questions:
        body = sections[nf(f"{q.label}{q.title}")]
        subs = [nf(p.text) for p in body if p.style == "heading3"]
        for i, r in enumerate(q.requests):
            want = nf(r.text).strip().rstrip(";。,")
            assert subs[i].endswith(want), (q.number, r.id, subs[i][:40], want[:40])
            assert not re.search(r"[;。,、:]$", subs[i]), subs[i][-20:]  # all end alike, without the closing mark
            assert re.match(r"^\([一二三四五六七八九十]+\)", subs[i])
            mirrored += 1
    assert mirrored == 77


def test_question_quoted_and_reply_label(letter, paras):
    sections = per_question(paras)
    for q in letter.questions:
        body = sections[nf(f"{q.label}{q.title}")]
        quoted = nf("".join(p.text for p in body if p.style == "question"))
        assert nf(q.requests[-1].text).strip()[:30] in quoted
        assert [p.text for p in body if p.style == "reply_label"] == ["回复："]
        assert nf([p.text for p in body if p.style == "heading2"][0]) == "一、发行人说明"


def test_verification_names_only_the_parties_asked(letter, paras):
    sections = per_question(paras)
    for q in letter.questions:
        body = [nf(p.text) for p in sections[nf(f"{q.label}{q.title}")]]
        asked = {p for v in q.verification for p in v.parties}
        assert "二、中介机构核查情况" in body
        assert "(一)核查程序" in body and "(二)核查意见" in body
        leads = [t for t in body if t.endswith("履行了以下核查程序:")]
        opinions = [t for t in body if t.startswith("经核查,") and t.endswith("认为:")]
        assert leads and opinions
        named = set()
        for t in leads + opinions:
            named |= {p for p in ("保荐人", "申报会计师", "发行人律师") if p in t}
        assert named == asked, (q.number, named, asked)
    q4 = " ".join(nf(p.text) for p in sections["4.关于股权变动与历史沿革"])
    q5 = " ".join(nf(p.text) for p in sections["5.关于技术秘密保护"])
    assert "申报会计师" not in q4.split("二、中介机构核查情况")[1]
    assert "申报会计师" not in q5.split("二、中介机构核查情况")[1]
    assert "保荐人、发行人律师履行了以下核查程序:" in q4


def test_conclusions_mirror_requests_and_wait_for_confirmation(paras):
    sections = per_question(paras)
    q1 = sections["1.关于发行人业务、行业发展和创业板定位"]
    opinions = [p for p in q1 if nf(p.text).startswith("3、")][-1]
    # a 是否 ask: both answers offered to the reviewer, the usual finding first, as a highlighted run
    assert "发行人【待核实:不存在/存在】将研发人员和其他人员混同的情形" in nf(opinions.text)
    assert any(r.placeholder and nf(r.text) == "【待核实:不存在/存在】" for r in opinions.runs)
    five = [p for p in q1 if nf(p.text).startswith("5、")][-1]
    assert "发行人【待核实:符合/不符合】创业板定位" in nf(five.text)


def test_ipo_words_and_amendments(drafted, paras):
    text = nf("\n".join(p.text for p in paras))
    assert "首次公开发行股票并在创业板上市" in text
    assert "深圳证券交易所:" in text
    assert "审核函﹝2023﹞010019号" in text or "审核函〔2023〕010019号" in text
    assert "招股说明书" in text and "募集说明书" not in text
    leads = [p for p in paras if p.style == "amendment_lead"]
    assert leads and all(any(r.placeholder for r in p.runs) for p in leads)
    assert all(nf(p.text).startswith("发行人已在招股说明书“") for p in leads)


def test_computed_tables_have_their_formula(drafted):
    tables = [b for b in drafted.document.blocks if isinstance(b, Table)]
    assert tables
    for t in tables:
        if any("率" in c or "占比" in c for row in t.header for c in row) or any("率" in r[0] for r in t.rows):
            assert t.notes, t.header


def test_docx_opens_with_fonts_fields_and_page_numbers(drafted):
    path = drafted.path
    d = docx.Document(str(path))
    assert len(d.paragraphs) > 500
    faces = set()
    for st in d.styles:
        rpr = st.element.rPr
        if rpr is not None and rpr.rFonts is not None:
            ea = rpr.rFonts.get(qn("w:eastAsia"))
            if ea:
                faces.add(ea)
    assert {"黑体", "宋体", "楷体"} <= faces
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/") and n.endswith(".xml"))
    assert re.search(r"instrText[^>]*>\s*PAGE\s*<", xml)
    assert re.search(r"instrText[^>]*>\s*TOC\b", xml)
    texts = [nf(p.text) for p in d.paragraphs]
    assert "1.关于发行人业务、行业发展和创业板定位" in texts
    assert sum(1 for t in texts if "之签章页" in t) == 2


def test_review_of_the_draft_finds_every_answer_and_opinion(drafted, reply002):
    """Round trip: the project's own reviewer reads our draft back against the letter."""
    from drafter.review import review_reply

    rep = review_reply(drafted.path, reply002)
    assert (rep.questions_answered, rep.requests_answered, rep.requests_total) == (17, 77, 77)
    assert rep.altered_questions == []  # the questions are quoted as the letter has them
    for q in rep.questions:
        for p in q.parties:
            assert p.procedures and p.opinion and not p.scope_missing, (q.number, p)
    kinds = {f.kind for f in rep.findings if f.severity == "blocking"}
    assert kinds == {"placeholder"}  # only the gaps a person must fill


def test_figures_missing_from_the_data_are_blanks_not_dashes(drafted):
    """company_002 has no 2022H1 inventory split and no 跌价准备: those cells are 【待补充】, never "-"."""
    tables = [b for b in drafted.document.blocks if isinstance(b, Table)]
    # no 2022年6月末 split at all: a placeholder naming the data, not a table of blanks
    assert not any(t.header[0][:3] == ["项目", "账面余额", "跌价准备"] for t in tables)
    assert any("【待补充:最近一期末各类存货账面余额及跌价准备" in nf(b.text) for b in drafted.document.blocks
               if isinstance(b, Paragraph))
    composition = next(t for t in tables if t.rows and t.rows[0][0] == "原材料" and len(t.header) == 2)
    assert composition.rows[0][1:3] == ["【待补充】", "【待补充】"]  # 2022年6月末: amount and share to fill
    turnover = next(t for t in tables if t.rows and nf(t.rows[-1][0]) == "存货周转率(次)")
    # 2022年1-6月 and 2019 lack 营业成本 (blanks to fill); 2021 is computed
    assert turnover.rows[-1][1] == "【待补充】" == turnover.rows[-1][-1]
    assert re.fullmatch(r"\d+\.\d\d", turnover.rows[-1][2])


def test_signature_names_missing_from_the_data_are_blanks(drafted, paras):
    sig = [p for p in paras if p.style == "signature"]
    reps = next(p for p in sig if p.text.startswith("保荐代表人"))
    assert [r.text for r in reps.runs if r.placeholder] == ["【保荐代表人姓名】", "【保荐代表人姓名】"]
    assert drafted.document.blocks[-1].text.strip().startswith("年")  # the last page ends with the date line


def test_interim_receivables_ratio_as_published_and_marked_not_annualised(drafted, paras):
    # the published 54.17% for 2022年1-6月 is the unannualised ratio: drafted as computed, and said so
    ar = [b for b in drafted.document.blocks if isinstance(b, Table)
          and any(r[0] == "应收账款余额占营业收入比例" for r in b.rows)]
    assert ar, "no receivables table in the 002 draft"
    row = next(r for r in ar[0].rows if r[0] == "应收账款余额占营业收入比例")
    assert row[1:] == ["54.17%", "40.98%", "30.90%", "34.55%"]  # latest first, as filed
    assert any("2022年1-6月数据未年化" in nf(n) for n in ar[0].notes)
    prose = [nf(p.text) for p in paras if "应收账款余额占当期营业收入的比例为54.17%" in nf(p.text)]
    assert prose and all("(当期营业收入为2022年1-6月数据,未年化)" in t for t in prose)
    for t in (b for b in drafted.document.blocks if isinstance(b, Table)):
        if any("周转率" in r[0] for r in t.rows):
            assert any("未年化" in n for n in t.notes), t.rows[0]


def test_inventory_turnover_on_balances_as_published_and_as_data_check(drafted):
    # 002 publishes 存货周转率 5.26次 for 2021 on average 账面余额 (3,751.53 and 8,321.03 万元); the
    # draft and `data check` (drafter.company.metrics) compute it alike, never on book values (5.41)
    from drafter.company import load_company
    from drafter.company.metrics import metric_series

    t = next(b for b in drafted.document.blocks if isinstance(b, Table) and b.rows
             and nf(b.rows[-1][0]) == "存货周转率(次)")
    assert nf(t.rows[0][0]) == "存货账面余额" and "账面余额" in nf(t.notes[0])
    assert nf(t.header[0][2]) == "2021年" and t.rows[-1][2] == "5.26"
    m = metric_series(load_company(DATA / "company_002.yaml"))["inventory_turnover"]
    assert str(m["2021"].quantize(Decimal("0.01"))) == "5.26"
    # 2020 needs the 2019 balance, which the data lacks: a blank to fill, not a dash nor a book-value figure
    assert nf(t.header[0][3]) == "2020年" and t.rows[-1][3] == "【待补充】"
