# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What one replica of a Compose service is: its container name, the ``container`` module's options for it
(``container_params``, the same desired-container description the module builds), the containers it names
(network_mode/ipc/pid ``service:``, volumes_from, links) and the config hash that says when it must be made again.
``ServiceContainers`` converges the replicas from this.
"""

from __future__ import annotations

import hashlib
import posixpath
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._client import DockerError
from ansible_collections.devops.docker.plugins.module_utils._compose._files import file_digests, file_mounts
from ansible_collections.devops.docker.plugins.module_utils._compose._parts import ProjectParts
from ansible_collections.devops.docker.plugins.module_utils._compose._project import config_hash
from ansible_collections.devops.docker.plugins.module_utils._compose._spec import (
    COMPOSE_VERSION,
    LABEL_DEPENDS,
    LABEL_FILES_DIGEST,
    LABEL_REFS_DIGEST,
    LABEL_FILES,
    LABEL_HASH,
    LABEL_NUMBER,
    LABEL_ONEOFF,
    LABEL_PROJECT,
    LABEL_SERVICE,
    LABEL_VERSION,
    LABEL_WORKDIR,
    SECRET_NAME_RE,
    summary_name,
)
from ansible_collections.devops.docker.plugins.module_utils._values._ports import PortBinding


class ReplicaSpec(ProjectParts):
    """The container of replica N of a service, as the container module's options."""

    def container_name(self, service: str, number: int) -> str:
        svc = self.project.services[service]
        return svc["container_name"] or f"{self.name}-{service}-{number}"

    def container_params(self, service: str, number: int, image: str, chash: str, name: str | None = None,
                         carried: list[dict[str, t.Any]] | None = None) -> dict[str, t.Any]:
        """The container module's options for replica ``number`` of ``service``; ``carried``: the old container's
        anonymous volumes its replacement mounts by name (``_anon_volumes``), in place of fresh ones."""
        from ansible_collections.devops.docker.plugins.module_utils._container._table import (  # pylint: disable=import-outside-toplevel
            container_argument_spec,
            container_defaults,
        )

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
        carried_paths = {m["target"] for m in carried or []}
        for vol in svc["volumes"]:
            if vol["type"] == "volume" and not vol["source"] and posixpath.normpath(vol["target"]) in carried_paths:
                continue  # the old container's anonymous volume takes this path (mounts, below)
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
            if vol["type"] == "volume" and vol.get("subpath") or vol["type"] == "bind" and not vol.get("create_host_path", True):
                # --mount: a bind source that must exist (create_host_path: false), a volume's subpath
                mount = {"type": vol["type"], "source": source, "target": vol["target"]}
                if vol.get("subpath"):
                    mount["subpath"] = vol["subpath"]
                if vol.get("propagation"):
                    mount["propagation"] = vol["propagation"]
                if vol["read_only"]:
                    mount["read_only"] = True
                if vol.get("selinux"):
                    raise DockerError(f"{where}.volumes: selinux relabelling needs create_host_path: true (the -v form).")
                mounts.append(mount)
                continue
            flags = (["ro"] if vol["read_only"] else []) + [f for f in (vol.get("selinux"), vol.get("propagation")) if f]
            text = f"{source}:{vol['target']}" if source else vol["target"]
            if flags:
                text += ":" + ",".join(flags)
            volumes.append(text)
        volumes += file_mounts(self.name, service, svc)
        mounts += carried or []
        digests = file_digests(svc, project.secrets, project.configs)
        if digests:
            # the content of the mounted secrets/configs, so that a container adopted on its other settings
            # is still replaced when a secret it read at start changed
            labels[LABEL_FILES_DIGEST] = hashlib.sha256(",".join(digests).encode()).hexdigest()
        networks = None
        if not svc["network_mode"]:
            networks = []
            # the highest priority first: the container is created on it, the others are connected after
            for key, cfg in sorted(svc["networks"].items(), key=lambda kv: (-kv[1].get("priority", 0), kv[0])):
                entry: dict[str, t.Any] = {
                    "name": project.networks[key]["name"],
                    "aliases": [service] + [a for a in cfg["aliases"] if a != service],
                }
                for option in ("ipv4_address", "ipv6_address", "link_local_ips", "mac_address", "driver_opts", "gw_priority"):
                    if cfg.get(option):
                        entry[option] = cfg[option]
                networks.append(entry)
        healthcheck = None
        if svc["healthcheck"] is not None:
            healthcheck = {k: v for k, v in svc["healthcheck"].items() if v is not None}
        logging = svc["logging"] or {}
        values: dict[str, t.Any] = {
            "name": name or self.container_name(service, number),
            "image": image,
            # wait: true and a healthcheck: a replacement takes over only once healthy, else it is rolled back
            "state": "healthy" if self._waits_for_health(service) else "started",
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
            "wait_timeout": int(self.params.get("wait_timeout") or 120),
            "detach": True,
        }
        values.update(svc.get("container") or {})
        values.update(self._service_refs(service))
        if values.get("links") and networks:
            # on user networks a link is an alias on each network (what the engine makes of --link there)
            for entry in networks:
                entry["links"] = list(values["links"])
            del values["links"]
        refs_digest = self._refs_digest(service)
        if refs_digest:
            # the containers it shares namespaces or volumes with: replaced with them, as the Compose CLI does
            labels[LABEL_REFS_DIGEST] = refs_digest
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

    def ref_container(self, service: str) -> str:
        """The name of the (first) container of a service another service refers to."""
        existing = self._service_containers(service) if self.containers else []
        return summary_name(existing[0]) if existing else self.container_name(service, 1)

    def _service_refs(self, service: str) -> dict[str, t.Any]:
        """volumes_from, links and service: modes, as the container options that name containers."""
        refs = self.project.services[service].get("refs") or {}
        values: dict[str, t.Any] = {}
        for key in ("ipc_mode", "pid_mode", "network_mode"):
            if refs.get(key):
                values[key] = "container:" + self.ref_container(refs[key])
        volumes_from = []
        for item in refs.get("volumes_from") or []:
            name = item["container"] if item.get("container") else self.ref_container(item["service"])
            volumes_from.append(name + (":" + item["mode"] if item.get("mode") else ""))
        if volumes_from:
            values["volumes_from"] = volumes_from
        links = [f"{self.ref_container(item['service'])}:{item['alias']}" for item in refs.get("links") or []]
        links += [link if ":" in link else f"{link}:{link}" for link in refs.get("external_links") or []]
        if links:
            values["links"] = links
        return values

    def _refs_digest(self, service: str) -> str | None:
        """sha256 of the IDs of the containers this service's network_mode/ipc/pid/volumes_from name (None when it
        names none, or before the run has listed the containers)."""
        from ansible_collections.devops.docker.plugins.module_utils._compose._refs import referenced_services  # pylint: disable=import-outside-toplevel

        names = sorted({other for key, other in referenced_services(self.project.services[service]) if key != "links"})
        if not names or not self.containers:
            return None
        ids = []
        for other in names:
            info = self.api.inspect_container(self.ref_container(other))
            ids.append(f"{other}={(info or {}).get('Id', '')}")
        return hashlib.sha256(",".join(ids).encode()).hexdigest()

    def _service_hash(self, service: str) -> str:
        svc = self.project.services[service]
        extra = {
            "project": self.name,
            "image": self.image_ref(service),
            "networks": {k: self.project.networks[k]["name"] for k in svc["networks"]},
            "volumes": {v["source"]: self.project.volumes[v["source"]]["name"] for v in svc["volumes"]
                        if v["type"] == "volume" and v["source"]},
            "files": file_digests(svc, self.project.secrets, self.project.configs),
            "refs": self._refs_digest(service),
        }
        return config_hash(svc, extra)
