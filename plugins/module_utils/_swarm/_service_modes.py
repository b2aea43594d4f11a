# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A service's mode: replicated, global, and the two job modes (``docker service create --mode``).

A job (``replicated-job``, ``global-job``; Engine 20.10, API 1.41) runs its tasks until they exit with 0 and
does not restart them then. A replicated job runs ``total_completions`` tasks (the CLI's ``--replicas``), at most
``max_concurrent`` at a time (``--max-concurrent``); a global job one task on every eligible node. Jobs have no
rolling update: a changed spec (or ``force_update``) runs the job again, as a new *iteration*.
"""

from __future__ import annotations

import typing as t

from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._text import whole_number

MODES = ("replicated", "global", "replicated-job", "global-job")
JOB_MODES = ("replicated-job", "global-job")
API_KEYS = {"replicated": "Replicated", "global": "Global", "replicated-job": "ReplicatedJob", "global-job": "GlobalJob"}
JOB_PATH = ("Mode", "ReplicatedJob")


def current_mode(spec: dict[str, t.Any]) -> str:
    """The mode of a service spec, as the task writes it."""
    mode = spec.get("Mode") or {}
    for name, key in API_KEYS.items():
        if key in mode:
            return name
    return "replicated"


def is_job(mode: str | None) -> bool:
    return mode in JOB_MODES


def job_counts(p: dict[str, t.Any], mode: str | None, replicas: int | None) -> tuple[int | None, int | None]:
    """(max_concurrent, total_completions) of a replicated job (None: not given); errors for any other mode."""
    concurrent = whole_number(p.get("max_concurrent"), "max_concurrent")
    total = whole_number(p.get("total_completions"), "total_completions")
    if mode != "replicated-job":
        given = [k for k, v in (("max_concurrent", concurrent), ("total_completions", total)) if v is not None]
        if given:
            raise SpecError(f"{', '.join(given)}: only a replicated job has them; add mode: replicated-job (or remove them).")
        return None, None
    if replicas is not None:
        if total is not None and total != replicas:
            raise SpecError(
                f"replicas ({replicas}) and total_completions ({total}): for a replicated job replicas is the number of "
                "completions (docker service create --replicas); give one of them."
            )
        total = replicas
    for option, value in (("max_concurrent", concurrent), ("total_completions", total)):
        if value is not None and value < 1:
            raise SpecError(f"{option}: a replicated job needs at least 1, not {value}.")
    return concurrent, total


def check_job_options(p: dict[str, t.Any], mode: str | None) -> None:
    """A job has no rolling update or rollback: refuse their settings instead of ignoring them."""
    if not is_job(mode):
        return
    for option in ("update_config", "rollback_config"):
        if p.get(option):
            raise SpecError(
                f"{option}: a job ({mode}) is not updated task by task, it runs again when its spec changes, so it takes "
                f"no {option} (docker service create refuses --{option.split('_', maxsplit=1)[0]}-* with --mode {mode}); remove it."
            )


def mode_body(mode: str | None, replicas: int | None, concurrent: int | None, total: int | None) -> dict[str, t.Any]:
    """The spec's Mode of a new service (the CLI's defaults: 1 replica or completion, max_concurrent = completions)."""
    mode = mode or "replicated"
    if mode == "replicated":
        return {"Replicated": {"Replicas": 1 if replicas is None else replicas}}
    if mode == "replicated-job":
        total = total or 1
        return {"ReplicatedJob": {"MaxConcurrent": concurrent or total, "TotalCompletions": total}}
    return {API_KEYS[mode]: {}}


def mode_cli(mode: str | None, replicas: int | None, concurrent: int | None, total: int | None) -> list[str]:
    if mode in (None, "replicated"):
        return [] if replicas is None else ["--replicas", str(replicas)]
    argv = ["--mode", mode]
    if mode == "replicated-job":
        argv += ["--replicas", str(total)] if total is not None else []
        argv += ["--max-concurrent", str(concurrent)] if concurrent is not None else []
    return argv


def job_progress(service: dict[str, t.Any], tasks: list[dict[str, t.Any]], polls: int) -> tuple[bool, str]:
    """Whether the job's current iteration has completed, and a line saying how far it is."""
    spec = service.get("Spec") or {}
    # the API leaves a zero Index out: the first iteration is {} on the service and on its tasks
    iteration = (((service.get("JobStatus") or {}).get("JobIteration")) or {}).get("Index", 0)
    current = [x for x in tasks if (x.get("JobIteration") or {}).get("Index", 0) == iteration]
    complete = [x for x in current if (x.get("Status") or {}).get("State") == "complete"]
    if current_mode(spec) == "replicated-job":
        target = ((spec.get("Mode") or {}).get("ReplicatedJob") or {}).get("TotalCompletions") or 1
        return len(complete) >= target, f"{len(complete)} of {target} job tasks completed"
    # global job: one completed task on every node that got one; no task after a few polls means no node is eligible
    nodes = {x.get("NodeID") for x in current}
    done_nodes = {x.get("NodeID") for x in complete}
    done = polls >= 3 and nodes == done_nodes
    return done, f"{len(done_nodes)} of {len(nodes)} nodes completed the job"
