# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import os

import pytest

from ansible_collections.devops.docker.plugins.module_utils._compose._interpolate import interpolate
from ansible_collections.devops.docker.plugins.module_utils._compose._merge import merge_documents
from ansible_collections.devops.docker.plugins.module_utils._compose._normalize import parse_port, parse_volume
from ansible_collections.devops.docker.plugins.module_utils._compose._project import build_project, config_hash, load_project
from ansible_collections.devops.docker.plugins.module_utils._compose._read import find_files, parse_env_file
from ansible_collections.devops.docker.plugins.module_utils._compose._validate import ComposeError, normalize_project_name
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._ports import PortBinding

ENV = {"SET": "value", "EMPTY": "", "PORT": "8080", "NESTED": "inner"}


# ---------------------------------------------------------------- interpolation
@pytest.mark.parametrize(
    "text, expected",
    [
        ("plain", "plain"),
        ("$SET", "value"),
        ("${SET}", "value"),
        ("pre-${SET}-post", "pre-value-post"),
        ("$SET.txt", "value.txt"),
        ("$UNSET", ""),
        ("${UNSET}", ""),
        ("${UNSET:-default}", "default"),
        ("${EMPTY:-default}", "default"),
        ("${SET:-default}", "value"),
        ("${UNSET-default}", "default"),
        ("${EMPTY-default}", ""),
        ("${SET-default}", "value"),
        ("${SET:+alt}", "alt"),
        ("${EMPTY:+alt}", ""),
        ("${UNSET:+alt}", ""),
        ("${SET+alt}", "alt"),
        ("${EMPTY+alt}", "alt"),
        ("${UNSET+alt}", ""),
        ("$$", "$"),
        ("$$SET", "$SET"),
        ("$${SET}", "${SET}"),
        ("a $$ b", "a $ b"),
        ("${UNSET:-${SET}}", "value"),
        ("${UNSET:-${ALSO_UNSET:-deep}}", "deep"),
        ("${UNSET:-pre-${NESTED}-post}", "pre-inner-post"),
        ("${UNSET:-}", ""),
        ("${UNSET:-a:b}", "a:b"),
        ("127.0.0.1:${PORT:-80}:80", "127.0.0.1:8080:80"),
        ("${SET:?must be set}", "value"),
        ("${EMPTY?must be set}", ""),
        ("${UNSET:-a $$ b}", "a $ b"),
    ],
)
def test_interpolation(text, expected):
    assert interpolate(text, ENV) == expected


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("${UNSET:?needs a value}", "needs a value"),
        ("${EMPTY:?needs a value}", "EMPTY"),
        ("${UNSET?required}", "required"),
        ("${UNSET:?}", "is not set or empty"),
        ("${UNSET?}", "is not set"),
        ("${UNSET:-${OTHER:?inner error}}", "inner error"),
        ("${SET", "unclosed"),
        ("${UNSET:-abc", "unclosed"),
        ("${}", "variable name"),
        ("${1abc}", "variable name"),
        ("${SET!x}", "invalid interpolation"),
        ("cost $5", "literal dollar"),
        ("end $", "literal dollar"),
    ],
)
def test_interpolation_errors(text, fragment):
    with pytest.raises(ComposeError) as exc:
        interpolate({"services": {"web": {"image": text}}}, ENV)
    assert fragment in str(exc.value)
    assert "services.web.image" in str(exc.value)


def test_interpolation_values_not_keys_and_scalars_kept():
    doc = {"$SET": {"n": 1, "b": True, "l": ["$SET", None]}}
    assert interpolate(doc, ENV) == {"$SET": {"n": 1, "b": True, "l": ["value", None]}}


