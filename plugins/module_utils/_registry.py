# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A small client for a registry's v2 HTTP API (Docker Distribution, OCI).

It is what ``registry_info`` uses, and needs neither the Docker SDK nor a
daemon: plain ``urllib`` with

* URL normalization (``normalize_registry_url``): ``https://host``,
  ``http://host:port``, or a bare ``host[:port]`` (http for loopback hosts,
  https for every other host, the rule the Docker daemon applies to
  insecure registries by default);
* pagination through ``Link: <...>; rel="next"`` (catalog and tags);
* basic auth and the bearer-token flow: on a 401 with
  ``WWW-Authenticate: Bearer realm=...,service=...,scope=...`` a token is
  fetched from the realm (with the credentials, if any) and the request is
  retried;
* errors that say what to do (``DockerError``).
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import re
import socket
import ssl
import typing as t
from urllib import error as urllib_error
from urllib import request as urllib_request
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

from ansible_collections.devops.docker.plugins.module_utils._client import DockerError
from ansible_collections.devops.docker.plugins.module_utils._limits import check_timeout
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._images import DIGEST_RE, MANIFEST_ACCEPT, REPOSITORY_RE, TAG_RE

MAX_PAGES = 10000
URL_EXAMPLES = "like http://127.0.0.1:5001, https://registry.example.com or registry.example.com:5000"

_LINK_RE = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]*)*)")
_PARAM_RE = re.compile(r'([A-Za-z][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))')


# ---------------------------------------------------------------- pure helpers
def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalize_registry_url(value: t.Any, option: str = "url") -> str:
    """Turn what the user wrote into ``scheme://host[:port][/prefix]`` without a trailing slash or ``/v2``.

    A bare ``host[:port]`` gets ``http://`` when the host is a loopback name
    or address (localhost, 127.0.0.0/8, ::1) and ``https://`` otherwise.
    """
    if not isinstance(value, str) or not value.strip():
        raise SpecError(f"{option}: a registry URL is required, {URL_EXAMPLES}.")
    text = value.strip()
    if any(ch.isspace() for ch in text):
        raise SpecError(f"{option}: {value!r} contains whitespace; write the registry URL {URL_EXAMPLES}.")
    if "://" not in text:
        bare = urlsplit("//" + text)
        host = bare.hostname or ""
        text = ("http://" if host and is_loopback(host) else "https://") + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https"):
        raise SpecError(
            f"{option}: {value!r} uses the scheme {parts.scheme!r}; a registry speaks http:// or https://, "
            f"write it {URL_EXAMPLES}."
        )
    try:
        port = parts.port
    except ValueError as exc:
        raise SpecError(f"{option}: {value!r} has an invalid port ({exc}); write it {URL_EXAMPLES}.") from exc
    host = parts.hostname
    if not host or "@" in parts.netloc:
        raise SpecError(
            f"{option}: {value!r} has no valid host name; write it {URL_EXAMPLES} "
            "(credentials go in username and password, not in the URL)."
        )
    if not re.fullmatch(r"[A-Za-z0-9._-]+|[0-9A-Fa-f:.]+", host):
        raise SpecError(f"{option}: {value!r} has an invalid host name {host!r}; write it {URL_EXAMPLES}.")
    if parts.query or parts.fragment:
        raise SpecError(f"{option}: {value!r} has a query or fragment; write only the registry's address {URL_EXAMPLES}.")
    path = parts.path.rstrip("/")
    if path.endswith("/v2"):
        path = path[:-3]
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    return urlunsplit((parts.scheme, netloc, path, "", ""))


def check_repository(value: str, option: str = "repository") -> str:
    if not REPOSITORY_RE.match(value or "") or len(value) > 255:
        raise SpecError(
            f"{option}: {value!r} is not a repository name; write it as it appears in the catalog, lowercase, "
            "like 'my-app' or 'team/my-app' (without the registry host and without a tag)."
        )
    return value


def check_reference(value: str, option: str = "tag") -> str:
    if not (TAG_RE.match(value or "") or DIGEST_RE.match(value or "")):
        raise SpecError(
            f"{option}: {value!r} is not a tag or digest; a tag is up to 128 letters, digits, '_', '.' or '-' "
            "(like 'latest' or '1.0'), a digest is 'sha256:<hex>'."
        )
    return value


def parse_link_next(header: str | None) -> str | None:
    """The target of the rel="next" entry of an RFC 5988 Link header."""
    if not header:
        return None
    for match in _LINK_RE.finditer(header):
        target, params = match.group(1), match.group(2) or ""
        for param in params.split(";"):
            key, _sep, val = param.strip().partition("=")
            if key.strip().lower() == "rel" and "next" in val.strip().strip('"').lower().split():
                return target
    return None


