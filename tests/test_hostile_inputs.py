"""Hostile and broken inputs (issue 12): each is built small at test time in tmp_path and must give one
clear line and exit 2 (or a correct result), bounded in time and memory, with no file lost.

Commands run in a subprocess under a memory limit (RLIMIT_AS) and a generous timeout: the bound is
the point (a hang or an allocation of gigabytes fails the test), not a measured speed.
"""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MEMORY = 1536 * 1024 * 1024  # bytes of address space a command may use
TIMEOUT = 60  # seconds: generous; the slowest case here takes a few
EXAMPLES = ROOT / "examples"

try:
    import resource
except ImportError:  # pragma: no cover - not on POSIX
    resource = None

pytestmark = pytest.mark.skipif(resource is None or not hasattr(os, "mkfifo"), reason="POSIX only (rlimit, FIFO)")


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def drafter(*args, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "drafter", *map(str, args)], capture_output=True, text=True,
                          timeout=TIMEOUT, preexec_fn=_limits, cwd=cwd,
                          env={**os.environ, "DRAFTER_LIBRARY": str(cwd or ROOT) + "/no-library.sqlite3", **(env or {})})


def python(code: str, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code), *map(str, args)], capture_output=True,
                          text=True, timeout=TIMEOUT, preexec_fn=_limits)


def one_line(r: subprocess.CompletedProcess, *needles: str, code: int = 2) -> str:
    """The error contract: exit 2, one line on stderr starting `drafter: `, no traceback."""
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert r.returncode == code, (r.returncode, r.stderr[-2000:])
    assert "Traceback" not in r.stderr and len(lines) == 1, r.stderr[-2000:]
    assert lines[0].startswith("drafter: "), lines[0]
    for n in needles:
        assert n in lines[0], lines[0]
    return lines[0]


# --- builders ------------------------------------------------------------------------------------

CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
      'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>')
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx(path: Path, body_chunks, compression=zipfile.ZIP_DEFLATED, extra_parts: int = 0) -> Path:
    with zipfile.ZipFile(path, "w", compression) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("_rels/.rels", RELS)
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0"?><w:document {W}><w:body><w:p><w:r><w:t>审核问询函</w:t></w:r></w:p>'.encode())
            for chunk in body_chunks:
                f.write(chunk)
            f.write(b"</w:body></w:document>")
        for i in range(extra_parts):
            z.writestr(f"word/media/x{i}.bin", b"")
    return path


def xlsx_with(path: Path, cell: str | None = None, title: str = "财务数据", merge: str | None = None) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(["项目", "代码", "2024年"])
    ws.append(["营业收入", "revenue", 100])
    if cell:
        ws[cell] = 1
    if merge:
        ws.merge_cells(merge)
    wb.save(path)
    return path


# --- archives: checked before anything is extracted -----------------------------------------------


def test_docx_zip_bomb_refused_by_its_ratio(tmp_path):
    bomb = docx(tmp_path / "bomb.docx", [b"<w:p><w:r><w:t>", b"a" * (24 << 20), b"</w:t></w:r></w:p>"])
    assert bomb.stat().st_size < 200_000
    one_line(drafter("parse", bomb), "bomb.docx", "word/document.xml", "limit is 100:1")


def test_docx_with_too_many_paragraphs_refused_before_parsing(tmp_path):
    # stored, not compressed: the ratio passes, the streamed paragraph count does not
    f = docx(tmp_path / "paras.docx", [b"<w:p/>" * 510_000], compression=zipfile.ZIP_STORED)
    one_line(drafter("parse", f), "paras.docx", "paragraphs", "500,000")


def test_docx_with_too_many_parts(tmp_path):
    f = docx(tmp_path / "parts.docx", [], compression=zipfile.ZIP_STORED, extra_parts=10_001)
    one_line(drafter("parse", f), "parts.docx", "parts", "10,000")


def test_archive_unpacked_size_limit(tmp_path, monkeypatch):
    from drafter import read
    from drafter.errors import UserError

    f = docx(tmp_path / "big.docx", [b"<w:p><w:r><w:t>", os.urandom(600_000).hex().encode(), b"</w:t></w:r></w:p>"])
    monkeypatch.setattr(read, "MAX_UNZIPPED", 1024 * 1024)
    with pytest.raises(UserError, match=r"unpacks to 1 MB; the limit is 1 MB"):
        read.check_zip(f, ".docx")


# --- text: linear cleaning and numbering ----------------------------------------------------------


