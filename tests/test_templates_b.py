"""Answer templates of the 16 governance/compliance topics (issue 14, templates B), drafted for real.

A letter written for this test (our own words) asks one request per topic; the reply is composed
with examples/company.yaml (the fictional 青禾智能, whose file carries the new optional blocks).
Expected figures are computed here by hand with Decimal, half-up, from that YAML. Then the same
letter is drafted with a company file that lacks the blocks: each answer names the data to fill.
"""
from __future__ import annotations

import inspect
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from drafter.compose.templating import environment
from _helpers import nf, pct, q2

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "company.yaml"


def _api_ready() -> bool:
    """The template API of SPEC_answers.md: H1's globals and H3's per-request asks()."""
    g = environment().globals
    if not {"rows", "has", "value", "records_table", "series_table", "fin_table"} <= set(g):
        return False
    from drafter.compose import answers

    return '"asks"' in inspect.getsource(answers)  # the request-side context (H3)


pytestmark = pytest.mark.skipif(
    not _api_ready(),
    reason="needs the template API (rows/has/value/records_table/series_table/fin_table globals, asks per request)",
)

TOPICS = [
    "shareholder_verification", "related_party", "independence_dependence", "equity_history",
    "red_chip_foreign", "actual_controller", "share_based_payment", "third_party_payments",
    "horizontal_competition", "management_personnel", "labor_employment", "litigation_compliance",
    "environmental_safety", "state_collective_assets", "vam_special_rights", "prior_application",
]

# one question per topic, in TOPICS order; each asks one thing in the words a letter might use
ASKS = [
    ("股东", "列示公司现有股东的持股情况,说明股东中是否存在股份代持或法律法规禁止持股的主体"),
    ("关联交易", "说明报告期内关联交易的金额及占比,关联交易的必要性及定价是否公允"),
    ("独立性", "结合主要客户销售占比,说明公司是否对单一客户存在重大依赖,能否直接面向市场独立持续经营"),
    ("历史沿革", "说明历次增资及股权转让的背景、定价依据及对应估值的变化,股权转让涉及的个人所得税是否已缴纳"),
    ("外资股东", "说明外资股东入股是否履行了外商投资信息报告及外汇登记手续"),
    ("控制权", "说明实际控制人认定的依据,最近二年控制权是否稳定,所持股份是否存在质押或冻结"),
    ("股份支付", "说明股权激励的授予情况、公允价值的确定方法及股份支付费用的计算过程,分期摊销的依据是否充分"),
    ("第三方回款", "说明第三方回款的金额、占营业收入的比例及形成原因,是否具有可验证性"),
    ("同业竞争", "说明控股股东、实际控制人控制的其他企业的业务,是否与公司构成重大不利影响的同业竞争"),
    ("董监高", "说明最近二年董事、高级管理人员的变动情况及原因,是否构成重大不利变化"),
    ("员工", "说明员工人数及结构的变动情况,社会保险和住房公积金的缴纳比例及未缴纳的原因"),
    ("诉讼", "说明未决诉讼的具体情况及对生产经营的影响,是否需要计提预计负债"),
    ("环保", "说明生产经营中的主要污染物及处理设施,是否取得排污许可,建设项目是否履行环评程序"),
    ("国有股权", "说明国有股东入股或退出时是否履行了评估、备案及进场交易程序"),
    ("对赌", "说明对赌协议及特殊权利条款的签署主体、主要内容及目前的履行状态,解除时是否附效力恢复条件"),
    ("前次申报", "说明前次申报撤回的原因,相关问题是否已整改完毕"),
]


def _letter_text() -> str:
    parts = [
        "关于青禾智能装备股份有限公司申请向不特定对象发行可转换公司债券的审核问询函",
        "",
        "审核函〔2026〕020031号",
        "",
        "青禾智能装备股份有限公司:",
        "",
        "本所对你公司的申请文件进行了审核,请就以下问题逐项说明。",
        "",
    ]
    for i, (title, ask) in enumerate(ASKS, 1):
        parts += [f"{i}.关于{title}", "", "根据申报材料,该事项需要进一步说明。", "",
                  f"请发行人:(1){ask}。", "", "请保荐人和发行人律师核查并发表明确意见。", ""]
    parts += ["深圳证券交易所上市审核中心", "", "2026年3月16日", ""]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def letter():
    from drafter.parse import parse_text

    return parse_text(_letter_text(), source="templates_b_letter.txt")


