# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Swarm services: the desired spec, its comparison with the service's, and
the manager behind the ``service`` module (also used by ``stack``).

The task is turned into a list of ``Field``: one leaf of the API's
ServiceSpec each (a path such as TaskTemplate.ContainerSpec.Image), with the
option name that shows in the diff, the wanted value and how to compare it.
Only what the task gives is compared (an option left out is not a
difference), and an update is the service's current spec with exactly those
leaves replaced, sent with the spec's version (``docker service update``).

``secret_env`` values go into the container spec's Env (Swarm has no way to
hide them from ``docker service inspect``; use Docker secrets for real
secrets) but never into the module's result, diff or actions: the service
carries two labels, the names of the secret variables and a sha256 of their
values, so a changed value is still a difference.
"""

from __future__ import annotations

import copy
import json
import time
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._client import APIError, DockerError
from ansible_collections.devops.docker.plugins.module_utils._managers import Manager
from ansible_collections.devops.docker.plugins.module_utils._engine import PathOption, create_body, get_path, path_option, set_path
from ansible_collections.devops.docker.plugins.module_utils._engine import plan as plan_options
from ansible_collections.devops.docker.plugins.module_utils._limits import check_duration_ns, check_service_params
from ansible_collections.devops.docker.plugins.module_utils._swarm._cluster import require_manager
from ansible_collections.devops.docker.plugins.module_utils._swarm._service_networks import parse_network_refs, resolve_networks
from ansible_collections.devops.docker.plugins.module_utils._swarm._service_options import (
    community_aliases,
    container_rows,
    credential_spec_rows,
    file_ref_rows,
    image_digest,
    pin_image,
    resolve_choice,
    Row,
    logging_rows,
    registry_auth,
    rollback_rows,
    update_rows,
)
from ansible_collections.devops.docker.plugins.module_utils._swarm._service_modes import (
    JOB_PATH,
    check_job_options,
    current_mode,
    is_job,
    job_counts,
    job_progress,
    mode_body,
    mode_cli,
)
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._healthcheck import healthcheck_to_cli, parse_healthcheck
from ansible_collections.devops.docker.plugins.module_utils._values._images import parse_image_name
from ansible_collections.devops.docker.plugins.module_utils._values._mounts import mount_from_volume, mount_to_cli, normalize_mount
from ansible_collections.devops.docker.plugins.module_utils._values._ports import parse_service_port, service_port_cli
from ansible_collections.devops.docker.plugins.module_utils._values._runtime import command_argv
from ansible_collections.devops.docker.plugins.module_utils._values._secrets import (
    REDACTED,
    SECRET_ENV_HASH_LABEL as SECRET_HASH_LABEL,
    SECRET_ENV_KEYS_LABEL as SECRET_KEYS_LABEL,
    redact,
    redact_document,
    secret_hash,
    secret_keys_of,
)
from ansible_collections.devops.docker.plugins.module_utils._values._text import check_keys, string_map, whole_number
from ansible_collections.devops.docker.plugins.module_utils._values._units import duration_to_ns, nano_cpus, parse_size

RESTART_CONDITIONS = ("none", "on-failure", "any")


# ======================================================================
# small parsers
# ======================================================================
# ======================================================================
# normalizers used by the comparison
# ======================================================================
def norm_plain(value: t.Any) -> t.Any:
    """None and empty values are the same (the daemon leaves zero values out)."""
    if value in (None, "", 0, False, [], {}):
        return None
    return value


def norm_unordered(value: t.Any) -> t.Any:
    if not value:
        return None
    return sorted(value, key=lambda v: json.dumps(v, sort_keys=True))


def norm_ports(value: t.Any) -> t.Any:
    items = []
    for port in value or []:
        items.append(
            {
                "Protocol": port.get("Protocol") or "tcp",
                "TargetPort": port.get("TargetPort"),
                "PublishedPort": port.get("PublishedPort") or None,
                "PublishMode": port.get("PublishMode") or "ingress",
            }
        )
    return norm_unordered(items)


def norm_mounts(value: t.Any) -> t.Any:
    return norm_unordered([normalize_mount(m) for m in value or []])


def norm_networks(value: t.Any) -> t.Any:
    return norm_unordered(
        [{"Target": n.get("Target"), "Aliases": sorted(n.get("Aliases") or []), "DriverOpts": dict(n.get("DriverOpts") or {})}
         for n in value or []]
    )


def norm_image(value: t.Any) -> t.Any:
    """The CLI pins images to a digest (name:tag@sha256:...); compare the name:tag part."""
    if not value:
        return None
    text = str(value).split("@", 1)[0]
    try:
        name = parse_image_name(text, "image")
    except SpecError:
        return text
    return f"{name.repository}:{name.tag or 'latest'}"


def norm_dict(value: t.Any) -> t.Any:
    return dict(value or {}) or None


CONTAINER_SPEC = ("TaskTemplate", "ContainerSpec")


# ======================================================================
# the desired service
# ======================================================================
class DesiredService:
    """The task's options, validated and turned into Fields (no daemon needed except network IDs)."""

    def __init__(self, params: dict[str, t.Any]) -> None:
        self.name: str = (params.get("name") or "").strip()
        if not self.name:
            raise SpecError("name: a service name is required.")
        check_service_params(params)  # bounds first: NUL, env keys, the name, port ranges before expanding
        p = params
        self.mode: str | None = p.get("mode")
        self.replicas = whole_number(p.get("replicas"), "replicas")
        if self.mode in ("global", "global-job") and self.replicas is not None:
            raise SpecError(
                f"replicas: service {self.name} is {self.mode} (one task on every node), so it takes no replicas; "
                "remove replicas or use mode: replicated."
            )
        check_job_options(p, self.mode)
        # a replicated job: replicas is its number of completions (docker service create --replicas)
        self.max_concurrent, self.total_completions = job_counts(p, self.mode, self.replicas)
        if self.mode == "replicated-job":
            self.replicas = None
        self.job_rows = [
            Row(option, JOB_PATH + (key,), value, norm_plain, (flag, str(value)))
            for option, key, flag, value in (("max_concurrent", "MaxConcurrent", "--max-concurrent", self.max_concurrent),
                                             ("total_completions", "TotalCompletions", "--replicas", self.total_completions))
            if value is not None
        ]
        image = p.get("image")
        if image is not None:
            parse_image_name(image, "image")
        self.image: str | None = image
        self.resolved_image: str | None = None  # name:tag@digest with resolve_image
        self.env = string_map(p.get("env"), "env")
        self.secret_env_given = p.get("secret_env") is not None
        self.secret_env = string_map(p.get("secret_env"), "secret_env") or {}
        for key in self.secret_env:
            if self.env and key in self.env:
                raise SpecError(f"secret_env: {key} is also in env; keep it in one of them.")
        self.labels = string_map(p.get("labels"), "labels")
        for reserved in (SECRET_KEYS_LABEL, SECRET_HASH_LABEL):
            if self.labels and reserved in self.labels:
                raise SpecError(f"labels: {reserved} is reserved for secret_env bookkeeping; remove it from labels.")
        self.networks_raw = p.get("networks")
        self.fields: list[PathOption] = []
        self._build(p)

    @property
    def secret_values(self) -> list[str]:
        return [v for v in self.secret_env.values() if v]

    def _add(self, option: str, path: tuple[str, ...], value: t.Any, norm: t.Callable[[t.Any], t.Any] = norm_plain,
             cli: tuple[str, ...] = ()) -> None:
        if value is not None:
            self.fields.append(path_option(option, path, value, norm, cli))

    def _build(self, p: dict[str, t.Any]) -> None:
        if self.image is not None:
            self._add("image", CONTAINER_SPEC + ("Image",), self.image, norm_image, ("--image", self.image))
        args = command_argv(p.get("command"), "command")
        self._add("command", CONTAINER_SPEC + ("Args",), args, norm_plain, ("--args", " ".join(args or [])))
        entry = command_argv(p.get("entrypoint"), "entrypoint")
        self._add("entrypoint", CONTAINER_SPEC + ("Command",), entry, norm_plain, ("--entrypoint", " ".join(entry or [])))
        for option, key in (("user", "User"), ("working_dir", "Dir"), ("hostname", "Hostname")):
            if p.get(option) is not None:
                flag = {"user": "--user", "working_dir": "--workdir", "hostname": "--hostname"}[option]
                self._add(option, CONTAINER_SPEC + (key,), str(p[option]), norm_plain, (flag, str(p[option])))
        grace = duration_to_ns(p.get("stop_grace_period"), "stop_grace_period")
        check_duration_ns(grace, "stop_grace_period")
        self._add("stop_grace_period", CONTAINER_SPEC + ("StopGracePeriod",), grace, norm_plain,
                  ("--stop-grace-period", str(p.get("stop_grace_period"))))
        if p.get("healthcheck") is not None:
            health = parse_healthcheck(p["healthcheck"], "healthcheck")
            self._add("healthcheck", CONTAINER_SPEC + ("Healthcheck",), health, norm_dict, tuple(healthcheck_to_cli(health)))
        container_labels = string_map(p.get("container_labels"), "container_labels")
        self._add("container_labels", CONTAINER_SPEC + ("Labels",), container_labels, norm_dict,
                  tuple(x for k, v in sorted((container_labels or {}).items()) for x in ("--container-label-add", f"{k}={v}")))
        if p.get("mounts") is not None:
            mounts = [mount_from_volume(m, f"mounts[{i}]") for i, m in enumerate(p["mounts"])]
            targets = [m["Target"] for m in mounts]
            dupes = sorted({x for x in targets if targets.count(x) > 1})
            if dupes:
                raise SpecError(f"mounts: {', '.join(dupes)} is mounted twice; keep one mount per target.")
            self._add("mounts", CONTAINER_SPEC + ("Mounts",), mounts, norm_mounts,
                      tuple(x for m in mounts for x in ("--mount", mount_to_cli(m))))
        # env: everything in one list; secret values compared through the hash label
        if self.env is not None or self.secret_env:
            env = dict(self.env or {})
            env.update(self.secret_env)
            self.env_list = [f"{k}={v}" for k, v in sorted(env.items())]
        else:
            self.env_list = None
        # service labels (plus the secret bookkeeping)
        if self.labels is not None or self.secret_env:
            labels = dict(self.labels or {})
            if self.secret_env:
                labels[SECRET_KEYS_LABEL] = ",".join(sorted(self.secret_env))
                labels[SECRET_HASH_LABEL] = secret_hash(self.secret_env)
            self.labels_all: dict[str, str] | None = labels
        else:
            self.labels_all = None
        # mode and replicas are handled by the manager (they depend on the existing service)
        if p.get("ports") is not None:
            ports: list[dict[str, t.Any]] = []
            for i, item in enumerate(p["ports"]):
                for port in parse_service_port(item, f"ports[{i}]"):
                    key = (port.get("PublishedPort"), port["Protocol"])
                    if port.get("PublishedPort") and any((q.get("PublishedPort"), q["Protocol"]) == key for q in ports):
                        raise SpecError(f"ports: {port['PublishedPort']}/{port['Protocol']} is published twice.")
                    ports.append(port)
            self._add("ports", ("EndpointSpec", "Ports"), ports, norm_ports,
                      tuple(x for q in ports for x in ("--publish", service_port_cli(q))))
        mode = p.get("endpoint_mode")
        if mode is not None:
            ingress = [q for q in (ports if p.get("ports") is not None else []) if q.get("PublishMode", "ingress") == "ingress"
                       and q.get("PublishedPort")]
            if mode == "dnsrr" and ingress:
                raise SpecError(
                    "endpoint_mode: dnsrr has no virtual IP, so it cannot publish ports through the ingress network "
                    f"({ingress[0]['PublishedPort']}); publish them with mode: host, or keep endpoint_mode: vip."
                )
            self._add("endpoint_mode", ("EndpointSpec", "Mode"), mode, norm_plain, ("--endpoint-mode", mode))
        placement = check_keys(p.get("placement"), {"constraints", "preferences", "max_replicas_per_node"}, "placement")
        if "constraints" in placement and placement["constraints"] is not None:
            cons = [str(c) for c in placement["constraints"]]
            for con in cons:
                if "==" not in con and "!=" not in con:
                    raise SpecError(f"placement.constraints: {con!r} must be 'ATTRIBUTE==VALUE' or 'ATTRIBUTE!=VALUE', like node.role==worker.")
            self._add("placement.constraints", ("TaskTemplate", "Placement", "Constraints"), cons, norm_unordered,
                      tuple(x for c in cons for x in ("--constraint", c)))
        if placement.get("preferences") is not None:
            prefs = []
            for pref in placement["preferences"]:
                if isinstance(pref, str):
                    pref = {"spread": pref}
                pref = check_keys(pref, {"spread"}, "placement.preferences")
                if not pref.get("spread"):
                    raise SpecError("placement.preferences: each preference is {spread: node.labels.NAME}.")
                prefs.append({"Spread": {"SpreadDescriptor": str(pref["spread"])}})
            self._add("placement.preferences", ("TaskTemplate", "Placement", "Preferences"), prefs, norm_plain,
                      tuple(x for q in prefs for x in ("--placement-pref", "spread=" + q["Spread"]["SpreadDescriptor"])))
        if placement.get("max_replicas_per_node") is not None:
            value = whole_number(placement["max_replicas_per_node"], "placement.max_replicas_per_node")
            self._add("placement.max_replicas_per_node", ("TaskTemplate", "Placement", "MaxReplicas"), value, norm_plain,
                      ("--replicas-max-per-node", str(value)))
        resources = check_keys(p.get("resources"), {"limits", "reservations"}, "resources")
        for kind, api_kind, flag in (("limits", "Limits", "limit"), ("reservations", "Reservations", "reserve")):
            sub = check_keys(resources.get(kind), {"cpus", "memory"}, f"resources.{kind}")
            cpus = nano_cpus(sub.get("cpus"), f"resources.{kind}.cpus", positive=True)
            self._add(f"resources.{kind}.cpus", ("TaskTemplate", "Resources", api_kind, "NanoCPUs"), cpus, norm_plain,
                      (f"--{flag}-cpu", str(sub.get("cpus"))))
            memory = parse_size(sub.get("memory"), f"resources.{kind}.memory")
            self._add(f"resources.{kind}.memory", ("TaskTemplate", "Resources", api_kind, "MemoryBytes"), memory, norm_plain,
                      (f"--{flag}-memory", str(sub.get("memory"))))
        restart = check_keys(p.get("restart_policy"), {"condition", "delay", "max_attempts", "window"}, "restart_policy")
        if restart.get("condition") is not None and restart["condition"] not in RESTART_CONDITIONS:
            raise SpecError(f"restart_policy.condition: {restart['condition']!r} must be none, on-failure or any.")
        base = ("TaskTemplate", "RestartPolicy")
        self._add("restart_policy.condition", base + ("Condition",), restart.get("condition"), norm_plain,
                  ("--restart-condition", str(restart.get("condition"))))
        self._add("restart_policy.delay", base + ("Delay",), duration_to_ns(restart.get("delay"), "restart_policy.delay"),
                  norm_plain, ("--restart-delay", str(restart.get("delay"))))
        self._add("restart_policy.max_attempts", base + ("MaxAttempts",),
                  whole_number(restart.get("max_attempts"), "restart_policy.max_attempts"), norm_plain,
                  ("--restart-max-attempts", str(restart.get("max_attempts"))))
        self._add("restart_policy.window", base + ("Window",), duration_to_ns(restart.get("window"), "restart_policy.window"),
                  norm_plain, ("--restart-window", str(restart.get("window"))))
        for row in update_rows(p) + logging_rows(p) + rollback_rows(p) + container_rows(p) + self.job_rows:
            self._add(row.name, row.path, row.value, row.norm, row.cli)


