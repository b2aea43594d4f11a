# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Secrets and redaction: the one rule for keeping secret values out of results, diffs and logs.

The rule: every non-empty secret value is replaced by ``********`` wherever it appears in what a
module returns (inspect data, logs, output, error messages), and the values of secret environment
variables are replaced in ``Env`` by name.  A container or service that got ``secret_env`` carries
two labels: ``SECRET_ENV_KEYS_LABEL`` (the names, so any later reader knows what to hide) and
``SECRET_ENV_HASH_LABEL`` (a keyed fingerprint of the values, so a changed secret is seen without storing
it, and without letting a reader of the label test guesses offline).
"""

from __future__ import annotations

import copy
import os
import typing as t

REDACTED = "********"
SECRET_ENV_KEYS_LABEL = "devops.docker.secret-env-keys"
SECRET_ENV_HASH_LABEL = "devops.docker.secret-env-hash"
SECRET_LABELS = (SECRET_ENV_KEYS_LABEL, SECRET_ENV_HASH_LABEL)


def redact(value: t.Any, secrets: t.Iterable[str]) -> t.Any:
    """Replace every occurrence of a secret string inside value (nested); longest secrets first."""
    secrets = sorted({str(s) for s in secrets if s not in (None, "")}, key=len, reverse=True)
    if not secrets:
        return value
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, REDACTED)
        return value
    if isinstance(value, dict):
        return {k: redact(v, secrets) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact(v, secrets) for v in value]
    return value


def secret_hash(secrets: t.Mapping[str, str], stored: str | None = None, purpose: str = "secret-env") -> str:
    """What the secret-env-hash label holds: a keyed fingerprint (_fingerprint: HMAC-SHA256 with this
    host's key) of the sorted KEY=VALUE lines, never a plain hash anyone could test guesses against.

    ``stored`` is the label's current value: when it is the fingerprint of these same secrets (this
    host's key, or the plain sha256 of earlier releases) it is returned unchanged, so an unchanged
    secret never looks changed; the next recreate for a real reason writes the keyed format."""
    from ansible_collections.devops.docker.plugins.module_utils._fingerprint import fingerprint, matches  # pylint: disable=import-outside-toplevel

    text = "\n".join(f"{k}={secrets[k]}" for k in sorted(secrets))
    if stored and matches(stored, text, purpose):
        return stored
    return fingerprint(text, purpose)


def secret_labels(secrets: t.Mapping[str, str], current: t.Mapping[str, t.Any] | None = None) -> dict[str, str]:
    """The two bookkeeping labels of a set of secret env values ({} when there are none); ``current``
    (the container's labels) keeps a stored fingerprint that still matches."""
    if not secrets:
        return {}
    stored = (current or {}).get(SECRET_ENV_HASH_LABEL)
    return {SECRET_ENV_KEYS_LABEL: ",".join(sorted(secrets)),
            SECRET_ENV_HASH_LABEL: secret_hash(secrets, stored if isinstance(stored, str) else None)}


def check_reserved_labels(labels: t.Mapping[str, t.Any] | None, option: str = "labels") -> None:
    """The bookkeeping labels are ours: a task may not set them."""
    from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError  # pylint: disable=import-outside-toplevel

    for reserved in SECRET_LABELS:
        if reserved in (labels or {}):
            raise SpecError(f"{option}: {reserved} is reserved for secret_env bookkeeping; remove it from {option}.")


def secret_keys_of(labels: t.Mapping[str, t.Any] | None) -> list[str]:
    """The secret env names recorded in a labels mapping."""
    raw = (labels or {}).get(SECRET_ENV_KEYS_LABEL) or ""
    return [key.strip() for key in str(raw).split(",") if key.strip()]


def redact_env(env: t.Mapping[str, str], keys: t.Iterable[str]) -> dict[str, str]:
    """{KEY: VALUE} with the values of the named keys hidden."""
    hidden = set(keys)
    return {k: (REDACTED if k in hidden else v) for k, v in env.items()}


def redact_labels(labels: t.Mapping[str, str]) -> dict[str, str]:
    """Labels as shown: the secret hash hidden."""
    return {k: (REDACTED if k == SECRET_ENV_HASH_LABEL else v) for k, v in labels.items()}


def redact_document(
    doc: dict[str, t.Any] | None,
    config_path: t.Sequence[str],
    labels_path: t.Sequence[str],
    keys: t.Iterable[str] = (),
    values: t.Iterable[str] = (),
) -> dict[str, t.Any] | None:
    """An inspect document (container or service) by the rule above.

    ``config_path`` leads to the object holding ``Env``, ``labels_path`` to the labels; the secret
    names are those of the labels plus ``keys``, and the values redacted everywhere are the ones
    found in ``Env`` for those names plus ``values``.
    """
    if not doc:
        return doc
    data = copy.deepcopy(doc)
    values = list(values)

    def walk(path: t.Sequence[str]) -> dict[str, t.Any]:
        node: t.Any = data
        for part in path:
            node = (node or {}).get(part) if isinstance(node, dict) else None
        return node if isinstance(node, dict) else {}

    labels = walk(labels_path)
    names = set(secret_keys_of(labels)) | set(keys)
    if not names and not values and not labels.get(SECRET_ENV_HASH_LABEL):
        return doc
    if labels.get(SECRET_ENV_HASH_LABEL):
        labels[SECRET_ENV_HASH_LABEL] = REDACTED
    found = [str(v) for v in values if v not in (None, "")]
    config = walk(config_path)
    if config.get("Env"):
        env = []
        for item in config["Env"]:
            key, sep, val = item.partition("=")
            if sep and key in names:
                if val:
                    found.append(val)
                env.append(f"{key}={REDACTED}")
            else:
                env.append(item)
        config["Env"] = env
    return redact(data, found)


def redact_container(container: dict[str, t.Any] | None, keys: t.Iterable[str] = (),
                     values: t.Iterable[str] = ()) -> dict[str, t.Any] | None:
    """Container inspect data by the rule above."""
    return redact_document(container, ("Config",), ("Config", "Labels"), keys, values)


def container_secret_values(container: dict[str, t.Any] | None) -> list[str]:
    """The values of a container's secret env variables (those its labels name), to redact from its logs."""
    config = (container or {}).get("Config") or {}
    names = set(secret_keys_of(config.get("Labels")))
    values = set()
    for item in config.get("Env") or []:
        key, sep, value = item.partition("=")
        if sep and key in names and value:
            values.add(value)
    return sorted(values, key=len, reverse=True)


def source_content(cfg: t.Mapping[str, t.Any], source: str, where: str, variables: t.Mapping[str, t.Any],
                   base_dir: str | None = None, error: t.Any = None) -> bytes:
    """The content of a Compose secret or config from its one source: ``file`` (relative to ``base_dir``),
    ``environment`` (a variable of the project) or ``content``. A file that cannot be read or a variable that is
    not set raises ``error`` (a SpecError class, SpecError itself by default)."""
    if error is None:
        from ansible_collections.devops.docker.plugins.module_utils._values._errors import SpecError  # pylint: disable=import-outside-toplevel

        error = SpecError
    if source == "file":
        path = str(cfg["file"])
        if base_dir and not os.path.isabs(path):
            path = os.path.join(base_dir, path)
        try:
            with open(path, "rb") as handle:
                return handle.read()
        except OSError as exc:
            raise error(f"{where}.file: cannot read {path}: {exc.strerror or exc}; create it or fix the path.") from None
    if source == "environment":
        variable = str(cfg["environment"])
        if variable not in variables:
            raise error(
                f"{where}.environment: the variable {variable} is not set; set it in the module's env or env_files, "
                "the .env file or the environment."
            )
        return str(variables[variable]).encode("utf-8")
    return str(cfg["content"]).encode("utf-8")
