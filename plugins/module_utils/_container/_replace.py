# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Replacing a container without losing the one that runs (the recreate path).

Shared by the ``container`` module and Compose (through ``ContainerManager``).
The old container keeps its name, its ID and its configuration until the new
one has proven itself:

1. a leftover of an earlier replacement that failed hard (the engine went away)
   is removed;
2. the new container is created under a temporary name, ``<name>-dt-new-<old id>``,
   and connected to its extra networks -- the old one still runs;
3. only when the new one has to run: the old one is stopped (killed with ``force_kill``)
   just before the new one starts (they may publish the same host ports), then the new one is started
   and, when the task waits for health, waited for;
4. commit: the old container is removed and the new one renamed to the name.

When a step fails, the replacement is rolled back -- the new container removed,
the old one started again when it ran before -- and the error says what the
daemon refused and what was rolled back.  ``changed`` is false after a complete
rollback: the same container runs with the same configuration.  The actions
record every step really taken (or, in check mode, every step a real run takes).
"""

from __future__ import annotations

import typing as t

from ansible_collections.devops.docker.plugins.module_utils._client import (
    APIError,
    DaemonUnreachable,
    DockerAPI,
    DockerError,
    NotFound,
)
from ansible_collections.devops.docker.plugins.module_utils._container import _lifecycle as life

TEMP_INFIX = "-dt-new-"


def temp_name(name: str, old_id: str) -> str:
    """The name a replacement is created under while the old container keeps ``name``."""
    return f"{name}{TEMP_INFIX}{old_id[:12]}"


def _why(exc: BaseException) -> str:
    if isinstance(exc, DaemonUnreachable):
        return "the daemon cannot be reached"
    if isinstance(exc, APIError):
        return exc.explanation
    return getattr(exc, "msg", None) or str(exc) or type(exc).__name__


class Replacement:
    """One replacement of ``old`` (an inspect document) by a new container named ``name``."""

    def __init__(self, api: DockerAPI, tracker: t.Any, name: str, old: dict[str, t.Any], check_mode: bool,
                 stop_timeout: int, warn: t.Callable[[str], None] | None = None, *,
                 create: t.Callable[[str, dict[str, t.Any]], dict[str, t.Any]] | None = None,
                 force_kill: bool = False, kill_signal: str | None = None,
                 before_stop: t.Callable[[str], None] | None = None) -> None:
        self.api = api
        # run (not in check mode) with the old container's ID right before it is stopped: Compose's pre_stop hooks
        self.before_stop = before_stop
        # the request of a first create (``_lifecycle.create`` with the task's platform): the replacement
        # is created exactly as a first create would be, only under the temporary name
        self._post_create = create or (lambda name, body: life.create(api, name, body))
        self.force_kill = force_kill
        self.kill_signal = kill_signal
        self.tracker = tracker
        self.name = name
        self.old = old
        self.check_mode = check_mode
        self.stop_timeout = stop_timeout
        self.warn = warn or (lambda msg: None)
        self.temp = temp_name(name, old["Id"])
        self.new_id: str | None = None
        self.old_was_active = life.is_active(old)
        self.old_stopped = False  # stopped by this replacement (a rollback starts it again)
        self.stop_recorded = False  # the stop is in the actions (check mode too)
        self.committed = False

    # ------------------------------------------------------------------ steps
    def clear_leftover(self) -> None:
        """Remove the replacement an earlier run left behind (it failed before it could roll back)."""
        clear_leftover(self.api, self.tracker, self.name, self.old["Id"], self.check_mode)

    def create(self, body: dict[str, t.Any], create_cli: list[t.Any]) -> str | None:
        """Create the new container under the temporary name; the CLI is shown with that name."""
        argv = list(create_cli)
        if "--name" in argv:
            argv[argv.index("--name") + 1] = self.temp
        self.tracker.action(*argv)
        if self.check_mode:
            return None
        try:
            created = self._post_create(self.temp, body)
        except APIError as exc:
            raise DockerError(f"Creating container {self.name!r} failed: {exc.explanation}. Check the options named there.",
                              status=exc.status) from None
        for warning in created.get("Warnings") or []:
            self.warn(warning)
        self.new_id = created["Id"]
        return self.new_id

    def connect(self, network: str, endpoint: dict[str, t.Any], cli: list[t.Any]) -> None:
        argv = list(cli)
        if argv and argv[-1] == self.name:
            argv[-1] = self.temp
        self.tracker.action(*argv)
        if self.check_mode:
            return
        try:
            self.api.post(self.api.url("/networks/{0}/connect", network),
                          body={"Container": self.new_id, "EndpointConfig": endpoint})
        except APIError as exc:
            raise DockerError(f"networks: connecting {self.name!r} to {network!r} failed: {exc.explanation}. "
                              "Check the network options.") from None

    def start(self, wait: t.Callable[[str], t.Any] | None = None) -> None:
        """Stop the old container (only now: it may hold the host ports), start the new one, wait for it."""
        if self.old_was_active:
            if self.before_stop is not None and not self.check_mode:
                self.before_stop(self.old["Id"])
            # force_kill: killed, as state stopped/absent would (community.docker does the same)
            life.stop_or_kill(self.api, self.tracker, self.name, self.old["Id"], self.check_mode,
                              force_kill=self.force_kill, kill_signal=self.kill_signal, timeout=self.stop_timeout)
            self.stop_recorded = True
            if not self.check_mode:
                self.old_stopped = True
        self.tracker.action("docker", "container", "start", self.temp)
        if self.check_mode:
            return
        try:
            life.start(self.api, t.cast(str, self.new_id))
        except APIError as exc:
            raise DockerError(f"Starting the new container {self.name!r} failed: {exc.explanation}.",
                              status=exc.status) from None
        if wait is not None:
            wait(t.cast(str, self.new_id))

    def commit(self) -> None:
        """The new container takes over: the old one is removed, the new one gets the name."""
        stopped = {**self.old, "State": {"Status": "exited"}}
        life.record_removal(self.tracker, stopped if self.stop_recorded else self.old, self.name, self.stop_timeout)
        self.tracker.action("docker", "container", "rename", self.temp, self.name)
        if self.check_mode:
            self.committed = True
            return
        life.remove(self.api, stopped if self.old_stopped else self.old, self.stop_timeout)
        try:
            life.rename(self.api, t.cast(str, self.new_id), self.name)
        except APIError as exc:
            self.committed = True  # the old one is gone: nothing to roll back to
            raise DockerError(
                f"The new container runs as {self.temp!r}, but renaming it to {self.name!r} failed: {exc.explanation}. "
                f"Rename it with: docker rename {self.temp} {self.name}"
            ) from None
        self.committed = True

    # ------------------------------------------------------------------ undo
    def rollback(self) -> list[str]:
        """Undo what was done; return what was rolled back (or could not be), for the error message."""
        done: list[str] = []
        if self.check_mode or self.committed:
            return done
        if self.new_id:
            self.tracker.action("docker", "container", "rm", "--force", self.temp)
            try:
                self.api.request("DELETE", self.api.url("/containers/{0}", self.new_id), {"force": True, "v": True},
                                 timeout=self.api.timeout + self.stop_timeout).read()
                done.append(f"removed the new container {self.temp}")
            except NotFound:
                done.append(f"the new container {self.temp} is gone")
            except DockerError as exc:
                done.append(f"could NOT remove the new container {self.temp} ({_why(exc)}); the next run of this "
                            f"task removes it, or: docker rm -f {self.temp}")
        if self.old_stopped:
            self.tracker.action("docker", "container", "start", self.name)
            try:
                life.start(self.api, self.old["Id"])
                done.append(f"started the old container {self.name} again (same ID {self.old['Id'][:12]}, same configuration)")
            except DockerError as exc:
                done.append(f"could NOT start the old container {self.name} again ({_why(exc)}); the same task "
                            f"run again starts it, or: docker start {self.name}")
        elif self.new_id or not done:
            done.append(f"the old container {self.name} was not touched (same ID {self.old['Id'][:12]})")
        return done

    # ------------------------------------------------------------------ all of it
    def run(self, body: dict[str, t.Any], create_cli: list[t.Any],
            networks: t.Iterable[tuple[str, dict[str, t.Any], list[t.Any]]] = (),
            start: bool = True, wait: t.Callable[[str], t.Any] | None = None) -> str | None:
        """Create, connect, (stop old, start new, wait,) commit; roll back on any failure.

        Returns the new container's ID (None in check mode).  A failure raises DockerError whose
        message ends with what was rolled back; ``changed`` is false when the rollback is complete.
        """
        self.clear_leftover()
        try:
            self.create(body, create_cli)
            for network, endpoint, cli in networks:
                self.connect(network, endpoint, cli)
            if start:
                self.start(wait)
            self.commit()
        except Exception as exc:  # pylint: disable=broad-exception-caught
            if self.committed or self.check_mode:
                raise
            undone = self.rollback()
            complete = not any(step.startswith("could NOT") for step in undone)
            message = getattr(exc, "msg", None) or f"{type(exc).__name__}: {exc}"
            details = dict(getattr(exc, "details", {}) or {})
            details.pop("container", None)  # that was the new container, which is gone now
            details.update(changed=not complete, actions=list(self.tracker.actions))
            raise DockerError(
                f"{message.rstrip('.')}. Rolled back: {'; '.join(undone)}.", **details
            ) from (exc if not isinstance(exc, DockerError) else None)
        return self.new_id


def clear_leftover(api: DockerAPI, tracker: t.Any, name: str, old_id: str, check_mode: bool) -> bool:
    """Remove ``<name>-dt-new-<old id>`` when an earlier replacement left it (True when there was one)."""
    leftover = api.inspect_container(temp_name(name, old_id))
    if leftover is None:
        return False
    tracker.action("docker", "container", "rm", "--force", temp_name(name, old_id))
    if not check_mode:
        try:
            api.request("DELETE", api.url("/containers/{0}", leftover["Id"]), {"force": True, "v": True}).read()
        except NotFound:
            pass
    return True
