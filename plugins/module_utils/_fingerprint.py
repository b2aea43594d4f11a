# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Keyed fingerprints of secret values, stored where others can read them.

The collection has to notice that a secret changed (``secret_env`` of a
container or service, the data of a Swarm secret or config) without keeping
the secret.  A plain hash does not do: anyone who can read a label
(``docker inspect``, the inventory plugin's ``docker_labels``) tries
candidates offline and recovers a short token in under a second.  So what is
stored is an HMAC-SHA256 keyed by a per-host secret key:

    hmac-sha256:v1:<64 hex digits>

The key is 32 random bytes created on first use, mode 0600 in a directory of
mode 0700:

- ``/var/lib/devops.docker/fingerprint.key`` when running as root;
- ``$XDG_DATA_HOME/devops.docker/fingerprint.key`` otherwise (default
  ``~/.local/share/devops.docker/fingerprint.key``);
- ``DEVOPS_DOCKER_FINGERPRINT_KEY_FILE`` overrides the path.

``purpose`` is mixed into the MAC (a key derived per purpose), so the same
value fingerprinted for two uses ("container-secret-env", "swarm-secret")
gives unrelated strings.

Migration: labels written by earlier releases hold a plain sha256 (hex) of the
same data.  ``matches()`` still accepts it when it equals the data, so an
existing container whose secrets did not change is *not* recreated only
because the format changed; the next recreate that happens for a real reason
writes the new format.  ``is_legacy()`` tells a caller that wants to report
the old format.

Several hosts that must agree on a fingerprint (several Swarm managers) pass
the same explicit ``key``; a fingerprint made on one host with its own key
does not match on another, which reads as "changed" (safe, never a silent
miss).
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import os
import re
import stat
import time

from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError

PREFIX = "hmac-sha256:v1:"
KEY_SIZE = 32
MIN_KEY_SIZE = 16
KEY_FILE_ENV = "DEVOPS_DOCKER_FINGERPRINT_KEY_FILE"
ROOT_KEY_FILE = "/var/lib/devops.docker/fingerprint.key"

_NEW_RE = re.compile(r"^hmac-sha256:v1:[0-9a-f]{64}$")
_LEGACY_RE = re.compile(r"^(?:sha256:)?[0-9a-fA-F]{64}$")
_KEY_CACHE: dict[str, bytes] = {}


class FingerprintError(SpecError):
    """The key file cannot be created or read safely; the message says what to do."""


def key_path() -> str:
    """Where this process keeps (or would create) its fingerprint key."""
    override = os.environ.get(KEY_FILE_ENV)
    if override:
        return os.path.abspath(os.path.expanduser(override))
    if os.geteuid() == 0:
        return ROOT_KEY_FILE
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "devops.docker", "fingerprint.key")


def _ensure_dir(directory: str) -> None:
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
    except OSError as exc:
        raise FingerprintError(
            f"Cannot create the directory {directory} for the secret fingerprint key: {exc.strerror}. "
            f"Create it (mode 0700) or point {KEY_FILE_ENV} to a writable place."
        ) from exc


