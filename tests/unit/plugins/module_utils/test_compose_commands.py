# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""compose_exec / compose_run / compose_pull (_compose/_commands.py): their options and compose_run's result."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.devops.docker.plugins.module_utils._compose._commands import EXEC_ARGS, PULL_ARGS, RUN_ARGS, ComposeExec, ComposeRun
from ansible_collections.devops.docker.plugins.module_utils._compose._spec import COMPOSE_ARGS
from ansible_collections.devops.docker.tests.unit.conftest import FakeDaemon

IMAGE_ID = "sha256:" + "b" * 64


def _run_params(**overrides: t.Any) -> dict[str, t.Any]:
    params = {k: v.get("default") for k, v in RUN_ARGS.items()}
    params.update(definition={"services": {"x": {"image": "devops-test/busybox"}}}, project_name="dt-unit",
                  service="x", command="echo hi", no_deps=True)
    params.update(overrides)
    return params


def test_exec_and_run_env_is_the_command_env_and_project_env_the_projects() -> None:
    assert EXEC_ARGS["env"] == {"type": "dict"} and RUN_ARGS["env"] == {"type": "dict"}
    assert EXEC_ARGS["project_env"] == COMPOSE_ARGS["env"] == RUN_ARGS["project_env"]
    assert not {"index", "privileged"} & set(RUN_ARGS)


@pytest.mark.parametrize("check_mode, detach", [(True, False), (False, True)])
def test_run_returns_no_rc_when_the_command_was_not_waited_for(check_mode: bool, detach: bool) -> None:
    """Ansible fails a result with "rc": null; check mode and detach=true leave rc and stdout out."""
    network = {"Name": "dt-unit_default", "Id": "n" * 64, "Driver": "bridge", "Scope": "local", "Options": {}, "IPAM": {"Config": []},
               "Labels": {"com.docker.compose.project": "dt-unit", "com.docker.compose.network": "default"}}
    daemon = FakeDaemon(images={"devops-test/busybox": {"Id": IMAGE_ID, "RepoTags": ["devops-test/busybox:latest"]}},
                        networks=[network], answers={("POST", "/containers/create"): {"Id": "c" * 64, "Warnings": []}})
    daemon.server_api_version = "1.43"
    result = ComposeRun(daemon, _run_params(detach=detach), check_mode).run()
    assert "rc" not in result and "stdout" not in result
    assert result["container"].startswith("dt-unit-x-run-")
    assert any("docker" in action and "dt-unit-x-run-" in action for action in result["actions"])


def test_exec_passes_the_exec_options_to_the_container_exec_runner() -> None:
    """Check mode: the service's container is found and the docker exec it would run carries every option."""
    container = {"Name": "/dt-unit-x-1", "Id": "d" * 64, "State": {"Running": True, "Status": "running"}, "Config": {}}
    daemon = FakeDaemon(containers=[container])
    params = {k: v.get("default") for k, v in EXEC_ARGS.items()}
    params.update(definition={"services": {"x": {"image": "devops-test/busybox"}}}, project_name="dt-unit", service="x",
                  argv=["id"], user="nobody", workdir="/tmp", env={"A": "1"}, privileged=True, tty=True, stdin="in")
    result = ComposeExec(daemon, params, True).run()
    assert result["container"] == "d" * 64 and result.get("skipped") is True
    flags = result["actions"][0].split()
    for flag in ("--user", "nobody", "--workdir", "/tmp", "--env", "A", "--privileged", "--tty", "--interactive", "id"):
        assert flag in flags, (flag, flags)


# ---------------------------------------------------------------- community.docker's options (docker_compose_v2_*)
COMMUNITY_PROJECT = {"project_src", "project_name", "files", "definition", "env_files", "profiles", "check_files_existing"}
COMMUNITY_RUN = {"service", "argv", "command", "build", "cap_add", "cap_drop", "entrypoint", "interactive", "labels", "name",
                 "no_deps", "publish", "quiet_pull", "remove_orphans", "cleanup", "service_ports", "use_aliases", "volumes",
                 "chdir", "detach", "user", "stdin", "stdin_add_newline", "strip_empty_ends", "tty", "env"}
COMMUNITY_EXEC = {"service", "index", "argv", "command", "chdir", "detach", "user", "stdin", "stdin_add_newline",
                  "strip_empty_ends", "privileged", "tty", "env"}
COMMUNITY_PULL = {"policy", "ignore_buildable", "include_deps", "services"}


def _names(spec: dict[str, t.Any]) -> set[str]:
    return set(spec) | {alias for option in spec.values() for alias in option.get("aliases", [])}


