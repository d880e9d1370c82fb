"""House style: how a reply looks (faces, bold, sizes, margins, page numbers, labels).

`load_style(path=None)` reads a YAML file (every key optional) over defaults that follow
CONVENTIONS.md: questions 黑体加粗, answers 宋体, prospectus changes 楷体加粗, 小四 (12pt) body,
1.5 line spacing, A4, page numbers `8-1-{page}`. Unknown keys and bad values raise a UserError
naming the file, the line and the key.

Only the renderer turns these values into Word styles; `compose` reads `reply_label`,
`toc_title` and `legend_rows()`.
"""
from __future__ import annotations

import difflib
import re
import string
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from ..document import LegendRow
from ..errors import UserError, UserErrors

# 字号 -> points (the names Chinese Word shows in its size box).
CN_SIZES: dict[str, Decimal] = {
    "初号": Decimal("42"), "小初": Decimal("36"), "一号": Decimal("26"), "小一": Decimal("24"),
    "二号": Decimal("22"), "小二": Decimal("18"), "三号": Decimal("16"), "小三": Decimal("15"),
    "四号": Decimal("14"), "小四": Decimal("12"), "五号": Decimal("10.5"), "小五": Decimal("9"),
    "六号": Decimal("7.5"), "小六": Decimal("6.5"), "七号": Decimal("5.5"), "八号": Decimal("5"),
}

# Word's highlight colours (w:highlight values).
HIGHLIGHTS = (
    "yellow", "green", "cyan", "magenta", "blue", "red", "darkBlue", "darkCyan", "darkGreen",
    "darkMagenta", "darkRed", "darkYellow", "darkGray", "lightGray", "black", "none",
)

_LEN_UNITS = {"cm": Decimal("1"), "mm": Decimal("0.1"), "in": Decimal("2.54"), "pt": Decimal("2.54") / 72}


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("expected a number")
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError("expected a number") from None


def parse_size(value: Any) -> Decimal:
    """A font size: points (12, 10.5, "12pt") or a 字号 name ("小四", "五号")."""
    if isinstance(value, str) and value.strip() in CN_SIZES:
        return CN_SIZES[value.strip()]
    text = str(value).strip().removesuffix("pt").strip() if isinstance(value, str) else value
    try:
        pt = _decimal(text)
    except ValueError:
        raise ValueError(f"not a font size: {value!r}; use points (12, 10.5) or a 字号 such as 小四, 五号") from None
    if not Decimal("4") <= pt <= Decimal("96"):
        raise ValueError(f"font size {value!r} is out of range (4 to 96 points)")
    if (pt * 2) != (pt * 2).to_integral_value():
        raise ValueError(f"font size {value!r}: Word sizes go in half points (10.5, 12)")
    return pt


def parse_length(value: Any) -> Decimal:
    """A length in centimetres: 2.54, "2.54cm", "25.4mm", "1in", "72pt"."""
    if isinstance(value, str):
        m = re.fullmatch(r"\s*([0-9.]+)\s*(cm|mm|in|pt)?\s*", value)
        if not m:
            raise ValueError(f"not a length: {value!r}; use e.g. 2.54cm, 25mm, 1in")
        number, unit = m.group(1), m.group(2) or "cm"
    else:
        number, unit = value, "cm"
    cm = _decimal(number) * _LEN_UNITS[unit]
    if not Decimal("0") <= cm <= Decimal("10"):
        raise ValueError(f"length {value!r} is out of range (0 to 10 cm)")
    return cm


def parse_color(value: Any) -> str | None:
    if value is None or (isinstance(value, str) and value.strip().lower() in ("none", "")):
        return None
    text = str(value).strip().lstrip("#")
    if not re.fullmatch(r"[0-9A-Fa-f]{6}", text):
        raise ValueError(f"not a colour: {value!r}; use six hex digits such as FF0000, or none")
    return text.upper()


Size = Annotated[Decimal, BeforeValidator(parse_size)]
Length = Annotated[Decimal, BeforeValidator(parse_length)]
Color = Annotated[str | None, BeforeValidator(parse_color)]
Align = Literal["left", "center", "right", "justify"]


class FaceSpec(BaseModel):
    """How one logical paragraph style looks. Unset values fall back to the style-wide ones."""

    model_config = ConfigDict(extra="forbid")

    face: str | None = None  # East Asian typeface: 宋体, 黑体, 楷体, 仿宋, SimSun ...
    latin: str | None = None  # Latin typeface (digits, ASCII); None: HouseStyle.latin_face
    bold: bool | None = None
    size: Size | None = None  # None: HouseStyle.size
    align: Align | None = None
    indent: Decimal | None = Field(default=None, ge=0, le=10)  # first-line indent, in characters
    line_spacing: Decimal | None = Field(default=None, ge=1, le=3)  # multiple of single; None: style-wide
    space_before: Decimal | None = Field(default=None, ge=0, le=72)  # points
    space_after: Decimal | None = Field(default=None, ge=0, le=72)  # points
    keep_with_next: bool | None = None


