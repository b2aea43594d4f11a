# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""``docker login`` / ``docker logout``: credentials where the CLI keeps them.

* ``registry_key``: the key the CLI stores a registry under (``host[:port]``,
  or ``_specs.DOCKER_HUB_AUTH_KEY`` for Docker Hub).
* ``FileStore``: ``auths[<key>].auth = base64(user:password)`` in
  ``config.json``, written atomically with mode 0600, other keys kept.
* ``HelperStore``: ``docker-credential-<helper> get/store/erase`` when the
  config names a ``credsStore`` or a ``credHelpers`` entry for the registry.
* ``LoginManager``: compares the stored credentials with the wanted ones and
  only contacts the registry (through the daemon's ``POST /auth``) when they
  differ or ``reauthorize`` is set.  The password never reaches the result,
  the diff or the actions.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import shutil
import tempfile
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._client import APIError, DockerError
from ansible_collections.devops.docker.plugins.module_utils._managers import Manager
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._images import (
    DOCKER_HUB_ALIASES,
    DOCKER_HUB_AUTH_KEY,
)

DOCKER_HUB = DOCKER_HUB_AUTH_KEY
DEFAULT_CONFIG = "~/.docker/config.json"
_HOST_RE = re.compile(
    r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::[0-9]{1,5})?$"
    r"|^\[[0-9a-f:.]+\](?::[0-9]{1,5})?$"
)
Credentials = t.Optional[t.Tuple[str, str]]


def registry_key(value: t.Any, option: str = "registry_url") -> str:
    """'http://localhost:5001/v2/' -> 'localhost:5001'; any Docker Hub spelling -> DOCKER_HUB."""
    if not isinstance(value, str) or not value.strip():
        raise SpecError(f"{option}: a registry is required, like 'localhost:5001' or 'registry.example.com'.")
    text = value.strip().lower()
    scheme, sep, rest = text.partition("://")
    if not sep:
        rest = text
    elif scheme not in ("http", "https"):
        raise SpecError(f"{option}: {value!r} uses the scheme {scheme!r}; write the registry as host[:port] or https://host[:port].")
    host = rest.split("/", 1)[0]
    if host in DOCKER_HUB_ALIASES:
        return DOCKER_HUB
    if not host or not _HOST_RE.match(host) or "@" in rest:
        raise SpecError(
            f"{option}: {value!r} is not a registry address; write it as host[:port] like 'localhost:5001' or "
            "'registry.example.com' (an http:// or https:// prefix is allowed; credentials go in username and password)."
        )
    port = host.rsplit("]", 1)[-1].partition(":")[2]
    if port and not 0 < int(port) < 65536:
        raise SpecError(f"{option}: {value!r} has an invalid port {port}; use 1-65535.")
    return host


def encode_auth(username: str, password: str) -> str:
    return base64.b64encode(f"{username}:{password}".encode("utf-8")).decode("ascii")


def decode_auth(entry: t.Any) -> Credentials:
    """The (username, password) of an ``auths`` entry, None when it holds none."""
    if not isinstance(entry, dict):
        return None
    if entry.get("auth"):
        try:
            raw = base64.b64decode(str(entry["auth"]), validate=False).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return None
        user, sep, password = raw.partition(":")
        return (user, password) if sep else None
    if entry.get("username"):
        return str(entry["username"]), str(entry.get("password") or "")
    return None


def _same_registry(key: str, other: str) -> bool:
    try:
        return registry_key(other) == key
    except SpecError:
        return False