# ======================================================================
# comparison and spec building (pure)
# ======================================================================
def service_env_differences(current_env: list[str] | None, wanted_env: list[str], current_labels: dict[str, str],
                            secret_env: dict[str, str], env_given: bool,
                            secret_given: bool = True) -> tuple[bool, dict[str, t.Any], dict[str, t.Any]]:
    """Whether Env differs; before/after as the diff shows them (secret values redacted).

    env not given: the plain variables are not compared; secret_env not given: the secret ones are not.
    """
    cur = dict(e.partition("=")[::2] for e in current_env or [])
    old_secret_keys = [k for k in (current_labels.get(SECRET_KEYS_LABEL) or "").split(",") if k]
    want = dict(e.partition("=")[::2] for e in wanted_env)
    keys = set(old_secret_keys) | set(secret_env)
    plain_cur = {k: v for k, v in cur.items() if k not in keys}
    plain_want = {k: v for k, v in want.items() if k not in keys}
    differ = False
    if env_given and plain_cur != plain_want:
        differ = True
    if not env_given:
        # env not given: only the secret part is compared; plain variables are kept as they are
        plain_want = plain_cur
    if not secret_given:
        secret_env = {k: "" for k in old_secret_keys}
        secret_differ = False
    else:
        secret_differ = sorted(old_secret_keys) != sorted(secret_env) or bool(
            secret_env and current_labels.get(SECRET_HASH_LABEL)
            != secret_hash(secret_env, current_labels.get(SECRET_HASH_LABEL))
        )
    before = dict(plain_cur, **{k: REDACTED for k in old_secret_keys if k in cur})
    after = dict(plain_want, **{k: REDACTED for k in secret_env})
    return differ or bool(secret_differ), before, after


