# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The small builders the container option table is written with (``_table.py`` and its themed
parts ``_table_resources.py`` and ``_table_host.py``): how a row fills the create request, adds its
``docker container create`` flags, reads a HostConfig or Config field, and says which Engine API
version it needs.

A row's context (``ctx``) is ``_table.Context``: ``ctx.params`` (the task as given), ``ctx.parsed``
(the task parsed by ``Desired``), ``ctx.config`` / ``ctx.host_config`` (the container's inspect
data), ``ctx.image_config`` and ``ctx.lookup`` (a few answers from the daemon).
"""

from __future__ import annotations

import typing as t

from ansible_collections.devops.docker.plugins.module_utils._client import DockerError, version_tuple
from ansible_collections.devops.docker.plugins.module_utils._engine import RECREATE, Option

Ctx = t.Any


def of_type(kind: str, *names: str) -> dict[str, dict[str, t.Any]]:
    """Argument spec entries of one plain type (each its own dict: Ansible may add to it)."""
    return {name: {"type": kind} for name in names}


def flag_if(flag: str, key: str) -> t.Callable[[Ctx], list[str]]:
    """``[flag]`` when the task's ``key`` is true."""
    return lambda ctx: [flag] if ctx.params.get(key) else []


def opt(flag: str, key: str) -> t.Callable[[Ctx], list[str]]:
    """``[flag, value]`` when the task gives ``key``."""
    return lambda ctx: [flag, str(ctx.params[key])] if ctx.params.get(key) not in (None, "") else []


def parsed_opt(flag: str, key: str) -> t.Callable[[Ctx], list[str]]:
    """``[flag, value]`` from the parsed value ``key`` (not None)."""
    return lambda ctx: [flag, str(ctx.parsed[key])] if ctx.parsed.get(key) is not None else []


def many(flag: str, values: t.Callable[[Ctx], t.Iterable[t.Any]]) -> t.Callable[[Ctx], list[str]]:
    """``[flag, v1, flag, v2, ...]``."""
    def build(ctx: Ctx) -> list[str]:
        out: list[str] = []
        for value in values(ctx):
            out += [flag, str(value)]
        return out
    return build


def put(section: str | None, key: str, value: t.Callable[[Ctx], t.Any]) -> t.Callable[[Ctx, dict[str, t.Any]], None]:
    """Fill ``body[section][key]`` (``body[key]`` without a section) with a value that is not None."""
    def fill(ctx: Ctx, body: dict[str, t.Any]) -> None:
        val = value(ctx)
        if val is None:
            return
        (body.setdefault(section, {}) if section else body)[key] = val
    return fill


def bool_option(name: str, section: str | None, key: str, flag: str, apply: str = RECREATE,
                spec: dict[str, t.Any] | None = None) -> Option:
    """A yes/no option of Config or HostConfig (not set: the daemon's default, false)."""
    def read(ctx: Ctx) -> bool:
        return bool((ctx.host_config if section == "HostConfig" else ctx.config).get(key))

    return Option(
        name,
        spec if spec is not None else {"type": "bool"},
        read=read,
        want=lambda ctx: bool(ctx.params.get(name)),
        body=put(section, key, lambda ctx: True if ctx.params.get(name) else None),
        cli=flag_if(flag, name),
        apply=apply,
    )


def host_value(name: str, key: str, flag: str, spec: dict[str, t.Any], *, parsed: bool = False,
               default: t.Any = None, apply: str = RECREATE, norm: t.Callable[[t.Any], t.Any] | None = None,
               update: bool = False, equal: t.Callable[[Ctx, t.Any, t.Any], bool] | None = None) -> Option:
    """A plain HostConfig field: read from the container, wanted from the task (``parsed``: from the
    parsed values), ``default`` standing for the daemon's value when the task leaves it out.
    ``update``: changed in place by ``docker container update`` with the same flag."""
    norm = norm or (lambda value: value)

    def wanted(ctx: Ctx) -> t.Any:
        value = ctx.parsed.get(name) if parsed else ctx.params.get(name)
        return norm(default if value in (None, "") else value)

    def value(ctx: Ctx) -> t.Any:
        val = ctx.parsed.get(name) if parsed else ctx.params.get(name)
        return None if val in (None, "") else val

    def cli(ctx: Ctx) -> list[str]:
        val = value(ctx)
        if val is None:
            return []
        if isinstance(val, bool):  # a boolean flag takes its value after '=' ('--oom-kill-disable=false')
            return [flag] if val else [f"{flag}=false"]
        return [flag, str(val)]

    return Option(
        name, spec,
        read=lambda ctx: norm(ctx.host_config.get(key) if ctx.host_config.get(key) not in (None, "") else default),
        want=wanted,
        body=put("HostConfig", key, value),
        cli=cli,
        apply=apply,
        equal=equal,
        update=put(None, key, value) if update else None,
        update_cli=cli if update else None,
    )


# ---------------------------------------------------------------- API versions
# (option, test on the parsed task, API version, what needs it): checked only when the task uses it.
def require_api(ctx: Ctx, needs: t.Iterable[tuple[str, t.Callable[[Ctx], bool], str]]) -> None:
    """Fail with the API version an option needs when the daemon speaks an older one."""
    version = ctx.lookup("api_version", "") if ctx.lookup else None
    if not version:
        return
    for what, used, minimum in needs:
        if used(ctx) and version_tuple(version) < version_tuple(minimum):
            raise DockerError(
                f"{what} needs Docker Engine API {minimum} or newer; this daemon speaks API {version}. "
                "Upgrade Docker Engine, or leave the option out."
            )
