# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one exception of the value layer: a value the user wrote does not parse."""

from __future__ import annotations

import re
import typing as t


class SpecError(ValueError):
    """A value the user wrote does not parse; the message says how to write it."""

    @property
    def msg(self) -> str:
        return str(self)


# A message shows what was given, never all of it: a run of text longer than this is cut, and the cut said.
SHOWN_RUN = 512
_LONG_RUN = re.compile(r"[^\s'\"]{%d,}" % (SHOWN_RUN + 1))


def shorten_message(msg: str, limit: int = 4000) -> str:
    """``msg`` with every long run of text (a value of a megabyte echoed whole) cut to its start and its
    length, and the whole kept under ``limit`` characters: a message names the bad value, it does not
    repeat it."""
    msg = _LONG_RUN.sub(lambda m: f"{m.group(0)[:60]}...({len(m.group(0))} characters)", str(msg))
    if len(msg) > limit:
        msg = f"{msg[:limit - 40]}... (message cut at {limit} characters)"
    return msg


def sub_option_shapes(argument_spec: t.Mapping[str, t.Any], params: t.Mapping[str, t.Any]) -> list[str]:
    """The options with sub-options given something else than a mapping (or, for a list of them, a list
    of mappings): ansible-core's own validation fails on those with a Python error."""
    bad = []
    for name, spec in argument_spec.items():
        if not spec.get("options"):
            continue
        for key in [name, *(spec.get("aliases") or [])]:
            value = params.get(key)
            if value is None:
                continue
            if isinstance(value, dict):
                bad += [f"{key}.{sub}" for sub in sub_option_shapes(spec["options"], value)]
                continue
            if isinstance(value, list) and all(isinstance(item, dict) for item in value) \
                    and (spec.get("type") == "list" or not value):
                for index, item in enumerate(value):
                    bad += [f"{key}[{index}].{sub}" for sub in sub_option_shapes(spec["options"], item)]
                continue
            if isinstance(value, str) and spec.get("type", "str") == "dict" and ("=" in value or value.startswith("{")):
                continue  # key=value or JSON text: ansible-core parses it or says why not
            bad.append(key)
    return bad


def nul_paths(argument_spec: t.Mapping[str, t.Any], params: t.Mapping[str, t.Any]) -> list[str]:
    """The path options (or lists of paths) whose value holds a NUL character: no file has such a name,
    and Python's file functions fail on it with a bare ValueError."""
    bad = []
    for name, spec in argument_spec.items():
        if spec.get("type") != "path" and spec.get("elements") != "path":
            continue
        value = params.get(name)
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and "\x00" in v for v in values):
            bad.append(name)
    return bad
