# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The streams of builds, pulls, pushes and loads: their progress log kept, their errors turned into one
message; and the images a ``docker save`` archive holds.
"""

from __future__ import annotations

import json
import os
import tarfile
import tempfile
import typing as t
from urllib.parse import urlencode

from ansible_collections.devops.docker.plugins.module_utils._client import APIError, DockerError


LONG_TIMEOUT = 3600.0  # builds, pulls, pushes, loads and saves stream for a long time


LOG_TAIL = 15


def archive_images(path: str, option: str = "archive_path") -> list[dict[str, t.Any]]:
    """[{'Id': 'sha256:...', 'RepoTags': [...]}] of a `docker save` archive (docker or OCI layout)."""
    try:
        with tarfile.open(path, "r:*") as tar:
            try:
                member = tar.getmember("manifest.json")
            except KeyError:
                member = None
            if member is None:
                raise DockerError(
                    f"{option}: {path} has no manifest.json, so it is not an archive made by `docker save`. "
                    "Give the path of a `docker save` tar (or .tar.gz)."
                )
            handle = tar.extractfile(member)
            manifest = json.load(handle) if handle else []
    except (OSError, tarfile.TarError, ValueError) as exc:
        raise DockerError(f"{option}: cannot read {path} as an image archive: {exc}. Give a `docker save` tar.") from exc
    images = []
    for item in manifest if isinstance(manifest, list) else []:
        config = str(item.get("Config") or "")
        digest = os.path.basename(config)
        if digest.endswith(".json"):
            digest = digest[: -len(".json")]
        if digest:
            images.append({"Id": "sha256:" + digest, "RepoTags": list(item.get("RepoTags") or [])})
    return images


def save_images(api: t.Any, refs: list[str], path: str, option: str = "archive_path") -> None:
    """``docker image save -o path refs...``: the daemon's tar written beside ``path`` and moved over it once whole
    (mode 0644), so a failed save leaves the old file as it was; errors name ``option``."""
    folder = os.path.dirname(os.path.abspath(path))
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".image-save-", suffix=".tar", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            if len(refs) == 1:
                resp = api.request("GET", api.url("/images/{0}/get", refs[0]), timeout=LONG_TIMEOUT)
            else:
                query = urlencode([("names", ref) for ref in refs])
                resp = api.request("GET", api.url("/images/get") + "?" + query, timeout=LONG_TIMEOUT)
            for chunk in resp.iter_raw():
                handle.write(chunk)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except APIError as exc:
        raise DockerError(f"{option}: saving {', '.join(refs)} failed: {exc.explanation}.") from exc
    except OSError as exc:
        raise DockerError(f"{option}: writing {path} failed: {exc}. Check the folder and free space.") from exc
    finally:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)


def registry_stream(api: t.Any, path: str, query: dict[str, t.Any], registry: str, what: str, option: str,
                    hint: str) -> list[dict[str, t.Any]]:
    """A pull or a push: ``POST path`` with the stored credentials of ``registry`` (X-Registry-Auth), its progress
    stream read to the end; the aux records it returns. A failure says ``option: what failed: why. hint``
    (``what`` like ``pulling NAME``)."""
    from ansible_collections.devops.docker.plugins.module_utils._image_registry import (  # pylint: disable=import-outside-toplevel
        auth_header,
    )

    try:
        resp = api.request("POST", path, query, headers=auth_header(registry), timeout=LONG_TIMEOUT)
        return _stream_or_fail(resp.iter_json(), what[:1].upper() + what[1:], [])
    except _StreamError as exc:
        raise DockerError(f"{option}: {what} failed: {exc.message}. {hint}") from exc
    except APIError as exc:
        raise DockerError(f"{option}: {what} failed: {exc.explanation}. {hint}") from exc


def _stream_or_fail(items: t.Iterable[dict[str, t.Any]], what: str, log: list[str]) -> list[dict[str, t.Any]]:
    """Consume a JSON progress stream, keep the readable lines in log, fail on an error item."""
    aux = []
    for item in items:
        if "stream" in item:
            for line in str(item["stream"]).splitlines():
                if line.strip():
                    log.append(line.rstrip())
        elif item.get("status") and not item.get("progressDetail"):
            text = (f"{item['id']}: " if item.get("id") else "") + str(item["status"])
            if not log or log[-1] != text:
                log.append(text)
        if "aux" in item:
            aux.append(item["aux"])
        if item.get("error") or item.get("errorDetail"):
            message = item.get("error") or (item.get("errorDetail") or {}).get("message") or "unknown error"
            raise _StreamError(message.strip(), log)
    return aux


class _StreamError(Exception):
    def __init__(self, message: str, log: list[str]) -> None:
        super().__init__(message)
        self.message = message
        self.log = log
