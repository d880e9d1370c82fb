"""Compiled templates are cached between runs, and an edited template is compiled again."""
from __future__ import annotations

import os
import subprocess
import sys


def _render(tpl_dir, cache_dir) -> str:
    code = ("from drafter.compose.templating import render_text; import sys; "
            "print(render_text('a.j2', {'x': 1}, sys.argv[1]))")
    env = dict(os.environ, DRAFTER_CACHE_DIR=str(cache_dir))
    return subprocess.run([sys.executable, "-c", code, str(tpl_dir)], env=env, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_bytecode_cache_is_written_and_follows_edits(tmp_path):
    tpl, cache = tmp_path / "t", tmp_path / "cache"
    tpl.mkdir()
    (tpl / "a.j2").write_text("first {{ x }}", encoding="utf-8")
    assert _render(tpl, cache) == "first 1"
    cached = list((cache / "templates-sandboxed").glob("drafter-*.cache"))
    assert len(cached) == 1
    (tpl / "a.j2").write_text("second {{ x }}", encoding="utf-8")
    assert _render(tpl, cache) == "second 1"  # a fresh process, the old byte code refused by its checksum


def test_unwritable_cache_folder_still_renders(tmp_path):
    tpl = tmp_path / "t"
    tpl.mkdir()
    (tpl / "a.j2").write_text("ok {{ x }}", encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert _render(tpl, blocker) == "ok 1"
