"""Ratios the filed replies print, recomputed from the company files built from their published amounts.

tests/data/company_002.yaml (优优绿能, 深交所 创业板, first round) and tests/data/company_003.yaml
(聚星科技, 北交所, second round) hold only amounts the filed replies publish. Every case below is a
ratio one of those replies prints that follows from amounts in the file: where it is printed (a
context string of the reply that contains it), the printed string, and how drafter gets it — a
metric of drafter.company.metrics (what `drafter data check` and the templates show) or, where
drafter has no named metric, drafter.numbers applied to the file's amounts.

(a) drafter reproduces every printed figure to the last digit.
(b) the drafted letter (DOCX text outside the quoted letter and the mirrored request headings)
    contains the printed string. This is a floor measured at this commit (see FLOOR_*): it rises as
    the answer templates land. The cases the draft does not show yet are printed with -s.

Printed figures that do NOT follow from the file's amounts are left out on purpose, with the reason:
002 — peers' average 销售费用率 2021 9.36% and 应收账款周转率 2020 1.41 and 研发人员占比 2020 27.60%
(the reply averages unrounded peer ratios; the rounded ones give 9.37 / 1.42 / 27.61);
管理费用率 2.99%/2.12% and 资产负债率 (管理费用, 财务费用, 资产负债 are kept out of company_002.yaml:
tests/test_company_metrics.py pins what `data check` cannot compute); 存货周转率 2020 5.00 (needs the
2019 存货余额); 研发人员占比 35.59%/37.11% (no total headcount is published).
003 — 前五大客户占比 2022 31.47% (the five printed amounts give 31.46%); 电触头和电接触元件占主营业务
收入 2022 94.28% (the amounts give 94.29%); the 2023 电触头 growth is printed both as 18.86% and 18.85%
(the amounts give 18.86%); 银及银合金 采购单价 414.31 / 410.04 万元/吨 (the tonnage is printed to
0.01 吨: 24,856.74 / 60.00 gives 414.28); 存货周转天数 (the reply's 营业成本 differs from revenue less 营业毛利).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Callable

import pytest

from drafter import numbers as N
from drafter.company import load_company
from drafter.company.metrics import format_metric, metric_series
from _helpers import nf

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Case:
    where: str  # question and table or sentence of the filed reply
    context: str  # a string of the reply (one line) that holds the printed figure
    printed: str  # as the reply prints it
    compute: Callable[["Ctx"], str]  # drafter's figure, formatted as the reply prints it
    metric: str | None = None  # the drafter.company.metrics name, when it is one


class Ctx:
    def __init__(self, name: str):
        self.profile = load_company(DATA / f"company_{name}.yaml")
        self.metrics = metric_series(self.profile)

    def fin(self, item: str, key: str) -> Decimal:
        v = self.profile.value(item, key)
        assert v is not None, f"{item} {key} missing from the company file"
        return v

    def product(self, name: str, field: str, key: str) -> Decimal:
        line = next(x for x in self.profile.revenue_breakdown.product if x.name == name)
        return getattr(line, field)[key]

    def block(self, name: str) -> list[dict]:
        """One of issue 14's record blocks (capacity, purchases, third_party_payments …) as plain dicts."""
        rows = getattr(self.profile, name)
        assert rows, f"{name} missing from the company file"
        return [r.model_dump() for r in rows]


# ------------------------------------------------------------------ how a figure is computed


def met(name: str, key: str) -> Callable[[Ctx], str]:
    return lambda c: format_metric(name, c.metrics.get(name, {}).get(key))


def pct(num: Callable[[Ctx], Decimal], den: Callable[[Ctx], Decimal]) -> Callable[[Ctx], str]:
    return lambda c: N.fmt_pct(N.ratio(num(c), den(c)))


def grow(cur: Callable[[Ctx], Decimal], prev: Callable[[Ctx], Decimal]) -> Callable[[Ctx], str]:
    return lambda c: N.fmt_pct(N.growth(cur(c), prev(c)))


def margin(rev: Callable[[Ctx], Decimal], cost: Callable[[Ctx], Decimal]) -> Callable[[Ctx], str]:
    return lambda c: N.fmt_pct(N.ratio(rev(c) - cost(c), rev(c)))


def fin(item: str, key: str) -> Callable[[Ctx], Decimal]:
    return lambda c: c.fin(item, key)


def prod(name: str, field: str, key: str) -> Callable[[Ctx], Decimal]:
    return lambda c: c.product(name, field, key)


