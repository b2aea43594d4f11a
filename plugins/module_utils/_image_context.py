# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Build contexts: ``.dockerignore`` matching, the context tar and its digest.

Pure functions over the file system, no daemon, unit-tested.

* ``DockerIgnore`` applies ``.dockerignore`` the way the Docker CLI does
  (moby's patternmatcher): patterns are cleaned paths relative to the
  context, ``*`` and ``?`` stay within one path element, ``**`` crosses any
  number of them, ``!`` re-includes, the last matching pattern wins, and a
  pattern that matches a parent directory matches everything below it.
* ``BuildContext`` walks a context, lists what the CLI would send (the
  Dockerfile and ``.dockerignore`` are always sent), writes the tar for
  ``POST /build`` and computes the context digest ``rebuild: auto`` keeps in an
  image label.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import posixpath
import re
import stat
import tarfile
import typing as t
from dataclasses import dataclass, field

DIGEST_VERSION = "devops.docker/context-digest/v1"


class ContextError(ValueError):
    """A build context or Dockerfile problem; the message says what to fix."""

    @property
    def msg(self) -> str:
        return str(self)


# ------------------------------------------------------------ .dockerignore
def _clean(path: str) -> str:
    """filepath.Clean + ToSlash, as the CLI applies to each pattern."""
    path = path.replace("\\", "/") if os.sep == "\\" else path
    cleaned = posixpath.normpath(path) if path else ""
    if cleaned.startswith("//"):
        cleaned = "/" + cleaned.lstrip("/")
    return cleaned


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """Translate one cleaned pattern to a regex like moby's patternmatcher."""
    out = ["^"]
    i, n = 0, len(pattern)
    in_class = False
    while i < n:
        ch = pattern[i]
        if in_class:
            if ch == "]":
                in_class = False
                out.append("]")
            elif ch == "\\" and i + 1 < n:
                i += 1
                out.append(re.escape(pattern[i]))
            elif ch == "^" and out[-1] == "[":
                out.append("^")
            elif ch == "!" and out[-1] == "[":
                out.append("^")
            elif ch == "-":
                out.append("-")
            else:
                out.append(re.escape(ch))
        elif ch == "*":
            if i + 1 < n and pattern[i + 1] == "*":
                i += 1
                if i + 1 < n and pattern[i + 1] == "/":
                    i += 1
                if i + 1 >= n:
                    out.append(".*")
                else:
                    out.append("(.*/)?")
            else:
                out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            in_class = True
            out.append("[")
        elif ch == "\\":
            if i + 1 < n:
                i += 1
                out.append(re.escape(pattern[i]))
            else:
                out.append(re.escape("\\"))
        else:
            out.append(re.escape(ch))
        i += 1
    if in_class:
        raise ContextError(f".dockerignore: pattern {pattern!r} has an unclosed '['; close it or escape it as '\\['.")
    out.append("$")
    try:
        return re.compile("".join(out), re.DOTALL)
    except re.error as exc:
        raise ContextError(f".dockerignore: pattern {pattern!r} is not valid ({exc}); fix or escape it.") from exc


@dataclass(frozen=True)
class IgnorePattern:
    text: str  # cleaned, without '!'
    exclusion: bool  # True for a '!' pattern (re-include)
    regex: re.Pattern[str] = field(compare=False, repr=False)

    @property
    def dirs(self) -> list[str]:
        return self.text.split("/")

    def match(self, path: str) -> bool:
        return bool(self.regex.match(path))


def parse_dockerignore(text: str) -> list[IgnorePattern]:
    """Read .dockerignore contents like the CLI: comments, blank lines, '!', cleaning."""
    patterns = []
    if text.startswith("\ufeff"):
        text = text[1:]  # a UTF-8 byte order mark, as the CLI strips it
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        line = line.strip()
        if not line:
            continue
        invert = line.startswith("!")
        if invert:
            line = line[1:].strip()
        if line:
            line = _clean(line)
            if len(line) > 1 and line.startswith("/"):
                line = line[1:]
        if not line:
            continue
        patterns.append(IgnorePattern(line, invert, _pattern_regex(line)))
    return patterns


class DockerIgnore:
    """Decides whether a context-relative path (with '/') is excluded."""

    def __init__(self, patterns: t.Iterable[IgnorePattern] | t.Iterable[str] = ()) -> None:
        items: list[IgnorePattern] = []
        for pattern in patterns:
            if isinstance(pattern, IgnorePattern):
                items.append(pattern)
            else:
                items.extend(parse_dockerignore(str(pattern)))
        self.patterns = items

    @classmethod
    def from_file(cls, path: str) -> DockerIgnore:
        try:
            with open(path, encoding="utf-8") as handle:
                return cls(parse_dockerignore(handle.read()))
        except FileNotFoundError:
            return cls()

    @property
    def has_exceptions(self) -> bool:
        return any(p.exclusion for p in self.patterns)

    def excluded(self, path: str) -> bool:
        matched = False
        parent = posixpath.dirname(path) or "."
        parent_dirs = parent.split("/")
        for pattern in self.patterns:
            # An inclusion can only flip an unmatched path, an exclusion a matched one.
            if pattern.exclusion != matched:
                continue
            match = pattern.match(path)
            if not match and parent != ".":
                dirs = pattern.dirs
                if len(dirs) <= len(parent_dirs):
                    match = pattern.match("/".join(parent_dirs[:len(dirs)]))
            if match:
                matched = not pattern.exclusion
        return matched

    def may_reinclude_below(self, directory: str) -> bool:
        """Whether a '!' pattern names a path below an excluded directory (else the CLI skips it whole)."""
        prefix = directory + "/"
        return any(p.exclusion and (p.text + "/").startswith(prefix) for p in self.patterns)


# ------------------------------------------------------------ the context
@dataclass
class Entry:
    path: str  # relative, '/' separated, no leading './'
    full: str  # absolute path on disk
    kind: str  # 'file', 'dir', 'symlink'
    mode: int  # permission bits (and setuid/setgid/sticky)
    link: str = ""


def _file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class BuildContext:
    """A build context directory and the Dockerfile used to build it."""

    def __init__(self, path: str, dockerfile: str | None = None, option: str = "build.path") -> None:
        if not path:
            raise ContextError(f"{option}: the build context directory is required, like build: {{path: ./app}}.")
        self.path = os.path.abspath(os.path.expanduser(path))
        if not os.path.exists(self.path):
            raise ContextError(
                f"{option}: the build context {self.path} does not exist. Point build.path at the directory "
                "that holds the Dockerfile and the files it copies (on the managed host)."
            )
        if not os.path.isdir(self.path):
            raise ContextError(f"{option}: the build context {self.path} is not a directory; give the directory, not a file.")
        name = dockerfile or "Dockerfile"
        full = name if os.path.isabs(name) else os.path.join(self.path, name)
        full = os.path.normpath(full)
        if not os.path.isfile(full):
            where = "" if os.path.isabs(name) else f" (relative to the context {self.path})"
            raise ContextError(
                f"build.dockerfile: the Dockerfile {full} does not exist{where}. Create it or set "
                "build.dockerfile to its path relative to build.path."
            )
        self.dockerfile_full = full
        rel = os.path.relpath(full, self.path)
        if rel.startswith(".." + os.sep) or rel == "..":
            # Outside the context: sent with the context under a private name, as the CLI does.
            self.dockerfile_outside = True
            with open(full, "rb") as handle:
                self.dockerfile_content = handle.read()
            self.dockerfile_rel = ".dockerfile." + hashlib.sha256(self.dockerfile_content).hexdigest()[:20]
        else:
            self.dockerfile_outside = False
            self.dockerfile_rel = rel.replace(os.sep, "/")
            with open(full, "rb") as handle:
                self.dockerfile_content = handle.read()
        self.ignore = DockerIgnore.from_file(self._dockerignore_path())
        # The CLI always sends .dockerignore and the Dockerfile, even when .dockerignore lists them.
        self.ignore.patterns.extend(parse_dockerignore("!.dockerignore"))
        if not self.dockerfile_outside:
            self.ignore.patterns.extend(parse_dockerignore("!" + self.dockerfile_rel))
        self._entries: list[Entry] | None = None

    def _dockerignore_path(self) -> str:
        # BuildKit reads <Dockerfile>.dockerignore first; the classic builder only .dockerignore.
        return os.path.join(self.path, ".dockerignore")

    def entries(self) -> list[Entry]:
        """Every entry the CLI would send, sorted by path (stable across runs and file systems)."""
        if self._entries is not None:
            return self._entries
        found: list[Entry] = []

        def walk(directory: str, rel_dir: str) -> None:
            try:
                names = sorted(os.listdir(directory))
            except OSError as exc:
                raise ContextError(f"build.path: cannot read {directory}: {exc.strerror}. Fix its permissions.") from exc
            for name in names:
                full = os.path.join(directory, name)
                rel = f"{rel_dir}/{name}" if rel_dir else name
                try:
                    info = os.lstat(full)
                except OSError as exc:
                    raise ContextError(f"build.path: cannot read {full}: {exc.strerror}.") from exc
                excluded = self.ignore.excluded(rel)
                mode = stat.S_IMODE(info.st_mode)
                if stat.S_ISDIR(info.st_mode):
                    if excluded and not self.ignore.may_reinclude_below(rel):
                        continue
                    if not excluded:
                        found.append(Entry(rel, full, "dir", mode))
                    walk(full, rel)
                elif excluded:
                    continue
                elif stat.S_ISLNK(info.st_mode):
                    found.append(Entry(rel, full, "symlink", mode, os.readlink(full)))
                elif stat.S_ISREG(info.st_mode):
                    if not os.access(full, os.R_OK):
                        raise ContextError(
                            f"build.path: {full} is not readable; fix its permissions or list it in .dockerignore."
                        )
                    found.append(Entry(rel, full, "file", mode))
                # sockets, fifos and devices are skipped, like the CLI does for sockets

        walk(self.path, "")
        self._entries = sorted(found, key=lambda e: e.path)
        return self._entries

    def files(self) -> list[str]:
        """Relative paths of the regular files and symlinks sent."""
        return [e.path for e in self.entries() if e.kind != "dir"]

    def digest(self, options: dict[str, t.Any] | None = None) -> str:
        """sha256 over the sent entries (path, kind, mode, content) and the build options that shape the image."""
        digest = hashlib.sha256()
        digest.update(DIGEST_VERSION.encode() + b"\0")
        for entry in self.entries():
            digest.update(entry.path.encode("utf-8", "surrogateescape") + b"\0")
            digest.update(f"{entry.kind}\0{entry.mode:o}\0".encode())
            if entry.kind == "file":
                digest.update(_file_sha256(entry.full).encode())
            elif entry.kind == "symlink":
                digest.update(entry.link.encode("utf-8", "surrogateescape"))
            digest.update(b"\0")
        # The Dockerfile counts even when .dockerignore lists it or it lives outside the context.
        digest.update(b"dockerfile\0" + self.dockerfile_rel.encode() + b"\0")
        digest.update(hashlib.sha256(self.dockerfile_content).hexdigest().encode() + b"\0")
        digest.update(json.dumps(options or {}, sort_keys=True, default=str).encode())
        return "sha256:" + digest.hexdigest()

    def write_tar(self, fileobj: t.BinaryIO) -> None:
        """Write the context as the uncompressed tar POST /build takes (owner root, like the CLI)."""
        with tarfile.open(fileobj=fileobj, mode="w|", format=tarfile.PAX_FORMAT) as tar:
            for entry in self.entries():
                info = tarfile.TarInfo(entry.path)
                info.mode = entry.mode
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                try:
                    info.mtime = int(os.lstat(entry.full).st_mtime)
                except OSError:
                    info.mtime = 0
                if entry.kind == "dir":
                    info.type = tarfile.DIRTYPE
                    tar.addfile(info)
                elif entry.kind == "symlink":
                    info.type = tarfile.SYMTYPE
                    info.linkname = entry.link
                    tar.addfile(info)
                else:
                    info.size = os.path.getsize(entry.full)
                    with open(entry.full, "rb") as handle:
                        tar.addfile(info, handle)
            if self.dockerfile_outside:
                info = tarfile.TarInfo(self.dockerfile_rel)
                info.mode = 0o644
                info.size = len(self.dockerfile_content)
                tar.addfile(info, io.BytesIO(self.dockerfile_content))
