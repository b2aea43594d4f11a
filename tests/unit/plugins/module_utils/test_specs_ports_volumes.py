# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the container spec parsers: ports, volumes, mounts, tmpfs, restart policy, healthcheck."""

from __future__ import annotations

import pytest

from ansible_collections.devops.docker.plugins.module_utils._values._env import parse_env_file
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._healthcheck import parse_healthcheck
from ansible_collections.devops.docker.plugins.module_utils._values._mounts import (
    normalize_bind,
    normalize_mount,
    parse_mount,
    parse_tmpfs,
    parse_volume,
    parse_volumes,
)
from ansible_collections.devops.docker.plugins.module_utils._values._ports import (
    PortBinding,
    normalize_port_bindings,
    parse_port,
    parse_ports,
    port_bindings,
)
from ansible_collections.devops.docker.plugins.module_utils._values._runtime import (
    normalize_link,
    parse_link,
    parse_restart_policy,
)
from ansible_collections.devops.docker.plugins.module_utils._values._units import parse_duration, parse_size


@pytest.mark.parametrize("spec, expected", [
    ("80", [PortBinding(80, "tcp", "", "")]),
    (80, [PortBinding(80, "tcp", "", "")]),
    ("8080:80", [PortBinding(80, "tcp", "", "8080")]),
    ("127.0.0.1:5001:5000", [PortBinding(5000, "tcp", "127.0.0.1", "5001")]),
    ("127.0.0.1::80", [PortBinding(80, "tcp", "127.0.0.1", "")]),
    ("53:53/udp", [PortBinding(53, "udp", "", "53")]),
    ("53:53/UDP", [PortBinding(53, "udp", "", "53")]),
    ("9/sctp", [PortBinding(9, "sctp", "", "")]),
    ("[::1]:8080:80", [PortBinding(80, "tcp", "::1", "8080")]),
    ("[::1]::80/udp", [PortBinding(80, "udp", "::1", "")]),
    ("15100-15101:80-81", [PortBinding(80, "tcp", "", "15100"), PortBinding(81, "tcp", "", "15101")]),
    ("127.0.0.1:15100-15101:80-81/udp",
     [PortBinding(80, "udp", "127.0.0.1", "15100"), PortBinding(81, "udp", "127.0.0.1", "15101")]),
    ("80-82", [PortBinding(80, "tcp", "", ""), PortBinding(81, "tcp", "", ""), PortBinding(82, "tcp", "", "")]),
    ("8000-8010:80", [PortBinding(80, "tcp", "", "8000-8010")]),
])
def test_parse_port(spec, expected):
    assert parse_port(spec) == expected


@pytest.mark.parametrize("spec, message", [
    ("", "empty"),
    ("abc", "invalid container port"),
    ("80:abc", "invalid container port"),
    ("0:80", "out of range"),
    ("70000", "out of range"),
    ("80/icmp", "unknown protocol"),
    ("1.2.3:80:80", "invalid host IP"),
    ("::1:80:80", "too many ':'"),
    ("[::1]80:80", "brackets"),
    ("8000-8002:80-81", "different lengths"),
    ("90-80", "reversed"),
    (":80", "empty host port"),
    (True, "not a port spec"),
    ({"a": 1}, "not a port spec"),
])
def test_parse_port_errors(spec, message):
    with pytest.raises(SpecError) as exc:
        parse_port(spec, "ports")
    assert message in str(exc.value)
    assert str(exc.value).startswith("ports")


def test_ports_to_api_and_normalize():
    bindings = parse_ports(["127.0.0.1:15100:80", "15101:80", "53:53/udp", "127.0.0.1:15100:80"])
    api = port_bindings(bindings)
    assert api == {
        "80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "15100"}, {"HostIp": "", "HostPort": "15101"}],
        "53/udp": [{"HostIp": "", "HostPort": "53"}],
    }
    # what the daemon stores may list them in another order, with 0.0.0.0 for "all"
    stored = {
        "80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "15101"}, {"HostIp": "127.0.0.1", "HostPort": "15100"}],
        "53/udp": [{"HostIp": "", "HostPort": "53"}],
    }
    assert normalize_port_bindings(stored) == normalize_port_bindings(api)
    assert normalize_port_bindings(None) == {}