def test_text_without_sentence_stops_is_cleaned_in_bounded_time_losing_nothing(tmp_path):
    line = "没有句号的文字一直写下去没有句号的文字一直写下去没有句号的文字一直写下"  # 35 characters
    f = tmp_path / "nostops.txt"
    f.write_text("\n".join([line] * 24_000), encoding="utf-8")  # 840,000 characters, one paragraph
    r = python("""
        import sys
        from drafter.read import read_text
        text = read_text(sys.argv[1])
        print(len(text), text.count("\\n"))
    """, f)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.split() == [str(35 * 24_000), "0"]  # every character kept, re-joined into one paragraph


def test_one_enormous_line_of_dots(tmp_path):
    f = tmp_path / "dots.txt"
    f.write_text("问询函\n" + "." * 300_000 + "x\n1.关于收入\n请发行人说明收入确认的依据。", encoding="utf-8")
    r = drafter("parse", f)
    assert r.returncode == 0, r.stderr[-2000:]


def test_ten_thousand_numbered_items_are_all_parsed(tmp_path):
    f = tmp_path / "items.txt"
    lines = ["关于某某公司的审核问询函", "1.关于收入"] + [f"（{i}）请发行人说明第{i}项收入的确认依据；" for i in range(1, 10_001)]
    f.write_text("\n".join(lines), encoding="utf-8")
    r = python("""
        import sys
        from drafter.parse import parse_file
        letter = parse_file(sys.argv[1])
        print(len(letter.questions), len(letter.requests), letter.requests[-1].id)
    """, f)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.split() == ["1", "10000", "1.(10000)"]


def test_unique_ids_of_many_repeats():
    from drafter.parse.question import _unique

    used: set[str] = set()
    ids = [_unique("1", used) for _ in range(5000)]
    assert ids[:3] == ["1", "1#2", "1#3"] and ids[-1] == "1#5000" and len(set(ids)) == 5000


# --- workbooks --------------------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["XFD1", "B1048576"])
def test_workbook_value_far_outside_the_table(tmp_path, cell):
    f = xlsx_with(tmp_path / "far.xlsx", cell=cell)
    assert f.stat().st_size < 40_000
    one_line(drafter("data", "check", f), "far.xlsx", "sheet 财务数据", f"cell {cell}")


def test_xlsx_bomb_refused_before_loading(tmp_path):
    f = xlsx_with(tmp_path / "bomb.xlsx")
    src = zipfile.ZipFile(f)
    out = tmp_path / "xbomb.xlsx"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                z.writestr(info, src.read(info.filename))
                continue
            with z.open(info.filename, "w", force_zip64=True) as w:
                w.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                        b'spreadsheetml/2006/main"><sheetData>')
                for r in range(1, 600_001):
                    w.write(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r))
                w.write(b"</sheetData></worksheet>")
    src.close()
    one_line(drafter("data", "check", out), "xbomb.xlsx", "xl/worksheets/sheet1.xml")


def test_workbook_without_the_financials_sheet(tmp_path):
    f = xlsx_with(tmp_path / "renamed.xlsx", title="财务数据1")
    one_line(drafter("data", "check", f), "renamed.xlsx", "sheet 财务数据 not found", "财务数据1")


def test_workbook_with_merged_figures(tmp_path):
    f = xlsx_with(tmp_path / "merged.xlsx", merge="B2:C2")
    one_line(drafter("data", "check", f), "merged.xlsx", "sheet 财务数据", "B2:C2", "merged")


# --- YAML -------------------------------------------------------------------------------------------


def test_yaml_billion_laughs(tmp_path):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    f = tmp_path / "laughs.yaml"
    f.write_text("\n".join(lines + ["company: *a8"]), encoding="utf-8")
    one_line(drafter("data", "check", f), "laughs.yaml", "aliases", "100,000")


def test_yaml_many_aliases(tmp_path):
    f = tmp_path / "aliases.yaml"
    f.write_text("x: &x 1\nl: [" + ", ".join(["*x"] * 150) + "]\n", encoding="utf-8")
    one_line(drafter("data", "check", f), "aliases.yaml", "more than 100 aliases")


def test_yaml_recursive_alias(tmp_path):
    f = tmp_path / "rec.yaml"
    f.write_text("company: &a\n  name: x\n  self: *a\n", encoding="utf-8")
    one_line(drafter("data", "check", f), "rec.yaml", "line 3", "recursive")