def fact(name: str, key: str) -> Callable[[Ctx], Decimal]:
    return lambda c: N.to_decimal(c.profile.facts[name][key])


def rec(block: str, key_field: str, key_value: str, series: str, period: str) -> Callable[[Ctx], Decimal]:
    return lambda c: next(r for r in c.block(block) if r[key_field] == key_value)[series][period]


def rec_sum(block: str, series: str, period: str) -> Callable[[Ctx], Decimal]:
    return lambda c: sum((r[series][period] for r in c.block(block) if period in r.get(series, {})), Decimal(0))


def top5(key: str) -> Callable[[Ctx], Decimal]:
    return lambda c: sum((x.amount for x in c.profile.customers[key]), Decimal(0))


def modules(key: str) -> Callable[[Ctx], Decimal]:
    """充电模块 revenue: the four power classes of the product breakdown."""
    return lambda c: sum((x.revenue[key] for x in c.profile.revenue_breakdown.product
                          if x.name.endswith("充电模块") and key in x.revenue), Decimal(0))


def unit_price(revenue: Callable[[Ctx], Decimal], qty: Callable[[Ctx], Decimal]) -> Callable[[Ctx], str]:
    """元 per unit from 万元 and a quantity."""
    return lambda c: N.fmt_number(revenue(c) * 10000 / qty(c))


# ------------------------------------------------------------------ 002: 优优绿能

