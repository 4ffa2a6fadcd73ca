"""Reading source files safely and mapping pydantic errors to YAML lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from course.diagnostics import Collector

MAX_BYTES = 2 * 1024 * 1024


def read_text(path: Path, rel: str, out: Collector) -> str | None:
    """UTF-8 text of a source file, or None after recording why it cannot be read."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            out.error(rel, 1, f"file is too large ({size / 1_048_576:.1f} MB; the limit is "
                      f"{MAX_BYTES // 1_048_576} MB)", "source.too-large")
            return None
        data = path.read_bytes()
    except OSError as exc:
        out.error(rel, 1, f"cannot read file: {exc.strerror or exc}", "source.unreadable")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        out.error(rel, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                  "save the file as UTF-8", "source.encoding")
        return None
    return text.removeprefix("\ufeff")


def compose_yaml(text: str, rel: str, out: Collector, line_offset: int = 0) -> tuple[Any, yaml.Node | None]:
    """Parse YAML into (data, node tree); records syntax errors with their line."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        problem = exc.problem or "invalid YAML"
        out.error(rel, line, f"YAML syntax error: {problem}", "yaml.syntax")
        return None, None
    except yaml.YAMLError as exc:
        out.error(rel, 1 + line_offset, f"YAML error: {exc}", "yaml.syntax")
        return None, None
    return data, node


def node_line(node: yaml.Node | None, loc: tuple[Any, ...]) -> int:
    """1-based line of the deepest node along a pydantic ``loc`` (0 when unknown)."""
    if node is None:
        return 0
    line = node.start_mark.line + 1
    for part in loc:
        nxt = None
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for key, value in node.value:
                if key.value == part:
                    nxt = value
                    line = key.start_mark.line + 1
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            nxt = node.value[part]
            line = nxt.start_mark.line + 1
        if nxt is None:
            continue  # a discriminator tag or a missing key: stay on the deepest parent
        node = nxt
    return line


def describe_loc(loc: tuple[Any, ...], kinds: set[str]) -> str:
    """``items[2].options[0].text`` from a pydantic loc (discriminator tags dropped)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in kinds or part.startswith(("function-", "union[")):
            continue
        else:
            out += ("." if out else "") + part
    return out or "(top level)"


_KINDS = {"single_choice", "multiple_response", "true_false", "matching", "ordering", "likert", "choice",
          "comment", "list[str]", "str"}


def validate(model: type[BaseModel], data: Any, node: yaml.Node | None, rel: str, out: Collector,
             line_offset: int = 0, context: dict | None = None) -> BaseModel | None:
    """Validate ``data`` as ``model``; every error is recorded with its file line."""
    if not isinstance(data, dict):
        out.error(rel, 1 + line_offset, f"expected a mapping of fields, found {type(data).__name__}",
                  "schema.not-a-mapping")
        return None
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            field = describe_loc(loc, _KINDS)
            kind = err["type"]
            msg = err["msg"].removeprefix("Value error, ")
            if kind == "extra_forbidden":
                msg = "unknown field (check the spelling)"
            elif kind == "missing":
                msg = "required field is missing"
            line = node_line(node, loc) + line_offset if node is not None else 1 + line_offset
            out.error(rel, line, f"{field}: {msg}", f"schema.{kind}")
        return None
