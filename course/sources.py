"""Reading source files safely and mapping pydantic errors to YAML lines."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from course.diagnostics import Collector

MAX_BYTES = 2 * 1024 * 1024
# libyaml is several times faster; both give nodes with line marks.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_text(path: Path, rel: str, out: Collector) -> str | None:
    """UTF-8 text of a source file, or None after recording why it cannot be read."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            # A folder, a pipe or a device: reading it would fail or block forever.
            what = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            out.error(rel, 1, f"cannot read file: it is {what}", "source.unreadable")
            return None
        if info.st_size > MAX_BYTES:
            out.error(rel, 1, f"file is too large ({info.st_size / 1_048_576:.1f} MB; the limit is "
                      f"{MAX_BYTES // 1_048_576} MB)", "source.too-large")
            return None
        data = path.read_bytes()
    except OSError as exc:
        if path.is_symlink() and not path.exists():
            out.error(rel, 1, f"cannot read file: it is a broken link (to {os.readlink(path)})",
                      "source.unreadable")
        else:
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
    loader = _YAML_LOADER(text)
    try:
        # Compose once and construct from the same nodes: the nodes carry the lines for diagnostics.
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        problem = exc.problem or "invalid YAML"
        if exc.context and exc.context_mark and exc.problem_mark:
            problem += f" ({exc.context} that starts at line {exc.context_mark.line + 1 + line_offset})"
        out.error(rel, line, f"YAML syntax error: {problem}", "yaml.syntax")
        return None, None
    except yaml.YAMLError as exc:
        out.error(rel, 1 + line_offset, f"YAML error: {exc}", "yaml.syntax")
        return None, None
    finally:
        loader.dispose()
    _duplicate_keys(node, rel, out, line_offset)
    return data, node


def _duplicate_keys(node: yaml.Node | None, rel: str, out: Collector, line_offset: int) -> None:
    """Report a key written twice in one mapping (PyYAML would silently keep the last value)."""
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode):
                    line = key.start_mark.line + 1 + line_offset
                    if key.value in seen:
                        out.error(rel, line, f"{key.value}: key written twice in one mapping (first at line "
                                  f"{seen[key.value]})", "yaml.duplicate-key")
                    seen.setdefault(key.value, line)
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


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
        found = "nothing" if data is None else f"a {_TYPE_NAMES.get(type(data).__name__, type(data).__name__)}"
        out.error(rel, 1 + line_offset, f"expected a mapping of fields (key: value lines), found {found}",
                  "schema.not-a-mapping")
        return None
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            kind = err["type"]
            msg = err["msg"].removeprefix("Value error, ")
            if kind == "extra_forbidden":
                msg = "unknown field (check the spelling)"
            elif kind == "missing":
                msg = "required field is missing"
            elif kind == "union_tag_invalid":
                ctx = err.get("ctx", {})
                loc = (*loc, str(ctx.get("discriminator", "kind")).strip("'"))
                expected = str(ctx.get("expected_tags", "")).replace("'", "")
                msg = f"unknown kind '{ctx.get('tag')}' (expected one of: {expected})"
            elif isinstance(err.get("input"), (str, int, float)) and len(str(err["input"])) <= 40:
                msg += f" (got {err['input']!r})"
            named = _FIELD_FIRST.match(msg) if kind == "value_error" else None
            if named:
                # Model validators start their message with the field they are about: point there.
                loc, msg = (*loc, named.group(1)), named.group(2)
            line = node_line(node, loc) + line_offset if node is not None else 1 + line_offset
            dup = _DUPLICATE.match(msg)
            if dup and node is not None:
                ident = dup.group(2).split(", ")[0]
                found = _duplicate_at(node, loc, ident)
                if found:
                    first, line, loc = found
                    msg = f"duplicate {dup.group(1)} id '{ident}' (first at line {first + line_offset})"
                    line += line_offset
                    kind = "duplicate-id"
            out.error(rel, line, f"{describe_loc(loc, _KINDS)}: {msg}", f"schema.{kind}")
        return None


_TYPE_NAMES = {"list": "list", "str": "single value", "int": "number", "float": "number", "bool": "true/false"}
_FIELD_FIRST = re.compile(r"^([a-z_]+): (.+)$", re.DOTALL)
_DUPLICATE = re.compile(r"duplicate (.+?) id\(s\): (.+)$")


def _duplicate_at(node: yaml.Node, loc: tuple[Any, ...], ident: str) -> tuple[int, int, tuple[Any, ...]] | None:
    """First line, second line and loc of a repeated ``id: <ident>`` in a list directly under ``loc``."""
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            node = next((v for k, v in node.value if k.value == part), node)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
    if not isinstance(node, yaml.MappingNode):
        return None
    for key, seq in node.value:
        if not isinstance(seq, yaml.SequenceNode):
            continue
        hits = [(i, entry) for i, entry in enumerate(seq.value) if isinstance(entry, yaml.MappingNode)
                and any(k.value == "id" and getattr(v, "value", None) == ident for k, v in entry.value)]
        if len(hits) > 1:
            first, second = hits[0][1].start_mark.line + 1, hits[1][1].start_mark.line + 1
            return first, second, (*loc, key.value, hits[1][0], "id")
    return None