# ---------------------------------------------------------------- .env
def test_env_file_parsing():
    text = "\n".join(
        [
            "# comment",
            "",
            "A=1",
            "export B = two ",
            "C='single $A #not a comment'",
            'D="double $A\\n#x"',
            "E=unquoted # trailing comment",
            "F=${A}-${UNSET:-dflt}",
            "G=",
            "H",
            "I=a=b",
        ]
    )
    result = parse_env_file(text, {"H": "from-env"})
    assert result == {
        "A": "1",
        "B": "two",
        "C": "single $A #not a comment",
        "D": "double 1\n#x",
        "E": "unquoted",
        "F": "1-dflt",
        "G": "",
        "H": "from-env",
        "I": "a=b",
    }


@pytest.mark.parametrize("text", ["A='open", 'A="open', "not a line", "1A=x"])
def test_env_file_errors(text):
    with pytest.raises(ComposeError):
        parse_env_file(text)


def test_precedence_env_option_over_os_over_dotenv(tmp_path):
    (tmp_path / ".env").write_text("WHO=dotenv\nONLY_FILE=file\nBOTH=dotenv\nPORT=1\n")
    (tmp_path / "compose.yaml").write_text(
        "services:\n  web:\n    image: busybox\n    environment:\n"
        "      WHO: $WHO\n      ONLY_FILE: $ONLY_FILE\n      BOTH: $BOTH\n    ports: ['${PORT}:80']\n"
    )
    project = load_project(str(tmp_path), env={"WHO": "option", "PORT": 15501}, os_env={"BOTH": "os", "WHO": "os"})
    web = project.services["web"]
    assert web["environment"] == {"WHO": "option", "ONLY_FILE": "file", "BOTH": "os"}
    assert web["ports"][0]["published"] == 15501


# ---------------------------------------------------------------- merge
def _merge(*docs):
    return merge_documents([(f"f{i}", d) for i, d in enumerate(docs)])


def test_merge_rules():
    base = {
        "name": "one",
        "services": {
            "web": {
                "image": "a",
                "command": ["sh", "-c", "one"],
                "entrypoint": "x",
                "environment": ["A=1", "B=2"],
                "labels": {"l1": "a"},
                "ports": ["80", "81:81"],
                "expose": ["1"],
                "dns": ["1.1.1.1"],
                "cap_add": ["NET_ADMIN"],
                "volumes": ["data:/data", "/host:/cfg:ro"],
                "depends_on": ["db"],
                "networks": ["front"],
                "healthcheck": {"test": ["CMD", "a"], "interval": "5s"},
                "build": {"context": ".", "args": {"X": "1"}},
                "extra_hosts": ["h1:1.2.3.4"],
            },
            "db": {"image": "db"},
        },
        "networks": {"front": {"driver": "bridge", "labels": {"a": "1"}}},
    }
    over = {
        "name": "two",
        "services": {
            "web": {
                "image": "b",
                "command": "echo two",
                "environment": {"B": "3", "C": "4"},
                "labels": ["l2=b"],
                "ports": ["81:81", "82"],
                "expose": ["1", "2"],
                "dns": ["1.1.1.1"],
                "cap_add": ["NET_ADMIN", "SYS_TIME"],
                "volumes": [{"type": "bind", "source": "/other", "target": "/cfg"}],
                "depends_on": {"cache": {"condition": "service_healthy"}},
                "networks": {"back": {"aliases": ["w"]}},
                "healthcheck": {"test": ["CMD", "b"]},
                "build": {"args": ["Y=2"], "target": "prod"},
                "extra_hosts": {"h2": "5.6.7.8"},
            },
            "cache": {"image": "c"},
        },
        "networks": {"front": {"labels": {"b": "2"}}, "back": None},
    }
    merged = _merge(base, over)
    web = merged["services"]["web"]
    assert merged["name"] == "two"
    assert web["image"] == "b"
    assert web["command"] == "echo two"
    assert web["entrypoint"] == "x"
    assert web["environment"] == {"A": "1", "B": "3", "C": "4"}
    assert web["labels"] == {"l1": "a", "l2": "b"}
    assert web["ports"] == ["80", "81:81", "82"]
    assert web["expose"] == ["1", "2"]
    assert web["dns"] == ["1.1.1.1", "1.1.1.1"]  # dns keeps duplicates (spec)
    assert web["cap_add"] == ["NET_ADMIN", "SYS_TIME"]
    assert web["volumes"] == ["data:/data", {"type": "bind", "source": "/other", "target": "/cfg"}]
    assert web["depends_on"] == {"db": {"condition": "service_started"}, "cache": {"condition": "service_healthy"}}
    assert web["networks"] == {"front": None, "back": {"aliases": ["w"]}}
    assert web["healthcheck"] == {"test": ["CMD", "b"], "interval": "5s"}
    assert web["build"] == {"context": ".", "args": {"X": "1", "Y": "2"}, "target": "prod"}
    assert web["extra_hosts"] == {"h1": "1.2.3.4", "h2": "5.6.7.8"}
    assert set(merged["services"]) == {"web", "db", "cache"}
    assert merged["networks"] == {"front": {"driver": "bridge", "labels": {"a": "1", "b": "2"}}, "back": None}


