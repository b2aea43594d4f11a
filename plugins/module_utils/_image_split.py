# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""community.docker's split image modules (docker_image_build, _pull, _push, _tag, _remove, _load, _export).

Each module keeps community.docker's options and return values and does its work through the image
manager of devops.docker.image (``_image.ImageManager``), so a build, a pull or a push behaves the same in
both: the same checks before touching the daemon, the same ``actions`` and ``diff``, the same check mode.
What the manager does not know (build platform, cache sources, extra hosts, pull platform, remove without
pruning parents) is added to the Engine API request by ``_ExtraQueryAPI`` and to the CLI equivalent by
``_ExtraArgvTracker``; tagging several names, removing, loading and exporting are small enough to live here.
"""

from __future__ import annotations

import json
import os
import typing as t
from urllib.parse import urlencode

from ansible_collections.devops.docker.plugins.module_utils._client import APIError, DockerError, DockerModule, NotFound
from ansible_collections.devops.docker.plugins.module_utils._diff import Tracker
from ansible_collections.devops.docker.plugins.module_utils._image._manager import ImageManager
from ansible_collections.devops.docker.plugins.module_utils._image._progress import LONG_TIMEOUT, archive_images, save_images
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._images import (
    ImageName,
    familiar_name,
    familiar_repository,
    is_image_id,
    parse_image_name,
)

CHECK_MODE_ID = "(new image ID, known after the real run)"

# The parameters of devops.docker.image that the split modules do not set.
_MANAGER_DEFAULTS: dict[str, t.Any] = {
    "state": "present",
    "source": None,
    "build": None,
    "rebuild": "auto",
    "pull": "missing",
    "load_path": None,
    "archive_path": None,
    "repository": None,
    "push": False,
    "force": False,
}

SECRET_TYPES = ("file", "env", "value")
OUTPUT_TYPES = ("docker", "image", "local", "tar", "oci")

BUILD_ARGS: dict[str, t.Any] = {
    "name": {"type": "str", "required": True},
    "tag": {"type": "str", "default": "latest"},
    "path": {"type": "path", "required": True},
    "dockerfile": {"type": "str"},
    "cache_from": {"type": "list", "elements": "str"},
    "pull": {"type": "bool", "default": False},
    "network": {"type": "str"},
    "nocache": {"type": "bool", "default": False},
    "etc_hosts": {"type": "dict"},
    "args": {"type": "dict"},
    "target": {"type": "str"},
    "platform": {"type": "list", "elements": "str"},
    "shm_size": {"type": "str"},
    "labels": {"type": "dict"},
    "rebuild": {"type": "str", "default": "never", "choices": ["never", "always"]},
    "secrets": {
        "type": "list",
        "elements": "dict",
        "no_log": False,  # the secrets' ids and sources; value is no_log
        "options": {
            "id": {"type": "str", "required": True},
            "type": {"type": "str", "required": True, "choices": list(SECRET_TYPES)},
            "src": {"type": "path"},
            "env": {"type": "str"},
            "value": {"type": "str", "no_log": True},
        },
    },
    "outputs": {
        "type": "list",
        "elements": "dict",
        "options": {
            "type": {"type": "str", "required": True, "choices": list(OUTPUT_TYPES)},
            "dest": {"type": "path"},
            "context": {"type": "str"},
            "name": {"type": "list", "elements": "str"},
            "push": {"type": "bool", "default": False},
        },
    },
}

PULL_ARGS: dict[str, t.Any] = {
    "name": {"type": "str", "required": True},
    "tag": {"type": "str", "default": "latest"},
    "platform": {"type": "str"},
    "pull": {"type": "str", "default": "always", "choices": ["always", "not_present"]},
}

PUSH_ARGS: dict[str, t.Any] = {
    "name": {"type": "str", "required": True},
    "tag": {"type": "str", "default": "latest"},
}

TAG_ARGS: dict[str, t.Any] = {
    "name": {"type": "str", "required": True},
    "tag": {"type": "str", "default": "latest"},
    "repository": {"type": "list", "elements": "str", "required": True},
    "existing_images": {"type": "str", "default": "overwrite", "choices": ["keep", "overwrite"]},
}

REMOVE_ARGS: dict[str, t.Any] = {
    "name": {"type": "str", "required": True},
    "tag": {"type": "str", "default": "latest"},
    "force": {"type": "bool", "default": False},
    "prune": {"type": "bool", "default": True},
}

LOAD_ARGS: dict[str, t.Any] = {
    "path": {"type": "path", "required": True},
}

EXPORT_ARGS: dict[str, t.Any] = {
    "names": {"type": "list", "elements": "str", "required": True, "aliases": ["name"]},
    "tag": {"type": "str", "default": "latest"},
    "path": {"type": "path"},
    "force": {"type": "bool", "default": False},
}


def run_module(argument_spec: dict[str, t.Any], run: t.Callable[[t.Any], dict[str, t.Any]]) -> None:
    """The main() of every docker_image_* module: the module from its options, ``run(module)``, its result
    (an error fails the task unchanged, with no actions)."""
    module = DockerModule(argument_spec=argument_spec, supports_check_mode=True)
    with module.errors(changed=False, actions=[]):
        result = run(module)
    module.exit(**result)


# ---------------------------------------------------------------- names
def image_ref(name: t.Any, tag: t.Any, option: str = "name", allow_id: bool = False) -> str:
    """community.docker's name + tag: a tag or digest written in name wins over tag; an image ID stays as is."""
    text = str(name or "").strip()
    if allow_id and is_image_id(text):
        return text
    try:
        parsed = parse_image_name(text, option)
        if parsed.tag is None and parsed.digest is None:
            parsed = ImageName(parsed.registry, parsed.path, str(tag or "latest"), None)
    except SpecError as exc:
        raise DockerError(exc.msg) from exc
    return familiar_name(parsed)