def parse_challenge(header: str | None) -> tuple[str, dict[str, str]]:
    """'Bearer realm="x",service="y"' -> ('bearer', {'realm': 'x', 'service': 'y'})."""
    if not header:
        return "", {}
    scheme, _sep, rest = header.strip().partition(" ")
    params = {}
    for match in _PARAM_RE.finditer(rest):
        val = match.group(2) if match.group(2) is not None else match.group(3)
        params[match.group(1).lower()] = re.sub(r"\\(.)", r"\1", val or "")
    return scheme.lower(), params


def registry_errors(body: bytes) -> list[dict[str, t.Any]]:
    try:
        data = json.loads(body)
    except (ValueError, TypeError):
        return []
    errors = data.get("errors") if isinstance(data, dict) else None
    return [e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else []


def error_codes(body: bytes) -> list[str]:
    return [str(e.get("code")) for e in registry_errors(body) if e.get("code")]


def error_text(body: bytes) -> str:
    errors = registry_errors(body)
    if errors:
        return "; ".join(f"{e.get('code', '')}: {e.get('message', '')}".strip(": ") for e in errors)
    return body.decode("utf-8", errors="replace").strip()[:300]


# ---------------------------------------------------------------- the client
class _NoRedirect(urllib_request.HTTPRedirectHandler):
    """Follow redirects, but never send our Authorization header to another host."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and urlsplit(newurl).netloc != urlsplit(req.full_url).netloc:
            new.remove_header("Authorization")
        return new


class HTTPResult:
    def __init__(self, status: int, headers: t.Any, body: bytes, url: str) -> None:
        self.status = status
        self.headers = headers
        self.body = body
        self.url = url

    def header(self, name: str) -> str | None:
        return self.headers.get(name) if self.headers is not None else None

    def json(self, what: str) -> t.Any:
        try:
            return json.loads(self.body)
        except (ValueError, TypeError) as exc:
            raise DockerError(
                f"{self.url} did not answer {what} with JSON (HTTP {self.status}); is this the address of a "
                "Docker registry (v2 API)? Check the url option."
            ) from exc


class RegistryClient:
    """Requests against one registry, with auth negotiated on the first 401."""

    def __init__(
        self,
        url: str,
        username: str | None = None,
        password: str | None = None,
        validate_certs: bool = True,
        ca_path: str | None = None,
        timeout: float = 30,
    ) -> None:
        self.url = normalize_registry_url(url)
        self.username = username or None
        self.password = password or ""
        self.timeout = timeout
        self.scheme = ""  # "basic" or "bearer" once the registry asked for it
        self.tokens: dict[str, str] = {}  # scope -> bearer token
        self.requests = 0
        context = None
        if self.url.startswith("https://"):
            try:
                context = ssl.create_default_context(cafile=ca_path)
            except (OSError, ssl.SSLError) as exc:
                raise DockerError(f"ca_path: cannot load the CA certificate {ca_path!r}: {exc}; point it at a PEM file.") from exc
            if not validate_certs:
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
        self._opener = urllib_request.build_opener(urllib_request.HTTPSHandler(context=context), _NoRedirect())

    # -- transport -------------------------------------------------------
    def _basic(self) -> str:
        raw = f"{self.username or ''}:{self.password}".encode("utf-8")
        return "Basic " + base64.b64encode(raw).decode("ascii")

    def _send(self, method: str, url: str, headers: dict[str, str]) -> HTTPResult:
        req = urllib_request.Request(url, method=method, headers=headers)
        self.requests += 1
        try:
            with self._opener.open(req, timeout=self.timeout) as resp:
                return HTTPResult(resp.status, resp.headers, resp.read(), url)
        except urllib_error.HTTPError as exc:
            try:
                body = exc.read()
            except OSError:
                body = b""
            return HTTPResult(exc.code, exc.headers, body, url)
        except urllib_error.URLError as exc:
            raise self._unreachable(url, exc.reason) from exc
        except (OSError, ValueError) as exc:
            raise self._unreachable(url, exc) from exc

    def _unreachable(self, url: str, reason: t.Any) -> DockerError:
        base = urlsplit(url)
        where = f"{base.scheme}://{base.netloc}"
        if isinstance(reason, ssl.SSLCertVerificationError):
            return DockerError(
                f"The TLS certificate of the registry at {where} is not trusted ({reason.verify_message}): "
                "set ca_path to the CA that signed it, or validate_certs: false for a self-signed certificate."
            )
        if isinstance(reason, ssl.SSLError):
            hint = ""
            if "WRONG_VERSION_NUMBER" in str(reason).upper() or "wrong version" in str(reason).lower():
                hint = " The registry seems to speak plain HTTP: write the url with http://."
            return DockerError(f"TLS handshake with the registry at {where} failed: {reason}.{hint}")
        if isinstance(reason, (socket.timeout, TimeoutError)):
            return DockerError(
                f"The registry at {where} did not answer within {self.timeout}s: check that it runs, or raise timeout."
            )
        text = getattr(reason, "strerror", None) or str(reason)
        return DockerError(
            f"Cannot reach the registry at {where}: {text}. Check the url (scheme, host and port) and that the "
            "registry is running and reachable from the managed host."
        )

    def _fetch_token(self, params: dict[str, str], scope: str) -> str:
        realm = params.get("realm")
        if not realm or urlsplit(realm).scheme not in ("http", "https"):
            raise DockerError(f"The registry at {self.url} asked for a bearer token without a usable realm ({realm!r}).")
        query: list[tuple[str, str]] = []
        if params.get("service"):
            query.append(("service", params["service"]))
        for item in scope.split(" "):
            if item:
                query.append(("scope", item))
        if self.username:
            query.append(("account", self.username))
        token_url = realm + ("&" if "?" in realm else "?") + urlencode(query) if query else realm
        headers = {"Accept": "application/json"}
        if self.username:
            headers["Authorization"] = self._basic()
        res = self._send("GET", token_url, headers)
        if res.status in (401, 403):
            raise self._auth_failed(realm, res)
        if res.status != 200:
            raise DockerError(f"The token server {realm} answered HTTP {res.status}: {error_text(res.body)}")
        data = res.json("the token request")
        token = (data or {}).get("token") or (data or {}).get("access_token")
        if not token:
            raise DockerError(f"The token server {realm} answered without a token; check its configuration.")
        return str(token)

    def _auth_failed(self, where: str, res: HTTPResult) -> DockerError:
        if self.username:
            return DockerError(
                f"authentication failed for {self.username} at {where} (HTTP {res.status}): the registry rejected "
                "the username or password; check username and password."
            )
        return DockerError(
            f"The registry at {where} requires authentication (HTTP {res.status}): set username and password."
        )

    def request(self, method: str, path: str, headers: dict[str, str] | None = None, scope: str = "") -> HTTPResult:
        """One request, with auth negotiation. ``path`` is relative to the registry URL or absolute."""
        url = path if "://" in path else self.url + path
        hdrs = dict(headers or {})
        if self.scheme == "basic":
            hdrs["Authorization"] = self._basic()
        elif self.scheme == "bearer" and scope in self.tokens:
            hdrs["Authorization"] = "Bearer " + self.tokens[scope]
        res = self._send(method, url, hdrs)
        if res.status != 401:
            return res
        scheme, params = parse_challenge(res.header("WWW-Authenticate"))
        if scheme == "bearer":
            wanted = params.get("scope") or scope
            token = self._fetch_token(params, wanted)
            self.scheme = "bearer"
            self.tokens[scope] = token
            hdrs["Authorization"] = "Bearer " + token
        elif scheme == "basic" and self.username and "Authorization" not in hdrs:
            self.scheme = "basic"
            hdrs["Authorization"] = self._basic()
        else:
            raise self._auth_failed(self.url, res)
        res = self._send(method, url, hdrs)
        if res.status == 401:
            raise self._auth_failed(self.url, res)
        return res

    def _check(self, res: HTTPResult, what: str) -> None:
        if res.status == 403:
            raise DockerError(
                f"The registry at {self.url} denied {what} (HTTP 403: {error_text(res.body)}): "
                f"the user {self.username or '(anonymous)'} lacks the permission."
            )
        if res.status == 400 and b"HTTP request to an HTTPS server" in res.body:
            raise DockerError(
                f"The registry at {self.url} speaks HTTPS, not plain HTTP: write the url with https:// "
                "(a bare host:port means http:// only for loopback addresses)."
            )
        if res.status >= 400:
            raise DockerError(f"The registry at {self.url} answered HTTP {res.status} to {what}: {error_text(res.body)}")

    def _paginate(self, path: str, key: str, what: str, scope: str, page_size: int | None) -> tuple[list[str], int]:
        items: list[str] = []
        url = path + (f"?n={page_size}" if page_size else "")
        seen = set()
        pages = 0
        while url:
            if url in seen or pages >= MAX_PAGES:
                raise DockerError(f"The registry at {self.url} keeps returning the same page of {what}; stopping.")
            seen.add(url)
            res = self.request("GET", url, scope=scope)
            if res.status == 404:
                return items, 404
            self._check(res, what)
            data = res.json(what) or {}
            if not isinstance(data, dict):
                raise DockerError(f"{res.url} answered {what} with unexpected JSON; is this a Docker registry?")
            items.extend(data.get(key) or [])
            pages += 1
            nxt = parse_link_next(res.header("Link"))
            url = urljoin(res.url, nxt) if nxt else ""
            if url and urlsplit(url)[:2] != urlsplit(self.url)[:2]:
                # Never send the credentials to another host than the one the user named.
                raise DockerError(f"The registry at {self.url} sent a next-page link to another host ({url}); stopping.")
        return items, 200

    # -- the API ---------------------------------------------------------
    def catalog(self, page_size: int | None = None) -> list[str]:
        repos, status = self._paginate("/v2/_catalog", "repositories", "the catalog", "registry:catalog:*", page_size)
        if status == 404:
            raise DockerError(
                f"{self.url} has no catalog endpoint (/v2/_catalog answered 404): either it is not a Docker registry "
                "(check the url) or it does not offer the catalog; ask for a repository's tags instead."
            )
        return repos

    def tags(self, repository: str, page_size: int | None = None) -> list[str]:
        path = f"/v2/{repository}/tags/list"
        tags, status = self._paginate(path, "tags", f"the tags of {repository}", f"repository:{repository}:pull", page_size)
        if status == 404:
            raise DockerError(
                f"repository {repository!r} does not exist in the registry at {self.url} (NAME_UNKNOWN); "
                "check the name (registry_info without repository lists the catalog) or push it first."
            )
        return tags

    def manifest_digest(self, repository: str, reference: str) -> dict[str, str | None]:
        scope = f"repository:{repository}:pull"
        path = f"/v2/{repository}/manifests/{reference}"
        headers = {"Accept": MANIFEST_ACCEPT}
        res = self.request("HEAD", path, headers, scope=scope)
        if res.status == 200 and res.header("Docker-Content-Digest"):
            return {"digest": res.header("Docker-Content-Digest"), "media_type": res.header("Content-Type")}
        if res.status in (200, 404, 405):
            # HEAD has no body: GET tells NAME_UNKNOWN from MANIFEST_UNKNOWN, and gives a digest when
            # the registry did not send Docker-Content-Digest.
            res = self.request("GET", path, headers, scope=scope)
        if res.status == 404:
            codes = error_codes(res.body)
            if "NAME_UNKNOWN" in codes:
                raise DockerError(
                    f"repository {repository!r} does not exist in the registry at {self.url} (NAME_UNKNOWN); "
                    "check the name (registry_info without repository lists the catalog) or push it first."
                )
            raise DockerError(
                f"tag {reference!r} of repository {repository!r} does not exist in the registry at {self.url} "
                "(MANIFEST_UNKNOWN); registry_info with only repository lists its tags."
            )
        self._check(res, f"the manifest of {repository}:{reference}")
        digest = res.header("Docker-Content-Digest") or "sha256:" + hashlib.sha256(res.body).hexdigest()
        return {"digest": digest, "media_type": res.header("Content-Type")}


def query_registry(params: dict[str, t.Any]) -> dict[str, t.Any]:
    """What registry_info returns, from its parameters (validated before any request)."""
    try:
        return _query_registry(params)
    except SpecError as exc:
        raise DockerError(exc.msg) from exc


def _query_registry(params: dict[str, t.Any]) -> dict[str, t.Any]:
    repository = params.get("repository")
    tag = params.get("tag")
    page_size = params.get("page_size")
    if repository:
        check_repository(repository)
    if tag:
        if not repository:
            raise SpecError("tag: needs repository as well (the tag of which repository?).")
        check_reference(tag)
    if page_size is not None and page_size < 1:
        raise SpecError(f"page_size: {page_size} is not a page size; use a number >= 1, or leave it unset.")
    if params.get("password") and not params.get("username"):
        raise SpecError("password: is set without username; set both, or neither for anonymous access.")
    client = RegistryClient(
        params["url"],
        username=params.get("username"),
        password=params.get("password"),
        validate_certs=params.get("validate_certs", True),
        ca_path=params.get("ca_path"),
        timeout=check_timeout(params.get("timeout")) or 30,
    )
    result: dict[str, t.Any] = {"url": client.url}
    if repository:
        result["tags"] = client.tags(repository, page_size)
        if tag:
            result.update(client.manifest_digest(repository, tag))
    else:
        result["repositories"] = client.catalog(page_size)
    return result