# The logical styles that can be configured under `faces:` (document.ParaStyle plus table cells,
# the running header and the footer, and the 目录 entries).
FACE_KEYS = (
    "cover_title", "cover_text", "addressee", "body", "question", "amendment", "amendment_lead",
    "heading1", "heading2", "heading3", "heading4", "reply_label", "table_unit", "note", "legend",
    "toc_title", "signature", "signature_center", "table", "table_header", "toc", "header", "footer",
    "precedent",
)

_D = Decimal
DEFAULT_FACES: dict[str, dict[str, Any]] = {
    "body": dict(face="宋体", bold=False, align="justify", indent=_D(2)),
    "question": dict(face="黑体", bold=True, align="justify", indent=_D(2)),
    "amendment": dict(face="楷体", bold=True, align="justify", indent=_D(2)),
    "amendment_lead": dict(face="宋体", bold=False, align="justify", indent=_D(2)),
    "heading1": dict(face="黑体", bold=True, align="left", indent=_D(0), space_before=_D(12), space_after=_D(6),
                     keep_with_next=True),
    "heading2": dict(face="宋体", bold=True, align="left", indent=_D(2), space_before=_D(6), keep_with_next=True),
    "heading3": dict(face="宋体", bold=True, align="justify", indent=_D(2), keep_with_next=True),
    "heading4": dict(face="宋体", bold=True, align="justify", indent=_D(2), keep_with_next=True),
    "reply_label": dict(face="宋体", bold=True, align="left", indent=_D(0), keep_with_next=True),
    "cover_title": dict(face="黑体", bold=True, size=_D(22), align="center", indent=_D(0), space_after=_D(12)),
    "cover_text": dict(face="宋体", bold=True, size=_D(14), align="center", indent=_D(0)),
    "addressee": dict(face="宋体", bold=True, align="left", indent=_D(0)),
    "table_unit": dict(face="宋体", bold=False, size=_D("10.5"), align="right", indent=_D(0), keep_with_next=True),
    "note": dict(face="宋体", bold=False, size=_D("10.5"), align="justify", indent=_D(0), line_spacing=_D("1.25")),
    "legend": dict(face="宋体", bold=False, align="left", indent=_D(0)),
    "toc_title": dict(face="黑体", bold=True, size=_D(16), align="center", indent=_D(0), space_after=_D(12)),
    "signature": dict(face="宋体", bold=False, align="left", indent=_D(0), space_before=_D(12)),
    "signature_center": dict(face="宋体", bold=False, align="center", indent=_D(0)),
    "table": dict(face="宋体", bold=False, size=_D("10.5"), align="left", indent=_D(0), line_spacing=_D(1)),
    "table_header": dict(face="宋体", bold=True, size=_D("10.5"), align="center", indent=_D(0), line_spacing=_D(1)),
    "toc": dict(face="宋体", bold=False, align="left", indent=_D(0)),
    "header": dict(face="宋体", bold=False, size=_D(9), align="center", indent=_D(0), line_spacing=_D(1)),
    "footer": dict(face="宋体", bold=False, size=_D("10.5"), align="center", indent=_D(0), line_spacing=_D(1)),
    # a precedent passage from the library: another face, smaller, shaded (PrecedentLook), never mistaken for ours
    "precedent": dict(face="仿宋", bold=False, size=_D("10.5"), align="justify", indent=_D(2), line_spacing=_D("1.25")),
}
assert set(DEFAULT_FACES) == set(FACE_KEYS)


class Margins(BaseModel):
    """Page margins in centimetres (YAML may say 2.54cm, 25mm, 1in)."""

    model_config = ConfigDict(extra="forbid")

    top: Length = Decimal("2.54")
    bottom: Length = Decimal("2.54")
    left: Length = Decimal("3.17")
    right: Length = Decimal("3.17")
    header: Length = Decimal("1.5")  # distance of the running header from the page edge
    footer: Length = Decimal("1.75")


