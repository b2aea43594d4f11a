# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Service job modes, credential_spec, resolve_image, and swarm_info's secrets/configs sections."""

from __future__ import annotations

import pytest

from ansible_collections.devops.docker.plugins.module_utils._client import APIError, DockerError
from ansible_collections.devops.docker.plugins.module_utils._swarm._cluster import swarm_info
from ansible_collections.devops.docker.plugins.module_utils._swarm._service import (
    DesiredService,
    ServiceManager,
    build_create_spec,
    create_cli,
)
from ansible_collections.devops.docker.plugins.module_utils._swarm._service_modes import (
    check_job_options,
    current_mode,
    job_counts,
    job_progress,
    mode_body,
    mode_cli,
)
from ansible_collections.devops.docker.plugins.module_utils._swarm._service_options import (
    credential_spec_rows,
    image_digest,
    pin_image,
    resolve_choice,
)
from ansible_collections.devops.docker.plugins.module_utils._swarm._stack import StackError, service_params
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.tests.unit.conftest import FakeDaemon, FakeModule, manager_for

MANAGER = {"Swarm": {"LocalNodeState": "active", "ControlAvailable": True, "NodeID": "n1"}}
DIGEST = "sha256:" + "a" * 64
OTHER = "sha256:" + "b" * 64
IMAGE = "reg.example:5000/app:1.0"


@pytest.fixture(autouse=True)
def no_stored_credentials(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))


# ---------------------------------------------------------------- modes
@pytest.mark.parametrize("mode_doc, expected", [
    ({"Replicated": {"Replicas": 2}}, "replicated"),
    ({"Global": {}}, "global"),
    ({"ReplicatedJob": {"MaxConcurrent": 1, "TotalCompletions": 3}}, "replicated-job"),
    ({"GlobalJob": {}}, "global-job"),
    ({}, "replicated"),
])
def test_current_mode(mode_doc, expected):
    assert current_mode({"Mode": mode_doc}) == expected


@pytest.mark.parametrize("mode, replicas, concurrent, total, body, cli", [
    (None, None, None, None, {"Replicated": {"Replicas": 1}}, []),
    ("replicated", 3, None, None, {"Replicated": {"Replicas": 3}}, ["--replicas", "3"]),
    ("global", None, None, None, {"Global": {}}, ["--mode", "global"]),
    ("global-job", None, None, None, {"GlobalJob": {}}, ["--mode", "global-job"]),
    ("replicated-job", None, None, None, {"ReplicatedJob": {"MaxConcurrent": 1, "TotalCompletions": 1}},
     ["--mode", "replicated-job"]),
    ("replicated-job", None, None, 4, {"ReplicatedJob": {"MaxConcurrent": 4, "TotalCompletions": 4}},
     ["--mode", "replicated-job", "--replicas", "4"]),
    ("replicated-job", None, 2, 4, {"ReplicatedJob": {"MaxConcurrent": 2, "TotalCompletions": 4}},
     ["--mode", "replicated-job", "--replicas", "4", "--max-concurrent", "2"]),
])
def test_mode_body_and_cli(mode, replicas, concurrent, total, body, cli):
    assert mode_body(mode, replicas, concurrent, total) == body
    assert mode_cli(mode, replicas, concurrent, total) == cli


@pytest.mark.parametrize("params, mode, replicas, expected", [
    ({}, "replicated-job", None, (None, None)),
    ({"max_concurrent": 2}, "replicated-job", 5, (2, 5)),
    ({"total_completions": 5}, "replicated-job", 5, (None, 5)),
    ({"total_completions": "3"}, "replicated-job", None, (None, 3)),
    ({}, "replicated", 3, (None, None)),
])
def test_job_counts(params, mode, replicas, expected):
    assert job_counts(params, mode, replicas) == expected


@pytest.mark.parametrize("params, mode, replicas, match", [
    ({"max_concurrent": 2}, "replicated", None, "only a replicated job"),
    ({"total_completions": 2}, "global-job", None, "only a replicated job"),
    ({"max_concurrent": 2}, None, None, "add mode: replicated-job"),
    ({"total_completions": 3}, "replicated-job", 4, "give one of them"),
    ({"max_concurrent": 0}, "replicated-job", None, "at least 1"),
])
def test_job_counts_errors(params, mode, replicas, match):
    with pytest.raises(SpecError, match=match):
        job_counts(params, mode, replicas)


