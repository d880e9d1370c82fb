"""House style: defaults from CONVENTIONS.md, YAML loading, and one clear UserError per mistake."""
from decimal import Decimal
from pathlib import Path

import pytest

from drafter.errors import UserError, UserErrors
from drafter.render.style import FACE_KEYS, HouseStyle, load_style, parse_length, parse_size

ROOT = Path(__file__).resolve().parent.parent


def write(tmp_path, text: str) -> Path:
    p = tmp_path / "style.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_defaults_follow_conventions():
    s = load_style()
    q, body, amend = s.face("question"), s.face("body"), s.face("amendment")
    assert (q.face, q.bold) == ("黑体", True)
    assert (body.face, body.bold) == ("宋体", False)
    assert (amend.face, amend.bold) == ("楷体", True)
    assert s.size == Decimal("12") and body.size == Decimal("12")  # 小四
    assert s.line_spacing == Decimal("1.5")
    assert s.page_number == "8-1-{page}" and s.page_label(7) == "8-1-7"
    assert s.reply_label == "回复："
    assert (s.table.unit_prefix, s.table.note_prefix) == ("单位：", "注：")  # full-width, as filed
    assert s.table.compact_sizes == [Decimal("9"), Decimal("7.5")]  # 小五, 六号 for wide tables
    assert body.latin == "Times New Roman"
    assert [(r.what, r.face) for r in s.legend_rows()] == [
        ("问询函所列问题", "黑体(加粗)"),
        ("对问询函所列问题的回复", "宋体"),
        ("对招股说明书的修改、补充", "楷体(加粗)"),
    ]
    assert s.legend_rows("募集说明书")[2].what == "对募集说明书的修改、补充"
    assert set(s.faces) == set(FACE_KEYS)


def test_sizes_and_lengths():
    assert parse_size("小四") == Decimal("12")
    assert parse_size("五号") == Decimal("10.5")
    assert parse_size("10.5pt") == Decimal("10.5")
    assert parse_size(14) == Decimal("14")
    assert parse_length("25mm") == Decimal("2.5")
    assert parse_length("1in") == Decimal("2.54")
    assert parse_length(3.17) == Decimal("3.17")
    with pytest.raises(ValueError):
        parse_size("十号")
    with pytest.raises(ValueError):
        parse_size(10.3)  # Word sizes go in half points


def test_yaml_overrides_merge_over_defaults(tmp_path):
    s = load_style(write(tmp_path, """
page_number: "8-1-{doc}-{page}"
doc: 3
reply_label: 【回复】
size: 五号
margins: {left: 30mm}
faces:
  question: {bold: false}
  heading1: {size: 四号}
"""))
    assert s.page_label(12) == "8-1-3-12"
    assert s.reply_label == "【回复】"
    q = s.face("question")
    assert (q.face, q.bold) == ("黑体", False)  # face kept from the default, bold overridden
    assert s.face("body").size == Decimal("10.5")  # follows the body size
    assert s.face("heading1").size == Decimal("14")
    assert s.margins.left == Decimal("3.0") and s.margins.right == Decimal("3.17")
    assert s.legend_rows()[0].face == "黑体"  # the legend follows the faces


def test_example_style_file_loads():
    s = load_style(ROOT / "examples" / "style.yaml")
    assert s.page_label(12) == "8-1-3-12"
    assert (s.face("question").face, s.face("question").bold) == ("黑体", False)
    assert s.reply_label == "【回复】"
    assert [r.face for r in s.legend_rows()] == ["黑体", "宋体", "楷体(加粗)"]


def test_empty_file_gives_defaults(tmp_path):
    assert load_style(write(tmp_path, "# nothing here\n")) == HouseStyle()


def test_unknown_top_level_key_names_file_line_and_key(tmp_path):
    p = write(tmp_path, "reply_label: '回复:'\npage_numbr: '8-1-{page}'\n")
    with pytest.raises(UserError) as e:
        load_style(p)
    msg = str(e.value)
    assert str(p) in msg and "line 2" in msg and "page_numbr" in msg and "unknown key" in msg


def test_unknown_face_key(tmp_path):
    p = write(tmp_path, "faces:\n  body: {face: 宋体}\n  questoin: {face: 黑体}\n")
    with pytest.raises(UserError) as e:
        load_style(p)
    msg = str(e.value)
    assert "faces.questoin" in msg and "line 3" in msg and "unknown key" in msg and "question" in msg


def test_unknown_key_inside_a_face(tmp_path):
    with pytest.raises(UserError) as e:
        load_style(write(tmp_path, "faces:\n  question: {font: 黑体}\n"))
    assert "faces.question.font" in str(e.value) and "unknown key" in str(e.value)


def test_bad_values(tmp_path):
    with pytest.raises(UserError) as e:
        load_style(write(tmp_path, "faces:\n  question: {bold: maybe}\n"))
    assert "faces.question.bold" in str(e.value) and "line 2" in str(e.value)
    with pytest.raises(UserError) as e:
        load_style(write(tmp_path, "size: 十号\n"))
    assert "size" in str(e.value) and "小四" in str(e.value)
    with pytest.raises(UserError) as e:
        load_style(write(tmp_path, "placeholder: {highlight: pink}\n"))
    assert "placeholder.highlight" in str(e.value)
    with pytest.raises(UserError) as e:
        load_style(write(tmp_path, "margins: {top: 2furlongs}\n"))
    assert "margins.top" in str(e.value)


