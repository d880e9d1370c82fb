"""Answer templates: Jinja2 (sandboxed) over templates/, rendered into ReplyDocument blocks.

A template writes plain text; blank lines separate paragraphs. Structure never comes from text the
company supplied: only the helper functions below emit the private-use markers that this module turns
into blocks, and every printed value is stripped of those markers (and of line breaks) first.

Helpers available in every template:
    ph("what is needed")      -> a highlighted placeholder run 【待补充:…】
    literal("123.45")         -> the text as written, highlighted to verify (learned templates)
    table("name")             -> the Table block `tables[name]` from the context (its own block)
    h4("1、…")                -> a heading4 paragraph
    note("注:…")              -> a note paragraph
    part("kw1|kw2")           -> start a part of the answer placed under the request naming a keyword
    amount(x) percent(x) pp(x) growth(x) times(x) date_cn(x) text(x)
                              -> the value formatted (drafter.numbers), or a placeholder when None
and the drafter.numbers filters (amount, pct, pp, growth, period_label, periods_label, date_cn …).
Data helpers reading the render's `company` and `latest` (issue 14, README "Writing answer templates"):
    has rows value growth_of pp_change cagr_of cagr_years share_of to_assets base_period label
    growth_rate ratio_of, and the declarative tables fin_table ratio_table records_table series_table

Provenance (drafter update): the data helpers return `Sourced` Decimals that remember their metric,
period (or computed path); the formatting helpers and number filters print them wrapped in markers that
`_runs` turns into `Run(source=…)`, which the renderer tags in the DOCX. Arithmetic drops the source.

Missing data never crashes a draft (undefined = MissingData, a StrictUndefined): printed, a missing
variable becomes a placeholder run naming it (【待补充:公司数据“x.y”】); used in logic (a test, a loop,
arithmetic) it raises, and the whole answer becomes one placeholder paragraph naming it.
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, TemplateNotFound, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from ..document import Block, Paragraph, Run, Table
from ..errors import UserError
from ..paths import TEMPLATES_DIR

# Private-use code points: markers that only our helpers produce.
PH_OPEN, PH_CLOSE = "\ue000", "\ue001"
DIRECTIVE = "\ue002"  # a line "\ue002kind\ue003arg" is a block directive
SEP = "\ue003"
SRC_OPEN, SRC_CLOSE = "\ue004", "\ue005"  # a figure with its provenance: \ue004{json}\ue003text\ue005
_MARKERS = re.compile("[\ue000-\ue00f]")
_SRC_HEAD = re.compile("\ue004[^\ue003\ue005]*\ue003")
_RUN_MARKS = re.compile("\ue000(.*?)\ue001|\ue004([^\ue003]*)\ue003(.*?)\ue005")


class Sourced(Decimal):
    """A Decimal that remembers where it came from (a metric of the company file, or a computed
    figure of a topic), so the formatted figure can be tagged in the DOCX and recomputed later
    (drafter update). Arithmetic gives a plain Decimal: a derived figure is not tagged."""

    __slots__ = ("source",)

    def __new__(cls, value: Any = "0", source: dict | None = None):
        obj = Decimal.__new__(cls, value)
        obj.source = source
        return obj

    def __reduce__(self):
        return (Sourced, (str(self), self.source))

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


def sourced(value: Any, source: dict) -> Any:
    """`value` as a Sourced Decimal (None and non-Decimals unchanged)."""
    if isinstance(value, Decimal) and value.is_finite():
        return Sourced(value, source)
    return value


def _tag(text: Any, value: Any, fmt: str, args: tuple = ()) -> Any:
    """The formatted `text` of a Sourced `value`, wrapped with its provenance (other values unchanged)."""
    src = getattr(value, "source", None)
    if not src or not isinstance(value, Sourced) or not isinstance(text, str) or not text:
        return text
    src = {**src, "fmt": fmt}
    src.setdefault("sign", (value > 0) - (value < 0))  # the sign as drafted (a turned sign gets a comment)
    if args:
        src["args"] = [a if isinstance(a, (int, str)) else str(a) for a in args]
    head = json.dumps(src, ensure_ascii=False, separators=(",", ":"), default=str)
    return _Safe(SRC_OPEN + _MARKERS.sub("", head) + SEP + _clean(text) + SRC_CLOSE)


class _Safe(str):
    """A string produced by our helpers: finalize leaves its markers alone."""


def placeholder_text(what: str) -> str:
    what = what.strip()
    if what.startswith("【"):
        return what
    return f"【待补充:{what}】"


def _clean(value: Any) -> str:
    s = "" if value is None else str(value)
    if SRC_OPEN in s:
        s = _SRC_HEAD.sub("", s)
    return _MARKERS.sub("", s).replace("\r", " ").replace("\n", " ")


class MissingData(StrictUndefined):
    """StrictUndefined that prints as a visible placeholder naming the missing datum.

    `{{ company.x.y }}` prints 【待补充:公司数据“x.y”】; any other use (a test, a loop, arithmetic)
    still raises, and `render_blocks` turns the whole answer into one placeholder paragraph.
    """

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        if name[:2] == "__":
            raise AttributeError(name)
        return MissingData(name=f"{self._undefined_name}.{name}", hint=self._undefined_hint)

    def __getitem__(self, key: Any) -> Any:
        return MissingData(name=f"{self._undefined_name}[{key}]", hint=self._undefined_hint)

    def placeholder(self) -> "_Safe":
        return _ph(f"公司数据“{self._undefined_name}”")


def _finalize(value: Any) -> Any:
    if isinstance(value, _Safe):
        return value
    if isinstance(value, MissingData):
        return value.placeholder()
    return _clean(value)


def _ph(what: Any) -> _Safe:
    return _Safe(PH_OPEN + placeholder_text(_clean(what)) + PH_CLOSE)


def _literal(text: Any) -> _Safe:
    """A figure kept as written but highlighted to verify (learned templates: a figure that matched
    no company datum). Prints exactly `text`, as a placeholder run."""
    return _Safe(PH_OPEN + _clean(text) + PH_CLOSE)


def _directive(kind: str, arg: Any) -> _Safe:
    return _Safe("\n" + DIRECTIVE + kind + SEP + _clean(arg) + "\n")


def _table(name: Any) -> _Safe:
    return _directive("table", name)


def _h4(text: Any) -> _Safe:
    return _directive("heading4", text)


def _note(text: Any) -> _Safe:
    return _directive("note", text)


def _part(keywords: Any) -> _Safe:
    """Start a part of the answer that belongs under the request mentioning one of `keywords` (a|b|c)."""
    return _directive("part", keywords)


def _fmt_or_ph(fmt, default_what: str, name: str | None = None):
    def f(value: Any, what: str = default_what, *args: Any) -> Any:
        if value is None or value == "":
            return _ph(what)
        try:
            text = fmt(value, *args)
        except (ValueError, TypeError):
            return _ph(what)
        return _tag(text, value, name, args) if name and isinstance(value, Sourced) else text

    f.__name__ = getattr(fmt, "__name__", "fmt")
    return f


def _value_helpers() -> dict[str, Any]:
    """amount(x, "what"), percent(x), pp(x), growth(x), times(x), date_cn(x): formatted, or a placeholder."""
    from .. import numbers as N

    return {
        "amount": _fmt_or_ph(N.fmt_amount, "金额", "fmt_amount"),
        "percent": _fmt_or_ph(N.fmt_pct, "比例", "fmt_pct"),
        "pp": _fmt_or_ph(N.fmt_pp, "变动", "fmt_pp"),
        "growth": _fmt_or_ph(N.fmt_growth, "增长率", "fmt_growth"),
        "times": _fmt_or_ph(N.fmt_times, "倍数", "fmt_times"),
        "date_cn": _fmt_or_ph(N.fmt_date, "日期"),
        "text": _fmt_or_ph(lambda v: str(v), "内容"),
    }


# --------------------------------------------------------------------------- data helpers (issue 14)
#
# Globals that read the current render's context (`company`, `latest`): has, rows, value, growth_of,
# cagr_of, cagr_years, pp_change, share_of, to_assets, base_period, label, and the declarative tables
# fin_table, ratio_table, records_table, series_table (drafter.compose.tables). A table travels as a
# "dtable" directive holding its JSON; missing data becomes a placeholder paragraph naming it.


def _company(ctx: Any) -> Any:
    from ..company.model import CompanyProfile

    c = ctx.get("company")
    return c if isinstance(c, CompanyProfile) else None


def _period(ctx: Any, period: Any) -> str | None:
    if period:
        return str(period)
    latest = ctx.get("latest")
    if isinstance(latest, str) and latest:
        return latest
    prof = _company(ctx)
    return prof.latest if prof is not None else None


def _emit(result: Any, kind: str | None = None, args: dict | None = None) -> _Safe:
    from .tables import Missing

    if isinstance(result, Missing):
        return _Safe("\n\n" + _ph(result.what) + "\n\n")
    if kind:  # the spec that rebuilds it (drafter update)
        result.source = {"kind": kind, "args": args or {}}
    return _directive("dtable", result.model_dump_json())


def _data_helpers() -> dict[str, Any]:
    from jinja2 import pass_context

    from . import tables as T

    from .. import numbers as N
    from ..company import metrics as M

    def metric_call(fn):
        @pass_context
        def call(ctx, key, period=None, base=None):
            M.check_key(str(key))
            prof = _company(ctx)
            if prof is None:
                return None
            at = _period(ctx, period)
            src = {"kind": "metric", "fn": fn.__name__, "key": str(key), "period": at}
            if period is None:
                src["latest"] = True
            if base is not None:  # growth_of / pp_change between two given periods
                return sourced(fn(prof, str(key), at, str(base)), {**src, "base": str(base)})
            return sourced(fn(prof, str(key), at), src)

        call.__name__ = fn.__name__
        return call

    @pass_context
    def share_of(ctx, key, denominator, period=None):
        M.check_key(str(key))
        M.check_key(str(denominator))
        prof = _company(ctx)
        if prof is None:
            return None
        at = _period(ctx, period)
        src = {"kind": "metric", "fn": "share_of", "key": str(key), "denominator": str(denominator), "period": at}
        if period is None:
            src["latest"] = True
        return sourced(M.share_of(prof, key, denominator, at), src)

    @pass_context
    def cagr_of(ctx, key):
        M.check_key(str(key))
        prof = _company(ctx)
        return sourced(M.cagr_of(prof, key)[0], {"kind": "metric", "fn": "cagr_of", "key": str(key)}) \
            if prof is not None else None

    @pass_context
    def cagr_years(ctx, key):
        """"2023年至2025年": the span cagr_of(key) covers (None without two full years)."""
        prof = _company(ctx)
        if prof is None:
            return None
        _, first, last = M.cagr_of(prof, key)
        return f"{N.period_label(first)}至{N.period_label(last)}" if first else None

    @pass_context
    def base_period(ctx, period=None):
        prof = _company(ctx)
        return M.base_period(prof, _period(ctx, period)) if prof is not None else None

    @pass_context
    def has(ctx, block):
        return T.has(_company(ctx), str(block))

    @pass_context
    def rows(ctx, block):
        return T.rows(_company(ctx), str(block))

    @pass_context
    def fin_table(ctx, keys, growth=False, to_assets=False, title=None):
        return _emit(T.fin_table(_company(ctx), _keys(keys), growth=growth, to_assets=to_assets, title=title),
                     "fin_table", {"keys": _keys(keys), "growth": bool(growth), "to_assets": bool(to_assets),
                                   "title": title})

    @pass_context
    def ratio_table(ctx, metrics, pp=False, peers=False):
        return _emit(T.ratio_table(_company(ctx), _keys(metrics), pp=pp, peers=peers),
                     "ratio_table", {"metrics": _keys(metrics), "pp": bool(pp), "peers": bool(peers)})

    @pass_context
    def records_table(ctx, block, fields, headers=None, where=None):
        return _emit(T.records_table(_company(ctx), str(block), _keys(fields), headers=headers, where=where),
                     "records_table", {"block": str(block), "fields": _keys(fields),
                                       "headers": _plain(headers), "where": _plain(where)})

    @pass_context
    def series_table(ctx, block, name="party", value="amounts", total_of=None, where=None, title=None):
        return _emit(T.series_table(_company(ctx), str(block), name=name, value=value, total_of=total_of,
                                    where=where, title=title),
                     "series_table", {"block": str(block), "name": str(name), "value": str(value),
                                      "total_of": total_of, "where": _plain(where), "title": title})

    return {
        "has": has,
        "rows": rows,
        "value": metric_call(M.value),
        "growth_of": metric_call(M.growth_of),
        "pp_change": metric_call(M.pp_change_of),
        "to_assets": metric_call(M.to_assets),
        "share_of": share_of,
        "cagr_of": cagr_of,
        "cagr_years": cagr_years,
        "base_period": base_period,
        "label": M.label_of,
        "growth_rate": _decimal_op(N.growth),  # growth_rate(current, previous): records' series
        "ratio_of": _decimal_op(N.ratio),  # ratio_of(part, whole) in %: e.g. output / capacity
        "fin_table": fin_table,
        "ratio_table": ratio_table,
        "records_table": records_table,
        "series_table": series_table,
    }


def _decimal_op(fn):
    """growth_rate / ratio_of for values a template holds (record series): None when undefined."""

    def op(a: Any, b: Any) -> Any:
        try:
            return fn(a, b)
        except (ValueError, TypeError, ArithmeticError):
            return None

    op.__name__ = fn.__name__
    return op


def _plain(v: Any) -> Any:
    """A template argument as plain JSON data (lists, dicts, strings, numbers)."""
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, Mapping):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    return str(v)


def _keys(v: Any) -> list[str]:
    if isinstance(v, str):
        return [v]
    return [str(x) for x in v]


_env_cache: dict[str, SandboxedEnvironment] = {}


def _bytecode_cache():
    """Compiled templates kept between runs (a large template takes 0.1 s to compile; loading its byte
    code takes a millisecond): under $DRAFTER_CACHE_DIR or the user's cache folder, keyed by template
    file and checked against its source, so an edited template is compiled again. None (no cache, each
    run compiles) when the folder cannot be made."""
    from jinja2 import FileSystemBytecodeCache

    from ..paths import cache_dir

    root = cache_dir()
    if root is None:
        return None
    folder = root / "templates-sandboxed"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder), "drafter-%s.cache")


def environment(templates_dir: str | Path | None = None) -> SandboxedEnvironment:
    key = str(templates_dir or TEMPLATES_DIR)
    env = _env_cache.get(key)
    if env is None:
        env = SandboxedEnvironment(
            loader=FileSystemLoader(key),
            undefined=MissingData,
            autoescape=False,
            finalize=_finalize,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            bytecode_cache=_bytecode_cache(),
        )
        env.globals.update(ph=_ph, literal=_literal, table=_table, h4=_h4, note=_note, part=_part, **_value_helpers(),
                           **_data_helpers())
        from ..numbers import jinja_filters  # the number engine's formatting filters

        filters = jinja_filters()
        for name, fmt in (("amount", "fmt_amount"), ("number", "fmt_number"), ("int", "fmt_int"),
                          ("count", "fmt_int"), ("pct", "fmt_pct"), ("pp", "fmt_pp"), ("pp_num", "fmt_pp_num"),
                          ("growth", "fmt_growth"), ("times", "fmt_times")):
            filters[name] = _keep_source(filters[name], fmt)
        filters["abs"] = _abs
        env.filters.update(filters)
        _env_cache[key] = env
    return env


def _abs(value: Any) -> Any:
    """`abs` that keeps a figure's provenance (高/低{{ x | abs | pp_num }}个百分点: the sign is in the words)."""
    r = abs(value)
    if isinstance(value, Sourced) and value.source:
        return Sourced(r, {**value.source, "abs": True, "sign": (value > 0) - (value < 0)})
    return r


