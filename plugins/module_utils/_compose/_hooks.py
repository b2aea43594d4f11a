# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Lifecycle hooks of a service: ``post_start`` commands run with ``docker exec`` once a container this
run started is running, ``pre_stop`` commands before a container this run stops, removes or recreates is stopped
(a recreate: through the container manager's ``before_stop``, right before the old container stops).
A failing ``post_start`` hook fails the task (as it fails ``docker compose up``); a failing ``pre_stop``
hook is reported as a warning and the container is stopped anyway, as the Compose CLI does.
"""

from __future__ import annotations

import typing as t

from ansible_collections.devops.docker.plugins.module_utils._client import DockerError
from ansible_collections.devops.docker.plugins.module_utils._compose._parts import ProjectParts
from ansible_collections.devops.docker.plugins.module_utils._diff import Tracker


class ServiceHooks(ProjectParts):
    """post_start and pre_stop hooks of the containers ComposeManager starts and stops."""

    def run_hooks(
        self, service: str | None, kind: str, cid: str, name: str, tracker: Tracker, summary: dict[str, t.Any] | None = None
    ) -> None:
        from ansible_collections.devops.docker.plugins.module_utils._container._exec import ExecRunner  # pylint: disable=import-outside-toplevel

        svc = self.project.services.get(service or "")
        hooks = ((svc or {}).get("hooks") or {}).get(kind) or []
        if not hooks or summary is not None and summary.get("State") != "running":
            return
        for index, hook in enumerate(hooks):
            params = {
                "container": cid, "command": hook["command"], "user": hook["user"], "workdir": hook["working_dir"],
                "env": hook["environment"] or None, "privileged": hook["privileged"], "detach": False, "tty": False,
                "stdin": None,
            }
            try:
                result = ExecRunner(self.api, params).run()
            except DockerError as exc:
                message = f"services.{service}.{kind}[{index}] in {name}: {exc}"
                if kind == "post_start":
                    raise DockerError(message + " Fix the hook command (it runs with docker exec).") from None
                self.warn(message + " The container was stopped anyway.")
                continue
            tracker.actions.extend(result.get("actions") or [])
