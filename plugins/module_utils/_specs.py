# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Parsers for the CLI-style specs users write: image names, sizes, durations,
ports and volumes.  Pure functions, no daemon, unit-tested.

Each parser raises ``SpecError`` with a message that names the option, the
bad value and the expected syntax.
"""

from __future__ import annotations

import re
import typing as t
from dataclasses import dataclass


class SpecError(ValueError):
    """A value the user wrote does not parse; the message says how to write it."""

    @property
    def msg(self) -> str:
        return str(self)


# ---------------------------------------------------------------- image names
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_PATH_RE = re.compile(rf"^{_COMPONENT}(?:/{_COMPONENT})*$")
_DOMAIN_RE = re.compile(r"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?$")
_TAG_RE = re.compile(r"^[\w][\w.-]{0,127}$")
_DIGEST_RE = re.compile(r"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}$")


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
        if not _DIGEST_RE.match(digest):
            raise SpecError(f"{option}: {value!r} has an invalid digest {digest!r}; write it as 'sha256:<64 hex digits>'.")
    tag = None
    slash = text.rfind("/")
    colon = text.rfind(":")
    if colon > slash:
        text, tag = text[:colon], text[colon + 1:]
        if not _TAG_RE.match(tag):
            raise SpecError(
                f"{option}: {value!r} has an invalid tag {tag!r}; a tag is up to 128 letters, digits, '_', '.' or '-', "
                "not starting with '.' or '-'."
            )
    registry = None
    first, sep, rest = text.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost" or first != first.lower()):
        registry, text = first, rest
        if not _DOMAIN_RE.match(registry):
            raise SpecError(f"{option}: {value!r} has an invalid registry host {registry!r}.")
    if not text or len(text) > 255 or not _PATH_RE.match(text):
        raise SpecError(
            f"{option}: {value!r} is not a valid image name: the repository part must be lowercase letters, digits "
            "and separators ('.', '_', '-', '/'), like 'my-app' or 'localhost:5001/team/my-app:1.0'."
        )
    return ImageName(registry, text, tag, digest)


# ---------------------------------------------------------------- sizes
_SIZE_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}
_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$", re.IGNORECASE)


def parse_size(value: t.Any, option: str = "size") -> int | None:
    """'512m', '1g', '1.5GB', '1024' -> bytes (binary units, like the CLI)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise SpecError(f"{option}: {value!r} is not a size; write it like '512m' or '1g'.")
    if isinstance(value, int):
        if value < 0:
            raise SpecError(f"{option}: {value} is negative; a size is a positive number of bytes like '512m'.")
        return value
    match = _SIZE_RE.match(str(value))
    if not match:
        raise SpecError(f"{option}: {value!r} is not a size; write a number with an optional unit b, k, m, g or t, like '512m'.")
    return int(float(match.group(1)) * _SIZE_UNITS[match.group(2).lower()])


# ---------------------------------------------------------------- durations
_DURATION_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")


def parse_duration(value: t.Any, option: str = "duration") -> float | None:
    """'30s', '1m30s', '500ms', 10 -> seconds (Go duration syntax, as Compose and the CLI write them)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise SpecError(f"{option}: {value!r} is not a duration; write it like '30s', '1m30s' or '500ms'.")
    if isinstance(value, (int, float)):
        if value < 0:
            raise SpecError(f"{option}: {value} is negative; a duration is like '30s'.")
        return float(value)
    text = str(value).strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    pos, total = 0, 0.0
    for match in _DURATION_PART.finditer(text):
        if match.start() != pos:
            break
        total += float(match.group(1)) * _DURATION_UNITS[match.group(2)]
        pos = match.end()
    if pos != len(text) or not text:
        raise SpecError(f"{option}: {value!r} is not a duration; write it like '30s', '1m30s', '500ms' or '2h'.")
    return total


def duration_to_ns(value: t.Any, option: str = "duration") -> int | None:
    seconds = parse_duration(value, option)
    return None if seconds is None else int(round(seconds * 1e9))
