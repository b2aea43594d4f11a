# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hostile input never crashes a module: every module's ``main()`` is run with hostile values for each of
its options (and one level of sub-options), derived from its argument spec, against an in-memory daemon
that answers every request (nothing exists yet; a create succeeds).

Each run must end in ``fail_json`` or a normal exit. A failure is:

- an exception escaping ``main()``, or a ``fail_json`` that is ``errors()``' "Unexpected error" (a bug);
- a message longer than ``MAX_MSG`` (a 1 MB value echoed whole) or an empty one;
- the secret's text anywhere in the result (a ``no_log`` option's value, ``data``, a secret-named env value);
- a ``fail_json`` after a write to the daemon that the fake daemon did not cause (a half-made change).

The table of hostile values is per option type (``VALUES``) plus per kind of option recognised by its name
(``KINDS``: images, ports, sizes, durations, addresses, paths); a run is one (option, value) over a base
task that is valid for the module (``BASE``).
"""

from __future__ import annotations

import importlib
import io
import json
import pathlib
import tarfile
import typing as t

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.devops.docker.plugins.module_utils import _client, _limits
from ansible_collections.devops.docker.plugins.module_utils._values import _errors, _runtime

MODULES_DIR = pathlib.Path(__file__).resolve().parents[4] / "plugins" / "modules"
MODULES = sorted(p.stem for p in MODULES_DIR.glob("*.py") if p.stem != "__init__")

SECRET = "Zq9-hunter2-s3cret-Xv"
SECRET_MARK = "hunter2"  # any part of the secret long enough to tell
MAX_MSG = 4000
BIG = "A" * (1 << 20)

# -- hostile values per option type -------------------------------------------------------------------
TEXT = ["", BIG, "a\x00b", "a\nb\rc", "x; rm -rf /", "$(id)", "`id`", "ünï©ødé ☃ \u202e", "../../etc/passwd",
        "--help", "-", "*", "a b", "%s%n{0}", ["a", None], {"k": None}, 10 ** 40, -1, 1.5, True]
INT = ["abc", "", [1], {"a": 1}, 10 ** 40, -(10 ** 40), -1, 0, 1.5, "1e999", "nan", True, None]
FLOAT = ["abc", [1.0], {"a": 1}, 1e308, -1e308, "1e999", "inf", "nan", -1]
BOOL = ["maybe", [True], {"a": 1}, 2, ""]
LIST = ["a,b", "", [None], [[None]], [{"a": None}], [{}], [1, 2], [""], [BIG], ["x; rm -rf /", "$(id)"],
        {"a": 1}, [["a", "b"]], [{"name": None, "x": [None]}]]
DICT = ["notadict", "a=b", "", [1], [None], {"": "x"}, {"a": None}, {"a": [None]}, {"a": {"b": None}},
        {"a=b": "c"}, {"a\x00": "b"}, {"a b": "$(id)"}, {"k": BIG}, {"x" * 5000: "v"}, {"1": 2, "true": False}]
PATH = ["", "../../etc/passwd", "a\x00b", "does/not/exist", ".", "..", "~nobody-here/x", "a\nb", BIG[:5000],
        "/proc/self/nonexistent"]
VALUES: dict[str, list[t.Any]] = {"str": TEXT, "int": INT, "float": FLOAT, "bool": BOOL, "list": LIST,
                                  "dict": DICT, "path": PATH, "raw": TEXT + DICT[:4] + LIST[:4], "jsonarg": TEXT[:6]}

# -- hostile values per kind of option, recognised by its name -------------------------------------------
IMAGES = ["UPPER/case", "a@sha256:xyz", ":tag", "image:", "a::b", "@", "/a", "a//b", "a:" + "t" * 200,
          "localhost:99999/a", "a" * 300]
PORTS = ["70000", "-1", "1-", "a:b:c:d", "0", "1-70000", "127.0.0.1:80:80:80", "[::1", "80/sctpx", ":::", "8080-8070",
         70000, -1, "999999999999999999999"]
SIZES = ["-1", "10x", "1e999", "1.5.5g", "k", "99999999999999999999999999g", "-5m", " ", "0x10"]
DURATIONS = ["-5s", "1y", "1e999s", "s", "5", "99999999999999h", "1.5.5s", "-1"]
ADDRESSES = ["300.1.1.1", "10.0.0.0/33", "10.0.0.0/-1", "::g", "1.2.3", "10.0.0.1/24/1", "localhost", "a:b:c",
             "10.0.0.0/0x"]
KINDS: list[tuple[tuple[str, ...], list[t.Any]]] = [
    (("image", "repository", "cache_from", "name_image", "from_image", "names"), IMAGES),
    (("port", "expose", "publish"), PORTS),
    (("memory", "shm_size", "size", "swap", "kernel_memory", "limit", "reservation", "blkio", "bps", "tmpfs"), SIZES),
    (("interval", "timeout", "period", "grace", "delay", "until", "since", "window", "monitor", "start_interval"),
     DURATIONS),
    (("subnet", "gateway", "ip_range", "ipv4", "ipv6", "address", "addr", "ip", "dns", "aux", "cidr"), ADDRESSES),
]

# A valid task per module: its required options, and what gets it past the first step (a project, a state).
DEFINITION = {"services": {"web": {"image": "devops-test/busybox", "command": ["sleep", "60"]}}}
BASE: dict[str, dict[str, t.Any]] = {
    "compose": {"project_name": "dt-fuzz", "definition": DEFINITION},
    "compose_exec": {"project_name": "dt-fuzz", "definition": DEFINITION, "service": "web", "command": "true"},
    "compose_pull": {"project_name": "dt-fuzz", "definition": DEFINITION},
    "compose_run": {"project_name": "dt-fuzz", "definition": DEFINITION, "service": "web", "command": "true"},
    "config": {"name": "dt-fuzz", "data": SECRET},
    "container": {"name": "dt-fuzz", "image": "devops-test/busybox", "secret_env": {"DB_PASSWORD": SECRET}},
    "container_copy_into": {"container": "dt-fuzz", "container_path": "/tmp/x", "content": SECRET, "mode": 0o600},
    "container_exec": {"container": "dt-fuzz", "command": "true", "secret_env": {"TOKEN": SECRET}},
    "docker_image_build": {"name": "dt-fuzz", "path": "ctx"},
    "docker_node_info": {"name": "dt-fuzz"},
    "docker_swarm_service_info": {"name": "dt-fuzz"},
    "docker_image_export": {"names": ["dt-fuzz"], "path": "out.tar"},
    "docker_image_load": {"path": "in.tar"},
    "docker_image_pull": {"name": "dt-fuzz"},
    "docker_image_push": {"name": "dt-fuzz"},
    "docker_image_remove": {"name": "dt-fuzz"},
    "docker_image_tag": {"name": "dt-fuzz", "repository": ["dt-fuzz:two"]},
    "image": {"name": "dt-fuzz", "source": "local"},
    "login": {"registry_url": "127.0.0.1:5999", "username": "u", "password": SECRET, "config_path": "docker.json"},
    "network": {"name": "dt-fuzz"},
    "node": {"hostname": "dt-fuzz"},
    "registry_info": {"url": "127.0.0.1:5999", "username": "u", "password": SECRET},
    "secret": {"name": "dt-fuzz", "data": SECRET},
    "service": {"name": "dt-fuzz", "image": "devops-test/busybox", "secret_env": {"API_TOKEN": SECRET}},
    "stack": {"name": "dt-fuzz", "definition": DEFINITION},
    "stack_task_info": {"name": "dt-fuzz"},
    "swarm": {"state": "present"},
    "volume": {"name": "dt-fuzz"},
}
# Options not fuzzed: connecting elsewhere is DockerAPI's constructor's job, checked with its own values below.
SKIP = {"docker_host", "ca_path", "client_cert", "client_key", "tls_hostname", "use_ssh_client"}


class Exited(BaseException):
    """exit_json or fail_json, with its result (as SystemExit, never caught by a module's own handler)."""

    def __init__(self, result: dict[str, t.Any], failed: bool) -> None:
        super().__init__(result)
        self.result = result
        self.failed = failed


class Stuck(Exception):
    """A module that waits forever on a daemon that never changes."""


class FuzzResponse:
    def __init__(self, data: t.Any, status: int = 200) -> None:
        self.status = status
        self.headers = {"Api-Version": "1.45", "Content-Type": "application/json"}
        payload = data if isinstance(data, bytes) else json.dumps(data).encode()
        self.raw = io.BytesIO(payload)

    def read(self) -> bytes:
        return self.raw.read()

    def json(self) -> t.Any:
        data = self.read()
        return json.loads(data) if data else None

    def iter_json(self) -> t.Iterator[t.Any]:
        data = self.json()
        yield from (data if isinstance(data, list) else [data] if data else [])

    def iter_raw(self, size: int = 65536) -> t.Iterator[bytes]:
        yield from iter(lambda: self.raw.read(size), b"")

    def close(self) -> None:
        pass


LISTS = {"/containers/json": [], "/images/json": [], "/networks": [], "/services": [], "/tasks": [], "/nodes": [],
         "/secrets": [], "/configs": [], "/plugins": [], "/volumes": {"Volumes": [], "Warnings": []},
         "/system/df": {"Containers": [], "Images": [], "Volumes": [], "BuildCache": [], "LayersSize": 0},
         "/_ping": b"OK", "/version": {"Version": "26.1.0", "ApiVersion": "1.45", "Os": "linux", "Arch": "amd64"},
         "/info": {"Swarm": {"LocalNodeState": "active", "NodeID": "n" * 25, "ControlAvailable": True},
                   "LoggingDriver": "json-file", "OSType": "linux",
                   "Plugins": {"Network": ["bridge", "host", "macvlan", "overlay"], "Volume": ["local"]}},
         "/swarm": {"ID": "s" * 25,
                    "Spec": {"Orchestration": {}, "Raft": {}, "Dispatcher": {}, "CAConfig": {}, "TaskDefaults": {},
                             "EncryptionConfig": {}, "Labels": {}},
                    "JoinTokens": {"Worker": "SWMTKN-1-w", "Manager": "SWMTKN-1-m"}, "Version": {"Index": 1}},
         # the one object that exists: a running container, for exec and copy_into
         "/containers/dt-fuzz/json": {
             "Id": "c" * 64, "Name": "/dt-fuzz", "Image": "sha256:" + "a" * 64, "State": {"Status": "running", "Running": True},
             "Config": {"Image": "devops-test/busybox", "Env": ["PATH=/bin"], "Cmd": ["sh"], "Labels": {}},
             "HostConfig": {"NetworkMode": "bridge", "RestartPolicy": {"Name": "no"}},
             "NetworkSettings": {"Networks": {"bridge": {"NetworkID": "b" * 64}}}, "Mounts": []},
         "/nodes/dt-fuzz": {"ID": "n" * 25, "Version": {"Index": 1},
                            "Spec": {"Role": "worker", "Availability": "active", "Labels": {}},
                            "Description": {"Hostname": "dt-fuzz"}, "Status": {"State": "ready"}}}
FAKE_404 = "fuzz: no such object"
LOGGED: list[str] = []  # what the module logged (debug: true logs its actions and diff)


class FuzzAPI(_client.DockerAPI):
    """The real client's constructor (so the connection options are checked), an in-memory daemon behind it."""

    writes: list[tuple[str, str]] = []
    made: dict[str, t.Any] = {}  # networks and volumes created in this run, by path

    def request(self, method: str, path: str, params: t.Any = None, body: t.Any = None, headers: t.Any = None,
                timeout: t.Any = None, expect: tuple[int, ...] = ()) -> t.Any:
        json.dumps(params, default=str)  # what the real client would send must be encodable
        if isinstance(body, (dict, list)):
            json.dumps(body)
        path = path.split("?")[0]
        if path.startswith("/v1."):
            path = "/" + path.split("/", 2)[2]
        if method == "GET":
            if path in LISTS:
                return FuzzResponse(LISTS[path])
            if path in FuzzAPI.made:
                return FuzzResponse(FuzzAPI.made[path])
            if path.endswith("/logs") or path.endswith("/archive") or path.endswith("/get"):
                return FuzzResponse(b"")
            if path.startswith("/images/") and path.endswith("/json"):  # every image is there
                return FuzzResponse({"Id": "sha256:" + "a" * 64, "RepoTags": [path[8:-5]], "RepoDigests": [],
                                     "Config": {"Env": ["PATH=/bin"], "Cmd": ["sh"], "Labels": None}, "Os": "linux"})
            if 404 in expect:
                return FuzzResponse({"message": FAKE_404}, 404)
            raise _client.NotFound(404, FAKE_404, method, path)
        if method == "HEAD":
            raise _client.NotFound(404, FAKE_404, method, path)
        if path not in ("/images/create", "/auth", "/build") and not path.endswith("/exec"):  # a pull, a login, a
            # build, an exec made change no object
            FuzzAPI.writes.append((method, path))
        if path in ("/networks/create", "/volumes/create") and isinstance(body, dict) and body.get("Name"):
            made = {"Id": "e" * 64, "Driver": "bridge", "Scope": "local", "IPAM": {"Driver": "default", "Config": []},
                    "Containers": {}, "Options": {}, "Labels": {}, "Mountpoint": "/x", **body}
            made["Scope"] = "swarm" if made.get("Driver") == "overlay" else "local"
            FuzzAPI.made[path[:-7] + "/" + body["Name"]] = made
        if path.endswith("/create") or path.endswith("/exec"):
            return FuzzResponse({"Id": "f" * 64, "ID": "f" * 64, "Name": "dt-fuzz", "Warnings": []}, 201)
        return FuzzResponse({})


def module_spec(name: str) -> dict[str, t.Any]:
    """The module's whole argument spec, as its main() hands it to AnsibleModule."""
    module = importlib.import_module(f"ansible_collections.devops.docker.plugins.modules.{name}")
    seen: dict[str, t.Any] = {}

    def record(_self: t.Any, argument_spec: dict[str, t.Any], *_a: t.Any, **_kw: t.Any) -> t.NoReturn:
        seen.update(_client.DOCKER_COMMON_ARGS)
        seen.update(argument_spec)
        raise Stuck()

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_client.DockerModule, "__init__", record)
        with pytest.raises(Stuck):
            module.main()
    return seen