MB = "main_business_revenue"
CASES_002: list[Case] = [
    # 问题12 (1): 主营业务毛利率 table
    Case("问题12 (1) 主营业务毛利率", "毛利率34.73%26.28%29.30%", "29.30%", met("main_business_gross_margin", "2020"),
         "main_business_gross_margin"),
    Case("问题12 (1) 主营业务毛利率", "毛利率34.73%26.28%29.30%", "26.28%", met("main_business_gross_margin", "2021"),
         "main_business_gross_margin"),
    # 问题1 (2) and 问题13 (7): 研发费用率, 销售费用率
    Case("问题1 (2) 研发费用占营业收入", "占各期营业收入的比例分别为7.75%、5.34%、", "7.75%", met("rd_expense_ratio", "2019"),
         "rd_expense_ratio"),
    Case("问题13 (7) 研发费用率 table", "公司4.07%4.99%5.34%", "5.34%", met("rd_expense_ratio", "2020"), "rd_expense_ratio"),
    Case("问题13 (7) 研发费用率 table", "公司4.07%4.99%5.34%", "4.99%", met("rd_expense_ratio", "2021"), "rd_expense_ratio"),
    Case("问题13 (7) 销售费用率 table", "公司6.04%5.69%5.20%", "5.69%", met("selling_expense_ratio", "2021"),
         "selling_expense_ratio"),
    # 问题8: 营业收入增长, CAGR
    Case("问题8 (1) 营业收入增长", "2020年、2021年分别较上年增长111.97%、", "111.97%", met("revenue_growth", "2020"),
         "revenue_growth"),
    Case("问题8 营业收入 table", "营业收入98,791.26129.44%43,056.88105.22%20,980.79", "105.22%",
         met("revenue_growth", "2021"), "revenue_growth"),
    Case("问题8 (1) 复合增长率", "105.22%,最近三年年均复合增长率为108.57%", "108.57%", met("revenue_cagr", "2019-2021"),
         "revenue_cagr"),
    # 问题14 (1)
    Case("问题14 应收账款余额占营业收入", "占当期营业收入的比重分别为34.55%、", "34.55%", met("receivables_to_revenue", "2019"),
         "receivables_to_revenue"),
    Case("问题14 应收账款余额占营业收入", "应收账款余额占营业收入比例31.61%40.98%30.90%", "30.90%",
         met("receivables_to_revenue", "2020"), "receivables_to_revenue"),
    Case("问题14 应收账款余额占营业收入", "应收账款余额占营业收入比例31.61%40.98%30.90%", "40.98%",
         met("receivables_to_revenue", "2021"), "receivables_to_revenue"),
    Case("问题14 应收账款余额占营业收入 (未年化)", "40.98%和54.17%", "54.17%", met("receivables_to_revenue", "2022H1"),
         "receivables_to_revenue"),
    Case("问题14 (2) 应收账款周转率", "公司4.043.574.24", "4.24", met("receivables_turnover", "2020"), "receivables_turnover"),
    Case("问题14 (2) 应收账款周转率", "公司4.043.574.24", "3.57", met("receivables_turnover", "2021"), "receivables_turnover"),
    Case("问题15 存货周转率", "存货周转率分别为5.00次/年、5.26次/年和4.72次/年", "5.26", met("inventory_turnover", "2021"),
         "inventory_turnover"),
    # 问题12 (4): 外销占比 (营业收入口径)
    Case("问题12 (4) 外销占比", "外销占比分别为19.78%、24.05%和51.72%", "19.78%", met("export_share", "2020"), "export_share"),
    Case("问题12 (4) 外销占比", "外销占比分别为19.78%、24.05%和51.72%", "24.05%", met("export_share", "2021"), "export_share"),
    # 问题9 (1) and 问题3 (6): 前五大客户, 关联客户 (ABB、万帮数字)
    Case("问题9 (1) 前五大客户占比", "向前五大客户合计销售61,334.0162.08%29,981.2469.63%15,542.4974.08%", "74.08%",
         met("top5_customer_share", "2020"), "top5_customer_share"),
    Case("问题9 (1) 前五大客户占比", "向前五大客户合计销售61,334.0162.08%29,981.2469.63%15,542.4974.08%", "69.63%",
         met("top5_customer_share", "2021"), "top5_customer_share"),
    Case("问题9 (1) 向ABB、万帮数字销售占比", "向ABB、万帮数字销售46,805.3647.38%20,768.0948.23%12,413.8559.17%", "59.17%",
         met("related_party_sales_share", "2020"), "related_party_sales_share"),
    Case("问题9 (1) 向ABB、万帮数字销售占比", "向ABB、万帮数字销售46,805.3647.38%20,768.0948.23%12,413.8559.17%", "48.23%",
         met("related_party_sales_share", "2021"), "related_party_sales_share"),
    Case("问题3 (6) 非前五大客户占比", "非前五大客户占比37.92%30.37%25.92%", "25.92%",
         pct(lambda c: c.fin("revenue", "2020") - top5("2020")(c), fin("revenue", "2020"))),
    Case("问题3 (6) 非前五大客户占比", "非前五大客户占比37.92%30.37%25.92%", "30.37%",
         pct(lambda c: c.fin("revenue", "2021") - top5("2021")(c), fin("revenue", "2021"))),
    Case("问题3 (6) 非关联客户占比", "非关联客户占比52.62%51.77%40.83%", "40.83%",
         pct(lambda c: c.fin("revenue", "2020") - c.fin("related_party_sales", "2020"), fin("revenue", "2020"))),
    Case("问题3 (6) 非关联客户占比", "非关联客户占比52.62%51.77%40.83%", "51.77%",
         pct(lambda c: c.fin("revenue", "2021") - c.fin("related_party_sales", "2021"), fin("revenue", "2021"))),
    # peers' averages (问题12 (4), 问题13 (7), 问题14 (2), 问题1)
    Case("问题12 (4) 可比公司平均毛利率", "平均值22.81%23.63%26.36%", "26.36%",
         met("peer_main_business_gross_margin_avg", "2020"), "peer_main_business_gross_margin_avg"),
    Case("问题12 (4) 可比公司平均毛利率", "平均值22.81%23.63%26.36%", "23.63%",
         met("peer_main_business_gross_margin_avg", "2021"), "peer_main_business_gross_margin_avg"),
    Case("问题13 (7) 可比公司平均管理费用率", "平均值6.46%7.01%7.96%", "7.96%",
         met("peer_admin_expense_ratio_avg", "2020"), "peer_admin_expense_ratio_avg"),
    Case("问题13 (7) 可比公司平均管理费用率", "平均值6.46%7.01%7.96%", "7.01%",
         met("peer_admin_expense_ratio_avg", "2021"), "peer_admin_expense_ratio_avg"),
    Case("问题13 (7) 可比公司平均销售费用率", "平均值8.69%9.36%10.04%", "10.04%",
         met("peer_selling_expense_ratio_avg", "2020"), "peer_selling_expense_ratio_avg"),
    Case("问题13 (7) 可比公司平均研发费用率", "平均值9.60%11.07%11.96%", "11.96%", met("peer_rd_ratio_avg", "2020"),
         "peer_rd_ratio_avg"),
    Case("问题13 (7) 可比公司平均研发费用率", "平均值9.60%11.07%11.96%", "11.07%", met("peer_rd_ratio_avg", "2021"),
         "peer_rd_ratio_avg"),
    Case("问题14 (2) 可比公司平均应收账款周转率", "平均值1.881.651.41", "1.65", met("peer_receivables_turnover_avg", "2021"),
         "peer_receivables_turnover_avg"),
    Case("问题1 可比公司平均研发人员占比", "平均值47922.06%424.0023.56%399.5027.60%", "23.56%",
         met("peer_rd_staff_share_avg", "2021"), "peer_rd_staff_share_avg"),
    # 问题12 (1): 分产品收入占比及毛利率 (主营业务收入口径)
    *[Case("问题12 (1) 分产品收入占比", ctx, s, pct(prod(name, "revenue", k), fin(MB, k)))
      for name, k, s, ctx in (
          ("15KW充电模块", "2020", "2.64%", "15KW充电模块0.13%46.09%0.58%43.93%2.64%42.19%"),
          ("15KW充电模块", "2021", "0.58%", "15KW充电模块0.13%46.09%0.58%43.93%2.64%42.19%"),
          ("20KW充电模块", "2020", "12.69%", "20KW充电模块12.10%25.63%20.92%21.40%12.69%27.79%"),
          ("20KW充电模块", "2021", "20.92%", "20KW充电模块12.10%25.63%20.92%21.40%12.69%27.79%"),
          ("30KW充电模块", "2020", "78.16%", "30KW充电模块77.27%35.42%70.92%26.93%78.16%28.45%"),
          ("30KW充电模块", "2021", "70.92%", "30KW充电模块77.27%35.42%70.92%26.93%78.16%28.45%"),
          ("40KW充电模块", "2021", "1.05%", "40KW充电模块3.47%30.09%1.05%27.73%--"),
          ("其他", "2020", "6.51%", "其他7.04%44.88%6.54%33.05%6.51%37.18%"),
          ("其他", "2021", "6.54%", "其他7.04%44.88%6.54%33.05%6.51%37.18%"))],
    *[Case("问题12 (1) 分产品毛利率", ctx, s, margin(prod(name, "revenue", k), prod(name, "cost", k)))
      for name, k, s, ctx in (
          ("15KW充电模块", "2020", "42.19%", "15KW充电模块0.13%46.09%0.58%43.93%2.64%42.19%"),
          ("15KW充电模块", "2021", "43.93%", "15KW充电模块0.13%46.09%0.58%43.93%2.64%42.19%"),
          ("20KW充电模块", "2020", "27.79%", "20KW充电模块12.10%25.63%20.92%21.40%12.69%27.79%"),
          ("20KW充电模块", "2021", "21.40%", "20KW充电模块12.10%25.63%20.92%21.40%12.69%27.79%"),
          ("30KW充电模块", "2020", "28.45%", "30KW充电模块77.27%35.42%70.92%26.93%78.16%28.45%"),
          ("30KW充电模块", "2021", "26.93%", "30KW充电模块77.27%35.42%70.92%26.93%78.16%28.45%"),
          ("40KW充电模块", "2021", "27.73%", "40KW充电模块3.47%30.09%1.05%27.73%--"),
          ("其他", "2020", "37.18%", "其他7.04%44.88%6.54%33.05%6.51%37.18%"),
          ("其他", "2021", "33.05%", "其他7.04%44.88%6.54%33.05%6.51%37.18%"))],
    # 问题8 (1): 分产品收入增长; 主营业务收入增长
    *[Case("问题8 (1) 分产品收入增长", ctx, s, grow(prod(name, "revenue", "2021"), prod(name, "revenue", "2020")))
      for name, s, ctx in (
          ("15KW充电模块", "-54.95%", "15KW充电模块127.92-48.52%248.49-54.95%551.59"),
          ("20KW充电模块", "238.97%", "20KW充电模块11,932.8432.68%8,993.48238.97%2,653.16"),
          ("30KW充电模块", "86.60%", "30KW充电模块76,226.97149.99%30,492.1586.60%16,341.17"),
          ("其他", "106.51%", "其他6,940.89146.92%2,811.03106.51%1,361.19"))],
    Case("问题8 (1) 主营业务收入增长", "合计98,656.51129.46%42,995.56105.65%20,907.12", "105.65%",
         grow(fin(MB, "2021"), fin(MB, "2020"))),
    # 问题8 (6): 充电模块 销量 and 单价 (元/台) — 销量 from the 产能产量 block
    Case("问题8 (6) 充电模块销售单价", "销售单价(元/台)3,728.9721.24%3,075.64-6.91%3,303.96", "3,303.96",
         unit_price(modules("2020"), rec("capacity", "product", "充电模块", "sales_volume", "2020"))),
    Case("问题8 (6) 充电模块销售单价", "销售单价(元/台)3,728.9721.24%3,075.64-6.91%3,303.96", "3,075.64",
         unit_price(modules("2021"), rec("capacity", "product", "充电模块", "sales_volume", "2021"))),
    Case("问题8 (6) 充电模块销量增长", "销量(台)245,95488.25%130,654120.85%59,159", "120.85%",
         grow(rec("capacity", "product", "充电模块", "sales_volume", "2021"),
              rec("capacity", "product", "充电模块", "sales_volume", "2020"))),
    Case("问题8 (6) 充电模块销售收入增长", "销售收入(万元)91,715.62128.24%40,184.53105.59%19,545.92", "105.59%",
         grow(modules("2021"), modules("2020"))),
    # 问题6 (1): 产能利用率 = 产量 / 产能
    Case("问题6 (1) 产能利用率", "产能利用率-80.41%63.93%38.50%", "38.50%",
         pct(rec("capacity", "product", "充电模块", "output", "2020"),
             rec("capacity", "product", "充电模块", "capacity", "2020"))),
    Case("问题6 (1) 产能利用率", "产能利用率-80.41%63.93%38.50%", "63.93%",
         pct(rec("capacity", "product", "充电模块", "output", "2021"),
             rec("capacity", "product", "充电模块", "capacity", "2021"))),
    # 问题14 (5): 第三方回款 / 营业收入
    Case("问题14 (5) 第三方回款占比", "第三方回款金额/营业收入2.88%0.94%1.01%", "1.01%",
         pct(rec_sum("third_party_payments", "amounts", "2020"), fin("revenue", "2020"))),
    Case("问题14 (5) 第三方回款占比", "第三方回款金额/营业收入2.88%0.94%1.01%", "0.94%",
         pct(rec_sum("third_party_payments", "amounts", "2021"), fin("revenue", "2021"))),
    # 问题13 (1): 期间费用率 (facts.period_expenses, the letter's figures)
    *[Case("问题13 (1) 期间费用率", "占营业收入比例分别为18.85%、14.22%、13.27%和13.20%", s,
           pct(fact("period_expenses", k), fin("revenue", k)))
      for k, s in (("2019", "18.85%"), ("2020", "14.22%"), ("2021", "13.27%"), ("2022H1", "13.20%"))],
    # 问题13: 研发直接投入占研发费用; 质保费占营业收入 and 占销售费用 (facts of the company file)
    Case("问题13 (5) 研发直接投入占研发费用", "占研发费用比例分别为9.35%、16.20%", "9.35%",
         pct(fact("rd_direct_input", "2020"), fin("rd_expense", "2020"))),
    Case("问题13 (5) 研发直接投入占研发费用", "占研发费用比例分别为9.35%、16.20%", "16.20%",
         pct(fact("rd_direct_input", "2021"), fin("rd_expense", "2021"))),
    Case("问题13 (3) 质保费占营业收入", "质保费占营业收入比例分别为2.41%、2.39%", "2.41%",
         pct(fact("warranty_expense", "2020"), fin("revenue", "2020"))),
    Case("问题13 (3) 质保费占营业收入", "质保费占营业收入比例分别为2.41%、2.39%", "2.39%",
         pct(fact("warranty_expense", "2021"), fin("revenue", "2021"))),
    Case("问题13 质保费占销售费用", "41.92%和42.42%", "41.92%",
         pct(fact("warranty_expense", "2021"), fin("selling_expense", "2021"))),
    # 问题15 (3): 委托加工物资 and 1年以上存货 shares of 存货余额
    Case("问题15 (3) 委托加工物资占存货余额", "委托加工物资1,449.5938.64%", "38.64%",
         pct(lambda c: next(x for x in c.profile.inventory.categories if x.name == "委托加工物资").balance["2020"],
             fin("inventory_balance", "2020"))),
    Case("问题15 (3) 库龄1年以上占比", "合计3,751.533,613.9596.33%137.583.67%", "3.67%",
         pct(lambda c: next(x for x in c.profile.inventory.aging if x.name == "1年以上").balance["2020"],
             fin("inventory_balance", "2020"))),
    Case("问题15 (3) 库龄1年以内占比", "合计3,751.533,613.9596.33%137.583.67%", "96.33%",
         pct(lambda c: next(x for x in c.profile.inventory.aging if x.name == "1年以内").balance["2020"],
             fin("inventory_balance", "2020"))),
]

