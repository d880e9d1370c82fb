"""The question bank: one YAML file per topic in `question_bank/<id>.yaml`, checked against the taxonomy.

    load_bank(path=None) -> Bank        every topic, schema-checked (UserErrors listing each bad file)
    validate_bank(path=None) -> list    every problem as "file:line: message" (schema, taxonomy, templates,
                                        bad YAML, duplicate exemplars/keys/ids), [] when the bank is sound

A loaded bank is cached in memory per folder (re-read when a file changes), so repeated calls are free;
the matcher keeps its precomputed index on the Bank object.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .bank_schema import Topic
from ..errors import UserError, UserErrors
from ..paths import BANK_DIR, TEMPLATES_DIR, taxonomy_path

try:  # the C loader is several times faster; fall back when PyYAML was built without libyaml
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

TAXONOMY_FILE = "_taxonomy.yaml"

# Figures a trigger may name: the metric names agreed with drafter.company.metrics.metric_series.
KNOWN_METRICS = frozenset(
    """revenue_growth revenue_cagr net_profit_growth gross_margin selling_expense_ratio admin_expense_ratio
    rd_expense_ratio financial_expense_ratio receivables_to_revenue receivables_turnover inventory_turnover
    inventory_to_current_assets debt_ratio top5_customer_share top5_supplier_share export_share
    related_party_sales_share peer_gross_margin_avg gross_margin_vs_peers peer_rd_ratio_avg rd_ratio_vs_peers
    peer_expense_ratio_avg peer_selling_expense_ratio_avg peer_admin_expense_ratio_avg
    peer_financial_expense_ratio_avg peer_rd_expense_ratio_avg selling_expense_ratio_vs_peers
    admin_expense_ratio_vs_peers operating_cash_to_net_profit financial_investment_to_net_assets_parent
    bond_balance_to_net_assets""".split()
)


@dataclass(frozen=True)
class TaxonomyTopic:
    id: str
    name: str
    group: str
    scope: str = ""
    line: int = 0  # line in the taxonomy file


@dataclass
class Taxonomy:
    path: Path
    groups: dict[str, str]
    topics: dict[str, TaxonomyTopic]


@dataclass
class Bank:
    """The loaded question bank. `topics` maps topic id -> Topic, in taxonomy order."""

    path: Path
    topics: dict[str, Topic]
    taxonomy: Taxonomy
    files: dict[str, Path] = field(default_factory=dict)  # topic id -> its YAML file
    _index: Any = field(default=None, repr=False, compare=False)  # the matcher's precomputed index

    def get(self, topic_id: str) -> Topic:
        """The topic, or a UserError naming the unknown id."""
        try:
            return self.topics[topic_id]
        except KeyError:
            from rapidfuzz import process

            by_name = [t.id for t in self.topics.values() if topic_id and (topic_id == t.name or topic_id in t.aliases)]
            near = by_name or [m[0] for m in process.extract(topic_id, list(self.topics), limit=3, score_cutoff=80)]
            hint = f"did you mean {', '.join(near)}? " if near else ""
            raise UserError(f"unknown topic id {topic_id!r} ({hint}see `drafter bank list`)") from None

    def __contains__(self, topic_id: object) -> bool:
        return topic_id in self.topics

    def __len__(self) -> int:
        return len(self.topics)

    def search(self, text: str, limit: int = 10) -> list[tuple[Topic, float, str]]:
        """Topics whose id, name, aliases, keywords or exemplars resemble `text`, best first."""
        from . import search_topics

        return search_topics(self, text, limit=limit)


# --------------------------------------------------------------------------------------------- paths
def _bank_dir(path: str | Path | None) -> Path:
    p = Path(path) if path is not None else BANK_DIR
    if not p.exists():
        raise UserError("question bank folder not found", file=str(p))
    if not p.is_dir():
        raise UserError("is not a folder (the question bank is a folder of <topic id>.yaml files)", file=str(p))
    return p


def _taxonomy_file(bank_dir: Path) -> Path:
    own = bank_dir / TAXONOMY_FILE
    return own if own.exists() else taxonomy_path()


def _templates_dir(bank_dir: Path, templates_dir: str | Path | None) -> Path:
    if templates_dir is not None:
        if not Path(templates_dir).is_dir():
            raise UserError("templates folder not found", file=str(templates_dir))
        return Path(templates_dir)
    beside = bank_dir.parent / "templates"
    return beside if beside.is_dir() else TEMPLATES_DIR


def _topic_files(bank_dir: Path) -> list[Path]:
    return sorted(p for p in bank_dir.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith("_"))


def _read_text(p: Path) -> str:
    """A bank or taxonomy file's text; UserError (naming the file) when it is not UTF-8 or unreadable."""
    try:
        return p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UserError("not UTF-8 text; save it as UTF-8", file=str(p)) from None
    except OSError as e:
        raise UserError(f"cannot read: {e.strerror or e}", file=str(p)) from None


