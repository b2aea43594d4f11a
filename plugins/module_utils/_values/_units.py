# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Sizes ('512m'), durations ('1m30s'), CPU counts and points in time, as users write them."""

from __future__ import annotations

import re
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._text import parse_number

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


def nano_cpus(value: t.Any, option: str = "cpus", positive: bool = False) -> int | None:
    """A number of CPUs (0.5, '2') -> NanoCPUs; None when not given (``positive``: 0 is refused too)."""
    if value == "":
        return None
    cpus = parse_number(value, option, float, "a number of CPUs like 0.5 or 2")
    if cpus is None:
        return None
    if cpus < 0 or (positive and cpus == 0):
        raise SpecError(f"{option}: {value!r} must be more than 0{'' if positive else ' or 0'}; write a number of CPUs like 0.5.")
    return int(round(cpus * 1e9))
