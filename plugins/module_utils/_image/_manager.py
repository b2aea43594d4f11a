# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The image manager behind devops.docker.image.

One run of ``ImageManager(api, params, check_mode, tracker=None, warn=None)``:

1. validates every option (names, build context, Dockerfile, archives) before
   anything touches the daemon;
2. inspects the image once;
3. gets it (build / pull / load / local), then tags it as ``repository``, pushes it and
   saves it to ``archive_path`` (``_outputs``) -- each step only when it changes something,
   recorded in the Tracker (``changed``, ``diff``, ``actions``), with the side effect alone
   under ``if not check_mode``.

``rebuild: auto`` keeps a digest of the build context and the build options in
the image label ``devops.docker.context-digest`` and rebuilds when it differs.
"""

from __future__ import annotations

import os
import tempfile
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._client import APIError, DockerError, NotFound
from ansible_collections.devops.docker.plugins.module_utils._managers import Manager
from ansible_collections.devops.docker.plugins.module_utils._image._outputs import CHECK_MODE_ID, ImageOutputs
from ansible_collections.devops.docker.plugins.module_utils._image._progress import (
    LOG_TAIL,
    LONG_TIMEOUT,
    _StreamError,
    _stream_or_fail,
    archive_images,
    registry_stream,
)
from ansible_collections.devops.docker.plugins.module_utils._image_context import BuildContext, ContextError
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._images import (
    ImageName,
    familiar_name,
    familiar_repository,
    parse_image_name,
    parse_tag_target,
    registry_host,
)
from ansible_collections.devops.docker.plugins.module_utils._values._text import string_map
from ansible_collections.devops.docker.plugins.module_utils._values._units import parse_size


DIGEST_LABEL = "devops.docker.context-digest"


BUILD_SPEC: dict[str, t.Any] = {
    "path": {"type": "path"},
    "dockerfile": {"type": "str"},
    "args": {"type": "dict", "default": {}},
    "target": {"type": "str"},
    "network": {"type": "str"},
    "labels": {"type": "dict", "default": {}},
    "nocache": {"type": "bool", "default": False},
    "pull": {"type": "bool", "default": False},
    "shm_size": {"type": "str"},
}


IMAGE_ARGS: dict[str, t.Any] = {
    "name": {"type": "str", "required": True},
    "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
    "source": {"type": "str", "choices": ["build", "pull", "load", "local"]},
    "build": {"type": "dict", "options": BUILD_SPEC},
    "rebuild": {"type": "str", "default": "auto", "choices": ["auto", "always", "never"]},
    "pull": {"type": "str", "default": "missing", "choices": ["missing", "always"]},
    "load_path": {"type": "path"},
    "archive_path": {"type": "path"},
    "repository": {"type": "str"},
    "push": {"type": "bool", "default": False},
    "force": {"type": "bool", "default": False},
}


class ImageManager(Manager, ImageOutputs):
    """Converge one image: build, pull, load, tag, push, archive or remove it."""

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self.build_log: list[str] = []
        self.context: BuildContext | None = None
        self.context_digest: str | None = None
        self._validate()

    # ------------------------------------------------------------ validation
    def _validate(self) -> None:
        params = self.params
        try:
            self.name = parse_image_name(params["name"], "name")
            self.repository = (
                parse_tag_target(params["repository"], self.name.tag, "repository") if params.get("repository") else None
            )
        except SpecError as exc:
            raise DockerError(exc.msg) from exc
        self.state = params["state"]
        if self.state == "absent":
            return
        source = params.get("source")
        if source is None:
            source = "build" if params.get("build") else "load" if params.get("load_path") else "pull"
        self.source = source
        if source == "build":
            build = params.get("build") or {}
            if not build.get("path"):
                raise DockerError("build.path is required with source: build; set it to the directory holding the Dockerfile.")
            if self.name.digest:
                raise DockerError(f"name: {params['name']!r} has a digest; a built image is named 'repository[:tag]'.")
            try:
                self.context = BuildContext(build["path"], build.get("dockerfile"))
                self.build_args = string_map(build.get("args"), "build.args") or {}
                self.build_labels = string_map(build.get("labels"), "build.labels") or {}
                self.shm_size = parse_size(build.get("shm_size"), "build.shm_size")
                if DIGEST_LABEL in self.build_labels:
                    raise DockerError(f"build.labels: {DIGEST_LABEL} is set by this module; remove it from build.labels.")
                self.context_digest = self.context.digest(
                    {
                        "args": self.build_args,
                        "target": build.get("target") or "",
                        "labels": self.build_labels,
                    }
                )
            except (ContextError, SpecError) as exc:
                raise DockerError(exc.msg) from exc
        elif source == "load":
            path = params.get("load_path")
            if not path:
                raise DockerError("load_path is required with source: load; set it to a tar made by `docker save`.")
            if not os.path.isfile(path):
                raise DockerError(f"load_path: {path} does not exist (on the managed host). Give the path of a `docker save` tar.")
            self.load_images = archive_images(path, "load_path")
            if not self.load_images:
                raise DockerError(f"load_path: {path} holds no image. Give a tar made by `docker save`.")
        elif source == "pull" and self.name.digest is None and self.name.tag is None:
            self.name = ImageName(self.name.registry, self.name.path, "latest", None)
        if params.get("archive_path"):
            folder = os.path.dirname(os.path.abspath(params["archive_path"]))
            if not os.path.isdir(folder):
                raise DockerError(f"archive_path: the folder {folder} does not exist; create it first.")
            if os.path.isdir(params["archive_path"]):
                raise DockerError(f"archive_path: {params['archive_path']} is a directory; give a file name like /tmp/app.tar.")

    # ------------------------------------------------------------ helpers
    def inspect(self, name: ImageName | str) -> dict[str, t.Any] | None:
        ref = familiar_name(name) if isinstance(name, ImageName) else name
        return self.api.inspect_image(ref)

    def _fail_stream(self, what: str, exc: _StreamError, hint: str) -> t.NoReturn:
        tail = "\n".join(exc.log[-LOG_TAIL:])
        msg = f"{what} failed: {exc.message}. {hint}"
        if tail:
            msg += f"\nLast lines of the log:\n{tail}"
        raise DockerError(msg, build_log=exc.log)

    # ------------------------------------------------------------ run
    def run(self) -> dict[str, t.Any]:
        if self.state == "absent":
            return self.absent()
        return self.present()

    def absent(self) -> dict[str, t.Any]:
        name = familiar_name(self.name)
        image = self.inspect(self.name)
        if image is None:
            return self.tracker.result(image=None)
        force = self.params["force"]
        if not force and len(image.get("RepoTags") or []) <= 1:
            users = self._containers_using(image["Id"])
            if users:
                raise DockerError(
                    f"name: image {name} is used by the container(s) {', '.join(users)}; it was not removed. "
                    "Remove those containers first (devops.docker.container with state: absent), or set "
                    "force: true to untag it anyway."
                )
        self.tracker.add("id", image["Id"], None)
        self.tracker.action("docker", "image", "rm", "--force" if force else "", name)
        if not self.check_mode:
            try:
                self.api.delete(self.api.url("/images/{0}", name), {"force": force})
            except NotFound:
                pass
            except APIError as exc:
                raise DockerError(
                    f"name: removing image {name} failed: {exc.explanation}. Set force: true to untag it "
                    "even when containers or other images depend on it."
                ) from exc
        return self.tracker.result(image=None)

    def _containers_using(self, image_id: str) -> list[str]:
        containers = self.api.get("/containers/json", {"all": True}) or []
        return sorted(
            (c.get("Names") or [c["Id"][:12]])[0].lstrip("/") for c in containers if c.get("ImageID") == image_id
        )

    def present(self) -> dict[str, t.Any]:
        image = self.inspect(self.name)
        before_id = image["Id"] if image else None
        changed_image = False
        if self.source == "build":
            changed_image = self._build(image)
        elif self.source == "pull":
            changed_image = self._pull(image)
        elif self.source == "load":
            changed_image = self._load(image)
        elif image is None:
            raise DockerError(
                f"name: image {familiar_name(self.name)} does not exist and source is local. Build it "
                "(source: build), pull it (source: pull) or load it (source: load) first."
            )
        if changed_image and not self.check_mode:
            image = self.inspect(self.name)
            if image is None:
                raise DockerError(f"name: image {familiar_name(self.name)} is missing after the {self.source}.")
        after_id = CHECK_MODE_ID if changed_image and self.check_mode else (image or {}).get("Id")
        self.tracker.compare("id", before_id, after_id)
        if self.repository:
            image = self._tag(image, changed_image) or image
        if self.params["push"]:
            self._push(image, changed_image)
        if self.params.get("archive_path"):
            self._save(image, changed_image)
        result_image = None if self.check_mode and changed_image else image
        return self.tracker.result(image=result_image, build_log=self.build_log)

    # ------------------------------------------------------------ build
    def _build(self, image: dict[str, t.Any] | None) -> bool:
        rebuild = self.params["rebuild"]
        current = ((image or {}).get("Config") or {}).get("Labels") or {}
        if image is not None:
            if rebuild == "never":
                return False
            if rebuild == "auto" and current.get(DIGEST_LABEL) == self.context_digest:
                return False
        if image is not None and rebuild == "auto":
            self.tracker.compare("context_digest", current.get(DIGEST_LABEL), self.context_digest)
        build = self.params["build"]
        ctx = self.context
        if ctx is None or self.context_digest is None:
            raise DockerError("build: the build context was not read; this is a bug in devops.docker.")
        labels = dict(self.build_labels)
        labels[DIGEST_LABEL] = self.context_digest
        argv: list[t.Any] = ["docker", "image", "build", "-t", familiar_name(self.name)]
        if build.get("dockerfile"):
            argv += ["-f", build["dockerfile"]]
        for key in sorted(self.build_args):
            argv += ["--build-arg", f"{key}={self.build_args[key]}"]
        if build.get("target"):
            argv += ["--target", build["target"]]
        if build.get("network"):
            argv += ["--network", build["network"]]
        for key in sorted(labels):
            argv += ["--label", f"{key}={labels[key]}"]
        if build.get("nocache"):
            argv.append("--no-cache")
        if build.get("pull"):
            argv.append("--pull")
        if self.shm_size:
            argv += ["--shm-size", str(self.shm_size)]
        argv.append(ctx.path)
        self.tracker.action(*argv)
        if self.check_mode:
            return True
        from ansible_collections.devops.docker.plugins.module_utils._image_registry import (  # pylint: disable=import-outside-toplevel
            registry_config_header,
        )

        query = {
            "t": familiar_name(self.name),
            "dockerfile": ctx.dockerfile_rel,
            "buildargs": self.build_args or None,
            "target": build.get("target"),
            "networkmode": build.get("network"),
            "labels": labels,
            "nocache": build.get("nocache"),
            "pull": build.get("pull"),
            "shmsize": self.shm_size,
            "rm": True,
            "forcerm": True,
        }
        headers = {"Content-Type": "application/x-tar"}
        headers.update(registry_config_header())
        with tempfile.TemporaryFile() as body:
            ctx.write_tar(body)
            body.seek(0)
            what = f"Building {familiar_name(self.name)} from {ctx.path}"
            try:
                resp = self.api.request("POST", self.api.url("/build"), query, body, headers=headers, timeout=LONG_TIMEOUT)
                aux = _stream_or_fail(resp.iter_json(), what, self.build_log)
            except _StreamError as exc:
                self._fail_stream(what, exc, "Fix the Dockerfile or the build options; the image was not changed.")
            except APIError as exc:
                raise DockerError(
                    f"{what} failed: {exc.explanation}. Check build.dockerfile, build.args and build.target; "
                    "the image was not changed.",
                    build_log=self.build_log,
                ) from exc
        if not any(a.get("ID") for a in aux) and not self.build_log:
            raise DockerError(f"{what}: the daemon returned no image.", build_log=self.build_log)
        return True

    # ------------------------------------------------------------ pull
    def _pull(self, image: dict[str, t.Any] | None) -> bool:
        if image is not None and self.params["pull"] == "missing":
            return False
        name = familiar_name(self.name)
        if self.check_mode:
            # With pull: always and the image present, only the registry knows: predicted no change.
            if image is None:
                self.tracker.action("docker", "image", "pull", name)
                return True
            return False
        query: dict[str, t.Any] = {"fromImage": familiar_repository(self.name)}
        if self.name.digest:
            query["fromImage"] = name
        else:
            query["tag"] = self.name.tag or "latest"
        hint = (
            f"Check that {name} exists in {registry_host(self.name)} (name and tag), that the registry is "
            "reachable and that you are logged in (devops.docker.login) if it needs credentials."
        )
        registry_stream(self.api, self.api.url("/images/create"), query, registry_host(self.name), f"pulling {name}", "name", hint)
        new = self.inspect(self.name)
        if new is None:
            raise DockerError(f"name: pulling {name} did not produce the image. {hint}")
        if image is not None and new["Id"] == image["Id"]:
            return False
        self.tracker.action("docker", "image", "pull", name)
        return True

    # ------------------------------------------------------------ load
    def _load(self, image: dict[str, t.Any] | None) -> bool:
        path = self.params["load_path"]
        name = familiar_name(self.name)
        ids = [i["Id"] for i in self.load_images]
        if image is not None and image["Id"] in ids:
            return False
        matching = [i for i in self.load_images if name in i["RepoTags"]]
        if not matching and len(self.load_images) != 1:
            raise DockerError(
                f"load_path: {path} holds {len(self.load_images)} images and none is tagged {name}. "
                "Set name to one of: " + ", ".join(sorted(t for i in self.load_images for t in i["RepoTags"])) + "."
            )
        chosen = matching[0] if matching else self.load_images[0]
        self.tracker.action("docker", "image", "load", "-i", path)
        if name not in chosen["RepoTags"]:
            self.tracker.action("docker", "image", "tag", chosen["Id"], name)
        if self.check_mode:
            return True
        log: list[str] = []
        try:
            with open(path, "rb") as body:
                resp = self.api.request(
                    "POST", self.api.url("/images/load"), {"quiet": False}, body,
                    headers={"Content-Type": "application/x-tar"}, timeout=LONG_TIMEOUT,
                )
                _stream_or_fail(resp.iter_json(), f"Loading {path}", log)
        except _StreamError as exc:
            raise DockerError(f"load_path: loading {path} failed: {exc.message}. Give a valid `docker save` tar.") from exc
        except APIError as exc:
            raise DockerError(f"load_path: loading {path} failed: {exc.explanation}. Give a valid `docker save` tar.") from exc
        if name not in chosen["RepoTags"]:
            self._tag_api(chosen["Id"], self.name)
        return True

    # ------------------------------------------------------------ tag