def _rel(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


# ------------------------------------------------------------------------------------------ taxonomy
_TAX_CACHE: dict[Path, tuple[int, Taxonomy]] = {}


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """The topic ids of the shared taxonomy (question_bank/_taxonomy.yaml)."""
    p = Path(path) if path is not None else taxonomy_path()
    try:
        stamp = p.stat().st_mtime_ns
    except OSError:
        raise UserError("taxonomy file not found", file=str(p)) from None
    hit = _TAX_CACHE.get(p)
    if hit and hit[0] == stamp:
        return hit[1]
    text = _read_text(p)
    try:
        data = yaml.load(text, Loader=_Loader) or {}
    except yaml.YAMLError as e:
        raise UserError(f"bad YAML: {_yaml_problem(e)}", file=str(p), place=_yaml_line(e)) from None
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.get("topics") or []):
        raise UserError("not a taxonomy: expected `groups:` and a list of `topics:` with id, name, group", file=str(p))
    lines = text.splitlines()
    topics: dict[str, TaxonomyTopic] = {}
    for t in data.get("topics") or []:
        tid = str(t.get("id"))
        line = next((i + 1 for i, ln in enumerate(lines) if re.search(rf"\bid:\s*{re.escape(tid)}\b", ln)), 0)
        topics[tid] = TaxonomyTopic(tid, str(t.get("name", "")), str(t.get("group", "")), str(t.get("scope", "")), line)
    tax = Taxonomy(p, dict(data.get("groups") or {}), topics)
    _TAX_CACHE[p] = (stamp, tax)
    return tax


# ------------------------------------------------------------------------------------------- loading
_BANK_CACHE: dict[Path, tuple[tuple, Bank]] = {}


def _signature(files: list[Path], tax_file: Path) -> tuple:
    sig = []
    for p in [*files, tax_file]:
        st = p.stat()
        sig.append((p.name, st.st_mtime_ns, st.st_size))
    return tuple(sig)


def load_bank(path: str | Path | None = None) -> Bank:
    """Load every topic file of the bank folder (default: the project's question_bank/).

    Raises UserErrors listing every file that is not valid YAML or does not fit the schema, or whose
    id is unknown to the taxonomy. Missing templates and duplicate exemplars do not stop loading
    (`validate_bank` reports them). The result is cached until a file changes.
    """
    bank_dir = _bank_dir(path)
    key = bank_dir.resolve()
    files = _topic_files(bank_dir)
    tax_file = _taxonomy_file(bank_dir)
    sig = _signature(files, tax_file)
    hit = _BANK_CACHE.get(key)
    if hit and hit[0] == sig:
        return hit[1]
    cached = _disk_get(key, sig)
    if cached is not None:
        _BANK_CACHE[key] = (sig, cached)
        return cached

    taxonomy = load_taxonomy(tax_file)
    errors: list[UserError] = []
    loaded: dict[str, tuple[Topic, Path]] = {}
    if not files:
        raise UserError("no topic files (<topic id>.yaml) in this question bank folder", file=str(bank_dir))
    for f in files:
        try:
            text = _read_text(f)
        except UserError as e:
            errors.append(e)
            continue
        try:
            data = yaml.load(text, Loader=_Loader)
        except yaml.YAMLError as e:
            errors.append(UserError(f"bad YAML: {_yaml_problem(e)}", file=str(f), place=_yaml_line(e)))
            continue
        if not isinstance(data, dict):
            errors.append(UserError("a topic file must be a mapping (id:, name:, keywords: ...)", file=str(f)))
            continue
        try:
            topic = Topic.model_validate(data)
        except ValidationError as e:
            for err in e.errors():
                line = _line_of(text, err["loc"])
                errors.append(UserError(_pydantic_message(err), file=str(f), place=f"line {line}" if line else None))
            continue
        known = topic.id in taxonomy.topics or (topic.parent is not None and topic.parent in taxonomy.topics)
        if not known:
            what = f"parent {topic.parent!r}" if topic.parent else f"id {topic.id!r}"
            errors.append(UserError(f"unknown topic {what}: not in the taxonomy", file=str(f),
                                    place=f"line {_line_of(text, ('parent' if topic.parent else 'id',)) or 1}"))
            continue
        if topic.id in loaded:
            errors.append(UserError(f"topic id {topic.id!r} already defined in {loaded[topic.id][1].name}", file=str(f)))
            continue
        loaded[topic.id] = (topic, f)
    if errors:
        raise UserErrors(errors)

    order = {tid: i for i, tid in enumerate(taxonomy.topics)}
    ids = sorted(loaded, key=lambda t: (order.get(t, order.get(loaded[t][0].parent or "", len(order))), t))
    bank = Bank(
        path=bank_dir,
        topics={tid: loaded[tid][0] for tid in ids},
        taxonomy=taxonomy,
        files={tid: loaded[tid][1] for tid in ids},
    )
    _BANK_CACHE[key] = (sig, bank)
    if not errors:
        _disk_put(key, sig, bank)
    return bank


