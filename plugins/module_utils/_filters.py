# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Engine API filters: the user's dictionary turned into what the API takes,
and the daemon's own matching rules for ``label``, ``label!`` and ``until``,
so check mode can predict what a prune would remove.  Pure functions.
"""

from __future__ import annotations

import datetime as dt
import re
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._specs import SpecError, parse_duration


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
