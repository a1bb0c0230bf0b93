"""Safe YAML reading that remembers where every value came from.

PyYAML's safe loader already refuses tags that build Python objects; on top of it this module
keeps the line of every value (so validation errors can name it), refuses duplicate keys (which
PyYAML silently collapses), oversized files, and alias bombs: aliases are expanded against a
node budget instead of trusting the shared-node trick to stay cheap downstream.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from planner.errors import Problems

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_NODES = 5_000_000
MAX_DEPTH = 64

Loc = tuple[str | int, ...]
LineMap = dict[Loc, int]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _TooBig(Exception):
    pass


def read_text(path: Path, problems: Problems, *, label: str) -> str | None:
    """Read a UTF-8 text file within the size limit, or record why not."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        problems.add(label, f"cannot read file: {exc.strerror or exc}")
        return None
    if size > MAX_FILE_BYTES:
        problems.add(label, f"file is {size} bytes, more than the {MAX_FILE_BYTES} allowed; "
                            "put large tables in CSV files")
        return None
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.add(label, f"not UTF-8 text (byte {exc.start})")
    except OSError as exc:
        problems.add(label, f"cannot read file: {exc.strerror or exc}")
    return None


def load_yaml(path: Path, problems: Problems, *, label: str) -> tuple[Any, LineMap]:
    """Load one YAML document; returns (data, line of each value by location path).

    On any problem the problem is recorded and ``(None, {})`` is returned.
    """
    text = read_text(path, problems, label=label)
    if text is None:
        return None, {}
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problems.add(label, f"not valid YAML: {exc.problem or exc}",
                     line=mark.line + 1 if mark else None)
        return None, {}
    except yaml.YAMLError as exc:
        problems.add(label, f"not valid YAML: {exc}")
        return None, {}
    if root is None:
        return None, {}
    try:
        _check_expanded_size(root)
    except _TooBig as exc:
        problems.add(label, str(exc))
        return None, {}
    lines: LineMap = {}
    return _Builder(label, problems, lines).build(root, ()), lines


def _check_expanded_size(root: yaml.Node) -> None:
    """Refuse documents whose aliases expand past the budget, before expanding anything.

    Composed nodes are shared where aliases point, so the expanded size of each node is
    computed once (memoised by identity); a node met again on its own path is a recursive alias.
    """
    sizes: dict[int, int] = {}
    on_path: set[int] = set()

    def size(node: yaml.Node, depth: int) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in on_path or depth > MAX_DEPTH:
            raise _TooBig(f"nested more than {MAX_DEPTH} levels deep or recursive alias")
        total = 1
        if isinstance(node, (yaml.SequenceNode, yaml.MappingNode)):
            on_path.add(key)
            children = node.value if isinstance(node, yaml.SequenceNode) else \
                [n for pair in node.value for n in pair]
            for child in children:
                total += size(child, depth + 1)
                if total > MAX_NODES:
                    raise _TooBig(f"more than {MAX_NODES} values once aliases are expanded; "
                                  "refusing a possible alias bomb")
            on_path.discard(key)
        sizes[key] = total
        return total

    size(root, 0)


class _Builder:
    """Turns composed nodes into plain data, recording lines and refusing what is unsafe."""

    def __init__(self, label: str, problems: Problems, lines: LineMap):
        self.label = label
        self.problems = problems
        self.lines = lines
        self.scalars = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        line = node.start_mark.line + 1
        self.lines.setdefault(loc, line)
        if isinstance(node, yaml.ScalarNode):
            try:
                return self.scalars.construct_object(node)
            except yaml.constructor.ConstructorError as exc:
                self.problems.add(self.label, f"unsupported YAML value: {exc.problem}",
                                  line=line, field=dotted(loc) or None)
                return None
        if isinstance(node, yaml.SequenceNode):
            self._refuse_tag(node, "tag:yaml.org,2002:seq", loc, line)
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        self._refuse_tag(node, "tag:yaml.org,2002:map", loc, line)
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node)
            if not isinstance(key, (str, int)):
                self.problems.add(self.label, "mapping keys must be plain text",
                                  line=key_node.start_mark.line + 1, field=dotted(loc) or None)
                continue
            if key in out:
                self.problems.add(self.label, f"duplicate key {key!r}",
                                  line=key_node.start_mark.line + 1, field=dotted((*loc, key)))
                continue
            self.lines[(*loc, key)] = key_node.start_mark.line + 1
            out[key] = self.build(value_node, (*loc, key))
        return out

    def _key(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return None
        try:
            return self.scalars.construct_object(node)
        except yaml.constructor.ConstructorError:
            return None

    def _refuse_tag(self, node: yaml.Node, expected: str, loc: Loc, line: int) -> None:
        if node.tag != expected:
            self.problems.add(self.label, f"unsupported YAML tag {node.tag!r}",
                              line=line, field=dotted(loc) or None)


def dotted(loc: Loc) -> str:
    """`('candidates', 3, 'merit')` -> `candidates[3].merit`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out

