"""The package shows the pipeline and has no import cycles (issue 11): read → parse → match → compose →
render, with company, review, library and cli beside them. Function-level imports count too."""
from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "drafter"
TOP_LEVEL = {"__init__", "__main__", "document", "draft", "errors", "models", "numbers", "output", "paths",
             "safe_yaml", "vocab"}
PACKAGES = {"read", "parse", "match", "company", "compose", "render", "review", "library", "cli", "data", "update"}


def _modules() -> dict[str, Path]:
    out = {}
    for p in PKG.rglob("*.py"):
        parts = p.relative_to(PKG.parent).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = p
    return out


def _edges(mods: dict[str, Path]) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for name, p in mods.items():
        is_pkg = p.name == "__init__.py"
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                base = name.split(".") if is_pkg else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
                targets = [f"{target}.{a.name}" if f"{target}.{a.name}" in mods else target for a in node.names]
            elif node.module and node.module.startswith("drafter"):
                targets = [node.module]
            else:
                continue
            for t in targets:
                while t not in mods and "." in t:
                    t = t.rsplit(".", 1)[0]
                if t != name:
                    edges.setdefault(name, set()).add(t)
    return edges


def _reaches(edges: dict[str, set[str]], a: str, b: str) -> bool:
    seen, stack = set(), [a]
    while stack:
        x = stack.pop()
        for y in edges.get(x, ()):
            if y == b:
                return True
            if y not in seen:
                seen.add(y)
                stack.append(y)
    return False


def test_layout_shows_the_pipeline():
    flat = {p.stem for p in PKG.glob("*.py")}
    assert flat == TOP_LEVEL, sorted(flat ^ TOP_LEVEL)
    folders = {p.name for p in PKG.iterdir() if p.is_dir() and p.name != "__pycache__" and p.name != "resources"}
    assert folders == PACKAGES, sorted(folders ^ PACKAGES)


def test_no_import_cycles():
    mods = _modules()
    edges = _edges(mods)
    cycles = sorted((a, b) for a, bs in edges.items() for b in bs
                    if _reaches(edges, b, a) and not b.startswith(a + ".") and not a.startswith(b + "."))
    assert cycles == []