@pytest.mark.parametrize("spec, community", [(RUN_ARGS, COMMUNITY_RUN), (EXEC_ARGS, COMMUNITY_EXEC), (PULL_ARGS, COMMUNITY_PULL)])
def test_every_community_option_is_accepted(spec: dict[str, t.Any], community: set[str]) -> None:
    assert not (community | COMMUNITY_PROJECT) - _names(spec)


NETWORK = {"Name": "dt-unit_default", "Id": "n" * 64, "Driver": "bridge", "Scope": "local", "Options": {}, "IPAM": {"Config": []},
           "Labels": {"com.docker.compose.project": "dt-unit", "com.docker.compose.network": "default"}}
SERVICE = {"image": "devops-test/busybox", "command": ["sleep", "9"], "restart": "always", "cap_add": ["SYS_TIME", "CHOWN"],
           "cap_drop": ["NET_RAW"], "ports": ["127.0.0.1:15600:80"], "volumes": ["data:/data"],
           "networks": {"default": {"aliases": ["xalias"]}}}


def _daemon(cid: str = "c" * 64, answers: dict[tuple[str, str], t.Any] | None = None) -> FakeDaemon:
    """A daemon that has the image and the project's network, and knows the containers it creates."""
    daemon = FakeDaemon(images={"devops-test/busybox": {"Id": IMAGE_ID, "RepoTags": ["devops-test/busybox:latest"]}},
                        networks=[NETWORK], volumes=[{"Name": "dt-unit_data", "Driver": "local", "Options": {},
                                                      "Labels": {"com.docker.compose.project": "dt-unit",
                                                                 "com.docker.compose.volume": "data"}}])
    daemon.server_api_version = "1.43"

    def create(query: dict[str, t.Any]) -> dict[str, t.Any]:
        body = [c for c in daemon.calls if c[:2] == ("POST", "/containers/create")][-1][2]
        daemon.containers[query["name"]] = {"Name": "/" + query["name"], "Id": cid, "Config": body,
                                            "HostConfig": body.get("HostConfig") or {}, "State": {"Status": "created"}}
        return {"Id": cid, "Warnings": []}

    daemon.answers[("POST", "/containers/create")] = create
    daemon.answers.update(answers or {})
    return daemon


def _created(daemon: FakeDaemon) -> dict[str, t.Any]:
    bodies = [c[2] for c in daemon.calls if c[:2] == ("POST", "/containers/create")]
    assert len(bodies) == 1, bodies
    return bodies[0]


def _service_params(**overrides: t.Any) -> dict[str, t.Any]:
    return _run_params(definition={"services": {"x": dict(SERVICE)}, "volumes": {"data": {}}}, **overrides)


def test_run_options_reach_the_create_body_and_the_actions() -> None:
    """cap_add/cap_drop over the service's (Compose's rule), volumes added, publish instead of the service's ports,
    labels as community.docker's list, no restart policy, cleanup with detach: the engine's --rm."""
    daemon = _daemon()
    result = ComposeRun(daemon, _service_params(
        detach=True, cleanup=None, rm=True, cap_add=["net_raw", "NET_ADMIN"], cap_drop=["CAP_SYS_TIME"],
        volumes=["/srv/in:/in:ro", "data:/more", "/anon"], publish=["127.0.0.1:15601:8080/udp"],
        labels=["purpose=debug", "a=b=c"], command=None, argv=["id"]), False).run()
    body = _created(daemon)
    host = body["HostConfig"]
    assert host["CapAdd"] == ["CHOWN", "NET_ADMIN", "NET_RAW"] and host["CapDrop"] == ["SYS_TIME"]
    assert "/srv/in:/in:ro" in host["Binds"] and "dt-unit_data:/more" in host["Binds"] and "dt-unit_data:/data" in host["Binds"]
    assert "/anon" in body["Volumes"]
    assert host["PortBindings"] == {"8080/udp": [{"HostIp": "127.0.0.1", "HostPort": "15601"}]}
    assert host["AutoRemove"] is True and host["RestartPolicy"]["Name"] in ("no", "")
    assert body["Labels"]["purpose"] == "debug" and body["Labels"]["a"] == "b=c"
    assert body["Labels"]["com.docker.compose.oneoff"] == "True" and len(body["Labels"]["com.docker.compose.slug"]) == 64
    assert body["Cmd"] == ["id"] and body["OpenStdin"] is True and body["StdinOnce"] is True
    aliases = body["NetworkingConfig"]["EndpointsConfig"]["dt-unit_default"].get("Aliases")
    assert not aliases  # without use_aliases, not the service's aliases
    assert result["container_id"] == "c" * 64 and "rc" not in result
    create = next(a for a in result["actions"] if a.startswith("docker container create"))
    for flag in ("--cap-add NET_ADMIN", "--cap-drop SYS_TIME", "-v /srv/in:/in:ro", "-p 127.0.0.1:15601:8080/udp", "--rm",
                 "--label purpose=debug", "--interactive"):
        assert flag in create, (flag, create)
    assert "15600" not in create
    assert result["actions"][-1] == f"docker container start {result['container']}"