def _repo_tag(ref: str) -> tuple[str, str]:
    parsed = parse_image_name(ref)
    return familiar_repository(parsed), parsed.tag or "latest"


# ---------------------------------------------------------------- the manager, with more options
class _ManagerModule:
    """What ImageManager reads from its module: params (the image module's), check mode and the API."""

    def __init__(self, module: t.Any, params: dict[str, t.Any], api: t.Any = None) -> None:
        self.params = {**_MANAGER_DEFAULTS, **params}
        self.check_mode = module.check_mode
        self.diff_mode = getattr(module, "diff_mode", False)
        self.api = api if api is not None else module.api


def _image_manager(module: t.Any, params: dict[str, t.Any], api: t.Any = None) -> ImageManager:
    """The image module's manager, from plain inputs (its params over the defaults, this module's check mode)."""
    inputs = _ManagerModule(module, params, api)
    return ImageManager(inputs.api, inputs.params, inputs.check_mode, warn=getattr(module, "warn", None))


class _ExtraQueryAPI:
    """The module's API client, adding query parameters to the requests of one endpoint.

    ``extra`` maps (method, path suffix) to parameters; a list value is sent as a repeated parameter
    (``extrahosts=a&extrahosts=b``), as the Engine API wants for build's extra hosts.
    """

    def __init__(self, api: t.Any, extra: dict[tuple[str, str], dict[str, t.Any]]) -> None:
        self._api = api
        self._extra = extra
        self.responses: list[t.Any] = []

    def __getattr__(self, name: str) -> t.Any:
        return getattr(self._api, name)

    def request(self, method: str, path: str, params: dict[str, t.Any] | None = None, *args: t.Any, **kwargs: t.Any) -> t.Any:
        for (verb, suffix), extra in self._extra.items():
            if method == verb and path.split("?", 1)[0].endswith(suffix) and extra:
                merged = {**(params or {}), **extra}
                pairs: list[tuple[str, str]] = []
                for key, value in merged.items():
                    if value is None:
                        continue
                    if isinstance(value, tuple):
                        pairs.extend((key, str(v)) for v in value)
                    elif isinstance(value, bool):
                        pairs.append((key, "1" if value else "0"))
                    elif isinstance(value, (dict, list)):
                        pairs.append((key, json.dumps(value)))
                    else:
                        pairs.append((key, str(value)))
                path = path + ("?" + urlencode(pairs) if pairs else "")
                params = None
                break
        return self._api.request(method, path, params, *args, **kwargs)

    def post(self, path: str, params: dict[str, t.Any] | None = None, body: t.Any = None, **kwargs: t.Any) -> t.Any:
        return self.request("POST", path, params, body, **kwargs).json()

    def delete(self, path: str, params: dict[str, t.Any] | None = None, **kwargs: t.Any) -> t.Any:
        result = self.request("DELETE", path, params, **kwargs).json()
        self.responses.append(result)
        return result


