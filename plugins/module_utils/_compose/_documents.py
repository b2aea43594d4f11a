# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The documents of a project, read and combined: each file read (bounded YAML), interpolated, its
relative paths resolved (``_paths``), its ``include``s loaded as models of their own (with their own
project directory and env files) and its ``extends`` resolved (``_extends``); then the files merged in
order (``_merge``) and the included models added, a name defined twice being an error.
"""

from __future__ import annotations

import os
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._compose._extends import Extender
from ansible_collections.devops.docker.plugins.module_utils._compose._interpolate import interpolate_model
from ansible_collections.devops.docker.plugins.module_utils._compose._merge import SECTIONS, merge_documents
from ansible_collections.devops.docker.plugins.module_utils._compose._paths import absolute, is_remote, resolve_document
from ansible_collections.devops.docker.plugins.module_utils._compose._read import load_yaml, project_environment, read_file
from ansible_collections.devops.docker.plugins.module_utils._compose._tags import Override, strip
from ansible_collections.devops.docker.plugins.module_utils._compose._validate import ComposeError
from ansible_collections.devops.docker.plugins.module_utils._limits import relative_bind_warning

MAX_INCLUDE_DEPTH = 16


class Documents:
    """Reads the files of one project (``os_env`` and ``extra``: the process environment and the module's env
    option, which included models see too)."""

    def __init__(self, os_env: t.Mapping[str, str], extra: t.Mapping[str, t.Any] | None) -> None:
        self.os_env = os_env
        self.extra = extra
        self.warnings: list[str] = []
        self.project_name: str | None = None  # COMPOSE_PROJECT_NAME for the included models too
        self._files: dict[tuple[str, int], dict[str, t.Any]] = {}

    # ------------------------------------------------------------------ one file
    def read(self, path: str, base: str, variables: t.Mapping[str, str]) -> dict[str, t.Any]:
        """One file, interpolated, with paths resolved against base (cached per file and variables)."""
        key = (path + "\0" + base, id(variables))
        if key not in self._files:
            raw = load_yaml(read_file(path), path)
            self.note_version(raw, path)
            doc = interpolate_model(raw, variables, os.path.basename(path))
            self._files[key] = resolve_document(base, doc)
        return self._files[key]

    def _other_file_services(self, variables: t.Mapping[str, str]) -> t.Callable[[str], dict[str, t.Any]]:
        def load(path: str) -> dict[str, t.Any]:
            if not os.path.isfile(path):
                raise ComposeError(f"extends: file {path} does not exist; fix extends.file (relative to the file that names it).")
            services = self.read(path, os.path.dirname(path), variables).get("services") or {}
            if not isinstance(services, dict):
                raise ComposeError(f"{path}: services must be a mapping.")
            return services
        return load

    # ------------------------------------------------------------------ a model (main files or an include)
    def model(
        self,
        docs: list[tuple[str, dict[str, t.Any]]],
        project_dir: str,
        variables: t.Mapping[str, str],
        chain: tuple[str, ...] = (),
    ) -> dict[str, t.Any]:
        """Already read documents (path, doc) -> one merged model, includes and extends applied."""
        extender = Extender(self._other_file_services(variables))
        finished: list[tuple[str, dict[str, t.Any]]] = []
        included: list[tuple[str, dict[str, t.Any]]] = []
        for path, doc in docs:
            doc = dict(doc)
            include = doc.pop("include", None)
            if include is not None:
                included.extend(self._includes(include, os.path.dirname(path) if os.path.isabs(path) else project_dir, path, chain))
            services = doc.get("services")
            if isinstance(services, Override):
                services = services.value
            if isinstance(services, dict):
                doc["services"] = extender.apply(services, path)
            finished.append((path, doc))
        merged = merge_documents(finished)
        for where, model in included:
            for section in ("services",) + SECTIONS:
                for name, obj in (model.get(section) or {}).items():
                    target = merged.get(section)
                    if not isinstance(target, dict):
                        target = merged[section] = {}
                    if name in target and target[name] != obj:
                        raise ComposeError(
                            f"include: {section}.{name} from {where} is also defined by the including project; "
                            "rename one of them (an included project's resources may not be redefined; use an "
                            "override file to adjust them)."
                        )
                    target[name] = obj
        return strip(merged)

    def main_documents(self, paths: list[str], project_dir: str, variables: t.Mapping[str, str]) -> list[tuple[str, dict[str, t.Any]]]:
        docs = []
        for path in paths:
            raw = load_yaml(read_file(path), path)
            self.note_version(raw, path)
            self.bind_warnings(raw, project_dir)
            doc = interpolate_model(raw, variables, os.path.basename(path))
            docs.append((path, resolve_document(project_dir, doc)))
        return docs

    def note_version(self, raw: dict[str, t.Any], where: str) -> None:
        """The top-level version is obsolete: the Compose CLI ignores it with a note, and so does this loader."""
        if "version" in raw:
            note = (f"{os.path.basename(where)}: the top-level version ({raw['version']!r}) is obsolete and ignored; "
                    "the Compose Specification reads every file the same way. Remove it to silence this note.")
            if note not in self.warnings:
                self.warnings.append(note)

    def bind_warnings(self, raw: dict[str, t.Any], project_dir: str) -> None:
        services = raw.get("services")
        if not isinstance(services, dict):
            return
        for sname, svc in services.items():
            entries = svc.get("volumes") if isinstance(svc, dict) else None
            for index, entry in enumerate(entries if isinstance(entries, list) else []):
                source = entry.get("source") if isinstance(entry, dict) else str(entry).split(":", 1)[0]
                warning = relative_bind_warning(str(source or ""), project_dir, f"services.{sname}.volumes[{index}]")
                if warning:
                    self.warnings.append(warning)

    # ------------------------------------------------------------------ include
    def _includes(self, value: t.Any, base: str, where: str, chain: tuple[str, ...]) -> list[tuple[str, dict[str, t.Any]]]:
        if isinstance(value, Override):
            value = value.value
        if not isinstance(value, list):
            raise ComposeError(f"{where}: include must be a list of paths or of mappings with path, project_directory, env_file.")
        out = []
        for index, item in enumerate(value):
            at = f"{where}: include[{index}]"
            item = _include_entry(item, at)
            names = _file_names(item.get("path"), at + ".path")
            for name in names:
                if is_remote(name) or name.startswith("oci:"):
                    raise ComposeError(
                        f"{at}: {name} is a remote Compose file (git or OCI), which this module does not fetch; "
                        "clone or download it, then include the local path."
                    )
            paths = [absolute(base, p) for p in names]
            if not paths:
                raise ComposeError(f"{at}: path must be a file name or a list of file names.")
            for path in paths:
                if not os.path.isfile(path):
                    raise ComposeError(f"{at}: {path} does not exist; paths are relative to {base}.")
                if path in chain or len(chain) >= MAX_INCLUDE_DEPTH:
                    raise ComposeError(f"{at}: include cycle {' -> '.join(chain + (path,))}; remove one of these includes.")
            project_dir = absolute(base, item["project_directory"]) if item.get("project_directory") else os.path.dirname(paths[0])
            env_files = None
            if item.get("env_file") is not None:
                env_files = [absolute(base, p) for p in _file_names(item["env_file"], at + ".env_file")]
            variables = project_environment(project_dir, self.os_env, self.extra, env_files)
            if self.project_name:
                variables = {**variables, "COMPOSE_PROJECT_NAME": self.project_name}
            docs = [(p, self.read(p, project_dir, variables)) for p in paths]
            out.append((paths[0], self.model(docs, project_dir, variables, chain + tuple(paths[:1]))))
        return out


INCLUDE_KEYS = ("path", "project_directory", "env_file")


def _include_entry(item: t.Any, at: str) -> dict[str, t.Any]:
    """One include entry: a path, or a mapping of INCLUDE_KEYS."""
    item = {"path": item} if isinstance(item, str) else item
    unknown = sorted(str(k) for k in set(item) - set(INCLUDE_KEYS)) if isinstance(item, dict) else ["(not a mapping)"]
    if unknown:
        raise ComposeError(f"{at}: expected a path or a mapping with {', '.join(INCLUDE_KEYS)}; not {', '.join(unknown)}.")
    return item


def _file_names(value: t.Any, at: str) -> list[str]:
    """include path / env_file: a file name or a list of file names."""
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(p, str) for p in names):
        raise ComposeError(f"{at}: expected a file name or a list of file names, got {value!r}.")
    return names
