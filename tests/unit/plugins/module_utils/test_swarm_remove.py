# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""community.docker's docker_swarm state=remove with node_id: docker node rm through the node manager."""

from __future__ import annotations

import json

import pytest
from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

from ansible_collections.devops.docker.plugins.modules import swarm


def run_swarm(monkeypatch, capsys, args):
    monkeypatch.setattr(basic, "_ANSIBLE_ARGS", to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args})))
    monkeypatch.setattr(basic, "_ANSIBLE_PROFILE", "legacy", raising=False)
    with pytest.raises(SystemExit):
        swarm.main()
    return json.loads(capsys.readouterr().out)


def test_state_remove_runs_the_node_manager_with_node_id(monkeypatch, capsys):
    seen = {}

    class FakeNodeManager:
        def __init__(self, api, params, check_mode, warn=None):
            seen.update(params=params, check_mode=check_mode)

        def run(self):
            return {"changed": True, "actions": ["docker node rm --force n2"]}

    monkeypatch.setattr(swarm, "NodeManager", FakeNodeManager)
    monkeypatch.setattr(swarm.SwarmManager, "__init__", lambda *a, **k: pytest.fail("the swarm manager must not run"))
    result = run_swarm(monkeypatch, capsys, {"state": "remove", "node_id": "n2", "force": True, "_ansible_check_mode": True})
    assert seen == {"params": {"hostname": "n2", "state": "absent", "force": True}, "check_mode": True}
    assert result["changed"] and result["actions"] == ["docker node rm --force n2"]


def test_state_remove_needs_node_id(monkeypatch, capsys):
    result = run_swarm(monkeypatch, capsys, {"state": "remove"})
    assert result["failed"] and "node_id" in result["msg"]
