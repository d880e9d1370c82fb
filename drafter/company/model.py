"""CompanyProfile: the company's data as the templates and checks see it (pydantic v2).

Amounts are `Decimal` in 万元 (a file declaring ``unit: 元`` is converted by /10000, exactly);
percentages (coupon rates, IRR, peers' published ratios) are `Decimal` in percent units (0.30 means
0.30%); counts are `int`. Values are keyed by *period key* ("2021", "2022H1", see drafter.numbers).

Periods. ``periods`` lists the reporting periods oldest first (three full years and at most one
interim period, which must be the latest). A period flagged ``comparative: true`` (e.g. 2021H1 beside a
2022H1 interim) is not part of the 报告期: it only carries the same-period figures of the year before,
so that the interim period's growth can be computed. Without such a comparative period an interim
period has no growth (none is invented). A comparative full year before the first reporting year
(e.g. ``2018``) supplies opening balances for the first year's turnover ratios.

Every series may cover a subset of the declared periods; a key that is not declared is an error.
The post-period block (审计截止日后) has its own two periods (``key`` and ``comparative_key``).
"""
from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .. import numbers as N

# --------------------------------------------------------------------------- canonical items

# key: (Chinese label as in the Excel template, may be negative, kind)
FINANCIAL_ITEMS: dict[str, tuple[str, bool, str]] = {
    # --- the fixed contract (issue 3)
    "revenue": ("营业收入", False, "flow"),
    "main_business_revenue": ("主营业务收入", False, "flow"),
    "operating_cost": ("营业成本", False, "flow"),
    "main_business_cost": ("主营业务成本", False, "flow"),
    "selling_expense": ("销售费用", False, "flow"),
    "admin_expense": ("管理费用", False, "flow"),
    "rd_expense": ("研发费用", False, "flow"),
    "financial_expense": ("财务费用", True, "flow"),
    "net_profit": ("净利润", True, "flow"),
    "net_profit_parent": ("归属于母公司所有者的净利润", True, "flow"),
    "net_profit_parent_deducted": ("扣非归母净利润", True, "flow"),
    "operating_cash_flow": ("经营活动产生的现金流量净额", True, "flow"),
    "monetary_funds": ("货币资金", False, "balance"),
    "accounts_receivable": ("应收账款(账面价值)", False, "balance"),
    "accounts_receivable_balance": ("应收账款余额", False, "balance"),
    "inventory": ("存货", False, "balance"),
    "fixed_assets": ("固定资产", False, "balance"),
    "current_assets": ("流动资产合计", False, "balance"),
    "total_assets": ("资产总计", False, "balance"),
    "total_liabilities": ("负债合计", False, "balance"),
    "net_assets": ("所有者权益合计", True, "balance"),
    "net_assets_parent": ("归属于母公司所有者权益合计", True, "balance"),
    # --- extensions
    "taxes_and_surcharges": ("税金及附加", False, "flow"),
    "other_income": ("其他收益", True, "flow"),
    "investment_income": ("投资收益", True, "flow"),
    "credit_impairment_loss": ("信用减值损失", True, "flow"),
    "asset_impairment_loss": ("资产减值损失", True, "flow"),
    "operating_profit": ("营业利润", True, "flow"),
    "total_profit": ("利润总额", True, "flow"),
    "income_tax": ("所得税费用", True, "flow"),
    "interest_expense": ("利息费用", False, "flow"),
    "cash_from_sales": ("销售商品、提供劳务收到的现金", False, "flow"),
    "investing_cash_flow": ("投资活动产生的现金流量净额", True, "flow"),
    "financing_cash_flow": ("筹资活动产生的现金流量净额", True, "flow"),
    "capex": ("购建固定资产、无形资产和其他长期资产支付的现金", False, "flow"),
    "purchases_total": ("采购总额", False, "flow"),
    "related_party_sales": ("关联销售金额", False, "flow"),
    "related_party_purchases": ("关联采购金额", False, "flow"),
    "inventory_balance": ("存货账面余额", False, "balance"),
    "trading_financial_assets": ("交易性金融资产", False, "balance"),
    "notes_receivable": ("应收票据", False, "balance"),
    "receivables_financing": ("应收款项融资", False, "balance"),
    "prepayments": ("预付款项", False, "balance"),
    "other_receivables": ("其他应收款", False, "balance"),
    "contract_assets": ("合同资产", False, "balance"),
    "other_current_assets": ("其他流动资产", False, "balance"),
    "long_term_equity_investment": ("长期股权投资", False, "balance"),
    "other_equity_instruments": ("其他权益工具投资", False, "balance"),
    "construction_in_progress": ("在建工程", False, "balance"),
    "intangible_assets": ("无形资产", False, "balance"),
    "other_non_current_assets": ("其他非流动资产", False, "balance"),
    "non_current_assets": ("非流动资产合计", False, "balance"),
    "short_term_borrowings": ("短期借款", False, "balance"),
    "notes_payable": ("应付票据", False, "balance"),
    "accounts_payable": ("应付账款", False, "balance"),
    "contract_liabilities": ("合同负债", False, "balance"),
    "current_liabilities": ("流动负债合计", False, "balance"),
    "long_term_borrowings": ("长期借款", False, "balance"),
    "bonds_payable": ("应付债券", False, "balance"),
    "non_current_liabilities": ("非流动负债合计", False, "balance"),
    "share_capital": ("股本", False, "balance"),
    "capital_reserve": ("资本公积", False, "balance"),
    "undistributed_profit": ("未分配利润", True, "balance"),
}
CANONICAL_KEYS = tuple(list(FINANCIAL_ITEMS)[:22])  # the fixed contract's keys
FINANCIAL_LABELS = {k: v[0] for k, v in FINANCIAL_ITEMS.items()}