@pytest.mark.parametrize("option", ["update_config", "rollback_config"])
@pytest.mark.parametrize("mode", ["replicated-job", "global-job"])
def test_a_job_refuses_rolling_update_settings(option, mode):
    with pytest.raises(SpecError, match=f"{option}: a job"):
        check_job_options({option: {"parallelism": 1}}, mode)
    check_job_options({option: {"parallelism": 1}}, "replicated")  # a service takes them


def test_replicated_job_create_spec_and_cli():
    desired = DesiredService({"name": "mig", "image": "busybox:1", "mode": "replicated-job", "replicas": 4,
                              "max_concurrent": 2, "command": ["true"]})
    spec = build_create_spec(desired, None)
    assert spec["Mode"] == {"ReplicatedJob": {"MaxConcurrent": 2, "TotalCompletions": 4}}
    # the CLI's default for a job: a task that exited 0 is not restarted
    assert spec["TaskTemplate"]["RestartPolicy"] == {"Condition": "on-failure"}
    argv = create_cli(desired, None)
    assert argv[:9] == ["docker", "service", "create", "--name", "mig", "--mode", "replicated-job", "--replicas", "4"]
    assert argv.count("--replicas") == 1 and argv[-2:] == ["busybox:1", "true"]
    assert "--max-concurrent" in argv


def test_a_job_keeps_a_given_restart_condition():
    desired = DesiredService({"name": "j", "image": "busybox:1", "mode": "global-job",
                              "restart_policy": {"condition": "none"}})
    spec = build_create_spec(desired, None)
    assert spec["Mode"] == {"GlobalJob": {}}
    assert spec["TaskTemplate"]["RestartPolicy"]["Condition"] == "none"


def test_global_job_takes_no_replicas():
    with pytest.raises(SpecError, match="global-job"):
        DesiredService({"name": "j", "image": "busybox:1", "mode": "global-job", "replicas": 2})


def _job(mode_doc, iteration=1):
    return {"ID": "sid", "Version": {"Index": 9}, "JobStatus": {"JobIteration": {"Index": iteration}},
            "Spec": {"Name": "mig", "Mode": mode_doc,
                     "TaskTemplate": {"ContainerSpec": {"Image": "busybox:1"}}}}


def _task(state, node="n1", iteration=1):
    return {"NodeID": node, "Status": {"State": state}, "JobIteration": {"Index": iteration}, "DesiredState": "complete"}


@pytest.mark.parametrize("tasks, done", [
    ([_task("complete"), _task("complete")], False),
    ([_task("complete"), _task("complete"), _task("complete")], True),
    ([_task("complete"), _task("complete"), _task("failed"), _task("complete", iteration=0)], False),
])
def test_replicated_job_progress(tasks, done):
    service = _job({"ReplicatedJob": {"MaxConcurrent": 1, "TotalCompletions": 3}})
    assert job_progress(service, tasks, 5)[0] is done


def test_the_first_iteration_has_no_index():
    service = _job({"ReplicatedJob": {"MaxConcurrent": 1, "TotalCompletions": 2}})
    service["JobStatus"] = {"JobIteration": {}}
    first = [{"NodeID": "n1", "Status": {"State": "complete"}, "JobIteration": {}}] * 2
    assert job_progress(service, first, 1) == (True, "2 of 2 job tasks completed")
    service["JobStatus"] = {"JobIteration": {"Index": 7}}
    assert job_progress(service, first + [_task("complete", iteration=7)], 1) == (False, "1 of 2 job tasks completed")


def test_global_job_progress_per_node():
    service = _job({"GlobalJob": {}})
    assert job_progress(service, [_task("complete", "n1"), _task("running", "n2")], 5)[0] is False
    assert job_progress(service, [_task("complete", "n1"), _task("failed", "n2"), _task("complete", "n2")], 5)[0] is True
    assert job_progress(service, [_task("complete", "n1")], 1)[0] is False  # too early to tell


def test_update_of_a_job_compares_its_counts():
    service = _job({"ReplicatedJob": {"MaxConcurrent": 1, "TotalCompletions": 3}})
    api = FakeDaemon(answers={("GET", "/info"): MANAGER, ("GET", "/services/mig"): service, ("GET", "/tasks"): []})
    manager = manager_for(ServiceManager, FakeModule(api, {"name": "mig", "mode": "replicated-job", "replicas": 3,
                                                           "max_concurrent": 2}, check_mode=True))
    manager.run()
    assert manager.tracker.differences == [("max_concurrent", 1, 2)]
    assert api.writes() == []
    assert manager.tracker.actions == ["docker service update --max-concurrent 2 mig"]


