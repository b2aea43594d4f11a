# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Parallel work over a project's services, as the Compose CLI does it: a service's job starts as soon as
the jobs of the services it depends on are done, in a bounded pool of threads. Each job records into its
own ``Tracker``; the trackers are merged into the run's tracker in the project's order once the jobs are
done, so ``actions`` and ``diff`` do not depend on which thread finished first.

The Engine API client opens one connection per request, so threads share it safely; over ``ssh://`` the
jobs run one at a time (one SSH transport).
"""

from __future__ import annotations

import typing as t
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from ansible_collections.devops.docker.plugins.module_utils._diff import Tracker

MAX_WORKERS = 64  # the Compose CLI v1 default (COMPOSE_PARALLEL_LIMIT): a down of N containers waits one stop timeout


def merge_tracker(into: Tracker, other: Tracker) -> None:
    for key, before, after in other.differences:
        into.add(key, before, after)
    into.actions.extend(other.actions)
    if other.changed:
        into.mark_changed()


def workers_for(api: t.Any, jobs: int) -> int:
    if getattr(api, "scheme", None) == "ssh":
        return 1
    return max(1, min(MAX_WORKERS, jobs))


def run_graph(
    api: t.Any,
    order: list[str],
    after: t.Callable[[str], t.Iterable[str]],
    job: t.Callable[[str, Tracker], t.Any],
    tracker: Tracker,
) -> dict[str, t.Any]:
    """Run job(name, tracker) for every name of order, each once every name of after(name) (that is in order)
    is done; merge the trackers into tracker in the order of order. The first error is raised once the
    running jobs have finished (no new job starts after it)."""
    names = list(order)
    wanted = set(names)
    trackers = {name: Tracker() for name in names}
    results: dict[str, t.Any] = {}
    error: BaseException | None = None
    pending = list(names)
    running: dict[Future[t.Any], str] = {}
    pool = ThreadPoolExecutor(max_workers=workers_for(api, len(names)))
    try:
        while pending or running:
            if error is None:
                for name in list(pending):
                    if all(dep in results for dep in after(name) if dep in wanted and dep != name):
                        running[pool.submit(job, name, trackers[name])] = name
                        pending.remove(name)
            if not running:
                break
            finished, _rest = wait(list(running), return_when=FIRST_COMPLETED)
            for future in finished:
                name = running.pop(future)
                try:
                    results[name] = future.result()
                except BaseException as exc:  # pylint: disable=broad-exception-caught
                    if error is None:
                        error = exc
                    results[name] = None
            if error is not None:
                pending = []
    finally:
        pool.shutdown(wait=True)
        for name in names:
            merge_tracker(tracker, trackers[name])
    if error is not None:
        raise error
    return results
