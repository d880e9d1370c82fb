"""Answer templates of issue 14 item 1, set A: 16 topics rendered through the real compose pipeline.

A small letter written for this test asks one question per topic; the fictional company of
examples/company.yaml carries, in addition, the blocks these templates read (capacity, purchases,
outsourcing, premises, core_technologies, patents), set here so the expected figures are known:
every expected ratio below is recomputed from those amounts, half-up.
"""
from __future__ import annotations

import inspect
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

import drafter.compose.answers as answers_mod
import drafter.compose.templating as templating
from drafter.match.bank import load_bank
from drafter.document import Paragraph, Table
from drafter.paths import EXAMPLES_DIR
from drafter.render.style import HouseStyle
from _helpers import nf, q2


def _api_present() -> bool:
    g = templating.environment().globals
    h1 = {"value", "has", "rows", "growth_of", "share_of", "to_assets", "fin_table", "ratio_table",
          "records_table", "series_table"} <= set(g)
    h3 = "asks" in g or '"asks"' in inspect.getsource(answers_mod)
    return h1 and h3


pytestmark = pytest.mark.skipif(
    not _api_present(),
    reason="needs the template API of issue 14 (value/has/rows/…_table globals from H1, asks/first from H3)",
)

TOPICS = [
    "production_capacity", "outsourcing", "raw_materials", "cost_structure", "fixed_assets",
    "business_premises", "distribution_channels", "export_sales", "core_tech_ip", "tech_advancement",
    "industry_competition", "board_positioning", "business_model", "peer_comparability", "pricing",
    "revenue_recognition",
]

# One question per topic, in this file's own words; each request names the parts the template branches on.
QUESTIONS = [
    ("产能利用率", "(1)说明报告期各期主要产品的产能、产量、销量及产能利用率、产销率的变动情况;(2)说明机器设备原值与产能的匹配关系,是否存在超过环评备案产能生产的情形"),
    ("外协加工", "(1)说明外协加工的内容、金额及占营业成本的比例;(2)说明主要外协厂商是否与发行人存在关联关系"),
    ("原材料采购", "(1)列示主要原材料的采购数量、金额及单价;(2)说明是否开展套期保值业务"),
    ("营业成本", "(1)说明营业成本构成及变动原因;(2)说明主要产品单位成本的变动情况;(3)说明生产人员人数及人均薪酬"),
    ("固定资产", "(1)说明各期末固定资产的构成及变动;(2)说明在建工程的建设进度及转固时点"),
    ("经营场所", "(1)说明公司经营场所的面积、用途及权属情况;(2)说明租赁房产是否存在搬迁风险"),
    ("经销模式", "(1)说明直销与经销收入及毛利率的差异;(2)说明是否存在向经销商压货的情形"),
    ("境外销售", "(1)说明外销收入的构成及占比;(2)说明外销毛利率与内销存在差异的原因"),
    ("核心技术", "(1)说明核心技术的来源及对应专利;(2)说明为保护商业秘密采取的措施"),
    ("技术先进性", "(1)说明研发投入及技术水平;(2)说明技术领先相关表述是否经第三方检测"),
    ("行业竞争", "(1)说明行业竞争格局及公司市场地位;(2)说明市场占有率的测算依据"),
    ("创业板定位", "(1)结合研发投入及营业收入增长,说明是否符合创业板定位;(2)说明募集资金投向是否符合板块定位"),
    ("经营模式", "(1)说明主营业务及收入构成;(2)说明采购、生产、销售模式与可比公司的差异"),
    ("可比公司", "(1)说明可比公司的选取标准;(2)说明可比公司在规模、产品结构上的差异"),
    ("产品定价", "(1)说明主要产品平均单价的变动原因;(2)说明向关联方销售的价格是否公允"),
    ("收入确认", "(1)说明各销售模式下收入确认的时点及依据的单据;(2)说明需安装验收的产品以何时点确认收入"),
]


