"""A PDF printed by LibreOffice from a DOCX letter reads like the letter.

Slow (LibreOffice starts up for several seconds), so it runs only when asked:
`DRAFTER_TEST_SOFFICE=1 pytest tests/test_read_soffice.py`. The reportlab-built PDFs in test_read.py
cover the same path on every run.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from drafter.parse import parse_file

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "letter.txt"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _structure(letter):
    return [
        (q.number, q.title, [r.id for r in q.requests], [(v.parties, v.scope, v.scope_ids) for v in q.verification])
        for q in letter.questions
    ]


def _make_docx(path: Path) -> None:
    import docx

    d = docx.Document()
    for s in EXAMPLE.read_text(encoding="utf-8").split("\n"):
        if s.strip():
            d.add_paragraph(s.strip())
    d.save(str(path))


@pytest.mark.skipif(not os.environ.get("DRAFTER_TEST_SOFFICE"), reason="slow; set DRAFTER_TEST_SOFFICE=1 to run")
@pytest.mark.skipif(not SOFFICE, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_pdf_same_structure(tmp_path):
    docx = tmp_path / "letter.docx"
    _make_docx(docx)
    profile = (tmp_path / "lo-profile").as_uri()
    try:
        subprocess.run(
            [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
            check=True,
            capture_output=True,
            timeout=120,
        )
    except (subprocess.SubprocessError, OSError) as e:
        pytest.skip(f"LibreOffice could not convert the file: {e}")
    pdf = tmp_path / "letter.pdf"
    letter = parse_file(pdf)
    assert _structure(letter) == _structure(parse_file(EXAMPLE))
    assert letter.meta.number == "审核函〔2026〕020031号"
    assert letter.meta.date == "2026-03-16"