def test_merge_does_not_modify_inputs():
    base = {"services": {"web": {"image": "a", "environment": {"A": "1"}}}}
    _merge(base, {"services": {"web": {"environment": {"B": "2"}}}})
    assert base == {"services": {"web": {"image": "a", "environment": {"A": "1"}}}}


def test_files_merged_in_order_with_override(tmp_path):
    (tmp_path / "docker-compose.yml").write_text("services:\n  web:\n    image: busybox\n    environment: [A=1]\n")
    (tmp_path / "docker-compose.override.yml").write_text("services:\n  web:\n    environment: [A=2]\n")
    (tmp_path / "extra.yml").write_text("services:\n  web:\n    environment: {A: '3'}\n")
    assert find_files(str(tmp_path), None) == [str(tmp_path / "docker-compose.yml"), str(tmp_path / "docker-compose.override.yml")]
    assert load_project(str(tmp_path), os_env={}).services["web"]["environment"] == {"A": "2"}
    project = load_project(str(tmp_path), files=["docker-compose.yml", "extra.yml"], os_env={})
    assert project.services["web"]["environment"] == {"A": "3"}
    assert project.config_files == [str(tmp_path / "docker-compose.yml"), str(tmp_path / "extra.yml")]
    assert project.name == normalize_project_name(tmp_path.name)


def test_file_preference(tmp_path):
    for fname in ("docker-compose.yaml", "docker-compose.yml", "compose.yml", "compose.yaml"):
        (tmp_path / fname).write_text("services: {web: {image: busybox}}\n")
    assert find_files(str(tmp_path), None) == [str(tmp_path / "compose.yaml")]


# ---------------------------------------------------------------- project name
@pytest.mark.parametrize(
    "option, top, expected",
    [
        ("My_App-1", "ignored", "my_app-1"),
        (None, "Top.Level Name", "toplevelname"),
        (None, None, "dirname"),
        ("-_x", None, "x"),
    ],
)
def test_project_name(tmp_path, option, top, expected):
    folder = tmp_path / "DirName"
    folder.mkdir()
    definition = {"services": {"web": {"image": "busybox"}}}
    if top:
        definition["name"] = top
    project = load_project(str(folder), definition=definition, project_name=option, os_env={})
    assert project.name == expected
    assert project.networks["default"]["name"] == f"{expected}_default"


def test_project_name_unusable():
    with pytest.raises(ComposeError, match="project_name"):
        load_project(definition={"services": {"web": {"image": "a"}}}, project_name="!!!", os_env={})


