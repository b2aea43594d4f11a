# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import datetime as dt

import pytest

from ansible_collections.devops.docker.plugins.module_utils._client import DockerError
from ansible_collections.devops.docker.plugins.module_utils._container._info import ContainerInfo
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._filters import (
    container_filters as normalize_filters,
    filters_to_cli,
    parse_tail,
    parse_timestamp,
)
from ansible_collections.devops.docker.plugins.module_utils._values._secrets import (
    container_secret_values as secret_values,
    redact_container,
    secret_keys_of,
)
from ansible_collections.devops.docker.plugins.module_utils._values._streams import iter_frames, split_output
from ansible_collections.devops.docker.tests.unit.conftest import FakeDaemon, FakeResponse


def secret_env_keys(doc):
    return secret_keys_of((doc.get("Config") or {}).get("Labels"))


def frame(kind: int, payload: bytes) -> bytes:
    return bytes([kind, 0, 0, 0]) + len(payload).to_bytes(4, "big") + payload


# ---------------------------------------------------------------- filters
@pytest.mark.parametrize(
    "given, expected",
    [
        (None, {}),
        ({}, {}),
        ({"status": "running"}, {"status": ["running"]}),
        ({"status": ["running", "exited"]}, {"status": ["running", "exited"]}),
        ({"label": "app=web"}, {"label": ["app=web"]}),
        ({"label": {"app": "web", "tier": None}}, {"label": ["app=web", "tier"]}),
        ({"exited": 0}, {"exited": ["0"]}),
        ({"is-task": False}, {"is-task": ["false"]}),
        ({"name": ["dt-a", "dt-b"]}, {"name": ["dt-a", "dt-b"]}),
    ],
)
def test_normalize_filters(given, expected):
    assert normalize_filters(given) == expected


@pytest.mark.parametrize(
    "given, words",
    [
        ({"colour": "red"}, ["unknown container filter", "'colour'", "status"]),
        ({"status": "sleeping"}, ["filters.status", "sleeping", "running"]),
        ({"label": None}, ["filters.label", "value is required"]),
    ],
)
def test_normalize_filters_errors(given, words):
    with pytest.raises((DockerError, SpecError)) as err:
        normalize_filters(given)
    for word in words:
        assert word in err.value.msg


def test_filters_to_cli_is_sorted_and_repeats_keys():
    assert filters_to_cli({"status": ["exited"], "label": ["a=1", "b"]}) == [
        "--filter", "label=a=1", "--filter", "label=b", "--filter", "status=exited",
    ]


# ---------------------------------------------------------------- timestamps
NOW = 1_700_000_000.0


@pytest.mark.parametrize(
    "given, expected",
    [
        (None, None),
        ("", None),
        (1700000000, "1700000000.000000000"),
        ("1700000000", "1700000000.000000000"),
        ("1700000000.5", "1700000000.500000000"),
        (1700000000.25, "1700000000.250000000"),
        ("10m", "1699999400.000000000"),
        ("1h30m", "1699994600.000000000"),
        ("500ms", "1699999999.500000000"),
        ("2023-11-14T22:13:20Z", "1700000000.000000000"),
        ("2023-11-14T23:13:20+01:00", "1700000000.000000000"),
        ("2023-11-14T22:13:20.5Z", "1700000000.500000000"),
    ],
)
def test_parse_timestamp(given, expected):
    assert parse_timestamp(given, "since", now=NOW) == expected


def test_parse_timestamp_without_zone_is_local_time():
    local = dt.datetime(2024, 5, 1, 10, 0, 0).astimezone()
    assert parse_timestamp("2024-05-01T10:00:00", "since") == f"{int(local.timestamp())}.000000000"
    assert parse_timestamp("2024-05-01", "since") == f"{int(local.replace(hour=0).timestamp())}.000000000"


@pytest.mark.parametrize("given", ["yesterday", "10 minutes", True, "2024-13-45", "-5", "10x"])
def test_parse_timestamp_errors_name_the_option(given):
    with pytest.raises((DockerError, SpecError)) as err:
        parse_timestamp(given, "until", now=NOW)
    assert err.value.msg.startswith("until:")


@pytest.mark.parametrize("given, expected", [(None, "all"), ("all", "all"), ("ALL", "all"), (0, "0"), (20, "20"), ("5", "5")])
def test_parse_tail(given, expected):
    assert parse_tail(given) == expected


