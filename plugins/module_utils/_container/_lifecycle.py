# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""One container lifecycle, shared by the ``container`` module and Compose: start, stop, restart,
pause, rename and remove on the Engine API, and the ``docker container ...`` commands that say so.

Every function takes the API client and a container ID (or name); none looks at a task.  Stopping
is graceful (the container's stop signal, then ``timeout`` seconds) unless the task force-kills
(``stop_or_kill``); removing stops first, and a
container that ``auto_remove`` is already removing is waited for instead.
"""

from __future__ import annotations

import typing as t

from ansible_collections.devops.docker.plugins.module_utils._client import Conflict, DockerAPI, NotFound

ACTIVE = ("running", "restarting", "paused")
DEFAULT_STOP_TIMEOUT = 10


def status_of(container: dict[str, t.Any] | None) -> str | None:
    """The status of an inspect document (State.Status) or of a list entry (State)."""
    if not container:
        return None
    state = container.get("State")
    return state.get("Status") if isinstance(state, dict) else state


def is_active(container: dict[str, t.Any] | None) -> bool:
    """Running, restarting or paused: a container that has to be stopped before it goes."""
    return status_of(container) in ACTIVE


def stop_timeout(container: dict[str, t.Any] | None, wanted: int | None = None) -> int:
    """The task's stop timeout, else the container's own (Config.StopTimeout), else Docker's 10 s."""
    if wanted is not None:
        return int(wanted)
    value = ((container or {}).get("Config") or {}).get("StopTimeout")
    return int(value) if value is not None else DEFAULT_STOP_TIMEOUT


# ---------------------------------------------------------------- the commands, as actions
def stop_argv(name: str, timeout: int | None) -> list[t.Any]:
    return ["docker", "container", "stop", *(["--time", timeout] if timeout is not None else []), name]


def kill_argv(name: str, signal: str | None = None) -> list[t.Any]:
    return ["docker", "container", "kill", *(["--signal", signal] if signal else []), name]


def remove_argv(name: str, volumes: bool = False) -> list[t.Any]:
    return ["docker", "container", "rm", *(["--volumes"] if volumes else []), name]


def record_removal(tracker: t.Any, container: dict[str, t.Any], name: str, timeout: int, volumes: bool = False) -> None:
    """The actions of a removal: a stop when the container is active, then the rm."""
    if is_active(container):
        tracker.action(*stop_argv(name, timeout))
    tracker.action(*remove_argv(name, volumes))


# ---------------------------------------------------------------- the requests
def _post(api: DockerAPI, path: str, cid: str, query: dict[str, t.Any] | None = None, timeout: float | None = None) -> None:
    api.request("POST", api.url(path, cid), query, timeout=timeout).read()


def create(api: DockerAPI, name: str, body: dict[str, t.Any], platform: str | None = None) -> dict[str, t.Any]:
    """POST /containers/create: the one request a first create and a recreate (under its temporary name)
    both send, so the two cannot differ.  Raises the daemon's APIError; answers {"Id", "Warnings"}."""
    query = {"name": name, **({"platform": platform} if platform else {})}
    return t.cast("dict[str, t.Any]", api.post(api.url("/containers/create"), query, body))


def start(api: DockerAPI, cid: str) -> None:
    _post(api, "/containers/{0}/start", cid)


def stop(api: DockerAPI, cid: str, timeout: int | None = None, grace: int | None = None) -> None:
    """Stop gracefully (``timeout``: the task's, else the container's own); a container already stopped or
    gone is fine.  ``grace``: how long the container may take (its own stop timeout) when ``timeout`` is None."""
    wait = timeout if timeout is not None else (grace or DEFAULT_STOP_TIMEOUT)
    try:
        _post(api, "/containers/{0}/stop", cid, {"t": timeout} if timeout is not None else None, api.timeout + wait)
    except (NotFound, Conflict):
        pass


def kill(api: DockerAPI, cid: str, signal: str | None = None) -> None:
    """docker container kill (``signal``, else SIGKILL), then wait until it no longer runs; a container
    already stopped or gone is fine."""
    try:
        _post(api, "/containers/{0}/kill", cid, {"signal": signal or "SIGKILL"})
        api.request("POST", api.url("/containers/{0}/wait", cid), {"condition": "not-running"}, timeout=api.timeout).read()
    except (NotFound, Conflict):
        pass  # gone, or not running any more


def stop_or_kill(api: DockerAPI, tracker: t.Any, name: str, cid: str | None, check_mode: bool, *,
                 force_kill: bool = False, kill_signal: str | None = None,
                 timeout: int | None = None, grace: int | None = None) -> None:
    """Bring a running container down the way the task says -- with ``force_kill`` killed (``kill_signal``,
    else SIGKILL), else stopped gracefully -- and record the command.  Used by state stopped, absent and
    the recreate path alike.  Nothing is requested in check mode or without an ID."""
    if force_kill:
        tracker.action(*kill_argv(name, kill_signal))
        if not check_mode and cid:
            kill(api, cid, kill_signal)
    else:
        tracker.action(*stop_argv(name, timeout))
        if not check_mode and cid:
            stop(api, cid, timeout, grace)


def restart(api: DockerAPI, cid: str, timeout: int | None = None, grace: int | None = None) -> None:
    wait = timeout if timeout is not None else (grace or DEFAULT_STOP_TIMEOUT)
    _post(api, "/containers/{0}/restart", cid, {"t": timeout} if timeout is not None else None, api.timeout + wait)


def pause(api: DockerAPI, cid: str) -> None:
    _post(api, "/containers/{0}/pause", cid)


def unpause(api: DockerAPI, cid: str) -> None:
    _post(api, "/containers/{0}/unpause", cid)


def rename(api: DockerAPI, cid: str, name: str) -> None:
    api.request("POST", api.url("/containers/{0}/rename", cid), {"name": name}).read()


def remove(api: DockerAPI, container: dict[str, t.Any], timeout: int, volumes: bool = False) -> None:
    """Stop gracefully when active, then remove (anonymous volumes too with ``volumes``).
    A container that is gone is fine; one that auto_remove is removing is waited for."""
    cid = container["Id"]
    if is_active(container):
        stop(api, cid, timeout)
    try:
        api.request("DELETE", api.url("/containers/{0}", cid), {"force": True, **({"v": True} if volumes else {})},
                    timeout=api.timeout + timeout).read()
    except NotFound:
        return
    except Conflict:
        try:
            api.request("POST", api.url("/containers/{0}/wait", cid), {"condition": "removed"}, timeout=api.timeout).read()
        except NotFound:
            pass
