"""A folder of learned templates (drafter template learn): which one answers a request.

Each template's comment header (drafter.compose.learn.header) names its topic and the request it was
learned from. A request whose top topic has learned templates gets the one learned from the most
similar request (character bigrams shared); the bank's template is used for every other topic.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError
from .learn import HEADER


@dataclass(frozen=True)
class Learned:
    name: str  # relative to the folder: answers/<topic>__q3_3-2.j2
    topic: str
    request_text: str


def _bigrams(s: str) -> set[str]:
    s = re.sub(r"[\W\d_]+", "", s or "")
    return {s[i:i + 2] for i in range(len(s) - 1)}


def _similarity(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    return len(x & y) / len(x | y) if x and y else 0.0


def read_header(text: str) -> dict[str, str] | None:
    m = re.match(r"\{#\s*" + re.escape(HEADER) + r"\s*\n(.*?)#\}", text, re.S)
    if not m:
        return None
    out: dict[str, str] = {}
    for line in m.group(1).splitlines():
        k, sep, v = line.partition(":")
        if sep:
            out[k.strip()] = v.strip()
    return out


class LearnedTemplates:
    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise UserError("learned templates folder not found", file=str(folder))
        self.by_topic: dict[str, list[Learned]] = {}
        for p in sorted(self.folder.rglob("*.j2")):
            try:
                head = read_header(p.read_text(encoding="utf-8")[:4000])
            except (OSError, UnicodeDecodeError):
                raise UserError("cannot read a learned template (UTF-8 text expected)", file=str(p)) from None
            topic = (head or {}).get("topic") or p.stem.split("__")[0]
            name = p.relative_to(self.folder).as_posix()
            self.by_topic.setdefault(topic, []).append(Learned(name, topic, (head or {}).get("request_text", "")))
        if not self.by_topic:
            raise UserError("no learned template (*.j2) in this folder (drafter template learn writes them)",
                            file=str(folder))

    def pick(self, topic: str | None, request_text: str) -> Learned | None:
        cands = self.by_topic.get(topic or "")
        if not cands:
            return None
        return max(cands, key=lambda c: (_similarity(c.request_text, request_text), c.name))

    def __len__(self) -> int:
        return sum(len(v) for v in self.by_topic.values())