@pytest.mark.parametrize("given", [-1, "ten", True, "1.5"])
def test_parse_tail_errors(given):
    with pytest.raises((DockerError, SpecError)) as err:
        parse_tail(given)
    assert "tail:" in err.value.msg


# ---------------------------------------------------------------- log frames
def test_frames_keep_order_and_streams():
    data = frame(1, b"out1\n") + frame(2, b"err1\n") + frame(1, b"out2\n")
    assert list(iter_frames(data)) == [(1, b"out1\n"), (2, b"err1\n"), (1, b"out2\n")]
    parts = split_output(data, tty=False)
    assert parts == {"stdout": "out1\nout2\n", "stderr": "err1\n", "output": "out1\nerr1\nout2\n"}


def test_empty_frames_and_empty_stream():
    assert split_output(b"", tty=False) == {"stdout": "", "stderr": "", "output": ""}
    assert split_output(frame(1, b""), tty=False)["stdout"] == ""


def test_tty_stream_is_not_demultiplexed():
    # A TTY stream that happens to start with a byte 1 must not be read as frames.
    data = b"\x01\x00\x00\x00\x00\x00\x00\x03abc"
    assert split_output(data, tty=True) == {"stdout": data.decode(), "stderr": "", "output": data.decode()}
    assert split_output(b"hello\r\n", tty=True)["stdout"] == "hello\r\n"


def test_unframed_bytes_come_out_as_stdout():
    assert list(iter_frames(b"plain text")) == [(1, b"plain text")]
    assert split_output(frame(2, b"e") + b"tail", tty=False) == {"stdout": "tail", "stderr": "e", "output": "etail"}


def test_stdin_frames_count_as_stdout_and_bad_utf8_is_replaced():
    parts = split_output(frame(0, b"in") + frame(2, b"\xff"), tty=False)
    assert parts["stdout"] == "in"
    assert parts["stderr"] == "\ufffd"


def test_large_frame():
    payload = b"x" * 100_000
    assert split_output(frame(1, payload), tty=False)["stdout"] == payload.decode()


# ---------------------------------------------------------------- secrets
def inspect_doc(env, label=None, cmd=None):
    labels = {"app": "web"}
    if label is not None:
        labels["devops.docker.secret-env-keys"] = label
    return {
        "Id": "abc",
        "Args": cmd or [],
        "Config": {"Env": env, "Labels": labels, "Cmd": cmd or []},
    }


def test_secret_env_keys_from_label():
    assert secret_env_keys(inspect_doc([], "A, B,,C")) == ["A", "B", "C"]
    assert secret_env_keys(inspect_doc([])) == []
    assert secret_env_keys({}) == []


def test_redact_container_env_and_elsewhere():
    doc = inspect_doc(["PATH=/bin", "DB_PASSWORD=hunter2hunter2", "TOKEN=xy", "EMPTY="], "DB_PASSWORD,TOKEN,EMPTY",
                      cmd=["sh", "-c", "login hunter2hunter2"])
    red = redact_container(doc)
    assert red["Config"]["Env"] == ["PATH=/bin", "DB_PASSWORD=********", "TOKEN=********", "EMPTY=********"]
    assert red["Args"] == ["sh", "-c", "login ********"]
    assert red["Config"]["Cmd"][2] == "login ********"
    # short secrets are only redacted in Env, never searched elsewhere
    assert red["Id"] == "abc"
    assert "hunter2" not in repr(red)
    # the original is untouched
    assert doc["Config"]["Env"][1] == "DB_PASSWORD=hunter2hunter2"


def test_redact_container_without_label_is_identity():
    doc = inspect_doc(["PASSWORD=x"])
    assert redact_container(doc) is doc
    assert redact_container(None) is None
    assert redact_container({}) == {}


def test_redact_container_explicit_keys():
    doc = inspect_doc(["A=secret-value", "B=visible"])
    assert redact_container(doc, ["A"])["Config"]["Env"] == ["A=********", "B=visible"]


# ---------------------------------------------------------------- the reader, on a fake API
def fake_daemon(containers=None, listed=None, logs=b"", log_status=200):
    """The shared fake daemon with the containers (by name) and the planned answers of the list and the logs."""
    answers = {("GET", "/containers/json"): listed or []}
    for doc in (containers or {}).values():
        answers[("GET", f"/containers/{doc['Id']}/logs")] = FakeResponse(logs, log_status)
    return FakeDaemon(containers=[{**doc, "Name": "/" + name} for name, doc in (containers or {}).items()],
                      answers=answers)


