# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Stage 2: interpolation as the Compose specification writes it: ``$VAR``, ``${VAR}``, ``${VAR:-default}``,
``${VAR-default}``, ``${VAR:?error}``, ``${VAR?error}``, ``${VAR:+alt}``, ``${VAR+alt}``, ``$$`` for a literal
``$``; defaults may nest further expressions.
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