def test_yaml_nested_too_deep(tmp_path):
    f = tmp_path / "deep.yaml"
    f.write_text("company: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    one_line(drafter("data", "check", f), "deep.yaml", "nested deeper than 64")


def test_tiny_figure_is_a_user_error(tmp_path):
    text = (EXAMPLES / "company.yaml").read_text(encoding="utf-8")
    assert '"2023": 82365.47' in text
    f = tmp_path / "tiny.yaml"
    f.write_text(text.replace('"2023": 82365.47', '"2023": 1e-50', 1), encoding="utf-8")
    one_line(drafter("data", "check", f), "tiny.yaml", "financials.revenue.2023", "1E-50", "implausibly small")


# --- special files, styles, search text --------------------------------------------------------------


def test_fifo_inputs_are_refused_up_front(tmp_path):
    for name, args in [("in.txt", ["parse"]), ("in.yaml", ["data", "check"]), ("st.yaml", ["style"]),
                       ("rep.txt", ["library", "add", "--db", tmp_path / "lib.sqlite3"])]:
        fifo = tmp_path / name
        os.mkfifo(fifo)
        one_line(drafter(*args, fifo), name, "named pipe")
    assert not (tmp_path / "lib.sqlite3").exists()


def test_page_number_format_too_wide(tmp_path):
    f = tmp_path / "style.yaml"
    f.write_text('page_number: "8-1-{page:>999999999}"\n', encoding="utf-8")
    one_line(drafter("style", f), "style.yaml", "page_number", "too wide")


def test_very_long_search_text(tmp_path):
    db = tmp_path / "lib.sqlite3"
    from drafter.library.store import Library

    Library(db).close()
    wide = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(17_000))
    r = drafter("library", "search", wide, "--db", db)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    one_line(drafter("library", "search", wide * 2, "--db", db), "too long", "20,000")


# --- XLSX outputs: text stays text ---------------------------------------------------------------


def test_data_convert_writes_formula_like_text_as_text(tmp_path):
    from openpyxl import load_workbook

    text = (EXAMPLES / "company.yaml").read_text(encoding="utf-8")
    text = text.replace("  name: 青禾智能装备股份有限公司", '  name: "=HYPERLINK(\\"http://x\\",\\"y\\")"', 1)
    text = text.replace("  short_name: 青禾智能", '  short_name: "@SUM(1+1)"', 1)
    src = tmp_path / "evil.yaml"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "evil.xlsx"
    r = drafter("data", "convert", src, out)
    assert r.returncode == 0, r.stderr
    ws = load_workbook(out)["基本信息"]
    cells = {c.value: c.data_type for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert cells['=HYPERLINK("http://x","y")'] == "s" and cells["@SUM(1+1)"] == "s"
    with zipfile.ZipFile(out) as z:
        assert not any(b"<f>" in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))


def test_checklist_writes_formula_like_text_as_text(tmp_path):
    from openpyxl import load_workbook

    from drafter.review.checklist import build_checklist, write_xlsx
    from drafter.parse import parse_file

    cl = build_checklist(parse_file(EXAMPLES / "letter.txt"))
    row = cl.rows[0]
    for field in ("question_title", "text"):
        if hasattr(row, field):
            setattr(row, field, "=HYPERLINK(\"http://x\",\"y\")")
    out = write_xlsx(cl, tmp_path / "cl.xlsx")
    wb = load_workbook(out)
    found = [c for ws in wb for row in ws.iter_rows() for c in row if c.value == '=HYPERLINK("http://x","y")']
    assert found and all(c.data_type == "s" for c in found)
    assert any(c.data_type == "f" for row in wb["汇总"].iter_rows() for c in row)  # our own COUNTIFS stay formulas


# --- the precedent library ---------------------------------------------------------------------------


def _unfinished_library(path: Path) -> None:
    """What an older drafter left when killed between the schema and the marker."""
    from drafter.library.store import _SCHEMA

    con = sqlite3.connect(path)
    con.executescript(_SCHEMA)
    con.close()


def test_unfinished_library_is_finished_not_refused(tmp_path):
    db = tmp_path / "lib.sqlite3"
    _unfinished_library(db)
    r = drafter("library", "stats", "--db", db)
    assert r.returncode == 0, r.stderr
    r = drafter("library", "search", "收入确认", "--db", db)
    assert r.returncode == 0, r.stderr