def hostile(option: str, spec: dict[str, t.Any]) -> list[t.Any]:
    """The hostile values of one option: its type's, its kind's (by name), and its choices' neighbours."""
    kind = spec.get("type", "str")
    values = list(VALUES.get(kind, TEXT))
    elements = spec.get("elements")
    for words, more in KINDS:
        if any(w in option for w in words):
            if kind == "list":
                values += [[v] for v in more]
            elif kind == "dict":
                values += [{"x": v} for v in more[:3]]
            else:
                values += more
    if elements and elements != "dict":
        values += [[v] for v in VALUES.get(elements, TEXT) if not isinstance(v, (list, dict))][:8]
    if spec.get("choices"):
        values += ["not-a-choice", str(spec["choices"][0]).upper()]
    if spec.get("no_log"):  # a secret in a bad shape is still a secret
        values += [SECRET + "\x00", "'" + SECRET, SECRET * 2, [SECRET], {"K": SECRET}, {"K": [SECRET]}]  # (a secret_env key is a name)
    return values


def sub_cases(option: str, spec: dict[str, t.Any]) -> list[tuple[str, t.Any]]:
    """One level of sub-options: each sub-option hostile, the required ones valid."""
    subs = spec.get("options") or {}
    out = []
    for sub, sub_spec in subs.items():
        required = {k: ("1" if v.get("type", "str") in ("str", "raw") else 1 if v.get("type") == "int" else ["1"])
                    for k, v in subs.items() if v.get("required") and k != sub}
        for value in hostile(sub, sub_spec)[:18]:
            item = {**required, sub: value}
            out.append((f"{option}.{sub}", [item] if spec.get("type") == "list" else item))
    return out


