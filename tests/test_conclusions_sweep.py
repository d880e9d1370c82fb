"""核查意见 never assert what nobody checked: every polarity a 是否 ask could take is either offered to
the reviewer as a choice (【待核实:不存在/存在】) or decided by the company data and stated with its figure.

Swept over every drafted letter: tests/data/letters with the example company and with none, the example
letter, the convertible-bond letter with tests/data/company_cb.yaml, and the corpus letters 002/003.
"""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from drafter.match.bank import load_bank
from drafter.company import load_company
from drafter.compose import compose_reply
from drafter.compose.conclude import Decided, conclude
from drafter.match import match_letter
from drafter.parse import parse_file, parse_text
from drafter.render.style import HouseStyle
from _helpers import nf

HERE = Path(__file__).parent
ROOT = HERE.parent
DATA = HERE / "data"
CORPUS = ROOT.parent / "shared" / "corpus"

# what a 是否 ask's conclusion may assert only when offered as a choice or decided by a figure
FACTS = ("不存在", "未发生", "不构成", "不涉及", "未持有", "未违反", "不影响", "未受到", "未被", "不会新增", "未超过",
         "无需", "符合", "有利于", "不利于", "已扣除", "已从", "不属于")
FIGURE = re.compile(r"\d[\d,]*\.\d{2}(?:万元|%)|金额为0")
CHOICE = re.compile(r"【待核实:[^】/]+/[^】]+】")


def opinions(doc) -> list[str]:
    """The numbered lines under every (n)核查意见 heading."""
    out, on = [], False
    for b in doc.blocks:
        if b.kind != "paragraph":
            continue
        t = nf(b.text)
        if b.style in ("heading1", "heading2"):
            on = False
        elif b.style == "heading3":
            on = t.endswith("核查意见")
        elif on and re.match(r"^\d+、", t):
            out.append(t)
    return out


