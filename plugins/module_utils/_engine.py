# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The option-table engine: every option of every object declared once.

An ``Option`` says, for one option of a module (a container's ``memory``, a
service's ``replicas``, a network's ``labels``, a swarm's ``autolock``...):

- ``spec``: its argument-spec entry (None when the module declares it elsewhere);
- ``read(ctx)``: its current value, comparable, from the daemon's inspect data;
- ``want(ctx)``: its wanted value, comparable, from the task (``UNMANAGED``:
  the task does not manage it, so it is not compared);
- ``body(ctx, body)``: how it fills the API request that creates the object;
- ``cli(ctx)``: its flags on the equivalent ``docker ... create`` command;
- ``apply``: how a difference is applied: ``RECREATE`` (a new object),
  ``UPDATE`` (in place: ``docker container update``, ``docker service update``,
  ``docker swarm update``, ``docker node update``), ``NETWORK`` (connect /
  disconnect), ``NONE`` (nothing to do: reported only), or a function
  ``(current, wanted) -> one of them``;
- ``update(ctx, body)`` / ``update_cli(ctx)``: how an in-place update sends it;
- ``equal(ctx, current, wanted)``: for the few options where equal is more than ``==``;
- ``comparison``: the default comparison mode, which a task may override per
  option (``comparisons: {memory: ignore, '*': allow_more_present}``):
  ``strict`` (equal), ``ignore`` (never a difference) or ``allow_more_present``
  (what the task lists must be there; more is fine: a superset mapping or list).

``ctx`` is whatever the object's table reads from (the task's parsed values,
the inspect data...): the engine never looks inside it.  ``plan()`` compares a
table, ``create_body()`` and ``create_cli()`` build the create request and its
CLI text from the same parsed values, and ``update_request()`` builds an
in-place update from a plan.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError

RECREATE = "recreate"
UPDATE = "update"
NETWORK = "network"
NONE = "none"

STRICT = "strict"
IGNORE = "ignore"
ALLOW_MORE_PRESENT = "allow_more_present"
COMPARISONS = (STRICT, IGNORE, ALLOW_MORE_PRESENT)


class _Unmanaged:
    def __repr__(self) -> str:
        return "UNMANAGED"


UNMANAGED: t.Any = _Unmanaged()

Ctx = t.Any


@dataclass(frozen=True)
class Option:
    """One option of an object's table (see the module docstring)."""

    name: str
    spec: dict[str, t.Any] | None = None
    read: t.Callable[[Ctx], t.Any] | None = None
    want: t.Callable[[Ctx], t.Any] | None = None
    body: t.Callable[[Ctx, dict[str, t.Any]], None] | None = None
    cli: t.Callable[[Ctx], list[str]] | None = None
    apply: str | t.Callable[[t.Any, t.Any], str] = RECREATE
    update: t.Callable[[Ctx, dict[str, t.Any]], None] | None = None
    update_cli: t.Callable[[Ctx], list[str]] | None = None
    equal: t.Callable[[Ctx, t.Any, t.Any], bool] | None = None
    comparison: str = STRICT

    @property
    def compared(self) -> bool:
        return self.read is not None and self.want is not None


@dataclass(frozen=True)
class Difference:
    """One option whose current value differs from the wanted one, and how that is applied."""

    option: str
    before: t.Any
    after: t.Any
    how: str


def is_superset(current: t.Any, wanted: t.Any) -> bool:
    """allow_more_present: every wanted entry is present (mappings by key and value, lists as sets)."""
    if isinstance(wanted, dict) and isinstance(current, dict):
        return all(key in current and is_superset(current[key], value) for key, value in wanted.items())
    if isinstance(wanted, (list, tuple)) and isinstance(current, (list, tuple)):
        return all(any(item == other for other in current) for item in wanted)
    return current == wanted


def check_comparisons(value: t.Any, names: t.Iterable[str], option: str = "comparisons") -> dict[str, str]:
    """A task's ``comparisons`` mapping, checked against the table's option names ('*' for all)."""
    if not value:
        return {}
    if not isinstance(value, dict):
        raise SpecError(f"{option}: write a mapping of option names to strict, ignore or allow_more_present.")
    known = set(names) | {"*"}
    result = {}
    for key, mode in value.items():
        if key not in known:
            raise SpecError(f"{option}: {key!r} is not an option that is compared; use one of {', '.join(sorted(known))}.")
        if mode not in COMPARISONS:
            raise SpecError(f"{option}.{key}: {mode!r} is not one of {', '.join(COMPARISONS)}.")
        result[str(key)] = str(mode)
    return result


def same(option: Option, ctx: Ctx, current: t.Any, wanted: t.Any, mode: str) -> bool:
    """Whether current and wanted agree for this option under a comparison mode."""
    if mode == IGNORE:
        return True
    if option.equal is not None and option.equal(ctx, current, wanted):
        return True
    if mode == ALLOW_MORE_PRESENT:
        return is_superset(current, wanted)
    return option.equal is None and current == wanted


