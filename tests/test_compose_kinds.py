"""Letter kinds: every letter of tests/data/letters drafted with the example company data
(--allow-other-issuer) reads as a reply to THAT kind of letter — addressee, title, the letter's word
for the company, signers, group headings, party procedures — and `drafter review --letter` of the
draft finds every question and request answered, with placeholders the only blocking findings."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest

from drafter.review.checklist import build_checklist
from drafter.compose import compose_reply
from drafter.match import LetterMatch
from drafter.compose.parties import kinds_of, party_kind, procedure_kinds
from drafter.draft import draft_with_summary
from drafter.models import Letter, LetterMeta, Question, Request, Verification
from drafter.parse import parse_file
from drafter.review import review_reply
from drafter.render.style import HouseStyle
from _helpers import nf

ROOT = Path(__file__).resolve().parents[1]
LETTERS = ROOT / "tests" / "data" / "letters"
COMPANY = ROOT / "examples" / "company.yaml"
ALL = sorted(p.stem for p in LETTERS.glob("*.txt"))


@pytest.fixture(scope="module")
def drafts(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("kinds")
    paths = {}
    for stem in ALL:
        p = out / f"{stem}.docx"
        draft_with_summary(LETTERS / f"{stem}.txt", COMPANY, p, library=False, allow_other_issuer=True)
        paths[stem] = p
    return paths


def lines(path: Path) -> list[str]:
    d = docx.Document(str(path))
    return [nf(p.text).strip() for p in d.paragraphs if p.text.strip()]


def text(path: Path) -> str:
    return "\n".join(lines(path))


def front(path: Path) -> str:
    """Cover and opening: everything before the 目录."""
    ls = lines(path)
    return "\n".join(ls[: next(i for i, ln in enumerate(ls) if ln.replace(" ", "") == "目录")])


def signature_pages(path: Path) -> str:
    ls = lines(path)
    return "\n".join(ls[next(i for i, ln in enumerate(ls) if "之签章页" in ln):])


# ------------------------------------------------------------------ every letter: drafted and read back


@pytest.mark.parametrize("stem", ALL)
def test_every_letter_drafts_and_reviews_with_only_placeholders_blocking(drafts, stem):
    rep = review_reply(drafts[stem], letter_path=LETTERS / f"{stem}.txt")
    assert rep.questions_answered == rep.questions_total > 0
    assert rep.requests_answered == rep.requests_total > 0
    assert {f.kind for f in rep.blocking} <= {"placeholder"}, [f.message for f in rep.blocking if f.kind != "placeholder"]


# ------------------------------------------------------------------ 1. party kinds


def test_party_kinds_one_mapping():
    assert [party_kind(p) for p in ("保荐机构", "独立财务顾问", "评估机构", "评估师", "独立董事", "监事会", "年审会计师", "申请人律师")] == [
        "sponsor", "financial_advisor", "appraiser", "appraiser", "directors", "directors", "auditor", "lawyer"]
    assert procedure_kinds("financial_advisor") == ["sponsor"]
    assert procedure_kinds("appraiser") == procedure_kinds("directors") == []
    assert procedure_kinds("intermediaries") == ["sponsor", "auditor", "lawyer"]
    v = Verification(text="请独立财务顾问、评估机构核查", parties=["独立财务顾问", "评估机构"], kinds=["financial_advisor", "appraiser"])
    assert kinds_of(v) == ["financial_advisor", "appraiser"]
    assert kinds_of(Verification(text="x", parties=["独立董事"])) == ["directors"]  # kinds not filled: computed


def test_appraiser_and_directors_never_get_the_auditors_procedures():
    from drafter.match.bank import load_bank

    bank = load_bank()
    topic = next(t for t in bank.topics.values() if t.procedures.get("auditor") and t.procedures.get("sponsor"))
    q = Question(number=1, label="1.", title="关于X", text="1.关于X\n请公司说明X。",
                 requests=[Request(id="1", label="", text="说明X的原因")],
                 verification=[Verification(text="请评估机构、独立董事核查并发表明确意见", parties=["评估机构", "独立董事"],
                                            kinds=["appraiser", "directors"])])
    let = Letter(source="x", meta=LetterMeta(title="关于对示例股份有限公司的关注函", issuer="示例股份有限公司"), questions=[q])
    doc = compose_reply(let, None, LetterMatch.model_validate({"questions": [{"number": 1, "topics": [{"id": topic.id, "score": 1.0, "reason": ""}]}]}), HouseStyle(), bank)
    body = nf("\n".join(b.text for b in doc.blocks if getattr(b, "kind", "") == "paragraph"))
    for p in topic.procedures["auditor"] + topic.procedures["sponsor"]:
        assert nf(p).rstrip(";。") not in body
    assert "【待补充:评估机构针对本题事项履行的核查程序】" in body
    assert "【待补充:独立董事针对本题事项履行的核查程序】" in body


def test_restructuring_financial_advisor_does_the_sponsors_procedures(drafts):
    from drafter.match.bank import load_bank

    bank = load_bank()
    t = text(drafts["e_szse_restructuring"])
    q1 = t.split("\n问题1\n", 1)[1].split("\n问题2\n", 1)[0]  # untitled questions: headed 问题N
    assert "独立财务顾问、评估机构履行了以下核查程序:" in q1
    assert "【待补充:评估机构针对本题事项履行的核查程序】" in q1
    sponsor_steps = {nf(p).rstrip(";。") for tp in bank.topics.values() for p in tp.procedures.get("sponsor", [])}
    assert any(ln[ln.index("、") + 1:].rstrip(";。") in sponsor_steps for ln in q1.split("\n") if ln[:2] in ("1、", "2、"))
    # the checklist: 独立财务顾问 rows carry procedures (the sponsor's), 评估机构 rows none of anyone's
    cl = build_checklist(parse_file(LETTERS / "e_szse_restructuring.txt"), bank=bank)
    fa = [r for r in cl.rows if r.kind == "verification" and r.party == "独立财务顾问"]
    ap = [r for r in cl.rows if r.kind == "verification" and r.party in ("评估机构", "评估师")]
    assert fa and all(r.procedures for r in fa)
    assert all({nf(p).rstrip(";。") for p in r.procedures} <= sponsor_steps for r in fa)
    assert ap and not any(r.procedures for r in ap)


# ------------------------------------------------------------------ 2. grouped letters


def test_csrc_groups_are_written_and_numbering_restarts(drafts):
    ls = lines(drafts["g_csrc_feedback"])
    body = ls[ls.index("目 录") + 1:] if "目 录" in ls else ls
    assert body.count("一、重点问题") == 2 and body.count("二、一般问题") == 2  # contents and body
    after = ls[len(ls) - ls[::-1].index("二、一般问题"):]
    assert after[0] == "问题1" and after[1].startswith("请申请人公开披露最近五年")  # numbering restarts
    rep = review_reply(drafts["g_csrc_feedback"], letter_path=LETTERS / "g_csrc_feedback.txt")
    assert (rep.questions_answered, rep.questions_total, rep.requests_answered, rep.requests_total) == (7, 7, 12, 12)
    assert not rep.warnings or all("not in the letter" not in f.message for f in rep.warnings)


def test_annual_report_groups(drafts):
    t = text(drafts["f2_sse_annual_report"])
    assert "\n一、关于经营情况\n1.关于收入确认\n" in t and "\n二、关于财务信息\n3.关于货币资金与有息负债\n" in t


# ------------------------------------------------------------------ 3./4. front matter, words and signers per kind


def test_csrc_feedback(drafts):
    f = front(drafts["g_csrc_feedback"])
    assert "关于江西赣锋新材料股份有限公司\n非公开发行股票\n申请文件反馈意见的回复" in f
    assert "\n中国证券监督管理委员会:\n" in f and "贵会于" in f and "(以下简称“反馈意见”)" in f
    assert "“申请人”或“公司”" in f and "(以下简称“申请人律师”)" in f and "(以下简称“会计师”)" in f
    assert "保荐机构(主承销商)" in f
    t = text(drafts["g_csrc_feedback"])
    assert "一、申请人说明" in t and "发行人说明" not in t and "发行人" not in t.split("目 录", 1)[1].replace("发行人律师", "")
    s = signature_pages(drafts["g_csrc_feedback"])
    assert s.count("之签章页") == 2 and "保荐代表人" in s and "申请文件反馈意见的回复》之签章页" in s
    g2 = front(drafts["g2_csrc_feedback_r2"])
    assert "申请文件二次反馈意见的回复" in g2


def test_restructuring(drafts):
    f = front(drafts["e_szse_restructuring"])
    assert "关于湖南华锐科技股份有限公司\n重组问询函的回复" in f
    assert "保荐" not in f and "主承销商" not in f
    assert "\n独立财务顾问\n【独立财务顾问全称】\n" in f
    assert "\n深圳证券交易所创业板公司管理部:\n" in f and "贵部于2024年6月10日" in f
    assert "“上市公司”或“公司”" in f and "(以下简称“评估机构”)" in f
    t = text(drafts["e_szse_restructuring"])
    assert t.count("一、上市公司说明") == 6 and "发行人说明" not in t
    assert "向不特定对象发行可转换公司债券" not in t  # nothing of the company file's offering
    s = signature_pages(drafts["e_szse_restructuring"])
    assert s.count("之签章页") == 2 and "财务顾问主办人" in s and "保荐" not in s
    assert "【独立财务顾问全称(盖章)】" in s


def test_annual_report_letter_answered_by_the_board(drafts):
    f = front(drafts["f_szse_annual_report"])
    assert "关于广东汇通家居用品股份有限公司\n2023年年报问询函的回复" in f
    assert "保荐" not in f and "主承销商" not in f and "广东汇通家居用品股份有限公司董事会" in f
    assert "\n深圳证券交易所上市公司管理一部:\n" in f and "贵部于2024年5月17日" in f
    assert "(以下简称“年审会计师”)" in f
    t = text(drafts["f_szse_annual_report"])
    assert "一、公司说明" in t and "发行人说明" not in t and "可转换公司债券" not in t
    s = signature_pages(drafts["f_szse_annual_report"])
    assert s.count("之签章页") == 1 and "董事会" in s and "保荐" not in s and "法定代表人" not in s
    f2 = front(drafts["f2_sse_annual_report"])
    assert "2023年年报问询函的回复" in f2 and "\n上海证券交易所上市公司管理一部:\n" in f2


def test_attention_letter(drafts):
    f = front(drafts["m_szse_attention_letter"])
    assert "关于对浙江明拓智能装备股份有限公司\n关注函的回复" in f
    assert "\n深圳证券交易所上市公司管理二部:\n" in f and "(以下简称“关注函”)" in f
    assert "保荐" not in f and "会同" not in f  # the letter asks no intermediary
    s = signature_pages(drafts["m_szse_attention_letter"])
    assert s.count("之签章页") == 1 and "《关于对浙江明拓智能装备股份有限公司关注函的回复》" in s


def test_luoshi_letter_keeps_its_title(drafts):
    f = front(drafts["h_sse_star_luoshi"])
    assert "的审核中心意见落实函的回复" in f and "申请文件" not in f.split("\n上海证券交易所:")[0]
    assert "(以下简称“落实函”)" in f


def test_offering_letters_keep_issuer_and_sponsor(drafts):
    for stem in ("a_sse_star_ipo_r1", "d_szse_chinext_private_placement", "l_szse_main_convertible", "n_bse_ipo_r1"):
        f = front(drafts[stem])
        assert "(主承销商)" in f and "贵所于" in f and "“发行人”或“公司”" in f
        assert signature_pages(drafts[stem]).count("之签章页") == 2
    # the opening names the parties as the letter does: 深交所 refinancing letters say 会计师
    assert "(以下简称“会计师”)" in front(drafts["d_szse_chinext_private_placement"])
    assert "(以下简称“申报会计师”)" in front(drafts["a_sse_star_ipo_r1"])


# ------------------------------------------------------------------ 5. checklist: the letter's word for who answers


@pytest.mark.parametrize("stem,word", [("e_szse_restructuring", "上市公司"), ("f_szse_annual_report", "公司"),
                                       ("m_szse_attention_letter", "公司"), ("g_csrc_feedback", "申请人"),
                                       ("a_sse_star_ipo_r1", "发行人")])
def test_checklist_answering_party_is_the_letters_word(stem, word):
    cl = build_checklist(parse_file(LETTERS / f"{stem}.txt"))
    assert {r.party for r in cl.rows if r.kind == "request"} == {word}
    assert cl.subject == word


def test_department_from_the_letters_closing_or_its_number():
    from drafter.compose.context import build_names, sender_of

    assert sender_of("……\n特此函告。\n\n深圳证券交易所\n创业板公司管理部\n2024年6月10日\n") == "深圳证券交易所创业板公司管理部"
    assert sender_of("……\n上海证券交易所上市公司管理一部\n二〇二四年五月十日") == "上海证券交易所上市公司管理一部"
    assert sender_of("……\n上海证券交易所\n2024年5月10日") is None
    # the parser reads the signature once (LetterMeta.sender); without one, the department from the number
    let = parse_file(LETTERS / "e_szse_restructuring.txt")
    assert build_names(let, None).addressee == "深圳证券交易所创业板公司管理部"
    let = parse_file(LETTERS / "f_szse_annual_report.txt")
    assert let.meta.sender == "深圳证券交易所上市公司管理一部"
    assert build_names(let, None).addressee == "深圳证券交易所上市公司管理一部"
    let.meta.sender = None
    assert build_names(let, None).addressee == "深圳证券交易所上市公司管理部"
    assert build_names(let, None, sender="深圳证券交易所上市公司管理一部").addressee == "深圳证券交易所上市公司管理一部"


def test_letter_type_from_the_title():
    from drafter.compose.context import letter_type

    def kind(title, **kw):
        return letter_type(Letter(source="x", meta=LetterMeta(title=title, **kw)))

    assert kind("关于X申请向不特定对象发行可转换公司债券的审核问询函") == "offering"  # even without offering_kind
    assert kind("关于X首次公开发行股票并在科创板上市的审核中心意见落实函", round="落实函") == "offering"
    assert kind("中国证监会行政许可项目审查一次反馈意见通知书", exchange="中国证监会") == "csrc"
    assert kind("关于对X的重组问询函") == "restructuring"
    assert kind("关于对X2023年年报的问询函") == "annual"
    assert kind("关于X2023年年度报告的信息披露监管问询函") == "annual"
    assert kind("关于对X的关注函") == kind("关于对X的问询函") == "attention"
    assert kind(None) == "offering"


def test_untitled_questions_are_headed_question_n_and_read_back():
    """A letter that opens its questions straight into the text (`1．申报材料显示，…`) gets `问题1` headings,
    not a heading cut from its first words; the quote still carries the whole question."""
    from drafter.compose.body import untitled

    letter = parse_file(LETTERS / "d_szse_chinext_private_placement.txt")
    assert all(untitled(q) for q in letter.questions)
    titled = parse_file(LETTERS / "a_sse_star_ipo_r1.txt")
    assert not any(untitled(q) for q in titled.questions)
    doc = compose_reply(letter, None, None, None)
    heads = [b.text for b in doc.blocks if getattr(b, "style", None) == "heading1"]
    assert heads == [f"问题{n}" for n in range(1, 6)]
    quotes = [b.text for b in doc.blocks if getattr(b, "style", None) == "question"]
    assert quotes[0].startswith("申报材料显示，发行人本次拟募集资金总额")
