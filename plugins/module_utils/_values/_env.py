# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Environment variables: the ``--env-file`` format, env files on disk, and the API's
``KEY=VALUE`` list next to the task's mapping."""

from __future__ import annotations

import typing as t

from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError


def parse_env_file(text: str, option: str = "env_file", environ: t.Mapping[str, str] | None = None) -> dict[str, str]:
    """The --env-file format: KEY=VALUE lines, '#' comments; a bare KEY takes its value from the environment."""
    import os  # pylint: disable=import-outside-toplevel

    environ = os.environ if environ is None else environ
    result: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip()
        if not stripped or stripped.startswith("#"):
            continue
        key, sep, val = stripped.partition("=")
        if not key or any(ch.isspace() for ch in key):
            raise SpecError(f"{option}: line {number} is not KEY=VALUE: {line[:40]!r}.")
        if sep:
            result[key] = val
        elif key in environ:
            result[key] = environ[key]
    return result


def read_env_file(path: str, option: str = "env_file") -> dict[str, str]:
    """An env file on the managed host, parsed; a missing or unreadable file says so."""
    import os  # pylint: disable=import-outside-toplevel

    path = os.path.expanduser(path)
    try:
        with open(path, encoding="utf-8") as handle:
            return parse_env_file(handle.read(), option)
    except OSError as exc:
        raise SpecError(f"{option}: cannot read {path!r} ({exc.strerror}); give a readable KEY=VALUE file.") from None


def env_to_map(env: t.Iterable[str] | None) -> dict[str, str]:
    """The API's ['KEY=VALUE', ...] -> {KEY: VALUE} (a bare KEY has the value '')."""
    result: dict[str, str] = {}
    for item in env or []:
        key, _sep, val = item.partition("=")
        result[key] = val
    return result


def map_to_env(env: t.Mapping[str, str]) -> list[str]:
    """{KEY: VALUE} -> ['KEY=VALUE', ...] in the mapping's order."""
    return [f"{k}={v}" for k, v in env.items()]
