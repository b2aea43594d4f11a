# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Maps of names to strings (labels, env, options, sysctls) and the shape checks every parser uses.

The one boolean rule, the same in every module: a YAML boolean written as a value of a string map
(``labels: {x: true}``, ``env: {DEBUG: yes}``) becomes the string ``"true"`` or ``"false"``, what
the Docker CLI and Docker Compose write; numbers become their decimal text.  A missing value
(``null``) and nested lists or mappings are refused with a message that says how to write it.
"""

from __future__ import annotations

import typing as t

from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError


def string_value(value: t.Any, option: str, key: t.Any) -> str:
    """The value of ``key`` in the string map ``option``, by the rule above."""
    if value is None:
        raise SpecError(f"{option}: {str(key)!r} has no value; write '' for an empty string.")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list, tuple)):
        raise SpecError(f"{option}.{key}: the value must be a string or a number, not a {type(value).__name__}; quote it.")
    return str(value)


def string_map(value: t.Any, option: str) -> dict[str, str] | None:
    """labels / env / driver options / sysctls / log options -> {str: str}; None when not given."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise SpecError(f"{option}: write a mapping of names to values, like {{app: web}}, not {value!r}.")
    result: dict[str, str] = {}
    for key, val in value.items():
        if not str(key).strip():
            raise SpecError(f"{option}: a name is empty; every entry needs a name, like {{'app': 'web'}}.")
        result[str(key)] = string_value(val, option, key)
    return result


def check_keys(value: t.Any, allowed: t.Iterable[str], option: str) -> dict[str, t.Any]:
    """A mapping whose keys must all be in ``allowed`` ({} when not given)."""
    allowed = set(allowed)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise SpecError(f"{option}: expected a mapping with {', '.join(sorted(allowed))}, got {value!r}.")
    unknown = sorted(set(map(str, value)) - allowed)
    if unknown:
        raise SpecError(f"{option}: unknown key(s) {', '.join(unknown)}; known keys are {', '.join(sorted(allowed))}.")
    return value


def parse_number(value: t.Any, option: str, convert: t.Callable[[t.Any], t.Any] = int, what: str = "a whole number") -> t.Any:
    """``convert(value)`` (int or float) for a number written as a number or its text; None when not given. A YAML
    boolean (never meant as 1 or 0) or anything else that is not a number fails, saying it is not ``what``."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise SpecError(f"{option}: {value!r} is a boolean, not {what}.")
    try:
        return convert(value)
    except (TypeError, ValueError, OverflowError):
        raise SpecError(f"{option}: {value!r} is not {what}.") from None


def whole_number(value: t.Any, option: str) -> int | None:
    """A count (0 or more) written as a number or its text; None when not given."""
    number = parse_number(value, option, int, "a whole number")
    if number is not None and (number < 0 or str(number) != str(value).strip() and not isinstance(value, int)):
        raise SpecError(f"{option}: {value!r} must be a whole number, 0 or more.")
    return number
