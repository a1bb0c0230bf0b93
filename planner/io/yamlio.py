"""Safe YAML reading that remembers where every value came from.

PyYAML's safe loader already refuses tags that build Python objects; on top of it this module
keeps the line of every value (so validation errors can name it), refuses duplicate keys (which
PyYAML silently collapses), oversized files, and alias bombs: aliases are expanded against a
node budget instead of trusting the shared-node trick to stay cheap downstream.
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import yaml

from planner.errors import Problems
from planner.schema import Written

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_NODES = 5_000_000
MAX_DEPTH = 64

Loc = tuple[str | int, ...]
LineMap = dict[Loc, int]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_PLAIN_KEY_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null")}
_SCALAR_TAGS = _PLAIN_KEY_TAGS | {"tag:yaml.org,2002:timestamp"}


class _TooBig(Exception):
    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def within_size(path: Path, problems: Problems, *, label: str) -> bool:
    """Can `path` be read, and is it within MAX_FILE_BYTES? If not, record why."""
    try:
        info = path.stat()
    except OSError as exc:
        problems.add(label, f"cannot read file: {exc.strerror or exc}")
        return False
    if not stat.S_ISREG(info.st_mode):
        problems.add(label, f"the path {not_regular(path)}; expected a regular file")
        return False
    size = info.st_size
    if size > MAX_FILE_BYTES:
        problems.add(label, f"file too large: {size} bytes, the limit is {MAX_FILE_BYTES} bytes")
        return False
    return True


def not_regular(path: Path) -> str:
    """What a path that exists but is not a regular file is, in words: reading a FIFO would
    wait forever, and "does not exist" would send the planner looking for the wrong thing."""
    mode = path.stat().st_mode
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    what = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a special file")
    return f"is {what}, not a regular file"


def read_text(path: Path, problems: Problems, *, label: str, rows: bool = False) -> str | None:
    """Read a UTF-8 text file within the size limit, or record why not.

    A bad byte is located by its line (by its row, for CSV files read with `rows`).
    """
    if not within_size(path, problems, label=label):
        return None
    try:
        data = path.read_bytes()
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        at = data[:exc.start].count(b"\n") + 1
        problems.add(label, f"expected UTF-8 text, found the byte 0x{data[exc.start]:02x} "
                            f"(byte {exc.start} of the file); save the file as UTF-8",
                     line=None if rows else at, row=at if rows else None)
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
        problems.add(label, str(exc), line=exc.line)
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
        line = node.start_mark.line + 1
        if key in on_path:
            raise _TooBig(f"recursive alias: the value anchored at line {line} contains itself", line)
        if depth > MAX_DEPTH:
            raise _TooBig(f"nested more than {MAX_DEPTH} levels deep", line)
        total = 1
        if isinstance(node, (yaml.SequenceNode, yaml.MappingNode)):
            on_path.add(key)
            children = node.value if isinstance(node, yaml.SequenceNode) else \
                [n for pair in node.value for n in pair]
            for child in children:
                total += size(child, depth + 1)
                if total > MAX_NODES:
                    raise _TooBig(f"more than {MAX_NODES} values once aliases are expanded: "
                                  "refusing a possible alias bomb (billion laughs)", line)
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
            if node.tag not in _SCALAR_TAGS:
                self._refuse_tag(node, "", loc, line)
                return None
            if self._kept_as_text(node):
                return node.value
            try:
                value = self.scalars.construct_object(node)
                return Written(value, node.value) if isinstance(value, float) else value
            except (yaml.constructor.ConstructorError, ValueError) as exc:
                why = getattr(exc, "problem", None) or str(exc)
                self.problems.add(self.label, f"unreadable YAML value {node.value!r}: {why}",
                                  line=line, field=dotted(loc) or None)
                return None
        if isinstance(node, yaml.SequenceNode):
            self._refuse_tag(node, "tag:yaml.org,2002:seq", loc, line)
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        self._refuse_tag(node, "tag:yaml.org,2002:map", loc, line)
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node)
            if key is None:
                merge = key_node.tag == "tag:yaml.org,2002:merge"
                self.problems.add(self.label, "YAML merge keys (<<) are not supported: write the "
                                  "fields out" if merge else "expected a field name (plain text) as key",
                                  line=key_node.start_mark.line + 1, field=dotted(loc) or None)
                continue
            if key in out:
                first = self.lines.get((*loc, key))
                self.problems.add(self.label, f"{key!r} is given twice (first at line {first}); "
                                  "expected each field once",
                                  line=key_node.start_mark.line + 1, field=dotted((*loc, key)))
                continue
            self.lines[(*loc, key)] = key_node.start_mark.line + 1
            out[key] = self.build(value_node, (*loc, key))
        return out

    @staticmethod
    def _kept_as_text(node: yaml.ScalarNode) -> bool:
        """YAML 1.1 readings the contract does not have: `on`/`off` as booleans (its booleans
        are true/false, yes/no, 1/0) and base-60 numbers (`33:46` read as 2026). Such a value
        stays the text written, so a field expecting a boolean or a number refuses it by name
        and a text field keeps it as written."""
        if node.tag == "tag:yaml.org,2002:bool":
            return node.value.lower() in ("on", "off")
        if node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
            return ":" in node.value
        return False

    def _key(self, node: yaml.Node) -> Any:
        """A key as the text written: `yes:` or `1:` are the names 'yes' and '1', never a
        boolean or a number (field names are text)."""
        if not isinstance(node, yaml.ScalarNode) or node.tag not in _PLAIN_KEY_TAGS:
            return None
        return node.value

    def _refuse_tag(self, node: yaml.Node, expected: str, loc: Loc, line: int) -> None:
        if node.tag != expected:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.problems.add(self.label, f"unsupported YAML tag {tag}: only plain values, lists "
                              "and mappings are read (no tags that build objects)",
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