def visible_labels(labels: dict[str, str]) -> dict[str, str]:
    """Service labels without the secret_env bookkeeping."""
    return {k: v for k, v in labels.items() if k not in (SECRET_KEYS_LABEL, SECRET_HASH_LABEL)}


def plan_labels(current: dict[str, str], wanted: dict[str, str] | None, secret_env: dict[str, str],
                secret_given: bool = True) -> dict[str, str]:
    """The service labels after the task: the given set (or the current ones) plus the secret_env bookkeeping
    (kept as it is when secret_env is not given)."""
    labels = dict(wanted) if wanted is not None else visible_labels(current)
    if not secret_given:
        labels.update({k: v for k, v in current.items() if k in (SECRET_KEYS_LABEL, SECRET_HASH_LABEL)})
    elif secret_env:
        labels[SECRET_KEYS_LABEL] = ",".join(sorted(secret_env))
        # an unchanged secret keeps its stored fingerprint (also an earlier release's plain one)
        labels[SECRET_HASH_LABEL] = secret_hash(secret_env, current.get(SECRET_HASH_LABEL))
    return labels


def field_differences(spec: dict[str, t.Any], fields: list[PathOption]) -> list[tuple[PathOption, t.Any, t.Any]]:
    """(option, current, wanted) for every option of the table that differs from the spec (the engine's plan)."""
    by_name = {f.name: f for f in fields}
    return [(by_name[d.option], d.before, d.after) for d in plan_options(fields, spec)]