def test_run_with_use_aliases_and_service_ports() -> None:
    daemon = _daemon()
    ComposeRun(daemon, _service_params(detach=True, use_aliases=True, service_ports=True, interactive=False), False).run()
    body = _created(daemon)
    assert body["NetworkingConfig"]["EndpointsConfig"]["dt-unit_default"]["Aliases"] == ["x", "xalias"]
    assert body["HostConfig"]["PortBindings"] == {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "15600"}]}
    assert not body.get("OpenStdin") and not body.get("StdinOnce")
    assert body["Cmd"] == ["echo", "hi"] and not body["HostConfig"].get("AutoRemove")


def test_attached_run_sends_stdin_and_returns_stdout_stderr_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    """The created container is started on the attach stream; stdin (with its newline) is sent; rc from wait;
    stdout and stderr apart (and their lines); cleanup removes it with its anonymous volumes."""
    from ansible_collections.devops.docker.plugins.module_utils._container import _exec
    from ansible_collections.devops.docker.plugins.module_utils._values._streams import frame

    seen: dict[str, t.Any] = {}

    def attach(api: t.Any, cid: str, tty: bool, stdin: bytes | None, started: t.Callable[[], None]) -> bytes:
        seen.update(cid=cid, tty=tty, stdin=stdin)
        started()
        return frame(1, b"out 1\nout 2\n\n") + frame(2, b"err\n")

    monkeypatch.setattr(_exec, "attach_container", attach)
    daemon = _daemon(answers={("POST", "/containers/" + "c" * 64 + "/wait"): {"StatusCode": 0}})
    result = ComposeRun(daemon, _service_params(stdin="data", cleanup=True), False).run()
    assert seen == {"cid": "c" * 64, "tty": False, "stdin": b"data\n"}
    assert result["rc"] == 0 and result["stdout"] == "out 1\nout 2" and result["stderr"] == "err"
    assert result["stdout_lines"] == ["out 1", "out 2"] and result["stderr_lines"] == ["err"]
    assert ("POST", "/containers/" + "c" * 64 + "/start", None) in daemon.calls
    assert ("DELETE", "/containers/" + "c" * 64, None) in daemon.calls
    assert ("DELETE", "/containers/" + "c" * 64, {"force": True, "v": True}) in daemon.queries
    body = _created(daemon)
    assert body["OpenStdin"] and body["StdinOnce"] and not body["HostConfig"].get("AutoRemove")
    name = result["container"]
    assert result["actions"][-2:] == [f"docker container start --attach --interactive {name}", f"docker container rm --volumes {name}"]


def test_attached_run_fails_on_a_non_zero_exit_with_the_output(monkeypatch: pytest.MonkeyPatch) -> None:
    from ansible_collections.devops.docker.plugins.module_utils._client import DockerError
    from ansible_collections.devops.docker.plugins.module_utils._container import _exec
    from ansible_collections.devops.docker.plugins.module_utils._values._streams import frame

    monkeypatch.setattr(_exec, "attach_container", lambda api, cid, tty, stdin, started: started() or frame(2, b"boom\n"))
    daemon = _daemon(answers={("POST", "/containers/" + "c" * 64 + "/wait"): {"StatusCode": 3}})
    with pytest.raises(DockerError) as err:
        ComposeRun(daemon, _service_params(interactive=False, rm=False), False).run()
    assert "rc 3" in err.value.msg and "boom" in err.value.msg
    assert err.value.details["rc"] == 3 and err.value.details["stderr"] == "boom"
    assert not [c for c in daemon.calls if c[0] == "DELETE"]  # rm: false keeps it


def test_run_check_mode_creates_nothing_and_shows_the_commands() -> None:
    daemon = _daemon()
    result = ComposeRun(daemon, _service_params(cap_add=["NET_ADMIN"], volumes=["/srv:/srv"], publish=["15602:80"]), True).run()
    assert not daemon.writes()
    assert "rc" not in result and "container_id" not in result and result["changed"] is True
    assert any(a.startswith("docker container create") and "--cap-add NET_ADMIN" in a and "-p 15602:80" in a
               and "-v /srv:/srv" in a for a in result["actions"])
    assert any(a.startswith("docker container start --attach") for a in result["actions"])


