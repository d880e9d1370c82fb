"""CLI commands for the question bank and the matcher:

    drafter match LETTER [--json] [--top N]
    drafter bank list | show ID | search TEXT | validate | eval [LABELS...]
    drafter forecast --company FILE [--json]
"""
from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

import click

from ..errors import UserError
from ..paths import PROJECT_DIR

bank_option = click.option(
    "--bank", "bank_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="question bank folder (default: the bundled question_bank/)",
)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, width: int) -> str:
    return s + " " * max(0, width - _width(s))


def _cut(s: str, width: int) -> str:
    out, w = "", 0
    for c in s:
        cw = 2 if unicodedata.east_asian_width(c) in "WF" else 1
        if w + cw > width - 1:
            return out + "…"
        out += c
        w += cw
    return out


def _echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _load(bank_dir):
    from ..match.bank import load_bank

    return load_bank(bank_dir)


def _default_corpus() -> Path:
    return PROJECT_DIR.parent / "shared" / "corpus"


def register(main: click.Group) -> None:
    """Add this module's commands to the `drafter` group."""

    # ------------------------------------------------------------------------------------- match
    @main.command("match")
    @click.argument("letter", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--json", "as_json", is_flag=True, help="print the matches as JSON")
    @click.option("--top", "top", type=click.IntRange(1, 20), default=3, show_default=True,
                  help="topics shown per question/request")
    @bank_option
    def match_cmd(letter: Path, as_json: bool, top: int, bank_dir: Path | None) -> None:
        """Rank question-bank topics for every question and request of LETTER (.txt/.docx/.pdf)."""
        from ..match import match_letter
        from ..parse import parse_file

        parsed = parse_file(letter)
        bank = _load(bank_dir)
        result = match_letter(parsed, bank, top_n=max(top, 5) if as_json else top)
        if as_json:
            _echo_json(result.model_dump(mode="json"))
            return
        names = {tid: t.name for tid, t in bank.topics.items()}
        shown = {t.id for q in result.questions for t in q.topics[:top]}
        shown |= {t.id for q in result.questions for r in q.requests for t in r.topics[:top]}
        nw = max((_width(names.get(tid, "")) for tid in shown), default=0)
        iw = max((len(tid) for tid in shown), default=0) + 2
        for q in result.questions:
            head = f"{q.label}{q.title}" if q.title else f"问题{q.number}"
            click.echo(head)
            for i, t in enumerate(q.topics[:top]):
                lead = "  题目 " if i == 0 else "       "
                click.echo(f"{lead}{_pad(t.id, iw)}{t.score:5.1f}  {_pad(names.get(t.id, ''), nw)}  {t.reason}")
            lw = max([len(r.id) + 3 for r in q.requests] + [7])
            for r in q.requests:
                for i, t in enumerate(r.topics[:top]):
                    lead = _pad(f"  {r.id}", lw) if i == 0 else " " * lw
                    click.echo(f"{lead}{_pad(t.id, iw + 7 - lw)}{t.score:5.1f}  {_pad(names.get(t.id, ''), nw)}  "
                               f"{t.reason}")
                if not r.topics:
                    click.echo(f"{_pad('  ' + r.id, lw)}(无匹配主题)")
            click.echo("")

    # -------------------------------------------------------------------------------------- bank
    @main.group("bank")
    def bank_group() -> None:
        """The question bank: list, show, search, validate, evaluate the matcher."""

    @bank_group.command("list")
    @click.option("--json", "as_json", is_flag=True)
    @bank_option
    def bank_list(as_json: bool, bank_dir: Path | None) -> None:
        """Every topic: id, name, group, keywords, exemplars, templates."""
        bank = _load(bank_dir)
        rows = [
            {"id": t.id, "name": t.name, "group": t.group, "parent": t.parent, "keywords": len(t.keywords),
             "exemplars": len(t.exemplars), "templates": t.templates, "triggers": len(t.triggers)}
            for t in bank.topics.values()
        ]
        if as_json:
            _echo_json(rows)
            return
        click.echo(f"{_pad('id', 26)}{_pad('名称', 26)}{_pad('组', 11)}关键词 例句 触发 模板")
        for r in rows:
            click.echo(f"{_pad(r['id'], 26)}{_pad(_cut(r['name'], 25), 26)}{_pad(r['group'], 11)}"
                       f"{r['keywords']:6d} {r['exemplars']:4d} {r['triggers']:4d} {', '.join(r['templates'])}")
        click.echo(f"{len(rows)} topics")

    @bank_group.command("show")
    @click.argument("topic_id")
    @click.option("--json", "as_json", is_flag=True)
    @bank_option
    def bank_show(topic_id: str, as_json: bool, bank_dir: Path | None) -> None:
        """One topic in full."""
        bank = _load(bank_dir)
        t = bank.get(topic_id)  # UserError for an unknown id
        if as_json:
            _echo_json(t.model_dump(mode="json"))
            return
        tax = bank.taxonomy.topics.get(t.parent or t.id)
        click.echo(f"{t.id} — {t.name} ({bank.taxonomy.groups.get(t.group, t.group)})")
        if tax and tax.scope:
            click.echo(f"范围: {tax.scope}")
        click.echo(f"文件: {bank.files.get(t.id)}")
        if t.parent:
            click.echo(f"上级主题: {t.parent}")
        if t.aliases:
            click.echo("别名: " + "、".join(t.aliases))
        if t.keywords:
            kws = sorted(t.keywords.items(), key=lambda kv: (-kv[1], kv[0]))
            click.echo("关键词: " + ", ".join(f"{k}({w:g})" for k, w in kws))
        click.echo(f"适用: {', '.join(t.offerings)}; 板块: {', '.join(t.boards)}")
        for title, items in (("例句", t.exemplars), ("依据", t.references), ("数据字段", t.data_fields),
                             ("模板", t.templates), ("底稿", t.evidence), ("核查意见", t.conclusions)):
            if items:
                click.echo(f"{title}:")
                for x in items:
                    click.echo(f"  - {x}")
        for party, procs in t.procedures.items():
            click.echo(f"核查程序 ({party}):")
            for x in procs:
                click.echo(f"  - {x}")
        if t.triggers:
            click.echo("数据触发:")
            for tr in t.triggers:
                click.echo(f"  - {tr.metric} {tr.op} {tr.value:g} ({tr.when}): {tr.reason}")

    @bank_group.command("search")
    @click.argument("text", nargs=-1, required=True)
    @click.option("--limit", type=click.IntRange(1, 100), default=8, show_default=True)
    @click.option("--json", "as_json", is_flag=True)
    @bank_option
    def bank_search(text: tuple[str, ...], limit: int, as_json: bool, bank_dir: Path | None) -> None:
        """Topics whose names, keywords or exemplars resemble TEXT."""
        from ..match import search_topics

        bank = _load(bank_dir)
        hits = search_topics(bank, " ".join(text), limit=limit)
        if as_json:
            _echo_json([{"id": t.id, "name": t.name, "score": s, "reason": r} for t, s, r in hits])
            return
        if not hits:
            click.echo("no topic matches")
            return
        for t, s, r in hits:
            click.echo(f"{_pad(t.id, 26)}{s:5.1f}  {_pad(_cut(t.name, 21), 22)}{r}")

    @bank_group.command("validate")
    @bank_option
    @click.option("--templates", "templates_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                  help="templates folder (default: templates/ beside the bank)")
    @click.option("--rules", "rules_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  help="conclusion rules file (default: the bundled drafter/data/rules/conclusions.yaml)")
    def bank_validate(bank_dir: Path | None, templates_dir: Path | None, rules_file: Path | None) -> None:
        """Check every topic file (schema, taxonomy, templates, YAML, duplicates), the conclusion rules
        (regular expressions, fields) and every answer template (syntax, names, a trial render); exit 2
        on any problem."""
        from ..compose.template_check import validate_all
        from ..match.bank import _topic_files, _bank_dir

        problems = validate_all(bank_dir, templates_dir=templates_dir, rules_file=rules_file)
        if problems:
            for p in problems:
                click.echo(p)
            click.echo(f"{len(problems)} problem(s)", err=True)
            sys.exit(2)
        n = len(_topic_files(_bank_dir(bank_dir)))
        click.echo(f"question bank OK: {n} topic files, conclusion rules OK")

    @bank_group.command("eval")
    @click.argument("labels", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--corpus", "corpus_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                  help="folder holding the labelled letters (default: ../shared/corpus)")
    @click.option("--json", "as_json", is_flag=True)
    @click.option("--misses", is_flag=True, help="list every request whose top-1 topic is wrong")
    @click.option("--real", "real_dirs", multiple=True, type=click.Path(file_okay=False, path_type=Path),
                  help="score a folder of labelled real letters (<id>.txt + <id>.yaml) instead; repeatable")
    @bank_option
    def bank_eval(labels: tuple[Path, ...], corpus_dir: Path | None, as_json: bool, misses: bool,
                  real_dirs: tuple[Path, ...], bank_dir: Path | None) -> None:
        """How well drafter reads and matches hand-labelled letters.

        By default: the request/question topics of tests/data/labels_*.yaml, then the real letters of
        tests/data/real/dev (tuned on) and tests/data/real/heldout (never tuned on), each scored for
        questions found, request counts, question top-1 and the letter's kind, sender and subject word.
        With --real DIR: only those folders."""
        from ..match import LevelScore, evaluate, load_labels, match_letter
        from ..parse import parse_file

        bank = _load(bank_dir)
        if real_dirs:
            real_out = _eval_real(list(real_dirs), bank, misses, as_json)
            if as_json:
                _echo_json({"real": real_out})
            return
        real = [] if labels else [d for d in (PROJECT_DIR / "tests" / "data" / "real" / "dev",
                                              PROJECT_DIR / "tests" / "data" / "real" / "heldout") if d.is_dir()]
        files = list(labels) or sorted((PROJECT_DIR / "tests" / "data").glob("labels_*.yaml"))
        if not files:
            raise UserError("no labels files given (and none in tests/data/labels_*.yaml)")
        corpus = corpus_dir or _default_corpus()
        reports = []
        for f in files:
            lab = load_labels(f)
            letter_path = Path(lab.letter)
            if not letter_path.is_absolute():
                beside = f.parent / letter_path
                letter_path = beside if beside.exists() else corpus / letter_path
            if not letter_path.exists():
                raise UserError(f"labelled letter {lab.letter} not found (use --corpus DIR)", file=str(f))
            reports.append(evaluate(match_letter(parse_file(letter_path), bank), lab))
        total_r, total_q = LevelScore(), LevelScore()
        for r in reports:
            total_r.add(r.requests)
            total_q.add(r.questions)
        if as_json:
            real_out = _eval_real(real, bank, misses, as_json)

            def level(s):
                return {"total": s.total, "top1": s.top1, "top3": s.top3, "top1_rate": round(s.top1_rate, 4),
                        "top3_rate": round(s.top3_rate, 4), "top1_primary": s.top1_primary,
                        "missing": s.missing, "misses": [m.model_dump() for m in s.misses]}
            _echo_json({"letters": [{"letter": r.letter, "requests": level(r.requests),
                                     "questions": level(r.questions)} for r in reports],
                        "total": {"requests": level(total_r), "questions": level(total_q)},
                        "real": real_out})
            return

        def line(name: str, s) -> str:
            extra = f", {len(s.missing)} labelled id(s) not in the parsed letter" if s.missing else ""
            return (f"{name:10s} top-1 {s.top1:3d}/{s.total:<3d} {s.top1_rate:6.1%}   "
                    f"top-3 {s.top3:3d}/{s.total:<3d} {s.top3_rate:6.1%}   primary {s.top1_primary}{extra}")
        for r in reports:
            click.echo(r.letter)
            click.echo("  " + line("requests", r.requests))
            click.echo("  " + line("questions", r.questions))
            if misses:
                for m in r.requests.misses + r.questions.misses:
                    click.echo(f"    miss {m.id}: want {m.expected}, got {', '.join(m.got) or '-'}")
                for mid in r.requests.missing:
                    click.echo(f"    missing request id {mid}")
        if len(reports) > 1:
            click.echo("all")
            click.echo("  " + line("requests", total_r))
            click.echo("  " + line("questions", total_q))
        _eval_real(real, bank, misses, as_json)

    def _eval_real(dirs: list[Path], bank, misses: bool, as_json: bool) -> dict:
        """Score each folder of real letters; print the figures (unless JSON) and return them."""
        from ..match import match_letter
        from ..match.devset import describe, load_real, misses as letter_misses, score_letter, summarise
        from ..models import Letter
        from ..parse import parse_file

        out = {}
        for d in dirs:
            scores = []
            for lab in load_real(d):
                try:
                    letter = parse_file(lab.text_path)
                except UserError:  # no question read at all: every labelled question counts as lost
                    letter = Letter(source=str(lab.text_path))
                scores.append(score_letter(lab, letter, match_letter(letter, bank)))
            total = summarise(scores)
            out[str(d)] = {"summary": total.model_dump(),
                           "letters": [dict(s.model_dump(exclude={"questions"}), misses=letter_misses(s))
                                       for s in scores]}
            if as_json:
                continue
            click.echo(f"real letters: {d}")
            for line in describe(total):
                click.echo("  " + line)
            if misses:
                for s in scores:
                    for m in letter_misses(s):
                        click.echo(f"    {s.id}: {m}")
        return out

    # ---------------------------------------------------------------------------------- forecast
    @main.command("forecast")
    @click.option("--company", "company", required=True, type=click.Path(dir_okay=False, path_type=Path),
                  help="company data (YAML or XLSX)")
    @click.option("--json", "as_json", is_flag=True)
    @bank_option
    def forecast_cmd(company: Path, as_json: bool, bank_dir: Path | None) -> None:
        """Topics a letter is likely to raise, from the company's figures (before any letter arrives)."""
        from ..company import load_company
        from ..match.forecast import forecast

        profile = load_company(company)
        topics = forecast(profile, _load(bank_dir))
        if as_json:
            _echo_json({"topics": [t.model_dump(mode="json", exclude={"triggers"}) for t in topics]})
            return
        if not topics:
            click.echo("no data trigger holds: no topic forecast from the figures alone")
            return
        for t in topics:
            click.echo(f"{t.id} — {t.name}")
            for f in t.figures:
                click.echo(f"    {f}")
            click.echo(f"    原因: {t.reason}")
