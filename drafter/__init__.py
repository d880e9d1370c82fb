"""drafter — 问询函回复起草助手.

Library API (the CLI is a thin shell over these):
    read → parse → match → compose → render
"""
__version__ = "0.1.0"
