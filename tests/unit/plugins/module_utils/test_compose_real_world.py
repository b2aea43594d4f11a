# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Compose loader on the shapes published projects write (small files of our own under
fixtures/compose/real_world/, each the shape of a case a real-world file showed): typed values written as
strings or variables, the obsolete top-level version, ports and volumes in every form..."""

from __future__ import annotations

import os
import re

import pytest

from ansible_collections.devops.docker.plugins.module_utils._compose._interpolate import cast_types
from ansible_collections.devops.docker.plugins.module_utils._compose._project import load_project
from ansible_collections.devops.docker.plugins.module_utils._compose._validate import ComposeError

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "compose", "real_world")


def _load(folder: str, **kwargs):
    kwargs.setdefault("os_env", {})
    return load_project(project_src=os.path.join(FIXTURES, folder), **kwargs)


# ---------------------------------------------------------------- typed strings
def test_variables_where_the_spec_types_numbers_and_booleans():
    project = _load("typed_strings")
    cache = project.services["cache"]
    assert cache["healthcheck"]["retries"] == 4  # retries: $CHECK_RETRIES, through a merge key
    assert cache["healthcheck"]["interval"] == 15.0
    assert cache["read_only"] is True and cache["init"] is True
    assert cache["container"]["ulimits"] == ["nofile=2048", "nproc=512:4096"]
    assert [(p["target"], p["published"]) for p in cache["ports"]] == [(6379, 17311)]
    assert cache["depends_on"]["store"]["required"] is False
    store = project.services["store"]
    assert store["scale"] == 2
    assert store["volumes"][0]["read_only"] is False
    assert project.volumes["data"]["external"] is False


@pytest.mark.parametrize(
    "doc, expected",
    [
        ({"services": {"a": {"healthcheck": {"retries": " 3 "}}}}, {"services": {"a": {"healthcheck": {"retries": 3}}}}),
        ({"services": {"a": {"privileged": "On"}}}, {"services": {"a": {"privileged": True}}}),
        ({"services": {"a": {"tty": "n"}}}, {"services": {"a": {"tty": False}}}),
        # not a number: left for the stage that reads the key to name
        ({"services": {"a": {"healthcheck": {"retries": "many"}}}}, {"services": {"a": {"healthcheck": {"retries": "many"}}}}),
        # strings elsewhere stay strings
        ({"services": {"a": {"environment": {"retries": "3"}, "command": "true"}}},
         {"services": {"a": {"environment": {"retries": "3"}, "command": "true"}}}),
        ({"networks": {"n": {"internal": "true"}}, "x-retries": "3"}, {"networks": {"n": {"internal": True}}, "x-retries": "3"}),
    ],
)
def test_cast_types(doc, expected):
    assert cast_types(doc) == expected


def test_a_typed_value_that_is_no_number_is_named():
    doc = {"services": {"a": {"image": "x", "healthcheck": {"test": "true", "retries": "${RETRIES:-lots}"}}}}
    with pytest.raises(ComposeError, match=r"services\.a\.healthcheck\.retries: expected a non-negative integer, got 'lots'"):
        load_project(definition=doc, project_src="/tmp", os_env={})


# ---------------------------------------------------------------- ports
def test_ports_in_every_form_published_projects_use():
    project = _load("ports_forms")
    ports = [(p["host_ip"], p["published"], p["target"], p["protocol"]) for p in project.services["gateway"]["ports"]]
    assert ports == [
        (None, 17380, 80, "tcp"),  # ${GATEWAY_PUBLISH-:17380:80}: an empty host IP is every address
        (None, 17381, 81, "tcp"),
        (None, 17382, 82, "tcp"),
        (None, 17383, 83, "udp"),
        ("127.0.0.1", None, 84, "tcp"),
        ("127.0.0.1", 17385, 85, "tcp"),
        ("127.0.0.1", 17386, 86, "tcp"),
        ("::1", 17387, 87, "tcp"),
        (None, None, 88, "tcp"),
        (None, 17390, 90, "tcp"),
        (None, 17391, 91, "tcp"),
        ("127.0.0.1", 17392, 92, "udp"),
        (None, "17393-17394", 93, "tcp"),  # a host range for one port: the Engine binds the first free one
    ]


# ---------------------------------------------------------------- docker-compose 1.x files
def test_an_obsolete_version_is_ignored_with_a_note():
    project = _load("legacy_v3")
    assert project.services["api"]["restart"] == "unless-stopped"
    assert project.services["api"]["environment"] == {"TZ": "UTC", "LOG_LEVEL": "debug"}
    assert project.services["worker"]["environment"] == {"TZ": "UTC", "LOG_LEVEL": "info"}
    notes = [w for w in project.warnings if "version" in w]
    assert notes == ["docker-compose.yml: the top-level version ('3.8') is obsolete and ignored; the Compose Specification "
                     "reads every file the same way. Remove it to silence this note."]


def test_an_inline_definition_with_a_version_gets_the_note_too():
    project = load_project(definition={"version": "2.4", "services": {"a": {"image": "x"}}}, project_src="/tmp", os_env={})
    assert any(w.startswith("definition: the top-level version ('2.4') is obsolete") for w in project.warnings)


# ---------------------------------------------------------------- isolation
def test_isolation_default_is_what_a_linux_engine_runs():
    project = load_project(definition={"services": {"a": {"image": "x", "isolation": "default"}}}, project_src="/tmp", os_env={})
    assert "isolation" not in project.services["a"].get("container", {})


def test_another_isolation_is_refused_with_the_reason():
    doc = {"services": {"a": {"image": "x", "isolation": "process", "cpu_count": 2}}}
    with pytest.raises(ComposeError, match=r"2 keys .*services\.a\.cpu_count \(Windows containers only\); "
                                           r"services\.a\.isolation \('process': Windows containers only"):
        load_project(definition=doc, project_src="/tmp", os_env={})


# ---------------------------------------------------------------- mounts
@pytest.mark.parametrize(
    "volumes, tmpfs, fragment",
    [
        (["./conf:/prometheus", "data:/prometheus/"], None, "'/prometheus' is mounted twice (/p/conf and data)"),
        (["data:/cache"], ["/cache:size=1m"], "'/cache' is mounted twice (data and a tmpfs)"),
    ],
)
def test_two_mounts_on_one_path_are_refused_before_anything_is_made(volumes, tmpfs, fragment):
    svc = {"image": "x", "volumes": volumes}
    if tmpfs:
        svc["tmpfs"] = tmpfs
    with pytest.raises(ComposeError, match=r"services\.web\.volumes: " + re.escape(fragment) + "; a container path takes one mount"):
        load_project(definition={"services": {"web": svc}, "volumes": {"data": {}}}, project_src="/p", os_env={})


# ---------------------------------------------------------------- two spellings of one setting
@pytest.mark.parametrize(
    "svc, message",
    [
        ({"mem_limit": "1g", "deploy": {"resources": {"limits": {"memory": "512m"}}}},
         "mem_limit and deploy.resources.limits.memory are one setting with distinct values here"),
        ({"cpus": 1.5, "deploy": {"resources": {"limits": {"cpus": "0.5"}}}},
         "cpus and deploy.resources.limits.cpus are one setting with distinct values here"),
        ({"pids_limit": 100, "deploy": {"resources": {"limits": {"pids": 200}}}},
         "pids_limit and deploy.resources.limits.pids are one setting with distinct values here"),
    ],
)
def test_distinct_values_for_one_setting_are_refused(svc, message):
    with pytest.raises(ComposeError, match=r"services\.a: " + re.escape(message) + "; keep one of them"):
        load_project(definition={"services": {"a": dict(svc, image="x")}}, project_src="/tmp", os_env={})


def test_the_same_value_written_twice_is_fine():
    svc = {"image": "x", "mem_limit": "512m", "cpus": "0.50", "pids_limit": 100,
           "deploy": {"resources": {"limits": {"memory": "512M", "cpus": 0.5, "pids": 100}}}}
    a = load_project(definition={"services": {"a": svc}}, project_src="/tmp", os_env={}).services["a"]
    assert (a["memory"], a["cpus"], a["container"]["pids_limit"]) == (512 * 1024**2, 0.5, 100)


def test_a_volume_whose_source_variable_is_not_set_is_refused():
    # '${MEDIA_PATH}:/media/' with MEDIA_PATH unset: not an anonymous volume at /media, an error (as the CLI says)
    doc = {"services": {"plex": {"image": "x", "volumes": ["${MEDIA_PATH}:/media/"]}}}
    with pytest.raises(ComposeError, match=r"services\.plex\.volumes\[0\]: ':/media/' has an empty section between colons"):
        load_project(definition=doc, project_src="/tmp", os_env={})
    project = load_project(definition=doc, project_src="/tmp", os_env={"MEDIA_PATH": "/srv/media"})
    assert project.services["plex"]["volumes"][0]["source"] == "/srv/media"


# ---------------------------------------------------------------- extra_hosts
@pytest.mark.parametrize(
    "hosts",
    [
        ["gw=host-gateway", "v6=::1", "v4:10.0.0.1", "br=[2001:db8::1]"],
        {"gw": "host-gateway", "v6": "::1", "v4": "10.0.0.1", "br": "[2001:db8::1]"},
    ],
)
def test_extra_hosts_in_list_and_mapping_form_with_ipv6(hosts):
    doc = {"services": {"a": {"image": "x", "extra_hosts": hosts, "build": {"context": ".", "extra_hosts": hosts}}}}
    svc = load_project(definition=doc, project_src="/tmp", os_env={}).services["a"]
    # brackets are the file's way of writing an IPv6 address; the engine takes it bare (as docker run --add-host sends it)
    assert svc["extra_hosts"] == ["br:2001:db8::1", "gw:host-gateway", "v4:10.0.0.1", "v6:::1"]
    assert svc["build"]["extra_hosts"]["br"] == "2001:db8::1"


def test_what_reaches_the_create_request(tmp_path):
    """The cases above, through the converger's container options into the Engine API's create body."""
    from ansible_collections.devops.docker.plugins.module_utils._compose._manager import ComposeManager
    from ansible_collections.devops.docker.plugins.module_utils._compose._spec import COMPOSE_ARGS, spec_defaults
    from ansible_collections.devops.docker.plugins.module_utils._container._desired import Desired
    from ansible_collections.devops.docker.plugins.module_utils._container._table import Context, create_request

    definition = {"services": {"web": {
        "image": "devops-test/busybox:latest",
        "ports": ["${WEB_BIND:-}:17480:80"],
        "extra_hosts": ["v6=[::1]"],
        "healthcheck": {"test": ["CMD", "true"], "retries": "${RETRIES:-3}"},
        "ulimits": {"nofile": "${NOFILE:-1024}"},
        "isolation": "default",
    }}}
    params = dict(spec_defaults(COMPOSE_ARGS), definition=definition, project_name="dt-unit", project_src=str(tmp_path))
    manager = ComposeManager(None, params, False)
    options = manager.container_params("web", 1, manager.image_ref("web"), "f" * 64)
    body = create_request(Context(Desired(options), {"Id": "sha256:x", "Config": {}}))
    host = body["HostConfig"]
    assert host["PortBindings"] == {"80/tcp": [{"HostIp": "", "HostPort": "17480"}]}
    assert host["ExtraHosts"] == ["v6:::1"]
    assert host["Ulimits"] == [{"Name": "nofile", "Soft": 1024, "Hard": 1024}]
    assert body["Healthcheck"]["Retries"] == 3
    assert "Isolation" not in host


# ---------------------------------------------------------------- env_file
def test_env_file_long_form_optional_and_raw():
    project = _load("env_file_forms", os_env={"USER_NAME": "ann", "FROM_HOST": "h"})
    env = project.services["app"]["environment"]
    assert env["MODE"] == "production" and env["GREETING"] == "hello ann"  # dotenv: quotes removed, interpolated
    assert env["QUOTED"] == '"kept as written"' and env["DOLLAR"] == "$NOT_EXPANDED"  # raw: as written
    assert env["FROM_HOST"] == "h" and env["SET_HERE"] == "yes"
    assert not any(p.endswith("local.env") for p in project.services["app"]["env_file"])  # required: false, missing


# ---------------------------------------------------------------- YAML 1.2
def test_plain_scalars_read_as_the_cli_reads_them():
    ftp = _load("yaml12_scalars").services["ftp"]
    assert [(p["published"], p["target"]) for p in ftp["ports"]] == [(21, 21), (22, 22)]
    assert ftp["environment"] == {"DEBUG": "yes", "LEGACY": "off", "STARTS_AT": "12:30:00", "ENABLED": "true", "MODE": "16"}
    assert ftp["privileged"] is True and ftp["read_only"] is False
    assert ftp["user"] == "33:33"


# ---------------------------------------------------------------- misspelt keys
def test_a_misspelt_key_gets_the_key_it_resembles():
    doc = {"services": {"a": {"image": "x", "enviroment": {"A": "1"}, "port": ["80"]}}}
    with pytest.raises(ComposeError, match=r"services\.a\.enviroment \(unknown key; did you mean environment\?\); "
                                           r"services\.a\.port \(unknown key; did you mean ports\?\)"):
        load_project(definition=doc, project_src="/tmp", os_env={})
    with pytest.raises(ComposeError, match=r"limit is not supported by devops\.docker\.compose \(unknown key; did you mean limits\?\)"):
        load_project(definition={"services": {"a": {"image": "x", "deploy": {"resources": {"limit": {}}}}}},
                     project_src="/tmp", os_env={})


# ---------------------------------------------------------------- profiles
def test_a_required_dependency_on_a_disabled_service_is_refused():
    doc = {"services": {"app": {"image": "x", "depends_on": ["mock"]}, "mock": {"image": "x", "profiles": ["dev", "test"]}}}
    with pytest.raises(ComposeError, match=r"services\.app\.depends_on: service 'mock' is disabled by its profiles \(dev, test\); "
                                           r"enable one of them"):
        load_project(definition=doc, project_src="/tmp", os_env={})
    assert sorted(load_project(definition=doc, project_src="/tmp", os_env={}, profiles=["test"]).services) == ["app", "mock"]
    doc["services"]["app"]["depends_on"] = {"mock": {"condition": "service_started", "required": False}}
    assert list(load_project(definition=doc, project_src="/tmp", os_env={}).services) == ["app"]


# ---------------------------------------------------------------- documents
MULTI_DOCUMENT = """\
# Several YAML documents in one file: merged in order, as the Compose CLI reads them.
---
services:
  app:
    image: devops-test/busybox:latest
    environment:
      FIRST: "1"