# ---------------------------------------------------------------- normalization
@pytest.mark.parametrize(
    "value, expected",
    [
        ("80", [(80, None, None, "tcp")]),
        (80, [(80, None, None, "tcp")]),
        ("8080:80", [(80, 8080, None, "tcp")]),
        ("127.0.0.1:8080:80", [(80, 8080, "127.0.0.1", "tcp")]),
        ("127.0.0.1::80", [(80, None, "127.0.0.1", "tcp")]),
        ("53:53/udp", [(53, 53, None, "udp")]),
        ("[::1]:8080:80", [(80, 8080, "::1", "tcp")]),
        ("8000-8001:80-81", [(80, 8000, None, "tcp"), (81, 8001, None, "tcp")]),
        # a host range for one container port stays whole: the Engine binds the first free port of it
        ("9000-9010:80", [(80, "9000-9010", None, "tcp")]),
        ("127.0.0.1:9000-9000:80", [(80, 9000, "127.0.0.1", "tcp")]),
        ({"target": 80, "published": "9000-9010"}, [(80, "9000-9010", None, "tcp")]),
        ({"target": "80-81", "published": "9000-9001"}, [(80, 9000, None, "tcp"), (81, 9001, None, "tcp")]),
        ({"target": 80, "published": "15500", "host_ip": "127.0.0.1"}, [(80, 15500, "127.0.0.1", "tcp")]),
        ({"target": 53, "protocol": "udp"}, [(53, None, None, "udp")]),
    ],
)
def test_ports(value, expected):
    got = [(p["target"], p["published"], p["host_ip"], p["protocol"]) for p in parse_port(value, "ports")]
    assert got == expected


@pytest.mark.parametrize(
    "value, fragment",
    [
        ("70000:80", "out of range"),
        ("80:0", "out of range"),
        ("99999", "out of range"),
        ("abc", "invalid container port"),
        ("80/icmp", "protocol"),
        ("82-80:80-82", "reversed"),
        ("8000-8002:80-81", "different lengths"),
        ({"published": 80}, "needs target"),
        ({"target": 80, "bogus": 1}, "ports.bogus is not supported"),
        (True, "is not a port spec"),
    ],
)
def test_port_errors(value, fragment):
    with pytest.raises(SpecError) as exc:
        parse_port(value, "ports")
    assert fragment in str(exc.value)


@pytest.mark.parametrize(
    "port, cli",
    [
        ({"target": 80, "published": None, "host_ip": None, "protocol": "tcp"}, "80"),
        ({"target": 80, "published": 8080, "host_ip": None, "protocol": "tcp"}, "8080:80"),
        ({"target": 80, "published": 8080, "host_ip": "127.0.0.1", "protocol": "tcp"}, "127.0.0.1:8080:80"),
        ({"target": 53, "published": 53, "host_ip": None, "protocol": "udp"}, "53:53/udp"),
        ({"target": 80, "published": 1, "host_ip": "::1", "protocol": "tcp"}, "[::1]:1:80"),
        ({"target": 80, "published": None, "host_ip": "127.0.0.1", "protocol": "tcp"}, "127.0.0.1::80"),
    ],
)
def test_port_cli_round_trip(port, cli):
    binding = PortBinding(port["target"], port["protocol"], port["host_ip"] or "", str(port["published"] or ""))
    assert binding.cli() == cli
    assert parse_port(cli, "p") == [port]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("data:/data", {"type": "volume", "source": "data", "target": "/data", "read_only": False, "nocopy": False}),
        ("data:/data:ro", {"type": "volume", "source": "data", "target": "/data", "read_only": True, "nocopy": False}),
        ("/anon", {"type": "volume", "source": None, "target": "/anon", "read_only": False, "nocopy": False}),
        ("./cfg:/etc/app:ro", {"type": "bind", "source": "/proj/cfg", "target": "/etc/app", "read_only": True, "create_host_path": True}),
        ("/abs:/x", {"type": "bind", "source": "/abs", "target": "/x", "read_only": False, "create_host_path": True}),
        ("../up:/x:rw", {"type": "bind", "source": "/up", "target": "/x", "read_only": False, "create_host_path": True}),
        (
            {"type": "bind", "source": "./a", "target": "/a", "read_only": True, "bind": {"create_host_path": False}},
            {"type": "bind", "source": "/proj/a", "target": "/a", "read_only": True, "create_host_path": False},
        ),
        (
            {"type": "volume", "source": "v", "target": "/v", "volume": {"nocopy": True}},
            {"type": "volume", "source": "v", "target": "/v", "read_only": False, "nocopy": True},
        ),
        (
            {"type": "tmpfs", "target": "/t", "tmpfs": {"size": "64m"}},
            {"type": "tmpfs", "source": None, "target": "/t", "read_only": False, "size": 64 * 1024**2},
        ),
    ],
)
def test_volumes(value, expected):
    assert parse_volume(value, "volumes", "/proj") == expected


