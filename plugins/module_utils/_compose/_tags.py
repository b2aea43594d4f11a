# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Compose's two merge tags: ``!reset`` (the attribute goes back to its default: removed from the merged
result) and ``!override`` (the value replaces the one merged so far instead of being merged with it).

The YAML loader turns a tagged node into a ``Reset`` or an ``Override`` marker; interpolation looks
inside an ``Override``; the merge stage applies them; ``strip()`` resolves the markers left in a
document that was not merged with anything (a ``!reset`` then removes the key, an ``!override`` is its
value).
"""

from __future__ import annotations

import typing as t


class Reset:
    """``!reset``: the key is removed from the merged service (its default applies)."""

    def __repr__(self) -> str:
        return "!reset"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Reset)

    def __hash__(self) -> int:
        return hash("!reset")


class Override:
    """``!override VALUE``: VALUE replaces what the earlier files or the extended service set."""

    def __init__(self, value: t.Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"!override {self.value!r}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Override) and other.value == self.value

    def __hash__(self) -> int:
        return hash(repr(self))


def _construct_reset(_loader: t.Any, _node: t.Any) -> Reset:
    return Reset()


def _construct_override(loader: t.Any, node: t.Any) -> Override:
    from yaml.nodes import MappingNode, SequenceNode  # pylint: disable=import-outside-toplevel

    if isinstance(node, MappingNode):
        loader.flatten_mapping(node)
        return Override(loader.construct_mapping(node, deep=True))
    if isinstance(node, SequenceNode):
        return Override(loader.construct_sequence(node, deep=True))
    return Override(loader.construct_scalar(node))


def register(loader_class: t.Any) -> None:
    """Add the ``!reset`` and ``!override`` constructors to a loader class (a subclass of the bounded loader)."""
    loader_class.add_constructor("!reset", _construct_reset)
    loader_class.add_constructor("!override", _construct_override)


def strip(value: t.Any) -> t.Any:
    """Resolve the markers of a document that is not merged further: ``!reset`` keys go, ``!override`` values
    are unwrapped."""
    if isinstance(value, Override):
        return strip(value.value)
    if isinstance(value, dict):
        return {k: strip(v) for k, v in value.items() if not isinstance(v, Reset)}
    if isinstance(value, list):
        return [strip(v) for v in value if not isinstance(v, Reset)]
    return value
