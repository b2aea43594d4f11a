# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Stage 2: interpolation as the Compose specification writes it: ``$VAR``, ``${VAR}``, ``${VAR:-default}``,
``${VAR-default}``, ``${VAR:?error}``, ``${VAR?error}``, ``${VAR:+alt}``, ``${VAR+alt}``, ``$$`` for a literal
``$``; defaults may nest further expressions. Then, as the Compose CLI does, a string where the specification
types a number or a boolean (``retries: $RETRIES``, ``read_only: "true"``) becomes one (``cast_types``).
"""

from __future__ import annotations

import re
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._compose._tags import Override
from ansible_collections.devops.docker.plugins.module_utils._compose._validate import ComposeError


NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class Interpolator:
    def __init__(self, env: t.Mapping[str, str], where: str) -> None:
        self.env = env
        self.where = where

    def expand(self, text: str) -> str:
        out, _pos = self._expand(text, 0, stop_at_brace=False)
        return out

    def _expand(self, text: str, pos: int, stop_at_brace: bool) -> tuple[str, int]:
        """Expand from pos; when stop_at_brace, stop at the '}' closing the current ${...}."""
        out: list[str] = []
        n = len(text)
        while pos < n:
            ch = text[pos]
            if stop_at_brace and ch == "}":
                return "".join(out), pos
            if ch != "$":
                out.append(ch)
                pos += 1
                continue
            nxt = text[pos + 1] if pos + 1 < n else ""
            if nxt == "$":
                out.append("$")
                pos += 2
            elif nxt == "{":
                value, pos = self._braced(text, pos + 2)
                out.append(value)
            else:
                match = NAME_RE.match(text, pos + 1)
                if match:
                    out.append(self.env.get(match.group(0), ""))
                    pos = match.end()
                else:
                    raise ComposeError(
                        f"{self.where}: invalid interpolation format in {text!r}: a '$' must start $VAR or ${{VAR}}; "
                        "write $$ for a literal dollar sign."
                    )
        if stop_at_brace:
            raise ComposeError(f"{self.where}: unclosed '${{' in {text!r}; add the closing '}}'.")
        return "".join(out), pos

    def _braced(self, text: str, pos: int) -> tuple[str, int]:
        """pos is just after '${'; return (value, position after the closing '}')."""
        match = NAME_RE.match(text, pos)
        if not match:
            raise ComposeError(
                f"{self.where}: invalid interpolation format in {text!r}: '${{' must be followed by a variable name "
                "([A-Za-z_][A-Za-z0-9_]*); write $$ for a literal dollar sign."
            )
        name = match.group(0)
        pos = match.end()
        if pos >= len(text):
            raise ComposeError(f"{self.where}: unclosed '${{' in {text!r}; add the closing '}}'.")
        if text[pos] == "}":
            return self.env.get(name, ""), pos + 1
        for op in (":-", ":?", ":+", "-", "?", "+"):
            if text.startswith(op, pos):
                break
        else:
            raise ComposeError(
                f"{self.where}: invalid interpolation format in {text!r} after ${{{name}: use ${{VAR}}, "
                "${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, ${VAR:+alt} or ${VAR+alt}."
            )
        arg, end = self._expand(text, pos + len(op), stop_at_brace=True)
        is_set = name in self.env
        value = self.env.get(name, "")
        non_empty = is_set and value != ""
        pos = end + 1
        if op == ":-":
            return (value if non_empty else arg), pos
        if op == "-":
            return (value if is_set else arg), pos
        if op == ":+":
            return (arg if non_empty else ""), pos
        if op == "+":
            return (arg if is_set else ""), pos
        if op == ":?" and not non_empty or op == "?" and not is_set:
            detail = arg or ("is not set or empty" if op == ":?" else "is not set")
            raise ComposeError(
                f"{self.where}: required variable {name} is missing a value: {detail}. "
                "Set it in the environment, the project's .env file or the module's env option."
            )
        return value, pos


def interpolate(value: t.Any, env: t.Mapping[str, str], where: str = "compose file") -> t.Any:
    """Interpolate every string value (not keys) of a YAML document, recursively."""
    if isinstance(value, str):
        return Interpolator(env, where).expand(value)
    if isinstance(value, dict):
        return {k: interpolate(v, env, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, Override):
        return Override(interpolate(value.value, env, where))
    return value


# Where the specification types a value as an integer or a boolean: a string there (what interpolation yields,
# or a quoted scalar) is converted, as the Compose CLI does. "*" is any key of a mapping, "[]" any list item.
_INT, _BOOL = "int", "bool"
_SERVICE_CASTS: dict[tuple[str, ...], str] = {
    ("healthcheck", "retries"): _INT, ("healthcheck", "disable"): _BOOL,
    ("deploy", "replicas"): _INT, ("deploy", "restart_policy", "max_attempts"): _INT, ("scale",): _INT,
    ("ports", "[]", "target"): _INT, ("cpu_shares",): _INT, ("cpu_quota",): _INT, ("cpu_period",): _INT,
    ("cpu_count",): _INT, ("cpu_rt_period",): _INT, ("cpu_rt_runtime",): _INT, ("pids_limit",): _INT,
    ("oom_score_adj",): _INT, ("mem_swappiness",): _INT, ("blkio_config", "weight"): _INT,
    ("ulimits", "*"): _INT, ("ulimits", "*", "soft"): _INT, ("ulimits", "*", "hard"): _INT,
    ("networks", "*", "priority"): _INT, ("networks", "*", "gw_priority"): _INT,
    ("deploy", "resources", "limits", "pids"): _INT,
    ("privileged",): _BOOL, ("read_only",): _BOOL, ("tty",): _BOOL, ("stdin_open",): _BOOL, ("init",): _BOOL,
    ("oom_kill_disable",): _BOOL, ("attach",): _BOOL,
    ("volumes", "[]", "read_only"): _BOOL, ("volumes", "[]", "volume", "nocopy"): _BOOL,
    ("volumes", "[]", "bind", "create_host_path"): _BOOL,
    ("depends_on", "*", "required"): _BOOL, ("depends_on", "*", "restart"): _BOOL,
    ("build", "no_cache"): _BOOL, ("build", "pull"): _BOOL,
    ("env_file", "[]", "required"): _BOOL, ("post_start", "[]", "privileged"): _BOOL,
    ("pre_stop", "[]", "privileged"): _BOOL, ("networks", "*", "enable_ipv4"): _BOOL,
}
_TOP_CASTS: dict[tuple[str, ...], str] = {
    ("networks", "*", "external"): _BOOL, ("networks", "*", "internal"): _BOOL,
    ("networks", "*", "attachable"): _BOOL, ("networks", "*", "enable_ipv6"): _BOOL,
    ("networks", "*", "enable_ipv4"): _BOOL,
    ("volumes", "*", "external"): _BOOL, ("secrets", "*", "external"): _BOOL, ("configs", "*", "external"): _BOOL,
}
_CASTS = {**_TOP_CASTS, **{("services", "*") + path: kind for path, kind in _SERVICE_CASTS.items()}}
_TRUE = ("y", "yes", "true", "on")
_FALSE = ("n", "no", "false", "off")


def _cast(value: str, kind: str) -> t.Any:
    text = value.strip()
    if kind == _INT and re.fullmatch(r"[+-]?[0-9]+", text):
        return int(text)
    if kind == _BOOL and text.lower() in _TRUE + _FALSE:
        return text.lower() in _TRUE
    return value  # left as it is: the stage that reads the key says what is wrong with it


def cast_types(value: t.Any, path: tuple[str, ...] = ()) -> t.Any:
    """A document with the strings at the typed places of ``_CASTS`` converted (a copy where anything changes)."""
    if isinstance(value, Override):
        return Override(cast_types(value.value, path))
    if isinstance(value, str):
        kind = _CASTS.get(path)
        return _cast(value, kind) if kind else value
    if len(path) >= 6:
        return value
    if isinstance(value, dict):
        return {k: cast_types(v, path + (_step(path, k),)) for k, v in value.items()}
    if isinstance(value, list):
        return [cast_types(v, path + ("[]",)) for v in value]
    return value


def _step(path: tuple[str, ...], key: t.Any) -> str:
    """The pattern step for a mapping key: services and top-level sections are keyed by any name."""
    if len(path) == 1 and path[0] in ("services", "networks", "volumes", "secrets", "configs"):
        return "*"
    if len(path) == 3 and path[0] == "services" and path[2] in ("ulimits", "networks", "depends_on"):
        return "*"
    return str(key)


def interpolate_model(value: t.Any, env: t.Mapping[str, str], where: str) -> t.Any:
    """A whole Compose document: interpolated, then its typed strings cast."""
    return cast_types(interpolate(value, env, where))
