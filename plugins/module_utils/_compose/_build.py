# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Build and pull helpers of a Compose service: ``build.dockerfile_inline`` (the text is written to a
temporary Dockerfile outside the context, which the build sends under a private name, as the CLI does:
the image's rebuild digest follows the text, not the file) and ``pull_policy: daily | weekly |
every_<duration>`` (the time of the last pull of each image is kept in ``compose-pulls.json`` under the
state folder, see ``_files``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
import typing as t

from ansible_collections.devops.docker.plugins.module_utils._compose._files import state_root

PULLS_FILE = "compose-pulls.json"


@contextlib.contextmanager
def inline_dockerfile(build: dict[str, t.Any]) -> t.Iterator[dict[str, t.Any]]:
    if build.get("dockerfile_inline") is None:
        yield build
        return
    # the same text, the same path: the build's rebuild digest covers the options, the path among them
    text = build["dockerfile_inline"]
    folder = os.path.join(tempfile.gettempdir(), "devops-docker-inline-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:24])
    os.makedirs(folder, mode=0o700, exist_ok=True)
    path = os.path.join(folder, "Dockerfile")
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        yield {**build, "dockerfile": path}
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
            os.rmdir(folder)


def _pulls_path() -> str:
    return os.path.join(state_root(), PULLS_FILE)


def _pull_times() -> dict[str, float]:
    try:
        with open(_pulls_path(), encoding="utf-8") as handle:
            data = json.load(handle)
        return {str(k): float(v) for k, v in data.items()} if isinstance(data, dict) else {}
    except (OSError, ValueError, TypeError):
        return {}


def pull_due(ref: str, every: float, now: float | None = None) -> bool:
    """Whether the image was last pulled more than ``every`` seconds ago (or never, as far as we know)."""
    last = _pull_times().get(ref)
    return last is None or (time.time() if now is None else now) - last >= every


def record_pull(ref: str, now: float | None = None) -> None:
    times = _pull_times()
    times[ref] = time.time() if now is None else now
    path = _pulls_path()
    os.makedirs(os.path.dirname(path), mode=0o755, exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(times, handle, sort_keys=True)
    os.replace(tmp, path)
