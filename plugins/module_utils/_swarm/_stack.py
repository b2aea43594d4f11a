# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Stacks: a Compose file deployed on a swarm, with ``docker stack deploy``
semantics, natively on the Engine API.

* The file is found, read, interpolated and merged by the Compose loader
  (the Compose loader, ``_compose/``); the ``deploy:`` section, which the single-engine
  Compose module does not take, is read here.
* Service ``S`` becomes the swarm service ``<stack>_S``, with the alias ``S``
  on each of its networks; network ``N`` becomes the overlay network
  ``<stack>_N`` (``<stack>_default`` when a service names none); named
  volumes become ``<stack>_V``.  Everything carries the label
  ``com.docker.stack.namespace=<stack>``.
* Each service is converged by the ``service`` module's manager, so a stack
  re-deployed with nothing changed is no change, and a changed service is
  updated in place.
"""

from __future__ import annotations

import os
import time
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._compose._interpolate import interpolate_model
from ansible_collections.devops.docker.plugins.module_utils._compose._merge import merge_documents
from ansible_collections.devops.docker.plugins.module_utils._compose._project import Project, build_project
from ansible_collections.devops.docker.plugins.module_utils._compose._read import find_files, load_yaml, project_environment, read_file
from ansible_collections.devops.docker.plugins.module_utils._compose._validate import ComposeError, check_keys, mapping
from ansible_collections.devops.docker.plugins.module_utils._client import APIError, DockerError
from ansible_collections.devops.docker.plugins.module_utils._compat import stack_compose
from ansible_collections.devops.docker.plugins.module_utils._managers import Manager
from ansible_collections.devops.docker.plugins.module_utils._swarm._cluster import require_manager
from ansible_collections.devops.docker.plugins.module_utils._swarm._secret_config import CONFIG, SECRET
from ansible_collections.devops.docker.plugins.module_utils._swarm._service import ServiceManager
from ansible_collections.devops.docker.plugins.module_utils._swarm._service_networks import inspect_swarm_network
from ansible_collections.devops.docker.plugins.module_utils._swarm._service_modes import MODES, is_job
from ansible_collections.devops.docker.plugins.module_utils._swarm._service_options import resolve_choice
from ansible_collections.devops.docker.plugins.module_utils._swarm._stack_objects import (
    converge_objects,
    parse_definitions,
    remove_objects,
    service_refs,
)

NAMESPACE_LABEL = "com.docker.stack.namespace"
IMAGE_LABEL = "com.docker.stack.image"
DEPLOY_KEYS = {
    "mode", "replicas", "resources", "placement", "restart_policy", "update_config", "labels", "endpoint_mode",
    "rollback_config", "max_concurrent",
}
# Compose keys `docker stack deploy` ignores (it prints "Ignoring unsupported options").
IGNORED_KEYS = ("build", "container_name", "depends_on", "restart", "privileged", "cap_add", "cap_drop", "network_mode",
                "extra_hosts", "stdin_open", "tty", "init", "logging", "read_only", "tmpfs", "expose", "env_file",
                "pull_policy", "profiles", "scale", "mem_limit", "cpus", "stop_signal")


class StackError(ComposeError):
    pass


def load_stack(
    params: dict[str, t.Any], objects: dict[str, t.Any] | None = None,
) -> tuple[Project, dict[str, dict[str, t.Any]], dict[str, dict[str, t.Any]], list[str]]:
    """The normalized project, each service's raw deploy section, raw network configs, and warnings."""
    os_env = dict(os.environ)
    name = params.get("name")
    definition = params.get("definition")
    project_src = params.get("project_src")
    if definition is not None and params.get("files"):
        raise StackError("definition and files are mutually exclusive: give the stack inline or as files.")
    if definition is not None:
        if not isinstance(definition, dict):
            raise StackError("definition: expected a mapping, the content of a Compose file.")
        project_dir = os.path.abspath(project_src) if project_src else os.getcwd()
        variables = project_environment(project_dir, os_env, params.get("env"), params.get("env_files"))
        docs = [("definition", interpolate_model(definition, variables, "definition"))]
        files: list[str] = []
    else:
        files = find_files(project_src, params.get("files"))
        project_dir = os.path.abspath(project_src) if project_src else os.path.dirname(files[0])
        variables = project_environment(project_dir, os_env, params.get("env"), params.get("env_files"))
        docs = []
        for path in files:
            try:
                text = read_file(path)  # bounded: a file over the size limit is refused before it is read
            except ComposeError as exc:
                raise StackError(str(exc)) from None
            docs.append((path, interpolate_model(load_yaml(text, path), variables, os.path.basename(path))))
    merged = merge_documents(docs)
    # secrets and configs: read here (the Compose loader does not take them), made by the StackManager
    found: dict[str, t.Any] = {"secrets": merged.pop("secrets", None), "configs": merged.pop("configs", None),
                               "refs": {}, "project_dir": project_dir, "variables": variables}
    if objects is not None:
        objects.update(found)
    warnings: list[str] = []
    deploys: dict[str, dict[str, t.Any]] = {}
    services = merged.get("services") or {}
    if not isinstance(services, dict) or not services:
        raise StackError("compose file: no service is defined; add at least one under services:.")
    for sname, svc in services.items():
        svc = svc or {}
        if not isinstance(svc, dict):
            raise StackError(f"services.{sname}: expected a mapping.")
        found["refs"][str(sname)] = {"secrets": svc.pop("secrets", None), "configs": svc.pop("configs", None)}
        deploy = svc.pop("deploy", None) or {}
        if not isinstance(deploy, dict):
            raise StackError(f"services.{sname}.deploy: expected a mapping.")
        for key in deploy:
            if key not in DEPLOY_KEYS:
                raise StackError(f"services.{sname}.deploy.{key} is not supported by devops.docker.stack; remove it.")
        for key in ("endpoint_mode", "rollback_config"):
            if key in deploy:
                raise StackError(f"services.{sname}.deploy.{key} is not supported by devops.docker.stack yet; remove it.")
        deploys[str(sname)] = deploy
        if svc.get("build") is not None and not svc.get("image"):
            raise StackError(
                f"services.{sname}: a stack cannot build images; build it first (devops.docker.image), load it on every "
                "node, and give image:."
            )
        if svc.get("network_mode"):
            raise StackError(f"services.{sname}.network_mode is not supported in a stack; use networks.")
        ignored = sorted(k for k in svc if k in IGNORED_KEYS)
        if ignored:
            warnings.append(f"services.{sname}: ignoring options a stack does not use: {', '.join(ignored)}.")
        for key in ignored:
            svc.pop(key)
        services[sname] = svc
    raw_networks = merged.get("networks") or {}
    if not isinstance(raw_networks, dict):
        raise StackError("networks: expected a mapping of network names.")
    net_cfgs = {str(k): (v or {}) for k, v in raw_networks.items()}
    for key, cfg in net_cfgs.items():
        driver = cfg.get("driver") if isinstance(cfg, dict) else None
        if driver not in (None, "overlay") and not (isinstance(cfg, dict) and cfg.get("external")):
            raise StackError(f"networks.{key}: driver {driver!r}; a stack's networks are overlay networks (driver: overlay).")
    project = build_project(merged, project_dir, variables, name, files)
    if project.name != name:
        raise StackError(f"name: {name!r} is not a valid stack name; use lowercase letters, digits, '_' and '-'.")
    return project, deploys, net_cfgs, warnings