def run(name: str, args: dict[str, t.Any], check_mode: bool = False) -> tuple[dict[str, t.Any], bool, list[t.Any]]:
    """main() with args; (result, failed, writes). Anything else escaping main() propagates."""
    module = importlib.import_module(f"ansible_collections.devops.docker.plugins.modules.{name}")
    FuzzAPI.writes = []
    FuzzAPI.made = {}
    LOGGED.clear()
    sleeps = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) > 50:
            raise Stuck(f"slept {len(sleeps)} times")

    def exit_json(_self: t.Any, **result: t.Any) -> t.NoReturn:
        raise Exited(result, False)

    def fail_json(_self: t.Any, msg: str = "", **result: t.Any) -> t.NoReturn:
        raise Exited({"msg": msg, **result}, True)

    def log(_self: t.Any, msg: str, *_a: t.Any, **_kw: t.Any) -> None:
        LOGGED.append(msg)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_client, "DockerAPI", FuzzAPI)
        mp.setattr(_client.AnsibleModule, "exit_json", exit_json)
        mp.setattr(_client.AnsibleModule, "fail_json", fail_json)
        mp.setattr(_client.AnsibleModule, "log", log)
        mp.setattr("time.sleep", sleep)
        with patch_module_args({**args, "_ansible_check_mode": check_mode}):
            try:
                module.main()
            except Exited as done:
                return done.result, done.failed, list(FuzzAPI.writes)
    raise AssertionError(f"{name}: main() returned without exit_json or fail_json")