def test_foreign_and_damaged_library_files(tmp_path):
    foreign = tmp_path / "foreign.sqlite3"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE t(x)")
    con.commit()
    con.close()
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)
    for db in (foreign, junk):
        before = db.read_bytes()
        for args in (["search", "收入"], ["stats"], ["add", EXAMPLES / "letter.txt"]):
            one_line(drafter("library", *args, "--db", db), db.name)
        assert db.read_bytes() == before  # never changed


def _library_with_reply(tmp_path: Path, reply: Path) -> Path:
    db = tmp_path / "lib.sqlite3"
    r = drafter("library", "add", reply, "--db", db)
    assert r.returncode == 0, r.stderr
    return db


def test_damaged_library_is_one_line_everywhere(tmp_path, reply003):
    db = _library_with_reply(tmp_path, reply003)
    size = db.stat().st_size
    with open(db, "r+b") as f:  # pages in the middle overwritten
        f.seek(size // 2)
        f.write(bytes((i * 37) % 251 for i in range(size // 4)))
    one_line(drafter("library", "add", reply003, "--db", db), "damaged")
    out = tmp_path / "reply.docx"
    one_line(drafter("draft", EXAMPLES / "letter.txt", "--company", EXAMPLES / "company.yaml", "-o", out,
                     "--library", db), "damaged")
    assert not out.exists()
    for args in (["search", "收入确认的依据"], ["stats"]):
        r = drafter("library", *args, "--db", db)
        assert r.returncode in (0, 2) and "Traceback" not in r.stderr and len(r.stderr.splitlines()) <= 1, r.stderr


def test_concurrent_and_interrupted_first_adds(tmp_path, reply003):
    db = tmp_path / "par.sqlite3"
    cmd = [sys.executable, "-m", "drafter", "library", "add", str(reply003), "--db", str(db)]
    procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    errs = [p.communicate(timeout=TIMEOUT)[1] for p in procs]
    assert all(p.returncode == 0 for p in procs), errs
    r = drafter("library", "stats", "--db", db)
    assert r.returncode == 0 and "replies: 1" in r.stdout, (r.stdout, r.stderr)
    for delay in (0.5, 1.2):  # killed at different moments of a first add
        db = tmp_path / f"kill{delay}.sqlite3"
        p = subprocess.Popen(cmd[:-1] + [str(db)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        p.kill()
        p.wait()
        r = drafter("library", "add", reply003, "--db", db)
        assert r.returncode == 0, (delay, r.stderr)


# --- writing: signals and a full disk ----------------------------------------------------------------


def test_sigterm_while_writing_leaves_no_temporary_file(tmp_path):
    code = """
        import sys, time
        from drafter.output import write_atomic
        def slow(p):
            p.write_bytes(b"half")
            print("writing", flush=True)
            time.sleep(30)
        write_atomic(sys.argv[1], slow)
    """
    p = subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), str(tmp_path / "out.docx")],
                         stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "writing"
    assert [f.name for f in tmp_path.iterdir() if f.name.endswith(".tmp")]
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=TIMEOUT)
    assert p.returncode == -signal.SIGTERM
    assert list(tmp_path.iterdir()) == []


def test_full_disk_is_one_line_without_traceback(tmp_path):
    code = """
        import errno, io, sys, zipfile
        from drafter.errors import UserError
        from drafter.output import write_atomic

        class FullDisk(io.RawIOBase):
            def __init__(self, path):
                self.f = open(path, "wb")
            def writable(self):
                return True
            def write(self, b):
                if self.f.tell() + len(b) > 2000:
                    raise OSError(errno.ENOSPC, "No space left on device")
                return self.f.write(b)

        def writer(p):
            z = zipfile.ZipFile(FullDisk(p), "w", zipfile.ZIP_STORED)
            z.writestr("word/document.xml", "x" * 10000)
        try:
            write_atomic(sys.argv[1], writer)
        except UserError as e:
            print(e)
    """
    r = python(code, tmp_path / "out.docx")
    assert r.returncode == 0
    assert "No space left on device" in r.stdout and "out.docx" in r.stdout
    assert "Traceback" not in r.stderr and "Exception ignored" not in r.stderr, r.stderr
    assert list(tmp_path.iterdir()) == []


def test_style_yaml_recursive_alias(tmp_path):
    f = tmp_path / "style.yaml"
    f.write_text("faces: &a\n  x: *a\n", encoding="utf-8")
    one_line(drafter("style", f), "style.yaml", "line 2", "recursive")