def task_matches_template(task: dict[str, t.Any], template: dict[str, t.Any]) -> bool:
    """Whether a task was created from this task template (container spec, resources, force-update counter)."""
    spec = task.get("Spec") or {}
    return all(
        json.dumps(spec.get(key) or None, sort_keys=True) == json.dumps(template.get(key) or None, sort_keys=True)
        for key in ("ContainerSpec", "Resources", "ForceUpdate")
    )


def build_create_spec(desired: DesiredService, networks: list[dict[str, t.Any]] | None) -> dict[str, t.Any]:
    spec: dict[str, t.Any] = {"Name": desired.name, "TaskTemplate": {"ContainerSpec": {}}}
    create_body(desired.fields, None, spec)
    if desired.env_list is not None:
        set_path(spec, CONTAINER_SPEC + ("Env",), desired.env_list)
    if desired.labels_all is not None:
        spec["Labels"] = desired.labels_all
    if networks is not None:
        spec["TaskTemplate"]["Networks"] = networks
    spec["Mode"] = mode_body(desired.mode, desired.replicas, desired.max_concurrent, desired.total_completions)
    if is_job(desired.mode) and get_path(spec, ("TaskTemplate", "RestartPolicy", "Condition")) is None:
        # the CLI's default for a job: a task that exited with 0 is done, not restarted
        set_path(spec, ("TaskTemplate", "RestartPolicy", "Condition"), "on-failure")
    return spec


