# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The docker_image_push module's action: Ansible's normal one, with the built payload kept between runs (plugin_utils/_payload_cache.py)."""

from __future__ import annotations

from ansible_collections.devops.docker.plugins.plugin_utils._payload_cache import PayloadCache as ActionModule  # noqa: F401  # pylint: disable=unused-import