def test_replicas_of_an_existing_job_needs_its_mode():
    service = _job({"ReplicatedJob": {"MaxConcurrent": 1, "TotalCompletions": 3}})
    api = FakeDaemon(answers={("GET", "/info"): MANAGER, ("GET", "/services/mig"): service})
    manager = manager_for(ServiceManager, FakeModule(api, {"name": "mig", "replicas": 5}))
    with pytest.raises(DockerError, match="add mode: replicated-job"):
        manager.run()
    assert api.writes() == []


def test_mode_cannot_change_to_a_job():
    service = _job({"Replicated": {"Replicas": 1}})
    api = FakeDaemon(answers={("GET", "/info"): MANAGER, ("GET", "/services/mig"): service})
    manager = manager_for(ServiceManager, FakeModule(api, {"name": "mig", "mode": "replicated-job"}))
    with pytest.raises(DockerError, match="cannot change a service's mode"):
        manager.run()


# ---------------------------------------------------------------- credential_spec
def _nodes(*systems):
    return [{"ID": f"n{i}", "Description": {"Platform": {"OS": os_name}}} for i, os_name in enumerate(systems)]


def test_credential_spec_on_a_linux_swarm_fails_and_says_why():
    api = FakeDaemon(answers={("GET", "/nodes"): _nodes("linux", "linux")})
    with pytest.raises(DockerError, match=r"Windows feature.*run linux.*Service web was not changed"):
        credential_spec_rows(api, {"credential_spec": {"file": "gmsa.json"}}, "web")


@pytest.mark.parametrize("spec, value, cli", [
    ({"file": "gmsa.json"}, {"File": "gmsa.json"}, "file://gmsa.json"),
    ({"registry": "gmsa"}, {"Registry": "gmsa"}, "registry://gmsa"),
    ({"config": "gmsa-cfg"}, {"Config": "cfg-id"}, "config://gmsa-cfg"),
])
def test_credential_spec_with_a_windows_node(spec, value, cli):
    api = FakeDaemon(answers={("GET", "/nodes"): _nodes("linux", "windows"),
                              ("GET", "/configs/gmsa-cfg"): {"ID": "cfg-id", "Spec": {"Name": "gmsa-cfg"}}})
    [row] = credential_spec_rows(api, {"credential_spec": spec}, "web")
    assert row.path == ("TaskTemplate", "ContainerSpec", "Privileges", "CredentialSpec")
    assert row.value == value and row.cli == ("--credential-spec", cli)
    assert row.norm({"File": "", "Registry": "x"}) == {"Registry": "x"}


@pytest.mark.parametrize("spec", [{}, {"file": "a", "registry": "b"}, {"bogus": "x"}])
def test_credential_spec_needs_exactly_one_source(spec):
    api = FakeDaemon(answers={("GET", "/nodes"): _nodes("windows")})
    with pytest.raises(SpecError):
        credential_spec_rows(api, {"credential_spec": spec}, "web")


def test_credential_spec_not_given_reads_nothing():
    api = FakeDaemon()
    assert credential_spec_rows(api, {}, "web") == []
    assert api.calls == []


# ---------------------------------------------------------------- resolve_image
@pytest.mark.parametrize("value, expected", [
    (None, "never"), ("always", "always"), ("changed", "changed"), ("never", "never"), (True, "always"),
    ("True", "always"), (False, "never"), ("no", "never"),
])
def test_resolve_choice(value, expected):
    assert resolve_choice(value) == expected


def test_resolve_choice_refuses_other_words():
    with pytest.raises(SpecError, match="always, changed or never"):
        resolve_choice("sometimes")


def test_image_digest_from_the_registry_with_the_stored_credentials():
    api = FakeDaemon(answers={("GET", f"/distribution/{IMAGE}/json"): {"Descriptor": {"digest": DIGEST}}})
    assert image_digest(api, IMAGE) == (DIGEST, "registry")
    assert pin_image(IMAGE, DIGEST) == f"{IMAGE}@{DIGEST}"
    assert pin_image(f"{IMAGE}@{OTHER}", DIGEST) == f"{IMAGE}@{DIGEST}"
    assert pin_image("reg.example:5000/app", DIGEST) == f"reg.example:5000/app:latest@{DIGEST}"


