"""Word's automatic numbering, restored as text.

Letters written in Word often number questions and requests with list numbering (`1.`, `(1)`, `①`)
that is not part of the paragraph text. `Numbering.label_for(p)` gives the label Word would show.
Only the common formats are rendered; anything unknown gives no label (the text is kept as is).
"""
from __future__ import annotations

from ..vocab import CIRCLED, cn_numeral

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _chinese(n: int) -> str:
    return cn_numeral(n)


def _fmt(n: int, fmt: str) -> str:
    if fmt in ("decimal", "decimalZero") or not fmt:
        return str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return CIRCLED[n - 1] if 1 <= n <= 20 else f"({n})"
    if fmt in ("decimalEnclosedParen",):
        return f"({n})"
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "chineseLegalSimplified"):
        return _chinese(n)
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


def _roman(n: int) -> str:
    vals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for v, s in vals:
        while n >= v:
            out += s
            n -= v
    return out


class Numbering:
    def __init__(
        self,
        levels: dict[str, dict[int, tuple[str, str, int]]],
        styles: dict[str, tuple[str, int]],
        abstract_of: dict[str, str] | None = None,
        overrides: dict[str, dict[int, int]] | None = None,
    ):
        self.levels = levels  # numId -> ilvl -> (numFmt, lvlText, start)
        self.styles = styles  # styleId -> (numId, ilvl) for numbering set by paragraph style
        # Word counts per abstract list: two w:num sharing an abstractNum continue one another unless
        # the later one restarts a level (w:lvlOverride/w:startOverride, Word's "restart numbering")
        self.abstract_of = abstract_of or {}  # numId -> abstractNumId
        self.overrides = overrides or {}  # numId -> ilvl -> start value on the num's first use
        self.counters: dict[str, dict[int, int]] = {}
        self._restarted: set[tuple[str, int]] = set()

    @classmethod
    def from_document(cls, document) -> Numbering:
        levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        styles: dict[str, tuple[str, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):  # a document without numbering
            return cls(levels, styles)
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in root.iterchildren(W + "abstractNum"):
            aid = an.get(W + "abstractNumId")
            lv: dict[int, tuple[str, str, int]] = {}
            for lvl in an.iterchildren(W + "lvl"):
                ilvl = int(lvl.get(W + "ilvl", "0"))
                fmt_el = lvl.find(W + "numFmt")
                txt_el = lvl.find(W + "lvlText")
                start_el = lvl.find(W + "start")
                lv[ilvl] = (
                    fmt_el.get(W + "val") if fmt_el is not None else "decimal",
                    txt_el.get(W + "val") if txt_el is not None else "",
                    int(start_el.get(W + "val")) if start_el is not None else 1,
                )
            abstract[aid] = lv
        abstract_of: dict[str, str] = {}
        overrides: dict[str, dict[int, int]] = {}
        for num in root.iterchildren(W + "num"):
            nid = num.get(W + "numId")
            a = num.find(W + "abstractNumId")
            if a is not None and a.get(W + "val") in abstract:
                levels[nid] = dict(abstract[a.get(W + "val")])
                abstract_of[nid] = a.get(W + "val")
                for ov in num.iterchildren(W + "lvlOverride"):
                    try:
                        ilvl = int(ov.get(W + "ilvl", "0"))
                    except ValueError:
                        continue
                    so = ov.find(W + "startOverride")
                    lvl = ov.find(W + "lvl")
                    if lvl is not None:  # a whole level redefined for this num
                        fmt_el, txt_el, st_el = lvl.find(W + "numFmt"), lvl.find(W + "lvlText"), lvl.find(W + "start")
                        old = levels[nid].get(ilvl, ("decimal", "", 1))
                        levels[nid][ilvl] = (
                            fmt_el.get(W + "val") if fmt_el is not None else old[0],
                            txt_el.get(W + "val") if txt_el is not None else old[1],
                            int(st_el.get(W + "val")) if st_el is not None else old[2],
                        )
                    if so is not None:
                        try:
                            overrides.setdefault(nid, {})[ilvl] = int(so.get(W + "val"))
                        except (TypeError, ValueError):
                            pass
        try:
            for st in document.styles.element.iterchildren(W + "style"):
                numpr = st.find(f"{W}pPr/{W}numPr")
                if numpr is not None:
                    nid = numpr.find(W + "numId")
                    il = numpr.find(W + "ilvl")
                    if nid is not None:
                        styles[st.get(W + "styleId")] = (nid.get(W + "val"), int(il.get(W + "val")) if il is not None else 0)
        except (ValueError, TypeError, KeyError, AttributeError, NotImplementedError):  # a damaged styles part
            pass
        return cls(levels, styles, abstract_of, overrides)

    def label_for(self, p) -> str:
        """The label Word shows before paragraph element `p` ('' when not numbered)."""
        if not self.levels:
            return ""
        numpr = p.find(f"{W}pPr/{W}numPr")
        nid, ilvl = None, 0
        if numpr is not None:
            n = numpr.find(W + "numId")
            il = numpr.find(W + "ilvl")
            nid = n.get(W + "val") if n is not None else None
            ilvl = int(il.get(W + "val")) if il is not None else 0
        else:
            ps = p.find(f"{W}pPr/{W}pStyle")
            if ps is not None and ps.get(W + "val") in self.styles:
                nid, ilvl = self.styles[ps.get(W + "val")]
        if not nid or nid == "0" or nid not in self.levels:
            return ""
        lv = self.levels[nid]
        if ilvl not in lv:
            return ""
        counters = self.counters.setdefault(self.abstract_of.get(nid, nid), {})
        start = self.overrides.get(nid, {}).get(ilvl)
        if start is not None and (nid, ilvl) not in self._restarted:
            self._restarted.add((nid, ilvl))
            counters[ilvl] = start - 1
        counters[ilvl] = counters.get(ilvl, lv[ilvl][2] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        fmt, text, _ = lv[ilvl]
        if fmt in ("bullet", "none"):
            return ""
        out = text
        for k in range(ilvl, -1, -1):
            if f"%{k + 1}" in out:
                value = counters.get(k, lv.get(k, ("decimal", "", 1))[2])
                out = out.replace(f"%{k + 1}", _fmt(value, lv.get(k, ("decimal", "", 1))[0]))
        return out
