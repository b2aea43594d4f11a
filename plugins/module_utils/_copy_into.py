# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Copy one file into a container (``docker cp``), idempotent by content, for devops.docker.container_copy_into.

The Engine API's archive endpoints do the work, so a stopped container works as well as a running one:

* ``HEAD /containers/{id}/archive?path=P`` stats the destination (header ``X-Docker-Container-Path-Stat``);
* ``GET`` the same URL returns a tar of it, to compare content, mode and owner with what the task wants;
* ``PUT /containers/{id}/archive?path=DIR`` extracts a one-file tar (name, mode, uid, gid) into DIR.

Only the owner defaults need a running container: without ``owner_id``/``group_id`` the IDs of the
container's user are read with ``id -u && id -g`` (as community.docker does).
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import os
import posixpath
import shlex
import stat
import tarfile
import time
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._client import APIError, DockerError
from ansible_collections.devops.docker.plugins.module_utils._values._streams import demux_stream

MAX_DIFF_SIZE = 104448  # ansible-core's default MAX_FILE_SIZE_FOR_DIFF
MAX_LINKS = 40

# Go's io/fs.FileMode bits, as the daemon reports them in the path stat.
_GO_MODE_DIR = 1 << 31
_GO_MODE_SYMLINK = 1 << 27
_GO_NOT_REGULAR = (1 << 31) | (1 << 28) | (1 << 27) | (1 << 26) | (1 << 25) | (1 << 24) | (1 << 21) | (1 << 19)
_GO_SETUID = 1 << 23
_GO_SETGID = 1 << 22
_GO_STICKY = 1 << 20

COPY_INTO_ARGS: dict[str, t.Any] = {
    "container": {"type": "str", "required": True},
    "path": {"type": "path"},
    "content": {"type": "str", "no_log": True},
    "content_is_b64": {"type": "bool", "default": False},
    "container_path": {"type": "str", "required": True},
    "mode": {"type": "raw"},
    "mode_parse": {"type": "str", "default": "legacy", "choices": ["legacy", "modern", "octal_string_only"]},
    "owner_id": {"type": "int"},
    "group_id": {"type": "int"},
    "follow": {"type": "bool", "default": False},
    "local_follow": {"type": "bool", "default": True},
    "force": {"type": "bool"},
}


# ---------------------------------------------------------------- values
def parse_mode(value: t.Any, how: str = "legacy") -> int | None:
    """O(mode) as community.docker reads it: legacy (an int, '0644' read as decimal 644!), modern, octal_string_only."""
    if value is None:
        return None
    try:
        if how == "legacy":
            if isinstance(value, bool):
                raise TypeError("a boolean is not a mode")
            mode = int(value)
        elif how == "modern":
            if isinstance(value, int) and not isinstance(value, bool):
                mode = value
            elif isinstance(value, str):
                mode = int(value, 8)
            else:
                raise TypeError(f"must be an octal string or an integer, got {value!r}")
        else:
            if not isinstance(value, str):
                raise TypeError(f"must be an octal string, got {value!r}")
            mode = int(value, 8)
    except (TypeError, ValueError) as exc:
        raise DockerError(
            f"mode: cannot read {value!r} as a file mode ({exc}). Write it as an octal string like '0644' with "
            "mode_parse: modern (with the default mode_parse: legacy a string is read as a decimal number)."
        ) from exc
    if mode < 0 or mode > 0o7777:
        raise DockerError(f"mode: {value!r} is not a file mode (0 to 07777 octal).")
    return mode


def is_binary(data: bytes) -> bool:
    if b"\x00" in data:
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def container_file_mode(go_mode: int) -> int:
    """Permission bits (with setuid/setgid/sticky) of a Go FileMode."""
    mode = go_mode & 0o777
    if go_mode & _GO_SETUID:
        mode |= stat.S_ISUID
    if go_mode & _GO_SETGID:
        mode |= stat.S_ISGID
    if go_mode & _GO_STICKY:
        mode |= stat.S_ISVTX
    return mode


def describe(kind: str, size: int | None, mode: int | None, uid: int | None, gid: int | None) -> str:
    parts = [kind]
    if size is not None:
        parts.append(f"{size} bytes")
    if mode is not None:
        parts.append(f"mode {mode:04o}")
    if uid is not None:
        parts.append(f"owner {uid}:{gid}")
    return ", ".join(parts)


