# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Image name parsing: registry host with port, tag, digest, invalid names."""

from __future__ import annotations

import pytest

from ansible_collections.devops.docker.plugins.module_utils._image_registry import _normalize_key, stored_credentials
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._images import (
    ImageName,
    familiar_name,
    familiar_repository,
    is_image_id,
    is_local_registry,
    parse_image_name,
    parse_tag_target,
    registry_host,
)

DIGEST = "sha256:" + "0123456789abcdef" * 4


@pytest.mark.parametrize(
    "text, registry, path, tag, digest",
    [
        ("busybox", None, "busybox", None, None),
        ("busybox:1.36", None, "busybox", "1.36", None),
        ("devops-test/busybox:latest", None, "devops-test/busybox", "latest", None),
        ("localhost:5001/app", "localhost:5001", "app", None, None),
        ("localhost:5001/team/app:1.0", "localhost:5001", "team/app", "1.0", None),
        ("127.0.0.1:15001/dt-img/x:v2", "127.0.0.1:15001", "dt-img/x", "v2", None),
        ("localhost/app:1", "localhost", "app", "1", None),
        ("registry.example.com/a/b/c:tag_1", "registry.example.com", "a/b/c", "tag_1", None),
        ("registry.example.com:443/app", "registry.example.com:443", "app", None, None),
        (f"app@{DIGEST}", None, "app", None, DIGEST),
        (f"localhost:5001/app:1.0@{DIGEST}", "localhost:5001", "app", "1.0", DIGEST),
        ("my_app__x.y-z", None, "my_app__x.y-z", None, None),
        ("  spaced:1  ", None, "spaced", "1", None),
    ],
)
def test_parse_valid(text, registry, path, tag, digest):
    assert parse_image_name(text) == ImageName(registry, path, tag, digest)


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "required"),
        (None, "required"),
        ("Upper/Case", "not a valid image name"),
        ("app:", "invalid tag"),
        ("app:-bad", "invalid tag"),
        ("app:" + "x" * 129, "invalid tag"),
        ("app@sha256:short", "invalid digest"),
        ("bad_host.io/app", "invalid registry host"),
        ("bad host!/app", "not a valid image name"),
        ("app//double", "not a valid image name"),
        ("-leading", "not a valid image name"),
        ("localhost:5001/", "not a valid image name"),
        ("a b", "not a valid image name"),
    ],
)
def test_parse_invalid_names_the_option(text, message):
    with pytest.raises(SpecError, match=message) as err:
        parse_image_name(text, "repository")
    assert str(err.value).startswith("repository:")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("busybox", "busybox:latest"),
        ("docker.io/library/busybox:1", "busybox:1"),
        ("docker.io/team/app", "team/app:latest"),
        ("localhost:5001/app:2", "localhost:5001/app:2"),
        (f"app@{DIGEST}", f"app@{DIGEST}"),
    ],
)
def test_familiar_name(text, expected):
    assert familiar_name(parse_image_name(text)) == expected


def test_repository_and_reference():
    name = parse_image_name("localhost:5001/team/app:1.0")
    assert name.repository == "localhost:5001/team/app"
    assert familiar_repository(name) == "localhost:5001/team/app"
    assert name.reference == "1.0"
    assert str(name) == "localhost:5001/team/app:1.0"
    assert parse_image_name("app").reference == "latest"


@pytest.mark.parametrize(
    "text, host",
    [("busybox", "docker.io"), ("docker.io/x/y", "docker.io"), ("localhost:5001/a", "localhost:5001"), ("r.io/a", "r.io")],
)
def test_registry_host(text, host):
    assert registry_host(parse_image_name(text)) == host


@pytest.mark.parametrize(
    "host, local",
    [
        ("localhost:5001", True),
        ("localhost", True),
        ("127.0.0.1:15001", True),
        ("127.1.2.3", True),
        ("[::1]:5000", True),
        ("registry.example.com:5000", False),
        ("docker.io", False),
        ("localhost.example.com", False),
    ],
)
def test_is_local_registry(host, local):
    assert is_local_registry(host) is local


def test_tag_target_takes_the_source_tag_when_it_has_none():
    assert parse_tag_target("localhost:5001/app", "1.0") == ImageName("localhost:5001", "app", "1.0", None)
    assert parse_tag_target("localhost:5001/app:2", "1.0").tag == "2"
    assert parse_tag_target("app", None).tag == "latest"
    with pytest.raises(SpecError, match="digest"):
        parse_tag_target(f"app@{DIGEST}", "1")


@pytest.mark.parametrize(
    "value, result",
    [(DIGEST, True), ("sha256:abc", False), ("0123456789ab", False), (None, False), ("busybox", False)],
)
def test_is_image_id(value, result):
    assert is_image_id(value) is result