def create_cli(desired: DesiredService, networks: list[dict[str, t.Any]] | None) -> list[str]:
    argv = ["docker", "service", "create", "--name", desired.name]
    argv += mode_cli(desired.mode, desired.replicas, desired.max_concurrent, desired.total_completions)
    for key, value in sorted((desired.env or {}).items()):
        argv += ["--env", f"{key}={value}"]
    for key in sorted(desired.secret_env):
        argv += ["--env", key]  # the value is taken from the caller's environment: never printed
    for key, value in sorted((desired.labels or {}).items()):
        argv += ["--label", f"{key}={value}"]
    for ref in parse_network_refs(desired.networks_raw) or []:
        if not ref["aliases"] and not ref.get("options"):
            argv += ["--network", ref["name"]]
        else:
            parts = [f"name={ref['name']}", *(f"alias={a}" for a in ref["aliases"]),
                     *(f"driver-opt={k}={v}" for k, v in sorted((ref.get("options") or {}).items()))]
            argv += ["--network", ",".join(parts)]
    args: list[str] = []
    for f in desired.fields:
        if f.name in ("image", "max_concurrent", "total_completions"):  # the image last; the job's counts with --mode
            continue
        if f.name == "command":
            args = list(f.value)
            continue
        cli = f.cli(None) if f.cli else []
        if cli and cli[0] == "--container-label-add":
            cli = ["--container-label" if x == "--container-label-add" else x for x in cli]
        argv += cli
    argv.append(desired.resolved_image or desired.image or "")
    return argv + args