def _compose(letter, company):
    from drafter.match.bank import load_bank
    from drafter.compose import compose_reply
    from drafter.render.style import HouseStyle

    matches = {"questions": []}
    for q, topic in zip(letter.questions, TOPICS):
        matches["questions"].append({
            "number": q.number, "topics": [{"id": topic}],
            "requests": [{"id": r.id, "topics": [{"id": topic}]} for r in q.requests],
        })
    from _helpers import typed_matches

    return compose_reply(letter, company, typed_matches(matches), HouseStyle(), load_bank())


def _sections(doc) -> dict[int, str]:
    """The reply's text question by question (a question starts at its heading `N.关于…`)."""
    from drafter.document import Paragraph, Table

    out: dict[int, list[str]] = {}
    cur = 0
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            t = nf(b.text)
            for i, (title, _) in enumerate(ASKS, 1):
                if t.startswith(f"{i}.关于{title}") or t.startswith(f"问题{i}"):
                    cur = i
            out.setdefault(cur, []).append(t)
        elif isinstance(b, Table):
            out.setdefault(cur, []).extend(nf(" | ".join(r)) for r in b.header + b.rows)
    return {k: "\n".join(v) for k, v in out.items()}


@pytest.fixture(scope="module")
def raw():
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def full(letter):
    from drafter.company import load_company

    return _sections(_compose(letter, load_company(EXAMPLE)))


@pytest.fixture(scope="module")
def bare(letter, raw, tmp_path_factory):
    """The same company without any of the blocks these templates read."""
    from drafter.company import load_company

    data = dict(raw)
    for k in ("equity_history", "shareholders", "related_transactions", "share_payments", "third_party_payments",
              "litigation", "management_changes", "employees"):
        data.pop(k, None)
    p = tmp_path_factory.mktemp("bare") / "company.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return _sections(_compose(letter, load_company(p)))


def D(x) -> Decimal:
    return Decimal(str(x))


def fin(raw, key, period) -> Decimal:
    return D(raw["financials"][key][period])


def test_letter_has_one_request_per_topic(letter):
    assert [len(q.requests) for q in letter.questions] == [1] * len(TOPICS)


def test_no_template_fails_as_a_whole(full, bare):
    for sections in (full, bare):
        for i in range(1, len(TOPICS) + 1):
            t = sections.get(i, "")
            assert "所需数据" not in t or "缺失" not in t, (TOPICS[i - 1], t[:300])


def test_related_party_shares_of_revenue_and_cost(full, raw):
    t = full[2]
    sale = [r for r in raw["related_transactions"] if r["kind"] == "销售商品"]
    buy = [r for r in raw["related_transactions"] if r["kind"] == "采购商品"]
    s25 = sum(D(r["amounts"]["2025"]) for r in sale)
    b25 = sum(D(r["amounts"]["2025"]) for r in buy)
    assert f"{q2(s25)}万元,占营业收入的{pct(s25, fin(raw, 'revenue', '2025'))}" in t
    assert f"{q2(b25)}万元,占营业成本的{pct(b25, fin(raw, 'operating_cost', '2025'))}" in t
    assert "占营业收入比例" in t and "占营业成本比例" in t  # one table per direction, each with its share
    n = len(raw["related_transactions"])
    once = sum(1 for r in raw["related_transactions"] if r.get("recurring") is False)
    assert f"关联交易共{n}项,其中经常性关联交易{n - once}项、偶发性关联交易{once}项" in t


def test_share_based_payment_expense_computed(full, raw):
    t = full[7]
    g = raw["share_payments"][0]
    total = (D(g["fair_value"]) - D(g["price"])) * D(g["shares"])
    assert f"应确认费用{q2(total)}万元" in t
    e25 = sum(D(x["expense"]["2025"]) for x in raw["share_payments"] if "2025" in x["expense"])
    assert f"2025年{q2(e25)}万元,占净利润的{pct(e25, fin(raw, 'net_profit', '2025'))}" in t
    if all(str(x["date"])[:4] > "2023" for x in raw["share_payments"]):
        assert "2023年无(所列授予均在该期之后)" in t


def test_third_party_payments_share_of_revenue(full, raw):
    t = full[8]
    for p, label in (("2025", "2025年"), ("2026H1", "2026年1-6月")):
        s = sum(D(r["amounts"][p]) for r in raw["third_party_payments"] if p in r["amounts"])
        assert f"{label}{q2(s)}万元,占当期营业收入的{pct(s, fin(raw, 'revenue', p))}" in t


def test_equity_history_counts_and_valuations(full, raw):
    t = full[4]
    ev = raw["equity_history"]
    assert f"股权变动事项共{len(ev)}项" in t
    priced = [e for e in ev if e.get("price") is not None and e.get("capital_after") is not None]
    vals = [D(e["price"]) * D(e["capital_after"]) for e in priced]
    for v in vals:
        assert f"对应整体估值{q2(v)}万元" in t
    if len(vals) > 1:
        g = (vals[1] - vals[0]) / vals[0] * 100
        assert f"整体估值增长{q2(g)}%" in t


