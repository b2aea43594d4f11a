# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The options of a command run in a container: ``COMMAND_ARGS`` (the command, its user and working directory:
container_exec, compose_exec and compose_run) and ``EXEC_ARGS`` (how ``docker exec`` runs it: container_exec and
compose_exec). Documented once in doc_fragments/exec_command.py (DOCUMENTATION and EXEC)."""

from __future__ import annotations

import typing as t

COMMAND_ARGS: dict[str, dict[str, t.Any]] = {
    "command": {"type": "raw"},
    "argv": {"type": "list", "elements": "str"},
    "user": {"type": "str"},
    "workdir": {"type": "str", "aliases": ["chdir"]},
}

EXEC_ARGS: dict[str, dict[str, t.Any]] = {
    "env": {"type": "dict"},
    "stdin": {"type": "str"},
    "stdin_add_newline": {"type": "bool", "default": True},
    "tty": {"type": "bool", "default": False},
    "detach": {"type": "bool", "default": False},
    "privileged": {"type": "bool", "default": False},
    "strip_empty_ends": {"type": "bool", "default": True},
}