def problem(name: str, args: dict[str, t.Any], label: str) -> str | None:
    """What is wrong with running the module on args, or None."""
    try:
        result, failed, writes = run(name, args)
    except Exception as exc:  # pylint: disable=broad-exception-caught
        return f"{label}: {type(exc).__name__} escaped main(): {str(exc)[:200]}"
    text = json.dumps(result, default=str) + "\n".join(LOGGED)
    msg = str(result.get("msg") or "")
    if SECRET_MARK in text:
        return f"{label}: the secret is in the result: {text[max(0, text.find(SECRET_MARK) - 150):][:300]}"
    if failed:
        if "Unexpected error" in msg or result.get("exception"):
            return f"{label}: {msg[:300]}"
        if not msg.strip():
            return f"{label}: failed without a message"
        if len(msg) > MAX_MSG:
            return f"{label}: a message of {len(msg)} characters: {msg[:200]}"
        if writes and FAKE_404 not in msg:
            return f"{label}: failed after changing the daemon ({writes}): {msg[:200]}"
    return None


def short(value: t.Any) -> str:
    text = repr(value)
    return text if len(text) < 60 else text[:57] + "..."


def cases(name: str) -> list[tuple[str, dict[str, t.Any]]]:
    spec = module_spec(name)
    base = BASE.get(name, {})
    out = []
    for option, option_spec in sorted(spec.items()):
        if option in SKIP:
            continue
        for value in hostile(option, option_spec):
            out.append((f"{option}={short(value)}", {**base, option: value}))
        for label, value in sub_cases(option, option_spec):
            out.append((f"{label}={short(value)}", {**base, option: value}))
    return out


