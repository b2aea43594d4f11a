# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The action of every devops.docker module (meta/runtime.yml routes them all here).

It is Ansible's normal action (run the module on the host), with the module's built payload kept
between ansible-playbook runs: plugins/plugin_utils/_payload_cache.py.
"""

from __future__ import annotations

from ansible_collections.devops.docker.plugins.plugin_utils._payload_cache import PayloadCache


class ActionModule(PayloadCache):
    pass