def params(**kw):
    base = {"name": None, "all": False, "filters": None, "inspect": False, "logs": False, "tail": "all",
            "since": None, "until": None, "timestamps": False}
    base.update(kw)
    return base


def test_one_missing_container_inspects_once():
    api = fake_daemon()
    res = ContainerInfo(api, params(name="dt-x", logs=True)).run()
    assert res["exists"] is False and res["container"] == {}
    assert "logs" not in res
    assert api.calls == [("GET", "/containers/dt-x")]
    assert res["actions"] == ["docker container inspect dt-x"]


def test_one_container_with_logs():
    doc = {"Id": "id1", "Config": {"Tty": False, "Env": ["S=topsecret"], "Labels": {"devops.docker.secret-env-keys": "S"}}}
    api = fake_daemon({"dt-x": doc}, logs=frame(1, b"a\nb\n") + frame(2, b"oops\n"))
    res = ContainerInfo(api, params(name="dt-x", logs=True, tail=1, since="1700000000", timestamps=True)).run()
    assert res["exists"] is True
    assert res["container"]["Config"]["Env"] == ["S=********"]
    assert res["logs"] == {"stdout": "a\nb\n", "stderr": "oops\n", "output": "a\nb\noops\n"}
    assert res["logs_lines"]["stdout"] == ["a", "b"]
    method, path, query = api.queries[-1]
    assert (method, path) == ("GET", "/containers/id1/logs")
    assert query["tail"] == "1" and query["since"] == "1700000000.000000000" and query["timestamps"] is True
    assert res["actions"][-1] == "docker logs --tail 1 --since 1700000000 --timestamps dt-x"


def test_logs_of_an_unreadable_driver_is_a_clear_error():
    doc = {"Id": "id1", "Config": {}, "HostConfig": {"LogConfig": {"Type": "none"}}}
    api = fake_daemon({"dt-x": doc}, log_status=501)
    with pytest.raises((DockerError, SpecError)) as err:
        ContainerInfo(api, params(name="dt-x", logs=True)).run()
    assert "'none' log driver" in err.value.msg


def test_bad_input_is_rejected_before_any_request():
    api = fake_daemon()
    for bad in (params(name="x", logs=True, tail="x"), params(filters={"nope": 1}), params(logs=True),
                params(name="x", since="tomorrow")):
        with pytest.raises((DockerError, SpecError)):
            ContainerInfo(api, bad).run()
    assert api.calls == []


def test_many_with_filters_and_inspect():
    listed = [{"Id": "id1", "Names": ["/dt-a"]}, {"Id": "gone", "Names": ["/dt-b"]}]
    api = fake_daemon({"id1": {"Id": "id1", "Config": {}}}, listed=listed)
    res = ContainerInfo(api, params(all=True, filters={"label": {"app": "x"}}, inspect=True)).run()
    assert api.queries[0] == ("GET", "/containers/json", {"all": True, "filters": {"label": ["app=x"]}})
    assert res["containers"] == [{"Id": "id1", "Name": "/id1", "Config": {}}]  # a container removed meanwhile is left out
    assert res["actions"][0] == "docker ps --all --filter label=app=x --no-trunc"


def test_many_without_inspect_returns_the_list():
    api = fake_daemon(listed=[{"Id": "id1"}])
    res = ContainerInfo(api, params()).run()
    assert res == {"exists": True, "containers": [{"Id": "id1"}], "actions": ["docker ps --no-trunc"]}
    assert api.queries == [("GET", "/containers/json", {"all": False, "filters": None})]


def test_secret_values_longest_first_and_min_len():
    doc = inspect_doc(["A=abcd", "B=abcdefgh", "C=x", "D=public"], "A,B,C")
    assert secret_values(doc) == ["abcdefgh", "abcd", "x"]
    assert secret_values(None) == []


def test_logs_that_print_a_secret_are_redacted():
    doc = {"Id": "id1", "Config": {"Tty": True, "Env": ["S=topsecret", "T=ab"],
                                   "Labels": {"devops.docker.secret-env-keys": "S,T"}}}
    api = fake_daemon({"dt-x": doc}, logs=b"token is topsecret, ab\n")
    res = ContainerInfo(api, params(name="dt-x", logs=True)).run()
    assert res["logs"]["stdout"] == "token is ********, ********\n"
    assert res["logs_lines"]["output"] == ["token is ********, ********"]