class ConfigFile:
    """The CLI's config.json: read once, written atomically (0600) only when asked."""

    def __init__(self, path: str) -> None:
        self.path = os.path.realpath(os.path.expanduser(path))
        self.exists = os.path.exists(self.path)
        self.data: dict[str, t.Any] = {}
        if self.exists:
            try:
                with open(self.path, "rb") as handle:
                    raw = handle.read()
            except OSError as exc:
                raise DockerError(f"config_path: cannot read {self.path}: {exc.strerror or exc}.") from exc
            if raw.strip():
                try:
                    data = json.loads(raw)
                except ValueError as exc:
                    raise DockerError(
                        f"config_path: {self.path} is not valid JSON ({exc}); fix it or move it away, then retry."
                    ) from exc
                if not isinstance(data, dict):
                    raise DockerError(f"config_path: {self.path} does not hold a JSON object; fix it or move it away.")
                self.data = data

    @property
    def auths(self) -> dict[str, t.Any]:
        auths = self.data.get("auths")
        return auths if isinstance(auths, dict) else {}

    def keys_for(self, key: str) -> list[str]:
        """Every ``auths`` key naming this registry (the CLI accepts http(s):// spellings too)."""
        return [k for k in self.auths if k == key or _same_registry(key, k)]

    def helper_for(self, key: str) -> str | None:
        helpers = self.data.get("credHelpers")
        if isinstance(helpers, dict):
            for name, helper in helpers.items():
                if helper and (name == key or _same_registry(key, name)):
                    return str(helper)
        store = self.data.get("credsStore")
        return str(store) if store else None

    def save(self) -> None:
        directory = os.path.dirname(self.path)
        try:
            if not os.path.isdir(directory):
                os.makedirs(directory, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=directory, prefix=".config.json.")
            try:
                os.fchmod(fd, 0o600)
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(self.data, handle, indent="\t")
                    handle.write("\n")
                os.replace(tmp, self.path)
            except BaseException:
                if os.path.exists(tmp):
                    os.unlink(tmp)
                raise
        except OSError as exc:
            raise DockerError(
                f"config_path: cannot write {self.path}: {exc.strerror or exc}; check the directory's permissions "
                "(become: true, or a config_path the user may write)."
            ) from exc
        self.exists = True


RunCommand = t.Callable[..., t.Tuple[int, str, str]]


def run_command(argv: list[str], data: str = "", binary_data: bool = False) -> tuple[int, str, str]:
    """Run a program with ``data`` on stdin: (rc, stdout, stderr), like AnsibleModule.run_command."""
    del binary_data  # the data is passed as is either way
    import subprocess  # pylint: disable=import-outside-toplevel

    try:
        proc = subprocess.run(argv, input=data, capture_output=True, text=True, check=False)
    except OSError as exc:
        return 127, "", str(exc)
    return proc.returncode, proc.stdout, proc.stderr


class HelperStore:
    """A docker-credential-<name> program, spoken to over stdin/stdout like the CLI does; ``runner`` runs it
    (AnsibleModule.run_command in a module, ``run_command`` elsewhere)."""

    def __init__(self, runner: RunCommand, name: str) -> None:
        self.runner = runner
        self.name = name
        self.program = f"docker-credential-{name}"
        self.path = shutil.which(self.program)
        if not self.path:
            raise DockerError(
                f"The Docker config names the credential helper {name!r} (credsStore/credHelpers) but {self.program} "
                "is not on PATH: install it, or remove the entry from the config so the credentials go into config.json."
            )

    def _run(self, action: str, data: str) -> tuple[int, str, str]:
        return self.runner([self.path, action], data=data, binary_data=True)

    def get(self, key: str) -> Credentials:
        rc, out, err = self._run("get", key)
        if rc != 0:
            if "not found" in (out + err).lower():
                return None
            raise DockerError(f"{self.program} get failed (rc={rc}): {(err or out).strip()}")
        try:
            data = json.loads(out)
        except ValueError as exc:
            raise DockerError(f"{self.program} get returned something that is not JSON; check the helper.") from exc
        if not data.get("Username") and not data.get("Secret"):
            return None
        return str(data.get("Username") or ""), str(data.get("Secret") or "")

    def store(self, key: str, username: str, password: str) -> None:
        payload = json.dumps({"ServerURL": key, "Username": username, "Secret": password})
        rc, out, err = self._run("store", payload)
        if rc != 0:
            raise DockerError(f"{self.program} store failed (rc={rc}): {(err or out).strip()}")

    def erase(self, key: str) -> None:
        rc, out, err = self._run("erase", key)
        if rc != 0 and "not found" not in (out + err).lower():
            raise DockerError(f"{self.program} erase failed (rc={rc}): {(err or out).strip()}")


class Stored(t.NamedTuple):
    """What the CLI keeps for one registry: its key, the config file, the credential helper the config names (if
    any), the credentials in use (the helper's, else the file's), the ``auths`` keys naming the registry and the
    credentials the file holds."""

    key: str
    config: ConfigFile
    helper: t.Optional[HelperStore]
    current: Credentials
    file_keys: t.List[str]
    file_creds: Credentials


