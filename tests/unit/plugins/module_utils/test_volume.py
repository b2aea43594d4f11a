# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.devops.docker.plugins.module_utils._volume import (
    create_body,
    create_cli,
    desired_volume_summary,
    volume_differences,
    volume_summary,
)

VOLUME = {"Name": "dt-vol", "Driver": "local", "Options": {"type": "tmpfs", "device": "tmpfs"}, "Labels": {"a": "1"}}
NOTHING = {"driver": None, "driver_options": None, "labels": None}


@pytest.mark.parametrize("volume, desired, keys", [
    (VOLUME, {}, []),
    (VOLUME, {"driver": "local"}, []),
    (VOLUME, {"driver": "other"}, ["driver"]),
    (VOLUME, {"labels": {"a": "1"}}, []),
    (VOLUME, {"labels": {"a": "2"}}, ["labels"]),
    (VOLUME, {"labels": {}}, ["labels"]),  # a removed label is a difference
    (VOLUME, {"driver_options": {"device": "tmpfs", "type": "tmpfs"}}, []),
    (VOLUME, {"driver_options": {"type": "tmpfs"}}, ["driver_options"]),
    (dict(VOLUME, Options=None, Labels=None), {"driver_options": {}, "labels": {}}, []),
    (VOLUME, {"driver": "x", "driver_options": {}, "labels": {}}, ["driver", "driver_options", "labels"]),
])
def test_volume_differences(volume, desired, keys):
    assert [k for k, _b, _a in volume_differences(volume, dict(NOTHING, **desired))] == keys


def test_payload_cli_and_summaries():
    desired = {"driver": None, "driver_options": {"o": "size=1m", "type": "tmpfs"}, "labels": {"app": "x"}}
    assert create_body("v", desired) == {"Name": "v", "Driver": "local", "DriverOpts": desired["driver_options"],
                                         "Labels": {"app": "x"}}
    assert create_cli("v", desired) == ["docker", "volume", "create", "--driver", "local", "--opt", "o=size=1m",
                                        "--opt", "type=tmpfs", "--label", "app=x", "v"]
    assert volume_summary(None) is None
    assert volume_summary(VOLUME) == {"driver": "local", "driver_options": VOLUME["Options"], "labels": {"a": "1"}}
    assert desired_volume_summary(desired, None) == {"driver": "local", "driver_options": desired["driver_options"],
                                                     "labels": {"app": "x"}}
    assert desired_volume_summary({"driver": None, "driver_options": None, "labels": {}}, volume_summary(VOLUME))["labels"] == {}
