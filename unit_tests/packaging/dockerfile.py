"""A small Dockerfile reader: enough to check the image recipe without a Docker engine."""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Stage:
    """One `FROM ... [AS name]` block and the instructions under it."""

    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def values(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]

    def env(self) -> dict[str, str]:
        return _pairs(self.values("ENV"))

    def labels(self) -> dict[str, str]:
        return _pairs(self.values("LABEL"))

    def entrypoint(self) -> list[str] | None:
        found = self.values("ENTRYPOINT")
        return json.loads(found[-1]) if found else None


@dataclass
class Dockerfile:
    global_args: dict[str, str]
    stages: list[Stage]

    def stage(self, name: str) -> Stage:
        return next(s for s in self.stages if s.name == name)


def instructions(text: str) -> list[tuple[str, str]]:
    """(KEYWORD, arguments) per instruction, continuation lines joined and comments dropped."""
    joined = re.sub(r"\\\n", " ", text)
    out = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, args = line.partition(" ")
            out.append((keyword.upper(), args.strip()))
    return out


def parse(path: Path) -> Dockerfile:
    global_args: dict[str, str] = {}
    stages: list[Stage] = []
    for keyword, args in instructions(path.read_text()):
        if keyword == "FROM":
            parts = args.split()
            name = parts[2] if len(parts) == 3 and parts[1].upper() == "AS" else None
            stages.append(Stage(base=parts[0], name=name))
        elif keyword == "ARG" and not stages:
            key, _, default = args.partition("=")
            global_args[key] = default
        elif stages:
            stages[-1].instructions.append((keyword, args))
    return Dockerfile(global_args, stages)


def _pairs(lines: list[str]) -> dict[str, str]:
    """`KEY=value` pairs of ENV/LABEL lines (values may be quoted)."""
    out: dict[str, str] = {}
    for line in lines:
        for token in shlex.split(line):
            key, _, value = token.partition("=")
            out[key] = value
    return out