def _cb_module():
    spec = importlib.util.spec_from_file_location("cbmod", HERE / "test_compose_cb.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _compose(path_or_text, company_file, source="letter.txt"):
    letter = parse_file(path_or_text) if isinstance(path_or_text, Path) else parse_text(path_or_text, source=source)
    company = load_company(company_file) if company_file else None
    return compose_reply(letter, company, match_letter(letter), HouseStyle(), load_bank())


@pytest.fixture(scope="module")
def drafted() -> dict[str, object]:
    out = {}
    letters = sorted((DATA / "letters").glob("*.txt")) + [ROOT / "examples" / "letter.txt"]
    for p in letters:
        out[f"{p.stem}+example"] = _compose(p, ROOT / "examples" / "company.yaml")
        out[f"{p.stem}+none"] = _compose(p, None)
    out["cb+company_cb"] = _compose(_cb_module().LETTER, DATA / "company_cb.yaml", "cb.txt")
    out["cb+none"] = _compose(_cb_module().LETTER, None, "cb.txt")
    if (CORPUS / "002_b6a7c14d8069eefe.txt").exists():
        out["002+company_002"] = _compose(CORPUS / "002_b6a7c14d8069eefe.txt", DATA / "company_002.yaml")
        out["003+none"] = _compose(CORPUS / "003_474977f8a7f54835.txt", None)
    return out


def sentences(line: str) -> list[str]:
    body = line.split("、", 1)[1].rstrip("。")
    return [s for s in re.split(r";(?![^【]*】)", body) if s]


def test_no_conclusion_asserts_an_unchecked_polarity(drafted):
    total = choices = decided = judged = 0
    for name, doc in drafted.items():
        for line in opinions(doc):
            for s in sentences(line):
                total += 1
                s = re.sub(r"“[^”]*”", "“…”", s)  # the letter's own words quoted
                if s.startswith("【待补充") or "【待补充:" in s and not FIGURE.search(s):
                    continue  # a placeholder naming what to write
                if CHOICE.search(s):
                    choices += 1
                    rest = CHOICE.sub("", s)
                    assert not any(w in rest for w in ("不存在", "未发生", "有利于", "不利于")), (name, s)
                elif s.endswith("【待核实】"):
                    judged += 1  # a quality or a plain statement, for the reviewer to confirm
                    assert not any(w in s for w in FACTS), (name, s)
                else:
                    decided += 1
                    assert FIGURE.search(s), f"{name}: a conclusion neither offered nor decided by a figure: {s}"
    assert total > 300 and choices > 100 and judged > 50
    assert decided >= 3  # the convertible bond's 30% test, its deduction and the 50% test


def test_002_relocation_and_credit_terms_offered(drafted):
    if "002+company_002" not in drafted:
        pytest.skip("real documents not available: ../shared/corpus is absent")
    lines = opinions(drafted["002+company_002"])
    assert "1、发行人预期【待核实:不存在/存在】搬迁风险。" in lines  # 问题7(1): the filed reply found 存在
    assert "1、报告期主要客户信用期在报告期内【待核实:未发生/发生】变化。" in lines  # 问题14(1)
    # never the polarity alone
    assert not any("预期不存在搬迁风险" in t or "信用期在报告期内未发生变化" in t for t in lines)


def test_whether_it_favours_is_a_choice_never_not_existing():
    got = conclude("说明未设置业绩承诺及补偿安排的原因及合理性,是否有利于保护上市公司及中小股东利益。")
    assert got == ["未设置业绩承诺及补偿安排具有合理性", "发行人【待核实:有利于/不利于】保护上市公司及中小股东利益"]
    assert not any("不存在利于" in c for c in got)


def test_convertible_bond_deduction_decided_by_the_data(drafted):
    lines = opinions(drafted["cb+company_cb"])
    # company_cb.yaml: one investment of 987.45万元 in the window (与主营业务无关的股权投资), offering 48,000.00万元
    assert ("1、自本次发行董事会决议日前六个月起至今,发行人新投入和拟投入的财务性投资合计987.45万元,"
            "应从本次募集资金总额中扣除,扣除后拟募集资金总额不超过47,012.55万元。") in lines
    # 987.45 / 126,543.21 = 0.78% of 归母净资产; (0 + 48,000) / 127,890.12 = 37.53% of 净资产
    assert ("2、截至2022年9月30日,发行人财务性投资合计987.45万元,占归属于母公司净资产126,543.21万元的比例为0.78%,"
            "未超过30%,不存在持有金额较大的财务性投资的情形。") in lines
    assert ("1、本次发行完成后,发行人累计债券余额48,000.00万元,占最近一期末净资产127,890.12万元的比例为37.53%,"
            "未超过50%,符合《证券期货法律适用意见第18号》的相关规定。") in lines
    assert not any("已从本次募集资金总额中扣除" in t for t in lines)  # the data says 应 (not yet 已) deducted
    # the answer above says the same
    text = nf("\n".join(b.text for b in drafted["cb+company_cb"].blocks if b.kind == "paragraph"))
    assert "合计987.45万元,应从本次募集资金总额中扣除" in text


def test_nothing_to_deduct_says_so_with_its_figure(tmp_path):
    import yaml

    data = yaml.safe_load((DATA / "company_cb.yaml").read_text(encoding="utf-8"))
    # the window itemised, nothing invested (an empty list reads as "not itemised" in computed.py)
    data["facts"]["new_financial_investments"] = [{"category": "与公司主营业务无关的股权投资", "amount": 0}]
    p = tmp_path / "company.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    lines = opinions(_compose(_cb_module().LETTER, p, "cb.txt"))
    assert ("1、自本次发行董事会决议日前六个月起至今,发行人新投入和拟投入的财务性投资金额为0,"
            "无需从本次募集资金总额中扣除。") in lines


def test_without_data_the_deduction_is_offered_from_the_bank_wording(drafted):
    lines = opinions(drafted["cb+none"])
    first = next(t for t in lines if t.startswith("1、") and "募集资金" in t)
    assert "【待核实:已/未】从本次募集资金总额中扣除" in first or "【待核实:无需/需要】从本次募集资金总额中扣除" in first
    # the 30% question worded as the bank's usual conclusion (question_bank/financial_investment.yaml)
    assert any("发行人【待核实:不存在/存在】持有金额较大的财务性投资(包括类金融业务)的情形" in t for t in lines)


def test_decided_sentences_are_marked_as_such():
    from drafter.compose.verify import _conclusion

    p = _conclusion(1, [Decided("发行人财务性投资合计1.00万元,占比0.10%,未超过30%"), "X具有合理性"])
    assert nf(p.text) == "1、发行人财务性投资合计1.00万元,占比0.10%,未超过30%;X具有合理性【待核实】。"


def test_only_the_point_the_data_decides_is_stated():
    from drafter.compose.context import build_names
    from drafter.compose.verify import _figures
    from drafter.models import Letter

    company = load_company(DATA / "company_cb.yaml")
    figures = _figures(company, build_names(Letter(source="x"), company))
    # the 50% test decides 是否符合 after the ratio is named ...
    got = conclude("本次发行完成后累计债券余额占最近一期末净资产的比例,是否符合《证券期货法律适用意见第18号》的相关规定",
                   figures=figures)
    assert len(got) == 1 and isinstance(got[0], Decided) and "37.53%,未超过50%" in got[0]
    # ... but not another 是否 about the same bonds
    got = conclude("说明累计债券余额的构成,是否存在逾期偿付的风险", figures=figures)
    assert got == ["发行人【待核实:不存在/存在】逾期偿付的风险"] or all("【待核实:" in c for c in got)
    # without company data nothing is decided
    got = conclude("最近一期末是否持有金额较大的财务性投资", figures=_figures(None, None))
    assert got == ["最近一期末【待核实:未持有/持有】金额较大的财务性投资"]
