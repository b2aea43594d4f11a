# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the registry v2 client: URL rules, Link and challenge parsing,
and the whole request flow (pagination, basic auth, bearer tokens, errors)
against a fake registry served by http.server on 127.0.0.1."""

from __future__ import annotations

import base64
import json
import threading
import typing as t
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from ansible_collections.devops.docker.plugins.module_utils._client import DockerError
from ansible_collections.devops.docker.plugins.module_utils._registry import (
    RegistryClient,
    check_reference,
    check_repository,
    normalize_registry_url,
    parse_challenge,
    parse_link_next,
    query_registry,
)
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError


# ---------------------------------------------------------------- pure helpers
@pytest.mark.parametrize(
    "value, expected",
    [
        ("http://127.0.0.1:5001", "http://127.0.0.1:5001"),
        ("http://127.0.0.1:5001/", "http://127.0.0.1:5001"),
        ("http://127.0.0.1:5001/v2/", "http://127.0.0.1:5001"),
        ("127.0.0.1:5001", "http://127.0.0.1:5001"),
        ("127.1.2.3:5001", "http://127.1.2.3:5001"),
        ("localhost:5001", "http://localhost:5001"),
        ("localhost", "http://localhost"),
        ("[::1]:5000", "http://[::1]:5000"),
        ("registry.example.com:5000", "https://registry.example.com:5000"),
        ("registry.example.com", "https://registry.example.com"),
        ("10.0.0.5:5000", "https://10.0.0.5:5000"),
        ("https://registry.example.com/prefix/", "https://registry.example.com/prefix"),
        ("  HTTPS://Registry.Example.com  ", "https://registry.example.com"),
    ],
)
def test_normalize_url(value: str, expected: str) -> None:
    assert normalize_registry_url(value) == expected


@pytest.mark.parametrize(
    "value, fragment",
    [
        ("", "is required"),
        (None, "is required"),
        ("ftp://host", "scheme 'ftp'"),
        ("http://", "no valid host"),
        ("http://user:pw@host", "credentials go in username"),
        ("http://127.0.0.1:99999", "invalid port"),
        ("http://127.0.0.1:abc", "invalid port"),
        ("http://ho st:5000", "whitespace"),
        ("http://host:5000/?x=1", "query"),
        ("http://ho!st:5000", "invalid host"),
    ],
)
def test_normalize_url_errors(value: t.Any, fragment: str) -> None:
    with pytest.raises(SpecError) as exc:
        normalize_registry_url(value)
    assert fragment in str(exc.value)
    assert "url:" in str(exc.value)


@pytest.mark.parametrize("value", ["a", "my-app", "team/my-app", "a.b/c_d/e__f"])
def test_repository_ok(value: str) -> None:
    assert check_repository(value) == value


@pytest.mark.parametrize("value", ["", "My-App", "app:1.0", "/app", "app/", "-app", "localhost:5000/app"])
def test_repository_bad(value: str) -> None:
    with pytest.raises(SpecError, match="repository:"):
        check_repository(value)


@pytest.mark.parametrize("value", ["latest", "1.0", "v1_2-rc", "sha256:" + "a" * 64])
def test_reference_ok(value: str) -> None:
    assert check_reference(value) == value


@pytest.mark.parametrize("value", ["", ".hidden", "-x", "a" * 129, "sha256:xyz", "a b"])
def test_reference_bad(value: str) -> None:
    with pytest.raises(SpecError, match="tag:"):
        check_reference(value)


@pytest.mark.parametrize(
    "header, expected",
    [
        (None, None),
        ("", None),
        ('</v2/_catalog?last=b&n=2>; rel="next"', "/v2/_catalog?last=b&n=2"),
        ("</v2/_catalog?last=b&n=2>; rel=next", "/v2/_catalog?last=b&n=2"),
        ('<http://h/a>; rel="prev", <http://h/b>; rel="next"', "http://h/b"),
        ('<http://h/a>; rel="prev"', None),
    ],
)
def test_parse_link_next(header: str | None, expected: str | None) -> None:
    assert parse_link_next(header) == expected


@pytest.mark.parametrize(
    "header, scheme, params",
    [
        (None, "", {}),
        ('Basic realm="Registry Realm"', "basic", {"realm": "Registry Realm"}),
        (
            'Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull,push"',
            "bearer",
            {"realm": "https://auth.example.com/token", "service": "registry.example.com", "scope": "repository:a/b:pull,push"},
        ),
        ("Bearer realm=http://x/token,service=svc", "bearer", {"realm": "http://x/token", "service": "svc"}),
    ],
)
def test_parse_challenge(header: str | None, scheme: str, params: dict[str, str]) -> None:
    assert parse_challenge(header) == (scheme, params)


# ---------------------------------------------------------------- fake registry
MANIFEST = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json"}).encode()
DIGEST = "sha256:" + "ab" * 32


class FakeRegistry:
    """A registry with repositories r0..r4, pagination, and basic or bearer auth."""

    def __init__(self, auth: str = "none", send_digest: bool = True) -> None:
        self.auth = auth  # none, basic, bearer
        self.send_digest = send_digest
        self.repos = {f"r{i}": [f"t{j}" for j in range(3)] for i in range(5)}
        self.user, self.password = "alice", "s3cret!"
        self.token = "tok-123"
        self.log: list[tuple[str, str, str]] = []
        self.token_requests: list[dict[str, list[str]]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: t.Any) -> None:  # silence
                pass

            def do_GET(self) -> None:  # noqa: N802
                fake.handle(self, "GET")

            def do_HEAD(self) -> None:  # noqa: N802
                fake.handle(self, "HEAD")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> FakeRegistry:
        self.thread.start()
        return self

    def __exit__(self, *args: t.Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    def send(self, h: BaseHTTPRequestHandler, status: int, body: t.Any = None, headers: dict[str, str] | None = None,
             method: str = "GET") -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode() if body is not None else b""
        h.send_response(status)
        for key, val in (headers or {}).items():
            h.send_header(key, val)
        h.send_header("Content-Length", str(len(data)))
        if "Content-Type" not in (headers or {}):
            h.send_header("Content-Type", "application/json")
        h.end_headers()
        if method != "HEAD":
            h.wfile.write(data)

    def handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(h.path)
        query = parse_qs(parts.query)
        authz = h.headers.get("Authorization", "")
        self.log.append((method, h.path, authz))
        basic = "Basic " + base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        if parts.path == "/token":
            self.token_requests.append(query)
            if authz != basic:
                self.send(h, 401, {"details": "bad credentials"})
                return
            self.send(h, 200, {"token": self.token, "expires_in": 300})
            return
        if self.auth == "basic" and authz != basic:
            self.send(h, 401, {"errors": [{"code": "UNAUTHORIZED", "message": "authentication required"}]},
                      {"WWW-Authenticate": 'Basic realm="Registry Realm"'}, method)
            return
        if self.auth == "bearer" and authz != "Bearer " + self.token:
            scope = "registry:catalog:*"
            if parts.path.startswith("/v2/") and parts.path != "/v2/_catalog":
                scope = "repository:" + parts.path[4:].rsplit("/", 2)[0] + ":pull"
            challenge = f'Bearer realm="{self.url}/token",service="fake-registry",scope="{scope}"'
            self.send(h, 401, {"errors": [{"code": "UNAUTHORIZED", "message": "authentication required"}]},
                      {"WWW-Authenticate": challenge}, method)
            return
        if parts.path == "/v2/_catalog":
            self.page(h, sorted(self.repos), "repositories", "/v2/_catalog", query)
            return
        if parts.path.endswith("/tags/list"):
            name = parts.path[4:-len("/tags/list")]
            if name not in self.repos:
                self.send(h, 404, {"errors": [{"code": "NAME_UNKNOWN", "message": "repository name not known to registry"}]})
                return
            self.page(h, self.repos[name], "tags", f"/v2/{name}/tags/list", query, extra={"name": name})
            return
        if "/manifests/" in parts.path:
            name, ref = parts.path[4:].split("/manifests/")
            if name not in self.repos:
                self.send(h, 404, {"errors": [{"code": "NAME_UNKNOWN", "message": "unknown"}]}, method=method)
            elif ref not in self.repos[name]:
                self.send(h, 404, {"errors": [{"code": "MANIFEST_UNKNOWN", "message": "unknown"}]}, method=method)
            else:
                headers = {"Content-Type": "application/vnd.docker.distribution.manifest.v2+json"}
                if self.send_digest:
                    headers["Docker-Content-Digest"] = DIGEST
                self.send(h, 200, MANIFEST, headers, method)
            return
        self.send(h, 404, {"errors": [{"code": "NOT_FOUND"}]}, method=method)

    def page(self, h: BaseHTTPRequestHandler, items: list[str], key: str, path: str, query: dict[str, list[str]],
             extra: dict[str, str] | None = None) -> None:
        last = query.get("last", [""])[0]
        size = int(query.get("n", ["100"])[0])
        rest = [i for i in items if i > last] if last else list(items)
        chunk = rest[:size]
        headers = {}
        if len(rest) > size:
            headers["Link"] = f'<{path}?last={chunk[-1]}&n={size}>; rel="next"'
        self.send(h, 200, {**(extra or {}), key: chunk}, headers)


def params(url: str = "", **kw: t.Any) -> dict[str, t.Any]:
    base = {"url": url, "repository": None, "tag": None, "page_size": None, "username": None, "password": None,
            "validate_certs": True, "ca_path": None, "timeout": 5}
    base.update(kw)
    return base


@pytest.mark.parametrize("page_size, pages", [(None, 1), (1, 5), (2, 3), (5, 1), (100, 1)])
def test_catalog_pagination(page_size: int | None, pages: int) -> None:
    with FakeRegistry() as reg:
        result = query_registry(params(reg.url, page_size=page_size))
    assert result["repositories"] == ["r0", "r1", "r2", "r3", "r4"]
    assert len([entry for entry in reg.log if entry[1].startswith("/v2/_catalog")]) == pages
    assert result["url"] == reg.url


def test_tags_and_digest() -> None:
    with FakeRegistry() as reg:
        result = query_registry(params(reg.url, repository="r1", tag="t2", page_size=1))
    assert result["tags"] == ["t0", "t1", "t2"]
    assert result["digest"] == DIGEST
    assert result["media_type"] == "application/vnd.docker.distribution.manifest.v2+json"
    heads = [entry for entry in reg.log if entry[0] == "HEAD"]
    assert len(heads) == 1 and heads[0][1] == "/v2/r1/manifests/t2"
    assert "repositories" not in result


def test_digest_computed_without_header() -> None:
    import hashlib

    with FakeRegistry(send_digest=False) as reg:
        result = query_registry(params(reg.url, repository="r0", tag="t0"))
    assert result["digest"] == "sha256:" + hashlib.sha256(MANIFEST).hexdigest()


@pytest.mark.parametrize(
    "kw, fragment",
    [
        ({"repository": "nope"}, "repository 'nope' does not exist"),
        ({"repository": "r0", "tag": "nope"}, "tag 'nope' of repository 'r0' does not exist"),
    ],
)
def test_missing(kw: dict[str, str], fragment: str) -> None:
    with FakeRegistry() as reg:
        with pytest.raises(DockerError) as exc:
            query_registry(params(reg.url, **kw))
    assert fragment in exc.value.msg


@pytest.mark.parametrize("auth", ["basic", "bearer"])
def test_auth_ok(auth: str) -> None:
    with FakeRegistry(auth=auth) as reg:
        result = query_registry(params(reg.url, username="alice", password="s3cret!", page_size=2))
        tags = query_registry(params(reg.url, username="alice", password="s3cret!", repository="r3", tag="t1"))
    assert result["repositories"] == ["r0", "r1", "r2", "r3", "r4"]
    assert tags["tags"] == ["t0", "t1", "t2"] and tags["digest"] == DIGEST
    if auth == "bearer":
        scopes = [q.get("scope") for q in reg.token_requests]
        assert ["registry:catalog:*"] in scopes
        assert ["repository:r3:pull"] in scopes
        assert all(q.get("service") == ["fake-registry"] and q.get("account") == ["alice"] for q in reg.token_requests)
        # The token is fetched once per scope and then reused across pages.
        assert scopes.count(["registry:catalog:*"]) == 1


@pytest.mark.parametrize("auth", ["basic", "bearer"])
def test_auth_wrong_password(auth: str) -> None:
    with FakeRegistry(auth=auth) as reg:
        with pytest.raises(DockerError) as exc:
            query_registry(params(reg.url, username="alice", password="wrong"))
    assert "authentication failed for alice at" in exc.value.msg
    assert "wrong" not in exc.value.msg


@pytest.mark.parametrize("auth", ["basic", "bearer"])
def test_auth_anonymous(auth: str) -> None:
    with FakeRegistry(auth=auth) as reg:
        with pytest.raises(DockerError) as exc:
            query_registry(params(reg.url))
    assert "requires authentication" in exc.value.msg and "set username and password" in exc.value.msg


def test_unreachable() -> None:
    with FakeRegistry() as reg:
        url = reg.url
    with pytest.raises(DockerError) as exc:
        query_registry(params(url))
    assert f"Cannot reach the registry at {url}" in exc.value.msg


def test_not_a_registry() -> None:
    with FakeRegistry() as reg:
        client = RegistryClient(reg.url + "/elsewhere")
        with pytest.raises(DockerError) as exc:
            client.catalog()
    assert "not a Docker registry" in exc.value.msg


@pytest.mark.parametrize(
    "kw, fragment",
    [
        ({"tag": "latest"}, "tag: needs repository"),
        ({"repository": "Bad Name"}, "repository:"),
        ({"repository": "r0", "tag": "-bad"}, "tag:"),
        ({"page_size": 0}, "page_size:"),
        ({"password": "x"}, "password: is set without username"),
        ({"url": "ftp://x"}, "url:"),
    ],
)
def test_bad_input_makes_no_request(kw: dict[str, t.Any], fragment: str) -> None:
    with FakeRegistry() as reg:
        with pytest.raises(DockerError) as exc:
            query_registry(params(**{"url": reg.url, **kw}))
    assert fragment in exc.value.msg
    assert reg.log == []


def test_http_to_https_server() -> None:
    with FakeRegistry() as reg:
        reg.repos = {}
        original = reg.handle

        def handle(h: BaseHTTPRequestHandler, method: str) -> None:
            reg.send(h, 400, b"Client sent an HTTP request to an HTTPS server.\n", {"Content-Type": "text/plain"})

        reg.handle = handle  # type: ignore[method-assign]
        with pytest.raises(DockerError) as exc:
            query_registry(params(reg.url))
        reg.handle = original  # type: ignore[method-assign]
    assert "speaks HTTPS" in exc.value.msg and "https://" in exc.value.msg
