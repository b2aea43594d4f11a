# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The image manager's decisions against a fake daemon: what changes, what check mode
predicts, and that check mode and bad input never send a request that changes anything."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.devops.docker.plugins.module_utils import _image_registry
from ansible_collections.devops.docker.plugins.module_utils._client import DockerError
from ansible_collections.devops.docker.tests.unit.conftest import FakeDaemon
from ansible_collections.devops.docker.plugins.module_utils._image._manager import (
    BUILD_SPEC,
    DIGEST_LABEL,
    IMAGE_ARGS,
    ImageManager,
)

ID_A = "sha256:" + "a" * 64
ID_B = "sha256:" + "b" * 64


class FakeAPI(FakeDaemon):
    """The shared fake daemon with these images and this container list; a test checks that nothing changed."""

    def __init__(self, images: dict[str, dict[str, t.Any]], containers: list[dict[str, t.Any]] | None = None) -> None:
        super().__init__(images=images, answers={("GET", "/containers/json"): containers or []})

    @property
    def changes(self) -> list[tuple[t.Any, ...]]:
        return [c for c in self.calls if c[0] != "GET"]


def image_params(**params: t.Any) -> dict[str, t.Any]:
    """The image module's params: defaults filled (the build suboptions too)."""
    full = {key: spec.get("default") for key, spec in IMAGE_ARGS.items()}
    full.update(params)
    if full.get("build") is not None:
        build = {key: spec.get("default") for key, spec in BUILD_SPEC.items()}
        build.update(full["build"])
        full["build"] = build
    return full


def image(image_id: str, tags: list[str], labels: dict[str, str] | None = None, digests: list[str] | None = None):
    return {"Id": image_id, "RepoTags": tags, "RepoDigests": digests or [], "Config": {"Labels": labels or {}}}


