"""Signature pages: one per signer, each `(本页无正文,为《…》之签章页)` with names and date lines."""
from __future__ import annotations

from ..document import Block, PageBreak, Paragraph, Run
from .context import Names

DATE_LINE = "年    月    日"


def _name(name: str | None, what: str) -> Run:
    """The printed name beside a signature line; a blank to fill when the data does not give it."""
    return Run(text=f"  {name}") if name else Run(text=f"【{what}姓名】", placeholder=True)


def _line(label: str, name: str | None) -> Paragraph:
    return Paragraph(style="signature", runs=[Run(text=f"{label}:________________"), _name(name, label)])


def _no_body(title: str) -> Paragraph:
    return Paragraph.of(f"(本页无正文,为《{title}》之签章页)", "signature_center", align="center")


def _seal(name: str | None, what: str) -> Paragraph:
    if name:
        return Paragraph.of(name, "signature", align="right")
    return Paragraph(style="signature", align="right", runs=[Run(text=f"【{what}】", placeholder=True)])


def signature_pages(names: Names) -> list[Block]:
    """One page per signer, by kind of letter: IPO/refinancing and CSRC 反馈意见: the issuer (申请人)
    and its sponsor (with the sponsor chairman's statement); 重组问询函: the 上市公司 and its
    独立财务顾问; 年报问询函 / 关注函: the company's board alone."""
    title = names.reply_title
    blocks: list[Block] = []
    if names.self_answered:
        blocks += [PageBreak(), _no_body(title), Paragraph.of("", "signature"), Paragraph.of("", "signature")]
        blocks.append(_seal(f"{names.issuer}董事会" if names.issuer else None, "公司全称董事会"))
        blocks.append(Paragraph.of(DATE_LINE, "signature", align="right"))
        return blocks

    # issuer
    subject = names.subject if names.subject != "公司" else "上市公司"
    blocks += [PageBreak(), _no_body(title), Paragraph.of("", "signature"), Paragraph.of("", "signature")]
    blocks.append(_line("法定代表人", names.legal_rep))
    blocks += [Paragraph.of("", "signature"), _seal(names.issuer, f"{subject}全称(盖章)")]
    blocks.append(Paragraph.of(DATE_LINE, "signature", align="right"))

    if names.letter_type == "restructuring":
        word = names.word("financial_advisor")
        blocks += [PageBreak(), _no_body(title), Paragraph.of("", "signature"), Paragraph.of("", "signature")]
        blocks.append(Paragraph(style="signature", runs=[
            Run(text="财务顾问主办人:________________"), _name(None, "财务顾问主办人"),
            Run(text="        ________________"), _name(None, "财务顾问主办人")]))
        blocks += [Paragraph.of("", "signature"), _line("法定代表人", None)]
        blocks += [Paragraph.of("", "signature"), _seal(names.advisor, f"{word}全称(盖章)")]
        blocks.append(Paragraph.of(DATE_LINE, "signature", align="right"))
        return blocks

    # sponsor
    reps = names.sponsor_reps or []
    blocks += [PageBreak(), _no_body(title), Paragraph.of("", "signature"), Paragraph.of("", "signature")]
    blocks.append(
        Paragraph(
            style="signature",
            runs=[
                Run(text="保荐代表人:________________"),
                _name(reps[0] if len(reps) > 0 else None, "保荐代表人"),
                Run(text="        ________________"),
                _name(reps[1] if len(reps) > 1 else None, "保荐代表人"),
            ],
        )
    )
    blocks += [Paragraph.of("", "signature"), _seal(names.sponsor, f"{names.sponsor_word}全称(盖章)")]
    blocks.append(Paragraph.of(DATE_LINE, "signature", align="right"))

    # sponsor's chairman / legal representative statement
    sponsor = names.sponsor or "本公司"
    blocks += [PageBreak(), Paragraph(style="signature_center", align="center",
                                      runs=[Run(text=f"{names.sponsor_word}法定代表人(董事长)声明", bold=True)]),
               Paragraph.of("", "signature_center")]
    blocks.append(
        Paragraph.of(
            f"本人已认真阅读{names.issuer or names.subject}本次{names.letter_kind}回复的全部内容,了解回复涉及问题的核查过程及"
            f"{sponsor}的内核与风险控制流程,确认{sponsor}已按照勤勉尽责的要求履行核查程序,本回复不存在虚假记载、"
            "误导性陈述或重大遗漏,并对其真实性、准确性、完整性和及时性承担相应的法律责任。",
            "body",
        )
    )
    blocks += [Paragraph.of("", "signature")]
    blocks.append(_line("法定代表人(董事长)", names.sponsor_legal_rep))
    blocks += [Paragraph.of("", "signature"), _seal(names.sponsor, f"{names.sponsor_word}全称(盖章)")]
    blocks.append(Paragraph.of(DATE_LINE, "signature", align="right"))
    return blocks
