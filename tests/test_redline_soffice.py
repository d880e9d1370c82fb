"""LibreOffice reads the redline's tracked changes and writes them back (DOCX → DOCX round trip).

Slow (LibreOffice starts up for several seconds), so it runs only when asked:
`DRAFTER_TEST_SOFFICE=1 pytest tests/test_redline_soffice.py`.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from drafter.update.redline import write_redline
from test_redline import W, _doc, _pair, accept_all, changes, reject_all, texts

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _solid(paras: list[str]) -> list[str]:
    """Paragraph texts without white space or empty paragraphs (LibreOffice re-spaces some)."""
    return [s for s in (re.sub(r"\s", "", p) for p in paras) if s]


@pytest.mark.skipif(not os.environ.get("DRAFTER_TEST_SOFFICE"), reason="slow; set DRAFTER_TEST_SOFFICE=1 to run")
@pytest.mark.skipif(not SOFFICE, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_keeps_the_tracked_changes(tmp_path):
    bp, ap = _pair(tmp_path)
    red = tmp_path / "red.docx"
    write_redline(bp, ap, red)
    outdir = tmp_path / "lo"
    profile = (tmp_path / "lo-profile").as_uri()
    try:
        subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                        "docx:MS Word 2007 XML", "--outdir", str(outdir), str(red)],
                       check=True, capture_output=True, timeout=180)
    except (subprocess.SubprocessError, OSError) as e:
        pytest.skip(f"LibreOffice could not convert the file: {e}")
    back = outdir / "red.docx"
    root = _doc(back)
    for kind in ("ins", "del"):  # the same text marked (LibreOffice splits runs by script, so joined)
        assert "".join(changes(root, kind)) == "".join(changes(_doc(red), kind))
    assert len(list(root.iter(W + "cellDel"))) == 4
    assert _solid(texts(accept_all(_doc(back)))) == _solid(texts(_doc(ap)))
    assert _solid(texts(reject_all(_doc(back)))) == _solid(texts(_doc(bp)))