# ------------------------------------------------------------------ 003: 聚星科技

CASES_003: list[Case] = [
    Case("问题2 (1) 营业收入变动", "营业收入49,187.51-17.46%59,594.22", "-17.46%", met("revenue_growth", "2022"),
         "revenue_growth"),
    Case("问题2 (1) 营业收入变动", "营业收入60,274.1222.54%49,187.51", "22.54%", met("revenue_growth", "2023"),
         "revenue_growth"),
    Case("问题2 (1) 综合毛利率", "综合毛利率24.08%3.55%20.53%", "20.53%", met("gross_margin", "2022"), "gross_margin"),
    Case("问题2 (1) 综合毛利率", "综合毛利率24.08%3.55%20.53%", "24.08%", met("gross_margin", "2023"), "gross_margin"),
    Case("问题2 (1) 期间费用率", "期间费用率9.47%-2.39%11.86%", "11.86%", met("period_expense_ratio", "2022"),
         "period_expense_ratio"),
    Case("问题2 (1) 期间费用率", "期间费用率9.47%-2.39%11.86%", "9.47%", met("period_expense_ratio", "2023"),
         "period_expense_ratio"),
    Case("问题2 (1) 扣非归母净利润变动", "扣除非经常性损益后归属于母公司股东的净利润3,359.29-41.12%5,705.64", "-41.12%",
         met("net_profit_parent_deducted_growth", "2022"), "net_profit_parent_deducted_growth"),
    Case("问题2 (1) 扣非归母净利润变动", "扣除非经常性损益后归属于母公司股东的净利润7,330.83118.23%3,359.29", "118.23%",
         met("net_profit_parent_deducted_growth", "2023"), "net_profit_parent_deducted_growth"),
    *[Case("问题5 研发费用率", "占营业收入比例分别为3.26%、3.57%和3.59%", s, met("rd_expense_ratio", k), "rd_expense_ratio")
      for k, s in (("2021", "3.26%"), ("2022", "3.57%"), ("2023", "3.59%"))],
    Case("问题6 (3) 前五大客户占比", "发行人27.39%31.47%28.89%", "28.89%", met("top5_customer_share", "2021"),
         "top5_customer_share"),
    Case("问题6 (3) 前五大客户占比", "发行人27.39%31.47%28.89%", "27.39%", met("top5_customer_share", "2023"),
         "top5_customer_share"),
    *[Case("问题6 (3) 可比公司平均毛利率", "同行业可比公司平均16.64%18.01%17.88%", s, met("peer_gross_margin_avg", k),
           "peer_gross_margin_avg") for k, s in (("2021", "17.88%"), ("2022", "18.01%"), ("2023", "16.64%"))],
    # 问题2 (1): 期间费用 items' change
    Case("问题2 (1) 管理费用变动", "管理费用2,320.5954.44%1,502.61", "54.44%",
         grow(fin("admin_expense", "2022"), fin("admin_expense", "2021"))),
    Case("问题2 (1) 管理费用变动", "管理费用2,075.97-10.54%2,320.59", "-10.54%",
         grow(fin("admin_expense", "2023"), fin("admin_expense", "2022"))),
    Case("问题2 (1) 销售费用变动", "销售费用1,453.36-6.90 %1,561.02", "-6.90%",
         grow(fin("selling_expense", "2023"), fin("selling_expense", "2022"))),
    Case("问题2 (1) 研发费用变动", "研发费用2,161.7523.12%1,755.74", "23.12%",
         grow(fin("rd_expense", "2023"), fin("rd_expense", "2022"))),
    Case("问题2 (1) 财务费用变动", "财务费用18.29-90.77%198.12", "-90.77%",
         grow(fin("financial_expense", "2023"), fin("financial_expense", "2022"))),
    Case("问题2 (1) 期间费用合计变动", "合计5,709.37-2.16%5,835.47", "-2.16%",
         grow(fact("period_expenses", "2023"), fact("period_expenses", "2022"))),
    # 问题2 (1): 主营业务收入, 电触头 and 电接触元件: change, unit price (元/千克), 销量 change
    Case("问题2 (1) 主营业务收入变动", "主营业务收入57,648.5719.26%48,340.16-16.89%58,164.45", "19.26%",
         grow(fin("main_business_revenue", "2023"), fin("main_business_revenue", "2022"))),
    Case("问题2 (1) 主营业务收入变动", "主营业务收入57,648.5719.26%48,340.16-16.89%58,164.45", "-16.89%",
         grow(fin("main_business_revenue", "2022"), fin("main_business_revenue", "2021"))),
    Case("问题2 (1) 电触头收入变动", "聚星科技-电触头38,411.2418.86%32,317.73-19.86%40,328.83", "18.86%",
         grow(prod("电触头", "revenue", "2023"), prod("电触头", "revenue", "2022"))),
    Case("问题2 (1) 电触头收入变动", "聚星科技-电触头38,411.2418.86%32,317.73-19.86%40,328.83", "-19.86%",
         grow(prod("电触头", "revenue", "2022"), prod("电触头", "revenue", "2021"))),
    Case("问题2 (1) 电接触元件收入变动", "电接触元件营业收入(万元)14,745.9011.19%13,261.60", "11.19%",
         grow(prod("电接触元件", "revenue", "2023"), prod("电接触元件", "revenue", "2022"))),
    *[Case("问题2 (1) 销售单价 (元/千克)", ctx, s, unit_price(prod(name, "revenue", k), prod(name, "quantity", k)))
      for name, k, s, ctx in (
          ("电触头", "2023", "1,310.74", "平均售价(元/kg)1,310.741,202.14"),
          ("电触头", "2022", "1,202.14", "平均售价(元/kg)1,310.741,202.14"),
          ("电接触元件", "2023", "151.68", "平均售价(元/kg)151.68152.60"),
          ("电接触元件", "2022", "152.60", "平均售价(元/kg)151.68152.60"))],
    Case("问题2 (1) 电触头销量变动", "销量(千克)293,050.379.01%268,835.65", "9.01%",
         grow(prod("电触头", "quantity", "2023"), prod("电触头", "quantity", "2022"))),
    Case("问题2 (1) 电接触元件销量变动", "销量(千克)972,143.1911.86%869,059.40", "11.86%",
         grow(prod("电接触元件", "quantity", "2023"), prod("电接触元件", "quantity", "2022"))),
    Case("问题2 (1) 电触头和电接触元件占主营业务收入", "95.22%、94.28%和92.21%", "95.22%",
         pct(lambda c: c.product("电触头", "revenue", "2021") + c.product("电接触元件", "revenue", "2021"),
             fin("main_business_revenue", "2021"))),
    Case("问题2 (1) 电触头和电接触元件占主营业务收入", "95.22%、94.28%和92.21%", "92.21%",
         pct(lambda c: c.product("电触头", "revenue", "2023") + c.product("电接触元件", "revenue", "2023"),
             fin("main_business_revenue", "2023"))),
    # 问题5: 应收账款、存货账面价值占总资产; 分红占未分配利润
    *[Case("问题5 应收账款账面价值占总资产", "占总资产的比例分别为31.18%、28.84%和27.84%", s,
           pct(fin("accounts_receivable", k), fin("total_assets", k)))
      for k, s in (("2021", "31.18%"), ("2022", "28.84%"), ("2023", "27.84%"))],
    *[Case("问题5 存货账面价值占总资产", "占总资产的比例分别为24.96%、23.90%和26.79%", s,
           pct(fin("inventory", k), fin("total_assets", k)))
      for k, s in (("2021", "24.96%"), ("2022", "23.90%"), ("2023", "26.79%"))],
    Case("问题5 (二) 分红占当年末未分配利润", "本次分红金额占当年末未分配利润的比例为25.26%", "25.26%",
         pct(lambda c: next(d.cash for d in c.profile.dividends if d.year == "2022"), fin("undistributed_profit", "2022"))),
    # 问题3: 银、铜 平均采购单价 (万元/吨) = 采购金额 / 采购数量 (the 原材料采购 block)
    *[Case("问题3 银铜采购单价 (万元/吨)", ctx, s,
           lambda c, m=m, k=k: N.fmt_number(rec("purchases", "material", m, "amount", k)(c)
                                            / rec("purchases", "material", m, "quantity", k)(c)))
      for m, k, s, ctx in (
          ("铜及铜合金", "2022", "6.03", "合计5,505.67912.826.03"),
          ("铜及铜合金", "2020", "4.48", "合计4,591.151,025.204.48"))],
    # 问题2 (1): 春禄寿 增长额占营业收入增长额
    Case("问题2 (1) 春禄寿销售增长额占营业收入增长额", "春禄寿公司销售增长额占营业收入增长额比例4.97%", "4.97%",
         pct(lambda c: c.profile.customers["2023"][0].amount - c.profile.customers["2022"][0].amount,
             lambda c: c.fin("revenue", "2023") - c.fin("revenue", "2022"))),
]