def plan(options: t.Iterable[Option], ctx: Ctx, comparisons: t.Mapping[str, str] | None = None) -> list[Difference]:
    """Every difference between the current object and the task, option by option, in table order."""
    comparisons = comparisons or {}
    diffs = []
    for option in options:
        if not option.compared:
            continue
        wanted = option.want(ctx)  # type: ignore[misc]
        if wanted is UNMANAGED:
            continue
        mode = comparisons.get(option.name) or comparisons.get("*") or option.comparison
        if mode == IGNORE:
            continue
        current = option.read(ctx)  # type: ignore[misc]
        if not same(option, ctx, current, wanted, mode):
            how = option.apply(current, wanted) if callable(option.apply) else option.apply
            diffs.append(Difference(option.name, current, wanted, how))
    return diffs


def create_body(options: t.Iterable[Option], ctx: Ctx, body: dict[str, t.Any] | None = None) -> dict[str, t.Any]:
    """The create request, every option filling its part."""
    body = {} if body is None else body
    for option in options:
        if option.body:
            option.body(ctx, body)
    return body


def create_cli(options: t.Iterable[Option], ctx: Ctx) -> list[str]:
    """The create command's flags, every option adding its own, from the same parsed values as the body."""
    argv: list[str] = []
    for option in options:
        if option.cli:
            argv += option.cli(ctx)
    return argv


def update_request(
    options: t.Iterable[Option], ctx: Ctx, diffs: t.Iterable[Difference], body: dict[str, t.Any] | None = None,
) -> tuple[dict[str, t.Any], list[str]]:
    """The in-place update of the options that differ (``how == UPDATE``): its body and its CLI flags."""
    by_name = {o.name: o for o in options}
    body = {} if body is None else body
    argv: list[str] = []
    for diff in diffs:
        if diff.how != UPDATE:
            continue
        option = by_name[diff.option]
        if option.update:
            option.update(ctx, body)
        if option.update_cli:
            argv += option.update_cli(ctx)
    return body, argv


def argument_spec(options: t.Iterable[Option]) -> dict[str, t.Any]:
    """The argument-spec entries the table declares."""
    return {o.name: dict(o.spec) for o in options if o.spec is not None}


# ---------------------------------------------------------------- options on nested documents
def get_path(data: t.Any, path: t.Sequence[str]) -> t.Any:
    """data[path[0]][path[1]]... (None where a level is missing)."""
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def set_path(data: dict[str, t.Any], path: t.Sequence[str], value: t.Any) -> None:
    """data[path[0]][path[1]]... = value, creating the levels on the way."""
    for key in path[:-1]:
        if not isinstance(data.get(key), dict):
            data[key] = {}
        data = data[key]
    data[path[-1]] = value


def flag(name: str, value: t.Any) -> list[str]:
    """['--name', 'value'] when there is a value, [] when there is none."""
    return [] if value in (None, "") else [name, str(value)]


def flags(name: str, values: t.Iterable[t.Any] | None) -> list[str]:
    """['--name', 'a', '--name', 'b'] for every value."""
    argv: list[str] = []
    for value in values or []:
        argv += [name, str(value)]
    return argv


def _same_value(value: t.Any) -> t.Any:
    return value


@dataclass(frozen=True)
class PathOption(Option):
    """An option that is one leaf of a nested API document (a service spec, the swarm spec, a node
    spec), built from the task with its wanted value: the context is the current document.  The
    update is the current document with the leaves that differ replaced, so ``update`` sets it too."""

    path: tuple[str, ...] = ()
    value: t.Any = None


def path_option(
    name: str,
    path: tuple[str, ...],
    value: t.Any,
    norm: t.Callable[[t.Any], t.Any] = _same_value,
    cli: t.Sequence[str] = (),
    apply: str = UPDATE,
) -> PathOption:
    """The option ``name`` at ``path``, wanting ``value`` (None: not managed), compared through ``norm``
    (current and wanted alike), shown as the flags ``cli``."""
    flags = list(cli)

    def fill(_doc: t.Any, body: dict[str, t.Any]) -> None:
        if value is not None:
            set_path(body, path, value)

    return PathOption(
        name,
        read=lambda doc: get_path(doc, path),
        want=lambda _doc: UNMANAGED if value is None else value,
        equal=lambda _doc, current, wanted: norm(current) == norm(wanted),
        body=fill,
        cli=lambda _doc: list(flags),
        apply=apply,
        update=fill,
        update_cli=lambda _doc: list(flags),
        path=tuple(path),
        value=value,
    )


# ---------------------------------------------------------------- options on flat objects (networks, volumes)
@dataclass
class Pair:
    """The context of a flat table: the daemon's inspect data and the task's parsed values by option name
    (None: not given, so not managed)."""

    current: dict[str, t.Any]
    wanted: dict[str, t.Any]


def given(name: str) -> t.Callable[[Pair], t.Any]:
    """want() of a flat option: the task's value, or UNMANAGED when the task does not give it."""
    return lambda ctx: UNMANAGED if ctx.wanted.get(name) is None else ctx.wanted[name]
