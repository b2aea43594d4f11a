# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Client base shared by every module of the collection.

Two layers:

* ``DockerAPI``: a small Engine API client on ``http.client`` (unix socket,
  plain TCP or TLS).  It is what modules use for JSON requests, so a module
  that has nothing to do inspects the daemon without importing the Docker SDK.
* ``DockerAPI.sdk``: the Docker SDK's low-level ``APIClient``, imported only on
  first use, for the few operations that need it (hijacked
  exec sockets).

``DockerModule`` wraps ``AnsibleModule``: it merges the connection options
into the argument spec, checks that the SDK is installed (cheaply, without
importing it), and turns daemon errors into messages that say what to do.
"""

from __future__ import annotations

# First of all: the compiled-code cache for the module_utils imported after it (see _bytecode).
from ansible_collections.devops.docker.plugins.module_utils import _bytecode  # noqa: F401  # pylint: disable=unused-import

import json
import os
import re
import socket
import ssl
import traceback
import typing as t
from contextlib import contextmanager
from http import client as http_client
from urllib.parse import quote, urlencode, urlsplit

from ansible.module_utils.basic import AnsibleModule, _load_params, missing_required_lib
from ansible.module_utils.errors import AnsibleFallbackNotFound

from ansible_collections.devops.docker.plugins.module_utils._values._errors import (
    SpecError,
    nul_paths,
    shorten_message,
    sub_option_shapes,
)

DEFAULT_SOCKET = "/var/run/docker.sock"
DEFAULT_HOST = "unix://" + DEFAULT_SOCKET
MIN_API_VERSION = "1.41"
MIN_SDK_VERSION = "5.0.3"
DEFAULT_TIMEOUT = 60


def _from_env(name: str) -> str:
    """An option's value from the environment variable ``name`` when it is set and not empty."""
    value = os.environ.get(name)
    if not value:
        raise AnsibleFallbackNotFound
    return value


def _env(name: str) -> tuple[t.Callable[[str], str], list[str]]:
    return (_from_env, [name])


# The connection options of every module, with community.docker's names and environment variables
# (DOCKER_HOST is read by DockerAPI, DOCKER_CERT_PATH by tls_files()).
DOCKER_COMMON_ARGS: dict[str, dict[str, t.Any]] = {
    "docker_host": {"type": "str", "aliases": ["docker_url"]},
    "tls": {"type": "bool", "default": False, "fallback": _env("DOCKER_TLS")},
    "validate_certs": {"type": "bool", "default": False, "aliases": ["tls_verify"], "fallback": _env("DOCKER_TLS_VERIFY")},
    "tls_hostname": {"type": "str", "fallback": _env("DOCKER_TLS_HOSTNAME")},
    "ca_path": {"type": "path", "aliases": ["ca_cert", "tls_ca_cert", "cacert_path"]},
    "client_cert": {"type": "path", "aliases": ["tls_client_cert", "cert_path"]},
    "client_key": {"type": "path", "aliases": ["tls_client_key", "key_path"]},
    "api_version": {"type": "str", "default": "auto", "aliases": ["docker_api_version"], "fallback": _env("DOCKER_API_VERSION")},
    "timeout": {"type": "int", "default": DEFAULT_TIMEOUT, "fallback": _env("DOCKER_TIMEOUT")},
    "use_ssh_client": {"type": "bool", "default": False},
    "debug": {"type": "bool", "default": False},
}


def tls_files(params: t.Mapping[str, t.Any]) -> tuple[str | None, str | None, str | None]:
    """The CA, client certificate and key: the options, else ca.pem, cert.pem and key.pem of
    DOCKER_CERT_PATH where they exist (as the docker CLI and community.docker read them)."""
    found = [params.get("ca_path"), params.get("client_cert"), params.get("client_key")]
    folder = os.environ.get("DOCKER_CERT_PATH")
    if folder:
        for index, name in enumerate(("ca.pem", "cert.pem", "key.pem")):
            path = os.path.join(folder, name)
            if found[index] is None and os.path.isfile(path):
                found[index] = path
    return found[0], found[1], found[2]


class _TLSConnection(http_client.HTTPSConnection):
    """HTTPS whose certificate is checked against ``tls_hostname`` instead of the host connected to."""

    def __init__(self, netloc: str, server_hostname: str, **kwargs: t.Any) -> None:
        super().__init__(netloc, **kwargs)
        self.server_hostname = server_hostname

    def connect(self) -> None:
        sock = socket.create_connection((self.host, self.port), self.timeout, self.source_address)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.server_hostname)  # type: ignore[attr-defined]