class LoginManager(Manager):
    """The Manager inputs plus ``runner``: how a credential helper program is run (the module passes
    AnsibleModule.run_command so its output is handled like every other command's)."""

    def __init__(self, *args: t.Any, runner: RunCommand | None = None, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self.runner = runner or run_command

    def run(self) -> dict[str, t.Any]:
        try:
            return self._run()
        except SpecError as exc:
            raise DockerError(exc.msg) from exc

    # -- planning --------------------------------------------------------
    def _cli(self, *argv: str) -> list[str]:
        config_path = self.params.get("config_path") or DEFAULT_CONFIG
        prefix = ["docker"]
        if os.path.expanduser(config_path) != os.path.expanduser(DEFAULT_CONFIG):
            prefix += ["--config", os.path.dirname(config_path) or "."]
        return prefix + list(argv)

    def _run(self) -> dict[str, t.Any]:
        params = self.params
        key = registry_key(params.get("registry_url") or DOCKER_HUB)
        state = params.get("state") or "present"
        username = params.get("username")
        password = params.get("password")
        if state == "present" and (not username or password is None or password == ""):
            raise SpecError("username and password: both are required with state=present (docker login needs them).")
        config = ConfigFile(params.get("config_path") or DEFAULT_CONFIG)
        helper_name = config.helper_for(key)
        helper = HelperStore(self.runner, helper_name) if helper_name else None
        file_keys = config.keys_for(key)
        file_creds = next((c for c in (decode_auth(config.auths[k]) for k in file_keys) if c), None)
        stored = Stored(key, config, helper, helper.get(key) if helper else file_creds, file_keys, file_creds)
        result: dict[str, t.Any] = {
            "registry": key,
            "config_path": config.path,
            "credential_helper": helper_name,
        }
        if state == "present":
            self._present(stored, username, password)
            result["username"] = username
        else:
            self._absent(stored)
            result["username"] = None
        return self.tracker.result(**result)

    def _present(self, stored: Stored, username: str, password: str) -> None:
        key, config, helper, current, file_keys, _file_creds = stored
        matches = current == (username, password)
        needs_placeholder = bool(helper) and key not in config.auths
        if matches and not needs_placeholder and not self.params.get("reauthorize"):
            return
        self._authenticate(key, username, password)
        if matches and not needs_placeholder:
            return
        self.tracker.compare("logged_in", current is not None, True)
        self.tracker.compare("username", current[0] if current else None, username)
        if current is not None and current[0] == username and current[1] != password:
            self.tracker.add("password", "(stored, hidden)", "(new, hidden)")
        argv = ["login", "--username", username, "--password-stdin"]
        if key != DOCKER_HUB:
            argv.append(key)
        self.tracker.action(*self._cli(*argv))
        if self.check_mode:
            return
        auths = config.data.setdefault("auths", {})
        if not isinstance(auths, dict):
            raise DockerError(f"config_path: 'auths' in {config.path} is not a JSON object; fix the file.")
        if helper:
            if not matches:
                helper.store(key, username, password)
            auths.setdefault(key, {})
        else:
            entry = auths.get(key) if isinstance(auths.get(key), dict) else {}
            entry = {k: v for k, v in entry.items() if k not in ("auth", "username", "password", "identitytoken")}
            entry["auth"] = encode_auth(username, password)
            auths[key] = entry
            for other in file_keys:
                if other != key:
                    auths.pop(other, None)
        config.save()

    def _absent(self, stored: Stored) -> None:
        key, config, helper, current, file_keys, file_creds = stored
        if current is None and not file_keys:
            return
        self.tracker.compare("logged_in", current is not None or file_creds is not None, False)
        self.tracker.compare("username", (current or file_creds or (None,))[0], None)
        self.tracker.action(*self._cli("logout", *([] if key == DOCKER_HUB else [key])))
        if self.check_mode:
            return
        if helper and current is not None:
            helper.erase(key)
        if file_keys:
            for other in file_keys:
                config.auths.pop(other, None)
            config.save()

    # -- the registry, through the daemon --------------------------------
    def _authenticate(self, key: str, username: str, password: str) -> None:
        body = {"username": username, "password": password, "serveraddress": key}
        try:
            self.api.post("/auth", body=body)
        except APIError as exc:
            text = exc.explanation or ""
            lowered = text.lower()
            if exc.status == 401 or "401" in lowered or "unauthorized" in lowered or "incorrect username" in lowered:
                raise DockerError(
                    f"authentication failed for {username} at {key}: the registry rejected the username or password "
                    f"({text}); check username and password. Nothing was stored.",
                ) from exc
            raise DockerError(
                f"Cannot log in to {key}: {text}. Check registry_url, and that the registry is reachable from the "
                "Docker daemon (for plain HTTP registries other than localhost, the daemon needs them in "
                "insecure-registries). Nothing was stored."
            ) from exc
