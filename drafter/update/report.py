"""What `drafter update` did: every change (where, old → new), what to check by hand, the comments."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Change(BaseModel):
    where: str  # 1.关于收入 第3段 / 1.关于收入 表2 第1行“营业收入” 第2列“2026年1-6月”
    kind: Literal["figure", "cell", "table", "note"]  # table: columns added or dropped (cells listed too);
    # note: the 注 lines below a table
    old: str
    new: str
    source: str = ""  # what it was computed from: revenue 2026H1 / 表 revenue_total
    edited: bool = False  # the paragraph (or table) was edited by the team
    comment: str | None = None  # the Word comment added beside it


class HandCheck(BaseModel):
    where: str
    text: str  # the words or number concerned
    reason: str


class UpdateReport(BaseModel):
    reply: str
    company: str
    output: str
    figures: int = 0  # tagged figures found in the reply
    tables: int = 0  # tagged tables found in the reply
    figures_changed: int = 0
    tables_changed: int = 0
    cells_changed: int = 0
    comments: int = 0
    untraced: int = 0  # figures and tables drafter wrote whose tag the team's editing removed
    changes: list[Change] = Field(default_factory=list)
    check_by_hand: list[HandCheck] = Field(default_factory=list)
    redline: str | None = None
    redline_stats: dict | None = None

    def summary_lines(self, limit: int | None = None) -> list[str]:
        """The printed summary: totals, every change (or the first `limit`), what to check by hand."""
        lines = [f"{self.figures} tagged figures and {self.tables} tagged tables in {self.reply}",
                 f"changed: {self.figures_changed} figures, {self.tables_changed} tables ({self.cells_changed} cells); "
                 f"{self.comments} comments on wording"]
        if self.untraced:
            lines.append(f"{self.untraced} figures or tables drafter wrote are no longer tagged (text retyped or "
                         "deleted): their old values are looked for below")
        limit = limit or max(len(self.changes), len(self.check_by_hand), 1)
        for c in self.changes[:limit]:
            mark = " [edited by the team]" if c.edited else ""
            lines.append(f"  {c.where}: {c.old or '(new)'} → {c.new or '(gone)'}{mark}")
            if c.comment:
                lines.append(f"    comment: {c.comment}")
        if len(self.changes) > limit:
            lines.append(f"  … and {len(self.changes) - limit} more (--json lists every change)")
        if self.check_by_hand:
            lines.append(f"check by hand ({len(self.check_by_hand)}):")
            for h in self.check_by_hand[:limit]:
                lines.append(f"  {h.where}: “{h.text}” — {h.reason}")
            if len(self.check_by_hand) > limit:
                lines.append(f"  … and {len(self.check_by_hand) - limit} more (--json lists them all)")
        lines.append(f"wrote {self.output}" + (f" and the redline {self.redline}" if self.redline else ""))
        return lines
