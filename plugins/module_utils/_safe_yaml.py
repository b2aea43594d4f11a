# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A YAML loader with bounds: what a hostile file costs is known before it is built.

``yaml.safe_load`` builds no arbitrary objects, but it does not bound the work:
nine levels of nine aliases ("billion laughs") compose into a few dozen nodes
that every later stage (interpolation, merge) walks as 9**9 nodes; a deeply
nested flow sequence overflows the recursive constructor; a 50 MB file is
parsed before anything looks at it.  This loader

- refuses input larger than ``max_bytes`` before parsing (``read_file`` reads
  no more than that);
- composes the node graph itself from the parser's events (no recursion) and
  counts as it goes: nesting depth, nodes, aliases, and the *expanded* size of
  the document (an alias counts as the whole node it points to, so an alias
  bomb fails as soon as its expansion passes ``max_nodes``);
- refuses an alias to a node that is still open (a recursive structure);
- refuses a key written twice in one mapping (YAML 1.2 and the Compose
  specification say keys are unique; the last one silently winning hides
  mistakes), except keys brought in by a ``<<`` merge, which may be overridden;
- then constructs the data with a safe constructor.  ``BoundedSafeLoader`` is a
  class: add constructors for custom tags with ``add_constructor`` on a
  subclass (Compose's ``!reset`` and ``!override``).

Every refusal is a ``SafeYamlError`` naming the file and the limit.  The limits
are a ``YamlLimits`` value; callers that need more pass their own.
"""

from __future__ import annotations

import os
import typing as t
from dataclasses import dataclass

from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError

try:
    import yaml
    from yaml.events import (
        AliasEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
    )
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    HAS_YAML = True
    _BASE: t.Any = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
except ImportError:  # pragma: no cover - PyYAML ships with ansible-core
    HAS_YAML = False

    class _NoYaml:
        """Stands in for the loader when PyYAML is missing: subclasses still import and register their
        constructors; load() says what to install."""

        @classmethod
        def add_constructor(cls, tag: t.Any, constructor: t.Any) -> None:
            pass

        @classmethod
        def add_multi_constructor(cls, tag_prefix: t.Any, constructor: t.Any) -> None:
            pass

    _BASE = _NoYaml

MERGE_TAG = "tag:yaml.org,2002:merge"


class SafeYamlError(SpecError):
    """The YAML input is invalid or over a limit; the message names the input and the limit."""


@dataclass(frozen=True)
class YamlLimits:
    """Bounds of one document.  The defaults are far above any real Compose file."""

    max_bytes: int = 8 * 1024 * 1024  # size of the text, checked before parsing
    max_depth: int = 64  # nesting of sequences and mappings
    max_nodes: int = 50_000  # nodes after alias expansion (about half a second of parsing)
    max_aliases: int = 10_000  # alias uses (*name) in the text
    max_expanded_chars: int = 32 * 1024 * 1024  # characters of all scalars after alias expansion


DEFAULT_LIMITS = YamlLimits()


class BoundedSafeLoader(_BASE):  # type: ignore[misc,valid-type]
    """yaml's safe loader (the C one when available); ``load()`` drives it with bounds.

    Subclass it and call ``add_constructor(tag, function)`` on the subclass for
    custom tags; the subclass's constructors do not leak into this class.
    """

    allow_duplicate_keys = False


def _mark(node_or_event: t.Any) -> str:
    mark = getattr(node_or_event, "start_mark", None)
    if mark is None:
        return ""
    return f" (line {mark.line + 1}, column {mark.column + 1})"


class _Composer:
    """Build the node graph from events without recursion, counting as it goes."""

    def __init__(self, loader: t.Any, where: str, limits: YamlLimits) -> None:
        self.loader = loader
        self.where = where
        self.limits = limits
        self.anchors: dict[str, t.Any] = {}
        self.open_nodes: set[int] = set()
        self.weight: dict[int, tuple[int, int]] = {}  # id(node) -> (expanded nodes, expanded chars)
        self.nodes = 0
        self.aliases = 0

    def fail(self, what: str, where_obj: t.Any = None) -> t.NoReturn:
        raise SafeYamlError(f"{self.where}{_mark(where_obj) if where_obj is not None else ''}: {what}")

    def _add_weight(self, parent: t.Any, weight: tuple[int, int], event: t.Any) -> None:
        old = self.weight[id(parent)]
        new = (old[0] + weight[0], old[1] + weight[1])
        self.weight[id(parent)] = new
        if new[0] > self.limits.max_nodes:
            self.fail(f"the document expands to more than {self.limits.max_nodes} nodes (aliases counted in full; "
                      "an alias bomb?). Write the repeated parts out, or split the file.", event)
        if new[1] > self.limits.max_expanded_chars:
            self.fail(f"the document expands to more than {self.limits.max_expanded_chars} characters of values "
                      "(aliases counted in full). Make the file smaller.", event)

    def compose(self) -> t.Any:
        loader = self.loader
        loader.get_event()  # STREAM-START
        if loader.check_event(StreamEndEvent):
            loader.get_event()
            return None
        loader.get_event()  # DOCUMENT-START
        root_holder = MappingNode("holder", [])
        self.weight[id(root_holder)] = (0, 0)
        # stack entries: [node, pending key or None, keys seen {(tag, value): line}]
        stack: list[list[t.Any]] = [[root_holder, None, None]]
        root = None
        while True:
            if len(stack) == 1 and root is not None:
                break
            event = loader.get_event()
            if isinstance(event, (SequenceEndEvent, MappingEndEvent)):
                node = stack.pop()[0]
                node.end_mark = event.end_mark
                self.open_nodes.discard(id(node))
                self._attach(stack[-1], node, self.weight[id(node)], event)
                if len(stack) == 1:
                    root = node
                continue
            if isinstance(event, AliasEvent):
                self.aliases += 1
                if self.aliases > self.limits.max_aliases:
                    self.fail(f"more than {self.limits.max_aliases} aliases (*name); write the repeated parts out.", event)
                node = self.anchors.get(event.anchor)
                if node is None:
                    self.fail(f"found undefined alias *{event.anchor}; define &{event.anchor} before using it.", event)
                if id(node) in self.open_nodes:
                    self.fail(f"the alias *{event.anchor} points into its own anchor &{event.anchor} (a recursive "
                              "structure); it cannot be loaded.", event)
                self._attach(stack[-1], node, self.weight[id(node)], event)
                if len(stack) == 1:
                    root = node
                continue
            anchor = getattr(event, "anchor", None)
            if anchor is not None and anchor in self.anchors:
                self.fail(f"found duplicate anchor &{anchor}; give each anchor its own name.", event)
            self.nodes += 1
            if self.nodes > self.limits.max_nodes:
                self.fail(f"more than {self.limits.max_nodes} nodes; the file is too large to be a Compose file.", event)
            if isinstance(event, ScalarEvent):
                tag = event.tag
                if tag is None or tag == "!":
                    tag = loader.resolve(ScalarNode, event.value, event.implicit)
                node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
                if anchor is not None:
                    self.anchors[anchor] = node
                weight = (1, len(event.value))
                self.weight[id(node)] = weight
                self._attach(stack[-1], node, weight, event)
                if len(stack) == 1:
                    root = node
                continue
            if isinstance(event, (SequenceStartEvent, MappingStartEvent)):
                if len(stack) > self.limits.max_depth:
                    self.fail(f"nesting deeper than {self.limits.max_depth} levels; flatten the structure.", event)
                tag = event.tag
                if isinstance(event, SequenceStartEvent):
                    if tag is None or tag == "!":
                        tag = loader.resolve(SequenceNode, None, event.implicit)
                    node = SequenceNode(tag, [], event.start_mark, None, flow_style=event.flow_style)
                else:
                    if tag is None or tag == "!":
                        tag = loader.resolve(MappingNode, None, event.implicit)
                    node = MappingNode(tag, [], event.start_mark, None, flow_style=event.flow_style)
                if anchor is not None:
                    self.anchors[anchor] = node
                self.open_nodes.add(id(node))
                self.weight[id(node)] = (1, 0)
                stack.append([node, None, {} if isinstance(node, MappingNode) else None])
                continue
            self.fail(f"unexpected YAML event {type(event).__name__}.", event)  # pragma: no cover
        loader.get_event()  # DOCUMENT-END
        if not loader.check_event(StreamEndEvent):
            event = loader.get_event()
            self.fail("expected a single document but found another one (---); keep one document per file.", event)
        loader.get_event()
        return root

    def _attach(self, entry: list[t.Any], node: t.Any, weight: tuple[int, int], event: t.Any) -> None:
        parent = entry[0]
        if parent.tag == "holder":
            return
        self._add_weight(parent, weight, event)
        if isinstance(parent, SequenceNode):
            parent.value.append(node)
            return
        if entry[1] is None:
            entry[1] = (node,)
            return
        key = entry[1][0]
        entry[1] = None
        parent.value.append((key, node))
        if isinstance(key, ScalarNode) and key.tag != MERGE_TAG and not self.loader.allow_duplicate_keys:
            ident = (key.tag, key.value)
            seen = entry[2]
            if ident in seen:
                self.fail(f"the key {key.value!r} is written twice in one mapping (first on line {seen[ident]}); "
                          "keys must be unique: keep one.", key)
            seen[ident] = key.start_mark.line + 1 if key.start_mark else 0


def load(text: str | bytes, where: str = "YAML input", *, loader: type | None = None,
         limits: YamlLimits | None = None) -> t.Any:
    """Load one YAML document with bounds; ``SafeYamlError`` names ``where`` and the limit passed."""
    if not HAS_YAML:  # pragma: no cover
        raise SafeYamlError("PyYAML is needed to read YAML: install python3-yaml (pip install PyYAML).")
    limits = limits or DEFAULT_LIMITS
    loader_cls = loader or BoundedSafeLoader
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "surrogatepass"))
    if size > limits.max_bytes:
        raise SafeYamlError(f"{where} is {size} bytes, more than the limit of {limits.max_bytes} bytes; "
                            "a Compose/YAML file that large is refused before parsing.")
    instance = loader_cls(text)
    try:
        node = _Composer(instance, where, limits).compose()
        if node is None:
            return None
        return instance.construct_document(node)
    except SafeYamlError:
        raise
    except yaml.YAMLError as exc:
        raise SafeYamlError(f"{where} is not valid YAML: {exc}") from exc
    except RecursionError as exc:  # pragma: no cover - bounded by max_depth
        raise SafeYamlError(f"{where}: nesting too deep to load.") from exc
    finally:
        dispose = getattr(instance, "dispose", None)
        if dispose:
            dispose()


def read_file(path: str, limits: YamlLimits | None = None) -> str:
    """The text of ``path``, refused when larger than ``max_bytes`` (read no further than that)."""
    limits = limits or DEFAULT_LIMITS
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limits.max_bytes:
                raise SafeYamlError(f"{path} is {size} bytes, more than the limit of {limits.max_bytes} bytes; "
                                    "a Compose/YAML file that large is refused before parsing.")
            data = handle.read(limits.max_bytes + 1)
    except OSError as exc:
        raise SafeYamlError(f"cannot read {path}: {exc.strerror or exc}.") from exc
    if len(data) > limits.max_bytes:
        raise SafeYamlError(f"{path} is more than the limit of {limits.max_bytes} bytes; "
                            "a Compose/YAML file that large is refused before parsing.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SafeYamlError(f"{path} is not UTF-8 text (byte {exc.start}); save it as UTF-8.") from exc


def load_file(path: str, limits: YamlLimits | None = None, *, loader: type | None = None) -> t.Any:
    """``read_file`` then ``load``."""
    return load(read_file(path, limits), path, loader=loader, limits=limits)
