"""The loaded bank and its matcher index are kept between runs, and a changed topic file is read again."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

from drafter.paths import BANK_DIR, TEMPLATES_DIR

CODE = ("import sys; from drafter.match.bank import load_bank; b = load_bank(sys.argv[1]); "
        "print(b.topics['gross_margin'].name, b._index is not None)")


def _load(bank, cache) -> str:
    env = dict(os.environ, DRAFTER_CACHE_DIR=str(cache))
    return subprocess.run([sys.executable, "-c", CODE, str(bank)], env=env, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_bank_cache_is_used_and_follows_edits(tmp_path):
    bank, cache = tmp_path / "question_bank", tmp_path / "cache"
    shutil.copytree(BANK_DIR, bank)
    shutil.copytree(TEMPLATES_DIR, tmp_path / "templates")
    assert _load(bank, cache) == "毛利率 True"  # loaded from the files; the cache written with the index
    (pickled,) = (cache / "bank").glob("bank-*.pickle")
    stamp = pickled.stat().st_mtime_ns
    assert _load(bank, cache) == "毛利率 True"  # from the cache, index included
    assert pickled.stat().st_mtime_ns == stamp  # read, not written again
    f = bank / "gross_margin.yaml"
    text = f.read_text(encoding="utf-8")
    name = next(ln for ln in text.splitlines() if ln.startswith("name:")).split(":", 1)[1].strip()
    f.write_text(text.replace(f"name: {name}", "name: 毛利率（已改）", 1), encoding="utf-8")
    assert _load(bank, cache).startswith("毛利率（已改）")  # the edit is seen, not the cached bank


def test_a_change_to_the_matcher_code_makes_a_new_cache(tmp_path, monkeypatch):
    """The pickle holds the matcher's index: a new matcher must not read an index an older one built."""
    from drafter.match import bank as bank_mod

    code = tmp_path / "match"
    code.mkdir()
    (code / "__init__.py").write_text("W = 1\n", encoding="utf-8")
    (code / "hanzi.py").write_text("T = 1\n", encoding="utf-8")
    monkeypatch.setattr(bank_mod, "__file__", str(code / "bank.py"))
    monkeypatch.setenv("DRAFTER_CACHE_DIR", str(tmp_path / "cache"))
    key = tmp_path / "question_bank"
    first = bank_mod._cache_file(key)
    assert bank_mod._cache_file(key) == first
    (code / "hanzi.py").write_text("T = 22\n", encoding="utf-8")
    assert bank_mod._cache_file(key) != first
