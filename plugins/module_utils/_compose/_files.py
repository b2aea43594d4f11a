# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Top-level ``secrets`` and ``configs`` without Swarm.

A secret or config comes from a ``file``, an ``environment`` variable or inline ``content``. For each
service that uses one, the module writes its content to a file of its own under the project's state
folder (``/var/lib/devops-docker/compose/<project>/`` as root, ``~/.local/state/devops-docker/...``
otherwise, or ``$DEVOPS_DOCKER_STATE_DIR``), with the reference's ``mode`` (default 0444), ``uid`` and
``gid``, and bind-mounts that file read-only at ``/run/secrets/<name>`` (or the ``target``; a config's
default target is ``/<name>``). The file is rewritten in place (same inode) only when its content or
owner or mode differ, and the content's digest is part of the service's config hash: a changed secret
recreates the containers that use it, an unchanged one changes nothing. ``external`` secrets and configs
live in a Swarm; using one here is an error that says so.
"""

from __future__ import annotations

import hashlib
import os
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._compose._validate import SECRET_KEYS, ComposeError, scalar_str, top_objects
from ansible_collections.devops.docker.plugins.module_utils._values._secrets import source_content

STATE_ENV = "DEVOPS_DOCKER_STATE_DIR"


def normalize_file_objects(kind: str, raw: t.Any, env: t.Mapping[str, str], project: str) -> dict[str, dict[str, t.Any]]:
    out = {}
    for name, where, cfg, external in top_objects(kind, raw or None, SECRET_KEYS, "file | environment | content"):
        sources = [k for k in ("file", "environment", "content") if cfg.get(k) is not None]
        obj: dict[str, t.Any] = {"key": name, "external": external, "name": scalar_str(cfg.get("name")) or name}
        if external:
            out[name] = obj
            continue
        for key in ("driver", "driver_opts", "template_driver"):
            if cfg.get(key):
                raise ComposeError(f"{where}.{key}: secret and config drivers are Swarm features; use file, environment or content.")
        if len(sources) != 1:
            raise ComposeError(f"{where}: give exactly one of file, environment or content (got {', '.join(sources) or 'none'}).")
        source = sources[0]
        data = source_content(cfg, source, where, env, error=ComposeError)
        obj.update({"source": source, "data": data, "digest": hashlib.sha256(data).hexdigest()})
        out[name] = obj
    return out


def check_file_refs(service: str, svc: dict[str, t.Any], secrets: dict[str, t.Any], configs: dict[str, t.Any]) -> None:
    for kind, objects in (("secrets", secrets), ("configs", configs)):
        for ref in svc.get(kind) or []:
            obj = objects.get(ref["source"])
            where = f"services.{service}.{kind}"
            if obj is None:
                raise ComposeError(f"{where}: {ref['source']!r} is not declared; add it under the top-level {kind}:.")
            if obj["external"]:
                raise ComposeError(
                    f"{where}: {ref['source']!r} is external: external {kind} exist only in a Swarm, and this engine runs "
                    f"containers without one. Give it a file, environment or content source, or deploy the file as a stack."
                )
            for key in ("uid", "gid"):
                if ref[key] is not None and not ref[key].isdigit():
                    raise ComposeError(f"{where}: {key} {ref[key]!r} must be a number (the file is owned on the host).")


def state_root() -> str:
    if os.environ.get(STATE_ENV):
        return os.environ[STATE_ENV]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return "/var/lib/devops-docker"
    return os.path.join(os.path.expanduser("~"), ".local", "state", "devops-docker")


def project_state_dir(project: str) -> str:
    return os.path.join(state_root(), "compose", project)


def mount_path(project: str, service: str, kind: str, ref: dict[str, t.Any]) -> str:
    """Where the file a service's reference mounts lives on the host (stable: the same reference, the same path)."""
    tag = hashlib.sha256(ref["target"].encode("utf-8")).hexdigest()[:12]
    return os.path.join(project_state_dir(project), kind, service, f"{ref['source']}-{tag}")


def file_mounts(project: str, service: str, svc: dict[str, t.Any]) -> list[str]:
    """The -v bind mounts of a service's secrets and configs."""
    return [f"{mount_path(project, service, kind, ref)}:{ref['target']}:ro" for kind in ("secrets", "configs") for ref in svc.get(kind) or []]


def file_digests(svc: dict[str, t.Any], secrets: dict[str, t.Any], configs: dict[str, t.Any]) -> list[str]:
    """What goes into the service's config hash: the digests of the content it mounts."""
    objects = {"secrets": secrets, "configs": configs}
    return [objects[kind][ref["source"]]["digest"] for kind in ("secrets", "configs") for ref in svc.get(kind) or []]


def files_differ(project: str, service: str, svc: dict[str, t.Any], secrets: dict[str, t.Any], configs: dict[str, t.Any]) -> bool:
    """Whether a file a service mounts is missing or differs in content, owner or mode (nothing is written)."""
    objects = {"secrets": secrets, "configs": configs}
    for kind in ("secrets", "configs"):
        for ref in svc.get(kind) or []:
            path = mount_path(project, service, kind, ref)
            try:
                info = os.stat(path)
                with open(path, "rb") as handle:
                    data = handle.read()
            except OSError:
                return True
            owner = (int(ref["uid"] or 0), int(ref["gid"] or 0))
            if data != objects[kind][ref["source"]]["data"] or (info.st_uid, info.st_gid) != owner or info.st_mode & 0o7777 != ref["mode"]:
                return True
    return False


def write_files(project: str, service: str, svc: dict[str, t.Any], secrets: dict[str, t.Any], configs: dict[str, t.Any]) -> bool:
    """Write (or repair) the files a service mounts; True when one was written. Content is written in place so a
    running container that mounts the file sees the same inode."""
    objects = {"secrets": secrets, "configs": configs}
    changed = False
    for kind in ("secrets", "configs"):
        for ref in svc.get(kind) or []:
            obj = objects[kind][ref["source"]]
            path = mount_path(project, service, kind, ref)
            os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
            try:
                with open(path, "rb") as handle:
                    same = handle.read() == obj["data"]
            except OSError:
                same = False
            if not same:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "wb") as handle:
                    handle.write(obj["data"])
                changed = True
            info = os.stat(path)
            uid = int(ref["uid"]) if ref["uid"] is not None else 0
            gid = int(ref["gid"]) if ref["gid"] is not None else 0
            if (info.st_uid, info.st_gid) != (uid, gid) and hasattr(os, "chown"):
                try:
                    os.chown(path, uid, gid)
                except PermissionError as exc:
                    raise ComposeError(
                        f"services.{service}.{kind}: cannot give {path} uid {uid} and gid {gid}: {exc.strerror}; run as root "
                        "(become: true) or leave uid and gid out."
                    ) from None
                changed = True
            if info.st_mode & 0o7777 != ref["mode"]:
                os.chmod(path, ref["mode"])
                changed = True
    return changed


def remove_state(project: str) -> None:
    import shutil  # pylint: disable=import-outside-toplevel

    shutil.rmtree(project_state_dir(project), ignore_errors=True)