def test_image_digest_falls_back_to_the_local_image_of_the_same_repository():
    api = FakeDaemon(answers={
        ("GET", f"/distribution/{IMAGE}/json"): APIError(500, "connection refused", "GET", "/distribution"),
        ("GET", f"/images/{IMAGE}/json"): {"RepoDigests": [f"other/app@{OTHER}", f"reg.example:5000/app@{DIGEST}"]},
    })
    assert image_digest(api, IMAGE) == (DIGEST, "local image")


def test_image_digest_none_says_why():
    api = FakeDaemon(answers={
        ("GET", f"/distribution/{IMAGE}/json"): APIError(401, "unauthorized", "GET", "/distribution"),
        ("GET", f"/images/{IMAGE}/json"): {"RepoDigests": []},
    })
    digest, reason = image_digest(api, IMAGE)
    assert digest is None and "unauthorized" in reason


def _service(image):
    return {"ID": "sid", "Version": {"Index": 3},
            "Spec": {"Name": "web", "Mode": {"Replicated": {"Replicas": 1}},
                     "TaskTemplate": {"ContainerSpec": {"Image": image}}}}


def _resolving(resolve, current, digest=DIGEST, check_mode=True):
    answers = {("GET", f"/distribution/{IMAGE}/json"): {"Descriptor": {"digest": digest}}, ("GET", "/tasks"): [],
               ("GET", "/info"): MANAGER}
    if current is not None:
        answers[("GET", "/services/web")] = _service(current)
    api = FakeDaemon(answers=answers)
    module = FakeModule(api, {"name": "web", "image": IMAGE, "resolve_image": resolve, "wait": False}, check_mode=check_mode)
    manager = manager_for(ServiceManager, module)
    result = manager.run()
    return api, module, result


def test_resolve_always_pins_the_digest_of_a_new_service():
    api, _module, result = _resolving("always", None, check_mode=False)
    [create] = [c for c in api.writes() if c[1] == "/services/create"]
    assert create[2]["TaskTemplate"]["ContainerSpec"]["Image"] == f"{IMAGE}@{DIGEST}"
    assert result["actions"][0].endswith(f"{IMAGE}@{DIGEST}")


@pytest.mark.parametrize("resolve, current, changed", [
    ("always", f"{IMAGE}@{DIGEST}", False),  # the tag still points to the digest the service runs
    ("always", f"{IMAGE}@{OTHER}", True),  # the tag moved: an update to the new digest
    ("changed", f"{IMAGE}@{OTHER}", False),  # the same name:tag: keeps its digest
    ("changed", f"reg.example:5000/app:0.9@{OTHER}", True),  # a new tag: resolved
    ("never", f"{IMAGE}@{OTHER}", False),  # the digest is not compared
    ("never", "reg.example:5000/app:0.9", True),
])
def test_resolve_image_comparisons(resolve, current, changed):
    api, _module, result = _resolving(resolve, current)
    assert result["changed"] is changed
    asked = ("GET", f"/distribution/{IMAGE}/json") in api.calls
    assert asked is (resolve == "always" or (resolve == "changed" and changed))
    assert api.writes() == []  # check mode
    if changed and resolve != "never":
        assert f"--image {IMAGE}@{DIGEST}" in result["actions"][0]


def test_resolve_without_a_digest_warns_and_keeps_the_tag():
    api = FakeDaemon(answers={
        ("GET", f"/distribution/{IMAGE}/json"): APIError(500, "no such host", "GET", "/distribution"),
        ("GET", "/services/web"): _service("reg.example:5000/app:0.9"),
        ("GET", "/tasks"): [],
        ("GET", "/info"): MANAGER,
    })
    module = FakeModule(api, {"name": "web", "image": IMAGE, "resolve_image": "always"}, check_mode=True)
    result = manager_for(ServiceManager, module).run()
    assert result["changed"] and f"--image {IMAGE} " in result["actions"][0] + " "
    assert any("no digest found" in w and "no such host" in w for w in module.warnings)


# ---------------------------------------------------------------- stack deploy modes
def _svc(**extra):
    return dict({"name": "job", "image": "busybox:1"}, **extra)


def test_stack_replicated_job():
    params = service_params("st", _svc(), {"mode": "replicated-job", "replicas": 3, "max_concurrent": 2}, {}, {}, True, 60)
    assert params["mode"] == "replicated-job" and params["replicas"] == 3 and params["max_concurrent"] == 2
    assert params["restart_policy"]["condition"] == "on-failure"
    assert "update_config" not in params
    desired = DesiredService(params)
    assert build_create_spec(desired, None)["Mode"] == {"ReplicatedJob": {"MaxConcurrent": 2, "TotalCompletions": 3}}


