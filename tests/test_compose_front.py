"""Front matter and naming: offering phrase, sponsor word per exchange, placeholders for what the letter lacks."""
from __future__ import annotations


from drafter.compose import compose_reply
from drafter.compose.context import build_names
from drafter.compose.typography import full_width
from drafter.document import Legend, Paragraph, Toc
from drafter.models import Letter, LetterMeta, Question, Request, Verification
from drafter.render.style import HouseStyle
from _helpers import nf


def letter(meta: LetterMeta, parties=("保荐机构", "申报会计师")) -> Letter:
    q = Question(number=1, label="1.", title="关于收入", text="1.关于收入\n请发行人说明收入增长的原因。",
                 requests=[Request(id="1", label="", text="说明收入增长的原因", disclose=True)],
                 verification=[Verification(text="请核查", parties=list(parties))])
    return Letter(source="x", meta=meta, questions=[q])


def test_ipo_on_star_market_with_sse_words():
    meta = LetterMeta(issuer="示例科技股份有限公司", exchange="上海证券交易所", board="科创板",
                      offering_kind="首次公开发行股票", date="2024-05-06", number="上证科审(审核)〔2024〕12号")
    doc = compose_reply(letter(meta), None, None, HouseStyle())
    paras = [b for b in doc.blocks if isinstance(b, Paragraph)]
    text = nf("\n".join(p.text for p in paras))
    assert doc.title == "关于示例科技股份有限公司首次公开发行股票并在科创板上市申请文件的审核问询函的回复"
    assert "保荐机构(主承销商)" in text and "保荐人" not in text
    assert "上海证券交易所:" in text and "贵所于2024年5月6日出具的" in text
    assert "招股说明书(申报稿)" in text
    lead = next(p for p in paras if p.style == "amendment_lead")
    assert nf(lead.text).startswith("发行人已在招股说明书“")
    legend = next(b for b in doc.blocks if isinstance(b, Legend))
    assert [nf(r.what) for r in legend.rows][-1] == "对招股说明书的修改、补充"
    assert any(isinstance(b, Toc) and b.entries == ["1.关于收入"] for b in doc.blocks)


def test_missing_letter_facts_become_placeholders():
    doc = compose_reply(letter(LetterMeta(), parties=("保荐人",)), None, None, HouseStyle())
    paras = [b for b in doc.blocks if isinstance(b, Paragraph)]
    opening = next(p for p in paras if nf(p.text).startswith("贵所于"))
    holes = [r.text for r in opening.runs if r.placeholder]
    assert "【问询函日期】" in holes and "【问询函文号】" in holes and "【发行人全称】" in holes
    addressee = next(p for p in paras if p.style == "addressee")
    assert addressee.runs[0].placeholder and addressee.runs[0].text == "【交易所名称】"
    cover = [p for p in paras if p.style == "cover_title"]
    assert any(r.placeholder for p in cover for r in p.runs)
    assert doc.title == "关于【发行人全称】【发行类型】申请文件的审核问询函的回复"


def test_sponsor_word_from_exchange_when_the_letter_names_none():
    names = build_names(letter(LetterMeta(exchange="深圳证券交易所"), parties=()), None)
    assert names.sponsor_title == "保荐人(主承销商)"
    names = build_names(letter(LetterMeta(exchange="北京证券交易所"), parties=()), None)
    assert names.sponsor_title == "保荐机构(主承销商)"


def test_full_width_punctuation_keeps_figures():
    assert full_width("金额为9,897.80万元,占比7.75%;时间10:30") == "金额为9,897.80万元\uff0c占比7.75%\uff1b时间10:30"
    assert full_width("特锐德(300001.SZ)") == "特锐德\uff08300001.SZ\uff09"
    assert full_width("(1)说明") == "\uff081\uff09说明"
    # after a Latin word: full-width when the bracket holds Chinese (SMT（贴片）), kept for Latin
    assert full_width("包括SMT(贴片)、DIP(插件)") == "包括SMT\uff08贴片\uff09、DIP\uff08插件\uff09"
    assert full_width("f(x)为函数") == "f(x)为函数"


def test_restructuring_amends_the_restructuring_report():
    meta = LetterMeta(issuer="示例股份有限公司", title="关于示例股份有限公司发行股份购买资产并募集配套资金申请文件的审核问询函")
    names = build_names(letter(meta), None)
    assert names.offering_phrase == "发行股份购买资产并募集配套资金"
    assert (names.ipo, names.prospectus) == (False, "重组报告书")


def test_later_rounds_keep_the_letter_name():
    meta = LetterMeta(issuer="示例股份有限公司", offering_kind="向特定对象发行股票", round="第二轮")
    names = build_names(letter(meta), None)
    assert names.reply_title == "关于示例股份有限公司向特定对象发行股票申请文件的第二轮审核问询函的回复"
    assert names.prospectus == "募集说明书"


def test_request_subheading_drops_stray_extraction_spaces():
    from drafter.compose.body import request_heading
    from drafter.models import Request

    r = Request(id="1.(2)", label="(2)", text="说明签署锁银协议 的背景及具体影 响,是否在合同中约定 ,与 Wind 数据是否一致;")
    assert request_heading(2, r).text == "(二)说明签署锁银协议的背景及具体影响,是否在合同中约定,与 Wind 数据是否一致"


def test_request_subheadings_end_alike_without_the_closing_mark():
    from drafter.compose.body import request_heading
    from drafter.models import Request

    def head(text: str) -> str:
        return request_heading(4, Request(id="1.(4)", label="(4)", text=text)).text

    # the letter ends requests with ；, the last with 。 (or ，, ;): every subheading drops it alike
    assert head("补充披露新增折旧对经营业绩的影响，并作相应的风险提示。") == "(四)补充披露新增折旧对经营业绩的影响，并作相应的风险提示"
    assert head("说明产能消化措施的可行性；") == "(四)说明产能消化措施的可行性"
    assert head("说明产能消化措施的可行性;") == "(四)说明产能消化措施的可行性"
    assert head("说明产能消化措施的可行性，") == "(四)说明产能消化措施的可行性"
    assert head("说明产能消化措施的可行性。 ") == "(四)说明产能消化措施的可行性"
    assert head("说明下列事项：") == "(四)说明下列事项"
    # a question mark is part of the words and stays; so do closing quotes and brackets
    assert head("相关表述是否准确？") == "(四)相关表述是否准确？"
    assert head("说明“三会”运作情况（如有）。") == "(四)说明“三会”运作情况（如有）"
