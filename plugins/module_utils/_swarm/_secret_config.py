# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Swarm secrets and configs: one manager behind ``secret`` and ``config``.

Both objects are immutable in Docker: only their labels can change in place.
New data means a new object: either the same name removed and created again
(only possible while no service uses it), or, with ``rolling_versions``, a new
object ``NAME_vN`` beside the old ones, which are removed once no service uses
them and more than ``versions_to_keep`` exist.

How a change of data is noticed:

* a config's data is returned by the daemon, so it is compared as is;
* a secret's data never leaves the daemon, so the module stores a keyed
  fingerprint of it in a label (``_fingerprint``: an HMAC under a key only the
  managed host holds, not a plain hash that would let anyone with
  ``docker secret inspect`` verify a guess offline). A secret without that
  label was not made by this collection (or by another key): it is kept unless
  ``force`` is set.

The data is never returned, shown in the diff or written into ``actions``.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import typing as t
from dataclasses import dataclass

from ansible_collections.devops.docker.plugins.module_utils._client import APIError, DockerError, DockerModule
from ansible_collections.devops.docker.plugins.module_utils._diff import REDACTED, Tracker
from ansible_collections.devops.docker.plugins.module_utils._fingerprint import fingerprint, matches
from ansible_collections.devops.docker.plugins.module_utils._limits import check_swarm_object_name
from ansible_collections.devops.docker.plugins.module_utils._swarm._cluster import require_manager
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._text import string_map

FINGERPRINT_LABEL = "devops.docker.fingerprint"
VERSION_LABEL = "devops.docker.version"
# community.docker's labels, read so that objects it made are recognised.
COMMUNITY_VERSION_LABEL = "ansible_version"
INTERNAL_LABELS = (FINGERPRINT_LABEL, VERSION_LABEL)


@dataclass(frozen=True)
class Kind:
    """What differs between a secret and a config."""

    name: str  # secret / config: CLI word, module name and return keys
    endpoint: str  # /secrets or /configs
    id_key: str  # SecretID / ConfigID in a service's ContainerSpec
    list_key: str  # Secrets / Configs in a service's ContainerSpec
    readable: bool  # the daemon returns the data (configs) or not (secrets)


SECRET = Kind("secret", "/secrets", "SecretID", "Secrets", readable=False)
CONFIG = Kind("config", "/configs", "ConfigID", "Configs", readable=True)

# Arguments shared by both modules; ``secret`` adds the fingerprint key, ``config`` the template driver.
COMMON_ARGS: dict[str, dict[str, t.Any]] = {
    "name": {"type": "str", "required": True},
    "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
    "data": {"type": "str", "no_log": True},
    "data_is_b64": {"type": "bool", "default": False},
    "data_src": {"type": "path"},
    "labels": {"type": "dict"},
    "labels_exclusive": {"type": "bool", "default": True},
    "force": {"type": "bool", "default": False},
    "rolling_versions": {"type": "bool", "default": False},
    "versions_to_keep": {"type": "int", "default": 5},
}
KIND_ARGS: dict[str, dict[str, dict[str, t.Any]]] = {
    "secret": {"fingerprint_key_file": {"type": "path", "no_log": False}},
    "config": {"template_driver": {"type": "str", "choices": ["golang"]}},
}

_VERSIONED = re.compile(r"^(?P<base>.+)_v(?P<n>[0-9]+)$")


def read_data(params: dict[str, t.Any]) -> bytes | None:
    """The wanted data as bytes (from data, base64 data or a file on the managed host)."""
    if params.get("data_src"):
        path = params["data_src"]
        try:
            with open(path, "rb") as handle:
                return handle.read()
        except OSError as exc:
            raise SpecError(f"data_src: cannot read {path}: {exc.strerror or exc}. Give a readable file on the managed host.") from exc
    data = params.get("data")
    if data is None:
        return None
    if params.get("data_is_b64"):
        try:
            return base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError) as exc:
            # never echo the value: it is a secret
            raise SpecError("data: data_is_b64 is true but data is not valid base64; give the base64 of the value, or set data_is_b64: false.") from exc
    return data.encode("utf-8")


def version_of(obj: dict[str, t.Any], base: str) -> int | None:
    """The rolling version number of a secret/config named ``base_vN`` (None: not a version of base)."""
    name = (obj.get("Spec") or {}).get("Name") or ""
    match = _VERSIONED.match(name)
    if not match or match.group("base") != base:
        return None
    return int(match.group("n"))


