# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Stage 1 of loading a Compose project: find the files (and their overrides), read them with the bounded
YAML loader, and read the variables (``.env`` / ``env_files`` < process environment < the ``env`` option).
"""

from __future__ import annotations

import os
import re
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._compose._interpolate import Interpolator, NAME_RE
from ansible_collections.devops.docker.plugins.module_utils._compose._tags import register as register_tags
from ansible_collections.devops.docker.plugins.module_utils._compose._validate import ComposeError, scalar_str
from ansible_collections.devops.docker.plugins.module_utils._safe_yaml import BoundedSafeLoader
from ansible_collections.devops.docker.plugins.module_utils._safe_yaml import SafeYamlError
from ansible_collections.devops.docker.plugins.module_utils._safe_yaml import load as safe_load
from ansible_collections.devops.docker.plugins.module_utils._safe_yaml import read_file as read_yaml_text


DEFAULT_FILENAMES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
OVERRIDE_FILENAMES = {
    "compose.yaml": ("compose.override.yaml", "compose.override.yml"),
    "compose.yml": ("compose.override.yml", "compose.override.yaml"),
    "docker-compose.yml": ("docker-compose.override.yml", "docker-compose.override.yaml"),
    "docker-compose.yaml": ("docker-compose.override.yaml", "docker-compose.override.yml"),
}


def _closed(value: str, quote: str) -> bool:
    """Whether a value starting with quote has its closing quote (a double-quoted one skips escaped quotes)."""
    i = 1
    while i < len(value):
        if quote == '"' and value[i] == "\\":
            i += 2
            continue
        if value[i] == quote:
            return True
        i += 1
    return False


def parse_env_file(text: str, env: t.Mapping[str, str] | None = None, where: str = ".env") -> dict[str, str]:
    """Parse a .env / env_file: KEY=VALUE lines, '#' comments, optional 'export ',
    single quotes literal, double quotes with escapes and interpolation, unquoted
    values interpolated with inline ' #' comments stripped."""
    result: dict[str, str] = {}
    lookup: dict[str, str] = dict(env or {})
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        lineno, raw = index + 1, lines[index]
        index += 1
        # a quoted value may go on over the next lines (a certificate, a key), as the Compose CLI reads it
        quote = raw.partition("=")[2].lstrip()[:1]
        while quote in ("'", '"') and not _closed(raw.partition("=")[2].lstrip(), quote) and index < len(lines):
            raw += "\n" + lines[index]
            index += 1
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export "):].lstrip()
        key, sep, value = line.partition("=")
        key = key.strip()
        if not NAME_RE.fullmatch(key) and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", key):
            raise ComposeError(f"{where} line {lineno}: {raw!r} is not KEY=VALUE; variable names are letters, digits and '_'.")
        if not sep:
            # A bare name takes its value from the environment (or stays unset).
            if key in lookup:
                result[key] = lookup[key]
            continue
        value = value.strip()
        if value[:1] == "'":
            end = value.find("'", 1)
            if end < 0:
                raise ComposeError(f"{where} line {lineno}: unterminated single quote in {raw.splitlines()[0]!r}.")
            value = value[1:end]
        elif value[:1] == '"':
            chars, i = [], 1
            while i < len(value) and value[i] != '"':
                if value[i] == "\\" and i + 1 < len(value):
                    i += 1
                    chars.append({"n": "\n", "t": "\t", "r": "\r"}.get(value[i], value[i]))
                else:
                    chars.append(value[i])
                i += 1
            if i >= len(value):
                raise ComposeError(f"{where} line {lineno}: unterminated double quote in {raw.splitlines()[0]!r}.")
            value = Interpolator(lookup, f"{where} line {lineno}").expand("".join(chars))
        else:
            comment = re.search(r"\s#", value)
            if comment:
                value = value[:comment.start()].rstrip()
            value = Interpolator(lookup, f"{where} line {lineno}").expand(value)
        result[key] = value
        lookup[key] = value
    return result


class ComposeYamlLoader(BoundedSafeLoader):
    """The YAML loader of Compose and stack files: bounded (alias bombs, deep nesting, huge files and
    duplicate keys are refused, see _safe_yaml), with Compose's own ``!reset`` and ``!override`` tags, and the
    plain scalars read as the Compose CLI's YAML 1.2 parser reads them (``_yaml12_scalars``)."""