# ======================================================================
# the manager
# ======================================================================
class ServiceManager(Manager):
    """Converge one Swarm service (``docker service create/update/rm``); the stack runs one per service,
    with its own tracker, the networks it is about to create (``planned_networks``) and a diff ``prefix``."""

    def __init__(self, *args: t.Any, planned_networks: dict[str, str] | None = None, prefix: str = "", **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self.params = community_aliases(self.params)
        self.with_registry_auth = bool(self.params.get("with_registry_auth"))
        self.resolve_image = resolve_choice(self.params.get("resolve_image"))
        self.state: str = self.params.get("state") or "present"
        self.desired = DesiredService(self.params)
        self.network_refs = parse_network_refs(self.params.get("networks"))
        self.force_update = bool(self.params.get("force_update"))
        self.wait = bool(self.params.get("wait"))
        self.wait_timeout = int(self.params.get("wait_timeout") or 120)
        self.planned_networks = planned_networks
        self.prefix = prefix  # 'services.NAME.' inside a stack's diff
        self.service: dict[str, t.Any] | None = None

    @property
    def name(self) -> str:
        return self.desired.name

    def inspect(self) -> dict[str, t.Any] | None:
        return self.api.get_or_none(self.api.url("/services/{0}", self.name))

    def redacted(self, service: dict[str, t.Any] | None) -> dict[str, t.Any] | None:
        """The service's inspect data by the one redaction rule (current and previous spec)."""
        if service is None:
            return None
        keys = set(secret_keys_of((service.get("Spec") or {}).get("Labels"))) | set(self.desired.secret_env)
        data = redact_document(service, ("Spec",) + CONTAINER_SPEC, ("Spec", "Labels"), keys, self.desired.secret_values)
        return redact_document(data, ("PreviousSpec",) + CONTAINER_SPEC, ("PreviousSpec", "Labels"), keys)

    def prepare(self) -> dict[str, t.Any] | None:
        """Everything that can fail before a side effect: validation against the daemon."""
        service = self.inspect()
        self.service = service
        if self.state == "absent":
            return service
        if service is None and not self.desired.image:
            raise DockerError(f"image: service {self.name} does not exist, and creating it needs an image. Nothing was changed.")
        if service is not None:
            spec = service.get("Spec") or {}
            mode = current_mode(spec)
            if self.desired.mode and self.desired.mode != mode:
                raise DockerError(
                    f"mode: service {self.name} is {mode}, the task asks for {self.desired.mode}; Docker cannot change a "
                    "service's mode in place. Remove the service first (state: absent), then create it again. "
                    "Nothing was changed."
                )
            if mode in ("global", "global-job") and self.desired.replicas is not None:
                raise DockerError(
                    f"replicas: service {self.name} is {mode} (one task on every node), so it takes no replicas; remove "
                    "replicas from the task. Nothing was changed."
                )
            if mode == "replicated-job" and self.desired.mode is None and self.desired.replicas is not None:
                raise DockerError(
                    f"replicas: service {self.name} is a replicated job, where replicas is its number of completions; "
                    "add mode: replicated-job to the task (or give total_completions). Nothing was changed."
                )
        self.networks = None
        if self.network_refs is not None:
            self.networks = resolve_networks(self.api, self.network_refs, self.name, self.planned_networks)
        # secrets and configs by name or ID: their IDs on this manager (prepare runs again in a stack)
        self.desired.fields = [f for f in self.desired.fields if f.name not in ("secrets", "configs", "credential_spec")]
        for row in (file_ref_rows(self.api, self.params, self.name, self.check_mode, self.warn)
                    + credential_spec_rows(self.api, self.params, self.name, self.check_mode)):
            self.desired.fields.append(path_option(row.name, row.path, row.value, row.norm, row.cli))
        self._resolve_image(service)
        return service

    def _resolve_image(self, service: dict[str, t.Any] | None) -> None:
        """resolve_image: pin the image's digest in the spec (always; changed: only when the name:tag changes)."""
        image = self.desired.image
        if self.resolve_image == "never" or not image or "@" in image or image.startswith("sha256:"):
            return
        current = get_path((service or {}).get("Spec") or {}, CONTAINER_SPEC + ("Image",))
        if self.resolve_image == "changed" and current and norm_image(current) == norm_image(image):
            return  # the same name:tag: the service keeps the digest it runs
        digest, reason = image_digest(self.api, image)
        if digest is None:
            self.warn(
                f"resolve_image={self.resolve_image}: no digest found for {image} ({reason}); service {self.name} gets "
                "the tag only, and each node resolves it on its own (possibly to different images)."
            )
            return
        pinned = pin_image(image, digest)
        self.desired.resolved_image = pinned
        self.desired.fields = [f for f in self.desired.fields if f.name != "image"]
        self.desired.fields.insert(0, path_option("image", CONTAINER_SPEC + ("Image",), pinned, lambda v: str(v) if v else None,
                                                  ("--image", pinned)))

    def _auth_headers(self, image: str | None) -> dict[str, str]:
        """with_registry_auth: the stored credentials of the image's registry, for the nodes to pull with."""
        return registry_auth(image) if self.with_registry_auth else {}

    def run(self) -> dict[str, t.Any]:
        require_manager(self.api, f"service {self.name}")
        self.prepare()
        self.apply()
        return self.result()

    def apply(self) -> None:
        if self.state == "absent":
            self.absent()
        else:
            self.present()

    def result(self) -> dict[str, t.Any]:
        service = self.service
        if self.tracker.changed and not self.check_mode:
            service = self.inspect()
        tasks = None
        if service is not None and self.state == "present":
            # a job's tasks are desired to complete
            tasks = self.api.get("/tasks", {"filters": {"service": [service["ID"]], "desired-state": ["running", "complete"]}}) or []
            tasks = [self._task_summary(x) for x in tasks]
        return self.tracker.result(service=self.redacted(service), tasks=tasks)

    @staticmethod
    def _task_summary(task: dict[str, t.Any]) -> dict[str, t.Any]:
        status = task.get("Status") or {}
        cstatus = status.get("ContainerStatus") or {}
        addrs = []
        for att in task.get("NetworksAttachments") or []:
            addrs += [a.split("/")[0] for a in att.get("Addresses") or []]
        return {
            "ID": task.get("ID"),
            "NodeID": task.get("NodeID"),
            "Slot": task.get("Slot"),
            "State": status.get("State"),
            "DesiredState": task.get("DesiredState"),
            "Err": status.get("Err"),
            "ContainerID": cstatus.get("ContainerID"),
            "Image": get_path(task.get("Spec") or {}, ("ContainerSpec", "Image")),
            "Addresses": addrs,
        }

    # -- absent --------------------------------------------------------------
    def absent(self) -> None:
        if self.service is None:
            return
        self.tracker.add(self.prefix + "service", {"name": self.name}, None)
        self.tracker.action("docker", "service", "rm", self.name)
        if self.check_mode:
            return
        try:
            self.api.delete(self.api.url("/services/{0}", self.name))
        except APIError as exc:
            if exc.status != 404:
                raise DockerError(f"docker service rm {self.name} failed: {exc.explanation}") from exc
        if self.wait:
            self._wait_gone()

    def _wait_gone(self) -> None:
        deadline = time.monotonic() + self.wait_timeout
        while time.monotonic() < deadline:
            label = f"com.docker.swarm.service.name={self.name}"
            left = self.api.get("/containers/json", {"all": True, "filters": {"label": [label]}}) or []
            if not left:
                return
            time.sleep(0.5)

    # -- present -------------------------------------------------------------
    def present(self) -> None:
        if self.service is None:
            self.create()
        else:
            self.update(self.service)
        if self.wait and self.tracker.changed and not self.check_mode:
            self.wait_running()

    def create(self) -> None:
        spec = build_create_spec(self.desired, self.networks)
        after = {"image": self.desired.resolved_image or self.desired.image, "mode": self.desired.mode or "replicated"}
        names = {"Replicas": "replicas", "MaxConcurrent": "max_concurrent", "TotalCompletions": "total_completions"}
        after.update({names[k]: v for k, v in next(iter(spec["Mode"].values())).items()})
        self.tracker.add(self.prefix + "service", None, after)
        argv = create_cli(self.desired, self.networks)
        if self.with_registry_auth:
            argv[3:3] = ["--with-registry-auth"]
        self.tracker.action(*argv)
        if self.check_mode:
            return
        try:
            self.api.post("/services/create", body=spec, headers=self._auth_headers(self.desired.image))
        except APIError as exc:
            raise DockerError(
                f"docker service create {self.name} failed: {redact(exc.explanation, self.desired.secret_values)}"
            ) from exc

    def update_plan(self, service: dict[str, t.Any]) -> tuple[dict[str, t.Any], list[str]]:
        """Record the differences; return the new spec and the CLI flags of `docker service update`."""
        spec = service.get("Spec") or {}
        new = copy.deepcopy(spec)
        flags: list[str] = []
        pre = self.prefix
        for f, before, after in field_differences(spec, self.desired.fields):
            self.tracker.add(pre + f.name, before, after)
            set_path(new, f.path, after)
            flags += f.update_cli(spec) if f.update_cli else []
        labels = dict(spec.get("Labels") or {})
        wanted = plan_labels(labels, self.desired.labels, self.desired.secret_env, self.desired.secret_env_given)
        if wanted != labels:
            new["Labels"] = wanted
            visible_before, visible_after = visible_labels(labels), visible_labels(wanted)
            if visible_before != visible_after:
                self.tracker.add(pre + "labels", visible_before, visible_after)
                for key in sorted(set(visible_before) - set(visible_after)):
                    flags += ["--label-rm", key]
                for key, value in sorted(visible_after.items()):
                    if visible_before.get(key) != value:
                        flags += ["--label-add", f"{key}={value}"]
        current_env = get_path(spec, CONTAINER_SPEC + ("Env",))
        env_differs, before, after = service_env_differences(
            current_env, self.desired.env_list or [], labels, self.desired.secret_env, self.desired.env is not None,
            self.desired.secret_env_given,
        )
        if env_differs:
            self.tracker.add(pre + "env", before, after)
            merged = dict(e.partition("=")[::2] for e in current_env or [])
            old_secret = [k for k in (labels.get(SECRET_KEYS_LABEL) or "").split(",") if k]
            if self.desired.env is not None:
                merged = {k: v for k, v in merged.items() if k in old_secret}
                merged.update(self.desired.env)
            if self.desired.secret_env_given:
                for key in old_secret:
                    if key not in self.desired.secret_env:
                        merged.pop(key, None)
                merged.update(self.desired.secret_env)
            set_path(new, CONTAINER_SPEC + ("Env",), [f"{k}={v}" for k, v in sorted(merged.items())])
            for key in sorted(set(before) - set(after)):
                flags += ["--env-rm", key]
            for key, value in sorted(after.items()):
                if before.get(key) != value or value == REDACTED:
                    flags += ["--env-add", key if value == REDACTED else f"{key}={value}"]
        if self.networks is not None:
            current_nets = get_path(spec, ("TaskTemplate", "Networks")) or spec.get("Networks") or []
            if norm_networks(current_nets) != norm_networks(self.networks):
                names = {n["Target"]: r["name"] for n, r in zip(self.networks, self.network_refs or [])}
                self.tracker.add(pre + "networks", [n.get("Target") for n in current_nets], [names.get(n["Target"]) for n in self.networks])
                new.setdefault("TaskTemplate", {})["Networks"] = self.networks
                new.pop("Networks", None)
                cur_ids = {n.get("Target") for n in current_nets}
                for net in self.networks:
                    if net["Target"] not in cur_ids:
                        flags += ["--network-add", names.get(net["Target"], net["Target"])]
                for target in sorted(cur_ids - {n["Target"] for n in self.networks}):
                    flags += ["--network-rm", str(target)]
        scale_only = False
        if self.desired.replicas is not None and current_mode(spec) == "replicated":
            current = get_path(spec, ("Mode", "Replicated", "Replicas"))
            if current != self.desired.replicas:
                scale_only = not self.tracker.differences
                self.tracker.add(pre + "replicas", current, self.desired.replicas)
                set_path(new, ("Mode", "Replicated", "Replicas"), self.desired.replicas)
                flags += ["--replicas", str(self.desired.replicas)]
        if self.force_update:
            count = get_path(spec, ("TaskTemplate", "ForceUpdate")) or 0
            set_path(new, ("TaskTemplate", "ForceUpdate"), count + 1)
            flags.append("--force")
            self.tracker.mark_changed()
        if scale_only and not self.force_update:
            flags = ["scale", f"{self.name}={self.desired.replicas}"]
        return new, flags

    def update(self, service: dict[str, t.Any]) -> None:
        new, flags = self.update_plan(service)
        if not self.tracker.changed and not self.tracker.differences:
            return
        if flags and flags[0] == "scale":
            self.tracker.action("docker", "service", *flags)
        else:
            auth_flag = ["--with-registry-auth"] if self.with_registry_auth else []
            self.tracker.action("docker", "service", "update", *auth_flag, *flags, self.name)
        if self.check_mode:
            return
        version = (service.get("Version") or {}).get("Index")
        try:
            self.api.post(self.api.url("/services/{0}/update", service["ID"]), params={"version": version}, body=new,
                          headers=self._auth_headers(get_path(new, CONTAINER_SPEC + ("Image",))))
        except APIError as exc:
            raise DockerError(
                f"docker service update {self.name} failed: {redact(exc.explanation, self.desired.secret_values)}"
            ) from exc

    # -- wait ------------------------------------------------------------------
    def wait_running(self) -> None:
        deadline = time.monotonic() + self.wait_timeout
        polls = 0
        while True:
            polls += 1
            service = self.inspect() or {}
            spec = service.get("Spec") or {}
            update = (service.get("UpdateStatus") or {}).get("State")
            tasks = self.api.get("/tasks", {"filters": {"service": [service.get("ID", self.name)]}}) or []
            wanted = [x for x in tasks if x.get("DesiredState") == "running"]
            running = [x for x in wanted if (x.get("Status") or {}).get("State") == "running"]
            if is_job(current_mode(spec)):
                done, last = job_progress(service, tasks, polls)
                if done:
                    return
                self._wait_or_fail(deadline, tasks, last, None)
                continue
            if current_mode(spec) == "global":
                # one task per eligible node; no task after a few polls means no node is eligible
                target = len(wanted)
                done = len(running) == target and (target > 0 or polls >= 3)
            else:
                target = get_path(spec, ("Mode", "Replicated", "Replicas")) or 0
                done = len(running) == target and len(wanted) == target
            if update == "rollback_started" and time.monotonic() <= deadline:
                time.sleep(1)  # the swarm is rolling back: wait for it to finish, then say so
                continue
            if update in ("rollback_paused", "rollback_completed"):
                raise DockerError(
                    f"service {self.name}: the update failed and was rolled back ({update}): "
                    f"{(service.get('UpdateStatus') or {}).get('Message')}. The service runs its previous spec again; "
                    f"look at `docker service ps {self.name}` for the failed tasks' errors."
                )
            if update in ("paused", "rollback_started"):
                raise DockerError(
                    f"service {self.name}: the rolling update stopped ({update}): "
                    f"{(service.get('UpdateStatus') or {}).get('Message')}. Look at `docker service ps {self.name}`."
                )
            # right after an update the old tasks may still be the running ones (and UpdateStatus not set yet):
            # done only when every running task was made from the current task template
            template = spec.get("TaskTemplate") or {}
            current = all(task_matches_template(x, template) for x in running)
            if done and current and update in (None, "completed"):
                return
            self._wait_or_fail(deadline, tasks, f"{len(running)} of {target} tasks running", update)

    def _wait_or_fail(self, deadline: float, tasks: list[dict[str, t.Any]], progress: str, update: str | None) -> None:
        """Sleep a second before the next poll, or fail with the tasks' errors once the deadline has passed."""
        errors = sorted({(x.get("Status") or {}).get("Err") for x in tasks if (x.get("Status") or {}).get("Err")})
        last = progress + (f"; task errors: {'; '.join(errors[-3:])}" if errors else "")
        if time.monotonic() > deadline:
            raise DockerError(
                f"service {self.name}: not converged within wait_timeout={self.wait_timeout}s ({last}"
                f"{', update ' + update if update else ''}). The service was created/updated; raise wait_timeout "
                f"or look at `docker service ps {self.name}`."
            )
        time.sleep(1)