CASES = {"002": CASES_002, "003": CASES_003}


def _ids(cases):
    return [f"{c.where} {c.printed}" for c in cases]


# ------------------------------------------------------------------ (a) drafter reproduces every printed ratio


@pytest.fixture(scope="module")
def ctx002():
    return Ctx("002")


@pytest.fixture(scope="module")
def ctx003():
    return Ctx("003")


@pytest.fixture(scope="module")
def texts(reply002, reply003):
    return {"002": nf(reply002.read_text(encoding="utf-8")), "003": nf(reply003.read_text(encoding="utf-8"))}


def _printed_in_reply(text: str, case: Case) -> bool:
    return nf(case.context) in text and nf(case.printed).rstrip("%") in nf(case.context)


@pytest.mark.parametrize("case", CASES_002, ids=_ids(CASES_002))
def test_002_printed_ratio_is_reproduced(case, ctx002, texts):
    assert _printed_in_reply(texts["002"], case), f"not printed as said: {case.context}"
    assert case.compute(ctx002) == case.printed


@pytest.mark.parametrize("case", CASES_003, ids=_ids(CASES_003))
def test_003_printed_ratio_is_reproduced(case, ctx003, texts):
    assert _printed_in_reply(texts["003"], case), f"not printed as said: {case.context}"
    assert case.compute(ctx003) == case.printed


