# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""How many Engine API requests a container and a Compose project cost (issues #12 and #14: speed).

A request the manager does not need is a round trip to the daemon per container; these tests pin the
counts, so a change that adds one shows here.  Compose tells the container manager what its listing,
its image inspect and its networks already said; a down stops every independent container at once.
"""

from __future__ import annotations

import threading

from ansible_collections.devops.docker.plugins.module_utils._compose._manager import ComposeManager
from ansible_collections.devops.docker.plugins.module_utils._compose._spec import (
    COMPOSE_ARGS,
    LABEL_NUMBER,
    LABEL_ONEOFF,
    LABEL_PROJECT,
    LABEL_SERVICE,
    spec_defaults,
)
from ansible_collections.devops.docker.plugins.module_utils._container._manager import ContainerManager
from ansible_collections.devops.docker.plugins.module_utils._container._table import container_defaults
from ansible_collections.devops.docker.tests.unit.conftest import FakeDaemon

IMAGE = "devops-test/busybox:latest"
IMAGE_DOC = {"Id": "sha256:" + "b" * 64, "Config": {"Cmd": ["sh"]}}


def _created(params):
    return {"Id": (params["name"].replace("-", "") * 64)[:64], "Warnings": []}


def _params(**values):
    params = container_defaults()
    params.update(name="dt-unit-c", image=IMAGE, command=["sleep", "3600"], pull="never")
    params.update(values)
    return params


def _paths(api):
    return [(call[0], call[1]) for call in api.calls]


def test_container_first_create_costs_five_requests():
    api = FakeDaemon(images={IMAGE: IMAGE_DOC}, answers={("POST", "/containers/create"): _created})
    result = ContainerManager(api, _params(), False).run()
    assert result["changed"]
    assert [c[0] for c in api.calls] == ["GET", "GET", "POST", "POST", "GET"]  # inspect, image, create, start, inspect
    assert _paths(api)[2:4] == [("POST", "/containers/create"), ("POST", "/containers/" + _created({"name": "dt-unit-c"})["Id"] + "/start")]


def test_container_told_what_the_caller_knows_creates_and_starts_only():
    """Compose's case: no container of the name (its listing), the image inspected, the network ensured."""
    api = FakeDaemon(answers={("POST", "/containers/create"): _created})
    params = _params(networks=[{"name": "dt-unit_default", "aliases": ["c"]}])
    manager = ContainerManager(api, params, False, known_absent=True, known_image=IMAGE_DOC,
                               known_networks={"dt-unit_default"}, inspect_result=False)
    result = manager.run()
    cid = _created({"name": "dt-unit-c"})["Id"]
    assert _paths(api) == [("POST", "/containers/create"), ("POST", f"/containers/{cid}/start")]
    assert result["changed"] and result["container"] == {}
    assert "docker container create --name dt-unit-c" in result["actions"][0]


def test_container_known_absent_meets_a_container_converges_with_it():
    """The listing said absent, but a container of the name appeared (a race): the create's conflict makes
    the manager inspect and converge with that one, as it does without the hint."""
    from ansible_collections.devops.docker.plugins.module_utils._client import Conflict

    api = FakeDaemon(images={IMAGE: IMAGE_DOC}, answers={
        ("POST", "/containers/create"): Conflict(409, 'Conflict. The container name "/dt-unit-c" is already in use', "POST", "/containers/create"),
    })
    existing = {"Id": "e" * 64, "Name": "/dt-unit-c", "Image": IMAGE_DOC["Id"], "State": {"Status": "running"},
                "Config": {"Image": IMAGE, "Cmd": ["sleep", "3600"], "Labels": {}}, "HostConfig": {}}
    api.inspect_container = lambda name: (api.calls.append(("GET", "/containers/" + name)),  # type: ignore[method-assign]
                                          dict(existing) if name == "dt-unit-c" else None)[1]
    manager = ContainerManager(api, _params(), False, known_absent=True, known_image=IMAGE_DOC, inspect_result=False)
    manager.run()
    assert _paths(api)[:2] == [("POST", "/containers/create"), ("GET", "/containers/dt-unit-c")]
    assert _paths(api).count(("POST", "/containers/create")) == 1  # converged with the one there, not created again


