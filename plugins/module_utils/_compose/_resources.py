# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The images, networks and volumes of a Compose project, converged through the image manager and the
network and volume tables, with the labels Docker Compose writes."""

from __future__ import annotations

import typing as t

from ansible_collections.devops.docker.plugins.module_utils._client import APIError, DockerError
from ansible_collections.devops.docker.plugins.module_utils._compose._parts import ProjectParts
from ansible_collections.devops.docker.plugins.module_utils._compose._spec import (
    COMPOSE_VERSION,
    LABEL_NETWORK,
    LABEL_PROJECT,
    LABEL_VERSION,
    LABEL_VOLUME,
    fill_params,
)
from ansible_collections.devops.docker.plugins.module_utils._compose._build import inline_dockerfile, pull_due, record_pull


class ProjectResources(ProjectParts):
    """The project's images, networks and volumes: built, pulled or created before the containers."""

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
        svc = self.project.services[service]
        ref = self.image_ref(service)
        build_mode = self.params["build"]
        pull_mode = self.params["pull"]
        if svc["pull_policy"] in ("always", "never", "missing"):
            pull_mode = svc["pull_policy"]
        if svc["pull_policy"] == "every":
            pull_mode = "always" if pull_due(ref, svc["pull_every"]) else "missing"
        if svc["build"] and svc["build"].get("remote") and (build_mode != "never" or svc["pull_policy"] == "build"):
            self._build_remote(service, ref, build_mode)
            self._tag_built(service, ref)
            return
        if svc["build"] and build_mode != "never" or svc["build"] and svc["pull_policy"] == "build":
            with inline_dockerfile(svc["build"]) as build:
                self._build(service, ref, build, build_mode)
            self._tag_built(service, ref)
            return
        self._pull(service, ref, pull_mode, svc)
        if svc["pull_policy"] == "every" and pull_mode == "always" and not self.check_mode:
            record_pull(ref)

    def _build(self, service: str, ref: str, build: dict[str, t.Any], build_mode: str) -> None:
        from ansible_collections.devops.docker.plugins.module_utils._image._manager import IMAGE_ARGS, ImageManager  # pylint: disable=import-outside-toplevel
        from ansible_collections.devops.docker.plugins.module_utils._image_split import with_build_extras  # pylint: disable=import-outside-toplevel

        # cache_from and extra_hosts: /build's cachefrom and extrahosts, --cache-from and --add-host in the actions
        api, tracker = with_build_extras(self.api, {"cache_from": build.get("cache_from"), "etc_hosts": build.get("extra_hosts")})
        params = fill_params(
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
                    "shm_size": build.get("shm_size"),
                },
            },
        )
        manager = ImageManager(api, params, self.check_mode, tracker=tracker, warn=self.warn)
        result = manager.run()
        self.tracker.actions.extend(result.get("actions") or [])
        if result.get("changed"):
            self.tracker.add(f"images.{service}", (result.get("diff") or {}).get("before"), (result.get("diff") or {}).get("after"))
            self.built.append(ref)
        image = result.get("image")
        self.image_ids[service] = None if result.get("changed") and self.check_mode else (image or {}).get("Id")

    def _pull(self, service: str, ref: str, pull_mode: str, svc: dict[str, t.Any]) -> None:
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
        from ansible_collections.devops.docker.plugins.module_utils._image._manager import IMAGE_ARGS, ImageManager  # pylint: disable=import-outside-toplevel

        params = fill_params(IMAGE_ARGS, {"name": ref, "source": "pull", "pull": "always" if pull_mode == "always" else "missing"})
        result = ImageManager(self.api, params, self.check_mode, warn=self.warn).run()
        self._image_cache.pop(ref, None)
        self.tracker.actions.extend(result.get("actions") or [])
        if result.get("changed"):
            self.tracker.add(f"images.{service}", (result.get("diff") or {}).get("before"), (result.get("diff") or {}).get("after"))
        new = result.get("image")
        self.image_ids[service] = None if result.get("changed") and self.check_mode else (new or {}).get("Id")

    def _build_remote(self, service: str, ref: str, build_mode: str) -> None:
        """A git or URL build context: the daemon fetches it (docker build URL). Built when the image is missing,
        or every run with build: always."""
        build = self.project.services[service]["build"]
        image = self.api.inspect_image(ref)
        if image is not None and build_mode != "always":
            self.image_ids[service] = image["Id"]
            return
        argv = ["docker", "build", "--tag", ref]
        if build["dockerfile"] != "Dockerfile":
            argv += ["--file", build["dockerfile"]]
        for item in build.get("cache_from") or []:
            argv += ["--cache-from", item]
        for host, address in sorted((build.get("extra_hosts") or {}).items()):
            argv += ["--add-host", f"{host}:{address}"]
        for key in sorted(build["args"]):
            argv += ["--build-arg", key]
        if build["target"]:
            argv += ["--target", build["target"]]
        self.tracker.add(f"images.{service}", None if image is None else {"id": image["Id"]}, {"name": ref, "context": build["remote"]})
        self.tracker.action(*argv, build["remote"])
        self.built.append(ref)
        if self.check_mode:
            self.image_ids[service] = None
            return
        query = {
            "remote": build["remote"], "t": ref, "dockerfile": build["dockerfile"], "target": build["target"],
            "buildargs": build["args"] or None, "labels": build["labels"] or None, "nocache": build["no_cache"] or None,
            "pull": build["pull"] or None, "networkmode": build["network"],
        }
        from ansible_collections.devops.docker.plugins.module_utils._image_split import with_build_extras  # pylint: disable=import-outside-toplevel

        api, _argv = with_build_extras(self.api, {"cache_from": build.get("cache_from"), "etc_hosts": build.get("extra_hosts")})
        errors = []
        for item in api.request("POST", "/build", query, timeout=3600).iter_json():
            if item.get("error"):
                errors.append(str(item["error"]).strip())
        if errors:
            raise DockerError(
                f"services.{service}.build: building {ref!r} from {build['remote']} failed: {errors[-1]}. Check that the "
                "daemon can reach the repository or URL and that the Dockerfile is there."
            )
        image = self.api.inspect_image(ref)
        self.image_ids[service] = (image or {}).get("Id")

    def _tag_built(self, service: str, ref: str) -> None:
        """build.tags: each name points at the image just built (docker image tag), only where it does not yet."""
        image_id = self.image_ids.get(service)
        for tag in self.project.services[service]["build"].get("tags") or []:
            current = self.api.inspect_image(tag)
            if image_id is not None and (current or {}).get("Id") == image_id:
                continue
            self.tracker.add(f"images.{service}.tags.{tag}", (current or {}).get("Id"), image_id or ref)
            self.tracker.action("docker", "image", "tag", ref, tag)
            if self.check_mode:
                continue
            from ansible_collections.devops.docker.plugins.module_utils._values._images import parse_image_name  # pylint: disable=import-outside-toplevel

            name = parse_image_name(tag, f"services.{service}.build.tags")  # checked by the loader
            self._post(f"services.{service}.build.tags: tagging {ref!r} as {tag!r}", self.api.url("/images/{0}/tag", image_id or ref),
                       {"repo": name.repository, "tag": name.reference})

    def _post(self, what: str, path: str, params: dict[str, t.Any] | None = None, body: t.Any = None) -> t.Any:
        """A POST the daemon may refuse: its refusal is a DockerError that says what was asked."""
        try:
            return self.api.post(path, params, body=body)
        except APIError as exc:
            raise DockerError(f"{what} failed: {exc.explanation}.") from exc

    # ------------------------------------------------------------------ networks and volumes

    def _ensure_network(self, key: str) -> None:
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
            self.network_ids[net["name"]] = current.get("Id") or ""
            return
        from ansible_collections.devops.docker.plugins.module_utils._network._table import create_body, create_cli  # pylint: disable=import-outside-toplevel

        self.pending_networks.add(net["name"])
        self.tracker.add(f"networks.{key}", None, {"name": net["name"], "driver": net["driver"]})
        self.tracker.action(*create_cli(net["name"], desired))
        if not self.check_mode:
            self._post(f"networks.{key}: creating network {net['name']!r}", "/networks/create", body=create_body(net["name"], desired))

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
