# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""``image_info``: images by name (or ID) or by filters.
"""

from __future__ import annotations

import re
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._client import DockerError
from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._images import familiar_name, parse_image_name


_ID_PREFIX_RE = re.compile(r"^(?:sha256:[0-9a-f]{64}|[0-9a-f]{12,64})$")

IMAGE_INFO_ARGS: dict[str, t.Any] = {
    "name": {"type": "list", "elements": "str", "aliases": ["names"]},
    "filters": {"type": "dict"},
    "all": {"type": "bool", "default": False},
}


def image_info(module: t.Any) -> dict[str, t.Any]:
    """docker image inspect for names, or docker image ls (+ inspect) for filters."""
    api = module.api
    params = module.params
    names = params.get("name") or []
    images: list[dict[str, t.Any]] = []
    seen: set[str] = set()
    if names:
        for value in names:
            text = str(value or "").strip()
            image = None
            if _ID_PREFIX_RE.match(text):
                image = api.inspect_image(text)
                if image is not None and not image["Id"].startswith(text if text.startswith("sha256:") else "sha256:" + text):
                    image = None
            if image is None:
                try:
                    ref = familiar_name(parse_image_name(text, "name"))
                except SpecError as exc:
                    raise DockerError(exc.msg) from exc
                image = api.inspect_image(ref)
            if image is not None and image["Id"] not in seen:
                seen.add(image["Id"])
                images.append(image)
        return {"changed": False, "images": images}
    listing = api.get("/images/json", {"all": params.get("all"), "filters": params.get("filters") or None}) or []
    for item in listing:
        if item["Id"] in seen:
            continue
        image = api.inspect_image(item["Id"])
        if image is not None:
            seen.add(image["Id"])
            images.append(image)
    return {"changed": False, "images": images}
