# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A compiled-code cache for this collection's module_utils when a module runs from Ansible's zip.

Python keeps compiled code next to a source file (``__pycache__``), but never for code imported
from a zip file, and a module reaches its host as a zip (AnsiballZ): every task compiles again
every module_util the module imports. For the container and Compose modules that compile is most
of what a task costs beyond Ansible's own per-task overhead.

Importing this module (``_client`` does, first) installs an import finder that, for this
collection's module_utils imported from a zip only, keeps their compiled code in a private
per-user cache: ``$XDG_CACHE_HOME/devops.docker/bytecode-<python>`` (``~/.cache/...`` of the
user the module runs as). An entry
is named by the hash of its source and Python's bytecode version, so a changed file or another
Python never reads a stale entry. The folder must belong to the user and be closed to everybody
else, or the cache is not used. Any error (read-only home, full disk, a damaged entry) falls back
to compiling, as Python does without the cache.

``DEVOPS_DOCKER_BYTECODE_CACHE``: ``off`` (or ``0``, ``false``, ``no``) turns the cache off; an
absolute path puts it there instead. Even without the cache, the finder compiles each module_util
once, not twice as Python's zip importer does. Code outside a zip (the controller, unit tests) is
untouched.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import marshal
import os
import stat
import sys
import time
import typing as t
import zipimport

ENV = "DEVOPS_DOCKER_BYTECODE_CACHE"
PREFIX = __name__.rpartition(".")[0] + "."
MAX_AGE = 30 * 86400  # an entry no import has written for 30 days goes on the next miss


def turned_off(variable: str) -> bool:
    """A cache's environment variable says off (``off``, ``0``, ``false`` or ``no``)."""
    return os.environ.get(variable, "").strip().lower() in ("off", "0", "false", "no")


def cache_dir() -> str | None:
    """The cache folder for this Python, or None when the cache is turned off."""
    if turned_off(ENV):
        return None
    setting = os.environ.get(ENV, "").strip()
    if setting and os.path.isabs(setting):
        base = setting
    else:
        base = os.path.join(user_cache(), "devops.docker")
    return os.path.join(base, "bytecode-" + (sys.implementation.cache_tag or "python"))


def user_cache() -> str:
    """The running user's cache folder: ``$XDG_CACHE_HOME`` when it is theirs, else ``~/.cache`` of
    their own home (from the password database: after ``become``, ``$HOME`` may still name the user
    who became root, whose folders root must not fill)."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    try:
        if os.path.isabs(xdg) and os.stat(xdg).st_uid == os.geteuid():
            return xdg
    except OSError:
        pass
    try:
        import pwd  # not on every platform

        home = pwd.getpwuid(os.geteuid()).pw_dir
    except (ImportError, KeyError):
        home = os.path.expanduser("~")
    return os.path.join(home, ".cache")


def private_folder(path: str) -> bool:
    """Make ``path`` (mode 0700, parents too) if needed; True only if it is ours and closed to others."""
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        info = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid() and not info.st_mode & 0o077


def write_private(path: str, data: bytes) -> bool:
    """Write ``path`` (mode 0600) whole or not at all: a temporary file renamed over it, so a parallel task
    never reads a partial one. False when it could not be written (nothing is left behind)."""
    temp = "%s.%d.tmp" % (path, os.getpid())
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except OSError:
        try:
            os.unlink(temp)
        except OSError:
            pass
        return False
    return True


@functools.lru_cache(maxsize=None)
def prune(folder: str) -> None:
    """Remove the entries not written for MAX_AGE (a collection upgrade leaves its old ones); once per
    process and folder (cached), not on every miss of a cold run."""
    limit = time.time() - MAX_AGE
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.endswith(".code") and entry.stat(follow_symlinks=False).st_mtime < limit:
                    os.unlink(entry.path)
    except OSError:
        pass


class CachedLoader(importlib.abc.Loader):
    """Runs a module_util from the zip with its compiled code from the cache (compiled once)."""

    def __init__(self, zip_loader: zipimport.zipimporter, folder: str | None, origin: str) -> None:
        self.zip_loader = zip_loader
        self.folder = folder
        self.origin = origin

    def get_filename(self, fullname: str) -> str:
        return self.origin

    def get_source(self, fullname: str) -> str | None:
        return self.zip_loader.get_source(fullname)

    def is_package(self, fullname: str) -> bool:
        return False

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None

    def get_code(self, fullname: str) -> t.Any:
        data = (self.zip_loader.get_source(fullname) or "").encode("utf-8")
        if self.folder is None:
            return compile(data, self.origin, "exec", dont_inherit=True)
        key = hashlib.sha256(importlib.util.MAGIC_NUMBER + fullname.encode() + b"\0" + data).hexdigest()
        path = os.path.join(self.folder, key[:40] + ".code")
        try:
            with open(path, "rb") as handle:
                return marshal.loads(handle.read())
        except (OSError, EOFError, ValueError, TypeError):
            pass
        code = compile(data, self.origin, "exec", dont_inherit=True)
        if write_private(path, marshal.dumps(code)):
            prune(self.folder)
        return code

    def exec_module(self, module: t.Any) -> None:
        exec(self.get_code(module.__name__), module.__dict__)  # pylint: disable=exec-used


def zip_importer(entry: str) -> zipimport.zipimporter | None:
    """The zip importer of a package path entry ("archive.zip/dir/..."), or None for a folder."""
    known = sys.path_importer_cache.get(entry)
    if isinstance(known, zipimport.zipimporter):
        return known
    if known is not None or ".zip" not in entry:
        return None
    try:
        return zipimport.zipimporter(entry)
    except zipimport.ZipImportError:
        return None


class CachedFinder(importlib.abc.MetaPathFinder):
    """Finds this collection's module_utils in a zip and gives them a CachedLoader.

    It asks the zip importer only whether the file is there (``is_package``), never for a spec:
    ``zipimporter.find_spec`` compiles the module just to learn its file name, so each module in a
    zip is compiled twice without this finder.
    """

    def __init__(self, folder: str | None) -> None:
        self.folder = folder
        self.usable: bool | None = None if folder else False

    def find_spec(self, fullname: str, path: t.Any = None, target: t.Any = None) -> importlib.machinery.ModuleSpec | None:
        if not fullname.startswith(PREFIX) or not path:
            return None
        for entry in path:
            importer = zip_importer(entry)
            if importer is None:
                continue
            try:
                if importer.is_package(fullname):
                    return None  # a package's (empty) __init__: the default machinery
            except zipimport.ZipImportError:
                continue
            if self.usable is None:
                self.usable = private_folder(t.cast(str, self.folder))
            origin = os.path.join(importer.archive, importer.prefix, fullname.rpartition(".")[2] + ".py")
            spec = importlib.util.spec_from_loader(fullname, CachedLoader(importer, self.folder if self.usable else None, origin), origin=origin)
            if spec is not None:
                spec.has_location = True
            return spec
        return None


def install() -> None:
    """Put the finder first on ``sys.meta_path`` (once), when this code itself runs from a zip."""
    if not isinstance(globals().get("__loader__"), zipimport.zipimporter):
        return
    if not any(isinstance(finder, CachedFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, CachedFinder(cache_dir()))


install()