START_HINT = (
    "Start the engine (`systemctl start docker`, or `dockerd &` where there is no systemd; "
    "the devops.docker.engine role does either) or point docker_host / DOCKER_HOST at a running one."
)


class DockerError(Exception):
    """An error with a message meant for the user."""

    def __init__(self, msg: str, **details: t.Any) -> None:
        super().__init__(msg)
        self.msg = msg
        self.details = details


class DaemonUnreachable(DockerError):
    pass


class APIError(DockerError):
    def __init__(self, status: int, explanation: str, method: str, path: str) -> None:
        self.status = status
        self.explanation = explanation
        super().__init__(
            f"Docker API error {status} on {method} {path}: {explanation}",
            status=status,
        )


class NotFound(APIError):
    pass


class Conflict(APIError):
    pass


def version_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for piece in str(version).split("."):
        digits = re.match(r"\d*", piece).group(0)
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


class _UnixConnection(http_client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._socket_path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self._socket_path)
        self.sock = sock


class Response:
    """A finished or streaming HTTP response."""

    def __init__(self, raw: http_client.HTTPResponse, conn: http_client.HTTPConnection) -> None:
        self.raw = raw
        self.status = raw.status
        self.headers = raw.headers
        self._conn = conn

    def read(self) -> bytes:
        try:
            return self.raw.read()
        finally:
            self.close()

    def json(self) -> t.Any:
        data = self.read()
        return json.loads(data) if data else None

    def iter_json(self) -> t.Iterator[dict[str, t.Any]]:
        """Decode a stream of JSON objects (build, pull, push, load progress)."""
        decoder = json.JSONDecoder()
        buf = ""
        try:
            while True:
                chunk = self.raw.read1(65536) if hasattr(self.raw, "read1") else self.raw.read(65536)
                if not chunk:
                    break
                buf += chunk.decode("utf-8", errors="replace")
                while True:
                    buf = buf.lstrip()
                    if not buf:
                        break
                    try:
                        obj, end = decoder.raw_decode(buf)
                    except ValueError:
                        break
                    buf = buf[end:]
                    yield obj
        finally:
            self.close()

    def iter_raw(self, size: int = 65536) -> t.Iterator[bytes]:
        try:
            while True:
                chunk = self.raw.read(size)
                if not chunk:
                    break
                yield chunk
        finally:
            self.close()

    def close(self) -> None:
        try:
            self.raw.close()
        finally:
            self._conn.close()


