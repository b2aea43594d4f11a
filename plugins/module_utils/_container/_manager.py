# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The container manager: converge one container to the task.

``ContainerManager(api, params, check_mode, tracker=None, warn=None, replace_other_image=False, before_stop=None,
known_absent=False, known_image=None, known_networks=(), inspect_result=True)``
    ``params`` is a full dict in the ``container`` module's option names (defaults filled, see
    ``container_defaults()``); ``.run() -> dict`` returns the module result: ``changed``,
    ``actions`` (docker CLI equivalents), ``diff``, ``container`` (inspect data, secrets
    redacted), and ``rc`` / ``output`` when ``detach`` is false.  Bad input raises ``SpecError``
    before any request.  Compose runs the same manager for every replica.

    What a caller already read from the daemon in this run saves the manager's own requests (Compose
    lists the project's containers, inspects each image and ensures each network once for all
    replicas): ``known_absent`` (no container of the name: no inspect; a create that meets one anyway
    converges with it, as a race does), ``known_image`` (the inspect of ``params['image']``, used
    unless ``pull`` is ``always``), ``known_networks`` (names that exist: not inspected before a
    create), ``inspect_result=False`` (the caller does not use the returned ``container``: no
    inspect after a change, it is ``{}``).

``create_command(params) -> argv``
    The ``docker container create`` command of a task, without a daemon (Compose's check-mode
    prediction when the image does not exist yet).

Lifecycle: a recreate keeps the old container until the new one runs (``_replace.Replacement``): the
new one is created under a temporary name, the old one stopped right before the new one starts, and
removed (the new one renamed) only once the new one runs -- and is healthy with ``state: healthy``.
Any failure rolls back to the old container, same ID, and the error says what was rolled back.  With
``state: present`` a recreated container that was running is started again.  A no-op
run makes exactly two requests (inspect container, inspect image); a first create five (those two,
create, start, inspect), none of the reads when the caller knows them; a recreate nine (inspect
container, image, leftover; create, stop, start, remove, rename; inspect).

``secret_env`` values are compared in memory and never returned: the container carries the
secret-env labels of the value layer (``_values/_secrets.py``), so a changed secret recreates and
the names are known for redaction.
"""

from __future__ import annotations

import time
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._client import APIError, Conflict, DockerAPI, DockerError, NotFound
from ansible_collections.devops.docker.plugins.module_utils._container import _lifecycle as lifecycle
from ansible_collections.devops.docker.plugins.module_utils._container._attach import AttachedRun
from ansible_collections.devops.docker.plugins.module_utils._container._desired import Desired
from ansible_collections.devops.docker.plugins.module_utils._container._pull import resolve_image
from ansible_collections.devops.docker.plugins.module_utils._container._table import (
    OPTIONS,
    Context,
    container_secret_keys,
    check_api_versions,
    create_request,
    networks_current,
    networks_wanted,
    plan,
)
from ansible_collections.devops.docker.plugins.module_utils._diff import Tracker
from ansible_collections.devops.docker.plugins.module_utils._limits import relative_bind_warning
from ansible_collections.devops.docker.plugins.module_utils._managers import Manager
from ansible_collections.devops.docker.plugins.module_utils._engine import (
    NETWORK,
    RECREATE,
    UPDATE,
    Difference,
    create_cli,
    update_request,
)
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._images import parse_image_name
from ansible_collections.devops.docker.plugins.module_utils._values._networks import (
    PREDEFINED_NETWORKS,
    connect_flags,
    endpoint_config,
)
from ansible_collections.devops.docker.plugins.module_utils._values._secrets import redact_container, redact_env, redact_labels


def create_command(params: dict[str, t.Any], image: dict[str, t.Any] | None = None,
                   container: dict[str, t.Any] | None = None) -> list[str]:
    """``docker container create --name NAME [flags] IMAGE [COMMAND]`` from the task's parsed values."""
    desired = Desired(params)
    ctx = Context(desired, image, container)
    name = params.get("name") or ""
    image_name = params.get("image") or (ctx.config.get("Image") if container else "")
    return ["docker", "container", "create", "--name", name, *create_cli(OPTIONS, ctx), image_name,
            *(desired.parsed["command"] or [])]