def _letter_text() -> str:
    out = ["关于青禾智能装备股份有限公司申请向不特定对象发行可转换公司债券的审核问询函", "", "审核函〔2026〕020099号", "",
           "青禾智能装备股份有限公司:", "", "本所对你公司的申请文件进行了审核,请就以下问题逐项说明。", ""]
    for i, (title, asks) in enumerate(QUESTIONS, 1):
        out += [f"{i}.关于{title}", "", f"申报材料显示,发行人{title}相关情况需进一步说明。", "",
                f"请发行人说明:{asks}。", "", "请保荐人和申报会计师核查并发表明确意见。", ""]
    out += ["深圳证券交易所上市审核中心", "", "2026年8月1日"]
    return "\n".join(out)


BLOCKS = {
    "capacity": [
        {"product": "智能分拣系统", "unit": "套",
         "capacity": {"2023": 300, "2024": 320, "2025": 360, "2026H1": 190},
         "output": {"2023": 258, "2024": 290, "2025": 318, "2026H1": 162},
         "sales_volume": {"2023": 253, "2024": 282, "2025": 312, "2026H1": 158}},
    ],
    "purchases": [
        {"material": "伺服电机", "unit": "台",
         "amount": {"2023": 8000.00, "2024": 9200.00, "2025": 10500.00, "2025H1": 4800.00, "2026H1": 5200.00},
         "quantity": {"2023": 40000, "2024": 47000, "2025": 54000, "2025H1": 24500, "2026H1": 27000}},
    ],
    "outsourcing": [
        {"supplier": "杭州宏达钣金加工厂", "content": "钣金件加工及喷涂",
         "amounts": {"2023": 1200.00, "2024": 1380.00, "2025": 1520.00, "2026H1": 760.00}},
        {"supplier": "湖州顺成机械有限公司", "content": "机加工",
         "amounts": {"2023": 600.00, "2024": 720.00, "2025": 810.00, "2026H1": 420.00}},
    ],
    "premises": [
        {"location": "浙江省杭州市余杭区青禾路18号", "use": "生产、办公", "area": 36000, "owned": True, "certificate": True},
        {"location": "浙江省杭州市余杭区仓前路66号", "use": "仓储", "area": 8000, "owned": False, "certificate": False,
         "lease_end": "2027-12-31"},
        {"location": "江苏省苏州市星湖街8号", "use": "研发", "area": 1500, "owned": False, "lease_end": "2028-06-30"},
    ],
    "core_technologies": [
        {"name": "多层交叉带高速分拣技术", "source": "自主研发", "patents": "发明专利3项", "application": "智能分拣系统",
         "revenue": {"2023": 30000.00, "2024": 34000.00, "2025": 38000.00, "2026H1": 19000.00}},
        {"name": "四向穿梭车调度算法", "source": "自主研发", "application": "智能仓储设备",
         "revenue": {"2023": 15000.00, "2024": 19000.00, "2025": 23000.00, "2026H1": 12000.00}},
    ],
    "patents": {"invention": 26, "utility": 88, "design": 7, "software": 41},
}
NEW_BLOCKS = ("capacity", "purchases", "outsourcing", "premises", "core_technologies", "patents")


def D(x) -> Decimal:
    return Decimal(str(x))


def pct(num, den) -> str:
    return q2(D(num) / D(den) * 100) + "%"


def _company(tmp_path: Path, with_blocks: bool):
    from drafter.company import load_company

    data = yaml.safe_load((EXAMPLES_DIR / "company.yaml").read_text(encoding="utf-8"))
    for b in NEW_BLOCKS:
        data.pop(b, None)
    if with_blocks:
        data.update(BLOCKS)
    p = tmp_path / ("company_blocks.yaml" if with_blocks else "company_plain.yaml")
    p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_company(p)


