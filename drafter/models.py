"""The letter model: the contract between `read`/`parse` and every later stage.

A `Letter` is what the parser found in an inquiry letter, or in a reply document that quotes one.
Every later stage (match, compose, checklist, review, library) reads only these models.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Round = Literal["首轮", "第二轮", "第三轮", "第四轮", "落实函", "未知"]


class PriorLetter(BaseModel):
    """The earlier letter a later round follows (drafter.parse.refers): as far as the letter says."""

    round: Round = "未知"  # 首轮 / 第二轮 … (the round before this one when the letter names none)
    title: str | None = None  # 《关于X…审核问询函》 as quoted, without the brackets
    number: str | None = None  # 审核函〔2026〕020031号
    date: str | None = None  # ISO date the earlier letter was issued
    text: str | None = None  # the words that say so, as printed


class PriorRef(BaseModel):
    """One reference of a question to an earlier round (drafter.parse.refers)."""

    kind: Literal["question", "reply", "followup", "quote"]  # 首轮问询问题3之(2) / 根据首轮问询回复 / 请进一步说明 / “…” quoted
    text: str  # as printed
    round: str | None = None  # 首轮 / 第二轮 / 前次 / 反馈 … as the words say; None when they name no round
    question: int | None = None  # the earlier question's number (kind question)
    item: str | None = None  # the earlier request's label, "(2)" (问题3之(2))
    request_id: str | None = None  # the request of this letter the reference sits in (None: background)


class LetterMeta(BaseModel):
    """What the letter says about itself (None when not stated)."""

    title: str | None = None  # e.g. 关于X首次公开发行股票并在创业板上市申请文件的审核问询函
    issuer: str | None = None  # issuer's full name, 深圳市优优绿能股份有限公司
    exchange: str | None = None  # 深圳证券交易所 / 上海证券交易所 / 北京证券交易所 / 中国证监会
    board: str | None = None  # 主板 / 创业板 / 科创板 / 北交所
    offering_kind: str | None = None  # 首次公开发行股票 / 向不特定对象发行可转换公司债券 / 向特定对象发行股票 / 重大资产重组 ...
    round: Round = "未知"
    date: str | None = None  # ISO date of the letter, 2023-01-11
    number: str | None = None  # 审核函〔2023〕010019号
    addressee: str | None = None  # 民生证券股份有限公司 / the issuer
    # the facts that decide the reply's form (drafter.parse.facts), read once by the parser:
    form: str | None = None  # offering / csrc / restructuring / annual / attention
    kind: str | None = None  # 审核问询函 / 审查问询函 / 第二轮审核问询函 / 审核中心意见落实函 / 反馈意见 / 重组问询函 / 年报问询函 / 关注函
    sender: str | None = None  # who signed it: 深圳证券交易所创业板公司管理部 / 全国中小企业股份转让系统有限责任公司 / 中国证券监督管理委员会发行监管部
    subject: str | None = None  # the letter's word for the company it asks: 发行人 / 申请人 / 上市公司 / 公司
    parties: dict[str, str] = Field(default_factory=dict)  # party kind -> the letter's word (sponsor: 保荐机构, financial_advisor: 独立财务顾问 …)


class Request(BaseModel):
    """One thing the letter asks the issuer to explain or disclose, in letter order."""

    id: str  # stable, e.g. "1.(3)", "2.(1)③", "5" (unnumbered), "3.(2)①"
    label: str  # as printed: "(3)", "③", "1)", "" for an unnumbered sentence
    text: str  # the request's own words (original wording, cleaned of page noise)
    disclose: bool = False  # asks for 披露 / 补充披露 (prospectus must change too)
    section: str | None = None  # label of the themed section it sits in, e.g. "(1)"
    parent: str | None = None  # id of the numbered request a sub-item belongs to


class Verification(BaseModel):
    """One verification ask: who must verify what, how, and under which rule."""

    text: str  # the sentence as printed
    parties: list[str]  # exactly as the letter names them: 保荐人 / 保荐机构 / 申报会计师 / 会计师 / 年审会计师 / 发行人律师 / 申请人律师 / 律师 / 独立财务顾问 / 评估师 / 评估机构 …
    # the kind of each party, same order and length as `parties`: sponsor / auditor / lawyer /
    # financial_advisor (独立财务顾问) / appraiser (评估师, 评估机构) / intermediaries (中介机构)
    kinds: list[str] = Field(default_factory=list)
    scope: str = "全部"  # "全部", or as printed: "(1)", "(2)-(4)", "第(2)之②", "(1)(3)"
    scope_ids: list[str] = Field(default_factory=list)  # request ids covered (all of the question's when 全部)
    demands: list[str] = Field(default_factory=list)  # 核查方法 / 核查范围 / 核查比例 / 取得的证据 / 核查结论 ...
    workpapers: bool = False  # asks for 工作底稿
    rules: list[str] = Field(default_factory=list)  # 《再融资业务若干问题解答》第15问 ...
    section: str | None = None  # themed section label when the ask sits inside one


class Section(BaseModel):
    """A themed section of a later-round question: `(1)小标题。` with its own background and requests."""

    label: str  # "(1)"
    title: str  # 小标题
    background: str = ""
    request_ids: list[str] = Field(default_factory=list)


class Question(BaseModel):
    number: int  # 1, 2, ... (letter order; 一、规范性问题 style letters number on through groups)
    label: str  # as printed: "1.", "问题1.", "问题 1.", "1、"
    title: str  # 关于技术先进性 / 技术先进性
    group: str | None = None  # old CSRC letters: 规范性问题 / 信息披露问题 / 与财务会计资料相关的问题
    text: str  # the whole question as quoted (background + requests + verification asks)
    background: str = ""  # facts before the requests (申报材料显示: ...), never requests
    sections: list[Section] = Field(default_factory=list)
    requests: list[Request] = Field(default_factory=list)
    verification: list[Verification] = Field(default_factory=list)
    reply: str | None = None  # when read from a reply document: the reply text after 回复: / 【回复】
    refers: list[PriorRef] = Field(default_factory=list)  # references to earlier rounds (drafter.parse.refers)


class Letter(BaseModel):
    source: str  # the file it was read from
    kind: Literal["letter", "reply"] = "letter"  # a bare letter, or a reply that quotes it
    meta: LetterMeta = Field(default_factory=LetterMeta)
    questions: list[Question] = Field(default_factory=list)
    follows: PriorLetter | None = None  # a later round: the earlier letter it follows (drafter.parse.refers)
    # what the reader could not be sure of, one line each: a question number the letter skipped, a
    # question whose heading was lost (found by its quoted text), a question whose quote was not found
    warnings: list[str] = Field(default_factory=list)

    @property
    def requests(self) -> list[Request]:
        return [r for q in self.questions for r in q.requests]