@pytest.mark.parametrize("spec, kind, source, target, modes", [
    ("data:/data", "volume", "data", "/data", ()),
    ("data:/data:ro", "volume", "data", "/data", ("ro",)),
    ("data:/data:rw", "volume", "data", "/data", ()),
    ("my_vol.1:/var/lib/x/", "volume", "my_vol.1", "/var/lib/x", ()),
    ("/srv/www:/www:ro", "bind", "/srv/www", "/www", ("ro",)),
    ("/srv/www/:/www:z,ro", "bind", "/srv/www", "/www", ("ro", "z")),
    ("./site:/www", "bind", "/base/site", "/www", ()),
    ("../site:/www", "bind", "/site", "/www", ()),
    ("/data", "anonymous", "", "/data", ()),
])
def test_parse_volume(spec, kind, source, target, modes):
    parsed = parse_volume(spec, base_dir="/base")
    assert (parsed.kind, parsed.source, parsed.target, parsed.modes) == (kind, source, target, modes)


def test_parse_volume_home_and_bind_text(monkeypatch):
    monkeypatch.setenv("HOME", "/home/me")
    parsed = parse_volume("~/data:/data:ro")
    assert parsed.source == "/home/me/data"
    assert parsed.bind() == "/home/me/data:/data:ro"
    assert parsed.read_only


def test_parse_volume_relative_defaults_to_cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert parse_volume("./x:/x").source == str(tmp_path / "x")


@pytest.mark.parametrize("spec, message", [
    ("", "not a volume spec"),
    (None, "not a volume spec"),
    ("data:relative", "must be absolute"),
    ("data:/", "cannot be mounted on '/'"),
    ("a:/b:ro:x", "too many ':'"),
    ("data:/data:rx", "unknown mode"),
    ("data:/data:ro,rw", "both 'ro' and 'rw'"),
    ("bad name!:/data", "neither a volume name"),
    (":/data:ro", "empty source"),
])
def test_parse_volume_errors(spec, message):
    with pytest.raises(SpecError) as exc:
        parse_volume(spec, "volumes")
    assert message in str(exc.value)


def test_parse_volumes_duplicate_target():
    with pytest.raises(SpecError, match="mounted twice"):
        parse_volumes(["a:/data", "b:/data"])


@pytest.mark.parametrize("stored, normal", [
    ("data:/data", "data:/data"),
    ("data:/data:rw", "data:/data"),
    ("/x:/y:Z,ro", "/x:/y:Z,ro"),
    ("/x:/y:ro,Z", "/x:/y:Z,ro"),
])
def test_normalize_bind(stored, normal):
    assert normalize_bind(stored) == normal


def test_parse_mount_kinds():
    assert parse_mount({"type": "volume", "source": "data", "target": "/data/", "read_only": True}) == {
        "Type": "volume", "Source": "data", "Target": "/data", "ReadOnly": True}
    assert parse_mount({"type": "bind", "source": "rel", "target": "/x", "propagation": "rshared"}, base_dir="/b") == {
        "Type": "bind", "Source": "/b/rel", "Target": "/x", "BindOptions": {"Propagation": "rshared"}}
    assert parse_mount({"type": "tmpfs", "target": "/t", "tmpfs_size": "64m", "tmpfs_mode": "1777"}) == {
        "Type": "tmpfs", "Target": "/t", "TmpfsOptions": {"SizeBytes": 64 * 1024 * 1024, "Mode": 0o1777}}
    # what the daemon returns with empty members compares equal
    stored = {"Type": "volume", "Source": "data", "Target": "/data", "ReadOnly": True, "VolumeOptions": {}}
    assert normalize_mount(stored) == normalize_mount(parse_mount({"source": "data", "target": "/data", "read_only": True}))


@pytest.mark.parametrize("mount, message", [
    ("x", "not a mapping"),
    ({"type": "nfs", "target": "/x"}, "not one of"),
    ({"type": "bind", "target": "/x"}, "needs a source"),
    ({"type": "volume", "target": "x"}, "absolute"),
    ({"type": "tmpfs", "source": "a", "target": "/x"}, "takes no source"),
    ({"target": "/x", "colour": "red"}, "unknown key"),
    ({"type": "tmpfs", "target": "/x", "tmpfs_mode": "9z"}, "octal"),
])
def test_parse_mount_errors(mount, message):
    with pytest.raises(SpecError, match=message):
        parse_mount(mount)


@pytest.mark.parametrize("value, expected", [
    (None, {}),
    (["/run:size=64m", "/tmp"], {"/run": "size=64m", "/tmp": ""}),
    ({"/run": "size=1m", "/x": None}, {"/run": "size=1m", "/x": ""}),
])
def test_parse_tmpfs(value, expected):
    assert parse_tmpfs(value) == expected


def test_parse_tmpfs_error():
    with pytest.raises(SpecError, match="absolute"):
        parse_tmpfs(["run"])