class _ExtraArgvTracker(Tracker):
    """A Tracker that adds CLI flags to one command (``docker image build ... PATH``), before its last word."""

    def __init__(self, prefix: tuple[str, ...], extra: list[str]) -> None:
        super().__init__()
        self._prefix = prefix
        self._extra = extra

    def action(self, *argv: t.Any) -> str:
        words = [a for a in argv if a is not None and a != ""]
        if tuple(str(w) for w in words[: len(self._prefix)]) == self._prefix and self._extra:
            words = words[:-1] + list(self._extra) + words[-1:]
        return super().action(*words)


class _Steps:
    """Merges several trackers' results (a build, then tags, then pushes) into one module result."""

    def __init__(self) -> None:
        self.changed = False
        self.actions: list[str] = []
        self.before: dict[str, t.Any] = {}
        self.after: dict[str, t.Any] = {}

    def add(self, result: dict[str, t.Any], label: str = "") -> None:
        self.changed = self.changed or bool(result.get("changed"))
        self.actions.extend(result.get("actions") or [])
        diff = result.get("diff") or {}
        for side, target in (("before", self.before), ("after", self.after)):
            for key, value in (diff.get(side) or {}).items():
                target[f"{key}[{label}]" if label else key] = value

    def result(self, **extra: t.Any) -> dict[str, t.Any]:
        out: dict[str, t.Any] = {
            "changed": self.changed,
            "actions": self.actions,
            "diff": {"before": dict(sorted(self.before.items())), "after": dict(sorted(self.after.items()))},
        }
        out.update(extra)
        return out


def _inspect(api: t.Any, ref: str) -> dict[str, t.Any] | None:
    return api.inspect_image(ref)


def _require_image(api: t.Any, ref: str, option: str = "name") -> dict[str, t.Any]:
    image = _inspect(api, ref)
    if image is None:
        raise DockerError(
            f"{option}: image {ref} does not exist on the Docker host. Build it (devops.docker.docker_image_build), "
            "pull it (devops.docker.docker_image_pull) or load it (devops.docker.docker_image_load) first."
        )
    return image


def _str_map(value: dict[str, t.Any] | None) -> dict[str, str]:
    out = {}
    for key, val in (value or {}).items():
        out[str(key)] = ("true" if val else "false") if isinstance(val, bool) else ("" if val is None else str(val))
    return out


# ---------------------------------------------------------------- docker_image_build
def _tag_step(module: t.Any, steps: _Steps, source_ref: str, source: dict[str, t.Any] | None, target: str,
              overwrite: bool = True) -> dict[str, t.Any] | None:
    """docker image tag SOURCE TARGET, unless TARGET already points at SOURCE's ID (or exists and overwrite is false)."""
    api = module.api
    tracker = Tracker()
    current = _inspect(api, target)
    wanted = (source or {}).get("Id") or CHECK_MODE_ID
    if current is not None and (current["Id"] == wanted or not overwrite):
        return None
    tracker.add("id", current["Id"] if current else None, wanted)
    tracker.action("docker", "image", "tag", source_ref, target)
    if not module.check_mode:
        if source is None:
            raise DockerError(f"name: image {source_ref} is missing; it cannot be tagged as {target}.")
        repo, tag = _repo_tag(target)
        api.post(api.url("/images/{0}/tag", source["Id"]), {"repo": repo, "tag": tag})
    steps.add(tracker.result(), target)
    return tracker.result()


def _push_step(module: t.Any, steps: _Steps, ref: str, pending: bool) -> None:
    """docker image push REF through the image manager (no change when the registry holds the same digest)."""
    if pending and module.check_mode:
        tracker = Tracker()
        tracker.add("pushed_digest", None, "(digest known after the push)")
        tracker.action("docker", "image", "push", ref)
        steps.add(tracker.result(), ref)
        return
    manager = _image_manager(module, {"name": ref, "source": "local", "push": True})
    result = manager.run()
    steps.add(result, ref)


