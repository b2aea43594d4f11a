# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Engine API filters and points in time: the user's dictionary turned into what the API takes
(``api_filters`` for every object, ``container_filters`` checked like ``docker ps --filter``), the
daemon's own matching rules for ``label``, ``label!`` and ``until`` (so check mode can predict what a
prune removes), and the ``--since/--until`` points in time of logs.  Pure functions.
"""

from __future__ import annotations

import datetime as dt
import re
import time
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._units import parse_duration


def _filter_value(value: t.Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def api_filters(filters: t.Any, option: str = "filters") -> dict[str, list[str]] | None:
    """{"label": "a=b", "dangling": true} -> {"label": ["a=b"], "dangling": ["true"]} (None when empty)."""
    if not filters:
        return None
    if not isinstance(filters, dict):
        raise SpecError(f"{option}: expected a dictionary like {{label: [app=web]}}, got {filters!r}.")
    out: dict[str, list[str]] = {}
    for key, value in filters.items():
        values = value if isinstance(value, (list, tuple)) else [value]
        out[str(key)] = [_filter_value(v) for v in values if v is not None]
    return out


def label_matches(labels: dict[str, t.Any] | None, wanted: list[str], negated: list[str]) -> bool:
    """The daemon's rule: every ``label`` filter must match, and no ``label!`` filter may.

    A filter is ``key`` (the label exists) or ``key=value`` (it has that value).
    """
    labels = labels or {}

    def one(spec: str) -> bool:
        key, sep, value = spec.partition("=")
        if key not in labels:
            return False
        return not sep or str(labels[key]) == value

    return all(one(spec) for spec in wanted) and not any(one(spec) for spec in negated)


_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$")


def parse_until(value: t.Any, now: float, option: str = "filters.until") -> float:
    """``until`` as the daemon takes it -> a Unix timestamp.

    A Unix timestamp ('1700000000' or '1700000000.5'), a date/time ('2024-01-31', '2024-01-31T10:00:00Z';
    without a zone it is UTC) or a duration before now ('24h', '30m', '1h30m').
    """
    text = str(value).strip()
    if not text:
        raise SpecError(f"{option}: empty; write a duration like '24h', a date or a Unix timestamp.")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if _RFC3339.match(text):
        iso = text.replace(" ", "T")
        if iso.endswith("Z"):
            iso = iso[:-1] + "+00:00"
        try:
            stamp = dt.datetime.fromisoformat(iso)
        except ValueError as exc:
            raise SpecError(f"{option}: {value!r} is not a valid date ({exc}).") from exc
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=dt.timezone.utc)
        return stamp.timestamp()
    try:
        seconds = parse_duration(text, option)
    except SpecError as exc:
        raise SpecError(
            f"{option}: {value!r} is neither a duration ('24h', '30m'), a date ('2024-01-31T10:00:00Z') "
            "nor a Unix timestamp."
        ) from exc
    return now - float(seconds or 0)


def created_timestamp(value: t.Any) -> float:
    """The Created field: an int (containers, images) or an RFC 3339 string (networks, volumes)."""
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value or "").strip()
    if not text:
        return 0.0
    match = re.match(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$", text)
    if not match:
        return 0.0
    frac = (match.group(2) or "")[:7]
    zone = match.group(3) or "Z"
    zone = "+00:00" if zone == "Z" else zone
    return dt.datetime.fromisoformat(match.group(1) + frac + zone).timestamp()


# ---------------------------------------------------------------- container filters
CONTAINER_FILTERS = (
    "ancestor", "before", "expose", "exited", "health", "id", "isolation", "is-task", "label",
    "name", "network", "publish", "since", "status", "volume",
)
STATUSES = ("created", "restarting", "running", "removing", "paused", "exited", "dead")


def container_filters(filters: dict[str, t.Any] | None, option: str = "filters") -> dict[str, list[str]]:
    """Turn what a user writes into what the Engine API wants: {key: [str, ...]}.

    ``{status: running}`` -> ``{"status": ["running"]}``;
    ``{label: {app: web, tier: null}}`` -> ``{"label": ["app=web", "tier"]}``.
    """
    result: dict[str, list[str]] = {}
    for key, value in (filters or {}).items():
        if key not in CONTAINER_FILTERS:
            raise SpecError(
                f"{option}: unknown container filter {key!r}; use one of {', '.join(CONTAINER_FILTERS)} "
                "(as `docker ps --filter` takes them)."
            )
        if value is None:
            raise SpecError(f"{option}.{key}: a value is required, like {key}: VALUE or a list of values.")
        if isinstance(value, dict):
            values = [str(k) if v is None else f"{k}={_filter_value(v)}" for k, v in value.items()]
        elif isinstance(value, (list, tuple)):
            values = [_filter_value(v) for v in value]
        else:
            values = [_filter_value(value)]
        if key == "status":
            bad = [v for v in values if v not in STATUSES]
            if bad:
                raise SpecError(f"{option}.status: {', '.join(bad)} is not a container status; use {', '.join(STATUSES)}.")
        result[key] = values
    return result


def filters_to_cli(filters: dict[str, list[str]]) -> list[str]:
    """['--filter', 'label=app=web', ...] for the actions."""
    argv: list[str] = []
    for key in sorted(filters):
        for value in filters[key]:
            argv += ["--filter", f"{key}={value}"]
    return argv


# ---------------------------------------------------------------- points in time
# ---------------------------------------------------------------- timestamps
_NUMERIC_TS = re.compile(r"^\d+(?:\.\d{1,9})?$")


def parse_timestamp(value: t.Any, option: str, now: float | None = None) -> str | None:
    """A point in time as ``docker logs --since/--until`` takes it -> the API's 'seconds.nanos'.

    Accepts a UNIX timestamp (``1700000000``, ``1700000000.5``), an RFC 3339 /
    ISO 8601 date-time (``2024-05-01T10:00:00Z``, ``2024-05-01``; without a zone
    it is local time, like the CLI), or a duration meaning "that long ago"
    (``10m``, ``1h30m``).
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise SpecError(f"{option}: {value!r} is not a point in time; write a UNIX timestamp, '2024-05-01T10:00:00Z' or '10m' (ago).")
    if isinstance(value, (int, float)):
        seconds = float(value)
    else:
        text = str(value).strip()
        if _NUMERIC_TS.match(text):
            seconds = float(text)
        elif re.fullmatch(r"[0-9.]+(?:ns|us|µs|ms|s|m|h)(?:[0-9.]+(?:ns|us|µs|ms|s|m|h))*", text):
            try:
                ago = parse_duration(text, option) or 0.0
            except SpecError:
                raise
            seconds = (time.time() if now is None else now) - ago
        else:
            try:
                moment = dt.datetime.fromisoformat(text.replace("z", "Z"))
            except ValueError as exc:
                raise SpecError(
                    f"{option}: {value!r} is not a point in time; write a UNIX timestamp (1700000000), "
                    "an RFC 3339 date-time ('2024-05-01T10:00:00Z', '2024-05-01') or a duration meaning that long ago ('10m', '1h30m')."
                ) from exc
            if moment.tzinfo is None:
                moment = moment.astimezone()
            seconds = moment.timestamp()
    if seconds < 0:
        raise SpecError(f"{option}: {value!r} lies before 1970; give a later point in time.")
    whole = int(seconds)
    nanos = int(round((seconds - whole) * 1e9))
    if nanos >= 1_000_000_000:
        whole, nanos = whole + 1, nanos - 1_000_000_000
    return f"{whole}.{nanos:09d}"


def parse_tail(value: t.Any, option: str = "tail") -> str:
    """'all' or a count of lines -> the API's tail parameter."""
    if value is None or (isinstance(value, str) and value.strip().lower() == "all"):
        return "all"
    if isinstance(value, bool):
        raise SpecError(f"{option}: {value!r} is not a number of lines; write a number like 20, or 'all'.")
    try:
        lines = int(str(value).strip())
    except ValueError as exc:
        raise SpecError(f"{option}: {value!r} is not a number of lines; write a number like 20, or 'all'.") from exc
    if lines < 0:
        raise SpecError(f"{option}: {value!r} is negative; write a number of lines (0 or more), or 'all'.")
    return str(lines)
