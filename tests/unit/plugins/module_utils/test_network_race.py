# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Two runs creating the same network at once (found by reliability_faults):
the loser of the daemon's 409 converges with the winner, and when the daemon's
racy duplicate check let both create, every run keeps the same one."""

from __future__ import annotations

import pytest

from ansible_collections.devops.docker.plugins.module_utils._client import Conflict
from ansible_collections.devops.docker.plugins.module_utils._network._manager import NetworkManager

from ansible_collections.devops.docker.tests.unit.conftest import FakeModule, manager_for
from ansible_collections.devops.docker.tests.unit.plugins.module_utils.test_network_volume_managers import (
    FakeAPI,
    net_params,
    network,
)


class RaceAPI(FakeAPI):
    """The network appears (made by 'another run') between our inspect and our create."""

    def __init__(self, other_ids, our_id="our-id", conflict=False):
        super().__init__()
        self.other_ids = other_ids
        self.our_id = our_id
        self.conflict = conflict
        self.listed = []

    def get(self, path, params=None, **kw):
        if path == "/networks":
            self.calls.append(("GET", path))
            return self.listed
        return super().get(path, params, **kw)

    def post(self, path, params=None, body=None, **kw):
        if path == "/networks/create":
            self.calls.append(("POST", path, body))
            for nid in self.other_ids:  # the other run's network
                self.networks.setdefault("dt-net", network(nid=nid))
                self.listed.append({"Name": "dt-net", "Id": nid})
            if self.conflict:
                raise Conflict(409, "network with name dt-net already exists", "POST", path)
            self.listed.append({"Name": "dt-net", "Id": self.our_id})
            return {"Id": self.our_id, "Warning": ""}
        return super().post(path, params, body, **kw)

    def delete(self, path, params=None, **kw):
        self.calls.append(("DELETE", path))
        self.listed = [n for n in self.listed if not path.endswith(n["Id"])]


def test_conflict_on_create_converges_with_the_winner():
    api = RaceAPI(["their-id"], conflict=True)
    result = manager_for(NetworkManager, FakeModule(api, net_params())).run()
    assert not result["changed"]
    assert result["actions"] == []
    assert [c[1] for c in api.writes()] == ["/networks/create"]


@pytest.mark.parametrize("their_id, our_id, removed", [
    ("aaa", "bbb", ["/networks/bbb"]),  # ours is the duplicate: removed
    ("bbb", "aaa", []),                 # ours is kept: the other run removes its own
])
def test_duplicates_left_by_the_daemon_keep_the_smallest_id(their_id, our_id, removed):
    api = RaceAPI([their_id], our_id=our_id)
    manager = manager_for(NetworkManager, FakeModule(api, net_params()))
    manager.run()
    assert [c[1] for c in api.writes() if c[0] == "DELETE"] == removed
    assert manager.network_id == min(their_id, our_id)


def test_no_duplicate_no_extra_request():
    api = RaceAPI([])
    manager = manager_for(NetworkManager, FakeModule(api, net_params()))
    result = manager.run()
    assert result["changed"]
    assert manager.network_id == "our-id"
    assert [c[0] for c in api.writes()] == ["POST"]
