# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.devops.docker.plugins.module_utils._client import DockerError
from ansible_collections.devops.docker.plugins.module_utils._container._exec import (
    ExecRunner,
    env_list,
    exec_cli,
    exit_hint,
    parse_upgrade_head,
    split_command,
    tty_eof,
)


@pytest.mark.parametrize(
    "given, expected",
    [
        ("ls -l /", ["ls", "-l", "/"]),
        ("  echo   'a b'  \"c d\" ", ["echo", "a b", "c d"]),
        ("sh -c 'echo $HOME > /tmp/x'", ["sh", "-c", "echo $HOME > /tmp/x"]),
        (r"echo a\ b", ["echo", "a b"]),
        ("echo ''", ["echo", ""]),
        (["echo", "a b", "$HOME"], ["echo", "a b", "$HOME"]),
        (["sleep", 5], ["sleep", "5"]),
        (["test", True], ["test", "true"]),
        (("id",), ["id"]),
        (42, ["42"]),
    ],
)
def test_split_command(given, expected):
    assert split_command(given) == expected


@pytest.mark.parametrize(
    "given, words",
    [
        (None, ["command:", "required"]),
        ("", ["command:", "empty"]),
        ("   ", ["command:", "empty"]),
        ([], ["command:", "list is empty"]),
        ("echo 'unclosed", ["command:", "close the quote"]),
        (["echo", None], ["command:", "must be a string"]),
        (["echo", ["nested"]], ["command:", "must be a string"]),
    ],
)
def test_split_command_errors(given, words):
    with pytest.raises(DockerError) as err:
        split_command(given)
    for word in words:
        assert word in err.value.msg


@pytest.mark.parametrize(
    "given, expected",
    [
        (None, []),
        ({}, []),
        ({"A": "1", "B": 2, "C": True, "D": False, "E": None, "F": "x=y"}, ["A=1", "B=2", "C=true", "D=false", "E=", "F=x=y"]),
    ],
)
def test_env_list(given, expected):
    assert env_list(given) == expected


@pytest.mark.parametrize("given", [{"": "x"}, {"A=B": "x"}, {"A": {"b": 1}}, {"A": [1]}])
def test_env_list_errors_name_the_option(given):
    with pytest.raises(DockerError) as err:
        env_list(given, "secret_env")
    assert err.value.msg.startswith("secret_env")


def test_exec_cli_never_shows_env_values():
    argv = exec_cli("dt-c", ["sh", "-c", "echo hi"], user="nobody", workdir="/app", env_keys=["A", "SECRET"],
                    interactive=True, tty=True, detach=False, privileged=True)
    assert argv == ["docker", "exec", "--interactive", "--tty", "--privileged", "--user", "nobody", "--workdir", "/app",
                    "--env", "A", "--env", "SECRET", "dt-c", "sh", "-c", "echo hi"]
    assert exec_cli("c", ["true"], detach=True) == ["docker", "exec", "--detach", "c", "true"]


@pytest.mark.parametrize(
    "head, status, headers",
    [
        (b"HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade",
         101, {"content-type": "application/vnd.docker.raw-stream", "connection": "Upgrade"}),
        (b"HTTP/1.1 404 Not Found\r\nContent-Length: 42", 404, {"content-length": "42"}),
        (b"HTTP/1.0 200 OK", 200, {}),
    ],
)
def test_parse_upgrade_head(head, status, headers):
    assert parse_upgrade_head(head) == (status, headers)


def test_parse_upgrade_head_rejects_garbage():
    with pytest.raises(DockerError):
        parse_upgrade_head(b"SSH-2.0-OpenSSH")


@pytest.mark.parametrize(
    "rc, output, words",
    [
        (126, 'exec: "nosuch": executable file not found in $PATH', "does not exist"),
        (126, 'chdir to cwd ("/nope") set in config.json failed', "workdir"),
        (126, "unable to find user bob: no matching entries in passwd file", "user does not exist"),
        (126, "", "could not be run"),
        (127, "", "command not found"),
        (3, "", ""),
    ],
)
def test_exit_hint(rc, output, words):
    hint = exit_hint(rc, output)
    assert words in hint
    if not words:
        assert hint == ""


# ---------------------------------------------------------------- validation before any request
class NoAPI:
    """Fails the test if anything talks to the daemon."""

    timeout = 60
    base_url = "unix:///nowhere"

    def __getattr__(self, name):
        raise AssertionError(f"the daemon was contacted ({name}) before the input was validated")


def params(**kw):
    base = {"container": "dt-c", "command": ["true"], "user": None, "workdir": None, "env": None, "secret_env": None,
            "stdin": None, "stdin_add_newline": True, "tty": False, "detach": False, "privileged": False,
            "strip_empty_ends": True}
    base.update(kw)
    return base


@pytest.mark.parametrize(
    "bad, word",
    [
        (params(command=""), "command:"),
        (params(env={"A=B": 1}), "env:"),
        (params(secret_env={"": 1}), "secret_env:"),
        (params(stdin="x", detach=True), "stdin:"),
        (params(workdir="relative/dir"), "workdir:"),
    ],
)
def test_bad_input_fails_before_the_daemon_is_contacted(bad, word):
    with pytest.raises(DockerError) as err:
        ExecRunner(NoAPI(), bad).run()
    assert err.value.msg.startswith(word)


class StateAPI:
    def __init__(self, container):
        self.container = container

    def inspect_container(self, name):
        return self.container


@pytest.mark.parametrize(
    "container, words",
    [
        (None, ["no container named 'dt-c'", "state: started"]),
        ({"Id": "x", "State": {"Status": "exited", "Running": False}}, ["'dt-c' is exited", "running container"]),
        ({"Id": "x", "State": {"Status": "paused", "Running": True, "Paused": True}}, ["is paused", "Unpause"]),
        ({"Id": "x", "State": {"Status": "created", "Running": False}}, ["is created"]),
    ],
)
def test_container_must_exist_and_run(container, words):
    with pytest.raises(DockerError) as err:
        ExecRunner(StateAPI(container), params()).run()
    for word in words:
        assert word in err.value.msg


def test_check_mode_skips_and_reports_the_action():
    api = StateAPI({"Id": "cid", "State": {"Status": "running", "Running": True}})
    res = ExecRunner(api, params(command="touch /x", env={"K": "v"}, secret_env={"S": "hush"}), check_mode=True).run()
    assert res["changed"] is False and res["skipped"] is True
    assert res["actions"] == ["docker exec --env K --env S dt-c touch /x"]
    assert "hush" not in repr(res) and "'v'" not in repr(res)
    assert res["cmd"] == ["touch", "/x"]


@pytest.mark.parametrize("data, eof", [(b"", b"\x04"), (b"line\n", b"\x04"), (b"partial", b"\x04\x04")])
def test_tty_eof(data, eof):
    assert tty_eof(data) == eof