@pytest.mark.parametrize("value, retries, expected", [
    (None, None, {"Name": "no", "MaximumRetryCount": 0}),
    ("no", None, {"Name": "no", "MaximumRetryCount": 0}),
    (False, None, {"Name": "no", "MaximumRetryCount": 0}),
    ("always", None, {"Name": "always", "MaximumRetryCount": 0}),
    ("unless-stopped", None, {"Name": "unless-stopped", "MaximumRetryCount": 0}),
    ("on-failure", None, {"Name": "on-failure", "MaximumRetryCount": 0}),
    ("on-failure:5", None, {"Name": "on-failure", "MaximumRetryCount": 5}),
    ("on-failure", 3, {"Name": "on-failure", "MaximumRetryCount": 3}),
])
def test_parse_restart_policy(value, retries, expected):
    assert parse_restart_policy(value, retries) == expected


@pytest.mark.parametrize("value, retries, message", [
    ("sometimes", None, "not a restart policy"),
    ("always:3", None, "only on-failure takes a count"),
    ("on-failure:x", None, "only on-failure takes a count"),
    ("always", 3, "only applies to on-failure"),
    ("on-failure:2", 3, "disagree"),
])
def test_parse_restart_policy_errors(value, retries, message):
    with pytest.raises(SpecError, match=message):
        parse_restart_policy(value, retries)


@pytest.mark.parametrize("value, expected", [
    (None, None),
    ({"disable": True}, {"Test": ["NONE"]}),
    ({"test": "wget -q -O- http://localhost/"}, {"Test": ["CMD-SHELL", "wget -q -O- http://localhost/"]}),
    ({"test": ["CMD", "true"], "interval": "5s", "retries": 3},
     {"Test": ["CMD", "true"], "Interval": 5_000_000_000, "Retries": 3}),
    ({"test": ["true"], "timeout": "1m30s", "start_period": "500ms"},
     {"Test": ["CMD", "true"], "Timeout": 90_000_000_000, "StartPeriod": 500_000_000}),
    ({"interval": 10}, {"Interval": 10_000_000_000}),
])
def test_parse_healthcheck(value, expected):
    assert parse_healthcheck(value) == expected


@pytest.mark.parametrize("value, message", [
    ("true", "mapping"),
    ({"test": "x", "every": "5s"}, "unknown key"),
    ({"test": "x", "interval": "5 parsecs"}, "not a duration"),
    ({"test": ["CMD"]}, "names no command"),
    ({"test": "x", "retries": "many"}, "whole number"),
])
def test_parse_healthcheck_errors(value, message):
    with pytest.raises(SpecError, match=message):
        parse_healthcheck(value)


@pytest.mark.parametrize("value, expected", [
    ("db", ("db", "db")),
    ("db:database", ("db", "database")),
    ("/db:/web/database", ("db", "web/database")),
])
def test_parse_link(value, expected):
    if "/" in expected[1]:
        with pytest.raises(SpecError):
            parse_link(value)
    else:
        assert parse_link(value) == expected


@pytest.mark.parametrize("stored, normal", [("/db:/web/database", "db:database"), ("db:database", "db:database"), ("db", "db:db")])
def test_normalize_link(stored, normal):
    assert normalize_link(stored) == normal


def test_parse_env_file():
    text = "# comment\n\nA=1\nB=with=equals\nC=\nFROM_ENV\nNOT_SET\n  D=indented\n"
    assert parse_env_file(text, environ={"FROM_ENV": "x"}) == {"A": "1", "B": "with=equals", "C": "", "FROM_ENV": "x", "D": "indented"}
    with pytest.raises(SpecError, match="line 1"):
        parse_env_file("BAD KEY=1", environ={})


@pytest.mark.parametrize("value, expected", [
    ("512m", 512 * 1024 ** 2), ("1g", 1024 ** 3), ("1.5GB", int(1.5 * 1024 ** 3)), ("64k", 65536),
    (1024, 1024), ("1024", 1024), (None, None), ("", None),
])
def test_parse_size(value, expected):
    assert parse_size(value, "memory") == expected


@pytest.mark.parametrize("value", ["lots", "-1m", True, -5, "1x"])
def test_parse_size_errors(value):
    with pytest.raises(SpecError, match="memory"):
        parse_size(value, "memory")


@pytest.mark.parametrize("value, expected", [
    ("30s", 30.0), ("1m30s", 90.0), ("500ms", 0.5), ("2h", 7200.0), (10, 10.0), ("10", 10.0), (None, None),
])
def test_parse_duration(value, expected):
    assert parse_duration(value, "interval") == expected


@pytest.mark.parametrize("value", ["soon", "10 s", "1d", True, -1])
def test_parse_duration_errors(value):
    with pytest.raises(SpecError, match="interval"):
        parse_duration(value, "interval")
