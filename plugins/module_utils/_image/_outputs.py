# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What is done with an image once it is there: tagged as ``repository``, pushed to its registry (only
when the registry does not hold the same digest), saved to ``archive_path``."""

from __future__ import annotations

import os
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._client import DockerError
from ansible_collections.devops.docker.plugins.module_utils._diff import Tracker
from ansible_collections.devops.docker.plugins.module_utils._image._progress import (
    archive_images,
    registry_stream,
    save_images,
)
from ansible_collections.devops.docker.plugins.module_utils._values._images import ImageName, familiar_name, familiar_repository, registry_host


CHECK_MODE_ID = "(new image ID, known after the real run)"


class ImageOutputs:
    """The tag, push and archive steps of the image manager."""

    api: t.Any
    params: dict[str, t.Any]
    check_mode: bool
    tracker: Tracker
    name: ImageName
    repository: ImageName | None
    inspect: t.Callable[[ImageName | str], dict[str, t.Any] | None]
    _fail_stream: t.Callable[..., t.NoReturn]

    def _tag_api(self, source: str, target: ImageName) -> None:
        self.api.post(
            self.api.url("/images/{0}/tag", source),
            {"repo": familiar_repository(target), "tag": target.tag or "latest"},
        )

    def _tag(self, image: dict[str, t.Any] | None, changed_image: bool) -> dict[str, t.Any] | None:
        if self.repository is None:
            return None
        target_name = familiar_name(self.repository)
        current = self.inspect(self.repository)
        current_id = current["Id"] if current else None
        wanted_id = CHECK_MODE_ID if changed_image and self.check_mode else (image or {}).get("Id")
        if current_id == wanted_id:
            return None
        self.tracker.add("repository_id", current_id, wanted_id)
        self.tracker.action("docker", "image", "tag", familiar_name(self.name), target_name)
        if not self.check_mode:
            if image is None:
                raise DockerError(f"name: image {familiar_name(self.name)} is missing; it cannot be tagged.")
            self._tag_api(image["Id"], self.repository)
            return self.inspect(self.name)
        return None

    # ------------------------------------------------------------ push
    def _push(self, image: dict[str, t.Any] | None, changed_image: bool) -> None:
        from ansible_collections.devops.docker.plugins.module_utils._image_registry import (  # pylint: disable=import-outside-toplevel
            RegistryUnknown,
            manifest_digest,
        )

        target = self.repository or self.name
        if target.digest:
            raise DockerError(f"push: {familiar_name(target)} has a digest; push a 'repository:tag' name.")
        target_name = familiar_name(target)
        repo = familiar_repository(target)
        remote: str | None = None
        known = True
        try:
            remote = manifest_digest(target, timeout=min(float(self.api.timeout), 30.0))
        except RegistryUnknown:
            known = False
        local = []
        if not (changed_image and self.check_mode):
            # RepoDigests belong to the image ID, which every name of it shares: no extra inspect.
            digests = (image or {}).get("RepoDigests") or []
            local = [d.split("@", 1)[1] for d in digests if d.split("@", 1)[0] == repo]
        if known and remote is not None and remote in local:
            return
        self.tracker.add("pushed_digest", remote, "(digest known after the push)" if self.check_mode else None)
        self.tracker.action("docker", "image", "push", target_name)
        if self.check_mode:
            return
        hint = (
            f"Check that the registry {registry_host(target)} runs and accepts pushes, and log in "
            "(devops.docker.login) if it needs credentials."
        )
        aux = registry_stream(self.api, self.api.url("/images/{0}/push", repo), {"tag": target.tag or "latest"},
                              registry_host(target), f"pushing {target_name}", "push", hint)
        digest = next((a.get("Digest") for a in aux if a.get("Digest")), None)
        self.tracker.add("pushed_digest", remote, digest)

    # ------------------------------------------------------------ save
    def _save(self, image: dict[str, t.Any] | None, changed_image: bool) -> None:
        path = self.params["archive_path"]
        name = familiar_name(self.name)
        wanted_id = CHECK_MODE_ID if changed_image and self.check_mode else (image or {}).get("Id")
        current_id = None
        if os.path.isfile(path):
            try:
                held = archive_images(path)
            except DockerError:
                held = []
            for item in held:
                if name in item["RepoTags"]:
                    current_id = item["Id"]
            if current_id is None and len(held) == 1:
                current_id = "(" + ", ".join(held[0]["RepoTags"] or [held[0]["Id"]]) + ")"
        if current_id == wanted_id:
            return
        self.tracker.add("archive_id", current_id, wanted_id)
        self.tracker.action("docker", "image", "save", "-o", path, name)
        if self.check_mode:
            return
        save_images(self.api, [name], path)