def _recreate_daemon():
    old = {"Id": "a" * 64, "Name": "/dt-unit-c", "Image": IMAGE_DOC["Id"], "State": {"Status": "running"},
           "Config": {"Image": IMAGE, "Cmd": ["sleep", "3600"], "Env": ["A=0"], "Labels": {}}, "HostConfig": {}}
    new_id = _created({"name": "dt-unit-c-dt-new-" + "a" * 12})["Id"]
    new = {**old, "Id": new_id, "Config": {**old["Config"], "Env": ["A=1"]}}
    api = FakeDaemon(containers=[old], images={IMAGE: IMAGE_DOC}, answers={("POST", "/containers/create"): _created})
    inspects = {"dt-unit-c": old, new_id: new}
    api.inspect_container = lambda name: (api.calls.append(("GET", "/containers/" + name)),  # type: ignore[method-assign]
                                          inspects.get(name))[1]
    return api, new_id


def test_container_recreate_inspects_the_new_container_once():
    api, new_id = _recreate_daemon()
    result = ContainerManager(api, _params(env={"A": "1"}), False).run()
    assert result["changed"] and result["container"]["Id"] == new_id
    assert api.calls.count(("GET", "/containers/" + new_id)) == 1
    # inspect, image, leftover; create, stop, start, remove, rename; inspect
    assert len(api.calls) == 9


def test_container_recreate_for_a_caller_that_needs_no_result_inspects_nothing_after():
    api, new_id = _recreate_daemon()
    ContainerManager(api, _params(env={"A": "1"}), False, known_image=IMAGE_DOC, inspect_result=False).run()
    assert ("GET", "/containers/" + new_id) not in api.calls
    assert len(api.calls) == 7


def _compose(api, services, state="present"):
    definition = {"services": {name: {"image": IMAGE, "command": ["sleep", "3600"], "stop_grace_period": "5s"}
                               for name in services}}
    params = {**spec_defaults(COMPOSE_ARGS), "definition": definition, "project_name": "dt-unit", "state": state,
              "pull": "never"}
    return ComposeManager(api, params, False)


def test_compose_up_costs_two_requests_per_new_container():
    api = FakeDaemon(images={IMAGE: IMAGE_DOC}, answers={("POST", "/containers/create"): _created,
                                                         ("GET", "/containers/json"): []})
    result = _compose(api, ["s1", "s2", "s3"]).run()
    assert result["changed"]
    creates = [p for p in _paths(api) if p == ("POST", "/containers/create")]
    starts = [p for p in _paths(api) if p[0] == "POST" and p[1].endswith("/start")]
    assert len(creates) == 3 and len(starts) == 3
    # listing, image, network inspect + create, 3 x (create, start), listing for the result
    assert len(api.calls) == 1 + 1 + 2 + 3 * 2 + 1


def test_compose_down_stops_every_independent_container_at_once():
    """Ten containers that each take their whole stop timeout: all ten stops are sent before any returns
    (a barrier of ten in the daemon's stop answer), so a down costs one stop_grace_period, not ten."""
    services = [f"s{i}" for i in range(1, 11)]
    summaries = [{"Id": f"{i:x}" * 64, "Names": [f"/dt-unit-{name}-1"], "State": "running", "Image": IMAGE,
                  "Labels": {LABEL_PROJECT: "dt-unit", LABEL_SERVICE: name, LABEL_NUMBER: "1", LABEL_ONEOFF: "False"}}
                 for i, name in enumerate(services, start=1)]
    barrier = threading.Barrier(len(services), timeout=20)

    def stop(_params):
        barrier.wait()  # raises BrokenBarrierError when the ten stops are not under way together

    answers = {("GET", "/containers/json"): summaries, ("GET", "/networks"): []}
    answers.update({("POST", f"/containers/{s['Id']}/stop"): stop for s in summaries})
    api = FakeDaemon(answers=answers)
    result = _compose(api, services, state="absent").run()
    assert result["changed"]
    assert len([c for c in api.calls if c[1].endswith("/stop")]) == 10
    assert len([c for c in api.calls if c[0] == "DELETE"]) == 10
    stops = [q for q in api.queries if q[1].endswith("/stop")]
    assert all(q[2] == {"t": 5} for q in stops)  # each with the service's stop_grace_period
