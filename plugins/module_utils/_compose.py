# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The converger behind devops.docker.compose.

``ComposeManager`` loads the project (``_compose_loader``: every error is
raised before the first request), then converges it with the collection's
own managers:

* images: ``_image.ImageManager`` (build with ``rebuild`` auto/always/never,
  pull missing/always) -- in check mode nothing is built or pulled;
* networks: ``_network.create_body`` / ``create_cli`` with Compose's labels;
* containers: ``_container._manager.ContainerManager``: a service becomes the same
  desired-container description the ``container`` module builds, one per
  replica, named ``<project>-<service>-<n>`` (or ``container_name``) and
  labelled like Docker Compose does (``com.docker.compose.project``,
  ``.service``, ``.container-number``, ``.oneoff``, ``.config-hash``...), so
  the CLI and this module adopt each other's containers.

The no-op path is one container listing, one image inspect per service and
one inspect per network/volume: a container whose config hash and image are
unchanged and that runs (or is a finished one-shot job) is not inspected.
"""

from __future__ import annotations

import re
import time
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._client import APIError, DockerError, NotFound
from ansible_collections.devops.docker.plugins.module_utils._compose_loader import (
    Project,
    config_hash,
    load_project,
)
from ansible_collections.devops.docker.plugins.module_utils._container._manager import ContainerManager, create_command
from ansible_collections.devops.docker.plugins.module_utils._container._table import container_argument_spec, container_defaults
from ansible_collections.devops.docker.plugins.module_utils._diff import Tracker
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._ports import PortBinding

LABEL_PROJECT = "com.docker.compose.project"
LABEL_SERVICE = "com.docker.compose.service"
LABEL_NUMBER = "com.docker.compose.container-number"
LABEL_ONEOFF = "com.docker.compose.oneoff"
LABEL_HASH = "com.docker.compose.config-hash"
LABEL_WORKDIR = "com.docker.compose.project.working_dir"
LABEL_FILES = "com.docker.compose.project.config_files"
LABEL_DEPENDS = "com.docker.compose.depends_on"
LABEL_IMAGE = "com.docker.compose.image"
LABEL_VERSION = "com.docker.compose.version"
LABEL_NETWORK = "com.docker.compose.network"
LABEL_VOLUME = "com.docker.compose.volume"
COMPOSE_VERSION = "2.20.2"  # the Compose CLI version whose labels we write

COMPOSE_ARGS: dict[str, t.Any] = {
    "project_src": {"type": "path"},
    "files": {"type": "list", "elements": "path"},
    "definition": {"type": "dict"},
    "project_name": {"type": "str"},
    "state": {"type": "str", "default": "present", "choices": ["present", "absent", "stopped", "restarted"]},
    "services": {"type": "list", "elements": "str"},
    "build": {"type": "str", "default": "auto", "choices": ["auto", "always", "never"]},
    "pull": {"type": "str", "default": "missing", "choices": ["missing", "always", "never"]},
    "recreate": {"type": "str", "default": "auto", "choices": ["auto", "always", "never"]},
    "remove_orphans": {"type": "bool", "default": False},
    "remove_volumes": {"type": "bool", "default": False},
    "wait": {"type": "bool", "default": False},
    "wait_timeout": {"type": "int", "default": 120},
    "env": {"type": "dict"},
    "env_files": {"type": "list", "elements": "path"},
    "profiles": {"type": "list", "elements": "str"},
}

POLL = 0.25
# Environment variables with these words in their name are passed as the container
# module's secret_env: their values never show in the diff, the actions or the output.
SECRET_NAME_RE = re.compile(r"PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY", re.IGNORECASE)


def spec_defaults(spec: dict[str, t.Any]) -> dict[str, t.Any]:
    """A full params dict from an argument spec: every option, at its default (suboptions too)."""
    result: dict[str, t.Any] = {}
    for key, opt in spec.items():
        result[key] = opt.get("default")
    return result


def _fill(spec: dict[str, t.Any], values: dict[str, t.Any]) -> dict[str, t.Any]:
    params = spec_defaults(spec)
    params.update(values)
    for key, opt in spec.items():
        sub = opt.get("options")
        if sub and isinstance(params.get(key), dict):
            params[key] = _fill(sub, params[key])
    return params


def _container_name(summary: dict[str, t.Any]) -> str:
    names = summary.get("Names") or []
    return names[0].lstrip("/") if names else summary["Id"][:12]


def _number(summary: dict[str, t.Any]) -> int:
    try:
        return int((summary.get("Labels") or {}).get(LABEL_NUMBER) or 0)
    except ValueError:
        return 0


class ComposeManager:
    """Converge one Compose project: images, networks, volumes, then every service's containers through
    the public container manager, in dependency order."""

    def __init__(
        self,
        api: t.Any,
        params: dict[str, t.Any],
        check_mode: bool,
        tracker: Tracker | None = None,
        warn: t.Callable[[str], None] | None = None,
    ) -> None:
        self.api = api
        self.params = params
        self.check_mode = check_mode
        self.warn = warn or (lambda msg: None)
        self.tracker = tracker or Tracker()
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
        self.wait_timeout = float(p.get("wait_timeout") or 120)
        self.built: list[str] = []
        self.service_results: dict[str, dict[str, t.Any]] = {}
        self.image_ids: dict[str, str | None] = {}
        self.containers: list[dict[str, t.Any]] = []
        self._image_cache: dict[str, dict[str, t.Any] | None] = {}
        self.pending_networks: set[str] = set()  # created in this run (check mode: would be)
        self._container_spec: dict[str, t.Any] | None = None
        # Validate the translation of every selected service into container options now,
        # before any request: an unsupported combination fails with nothing changed.
        if self.state in ("present", "restarted"):
            for name in self.selected:
                self._container_params(name, 1, "x", "0" * 64)

    # ================================================================== helpers
    @property
    def name(self) -> str:
        return self.project.name

    def image_ref(self, service: str) -> str:
        svc = self.project.services[service]
        return svc["image"] or f"{self.name}-{service}"

    def _list_containers(self) -> list[dict[str, t.Any]]:
        return self.api.get("/containers/json", {"all": True}) or []

    def _project_containers(self) -> list[dict[str, t.Any]]:
        return [c for c in self.containers if (c.get("Labels") or {}).get(LABEL_PROJECT) == self.name]

    def _service_containers(self, service: str) -> list[dict[str, t.Any]]:
        return sorted(
            (c for c in self._project_containers() if (c.get("Labels") or {}).get(LABEL_SERVICE) == service
             and (c.get("Labels") or {}).get(LABEL_ONEOFF, "False") != "True"),
            key=_number,
        )

    def container_name(self, service: str, number: int) -> str:
        svc = self.project.services[service]
        return svc["container_name"] or f"{self.name}-{service}-{number}"

    # ================================================================== translation
    def _container_params(self, service: str, number: int, image: str, chash: str) -> dict[str, t.Any]:
        """The container module's options for replica ``number`` of ``service``."""
        if self._container_spec is None:
            self._container_spec = container_argument_spec()
        spec = self._container_spec
        svc = self.project.services[service]
        project = self.project
        where = f"services.{service}"
        labels = dict(svc["labels"])
        labels.update(
            {
                LABEL_PROJECT: self.name,
                LABEL_SERVICE: service,
                LABEL_NUMBER: str(number),
                LABEL_ONEOFF: "False",
                LABEL_HASH: chash,
                LABEL_WORKDIR: project.working_dir,
                LABEL_FILES: ",".join(project.config_files),
                LABEL_DEPENDS: ",".join(
                    f"{dep}:{cfg['condition']}:false" for dep, cfg in sorted(svc["depends_on"].items())
                ),
                LABEL_VERSION: COMPOSE_VERSION,
            }
        )
        volumes: list[str] = []
        mounts: list[dict[str, t.Any]] = []
        tmpfs = list(svc["tmpfs"])
        for vol in svc["volumes"]:
            if vol["type"] == "tmpfs":
                opts = []
                if vol.get("size"):
                    opts.append(f"size={vol['size']}")
                if vol.get("mode") is not None:
                    opts.append(f"mode={vol['mode']:o}")
                if vol.get("read_only"):
                    opts.append("ro")
                tmpfs.append(vol["target"] + (":" + ",".join(opts) if opts else ""))
                continue
            source = vol["source"]
            if vol["type"] == "volume" and source:
                source = project.volumes[source]["name"]
            if vol["type"] == "volume" and vol.get("nocopy"):
                mount = {"type": "volume", "source": source, "target": vol["target"], "no_copy": True}
                if vol["read_only"]:
                    mount["read_only"] = True
                mounts.append(mount)
                continue
            text = f"{source}:{vol['target']}" if source else vol["target"]
            if vol["read_only"]:
                text += ":ro"
            volumes.append(text)
        networks = None
        if not svc["network_mode"]:
            networks = []
            for key, cfg in sorted(svc["networks"].items()):
                entry: dict[str, t.Any] = {
                    "name": project.networks[key]["name"],
                    "aliases": [service] + [a for a in cfg["aliases"] if a != service],
                }
                if cfg.get("ipv4_address"):
                    entry["ipv4_address"] = cfg["ipv4_address"]
                networks.append(entry)
        healthcheck = None
        if svc["healthcheck"] is not None:
            healthcheck = {k: v for k, v in svc["healthcheck"].items() if v is not None}
        logging = svc["logging"] or {}
        values: dict[str, t.Any] = {
            "name": self.container_name(service, number),
            "image": image,
            "state": "started",
            "pull": "never",
            "command": svc["command"],
            "entrypoint": svc["entrypoint"],
            "env": {k: v for k, v in svc["environment"].items() if not SECRET_NAME_RE.search(k)} or None,
            "secret_env": {k: v for k, v in svc["environment"].items() if SECRET_NAME_RE.search(k)} or None,
            "ports": [PortBinding(p["target"], p["protocol"], p["host_ip"] or "", str(p["published"] or "")) for p in svc["ports"]] or None,
            "volumes": volumes or None,
            "mounts": mounts or None,
            "networks": networks,
            "network_mode": svc["network_mode"] or None,
            "restart_policy": svc["restart"] or "no",
            "labels": labels,
            "healthcheck": healthcheck,
            "user": svc["user"],
            "working_dir": svc["working_dir"],
            "hostname": svc["hostname"],
            "memory": svc["memory"],
            "cpus": svc["cpus"],
            "log_driver": logging.get("driver"),
            "log_options": logging.get("options") or None,
            "interactive": svc["stdin_open"],
            "tty": svc["tty"],
            "init": svc["init"],
            "privileged": svc["privileged"],
            "cap_add": svc["cap_add"] or None,
            "cap_drop": svc["cap_drop"] or None,
            "read_only": svc["read_only"],
            "tmpfs": tmpfs or None,
            "stop_signal": svc["stop_signal"],
            "stop_timeout": int(svc["stop_grace_period"]) if svc["stop_grace_period"] is not None else None,
            "detach": True,
        }
        if svc["extra_hosts"]:
            values["extra_hosts"] = svc["extra_hosts"]
        if svc["expose"]:
            values["exposed_ports"] = svc["expose"]
        for key, value in list(values.items()):
            if key not in spec:
                if value in (None, False, [], {}):
                    del values[key]
                    continue
                raise DockerError(
                    f"{where}: the container module has no option {key!r} for this service's settings; remove them "
                    "from the Compose file. Nothing was changed."
                )
        params = container_defaults()
        params.update(values)
        return params

    def _service_hash(self, service: str) -> str:
        svc = self.project.services[service]
        extra = {
            "project": self.name,
            "image": self.image_ref(service),
            "networks": {k: self.project.networks[k]["name"] for k in svc["networks"]},
            "volumes": {v["source"]: self.project.volumes[v["source"]]["name"] for v in svc["volumes"]
                        if v["type"] == "volume" and v["source"]},
        }
        return config_hash(svc, extra)

    # ================================================================== run
    def run(self) -> dict[str, t.Any]:
        self.containers = self._list_containers()
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
                    "name": _container_name(summary),
                    "id": summary["Id"],
                    "service": service,
                    "number": _number(summary),
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

    # ================================================================== up
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
        touched: set[str] = set()
        for service in services:
            self._wait_dependencies(service, touched)
            if self._converge_service(service):
                touched.add(service)
        self._orphans()
        if self.params.get("wait"):
            for service in services:
                self._wait_service(service, "ready", touched)

    def _check_external(self) -> None:
        services = [self.project.services[s] for s in self.selected]
        for key, net in sorted(self.project.networks.items()):
            if net["external"] and any(key in s["networks"] for s in services):
                if self.api.inspect_network(net["name"]) is None:
                    raise DockerError(
                        f"networks.{key}: the external network {net['name']!r} does not exist; create it first "
                        f"(docker network create {net['name']}, or devops.docker.network) or drop external: true. "
                        "Nothing was changed."
                    )
        for key, vol in sorted(self.project.volumes.items()):
            used = any(v["type"] == "volume" and v["source"] == key for s in services for v in s["volumes"])
            if vol["external"] and used and self.api.inspect_volume(vol["name"]) is None:
                raise DockerError(
                    f"volumes.{key}: the external volume {vol['name']!r} does not exist; create it first "
                    f"(docker volume create {vol['name']}, or devops.docker.volume) or drop external: true. "
                    "Nothing was changed."
                )

    # ------------------------------------------------------------------ images
    def _ensure_image(self, service: str) -> None:
        from ansible_collections.devops.docker.plugins.module_utils._image import IMAGE_ARGS, ImageManager  # pylint: disable=import-outside-toplevel

        svc = self.project.services[service]
        ref = self.image_ref(service)
        build_mode = self.params["build"]
        pull_mode = self.params["pull"]
        if svc["pull_policy"] in ("always", "never", "missing"):
            pull_mode = svc["pull_policy"]
        if svc["build"] and build_mode != "never" or svc["build"] and svc["pull_policy"] == "build":
            build = svc["build"]
            params = _fill(
                IMAGE_ARGS,
                {
                    "name": ref,
                    "source": "build",
                    "rebuild": "always" if build_mode == "always" else "auto",
                    "build": {
                        "path": build["context"],
                        "dockerfile": build["dockerfile"],
                        "args": build["args"],
                        "target": build["target"],
                        "network": build["network"],
                        "labels": build["labels"],
                        "nocache": build["no_cache"],
                        "pull": build["pull"],
                    },
                },
            )
            manager = ImageManager(self.api, params, self.check_mode, warn=self.warn)
            result = manager.run()
            self.tracker.actions.extend(result.get("actions") or [])
            if result.get("changed"):
                self.tracker.add(f"images.{service}", (result.get("diff") or {}).get("before"), (result.get("diff") or {}).get("after"))
                self.built.append(ref)
            image = result.get("image")
            self.image_ids[service] = None if result.get("changed") and self.check_mode else (image or {}).get("Id")
            return
        if ref not in self._image_cache:  # services often share an image: inspect it once
            self._image_cache[ref] = self.api.inspect_image(ref)
        image = self._image_cache[ref]
        if image is not None and pull_mode != "always":
            self.image_ids[service] = image["Id"]
            return
        if pull_mode == "never" or image is None and svc["build"]:
            raise DockerError(
                f"services.{service}: image {ref!r} is not on the daemon and "
                + ("build is never" if svc["build"] else "pull is never")
                + "; build or pull it first, or set "
                + ("build: auto." if svc["build"] else "pull: missing.")
                + (" Nothing was changed." if not self.tracker.changed else "")
            )
        params = _fill(IMAGE_ARGS, {"name": ref, "source": "pull", "pull": "always" if pull_mode == "always" else "missing"})
        result = ImageManager(self.api, params, self.check_mode, warn=self.warn).run()
        self._image_cache.pop(ref, None)
        self.tracker.actions.extend(result.get("actions") or [])
        if result.get("changed"):
            self.tracker.add(f"images.{service}", (result.get("diff") or {}).get("before"), (result.get("diff") or {}).get("after"))
        new = result.get("image")
        self.image_ids[service] = None if result.get("changed") and self.check_mode else (new or {}).get("Id")

    # ------------------------------------------------------------------ networks and volumes
    def _ensure_network(self, key: str) -> None:
        from ansible_collections.devops.docker.plugins.module_utils._network import create_body, create_cli  # pylint: disable=import-outside-toplevel

        net = self.project.networks[key]
        if net["external"]:
            return
        current = self.api.inspect_network(net["name"])
        desired = {
            "driver": net["driver"],
            "internal": net["internal"] or None,
            "attachable": net["attachable"] or None,
            "enable_ipv6": net["enable_ipv6"] or None,
            "options": net["driver_opts"] or None,
            "labels": {**net["labels"], LABEL_PROJECT: self.name, LABEL_NETWORK: key, LABEL_VERSION: COMPOSE_VERSION},
            "ipam": net["ipam"]["config"] or None,
            "ipam_driver": net["ipam"]["driver"] if net["ipam"]["driver"] != "default" else None,
            "ipam_options": net["ipam"]["options"] or None,
        }
        if current is not None:
            labels = current.get("Labels") or {}
            owner = labels.get(LABEL_PROJECT)
            if owner not in (None, self.name):
                raise DockerError(
                    f"networks.{key}: the network {net['name']!r} belongs to the Compose project {owner!r}; "
                    "set name: on the network or choose another project_name."
                )
            problems = []
            if current.get("Driver") != net["driver"]:
                problems.append(f"driver {current.get('Driver')!r} instead of {net['driver']!r}")
            wanted = sorted(c["subnet"] for c in net["ipam"]["config"] if c.get("subnet"))
            have = sorted(c.get("Subnet") for c in ((current.get("IPAM") or {}).get("Config") or []) if c.get("Subnet"))
            if wanted and wanted != have:
                problems.append(f"subnets {have} instead of {wanted}")
            if bool(current.get("Internal")) != net["internal"]:
                problems.append(f"internal {bool(current.get('Internal'))} instead of {net['internal']}")
            if problems:
                raise DockerError(
                    f"networks.{key}: the network {net['name']!r} exists with {', '.join(problems)}; remove the project "
                    "first (state: absent) so it is created again with the new settings."
                )
            return
        self.pending_networks.add(net["name"])
        self.tracker.add(f"networks.{key}", None, {"name": net["name"], "driver": net["driver"]})
        self.tracker.action(*create_cli(net["name"], desired))
        if not self.check_mode:
            try:
                self.api.post("/networks/create", body=create_body(net["name"], desired))
            except APIError as exc:
                raise DockerError(f"networks.{key}: creating network {net['name']!r} failed: {exc.explanation}.") from exc

    def _ensure_volume(self, key: str) -> None:
        vol = self.project.volumes[key]
        if vol["external"]:
            return
        current = self.api.inspect_volume(vol["name"])
        labels = {**vol["labels"], LABEL_PROJECT: self.name, LABEL_VOLUME: key, LABEL_VERSION: COMPOSE_VERSION}
        if current is not None:
            if current.get("Driver") != vol["driver"]:
                raise DockerError(
                    f"volumes.{key}: the volume {vol['name']!r} exists with driver {current.get('Driver')!r}, not "
                    f"{vol['driver']!r}; back up its data and remove it, or change the driver back."
                )
            return
        argv = ["docker", "volume", "create", "--driver", vol["driver"]]
        for k, v in sorted(vol["driver_opts"].items()):
            argv += ["--opt", f"{k}={v}"]
        for k, v in sorted(labels.items()):
            argv += ["--label", f"{k}={v}"]
        self.tracker.add(f"volumes.{key}", None, {"name": vol["name"], "driver": vol["driver"]})
        self.tracker.action(*argv, vol["name"])
        if not self.check_mode:
            self.api.post(
                "/volumes/create",
                body={"Name": vol["name"], "Driver": vol["driver"], "DriverOpts": vol["driver_opts"], "Labels": labels},
            )

    # ------------------------------------------------------------------ containers
    def _converge_service(self, service: str) -> bool:
        """Create/recreate/start the replicas of one service; remove the extra ones. True when changed."""
        svc = self.project.services[service]
        chash = self._service_hash(service)
        image = self.image_ref(service)
        image_id = self.image_ids.get(service)
        existing = self._service_containers(service)
        by_number: dict[int, dict[str, t.Any]] = {}
        extra: list[dict[str, t.Any]] = []
        for summary in existing:
            number = _number(summary)
            if 1 <= number <= svc["scale"] and number not in by_number:
                by_number[number] = summary
            else:
                extra.append(summary)
        changed = False
        recreate = self.params["recreate"]
        for number in range(1, svc["scale"] + 1):
            summary = by_number.get(number)
            name = self.container_name(service, number)
            params: dict[str, t.Any] | None = None
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
                    params = self._container_params(service, number, image, chash)
                    same = self._adoptable(summary, params)
                if same and (summary.get("State") == "running" or self._finished_job(summary, svc)):
                    continue
                if same and summary.get("State") != "running":
                    changed |= self._start(summary, service)
                    continue
            if params is None:
                params = self._container_params(service, number, image, chash)
            if summary is not None:
                old = _container_name(summary)
                if old != name:
                    # container_name changed: the old container goes, the new one is created.
                    self._remove(summary, service)
                if recreate == "always" and "recreate" in (self._container_spec or {}):
                    params["recreate"] = True
            pending = any(self.project.networks[k]["name"] in self.pending_networks for k in svc["networks"])
            if self.check_mode and (image_id is None or pending):
                # The image is still to be built or pulled: the container manager cannot compare
                # against it, but the outcome is certain: the container is (re)created.
                self._predict_create(summary, service, name, image, params)
                changed = True
                continue
            tracker = Tracker()
            manager = ContainerManager(
                self.api, params, self.check_mode, tracker=tracker, warn=self.warn, replace_other_image=True
            )
            result = manager.run()
            if result.get("changed"):
                changed = True
                self.tracker.actions.extend(result.get("actions") or [])
                diff = result.get("diff") or {}
                self.tracker.add(f"services.{service}.{name}", diff.get("before"), diff.get("after"))
        for summary in sorted(extra, key=_number, reverse=True):
            self._remove(summary, service)
            changed = True
        return changed

    def _adoptable(self, summary: dict[str, t.Any], params: dict[str, t.Any]) -> bool:
        """Whether the container module would leave this running container as it is.

        The comparison takes the container's own ``com.docker.compose.*`` labels (hash, version, working dir,
        files...) and every other option from the service: a container the Compose CLI made with the same
        settings is adopted, not recreated, and keeps its labels (each run compares it again, which costs
        one inspect).
        """
        labels = {k: v for k, v in (params.get("labels") or {}).items() if not k.startswith("com.docker.compose.")}
        labels.update({k: v for k, v in (summary.get("Labels") or {}).items() if k.startswith("com.docker.compose.")})
        params = {**params, "labels": labels}  # the caller's params keep our labels for a recreate
        try:
            manager = ContainerManager(self.api, params, True, tracker=Tracker(), replace_other_image=True)
            return not manager.run().get("changed")
        except DockerError:
            return False

    def _predict_create(
        self, summary: dict[str, t.Any] | None, service: str, name: str, image: str, params: dict[str, t.Any]
    ) -> None:
        """Check mode, when the image or a network does not exist yet: record the create the real run does."""
        if summary is not None:
            self.tracker.action("docker", "container", "rm", "--force", _container_name(summary))
        self.tracker.add(
            f"services.{service}.{name}",
            {"state": summary.get("State")} if summary else {"state": "absent"},
            {"state": "running", "image": image},
        )
        try:
            argv = create_command(params)
        except SpecError:  # the real run reports it, with the image at hand
            argv = ["docker", "container", "create", "--name", name, image]
        self.tracker.action(*argv)
        self.tracker.action("docker", "container", "start", name)

    @staticmethod
    def _finished_job(summary: dict[str, t.Any], svc: dict[str, t.Any]) -> bool:
        """A one-shot container (no restart policy) that exited 0 is done, not stopped."""
        if summary.get("State") != "exited" or (svc["restart"] or "no") != "no":
            return False
        return "Exited (0)" in (summary.get("Status") or "")

    def _check_name_free(self, name: str, service: str) -> None:
        for summary in self.containers:
            if _container_name(summary) == name:
                labels = summary.get("Labels") or {}
                if labels.get(LABEL_PROJECT) != self.name or labels.get(LABEL_SERVICE) != service:
                    raise DockerError(
                        f"services.{service}: the container name {name!r} is taken by a container that is not "
                        f"service {service!r} of project {self.name!r}; remove that container or set another "
                        "container_name."
                    )

    def _start(self, summary: dict[str, t.Any], service: str) -> bool:
        name = _container_name(summary)
        self.tracker.add(f"services.{service}.{name}", {"state": summary.get("State")}, {"state": "running"})
        self.tracker.action("docker", "start", name)
        if not self.check_mode:
            self.api.post(self.api.url("/containers/{0}/start", summary["Id"]))
        return True

    def _stop(self, summary: dict[str, t.Any], service: str | None) -> None:
        name = _container_name(summary)
        svc = self.project.services.get(service or "")
        timeout = int(svc["stop_grace_period"]) if svc and svc["stop_grace_period"] is not None else None
        self.tracker.add(f"services.{service}.{name}", {"state": summary.get("State")}, {"state": "exited"})
        self.tracker.action("docker", "stop", *(["--time", timeout] if timeout is not None else []), name)
        if not self.check_mode:
            self.api.post(
                self.api.url("/containers/{0}/stop", summary["Id"]),
                {"t": timeout},
                timeout=(timeout or 10) + self.api.timeout,
                expect=(304,),
            )

    def _remove(self, summary: dict[str, t.Any], service: str | None) -> None:
        name = _container_name(summary)
        volumes = bool(self.params.get("remove_volumes"))
        self.tracker.add(f"services.{service}.{name}", {"state": summary.get("State")}, {"state": "absent"})
        self.tracker.action("docker", "rm", "--force", "--volumes" if volumes else "", name)
        if not self.check_mode:
            if summary.get("State") in ("running", "restarting", "paused"):
                svc = self.project.services.get(service or "")
                timeout = int(svc["stop_grace_period"]) if svc and svc["stop_grace_period"] is not None else 10
                try:
                    self.api.post(self.api.url("/containers/{0}/stop", summary["Id"]), {"t": timeout},
                                  timeout=timeout + self.api.timeout, expect=(304,))
                except NotFound:
                    return
            try:
                self.api.delete(self.api.url("/containers/{0}", summary["Id"]), {"force": True, "v": volumes})
            except NotFound:
                pass

    def _orphans(self) -> None:
        orphans = [
            c for c in self._project_containers()
            if (c.get("Labels") or {}).get(LABEL_SERVICE) not in self.project.services
            and (c.get("Labels") or {}).get(LABEL_SERVICE) not in self.project.disabled
            and (c.get("Labels") or {}).get(LABEL_ONEOFF, "False") != "True"
        ]
        if not orphans:
            return
        names = sorted(_container_name(c) for c in orphans)
        if not self.params.get("remove_orphans"):
            self.warn(
                f"Found orphan containers ({', '.join(names)}) for project {self.name!r}: their service is no longer "
                "in the Compose file. Set remove_orphans: true to remove them."
            )
            return
        for summary in sorted(orphans, key=_container_name):
            self._remove(summary, (summary.get("Labels") or {}).get(LABEL_SERVICE))

    # ------------------------------------------------------------------ waiting
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

    # ================================================================== stop / restart / down
    def _targets(self) -> list[str]:
        return self.selected

    def stop(self) -> None:
        for service in reversed(self._targets()):
            for summary in reversed(self._service_containers(service)):
                if summary.get("State") in ("running", "restarting", "paused"):
                    self._stop(summary, service)

    def restart(self) -> None:
        if not self.check_mode:
            self.containers = self._list_containers()
        for service in self._targets():
            for summary in self._service_containers(service):
                name = _container_name(summary)
                if self.tracker.different(f"services.{service}.{name}"):
                    continue  # just created or started
                self.tracker.add(f"services.{service}.{name}", {"state": summary.get("State")}, {"state": "restarted"})
                self.tracker.action("docker", "restart", name)
                if not self.check_mode:
                    self.api.post(self.api.url("/containers/{0}/restart", summary["Id"]), timeout=self.api.timeout + 30)
            self._wait_dependents_ready(service)

    def _wait_dependents_ready(self, service: str) -> None:
        # A restarted healthy dependency must be healthy again before its dependents go on.
        needed = {
            cfg["condition"] for s in self.selected for dep, cfg in self.project.services[s]["depends_on"].items() if dep == service
        }
        if "service_healthy" in needed:
            self._wait_service(service, "healthy", set())
        if "service_completed_successfully" in needed:
            self._wait_service(service, "completed", set())

    def down(self) -> None:
        limited = bool(self.params.get("services"))
        targets = set(self.selected) if limited else None
        containers = [
            c for c in self._project_containers()
            if targets is None or (c.get("Labels") or {}).get(LABEL_SERVICE) in targets
        ]
        order = {s: i for i, s in enumerate(self.project.order())}
        containers.sort(key=lambda c: (-order.get((c.get("Labels") or {}).get(LABEL_SERVICE), len(order)), -_number(c)))
        for summary in containers:
            self._remove(summary, (summary.get("Labels") or {}).get(LABEL_SERVICE))
        if limited:
            return
        nets = self.api.get("/networks", {"filters": {"label": [f"{LABEL_PROJECT}={self.name}"]}}) or []
        for net in sorted(nets, key=lambda n: n["Name"]):
            self.tracker.add(f"networks.{net['Name']}", {"name": net["Name"]}, None)
            self.tracker.action("docker", "network", "rm", net["Name"])
            if not self.check_mode:
                try:
                    self.api.delete(self.api.url("/networks/{0}", net["Id"]))
                except NotFound:
                    pass
                except APIError as exc:
                    raise DockerError(
                        f"networks: removing {net['Name']!r} failed: {exc.explanation}. Disconnect the containers that "
                        "are not part of the project (docker network inspect) and run again."
                    ) from exc
        if self.params.get("remove_volumes"):
            vols = (self.api.get("/volumes", {"filters": {"label": [f"{LABEL_PROJECT}={self.name}"]}}) or {}).get("Volumes") or []
            for vol in sorted(vols, key=lambda v: v["Name"]):
                self.tracker.add(f"volumes.{vol['Name']}", {"name": vol["Name"]}, None)
                self.tracker.action("docker", "volume", "rm", vol["Name"])
                if not self.check_mode:
                    try:
                        self.api.delete(self.api.url("/volumes/{0}", vol["Name"]))
                    except NotFound:
                        pass
                    except APIError as exc:
                        raise DockerError(
                            f"volumes: removing {vol['Name']!r} failed: {exc.explanation}. A container outside the "
                            "project still uses it; remove that container and run again."
                        ) from exc