def one_file_tar(name: str, data: bytes | None, link: str | None, mode: int, uid: int, gid: int) -> bytes:
    """A tar holding one regular file (or one symbolic link) named ``name``."""
    buf = io.BytesIO()
    info = tarfile.TarInfo(name)
    info.mode = mode
    info.uid = uid
    info.gid = gid
    info.mtime = int(time.time())
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        if link is not None:
            info.type = tarfile.SYMTYPE
            info.linkname = link
            tar.addfile(info)
        else:
            info.size = len(data or b"")
            tar.addfile(info, io.BytesIO(data or b""))
    return buf.getvalue()


class Source(t.NamedTuple):
    data: bytes | None  # None for a symbolic link
    link: str | None
    mode: int
    label: str  # what the diff and the actions call it
    hidden: bool  # content is no_log: never show it


class Existing(t.NamedTuple):
    kind: str  # "absent", "file", "symlink", "directory", "other"
    data: bytes | None
    link: str | None
    mode: int | None
    uid: int | None
    gid: int | None
    size: int | None


# ---------------------------------------------------------------- the copy
class CopyInto:
    def __init__(self, module: t.Any) -> None:
        self.module = module
        self.params = module.params
        self.api = module.api
        self.check_mode = module.check_mode
        self._archive: tarfile.TarFile | None = None

    # -- the container side ------------------------------------------------
    def _stat(self, container_id: str, path: str) -> dict[str, t.Any] | None:
        resp = self.api.request("HEAD", self.api.url("/containers/{0}/archive", container_id), {"path": path}, expect=(404,))
        resp.read()
        if resp.status == 404:
            return None
        header = resp.headers.get("X-Docker-Container-Path-Stat")
        if not header:
            return None
        try:
            return json.loads(base64.b64decode(header))
        except (ValueError, binascii.Error):
            return None

    def _fetch(self, container_id: str, path: str) -> tarfile.TarInfo | None:
        resp = self.api.request("GET", self.api.url("/containers/{0}/archive", container_id), {"path": path}, expect=(404,))
        raw = resp.read()
        if resp.status == 404:
            return None
        self._archive = tarfile.open(fileobj=io.BytesIO(raw), mode="r:")  # pylint: disable=consider-using-with
        for member in self._archive.getmembers():
            if member.name.rstrip("/").split("/")[-1] == posixpath.basename(path) or len(self._archive.getmembers()) == 1:
                return member
        return None

    def existing(self, container_id: str, path: str) -> tuple[str, Existing]:
        """(the path after following links if asked, what is there)."""
        current = path
        info = self._stat(container_id, current)
        hops = 0
        while self.params["follow"] and info is not None and info.get("linkTarget") and hops < MAX_LINKS:
            target = info["linkTarget"]
            current = target if target.startswith("/") else posixpath.normpath(posixpath.join(posixpath.dirname(current), target))
            info = self._stat(container_id, current)
            hops += 1
        if info is None:
            return current, Existing("absent", None, None, None, None, None, None)
        go_mode = int(info.get("mode") or 0)
        if go_mode & _GO_MODE_DIR:
            return current, Existing("directory", None, None, container_file_mode(go_mode), None, None, None)
        if go_mode & _GO_NOT_REGULAR and not go_mode & _GO_MODE_SYMLINK:
            return current, Existing("other", None, None, container_file_mode(go_mode), None, None, None)
        member = self._fetch(container_id, current)
        if member is None:
            return current, Existing("absent", None, None, None, None, None, None)
        if member.issym():
            return current, Existing("symlink", None, member.linkname, member.mode & 0o7777, member.uid, member.gid, None)
        if not member.isfile():
            return current, Existing("other", None, None, member.mode & 0o7777, member.uid, member.gid, None)
        handle = self._archive.extractfile(member) if self._archive is not None else None
        data = handle.read() if handle else b""
        return current, Existing("file", data, None, member.mode & 0o7777, member.uid, member.gid, member.size)

    def user_ids(self, container: dict[str, t.Any]) -> tuple[int, int]:
        """The uid and gid of the container's user, from `id -u && id -g` run in it."""
        name = container["Name"].lstrip("/")
        if not (container.get("State") or {}).get("Running") or (container.get("State") or {}).get("Paused"):
            raise DockerError(
                f"container: {name} is not running, so the owner of the file cannot be asked from it. Give "
                "owner_id and group_id (for example 0 and 0 for root)."
            )
        exec_info = self.api.post(
            self.api.url("/containers/{0}/exec", container["Id"]),
            body={"Cmd": ["/bin/sh", "-c", "id -u && id -g"], "AttachStdout": True, "AttachStderr": True},
        )
        resp = self.api.request("POST", self.api.url("/exec/{0}/start", exec_info["Id"]), body={"Detach": False, "Tty": False})
        out, err = demux_stream(resp.read())
        result = self.api.get(self.api.url("/exec/{0}/json", exec_info["Id"]))
        lines = out.decode("utf-8", errors="replace").split()
        if (result or {}).get("ExitCode") != 0 or len(lines) != 2 or not all(x.isdigit() for x in lines):
            raise DockerError(
                f"container: could not read the user and group IDs in {name} with `id -u && id -g` (it needs /bin/sh "
                f"and id in the container): {err.decode('utf-8', errors='replace').strip() or out.decode('utf-8', errors='replace').strip()}. "
                "Give owner_id and group_id."
            )
        return int(lines[0]), int(lines[1])

    # -- the managed host side --------------------------------------------
    def source(self) -> Source:
        params = self.params
        mode = parse_mode(params.get("mode"), params["mode_parse"])
        if params.get("content") is not None:
            content = params["content"]
            if params["content_is_b64"]:
                try:
                    data = base64.b64decode(content, validate=False)
                except (ValueError, binascii.Error) as exc:
                    raise DockerError(f"content: cannot decode it as Base64 ({exc}); check content_is_b64.") from exc
            else:
                data = content.encode("utf-8")
            if mode is None:
                raise DockerError("mode: required with content (the file has no mode to copy); set it, like '0644' "
                                  "with mode_parse: modern.")
            return Source(data, None, mode, "(content)", True)
        path = params.get("path")
        if not path:
            raise DockerError("path or content: give one of them (the file to copy, or its content).")
        try:
            st = os.stat(path) if params["local_follow"] else os.lstat(path)
        except FileNotFoundError as exc:
            raise DockerError(f"path: {path} does not exist on the managed host. Give the path of the file to copy.") from exc
        except OSError as exc:
            raise DockerError(f"path: cannot read {path}: {exc}.") from exc
        if mode is None:
            mode = stat.S_IMODE(st.st_mode)
        if stat.S_ISLNK(st.st_mode):
            return Source(None, os.readlink(path), mode, path, False)
        if not stat.S_ISREG(st.st_mode):
            raise DockerError(f"path: {path} is not a regular file or a symbolic link; container_copy_into copies one file.")
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise DockerError(f"path: cannot read {path}: {exc}.") from exc
        return Source(data, None, mode, path, False)

    # -- the run -------------------------------------------------------------
    def run(self) -> dict[str, t.Any]:
        params = self.params
        name = params["container"]
        container_path = params["container_path"]
        if not container_path.startswith("/"):
            container_path = "/" + container_path
        container_path = posixpath.normpath(container_path)
        if container_path == "/":
            raise DockerError("container_path: give the path of a file, like /etc/app.conf, not /.")
        source = self.source()
        container = self.api.inspect_container(name)
        if container is None:
            raise DockerError(
                f"container: {name} does not exist. Create it first (devops.docker.container), or check the name."
            )
        uid, gid = params.get("owner_id"), params.get("group_id")
        if uid is None or gid is None:
            uid, gid = self.user_ids(container)
        force = params.get("force")
        if force and not params["follow"]:
            path, current = container_path, self._maybe_existing(container["Id"], container_path)
        else:
            path, current = self.existing(container["Id"], container_path)
        if current.kind == "directory":
            raise DockerError(
                f"container_path: {path} is a directory in {name}; give the path of the file to write, like "
                f"{posixpath.join(path, os.path.basename(source.label) if not source.hidden else 'file')}."
            )
        if current.kind == "absent":
            folder = posixpath.dirname(path) or "/"
            parent = self._stat(container["Id"], folder)
            if parent is None or not int(parent.get("mode") or 0) & _GO_MODE_DIR:
                raise DockerError(
                    f"container_path: the folder {folder} does not exist in {name}. Create it first (in the image, or "
                    "with devops.docker.container_exec running mkdir -p), or give another container_path."
                )
        wanted = Existing(
            "symlink" if source.link is not None else "file", source.data, source.link, source.mode, uid, gid,
            None if source.data is None else len(source.data),
        )
        if force is False:
            changed = current.kind == "absent"
        elif force:
            changed = True
        else:
            changed = not _same(current, wanted)
        actions: list[str] = []
        if changed:
            actions.append(_cli(source, name, path, uid, gid))
            if not self.check_mode:
                self._write(container["Id"], name, path, source, uid, gid)
        result: dict[str, t.Any] = {"changed": changed, "container_path": path, "actions": actions}
        if self.module.diff_mode:
            result["diff"] = _diff(path, current, wanted if changed else current, source)
        return result

    def _maybe_existing(self, container_id: str, path: str) -> Existing:
        """With force: true only the diff needs the old file; stat it without following links."""
        if not self.module.diff_mode:
            return Existing("absent", None, None, None, None, None, None)
        return self.existing(container_id, path)[1]

    def _write(self, container_id: str, name: str, path: str, source: Source, uid: int, gid: int) -> None:
        folder, base = posixpath.split(path)
        body = one_file_tar(base, source.data, source.link, source.mode, uid, gid)
        try:
            self.api.request(
                "PUT", self.api.url("/containers/{0}/archive", container_id), {"path": folder or "/"}, body,
                headers={"Content-Type": "application/x-tar"},
            ).read()
        except APIError as exc:
            hint = (
                f"Create the folder {folder} in the container first (its image, or devops.docker.container_exec "
                "with mkdir -p)." if exc.status == 404 else "Check the path and that the container's file system is writable."
            )
            raise DockerError(f"container_path: writing {path} into {name} failed: {exc.explanation}. {hint}") from exc