# ---------------------------------------------------------------------------------------- disk cache
# The loaded bank and the matcher's index, kept between runs (loading 59 YAML files and indexing their
# exemplars is a tenth of a second of every command): one pickle per bank folder under
# $DRAFTER_CACHE_DIR or the user's cache folder, used only while every topic file and the taxonomy
# have the same names, sizes and modification times, and the same drafter, matcher code and Python wrote it.


def _cache_file(key: Path) -> Path | None:
    import hashlib
    import sys

    from .. import __version__
    from ..paths import cache_dir

    root = cache_dir()
    if root is None:
        return None
    # the pickle holds the matcher's index too: a change to the code that builds it makes a new cache
    try:
        code = ";".join(f"{p.name}:{p.stat().st_mtime_ns}:{p.stat().st_size}"
                        for p in sorted(Path(__file__).parent.glob("*.py")))
    except OSError:  # pragma: no cover
        code = ""
    tag = hashlib.sha1(f"{key}|{__version__}|{sys.version}|{code}".encode()).hexdigest()[:16]
    return root / "bank" / f"bank-{tag}.pickle"


def _disk_get(key: Path, sig: tuple) -> Bank | None:
    import pickle

    f = _cache_file(key)
    if f is None or not f.is_file():
        return None
    try:
        with f.open("rb") as fh:
            stored_sig, bank = pickle.load(fh)
    except Exception:  # noqa: BLE001 - a stale, partial or foreign cache file is ignored and rewritten
        return None
    return bank if stored_sig == sig and isinstance(bank, Bank) else None


def _disk_put(key: Path, sig: tuple, bank: Bank) -> None:
    import os
    import pickle
    import tempfile

    f = _cache_file(key)
    if f is None:
        return
    try:
        from . import index_for  # the matcher's index travels with the bank

        index_for(bank)
        f.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=f.parent, prefix=".bank-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((sig, bank), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, f)
    except OSError:
        return  # a read-only cache folder: the next run loads the files again


