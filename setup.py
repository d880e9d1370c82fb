"""Build hook: a wheel carries the templates, question bank and examples inside the package.

The top-level folders stay the source of truth; `build_py` copies them to `drafter/resources/` in
the build tree only (never into the checkout), so `pip install .` or a built wheel works from any
folder. An editable install (`pip install -e .`) reads them from the checkout instead.
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

RESOURCES = ("templates", "question_bank", "examples")


class BuildWithResources(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        root = Path(__file__).resolve().parent
        target = Path(self.build_lib) / "drafter" / "resources"
        for name in RESOURCES:
            src = root / name
            if src.is_dir():
                shutil.copytree(src, target / name, dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.tmp"))


setup(cmdclass={"build_py": BuildWithResources})
