# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""``extends``: a service takes the configuration of another service, of the same file or of another
file, and merges its own over it with the merge rules (``_merge``). Chains are followed (a base that
extends another base), paths in another file were resolved against that file's folder when it was read
(``_paths``), and a cycle is an error that names the whole chain.
"""

from __future__ import annotations

import typing as t

from ansible_collections.devops.docker.plugins.module_utils._compose._merge import merge_service
from ansible_collections.devops.docker.plugins.module_utils._compose._tags import Override, strip
from ansible_collections.devops.docker.plugins.module_utils._compose._validate import ComposeError

MAX_DEPTH = 64


def _target(svc: dict[str, t.Any], name: str, file: str) -> tuple[str, str]:
    ext = svc.get("extends")
    if isinstance(ext, Override):
        ext = ext.value
    if isinstance(ext, str):
        return file, ext
    if not isinstance(ext, dict) or not isinstance(ext.get("service"), str):
        raise ComposeError(
            f"{file}: services.{name}.extends: expected a service name or a mapping with service (and file), got {ext!r}."
        )
    unknown = sorted(set(ext) - {"service", "file"})
    if unknown:
        raise ComposeError(f"{file}: services.{name}.extends: unknown key(s) {', '.join(unknown)}; use service and file.")
    return str(ext.get("file") or file), ext["service"]


class Extender:
    """Resolve the extends of every service of a document. ``load(path)`` returns the services of another
    file, read, interpolated and with its paths resolved (cached by the caller)."""

    def __init__(self, load: t.Callable[[str], dict[str, t.Any]]) -> None:
        self.load = load
        self.done: dict[tuple[str, str], dict[str, t.Any]] = {}

    def apply(self, services: dict[str, t.Any], file: str) -> dict[str, t.Any]:
        out = {}
        for name in services:
            out[name] = self.resolve(services, file, str(name), ())
        return out

    def resolve(self, services: dict[str, t.Any], file: str, name: str, chain: tuple[tuple[str, str], ...]) -> t.Any:
        key = (file, name)
        if key in self.done:
            return self.done[key]
        svc = services.get(name)
        if isinstance(svc, Override):
            svc = svc.value
        if not isinstance(svc, dict) or "extends" not in svc:
            return services.get(name)
        if key in chain or len(chain) > MAX_DEPTH:
            path = " -> ".join(f"{n} ({f})" for f, n in chain + (key,))
            raise ComposeError(f"services.{name}.extends: circular reference {path}; one of these services must not extend the next.")
        target_file, target = _target(svc, name, file)
        base_services = services if target_file == file else self.load(target_file)
        if target not in base_services:
            where = "this file" if target_file == file else target_file
            raise ComposeError(
                f"services.{name}.extends: service {target!r} is not defined in {where}; "
                f"defined there: {', '.join(sorted(map(str, base_services))) or 'none'}."
            )
        base = self.resolve(base_services, target_file, target, chain + (key,))
        base = strip(base) if isinstance(base, dict) else {}
        own = {k: v for k, v in svc.items() if k != "extends"}
        merged = merge_service(dict(base), own, f"services.{name}")
        self.done[key] = merged
        return merged