@pytest.mark.parametrize("deploy, match", [
    ({"mode": "global-job", "replicas": 2}, "takes no replicas"),
    ({"mode": "replicated", "max_concurrent": 2}, "only a replicated-job"),
    ({"mode": "global-job", "update_config": {"parallelism": 1}}, "no rolling update"),
    ({"mode": "cron"}, "must be one of"),
])
def test_stack_job_errors(deploy, match):
    with pytest.raises(StackError, match=match):
        service_params("st", _svc(), deploy, {}, {}, True, 60)


# ---------------------------------------------------------------- swarm_info secrets and configs
def test_swarm_info_lists_secrets_and_configs_without_data():
    secret = {"ID": "s1", "Version": {"Index": 11}, "CreatedAt": "c", "UpdatedAt": "u",
              "Spec": {"Name": "db_pw_v2", "Labels": {"app": "shop", "devops.docker.fingerprint": "hmac-value"}}}
    config = {"ID": "c1", "Version": {"Index": 12},
              "Spec": {"Name": "nginx", "Data": "c2VjcmV0LWNvbmZpZw==", "Labels": {}, "Templating": {"Name": "golang"}}}
    api = FakeDaemon(answers={
        ("GET", "/info"): MANAGER,
        ("GET", "/swarm"): {"ID": "sw", "JoinTokens": {"Worker": "w", "Manager": "m"}},
        ("GET", "/secrets"): [secret],
        ("GET", "/configs"): [config],
    })
    module = FakeModule(api, {"secrets": True, "configs": True, "secrets_filters": {"label": "app=shop"}})
    result = swarm_info(module)
    assert result["secrets"] == [{"ID": "s1", "Name": "db_pw_v2", "Labels": {"app": "shop", "devops.docker.fingerprint": "********"},
                                  "Version": 11, "CreatedAt": "c", "UpdatedAt": "u"}]
    assert result["configs"] == [{"ID": "c1", "Name": "nginx", "Labels": {}, "Version": 12, "CreatedAt": None,
                                  "UpdatedAt": None, "TemplateDriver": "golang"}]
    assert "c2VjcmV0" not in repr(result) and "hmac-value" not in repr(result)
    assert ("GET", "/secrets", {"filters": {"label": ["app=shop"]}}) in api.queries


def test_swarm_info_secrets_need_a_manager():
    api = FakeDaemon(answers={("GET", "/info"): {"Swarm": {"LocalNodeState": "active", "ControlAvailable": False}}})
    api.base_url = "unix:///run/worker.sock"
    with pytest.raises(DockerError, match="secrets: listing them needs a swarm manager"):
        swarm_info(FakeModule(api, {"secrets": True}))


def test_service_and_stack_refuse_a_worker_before_anything_else():
    from ansible_collections.devops.docker.plugins.module_utils._swarm._stack import StackManager
    worker = {"Swarm": {"LocalNodeState": "active", "ControlAvailable": False}}
    for cls, params in ((ServiceManager, {"name": "web", "image": "busybox:1"}),
                        (StackManager, {"name": "st", "state": "absent", "detach": True})):
        api = FakeDaemon(answers={("GET", "/info"): worker})
        api.base_url = "unix:///run/worker.sock"
        with pytest.raises(DockerError, match="is a worker: point docker_host at a manager"):
            manager_for(cls, FakeModule(api, params)).run()
        assert api.calls == [("GET", "/info")]


@pytest.mark.parametrize("params, wait, timeout", [
    ({"detach": True}, False, 180),
    ({"detach": False, "wait": False}, True, 180),
    ({"state": "absent", "absent_retries": 5, "absent_retries_interval": 3, "wait": False}, True, 15),
])
def test_stack_takes_community_docker_waiting_options(params, wait, timeout):
    from ansible_collections.devops.docker.plugins.module_utils._swarm._stack import StackManager
    params = dict({"name": "st", "state": "present", "wait": True, "wait_timeout": 180}, **params)
    given = dict(params)
    manager = manager_for(StackManager, FakeModule(FakeDaemon(), params))
    assert (manager.wait, manager.wait_timeout) == (wait, timeout)
    assert params == given  # the task's params are read, not rewritten