@pytest.mark.parametrize(
    "value, fragment",
    [
        ("data:relative", "absolute path"),
        ("a:/b:xx", "unknown volume mode"),
        ("a:/b:ro:extra", "is not a volume"),
        ({"type": "npipe", "target": "/x"}, "not supported"),
        ({"type": "volume", "source": "v"}, "needs target"),
        ({"type": "bind", "target": "/x"}, "needs source"),
        ({"type": "tmpfs", "source": "x", "target": "/x"}, "no source"),
        ({"type": "volume", "target": "/x", "consistency": "x", "extra": 1}, "volumes.extra is not supported"),
    ],
)
def test_volume_errors(value, fragment):
    with pytest.raises(ComposeError) as exc:
        parse_volume(value, "volumes", "/proj")
    assert fragment in str(exc.value)


def _project(services, **top):
    return build_project({"services": services, **top}, "/proj", {"FROM_ENV": "env-value"}, "p")


def test_service_normalization_full():
    project = _project(
        {
            "web": {
                "image": "busybox",
                "command": "sh -c 'echo hi'",
                "entrypoint": ["/bin/sh"],
                "environment": ["A=1", "FROM_ENV", "MISSING", "EMPTY="],
                "labels": ["x=1", "y"],
                "ports": ["127.0.0.1:15500:80"],
                "expose": ["3000-3001", "53/udp"],
                "volumes": ["data:/data"],
                "networks": {"front": {"aliases": ["www"], "ipv4_address": "172.30.0.5"}},
                "depends_on": {"db": {"condition": "service_healthy"}},
                "healthcheck": {"test": "wget -q -O- http://127.0.0.1/", "interval": "1m30s", "timeout": "500ms", "retries": 3, "start_period": 2},
                "restart": "on-failure:3",
                "hostname": "web",
                "user": 1000,
                "working_dir": "/srv",
                "cap_add": ["SYS_TIME", "NET_ADMIN"],
                "privileged": True,
                "read_only": "true",
                "tmpfs": "/run",
                "extra_hosts": {"db.local": "10.0.0.1"},
                "logging": {"driver": "json-file", "options": {"max-size": "10m", "max-file": 3}},
                "deploy": {"resources": {"limits": {"memory": "256m", "cpus": "0.5"}}, "replicas": 1},
                "init": True,
                "stop_signal": "SIGINT",
                "stop_grace_period": "1m",
                "tty": True,
                "stdin_open": True,
                "x-custom": {"ignored": True},
            },
            "db": {"image": "mariadb", "healthcheck": {"test": ["NONE"]}},
        },
        networks={"front": {"ipam": {"config": [{"subnet": "172.30.0.0/24"}]}}},
        volumes={"data": None},
    )
    web = project.services["web"]
    assert web["command"] == ["sh", "-c", "echo hi"]
    assert web["entrypoint"] == ["/bin/sh"]
    assert web["environment"] == {"A": "1", "FROM_ENV": "env-value", "EMPTY": ""}
    assert web["labels"] == {"x": "1", "y": ""}
    assert web["ports"] == [{"target": 80, "published": 15500, "host_ip": "127.0.0.1", "protocol": "tcp"}]
    assert web["expose"] == ["3000/tcp", "3001/tcp", "53/udp"]
    assert web["networks"] == {"front": {"aliases": ["www"], "ipv4_address": "172.30.0.5"}}
    assert web["depends_on"] == {"db": {"condition": "service_healthy", "required": True, "restart": False}}
    assert web["healthcheck"] == {
        "test": ["CMD-SHELL", "wget -q -O- http://127.0.0.1/"], "interval": 90.0, "timeout": 0.5, "retries": 3, "start_period": 2.0,
    }
    assert web["restart"] == "on-failure:3"
    assert web["user"] == "1000"
    assert web["cap_add"] == ["NET_ADMIN", "SYS_TIME"]
    assert web["privileged"] is True and web["read_only"] is True
    assert web["tmpfs"] == ["/run"]
    assert web["extra_hosts"] == ["db.local:10.0.0.1"]
    assert web["logging"] == {"driver": "json-file", "options": {"max-size": "10m", "max-file": "3"}}
    assert web["memory"] == 256 * 1024**2 and web["cpus"] == 0.5
    assert web["init"] is True and web["stop_grace_period"] == 60.0
    assert web["scale"] == 1
    assert project.services["db"]["healthcheck"] == {"disable": True}
    assert project.services["db"]["networks"] == {"default": {"aliases": [], "ipv4_address": None}}
    assert project.networks["front"]["name"] == "p_front"
    assert project.networks["front"]["ipam"]["config"] == [{"subnet": "172.30.0.0/24"}]
    assert project.networks["default"]["name"] == "p_default"
    assert project.volumes["data"]["name"] == "p_data"
    assert project.order() == ["db", "web"]


