# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.devops.docker.plugins.module_utils._diff import REDACTED, Tracker, redact


def test_no_difference_is_no_change():
    tracker = Tracker()
    assert tracker.compare("labels", {"a": "1"}, {"a": "1"}) is False
    res = tracker.result()
    assert res["changed"] is False
    assert res["actions"] == []
    assert res["diff"] == {"before": {}, "after": {}}


def test_differences_feed_changed_and_a_sorted_diff():
    tracker = Tracker()
    tracker.compare("labels", {"b": "2", "a": "1"}, {"a": "1"})
    tracker.state("absent", "present")
    assert tracker.changed
    assert tracker.different("labels") and not tracker.different("env")
    diff = tracker.diff
    assert list(diff["before"]) == ["labels", "state"]
    assert list(diff["before"]["labels"]) == ["a", "b"]
    assert diff["after"]["state"] == "present"


def test_actions_are_quoted_cli_commands():
    tracker = Tracker()
    cmd = tracker.action("docker", "container", "run", "--name", "web", "-e", "A=b c", "", None, "busybox")
    assert cmd == "docker container run --name web -e 'A=b c' busybox"
    assert tracker.result(extra=1) == {"changed": True, "actions": [cmd], "diff": {"before": {}, "after": {}}, "extra": 1}


@pytest.mark.parametrize(
    "value, expected",
    [
        ("PASSWORD=hunter2", "PASSWORD=" + REDACTED),
        ({"Env": ["A=1", "B=hunter2"]}, {"Env": ["A=1", "B=" + REDACTED]}),
        ([1, None, "x"], [1, None, "x"]),
    ],
)
def test_redact(value, expected):
    assert redact(value, ["hunter2", ""]) == expected
