# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A stack's secrets and configs, as ``docker stack deploy`` makes them.

Top level::

    secrets:
      db_pw: {file: ./db_pw.txt}          # <stack>_db_pw, from a file of the project
      api_key: {environment: API_KEY}     # from a variable of the project's environment
      shared: {external: true, name: x}   # made elsewhere (devops.docker.secret); must exist
    configs:
      nginx: {file: ./nginx.conf, template_driver: golang}
      motd: {content: "hello"}

Each secret or config a stack makes is named ``<stack>_<key>`` (or its
``name:``), labelled ``com.docker.stack.namespace=<stack>``, converged by the
``secret``/``config`` modules' manager (so a re-deploy with the same content is
no change, and the content never reaches the output), and removed with the
stack.  A service refers to them by key, short (``- db_pw``: the file
``/run/secrets/db_pw``) or long (``{source, target, uid, gid, mode}``).

Docker cannot change the content of a secret a service uses: a changed file
fails with a message that says to give the new content a new ``name:``
(``db_pw_v2``), which rolls the services over to it.
"""

from __future__ import annotations

import base64
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._client import APIError, DockerError
from ansible_collections.devops.docker.plugins.module_utils._diff import Tracker
from ansible_collections.devops.docker.plugins.module_utils._swarm._secret_config import CONFIG, SECRET, Kind, SecretConfigManager
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._secrets import source_content

NAMESPACE_LABEL = "com.docker.stack.namespace"
OBJECT_KEYS = {"file", "environment", "content", "external", "name", "labels", "template_driver", "driver",
               "driver_opts"}


def parse_definitions(raw: t.Any, kind: Kind, stack: str, project_dir: str,
                      variables: t.Mapping[str, str]) -> dict[str, dict[str, t.Any]]:
    """Top-level secrets:/configs: -> {key: {name, external, data (bytes), labels, template_driver, source}}."""
    section = f"{kind.name}s"
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise SpecError(f"{section}: expected a mapping of {kind.name} names.")
    out = {}
    for key, cfg in raw.items():
        where = f"{section}.{key}"
        cfg = cfg or {}
        if not isinstance(cfg, dict):
            raise SpecError(f"{where}: expected a mapping with file, environment, content or external.")
        unknown = sorted(set(cfg) - OBJECT_KEYS)
        if unknown:
            raise SpecError(f"{where}: {', '.join(unknown)} is not supported; use file, environment, content or external.")
        if cfg.get("driver") or cfg.get("driver_opts"):
            raise SpecError(f"{where}: secret drivers are not supported; give the content with file or environment.")
        if cfg.get("template_driver") not in (None, "golang"):
            raise SpecError(f"{where}.template_driver: only golang is supported.")
        sources = [k for k in ("file", "environment", "content") if cfg.get(k) is not None]
        external = cfg.get("external")
        if isinstance(external, dict):  # the old form external: {name: x}
            cfg = dict(cfg, name=external.get("name") or cfg.get("name"))
            external = True
        if external:
            if sources:
                raise SpecError(f"{where}: an external {kind.name} is made elsewhere; remove {', '.join(sources)}.")
            out[str(key)] = {"name": str(cfg.get("name") or key), "external": True, "source": "external"}
            continue
        if len(sources) != 1:
            raise SpecError(f"{where}: give exactly one of file, environment or content (or external: true).")
        source = sources[0]
        if source == "content" and kind.name == "secret":
            raise SpecError(f"{where}.content: a secret's value does not belong in the Compose file; use file or "
                            "environment.")
        data = source_content(cfg, source, where, variables, project_dir)
        labels = {str(k): str(v) for k, v in (cfg.get("labels") or {}).items()}
        labels[NAMESPACE_LABEL] = stack
        out[str(key)] = {
            "name": str(cfg.get("name") or f"{stack}_{key}"),
            "external": False,
            "data": data,
            "labels": labels,
            "template_driver": cfg.get("template_driver"),
            "source": source,
        }
    return out


def service_refs(value: t.Any, kind: Kind, definitions: dict[str, dict[str, t.Any]], where: str) -> list[dict[str, t.Any]] | None:
    """A service's secrets:/configs: (short or long syntax) -> the service module's secrets/configs entries."""
    if value is None:
        return None
    if not isinstance(value, list):
        raise SpecError(f"{where}: expected a list of {kind.name} names or mappings with source and target.")
    out = []
    for i, item in enumerate(value):
        if isinstance(item, str):
            item = {"source": item}
        if not isinstance(item, dict) or not item.get("source"):
            raise SpecError(f"{where}[{i}]: give source, the name of a top-level {kind.name}.")
        unknown = sorted(set(item) - {"source", "target", "uid", "gid", "mode"})
        if unknown:
            raise SpecError(f"{where}[{i}]: {', '.join(unknown)} is not supported; use source, target, uid, gid, mode.")
        key = str(item["source"])
        if key not in definitions:
            raise SpecError(f"{where}[{i}]: {kind.name} {key} is not defined under the top-level {kind.name}s:.")
        entry: dict[str, t.Any] = {f"{kind.name}_name": definitions[key]["name"],
                                   "filename": str(item.get("target") or key)}
        for field in ("uid", "gid", "mode"):  # mode: YAML's 0400 is already the number 256
            if item.get(field) is not None:
                entry[field] = item[field]
        out.append(entry)
    return out


class _Shim:
    """What SecretConfigManager reads from a module, for one of the stack's objects."""

    def __init__(self, api: t.Any, check_mode: bool, params: dict[str, t.Any], warn: t.Callable[[str], None]) -> None:
        self.api = api
        self.check_mode = check_mode
        self.diff_mode = True
        self.params = params
        self.warn = warn


