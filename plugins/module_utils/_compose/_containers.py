# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The containers of a Compose project's services: each replica becomes the same desired-container
description the ``container`` module builds (``_replica.ReplicaSpec.container_params``), converged by the public
``ContainerManager``; starting, stopping and removing go through the shared container lifecycle.

The no-op path is one container listing, one image inspect per service and one inspect per
network/volume: a container whose config hash and image are unchanged and that runs (or is a
finished one-shot job) is not inspected.  A new container costs two requests (create, start): the
container manager is told what the listing, the image and the networks already said.
"""

from __future__ import annotations

import posixpath
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._client import Conflict, DockerError, NotFound
from ansible_collections.devops.docker.plugins.module_utils._compose._anon_volumes import (
    anonymous_candidates,
    anonymous_paths,
    carried_mounts,
    mounted_by_name,
    volumes_by_name,
)
from ansible_collections.devops.docker.plugins.module_utils._compose._drift import network_drift
from ansible_collections.devops.docker.plugins.module_utils._compose._files import file_mounts
from ansible_collections.devops.docker.plugins.module_utils._compose._replica import ReplicaSpec
from ansible_collections.devops.docker.plugins.module_utils._compose._spec import (
    LABEL_HASH,
    LABEL_ONEOFF,
    LABEL_PROJECT,
    LABEL_SERVICE,
    replica_number,
    summary_name,
)
from ansible_collections.devops.docker.plugins.module_utils._container import _lifecycle as lifecycle
from ansible_collections.devops.docker.plugins.module_utils._diff import Tracker
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError


class ServiceContainers(ReplicaSpec):
    """The containers of each service: one per replica (as ReplicaSpec describes it), converged through the
    public container manager and the shared container lifecycle."""

    def _list_containers(self) -> list[dict[str, t.Any]]:
        return self.api.get("/containers/json", {"all": True}) or []

    def _project_containers(self) -> list[dict[str, t.Any]]:
        return [c for c in self.containers if (c.get("Labels") or {}).get(LABEL_PROJECT) == self.name]

    def _service_containers(self, service: str) -> list[dict[str, t.Any]]:
        return sorted(
            (c for c in self._project_containers() if (c.get("Labels") or {}).get(LABEL_SERVICE) == service
             and (c.get("Labels") or {}).get(LABEL_ONEOFF, "False") != "True"),
            key=replica_number,
        )

    def _converge_service(self, service: str, tracker: Tracker | None = None) -> bool:
        """Create/recreate/start the replicas of one service; remove the extra ones. True when changed."""
        tracker = self.tracker if tracker is None else tracker
        svc = self.project.services[service]
        chash = self._service_hash(service)
        image = self.image_ref(service)
        image_id = self.image_ids.get(service)
        existing = self._service_containers(service)
        by_number: dict[int, dict[str, t.Any]] = {}
        extra: list[dict[str, t.Any]] = []
        for summary in existing:
            number = replica_number(summary)
            if 1 <= number <= svc["scale"] and number not in by_number:
                by_number[number] = summary
            else:
                extra.append(summary)
        changed = False
        recreate = self.params["recreate"]
        for number in range(1, svc["scale"] + 1):
            summary = by_number.get(number)
            name = self.container_name(service, number)
            if summary is not None and not svc["container_name"]:
                # adopted as it is named: another Compose implementation may write <project>_<service>_<n>
                name = summary_name(summary)
            params: dict[str, t.Any] | None = None
            reconnect = False  # the same container, on its networks again (not a recreate)
            if summary is None:
                self._check_name_free(name, service)
            elif recreate != "always":
                labels = summary.get("Labels") or {}
                same = labels.get(LABEL_HASH) == chash and (image_id is None and not self.check_mode or summary.get("ImageID") == image_id)
                if recreate == "never":
                    same = True
                elif not same and labels.get(LABEL_HASH) != chash and summary.get("State") == "running":
                    # Another config hash (the Compose CLI's, or an older one of ours): adopt the
                    # container when it is what this service asks for in every other respect.
                    params = self.container_params(service, number, image, chash, name)
                    same = self._adoptable(summary, params)
                if same and summary.get("State") == "running" and self._network_drift(service, summary):
                    same = False  # lost a network (disconnected, or the network was recreated): reconnect it
                    reconnect = True
                    # the volumes an earlier recreate carried over are what this container has, not drift
                    params = self.container_params(service, number, image, chash, name,
                                                   carried=self._carried_volumes(service, summary, image, mirror=True))
                if same and (summary.get("State") == "running" or self._finished_job(summary, svc)):
                    continue
                if same and summary.get("State") != "running":
                    changed |= self._start(summary, service, tracker)
                    continue
            carried: list[dict[str, t.Any]] = []
            if summary is not None and not reconnect and not self.params.get("renew_anon_volumes") and not (
                    summary_name(summary) != name and self.params.get("remove_volumes")):
                # a recreate: the old container's anonymous volumes go to the new one (docker compose up without -V)
                carried = self._carried_volumes(service, summary, image)
            if params is None or carried:
                params = self.container_params(service, number, image, chash, name, carried=carried)
            if summary is not None:
                old = summary_name(summary)
                if old != name:
                    # container_name changed: the old container goes, the new one is created.
                    self._remove(summary, service, tracker)
                if recreate == "always" and "recreate" in (self._container_spec or {}):
                    params["recreate"] = True
            pending = any(self.project.networks[k]["name"] in self.pending_networks for k in svc["networks"])
            if self.check_mode and (image_id is None or pending):
                # The image is still to be built or pulled: the container manager cannot compare
                # against it, but the outcome is certain: the container is (re)created.
                self._predict_create(summary, service, name, image, params, tracker)
                changed = True
                continue
            from ansible_collections.devops.docker.plugins.module_utils._container._manager import ContainerManager  # pylint: disable=import-outside-toplevel

            manager = ContainerManager(
                self.api, params, self.check_mode, tracker=Tracker(), warn=self.warn, replace_other_image=True,
                # what this run already read: the listing (no container of the name), the image, the networks
                known_absent=summary is None, known_image=self._image_cache.get(image),
                known_networks=self._known_networks(), inspect_result=False,
                # a recreate runs the old container's pre_stop hooks before stopping it, as docker compose up does
                before_stop=lambda cid, service=service, name=name: self.run_hooks(service, "pre_stop", cid, name, tracker),
            )
            result = manager.run()
            if result.get("changed"):
                changed = True
                started = any(a.startswith(("docker container start", "docker container run", "docker run")) for a in result.get("actions") or [])
                if started and not self.check_mode:
                    self.run_hooks(service, "post_start", name, name, tracker)
                tracker.actions.extend(result.get("actions") or [])
                diff = result.get("diff") or {}
                tracker.add(f"services.{service}.{name}", diff.get("before"), diff.get("after"))
        for summary in sorted(extra, key=replica_number, reverse=True):
            self._remove(summary, service, tracker)
            changed = True
        return changed

    def _carried_volumes(self, service: str, summary: dict[str, t.Any], image: str, mirror: bool = False) -> list[dict[str, t.Any]]:
        """The ``mounts`` that give a replacement of this container its anonymous volumes, by name, at the paths
        that are still anonymous-volume paths of the service (``_anon_volumes``); with ``mirror``, only those the
        container already mounts that way (one inspect). Costs nothing when the container has no anonymous volume."""
        svc = self.project.services[service]
        candidates = self._anonymous_candidates(summary)
        if not candidates:
            return []
        covered = [entry.split(":")[1] for entry in file_mounts(self.name, service, svc)]
        image_volumes = None
        own = anonymous_paths(svc, covered, None)
        if any(posixpath.normpath(m.get("Destination") or "/") not in own for m in candidates):
            # an image VOLUME path, perhaps: the image this run creates the container from says
            doc = self._image_cache[image] if image in self._image_cache else self.api.inspect_image(image)
            image_volumes = list(((doc or {}).get("Config") or {}).get("Volumes") or {})
        paths = anonymous_paths(svc, covered, image_volumes)
        if mirror:
            return mounted_by_name(self.api.inspect_container(summary["Id"]) or {}, candidates, paths)
        return carried_mounts(candidates, paths)

    def _known_networks(self) -> set[str]:
        """The names of the project's networks this run knows exist: inspected or created (not in check mode),
        or external (checked before the first change)."""
        known = set(self.network_ids) | (set() if self.check_mode else set(self.pending_networks))
        known.update(net["name"] for net in self.project.networks.values() if net["external"])
        return known

    def _waits_for_health(self, service: str) -> bool:
        health = self.project.services[service]["healthcheck"]
        return bool(self.params.get("wait") and health and not health.get("disable"))

    def _network_drift(self, service: str, summary: dict[str, t.Any]) -> list[str]:
        """The service's networks this running container is not (properly) on, from the listing alone."""
        svc = self.project.services[service]
        if svc["network_mode"]:
            return []
        wanted = {self.project.networks[k]["name"]: (self.network_ids.get(self.project.networks[k]["name"]) or None)
                  for k in svc["networks"]}
        return network_drift(summary, wanted)

    def _adoptable(self, summary: dict[str, t.Any], params: dict[str, t.Any]) -> bool:
        """Whether the container module would leave this running container as it is.

        The comparison takes the container's own ``com.docker.compose.*`` labels (hash, version, working dir,
        files...) and every other option from the service: a container the Compose CLI made with the same
        settings is adopted, not recreated, and keeps its labels (each run compares it again, which costs
        one inspect).
        """
        from ansible_collections.devops.docker.plugins.module_utils._container._manager import ContainerManager  # pylint: disable=import-outside-toplevel

        labels = {k: v for k, v in (params.get("labels") or {}).items() if not k.startswith("com.docker.compose.")}
        labels.update({k: v for k, v in (summary.get("Labels") or {}).items() if k.startswith("com.docker.compose.")})
        params = {**params, "labels": labels}  # the caller's params keep our labels for a recreate
        try:
            manager = ContainerManager(self.api, params, True, tracker=Tracker(), replace_other_image=True,
                                       known_image=self._image_cache.get(params.get("image") or ""),
                                       known_networks=self._known_networks())
            return not manager.run().get("changed")
        except DockerError:
            return False

    def _predict_create(
        self, summary: dict[str, t.Any] | None, service: str, name: str, image: str, params: dict[str, t.Any],
        tracker: Tracker,
    ) -> None:
        """Check mode, when the image or a network does not exist yet: record the create the real run does."""
        from ansible_collections.devops.docker.plugins.module_utils._container._manager import create_command  # pylint: disable=import-outside-toplevel

        if summary is not None:
            tracker.action("docker", "container", "rm", "--force", summary_name(summary))
        tracker.add(
            f"services.{service}.{name}",
            {"state": summary.get("State")} if summary else {"state": "absent"},
            {"state": "running", "image": image},
        )
        try:
            argv = create_command(params)
        except SpecError:  # the real run reports it, with the image at hand
            argv = ["docker", "container", "create", "--name", name, image]
        tracker.action(*argv)
        tracker.action("docker", "container", "start", name)

    @staticmethod
    def _finished_job(summary: dict[str, t.Any], svc: dict[str, t.Any]) -> bool:
        """A one-shot container (no restart policy) that exited 0 is done, not stopped."""
        if summary.get("State") != "exited" or (svc["restart"] or "no") != "no":
            return False
        return "Exited (0)" in (summary.get("Status") or "")

    def _check_name_free(self, name: str, service: str) -> None:
        for summary in self.containers:
            if summary_name(summary) == name:
                labels = summary.get("Labels") or {}
                if labels.get(LABEL_PROJECT) != self.name or labels.get(LABEL_SERVICE) != service:
                    raise DockerError(
                        f"services.{service}: the container name {name!r} is taken by a container that is not "
                        f"service {service!r} of project {self.name!r}; remove that container or set another "
                        "container_name."
                    )

    def _grace(self, service: str | None) -> int | None:
        """The service's stop_grace_period in seconds (None: the container's own stop timeout)."""
        svc = self.project.services.get(service or "")
        return int(svc["stop_grace_period"]) if svc and svc["stop_grace_period"] is not None else None

    def _start(self, summary: dict[str, t.Any], service: str, tracker: Tracker | None = None) -> bool:
        tracker = self.tracker if tracker is None else tracker
        name = summary_name(summary)
        tracker.add(f"services.{service}.{name}", {"state": summary.get("State")}, {"state": "running"})
        tracker.action("docker", "container", "start", name)
        if not self.check_mode:
            lifecycle.start(self.api, summary["Id"])
            self.run_hooks(service, "post_start", summary["Id"], name, tracker)
        return True

    def _stop(self, summary: dict[str, t.Any], service: str | None, tracker: Tracker | None = None) -> None:
        tracker = self.tracker if tracker is None else tracker
        name = summary_name(summary)
        timeout = self._grace(service)
        tracker.add(f"services.{service}.{name}", {"state": summary.get("State")}, {"state": "exited"})
        tracker.action(*lifecycle.stop_argv(name, timeout))
        if not self.check_mode:
            self.run_hooks(service, "pre_stop", summary["Id"], name, tracker, summary)
            lifecycle.stop(self.api, summary["Id"], timeout)

    def _remove(self, summary: dict[str, t.Any], service: str | None, tracker: Tracker | None = None) -> None:
        tracker = self.tracker if tracker is None else tracker
        name = summary_name(summary)
        volumes = bool(self.params.get("remove_volumes"))
        timeout = lifecycle.stop_timeout(None, self._grace(service))
        tracker.add(f"services.{service}.{name}", {"state": summary.get("State")}, {"state": "absent"})
        lifecycle.record_removal(tracker, summary, name, timeout, volumes)
        carried = self._carried_volume_names(summary) if volumes else []
        for volume in carried:
            tracker.add(f"volumes.{volume}", {"name": volume}, None)
            tracker.action("docker", "volume", "rm", volume)
        if not self.check_mode:
            self.run_hooks(service, "pre_stop", summary["Id"], name, tracker, summary)
            lifecycle.remove(self.api, summary, timeout, volumes)
            for volume in carried:
                try:
                    self.api.delete(self.api.url("/volumes/{0}", volume))
                except NotFound:
                    pass
                except Conflict:
                    self.warn(f"The anonymous volume {volume} of {name} is still used by another container; it was left.")

    def _carried_volume_names(self, summary: dict[str, t.Any]) -> list[str]:
        """remove_volumes: ``rm -v`` keeps an anonymous volume that a recreate carried over (it is mounted by its
        name); these are removed after the container (``docker volume rm``). One inspect, only for a container
        with anonymous volumes."""
        candidates = self._anonymous_candidates(summary)
        if not candidates:
            return []
        by_name = {source for source, _target in volumes_by_name(self.api.inspect_container(summary["Id"]) or {})}
        return sorted(m["Name"] for m in candidates if m["Name"] in by_name)

    def _anonymous_candidates(self, summary: dict[str, t.Any]) -> list[dict[str, t.Any]]:
        """The listed container's volume mounts that look anonymous (not one of the project's named volumes)."""
        return anonymous_candidates(summary, {v["name"] for v in self.project.volumes.values()})

    def _orphans(self) -> None:
        orphans = [
            c for c in self._project_containers()
            if (c.get("Labels") or {}).get(LABEL_SERVICE) not in self.project.services
            and (c.get("Labels") or {}).get(LABEL_SERVICE) not in self.project.disabled
            and (c.get("Labels") or {}).get(LABEL_ONEOFF, "False") != "True"
        ]
        if not orphans:
            return
        names = sorted(summary_name(c) for c in orphans)
        if not self.params.get("remove_orphans"):
            self.warn(
                f"Found orphan containers ({', '.join(names)}) for project {self.name!r}: their service is no longer "
                "in the Compose file. Set remove_orphans: true to remove them."
            )
            return
        for summary in sorted(orphans, key=summary_name):
            self._remove(summary, (summary.get("Labels") or {}).get(LABEL_SERVICE))

    # ------------------------------------------------------------------ waiting
