# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Healthchecks: the task's mapping -> the API's Healthcheck object, the daemon's merge with the
image's, the comparable form, and the ``--health-*`` CLI flags (containers and services)."""

from __future__ import annotations

import json
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError
from ansible_collections.devops.docker.plugins.module_utils._values._units import duration_to_ns

HEALTHCHECK_FIELDS = ("Test", "Interval", "Timeout", "StartPeriod", "Retries", "StartInterval")
_HEALTHCHECK_KEYS = {"test", "interval", "timeout", "retries", "start_period", "start_interval", "disable"}


def parse_healthcheck(value: t.Any, option: str = "healthcheck") -> dict[str, t.Any] | None:
    """The healthcheck option -> a Config.Healthcheck object (None when not given)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise SpecError(f"{option}: write a mapping like {{test: 'wget -q -O- http://localhost/', interval: 10s}}.")
    unknown = sorted(set(value) - _HEALTHCHECK_KEYS)
    if unknown:
        raise SpecError(f"{option}: unknown key(s) {', '.join(unknown)}; known keys are {', '.join(sorted(_HEALTHCHECK_KEYS))}.")
    if value.get("disable"):
        return {"Test": ["NONE"]}
    result: dict[str, t.Any] = {}
    test = value.get("test")
    if test not in (None, "", []):
        if isinstance(test, str):
            result["Test"] = ["CMD-SHELL", test]
        elif isinstance(test, (list, tuple)) and all(isinstance(x, (str, int, float)) for x in test):
            test = [str(x) for x in test]
            if test[0] in ("CMD", "CMD-SHELL"):
                if len(test) < 2:
                    raise SpecError(f"{option}: test {test!r} names no command.")
                result["Test"] = test
            elif test[0] == "NONE":
                result["Test"] = ["NONE"]
            else:
                result["Test"] = ["CMD", *test]
        else:
            raise SpecError(f"{option}: test must be a shell string or a list like ['CMD', 'wget', '-q', 'http://localhost/'].")
    for key, api_key in (("interval", "Interval"), ("timeout", "Timeout"), ("start_period", "StartPeriod"),
                         ("start_interval", "StartInterval")):
        if value.get(key) not in (None, ""):
            ns = duration_to_ns(value[key], f"{option}.{key}")
            if ns and ns < 1_000_000:
                raise SpecError(f"{option}.{key}: {value[key]!r} is shorter than the 1ms the engine accepts.")
            result[api_key] = ns
    if value.get("retries") not in (None, ""):
        try:
            retries = int(value["retries"])
        except (TypeError, ValueError):
            raise SpecError(f"{option}.retries: {value['retries']!r} is not a whole number.") from None
        if retries < 0:
            raise SpecError(f"{option}.retries must not be negative.")
        result["Retries"] = retries
    return result


def normalize_healthcheck(value: dict[str, t.Any] | None) -> dict[str, t.Any] | None:
    """A Healthcheck object as comparable data: zero fields dropped, a disabled one is just NONE."""
    if not value or not value.get("Test"):
        return None
    if value["Test"][0] == "NONE":
        return {"Test": ["NONE"]}
    return {k: v for k, v in value.items() if k in HEALTHCHECK_FIELDS and v}


def merge_healthcheck(user: dict[str, t.Any] | None, image: dict[str, t.Any] | None) -> dict[str, t.Any] | None:
    """The daemon's merge of a create request's healthcheck with the image's (fields left out come from the image)."""
    if user is None:
        merged = dict(image or {})
    else:
        merged = dict(user)
        img = image or {}
        if not merged.get("Test"):
            merged["Test"] = img.get("Test")
        for key in HEALTHCHECK_FIELDS[1:]:
            if not merged.get(key):
                merged[key] = img.get(key) or 0
    return normalize_healthcheck(merged)


def healthcheck_to_cli(health: dict[str, t.Any] | None) -> list[str]:
    """The ``--health-*`` / ``--no-healthcheck`` flags of a Healthcheck object."""
    if not health:
        return []
    test = health.get("Test") or []
    if test[:1] == ["NONE"]:
        return ["--no-healthcheck"]
    argv: list[str] = []
    if test[:1] == ["CMD-SHELL"]:
        argv += ["--health-cmd", " ".join(test[1:])]
    elif test[:1] == ["CMD"]:
        argv += ["--health-cmd", json.dumps(test[1:])]
    for key, flag in (("Interval", "--health-interval"), ("Timeout", "--health-timeout"),
                      ("StartPeriod", "--health-start-period"), ("StartInterval", "--health-start-interval")):
        if health.get(key):
            argv += [flag, f"{health[key] / 1e9:g}s"]
    if health.get("Retries"):
        argv += ["--health-retries", str(health["Retries"])]
    return argv
