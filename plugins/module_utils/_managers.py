# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one manager convention: every object's manager takes plain inputs, so the same manager runs
inside its module (``DockerModule.manage``), inside Compose or a stack, or anywhere else.

    manager = NetworkManager(api, params, check_mode, tracker=None, warn=None)
    result = manager.run()      # changed, actions, diff, and the object's own keys
"""

from __future__ import annotations

import typing as t

from ansible_collections.devops.docker.plugins.module_utils._client import APIError, DockerError, version_tuple
from ansible_collections.devops.docker.plugins.module_utils._diff import Tracker


class Manager:
    """api: the Engine API client; params: the module's options (defaults filled); check_mode; tracker: where
    differences and actions go (a caller such as a stack passes its own); warn: how to warn the user."""

    def __init__(
        self,
        api: t.Any,
        params: dict[str, t.Any],
        check_mode: bool,
        tracker: Tracker | None = None,
        warn: t.Callable[[str], None] | None = None,
    ) -> None:
        self.api = api
        self.params = params
        self.check_mode = check_mode
        self.tracker = tracker or Tracker()
        self.warn = warn or (lambda msg: None)

    def run(self) -> dict[str, t.Any]:
        raise NotImplementedError


def require_api(api: t.Any, needs: str, what: str) -> None:
    """Fail when the engine's API (the requested one, else the daemon's, known after a first request) is older
    than ``needs``: ``what`` says what needs it."""
    version = getattr(api, "requested_version", None) or getattr(api, "server_api_version", None)
    if version and version_tuple(version) < version_tuple(needs):
        raise DockerError(f"{what} (Engine API {needs}); this engine speaks API {version}. Nothing was changed.")


def require_driver(api: t.Any, info: dict[str, t.Any], kind: str, driver: str, what: str) -> None:
    """Before creating a network or volume: ``driver`` is built in (``/info`` Plugins[kind], kind ``Network`` or
    ``Volume``) or an enabled plugin with that capability (``name`` or ``name:latest``); otherwise fail, naming
    ``what`` and the drivers there are."""
    available = set((info.get("Plugins") or {}).get(kind) or [])
    if driver in available:
        return
    try:
        plugins = api.get("/plugins", {"filters": {"capability": [f"{kind.lower()}driver"], "enabled": ["true"]}}) or []
    except APIError:
        plugins = []
    names = set()
    for plugin in plugins:
        name = plugin.get("Name", "")
        names.update({name, name.rsplit(":latest", 1)[0]})
    if driver in names:
        return
    raise DockerError(
        f"{what}: driver {driver} is not installed on this engine; available: "
        f"{', '.join(sorted(available | {n for n in names if n}))}. Nothing was changed."
    )