# peers' published metrics (percent units unless noted)
PEER_METRICS: dict[str, str] = {
    "gross_margin": "综合毛利率(%)",
    "main_business_gross_margin": "主营业务毛利率(%)",
    "selling_expense_ratio": "销售费用率(%)",
    "admin_expense_ratio": "管理费用率(%)",
    "rd_expense_ratio": "研发费用率(%)",
    "financial_expense_ratio": "财务费用率(%)",
    "period_expense_ratio": "期间费用率(%)",
    "revenue_growth": "营业收入增长率(%)",
    "receivables_to_revenue": "应收账款余额占营业收入比例(%)",
    "receivables_turnover": "应收账款周转率(次)",
    "inventory_turnover": "存货周转率(次)",
    "debt_ratio": "资产负债率(%)",
    "export_share": "外销收入占比(%)",
    "rd_staff": "研发人员数量(人)",
    "rd_staff_share": "研发人员占比(%)",
}

EXCHANGES = {
    "深圳证券交易所": "深圳证券交易所",
    "深交所": "深圳证券交易所",
    "上海证券交易所": "上海证券交易所",
    "上交所": "上海证券交易所",
    "北京证券交易所": "北京证券交易所",
    "北交所": "北京证券交易所",
}

EXPORT_REGION_NAMES = {"外销", "境外", "境外销售", "出口", "出口销售", "国外", "海外"}

# --------------------------------------------------------------------------- value types


def _text(v: Any) -> Any:
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, (int, Decimal)):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, _dt.date):
        return v.isoformat()
    return v


def _number(v: Any) -> Decimal:
    if isinstance(v, str) and not v.strip():
        raise ValueError("expected a number, got an empty value")
    if isinstance(v, str) and v.strip().endswith(("%", "％")):
        raise ValueError(f"expected a number, got {v!r}: percentages are written in percent units, "
                         f"without the sign ({v.strip()[:-1].strip()} for {v.strip()})")
    d = N.to_decimal(v)
    if d is None:
        raise ValueError("expected a number, got nothing")
    if d.copy_abs() >= _TOO_LARGE:
        raise ValueError(f"implausibly large number {v!s}; amounts are in 万元 (or 元), percentages in percent units")
    return d


# 10^15 万元 is far beyond any company; the limit keeps every figure well inside the 40-digit
# Decimal context the rounding helpers use (1e400 would make them fail, not round).
_TOO_LARGE = Decimal("1e15")


def _non_negative(v: Decimal) -> Decimal:
    if v < 0:
        raise ValueError(f"must not be negative, got {v}")
    return v


def _count(v: Any) -> int:
    d = _number(v)
    if d != d.to_integral_value():
        raise ValueError(f"expected a whole number, got {v}")
    if d < 0:
        raise ValueError(f"must not be negative, got {v}")
    return int(d)


def _period_key(v: Any, info: ValidationInfo) -> str:
    if isinstance(v, bool):
        raise ValueError(f"expected a period key, got {v!r}")
    key = _text(v)
    if not isinstance(key, str):
        raise ValueError(f"expected a period key, got {v!r}")
    key = key.strip()
    N.parse_period(key)  # ValueError with the expected forms
    declared = (info.context or {}).get("periods") if info is not None else None
    if declared is not None and key not in declared:
        raise ValueError(
            f"period {key!r} is not declared in periods (declared: {', '.join(sorted(declared)) or 'none'})"
        )
    return key


def _any_period_key(v: Any) -> str:
    key = _text(v)
    if not isinstance(key, str):
        raise ValueError(f"expected a period key, got {v!r}")
    N.parse_period(key.strip())
    return key.strip()


