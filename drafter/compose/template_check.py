"""Check answer templates the way `drafter bank validate` reports problems: "file:line: message".

For every template under <templates>/answers/:
- it parses (a Jinja syntax error names its line);
- every name it reads is one a template is given (the render context, the helpers, its own variables):
  a misspelt helper or variable is reported, not left to become a placeholder in someone's draft;
- it renders against the bundled example company (which fills every data block) for a request that asks
  everything, and against no company at all, without an error and without falling back to the
  one-paragraph "模板…所需数据…缺失" placeholder (a misspelt metric, block or field raises there).
"""
from __future__ import annotations

from pathlib import Path

from jinja2 import TemplateSyntaxError, meta, nodes

from ..models import Letter, Question, Request
from ..paths import EXAMPLES_DIR
from .templating import environment, render_blocks
from . import computed
from .answers import request_context
from .context import build_names

# names the render context gives a template besides the environment's globals
CONTEXT_NAMES = {"company", "names", "periods", "period_labels", "latest", "f", "request", "requests",
                 "question", "first", "asks", "elsewhere", "answer_here", "answer_once", "loop", "self", "varargs",
                 "kwargs", "caller", "range", "dict", "namespace", "lipsum", "cycler", "joiner"}
FALLBACK = "所需数据"


def _rel(p: Path) -> str:
    try:
        return str(p.relative_to(Path.cwd()))
    except ValueError:
        return str(p)


def template_problems(templates_dir: str | Path) -> list[str]:
    """Every problem of the answer templates under `templates_dir`/answers as "file:line: message"."""
    tpl_dir = Path(templates_dir)
    env = environment(tpl_dir)
    known = set(env.globals) | CONTEXT_NAMES
    problems: list[str] = []
    example = None
    company_file = EXAMPLES_DIR / "company.yaml"
    if company_file.is_file():
        from ..company import load_company

        example = load_company(company_file)
    for path in sorted((tpl_dir / "answers").glob("*.j2")):
        where = _rel(path)
        source = path.read_text(encoding="utf-8")
        try:
            ast = env.parse(source)
        except TemplateSyntaxError as e:
            problems.append(f"{where}:{e.lineno}: template syntax error: {e.message}")
            continue
        assigned = {n.name for n in ast.find_all(nodes.Name) if n.ctx in ("store", "param")}
        for name in sorted(meta.find_undeclared_variables(ast) - known - assigned):
            line = next((i for i, ln in enumerate(source.splitlines(), 1) if name in ln), 1)
            problems.append(f"{where}:{line}: unknown name {name!r}: not a template helper nor in the render context")
        problems += _render_problems(path, where, example)
    return problems


def _render_problems(path: Path, where: str, example) -> list[str]:
    out: list[str] = []
    text = "请说明" + path.stem  # a request that asks everything (every asks() is true below)
    req = Request(id="1", label="", text=text)
    q = Question(number=1, label="1.", title=path.stem, text=text, requests=[req])
    for company, what in ((example, "the example company"), (None, "no company data")):
        if company is None and what == "the example company":
            continue
        names = build_names(Letter(source="check", questions=[q]), company)
        try:
            ctx, tables = computed.context_for(path.stem, company, names)
            rc = request_context(q, req, [req])
            rc["asks"] = rc["answer_here"] = rc["answer_once"] = lambda kw="": True
            blocks = render_blocks(f"answers/{path.name}", {**ctx, **rc}, tables, path.parent.parent)
        except Exception as e:  # noqa: BLE001 - reported as the template's problem, with its message
            out.append(f"{where}:1: fails to render with {what}: {type(e).__name__}: {e}")
            continue
        texts = [b.text for b in blocks if getattr(b, "kind", "") == "paragraph"]
        if any(f"模板answers/{path.name}{FALLBACK}" in t for t in texts):
            missing = next(t for t in texts if FALLBACK in t)
            out.append(f"{where}:1: with {what} the whole answer falls back to one placeholder ({missing[:60]})")
    return out


def validate_all(bank: str | Path | None = None, templates_dir: str | Path | None = None,
                 rules_file: str | Path | None = None) -> list[str]:
    """What `drafter bank validate` reports: the bank (drafter.match.bank.validate_bank), the conclusion
    rules (drafter/data/rules/conclusions.yaml or `rules_file`) and every answer template."""
    from ..match.bank import _bank_dir, _templates_dir, validate_bank
    from .conclusion_rules import validate_rules

    problems = validate_bank(bank, templates_dir=templates_dir)
    problems += validate_rules(rules_file)
    problems += template_problems(_templates_dir(_bank_dir(bank), templates_dir))
    return problems
