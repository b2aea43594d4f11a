# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The image a container runs: inspected, and pulled per the task's ``pull`` (missing / always /
never) with the credentials ``devops.docker.login`` stored.  Check mode pulls nothing and records
the pull it would do."""

from __future__ import annotations

import typing as t

from ansible_collections.devops.docker.plugins.module_utils._client import APIError, DockerAPI, DockerError
from ansible_collections.devops.docker.plugins.module_utils._values._images import parse_image_name, registry_host

PULL_HINT = ("Check the name and registry, log in with devops.docker.login, or build the image locally and set "
             "pull: never.")


def pull_image(api: DockerAPI, name: str) -> None:
    """``docker image pull NAME`` with the stored credentials of its registry; errors say what to do."""
    from ansible_collections.devops.docker.plugins.module_utils._image_registry import auth_header  # pylint: disable=import-outside-toplevel

    ref = parse_image_name(name, "image")
    query = {"fromImage": ref.repository, "tag": ref.reference}
    try:
        for event in api.stream("POST", api.url("/images/create"), query, headers=auth_header(registry_host(ref)),
                                timeout=max(api.timeout, 300)):
            if event.get("error") or event.get("errorDetail"):
                message = event.get("error") or (event.get("errorDetail") or {}).get("message")
                raise DockerError(f"image: pulling {name!r} failed: {message}. {PULL_HINT}")
    except APIError as exc:
        raise DockerError(f"image: pulling {name!r} failed: {exc.explanation}. {PULL_HINT}") from None


def resolve_image(
    api: DockerAPI,
    name: str | None,
    pull: str,
    container: dict[str, t.Any] | None,
    check_mode: bool,
    tracker: t.Any,
    container_name: str,
    check_mode_always: bool = False,
) -> dict[str, t.Any] | None:
    """The inspect data of the image the task wants (the container's own when it names none),
    pulled when ``pull`` says so; None only in check mode when it would be pulled.  Check mode reports
    a pull only for a missing image, or, with ``check_mode_always`` (community.docker's
    ``pull_check_mode_behavior: always``), for every ``pull: always``."""
    if not name:
        if container is None:
            raise DockerError(
                f"image: container {container_name!r} does not exist, so an image is needed to create it; set image."
            )
        return api.inspect_image(container["Image"])
    if not name.startswith("sha256:"):
        parse_image_name(name, "image")
    image = api.inspect_image(name)
    if image is None and pull == "never":
        raise DockerError(
            f"image: {name!r} is not present on the Docker host and pull is 'never'. Build it with "
            "devops.docker.image (or docker build / docker load), or set pull: missing to pull it."
        )
    if image is None or pull == "always":
        if check_mode:
            if image is None or check_mode_always:
                tracker.action("docker", "image", "pull", name)
            return image
        before = (image or {}).get("Id")
        pull_image(api, name)
        image = api.inspect_image(name)
        if image is None:
            raise DockerError(f"image: pulled {name!r} but the daemon does not know it afterwards; check the name and tag.")
        if image.get("Id") != before:
            tracker.action("docker", "image", "pull", name)
    return image