def duration_text(value: t.Any) -> str | None:
    """A Compose duration as the service module takes it (its own text; None stays None)."""
    return None if value is None else str(value)


def service_params(stack: str, svc: dict[str, t.Any], deploy: dict[str, t.Any], networks: dict[str, dict[str, t.Any]],
                   volumes: dict[str, dict[str, t.Any]], wait: bool, wait_timeout: int) -> dict[str, t.Any]:
    """One normalized Compose service -> the service module's parameters."""
    where = f"services.{svc['name']}"
    if not svc.get("image"):
        raise StackError(f"{where}: image is required in a stack.")
    params: dict[str, t.Any] = {
        "name": f"{stack}_{svc['name']}",
        "state": "present",
        "image": svc["image"],
        "command": svc.get("command"),
        "entrypoint": svc.get("entrypoint"),
        "env": dict(svc.get("environment") or {}),
        "user": svc.get("user"),
        "working_dir": svc.get("working_dir"),
        "hostname": svc.get("hostname"),
        "stop_grace_period": svc.get("stop_grace_period"),
        "wait": wait,
        "wait_timeout": wait_timeout,
    }
    params["container_labels"] = dict(svc.get("labels") or {}, **{NAMESPACE_LABEL: stack})
    labels = mapping("labels", deploy.get("labels"), where + ".deploy")
    params["labels"] = {str(k): "" if v is None else str(v) for k, v in labels.items()}
    params["labels"][NAMESPACE_LABEL] = stack
    params["labels"][IMAGE_LABEL] = svc["image"]
    ports = []
    for port in svc.get("ports") or []:
        if port.get("host_ip"):
            raise StackError(f"{where}.ports: a host IP ({port['host_ip']}) cannot be set on a swarm service's port.")
        entry: dict[str, t.Any] = {"target": port["target"], "protocol": port["protocol"], "mode": "ingress"}
        if port.get("published"):
            entry["published"] = port["published"]
        ports.append(entry)
    params["ports"] = ports
    nets = []
    for key, cfg in (svc.get("networks") or {}).items():
        net = networks[key]
        nets.append({"name": net["name"], "aliases": sorted(set([svc["name"]] + list(cfg.get("aliases") or [])))})
    params["networks"] = nets
    mounts = []
    for vol in svc.get("volumes") or []:
        mount: dict[str, t.Any] = {"type": vol["type"], "target": vol["target"], "read_only": vol.get("read_only")}
        if vol["type"] == "volume" and vol.get("source"):
            mount["source"] = volumes[vol["source"]]["name"]
            if not volumes[vol["source"]]["external"]:
                mount["labels"] = {NAMESPACE_LABEL: stack}
        elif vol["type"] == "bind":
            mount["source"] = vol["source"]
        elif vol["type"] == "tmpfs" and vol.get("size"):
            mount["tmpfs_size"] = vol["size"]
        mounts.append(mount)
    params["mounts"] = mounts
    if svc.get("healthcheck") is not None:
        params["healthcheck"] = {k: v for k, v in svc["healthcheck"].items() if v is not None}
    mode = deploy.get("mode", "replicated")
    if mode not in MODES:
        raise StackError(f"{where}.deploy.mode: {mode!r} must be one of {', '.join(MODES)}.")
    params["mode"] = mode
    if mode in ("global", "global-job"):
        if deploy.get("replicas") is not None:
            raise StackError(f"{where}.deploy.replicas: a {mode} service runs one task per node and takes no replicas.")
    else:
        params["replicas"] = deploy.get("replicas", 1)
    if deploy.get("max_concurrent") is not None:
        if mode != "replicated-job":
            raise StackError(f"{where}.deploy.max_concurrent: only a replicated-job has it; set deploy.mode: replicated-job.")
        params["max_concurrent"] = deploy["max_concurrent"]
    resources = deploy.get("resources") or {}
    check_keys(resources, {"limits", "reservations"}, where + ".deploy.resources")
    params["resources"] = {}
    for kind in ("limits", "reservations"):
        sub = resources.get(kind) or {}
        check_keys(sub, {"cpus", "memory"}, f"{where}.deploy.resources.{kind}")
        params["resources"][kind] = {"cpus": sub.get("cpus"), "memory": sub.get("memory")}
    placement = deploy.get("placement") or {}
    check_keys(placement, {"constraints", "preferences", "max_replicas_per_node"}, where + ".deploy.placement")
    params["placement"] = {
        "constraints": placement.get("constraints") or [],
        "preferences": placement.get("preferences") or [],
        "max_replicas_per_node": placement.get("max_replicas_per_node"),
    }
    restart = deploy.get("restart_policy") or {}
    check_keys(restart, {"condition", "delay", "max_attempts", "window"}, where + ".deploy.restart_policy")
    params["restart_policy"] = {
        "condition": restart.get("condition", "on-failure" if is_job(mode) else "any"),
        "delay": duration_text(restart.get("delay")),
        "max_attempts": restart.get("max_attempts"),
        "window": duration_text(restart.get("window")),
    }
    if is_job(mode):
        if deploy.get("update_config"):
            raise StackError(f"{where}.deploy.update_config: a job ({mode}) has no rolling update; remove update_config.")
        return params
    update = deploy.get("update_config") or {}
    check_keys(update, {"parallelism", "delay", "order", "failure_action", "monitor", "max_failure_ratio"},
               where + ".deploy.update_config")
    params["update_config"] = {
        "parallelism": update.get("parallelism", 1),
        "delay": duration_text(update.get("delay")),
        "order": update.get("order", "stop-first"),
        "failure_action": update.get("failure_action", "pause"),
        "monitor": duration_text(update.get("monitor")),
        "max_failure_ratio": update.get("max_failure_ratio"),
    }
    return params


