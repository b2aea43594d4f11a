# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Service keys that name another service: ``volumes_from``, ``links``, and ``network_mode``/``ipc``/``pid``
written ``service:NAME``. Each makes the named service a dependency (it starts first, as the Compose CLI
orders them), and the converger turns the name into the container's name.
"""

from __future__ import annotations

import typing as t

from ansible_collections.devops.docker.plugins.module_utils._compose._validate import ComposeError


def referenced_services(svc: dict[str, t.Any]) -> list[tuple[str, str]]:
    """[(key, service)] of every other service a normalized service names."""
    refs = svc.get("refs") or {}
    out = [(key, refs[key]) for key in ("network_mode", "ipc_mode", "pid_mode") if refs.get(key)]
    out += [("volumes_from", item["service"]) for item in refs.get("volumes_from") or [] if item.get("service")]
    out += [("links", item["service"]) for item in refs.get("links") or []]
    return out


def implied_dependencies(name: str, svc: dict[str, t.Any], services: dict[str, t.Any], disabled: list[str]) -> None:
    for key, other in referenced_services(svc):
        if other == name:
            raise ComposeError(f"services.{name}.{key}: a service cannot refer to itself.")
        if other not in services:
            why = "is disabled by its profiles" if other in disabled else "is not defined"
            raise ComposeError(f"services.{name}.{key}: service {other!r} {why}; it must run for {name!r} to start.")
        svc["depends_on"].setdefault(other, {"condition": "service_started", "required": True, "restart": False})
