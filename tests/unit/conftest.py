# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the unit tests share: one fake module and one fake daemon.

``FakeModule(api, params, check_mode=False, diff_mode=True)`` is what a module's ``main()`` hands a
manager; ``manager_for(ManagerClass, module)`` builds the manager the way ``DockerModule.manage``
does (api, params, check_mode, warn).  ``FakeDaemon`` answers inspects and lists from in-memory
objects and records every request, so a test can look at what a manager sent.

Import them as ``from ansible_collections.devops.docker.tests.unit.conftest import ...``.
"""

from __future__ import annotations

import copy
import io
import typing as t

import pytest


class FakeModule:
    """The parts of DockerModule a manager's caller uses."""

    def __init__(self, api: t.Any = None, params: dict[str, t.Any] | None = None, check_mode: bool = False,
                 diff_mode: bool = True) -> None:
        self.api = api
        self.params = params if params is not None else {}
        self.check_mode = check_mode
        self.diff_mode = diff_mode
        self.warnings: list[str] = []

    def warn(self, msg: str) -> None:
        self.warnings.append(msg)


def manager_for(manager_class: t.Any, module: FakeModule, **kwargs: t.Any) -> t.Any:
    """A manager built from plain inputs, as DockerModule.manage builds it."""
    return manager_class(module.api, module.params, module.check_mode, warn=module.warn, **kwargs)


