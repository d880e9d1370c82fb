"""`drafter parse FILE [--json]`: outline, JSON shape, and one-line errors with exit code 2."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from drafter.cli import main

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "letter.txt"


def test_json_shape():
    r = CliRunner().invoke(main, ["parse", str(EXAMPLE), "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    q = data["questions"][0]
    assert q["number"] == 1 and q["title"] == "关于本次募投项目"
    assert [x["id"] for x in q["requests"]] == ["1.(1)", "1.(2)", "1.(3)", "1.(4)"]
    assert {"id", "label", "text"} <= set(q["requests"][0])
    assert {"parties", "scope"} <= set(q["verification"][0])
    assert data["meta"]["number"] == "审核函〔2026〕020031号"


def test_outline():
    r = CliRunner().invoke(main, ["parse", str(EXAMPLE)])
    assert r.exit_code == 0, r.output
    assert "7 questions, 17 requests" in r.output
    assert "1.关于本次募投项目" in r.output
    assert "scope (2)(3) -> 5.(2), 5.(3)" in r.output


def test_errors_are_one_line_exit_2(tmp_path):
    cases = {
        "missing.txt": None,
        "empty.txt": b"",
        "noise.bin": bytes(range(256)) * 20,
        "fake.docx": b"not a zip at all",
        "none.txt": "没有问题的一段文字。".encode("utf-8"),
        "fake.pdf": b"%PDF-1.7 nothing",
    }
    for name, data in cases.items():
        p = tmp_path / name
        if data is not None:
            p.write_bytes(data)
        r = CliRunner().invoke(main, ["parse", str(p)])
        assert r.exit_code == 2, (name, r.output)
        err = r.stderr if hasattr(r, "stderr") else r.output
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith("drafter: ") and name in lines[0], (name, err)
        assert "Traceback" not in r.output


def test_cleaned_text(tmp_path):
    p = tmp_path / "paged.txt"
    p.write_text("1.关于收入\n请发行人说明收入确认的具体方法及\n\n8-1-4\n\n时点。\n请保荐人发表明确意见。\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["parse", str(p), "--text"])
    assert r.exit_code == 0
    assert r.output.splitlines() == ["1.关于收入", "请发行人说明收入确认的具体方法及时点。", "请保荐人发表明确意见。"]
