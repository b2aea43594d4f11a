# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""meta/runtime.yml: every module name, ours and community.docker's, runs through our one action."""

from __future__ import annotations

import os

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
ACTION = "devops.docker.container"


def routing() -> dict:
    with open(os.path.join(ROOT, "meta", "runtime.yml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)["plugin_routing"]


def our_modules() -> list[str]:
    return sorted(name[:-3] for name in os.listdir(os.path.join(ROOT, "plugins", "modules"))
                  if name.endswith(".py") and name != "__init__.py")


def test_every_module_of_ours_runs_through_the_payload_keeping_action():
    actions = routing()["action"]
    assert os.path.exists(os.path.join(ROOT, "plugins", "action", "container.py"))
    missing = [name for name in our_modules() if name != "container" and actions.get(name, {}).get("redirect") != ACTION]
    assert missing == [], "add plugin_routing.action entries (redirect: %s) for: %s" % (ACTION, missing)


def test_every_community_name_runs_through_it_too():
    route = routing()
    missing = [name for name in route["modules"] if route["action"].get(name, {}).get("redirect") != ACTION]
    assert missing == [], "add plugin_routing.action entries (redirect: %s) for: %s" % (ACTION, missing)
    assert not set(route["action"]) - set(our_modules()) - set(route["modules"]), "an action route with no module"