def community_params(params: dict[str, t.Any]) -> dict[str, t.Any]:
    """community.docker's docker_stack options turned into ours (a copy): compose, detach, absent_retries."""
    params = dict(params)
    stack_compose(params)
    if params.get("detach") is not None:
        params["wait"] = not params["detach"]
    if params.get("state") == "absent" and params.get("absent_retries"):
        params["wait"] = True
        params["wait_timeout"] = params["absent_retries"] * max(1, params.get("absent_retries_interval") or 1)
    return params


def spec_diff(before: dict[str, t.Any], after: dict[str, t.Any]) -> dict[str, t.Any]:
    """community.docker's ``stack_spec_diff``: per service whose Spec changed, the top-level Spec keys that
    differ, ``before`` and ``after`` (a service made or removed: its whole Spec on one side, None on the other)."""
    diff: dict[str, t.Any] = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old is None or new is None:
            diff[name] = {"before": old, "after": new}
            continue
        keys = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
        if keys:
            diff[name] = {"before": {k: old.get(k) for k in keys}, "after": {k: new.get(k) for k in keys}}
    return diff


class StackManager(Manager):
    """Converge one stack: its overlay networks, and every service through the public ServiceManager."""

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        p = self.params = community_params(self.params)
        self.name: str = p["name"]
        self.state: str = p["state"]
        self.prune = bool(p.get("prune"))
        self.wait = bool(p.get("wait"))
        self.wait_timeout = int(p.get("wait_timeout") or 180)
        self.resolve_image = resolve_choice(p.get("resolve_image"))
        self.warnings: list[str] = []

    def _listed(self, kind: str) -> list[dict[str, t.Any]]:
        return self.api.get(f"/{kind}", {"filters": {"label": [f"{NAMESPACE_LABEL}={self.name}"]}}) or []

    def run(self) -> dict[str, t.Any]:
        require_manager(self.api, f"stack {self.name}")
        before = {s["Spec"]["Name"]: s["Spec"] for s in self._listed("services")}
        if self.state == "absent":
            self.absent()
        else:
            self.present()
        listed = self._listed("services") if self.tracker.changed and not self.check_mode else None
        after = before if listed is None else {s["Spec"]["Name"]: s["Spec"] for s in listed}
        networks = sorted(n["Name"] for n in self._listed("networks"))
        result = self.tracker.result(services=sorted(after), networks=networks)
        if self.tracker.changed and not self.check_mode:
            result["stack_spec_diff"] = spec_diff(before, after)
        for warning in self.warnings:
            self.warn(warning)
        return result

    # -- present -------------------------------------------------------------
    def present(self) -> None:
        objects: dict[str, t.Any] = {}
        project, deploys, net_cfgs, self.warnings = load_stack(self.params, objects)
        definitions = {
            kind.name: parse_definitions(objects.get(f"{kind.name}s"), kind, self.name, objects["project_dir"],
                                         objects["variables"])
            for kind in (SECRET, CONFIG)
        }
        # validate everything before the first change
        params_list = []
        for s in sorted(project.services):
            params = service_params(self.name, project.services[s], deploys.get(s, {}), project.networks, project.volumes,
                                    self.wait, self.wait_timeout)
            refs = objects["refs"].get(s) or {}
            for kind in (SECRET, CONFIG):
                params[f"{kind.name}s"] = service_refs(refs.get(f"{kind.name}s"), kind, definitions[kind.name],
                                                       f"services.{s}.{kind.name}s") or []
            params["with_registry_auth"] = bool(self.params.get("with_registry_auth"))
            params["resolve_image"] = self.resolve_image
            params_list.append(params)
        # the stack's secrets and configs first: the services refer to them
        for kind in (SECRET, CONFIG):
            converge_objects(self.api, kind, definitions[kind.name], self.check_mode, self.tracker, self.warn)
        planned: dict[str, str] = {}
        to_create: list[tuple[str, dict[str, t.Any]]] = []
        for key, net in sorted(project.networks.items()):
            existing = inspect_swarm_network(self.api, net["name"])
            if net["external"]:
                if existing is None:
                    raise DockerError(f"networks.{key}: external network {net['name']} does not exist; create it first. Nothing was changed.")
                continue
            if existing is None:
                planned[net["name"]] = f"(new network {net['name']})"
                to_create.append((key, net))
            elif existing.get("Driver") != "overlay" or existing.get("Scope") != "swarm":
                raise DockerError(
                    f"networks.{key}: {net['name']} exists as a {existing.get('Driver')} network (scope "
                    f"{existing.get('Scope')}); a stack needs an overlay network. Remove it or rename the network. "
                    "Nothing was changed."
                )
        managers = []
        for params in params_list:
            manager = ServiceManager(self.api, params, self.check_mode, tracker=self.tracker, warn=self.warn,
                                     planned_networks=planned, prefix=f"services.{params['name'][len(self.name) + 1:]}.")
            manager.prepare()
            managers.append(manager)
        for key, net in to_create:
            self._create_network(key, net, net_cfgs.get(key) or {})
        if to_create and not self.check_mode:
            for manager in managers:  # resolve the new networks' IDs
                manager.planned_networks = None
                manager.prepare()
        for manager in managers:
            manager.apply()
        if self.prune:
            wanted = {m.name for m in managers}
            for svc in self._listed("services"):
                if svc["Spec"]["Name"] not in wanted:
                    self._remove_service(svc["Spec"]["Name"])

    def _create_network(self, key: str, net: dict[str, t.Any], raw: dict[str, t.Any]) -> None:
        labels = dict(net.get("labels") or {}, **{NAMESPACE_LABEL: self.name})
        body: dict[str, t.Any] = {
            "Name": net["name"],
            "Driver": "overlay",
            "CheckDuplicate": True,
            "Attachable": bool(net.get("attachable")),
            "Internal": bool(net.get("internal")),
            "Labels": labels,
            "Options": dict(net.get("driver_opts") or {}),
        }
        if net["ipam"]["config"]:
            body["IPAM"] = {
                "Driver": net["ipam"]["driver"],
                "Config": [{k.capitalize() if k != "ip_range" else "IPRange": v for k, v in pool.items() if k != "aux_addresses"}
                           for pool in net["ipam"]["config"]],
            }
        self.tracker.add(f"networks.{key}", None, {"name": net["name"], "driver": "overlay"})
        argv = ["docker", "network", "create", "--driver", "overlay", "--label", f"{NAMESPACE_LABEL}={self.name}"]
        if body["Attachable"]:
            argv.append("--attachable")
        argv.append(net["name"])
        self.tracker.action(*argv)
        if self.check_mode:
            return
        try:
            self.api.post("/networks/create", body=body)
        except APIError as exc:
            raise DockerError(f"docker network create {net['name']} failed: {exc.explanation}") from exc

    # -- absent --------------------------------------------------------------
    def _remove_service(self, name: str) -> None:
        self.tracker.add(f"services.{name[len(self.name) + 1:]}", {"name": name}, None)
        self.tracker.action("docker", "service", "rm", name)
        if not self.check_mode:
            try:
                self.api.delete(self.api.url("/services/{0}", name))
            except APIError as exc:
                if exc.status != 404:
                    raise DockerError(f"docker service rm {name} failed: {exc.explanation}") from exc

    def absent(self) -> None:
        services = self._listed("services")
        networks = self._listed("networks")
        if not services and not networks and not self._listed("secrets") and not self._listed("configs"):
            return
        for svc in sorted(services, key=lambda s: s["Spec"]["Name"]):
            self._remove_service(svc["Spec"]["Name"])
        remove_objects(self.api, self.name, self.check_mode, self.tracker)
        for net in sorted(networks, key=lambda n: n["Name"]):
            self.tracker.add(f"networks.{net['Name'][len(self.name) + 1:]}", {"name": net["Name"]}, None)
            self.tracker.action("docker", "network", "rm", net["Name"])
        if self.check_mode:
            return
        deadline = time.monotonic() + self.wait_timeout
        for net in networks:
            while True:
                try:
                    self.api.delete(self.api.url("/networks/{0}", net["Id"]))
                    break
                except APIError as exc:
                    if exc.status == 404:
                        break
                    # the services' tasks are still shutting down: their endpoints hold the network
                    if time.monotonic() > deadline:
                        raise DockerError(
                            f"docker network rm {net['Name']} failed: {exc.explanation} (the stack's tasks did not stop within "
                            f"wait_timeout={self.wait_timeout}s)."
                        ) from exc
                    time.sleep(1)
        # the removal reaches this manager's own view of the networks a moment later
        while self.wait and time.monotonic() < deadline:
            if not any(self.api.inspect_network(net["Id"]) for net in networks):
                break
            time.sleep(0.5)