def build(module: t.Any) -> dict[str, t.Any]:
    p = module.params
    ref = image_ref(p["name"], p["tag"])
    if "@" in ref:
        raise DockerError(f"name: {p['name']!r} has a digest; a built image is named 'repository[:tag]'.")
    if p.get("secrets"):
        ids = ", ".join(s["id"] for s in p["secrets"])
        raise DockerError(
            f"secrets ({ids}): build secrets (RUN --mount=type=secret) need BuildKit through docker buildx; this module "
            "builds through the Engine API's classic builder, which has no secrets. Run `docker buildx build --secret` "
            "with ansible.builtin.command for this image, or pass the value another way (never as a build argument, "
            "which stays in the image history)."
        )
    platforms = [x for x in (p.get("platform") or []) if x]
    if len(platforms) > 1:
        raise DockerError(
            f"platform: {', '.join(platforms)}: a multi-platform build needs docker buildx; the Engine API's builder "
            "builds one platform. Give one platform (one task per platform, each with its own tag)."
        )
    outputs = p.get("outputs") or []
    archive = None
    image_outputs = []
    for out in outputs:
        kind = out["type"]
        if kind == "docker":
            if out.get("context"):
                raise DockerError("outputs[].context: loading into another Docker context is not supported; "
                                  "run the task against that Docker host (docker_host) instead.")
            if out.get("dest"):
                if archive is not None:
                    raise DockerError("outputs: give at most one output of type docker with dest.")
                archive = out["dest"]
        elif kind == "image":
            image_outputs.append(out)
        else:
            raise DockerError(
                f"outputs[].type={kind}: writing the build result as {kind} needs docker buildx. Supported here: "
                "docker (loaded into the daemon, or saved to dest like `docker image save`) and image (names to tag, "
                "push: true to push them)."
            )
    if archive:
        folder = os.path.dirname(os.path.abspath(archive))
        if not os.path.isdir(folder):
            raise DockerError(f"outputs[].dest: the folder {folder} does not exist; create it first.")

    extra_query, extra_argv = build_extras(
        {"platform": platforms[0] if platforms else None, "cache_from": p.get("cache_from"), "etc_hosts": p.get("etc_hosts")}
    )
    api = _ExtraQueryAPI(module.api, {("POST", "/build"): extra_query})
    params = {
        "name": ref,
        "source": "build",
        "rebuild": p["rebuild"],
        "build": {
            "path": p["path"],
            "dockerfile": p.get("dockerfile"),
            "args": p.get("args") or {},
            "target": p.get("target"),
            "network": p.get("network"),
            "labels": p.get("labels") or {},
            "nocache": p["nocache"],
            "pull": p["pull"],
            "shm_size": p.get("shm_size"),
        },
        "archive_path": archive,
    }
    manager = _image_manager(module, params, api)
    manager.tracker = _ExtraArgvTracker(("docker", "image", "build"), extra_argv)
    result = manager.run()
    steps = _Steps()
    steps.add(result)
    built = bool(result.get("actions")) and any(a.startswith("docker image build") for a in result["actions"])
    image = result.get("image")
    if image is None and not module.check_mode:
        image = _inspect(module.api, ref)
    for out in image_outputs:
        names = [image_ref(n, p["tag"], "outputs[].name") for n in (out.get("name") or [ref])]
        for name in names:
            if name != ref:
                _tag_step(module, steps, ref, image, name)
            if out.get("push"):
                _push_step(module, steps, name, built or name != ref and image is None)
        if not module.check_mode:
            image = _inspect(module.api, ref) or image
    return steps.result(image=image or {}, build_log=result.get("build_log") or [],
                        command=list(steps.actions))


# ---------------------------------------------------------------- docker_image_pull
def _platform_matches(image: dict[str, t.Any], platform: str | None) -> bool:
    if not platform:
        return True
    parts = platform.lower().split("/")
    if len(parts) == 1:
        parts = ["linux"] + parts  # 'amd64' alone is an architecture
    wanted_os, wanted_arch = parts[0], parts[1]
    wanted_variant = parts[2] if len(parts) > 2 else None
    arch = str(image.get("Architecture") or "").lower()
    aliases = {"x86_64": "amd64", "aarch64": "arm64"}
    if str(image.get("Os") or "").lower() != wanted_os or aliases.get(arch, arch) != aliases.get(wanted_arch, wanted_arch):
        return False
    return wanted_variant is None or str(image.get("Variant") or "").lower() in ("", wanted_variant)


