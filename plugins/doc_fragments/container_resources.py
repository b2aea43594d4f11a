# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # devops.docker.container: the resource limits, block IO and device options (most are changed in place,
    # like docker container update) - the module's own documentation has the rest.
    DOCUMENTATION = r"""
options:
  blkio_weight:
    description:
      - Block IO weight, 10 to 1000 (C(--blkio-weight)). Changed in place.
      - A kernel without block IO weight support makes Docker discard the weight with a warning; on a local daemon
        that is noticed and not reported as a difference.
    type: int
  blkio_weight_device:
    description:
      - Block IO weight of single devices, 10 to 1000 each (C(--blkio-weight-device PATH:WEIGHT)). A change recreates
        the container.
      - As with O(blkio_weight), a kernel without block IO weight support makes Docker discard it; on a local daemon
        that is noticed and not reported as a difference.
    type: list
    elements: dict
    suboptions:
      path:
        description: The device path, like V(/dev/sda).
        type: str
        required: true
      weight:
        description: The weight, 10 to 1000.
        type: int
        required: true
  cpu_period:
    description: CPU CFS period in microseconds (C(--cpu-period)). Changed in place. See O(cpus) for the simpler way.
    type: int
  cpu_quota:
    description: CPU CFS quota in microseconds per period (C(--cpu-quota)). Changed in place.
    type: int
  cpu_shares:
    description: CPU shares, a relative weight (C(--cpu-shares)). Changed in place.
    type: int
  cpuset_cpus:
    description: CPUs the container may use, like V(0-3) or V(0,2) (C(--cpuset-cpus)). Changed in place.
    type: str
  cpuset_mems:
    description: Memory nodes the container may use, like V(0) (C(--cpuset-mems)). Changed in place.
    type: str
  memory_reservation:
    description: Memory soft limit like V(128m) (C(--memory-reservation)). Changed in place.
    type: str
  memory_swap:
    description:
      - Memory plus swap limit like V(1g), or V(unlimited) / V(-1) (C(--memory-swap)). Changed in place. Not set -
        Docker's choice (twice O(memory)).
    type: str
  memory_swappiness:
    description: Memory swappiness, 0 to 100 (C(--memory-swappiness)). Not set - the host's.
    type: int
  kernel_memory:
    description:
      - Kernel memory limit like V(64m), at least V(4m) (C(--kernel-memory)). Deprecated by Docker; cgroup v2 hosts
        ignore it.
    type: str
  oom_killer:
    description: V(true) disables the OOM killer for the container (C(--oom-kill-disable)), as in community.docker.
    type: bool
  oom_score_adj:
    description: OOM score adjustment, -1000 to 1000 (C(--oom-score-adj)).
    type: int
  pids_limit:
    description: Most processes the container may run; V(-1) or V(0) unlimited (C(--pids-limit)). Changed in place.
    type: int
  device_read_bps:
    description: Read rate limits of devices (C(--device-read-bps)).
    type: list
    elements: dict
    # the same suboptions for the write rate (YAML anchors: written once)
    suboptions: &device_bytes
      path:
        description: The device path, like V(/dev/sda).
        type: str
        required: true
      rate:
        description: Bytes per second, with an optional unit like V(20M).
        type: str
        required: true
  device_write_bps:
    description: Write rate limits of devices (C(--device-write-bps)).
    type: list
    elements: dict
    suboptions: *device_bytes
  device_read_iops:
    description: Read IO-per-second limits of devices (C(--device-read-iops)).
    type: list
    elements: dict
    suboptions: &device_iops
      path:
        description: The device path, like V(/dev/sda).
        type: str
        required: true
      rate:
        description: IO per second, a positive number.
        type: int
        required: true
  device_write_iops:
    description: Write IO-per-second limits of devices (C(--device-write-iops)).
    type: list
    elements: dict
    suboptions: *device_iops
  device_cgroup_rules:
    description: Device cgroup rules like V(c 1:3 mr) (C(--device-cgroup-rule)).
    type: list
    elements: str
  device_requests:
    description: Device requests such as GPUs (C(--gpus)); the driver must be installed on the Docker host.
    type: list
    elements: dict
    suboptions:
      capabilities:
        description: A list of lists of capabilities (any list, all of its entries), like V([[gpu, utility]]).
        type: list
        elements: list
      count:
        description: How many devices; V(-1) for all.
        type: int
      device_ids:
        description: The device IDs.
        type: list
        elements: str
      driver:
        description: The device driver, like V(nvidia).
        type: str
      options:
        description: Driver options.
        type: dict
"""
