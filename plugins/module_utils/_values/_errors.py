# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one exception of the value layer: a value the user wrote does not parse."""

from __future__ import annotations


class SpecError(ValueError):
    """A value the user wrote does not parse; the message says how to write it."""

    @property
    def msg(self) -> str:
        return str(self)