def _read_key(path: str) -> bytes | None:
    """The key in ``path``; None when it does not exist.  Refuses a file others can read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise FingerprintError(
                f"The secret fingerprint key {path} is a symbolic link; replace it with a regular file (mode 0600)."
            ) from exc
        raise FingerprintError(
            f"Cannot read the secret fingerprint key {path}: {exc.strerror}. "
            "Run as the user who owns it (or as root), or remove it to create a new one "
            "(secrets are then treated as changed once)."
        ) from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FingerprintError(f"The secret fingerprint key {path} is not a regular file; remove it.")
        if info.st_mode & 0o077:
            raise FingerprintError(
                f"The secret fingerprint key {path} is readable by other users (mode {stat.S_IMODE(info.st_mode):04o}); "
                f"run 'chmod 600 {path}', or remove it so a new key is created (secrets are then treated as changed once)."
            )
        chunks = []
        while True:
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            chunks.append(chunk)
            if sum(len(c) for c in chunks) > 4096:
                raise FingerprintError(f"The secret fingerprint key {path} is larger than 4096 bytes; it is not a key file.")
        return b"".join(chunks)
    finally:
        os.close(fd)


def _create_key(path: str) -> bytes:
    """Create the key race-free: write a private temporary file, then link it into place.

    ``os.link`` fails with EEXIST when another process won the race; the winner's
    key is then read and used, so every process ends with the same key.  The key
    file is complete before its name appears, so a reader never sees half a key.
    """
    directory = os.path.dirname(path) or "."
    _ensure_dir(directory)
    tmp = os.path.join(directory, f".fingerprint.key.{os.getpid()}.{os.urandom(6).hex()}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    key = os.urandom(KEY_SIZE)
    try:
        fd = os.open(tmp, flags, 0o600)
    except OSError as exc:
        raise FingerprintError(
            f"Cannot create the secret fingerprint key in {directory}: {exc.strerror}. "
            f"Make the directory writable or point {KEY_FILE_ENV} to a writable place."
        ) from exc
    try:
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, key)
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)
        except FileExistsError:
            other = _read_key(path)
            if other is None:  # removed in between: try once more through the caller
                raise
            return other
        return key
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def load_key(path: str | None = None) -> bytes:
    """This host's fingerprint key, created (0600 in a 0700 directory) on first use."""
    path = path or key_path()
    cached = _KEY_CACHE.get(path)
    if cached is not None:
        return cached
    key = None
    for _attempt in range(5):
        key = _read_key(path)
        if key is None:
            try:
                key = _create_key(path)
            except FileExistsError:
                continue
        if len(key) >= MIN_KEY_SIZE:
            break
        time.sleep(0.05)  # written by something that does not write atomically: let it finish
    if key is None or len(key) < MIN_KEY_SIZE:
        raise FingerprintError(
            f"The secret fingerprint key {path} holds fewer than {MIN_KEY_SIZE} bytes; remove it so a new key "
            "is created (secrets are then treated as changed once)."
        )
    _KEY_CACHE[path] = key
    return key


def _as_bytes(data: bytes | str) -> bytes:
    if isinstance(data, str):
        return data.encode("utf-8")
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    raise TypeError(f"fingerprint data must be bytes or str, not {type(data).__name__}")


def _check_purpose(purpose: str) -> bytes:
    if not isinstance(purpose, str) or not purpose or "\0" in purpose:
        raise ValueError("fingerprint purpose must be a non-empty string without NUL")
    return purpose.encode("utf-8")


def fingerprint(data: bytes | str, purpose: str, key: bytes | None = None) -> str:
    """``hmac-sha256:v1:<hex>`` of ``data`` for ``purpose`` under ``key`` (default: this host's key)."""
    purpose_bytes = _check_purpose(purpose)
    if key is None:
        key = load_key()
    elif not isinstance(key, (bytes, bytearray)) or len(key) < MIN_KEY_SIZE:
        raise FingerprintError(f"A fingerprint key must be at least {MIN_KEY_SIZE} bytes.")
    sub_key = hmac.new(bytes(key), b"devops.docker fingerprint v1\0" + purpose_bytes, hashlib.sha256).digest()
    return PREFIX + hmac.new(sub_key, _as_bytes(data), hashlib.sha256).hexdigest()


def is_legacy(stored: str | None) -> bool:
    """True for a fingerprint in an earlier release's format (plain sha256 hex, with or without ``sha256:``)."""
    return isinstance(stored, str) and bool(_LEGACY_RE.match(stored.strip()))


def is_current(stored: str | None) -> bool:
    """True for a fingerprint in this module's format."""
    return isinstance(stored, str) and bool(_NEW_RE.match(stored.strip()))


def matches(stored: str | None, data: bytes | str, purpose: str, key: bytes | None = None) -> bool:
    """Whether ``stored`` is the fingerprint of ``data`` (this host's key, or an earlier release's plain sha256)."""
    if not isinstance(stored, str) or not stored:
        return False
    stored = stored.strip()
    if is_legacy(stored):
        legacy = stored.split(":", 1)[-1].lower()
        return hmac.compare_digest(legacy, hashlib.sha256(_as_bytes(data)).hexdigest())
    if not is_current(stored):
        return False
    return hmac.compare_digest(stored, fingerprint(data, purpose, key))