@pytest.fixture
def workdir(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> pathlib.Path:
    """Deep inside a scratch folder (so ``../../etc/passwd`` stays in it), HOME there too, a build context and
    an archive in place."""
    work = tmp_path / "a" / "b" / "c"
    (work / "ctx").mkdir(parents=True)
    (work / "ctx" / "Dockerfile").write_text("FROM scratch\n")
    with tarfile.open(work / "in.tar", "w"):
        pass
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "passwd").write_text("root:x:0:0::/root:/bin/sh\n")
    monkeypatch.chdir(work)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    # what goes around the client (an exec's stream) reaches no daemon
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-daemon.sock")
    for var in ("DOCKER_CONFIG", "DOCKER_CERT_PATH", "DOCKER_TLS", "DOCKER_TLS_VERIFY"):
        monkeypatch.delenv(var, raising=False)
    return work


@pytest.mark.parametrize("name", MODULES)
def test_base_task_runs(name: str, workdir: pathlib.Path) -> None:
    """The base task itself is handled: without this the fuzzing below would test nothing."""
    msg = problem(name, BASE.get(name, {}), "base")
    assert msg is None, msg
    msg = problem(name, {**BASE.get(name, {}), "debug": True}, "base with debug: true (logs)")
    assert msg is None, msg


@pytest.mark.parametrize("name", MODULES)
def test_hostile_values_fail_cleanly(name: str, workdir: pathlib.Path) -> None:
    found = []
    for label, args in cases(name):
        msg = problem(name, args, label)
        if msg:
            found.append(msg)
    assert not found, f"{name}: {len(found)} bad runs:\n" + "\n".join(found[:60])