# ---------------------------------------------------------------------------------------- validation
def validate_bank(path: str | Path | None = None, templates_dir: str | Path | None = None) -> list[str]:
    """Every problem of the bank as "file:line: message" ([] when sound).

    Checks each topic file against the schema and the taxonomy (unknown id or parent, file name not the
    id, group differing from the taxonomy, duplicate id), bad YAML, duplicate keys in a mapping,
    templates named in `templates:` but absent under templates/, exemplars repeated within or across
    topics (after normalising), trigger metrics unknown to drafter.company.metrics, taxonomy ids
    without a topic file. The conclusion rules and the answer templates are checked by
    drafter.compose.template_check.validate_all, which `drafter bank validate` runs (it calls this).
    """
    bank_dir = _bank_dir(path)
    tpl_dir = _templates_dir(bank_dir, templates_dir)
    tax_file = _taxonomy_file(bank_dir)
    problems: list[str] = []
    try:
        taxonomy = load_taxonomy(tax_file)
    except UserError as e:
        return [str(e)]

    known_metrics = set(KNOWN_METRICS)
    try:  # whatever the company module computes is fair game too
        from ..company.metrics import METRIC_LABELS as _company_metrics

        known_metrics |= set(_company_metrics)
    except ImportError:  # pragma: no cover
        pass
    seen_ids: dict[str, str] = {}
    seen_exemplars: dict[str, str] = {}  # normalised exemplar -> "file:line"
    for f in _topic_files(bank_dir):
        where = _rel(f)
        try:
            text = _read_text(f)
        except UserError as e:
            problems.append(f"{where}:1: {e.message}")
            continue
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
            data = yaml.load(text, Loader=_Loader)
        except yaml.YAMLError as e:
            line = getattr(getattr(e, "problem_mark", None), "line", None)
            problems.append(f"{where}:{(line + 1) if line is not None else 1}: bad YAML: {_yaml_problem(e)}")
            continue
        if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
            problems.append(f"{where}:1: a topic file must be a mapping (id:, name:, keywords: ...)")
            continue
        lines = _NodeLines(node)
        for line, key in _duplicate_keys(node):
            problems.append(f"{where}:{line}: duplicate key {key!r} (the later one silently wins)")

        try:
            topic = Topic.model_validate(data)
        except ValidationError as e:
            for err in e.errors():
                problems.append(f"{where}:{lines.line(err['loc'])}: {_pydantic_message(err)}")
            topic = None

        tid = data.get("id")
        parent = data.get("parent")
        if isinstance(tid, str):
            if parent:
                if parent not in taxonomy.topics:
                    problems.append(f"{where}:{lines.line(('parent',))}: unknown parent {parent!r}: not a taxonomy id")
            elif tid not in taxonomy.topics:
                problems.append(f"{where}:{lines.line(('id',))}: unknown topic id {tid!r}: not in the taxonomy "
                                f"(add a child topic with `parent:` instead)")
            if f.stem != tid:
                problems.append(f"{where}:{lines.line(('id',))}: file name should be {tid}.yaml (id is {tid!r})")
            if tid in seen_ids:
                problems.append(f"{where}:{lines.line(('id',))}: topic id {tid!r} already defined in {seen_ids[tid]}")
            seen_ids.setdefault(tid, where)
            tax = taxonomy.topics.get(parent or tid)
            group = data.get("group")
            if tax and isinstance(group, str) and group != tax.group:
                problems.append(f"{where}:{lines.line(('group',))}: group {group!r} differs from the taxonomy's "
                                f"{tax.group!r} for {tax.id}")

        for i, tpl in enumerate(data.get("templates") or []):
            if isinstance(tpl, str) and not (tpl_dir / tpl).is_file():
                problems.append(f"{where}:{lines.line(('templates', i))}: missing template {tpl!r} "
                                f"(not found under {_rel(tpl_dir)}/)")

        for i, ex in enumerate(data.get("exemplars") or []):
            if not isinstance(ex, str):
                continue
            norm = _norm_exemplar(ex)
            here = f"{where}:{lines.line(('exemplars', i))}"
            if not norm:
                problems.append(f"{here}: empty exemplar")
            elif norm in seen_exemplars:
                problems.append(f"{here}: duplicate exemplar (same as {seen_exemplars[norm]}): {ex[:30]}")
            else:
                seen_exemplars[norm] = here

        if topic is not None:
            for i, trig in enumerate(topic.triggers):
                if trig.metric not in known_metrics:
                    problems.append(f"{where}:{lines.line(('triggers', i, 'metric'))}: unknown metric "
                                    f"{trig.metric!r} in trigger (see drafter.company.metrics)")
            for kw, w in topic.keywords.items():
                if not kw.strip():
                    problems.append(f"{where}:{lines.line(('keywords',))}: empty keyword")
                if w <= 0:
                    problems.append(f"{where}:{lines.line(('keywords', kw))}: keyword {kw!r} needs a positive weight")

    tax_where = _rel(tax_file)
    for tid, t in taxonomy.topics.items():
        if tid not in seen_ids:
            problems.append(f"{tax_where}:{t.line or 1}: no topic file for taxonomy id {tid!r} "
                            f"(expected {_rel(bank_dir / (tid + '.yaml'))})")
    return problems


def _norm_exemplar(text: str) -> str:
    t = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s\W_]+", "", t).lower()


class _NodeLines:
    """Map a pydantic/error location (keys and list indexes) to a 1-based line of the YAML file."""

    def __init__(self, root: yaml.Node):
        self.root = root

    def line(self, loc: tuple | list) -> int:
        node = self.root
        best = node.start_mark.line + 1
        for part in loc:
            child = None
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if k.value == str(part):
                        best = k.start_mark.line + 1
                        child = v
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                child = node.value[part]
                best = child.start_mark.line + 1
            if child is None:
                break
            node = child
        return best


def _duplicate_keys(node: yaml.Node) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for k, v in node.value:
            if k.value in seen:
                out.append((k.start_mark.line + 1, k.value))
            seen.add(k.value)
            out.extend(_duplicate_keys(v))
    elif isinstance(node, yaml.SequenceNode):
        for v in node.value:
            out.extend(_duplicate_keys(v))
    return out


def _line_of(text: str, loc: tuple | list) -> int | None:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    return _NodeLines(node).line(loc) if node is not None else None


def _pydantic_message(err: dict) -> str:
    loc = ".".join(str(p) for p in err.get("loc", ()))
    msg = err.get("msg", "invalid")
    if err.get("type") == "extra_forbidden":
        msg = "unknown field (not in the topic schema)"
    return f"{loc}: {msg}" if loc else msg


def _yaml_problem(e: yaml.YAMLError) -> str:
    problem = getattr(e, "problem", None) or str(e).splitlines()[0]
    return str(problem)


def _yaml_line(e: yaml.YAMLError) -> str | None:
    mark = getattr(e, "problem_mark", None)
    return f"line {mark.line + 1}" if mark is not None else None
