"""The real-letter scorer (issue 10): label files, facts, per-question results and the CLI figures."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner

from drafter.cli import main
from drafter.match import match_letter
from drafter.match.bank import load_bank
from drafter.match.devset import kind_ok, load_real, score_letter, sender_ok, subject_ok, summarise
from drafter.parse import parse_file

DATA = Path(__file__).parent / "data"
REAL = DATA / "real"


def _label_dir(tmp_path: Path, wrong_topic: bool = False, wrong_count: bool = False) -> Path:
    """A labelled copy of the hand-written STAR letter (a): 6 questions, request counts from its expected file."""
    d = tmp_path / "real"
    d.mkdir()
    shutil.copy(DATA / "letters" / "a_sse_star_ipo_r1.txt", d / "x01.txt")
    exp = yaml.safe_load((DATA / "letters" / "a_sse_star_ipo_r1.expected.yaml").read_text(encoding="utf-8"))
    topics = yaml.safe_load((DATA / "labels_unseen_a.yaml").read_text(encoding="utf-8"))["questions"]
    qs = []
    for q in exp["questions"]:
        lab = topics[q["number"]]
        qs.append({"number": q["number"], "title": q["title"], "requests": len(q["requests"]),
                   "primary": lab["primary"], "alternates": lab["alternates"]})
    if wrong_topic:
        qs[0].update(primary="dividends", alternates=[])
    if wrong_count:
        qs[1]["requests"] += 1
    label = {"id": "x01", "text": "x01.txt", "group": "exchange_ipo",
             "source": {"url": "written by us", "complete": True},
             "meta": {"kind": "审核问询函", "sender": "上海证券交易所", "subject": "发行人", "round": "首轮"},
             "questions": qs}
    (d / "x01.yaml").write_text(yaml.safe_dump(label, allow_unicode=True), encoding="utf-8")
    return d


def test_facts_compare_by_organisation_and_word():
    assert sender_ok("深圳证券交易所", "深圳证券交易所创业板公司管理部")
    assert sender_ok("中国证券监督管理委员会", "中国证监会发行监管部")
    assert not sender_ok("上海证券交易所", "深圳证券交易所")
    assert kind_ok("落实函", "审核中心意见落实函") and not kind_ok("关注函", "问询函")
    assert subject_ok("你公司", "公司") and not subject_ok("发行人", "申请人")


def test_score_counts_every_outcome(tmp_path):
    d = _label_dir(tmp_path, wrong_topic=True, wrong_count=True)
    [lab] = load_real(d)
    letter = parse_file(lab.text_path)
    s = score_letter(lab, letter, match_letter(letter, load_bank()))
    total = summarise([s])
    assert (total.letters, total.questions, total.found) == (1, 6, 6)
    assert total.requests_ok == 5  # question 2 was labelled one request too many
    assert not s.questions[0].top1 and not s.questions[0].top1_primary  # labelled dividends on purpose
    assert total.facts == {"kind": [1, 1], "sender": [1, 1], "subject": [1, 1], "round": [1, 1]}


def test_missing_question_is_counted_not_dropped(tmp_path):
    d = _label_dir(tmp_path)
    lab_file = d / "x01.yaml"
    data = yaml.safe_load(lab_file.read_text(encoding="utf-8"))
    data["questions"].append({"number": 9, "requests": 1, "primary": "other"})
    lab_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    [lab] = load_real(d)
    letter = parse_file(lab.text_path)
    total = summarise([score_letter(lab, letter, match_letter(letter, load_bank()))])
    assert (total.questions, total.found) == (7, 6)


def test_cut_off_question_counts_for_topic_not_requests(tmp_path):
    d = _label_dir(tmp_path)
    lab_file = d / "x01.yaml"
    data = yaml.safe_load(lab_file.read_text(encoding="utf-8"))
    data["questions"][-1]["requests"] = None
    lab_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    [lab] = load_real(d)
    letter = parse_file(lab.text_path)
    total = summarise([score_letter(lab, letter, match_letter(letter, load_bank()))])
    assert (total.questions, total.counted, total.requests_ok) == (6, 5, 5)


def test_cli_prints_the_figures_and_json(tmp_path):
    d = _label_dir(tmp_path)
    r = CliRunner().invoke(main, ["bank", "eval", "--real", str(d)])
    assert r.exit_code == 0, r.output
    assert "questions found         6/6" in r.output and "request counts right    6/6" in r.output
    r = CliRunner().invoke(main, ["bank", "eval", "--real", str(d), "--json"])
    data = json.loads(r.output)["real"][str(d)]
    assert data["summary"]["questions"] == 6 and data["letters"][0]["id"] == "x01"


def test_bad_label_is_one_line(tmp_path):
    d = tmp_path / "bad"
    d.mkdir()
    (d / "y.yaml").write_text("id: y\ntext: y.txt\ngroup: attention\nquestions: [{number: 1}]\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["bank", "eval", "--real", str(d)])
    assert r.exit_code == 2 and "y.yaml" in r.output and "Traceback" not in r.output


def test_real_letters_are_well_formed():
    """Every stored real letter has its text, a known group and topic ids from the taxonomy."""
    halves = [REAL / "dev", REAL / "heldout"]
    if not all(h.is_dir() for h in halves):
        import pytest

        pytest.skip("tests/data/real/{dev,heldout} not present")
    ids = set(load_bank().topics)
    groups = {"exchange_ipo", "luoshi", "bse_neeq", "csrc_feedback", "refinancing", "restructuring",
              "annual_report", "attention"}
    seen = set()
    for h in halves:
        for lab in load_real(h):
            assert lab.id not in seen
            seen.add(lab.id)
            assert lab.group in groups, lab.id
            assert lab.source.get("url"), lab.id
            for q in lab.questions:
                assert q.primary in ids and set(q.alternates) <= ids, (lab.id, q.number)
                assert q.requests is None or q.requests >= 0, (lab.id, q.number)


def test_unreadable_letter_loses_its_questions_not_the_run(tmp_path):
    d = _label_dir(tmp_path)
    (d / "x01.txt").write_text("这不是问询函。\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["bank", "eval", "--real", str(d)])
    assert r.exit_code == 0, r.output
    assert "questions found         0/6" in r.output