CONNECTION = {"docker_host": ["", "nope", "tcp://", "unix://", "ssh://", "tcp://[::1", "http://a:b:c", "\x00", BIG[:3000],
                              ["x"]],
              "api_version": ["", "x", "1.x", "0.1", "99.99", [1]],
              "timeout": [-1, 0, 10 ** 40, "x"]}


@pytest.mark.parametrize("option", sorted(CONNECTION))
def test_connection_options_fail_cleanly(option: str, workdir: pathlib.Path) -> None:
    found = []
    for value in CONNECTION[option]:
        msg = problem("volume_info", {option: value}, f"{option}={short(value)}")
        if msg:
            found.append(msg)
    assert not found, "\n".join(found)


def test_every_module_and_option_is_reached() -> None:
    """The table reaches every module file, every option but the connection ones, and thousands of runs."""
    assert len(MODULES) >= 34
    total = 0
    for name in MODULES:
        spec = module_spec(name)
        runs = cases(name)
        reached = {label.split("=", 1)[0].split(".", 1)[0] for label, _args in runs}
        assert reached == set(spec) - SKIP, name
        total += len(runs)
    assert total > 10000


def test_value_rules_behind_the_fixes() -> None:
    """The value-layer rules the fixes use, each on its own."""
    cut = _errors.shorten_message(f"ports: {BIG!r} is not a port")
    assert len(cut) < 200 and "1048576 characters" in cut and cut.startswith("ports: 'AAAA")
    assert _errors.shorten_message("short message") == "short message"
    spec = {"healthcheck": {"type": "dict", "options": {"test": {"type": "raw"}}},
            "mounts": {"type": "list", "elements": "dict", "options": {"tmpfs": {"type": "dict", "options": {"size": {}}}}}}
    assert _errors.sub_option_shapes(spec, {"healthcheck": [1], "mounts": [{"tmpfs": [None]}]}) == ["healthcheck", "mounts[0].tmpfs"]
    assert _errors.sub_option_shapes(spec, {"healthcheck": {"test": "x"}, "mounts": [{"tmpfs": {"size": 1}}]}) == []
    assert _errors.nul_paths({"p": {"type": "path"}, "l": {"type": "list", "elements": "path"}},
                             {"p": "ok", "l": ["a", "b\x00"]}) == ["l"]
    with pytest.raises(_errors.SpecError, match="131072"):
        _runtime.command_argv(["A" * 131073], "command")
    assert _runtime.command_argv("sleep 60", "command") == ["sleep", "60"]
    with pytest.raises(_errors.SpecError, match="extra_hosts"):
        _runtime.parse_extra_hosts(5)
    for bad in ("inf", "nan", "1e999", 10 ** 40):
        with pytest.raises(_errors.SpecError, match="healthy_wait_timeout"):
            _limits.check_seconds_float(bad, "healthy_wait_timeout")
    assert _limits.check_seconds_float("-1", "t") == -1.0
    with pytest.raises(_errors.SpecError, match="timeout"):
        _limits.check_timeout(-1)
    assert _limits.check_timeout(60) == 60