def pull(module: t.Any) -> dict[str, t.Any]:
    p = module.params
    ref = image_ref(p["name"], p["tag"])
    platform = p.get("platform")
    current = _inspect(module.api, ref)
    mode = "always" if p["pull"] == "always" else "missing"
    mismatch = current is not None and not _platform_matches(current, platform)
    if mismatch:
        mode = "always"
    api = _ExtraQueryAPI(module.api, {("POST", "/images/create"): {"platform": platform} if platform else {}})
    manager = _image_manager(module, {"name": ref, "source": "pull", "pull": mode}, api)
    if platform:
        manager.tracker = _ExtraArgvTracker(("docker", "image", "pull"), ["--platform", platform])
    result = manager.run()
    if mismatch and module.check_mode and not result["changed"]:
        # The image under this name is for another platform: the pull replaces it.
        manager.tracker.add("platform", f"{current.get('Os')}/{current.get('Architecture')}", platform)
        manager.tracker.action("docker", "image", "pull", ref)
        result = manager.tracker.result(image=current)
    return {**result, "image": result.get("image") or {}}


# ---------------------------------------------------------------- docker_image_push
def push(module: t.Any) -> dict[str, t.Any]:
    p = module.params
    ref = image_ref(p["name"], p["tag"])
    if "@" in ref:
        raise DockerError(f"name: {p['name']!r} has a digest; push a 'repository:tag' name.")
    _require_image(module.api, ref)
    manager = _image_manager(module, {"name": ref, "source": "local", "push": True})
    result = manager.run()
    return {**result, "image": result.get("image") or {}}


# ---------------------------------------------------------------- docker_image_tag
def tag(module: t.Any) -> dict[str, t.Any]:
    p = module.params
    ref = image_ref(p["name"], p["tag"], allow_id=True)
    image = _require_image(module.api, ref)
    steps = _Steps()
    tagged = []
    for value in p["repository"]:
        target = image_ref(value, p["tag"], "repository")
        if "@" in target:
            raise DockerError(f"repository: {value!r} has a digest; a tag target is 'repository[:tag]'.")
        if _tag_step(module, steps, ref, image, target, overwrite=p["existing_images"] == "overwrite") is not None:
            tagged.append(target)
    if tagged and not module.check_mode:
        image = _inspect(module.api, image["Id"]) or image
    return steps.result(image=image, tagged_images=tagged)


# ---------------------------------------------------------------- docker_image_remove
def remove(module: t.Any) -> dict[str, t.Any]:
    p = module.params
    ref = image_ref(p["name"], p["tag"], allow_id=True)
    api = module.api
    tracker = Tracker()
    image = _inspect(api, ref)
    if image is None:
        return tracker.result(image={}, deleted=[], untagged=[])
    force = p["force"]
    tags = list(image.get("RepoTags") or [])
    if is_image_id(ref):
        untag_preview, delete_preview = tags, [image["Id"]]
    else:
        untag_preview = [ref] if ref in tags else []
        delete_preview = [image["Id"]] if len(tags) <= 1 else []
    tracker.add("id", image["Id"], None)
    argv: list[t.Any] = ["docker", "image", "rm"]
    if force:
        argv.append("--force")
    if not p["prune"]:
        argv.append("--no-prune")
    tracker.action(*argv, ref)
    deleted: list[str] = []
    untagged: list[str] = []
    if module.check_mode:
        return tracker.result(image=image, deleted=delete_preview, untagged=untag_preview)
    try:
        items = api.delete(api.url("/images/{0}", ref), {"force": force, "noprune": not p["prune"]}) or []
    except NotFound:
        items = []
    except APIError as exc:
        raise DockerError(
            f"name: removing image {ref} failed: {exc.explanation}. Remove the containers that use it first "
            "(devops.docker.docker_container with state: absent), or set force: true."
        ) from exc
    for item in items:
        if item.get("Deleted"):
            deleted.append(item["Deleted"])
        if item.get("Untagged"):
            untagged.append(item["Untagged"])
    return tracker.result(image=image, deleted=deleted, untagged=untagged)


