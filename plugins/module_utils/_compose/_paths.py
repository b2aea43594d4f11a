# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Relative paths of one Compose document made absolute against the folder they are relative to.

The specification resolves a path against the folder of the file that wrote it when that file is
``extends``'d or ``include``d (its ``project_directory``), and against the project directory for the
main files. Resolving each document as it is read, before any merge, keeps that rule simple: after
this stage every build context, env file, bind source and secret/config file is absolute.
"""

from __future__ import annotations

import os
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._compose._tags import Override

REMOTE_PREFIXES = ("http://", "https://", "git://", "git@", "github.com/", "ssh://")


def is_remote(context: str) -> bool:
    """A build context the daemon fetches itself (a git repository or a tarball URL)."""
    return context.startswith(REMOTE_PREFIXES) or "://" in context


def absolute(base: str, path: t.Any) -> t.Any:
    if not isinstance(path, str) or not path:
        return path
    return os.path.normpath(os.path.join(base, os.path.expanduser(path)))


def _is_local_path(source: str) -> bool:
    return source.startswith(("/", ".", "~"))


def _volume(base: str, item: t.Any) -> t.Any:
    if isinstance(item, str):
        source, sep, rest = item.partition(":")
        if sep and _is_local_path(source):
            return absolute(base, source) + ":" + rest
        return item
    if isinstance(item, dict):
        source = item.get("source")
        vtype = item.get("type")
        if isinstance(source, str) and (vtype == "bind" or vtype is None and _is_local_path(source)):
            return {**item, "source": absolute(base, source)}
    return item


def _env_files(base: str, value: t.Any) -> t.Any:
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("path"), str):
            out.append({**item, "path": absolute(base, item["path"])})
        else:
            out.append(absolute(base, item))
    return out if isinstance(value, list) else out[0]


def _build(base: str, build: t.Any) -> t.Any:
    if isinstance(build, str):
        return build if is_remote(build) else absolute(base, build)
    if not isinstance(build, dict):
        return build
    build = dict(build)
    context = build.get("context")
    if context is None:
        build["context"] = base
    elif isinstance(context, str) and not is_remote(context):
        build["context"] = absolute(base, context)
    contexts = build.get("additional_contexts")
    if isinstance(contexts, dict):
        build["additional_contexts"] = {
            k: v if not isinstance(v, str) or is_remote(v) or v.startswith(("docker-image://", "service:", "oci-layout://"))
            else absolute(base, v)
            for k, v in contexts.items()
        }
    return build


def resolve_service(base: str, svc: t.Any) -> t.Any:
    if isinstance(svc, Override):
        return Override(resolve_service(base, svc.value))
    if not isinstance(svc, dict):
        return svc
    svc = dict(svc)
    if "build" in svc:
        svc["build"] = _build(base, _plain(svc["build"]))
    for key in ("env_file", "label_file"):
        if isinstance(_plain(svc.get(key)), (str, list, dict)):
            svc[key] = _env_files(base, _plain(svc[key]))
    if isinstance(_plain(svc.get("volumes")), list):
        svc["volumes"] = [_volume(base, v) for v in _plain(svc["volumes"])]
    extends = svc.get("extends")
    if isinstance(extends, dict) and isinstance(extends.get("file"), str):
        svc["extends"] = {**extends, "file": absolute(base, extends["file"])}
    return svc


def _plain(value: t.Any) -> t.Any:
    return value.value if isinstance(value, Override) else value


def resolve_document(base: str, doc: dict[str, t.Any]) -> dict[str, t.Any]:
    """A copy of doc with every relative path made absolute against base."""
    doc = dict(doc)
    services = doc.get("services")
    if isinstance(services, dict):
        doc["services"] = {name: resolve_service(base, svc) for name, svc in services.items()}
    for section in ("secrets", "configs"):
        objects = doc.get(section)
        if isinstance(objects, dict):
            doc[section] = {
                name: {**obj, "file": absolute(base, obj["file"])} if isinstance(obj, dict) and isinstance(obj.get("file"), str) else obj
                for name, obj in objects.items()
            }
    return doc