def test_build_and_env_file(tmp_path):
    (tmp_path / "app.env").write_text("FROM_FILE=1\nOVERRIDDEN=file\n")
    project = build_project(
        {
            "services": {
                "app": {
                    "build": {"context": "./app", "dockerfile": "Dockerfile.prod", "args": ["BASE_IMAGE=debian", "FROM_ENV", "NOT_SET"], "target": "run"},
                    "env_file": "app.env",
                    "environment": {"OVERRIDDEN": "env"},
                },
                "short": {"build": "./short", "image": "named:1"},
            }
        },
        str(tmp_path),
        {"FROM_ENV": "x"},
        "p",
    )
    app = project.services["app"]
    assert app["build"]["context"] == str(tmp_path / "app")
    assert app["build"]["dockerfile"] == "Dockerfile.prod"
    assert app["build"]["args"] == {"BASE_IMAGE": "debian", "FROM_ENV": "x"}
    assert app["build"]["target"] == "run"
    assert app["image"] is None
    assert app["environment"] == {"FROM_FILE": "1", "OVERRIDDEN": "env"}
    assert project.services["short"]["build"]["context"] == str(tmp_path / "short")


def test_scale_and_replicas():
    project = _project({"a": {"image": "x", "scale": 3}, "b": {"image": "x", "deploy": {"replicas": 0}}})
    assert project.services["a"]["scale"] == 3
    assert project.services["b"]["scale"] == 0


def test_profiles():
    services = {"web": {"image": "x"}, "debug": {"image": "x", "profiles": ["debug"], "depends_on": ["web"]}}
    assert set(_project(services).services) == {"web"}
    project = build_project({"services": services}, "/proj", {}, "p", profiles=["debug"])
    assert set(project.services) == {"web", "debug"}


def test_order_and_dependencies():
    project = _project(
        {
            "job": {"image": "x", "depends_on": {"db": {"condition": "service_healthy"}}},
            "backend": {"image": "x", "depends_on": {"db": {"condition": "service_healthy"}, "job": {"condition": "service_completed_successfully"}}},
            "db": {"image": "x"},
            "other": {"image": "x"},
        }
    )
    assert project.order() == ["db", "job", "backend", "other"]
    assert project.order(["backend"]) == ["db", "job", "backend"]
    assert project.order(["job"]) == ["db", "job"]
    with pytest.raises(ComposeError, match="'nope' is not a service"):
        project.order(["nope"])