def check_same_repository(params: dict[str, t.Any], container: dict[str, t.Any], replace_other_image: bool = False) -> None:
    """A container of the name that runs another repository's image is an error unless the task says replace it."""
    wanted = params.get("image")
    current = (container.get("Config") or {}).get("Image") or ""
    if not wanted or params.get("recreate") or replace_other_image:
        return
    if wanted.startswith("sha256:") or current.startswith("sha256:") or not current:
        return
    try:
        same = parse_image_name(current, "image").repository == parse_image_name(wanted, "image").repository
    except SpecError:
        return
    if not same:
        raise DockerError(
            f"name: a container named {params.get('name')!r} already exists and runs image {current!r}, not {wanted!r}. "
            "Choose another name, remove it first (state: absent), or set recreate: true to replace it."
        )


def check_references(api: DockerAPI, parsed: dict[str, t.Any], check_mode: bool, warn: t.Callable[[str], None],
                     known_networks: t.Collection[str] = ()) -> None:
    """Networks and linked containers must exist before anything is removed or created (``known_networks``:
    names the caller knows exist, not asked again)."""
    listed = [n["name"] for n in parsed["networks"]]
    mode = parsed["network_mode"]
    wanted = list(listed)
    if mode not in PREDEFINED_NETWORKS and not mode.startswith("container:") and mode not in wanted:
        wanted.append(mode)
    for name in wanted:
        if name in PREDEFINED_NETWORKS or name in known_networks or api.inspect_network(name) is not None:
            continue
        option = "networks" if name in listed else "network_mode"
        if check_mode:
            # In a check-mode play an earlier task "creates" the network without creating it.
            warn(f"{option}: network {name!r} does not exist yet; the real run fails unless an earlier task creates it.")
            continue
        raise DockerError(
            f"{option}: network {name!r} does not exist. Create it first with devops.docker.network "
            "(or docker network create), or fix the name."
        )
    if mode.startswith("container:") and api.inspect_container(mode[10:]) is None:
        raise DockerError(f"network_mode: container {mode[10:]!r} does not exist; start it first or fix the name.")
    for link in parsed["links"]:
        target = link.split(":", 1)[0]
        if api.inspect_container(target) is None:
            raise DockerError(f"links: container {target!r} does not exist; create it first or fix the name.")


def shown(diff: Difference, container: dict[str, t.Any] | None, wanted_image: str | None,
          secret_keys: list[str]) -> tuple[t.Any, t.Any]:
    """Before/after of a difference as the diff shows it (secret env values and labels redacted)."""
    if diff.option == "env":
        return redact_env(diff.before, secret_keys), redact_env(diff.after, secret_keys)
    if diff.option == "labels":
        return redact_labels(diff.before), redact_labels(diff.after)
    if diff.option == "image":
        cfg_image = ((container or {}).get("Config") or {}).get("Image")
        return f"{cfg_image} ({diff.before})", f"{wanted_image or cfg_image} ({diff.after or 'not present yet'})"
    return diff.before, diff.after


def require_networks(api: t.Any, names: list[str]) -> None:
    """Each network to join exists (the predefined ones always do), or the task fails before any change."""
    for name in names:
        if name not in PREDEFINED_NETWORKS and api.inspect_network(name) is None:
            raise DockerError(
                f"networks: network {name!r} does not exist. Create it first with devops.docker.network "
                "(or docker network create), or fix the name."
            )