def _compose(company):
    from drafter.compose import compose_reply
    from drafter.parse import parse_text

    letter = parse_text(_letter_text(), source="letter_templates_a.txt")
    assert len(letter.questions) == len(TOPICS)
    from _helpers import typed_matches

    matches = typed_matches({"questions": [
        {"number": q.number, "topics": [{"id": TOPICS[q.number - 1]}],
         "requests": [{"id": r.id, "label": r.label, "topics": [{"id": TOPICS[q.number - 1]}]} for r in q.requests]}
        for q in letter.questions
    ]})
    return compose_reply(letter, company, matches, HouseStyle(), load_bank())


def _text(doc) -> str:
    out = []
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            out.append(b.text)
        elif isinstance(b, Table):
            out += [" | ".join(r) for r in b.header + b.rows] + list(b.notes)
    return nf("\n".join(out))


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    return _text(_compose(_company(tmp_path_factory.mktemp("tplA"), True)))


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    return _text(_compose(_company(tmp_path_factory.mktemp("tplA_plain"), False)))


def test_every_topic_has_its_template_and_renders_whole(full, plain):
    bank = load_bank()
    for t in TOPICS:
        assert bank.topics[t].templates == [f"answers/{t}.j2"]
    for text in (full, plain):
        for t in TOPICS:
            assert f"answers/{t}.j2所需数据" not in text, t


def test_capacity_utilisation_and_sell_through(full):
    assert pct(258, 300) in full and pct(162, 190) in full  # 产能利用率 2023, 2026H1
    assert pct(253, 258) in full and pct(158, 162) in full  # 产销率
    assert "产能利用率=产量/产能" in full


def test_outsourcing_total_and_share_of_cost(full):
    assert "1,800.00万元" in full and "1,180.00万元" in full
    assert pct(1800, D("55164.26")) in full and pct(1180, D("36814.06")) in full


def test_raw_material_unit_price(full):
    assert "2,000.00" in full  # 8000万元 / 40000台 = 2,000.00元/台
    assert q2(D(5200) * 10000 / 27000) in full
    base, now = D(4800) * 10000 / 24500, D(5200) * 10000 / 27000
    assert "下降" + q2((base - now) / base * 100) + "%" in full  # against 2025年1-6月


def test_fixed_asset_newness_and_premises(full):
    assert pct(D("16306.01"), D("21799.48")) in full  # 房屋及建筑物 成新率, 2026年6月末
    assert "共3处" in full and "自有1处、租赁2处" in full
    assert pct(9500, 45500) in full  # 租赁面积占比


def test_export_channel_and_core_tech_shares(full):
    assert pct(D("14347.78"), D("55639.58")) in full  # 外销占主营业务收入
    assert pct(D("7344.42") - D("5146.03"), D("7344.42")) in full  # 经销毛利率 2026H1
    assert pct(45000, D("82365.47")) in full  # 核心技术产品收入占营业收入 2023
    assert "发明专利26项" in full


def test_unit_cost_price_growth_and_board_indicators(full):
    assert q2(D("19721.41") / 158) in full  # 智能分拣系统 单位成本 万元/套, 2026H1
    assert q2(D("29488.98") / 158) in full  # 平均销售单价
    rd = D("5567.91") + D("6715.50") + D("7895.03")
    rev = D("82365.47") + D("95120.36") + D("108746.92")
    assert pct(rd, rev) in full
    cagr = ((D("108746.92") / D("82365.47")) ** (Decimal(1) / 2) - 1) * 100
    assert q2(cagr) + "%" in full


def test_judgments_are_offered_not_asserted(full):
    assert "【待核实:存在/不存在】被要求搬迁的风险" in full
    assert "【待核实:不存在/存在】向经销商压货的情形" in full


def test_without_the_blocks_each_answer_names_the_data(plain):
    for block in ("capacity", "outsourcing", "purchases", "premises", "core_technologies", "patents"):
        assert f"公司数据 {block}" in plain, block