# ---------------------------------------------------------------- docker_image_load
def load(module: t.Any) -> dict[str, t.Any]:
    path = module.params["path"]
    api = module.api
    if not os.path.isfile(path):
        raise DockerError(f"path: {path} does not exist on the managed host. Give the path of a `docker save` tar.")
    held = archive_images(path, "path")
    if not held:
        raise DockerError(f"path: {path} holds no image. Give a tar made by `docker save`.")
    tracker = Tracker()
    names: list[str] = []
    missing: list[str] = []
    for item in held:
        tags = item["RepoTags"] or []
        names.extend(tags or [item["Id"]])
        if _inspect(api, item["Id"]) is None:
            missing.append(item["Id"])
            continue
        for name in tags:
            current = _inspect(api, name)
            if current is None or current["Id"] != item["Id"]:
                missing.append(name)
    if missing:
        tracker.add("images", None, sorted(missing))
        tracker.action("docker", "image", "load", "-i", path)
    log: list[str] = []
    if missing and not module.check_mode:
        try:
            with open(path, "rb") as body:
                resp = api.request("POST", api.url("/images/load"), {"quiet": False}, body,
                                   headers={"Content-Type": "application/x-tar"}, timeout=LONG_TIMEOUT)
                for line in resp.iter_json():
                    if line.get("error") or line.get("errorDetail"):
                        raise DockerError(
                            f"path: loading {path} failed: {line.get('error') or line['errorDetail'].get('message')}. "
                            "Give a valid `docker save` tar.", stdout="\n".join(log))
                    text = line.get("stream") or line.get("status") or ""
                    log.extend(x for x in str(text).splitlines() if x.strip())
        except APIError as exc:
            raise DockerError(f"path: loading {path} failed: {exc.explanation}. Give a valid `docker save` tar.") from exc
        except OSError as exc:
            raise DockerError(f"path: cannot read {path}: {exc}.") from exc
    images = []
    for item in held:
        image = _inspect(api, item["Id"])
        if image is not None:
            images.append(image)
    return tracker.result(image_names=names, images=images, stdout="\n".join(log))


# ---------------------------------------------------------------- docker_image_export
def export(module: t.Any) -> dict[str, t.Any]:
    p = module.params
    api = module.api
    path = p.get("path")
    if not path:
        raise DockerError("path: give the .tar file to export the image(s) to, like /tmp/images.tar.")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise DockerError(f"path: the folder {folder} does not exist; create it first.")
    refs = [image_ref(n, p["tag"], "names", allow_id=True) for n in p["names"]]
    if not refs:
        raise DockerError("names: give at least one image name.")
    images = [_require_image(api, ref, "names") for ref in refs]
    wanted_map: dict[str, set[str]] = {}
    for ref, img in zip(refs, images):
        wanted_map.setdefault(img["Id"], set()).update(() if is_image_id(ref) else (ref,))
    wanted = sorted((key, sorted(val)) for key, val in wanted_map.items())
    held: list[tuple[str, list[str]]] | None = None
    if os.path.isfile(path):
        try:
            held_map: dict[str, set[str]] = {}
            for item in archive_images(path, "path"):
                held_map.setdefault(item["Id"], set()).update(item["RepoTags"])
            held = sorted((key, sorted(val)) for key, val in held_map.items())
        except DockerError:
            held = None
    tracker = Tracker()
    if held != wanted or p["force"]:
        tracker.add("archive", [list(x) for x in held] if held is not None else None, [list(x) for x in wanted])
        tracker.action("docker", "image", "save", "-o", path, *refs)
        if not module.check_mode:
            save_images(api, refs, path, "path")
    return tracker.result(images=images)


# ---------------------------------------------------------------- devops.docker.image with community.docker's docker_image options
BUILD_COMPAT_SPEC: dict[str, t.Any] = {
    "cache_from": {"type": "list", "elements": "str"},
    "etc_hosts": {"type": "dict"},
    "platform": {"type": "str"},
    "container_limits": {
        "type": "dict",
        "options": {
            "memory": {"type": "str"},
            "memswap": {"type": "str"},
            "cpushares": {"type": "int"},
            "cpusetcpus": {"type": "str"},
        },
    },
    "rm": {"type": "bool", "default": True},
    "http_timeout": {"type": "int"},
    "use_config_proxy": {"type": "bool"},
}


def image_compat_args(image_args: dict[str, t.Any]) -> dict[str, t.Any]:
    """The image module's argument spec plus community.docker's docker_image names."""
    spec = {key: dict(value) for key, value in image_args.items()}
    build = dict(spec["build"])
    build["options"] = {**build["options"], **BUILD_COMPAT_SPEC}
    spec["build"] = build
    spec["force"] = {**spec["force"], "aliases": sorted(set(spec["force"].get("aliases") or []) | {"force_absent"})}
    spec["pull"] = {"type": "raw", "default": "missing"}
    spec["tag"] = {"type": "str"}
    spec["force_source"] = {"type": "bool", "default": False}
    spec["force_tag"] = {"type": "bool", "default": False}
    return spec


