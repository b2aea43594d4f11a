# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Watching a container run: ``docker run`` without ``-d`` (start attached, wait for the exit),
``docker logs``, and waiting until its healthcheck says healthy.  The caller redacts secrets."""

from __future__ import annotations

import time
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._client import DockerAPI, DockerError
from ansible_collections.devops.docker.plugins.module_utils._container import _lifecycle as lifecycle
from ansible_collections.devops.docker.plugins.module_utils._values._secrets import redact
from ansible_collections.devops.docker.plugins.module_utils._values._streams import output_text

ZERO_TIME = "0001-01-01T00:00:00Z"


def never_started(container: dict[str, t.Any] | None) -> bool:
    """A container that was created and never ran."""
    state = (container or {}).get("State") or {}
    return state.get("StartedAt") in (None, "", ZERO_TIME) and state.get("Status") == "created"


def container_logs(api: DockerAPI, container: dict[str, t.Any]) -> str:
    """Everything the container wrote (stdout, then stderr), as text."""
    resp = api.request("GET", api.url("/containers/{0}/logs", container["Id"]), {"stdout": 1, "stderr": 1})
    return output_text(resp.read(), bool((container.get("Config") or {}).get("Tty")))


def run_attached(api: DockerAPI, cid: str, name: str, timeout: float) -> tuple[int | None, str, dict[str, t.Any] | None]:
    """Start the created container attached and wait for its exit: (exit code, output, inspect data)."""
    waiter = api.request("POST", api.url("/containers/{0}/wait", cid), {"condition": "next-exit"}, timeout=timeout)
    attach = api.request("POST", api.url("/containers/{0}/attach", cid),
                         {"stream": 1, "stdout": 1, "stderr": 1, "logs": 1}, timeout=timeout)
    inspected = api.inspect_container(cid)
    tty = bool(((inspected or {}).get("Config") or {}).get("Tty"))
    api.request("POST", api.url("/containers/{0}/start", cid)).read()
    try:
        raw = attach.read()
        rc = (waiter.json() or {}).get("StatusCode")
    except DockerError:
        raise
    except OSError as exc:  # socket timeout
        raise DockerError(
            f"Container {name!r} did not exit within wait_timeout={timeout}s ({exc}); it is still running. "
            "Raise wait_timeout, or run it detached (detach: true)."
        ) from None
    return rc, output_text(raw, tty), api.inspect_container(cid) or inspected


def wait_healthy(
    api: DockerAPI, ref: str, container: dict[str, t.Any] | None, timeout: float,
) -> tuple[dict[str, t.Any] | None, str | None, dict[str, t.Any]]:
    """Poll until the healthcheck says healthy: (container, None, {}) then; (container, why, last check)
    when it stopped or did not get healthy within ``timeout``.  No healthcheck at all is an error."""
    deadline = time.monotonic() + timeout
    while True:
        state = (container or {}).get("State") or {}
        health = state.get("Health")
        if health is None:
            raise DockerError(
                f"state: healthy needs a healthcheck, and container {ref!r} has none. Set the healthcheck "
                "option (or a HEALTHCHECK in the image), or use state: started."
            )
        if health.get("Status") == "healthy":
            return container, None, {}
        stopped = state.get("Status") not in ("running", "restarting")
        if stopped or time.monotonic() >= deadline:
            log = health.get("Log") or []
            why = f"is {state.get('Status')}" if stopped else f"is {health.get('Status')} after wait_timeout={timeout}s"
            return container, why, (log[-1] if log else {})
        time.sleep(0.5)
        container = api.inspect_container(ref)


class AttachedRun:
    """The container manager's ``detach: false`` and ``state: healthy``: run attached, report rc and output,
    wait for the healthcheck; secrets redacted from everything returned."""

    api: t.Any
    name: str
    check_mode: bool
    tracker: t.Any
    secret_values: list[str]
    result_extra: dict[str, t.Any]
    redacted: t.Callable[[dict[str, t.Any] | None], dict[str, t.Any]]
    _fail: t.Callable[..., DockerError]
    _wait_timeout: t.Callable[[], int]

    def _wait_healthy(self, cid: str | None, container: dict[str, t.Any] | None) -> dict[str, t.Any] | None:
        container, why, last = wait_healthy(self.api, cid or self.name, container, self._wait_timeout())
        if why is None:
            return container
        output = redact(str(last.get("Output") or "").strip(), self.secret_values)
        raise self._fail(
            f"state: container {self.name!r} {why}; last healthcheck exit code {last.get('ExitCode')}, "
            f"output: {output!r}. Check the healthcheck command and the container's logs, or raise wait_timeout.",
            container=self.redacted(container),
        )

    def _exited(self, rc: t.Any, output: str, container: dict[str, t.Any] | None, **details: t.Any) -> dict[str, t.Any]:
        self.result_extra.update(rc=rc, status=rc, output=output)  # status: community.docker's name
        if rc:
            raise self._fail(f"Container {self.name!r} exited with rc {rc}; output: {output[-2000:]!r}",
                             rc=rc, output=output, container=self.redacted(container), **details)
        shown = {**self.redacted(container), "Output": output} if container else {}
        if self.params.get("cleanup") and container and details.get("changed"):
            # community.docker's cleanup: a container that ran to success is removed
            self._remove({**container, "State": {"Status": "exited"}})
        return self.tracker.result(container=shown, **self.result_extra)

    def _run_to_completion(self, cid: str | None, fresh: bool, container: dict[str, t.Any] | None) -> dict[str, t.Any]:
        """detach: false, like docker run without -d: start, wait for the exit, return rc and output."""
        if not fresh and not never_started(container):
            # It already ran (or still runs) with this configuration: report what it did, change nothing.
            if lifecycle.status_of(container) in ("exited", "dead") and container:
                output = redact(container_logs(self.api, container), self.secret_values)
                return self._exited((container.get("State") or {}).get("ExitCode"), output, container)
            return self.tracker.result(container=self.redacted(container), **self.result_extra)
        self.tracker.action("docker", "container", "start", "--attach", self.name)
        if self.check_mode or not cid:
            return self.tracker.result(container=self.redacted(container), **self.result_extra)
        try:
            rc, output, final = run_attached(self.api, cid, self.name, self._wait_timeout())
        except DockerError as exc:
            raise self._fail(exc.msg) from None
        return self._exited(rc, redact(output, self.secret_values), final, changed=True)