def test_page_pattern_checks(tmp_path):
    with pytest.raises(UserError) as e:
        load_style(write(tmp_path, "page_number: '8-1-{doc}-{page}'\n"))
    assert "doc" in str(e.value)
    with pytest.raises(UserError) as e:
        load_style(write(tmp_path, "page_number: '8-1-'\n"))
    assert "{page}" in str(e.value)
    with pytest.raises(UserError) as e:
        load_style(write(tmp_path, "page_number: '8-1-{pg}'\n"))
    assert "{pg}" in str(e.value)


def test_several_problems_are_all_reported(tmp_path):
    with pytest.raises(UserErrors) as e:
        load_style(write(tmp_path, "colour: red\nline_spacing: 9\nmargins: {lft: 3}\n"))
    lines = str(e.value).splitlines()
    assert len(lines) == 3
    assert any("colour" in x for x in lines) and any("line_spacing" in x for x in lines)
    assert any("margins.lft" in x for x in lines)


def test_unreadable_files(tmp_path):
    with pytest.raises(UserError) as e:
        load_style(tmp_path / "missing.yaml")
    assert "not found" in str(e.value)
    with pytest.raises(UserError) as e:
        load_style(write(tmp_path, "faces: [unclosed\n"))
    assert "YAML" in str(e.value) and str(tmp_path) in str(e.value)
    with pytest.raises(UserError) as e:
        load_style(write(tmp_path, "- just\n- a list\n"))
    assert "mapping" in str(e.value)
    with pytest.raises(UserError) as e:  # an unquoted colon at the end: a hint how to fix it
        load_style(write(tmp_path, "reply_label: 回复:\n"))
    assert "line 1" in str(e.value) and 'reply_label: "回复:"' in str(e.value)
    bad = tmp_path / "gbk.yaml"
    bad.write_bytes("reply_label: 回复".encode("gbk"))
    with pytest.raises(UserError) as e:
        load_style(bad)
    assert "UTF-8" in str(e.value)


def test_style_command_checks_and_writes_a_specimen(tmp_path):
    import docx
    from click.testing import CliRunner

    from drafter.cli import main

    out = tmp_path / "specimen.docx"
    res = CliRunner().invoke(main, ["style", str(ROOT / "examples" / "style.yaml"), "--specimen", str(out)])
    assert res.exit_code == 0, res.output
    assert "8-1-3-1" in res.output and "【回复】" in res.output
    d = docx.Document(str(out))
    assert any(p.text == "【回复】" for p in d.paragraphs)
    res = CliRunner().invoke(main, ["style", "--specimen", str(out)])  # exists: refused, file kept
    assert res.exit_code == 2 and "--force" in res.output
    bad = write(tmp_path, "faces:\n  questoin: {bold: false}\n")
    res = CliRunner().invoke(main, ["style", str(bad)])
    assert res.exit_code == 2 and "faces.questoin" in res.output and "Traceback" not in res.output


def test_unknown_keys_suggest_the_near_key(tmp_path):
    with pytest.raises(UserError) as e:
        load_style(write(tmp_path, "reply_lable: 【回复】\n"))
    assert str(e.value).endswith("line 1: reply_lable: unknown key; did you mean reply_label?")
    with pytest.raises(UserErrors) as e:
        load_style(write(tmp_path, "margins: {lfet: 3}\ntable: {unit_prefx: 单位}\nfaces:\n  questoin: {bold: true}\n"))
    lines = str(e.value).splitlines()
    assert [x.split(": ", 1)[1] for x in lines] == [  # in file order, each with its suggestion
        "line 1: margins.lfet: unknown key; did you mean left?",
        "line 2: table.unit_prefx: unknown key; did you mean unit_prefix?",
        "line 4: faces.questoin: unknown key; did you mean question?",
    ]
    with pytest.raises(UserError) as e:  # nothing near: no guess
        load_style(write(tmp_path, "zzz: 1\n"))
    assert "did you mean" not in str(e.value)


def test_an_empty_style_file_gives_the_defaults(tmp_path):
    assert load_style(write(tmp_path, "")) == HouseStyle()
    assert load_style(write(tmp_path, "\n# only a comment\n")) == HouseStyle()


def test_company_data_given_as_a_style_file_is_one_line(tmp_path):
    with pytest.raises(UserError) as e:
        load_style(ROOT / "examples" / "company.yaml")
    assert not isinstance(e.value, UserErrors)
    msg = str(e.value)
    assert len(msg.splitlines()) == 1
    assert "does not look like a house-style file" in msg and "company data" in msg and "--company" in msg
    with pytest.raises(UserError) as e:  # any other YAML: the same one line, without the company guess
        load_style(write(tmp_path, "topics:\n  - a\nid: x\nname_cn: y\naliases: []\n"))
    assert "does not look like a house-style file" in str(e.value) and "--company" not in str(e.value)
    with pytest.raises(UserErrors):  # a real style file with a few slips still lists each slip
        load_style(write(tmp_path, "reply_lable: x\npage_numbr: y\nsize: 小四\nline_spacing: 1.5\ndoc: 3\n"))
