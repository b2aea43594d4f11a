# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The ``main()`` of a module, written once: the module from its argument spec (plus AnsibleModule's
``mutually_exclusive``, ``required_one_of``, ...), what it runs, and its result or its failure.

- ``run_module(spec, run)``: ``run(module)``'s result; any error fails the task (``DockerModule.errors``).
  ``managed(Manager)`` is the ``run`` of a manager that takes plain inputs (api, params, check mode, warn).
- ``run_read_only(spec, read, actions)``: the read-only modules (``DockerModule.report``), never changed.
- ``run_manager(spec, Manager)``: the modules whose bad options fail with "Nothing was changed."
  (``DockerModule.manage``).

A module file keeps its documentation and a ``main()`` of one call.
"""

from __future__ import annotations

import typing as t

from ansible_collections.devops.docker.plugins.module_utils._client import DockerModule

Result = t.Dict[str, t.Any]


def managed(manager: t.Callable[..., t.Any]) -> t.Callable[[DockerModule], Result]:
    """``run`` for run_module: the manager built from the module's plain inputs, run."""
    return lambda module: manager(module.api, module.params, module.check_mode, warn=module.warn).run()


def run_module(argument_spec: dict[str, t.Any], run: t.Callable[[DockerModule], Result], *,
               on_error: t.Callable[[dict[str, t.Any]], Result] | None = None, **module_kwargs: t.Any) -> None:
    """Exit with ``run(module)``; an error fails the task, with ``on_error(params)`` added to the result."""
    module = DockerModule(argument_spec=argument_spec, supports_check_mode=True, **module_kwargs)
    with module.errors(**(on_error(module.params) if on_error else {})):
        result = run(module)
    module.exit(**result)


def run_read_only(
    argument_spec: dict[str, t.Any],
    read: t.Callable[[DockerModule], Result],
    actions: t.Callable[[dict[str, t.Any], Result], list[str]] | None = None,
    *,
    needs_sdk: bool = True,
    **module_kwargs: t.Any,
) -> None:
    """A read-only module: ``read(module)``, plus ``actions(params, result)``; never changed."""
    module = DockerModule(argument_spec=argument_spec, supports_check_mode=True, needs_sdk=needs_sdk, **module_kwargs)
    module.report(lambda: read(module), actions)


def run_manager(argument_spec: dict[str, t.Any], manager: t.Callable[..., t.Any], *, keep_diff: bool = True,
                **module_kwargs: t.Any) -> None:
    """A module run by ``manager(api, params, check_mode, warn=...)``; see DockerModule.manage for keep_diff."""
    module = DockerModule(argument_spec=argument_spec, supports_check_mode=True, **module_kwargs)
    module.manage(manager, keep_diff=keep_diff)
