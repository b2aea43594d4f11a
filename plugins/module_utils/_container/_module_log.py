# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the container module writes to the managed host's log (syslog or the journal, through
``AnsibleModule.log``), as community.docker's ``docker_container`` does: with ``output_logs``, the
output of a container this run started with ``detach: false``; with ``debug``, every docker command
of the run and its differences.  Everything logged is already redacted (``secret_env`` values are
``********`` in the output, the actions and the diff)."""

from __future__ import annotations

import json
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._client import DockerError


def log_lines(params: dict[str, t.Any], result: dict[str, t.Any]) -> list[str]:
    """The log messages of one run's result (or of a failure's details)."""
    name = params.get("name")
    actions = [str(a) for a in result.get("actions") or []]
    lines = []
    started = any(a.startswith("docker container start --attach") for a in actions)
    if params.get("output_logs") and params.get("detach") is False and started and result.get("output") is not None:
        lines.append(f"container {name} output (rc {result.get('rc')}):\n{result['output']}")
    if params.get("debug"):
        lines += [f"container {name} action: {action}" for action in actions]
        diff = result.get("diff") or {}
        if diff.get("before") or diff.get("after"):
            lines.append(f"container {name} diff: {json.dumps(diff, sort_keys=True, default=str)}")
    return lines


def logged_run(run: t.Callable[[], dict[str, t.Any]], params: dict[str, t.Any],
               log: t.Callable[[str], None]) -> dict[str, t.Any]:
    """``run()``, then its log messages; a failed run (a non-zero exit) logs what its error carries."""
    try:
        result = run()
    except DockerError as exc:
        for line in log_lines(params, exc.details):
            log(line)
        raise
    for line in log_lines(params, result):
        log(line)
    return result
