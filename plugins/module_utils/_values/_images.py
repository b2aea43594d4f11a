# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Image names and registry references: one grammar for ``[registry[:port]/]path[:tag][@digest]``,
the registry regexes, and the names Docker Hub goes by.  Pure functions."""

from __future__ import annotations

import re
import typing as t
from dataclasses import dataclass

from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError

_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
REPOSITORY_RE = re.compile(rf"^{_COMPONENT}(?:/{_COMPONENT})*$")
_DOMAIN_RE = re.compile(r"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?$")
TAG_RE = re.compile(r"^[\w][\w.-]{0,127}$")
DIGEST_RE = re.compile(r"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}$")
# The manifest media types a registry may answer with (docker v2 and OCI, single and lists).
MANIFEST_ACCEPT = ", ".join(
    (
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.oci.image.index.v1+json",
    )
)


@dataclass(frozen=True)
class ImageName:
    registry: str | None  # "localhost:5001", None for Docker Hub
    path: str  # "library/busybox" stays "busybox" as written
    tag: str | None
    digest: str | None

    @property
    def repository(self) -> str:
        """registry/path, without tag or digest (what `docker push` takes)."""
        return f"{self.registry}/{self.path}" if self.registry else self.path

    @property
    def reference(self) -> str:
        """The tag or digest part ('latest' when neither is given)."""
        return self.digest or self.tag or "latest"

    def __str__(self) -> str:
        if self.digest:
            return f"{self.repository}@{self.digest}"
        return f"{self.repository}:{self.tag or 'latest'}"

    def with_registry(self, registry: str) -> ImageName:
        return ImageName(registry.rstrip("/"), self.path, self.tag, self.digest)


def parse_image_name(value: t.Any, option: str = "name") -> ImageName:
    """Parse ``[registry[:port]/]path[:tag][@digest]`` like the Docker CLI does."""
    if not isinstance(value, str) or not value.strip():
        raise SpecError(f"{option}: an image name is required, like 'busybox:latest' or 'localhost:5001/app:1.0'.")
    text = value.strip()
    if len(text) > 255 + 128 + 80:
        raise SpecError(f"{option}: image name {text[:40]!r}... is too long (at most 255 characters before the tag).")
    digest = None
    if "@" in text:
        text, digest = text.split("@", 1)
        if not DIGEST_RE.match(digest):
            raise SpecError(f"{option}: {value!r} has an invalid digest {digest!r}; write it as 'sha256:<64 hex digits>'.")
    tag = None
    slash = text.rfind("/")
    colon = text.rfind(":")
    if colon > slash:
        text, tag = text[:colon], text[colon + 1:]
        if not TAG_RE.match(tag):
            raise SpecError(
                f"{option}: {value!r} has an invalid tag {tag!r}; a tag is up to 128 letters, digits, '_', '.' or '-', "
                "not starting with '.' or '-'."
            )
    registry = None
    first, sep, rest = text.partition("/")
    # (a first part in capitals without '.' or ':' is a registry host to the reference grammar, but the engine
    # refuses it as a repository that must be lowercase: it stays in the repository part and fails below)
    if sep and ("." in first or ":" in first or first == "localhost"):
        registry, text = first, rest
        if not _DOMAIN_RE.match(registry):
            raise SpecError(f"{option}: {value!r} has an invalid registry host {registry!r}.")
    if len(text) > 255:
        raise SpecError(
            f"{option}: image name {text[:40]!r}... is too long ({len(text)} characters; the repository part "
            "may have at most 255)."
        )
    if not text or not REPOSITORY_RE.match(text):
        raise SpecError(
            f"{option}: {value!r} is not a valid image name: the repository part must be lowercase letters, digits "
            "and separators ('.', '_', '-', '/'), like 'my-app' or 'localhost:5001/team/my-app:1.0'."
        )
    return ImageName(registry, text, tag, digest)


# ---------------------------------------------------------------- image names, more
_IMAGE_ID_RE = re.compile(r"^sha256:[0-9a-f]{64}$")
# Docker Hub, the one registry the engine and the CLI know by name. Only these constants
# name it: image names without a registry, config.json keys and logins refer to it.
DOCKER_HUB_HOSTS = ("docker.io", "index.docker.io", "registry-1.docker.io")  # the registry part of an image name
DOCKER_HUB_ALIASES = frozenset(DOCKER_HUB_HOSTS + ("registry.hub.docker.com", "hub.docker.com"))  # config keys, logins
DOCKER_HUB_AUTH_KEY = "https://index.docker.io/v1/"  # its key in config.json and its serveraddress
DOCKER_HUB_API_HOST = "registry-1.docker.io"  # where its Registry API answers


def is_image_id(value: t.Any) -> bool:
    """True for a full image ID written as 'sha256:<64 hex digits>'."""
    return isinstance(value, str) and bool(_IMAGE_ID_RE.match(value.strip()))


def familiar_repository(name: ImageName) -> str:
    """The repository as the daemon lists it in RepoTags/RepoDigests: Docker Hub names lose
    'docker.io/' and 'library/' ('docker.io/library/busybox' -> 'busybox'), others stay as written."""
    registry, path = name.registry, name.path
    if registry in DOCKER_HUB_HOSTS:
        registry = None
    if registry is None and path.startswith("library/") and path.count("/") == 1:
        path = path[len("library/"):]
    return f"{registry}/{path}" if registry else path


def familiar_name(name: ImageName) -> str:
    """'repository:tag' (or 'repository@digest') in the daemon's familiar form."""
    if name.digest:
        return f"{familiar_repository(name)}@{name.digest}"
    return f"{familiar_repository(name)}:{name.tag or 'latest'}"


def registry_host(name: ImageName) -> str:
    """The registry a name lives in: its host[:port], or 'docker.io' for Docker Hub."""
    if name.registry is None or name.registry in DOCKER_HUB_HOSTS:
        return "docker.io"
    return name.registry


def is_local_registry(host: str) -> bool:
    """localhost / 127.0.0.0/8 / ::1 registries, which Docker lets speak plain HTTP."""
    if host.startswith("["):
        hostname = host[1:host.find("]")]
    elif host.count(":") == 1:
        hostname = host.split(":", 1)[0]
    else:
        hostname = host
    return hostname == "localhost" or hostname.startswith("127.") or hostname in ("::1",)


def parse_tag_target(value: t.Any, default_tag: str | None, option: str = "repository") -> ImageName:
    """An extra name to tag as: 'repo[:tag]'; without a tag it takes default_tag (the source's tag)."""
    target = parse_image_name(value, option)
    if target.digest:
        raise SpecError(f"{option}: {value!r} has a digest; a tag target is 'repository[:tag]', without '@sha256:...'.")
    if target.tag is None:
        target = ImageName(target.registry, target.path, default_tag or "latest", None)
    return target
