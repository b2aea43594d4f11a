# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reading containers: ``docker ps``, ``docker container inspect``, ``docker logs``.

Filters, points in time, log frames and redaction are the value layer's
(``_values``); ``ContainerInfo`` does the requests.
"""

from __future__ import annotations

import typing as t

from ansible_collections.devops.docker.plugins.module_utils._client import DockerAPI, DockerError
from ansible_collections.devops.docker.plugins.module_utils._values._filters import (
    container_filters,
    filters_to_cli,
    parse_tail,
    parse_timestamp,
)
from ansible_collections.devops.docker.plugins.module_utils._values._secrets import (
    container_secret_values,
    redact,
    redact_container,
)
from ansible_collections.devops.docker.plugins.module_utils._values._streams import split_output


# ---------------------------------------------------------------- the reader
class ContainerInfo:
    """What container_info does: inspect one, list many, read logs."""

    def __init__(self, api: DockerAPI, params: dict[str, t.Any]) -> None:
        self.api = api
        self.params = params
        self.actions: list[str] = []

    def _action(self, *argv: str) -> None:
        import shlex  # pylint: disable=import-outside-toplevel

        self.actions.append(" ".join(shlex.quote(a) for a in argv if a))

    def validate(self) -> dict[str, t.Any]:
        """Check every option before talking to the daemon."""
        p = self.params
        checked: dict[str, t.Any] = {}
        if p.get("name") is None and p.get("logs"):
            raise DockerError("logs: reading logs needs one container: set name (logs are not read for a list of containers).")
        checked["filters"] = container_filters(p.get("filters"))
        checked["tail"] = parse_tail(p.get("tail"))
        checked["since"] = parse_timestamp(p.get("since"), "since")
        checked["until"] = parse_timestamp(p.get("until"), "until")
        return checked

    def run(self) -> dict[str, t.Any]:
        checked = self.validate()
        p = self.params
        if p.get("name") is not None:
            return self._one(p["name"], checked)
        return self._many(checked)

    def _one(self, name: str, checked: dict[str, t.Any]) -> dict[str, t.Any]:
        self._action("docker", "container", "inspect", name)
        container = self.api.inspect_container(name)
        result: dict[str, t.Any] = {"exists": container is not None, "container": redact_container(container) or {}}
        if container is not None and self.params.get("logs"):
            result["logs"], result["logs_lines"] = self._logs(container, checked)
        result["actions"] = self.actions
        return result

    def _logs(self, container: dict[str, t.Any], checked: dict[str, t.Any]) -> tuple[dict[str, str], dict[str, list[str]]]:
        p = self.params
        argv = ["docker", "logs"]
        if checked["tail"] != "all":
            argv += ["--tail", checked["tail"]]
        if p.get("since") not in (None, ""):
            argv += ["--since", str(p["since"])]
        if p.get("until") not in (None, ""):
            argv += ["--until", str(p["until"])]
        if p.get("timestamps"):
            argv.append("--timestamps")
        self._action(*argv, p["name"])
        query = {
            "stdout": True,
            "stderr": True,
            "follow": False,
            "timestamps": bool(p.get("timestamps")),
            "tail": checked["tail"],
            "since": checked["since"],
            "until": checked["until"],
        }
        resp = self.api.request("GET", self.api.url("/containers/{0}/logs", container["Id"]), query, expect=(501,))
        data = resp.read()
        if resp.status == 501:
            driver = ((container.get("HostConfig") or {}).get("LogConfig") or {}).get("Type", "?")
            raise DockerError(
                f"logs: container {p['name']!r} logs with the {driver!r} log driver, which cannot be read back; "
                "recreate it with log_driver json-file or local to read its logs."
            )
        tty = bool((container.get("Config") or {}).get("Tty"))
        parts = split_output(data, tty)
        secrets = container_secret_values(container)
        if secrets:
            parts = redact(parts, secrets)
        lines = {key: parts[key].splitlines() for key in ("stdout", "stderr", "output")}
        return parts, lines

    def _many(self, checked: dict[str, t.Any]) -> dict[str, t.Any]:
        p = self.params
        filters = checked["filters"]
        argv = ["docker", "ps"]
        if p.get("all"):
            argv.append("--all")
        argv += filters_to_cli(filters)
        argv.append("--no-trunc")
        self._action(*argv)
        listed = self.api.get("/containers/json", {"all": bool(p.get("all")), "filters": filters or None}) or []
        if p.get("inspect"):
            ids = [c["Id"] for c in listed]
            if ids:
                self._action("docker", "container", "inspect", *ids)
            containers = []
            for cid in ids:
                data = self.api.inspect_container(cid)
                if data is not None:  # removed between the list and the inspect
                    containers.append(redact_container(data))
        else:
            containers = listed
        return {"exists": bool(containers), "containers": containers, "actions": self.actions}