def _financial_key(v: Any) -> str:
    key = str(v).strip()
    if key not in FINANCIAL_ITEMS:
        import difflib

        by_label = {lab: k for k, lab in FINANCIAL_LABELS.items()}
        if key in by_label:
            return by_label[key]
        near = difflib.get_close_matches(key, list(FINANCIAL_ITEMS), n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        raise ValueError(f"unknown financial item {key!r}{hint}; see FINANCIAL_ITEMS for the canonical keys")
    return key


def _exchange(v: Any) -> str:
    s = str(v).strip()
    if s not in EXCHANGES:
        raise ValueError(f"expected one of 深圳证券交易所, 上海证券交易所, 北京证券交易所, got {s!r}")
    return EXCHANGES[s]


Text = Annotated[str, BeforeValidator(_text)]
Amount = Annotated[Decimal, BeforeValidator(_number)]  # any sign, 万元
Money = Annotated[Decimal, BeforeValidator(_number), AfterValidator(_non_negative)]  # >= 0, 万元
Percent = Annotated[Decimal, BeforeValidator(_number)]  # percent units
Count = Annotated[int, BeforeValidator(_count)]
PKey = Annotated[str, BeforeValidator(_period_key)]  # a declared period key
AnyPKey = Annotated[str, BeforeValidator(_any_period_key)]  # any well-formed period key
FinKey = Annotated[str, BeforeValidator(_financial_key)]
Exchange = Annotated[str, BeforeValidator(_exchange)]

Series = dict[PKey, Amount]  # amounts that may be negative
MoneySeries = dict[PKey, Money]  # amounts >= 0
PercentSeries = dict[PKey, Percent]
CountSeries = dict[PKey, Count]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    # field names holding money (万元) — scaled when the file says `unit: 元`
    _money: ClassVar[tuple[str, ...]] = ()


# --------------------------------------------------------------------------- identity and parties


class CompanyInfo(_Model):
    """The issuer. `stock_code` only when already listed (refinancing)."""

    name: Text = Field(description="全称")
    short_name: Text = Field(description="简称")
    exchange: Exchange
    board: Text | None = Field(None, description="板块: 主板 / 创业板 / 科创板 / 北交所 …")
    stock_code: Text | None = None
    stock_name: Text | None = Field(None, description="证券简称, when it differs from short_name")
    legal_representative: Text | None = Field(None, description="法定代表人 (issuer's signature page)")
    chairman: Text | None = Field(None, description="董事长")
    address: Text | None = None
    industry: Text | None = None
    main_business: Text | None = Field(None, description="主营业务, one sentence")

    @property
    def listed(self) -> bool:
        return bool(self.stock_code)


class Sponsor(_Model):
    """保荐人 / 保荐机构 and the people who sign its pages."""

    name: Text
    role: Text = Field("保荐人(主承销商)", description="as printed on the cover")
    address: Text | None = None
    representatives: list[Text] = Field(default_factory=list, description="保荐代表人 (two)")
    project_assistant: Text | None = Field(None, description="项目协办人")
    legal_representative: Text | None = Field(None, description="法定代表人")
    chairman: Text | None = Field(None, description="董事长")
    general_manager: Text | None = Field(None, description="总经理")


class Firm(_Model):
    """申报会计师 or 发行人律师: name, signers, head of the firm."""

    name: Text
    signers: list[Text] = Field(default_factory=list, description="签字注册会计师 / 经办律师")
    head: Text | None = Field(None, description="负责人 / 执行事务合伙人")
    address: Text | None = None


# --------------------------------------------------------------------------- periods


class Period(_Model):
    """One period. `end` may be omitted (it follows from the key); if given it must match."""

    key: AnyPKey
    end: _dt.date | None = None
    comparative: bool = Field(False, description="same period of the year before / opening balances only")

    @model_validator(mode="after")
    def _end_matches(self) -> "Period":
        expected = N.period_end_date(self.key)
        if self.end is None:
            self.end = expected
        elif self.end != expected:
            raise ValueError(f"end {self.end} does not match period {self.key} (expected {expected})")
        return self

    @property
    def full_year(self) -> bool:
        return N.parse_period(self.key).full_year

    @property
    def label(self) -> str:
        return N.period_label(self.key)

    @property
    def end_label(self) -> str:
        return N.period_end_label(self.key)

    @property
    def date_label(self) -> str:
        return N.period_date_label(self.key)


# --------------------------------------------------------------------------- financials


def _fin_fields() -> dict[str, Any]:
    ann: dict[str, Any] = {}
    for key, (label, signed, kind) in FINANCIAL_ITEMS.items():
        ann[key] = (Series if signed else MoneySeries, Field(default_factory=dict, description=label))
    return ann


class _FinancialsBase(_Model):
    _money: ClassVar[tuple[str, ...]] = tuple(FINANCIAL_ITEMS)

    @model_validator(mode="before")
    @classmethod
    def _labels(cls, data: Any) -> Any:
        """Accept the Chinese labels of the Excel template as keys (营业收入: {...})."""
        if isinstance(data, dict):
            by_label = {lab: k for k, lab in FINANCIAL_LABELS.items()}
            if any(k in by_label for k in data):
                return {by_label.get(k, k): v for k, v in data.items()}
        return data

    def get(self, key: str, period: str) -> Decimal | None:
        return getattr(self, key).get(period)

    def items(self):
        """(key, series) for the items that have values."""
        for key in FINANCIAL_ITEMS:
            s = getattr(self, key)
            if s:
                yield key, s


def _build_financials():
    from pydantic import create_model

    fields = _fin_fields()
    model = create_model("Financials", __base__=_FinancialsBase, **fields)
    model.__doc__ = (
        "Financial items by period (万元); canonical keys in FINANCIAL_ITEMS, each a {period: value} dict. "
        "Items that cannot be negative (revenue, costs, assets…) reject negative values."
    )
    return model


Financials = _build_financials()


# --------------------------------------------------------------------------- blocks


class BreakdownItem(_Model):
    """One product / region / channel line of the revenue breakdown."""

    _money: ClassVar[tuple[str, ...]] = ("revenue", "cost")
    name: Text
    revenue: MoneySeries = Field(default_factory=dict)
    cost: MoneySeries = Field(default_factory=dict)
    quantity: dict[PKey, Money] = Field(default_factory=dict, description="销量 (in `unit`)")
    unit: Text | None = Field(None, description="quantity unit, e.g. 台")
    export: bool | None = Field(None, description="a region line that is 外销 (default: by name)")

    @property
    def is_export(self) -> bool:
        return self.export if self.export is not None else self.name in EXPORT_REGION_NAMES


class RevenueBreakdown(_Model):
    """Main-business revenue and cost by product, by region (内销/外销) and by channel (直销/经销…).

    Each dimension's lines add up to 主营业务收入 / 主营业务成本 (checked by `data check`)."""

    product: list[BreakdownItem] = Field(default_factory=list)
    region: list[BreakdownItem] = Field(default_factory=list)
    channel: list[BreakdownItem] = Field(default_factory=list)


class Counterparty(_Model):
    """A top customer or supplier in one period (amount: sales to / purchases from it)."""

    _money: ClassVar[tuple[str, ...]] = ("amount",)
    rank: Count | None = None
    name: Text
    amount: Money
    content: Text | None = Field(None, description="销售内容 / 采购内容")
    related_party: bool = False
    note: Text | None = None


class Peer(_Model):
    """A comparable listed company (可比公司) and its published metrics (see PEER_METRICS)."""

    name: Text
    code: Text | None = None
    business: Text | None = Field(None, description="comparable business line")
    metrics: dict[str, PercentSeries] = Field(default_factory=dict)

    @field_validator("metrics", mode="before")
    @classmethod
    def _known_metrics(cls, v: Any) -> Any:
        if isinstance(v, dict):
            bad = [str(k) for k in v if str(k) not in PEER_METRICS]
            if bad:
                raise ValueError(
                    f"unknown peer metric(s) {', '.join(bad)}; expected some of {', '.join(PEER_METRICS)}"
                )
        return v


class NamedSeries(_Model):
    _money: ClassVar[tuple[str, ...]] = ("amounts",)
    name: Text
    amounts: MoneySeries = Field(default_factory=dict)


class RD(_Model):
    """R&D: headcount per period end and the expense by nature (adds up to 研发费用)."""

    staff: CountSeries = Field(default_factory=dict, description="研发人员数量")
    expense_items: list[NamedSeries] = Field(default_factory=list, description="研发费用明细")
    capitalized: MoneySeries = Field(default_factory=dict, description="资本化研发投入")
    _money: ClassVar[tuple[str, ...]] = ("capitalized",)


class EmployeeGroup(_Model):
    """Employees of one function: headcount at period end, pay for the period (万元, total and per head)."""

    _money: ClassVar[tuple[str, ...]] = ("total_pay", "average_pay")
    function: Text
    headcount: CountSeries = Field(default_factory=dict)
    total_pay: MoneySeries = Field(default_factory=dict, description="薪酬总额")
    average_pay: MoneySeries = Field(default_factory=dict, description="人均薪酬 (万元/人)")


class Bucket(_Model):
    """An aging bucket (账龄 / 库龄) with its balance per period end."""

    _money: ClassVar[tuple[str, ...]] = ("balance",)
    name: Text
    balance: MoneySeries = Field(default_factory=dict)


class Receivables(_Model):
    """应收账款: aging of the balance, allowance (坏账准备), overdue, collected after the period end."""

    _money: ClassVar[tuple[str, ...]] = ("allowance", "overdue", "collected_after")
    aging: list[Bucket] = Field(default_factory=list)
    allowance: MoneySeries = Field(default_factory=dict)
    overdue: MoneySeries = Field(default_factory=dict)
    collected_after: MoneySeries = Field(default_factory=dict, description="期后回款")
    collected_until: _dt.date | None = Field(None, description="期后回款统计截止日")


class InventoryCategory(_Model):
    _money: ClassVar[tuple[str, ...]] = ("balance", "provision")
    name: Text
    balance: MoneySeries = Field(default_factory=dict, description="账面余额")
    provision: MoneySeries = Field(default_factory=dict, description="跌价准备")


class Inventory(_Model):
    """存货 by category (balance and 跌价准备; balance - provision adds up to 存货) and by age (库龄)."""

    categories: list[InventoryCategory] = Field(default_factory=list)
    aging: list[Bucket] = Field(default_factory=list)


class FixedAssetCategory(_Model):
    _money: ClassVar[tuple[str, ...]] = ("cost", "accumulated_depreciation", "impairment", "book_value")
    name: Text
    cost: MoneySeries = Field(default_factory=dict, description="原值")
    accumulated_depreciation: MoneySeries = Field(default_factory=dict, description="累计折旧")
    impairment: MoneySeries = Field(default_factory=dict, description="减值准备")
    book_value: MoneySeries = Field(default_factory=dict, description="账面价值")


class Offering(_Model):
    """本次发行. `amount` in 万元; `bonds_outstanding`: bonds already outstanding (累计债券余额) before
    this issue; `coupon_rates`: the market reference coupons per year of the term, percent units."""

    _money: ClassVar[tuple[str, ...]] = ("amount", "bonds_outstanding", "deducted_financial_investment")
    kind: Text
    amount: Money
    board_resolution_date: _dt.date | None = None
    shareholder_meeting_date: _dt.date | None = None
    bonds_outstanding: Money | None = None
    coupon_rates: list[Percent] = Field(default_factory=list)
    term_years: Count | None = None
    deducted_financial_investment: Money | None = Field(
        None, description="financial investments deducted from the raise (已扣除)"
    )
    note: Text | None = None


class Investment(_Model):
    """An account that may hold financial investments (财务性投资), at the latest period end."""

    _money: ClassVar[tuple[str, ...]] = ("book_value", "financial_amount")
    account: Text
    book_value: Money
    financial_amount: Money
    note: Text | None = None

    @model_validator(mode="after")
    def _not_more_than_book(self) -> "Investment":
        if self.financial_amount > self.book_value:
            raise ValueError(
                f"financial_amount {self.financial_amount} exceeds book_value {self.book_value}"
            )
        return self

    @property
    def is_financial(self) -> bool:
        return self.financial_amount > 0


class ProjectItem(_Model):
    _money: ClassVar[tuple[str, ...]] = ("amount", "proceeds")
    name: Text
    amount: Money
    proceeds: Money | None = Field(None, description="of which funded by the raise")
    capex: bool = Field(description="资本性支出?")


class Project(_Model):
    """A fund-raising project (募投项目). `capex` + `non_capex` = `proceeds` (the raise used)."""

    _money: ClassVar[tuple[str, ...]] = ("total_investment", "proceeds", "capex", "non_capex")
    name: Text
    total_investment: Money
    proceeds: Money = Field(description="拟使用募集资金")
    capex: Money | None = Field(None, description="资本性支出 (of proceeds)")
    non_capex: Money | None = Field(None, description="非资本性支出 (of proceeds)")
    irr: Percent | None = Field(None, description="税后内部收益率, percent")
    payback_years: Amount | None = Field(None, description="税后静态投资回收期(含建设期), years")
    construction_years: Amount | None = None
    items: list[ProjectItem] = Field(default_factory=list)
    note: Text | None = None

    @model_validator(mode="after")
    def _proceeds(self) -> "Project":
        if self.proceeds > self.total_investment:
            raise ValueError(f"proceeds {self.proceeds} exceed total_investment {self.total_investment}")
        return self


class Dividend(_Model):
    """Cash dividends for a year (含税, 万元)."""

    _money: ClassVar[tuple[str, ...]] = ("cash",)
    year: AnyPKey
    cash: Money
    per_10_shares: Amount | None = Field(None, description="元/10股")
    paid_on: _dt.date | None = None
    note: Text | None = None


class PostPeriod(_Model):
    """审计截止日后: figures for the period after the latest period end and the same period a year
    before (e.g. key 2026Q3 = 2026年1-9月, comparative_key 2025Q3), keyed like financials."""

    key: AnyPKey
    comparative_key: AnyPKey
    label: Text | None = Field(None, description="override, e.g. 2026年7-9月")
    reviewed: bool | None = Field(None, description="审阅 by the auditor?")
    financials: dict[FinKey, dict[AnyPKey, Amount]] = Field(default_factory=dict)
    note: Text | None = None
    _money: ClassVar[tuple[str, ...]] = ("financials",)

    @model_validator(mode="after")
    def _keys(self) -> "PostPeriod":
        allowed = {self.key, self.comparative_key}
        bad = sorted({p for s in self.financials.values() for p in s if p not in allowed})
        if bad:
            raise ValueError(
                f"post_period financials use period(s) {', '.join(bad)}; expected {self.key} or {self.comparative_key}"
            )
        return self

    @property
    def period_label(self) -> str:
        return self.label or N.period_label(self.key)

    def get(self, item: str, comparative: bool = False) -> Decimal | None:
        return self.financials.get(item, {}).get(self.comparative_key if comparative else self.key)


# --------------------------------------------------------------------------- records (issue 14)
#
# Optional list blocks for the answer templates. Each record's `_series` names its per-period fields;
# `_money` its fields in 万元 (scaled when the file says `unit: 元`). Prices (元/股), shares (万股),
# quantities and areas are never scaled.


def _choice(options: tuple[str, ...]):
    def check(v: Any) -> str:
        s = _text(v)
        if not isinstance(s, str) or s.strip() not in options:
            raise ValueError(f"expected one of {'/'.join(options)}, got {v!r}")
        return s.strip()

    return BeforeValidator(check)


EQUITY_EVENTS = ("设立", "增资", "股权转让", "整体变更", "减资", "其他")
SHAREHOLDER_KINDS = ("自然人", "法人", "合伙企业", "私募基金", "国有股东", "员工持股平台", "其他")
RELATED_KINDS = ("采购商品", "接受劳务", "销售商品", "提供劳务", "租赁", "担保", "资金拆借", "关键管理人员薪酬", "其他")
DEBT_KINDS = ("短期借款", "长期借款", "一年内到期的非流动负债", "应付债券", "租赁负债", "其他")
CASH_NAMES = ("库存现金", "银行存款", "其他货币资金")
TECH_SOURCES = ("自主研发", "合作研发", "受让")
CHANGE_KINDS = ("新任", "离任")
BILL_KINDS = ("银行承兑汇票", "商业承兑汇票")

Quantity = Money  # >= 0, not scaled (units, 万股, 平方米 …)
QuantitySeries = dict[PKey, Quantity]


class _Record(_Model):
    _series: ClassVar[tuple[str, ...]] = ()


class EquityEvent(_Record):
    """股权演变: one event in the history of the share capital."""

    _money: ClassVar[tuple[str, ...]] = ("amount",)
    date: _dt.date
    event: Annotated[str, _choice(EQUITY_EVENTS)]
    transferor: Text | None = Field(None, description="转让方 / 原股东")
    transferee: Text | None = Field(None, description="受让方 / 增资方")
    shares: Quantity | None = Field(None, description="股数 / 出资额 (万股)")
    price: Quantity | None = Field(None, description="价格 (元/股)")
    amount: Money | None = Field(None, description="金额 (万元)")
    capital_after: Quantity | None = Field(None, description="变动后注册资本/股本 (万元或万股)")
    valuation_basis: Text | None = Field(None, description="定价依据")
    consideration_paid: bool | None = Field(None, description="价款是否已支付")
    note: Text | None = None


class Shareholder(_Record):
    """股东情况: a shareholder and its holding (ratio in percent units; computed from shares when absent)."""

    name: Text
    shares: Quantity = Field(description="持股数量 (万股)")
    ratio: Percent | None = Field(None, description="持股比例 (%)")
    kind: Annotated[str, _choice(SHAREHOLDER_KINDS)] | None = None
    controller: bool | None = Field(None, description="控股股东/实际控制人")
    note: Text | None = None


class RelatedTransaction(_Record):
    """关联交易 with one party, per period."""

    _money: ClassVar[tuple[str, ...]] = ("amounts",)
    _series: ClassVar[tuple[str, ...]] = ("amounts",)
    party: Text
    relation: Text | None = Field(None, description="关联关系")
    kind: Annotated[str, _choice(RELATED_KINDS)]
    recurring: bool | None = Field(None, description="经常性")
    content: Text | None = None
    amounts: MoneySeries = Field(default_factory=dict)
    pricing: Text | None = Field(None, description="定价依据")
    note: Text | None = None


class CapacityLine(_Record):
    """产能产量: capacity, output and sales volume of one product (in `unit`)."""

    _series: ClassVar[tuple[str, ...]] = ("capacity", "output", "sales_volume")
    product: Text
    unit: Text | None = None
    capacity: QuantitySeries = Field(default_factory=dict, description="产能")
    output: QuantitySeries = Field(default_factory=dict, description="产量")
    sales_volume: QuantitySeries = Field(default_factory=dict, description="销量")


class Purchase(_Record):
    """原材料采购: amount (万元) and quantity (in `unit`) of one material."""

    _money: ClassVar[tuple[str, ...]] = ("amount",)
    _series: ClassVar[tuple[str, ...]] = ("amount", "quantity")
    material: Text
    unit: Text | None = None
    amount: MoneySeries = Field(default_factory=dict, description="采购金额")
    quantity: QuantitySeries = Field(default_factory=dict, description="采购数量")


class Lawsuit(_Record):
    """诉讼仲裁."""

    _money: ClassVar[tuple[str, ...]] = ("amount",)
    date: _dt.date | None = None
    plaintiff: Text | None = Field(None, description="原告/申请人")
    defendant: Text | None = Field(None, description="被告/被申请人")
    cause: Text = Field(description="案由")
    amount: Money | None = Field(None, description="涉案金额 (万元)")
    status: Text | None = Field(None, description="进展")
    note: Text | None = None


class Subsidy(_Record):
    """政府补助 recognised in profit, per period."""

    _money: ClassVar[tuple[str, ...]] = ("amounts",)
    _series: ClassVar[tuple[str, ...]] = ("amounts",)
    name: Text
    amounts: MoneySeries = Field(default_factory=dict)
    basis: Text | None = Field(None, description="依据文件")
    recurring: bool | None = Field(None, description="经常性")
    asset_related: bool | None = Field(None, description="与资产相关")


class TaxIncentive(_Record):
    """税收优惠: the amount of tax saved, per period."""

    _money: ClassVar[tuple[str, ...]] = ("amounts",)
    _series: ClassVar[tuple[str, ...]] = ("amounts",)
    name: Text
    amounts: MoneySeries = Field(default_factory=dict)
    basis: Text | None = Field(None, description="依据")


class Debt(_Record):
    """有息负债 by kind: balance per period end."""

    _money: ClassVar[tuple[str, ...]] = ("balances",)
    _series: ClassVar[tuple[str, ...]] = ("balances",)
    kind: Annotated[str, _choice(DEBT_KINDS)]
    balances: MoneySeries = Field(default_factory=dict)
    rate: Text | None = Field(None, description="利率 (text, e.g. 3.10%-3.65%)")
    note: Text | None = None


class CashLine(_Record):
    """货币资金明细: 库存现金 / 银行存款 / 其他货币资金 with the restricted part."""

    _money: ClassVar[tuple[str, ...]] = ("balances", "restricted")
    _series: ClassVar[tuple[str, ...]] = ("balances", "restricted")
    name: Annotated[str, _choice(CASH_NAMES)]
    balances: MoneySeries = Field(default_factory=dict)
    restricted: MoneySeries = Field(default_factory=dict, description="其中:受限金额")


class Premise(_Record):
    """经营场所: owned or leased."""

    location: Text
    use: Text | None = Field(None, description="用途")
    area: Quantity | None = Field(None, description="面积 (平方米)")
    owned: bool = Field(description="自有 (否 = 租赁)")
    certificate: bool | None = Field(None, description="已取得权属证书")
    lease_end: _dt.date | None = Field(None, description="租赁到期日")
    note: Text | None = None


class SharePayment(_Record):
    """股份支付: one grant and the expense it brings per period."""

    _money: ClassVar[tuple[str, ...]] = ("expense",)
    _series: ClassVar[tuple[str, ...]] = ("expense",)
    date: _dt.date
    grantees: Text | None = Field(None, description="授予对象")
    shares: Quantity | None = Field(None, description="授予股数 (万股)")
    price: Quantity | None = Field(None, description="授予价格 (元/股)")
    fair_value: Quantity | None = Field(None, description="公允价值 (元/股)")
    basis: Text | None = Field(None, description="公允价值确定依据")
    expense: MoneySeries = Field(default_factory=dict, description="股份支付费用")


class Outsourcing(_Record):
    """委外加工 by supplier."""

    _money: ClassVar[tuple[str, ...]] = ("amounts",)
    _series: ClassVar[tuple[str, ...]] = ("amounts",)
    supplier: Text
    content: Text | None = Field(None, description="加工内容")
    amounts: MoneySeries = Field(default_factory=dict)
    related_party: bool | None = None


class ThirdPartyPayment(_Record):
    """第三方回款 by reason."""

    _money: ClassVar[tuple[str, ...]] = ("amounts",)
    _series: ClassVar[tuple[str, ...]] = ("amounts",)
    reason: Text
    amounts: MoneySeries = Field(default_factory=dict)


class CoreTechnology(_Record):
    """核心技术 and the revenue of the products using it."""

    _money: ClassVar[tuple[str, ...]] = ("revenue",)
    _series: ClassVar[tuple[str, ...]] = ("revenue",)
    name: Text
    source: Annotated[str, _choice(TECH_SOURCES)] | None = None
    patents: Text | None = Field(None, description="对应专利")
    application: Text | None = Field(None, description="应用产品")
    revenue: MoneySeries = Field(default_factory=dict, description="核心技术产品收入")


class Patents(_Model):
    """知识产权: counts held at the latest period end."""

    invention: Count | None = Field(None, description="发明专利")
    utility: Count | None = Field(None, description="实用新型专利")
    design: Count | None = Field(None, description="外观设计专利")
    software: Count | None = Field(None, description="软件著作权")

    @property
    def empty(self) -> bool:
        return all(getattr(self, f) is None for f in type(self).model_fields)


class FundProject(_Record):
    _money: ClassVar[tuple[str, ...]] = ("planned", "used")
    name: Text
    planned: Money = Field(description="承诺投资金额")
    used: Money = Field(description="累计投入金额")
    status: Text | None = Field(None, description="进展")


class PriorFundraising(_Model):
    """前次募集资金: the raise and its use (cumulative, as of `as_of`)."""

    _money: ClassVar[tuple[str, ...]] = ("amount", "used")
    amount: Money = Field(description="募集资金净额")
    received_date: _dt.date | None = Field(None, description="到账日期")
    used: Money | None = Field(None, description="累计使用")
    as_of: _dt.date | None = Field(None, description="统计截止日")
    projects: list[FundProject] = Field(default_factory=list)


class ManagementChange(_Record):
    """董监高变动."""

    date: _dt.date
    name: Text
    position: Text
    change: Annotated[str, _choice(CHANGE_KINDS)]
    reason: Text | None = None


class Bill(_Record):
    """应收票据 by kind: balance, endorsed and discounted but not derecognised (未终止确认) per period end."""

    _money: ClassVar[tuple[str, ...]] = ("balances", "endorsed", "discounted")
    _series: ClassVar[tuple[str, ...]] = ("balances", "endorsed", "discounted")
    kind: Annotated[str, _choice(BILL_KINDS)]
    balances: MoneySeries = Field(default_factory=dict)
    endorsed: MoneySeries = Field(default_factory=dict, description="已背书")
    discounted: MoneySeries = Field(default_factory=dict, description="已贴现")


# the new blocks: key -> (record model, Chinese name of the block); list blocks unless noted
RECORD_BLOCKS: dict[str, tuple[type[_Model], str]] = {
    "equity_history": (EquityEvent, "股权演变"),
    "shareholders": (Shareholder, "股东情况"),
    "related_transactions": (RelatedTransaction, "关联交易"),
    "capacity": (CapacityLine, "产能产量"),
    "purchases": (Purchase, "原材料采购"),
    "litigation": (Lawsuit, "诉讼仲裁"),
    "subsidies": (Subsidy, "政府补助"),
    "tax_incentives": (TaxIncentive, "税收优惠"),
    "debts": (Debt, "有息负债"),
    "cash": (CashLine, "货币资金明细"),
    "premises": (Premise, "经营场所"),
    "share_payments": (SharePayment, "股份支付"),
    "outsourcing": (Outsourcing, "委外加工"),
    "third_party_payments": (ThirdPartyPayment, "第三方回款"),
    "core_technologies": (CoreTechnology, "核心技术"),
    "management_changes": (ManagementChange, "董监高变动"),
    "bills": (Bill, "应收票据"),
}
SINGLE_BLOCKS: dict[str, tuple[type[_Model], str]] = {
    "patents": (Patents, "知识产权"),
    "prior_fundraising": (PriorFundraising, "前次募集资金"),
}



# --------------------------------------------------------------------------- the profile


class CompanyProfile(_Model):
    """Everything drafter knows about the issuer. See the module docstring for periods and units."""

    company: CompanyInfo
    unit: Text = Field(description="万元 (internal unit) or 元 (converted on load)")
    source_unit: Text | None = Field(None, description="the unit the file was written in, when not 万元")
    periods: list[Period] = Field(min_length=1)
    financials: Financials = Field(default_factory=Financials)  # type: ignore[valid-type]
    sponsor: Sponsor | None = None
    auditor: Firm | None = None
    law_firm: Firm | None = None
    offering: Offering | None = None
    revenue_breakdown: RevenueBreakdown = Field(default_factory=RevenueBreakdown)
    customers: dict[PKey, list[Counterparty]] = Field(default_factory=dict, description="前五大客户")
    suppliers: dict[PKey, list[Counterparty]] = Field(default_factory=dict, description="前五大供应商")
    peers: list[Peer] = Field(default_factory=list)
    rd: RD = Field(default_factory=RD)
    employees: list[EmployeeGroup] = Field(default_factory=list)
    receivables: Receivables = Field(default_factory=Receivables)
    inventory: Inventory = Field(default_factory=Inventory)
    fixed_assets: list[FixedAssetCategory] = Field(default_factory=list)
    investments: list[Investment] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list, description="募投项目")
    dividends: list[Dividend] = Field(default_factory=list)
    post_period: PostPeriod | None = None
    # issue 14: optional blocks for the answer templates (see RECORD_BLOCKS / SINGLE_BLOCKS)
    equity_history: list[EquityEvent] = Field(default_factory=list, description="股权演变")
    shareholders: list[Shareholder] = Field(default_factory=list, description="股东情况")
    related_transactions: list[RelatedTransaction] = Field(default_factory=list, description="关联交易")
    capacity: list[CapacityLine] = Field(default_factory=list, description="产能产量")
    purchases: list[Purchase] = Field(default_factory=list, description="原材料采购")
    litigation: list[Lawsuit] = Field(default_factory=list, description="诉讼仲裁")
    subsidies: list[Subsidy] = Field(default_factory=list, description="政府补助")
    tax_incentives: list[TaxIncentive] = Field(default_factory=list, description="税收优惠")
    debts: list[Debt] = Field(default_factory=list, description="有息负债")
    cash: list[CashLine] = Field(default_factory=list, description="货币资金明细")
    premises: list[Premise] = Field(default_factory=list, description="经营场所")
    share_payments: list[SharePayment] = Field(default_factory=list, description="股份支付")
    outsourcing: list[Outsourcing] = Field(default_factory=list, description="委外加工")
    third_party_payments: list[ThirdPartyPayment] = Field(default_factory=list, description="第三方回款")
    core_technologies: list[CoreTechnology] = Field(default_factory=list, description="核心技术")
    patents: Patents | None = Field(None, description="知识产权")
    prior_fundraising: PriorFundraising | None = Field(None, description="前次募集资金")
    management_changes: list[ManagementChange] = Field(default_factory=list, description="董监高变动")
    bills: list[Bill] = Field(default_factory=list, description="应收票据")
    facts: dict[str, Any] = Field(default_factory=dict)

    @field_validator("unit", mode="after")
    @classmethod
    def _unit(cls, v: str) -> str:
        if v not in ("万元", "元"):
            raise ValueError(f"expected 万元 or 元, got {v!r}")
        return v

    @field_validator("periods", mode="after")
    @classmethod
    def _periods(cls, v: list[Period]) -> list[Period]:
        seen: set[str] = set()
        for p in v:
            if p.key in seen:
                raise ValueError(f"period {p.key} declared twice")
            seen.add(p.key)
        report = [p for p in v if not p.comparative]
        if not report:
            raise ValueError("no reporting period (all are flagged comparative)")
        for a, b in zip(report, report[1:]):
            if not a.end < b.end:
                raise ValueError(f"reporting periods must be oldest first: {a.key} comes before {b.key}")
        for p in report[:-1]:
            if not p.full_year:
                raise ValueError(f"interim period {p.key} must be the latest reporting period")
        return v

    @model_validator(mode="after")
    def _finish(self, info: ValidationInfo) -> "CompanyProfile":
        if not (info.context or {}).get("periods"):
            # validated without the loader's context: check period keys here (one message)
            bad = sorted(_undeclared_keys(self))
            if bad:
                raise ValueError(f"period key(s) not declared in periods: {', '.join(bad)}")
        if self.unit == "元":
            _scale(self, Decimal("0.0001"))
            self.unit = "万元"
            self.source_unit = "元"
        return self

    # ---------------------------------------------------------------- convenience for templates

    @property
    def report_periods(self) -> list[Period]:
        """The 报告期, oldest first (comparative periods excluded)."""
        return [p for p in self.periods if not p.comparative]

    @property
    def period_keys(self) -> list[str]:
        return [p.key for p in self.report_periods]

    @property
    def latest(self) -> str:
        """Key of the latest reporting period."""
        return self.report_periods[-1].key

    @property
    def years(self) -> list[str]:
        """Full-year reporting periods, oldest first."""
        return [p.key for p in self.report_periods if p.full_year]

    @property
    def interim(self) -> str | None:
        last = self.report_periods[-1]
        return None if last.full_year else last.key

    def period(self, key: str) -> Period | None:
        for p in self.periods:
            if p.key == key:
                return p
        return None

    def has_period(self, key: str) -> bool:
        return self.period(key) is not None

    def value(self, item: str, period: str) -> Decimal | None:
        """A financial item's value for a period (None when not given)."""
        return self.financials.get(item, period)

    def series(self, item: str) -> dict[str, Decimal]:
        """A financial item over the reporting periods (only those given)."""
        s = getattr(self.financials, item)
        return {k: s[k] for k in self.period_keys if k in s}

    @property
    def financial_investment_total(self) -> Decimal:
        return sum((i.financial_amount for i in self.investments), Decimal(0))


