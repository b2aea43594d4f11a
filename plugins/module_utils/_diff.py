# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The difference engine every module reports through.

A ``Tracker`` records each difference between what the daemon has and what
the task asks for, and each action taken (or, in check mode, that would be
taken) as the equivalent ``docker`` CLI command.  From that it derives
``changed``, a stable ``diff`` (before/after, keys sorted) and ``actions``.

    tracker = Tracker()
    tracker.compare("labels", current_labels, wanted_labels)
    if tracker.differences:
        tracker.action("docker", "volume", "create", name)
        if not module.check_mode:
            api.post(...)
    module.exit(**tracker.result(volume=...))
"""

from __future__ import annotations

import shlex
import typing as t

# Redaction is the value layer's one rule; these names stay importable from here.
from ansible_collections.devops.docker.plugins.module_utils._values._secrets import REDACTED, redact  # noqa: F401  pylint: disable=unused-import


def _stable(value: t.Any) -> t.Any:
    """Sort dict keys recursively so the diff reads the same on every run."""
    if isinstance(value, dict):
        return {str(k): _stable(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, (list, tuple)):
        return [_stable(v) for v in value]
    return value


class Tracker:
    def __init__(self) -> None:
        self.differences: list[tuple[str, t.Any, t.Any]] = []
        self.actions: list[str] = []
        self._changed = False
        self._before: dict[str, t.Any] = {}
        self._after: dict[str, t.Any] = {}

    # -- differences -----------------------------------------------------
    def add(self, key: str, before: t.Any, after: t.Any) -> None:
        """Record that ``key`` goes from ``before`` to ``after``."""
        self.differences.append((key, before, after))
        self._before[key] = before
        self._after[key] = after

    def compare(self, key: str, before: t.Any, after: t.Any) -> bool:
        """Record a difference when the values differ; return whether they did."""
        if before != after:
            self.add(key, before, after)
            return True
        return False

    def state(self, before: t.Any, after: t.Any) -> None:
        """Shortcut for the object's own presence or state (absent/present/running...)."""
        self.compare("state", before, after)

    def different(self, key: str | None = None) -> bool:
        if key is None:
            return bool(self.differences)
        return any(k == key for k, _b, _a in self.differences)

    # -- actions ---------------------------------------------------------
    def action(self, *argv: t.Any) -> str:
        """Record a CLI-equivalent command (argv) and mark the run as changed."""
        command = " ".join(shlex.quote(str(a)) for a in argv if a is not None and a != "")
        self.actions.append(command)
        self._changed = True
        return command

    def mark_changed(self) -> None:
        self._changed = True

    # -- results ---------------------------------------------------------
    @property
    def changed(self) -> bool:
        return self._changed or bool(self.differences)

    @property
    def diff(self) -> dict[str, t.Any]:
        return {"before": _stable(self._before), "after": _stable(self._after)}

    def result(self, **extra: t.Any) -> dict[str, t.Any]:
        """The keys every module returns: changed, actions, diff, plus extra."""
        res: dict[str, t.Any] = {"changed": self.changed, "actions": list(self.actions), "diff": self.diff}
        res.update(extra)
        return res
