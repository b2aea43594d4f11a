# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Keep this collection's built module payloads (AnsiballZ) from one ansible-playbook run to the next.

Before a module runs, the controller builds its payload: it parses every file the module can
import, to find what to send. Ansible keeps the result only for the run (under its per-run local
temporary folder, ``ansiballz_cache``). For the Compose module that is about 130 files and 0.4 s,
paid again by every ``ansible-playbook``: most of what a Compose task that has nothing to do costs
beyond Ansible's floor.

``PayloadCache`` is an action plugin base: before the payload is built it copies this collection's
payloads kept by an earlier run into the run's folder, and after it keeps the new ones. They are
kept under ``~/.ansible/devops.docker/payloads/<fingerprint>`` (``ANSIBLE_HOME``), in a folder only
the user can read, and the fingerprint is a hash of Ansible's version and of every file under this
collection's ``plugins/modules`` and ``plugins/module_utils``: a changed file, another collection
version or another Ansible never reuses a payload. Anything unexpected (another Ansible layout, a
read-only home) leaves Ansible to build the payload as it always does.

``DEVOPS_DOCKER_PAYLOAD_CACHE=off`` (or ``0``, ``false``, ``no``) turns it off.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
import typing as t

from ansible import constants as C
from ansible.plugins.action.normal import ActionModule as NormalAction
from ansible.release import __version__ as ansible_version

from ansible_collections.devops.docker.plugins.module_utils._bytecode import private_folder, turned_off, write_private

ENV = "DEVOPS_DOCKER_PAYLOAD_CACHE"
OURS = "ansible_collections.devops.docker."
PLUGINS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAX_AGE = 7 * 86400  # another fingerprint's payloads are removed once unused this long


def fingerprint(plugins: str = PLUGINS) -> str:
    """A hash of Ansible's version and of this collection's module code (names and contents)."""
    digest = hashlib.sha256(ansible_version.encode())
    for part in ("modules", "module_utils"):
        for folder, dirs, files in os.walk(os.path.join(plugins, part)):
            dirs.sort()
            for name in sorted(files):
                if name.endswith(".py"):
                    path = os.path.join(folder, name)
                    digest.update(os.path.relpath(path, plugins).encode() + b"\0")
                    with open(path, "rb") as handle:
                        digest.update(hashlib.sha256(handle.read()).digest())
    return digest.hexdigest()[:32]


def payload_names(folder: str) -> list[str]:
    """This collection's finished payload files in ``folder`` (not Ansible's locks or partial writes)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return [name for name in names if name.startswith(OURS) and not name.endswith((".lock", "-part", ".tmp"))]


def copy_missing(source: str, target: str) -> int:
    """Copy the payloads of ``source`` that ``target`` lacks, each whole or not at all; how many were copied."""
    copied = 0
    for name in payload_names(source):
        final = os.path.join(target, name)
        if os.path.exists(final):
            continue
        try:
            with open(os.path.join(source, name), "rb") as handle:
                data = handle.read()
        except OSError:
            continue
        copied += write_private(final, data)
    return copied


def prune(store: str, keep: str) -> None:
    """Remove the other fingerprints' folders not used for MAX_AGE."""
    limit = time.time() - MAX_AGE
    try:
        with os.scandir(store) as entries:
            for entry in entries:
                if entry.name != keep and entry.is_dir(follow_symlinks=False) and entry.stat().st_mtime < limit:
                    shutil.rmtree(entry.path, ignore_errors=True)
    except OSError:
        pass


class Folders:
    """The run's payload folder (Ansible's) and the kept one (ours), or None when not usable."""

    def __init__(self) -> None:
        self.run: str | None = None
        self.kept: str | None = None
        local_tmp = getattr(C, "DEFAULT_LOCAL_TMP", None)
        home = getattr(C, "ANSIBLE_HOME", None) or os.path.expanduser("~/.ansible")
        if turned_off(ENV) or not isinstance(local_tmp, str):
            return
        try:
            key = fingerprint()
        except OSError:
            return
        store = os.path.join(home, "devops.docker", "payloads")
        if private_folder(store) and private_folder(os.path.join(store, key)):
            self.run = os.path.join(local_tmp, "ansiballz_cache")
            self.kept = os.path.join(store, key)
            self.store, self.key = store, key

    def seed(self) -> None:
        if self.run and self.kept:
            try:
                os.makedirs(self.run, exist_ok=True)
            except OSError:
                return
            copy_missing(self.kept, self.run)
            os.utime(self.kept)

    def keep(self) -> None:
        if self.run and self.kept and copy_missing(self.run, self.kept):
            prune(self.store, self.key)


class PayloadCache(NormalAction):
    """The normal action, with this collection's payloads kept between runs (see the module doc)."""

    def _configure_module(self, module_name: str, module_args: t.Any, task_vars: t.Any) -> t.Any:
        folders = Folders()
        folders.seed()
        built = super()._configure_module(module_name, module_args, task_vars)
        folders.keep()
        return built