def test_entrypoint_without_command_drops_the_service_command() -> None:
    daemon = _daemon()
    ComposeRun(daemon, _service_params(detach=True, command=None, entrypoint="echo"), False).run()
    body = _created(daemon)
    assert body["Entrypoint"] == ["echo"] and not body.get("Cmd")


@pytest.mark.parametrize("overrides, message", [
    ({"labels": ["nokey"]}, "labels: 'nokey' is not KEY=VALUE"),
    ({"labels": [["x"]]}, "labels:"),
    ({"labels": "a=b"}, "labels:"),
    ({"publish": ["80"], "service_ports": True}, "publish and service_ports are incompatible"),
    ({"publish": ["70000:80"]}, "publish"),
    ({"stdin": "x", "detach": True}, "stdin: cannot send input to a detached run"),
    ({"stdin": "x", "interactive": False}, "set interactive: true"),
    ({"build": "sometimes"}, "build: 'sometimes' is not auto, always or never"),
    ({"volumes": ["relative"]}, "volumes"),
])
def test_bad_run_options_fail_before_any_change(overrides: dict[str, t.Any], message: str) -> None:
    from ansible_collections.devops.docker.plugins.module_utils._client import DockerError
    from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError

    daemon = _daemon()
    with pytest.raises((DockerError, SpecError)) as err:
        ComposeRun(daemon, _service_params(**overrides), False).run()
    assert message in str(err.value)
    assert not daemon.writes()


def test_run_with_a_name_that_exists_fails() -> None:
    from ansible_collections.devops.docker.plugins.module_utils._client import DockerError

    daemon = _daemon()
    daemon.containers["taken"] = {"Name": "/taken", "Id": "e" * 64}
    with pytest.raises(DockerError, match="already exists"):
        ComposeRun(daemon, _service_params(name="taken"), False).run()
    assert not daemon.writes()


@pytest.mark.parametrize("value, mode", [(True, "always"), ("yes", "always"), (False, "policy"), ("false", "policy"),
                                         ("auto", "auto"), ("always", "always"), ("never", "never")])
def test_build_takes_community_booleans(value: t.Any, mode: str) -> None:
    from ansible_collections.devops.docker.plugins.module_utils._compose._commands import _build_mode

    assert _build_mode(value) == mode


@pytest.mark.parametrize("build, exists, builds", [(False, True, False), (False, False, True), (True, True, True),
                                                   ("never", True, False), ("auto", False, True)])
def test_build_false_builds_only_a_missing_image(tmp_path: t.Any, build: t.Any, exists: bool, builds: bool) -> None:
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    images = {"dt-unit-x": {"Id": IMAGE_ID, "RepoTags": ["dt-unit-x:latest"], "Config": {"Labels": {}}}} if exists else {}
    daemon = FakeDaemon(images=images, networks=[NETWORK])
    daemon.server_api_version = "1.43"
    params = _run_params(definition={"services": {"x": {"build": {"context": str(tmp_path)}}}}, build=build)
    result = ComposeRun(daemon, params, True).run()
    assert any(" build " in f" {a} " for a in result["actions"]) is builds, result["actions"]


def test_exec_and_pull_accept_check_files_existing() -> None:
    assert EXEC_ARGS["check_files_existing"] == PULL_ARGS["check_files_existing"] == {"type": "bool", "default": True}
    params = {k: v.get("default") for k, v in EXEC_ARGS.items()}
    params.update(definition={"services": {"x": {"image": "devops-test/busybox"}}}, project_name="dt-unit", service="x",
                  argv=["id"], check_files_existing=False)
    container = {"Name": "/dt-unit-x-1", "Id": "d" * 64, "State": {"Running": True, "Status": "running"}, "Config": {}}
    assert ComposeExec(FakeDaemon(containers=[container]), params, True).run()["container"] == "d" * 64


def test_pull_actions_in_community_shape() -> None:
    """actions_format: compose gives docker_compose_v2_pull's {what, id, status} list (cli: the docker commands)."""
    from ansible_collections.devops.docker.plugins.module_utils._compose._commands import ComposePull

    params = {k: v.get("default") for k, v in PULL_ARGS.items()}
    params.update(definition={"services": {"x": {"image": "dt-unit/missing:1"}}}, project_name="dt-unit", policy="missing")
    cli = ComposePull(FakeDaemon(), dict(params), True).run()
    assert cli["actions"] == ["docker image pull dt-unit/missing:1"] and cli["images"] == ["dt-unit/missing:1"]
    compose = ComposePull(FakeDaemon(), {**params, "actions_format": "compose"}, True).run()
    assert compose["actions"] == [{"what": "image", "id": "dt-unit/missing:1", "status": "Pulling"}]