class DockerAPI:
    """Engine API client: one connection per request, JSON in and out."""

    def __init__(self, params: dict[str, t.Any]) -> None:
        host = params.get("docker_host") or os.environ.get("DOCKER_HOST") or DEFAULT_HOST
        self.params = params
        self.base_url = host
        self.timeout = params.get("timeout") or DEFAULT_TIMEOUT
        version = params.get("api_version") or "auto"
        self.requested_version = None if version in ("auto", "latest") else version
        if self.requested_version and not re.match(r"^1\.[0-9]{1,3}$", str(self.requested_version)):
            raise DockerError(shorten_message(f"api_version {version!r} is not an Engine API version: use auto (the "
                                              f"default), latest or a version such as {MIN_API_VERSION}."))
        from ansible_collections.devops.docker.plugins.module_utils._limits import check_timeout  # pylint: disable=import-outside-toplevel

        try:
            check_timeout(self.timeout)
        except SpecError as exc:
            raise DockerError(str(exc)) from exc
        self.server_api_version: str | None = None
        self._sdk = None
        try:
            url = urlsplit(host)
        except ValueError as exc:
            raise DockerError(shorten_message(f"docker_host {host!r} is not a Docker host URL ({exc}): use "
                                              "unix:///path/to/docker.sock, tcp://HOST:PORT or ssh://[user@]host[:port].")) from exc
        self.scheme = url.scheme
        if url.scheme == "unix":
            self.socket_path = url.path or DEFAULT_SOCKET
        elif url.scheme in ("tcp", "http", "https"):
            self.netloc = url.netloc
            self.use_tls = bool(params.get("tls") or params.get("validate_certs") or url.scheme == "https")
        elif url.scheme == "ssh":
            from ansible_collections.devops.docker.plugins.module_utils._ssh import (  # pylint: disable=import-outside-toplevel
                SSHTransport,
            )

            self.use_tls = False  # TLS options do not apply: SSH encrypts
            self.ssh = SSHTransport(host, self.timeout)
        else:
            raise DockerError(
                f"docker_host {host!r} is not a Docker host URL: use unix:///path/to/docker.sock, "
                "tcp://HOST:PORT (with tls: true for TLS) or ssh://[user@]host[:port]."
            )

    # -- low level -------------------------------------------------------
    def _connection(self, timeout: float | None) -> http_client.HTTPConnection:
        timeout = timeout if timeout is not None else self.timeout
        if self.scheme == "unix":
            return _UnixConnection(self.socket_path, timeout)
        if self.scheme == "ssh":
            return self.ssh.connection(timeout)
        if self.use_tls:
            ca_path, client_cert, client_key = tls_files(self.params)
            ctx = ssl.create_default_context(cafile=ca_path)
            if not self.params.get("validate_certs"):
                ctx.check_hostname = False
                ctx.verify_mode = ssl.CERT_NONE
            if client_cert:
                ctx.load_cert_chain(client_cert, client_key)
            if self.params.get("tls_hostname"):
                return _TLSConnection(self.netloc, self.params["tls_hostname"], timeout=timeout, context=ctx)
            return http_client.HTTPSConnection(self.netloc, timeout=timeout, context=ctx)
        return http_client.HTTPConnection(self.netloc, timeout=timeout)

    def url(self, path: str, *args: str) -> str:
        """Build a path, quoting the arguments: url('/containers/{0}/json', name)."""
        path = path.format(*(quote(str(a), safe="") for a in args))
        if self.requested_version:
            return f"/v{self.requested_version}{path}"
        return path

    def request(
        self,
        method: str,
        path: str,
        params: dict[str, t.Any] | None = None,
        body: t.Any = None,
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
        expect: tuple[int, ...] = (),
    ) -> Response:
        query = ""
        if params:
            clean = {}
            for key, value in params.items():
                if value is None:
                    continue
                if isinstance(value, bool):
                    value = "1" if value else "0"
                elif isinstance(value, (dict, list)):
                    value = json.dumps(value)
                clean[key] = value
            query = "?" + urlencode(clean) if clean else ""
        hdrs = dict(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode("utf-8")
            hdrs.setdefault("Content-Type", "application/json")
        conn = self._connection(timeout)
        try:
            conn.request(method, path + query, body=body, headers=hdrs, encode_chunked=hasattr(body, "read"))
            raw = conn.getresponse()
        except (FileNotFoundError, ConnectionRefusedError) as exc:
            conn.close()
            raise DaemonUnreachable(
                f"Cannot reach the Docker daemon at {self.base_url}: {exc.strerror or exc}. {START_HINT}"
            ) from exc
        except PermissionError as exc:
            conn.close()
            raise DaemonUnreachable(
                f"Permission denied on {self.base_url}: run as root (become: true) or add the user to the "
                "'docker' group (devops.docker.engine with engine_users)."
            ) from exc
        except socket.timeout as exc:
            conn.close()
            raise DockerError(
                f"The Docker daemon at {self.base_url} did not answer {method} {path} within "
                f"{timeout or self.timeout}s: raise the timeout option or check the daemon's health."
            ) from exc
        except ssl.SSLCertVerificationError as exc:
            conn.close()
            raise DaemonUnreachable(
                f"Cannot talk to the Docker daemon at {self.base_url}: {exc}. The daemon answered, but its TLS "
                "certificate was not accepted: check ca_path (the CA that signed it), and tls_hostname when the "
                "certificate names another host than docker_host's."
            ) from exc
        except (OSError, http_client.HTTPException) as exc:
            conn.close()
            raise DaemonUnreachable(f"Cannot talk to the Docker daemon at {self.base_url}: {exc}. {START_HINT}") from exc
        resp = Response(raw, conn)
        if self.server_api_version is None:
            self.server_api_version = resp.headers.get("Api-Version")
            self._check_api_version()
        if resp.status >= 400 and resp.status not in expect:
            data = resp.read()
            try:
                explanation = json.loads(data).get("message") or data.decode()
            except (ValueError, AttributeError):
                explanation = data.decode("utf-8", errors="replace").strip()
            cls = NotFound if resp.status == 404 else Conflict if resp.status == 409 else APIError
            raise cls(resp.status, explanation, method, path)
        return resp

    def _check_api_version(self) -> None:
        version = self.requested_version or self.server_api_version
        if version and version_tuple(version) < version_tuple(MIN_API_VERSION):
            raise DockerError(
                f"The Docker daemon at {self.base_url} speaks API {version}; this collection needs "
                f"API >= {MIN_API_VERSION} (Docker Engine 20.10 or newer). Upgrade the engine."
            )

    # -- JSON helpers ----------------------------------------------------
    def get(self, path: str, params: dict[str, t.Any] | None = None, **kwargs: t.Any) -> t.Any:
        return self.request("GET", path, params, **kwargs).json()

    def get_or_none(self, path: str, params: dict[str, t.Any] | None = None) -> t.Any:
        """GET a JSON document, None on 404 (the usual 'inspect if it exists')."""
        resp = self.request("GET", path, params, expect=(404,))
        if resp.status == 404:
            resp.read()
            return None
        return resp.json()

    def post(self, path: str, params: dict[str, t.Any] | None = None, body: t.Any = None, **kwargs: t.Any) -> t.Any:
        return self.request("POST", path, params, body, **kwargs).json()

    def delete(self, path: str, params: dict[str, t.Any] | None = None, **kwargs: t.Any) -> t.Any:
        return self.request("DELETE", path, params, **kwargs).json()

    def stream(
        self, method: str, path: str, params: dict[str, t.Any] | None = None, body: t.Any = None, **kwargs: t.Any
    ) -> t.Iterator[dict[str, t.Any]]:
        return self.request(method, path, params, body, **kwargs).iter_json()

    # -- common inspects -------------------------------------------------
    def inspect_container(self, name: str) -> dict[str, t.Any] | None:
        return self.get_or_none(self.url("/containers/{0}/json", name))

    def inspect_image(self, name: str) -> dict[str, t.Any] | None:
        return self.get_or_none(self.url("/images/{0}/json", name))

    def inspect_network(self, name: str) -> dict[str, t.Any] | None:
        return self.get_or_none(self.url("/networks/{0}", name))

    def inspect_volume(self, name: str) -> dict[str, t.Any] | None:
        return self.get_or_none(self.url("/volumes/{0}", name))

    # -- the Docker SDK, on demand ---------------------------------------
    @property
    def sdk(self) -> t.Any:
        if self._sdk is None:
            try:
                import docker  # pylint: disable=import-outside-toplevel
            except ImportError as exc:
                raise DockerError(missing_required_lib(f"docker (Docker SDK for Python >= {MIN_SDK_VERSION})")) from exc
            if version_tuple(docker.__version__) < version_tuple(MIN_SDK_VERSION):
                raise DockerError(
                    f"Docker SDK for Python {docker.__version__} is too old: install docker>={MIN_SDK_VERSION}."
                )
            tls_config = None
            if self.scheme != "unix" and self.use_tls:
                ca_path, cert, key = tls_files(self.params)
                tls_config = docker.tls.TLSConfig(
                    client_cert=(cert, key) if cert else None,
                    ca_cert=ca_path,
                    verify=bool(self.params.get("validate_certs")),
                )
            base_url = self.base_url
            if self.scheme == "tcp" and tls_config is not None:
                base_url = "https://" + self.netloc
            self._sdk = docker.APIClient(
                base_url=base_url,
                version=self.requested_version or "auto",
                timeout=self.timeout,
                tls=tls_config if tls_config is not None else False,
                **({"use_ssh_client": True} if self.scheme == "ssh" else {}),
            )
        return self._sdk


class _Module(AnsibleModule):
    """AnsibleModule whose failures never echo a huge value whole (its own validation messages too)."""

    def fail_json(self, msg: str, **kwargs: t.Any) -> t.NoReturn:  # type: ignore[override]
        super().fail_json(msg=shorten_message(msg), **kwargs)


class DockerModule:
    """AnsibleModule plus a lazily connected DockerAPI and uniform failure handling."""

    def __init__(
        self,
        argument_spec: dict[str, t.Any],
        supports_check_mode: bool = True,
        needs_sdk: bool = True,
        **kwargs: t.Any,
    ) -> None:
        spec = dict(DOCKER_COMMON_ARGS)
        # A module that documents its own debug (container, network) handles it; the others log
        # their actions and diff with debug: true.
        self._logs_debug = "debug" not in argument_spec
        spec.update(argument_spec)
        # ansible-core's own validation fails with a Python error on a list where a mapping is expected
        # (validate-modules loads no parameters: _load_params() gives None there)
        loaded = _load_params()
        shapes = sub_option_shapes(spec, loaded) if isinstance(loaded, dict) else []
        if shapes:
            _Module(argument_spec={k: {"type": "raw", "aliases": v.get("aliases") or [], "no_log": bool(v.get("no_log"))}
                                   for k, v in spec.items()}, supports_check_mode=True).fail_json(
                msg=f"{', '.join(shapes)}: expected a mapping of sub-options (or a list of mappings where the option "
                    "is a list); write it as key: value lines as the module's documentation shows.")
        self.module = _Module(argument_spec=spec, supports_check_mode=supports_check_mode, **kwargs)
        for name in nul_paths(spec, self.module.params):
            self.module.fail_json(msg=f"{name}: a path cannot contain a NUL character (\\0); remove it.")
        self.params = self.module.params
        self.check_mode = self.module.check_mode
        self.diff_mode = self.module._diff
        self._api: DockerAPI | None = None
        if needs_sdk:
            self._check_sdk_installed()

    def _check_sdk_installed(self) -> None:
        # find_spec does not import the package: cheap on the no-op path.
        import importlib.util  # pylint: disable=import-outside-toplevel

        if importlib.util.find_spec("docker") is None:
            self.module.fail_json(
                msg=missing_required_lib(f"docker (Docker SDK for Python >= {MIN_SDK_VERSION})"),
            )

    @property
    def api(self) -> DockerAPI:
        if self._api is None:
            self._api = DockerAPI(self.params)
        return self._api

    def fail(self, msg: str, **kwargs: t.Any) -> t.NoReturn:
        self.module.fail_json(msg=msg, **kwargs)

    def exit(self, **result: t.Any) -> t.NoReturn:
        if self._logs_debug and self.params.get("debug"):
            for action in result.get("actions") or []:
                self.module.log(f"devops.docker action: {action}")
            if result.get("diff"):
                self.module.log(f"devops.docker diff: {json.dumps(result['diff'], sort_keys=True, default=str)}")
        self.module.exit_json(**result)

    def warn(self, msg: str) -> None:
        self.module.warn(msg)

    def converge(self, run: t.Callable[[], dict[str, t.Any]], nothing_done: str = "Nothing was changed.") -> None:
        """Exit with the result of ``run()``; a bad option (SpecError) fails with the message plus
        ``nothing_done``, any other error as errors() says."""
        with self.errors():
            try:
                result = run()
            except SpecError as exc:
                raise DockerError(f"{exc.msg} {nothing_done}".strip()) from exc
        self.exit(**result)

    def manage(self, manager: t.Callable[..., t.Any], keep_diff: bool = True, nothing_done: str = "Nothing was changed.") -> None:
        """The entry every module shares: the object's manager built from plain inputs
        (``manager(api, params, check_mode, warn=...)``), run, and its result returned; with
        ``keep_diff=False`` the diff is returned only when the play asks for it (--diff)."""

        def run() -> dict[str, t.Any]:
            result = manager(self.api, self.params, self.check_mode, warn=self.warn).run()
            if not keep_diff and not self.diff_mode:
                result.pop("diff", None)
            return result

        self.converge(run, nothing_done)

    def report(self, read: t.Callable[[], dict[str, t.Any]],
               actions: t.Callable[[dict[str, t.Any], dict[str, t.Any]], list[str]] | None = None, **on_error: t.Any) -> None:
        """The entry of the read-only modules: exit with ``read()`` plus ``actions(params, result)``, the docker
        commands that read the same; nothing is ever changed. An error fails as errors() says, with ``on_error``."""
        with self.errors(changed=False, **on_error):
            result = read()
            if actions is not None:
                result["actions"] = actions(self.params, result)
        self.exit(**{"changed": False, **result})

    @contextmanager
    def errors(self, **extra: t.Any) -> t.Iterator[None]:
        """Turn every exception into fail_json with a clear message (no raw traceback as msg)."""
        try:
            yield
        except DockerError as exc:
            self.fail(exc.msg, **{**extra, **exc.details})
        except SpecError as exc:
            self.fail(str(exc), **extra)
        except Exception as exc:  # pylint: disable=broad-exception-caught
            self.fail(
                f"Unexpected error ({type(exc).__name__}): {exc}. This is a bug in devops.docker; "
                "please report it with the task that failed.",
                exception=traceback.format_exc(),
                **extra,
            )
