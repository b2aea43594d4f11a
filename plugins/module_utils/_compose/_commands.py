# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""``docker compose exec``, ``run`` and ``pull`` on a project: the managers behind compose_exec,
compose_run and compose_pull (community.docker's docker_compose_v2_exec, _run and _pull).

They load the project with the same loader as the compose module and reuse its converger:
``exec`` runs a command in a service's container through the container exec runner; ``run`` starts the
service's dependencies (unless ``no_deps``), then a one-off container made from the service's own
container options with the command and overrides of the task (labelled ``com.docker.compose.oneoff=True``,
so ``compose`` never takes it for a replica); ``pull`` pulls the images of the services.
"""

from __future__ import annotations

import secrets as _random
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._client import DockerError
from ansible_collections.devops.docker.plugins.module_utils._compose._manager import ComposeManager
from ansible_collections.devops.docker.plugins.module_utils._compose._spec import (
    COMPOSE_ARGS,
    LABEL_NUMBER,
    LABEL_ONEOFF,
    LABEL_PROJECT,
    LABEL_SERVICE,
)
from ansible_collections.devops.docker.plugins.module_utils._container import _lifecycle as lifecycle
from ansible_collections.devops.docker.plugins.module_utils._container._manager import ContainerManager
from ansible_collections.devops.docker.plugins.module_utils._diff import Tracker
from ansible_collections.devops.docker.plugins.module_utils._exec_args import COMMAND_ARGS
from ansible_collections.devops.docker.plugins.module_utils._exec_args import EXEC_ARGS as DOCKER_EXEC_ARGS
from ansible_collections.devops.docker.plugins.module_utils._limits import check_container_params
from ansible_collections.devops.docker.plugins.module_utils._values._runtime import command_argv
from ansible_collections.devops.docker.plugins.module_utils._values._text import string_map

PROJECT_ARGS: dict[str, t.Any] = {
    k: COMPOSE_ARGS[k] for k in ("project_src", "files", "definition", "project_name", "env", "env_files", "profiles")
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
    **{k: v for k, v in EXEC_ARGS.items() if k not in ("index", "privileged", "stdin", "stdin_add_newline")},
    "entrypoint": {"type": "raw"},
    "name": {"type": "str"},
    "labels": {"type": "dict"},
    "no_deps": {"type": "bool", "default": False},
    "service_ports": {"type": "bool", "default": False},
    "rm": {"type": "bool", "default": True},
    "build": COMPOSE_ARGS["build"],
    "pull": COMPOSE_ARGS["pull"],
}

PULL_ARGS: dict[str, t.Any] = {
    **PROJECT_ARGS,
    "services": COMPOSE_ARGS["services"],
    "policy": {"type": "str", "default": "always", "choices": ["always", "missing"]},
    "ignore_buildable": {"type": "bool", "default": False},
    "include_deps": {"type": "bool", "default": False},
}


def _project_params(params: dict[str, t.Any], **extra: t.Any) -> dict[str, t.Any]:
    """The compose module's params for the project part of an exec/run/pull task."""
    values = {k: v["default"] if isinstance(v, dict) and "default" in v else None for k, v in COMPOSE_ARGS.items()}
    for key in PROJECT_ARGS:
        if key != "env":
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


def _check_run_options(p: dict[str, t.Any], command: t.Any) -> None:
    """The run's own container options, checked by the container's value rules before anything is changed."""
    for option, value in (("command", command), ("entrypoint", p.get("entrypoint"))):
        command_argv(value, option)
    for option in ("env", "labels"):
        string_map(p.get(option), option)
    # a run without a name gets a made-up valid one later
    check_container_params({"name": p.get("name") or "run-name", "command": command, "entrypoint": p.get("entrypoint"),
                            "user": p.get("user"), "working_dir": p.get("workdir"), "env": p.get("env"),
                            "labels": p.get("labels")})


class ComposeRun:
    def __init__(self, api: t.Any, params: dict[str, t.Any], check_mode: bool, warn: t.Callable[[str], None] | None = None) -> None:
        self.api = api
        self.params = params
        self.check_mode = check_mode
        self.warn = warn or (lambda _msg: None)
        extra = {"state": "present", "services": [params["service"]], "build": params["build"], "pull": params["pull"]}
        self.compose = ComposeManager(api, _project_params(params, **extra), check_mode, warn=warn)

    def run(self) -> dict[str, t.Any]:
        p = self.params
        compose = self.compose
        service = p["service"]
        command = _command(p)
        _check_run_options(p, command)  # before the project's networks and volumes are made
        compose.containers = compose._list_containers()  # pylint: disable=protected-access
        deps = [s for s in compose.selected if s != service]
        compose._check_external()  # pylint: disable=protected-access
        for name in compose.selected if not p["no_deps"] else [service]:
            compose._ensure_image(name)  # pylint: disable=protected-access
        svc = compose.project.services[service]
        for key in sorted({k for s in compose.selected for k in compose.project.services[s]["networks"]}):
            compose._ensure_network(key)  # pylint: disable=protected-access
        for key in sorted({v["source"] for v in svc["volumes"] if v["type"] == "volume" and v["source"]}):
            compose._ensure_volume(key)  # pylint: disable=protected-access
        if not p["no_deps"]:
            compose._write_files(compose.selected)  # pylint: disable=protected-access
            for dep in deps:
                compose._wait_dependencies(dep, set())  # pylint: disable=protected-access
                compose._converge_service(dep)  # pylint: disable=protected-access
            compose._wait_dependencies(service, set())  # pylint: disable=protected-access
        else:
            compose._write_files([service])  # pylint: disable=protected-access
        name = p.get("name") or f"{compose.name}-{service}-run-{_random.token_hex(6)}"
        image = compose.image_ref(service)
        params = compose.container_params(service, 1, image, "0" * 64, name)
        labels = {**(params.get("labels") or {}), **(p.get("labels") or {}), LABEL_ONEOFF: "True"}
        labels.pop("com.docker.compose.config-hash", None)
        params.update(
            command=command, labels=labels, detach=bool(p["detach"]), state="started", pull="never",
            tty=bool(p.get("tty")), interactive=False,
        )
        for key, option in (("entrypoint", "entrypoint"), ("user", "user"), ("workdir", "working_dir")):
            if p.get(key) is not None:
                params[option] = p[key]
        if p.get("env"):
            params["env"] = {**(params.get("env") or {}), **p["env"]}
        if not p["service_ports"]:
            params["ports"] = None
        tracker = Tracker()
        try:
            result = ContainerManager(self.api, params, self.check_mode, tracker=tracker, warn=self.warn).run()
        finally:
            if p["rm"] and not p["detach"] and not self.check_mode:
                info = self.api.inspect_container(name)
                if info is not None:
                    lifecycle.remove(self.api, {"Id": info["Id"], "State": (info.get("State") or {}).get("Status")}, 10)
        compose.tracker.actions.extend(result.get("actions") or [])
        if p["rm"] and not p["detach"]:
            compose.tracker.action("docker", "container", "rm", name)
        # rc and stdout only when the command ran and was waited for: Ansible fails a result with "rc": null
        ran = {key: result.get(source) for key, source in (("rc", "rc"), ("stdout", "output")) if result.get(source) is not None}
        out = compose.tracker.result(container=name, **ran)
        out["changed"] = True
        if not p["detach"] and result.get("rc") not in (None, 0):
            raise DockerError(f"The command exited with rc {result.get('rc')} in the one-off container of {service!r}.", **out)
        return out


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
        return compose.tracker.result(images=sorted(set(pulled)))