def test_config_hash_changes_with_config_only():
    a = _project({"web": {"image": "x", "environment": {"A": "1"}}}).services["web"]
    b = _project({"web": {"image": "x", "environment": {"A": "1"}, "scale": 2}}).services["web"]
    c = _project({"web": {"image": "x", "environment": {"A": "2"}}}).services["web"]
    assert config_hash(a) == config_hash(b)
    assert config_hash(a) != config_hash(c)
    assert len(config_hash(a)) == 64


# ---------------------------------------------------------------- errors
@pytest.mark.parametrize(
    "doc, fragment",
    [
        ({"services": {"web": {"image": "x", "configs": ["a"]}}}, "services.web.configs: 'a' is not declared"),
        ({"services": {"web": {"image": "x", "secrets": ["a"]}}}, "services.web.secrets: 'a' is not declared"),
        ({"services": {"web": {"image": "x", "cpu_count": 2}}}, "services.web.cpu_count is not supported by devops.docker.compose (Windows"),
        ({"services": {"web": {"image": "x", "deploy": {"bogus": 1}}}}, "services.web.deploy.bogus is not supported"),
        ({"services": {"web": {"build": {"context": ".", "secrets": ["s"]}}}},
         "services.web.build.secrets is not supported by devops.docker.compose (needs BuildKit"),
        ({"services": {"web": {"image": "x", "cpu_count": 2, "bogus": 1, "build": {"ssh": ["default"]}}}}, "3 keys of the Compose file cannot be honoured"),
        ({"services": {"web": {"image": "x", "healthcheck": {"test": "x", "bogus": 1}}}}, "healthcheck.bogus is not supported"),
        ({"services": {"web": {"image": "x"}}, "bogus_top": {}}, "compose file.bogus_top is not supported"),
        ({"services": {"web": {"image": "x", "secrets": ["s"]}}, "secrets": {"s": {"external": True}}}, "external secrets exist only in a Swarm"),
        ({"services": {"web": {"image": "x"}}, "networks": {"n": {"bogus": 1}}}, "networks.n.bogus is not supported"),
        ({"services": {"web": {"image": "x"}}, "volumes": {"v": {"bogus": 1}}}, "volumes.v.bogus is not supported"),
        ({"services": {"web": {"image": "x", "depends_on": ["ghost"]}}}, "service 'ghost' is not defined"),
        (
            {"services": {"a": {"image": "x", "depends_on": ["b"]}, "b": {"image": "x", "depends_on": ["c"]}, "c": {"image": "x", "depends_on": ["a"]}}},
            "dependency cycle a -> b -> c -> a",
        ),
        ({"services": {"a": {"image": "x", "depends_on": ["a"]}}}, "dependency cycle a -> a"),
        ({"services": {"web": {"image": "x", "ports": ["70000:80"]}}}, "out of range"),
        ({"services": {"web": {"image": "x", "ports": ["15500:80", "15500:81"]}}}, "published twice"),
        ({"services": {"web": {"image": "x", "ports": ["15500:80"], "scale": 2}}}, "would conflict"),
        ({"services": {"web": {"image": "x", "container_name": "c", "scale": 2}}}, "allows only one container"),
        ({"services": {"web": {"image": "x", "scale": 2, "deploy": {"replicas": 3}}}}, "disagree"),
        ({"services": {"web": {"image": "x", "scale": -1}}}, "non-negative"),
        ({"services": {"web": {}}}, "needs image or build"),
        ({"services": {"web": {"image": "x", "volumes": ["undeclared:/x"]}}}, "named volume 'undeclared' is not declared"),
        ({"services": {"web": {"image": "x", "networks": ["ghostnet"]}}}, "network 'ghostnet' is not declared"),
        ({"services": {"web": {"image": "x", "restart": "sometimes"}}}, "services.web.restart"),
        ({"services": {"web": {"image": "x", "depends_on": {"db": {"condition": "soon"}}}, "db": {"image": "x"}}}, "condition"),
        ({"services": {"web": {"image": "x", "network_mode": "host", "networks": ["default"]}}}, "cannot both"),
        ({"services": {"web": {"image": "x", "network_mode": "service:db"}}}, "service 'db' is not defined"),
        ({"services": {"web": {"image": "x", "healthcheck": {"test": ["BAD", "x"]}}}}, "CMD, CMD-SHELL or NONE"),
        ({"services": {"web": {"image": "x", "healthcheck": {"interval": "soon"}}}}, "healthcheck.interval"),
        ({"services": {"web": {"image": "x", "deploy": {"resources": {"limits": {"memory": "lots"}}}}}}, "memory"),
        ({"services": {"web": {"image": "x", "cpus": "many"}}}, "cpus"),
        ({"services": {"web": {"image": "x", "command": "sh -c 'unclosed"}}}, "services.web.command"),
        ({"services": {"web": {"image": "x", "privileged": "maybe"}}}, "services.web.privileged"),
        ({"services": {"bad name": {"image": "x"}}}, "invalid service name"),
        ({"services": {}}, "no service is defined"),
        ({"services": {"web": {"image": "x"}}, "networks": {"e": {"external": True, "driver": "bridge"}}}, "external network"),
    ],
)
def test_errors(doc, fragment):
    with pytest.raises(SpecError) as exc:
        build_project(doc, "/proj", {}, "p")
    assert fragment in str(exc.value)


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("services: [unclosed", "is not valid YAML"),
        ("services:\n  web:\n\timage: x\n", "is not valid YAML"),
        ("- just\n- a list\n", "must be a mapping"),
        ("services:\n  web: plain-string\n", "services.web must be a mapping"),
        ("services:\n  web:\n    image: ${IMG:?set IMG}\n", "set IMG"),
    ],
)
def test_file_errors(tmp_path, text, fragment):
    (tmp_path / "compose.yaml").write_text(text)
    with pytest.raises(ComposeError) as exc:
        load_project(str(tmp_path), os_env={})
    assert fragment in str(exc.value)