class FakeDaemon:
    """An in-memory Engine API: containers, images, networks, volumes by name (or ID); every request is
    recorded in ``calls`` as (METHOD, path[, body]); ``answers`` plans the answer to (METHOD, path) (an
    exception there is raised); a request the test did not plan for fails it."""

    timeout = 60
    requested_version = None
    server_api_version = "1.41"

    def __init__(self, containers: t.Iterable[dict[str, t.Any]] = (), images: dict[str, dict[str, t.Any]] | None = None,
                 networks: t.Iterable[dict[str, t.Any]] = (), volumes: t.Iterable[dict[str, t.Any]] = (),
                 answers: dict[tuple[str, str], t.Any] | None = None) -> None:
        self.containers = {c["Name"].lstrip("/"): c for c in containers}
        self.images = dict(images or {})
        self.networks = {n["Name"]: n for n in networks}
        self.volumes = {v["Name"]: v for v in volumes}
        self.answers = dict(answers or {})
        self.calls: list[tuple[t.Any, ...]] = []
        self.queries: list[tuple[str, str, t.Any]] = []  # (METHOD, path, query parameters) of each request

    @staticmethod
    def url(path: str, *args: str) -> str:
        return path.format(*args)

    def writes(self) -> list[tuple[t.Any, ...]]:
        return [c for c in self.calls if c[0] != "GET"]

    @staticmethod
    def _find(objects: dict[str, dict[str, t.Any]], ref: str) -> dict[str, t.Any] | None:
        found = objects.get(ref) or next((o for o in objects.values() if o.get("Id") == ref), None)
        return copy.deepcopy(found)

    def inspect_container(self, name: str) -> dict[str, t.Any] | None:
        self.calls.append(("GET", "/containers/" + name))
        return self._find(self.containers, name)

    def inspect_image(self, name: str) -> dict[str, t.Any] | None:
        self.calls.append(("GET", "/images/" + name))
        return copy.deepcopy(self.images.get(name))

    def inspect_network(self, name: str) -> dict[str, t.Any] | None:
        self.calls.append(("GET", "/networks/" + name))
        return self._find(self.networks, name)

    def inspect_volume(self, name: str) -> dict[str, t.Any] | None:
        self.calls.append(("GET", "/volumes/" + name))
        return copy.deepcopy(self.volumes.get(name))

    def _answer(self, method: str, path: str, params: t.Any = None) -> t.Any:
        """The planned answer; an exception planned as the answer (an ``APIError``) is raised, a function is
        called with the query parameters and its result answered."""
        if (method, path) in self.answers:
            answer = self.answers[(method, path)]
            if isinstance(answer, BaseException):
                raise answer
            if callable(answer):
                return answer(params)
            return copy.deepcopy(answer)
        raise AssertionError(f"unexpected {method} {path}")

    def get(self, path: str, params: t.Any = None, **_kw: t.Any) -> t.Any:
        self.calls.append(("GET", path))
        self.queries.append(("GET", path, params))
        if ("GET", path) in self.answers:
            return self._answer("GET", path, params)
        if path == "/info":
            return {"Plugins": {"Network": ["bridge", "host", "ipvlan", "macvlan", "null", "overlay"], "Volume": ["local"]},
                    "Swarm": {"LocalNodeState": "inactive"}, "LoggingDriver": "json-file"}
        if path == "/containers/json":
            return self._list_containers((params or {}).get("filters") or {})
        if path == "/system/df":
            return {"Containers": [], "Images": [], "Volumes": [], "BuildCache": []}
        if path in ("/networks", "/plugins"):
            return []
        return self._answer("GET", path)

    def _list_containers(self, filters: dict[str, list[str]]) -> list[dict[str, t.Any]]:
        """GET /containers/json with the network and volume filters the managers use."""
        out = []
        for container in self.containers.values():
            nets = (container.get("NetworkSettings") or {}).get("Networks") or {}
            if "network" in filters and not set(filters["network"]) & (set(nets) | {n.get("NetworkID") for n in nets.values()}):
                continue
            if "volume" in filters and not any(m.get("Name") in filters["volume"] for m in container.get("Mounts", [])):
                continue
            out.append({"Id": container["Id"], "Names": [container["Name"]]})
        return out

    def get_or_none(self, path: str, params: t.Any = None) -> t.Any:
        self.calls.append(("GET", path))
        return copy.deepcopy(self.answers.get(("GET", path)))

    def post(self, path: str, params: t.Any = None, body: t.Any = None, **_kw: t.Any) -> t.Any:
        """Records the request; answers what the test planned, else what a create answers, else {}."""
        self.calls.append(("POST", path, body))
        self.queries.append(("POST", path, params))
        if ("POST", path) in self.answers:
            return self._answer("POST", path, params)
        if path == "/networks/create":
            return {"Id": "new-id", "Warning": ""}
        return {}

    def delete(self, path: str, params: t.Any = None, **_kw: t.Any) -> t.Any:
        self.calls.append(("DELETE", path))
        self.queries.append(("DELETE", path, params))
        return self._answer("DELETE", path) if ("DELETE", path) in self.answers else None

    def request(self, method: str, path: str, params: t.Any = None, body: t.Any = None, **_kw: t.Any) -> t.Any:
        """A raw response: the planned answer (a FakeResponse as is, anything else wrapped in one with status 200)."""
        self.calls.append((method, path, body))
        self.queries.append((method, path, params))
        answer = self._answer(method, path, params) if (method, path) in self.answers else None
        return answer if isinstance(answer, FakeResponse) else FakeResponse(answer)

    def stream(self, method: str, path: str, *args: t.Any, **_kw: t.Any) -> t.Iterator[dict[str, t.Any]]:
        self.calls.append((method, path))
        return iter(self._answer(method, path) or [])


class FakeResponse:
    """What DockerAPI.request returns: ``status``, ``headers``, ``read()`` and ``raw`` (the body, bytes),
    ``json()``, ``close()``."""

    def __init__(self, data: t.Any = None, status: int = 200, headers: dict[str, str] | None = None) -> None:
        self.data = data
        self.status = status
        self.headers = dict(headers or {})
        self.raw = io.BytesIO(data if isinstance(data, bytes) else b"")

    def read(self) -> bytes:
        return self.raw.read()

    def close(self) -> None:
        self.raw.close()

    def json(self) -> t.Any:
        return self.data


@pytest.fixture
def daemon() -> FakeDaemon:
    return FakeDaemon()


@pytest.fixture(autouse=True)
def _private_fingerprint_key(tmp_path_factory, monkeypatch):
    """Secret fingerprints (_fingerprint) use a key of the test session, never the machine's own."""
    from ansible_collections.devops.docker.plugins.module_utils import _fingerprint  # pylint: disable=import-outside-toplevel

    path = tmp_path_factory.getbasetemp() / "fingerprint" / "fingerprint.key"
    monkeypatch.setenv(_fingerprint.KEY_FILE_ENV, str(path))
