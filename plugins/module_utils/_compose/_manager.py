# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The converger behind devops.docker.compose.

``ComposeManager(api, params, check_mode, tracker=None, warn=None)`` loads the project (the loader
stages in ``_compose/``: every error is raised before the first request), then converges it:
images, networks and volumes (``_resources``), then the containers of every service in dependency
order (``_containers``), waiting for dependencies as the Compose CLI does.
"""

from __future__ import annotations

import threading
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._client import APIError, DockerError, NotFound
from ansible_collections.devops.docker.plugins.module_utils._compose._containers import ServiceContainers
from ansible_collections.devops.docker.plugins.module_utils._compose._files import files_differ, remove_state, write_files
from ansible_collections.devops.docker.plugins.module_utils._compose._hooks import ServiceHooks
from ansible_collections.devops.docker.plugins.module_utils._compose._parallel import run_graph
from ansible_collections.devops.docker.plugins.module_utils._compose._project import Project, load_project
from ansible_collections.devops.docker.plugins.module_utils._compose._resources import ProjectResources
from ansible_collections.devops.docker.plugins.module_utils._compose._waits import DependencyWaits
from ansible_collections.devops.docker.plugins.module_utils._compose._spec import (
    LABEL_HASH,
    LABEL_PROJECT,
    LABEL_SERVICE,
    replica_number,
    summary_name,
)
from ansible_collections.devops.docker.plugins.module_utils._container import _lifecycle as lifecycle
from ansible_collections.devops.docker.plugins.module_utils._diff import Tracker
from ansible_collections.devops.docker.plugins.module_utils._managers import Manager
from ansible_collections.devops.docker.plugins.module_utils._limits import check_seconds
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError


class ComposeManager(Manager, ProjectResources, ServiceContainers, ServiceHooks, DependencyWaits):
    """Converge one Compose project: images, networks, volumes, then every service's containers in
    dependency order (up), or stop, restart, or take it down."""

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        p = self.params
        if p.get("definition") is None and not p.get("project_src") and not p.get("files"):
            raise DockerError("Give the project as project_src (a folder with a Compose file), files, or an inline definition.")
        try:
            self.project: Project = load_project(
                project_src=p.get("project_src"),
                files=p.get("files"),
                definition=p.get("definition"),
                project_name=p.get("project_name"),
                env=p.get("env"),
                env_files=p.get("env_files"),
                profiles=p.get("profiles"),
            )
            self.selected = self.project.order(p.get("services") or None)
        except SpecError as exc:
            raise DockerError(f"{exc} Nothing was changed.") from exc
        self.state = p["state"]
        self.wait_timeout = float(check_seconds(p.get("wait_timeout"), "wait_timeout") or 120)
        self.built: list[str] = []
        self.service_results: dict[str, dict[str, t.Any]] = {}
        self.image_ids: dict[str, str | None] = {}
        self.containers: list[dict[str, t.Any]] = []
        self._image_cache: dict[str, dict[str, t.Any] | None] = {}
        self.pending_networks: set[str] = set()  # created in this run (check mode: would be)
        self.network_ids: dict[str, str] = {}  # name -> ID of the project's existing networks (drift repair)
        self._container_spec: dict[str, t.Any] | None = None
        for warning in self.project.warnings:
            self.warn(warning)

    @property
    def name(self) -> str:
        return self.project.name

    def image_ref(self, service: str) -> str:
        svc = self.project.services[service]
        return svc["image"] or f"{self.name}-{service}"

    def _validate_containers(self) -> None:
        """The translation of every selected service into container options, checked before the first change:
        an unsupported combination fails with nothing changed, and each container task is bounded (NUL, env keys,
        names, integers...: _limits in Desired). A service whose containers all carry its current config hash was
        checked when they were made from this very configuration; a no-op run skips it (and the container
        option table's import)."""
        for name in self.selected:
            svc = self.project.services[name]
            current = self._service_containers(name)
            if len(current) == svc["scale"] and svc["scale"] and all(
                (c.get("Labels") or {}).get(LABEL_HASH) == self._service_hash(name) for c in current
            ):
                continue
            from ansible_collections.devops.docker.plugins.module_utils._container._desired import Desired  # pylint: disable=import-outside-toplevel

            try:
                Desired(self.container_params(name, 1, "x", "0" * 64))
            except SpecError as exc:
                raise DockerError(f"services.{name}: {exc} Nothing was changed.") from None

    def run(self) -> dict[str, t.Any]:
        self.containers = self._list_containers()
        if self.state in ("present", "restarted"):
            self._validate_containers()
        if self.state == "absent":
            self.down()
        elif self.state == "stopped":
            self.stop()
        else:
            self.up()
            if self.state == "restarted":
                self.restart()
        return self.result()

    def result(self) -> dict[str, t.Any]:
        if self.tracker.changed and not self.check_mode:
            self.containers = self._list_containers()
        services: dict[str, t.Any] = {}
        containers = []
        for service in sorted(self.project.services):
            items = []
            for summary in self._service_containers(service):
                item = {
                    "name": summary_name(summary),
                    "id": summary["Id"],
                    "service": service,
                    "number": replica_number(summary),
                    "image": summary.get("Image"),
                    "state": summary.get("State"),
                    "status": summary.get("Status"),
                }
                items.append(item)
                containers.append(item)
            services[service] = {
                "image": self.image_ref(service),
                "containers": items,
                "scale": self.project.services[service]["scale"],
            }
        networks = sorted(
            n["name"] for n in self.project.networks.values()
            if any(n["key"] in self.project.services[s]["networks"] for s in self.project.services)
        )
        volumes = sorted(v["name"] for v in self.project.volumes.values())
        return self.tracker.result(
            project_name=self.name,
            services=services,
            containers=containers,
            networks=networks,
            volumes=volumes,
            images_built=self.built,
        )

    def up(self) -> None:
        services = self.selected
        self._check_external()
        for service in services:
            self._ensure_image(service)
        used_networks = sorted({k for s in services for k in self.project.services[s]["networks"]})
        for key in used_networks:
            self._ensure_network(key)
        used_volumes = sorted({v["source"] for s in services for v in self.project.services[s]["volumes"]
                               if v["type"] == "volume" and v["source"]})
        for key in used_volumes:
            self._ensure_volume(key)
        self._write_files(services)
        touched: set[str] = set()
        lock = threading.Lock()

        def converge(service: str, tracker: Tracker) -> bool:
            self._wait_dependencies(service, touched)
            changed = self._converge_service(service, tracker)
            if not changed:
                changed = self._restart_for_dependencies(service, touched, tracker)
            if changed:
                with lock:
                    touched.add(service)
            return changed

        # independent services converge at once; a service starts once its dependencies are done
        run_graph(self.api, services, self._dependencies, converge, self.tracker)
        self._orphans()
        if self.params.get("wait"):
            for service in services:
                self._wait_service(service, "ready", touched)

    def _dependencies(self, service: str) -> list[str]:
        return sorted(self.project.services[service]["depends_on"]) if service in self.project.services else []

    def _dependents(self, service: str, among: t.Iterable[str]) -> list[str]:
        return sorted(s for s in among if service in self._dependencies(s))

    def _write_files(self, services: list[str]) -> None:
        """The files of the secrets and configs the services mount (written, or repaired when changed)."""
        for service in services:
            svc = self.project.services[service]
            if not svc.get("secrets") and not svc.get("configs"):
                continue
            stale = files_differ(self.name, service, svc, self.project.secrets, self.project.configs)
            if stale:
                self.tracker.add(f"services.{service}.files", "stale", "written")
                if not self.check_mode:
                    write_files(self.name, service, svc, self.project.secrets, self.project.configs)

    def _restart_for_dependencies(self, service: str, touched: set[str], tracker: Tracker) -> bool:
        """depends_on.restart: a dependency recreated or restarted by this run restarts the service too."""
        deps = [d for d, cfg in self.project.services[service]["depends_on"].items() if cfg.get("restart") and d in touched]
        if not deps:
            return False
        restarted = False
        for summary in self._service_containers(service):
            if summary.get("State") != "running":
                continue
            name = summary_name(summary)
            tracker.add(f"services.{service}.{name}", {"restarted_for": None}, {"restarted_for": sorted(deps)})
            tracker.action("docker", "container", "restart", name)
            if not self.check_mode:
                lifecycle.restart(self.api, summary["Id"], self._grace(service))
            restarted = True
        return restarted

    def _each_container(self, containers: list[dict[str, t.Any]], work: t.Callable[[dict[str, t.Any], str | None, Tracker], None]) -> None:
        """work(summary, service, tracker) for every container, dependents before their dependencies and
        independent services at the same time; the replicas of one service at the same time too."""
        by_service: dict[str, list[dict[str, t.Any]]] = {}
        for summary in containers:
            by_service.setdefault((summary.get("Labels") or {}).get(LABEL_SERVICE) or "", []).append(summary)
        order = {s: i for i, s in enumerate(self.project.order())}
        names = sorted(by_service, key=lambda s: (-order.get(s, len(order)), s))

        def job(service: str, tracker: Tracker) -> None:
            replicas = sorted(by_service[service], key=lambda c: -replica_number(c))
            if len(replicas) == 1:
                work(replicas[0], service or None, tracker)
                return
            ids = [c["Id"] for c in replicas]
            run_graph(self.api, ids, lambda _c: [], lambda cid, sub: work(replicas[ids.index(cid)], service or None, sub), tracker)

        run_graph(self.api, names, lambda s: self._dependents(s, names), job, self.tracker)

    def _targets(self) -> list[str]:
        return self.selected

    def stop(self) -> None:
        active = [
            summary for service in self._targets() for summary in self._service_containers(service)
            if summary.get("State") in ("running", "restarting", "paused")
        ]
        self._each_container(active, self._stop)

    def restart(self) -> None:
        if not self.check_mode:
            self.containers = self._list_containers()
        for service in self._targets():
            for summary in self._service_containers(service):
                name = summary_name(summary)
                if self.tracker.different(f"services.{service}.{name}"):
                    continue  # just created or started
                self.tracker.add(f"services.{service}.{name}", {"state": summary.get("State")}, {"state": "restarted"})
                self.tracker.action("docker", "container", "restart", name)
                if not self.check_mode:
                    lifecycle.restart(self.api, summary["Id"], grace=30)
            self._wait_dependents_ready(service)

    def down(self) -> None:
        limited = bool(self.params.get("services"))
        targets = set(self.selected) if limited else None
        containers = [
            c for c in self._project_containers()
            if targets is None or (c.get("Labels") or {}).get(LABEL_SERVICE) in targets
        ]
        # dependents first, independent services and replicas at the same time: one stop_grace_period, not N
        self._each_container(containers, self._remove)
        if limited:
            return
        if not self.check_mode:
            remove_state(self.name)
        project = {"filters": {"label": [f"{LABEL_PROJECT}={self.name}"]}}
        self._remove_objects("network", self.api.get("/networks", project) or [], "Id",
                             "Disconnect the containers that are not part of the project (docker network inspect) and run again.")
        if self.params.get("remove_volumes"):
            self._remove_objects("volume", (self.api.get("/volumes", project) or {}).get("Volumes") or [], "Name",
                                 "A container outside the project still uses it; remove that container and run again.")

    def _remove_objects(self, kind: str, objects: list[dict[str, t.Any]], ref: str, hint: str) -> None:
        """``docker network rm`` / ``docker volume rm`` of the project's networks or volumes (found by the project
        label), by name; one already gone is fine, one still in use fails with ``hint``."""
        for obj in sorted(objects, key=lambda o: o["Name"]):
            self.tracker.add(f"{kind}s.{obj['Name']}", {"name": obj["Name"]}, None)
            self.tracker.action("docker", kind, "rm", obj["Name"])
            if self.check_mode:
                continue
            try:
                self.api.delete(self.api.url(f"/{kind}s/{{0}}", obj[ref]))
            except NotFound:
                pass
            except APIError as exc:
                raise DockerError(f"{kind}s: removing {obj['Name']!r} failed: {exc.explanation}. {hint}") from exc