def test_metric_cases_are_what_data_check_prints():
    """The metric-backed cases read the same figures `drafter data check --json` reports."""
    import json

    from click.testing import CliRunner

    from drafter.cli import main

    for name, cases in CASES.items():
        res = CliRunner().invoke(main, ["data", "check", "--json", str(DATA / f"company_{name}.yaml")])
        assert res.exit_code == 0, res.output[-300:]
        metrics = json.loads(res.output)["metrics"]
        for c in cases:
            if c.metric is None:
                continue
            values = metrics[c.metric]["values"].values()
            assert any(format_metric(c.metric, Decimal(v)) == c.printed for v in values), (name, c.where, c.printed)


def test_the_case_lists_cover_both_replies():
    assert len(CASES_002) >= 60 and len(CASES_003) >= 35
    assert sum(c.metric is not None for c in CASES_002) >= 30
    assert sum(c.metric is not None for c in CASES_003) >= 15


# ------------------------------------------------------------------ (b) the draft shows them

# Measured at this branch's final commit (issue 14's templates not merged yet): how many printed
# ratios the drafted letter contains. Raise these as the templates land.
FLOOR_002 = 56  # of 78 (72%) with every topic templated (49 before)
FLOOR_003 = 35  # of 45 (78%; 18 before); 11.86% counts once for two cases (期间费用率 and 电接触元件销量变动)
_SKIP_STYLES = ("Reply Question", "Heading", "toc", "Reply Cover", "Reply TOC")