def plan_cleanup(versions: list[tuple[int, str]], keep: int, in_use: set[str]) -> tuple[list[str], list[str]]:
    """Which old versions to remove: all but the newest ``keep`` (the current one included; -1 keeps all).

    ``versions`` are (number, name) pairs, the current one among them. A version still used by a service is
    kept. Returns (to_remove, kept_in_use), both oldest first.
    """
    if keep < 0:
        return [], []
    ordered = sorted(versions)
    surplus = ordered[: max(len(ordered) - max(keep, 1), 0)]
    remove = [name for _n, name in surplus if name not in in_use]
    busy = [name for _n, name in surplus if name in in_use]
    return remove, busy


def services_using(services: list[dict[str, t.Any]], kind: Kind) -> dict[str, list[str]]:
    """{object id: [service names]} for every secret or config a service's spec references."""
    users: dict[str, list[str]] = {}
    for service in services:
        spec = service.get("Spec") or {}
        container = (spec.get("TaskTemplate") or {}).get("ContainerSpec") or {}
        for ref in container.get(kind.list_key) or []:
            ident = ref.get(kind.id_key)
            if ident:
                users.setdefault(ident, []).append(spec.get("Name") or service.get("ID", "")[:12])
    return {k: sorted(set(v)) for k, v in users.items()}


def load_key(path: str | None) -> bytes | None:
    """The shared fingerprint key in fingerprint_key_file (None: _fingerprint's per-host key).

    The file must exist: a key created here on one manager would differ from the one on the next.
    """
    if not path:
        return None
    from ansible_collections.devops.docker.plugins.module_utils import _fingerprint  # pylint: disable=import-outside-toplevel

    if not os.path.isfile(path):
        raise SpecError(
            f"fingerprint_key_file: {path} does not exist on the managed host. Make one random key (for example "
            "'head -c 32 /dev/urandom > FILE; chmod 600 FILE') and copy the same file to every manager."
        )
    return _fingerprint.load_key(path)


def summary(obj: dict[str, t.Any] | None) -> dict[str, t.Any] | None:
    """What the diff shows of an object: name, visible labels, templating; the data only as a placeholder."""
    if obj is None:
        return None
    spec = obj.get("Spec") or {}
    labels = {k: v for k, v in (spec.get("Labels") or {}).items() if k not in INTERNAL_LABELS}
    out: dict[str, t.Any] = {"name": spec.get("Name"), "labels": labels, "data": REDACTED}
    if (spec.get("Templating") or {}).get("Name"):
        out["template_driver"] = spec["Templating"]["Name"]
    return out


def public(obj: dict[str, t.Any] | None) -> dict[str, t.Any] | None:
    """The object as inspect returns it, without the data (a config's Spec.Data) and the fingerprint."""
    if obj is None:
        return None
    out = dict(obj)
    spec = dict(out.get("Spec") or {})
    spec.pop("Data", None)
    if spec.get("Labels"):
        spec["Labels"] = {k: (REDACTED if k == FINGERPRINT_LABEL else v) for k, v in spec["Labels"].items()}
    out["Spec"] = spec
    return out


def listing(obj: dict[str, t.Any]) -> dict[str, t.Any]:
    """One entry of swarm_info's secrets/configs: ID, name, labels and version, never the data (nor the fingerprint)."""
    spec = obj.get("Spec") or {}
    labels = {k: (REDACTED if k == FINGERPRINT_LABEL else v) for k, v in (spec.get("Labels") or {}).items()}
    out: dict[str, t.Any] = {
        "ID": obj.get("ID"),
        "Name": spec.get("Name"),
        "Labels": labels,
        "Version": (obj.get("Version") or {}).get("Index"),
        "CreatedAt": obj.get("CreatedAt"),
        "UpdatedAt": obj.get("UpdatedAt"),
    }
    if (spec.get("Templating") or {}).get("Name"):
        out["TemplateDriver"] = spec["Templating"]["Name"]
    return out