def test_shareholders_ratios_from_shares(full, raw):
    t = full[1]
    cap = fin(raw, "share_capital", "2026H1")
    top = max((s for s in raw["shareholders"] if s.get("kind") != "其他"), key=lambda s: D(s["shares"]))
    assert f"单一股东中{top['name']}持股比例最高,为{pct(D(top['shares']), cap)}" in t
    plat = [s for s in raw["shareholders"] if s.get("kind") == "员工持股平台"]
    if plat:
        assert f"员工持股平台{len(plat)}项合计持股{pct(sum(D(s['shares']) for s in plat), cap)}" in t
    ctl = sum(D(s["shares"]) for s in raw["shareholders"] if s.get("controller"))
    assert f"占总股本{q2(cap)}万股的{pct(ctl, cap)}" in full[6]


def test_litigation_against_net_assets(full, raw):
    t = full[12]
    amt = sum(D(c["amount"]) for c in raw["litigation"] if c.get("amount") is not None)
    na = fin(raw, "net_assets", "2026H1")
    assert f"涉案金额合计{q2(amt)}万元,占2026年6月末公司净资产{q2(na)}万元的{pct(amt, na)}" in t


def test_employees_by_function(full, raw):
    t = full[11]
    total = sum(int(g["headcount"]["2026H1"]) for g in raw["employees"])
    assert f"2026年6月末{total:,}人" in t
    g0 = raw["employees"][0]
    assert f"{g0['function']}{int(g0['headcount']['2026H1']):,}人,占员工总数的{pct(D(g0['headcount']['2026H1']), D(total))}" in t


def test_management_changes_counted(full, raw):
    t = full[10]
    mc = raw["management_changes"]
    new = sum(1 for c in mc if c["change"] == "新任")
    assert f"变动共{len(mc)}人次,其中新任{new}人次、离任{len(mc) - new}人次" in t


def test_independence_largest_customer(full, raw):
    t = full[3]
    c = max(raw["customers"]["2023"], key=lambda c: D(c["amount"]))
    assert f"2023年第一大客户为{c['name']},销售{q2(D(c['amount']))}万元,占营业收入的{pct(D(c['amount']), fin(raw, 'revenue', '2023'))}" in t


def test_sub_answers_follow_the_request(full):
    assert "股东适格性及股份代持情况" in full[1]
    assert "关联交易定价的公允性" in full[2]
    assert "股权转让涉及的税款缴纳" in full[4]
    assert "外商投资审批、备案及外汇登记手续" in full[5]
    assert "一致行动协议的主要条款" not in full[6]  # not asked
    assert "所持股份的质押、冻结及权属情况" in full[6]
    assert "服务期约定及费用分摊方法" in full[7]
    assert "社会保险及住房公积金缴纳情况" in full[11]
    assert "排污许可及建设项目履行环评程序、验收的情况" in full[13]
    assert "国有股权变动履行的评估、备案及进场交易程序" in full[14]
    assert "条款的解除情况及是否附效力恢复条件" in full[15]
    assert "前次申报所涉问题的整改完毕情况及障碍的消除" in full[16]


def test_missing_blocks_name_the_data(bare):
    expect = {
        1: "公司数据 shareholders", 2: "公司数据 related_transactions", 4: "公司数据 equity_history",
        6: "公司数据 shareholders", 7: "公司数据 share_payments", 8: "公司数据 third_party_payments",
        10: "公司数据 management_changes", 11: "公司数据 employees", 12: "公司数据 litigation",
    }
    for i, what in expect.items():
        assert what in bare[i], (TOPICS[i - 1], bare[i][:400])


def test_no_unchecked_fact_is_asserted(full, bare):
    """Choices stay choices: no template text says 不存在/不构成 on its own outside a placeholder."""
    for sections in (full, bare):
        for i in range(1, len(TOPICS) + 1):
            t = sections.get(i, "")
            answer = t.split("核查程序")[0]  # the issuer's answer, before the verification part
            for phrase in ("不存在股份代持", "不构成重大违法", "不存在重大依赖", "不构成同业竞争"):
                assert phrase not in answer, (TOPICS[i - 1], phrase)


def test_without_any_company_file_every_answer_is_placeholders_never_a_failure(letter):
    sections = _sections(_compose(letter, None))
    for i in range(1, len(TOPICS) + 1):
        t = sections.get(i, "")
        assert "所需数据" not in t or "缺失" not in t, TOPICS[i - 1]
    assert "公司数据 related_transactions" in sections[2]
    assert "公司数据 share_payments" in sections[7]