def _draft_text(letter: Path, company: Path, out: Path) -> str:
    import docx

    from drafter.draft import draft_with_summary

    draft_with_summary(letter, company, out)
    d = docx.Document(str(out))
    parts = [p.text for p in d.paragraphs if not p.style.name.startswith(_SKIP_STYLES)]
    for t in d.tables:
        for row in t.rows:
            parts.extend(cell.text for cell in row.cells)
    return nf("\n".join(parts))


def _shown(text: str, printed: str) -> bool:
    s = nf(printed).replace(" ", "")
    if s.startswith("-"):  # a decrease may be written in words
        return s in text or f"下降{s[1:]}" in text or f"减少{s[1:]}" in text
    return s in text


def _measure(name: str, letter: Path, tmp_path: Path) -> tuple[int, list[Case]]:
    text = _draft_text(letter, DATA / f"company_{name}.yaml", tmp_path / f"reply{name}.docx")
    missing = [c for c in CASES[name] if not _shown(text, c.printed)]
    return len(CASES[name]) - len(missing), missing


def _report(name: str, shown: int, missing: list[Case]) -> None:
    total = len(CASES[name])
    print(f"\n{name}: the draft shows {shown} of {total} printed ratios ({Decimal(shown * 100) / total:.0f}%)")
    for c in missing:
        print(f"  missing: {c.where} {c.printed}" + (f" [metric {c.metric}]" if c.metric else ""))


def test_002_draft_shows_the_printed_ratios(reply002, tmp_path):
    shown, missing = _measure("002", reply002, tmp_path)
    _report("002", shown, missing)
    assert shown >= FLOOR_002


def test_003_draft_shows_the_printed_ratios(reply003, tmp_path):
    shown, missing = _measure("003", reply003, tmp_path)
    _report("003", shown, missing)
    assert shown >= FLOOR_003