class ContainerManager(Manager, AttachedRun):
    """Converge one container to the task: create, recreate, update, connect, start/stop/pause, remove."""

    def __init__(self, *args: t.Any, replace_other_image: bool = False,
                 before_stop: t.Callable[[str], None] | None = None, known_absent: bool = False,
                 known_image: dict[str, t.Any] | None = None, known_networks: t.Collection[str] = (),
                 inspect_result: bool = True, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self.known_absent = known_absent
        self.known_image = known_image
        self.known_networks = known_networks
        self.inspect_result = inspect_result
        self.replace_other_image = replace_other_image
        self.before_stop = before_stop  # called with the old container's ID before a recreate stops it
        self.name: str = self.params.get("name") or ""
        self.desired = Desired(self.params)  # every parse error is raised here, before any request
        for entry in self.params.get("volumes") or []:  # relative bind sources resolve against the working directory
            warning = relative_bind_warning(str(entry).split(":", 1)[0], None, "volumes")
            if warning:
                self.warn(warning)
        self._log_driver: str | None = None
        self.result_extra: dict[str, t.Any] = {}
        self.secret_values = [str(v) for v in (self.params.get("secret_env") or {}).values() if v not in (None, "")]

    # -- reading and showing -------------------------------------------------------------
    def lookup(self, what: str, arg: str) -> t.Any:
        """What a few comparisons need from the daemon: its default log driver, another container's ID."""
        if what == "log_driver":
            if self._log_driver is None:
                self._log_driver = (self.api.get("/info") or {}).get("LoggingDriver") or "json-file"
            return self._log_driver
        if what == "container_id":
            return (self.api.inspect_container(arg) or {}).get("Id")
        if what == "image":
            return self.api.inspect_image(arg) if arg else None
        if what == "api_version":
            return self.api.requested_version or self.api.server_api_version
        return None

    def secret_keys(self, container: dict[str, t.Any] | None) -> list[str]:
        return sorted(set(container_secret_keys(container)) | set((self.params.get("secret_env") or {}).keys()))

    def redacted(self, container: dict[str, t.Any] | None) -> dict[str, t.Any]:
        return redact_container(container, self.secret_keys(container), self.secret_values) or {}

    def _wait_timeout(self) -> int:
        return int(self.params.get("wait_timeout") or 60)

    def _stop_timeout(self, container: dict[str, t.Any] | None) -> int:
        return lifecycle.stop_timeout(container, self.params.get("stop_timeout"))

    def _fail(self, msg: str, **details: t.Any) -> DockerError:
        return DockerError(msg, actions=list(self.tracker.actions), **details)

    # -- run -------------------------------------------------------------------------------
    def run(self) -> dict[str, t.Any]:
        try:
            return self._converge(retry=True)
        except DockerError as exc:
            # A failure after a side effect (create, start...) still reports what was done.
            if self.tracker.actions and not self.check_mode:
                exc.details.setdefault("changed", True)
                exc.details.setdefault("actions", list(self.tracker.actions))
            raise

    def _converge(self, retry: bool) -> dict[str, t.Any]:
        p = self.params
        state = p.get("state") or "started"
        container = None if self.known_absent and retry else self.api.inspect_container(self.name)

        if state == "absent":
            if container is not None:
                self.tracker.state("present", "absent")
                self._remove(container, volumes=p.get("keep_volumes") is False)
            return self.tracker.result(container={})

        if container is not None:
            check_same_repository(p, container, self.replace_other_image)
        if self.known_image is not None and p.get("image") and (p.get("pull") or "missing") != "always":
            image: dict[str, t.Any] | None = self.known_image
        else:
            image = resolve_image(self.api, p.get("image"), p.get("pull") or "missing", container, self.check_mode,
                                  self.tracker, self.name, p.get("pull_check_mode_behavior") == "always")
        diffs: list[Difference] = []
        recreate = False
        if container is not None:
            diffs = plan(self.desired, container, image, self.lookup)
            recreate = bool(p.get("recreate")) or any(d.how == RECREATE for d in diffs)
            for diff in diffs:
                self.tracker.add(diff.option, *shown(diff, container, self.params.get("image"), self.secret_keys(container)))
            if p.get("recreate") and not diffs:
                self.tracker.add("recreate", False, True)
        was_running = lifecycle.is_active(container)
        ctx = Context(self.desired, image, container, self.lookup)
        if container is None or recreate:
            check_api_versions(ctx)  # an option the daemon is too old for fails before anything is done

        if container is not None and recreate:
            check_references(self.api, self.desired.parsed, self.check_mode, self.warn, self.known_networks)
            return self._replace(ctx, container, image, was_running)
        if container is None:
            check_references(self.api, self.desired.parsed, self.check_mode, self.warn, self.known_networks)
            self.tracker.state("absent", state)
            self.tracker.action(*create_command(p, image, container))
            for net in self._extra_networks():
                self.tracker.action(*self._connect_argv(net))
            new_id = None
            planned = list(self.tracker.actions)
            if not self.check_mode:
                try:
                    new_id = self._create(ctx)
                except Conflict as exc:
                    if retry and "already in use" in exc.explanation:
                        # Someone created the name between our inspect and our create: converge with that one.
                        # The daemon reserves the name before the other create finishes, and inspect answers
                        # 404 until then: wait for it to appear.
                        for _attempt in range(100):
                            if self.api.inspect_container(self.name) is not None:
                                break
                            time.sleep(0.1)
                        self.tracker = Tracker()
                        return self._converge(retry=False)
                    raise
                except DockerError as exc:
                    # the daemon refused the create (or the connect, and the container was removed): nothing was done
                    exc.details.update(changed=False, actions=[])
                    raise
            try:
                return self._settle(new_id, fresh=True, was_running=False)
            except APIError as exc:
                if self.check_mode or not new_id or p.get("detach") is False:
                    raise
                # The runtime refused to start the new container: remove it, so nothing half-created remains.
                self._discard(new_id)
                raise DockerError(
                    f"Starting the new container {self.name!r} failed: {exc.explanation}. It was removed again; "
                    "nothing was changed. Fix the option the message names and run the task again.",
                    changed=False, actions=planned + [f"docker container rm --force {self.name}"], status=exc.status,
                ) from None

        if state in ("started", "healthy") and not was_running:
            # An earlier replacement that failed hard (the engine went away) may have left its new container.
            from ansible_collections.devops.docker.plugins.module_utils._container._replace import clear_leftover  # pylint: disable=import-outside-toplevel

            clear_leftover(self.api, self.tracker, self.name, container["Id"], self.check_mode)
        if any(d.how == UPDATE for d in diffs):
            self._update(ctx, container, diffs)
        if any(d.how == NETWORK for d in diffs):
            self._reconnect(ctx, container)
        return self._settle(container["Id"], fresh=False, was_running=was_running, container=container)

    # -- changes ---------------------------------------------------------------------------
    def _extra_networks(self) -> list[dict[str, t.Any]]:
        mode = self.desired.parsed["network_mode"]
        return [n for n in self.desired.parsed["networks"] if n["name"] != mode]

    def _connect_argv(self, net: dict[str, t.Any]) -> list[str]:
        return ["docker", "network", "connect", *connect_flags(net), net["name"], self.name]

    def _connect(self, cid: str, net: dict[str, t.Any]) -> None:
        try:
            self.api.post(self.api.url("/networks/{0}/connect", net["name"]),
                          body={"Container": cid, "EndpointConfig": endpoint_config(net)})
        except APIError as exc:
            raise DockerError(f"networks: connecting {self.name!r} to {net['name']!r} failed: {exc.explanation}.") from None

    def _create(self, ctx: Context) -> str:
        """Create a new container (none of the name exists) and connect its extra networks; a container the
        daemon created but could not connect is removed again, so a refused step leaves nothing behind.
        (A recreate goes through ``_replace``.)"""
        body = create_request(ctx)
        try:
            created = self._post_create(self.name, body)
        except DockerError as exc:
            if isinstance(exc, APIError) and not isinstance(exc, Conflict):
                raise DockerError(
                    f"Creating container {self.name!r} failed: {exc.explanation}. Check the options named there.",
                    status=exc.status,
                ) from None
            raise
        for warning in created.get("Warnings") or []:
            self.warn(warning)
        new_id = created["Id"]
        try:
            for net in self._extra_networks():
                self._connect(new_id, net)
        except DockerError:
            self._discard(new_id)
            raise
        return new_id

    def _post_create(self, name: str, body: dict[str, t.Any]) -> dict[str, t.Any]:
        """The create request of this task, the same for a first create and a recreate (``name`` differs)."""
        return lifecycle.create(self.api, name, body, self.params.get("platform"))

    def _discard(self, cid: str) -> None:
        """Remove a container this run created and could not complete (best effort)."""
        try:
            self.api.request("DELETE", self.api.url("/containers/{0}", cid), {"force": True, "v": True}).read()
        except DockerError:
            pass

    def _replace(self, ctx: Context, old: dict[str, t.Any], image: dict[str, t.Any] | None,
                 was_running: bool) -> dict[str, t.Any]:
        """Recreate without losing the running container (see _replace): the new one is created under a
        temporary name, the old one stopped only right before the new one starts (they may share host
        ports), and removed once the new one runs (and is healthy with state healthy); any failure rolls
        back to the old container, same ID, same configuration."""
        p = self.params
        state = p.get("state") or "started"
        detach = p.get("detach") is not False
        run_new = detach and (state in ("started", "healthy", "paused") or (state == "present" and was_running))

        def wait(cid: str) -> None:
            self._wait_healthy(cid, self.api.inspect_container(cid))

        from ansible_collections.devops.docker.plugins.module_utils._container._replace import Replacement  # pylint: disable=import-outside-toplevel

        replacement = Replacement(self.api, self.tracker, self.name, old, self.check_mode, self._stop_timeout(old),
                                  self.warn, create=self._post_create, force_kill=bool(p.get("force_kill")),
                                  kill_signal=p.get("kill_signal"), before_stop=self.before_stop)
        networks = [(net["name"], endpoint_config(net), self._connect_argv(net)) for net in self._extra_networks()]
        new_id = replacement.run(create_request(ctx), create_command(p, image, old), networks, start=run_new,
                                 wait=wait if state == "healthy" else None)
        if not detach:
            return self._settle(new_id, fresh=True, was_running=False)
        if self.check_mode or not self.inspect_result:
            # what the replacement left (a caller that does not use the result needs no inspect for it)
            final = {**old, **({"Id": new_id} if new_id else {}),
                     "State": {"Status": "running" if run_new else "created",
                               **({"Health": {"Status": "healthy"}} if state == "healthy" else {})}}
        else:
            final = self.api.inspect_container(t.cast(str, new_id))
        return self._settle(new_id, fresh=False, was_running=run_new, container=final, replaced=True)

    def _kill(self, cid: str) -> None:
        """force_kill: docker container kill (with kill_signal), then wait until it no longer runs."""
        lifecycle.stop_or_kill(self.api, self.tracker, self.name, cid, self.check_mode, force_kill=True,
                               kill_signal=self.params.get("kill_signal"))

    def _remove(self, container: dict[str, t.Any], volumes: bool = False) -> None:
        """docker container stop + rm: named volumes stay, anonymous ones too unless ``volumes``."""
        if self.params.get("force_kill") and lifecycle.is_active(container):
            self._kill(container["Id"])
            container = {**container, "State": {"Status": "exited"}}
        timeout = self._stop_timeout(container)
        lifecycle.record_removal(self.tracker, container, self.name, timeout, volumes)
        if not self.check_mode:
            lifecycle.remove(self.api, container, timeout, volumes)

    def _update(self, ctx: Context, container: dict[str, t.Any], diffs: list[Difference]) -> None:
        """docker container update, with the options that can change in place."""
        body, argv = update_request(OPTIONS, ctx, diffs)
        self.tracker.action("docker", "container", "update", *argv, self.name)
        if not self.check_mode:
            try:
                self.api.post(self.api.url("/containers/{0}/update", container["Id"]), body=body)
            except APIError as exc:
                raise DockerError(f"Updating container {self.name!r} in place failed: {exc.explanation}.") from None

    def _reconnect(self, ctx: Context, container: dict[str, t.Any]) -> None:
        current = networks_current(ctx) or {}
        wanted = networks_wanted(ctx) or {}
        by_name = {n["name"]: n for n in self.desired.parsed["networks"]}
        require_networks(self.api, [name for name in wanted if name not in current])
        for name in sorted(current):
            if name not in wanted or current[name] != wanted[name]:
                self.tracker.action("docker", "network", "disconnect", name, self.name)
                if not self.check_mode:
                    try:
                        self.api.post(self.api.url("/networks/{0}/disconnect", name),
                                      body={"Container": container["Id"], "Force": True})
                    except NotFound:
                        pass
        for name in sorted(wanted):
            if name not in current or current[name] != wanted[name]:
                net = by_name.get(name) or {"name": name, "aliases": [], "ipv4_address": "", "links": []}
                self.tracker.action(*self._connect_argv(net))
                if not self.check_mode:
                    self._connect(container["Id"], net)

    # -- the wanted state ------------------------------------------------------------------
    def _settle(self, cid: str | None, fresh: bool, was_running: bool,
                container: dict[str, t.Any] | None = None, replaced: bool = False) -> dict[str, t.Any]:
        """Bring a (new or existing) container to the wanted state; return the module result."""
        p = self.params
        state = p.get("state") or "started"
        status = "created" if fresh else lifecycle.status_of(container)
        running = status in ("running", "restarting")
        paused = status == "paused"
        name = self.name
        timeout = p.get("stop_timeout")
        grace = self._stop_timeout(container)

        acted = len(self.tracker.actions)  # a replacement's inspect is current unless this settles more

        def do(verb: str, *flags: t.Any, call: t.Callable[[], None]) -> None:
            self.tracker.action("docker", "container", verb, *flags, name)
            if not self.check_mode and cid:
                call()

        if p.get("detach") is False:
            return self._run_to_completion(cid, fresh, container)
        if state == "present":
            if fresh and was_running:
                do("start", call=lambda: lifecycle.start(self.api, cid))  # type: ignore[arg-type]
        elif state in ("started", "healthy"):
            if paused:
                do("unpause", call=lambda: lifecycle.unpause(self.api, cid))  # type: ignore[arg-type]
            elif not running:
                do("start", call=lambda: lifecycle.start(self.api, cid))  # type: ignore[arg-type]
            elif p.get("restart") and not fresh and not replaced:
                do("restart", call=lambda: lifecycle.restart(self.api, cid, timeout, grace))  # type: ignore[arg-type]
        elif state == "stopped":
            if running or paused:
                if not fresh:
                    self.tracker.state(status, "exited")
                lifecycle.stop_or_kill(self.api, self.tracker, name, cid, self.check_mode,
                                       force_kill=bool(p.get("force_kill")), kill_signal=p.get("kill_signal"),
                                       timeout=timeout, grace=grace)
        elif state == "paused":
            if not fresh and not running and not paused:
                raise DockerError(
                    f"state: container {name!r} is {status}, and only a running container can be paused. "
                    "Start it first (state: started), then pause it."
                )
            if fresh:
                do("start", call=lambda: lifecycle.start(self.api, cid))  # type: ignore[arg-type]
            if not paused:
                if not fresh:
                    self.tracker.state(status, "paused")
                do("pause", call=lambda: lifecycle.pause(self.api, cid))  # type: ignore[arg-type]
        if not fresh and not replaced and state in ("started", "healthy") and (paused or not running):
            self.tracker.state(status, "running")

        final = None
        if replaced:
            current = self.check_mode or len(self.tracker.actions) == acted or not self.inspect_result
            final = container if current else self.api.inspect_container(cid or self.name)
        elif cid and not self.check_mode and (fresh or self.tracker.changed) and (self.inspect_result or state == "healthy"):
            final = self.api.inspect_container(cid)
        elif not fresh:
            final = container  # nothing done: the inspect we have is current (a no-op run makes two requests)
        if state == "healthy" and not self.check_mode:
            final = self._wait_healthy(cid, final)
        elif state == "healthy" and self.check_mode and container is not None and not fresh:
            health = ((container.get("State") or {}).get("Health") or {}).get("Status")
            if health != "healthy":
                self.tracker.state(health or "no healthcheck", "healthy")
        return self.tracker.result(container=self.redacted(final), **self.result_extra)
