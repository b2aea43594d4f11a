# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Waiting for a Compose service's dependencies as the Compose CLI does: ``depends_on`` conditions
``service_healthy`` and ``service_completed_successfully`` (``service_started`` needs no wait), and a restarted
dependency ready again before its dependents go on; a failed wait says which container, why, and its last log lines.
"""

from __future__ import annotations

import time

from ansible_collections.devops.docker.plugins.module_utils._client import DockerError
from ansible_collections.devops.docker.plugins.module_utils._compose._parts import ProjectParts
from ansible_collections.devops.docker.plugins.module_utils._compose._spec import POLL


class DependencyWaits(ProjectParts):
    """The waits of ComposeManager (nothing is waited for in check mode: nothing was started)."""

    def _wait_dependencies(self, service: str, touched: set[str]) -> None:
        for dep, cfg in sorted(self.project.services[service]["depends_on"].items()):
            condition = cfg["condition"]
            if condition == "service_started":
                continue
            self._wait_service(dep, "healthy" if condition == "service_healthy" else "completed", touched, service)

    def _wait_service(self, service: str, condition: str, touched: set[str], waiter: str | None = None) -> None:
        """Wait until every replica of service is healthy / completed (exit 0) / ready."""
        if self.check_mode:
            return  # nothing was started; the real run waits
        svc = self.project.services[service]
        if condition == "ready":
            if svc["healthcheck"] and not svc["healthcheck"].get("disable"):
                condition = "healthy"
            elif (svc["restart"] or "no") == "no" and service in self._dependency_jobs():
                condition = "completed"
            else:
                condition = "running"
        self.containers = self._list_containers()
        ids = [c["Id"] for c in self._service_containers(service)]
        who = f"services.{waiter}.depends_on.{service}" if waiter else f"services.{service}"
        deadline = time.monotonic() + self.wait_timeout
        for cid in ids:
            while True:
                info = self.api.inspect_container(cid)
                if info is None:
                    raise DockerError(f"{who}: container {cid[:12]} of {service!r} disappeared while waiting for it.")
                st = info.get("State") or {}
                name = info.get("Name", "").lstrip("/")
                health = (st.get("Health") or {}).get("Status")
                if condition == "healthy":
                    if health == "healthy":
                        break
                    if health is None and st.get("Running"):
                        raise DockerError(
                            f"{who}: {name} has no healthcheck, so condition service_healthy can never be met; add a "
                            "healthcheck to the service or use condition: service_started."
                        )
                    if health == "unhealthy" or not st.get("Running") and st.get("Status") in ("exited", "dead"):
                        raise DockerError(
                            f"{who}: {name} is {health or st.get('Status')} instead of healthy"
                            f"{self._log_hint(cid)}. Check its healthcheck and logs (docker logs {name})."
                        )
                elif condition == "completed":
                    if st.get("Status") in ("exited", "dead") and not st.get("Restarting"):
                        if st.get("ExitCode") == 0:
                            break
                        raise DockerError(
                            f"{who}: {name} exited with code {st.get('ExitCode')} instead of completing successfully"
                            f"{self._log_hint(cid)}. Fix the job and run again (docker logs {name})."
                        )
                else:
                    if st.get("Running"):
                        break
                    if st.get("Status") in ("exited", "dead"):
                        raise DockerError(
                            f"{who}: {name} stopped with exit code {st.get('ExitCode')}{self._log_hint(cid)}. "
                            f"Check docker logs {name}."
                        )
                if time.monotonic() > deadline:
                    raise DockerError(
                        f"{who}: {name} is not {condition} after {self.wait_timeout:g}s (state {st.get('Status')}, "
                        f"health {health}); raise wait_timeout or check the service (docker logs {name})."
                    )
                time.sleep(POLL)

    def _dependency_jobs(self) -> set[str]:
        return {
            dep for svc in self.project.services.values() for dep, cfg in svc["depends_on"].items()
            if cfg["condition"] == "service_completed_successfully"
        }

    def _log_hint(self, cid: str) -> str:
        try:
            resp = self.api.request("GET", self.api.url("/containers/{0}/logs", cid), {"stdout": True, "stderr": True, "tail": 5})
            from ansible_collections.devops.docker.plugins.module_utils._values._streams import demux_stream  # pylint: disable=import-outside-toplevel

            out, err = demux_stream(resp.read())
            text = (out + err).decode("utf-8", errors="replace").strip()
        except DockerError:
            return ""
        return f" (last log lines: {text[-400:]!r})" if text else ""

    def _wait_dependents_ready(self, service: str) -> None:
        # A restarted healthy dependency must be healthy again before its dependents go on.
        needed = {
            cfg["condition"] for s in self.selected for dep, cfg in self.project.services[s]["depends_on"].items() if dep == service
        }
        if "service_healthy" in needed:
            self._wait_service(service, "healthy", set())
        if "service_completed_successfully" in needed:
            self._wait_service(service, "completed", set())