def _same(current: Existing, wanted: Existing) -> bool:
    if current.kind != wanted.kind:
        return False
    if (current.mode, current.uid, current.gid) != (wanted.mode, wanted.uid, wanted.gid):
        return False
    if wanted.kind == "symlink":
        return current.link == wanted.link
    return current.data == wanted.data


def _cli(source: Source, container: str, path: str, uid: int, gid: int) -> str:
    """The docker CLI equivalent: a one-file tar with the owner and mode, piped into `docker cp -`."""
    folder, base = posixpath.split(path)
    owner = f"--owner={uid} --group={gid} --mode={source.mode:04o}"
    dest = shlex.quote(f"{container}:{folder or '/'}")
    if source.hidden:
        return f"tar -c {owner} -f - {shlex.quote(base)} | docker cp - {dest}"
    local_dir, local_base = os.path.split(source.label)
    rename = f" --transform {shlex.quote(f's,^{local_base}$,{base},')}" if local_base != base else ""
    return f"tar -c -C {shlex.quote(local_dir or '.')}{rename} {owner} -f - {shlex.quote(local_base)} | docker cp - {dest}"


def _text_side(entry: Existing, source: Source, side: str, diff: dict[str, t.Any]) -> str | None:
    if entry.kind == "absent":
        return ""
    if entry.kind == "symlink":
        return entry.link or ""
    if entry.kind != "file":
        return f"({entry.kind})"
    data = entry.data or b""
    if source.hidden:
        return f"(content not shown: the content option is no_log; {len(data)} bytes)\n"
    if len(data) > MAX_DIFF_SIZE:
        diff[f"{side}_larger"] = MAX_DIFF_SIZE
        return None
    if is_binary(data):
        diff[f"{side}_binary"] = 1
        return None
    return data.decode("utf-8")


def _diff(path: str, before: Existing, after: Existing, source: Source) -> dict[str, t.Any]:
    """Ansible's file diff: before/after text with headers (the callback prints a unified diff)."""
    diff: dict[str, t.Any] = {
        "before_header": f"{path} ({describe(before.kind, before.size, before.mode, before.uid, before.gid)})",
        "after_header": f"{path} ({describe(after.kind, after.size, after.mode, after.uid, after.gid)})",
    }
    before_text = _text_side(before, source, "dst", diff)
    after_text = _text_side(after, source, "src", diff)
    if source.hidden and after.kind == "file" and before.data != after.data and after_text is not None:
        after_text = after_text.replace(")", ", new content)", 1)
    if before_text is not None:
        diff["before"] = before_text
    if after_text is not None:
        diff["after"] = after_text
    return diff