@pytest.fixture
def context(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM scratch\nCOPY a /\n")
    (tmp_path / "a").write_text("1")
    return str(tmp_path)


def run(api: FakeAPI, check_mode: bool = True, **params: t.Any) -> dict[str, t.Any]:
    return ImageManager(api, image_params(**params), check_mode).run()


def current_digest(context: str, **build: t.Any) -> str:
    manager = ImageManager(FakeAPI({}), image_params(name="app:1", build={"path": context, **build}), True)
    assert manager.context_digest
    return manager.context_digest


# ------------------------------------------------------------ build
def test_check_mode_build_of_a_missing_image_predicts_a_build_and_sends_nothing(context):
    api = FakeAPI({})
    result = run(api, name="app:1", build={"path": context, "args": {"X": "1"}})
    assert result["changed"]
    assert result["actions"][0].startswith("docker image build -t app:1 --build-arg X=1 --label devops.docker.context-digest=")
    assert result["diff"]["before"]["id"] is None
    assert api.changes == []


def test_unchanged_context_is_no_change_after_one_inspect(context):
    api = FakeAPI({"app:1": image(ID_A, ["app:1"], {DIGEST_LABEL: current_digest(context)})})
    for check_mode in (True, False):
        api.calls.clear()
        result = run(api, check_mode, name="app:1", build={"path": context})
        assert not result["changed"]
        assert result["actions"] == []
        assert api.calls == [("GET", "/images/app:1")]


@pytest.mark.parametrize(
    "stored_build, wanted_build",
    [
        ({}, {"args": {"X": "1"}}),
        ({"args": {"X": "1"}}, {"args": {"X": "2"}}),
        ({}, {"target": "final"}),
        ({}, {"labels": {"team": "a"}}),
    ],
)
def test_build_option_changes_rebuild(context, stored_build, wanted_build):
    stored = current_digest(context, **stored_build)
    api = FakeAPI({"app:1": image(ID_A, ["app:1"], {DIGEST_LABEL: stored})})
    result = run(api, name="app:1", build={"path": context, **wanted_build})
    assert result["changed"]
    assert result["diff"]["before"] == {"id": ID_A, "context_digest": stored}
    assert api.changes == []


def test_image_without_the_label_is_rebuilt_once(context):
    api = FakeAPI({"app:1": image(ID_A, ["app:1"])})
    assert run(api, name="app:1", build={"path": context})["changed"]


@pytest.mark.parametrize("rebuild, changed", [("never", False), ("always", True), ("auto", True)])
def test_rebuild_modes_with_a_stale_image(context, rebuild, changed):
    api = FakeAPI({"app:1": image(ID_A, ["app:1"], {DIGEST_LABEL: "sha256:old"})})
    assert run(api, name="app:1", rebuild=rebuild, build={"path": context})["changed"] is changed


# ------------------------------------------------------------ tag
@pytest.mark.parametrize("target_id, changed", [(ID_A, False), (ID_B, True), (None, True)])
def test_tag_changes_only_when_the_target_points_elsewhere(target_id, changed):
    images = {"app:1": image(ID_A, ["app:1"])}
    if target_id:
        images["localhost:5001/app:1"] = image(target_id, ["localhost:5001/app:1"])
    api = FakeAPI(images)
    result = run(api, name="app:1", source="local", repository="localhost:5001/app")
    assert result["changed"] is changed
    if changed:
        assert result["actions"] == ["docker image tag app:1 localhost:5001/app:1"]
    assert api.changes == []


# ------------------------------------------------------------ push
@pytest.mark.parametrize(
    "remote, local_digests, changed",
    [
        ("sha256:1111", ["localhost:5001/app@sha256:1111"], False),
        ("sha256:2222", ["localhost:5001/app@sha256:1111"], True),
        (None, [], True),
        ("sha256:1111", ["other:5001/app@sha256:1111"], True),
    ],
)
def test_push_is_no_change_when_the_registry_holds_the_digest(monkeypatch, remote, local_digests, changed):
    monkeypatch.setattr(_image_registry, "manifest_digest", lambda name, **kw: remote)
    api = FakeAPI({"localhost:5001/app:1": image(ID_A, ["localhost:5001/app:1"], digests=local_digests)})
    result = run(api, name="localhost:5001/app:1", source="local", push=True)
    assert result["changed"] is changed
    assert result["actions"] == (["docker image push localhost:5001/app:1"] if changed else [])
    assert api.changes == []


def test_push_when_the_registry_cannot_be_asked(monkeypatch):
    def unknown(name, **kwargs):
        raise _image_registry.RegistryUnknown("down")

    monkeypatch.setattr(_image_registry, "manifest_digest", unknown)
    api = FakeAPI({"localhost:5001/app:1": image(ID_A, ["localhost:5001/app:1"], digests=["localhost:5001/app@sha256:1"])})
    assert run(api, name="localhost:5001/app:1", source="local", push=True)["changed"]


# ------------------------------------------------------------ pull
@pytest.mark.parametrize(
    "present, pull, changed",
    [(False, "missing", True), (True, "missing", False), (False, "always", True), (True, "always", False)],
)
def test_check_mode_pull_predictions(present, pull, changed):
    api = FakeAPI({"localhost:5001/app:1": image(ID_A, ["localhost:5001/app:1"])} if present else {})
    result = run(api, name="localhost:5001/app:1", source="pull", pull=pull)
    assert result["changed"] is changed
    assert api.changes == []


def test_name_without_tag_means_latest():
    api = FakeAPI({"busybox:latest": image(ID_A, ["busybox:latest"])})
    assert not run(api, name="busybox")["changed"]
    assert api.calls == [("GET", "/images/busybox:latest")]


# ------------------------------------------------------------ remove
def test_absent_check_mode_predicts_and_removes_nothing():
    api = FakeAPI({"app:1": image(ID_A, ["app:1"])})
    result = run(api, name="app:1", state="absent")
    assert result["changed"] and result["actions"] == ["docker image rm app:1"]
    assert result["diff"] == {"before": {"id": ID_A}, "after": {"id": None}}
    assert api.changes == []
    assert not run(FakeAPI({}), name="app:1", state="absent")["changed"]


def test_absent_of_an_image_a_container_uses_fails_without_force():
    containers = [{"Id": "c" * 64, "Names": ["/web"], "ImageID": ID_A}, {"Id": "d" * 64, "Names": ["/db"], "ImageID": ID_B}]
    api = FakeAPI({"app:1": image(ID_A, ["app:1"])}, containers)
    with pytest.raises(DockerError, match=r"used by the container\(s\) web;.*force: true"):
        run(api, check_mode=False, name="app:1", state="absent")
    assert api.changes == []
    forced = run(FakeAPI({"app:1": image(ID_A, ["app:1"])}, containers), name="app:1", state="absent", force=True)
    assert forced["actions"] == ["docker image rm --force app:1"]


def test_absent_of_one_of_several_tags_is_an_untag_even_when_used():
    containers = [{"Id": "c" * 64, "Names": ["/web"], "ImageID": ID_A}]
    api = FakeAPI({"app:1": image(ID_A, ["app:1", "app:latest"])}, containers)
    assert run(api, name="app:1", state="absent")["changed"]


# ------------------------------------------------------------ validation before any request
@pytest.mark.parametrize(
    "params, message",
    [
        ({"name": "Bad Name"}, "name: 'Bad Name' is not a valid image name"),
        ({"name": "app:1", "repository": "x:bad tag"}, "repository: .*invalid tag"),
        ({"name": "app:1", "source": "build", "build": {}}, "build.path is required"),
        ({"name": "app:1", "build": {"path": "/nonexistent/ctx"}}, "build.path: the build context /nonexistent/ctx does not exist"),
        ({"name": "app:1", "source": "load", "load_path": "/nonexistent.tar"}, "load_path: /nonexistent.tar does not exist"),
        ({"name": "app:1", "source": "local", "archive_path": "/nonexistent/dir/a.tar"}, "archive_path: the folder"),
        ({"name": "app:1", "build": {"path": "CTX", "args": {"X": None}}}, "build.args: 'X' has no value"),
        ({"name": "app:1", "build": {"path": "CTX", "labels": {DIGEST_LABEL: "x"}}}, "is set by this module"),
        ({"name": "app@sha256:" + "1" * 64, "build": {"path": "CTX"}}, "has a digest"),
    ],
)
def test_bad_input_fails_before_any_request(context, params, message):
    if params.get("build", {}).get("path") == "CTX":
        params = dict(params, build=dict(params["build"], path=context))
    api = FakeAPI({})
    with pytest.raises(DockerError, match=message):
        run(api, check_mode=False, **params)
    assert api.calls == []


def test_missing_image_with_source_local_is_a_clear_error():
    with pytest.raises(DockerError, match="does not exist and source is local"):
        run(FakeAPI({}), name="app:1", source="local")


# ------------------------------------------------------------ progress streams
def test_stream_keeps_the_log_and_the_aux_items():
    from ansible_collections.devops.docker.plugins.module_utils._image._progress import _stream_or_fail

    log: list[str] = []
    aux = _stream_or_fail(
        [
            {"stream": "Step 1/2 : FROM scratch\n"},
            {"status": "Downloading", "progressDetail": {"current": 1}, "id": "abc"},
            {"status": "Pull complete", "progressDetail": {}, "id": "abc"},
            {"aux": {"ID": ID_A}},
            {"stream": "Successfully built aaaa\n"},
        ],
        "Building",
        log,
    )
    assert aux == [{"ID": ID_A}]
    assert log == ["Step 1/2 : FROM scratch", "abc: Pull complete", "Successfully built aaaa"]


def test_stream_error_carries_the_log():
    from ansible_collections.devops.docker.plugins.module_utils._image._progress import _stream_or_fail, _StreamError

    log: list[str] = []
    with pytest.raises(_StreamError) as err:
        _stream_or_fail(
            [{"stream": "Step 2/2 : RUN exit 3\n"}, {"stream": "marker\n"}, {"errorDetail": {"message": "returned 3"}}],
            "Building",
            log,
        )
    assert err.value.message == "returned 3"
    assert err.value.log == ["Step 2/2 : RUN exit 3", "marker"]
