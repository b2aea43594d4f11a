# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # The command run in a container and who runs it where: container_exec, compose_exec and compose_run.
    # The argument specs are in module_utils/_exec_args.py (COMMAND_ARGS here, EXEC_ARGS for EXEC).
    DOCUMENTATION = r"""
options:
  command:
    description:
      - The command to run.
      - As a list, each element is one argument (argv), passed as is. This is the safe form for arguments with spaces or quotes.
      - As a string, it is split into arguments like a POSIX shell splits words (Python's C(shlex)), as C(docker exec) and
        C(docker compose run) receive them from your shell.
      - No shell runs the command. For pipes, redirections, C(&&) or C($VARIABLES) run a shell yourself,
        V(['sh', '-c', 'echo $HOME > /tmp/x']).
      - O(command) and O(argv) are mutually exclusive; one of them is required, except by M(devops.docker.compose_run)
        (which then runs the service's own command).
    type: raw
  argv:
    description:
      - community.docker's way to give the command as a list of arguments; the same as a list in O(command).
    type: list
    elements: str
  user:
    description:
      - User (name or UID, optionally C(:group)) to run the command as (C(--user)). Default is the container's user.
    type: str
  workdir:
    description:
      - Absolute path inside the container to run the command in (C(--workdir)). Default is the container's working directory.
    type: str
    aliases: [chdir]
"""

    # How docker exec runs it: container_exec and compose_exec.
    EXEC = r"""
options:
  env:
    description:
      - Environment variables for the command, added to the container's (C(docker exec --env)).
      - Values are never shown in RV(actions) (only C(--env KEY)), but they are task arguments.
    type: dict
  stdin:
    description:
      - Text sent to the command's standard input, which is then closed (C(docker exec --interactive)).
      - Without it the command's standard input is empty.
    type: str
  stdin_add_newline:
    description:
      - Add a newline to O(stdin) when it does not end with one.
    type: bool
    default: true
  tty:
    description:
      - Allocate a pseudo-terminal (C(docker exec --tty)). Standard output and standard error then arrive as one stream,
        all in RV(stdout), with C(\r\n) line ends.
      - With O(stdin), the terminal echoes the input into RV(stdout), and the input is ended with C(^D) as a terminal
        user would.
    type: bool
    default: false
  detach:
    description:
      - Start the command and return at once, without waiting for it (C(docker exec --detach)).
        RV(rc), RV(stdout) and RV(stderr) are then not returned.
    type: bool
    default: false
  privileged:
    description:
      - Give the command extended privileges (C(docker exec --privileged)).
    type: bool
    default: false
  strip_empty_ends:
    description:
      - Remove the trailing newlines of RV(stdout) and RV(stderr), as M(ansible.builtin.command) does.
    type: bool
    default: true
"""
