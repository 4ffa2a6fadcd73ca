"""OLX round-trip for the blocks: scalar fields as attributes, long or structured fields as child elements."""

from __future__ import annotations

import json
from typing import Any

from xblock.fields import List, Scope

# Fields every XBlock has that OLX must not carry.
_SKIP = {"parent", "children", "name", "tags"}


class OlxFieldsMixin:
    """``parse_xml`` / ``add_xml_to_node`` that keep every content and settings field.

    ``xml_children`` maps a field to (child tag, codec): a ``List`` field writes one child per entry,
    a ``String`` field one child holding the text; codec "json" stores JSON, "text" plain text.
    """

    xml_children: dict[str, tuple[str, str]] = {}

    @classmethod
    def parse_xml(cls, node: Any, runtime: Any, keys: Any) -> Any:
        """Build a block from its OLX element."""
        block = runtime.construct_xblock_from_class(cls, keys)
        for name, value in node.items():
            if name in block.fields and name not in cls.xml_children and name not in _SKIP:
                setattr(block, name, block.fields[name].from_string(value))
        by_tag = {tag: (name, codec) for name, (tag, codec) in cls.xml_children.items()}
        collected: dict[str, list[Any]] = {name: [] for name in cls.xml_children}
        for child in node:
            if not isinstance(child.tag, str) or child.tag not in by_tag:
                continue  # comments and foreign elements carry no field
            name, codec = by_tag[child.tag]
            text = child.text or ""
            collected[name].append(json.loads(text) if codec == "json" else text)
        for name, values in collected.items():
            if isinstance(block.fields[name], List):
                setattr(block, name, values)
            elif values:
                setattr(block, name, values[0])
        return block

    def add_xml_to_node(self, node: Any) -> None:
        """Write this block's content and settings fields onto ``node``."""
        node.tag = self.scope_ids.block_type  # type: ignore[attr-defined]
        for name, field in sorted(self.fields.items()):  # type: ignore[attr-defined]
            if name in _SKIP or field.scope not in (Scope.content, Scope.settings):
                continue
            value = getattr(self, name)
            if name in self.xml_children:
                tag, codec = self.xml_children[name]
                entries = value if isinstance(field, List) else [value]
                for entry in entries:
                    child = node.makeelement(tag, {})
                    child.text = json.dumps(entry, sort_keys=True, ensure_ascii=False) if codec == "json" \
                        else entry
                    node.append(child)
            elif field.is_set_on(self):
                node.set(name, field.to_string(value))
