# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # devops.docker.container: the options that choose community.docker's docker_container behaviour
    # (comparisons, image and network handling, waits, logs) - the module's own documentation has the rest.
    DOCUMENTATION = r"""
options:
  comparisons:
    description:
      - How options are compared with the existing container, per option - V(strict) (equal; our default for every
        option), V(ignore) (never a difference) or V(allow_more_present) (what the task lists must be there, more
        is fine - lists and mappings as sets; an option the task does not give is then not compared). C(*) sets
        the mode of every option not named.
      - Keys are option names, ours or community.docker's (C(published_ports), C(capabilities), C(dns_servers),
        C(etc_hosts), C(log_opt)...), plus C(image) (V(ignore) - an image rebuilt or re-pulled behind the same
        name does not recreate) and C(networks).
      - "C(networks: allow_more_present) leaves connections the task does not list alone (like
        O(networks_exclusive=false)); C(networks: strict) disconnects them, even when O(networks) is not given."
      - "community.docker's default modes: V(allow_more_present) for sets and mappings (O(env), O(labels),
        O(volumes), O(cap_add), O(exposed_ports), O(etc_hosts), O(devices), O(ulimits), O(mounts), O(sysctls),
        O(tmpfs)...), V(strict) for the rest. C({'*': allow_more_present}) gives its behaviour for every list and
        mapping."
    type: dict
  container_default_behavior:
    description:
      - Set (to either value) - community.docker's semantics - an option the task does not give is never
        compared, even when the task gives O(image).
      - V(compatibility) also gives O(auto_remove), O(init), O(interactive), O(paused), O(privileged), O(read_only)
        and O(tty) the default V(false), O(detach) V(true) and O(memory) V(0), as community.docker did before 3.0.0.
      - Not set - ours (see the description above).
    type: str
    choices: [compatibility, no_defaults]
  command_handling:
    description:
      - V(correct) - a list O(command) or O(entrypoint) is kept as it is (the argv); a string is split like a shell.
      - V(compatibility) - community.docker's handling before 3.0.0 - a list is joined with spaces and split again
        like a shell, and an empty command or entrypoint is the same as not giving it.
    type: str
    choices: [compatibility, correct]
    default: correct
  image_comparison:
    description:
      - Which image's values the task's O(env), O(env_file), O(exposed_ports), O(labels) and O(volumes) are merged
        over when comparing - V(desired-image) (the task's O(image)) or V(current-image) (the image the container
        runs; the task's when the container does not exist yet).
    type: str
    choices: [desired-image, current-image]
    default: desired-image
  image_label_mismatch:
    description:
      - V(ignore) - labels the image sets and O(labels) does not are kept and never a difference.
      - V(fail) - such labels make the task fail (they are not what the task asked for).
    type: str
    choices: [ignore, fail]
    default: ignore
  image_name_mismatch:
    description:
      - V(recreate) - a container that runs the task's image (same ID) under another name (another tag of it, say)
        is recreated so that its configuration names the task's image, as community.docker does by default.
      - Not set or V(ignore) - the same image under another name is the same image; no recreate.
    type: str
    choices: [recreate, ignore]
  ignore_image:
    description:
      - "V(true) is the same as C(comparisons: {image: ignore}) (community.docker's older option)."
    type: bool
  networks_cli_compatible:
    description:
      - V(true) - like C(docker run --network), a container given O(networks) is not connected to the default
        network (the first of O(networks) is its O(network_mode) unless that is given).
      - V(false) - the container stays connected to the default network too, besides O(networks).
    type: bool
    default: true
  purge_networks:
    description:
      - "V(true) - disconnect the container from every network O(networks) does not list (the same as
        C(comparisons: {networks: strict}), our default)."
      - V(false) - leave such connections alone (the same as O(networks_exclusive=false)).
    type: bool
  default_host_ip:
    description:
      - The host IP for the entries of O(ports) that name none, like V(127.0.0.1). Not set or V("") - every
        address (IPv4 and IPv6), Docker's default.
    type: str
  force_kill:
    description:
      - Kill the container (C(docker container kill), signal O(kill_signal)) instead of stopping it gracefully, when
        O(state=stopped) stops it, when O(state=absent) removes it and when a recreate replaces it (the old
        container is killed just before the new one starts).
    type: bool
    default: false
    aliases: [forcekill]
  kill_signal:
    description: The signal of O(force_kill), like V(SIGINT). Not set - V(SIGKILL).
    type: str
  paused:
    description:
      - With O(state=started) or O(state=present), V(true) pauses the container (the same as O(state=paused));
        V(false) with O(state=started) unpauses it.
    type: bool
  cleanup:
    description:
      - With O(detach=false), remove the container once it ran successfully (exit code 0); its output is returned.
    type: bool
    default: false
  output_logs:
    description:
      - With O(detach=false), V(true) also writes the output of a container this run started to the managed host's
        log (syslog or the journal, as every module's log messages), as community.docker does; with O(auto_remove)
        too, since the output is read while the container runs. Secrets of O(secret_env) are redacted.
      - The output is returned either way (RV(output), and C(Output) in RV(container)).
    type: bool
    default: false
  debug:
    description:
      - V(true) writes every docker command of the run (RV(actions)) and its differences (RV(diff)) to the managed
        host's log (syslog or the journal), secrets redacted. RV(actions) and RV(diff) are returned either way
        (community.docker returns them only in debug mode).
    type: bool
    default: false
  healthy_wait_timeout:
    description:
      - community.docker's name of O(wait_timeout) for O(state=healthy), in seconds; V(0) or less waits without
        limit. Given, it replaces O(wait_timeout).
    type: float
  removal_wait_timeout:
    description:
      - Accepted for community.docker's tasks. A removal here always waits until the container is gone (the remove
        request returns only then), bounded by the connection's O(timeout) plus the stop timeout.
    type: float
  pull_check_mode_behavior:
    description:
      - What check mode reports for O(pull=always) when the image is present (check mode never contacts a registry,
        so it cannot know whether the pull would bring a newer image).
      - V(image_not_present) - no pull and no change (the image is there).
      - V(always) - a pull (C(docker image pull) in RV(actions)) and a change, as community.docker reports it. The real
        run reports a change only when the pull changed the image's ID.
    type: str
    choices: [image_not_present, always]
    default: image_not_present
"""
