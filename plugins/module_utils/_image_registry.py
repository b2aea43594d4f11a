# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the image module needs from registries, without the daemon:

* the credentials ``docker login`` stored (a ``credHelpers``/``credsStore`` helper, or ``auths`` in ``~/.docker/config.json``,
  base64 ``user:password`` in ``auth``), turned into the ``X-Registry-Auth``
  header push and pull send to the daemon;
* the manifest digest a registry holds for a tag (``HEAD /v2/<name>/manifests/<tag>``),
  so a push of what the registry already has is no change.
"""

from __future__ import annotations

import base64
import json
import os
import re
import typing as t
from urllib.parse import urlencode, urlsplit

from ansible_collections.devops.docker.plugins.module_utils._values._images import (
    MANIFEST_ACCEPT,
    DOCKER_HUB_ALIASES,
    DOCKER_HUB_API_HOST,
    DOCKER_HUB_AUTH_KEY,
    ImageName,
    is_local_registry,
    registry_host,
)


class RegistryUnknown(Exception):
    """The registry could not be asked (unreachable, TLS, auth...): the caller cannot know."""


def docker_config_path() -> str:
    base = os.environ.get("DOCKER_CONFIG") or os.path.join(os.path.expanduser("~"), ".docker")
    return os.path.join(base, "config.json")


def _normalize_key(key: str) -> str:
    """'https://localhost:5001/v1/' -> 'localhost:5001'; Docker Hub's keys -> 'docker.io'."""
    text = key.strip()
    if "://" in text:
        text = urlsplit(text).netloc
    text = text.split("/", 1)[0]
    if text in DOCKER_HUB_ALIASES:
        return "docker.io"
    return text


def _helper_credentials(helper: str, host: str) -> tuple[str, str] | None:
    """Ask ``docker-credential-<helper> get`` (credsStore / credHelpers) for a registry's credentials."""
    import shutil  # pylint: disable=import-outside-toplevel
    import subprocess  # pylint: disable=import-outside-toplevel

    program = shutil.which(f"docker-credential-{helper}")
    if not program:
        return None
    keys = [DOCKER_HUB_AUTH_KEY] if host == "docker.io" else [host, f"https://{host}", f"http://{host}"]
    for key in keys:
        try:
            proc = subprocess.run([program, "get"], input=key.encode("utf-8"), capture_output=True, timeout=30, check=False)
        except (OSError, subprocess.SubprocessError):
            return None
        if proc.returncode != 0:
            continue
        try:
            data = json.loads(proc.stdout.decode("utf-8"))
        except ValueError:
            return None
        if isinstance(data, dict) and (data.get("Username") or data.get("Secret")):
            return str(data.get("Username") or ""), str(data.get("Secret") or "")
    return None


def stored_credentials(host: str, config_path: str | None = None) -> tuple[str, str] | None:
    """(username, password) stored by `docker login` for a registry host, or None.

    Like the CLI: a ``credHelpers`` entry for the host wins, then ``credsStore``, then ``auths`` in the file.
    """
    path = config_path or docker_config_path()
    try:
        with open(path, encoding="utf-8") as handle:
            config = json.load(handle)
    except (OSError, ValueError):
        return None
    if not isinstance(config, dict):
        return None
    helpers = config.get("credHelpers") if isinstance(config.get("credHelpers"), dict) else {}
    helper = next((name for key, name in helpers.items() if _normalize_key(key) == host), None) or config.get("credsStore")
    if isinstance(helper, str) and helper:
        creds = _helper_credentials(helper, host)
        if creds:
            return creds
    auths = config.get("auths")
    if not isinstance(auths, dict):
        return None
    for key, entry in auths.items():
        if _normalize_key(key) != host or not isinstance(entry, dict):
            continue
        if entry.get("auth"):
            try:
                decoded = base64.b64decode(entry["auth"]).decode("utf-8")
            except (ValueError, UnicodeDecodeError):
                continue
            user, sep, password = decoded.partition(":")
            if sep:
                return user, password
        if entry.get("username"):
            return entry["username"], entry.get("password") or ""
    return None


def auth_header(host: str, config_path: str | None = None) -> dict[str, str]:
    """X-Registry-Auth for push/pull: the stored credentials, or an empty auth ('{}') the daemon accepts."""
    creds = stored_credentials(host, config_path)
    payload: dict[str, str] = {}
    if creds:
        server = DOCKER_HUB_AUTH_KEY if host == "docker.io" else host
        payload = {"username": creds[0], "password": creds[1], "serveraddress": server}
    encoded = base64.urlsafe_b64encode(json.dumps(payload).encode("utf-8")).decode("ascii")
    return {"X-Registry-Auth": encoded}


