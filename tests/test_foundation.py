from click.testing import CliRunner

from drafter.cli import main
from drafter.errors import UserError
from drafter.output import write_text_atomic


def test_cli_help_lists_commands():
    res = CliRunner().invoke(main, ["--help"])
    assert res.exit_code == 0
    assert "drafter" in res.output or "Usage" in res.output


def test_write_atomic_refuses_to_overwrite(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("the user's work", encoding="utf-8")
    try:
        write_text_atomic(target, "new")
    except UserError as e:
        assert "--force" in str(e)
    else:  # pragma: no cover
        raise AssertionError("overwrote without --force")
    assert target.read_text(encoding="utf-8") == "the user's work"
    write_text_atomic(target, "new", force=True)
    assert target.read_text(encoding="utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # no temporary file left


def test_write_atomic_follows_umask(tmp_path):
    import os
    import stat

    mask = os.umask(0o022)
    try:
        out = write_text_atomic(tmp_path / "reply.txt", "x")
    finally:
        os.umask(mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_user_error_is_one_line_even_with_newlines_in_data():
    e = UserError("unknown field '0\n全称'", file="m.yaml", place="line 2")
    assert "\n" not in str(e)
    assert str(e).startswith("m.yaml: line 2: ")