def _keep_source(filt, fmt: str):
    """A number filter whose output keeps the provenance of a Sourced value."""

    def f(value: Any, *args: Any) -> Any:
        text = filt(value, *args)
        return _tag(text, value, fmt, args) if isinstance(value, Sourced) else text

    f.__name__ = getattr(filt, "__name__", fmt)
    return f


def template_exists(name: str, templates_dir: str | Path | None = None) -> bool:
    return (Path(templates_dir or TEMPLATES_DIR) / name).is_file()


def render_text(name: str, context: Mapping[str, Any], templates_dir: str | Path | None = None) -> str:
    """Render a template to its raw text (markers included). UserError for a broken template."""
    env = environment(templates_dir)
    try:
        tpl = env.get_template(name)
    except TemplateNotFound:
        raise UserError("template not found", file=str(Path(templates_dir or TEMPLATES_DIR) / name))
    except TemplateSyntaxError as e:
        raise UserError(f"template syntax error: {e.message}", file=e.filename or name, place=f"line {e.lineno}")
    return tpl.render(**dict(context))


def _runs(text: str) -> list[Run]:
    runs: list[Run] = []
    pos = 0
    for m in _RUN_MARKS.finditer(text):
        if m.start() > pos:
            runs.append(Run(text=text[pos : m.start()]))
        if m.group(2) is not None:  # a figure with its provenance
            try:
                src = json.loads(m.group(2))
            except ValueError:
                src = None
            runs.append(Run(text=m.group(3), source=src))
        else:
            runs.append(Run(text=m.group(1), placeholder=True))
        pos = m.end()
    if pos < len(text):
        runs.append(Run(text=text[pos:]))
    return [r for r in runs if r.text]