def _undeclared_keys(p: CompanyProfile) -> set[str]:
    declared = {x.key for x in p.periods}
    used: set[str] = set()
    for _, s in p.financials.items():
        used |= set(s)
    used |= set(p.customers) | set(p.suppliers)
    for dim in (p.revenue_breakdown.product, p.revenue_breakdown.region, p.revenue_breakdown.channel):
        for it in dim:
            used |= set(it.revenue) | set(it.cost) | set(it.quantity)
    for peer in p.peers:
        for s in peer.metrics.values():
            used |= set(s)
    used |= set(p.rd.staff) | set(p.rd.capitalized)
    for it in p.rd.expense_items:
        used |= set(it.amounts)
    for e in p.employees:
        used |= set(e.headcount) | set(e.total_pay) | set(e.average_pay)
    r = p.receivables
    used |= set(r.allowance) | set(r.overdue) | set(r.collected_after)
    for b in [*r.aging, *p.inventory.aging]:
        used |= set(b.balance)
    for c in p.inventory.categories:
        used |= set(c.balance) | set(c.provision)
    for f in p.fixed_assets:
        used |= set(f.cost) | set(f.accumulated_depreciation) | set(f.impairment) | set(f.book_value)
    for block in RECORD_BLOCKS:
        for rec in getattr(p, block):
            for name in rec._series:
                used |= set(getattr(rec, name))
    return used - declared


def _scale_value(v: Any, factor: Decimal) -> Any:
    if isinstance(v, Decimal):
        return v * factor
    if isinstance(v, dict):
        return {k: _scale_value(x, factor) for k, x in v.items()}
    if isinstance(v, list):
        return [_scale_value(x, factor) for x in v]
    return v


def _scale(m: Any, factor: Decimal) -> None:
    """Multiply every money field (declared in `_money`) of `m` and its sub-models by `factor`."""
    if isinstance(m, list):
        for x in m:
            _scale(x, factor)
        return
    if isinstance(m, dict):
        for x in m.values():
            _scale(x, factor)
        return
    if not isinstance(m, BaseModel):
        return
    money = getattr(type(m), "_money", ())
    for name in type(m).model_fields:
        v = getattr(m, name)
        if name in money:
            object.__setattr__(m, name, _scale_value(v, factor))
        elif isinstance(v, (BaseModel, list, dict)):
            _scale(v, factor)
