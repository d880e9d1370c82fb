"""Content checks for the question bank (question_bank/<id>.yaml).

Every taxonomy id has exactly one topic file that validates against drafter.match.bank_schema.Topic; the file
is named after its id; names and groups follow the taxonomy; exemplars are never repeated; the topics
that have answer templates point at answers/<id>.j2; frequent topics carry enough exemplars.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from drafter.match.bank_schema import Topic

ROOT = Path(__file__).resolve().parent.parent
BANK = ROOT / "question_bank"

TEMPLATE_TOPICS = {
    "financial_investment", "bond_balance_solvency", "revenue_growth", "gross_margin", "period_expenses",
    "rd_investment", "accounts_receivable", "inventory", "customer_concentration", "suppliers",
    "post_period_performance",
}

# Topics real letters raise often: they need a wide set of phrasings for the matcher.
FREQUENT = {
    # finance
    "revenue_recognition", "revenue_growth", "revenue_verification", "export_sales", "customer_concentration",
    "distribution_channels", "pricing", "cost_structure", "raw_materials", "suppliers", "gross_margin",
    "period_expenses", "accounts_receivable", "third_party_payments", "inventory", "fixed_assets",
    "notes_settlement", "fund_flow_verification", "confirmation_procedures", "post_period_performance",
    "tax_subsidy", "goodwill_impairment",
    # business
    "board_positioning", "tech_advancement", "industry_competition", "peer_comparability", "rd_investment",
    "core_tech_ip", "production_capacity", "business_premises", "outsourcing", "environmental_safety",
    "business_model",
    # governance
    "equity_history", "share_based_payment", "related_party", "actual_controller", "vam_special_rights",
    "shareholder_verification", "horizontal_competition", "independence_dependence", "management_personnel",
    "litigation_compliance", "labor_employment",
    # offering
    "fundraising_projects", "fundraising_scale", "benefit_forecast", "financial_investment",
    "bond_balance_solvency",
}

# Metric names published by drafter.company.metrics (see the team brief).
METRICS = {
    "revenue_growth", "revenue_cagr", "net_profit_growth", "gross_margin", "selling_expense_ratio",
    "admin_expense_ratio", "rd_expense_ratio", "financial_expense_ratio", "receivables_to_revenue",
    "receivables_turnover", "inventory_turnover", "inventory_to_current_assets", "debt_ratio",
    "top5_customer_share", "top5_supplier_share", "export_share", "related_party_sales_share",
    "peer_gross_margin_avg", "gross_margin_vs_peers", "peer_rd_ratio_avg", "rd_ratio_vs_peers",
    "peer_expense_ratio_avg", "operating_cash_to_net_profit", "financial_investment_to_net_assets_parent",
    "bond_balance_to_net_assets",
}


def _taxonomy() -> dict[str, dict]:
    data = yaml.safe_load((BANK / "_taxonomy.yaml").read_text(encoding="utf-8"))
    return {t["id"]: t for t in data["topics"]}


def _topic_files() -> list[Path]:
    return sorted(p for p in BANK.glob("*.yaml") if not p.name.startswith("_"))


@pytest.fixture(scope="module")
def topics() -> dict[str, Topic]:
    out = {}
    for path in _topic_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[path.stem] = Topic.model_validate(data)
    return out


def test_every_taxonomy_id_has_a_file_and_no_strays():
    ids = set(_taxonomy())
    stems = {p.stem for p in _topic_files()}
    assert len(ids) == 59
    assert ids - stems == set(), f"missing topic files: {sorted(ids - stems)}"
    assert stems - ids == set(), f"files without a taxonomy id: {sorted(stems - ids)}"


def test_each_file_validates_and_matches_its_name(topics):
    tax = _taxonomy()
    assert len(topics) == 59
    for stem, topic in topics.items():
        assert topic.id == stem
        assert topic.name == tax[stem]["name"], stem
        assert topic.group == tax[stem]["group"], stem
        assert topic.parent is None


def test_no_exemplar_is_repeated_anywhere(topics):
    seen: dict[str, list[str]] = defaultdict(list)
    for topic in topics.values():
        for ex in topic.exemplars:
            seen[ex.strip()].append(topic.id)
    repeated = {ex: ids for ex, ids in seen.items() if len(ids) > 1}
    assert repeated == {}


def test_each_topic_lists_only_its_own_answer_template(topics):
    # issue 14: every topic gets a template; a topic lists none yet or exactly its own, which exists
    for tid, topic in topics.items():
        if tid in TEMPLATE_TOPICS:
            assert topic.templates == [f"answers/{tid}.j2"]
        else:
            assert topic.templates in ([], [f"answers/{tid}.j2"]), tid  # issue 14: new topics gain their own
        for name in topic.templates:
            assert (ROOT / "templates" / name).is_file(), name
    assert sum(1 for t in topics.values() if t.templates) >= 11


def test_frequent_topics_have_enough_exemplars(topics):
    for tid in FREQUENT:
        assert len(topics[tid].exemplars) >= 8, tid
    for tid, topic in topics.items():
        assert len(topic.exemplars) >= 4, tid


def test_keywords_are_weighted_and_sized(topics):
    for tid, topic in topics.items():
        assert 8 <= len(topic.keywords) <= 50, (tid, len(topic.keywords))  # real letters phrase a topic many ways
        assert all(w in (1, 2, 3) for w in topic.keywords.values()), tid
        assert any(w == 3 for w in topic.keywords.values()), tid


def test_procedures_evidence_and_conclusions_present(topics):
    for tid, topic in topics.items():
        assert "sponsor" in topic.procedures, tid
        for party, steps in topic.procedures.items():
            assert 4 <= len(steps) <= 8, (tid, party, len(steps))
        assert topic.evidence, tid
        assert 2 <= len(topic.conclusions) <= 5, tid


def test_legal_topics_carry_lawyer_procedures(topics):
    legal = [t for t in topics.values() if t.group == "governance"]
    assert legal and all("lawyer" in t.procedures for t in legal)


def test_triggers_use_published_metrics(topics):
    expected = {
        ("accounts_receivable", "receivables_to_revenue", ">", 30),
        ("revenue_growth", "revenue_cagr", ">", 30),
        ("revenue_growth", "revenue_growth", "<", -20),
        ("customer_concentration", "top5_customer_share", ">", 50),
        ("suppliers", "top5_supplier_share", ">", 50),
        ("gross_margin", "gross_margin_vs_peers", ">", 10),
        ("rd_investment", "rd_ratio_vs_peers", "<", 0),
        ("related_party", "related_party_sales_share", ">", 30),
        ("export_sales", "export_share", ">", 30),
        ("inventory", "inventory_to_current_assets", ">", 30),
        ("revenue_verification", "operating_cash_to_net_profit", "<", 50),
        ("bond_balance_solvency", "debt_ratio", ">", 60),
        ("financial_investment", "financial_investment_to_net_assets_parent", ">", 30),
        ("post_period_performance", "net_profit_growth", "<", -30),
    }
    found = set()
    for topic in topics.values():
        for trig in topic.triggers:
            assert trig.metric in METRICS, (topic.id, trig.metric)
            assert trig.reason.strip(), topic.id
            found.add((topic.id, trig.metric, trig.op, trig.value))
    assert expected <= found, sorted(expected - found)


def test_offerings_and_boards_where_they_matter(topics):
    assert topics["bond_balance_solvency"].offerings == ["convertible"]
    # since the 2023 registration reform the main board has its own positioning (大盘蓝筹) too
    assert set(topics["board_positioning"].boards) == {"main", "chinext", "star", "bse"}
    assert {"convertible", "private_placement"} <= set(topics["financial_investment"].offerings)
    assert topics["restructuring_valuation"].offerings == ["restructuring"]


def test_key_references_cited(topics):
    assert "《证券期货法律适用意见第18号》" in topics["financial_investment"].references
    assert "《证券期货法律适用意见第18号》" in topics["bond_balance_solvency"].references
    assert "《深圳证券交易所创业板企业发行上市申报及推荐暂行规定》" in topics["board_positioning"].references
    assert "《企业会计准则第11号——股份支付》" in topics["share_based_payment"].references
    for topic in topics.values():
        for ref in topic.references:
            assert ref.startswith("《") and ref.endswith("》"), (topic.id, ref)


def test_exemplars_do_not_copy_the_corpus(topics, corpus):
    """Exemplars are our own words: no exemplar (or any 30-character run of one) appears in the real replies."""
    text = "".join(
        (corpus / name).read_text(encoding="utf-8").replace("\n", "")
        for name in ("002_b6a7c14d8069eefe.txt", "003_474977f8a7f54835.txt")
    )
    copied = []
    for topic in topics.values():
        for ex in topic.exemplars:
            runs = [ex[i:i + 30] for i in range(0, max(1, len(ex) - 29))]
            if any(run in text for run in runs):
                copied.append((topic.id, ex))
    assert copied == []


def test_data_fields_resolve_in_the_company_model(topics):
    """data_fields are dotted paths into drafter.company.model.CompanyProfile (facts.* is the free-form block)."""
    from drafter.company import model as m

    sub = {
        "company": m.CompanyInfo, "offering": m.Offering, "receivables": m.Receivables,
        "inventory": m.Inventory, "rd": m.RD, "revenue_breakdown": m.RevenueBreakdown,
    }
    top = set(m.CompanyProfile.model_fields)
    bad = []
    for topic in topics.values():
        for f in topic.data_fields:
            head, _, rest = f.partition(".")
            if head not in top:
                ok = False
            elif not rest or head == "facts":
                ok = True
            elif head == "financials":
                ok = rest in m.FINANCIAL_ITEMS
            else:
                ok = head in sub and rest in sub[head].model_fields
            if not ok:
                bad.append((topic.id, f))
    assert bad == []