def converge_objects(api: t.Any, kind: Kind, definitions: dict[str, dict[str, t.Any]], check_mode: bool,
                     tracker: Tracker, warn: t.Callable[[str], None]) -> None:
    """Make the stack's own secrets/configs (external ones must exist), recording into the stack's tracker."""
    for key, item in sorted(definitions.items()):
        if item["external"]:
            if api.get_or_none(api.url(kind.endpoint + "/{0}", item["name"])) is None:
                raise DockerError(f"{kind.name}s.{key}: external {kind.name} {item['name']} does not exist; create it "
                                  f"first (devops.docker.{kind.name}). Nothing was changed.")
            continue
        params = {"name": item["name"], "state": "present", "data": base64.b64encode(item["data"]).decode("ascii"),
                  "data_is_b64": True, "data_src": None, "labels": item["labels"], "force": False,
                  "rolling_versions": False, "versions_to_keep": 5, "template_driver": item.get("template_driver")}
        manager = SecretConfigManager(_Shim(api, check_mode, params, warn), kind)
        try:
            manager.run()
        except DockerError as exc:
            if "must be replaced" in exc.msg:
                raise DockerError(
                    f"{kind.name}s.{key}: the content of {item['name']} changed, and services use it; Docker cannot change "
                    f"it in place. Give the new content a new name (name: {item['name']}_v2 under {kind.name}s.{key}), "
                    "which the stack's services switch to. Nothing was changed."
                ) from exc
            raise
        for _name, before, after in manager.tracker.differences:
            tracker.add(f"{kind.name}s.{key}", before, after)
        tracker.actions.extend(manager.tracker.actions)
        if manager.tracker.changed:
            tracker.mark_changed()


def remove_objects(api: t.Any, stack: str, check_mode: bool, tracker: Tracker) -> None:
    """Remove the secrets and configs the stack made (labelled with its namespace)."""
    for kind in (SECRET, CONFIG):
        listed = api.get(kind.endpoint, {"filters": {"label": [f"{NAMESPACE_LABEL}={stack}"]}}) or []
        for obj in sorted(listed, key=lambda o: (o.get("Spec") or {}).get("Name") or ""):
            name = (obj.get("Spec") or {}).get("Name")
            tracker.add(f"{kind.name}s.{name}", {"name": name}, None)
            tracker.action("docker", kind.name, "rm", name)
            if check_mode:
                continue
            try:
                api.delete(api.url(kind.endpoint + "/{0}", obj["ID"]))
            except APIError as exc:
                if exc.status != 404:
                    raise DockerError(f"docker {kind.name} rm {name} failed: {exc.explanation}") from exc