def registry_config_header(config_path: str | None = None) -> dict[str, str]:
    """X-Registry-Config for builds (base images from registries that need a login)."""
    path = config_path or docker_config_path()
    try:
        with open(path, encoding="utf-8") as handle:
            auths = (json.load(handle) or {}).get("auths") or {}
    except (OSError, ValueError, AttributeError):
        return {}
    configs = {}
    for key in auths:
        host = _normalize_key(key)
        creds = stored_credentials(host, path)
        if creds:
            configs[key] = {"username": creds[0], "password": creds[1]}
    if not configs:
        return {}
    return {"X-Registry-Config": base64.urlsafe_b64encode(json.dumps(configs).encode("utf-8")).decode("ascii")}


def _bearer_token(challenge: str, creds: tuple[str, str] | None, timeout: float, validate_certs: bool) -> str | None:
    from ansible.module_utils.urls import open_url  # pylint: disable=import-outside-toplevel

    params = dict(re.findall(r'(\w+)="([^"]*)"', challenge))
    realm = params.pop("realm", None)
    if not realm:
        return None
    kwargs: dict[str, t.Any] = {}
    if creds:
        kwargs = {"url_username": creds[0], "url_password": creds[1], "force_basic_auth": True}
    resp = open_url(realm + "?" + urlencode(params), timeout=timeout, validate_certs=validate_certs, **kwargs)
    data = json.loads(resp.read() or b"{}")
    return data.get("token") or data.get("access_token")


DOCKER_CERTS_DIR = "/etc/docker/certs.d"


def manifest_digest(name: ImageName, timeout: float = 30, config_path: str | None = None) -> str | None:
    """The digest the registry holds for name's tag; None when it holds no such tag.

    Raises RegistryUnknown when the registry cannot be asked. localhost/127.x registries are
    asked over plain HTTP first (Docker allows that), others over verified HTTPS only.
    """
    from ansible.module_utils.urls import open_url  # pylint: disable=import-outside-toplevel
    from urllib.error import HTTPError, URLError  # pylint: disable=import-outside-toplevel

    host = registry_host(name)
    path = name.path
    netloc = host
    if host == "docker.io":
        netloc = DOCKER_HUB_API_HOST
        if "/" not in path:
            path = "library/" + path
    schemes = ["http", "https"] if is_local_registry(host) else ["https"]
    creds = stored_credentials(host, config_path)
    # The CA dockerd trusts for this registry (certs.d/<host:port>/ca.crt), so a
    # registry with a private CA is verified the way the daemon verifies it.
    ca_file = os.path.join(DOCKER_CERTS_DIR, host, "ca.crt")
    ca_path = ca_file if os.path.isfile(ca_file) else None
    problems = []
    for scheme in schemes:
        url = f"{scheme}://{netloc}/v2/{path}/manifests/{name.reference}"
        headers = {"Accept": MANIFEST_ACCEPT}
        validate = scheme == "https" and not is_local_registry(host)
        for attempt in range(2):
            try:
                kwargs: dict[str, t.Any] = {}
                if creds and "Authorization" not in headers:
                    kwargs = {"url_username": creds[0], "url_password": creds[1], "force_basic_auth": True}
                if ca_path and scheme == "https":
                    kwargs["ca_path"] = ca_path
                resp = open_url(url, method="HEAD", headers=headers, timeout=timeout, validate_certs=validate, **kwargs)
                digest = resp.headers.get("Docker-Content-Digest")
                if not digest:
                    raise RegistryUnknown(f"{url} answered without a Docker-Content-Digest header")
                return digest
            except HTTPError as exc:
                if exc.code == 404:
                    return None
                challenge = exc.headers.get("WWW-Authenticate", "") if exc.headers else ""
                if exc.code == 401 and attempt == 0 and challenge.lower().startswith("bearer"):
                    try:
                        token = _bearer_token(challenge[len("bearer"):].strip(), creds, timeout, validate)
                    except (HTTPError, URLError, OSError, ValueError) as token_exc:
                        raise RegistryUnknown(f"token for {url}: {token_exc}") from token_exc
                    if token:
                        headers["Authorization"] = f"Bearer {token}"
                        continue
                if scheme != schemes[-1]:
                    # Plain HTTP to a TLS registry answers 400 ("HTTP request to an HTTPS server"): try HTTPS.
                    problems.append(f"{url}: HTTP {exc.code}")
                    break
                raise RegistryUnknown(f"{url}: HTTP {exc.code}") from exc
            except (URLError, OSError, ValueError) as exc:
                problems.append(f"{url}: {exc}")
                break
    raise RegistryUnknown("; ".join(problems) or f"cannot ask {host}")
