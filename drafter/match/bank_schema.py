"""The question-bank schema: one YAML file per inquiry topic in `question_bank/<id>.yaml`.

Topic ids are fixed by the taxonomy (`question_bank/_taxonomy.yaml`, a copy of the project's shared
taxonomy). Everything in a topic file is written in the project's own words.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PartyKind = Literal["sponsor", "auditor", "lawyer"]  # 保荐机构/保荐人, 申报会计师, 发行人律师/律师
Offering = Literal["all", "ipo", "convertible", "private_placement", "restructuring"]
Board = Literal["all", "main", "chinext", "star", "bse"]  # 主板 创业板 科创板 北交所


class Trigger(BaseModel):
    """A condition on the company data that makes a letter likely to raise this topic.

    `metric` names a figure from `drafter.company.metrics` (e.g. receivables_to_revenue, in percent);
    `op` compares it with `value` at `when` (the latest period, any period, or every period).
    """

    model_config = ConfigDict(extra="forbid")
    metric: str
    op: Literal[">", ">=", "<", "<="]
    value: float
    when: Literal["latest", "any", "all"] = "latest"
    reason: str  # why regulators ask when this holds


class Topic(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    group: Literal["business", "governance", "finance", "offering", "other"]
    parent: str | None = None  # for a child topic added under a taxonomy id
    aliases: list[str] = Field(default_factory=list)  # other names for the topic
    keywords: dict[str, float] = Field(default_factory=dict)  # term -> weight (1 ordinary, 3 decisive)
    exemplars: list[str] = Field(default_factory=list)  # how letters phrase requests on this topic
    offerings: list[Offering] = Field(default_factory=lambda: ["all"])
    boards: list[Board] = Field(default_factory=lambda: ["all"])
    references: list[str] = Field(default_factory=list)  # rules usually cited
    data_fields: list[str] = Field(default_factory=list)  # company-data fields used (dotted paths)
    templates: list[str] = Field(default_factory=list)  # template paths under templates/
    procedures: dict[PartyKind, list[str]] = Field(default_factory=dict)  # 核查程序 per party kind
    evidence: list[str] = Field(default_factory=list)  # 工作底稿 to keep
    conclusions: list[str] = Field(default_factory=list)  # usual form of 核查意见
    triggers: list[Trigger] = Field(default_factory=list)