---
# the second document adds to the first
services:
  app:
    environment:
      SECOND: "2"
  cache:
    image: devops-test/busybox:latest
...
"""


def test_several_documents_in_one_file_are_merged_in_order(tmp_path):
    # written here, not kept as a fixture file: the repository's YAML lint allows one document per file
    (tmp_path / "compose.yaml").write_text(MULTI_DOCUMENT)
    project = load_project(project_src=str(tmp_path), os_env={})
    assert sorted(project.services) == ["app", "cache"]
    assert project.services["app"]["environment"] == {"FIRST": "1", "SECOND": "2"}


def test_a_file_starting_with_a_document_marker_is_one_document():
    from ansible_collections.devops.docker.plugins.module_utils._compose._read import load_yaml

    assert load_yaml("# comment\n---\nservices:\n  a:\n    image: x\n", "f") == {"services": {"a": {"image": "x"}}}
    assert load_yaml("services:\n  a:\n    command: |\n      echo ---\n", "f")["services"]["a"]["command"] == "echo ---\n"


# ---------------------------------------------------------------- messages that name the fix
def test_a_tab_in_the_indentation_is_named(tmp_path):
    (tmp_path / "compose.yaml").write_text("services:\n\tweb:\n\t\timage: x\n")
    with pytest.raises(ComposeError, match=r"(?s)in compose\.yaml, line 2.*indented with a tab: YAML indents with spaces only"):
        load_project(project_src=str(tmp_path), os_env={})


def test_a_remote_include_says_to_fetch_it_first(tmp_path):
    (tmp_path / "compose.yaml").write_text("include:\n  - https://github.com/example/app.git\nservices:\n  a:\n    image: x\n")
    with pytest.raises(ComposeError, match=r"include\[0\]: https://github\.com/example/app\.git is a remote Compose file .*"
                                           r"clone or download it, then include the local path"):
        load_project(project_src=str(tmp_path), os_env={})


# ---------------------------------------------------------------- wrong shapes: an error naming the key, never a crash
@pytest.mark.parametrize(
    "doc, fragment",
    [
        ({"services": {"a": {"image": "x", "secrets": True}}}, r"services\.a\.secrets: expected a list of names"),
        ({"services": {"a": {"image": "x", "volumes_from": ["${UNSET}"]}}}, r"services\.a\.volumes_from: '' names no service"),
        ({"services": {"a": {"image": "x", "deploy": {"resources": True}}}}, r"services\.a\.deploy\.resources: expected a mapping"),
        ({"services": {"a": {"image": "x", "deploy": {"restart_policy": 3}}}}, r"deploy\.restart_policy: expected a mapping"),
        ({"services": {"a": {"image": "x"}}, "networks": {"n": {"driver_opts": ["a=b"]}}},
         r"networks\.n\.driver_opts: expected a mapping of names to values"),
        ({"services": {"a": {"image": "x", "networks": {"n": {"priority": "high"}}}}, "networks": {"n": {}}},
         r"services\.a\.networks\.n\.priority: expected a whole number, got 'high'"),
        ({"services": {"a": {"image": "x", "volumes": [{"type": "tmpfs", "target": "/t", "tmpfs": {"mode": "rwx"}}]}}},
         r"tmpfs\.mode: 'rwx' is not a file mode"),
    ],
)
def test_wrong_shapes_are_named(doc, fragment):
    with pytest.raises(ComposeError, match=fragment):
        load_project(definition=doc, project_src="/tmp", os_env={})


def test_links_on_a_user_network_are_endpoint_links(tmp_path):
    """links (and external_links) of a service on the project's networks: aliases on each network, as the engine
    makes --link there; the legacy HostConfig.Links form is for the default bridge only."""
    from ansible_collections.devops.docker.plugins.module_utils._compose._manager import ComposeManager
    from ansible_collections.devops.docker.plugins.module_utils._compose._spec import COMPOSE_ARGS, spec_defaults
    from ansible_collections.devops.docker.plugins.module_utils._container._desired import Desired
    from ansible_collections.devops.docker.plugins.module_utils._container._table import Context, create_request

    definition = {"services": {"db": {"image": "x"}, "web": {"image": "x", "links": ["db:database"], "external_links": ["legacy"]}}}
    params = dict(spec_defaults(COMPOSE_ARGS), definition=definition, project_name="dt-unit", project_src=str(tmp_path))
    manager = ComposeManager(None, params, False)
    options = manager.container_params("web", 1, manager.image_ref("web"), "f" * 64)
    body = create_request(Context(Desired(options), {"Id": "sha256:x", "Config": {}}))
    assert "Links" not in body["HostConfig"]
    assert body["NetworkingConfig"]["EndpointsConfig"]["dt-unit_default"]["Links"] == ["dt-unit-db-1:database", "legacy:legacy"]


def test_generic_resources_are_ignored_with_a_warning_as_the_cli_does():
    doc = {"services": {"a": {"image": "x", "deploy": {"resources": {"reservations": {
        "generic_resources": [{"discrete_resource_spec": {"kind": "gpu", "value": 2}}]}}}}}}
    project = load_project(definition=doc, project_src="/tmp", os_env={})
    assert any("generic_resources are Swarm scheduling resources" in w for w in project.warnings)


def test_links_with_a_shared_network_mode_are_refused_before_anything_is_made():
    doc = {"services": {"a": {"image": "x"}, "b": {"image": "x", "network_mode": "service:a", "links": ["a:alias"]}}}
    with pytest.raises(ComposeError, match=r"services\.b: links need a network of the container's own, and network_mode is "
                                           r"'service:a'"):
        load_project(definition=doc, project_src="/tmp", os_env={})


# ---------------------------------------------------------------- .env
def test_a_quoted_env_value_may_span_lines():
    from ansible_collections.devops.docker.plugins.module_utils._compose._read import parse_env_file

    text = 'KEY="-----BEGIN KEY-----\nabc\n-----END KEY-----"\nNEXT=1\nRAW=\'a\nb\'\nESC="say \\"hi\\"\nthere"\n'
    assert parse_env_file(text) == {"KEY": "-----BEGIN KEY-----\nabc\n-----END KEY-----", "NEXT": "1", "RAW": "a\nb",
                                    "ESC": 'say "hi"\nthere'}
    with pytest.raises(ComposeError, match=r"\.env line 2: unterminated double quote in 'B=\"open'"):
        parse_env_file('A=1\nB="open\nC=2\n')


def test_a_healthcheck_that_sets_nothing_leaves_the_images_own():
    doc = {"services": {"a": {"image": "x", "healthcheck": {"disable": False}}, "b": {"image": "x", "healthcheck": {"retries": 3}}}}
    project = load_project(definition=doc, project_src="/tmp", os_env={})
    assert project.services["a"]["healthcheck"] is None
    assert project.services["b"]["healthcheck"]["retries"] == 3