def build_extras(build: dict[str, t.Any]) -> tuple[dict[str, t.Any], list[str]]:
    """The Engine API query parameters and CLI flags of the build options the image manager does not set."""
    from ansible_collections.devops.docker.plugins.module_utils._values._units import (  # pylint: disable=import-outside-toplevel
        parse_size,
    )

    query: dict[str, t.Any] = {}
    argv: list[str] = []
    if build.get("platform"):
        query["platform"] = build["platform"]
        argv += ["--platform", build["platform"]]
    if build.get("cache_from"):
        query["cachefrom"] = list(build["cache_from"])
        for item in build["cache_from"]:
            argv += ["--cache-from", item]
    hosts = _str_map(build.get("etc_hosts"))
    if hosts:
        query["extrahosts"] = tuple(f"{h}:{ip}" for h, ip in sorted(hosts.items()))
        for host, ip in sorted(hosts.items()):
            argv += ["--add-host", f"{host}:{ip}"]
    limits = build.get("container_limits") or {}
    try:
        if limits.get("memory") is not None:
            query["memory"] = parse_size(limits["memory"], "build.container_limits.memory")
            argv += ["--memory", str(limits["memory"])]
        if limits.get("memswap") is not None:
            swap = str(limits["memswap"]).strip()
            query["memswap"] = -1 if swap in ("-1", "unlimited") else parse_size(swap, "build.container_limits.memswap")
            argv += ["--memory-swap", swap]
    except SpecError as exc:
        raise DockerError(exc.msg) from exc
    if limits.get("cpushares") is not None:
        query["cpushares"] = limits["cpushares"]
        argv += ["--cpu-shares", str(limits["cpushares"])]
    if limits.get("cpusetcpus"):
        query["cpusetcpus"] = limits["cpusetcpus"]
        argv += ["--cpuset-cpus", limits["cpusetcpus"]]
    if build.get("rm") is False:
        query["rm"] = False
        query["forcerm"] = False
        argv.append("--rm=false")
    return query, argv


def run_image(module: t.Any) -> dict[str, t.Any]:
    """devops.docker.image, reading community.docker's docker_image options (tag, force_source, pull.platform,
    build.cache_from/etc_hosts/platform/container_limits/rm) into the image manager's."""
    params = dict(module.params)
    if params.get("tag") and params.get("name"):
        params["name"] = image_ref(params["name"], params["tag"], allow_id=params.get("state") == "absent")
    pull = params.get("pull")
    platform = None
    if isinstance(pull, dict):
        unknown = sorted(set(pull) - {"platform"})
        if unknown:
            raise DockerError(f"pull: unknown key(s) {', '.join(unknown)}; as a dictionary, pull takes platform.")
        platform = pull.get("platform")
        pull = "missing"
    if pull not in ("missing", "always"):
        raise DockerError(f"pull: {pull!r} is not one of missing, always (or a dictionary with platform, as community.docker writes it).")
    params["pull"] = pull
    if params.get("force_source"):
        params["rebuild"] = "always"
        params["pull"] = "always"
    extra: dict[tuple[str, str], dict[str, t.Any]] = {}
    argv_prefix: tuple[str, ...] = ()
    argv: list[str] = []
    if params.get("build"):
        query, argv = build_extras(params["build"])
        extra[("POST", "/build")] = query
        argv_prefix = ("docker", "image", "build")
    if platform:
        extra[("POST", "/images/create")] = {"platform": platform}
        if not argv_prefix:
            argv_prefix, argv = ("docker", "image", "pull"), ["--platform", platform]
    api = _ExtraQueryAPI(module.api, extra) if extra else module.api
    manager = _image_manager(module, params, api)
    if argv_prefix and argv:
        manager.tracker = _ExtraArgvTracker(argv_prefix, argv)
    result = manager.run()
    result["stdout"] = "\n".join(result.get("build_log") or [])
    return result


def with_build_extras(api: t.Any, build: dict[str, t.Any]) -> tuple[t.Any, Tracker | None]:
    """An API client and a tracker for an ImageManager build that also sends the build options the image
    manager does not set (``cache_from``, ``etc_hosts``, ``platform``...: ``build_extras``), in its /build request
    and in its ``docker image build`` command; (api, None) when there are none. Compose builds use it."""
    query, argv = build_extras(build)
    if not query:
        return api, None
    return _ExtraQueryAPI(api, {("POST", "/build"): query}), _ExtraArgvTracker(("docker", "image", "build"), argv)
