# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""``docker compose exec``, ``run`` and ``pull`` on a project: the managers behind compose_exec,
compose_run and compose_pull (community.docker's docker_compose_v2_exec, _run and _pull).

They load the project with the same loader as the compose module and reuse its converger:
``exec`` runs a command in a service's container through the container exec runner; ``run`` starts the
service's dependencies (unless ``no_deps``), then a one-off container made from the service's own
container options with the command and overrides of the task (labelled ``com.docker.compose.oneoff=True``,
so ``compose`` never takes it for a replica), as ``docker compose run`` does: no restart policy, the service's
ports only with ``service_ports`` (or ``publish``'s), its network aliases only with ``use_aliases``, ``cap_add``,
``cap_drop`` and ``volumes`` added to the service's; attached, it is created, then started through a hijacked
attach stream (``stdin`` sent and closed), and its stdout and stderr come back apart; ``pull`` pulls the images of
the services.
"""

from __future__ import annotations

import secrets as _random
import typing as t
from dataclasses import replace

from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.devops.docker.plugins.module_utils._client import DockerError
from ansible_collections.devops.docker.plugins.module_utils._compose._manager import ComposeManager
from ansible_collections.devops.docker.plugins.module_utils._compose._spec import (
    COMPOSE_ARGS,
    LABEL_NUMBER,
    LABEL_ONEOFF,
    LABEL_PROJECT,
    LABEL_SERVICE,
)
from ansible_collections.devops.docker.plugins.module_utils._compose._validate import list_to_map
from ansible_collections.devops.docker.plugins.module_utils._container import _lifecycle as lifecycle
from ansible_collections.devops.docker.plugins.module_utils._container._manager import ContainerManager, create_command
from ansible_collections.devops.docker.plugins.module_utils._diff import Tracker
from ansible_collections.devops.docker.plugins.module_utils._exec_args import COMMAND_ARGS
from ansible_collections.devops.docker.plugins.module_utils._exec_args import EXEC_ARGS as DOCKER_EXEC_ARGS
from ansible_collections.devops.docker.plugins.module_utils._limits import DEFAULT_MAX_PORT_RANGE, check_container_params, check_ports
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._mounts import parse_volume
from ansible_collections.devops.docker.plugins.module_utils._values._ports import parse_ports
from ansible_collections.devops.docker.plugins.module_utils._values._runtime import capabilities, command_argv
from ansible_collections.devops.docker.plugins.module_utils._values._secrets import redact
from ansible_collections.devops.docker.plugins.module_utils._values._streams import split_output
from ansible_collections.devops.docker.plugins.module_utils._values._text import string_map

LABEL_SLUG = "com.docker.compose.slug"  # the one-off container's random ID, as docker compose run labels it

PROJECT_ARGS: dict[str, t.Any] = {
    **{k: COMPOSE_ARGS[k] for k in ("project_src", "files", "definition", "project_name", "env", "env_files", "profiles")},
    # community.docker's: makes the Compose CLI check that project_src has a Compose file; the loader always reads it
    "check_files_existing": {"type": "bool", "default": True},
}

# env is the command's environment in exec and run; the project's variables come from project_env and env_files
EXEC_ARGS: dict[str, t.Any] = {
    **PROJECT_ARGS,
    "project_env": COMPOSE_ARGS["env"],
    "service": {"type": "str", "required": True},
    "index": {"type": "int", "default": 1},
    **COMMAND_ARGS,
    **DOCKER_EXEC_ARGS,
}

RUN_ARGS: dict[str, t.Any] = {
    **{k: v for k, v in EXEC_ARGS.items() if k not in ("index", "privileged")},
    "entrypoint": {"type": "raw"},
    "name": {"type": "str"},
    "labels": {"type": "raw"},  # a mapping, or community.docker's list of KEY=VALUE
    "no_deps": {"type": "bool", "default": False},
    "service_ports": {"type": "bool", "default": False},
    "publish": {"type": "list", "elements": "str"},
    "volumes": {"type": "list", "elements": "str"},
    "cap_add": {"type": "list", "elements": "str"},
    "cap_drop": {"type": "list", "elements": "str"},
    "interactive": {"type": "bool", "default": True},
    "use_aliases": {"type": "bool", "default": False},
    "remove_orphans": {"type": "bool", "default": False},
    "quiet_pull": {"type": "bool", "default": False},
    # None: true for an attached run, false with detach (community.docker's cleanup: --rm)
    "rm": {"type": "bool", "aliases": ["cleanup"]},
    # auto/always/never, or community.docker's bool (true: --build, always; false: build only a missing image)
    "build": {"type": "raw", "default": COMPOSE_ARGS["build"]["default"]},
    "pull": COMPOSE_ARGS["pull"],
}

PULL_ARGS: dict[str, t.Any] = {
    **PROJECT_ARGS,
    "services": COMPOSE_ARGS["services"],
    "policy": {"type": "str", "default": "always", "choices": ["always", "missing"]},
    "ignore_buildable": {"type": "bool", "default": False},
    "include_deps": {"type": "bool", "default": False},
    "actions_format": COMPOSE_ARGS["actions_format"],
}


def _project_params(params: dict[str, t.Any], **extra: t.Any) -> dict[str, t.Any]:
    """The compose module's params for the project part of an exec/run/pull task."""
    values = {k: v["default"] if isinstance(v, dict) and "default" in v else None for k, v in COMPOSE_ARGS.items()}
    for key in PROJECT_ARGS:
        if key not in ("env", "check_files_existing"):
            values[key] = params.get(key)
    values["env"] = params.get("project_env") if "project_env" in params else params.get("env")
    values.update(extra)
    return values


def _command(params: dict[str, t.Any]) -> t.Any:
    if params.get("argv") and params.get("command"):
        raise DockerError("command and argv are mutually exclusive: give the command as a string or as argv.")
    command = params.get("argv") or params.get("command")
    if not command:
        raise DockerError("command: give the command to run (a string or argv, a list).")
    return command


def _run_command(params: dict[str, t.Any]) -> t.Any:
    """compose_run's command: optional (the service's own command runs without one)."""
    if params.get("argv") and params.get("command"):
        raise DockerError("command and argv are mutually exclusive: give the command as a string or as argv.")
    return params.get("argv") or params.get("command")


def service_container(api: t.Any, project: str, service: str, index: int) -> dict[str, t.Any]:
    found = api.get("/containers/json", {"all": True, "filters": {"label": [
        f"{LABEL_PROJECT}={project}", f"{LABEL_SERVICE}={service}", f"{LABEL_NUMBER}={index}"]}}) or []
    found = [c for c in found if (c.get("Labels") or {}).get(LABEL_ONEOFF, "False") != "True"]
    if not found:
        raise DockerError(
            f"service: project {project!r} has no container {index} of service {service!r}; bring the project up first "
            "(devops.docker.compose) or fix service/index."
        )
    return found[0]


class ComposeExec:
    def __init__(self, api: t.Any, params: dict[str, t.Any], check_mode: bool, warn: t.Callable[[str], None] | None = None) -> None:
        self.api = api
        self.params = params
        self.check_mode = check_mode
        self.compose = ComposeManager(api, _project_params(params, state="stopped"), check_mode, warn=warn)

    def run(self) -> dict[str, t.Any]:
        from ansible_collections.devops.docker.plugins.module_utils._container._exec import ExecRunner  # pylint: disable=import-outside-toplevel

        p = self.params
        if p["service"] not in self.compose.project.services:
            raise DockerError(f"service: {p['service']!r} is not a service of project {self.compose.name!r}.")
        summary = service_container(self.api, self.compose.name, p["service"], p["index"])
        # the container_exec options (user, workdir and how docker exec runs the command) pass through as they are
        params = {"container": summary["Id"], "command": _command(p), **{k: p.get(k) for k in ("user", "workdir", *DOCKER_EXEC_ARGS)}}
        result = ExecRunner(self.api, params, self.check_mode).run()
        result["container"] = summary["Id"]
        return result


def _run_labels(value: t.Any) -> dict[str, str] | None:
    """labels as a mapping, or as community.docker's (and ``docker compose run --label``'s) list of KEY=VALUE."""
    if isinstance(value, list):
        try:
            value = list_to_map("labels", value, "compose_run")
        except SpecError:
            raise DockerError("labels: every item of the list must be a KEY=VALUE string; write a mapping ({app: web}) or "
                              "a list of KEY=VALUE ([app=web]).") from None
        missing = [key for key, val in value.items() if val is None]
        if missing:
            raise DockerError(f"labels: {missing[0]!r} is not KEY=VALUE; write each label as KEY=VALUE, like 'app=web'.")
    try:
        return string_map(value, "labels")
    except SpecError as exc:
        raise DockerError(f"{exc} Write a mapping ({{app: web}}) or a list of KEY=VALUE ([app=web]).") from None


def _build_mode(value: t.Any) -> str:
    """Our build value: auto/always/never, or community.docker's bool (true: always; false: ``policy``, a missing
    image only)."""
    if value in ("auto", "always", "never"):
        return value
    try:
        return "always" if boolean(value, strict=True) else "policy"
    except TypeError:
        raise DockerError(f"build: {value!r} is not auto, always or never (or a boolean: true builds before running, "
                          "false builds only a missing image).") from None


def _check_run_options(p: dict[str, t.Any], command: t.Any) -> dict[str, t.Any]:
    """The run's own container options, checked by the container's value rules before anything is changed;
    returns the labels as a mapping."""
    for option, value in (("command", command), ("entrypoint", p.get("entrypoint"))):
        command_argv(value, option)
    labels = _run_labels(p.get("labels"))
    string_map(p.get("env"), "env")
    if p.get("publish") and p.get("service_ports"):
        raise DockerError("publish and service_ports are incompatible (as for docker compose run): publish the ports "
                          "you list, or the service's own with service_ports: true.")
    if p.get("stdin") is not None and p.get("detach"):
        raise DockerError("stdin: cannot send input to a detached run; set detach: false or drop stdin.")
    if p.get("stdin") is not None and not p.get("interactive"):
        raise DockerError("stdin: the input needs the container's standard input open; set interactive: true or drop stdin.")
    check_ports(p.get("publish"), "publish", DEFAULT_MAX_PORT_RANGE)  # a range is bounded before it is expanded
    parse_ports(p.get("publish"), "publish")
    # a run without a name gets a made-up valid one later
    check_container_params({"name": p.get("name") or "run-name", "command": command, "entrypoint": p.get("entrypoint"),
                            "user": p.get("user"), "working_dir": p.get("workdir"), "env": p.get("env"),
                            "labels": labels, "volumes": p.get("volumes"), "cap_add": p.get("cap_add"),
                            "cap_drop": p.get("cap_drop")})
    return labels or {}


def _run_volumes(volumes: list[t.Any], project: t.Any) -> list[str]:
    """``--volume`` entries (parsed -v syntax) as the container takes them: a relative bind from the project's folder,
    a volume of the project by its project name; anything else as given (the engine makes a named volume it does not
    have)."""
    out = []
    for spec in volumes:
        if spec.kind == "anonymous":
            out.append(spec.target + (":" + ",".join(spec.modes) if spec.modes else ""))
            continue
        if spec.kind == "volume" and spec.source in project.volumes:
            spec = replace(spec, source=project.volumes[spec.source]["name"])
        out.append(spec.bind())
    return out


def _capabilities(params: dict[str, t.Any], add: list[str], drop: list[str]) -> None:
    """--cap-add / --cap-drop over the service's: added ones leave cap_drop, dropped ones leave cap_add (Compose's rule)."""
    have_add, have_drop = capabilities(params.get("cap_add")), capabilities(params.get("cap_drop"))
    if add:
        have_add = sorted(set(have_add) | set(add))
        have_drop = [c for c in have_drop if c not in add]
    if drop:
        have_drop = sorted(set(have_drop) | set(drop))
        have_add = [c for c in have_add if c not in drop]
    params["cap_add"], params["cap_drop"] = have_add or None, have_drop or None


def _strip(text: str, strip: bool) -> str:
    return text.rstrip("\r\n") if strip else text


class ComposeRun:
    def __init__(self, api: t.Any, params: dict[str, t.Any], check_mode: bool, warn: t.Callable[[str], None] | None = None) -> None:
        self.api = api
        self.params = params
        self.check_mode = check_mode
        self.warn = warn or (lambda _msg: None)
        self.build = _build_mode(params.get("build"))
        extra = {"state": "present", "services": [params["service"]], "pull": params["pull"],
                 "build": "auto" if self.build == "policy" else self.build, "remove_orphans": bool(params.get("remove_orphans"))}
        self.compose = ComposeManager(api, _project_params(params, **extra), check_mode, warn=warn)

    def _ensure_image(self, service: str) -> None:
        """The service's image; with build false (community.docker's default), a buildable one only when missing."""
        compose = self.compose
        if self.build == "policy" and compose.project.services[service]["build"]:
            compose.params["build"] = "never" if self.api.inspect_image(compose.image_ref(service)) is not None else "auto"
        compose._ensure_image(service)  # pylint: disable=protected-access

    def _prepare(self, run_volumes: list[t.Any]) -> None:
        """What docker compose run does before the one-off container: images, networks, volumes (the service's and
        the project volumes ``run_volumes`` name), the services O(service) depends on (unless no_deps), orphans."""
        p = self.params
        compose = self.compose
        service = p["service"]
        compose.containers = compose._list_containers()  # pylint: disable=protected-access
        deps = [s for s in compose.selected if s != service]
        compose._check_external()  # pylint: disable=protected-access
        for name in compose.selected if not p["no_deps"] else [service]:
            self._ensure_image(name)
        svc = compose.project.services[service]
        for key in sorted({k for s in compose.selected for k in compose.project.services[s]["networks"]}):
            compose._ensure_network(key)  # pylint: disable=protected-access
        keys = {v["source"] for v in svc["volumes"] if v["type"] == "volume" and v["source"]}
        keys |= {v.source for v in run_volumes if v.kind == "volume" and v.source in compose.project.volumes}
        for key in sorted(keys):
            compose._ensure_volume(key)  # pylint: disable=protected-access
        if not p["no_deps"]:
            compose._write_files(compose.selected)  # pylint: disable=protected-access
            for dep in deps:
                compose._wait_dependencies(dep, set())  # pylint: disable=protected-access
                compose._converge_service(dep)  # pylint: disable=protected-access
            compose._wait_dependencies(service, set())  # pylint: disable=protected-access
        else:
            compose._write_files([service])  # pylint: disable=protected-access
        compose._orphans()  # pylint: disable=protected-access

    def _container_params(self, name: str, slug: str, command: t.Any, labels: dict[str, str], attached: bool,
                          rm: bool, run_volumes: list[t.Any]) -> dict[str, t.Any]:
        """The container module's options of the one-off container: the service's, with the run's overrides."""
        p = self.params
        compose = self.compose
        service = p["service"]
        params = compose.container_params(service, 1, compose.image_ref(service), "0" * 64, name)
        labels = {**(params.get("labels") or {}), **labels, LABEL_ONEOFF: "True", LABEL_SLUG: slug}
        labels.pop("com.docker.compose.config-hash", None)
        params.update(
            labels=labels, state="present" if attached else "started", detach=True, pull="never",
            tty=bool(p.get("tty")), interactive=bool(p.get("interactive")), stdin_once=bool(p.get("interactive")),
            restart_policy="no", auto_remove=rm and not attached,
        )
        if command is not None:
            params["command"] = command
        elif p.get("entrypoint") is not None:
            params["command"] = None  # a new entrypoint without a command drops the service's command, as Compose does
        for key, option in (("entrypoint", "entrypoint"), ("user", "user"), ("workdir", "working_dir")):
            if p.get(key) is not None:
                params[option] = p[key]
        if p.get("env"):
            params["env"] = {**(params.get("env") or {}), **p["env"]}
        if p.get("publish"):
            params["ports"] = list(p["publish"])
        elif not p["service_ports"]:
            params["ports"] = None
        if run_volumes:
            params["volumes"] = [*(params.get("volumes") or []), *_run_volumes(run_volumes, compose.project)]
        _capabilities(params, capabilities(p.get("cap_add")), capabilities(p.get("cap_drop")))
        if not p.get("use_aliases"):
            for net in params.get("networks") or []:
                net["aliases"] = []  # docker compose run without --use-aliases: the service's aliases stay with its replicas
        return params

    def run(self) -> dict[str, t.Any]:
        p = self.params
        compose = self.compose
        service = p["service"]
        command = _run_command(p)
        labels = _check_run_options(p, command)  # before the project's networks and volumes are made
        run_volumes = [parse_volume(value, "volumes", compose.project.working_dir) for value in p.get("volumes") or []]
        detach = bool(p["detach"])
        rm = (not detach) if p.get("rm") is None else bool(p["rm"])
        if p.get("name") and self.api.inspect_container(p["name"]) is not None:
            raise DockerError(f"name: a container named {p['name']!r} already exists; remove it first or choose another "
                              "name (a one-off container is always a new one). Nothing was changed.")
        self._prepare(run_volumes)
        slug = _random.token_hex(32)
        name = p.get("name") or f"{compose.name}-{service}-run-{slug[:12]}"
        params = self._container_params(name, slug, command, labels, not detach, rm, run_volumes)
        nets = {net["name"] for net in params.get("networks") or []}
        if self.check_mode and (compose.image_ids.get(service) is None or nets & compose.pending_networks):
            # the image would be built or pulled, a network made: the create the real run sends, without a daemon
            result: dict[str, t.Any] = {}
            compose.tracker.action(*create_command(params))
            if detach:
                compose.tracker.action("docker", "container", "start", name)
        else:
            result = ContainerManager(self.api, params, self.check_mode, tracker=Tracker(), warn=self.warn,
                                      known_absent=True).run()
            compose.tracker.actions.extend(result.get("actions") or [])
        cid = (result.get("container") or {}).get("Id")
        extra: dict[str, t.Any] = {"container": name}
        if cid and not self.check_mode:
            extra["container_id"] = cid
        if not detach:
            compose.tracker.action("docker", "container", "start", "--attach", *(["--interactive"] if p.get("interactive") else []), name)
            if rm:
                compose.tracker.action(*lifecycle.remove_argv(name, volumes=True))  # --rm: anonymous volumes too
            if cid and not self.check_mode:
                try:
                    extra.update(self._attached(cid, params))
                finally:
                    if rm:
                        lifecycle.remove(self.api, {"Id": cid, "State": {"Status": "exited"}}, 10, volumes=True)
        out = compose.tracker.result(**extra)
        out["changed"] = True
        if not detach and out.get("rc") not in (None, 0):
            shown = (out.get("stderr") or out.get("stdout") or "").strip()[-2000:]
            raise DockerError(f"The command exited with rc {out['rc']} in the one-off container of {service!r}"
                              + (f":\n{shown}" if shown else "."), **out)
        return out

    def _attached(self, cid: str, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """Start the created container attached (stdin sent and closed), wait for its exit: rc, stdout, stderr."""
        from ansible_collections.devops.docker.plugins.module_utils._container._exec import attach_container  # pylint: disable=import-outside-toplevel

        p = self.params
        tty = bool(p.get("tty"))
        stdin = None
        if p.get("interactive"):
            text = p.get("stdin") or ""
            if p.get("stdin") is not None and p.get("stdin_add_newline", True) and not text.endswith("\n"):
                text += "\n"
            stdin = text.encode("utf-8")
        raw = attach_container(self.api, cid, tty, stdin, lambda: lifecycle.start(self.api, cid))
        rc = (self.api.post(self.api.url("/containers/{0}/wait", cid)) or {}).get("StatusCode")
        secrets = [v for v in (params.get("secret_env") or {}).values() if v]
        parts = {k: redact(v, secrets) for k, v in split_output(raw, tty).items()}
        strip = bool(p.get("strip_empty_ends", True))
        stdout, stderr = _strip(parts["stdout"], strip), _strip(parts["stderr"], strip)
        return {"rc": rc, "stdout": stdout, "stderr": stderr,
                "stdout_lines": stdout.splitlines(), "stderr_lines": stderr.splitlines()}


class ComposePull:
    def __init__(self, api: t.Any, params: dict[str, t.Any], check_mode: bool, warn: t.Callable[[str], None] | None = None) -> None:
        self.params = params
        extra = {"state": "present", "services": params.get("services"), "pull": params["policy"], "build": "never"}
        self.compose = ComposeManager(api, _project_params(params, **extra), check_mode, warn=warn)

    def run(self) -> dict[str, t.Any]:
        compose = self.compose
        wanted = set(self.params.get("services") or compose.project.services)
        pulled = []
        for service in compose.selected:
            svc = compose.project.services[service]
            if service not in wanted and not self.params["include_deps"]:
                continue
            if svc["build"] and (self.params["ignore_buildable"] or not svc["image"]):
                continue
            if svc["pull_policy"] in ("never", "build"):
                continue
            before = len(compose.tracker.actions)
            compose._pull(service, compose.image_ref(service), self.params["policy"], {**svc, "build": None})  # pylint: disable=protected-access
            if len(compose.tracker.actions) > before:
                pulled.append(compose.image_ref(service))
        result = compose.tracker.result(images=sorted(set(pulled)))
        from ansible_collections.devops.docker.plugins.module_utils._compose._ps import shape_actions  # pylint: disable=import-outside-toplevel

        shape_actions(self.params, result)
        return result