class SecretConfigManager:
    """``docker secret`` / ``docker config``: create, compare, roll versions, remove."""

    def __init__(self, module: t.Any, kind: Kind) -> None:
        self.module = module
        self.kind = kind
        self.api = module.api
        self.check_mode = module.check_mode
        p = module.params
        self.base: str = check_swarm_object_name((p.get("name") or "").strip(), "name", kind.name)
        self.state: str = p["state"]
        self.force: bool = bool(p.get("force"))
        self.rolling: bool = bool(p.get("rolling_versions"))
        if self.rolling and len(self.base) > 64 - 6:
            raise SpecError(f"name: with rolling_versions, {self.base!r} leaves no room for the _vN suffix; use at most 58 characters.")
        self.keep: int = int(p.get("versions_to_keep") if p.get("versions_to_keep") is not None else 5)
        self.labels: dict[str, str] = string_map(p.get("labels"), "labels") or {}
        # false: community.docker's comparison, labels the task does not give are kept (allow_more_present)
        self.labels_exclusive: bool = p.get("labels_exclusive") is not False
        clash = sorted(set(self.labels) & set(INTERNAL_LABELS))
        if clash:
            raise SpecError(f"labels: {', '.join(clash)} belong to devops.docker (fingerprint and version); choose other names.")
        self.template_driver: str | None = p.get("template_driver")
        self.data: bytes | None = None
        self.key_file: str | None = p.get("fingerprint_key_file")
        if self.state == "present":
            self.data = read_data(p)
            if self.data is None:
                raise SpecError(f"data or data_src: state=present needs the {kind.name}'s content (data, data with data_is_b64, or data_src).")
        self.tracker = Tracker()
        self.removed: list[str] = []
        self.in_use: list[str] = []

    # -- reading ------------------------------------------------------------
    def _list(self) -> list[dict[str, t.Any]]:
        listed = self.api.get(self.kind.endpoint, {"filters": {"name": [self.base]}}) or []
        return [o for o in listed if (o.get("Spec") or {}).get("Name") == self.base or version_of(o, self.base) is not None]

    def _inspect(self, ident: str) -> dict[str, t.Any] | None:
        return self.api.get_or_none(self.api.url(self.kind.endpoint + "/{0}", ident))

    def _users(self) -> dict[str, list[str]]:
        return services_using(self.api.get("/services") or [], self.kind)

    # -- comparing ------------------------------------------------------------
    def _fingerprint(self) -> str:
        return fingerprint(self.data or b"", self._purpose(), key=load_key(self.key_file))

    def _purpose(self) -> str:
        return f"swarm-{self.kind.name}:{self.base}"

    def data_matches(self, obj: dict[str, t.Any]) -> bool | None:
        """True/False when the data is known to match or not; None when it cannot be told."""
        spec = obj.get("Spec") or {}
        if self.kind.readable:
            try:
                current = base64.b64decode(spec.get("Data") or "")
            except (binascii.Error, ValueError):
                return False
            return current == self.data
        stored = (spec.get("Labels") or {}).get(FINGERPRINT_LABEL)
        if not stored:
            return None
        return bool(matches(stored, self.data, self._purpose(), key=load_key(self.key_file)))

    def wanted_labels(self, version: int | None, fingerprint: str | None) -> dict[str, str]:
        labels = dict(self.labels)
        if fingerprint:
            labels[FINGERPRINT_LABEL] = fingerprint
        if version is not None:
            labels[VERSION_LABEL] = str(version)
        return labels

    # -- run ----------------------------------------------------------------
    def run(self) -> dict[str, t.Any]:
        require_manager(self.api, f"devops.docker.{self.kind.name}")
        objects = self._list()
        if self.state == "absent":
            self.absent(objects)
            current = None
        else:
            current = self.present(objects)
        result = self.tracker.result()
        if not self.module.diff_mode:
            result.pop("diff", None)
        obj = public(current)
        result[self.kind.name] = obj
        result[f"{self.kind.name}_id"] = (current or {}).get("ID")
        result[f"{self.kind.name}_name"] = ((current or {}).get("Spec") or {}).get("Name") if current else None
        result["removed"] = self.removed
        result["in_use"] = self.in_use
        return result

    def _exact(self, objects: list[dict[str, t.Any]]) -> dict[str, t.Any] | None:
        for obj in objects:
            if (obj.get("Spec") or {}).get("Name") == self.base:
                return obj
        return None

    def _versions(self, objects: list[dict[str, t.Any]]) -> list[tuple[int, dict[str, t.Any]]]:
        out = []
        for obj in objects:
            number = version_of(obj, self.base)
            if number is not None:
                out.append((number, obj))
        return sorted(out, key=lambda pair: pair[0])

    def present(self, objects: list[dict[str, t.Any]]) -> dict[str, t.Any] | None:
        fingerprint = None if self.kind.readable else self._fingerprint()
        if not self.rolling:
            return self._present_plain(self._exact(objects), fingerprint)
        return self._present_rolling(self._versions(objects), fingerprint)

    def _differs(self, obj: dict[str, t.Any]) -> tuple[bool, bool]:
        """(data or templating differ: a new object is needed, only the labels differ)."""
        spec = obj.get("Spec") or {}
        matches = self.data_matches(obj)
        if matches is None and not self.force:
            self.module.warn(
                f"{self.kind.name} {spec.get('Name')} has no {FINGERPRINT_LABEL} label (made outside devops.docker, or by "
                f"an older version): its data cannot be compared, so it is kept. Set force: true once to replace it."
            )
        data_differs = self.force or matches is False
        current_driver = (spec.get("Templating") or {}).get("Name")
        if self.kind.readable and current_driver != self.template_driver:
            data_differs = True
        visible = {k: v for k, v in (spec.get("Labels") or {}).items() if k not in INTERNAL_LABELS}
        if not self.labels_exclusive:
            return data_differs, any(visible.get(k) != v for k, v in self.labels.items())
        return data_differs, visible != self.labels

    def _present_plain(self, current: dict[str, t.Any] | None, fingerprint: str | None) -> dict[str, t.Any] | None:
        wanted = self.wanted_labels(None, fingerprint)
        if current is None:
            return self._create(self.base, wanted, None)
        data_differs, labels_differ = self._differs(current)
        if data_differs:
            users = self._users().get(current.get("ID", ""), [])
            if users:
                raise DockerError(
                    f"{self.kind.name} {self.base} must be replaced (its data changed{' or force is set' if self.force else ''}) but "
                    f"service(s) {', '.join(users)} use it, and Docker cannot remove a {self.kind.name} in use. Set "
                    f"rolling_versions: true (a new {self.base}_vN each change; point the services at it), or remove the "
                    f"{self.kind.name} from those services first. Nothing was changed."
                )
            self._remove(current)
            return self._create(self.base, wanted, current)
        if labels_differ:
            return self._update_labels(current, wanted)
        return current

    def _present_rolling(self, versions: list[tuple[int, dict[str, t.Any]]], fingerprint: str | None) -> dict[str, t.Any] | None:
        current = versions[-1][1] if versions else None
        number = versions[-1][0] if versions else 0
        if current is None:
            result = self._create(f"{self.base}_v1", self.wanted_labels(1, fingerprint), None)
            return result
        data_differs, labels_differ = self._differs(current)
        if data_differs:
            number += 1
            name = f"{self.base}_v{number}"
            result = self._create(name, self.wanted_labels(number, fingerprint), current)
            all_versions = [(n, (o.get("Spec") or {}).get("Name")) for n, o in versions] + [(number, name)]
        else:
            if labels_differ:
                current = self._update_labels(current, self.wanted_labels(number, fingerprint))
            result = current
            all_versions = [(n, (o.get("Spec") or {}).get("Name")) for n, o in versions]
        self._cleanup(versions, all_versions)
        return result

    def _cleanup(self, versions: list[tuple[int, dict[str, t.Any]]], all_versions: list[tuple[int, str]]) -> None:
        by_name = {(o.get("Spec") or {}).get("Name"): o for _n, o in versions}
        users = self._users()
        busy = {name for name, obj in by_name.items() if users.get(obj.get("ID", ""))}
        remove, kept = plan_cleanup(all_versions, self.keep, busy)
        self.in_use = kept
        for name in remove:
            self._remove(by_name[name])

    def absent(self, objects: list[dict[str, t.Any]]) -> None:
        targets = [o for o in objects if (o.get("Spec") or {}).get("Name") == self.base]
        if self.rolling:
            targets = [o for _n, o in self._versions(objects)] + targets
        if not targets:
            return
        users = self._users()
        busy = [(o["Spec"]["Name"], users[o.get("ID", "")]) for o in targets if users.get(o.get("ID", ""))]
        if busy:
            described = "; ".join(f"{name} by {', '.join(svc)}" for name, svc in busy)
            raise DockerError(
                f"Cannot remove {self.kind.name} {self.base}: it is in use ({described}), and Docker refuses to remove a "
                f"{self.kind.name} a service uses. Remove it from the services (or the services) first. Nothing was changed."
            )
        for obj in targets:
            self._remove(obj)

    # -- changing -----------------------------------------------------------
    def _create(self, name: str, labels: dict[str, str], before: dict[str, t.Any] | None) -> dict[str, t.Any] | None:
        after: dict[str, t.Any] = {"name": name, "labels": dict(self.labels), "data": REDACTED + (" (new)" if before else "")}
        if self.template_driver:
            after["template_driver"] = self.template_driver
        self.tracker.add(f"{self.kind.name}:{name}", summary(before) if before and before.get("Spec", {}).get("Name") == name else None, after)
        argv: list[t.Any] = ["docker", self.kind.name, "create"]
        for key, val in sorted(labels.items()):
            argv += ["--label", f"{key}={REDACTED if key == FINGERPRINT_LABEL else val}"]
        if self.template_driver:
            argv += ["--template-driver", self.template_driver]
        argv += [name, self.module.params.get("data_src") or "-"]
        self.tracker.action(*argv)
        if self.check_mode:
            return None
        body: dict[str, t.Any] = {
            "Name": name,
            "Labels": labels,
            "Data": base64.b64encode(self.data or b"").decode("ascii"),
        }
        if self.template_driver:
            body["Templating"] = {"Name": self.template_driver}
        try:
            created = self.api.post(self.kind.endpoint + "/create", body=body)
        except APIError as exc:
            raise DockerError(f"docker {self.kind.name} create {name} failed: {exc.explanation}") from exc
        return self._inspect(created.get("ID") or name)

    def _update_labels(self, obj: dict[str, t.Any], labels: dict[str, str]) -> dict[str, t.Any]:
        spec = obj.get("Spec") or {}
        name = spec.get("Name")
        before = {k: v for k, v in (spec.get("Labels") or {}).items() if k not in INTERNAL_LABELS}
        if not self.labels_exclusive:
            labels = {**before, **labels}
        self.tracker.add(f"{self.kind.name}:{name}.labels", before, {**(before if not self.labels_exclusive else {}), **self.labels})
        # The docker CLI cannot change labels; the Engine API can (POST /secrets/ID/update).
        where = ["--unix-socket", self.api.socket_path, "http://localhost"] if self.api.scheme == "unix" else [self.api.base_url]
        self.tracker.action("curl", "-X", "POST", *where[:-1],
                            f"{where[-1]}{self.kind.endpoint}/{obj.get('ID')}/update?version="
                            f"{(obj.get('Version') or {}).get('Index')}", "-d", "{Spec with the new Labels}")
        if self.check_mode:
            return obj
        new_spec = dict(spec)
        new_spec["Labels"] = labels
        try:
            self.api.request(
                "POST", self.api.url(self.kind.endpoint + "/{0}/update", obj["ID"]),
                {"version": (obj.get("Version") or {}).get("Index")}, new_spec,
            ).read()
        except APIError as exc:
            raise DockerError(f"Updating the labels of {self.kind.name} {name} failed: {exc.explanation}") from exc
        return self._inspect(obj["ID"]) or obj

    def _remove(self, obj: dict[str, t.Any]) -> None:
        name = (obj.get("Spec") or {}).get("Name")
        self.removed.append(name)
        if not any(key == f"{self.kind.name}:{name}" for key, _b, _a in self.tracker.differences):
            self.tracker.add(f"{self.kind.name}:{name}", summary(obj), None)
        self.tracker.action("docker", self.kind.name, "rm", name)
        if self.check_mode:
            return
        try:
            self.api.delete(self.api.url(self.kind.endpoint + "/{0}", obj["ID"]))
        except APIError as exc:
            if exc.status == 404:
                return
            raise DockerError(f"docker {self.kind.name} rm {name} failed: {exc.explanation}") from exc


def run_module(kind: Kind) -> None:
    """The main() of devops.docker.secret and devops.docker.config: the same options but one, the same manager."""
    module = DockerModule(
        argument_spec={**COMMON_ARGS, **KIND_ARGS[kind.name]},
        supports_check_mode=True,
        mutually_exclusive=[("data", "data_src")],
    )
    module.converge(lambda: SecretConfigManager(module, kind).run())
