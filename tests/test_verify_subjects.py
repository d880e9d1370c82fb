"""A verification ask that names what to verify gets procedures, a conclusion and the tables about THAT
subject; `drafter review` checks each such subject is answered; the conclusion rules file is validated."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter.match.bank import load_bank
from drafter.cli import main
from drafter.company import load_company
from drafter.compose.conclude import ask_subjects
from drafter.compose.conclusion_rules import RULES_FILE, validate_rules
from drafter.compose.context import build_names
from drafter.compose.verify import verification_blocks
from drafter.document import Paragraph, Table
from drafter.models import Letter, Question, Request, Verification
from drafter.review import review_reply
from _helpers import nf

HERE = Path(__file__).parent
DATA = HERE / "data"


@pytest.mark.parametrize("ask, subjects, general", [
    ("请发行人律师就(1)中项目备案、环评情况进行核查", ["项目备案、环评情况"], False),
    ("请申报会计师说明对应收账款账面价值真实性、准确性的核查过程", ["应收账款账面价值真实性、准确性"], False),
    ("请保荐人、申报会计师发表明确意见,并说明就发行人应收账款账面价值真实性、准确性核查的具体情况及结论。",
     ["发行人应收账款账面价值真实性、准确性"], True),
    ("请保荐机构和申报会计师:(1)核查上述事项并发表明确意见。(2)详细说明对收入、应收账款的函证和客户走访情况。"
     "(3)对发行人报告期内是否存在异常客户发表明确意见", ["收入、应收账款", "发行人报告期内是否存在异常客户"], True),
    ("请保荐机构核查并发表明确意见", [], True),
    ("请保荐机构、申报会计师对问题(1)-(3)进行核查并发表明确意见", [], True),
    ("请保荐人说明访谈对象及职位", [], True),  # 对象 is no 对X
])
def test_ask_subjects(ask, subjects, general):
    assert ask_subjects(ask) == (subjects, general)


def _question(asks: list[Verification]) -> Question:
    reqs = [Request(id="1.(1)", label="(1)", text="说明本次募投项目的投资构成及建设进度"),
            Request(id="1.(2)", label="(2)", text="说明应收账款余额增长的原因及合理性")]
    return Question(number=1, label="1.", title="关于募投项目", text="1.关于募投项目\n请发行人说明。", requests=reqs,
                    verification=asks)


def _blocks(q: Question, company=None, periods=()):
    names = build_names(Letter(source="x", questions=[q]), company)
    rt = {"1.(1)": ["fundraising_projects"], "1.(2)": ["accounts_receivable"]}
    return verification_blocks(q, names, rt, ["fundraising_projects"], load_bank().topics, periods, company=company)


def test_lawyer_asked_about_filings_answers_about_filings():
    q = _question([
        Verification(text="请保荐人核查并发表明确意见", parties=["保荐人"]),
        Verification(text="请发行人律师就(1)中项目备案、环评情况进行核查", parties=["发行人律师"], scope="(1)",
                     scope_ids=["1.(1)"]),
    ])
    text = [nf(b.text) for b in _blocks(q) if isinstance(b, Paragraph)]
    i = text.index("发行人律师针对(1)事项履行了以下核查程序:")
    procs = text[i + 1:text.index("(二)核查意见")]
    assert any("环境影响评价" in p and "备案" in p for p in procs)
    assert not any("募集资金" in p for p in procs)  # not the scoped request's topic
    j = text.index("经核查,发行人律师针对(1)事项认为:")
    assert text[j + 1].startswith("1、针对项目备案、环评情况,【待补充:项目备案、环评情况的核查结论")
    assert not any("投资构成" in t for t in text[j + 1:])  # the request's own point is the sponsor's


def test_receivables_ask_gets_the_coverage_table_from_company_data():
    company = load_company(DATA / "company_cb.yaml")
    q = _question([Verification(text="请申报会计师说明对应收账款账面价值真实性、准确性的核查过程", parties=["申报会计师"])])
    blocks = _blocks(q, company, ["2019", "2020", "2021", "2022Q3"])
    text = [nf(b.text) for b in blocks if isinstance(b, Paragraph)]
    procs = text[text.index("申报会计师履行了以下核查程序:") + 1:text.index("(二)核查意见")]
    assert any("函证" in p for p in procs) and any("走访" in p for p in procs)
    assert "1、应收账款账面价值真实【待核实】;应收账款账面价值准确【待核实】。" in text
    assert "(三)关于应收账款账面价值真实性、准确性的核查范围及核查比例" in text
    t = next(b for b in blocks if isinstance(b, Table))
    assert [nf(c) for c in t.header[0]] == ["项目", "2022年9月末", "2021年末", "2020年末", "2019年末"]
    assert t.rows[0] == ["应收账款余额", "26,543.21", "21,098.76", "18,765.43", "15,678.90"]  # company_cb.yaml
    assert [r[0] for r in t.rows[1:]] == ["函证核查金额", "函证核查比例", "走访核查金额", "走访核查比例",
                                          "细节测试核查金额", "细节测试核查比例"]
    assert t.notes and "核查比例=核查金额/应收账款余额" in nf(t.notes[0])


def test_without_company_the_coverage_amounts_are_placeholders():
    q = _question([Verification(text="请申报会计师说明对收入真实性的核查过程", parties=["申报会计师"])])
    t = next(b for b in _blocks(q, None, ["2024", "2025"]) if isinstance(b, Table))
    assert t.rows[0] == ["营业收入", "【待补充】", "【待补充】"]
    assert [nf(c) for c in t.header[0]] == ["项目", "2025年", "2024年"]


# ---------------------------------------------------------------- review


def _reply(tmp_path: Path, ask: str, opinion: str) -> Path:
    from tests.test_review import REPLY  # noqa: PLC0415  (the house reply used by the review tests)

    text = REPLY.replace("请保荐人和申报会计师核查并发表明确意见。", ask, 1)
    text = text.replace("2、坏账准备计提充分。", "2、坏账准备计提充分。\n\n" + opinion, 1)
    p = tmp_path / "reply.txt"
    p.write_text(text, encoding="utf-8")
    return p


def test_review_warns_when_the_named_subject_is_never_answered(tmp_path):
    ask = "请保荐人和申报会计师核查并发表明确意见,并说明对应收账款账面价值真实性、准确性的核查过程。"
    rep = review_reply(_reply(tmp_path, ask, ""))
    found = [f for f in rep.findings if f.kind == "subject_not_answered"]
    assert {f.party for f in found} == {"保荐人", "申报会计师"}
    assert all(f.question == 1 and f.severity == "warning" and f.anchor for f in found)
    assert "应收账款账面价值真实性、准确性" in found[0].message
    rep = review_reply(_reply(tmp_path, ask, "3、应收账款账面价值真实、准确。"))
    assert not [f for f in rep.findings if f.kind == "subject_not_answered"]


def test_review_of_a_drafted_letter_finds_every_subject_answered(tmp_path, reply002):
    from drafter.draft import draft_with_summary

    out = tmp_path / "002.docx"
    draft_with_summary(reply002, DATA / "company_002.yaml", out, allow_other_issuer=True, library=False)
    rep = review_reply(out, reply002)
    assert not [f for f in rep.findings if f.kind == "subject_not_answered"]


def test_real_replies_answer_their_subjects_and_still_pass(reply002, reply003):
    runner = CliRunner()
    for path, n in ((reply002, 4), (reply003, 6)):
        from drafter.parse import parse_file

        letter = parse_file(path)
        assert sum(len(ask_subjects(v.text)[0]) for q in letter.questions for v in q.verification) == n
        rep = review_reply(path)
        assert not [f for f in rep.findings if f.kind == "subject_not_answered"]
        r = runner.invoke(main, ["review", str(path)])
        assert r.exit_code == 0, r.output


# ---------------------------------------------------------------- the rules file


def test_rules_file_ships_inside_the_package_and_is_sound():
    assert RULES_FILE.parent.parent.name == "data" and RULES_FILE.parent.parent.parent.name == "drafter"
    assert validate_rules() == []


def test_bank_validate_reports_bad_rules_with_file_and_line(tmp_path):
    bad = tmp_path / "conclusions.yaml"
    good = RULES_FILE.read_text(encoding="utf-8")
    bad.write_text(good.replace("  - {ask: '持有', found: 未持有, other: 持有}",
                                "  - {ask: '持有(', found: 未持有, other: 持有}")
                   .replace("  - {ask: 必要性, form: 具有必要性}", "  - {ask: 必要性, form: 具有必要性, colour: red}"),
                   encoding="utf-8")
    problems = validate_rules(bad)
    lines = good.splitlines()
    want_re = next(i for i, ln in enumerate(lines, 1) if "ask: '持有'" in ln)
    want_field = next(i for i, ln in enumerate(lines, 1) if "ask: 必要性" in ln)
    assert any(p.startswith(f"{bad}:{want_re}: bad regular expression") for p in problems), problems
    assert any(p.startswith(f"{bad}:{want_field}: ") and "unknown field" in p for p in problems), problems
    r = CliRunner().invoke(main, ["bank", "validate", "--rules", str(bad)])
    assert r.exit_code == 2
    assert f"{bad}:{want_re}: bad regular expression" in r.output
    r = CliRunner().invoke(main, ["bank", "validate"])
    assert r.exit_code == 0 and "conclusion rules OK" in r.output


def test_unknown_figure_or_form_field_is_reported(tmp_path):
    bad = tmp_path / "conclusions.yaml"
    good = RULES_FILE.read_text(encoding="utf-8")
    bad.write_text(good.replace("figure: bond_ratio", "figure: bond_ratios")
                   .replace("{total_financial}万元", "{total_fin}万元", 1), encoding="utf-8")
    problems = validate_rules(bad)
    assert any("unknown figure 'bond_ratios'" in p for p in problems), problems
    assert any("unknown field {total_fin}" in p for p in problems), problems
