"""A bounded, safe YAML reader that remembers line numbers.

Refuses duplicate keys, anchors, aliases and merge keys (``<<``), nesting deeper than a
bound, files over a size bound and non-UTF-8 bytes. Mappings come back as :class:`Node`
dicts that know the line of each key, so later validation can say ``file:line``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode
from yaml.nodes import Node as YamlNode

from ltpgap._sniff import sniff
from ltpgap.issues import Issue, LtpgapError, Where, make_issue

__all__ = ["MAX_DEPTH", "MAX_YAML_BYTES", "Node", "YamlLimits", "read_yaml"]

MAX_YAML_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 40


@dataclass(frozen=True, slots=True)
class YamlLimits:
    """Bounds on what a YAML file may hold."""

    max_bytes: int = MAX_YAML_BYTES
    max_depth: int = MAX_DEPTH


class Node(dict[str, Any]):
    """A mapping that remembers the line of itself, of each key, and each scalar's raw text."""

    line: int
    key_lines: dict[str, int]
    raw: dict[str, str]

    def line_of(self, key: str) -> int:
        """Line of ``key`` when present, else of the mapping itself."""
        return self.key_lines.get(key, self.line)


class _Refused(Exception):
    def __init__(self, code: str, message: str, line: int) -> None:
        super().__init__(message)
        self.code, self.message, self.line = code, message, line


def _line(node: YamlNode) -> int:
    return node.start_mark.line + 1


class _Loader(yaml.SafeLoader):
    max_depth = MAX_DEPTH

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused(
                "yaml-alias",
                f"YAML alias '*{event.anchor}' is not allowed; write the value out in full.",
                event.start_mark.line + 1,
            )
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise _Refused(
                "yaml-alias",
                f"YAML anchor '&{event.anchor}' is not allowed; write each value out in full.",
                event.start_mark.line + 1,
            )
        self._depth += 1
        try:
            if self._depth > self.max_depth:
                raise _Refused(
                    "yaml-too-deep",
                    f"nesting is deeper than {self.max_depth} levels; flatten the structure.",
                    event.start_mark.line + 1,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> Node:  # type: ignore[override]
        result = Node()
        result.line = _line(node)
        result.key_lines = {}
        result.raw = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge" or key_node.value == "<<":
                raise _Refused(
                    "yaml-alias",
                    "YAML merge key '<<' is not allowed; write the fields out in full.",
                    _line(key_node),
                )
            key = self.construct_object(key_node, deep=True)
            key = str(key)
            if key in result:
                raise _Refused(
                    "yaml-duplicate-key",
                    f"key '{key}' appears twice in this mapping (first on line "
                    f"{result.key_lines[key]}); keep one.",
                    _line(key_node),
                )
            result[key] = self.construct_object(value_node, deep=True)
            result.key_lines[key] = _line(key_node)
            if isinstance(value_node, ScalarNode):
                result.raw[key] = value_node.value
        return result


_Loader.add_constructor(
    "tag:yaml.org,2002:map",
    lambda loader, node: loader.construct_mapping(node),  # type: ignore[arg-type]
)


#: Files people give by mistake for a YAML file: what :func:`ltpgap._sniff.sniff` finds, and
#: how to name it.
_NOT_YAML = {
    "zip": "an Excel workbook (or another zip file)",
    "xls": "an old-style Excel (.xls) workbook",
    "encrypted": "a password-protected (encrypted) Excel workbook",
    "ole": "an old-style Excel (.xls) or other old Office file",
}


def read_yaml(path: Path, *, limits: YamlLimits | None = None) -> Any:
    """Parse a YAML file within ``limits``; raise :class:`LtpgapError` with a located issue."""
    limits = limits or YamlLimits()
    name = str(path)

    def fail(code: str, message: str, line: int | None = None) -> LtpgapError:
        issue: Issue = make_issue(code, message, where=Where(file=name, line=line))
        return LtpgapError([issue])

    if not path.is_file():
        raise fail("file-not-found", f"no file at {name}; check the path.")
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise fail(
            "file-too-large",
            f"file is {size:,} bytes, over the {limits.max_bytes:,}-byte limit; "
            "a catalogue or ICS file should be far smaller — is this the right file?",
        )
    data = path.read_bytes()
    kind = sniff(io.BytesIO(data))
    binary = _NOT_YAML.get(kind.kind) or kind.what
    if binary:
        raise fail(
            "not-yaml",
            f"this is {binary}, not a YAML text file. Give the YAML file here: the catalogue "
            "(such as commitments.yaml) or the ICS file (such as blmk.yaml).",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise fail(
            "not-utf8",
            f"byte 0x{data[exc.start]:02x} is not UTF-8; save the file as UTF-8 "
            "(in Excel or Notepad choose 'UTF-8' when saving).",
            line,
        ) from None
    loader = _Loader(text)
    loader.max_depth = limits.max_depth
    try:
        return loader.get_single_data()
    except _Refused as exc:
        raise fail(exc.code, exc.message, exc.line) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise fail(
            "yaml-syntax",
            f"YAML cannot be read: {problem}; check indentation and quoting near this line.",
            mark.line + 1 if mark else None,
        ) from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise fail("yaml-syntax", f"YAML cannot be read: {exc}") from None
    finally:
        loader.dispose()
