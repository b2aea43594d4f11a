# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""volume's recreate values for community.docker's behaviour: keep (its never) and always."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.devops.docker.plugins.module_utils._client import DockerError
from ansible_collections.devops.docker.plugins.module_utils._volume import VolumeManager


class FakeAPI:
    def __init__(self, labels: dict[str, str]) -> None:
        self.volume = {"Name": "dt-vol", "Driver": "local", "Options": {}, "Labels": labels, "Scope": "local"}
        self.changes: list[tuple[str, str]] = []

    def url(self, path: str, *args: str) -> str:
        return path.format(*args)

    def inspect_volume(self, name: str) -> dict[str, t.Any] | None:
        return self.volume

    def get(self, path: str, params: t.Any = None) -> t.Any:
        return []

    def post(self, path: str, params: t.Any = None, body: t.Any = None) -> t.Any:
        self.changes.append(("POST", path))
        return {}

    def delete(self, path: str, params: t.Any = None) -> t.Any:
        self.changes.append(("DELETE", path))
        return None


def run(api: FakeAPI, recreate: str, labels: dict[str, str], warnings: list[str]) -> dict[str, t.Any]:
    params = {"name": "dt-vol", "state": "present", "driver": None, "driver_options": None, "labels": labels,
              "recreate": recreate}
    return VolumeManager(api, params, False, warn=warnings.append).run()


def test_keep_leaves_a_differing_volume_with_a_warning() -> None:
    api, warnings = FakeAPI({"a": "1"}), []
    res = run(api, "keep", {"a": "2"}, warnings)
    assert not res["changed"] and not api.changes and "recreate: keep" in warnings[0]


def test_never_fails_on_a_difference() -> None:
    with pytest.raises(DockerError, match="recreate: options-changed"):
        run(FakeAPI({"a": "1"}), "never", {"a": "2"}, [])


@pytest.mark.parametrize("labels", [{"a": "1"}, {"a": "2"}])
def test_always_recreates_on_every_run(labels: dict[str, str]) -> None:
    api = FakeAPI({"a": "1"})
    res = run(api, "always", labels, [])
    assert res["changed"] and api.changes == [("DELETE", "/volumes/dt-vol"), ("POST", "/volumes/create")]
