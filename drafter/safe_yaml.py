"""A YAML loader for files users give (company data, house style): yaml.SafeLoader that refuses
more than MAX_ALIASES aliases, nesting deeper than MAX_DEPTH and an alias to a value containing it
(recursive), each as a YAML error with its line — never a hang, a RecursionError or gigabytes."""
from __future__ import annotations

import yaml

MAX_ALIASES = 100  # `*name` references in one file
MAX_DEPTH = 64  # nesting of mappings and lists


class LimitedLoader(yaml.SafeLoader):
    """SafeLoader that refuses more than MAX_ALIASES aliases, nesting deeper than MAX_DEPTH and an
    alias to a node that contains it (recursive), each as a YAML error with its line."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._open: list[str | None] = []  # anchors of the nodes being composed

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise yaml.MarkedYAMLError(problem=f"more than {MAX_ALIASES} aliases (*name); write the values out",
                                           problem_mark=event.start_mark)
            if event.anchor in self._open:
                raise yaml.MarkedYAMLError(problem=f"alias *{event.anchor} refers to a value that contains it "
                                           "(recursive); write the values out", problem_mark=event.start_mark)
            return super().compose_node(parent, index)
        if len(self._open) >= MAX_DEPTH:
            raise yaml.MarkedYAMLError(problem=f"nested deeper than {MAX_DEPTH} levels", problem_mark=event.start_mark)
        self._open.append(getattr(event, "anchor", None))
        try:
            return super().compose_node(parent, index)
        finally:
            self._open.pop()
