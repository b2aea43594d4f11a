# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # How compose_exec, compose_run and compose_pull find the project devops.docker.compose manages.
    DOCUMENTATION = r"""
options:
  project_src:
    description: Folder holding the Compose file, as for M(devops.docker.compose).
    type: path
  files:
    description: Compose files to merge, relative to O(project_src).
    type: list
    elements: path
  definition:
    description: The content of a Compose file, inline.
    type: dict
  project_name:
    description: The project name (default as for M(devops.docker.compose)).
    type: str
  env_files:
    description: Files with the variables for interpolation, instead of the project's C(.env).
    type: list
    elements: path
  profiles:
    description: Profiles to enable.
    type: list
    elements: str
  check_files_existing:
    description:
      - Accepted for community.docker compatibility, no effect. There it makes the Compose CLI check that
        O(project_src) has a Compose file; here the project is always read, and a missing Compose file fails the
        task, saying so.
    type: bool
    default: true
"""