class TableLook(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit_prefix: str = "单位："  # 单位：万元 above a table (full-width colon, as filed replies set it)
    note_prefix: str = "注："  # added to a note that does not start with 注 (注1：, 注2： when several)
    border_pt: Decimal = Field(default=Decimal("0.5"), ge=0, le=6)  # 0: no borders
    header_fill: Color = None  # e.g. D9D9D9 for grey header rows; none by default
    # Smaller sizes tried in turn (with narrower cell margins) for a table whose figures do not fit
    # across the page at the table size, e.g. four periods of 金额/占比: a figure never breaks.
    compact_sizes: list[Size] = Field(default_factory=lambda: [Decimal("9"), Decimal("7.5")], max_length=4)

    @field_validator("compact_sizes")
    @classmethod
    def _largest_first(cls, v: list[Decimal]) -> list[Decimal]:
        return sorted(set(v), reverse=True)


class PlaceholderLook(BaseModel):
    model_config = ConfigDict(extra="forbid")

    highlight: Literal[HIGHLIGHTS] = "yellow"  # type: ignore[valid-type]
    color: Color = "FF0000"  # text colour; none keeps the paragraph's


class PrecedentLook(BaseModel):
    """How a precedent passage (drafter draft --precedents inline) stands out from drafter's own text."""

    model_config = ConfigDict(extra="forbid")

    fill: Color = "E7E6E6"  # paragraph shading; none for no shading
    border: Color = "7F7F7F"  # a rule at the left of the passage; none for no rule
    highlight: Literal[HIGHLIGHTS] = "cyan"  # type: ignore[valid-type]  # figures, dates, names to verify
    color: Color = None  # text colour of those runs; none keeps the paragraph's


class RevisedLook(BaseModel):
    """How `drafter update` sets a figure or table cell it changed: 楷体加粗 by the exchanges' convention."""

    model_config = ConfigDict(extra="forbid")

    face: str | None = "楷体"  # the Chinese face of a revised run; null keeps the paragraph's
    bold: bool = True


class HouseStyle(BaseModel):
    """Everything about how the reply looks. Every field has a default (CONVENTIONS.md)."""

    model_config = ConfigDict(extra="forbid")

    name: str = "默认"
    latin_face: str = "Times New Roman"  # digits and Latin letters in every style
    size: Size = Decimal("12")  # body size (小四)
    line_spacing: Decimal = Field(default=Decimal("1.5"), ge=1, le=3)
    margins: Margins = Field(default_factory=Margins)
    page_number: str = "8-1-{page}"  # 深交所; 上交所 8-1-{doc}-{page}; {pages} = total pages
    doc: str | None = None  # the {doc} part of the page number, e.g. 3 for 8-1-3-12
    cover_page_number: bool = True  # the cover shows its number (8-1-1) as filed replies do; never the header
    reply_label: str = "回复："  # full-width colon as in running Chinese text; or 【回复】
    toc_title: str = "目 录"
    toc_levels: int = Field(default=3, ge=1, le=4)  # heading levels the Word TOC field collects
    faces: dict[str, FaceSpec] = Field(default_factory=dict)
    table: TableLook = Field(default_factory=TableLook)
    placeholder: PlaceholderLook = Field(default_factory=PlaceholderLook)
    precedent: PrecedentLook = Field(default_factory=PrecedentLook)
    revised: RevisedLook = Field(default_factory=RevisedLook)  # figures drafter update changed
    legend: list[LegendRow] | None = None  # None: built from the question/body/amendment faces
    templates: str | None = None  # a folder of learned templates (drafter template learn), ahead of the bank's
    _base: Path | None = PrivateAttr(default=None)  # the style file's folder: `templates` relative to it

    @property
    def templates_path(self) -> Path | None:
        """The learned templates folder (a relative `templates:` is read from the style file's folder)."""
        if not self.templates:
            return None
        p = Path(self.templates).expanduser()
        return p if p.is_absolute() or self._base is None else self._base / p

    @field_validator("doc", mode="before")
    @classmethod
    def _doc_text(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v

    @field_validator("faces", mode="before")
    @classmethod
    def _merge_faces(cls, v: Any) -> Any:
        if v is None:
            v = {}
        if not isinstance(v, dict):
            return v  # pydantic reports the type error
        unknown = [k for k in v if k not in DEFAULT_FACES]
        if unknown:
            raise ValueError(f"unknown style {unknown[0]!r}; known: {', '.join(FACE_KEYS)}")
        merged: dict[str, Any] = {}
        for key, defaults in DEFAULT_FACES.items():
            given = v.get(key)
            if given is None:
                merged[key] = dict(defaults)
            elif isinstance(given, dict):
                merged[key] = {**defaults, **given}
            elif isinstance(given, FaceSpec):
                merged[key] = {**defaults, **given.model_dump(exclude_unset=True)}
            else:
                merged[key] = given  # pydantic reports the type error
        return merged

    @field_validator("page_number")
    @classmethod
    def _page_pattern(cls, v: str) -> str:
        try:
            parsed = [(f, spec) for _, f, spec, _ in string.Formatter().parse(v) if f is not None]
        except ValueError as e:
            raise ValueError(f"bad page-number pattern {v!r}: {e}") from None
        fields = [f for f, _ in parsed]
        for f, spec in parsed:  # `{page:>999999999}` would build a string of a billion spaces
            if spec and (re.search(r"\d{3,}", spec) or "{" in spec):
                raise ValueError(f"the format {{{f}:{spec}}} in {v!r} is too wide; a page number takes a few characters")
            if spec:
                try:
                    format(1, spec)
                except (ValueError, TypeError) as e:
                    raise ValueError(f"bad format {{{f}:{spec}}} in {v!r}: {e}") from None
        bad = [f for f in fields if f not in ("page", "doc", "pages")]
        if bad:
            raise ValueError(f"unknown field {{{bad[0]}}} in {v!r}; use {{page}}, {{doc}} and {{pages}}")
        if fields.count("page") != 1:
            raise ValueError(f"the page-number pattern {v!r} must contain {{page}} exactly once")
        return v

    @model_validator(mode="after")
    def _doc_given(self) -> "HouseStyle":
        if "{doc}" in self.page_number and not self.doc:
            raise ValueError(f"page_number {self.page_number!r} uses {{doc}}: set doc (e.g. doc: 3)")
        if not self.faces:  # built without validation of faces (model_construct) or empty
            self.faces = {k: FaceSpec(**d) for k, d in DEFAULT_FACES.items()}
        return self

    # -- helpers for compose and render ------------------------------------------------------
    def face(self, key: str) -> FaceSpec:
        """The complete look of a logical style (every value filled in)."""
        spec = self.faces.get(key) or FaceSpec(**DEFAULT_FACES[key])
        return spec.model_copy(update={
            "latin": spec.latin or self.latin_face,
            "size": spec.size if spec.size is not None else self.size,
            "line_spacing": spec.line_spacing if spec.line_spacing is not None else self.line_spacing,
            "bold": bool(spec.bold),
            "face": spec.face or DEFAULT_FACES["body"]["face"],
            "align": spec.align or "justify",
            "indent": spec.indent if spec.indent is not None else Decimal(0),
            "space_before": spec.space_before or Decimal(0),
            "space_after": spec.space_after or Decimal(0),
            "keep_with_next": bool(spec.keep_with_next),
        })

    def describe_face(self, key: str) -> str:
        """Legend wording for a style: 黑体(加粗), 宋体, 楷体(加粗)."""
        f = self.face(key)
        return f"{f.face}(加粗)" if f.bold else str(f.face)

    def legend_rows(self, prospectus: str = "招股说明书") -> list[LegendRow]:
        """The typeface legend: the configured rows, or rows built from the actual faces.

        `prospectus` names the document that changes (招股说明书 for an IPO, 募集说明书 for refinancing).
        """
        if self.legend is not None:
            return [LegendRow(what=r.what.replace("招股说明书", prospectus), face=r.face) for r in self.legend]
        return [
            LegendRow(what="问询函所列问题", face=self.describe_face("question")),
            LegendRow(what="对问询函所列问题的回复", face=self.describe_face("body")),
            LegendRow(what=f"对{prospectus}的修改、补充", face=self.describe_face("amendment")),
        ]

    def page_label(self, page: int | str, pages: int | str = "") -> str:
        """The page number as printed, e.g. 8-1-12 (used by tests and previews)."""
        return self.page_number.format(page=page, doc=self.doc or "", pages=pages)


def pt_to_half_points(pt: Decimal) -> int:
    return int((Decimal(pt) * 2).to_integral_value(ROUND_HALF_UP))


def cm_to_twips(cm: Decimal) -> int:
    return int((Decimal(cm) * 1440 / Decimal("2.54")).to_integral_value(ROUND_HALF_UP))


# -- loading ---------------------------------------------------------------------------------
def _key_lines(node: yaml.Node | None, prefix: tuple = ()) -> dict[tuple, int]:
    """Map every key path of a YAML document to its 1-based line number."""
    out: dict[tuple, int] = {}
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            path = (*prefix, k.value)
            out[path] = k.start_mark.line + 1
            out.update(_key_lines(v, path))
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            path = (*prefix, i)
            out[path] = v.start_mark.line + 1
            out.update(_key_lines(v, path))
    return out


def _known_keys(loc: tuple) -> list[str]:
    """The keys allowed where `loc` (a key path; its last part the unknown key) sits."""
    model: Any = HouseStyle
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if model is HouseStyle and part == "faces":
            model = "faces"
            continue
        if model == "faces":
            model = FaceSpec
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return []
        ann = field.annotation
        inner = [a for a in getattr(ann, "__args__", ()) if isinstance(a, type) and issubclass(a, BaseModel)]
        model = ann if isinstance(ann, type) and issubclass(ann, BaseModel) else (inner[0] if inner else None)
        if model is None:
            return []
    if model == "faces":
        return list(FACE_KEYS)
    return list(getattr(model, "model_fields", {}))


def _did_you_mean(key: str, known: list[str]) -> str:
    near = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return f"; did you mean {near[0]}?" if near else ""


def _error_for(err: dict, file: str, lines: dict[tuple, int], data: Any) -> UserError:
    loc = tuple(x for x in err["loc"] if x not in ("[key]",))
    # pydantic puts a faces-level ValueError at loc ("faces",); our message names the key.
    key = ".".join(str(x) for x in loc) or "(top level)"
    line = None
    probe = loc
    while probe and line is None:
        line = lines.get(tuple(str(x) if not isinstance(x, int) else x for x in probe))
        probe = probe[:-1]
    kind = err.get("type", "")
    msg = err.get("msg", "invalid value")
    if kind == "extra_forbidden":
        msg = "unknown key" + (_did_you_mean(str(loc[-1]), _known_keys(loc)) if loc else "")
    elif kind == "missing":
        msg = "required key is missing"
    elif msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    elif kind == "value_error":
        msg = msg
    if kind == "value_error" and loc == ("faces",) and "unknown style" in msg:
        bad = re.search(r"unknown style '([^']+)'", msg)
        if bad and ("faces", bad.group(1)) in lines:
            key = f"faces.{bad.group(1)}"
            line = lines[("faces", bad.group(1))]
            near = _did_you_mean(bad.group(1), list(FACE_KEYS))
            msg = "unknown key" + (near or msg[msg.index(";"):])
    place = f"line {line}: {key}" if line else key
    return UserError(msg, file=file, place=place)


def _not_a_style_file(data: dict) -> str | None:
    """One line instead of a line per key when most top-level keys are not style keys at all
    (company data or a bank file given as the style)."""
    keys = [str(k) for k in data]
    unknown = [k for k in keys if k not in HouseStyle.model_fields]
    if len(unknown) < 3 or len(unknown) * 2 <= len(keys):
        return None
    what = ("company data (give it with --company)" if {"company", "financials"} & set(unknown)
            else "some other YAML file")
    shown = ", ".join(unknown[:4]) + (" …" if len(unknown) > 4 else "")
    return (f"does not look like a house-style file ({len(unknown)} of {len(keys)} top-level keys unknown: "
            f"{shown}); it looks like {what}. Style keys are {', '.join(list(HouseStyle.model_fields)[:8])} …")


def load_style(path: str | Path | None = None) -> HouseStyle:
    """Read a house-style YAML file over the defaults; None gives the defaults.

    Raises UserError (one problem) or UserErrors (several) naming file, line and key.
    """
    if path is None:
        return HouseStyle()
    p = Path(path)
    file = str(p)
    if not p.exists():
        raise UserError("style file not found", file=file)
    if p.is_dir():
        raise UserError("is a folder, expected a YAML style file", file=file)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UserError("not UTF-8 text; save the style file as UTF-8", file=file) from None
    try:
        from ..safe_yaml import LimitedLoader  # aliases and nesting bounded (issue 12)

        node = yaml.compose(text, Loader=LimitedLoader)
        data = yaml.load(text, Loader=LimitedLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else None
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        if "mapping values are not allowed" in problem:
            problem += ' (quote a value that ends with ":" or contains ": ", e.g. reply_label: "回复:")'
        raise UserError(f"not valid YAML: {problem}", file=file, place=where) from None
    if data is None:
        return HouseStyle()
    if not isinstance(data, dict):
        raise UserError("expected a mapping of keys (faces:, page_number:, ...) at the top", file=file)
    not_style = _not_a_style_file(data)
    if not_style:
        raise UserError(not_style, file=file)
    lines = _key_lines(node)
    try:
        style = HouseStyle.model_validate(data)
        style._base = p.parent
        return style
    except ValidationError as e:
        errors = [_error_for(err, file, lines, data) for err in e.errors()]

        def line_of(u: UserError) -> int:
            m = re.match(r"line (\d+)", u.place or "")
            return int(m.group(1)) if m else 10**9

        errors.sort(key=line_of)  # in file order
        if len(errors) == 1:
            raise errors[0] from None
        raise UserErrors(errors) from None
