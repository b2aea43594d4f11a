# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every module, by our name and by community.docker's, runs through the payload-keeping action of its own name."""

from __future__ import annotations

import importlib
import os

import yaml

from ansible_collections.devops.docker.plugins.plugin_utils._payload_cache import PayloadCache

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def routing() -> dict:
    with open(os.path.join(ROOT, "meta", "runtime.yml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)["plugin_routing"]


def our_modules() -> list[str]:
    return sorted(name[:-3] for name in os.listdir(os.path.join(ROOT, "plugins", "modules"))
                  if name.endswith(".py") and name != "__init__.py")


def test_every_module_has_an_action_of_its_own_name():
    """Its own name, not one shared action: Ansible resolves module_defaults by the action's name, so a shared
    action would give every module the defaults written for one of them."""
    missing = []
    for name in our_modules():
        try:
            action = importlib.import_module("ansible_collections.devops.docker.plugins.action." + name).ActionModule
        except ImportError:
            action = None
        if action is None or not issubclass(action, PayloadCache):
            missing.append(name)
    assert missing == [], "add plugins/action/NAME.py (see plugins/action/volume.py) for: %s" % missing


def test_community_names_reach_the_action_of_their_module():
    route = routing()
    wrong = [name for name, target in route["modules"].items()
             if route["action"].get(name, {}).get("redirect") != target.get("redirect")]
    assert wrong == [], "plugin_routing.action must redirect these as plugin_routing.modules does: %s" % wrong
    assert set(route["action"]) == set(route["modules"]), "an action route without a module route"