@pytest.mark.parametrize(
    "key, host",
    [
        ("localhost:5001", "localhost:5001"),
        ("http://localhost:5001", "localhost:5001"),
        ("https://localhost:5001/v1/", "localhost:5001"),
        ("https://index.docker.io/v1/", "docker.io"),
    ],
)
def test_config_keys_normalize(key, host):
    assert _normalize_key(key) == host


def test_stored_credentials_from_config_json(tmp_path):
    import base64
    import json

    path = tmp_path / "config.json"
    auth = base64.b64encode(b"alice:s3cr:et").decode()
    path.write_text(json.dumps({"auths": {"http://localhost:15001": {"auth": auth}}}))
    assert stored_credentials("localhost:15001", str(path)) == ("alice", "s3cr:et")
    assert stored_credentials("localhost:5001", str(path)) is None
    assert stored_credentials("localhost:15001", str(tmp_path / "missing.json")) is None


def _fake_helper(tmp_path, monkeypatch, name, secrets):
    """A docker-credential-<name> on PATH that knows the given {server: (user, secret)}."""
    import json  # pylint: disable=import-outside-toplevel

    script = tmp_path / f"docker-credential-{name}"
    script.write_text(
        "#!/usr/bin/env python3\n"
        "import json, sys\n"
        f"SECRETS = {json.dumps({k: list(v) for k, v in secrets.items()})}\n"
        "server = sys.stdin.read().strip()\n"
        "if sys.argv[1] != 'get' or server not in SECRETS:\n"
        "    print('credentials not found in native keychain'); sys.exit(1)\n"
        "print(json.dumps({'ServerURL': server, 'Username': SECRETS[server][0], 'Secret': SECRETS[server][1]}))\n"
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:" + __import__("os").environ["PATH"])


def test_stored_credentials_from_a_helper(tmp_path, monkeypatch):
    import json  # pylint: disable=import-outside-toplevel

    _fake_helper(tmp_path, monkeypatch, "dtstore", {"localhost:15001": ("bob", "from-store")})
    _fake_helper(tmp_path, monkeypatch, "dthelper", {"https://reg.example:5000": ("carol", "from-helper")})
    path = tmp_path / "config.json"
    path.write_text(json.dumps({
        "auths": {"localhost:15001": {}, "localhost:15002": {"auth": "ZGF2ZTpmaWxl"}},
        "credsStore": "dtstore",
        "credHelpers": {"reg.example:5000": "dthelper"},
    }))
    assert stored_credentials("localhost:15001", str(path)) == ("bob", "from-store")
    assert stored_credentials("reg.example:5000", str(path)) == ("carol", "from-helper")
    # The store does not know it: the file's auths entry is used.
    assert stored_credentials("localhost:15002", str(path)) == ("dave", "file")
    assert stored_credentials("localhost:15003", str(path)) is None


def test_missing_helper_falls_back_to_the_file(tmp_path):
    import json  # pylint: disable=import-outside-toplevel

    path = tmp_path / "config.json"
    path.write_text(json.dumps({"auths": {"localhost:15002": {"auth": "ZGF2ZTpmaWxl"}}, "credsStore": "dt-not-installed"}))
    assert stored_credentials("localhost:15002", str(path)) == ("dave", "file")


def test_manifest_digest_tries_https_after_a_400_on_plain_http(monkeypatch):
    """A TLS registry on localhost answers plain HTTP with 400: the digest comes over HTTPS."""
    from urllib.error import HTTPError  # pylint: disable=import-outside-toplevel

    from ansible.module_utils import urls  # pylint: disable=import-outside-toplevel
    from ansible_collections.devops.docker.plugins.module_utils._image_registry import manifest_digest  # pylint: disable=import-outside-toplevel
    from ansible_collections.devops.docker.plugins.module_utils._values._images import parse_image_name  # pylint: disable=import-outside-toplevel

    asked = []

    class Response:  # pylint: disable=too-few-public-methods
        headers = {"Docker-Content-Digest": "sha256:" + "d" * 64}

    def fake_open_url(url, **kwargs):
        asked.append((url.split(":", 1)[0], kwargs.get("validate_certs")))
        if url.startswith("http://"):
            raise HTTPError(url, 400, "Client sent an HTTP request to an HTTPS server.", {}, None)
        return Response()

    monkeypatch.setattr(urls, "open_url", fake_open_url)
    name = parse_image_name("localhost:15443/dt/app:1", "name")
    assert manifest_digest(name, config_path="/nonexistent") == "sha256:" + "d" * 64
    assert asked == [("http", False), ("https", False)]