def text_to_blocks(text: str, tables: Mapping[str, Table] | None = None, style: str = "body") -> list[Block]:
    """Turn rendered template text into blocks: paragraphs split on blank lines, directives on their own."""
    tables = tables or {}
    blocks: list[Block] = []
    buf: list[str] = []

    def flush() -> None:
        joined = "".join(s.strip() for s in buf).strip()
        buf.clear()
        if joined:
            blocks.append(Paragraph(style=style, runs=_runs(joined)))

    for line in text.split("\n"):
        if line.startswith(DIRECTIVE):
            flush()
            kind, _, arg = line[1:].partition(SEP)
            if kind == "table":
                t = tables.get(arg)
                if t is None:
                    blocks.append(Paragraph(style=style, runs=[Run(text=placeholder_text(f"表格“{arg}”所需数据"), placeholder=True)]))
                else:
                    blocks.append(t)
            elif kind == "dtable":  # a declarative table (drafter.compose.tables), carried as JSON
                blocks.append(Table.model_validate_json(arg))
            elif kind == "part":
                continue  # split earlier by render_parts; ignored when rendering whole
            elif kind in ("heading4", "note"):
                blocks.append(Paragraph(style=kind, runs=_runs(arg)))
        elif not line.strip():
            flush()
        else:
            buf.append(line)
    flush()
    return blocks