def _yaml12_scalars(loader: t.Any) -> None:
    """Plain scalars as YAML 1.2 (the Compose CLI's parser) reads them, not YAML 1.1: only true/false are booleans
    (``DEBUG: yes`` is the string 'yes'; a key the spec types as a boolean still takes yes/no/on/off, see
    ``cast_types``), and there are no base-60 numbers (``- 22:22`` is the port mapping '22:22', not 1342;
    ``TIME: 12:30:00`` stays a string)."""
    if not hasattr(loader, "yaml_implicit_resolvers"):  # pragma: no cover - PyYAML missing: nothing is loaded
        return
    bool_tag, int_tag = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int"
    loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in (bool_tag, int_tag)]
        for first, resolvers in loader.yaml_implicit_resolvers.items()
    }
    loader.add_implicit_resolver(bool_tag, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
    loader.add_implicit_resolver(
        int_tag,
        re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
        list("-+0123456789"),
    )
    for first in list(loader.yaml_implicit_resolvers):
        # the int resolver first: a plain integer also fits the float expression
        entries = loader.yaml_implicit_resolvers[first]
        entries.sort(key=lambda entry: entry[0] != int_tag)


_yaml12_scalars(ComposeYamlLoader)
register_tags(ComposeYamlLoader)


def read_file(path: str, what: str = "files") -> str:
    """The text of a Compose file; a file over the size limit is refused before it is read."""
    try:
        return read_yaml_text(path)
    except SafeYamlError as exc:
        raise ComposeError(f"{what}: {exc}") from None


DOCUMENT_START = re.compile(r"^---(?=[ \t]|$)", re.MULTILINE)


def load_yaml(text: str, where: str) -> dict[str, t.Any]:
    """One Compose file; a file of several YAML documents (``---``) is their merge in order, as the Compose CLI
    reads it (a line starting ``---`` always starts a document: YAML allows no such line inside a value)."""
    starts = [m.start() for m in DOCUMENT_START.finditer(text)]
    parts = [text[a:b] for a, b in zip([0] + starts, starts + [len(text)])]
    parts = [part for part in parts if part.strip() and _has_content(part)] or [text]
    if len(parts) == 1:
        return _load_document(parts[0], where)
    from ansible_collections.devops.docker.plugins.module_utils._compose._merge import merge_documents  # pylint: disable=import-outside-toplevel

    docs = [(f"{where} (document {i})", _load_document(part, f"{where} (document {i})")) for i, part in enumerate(parts, 1)]
    return merge_documents(docs, finish=False)


def _has_content(part: str) -> bool:
    """Whether a document holds more than its marker, comments and blank lines."""
    for line in part.splitlines():
        stripped = DOCUMENT_START.sub("", line, count=1).strip()
        if stripped and not stripped.startswith("#") and stripped != "...":
            return True
    return False


def _load_document(text: str, where: str) -> dict[str, t.Any]:
    try:
        data = safe_load(text, where, loader=ComposeYamlLoader)
    except SafeYamlError as exc:
        message = str(exc).replace('"<unicode string>"', os.path.basename(where))
        if re.search(r"^[ ]*\t", text, re.MULTILINE):
            message += "\n(A line is indented with a tab: YAML indents with spaces only.)"
        raise ComposeError(message) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ComposeError(f"{where}: the top level of a Compose file must be a mapping (services:, networks:, ...), not {type(data).__name__}.")
    return data


def find_files(project_src: str | None, files: list[str] | None) -> list[str]:
    """The Compose files to read, absolute, in merge order."""
    base = os.path.abspath(project_src) if project_src else os.getcwd()
    if files:
        result = []
        for item in files:
            path = os.path.normpath(os.path.join(base, os.path.expanduser(item)))
            if not os.path.isfile(path):
                raise ComposeError(f"files: {path} does not exist; check the path (relative paths are read from project_src).")
            result.append(path)
        return result
    if project_src and not os.path.isdir(base):
        raise ComposeError(f"project_src: {base} is not a directory; point it at the folder holding the Compose file.")
    for fname in DEFAULT_FILENAMES:
        path = os.path.join(base, fname)
        if os.path.isfile(path):
            result = [path]
            for override in OVERRIDE_FILENAMES[fname]:
                opath = os.path.join(base, override)
                if os.path.isfile(opath):
                    result.append(opath)
                    break
            return result
    raise ComposeError(
        f"project_src: no Compose file in {base}; expected one of {', '.join(DEFAULT_FILENAMES)} (or set files or definition)."
    )


def project_environment(
    project_dir: str, os_env: t.Mapping[str, str], extra: t.Mapping[str, t.Any] | None, env_files: list[str] | None = None
) -> dict[str, str]:
    """The variables for interpolation: .env (or env_files) < process environment < the env option."""
    result: dict[str, str] = {}
    if env_files is None:
        default = os.path.join(project_dir, ".env")
        env_files = [default] if os.path.isfile(default) else []
    for item in env_files:
        path = os.path.normpath(os.path.join(project_dir, os.path.expanduser(item)))
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except OSError as exc:
            raise ComposeError(f"env_files: cannot read {path}: {exc.strerror or exc}.") from exc
        result.update(parse_env_file(text, {**result, **os_env}, path))
    result.update(os_env)
    for key, value in (extra or {}).items():
        result[str(key)] = "" if value is None else scalar_str(value) or ""
    return result
