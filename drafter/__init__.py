"""drafter — 问询函回复起草助手.

Library API (the CLI is a thin shell over these):
    read → parse → match → compose → render
"""
import os as _os

# drafter uses no pydantic plugins; looking for them scans every installed package's entry points
# (about 0.1 s of every command's start-up). A user who sets the variable keeps their setting.
_os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

__version__ = "0.1.0"
