# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""community.docker's split image modules: names, the extra build/pull options, tag and remove decisions."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.devops.docker.plugins.module_utils._client import DockerError
from ansible_collections.devops.docker.plugins.module_utils._image_split import (
    REMOVE_ARGS,
    TAG_ARGS,
    _ExtraArgvTracker,
    _ExtraQueryAPI,
    _platform_matches,
    image_ref,
    remove,
    tag,
)

ID_A = "sha256:" + "a" * 64
ID_B = "sha256:" + "b" * 64


@pytest.mark.parametrize(
    "name, tag_, expected",
    [
        ("hello", "latest", "hello:latest"),
        ("hello", "1.0", "hello:1.0"),
        ("hello:2.0", "1.0", "hello:2.0"),  # a tag in name wins
        ("localhost:5001/team/app", "3", "localhost:5001/team/app:3"),
        ("hello@sha256:" + "c" * 64, "1.0", "hello@sha256:" + "c" * 64),
    ],
)
def test_image_ref(name: str, tag_: str, expected: str) -> None:
    assert image_ref(name, tag_) == expected


def test_image_ref_ids() -> None:
    assert image_ref(ID_A, "latest", allow_id=True) == ID_A
    with pytest.raises(DockerError):
        image_ref("Not Valid", "latest")


class RecordingAPI:
    def __init__(self) -> None:
        self.seen: list[tuple[str, str, t.Any]] = []

    def request(self, method: str, path: str, params: t.Any = None, *args: t.Any, **kwargs: t.Any) -> t.Any:
        self.seen.append((method, path, params))
        return None


def test_extra_query_api_repeats_list_values() -> None:
    api = RecordingAPI()
    wrapped = _ExtraQueryAPI(api, {("POST", "/build"): {"extrahosts": ("a:10.0.0.1", "b:10.0.0.2"), "cachefrom": ["x:1"]}})
    wrapped.request("POST", "/v1.41/build", {"t": "app:1", "nocache": False, "target": None})
    method, path, params = api.seen[0]
    assert params is None
    assert path.startswith("/v1.41/build?")
    query = path.split("?", 1)[1]
    assert "extrahosts=a%3A10.0.0.1&extrahosts=b%3A10.0.0.2" in query
    assert "cachefrom=%5B%22x%3A1%22%5D" in query and "t=app%3A1" in query and "nocache=0" in query
    assert "target" not in query
    wrapped.request("POST", "/images/create", {"fromImage": "x"})
    assert api.seen[1] == ("POST", "/images/create", {"fromImage": "x"})  # other endpoints untouched


def test_extra_argv_tracker() -> None:
    tracker = _ExtraArgvTracker(("docker", "image", "build"), ["--platform", "linux/amd64"])
    tracker.action("docker", "image", "build", "-t", "app:1", "/ctx")
    tracker.action("docker", "image", "tag", "app:1", "app:2")
    assert tracker.actions == ["docker image build -t app:1 --platform linux/amd64 /ctx", "docker image tag app:1 app:2"]


@pytest.mark.parametrize(
    "platform, expected",
    [(None, True), ("linux/amd64", True), ("amd64", True), ("linux/arm64", False), ("windows/amd64", False), ("linux/x86_64", True)],
)
def test_platform_matches(platform: str | None, expected: bool) -> None:
    assert _platform_matches({"Os": "linux", "Architecture": "amd64"}, platform) is expected


class FakeImages:
    def __init__(self, images: dict[str, dict[str, t.Any]]) -> None:
        self.images = images
        self.changes: list[tuple[str, str, t.Any]] = []

    def url(self, path: str, *args: str) -> str:
        return path.format(*args)

    def inspect_image(self, ref: str) -> dict[str, t.Any] | None:
        return self.images.get(ref)

    def post(self, path: str, params: t.Any = None, *args: t.Any, **kwargs: t.Any) -> t.Any:
        self.changes.append(("POST", path, params))
        image = next(i for i in self.images.values() if path == f"/images/{i['Id']}/tag")
        self.images[f"{params['repo']}:{params['tag']}"] = image
        return None

    def delete(self, path: str, params: t.Any = None, **kwargs: t.Any) -> t.Any:
        self.changes.append(("DELETE", path, params))
        return [{"Untagged": path.rsplit("/", 1)[-1]}]


class FakeModule:
    def __init__(self, api: FakeImages, spec: dict[str, t.Any], check_mode: bool, **params: t.Any) -> None:
        self.params = {key: s.get("default") for key, s in spec.items()}
        self.params.update(params)
        self.api = api
        self.check_mode = check_mode
        self.diff_mode = True


def test_tag_idempotent_and_keep() -> None:
    a = {"Id": ID_A, "RepoTags": ["app:1"]}
    b = {"Id": ID_B, "RepoTags": ["other:1"]}
    api = FakeImages({"app:1": a, "other:1": b})
    res = tag(FakeModule(api, TAG_ARGS, True, name="app", tag="1", repository=["app:2", "other:1"]))
    assert res["changed"] and res["tagged_images"] == ["app:2", "other:1"] and not api.changes
    res = tag(FakeModule(api, TAG_ARGS, False, name="app", tag="1", repository=["app:2", "other:1"], existing_images="keep"))
    assert res["tagged_images"] == ["app:2"] and len(api.changes) == 1
    res = tag(FakeModule(api, TAG_ARGS, False, name="app", tag="1", repository=["app:2"]))
    assert not res["changed"] and res["actions"] == []


def test_remove_check_mode_predicts_and_missing_is_no_change() -> None:
    a = {"Id": ID_A, "RepoTags": ["app:1", "app:2"]}
    api = FakeImages({"app:1": a, "app:2": a})
    res = remove(FakeModule(api, REMOVE_ARGS, True, name="app", tag="1"))
    assert res["changed"] and res["untagged"] == ["app:1"] and res["deleted"] == [] and not api.changes
    res = remove(FakeModule(api, REMOVE_ARGS, False, name="app", tag="1", prune=False))
    assert api.changes == [("DELETE", "/images/app:1", {"force": False, "noprune": True})]
    assert res["actions"] == ["docker image rm --no-prune app:1"]
    res = remove(FakeModule(api, REMOVE_ARGS, False, name="gone", tag="1"))
    assert not res["changed"] and res["image"] == {}