def render_blocks(
    name: str,
    context: Mapping[str, Any],
    tables: Mapping[str, Table] | None = None,
    templates_dir: str | Path | None = None,
    style: str = "body",
) -> list[Block]:
    """Render template `name` with `context` into blocks.

    A datum the context lacks becomes a visible placeholder instead of a crash or a blank.
    """
    try:
        text = render_text(name, context, templates_dir)
    except UndefinedError as e:
        missing = _missing_name(str(e.message or e))
        return [
            Paragraph(
                style=style,
                runs=[Run(text=placeholder_text(f"模板{name}所需数据“{missing}”缺失,请补充公司数据或手工撰写本段"), placeholder=True)],
            )
        ]
    return text_to_blocks(text, tables, style)


class Part:
    """A piece of a rendered answer with the keywords that place it under a request."""

    def __init__(self, keywords: list[str], blocks: list[Block]):
        self.keywords = keywords
        self.blocks = blocks

    def score(self, text: str) -> int:
        return sum(1 for k in self.keywords if k and k in text)


def render_parts(
    name: str,
    context: Mapping[str, Any],
    tables: Mapping[str, Table] | None = None,
    templates_dir: str | Path | None = None,
) -> list[Part]:
    """Render `name` and split it at `{{ part("a|b") }}` lines; text before the first part has no keywords."""
    try:
        text = render_text(name, context, templates_dir)
    except UndefinedError:
        return [Part([], render_blocks(name, context, tables, templates_dir))]
    parts: list[Part] = []
    keywords: list[str] = []
    chunk: list[str] = []
    for line in text.split("\n"):
        if line.startswith(DIRECTIVE + "part" + SEP):
            if any(c.strip() for c in chunk) or parts or keywords:
                parts.append(Part(keywords, text_to_blocks("\n".join(chunk), tables)))
            keywords = [k.strip() for k in line.split(SEP, 1)[1].split("|") if k.strip()]
            chunk = []
        else:
            chunk.append(line)
    parts.append(Part(keywords, text_to_blocks("\n".join(chunk), tables)))
    return [p for p in parts if p.blocks]


def _missing_name(message: str) -> str:
    m = re.search(r"'([^']+)' is undefined", message) or re.search(r"has no attribute '([^']+)'", message)
    return m.group(1) if m else message
