"""A built wheel carries its templates, question bank and examples: installed anywhere, `drafter demo`
and `drafter bank validate` work from an empty folder (issue 11). Builds offline, without isolation."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    pytest.importorskip("wheel", reason="the wheel package builds the wheel (pip install -e '.[test]')")
    out = tmp_path_factory.mktemp("wheel")
    res = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
                          "-q", "-w", str(out)], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    (whl,) = out.glob("drafter-*.whl")
    return whl


def test_wheel_ships_templates_bank_and_examples(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for must in ("drafter/resources/templates/answers/gross_margin.j2", "drafter/resources/question_bank/_taxonomy.yaml",
                 "drafter/resources/question_bank/gross_margin.yaml", "drafter/resources/examples/letter.txt",
                 "drafter/resources/examples/company.yaml"):
        assert must in names
    assert sum(n.startswith("drafter/resources/question_bank/") for n in names) >= 60


def test_installed_wheel_runs_demo_and_bank_validate_from_an_empty_folder(wheel, tmp_path):
    target = tmp_path / "site"
    res = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "DRAFTER_HOME"}
    env["PYTHONPATH"] = str(target)

    def drafter(*args: str) -> subprocess.CompletedProcess:
        code = "import sys; from drafter.cli import main; sys.argv = ['drafter', *sys.argv[1:]]; main()"
        return subprocess.run([sys.executable, "-c", code, *args], cwd=empty, env=env, capture_output=True,
                              text=True, timeout=300)

    where = subprocess.run([sys.executable, "-c", "import drafter.paths as p; print(p.PROJECT_DIR)"], cwd=empty,
                           env=env, capture_output=True, text=True, timeout=60)
    assert where.stdout.strip().startswith(str(target)), where.stdout + where.stderr
    demo = drafter("demo")
    assert demo.returncode == 0, demo.stderr
    assert "questions:    7" in demo.stdout
    assert (empty / "drafter-demo-回复.docx").is_file()
    val = drafter("bank", "validate")
    assert val.returncode == 0, val.stdout + val.stderr
    ver = drafter("--version")
    assert ver.returncode == 0 and "0.1.0" in ver.stdout