def test_missing_files(tmp_path):
    with pytest.raises(ComposeError, match="no Compose file"):
        load_project(str(tmp_path), os_env={})
    with pytest.raises(ComposeError, match="does not exist"):
        load_project(str(tmp_path), files=["nope.yml"], os_env={})
    with pytest.raises(ComposeError, match="not a directory"):
        load_project(str(tmp_path / "nope"), os_env={})
    with pytest.raises(ComposeError, match="mutually exclusive"):
        load_project(str(tmp_path), files=["a"], definition={}, os_env={})
    with pytest.raises(ComposeError, match="cannot read env_file"):
        build_project({"services": {"web": {"image": "x", "env_file": "missing.env"}}}, str(tmp_path), {}, "p")


def test_external_objects_keep_their_names():
    project = _project(
        {"web": {"image": "x", "networks": ["ext", "named"], "volumes": ["vol:/v", "legacy:/l"]}},
        networks={"ext": {"external": True}, "named": {"name": "custom-net"}},
        volumes={"vol": {"external": True, "name": "real-vol"}, "legacy": {"external": {"name": "old-style"}}},
    )
    assert project.networks["ext"] == dict(project.networks["ext"], name="ext", external=True)
    assert project.networks["named"]["name"] == "custom-net" and not project.networks["named"]["external"]
    assert project.volumes["vol"]["name"] == "real-vol" and project.volumes["vol"]["external"]
    assert project.volumes["legacy"]["name"] == "old-style"
    assert "default" not in project.networks


def test_definition_relative_to_project_src(tmp_path):
    project = load_project(str(tmp_path), definition={"services": {"w": {"image": "x", "volumes": ["./d:/d"]}}}, os_env={})
    assert project.services["w"]["volumes"][0]["source"] == os.path.join(str(tmp_path), "d")
