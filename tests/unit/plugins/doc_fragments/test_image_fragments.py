# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The image doc fragments put their text together from shared parts: each value is YAML without duplicate keys
(ansible-test's yamllint reads literal strings only), the build options read the same at both levels, and every
documented option matches the argument spec it documents."""

from __future__ import annotations

import typing as t

import pytest
import yaml
from yamllint import linter
from yamllint.config import YamlLintConfig

from ansible_collections.devops.docker.plugins.doc_fragments import image_build, image_name
from ansible_collections.devops.docker.plugins.module_utils._image._manager import IMAGE_ARGS
from ansible_collections.devops.docker.plugins.module_utils._image_split import (
    BUILD_ARGS,
    EXPORT_ARGS,
    PULL_ARGS,
    PUSH_ARGS,
    REMOVE_ARGS,
    TAG_ARGS,
    image_compat_args,
)

VALUES = [
    (fragment.__name__.rsplit(".", 1)[-1], var)
    for fragment in (image_build, image_name)
    for var in vars(fragment.ModuleDocFragment)
    if var.isupper()
]


def _doc(fragment: str, var: str = "DOCUMENTATION") -> dict[str, t.Any]:
    module = {"image_build": image_build, "image_name": image_name}[fragment]
    return yaml.safe_load(getattr(module.ModuleDocFragment, var))


@pytest.mark.parametrize("fragment, var", VALUES, ids=[f"{f}.{v}" for f, v in VALUES])
def test_value_is_clean_yaml(fragment: str, var: str) -> None:
    text = getattr({"image_build": image_build, "image_name": image_name}[fragment].ModuleDocFragment, var)
    problems = list(linter.run(text, YamlLintConfig("rules: {key-duplicates: enable}")))
    assert not problems, [str(p) for p in problems]
    assert isinstance(_doc(fragment, var).get("options"), dict)


def test_shared_build_options_read_the_same_at_both_levels() -> None:
    top = _doc("image_build", "OPTIONS")["options"]
    nested = _doc("image_build")["options"]["build"]["suboptions"]
    assert top
    for name, option in top.items():
        assert nested[name] == option, name


def _matches(doc: dict[str, t.Any], spec: dict[str, t.Any], path: str = "") -> list[str]:
    """What the documented options say differently from the argument spec (type, default, choices, ...)."""
    wrong = []
    for name, option in doc.items():
        where = f"{path}{name}"
        if name not in spec:
            wrong.append(f"{where}: documented, not in the argument spec")
            continue
        arg = spec[name]
        for key, empty in (("type", "str"), ("default", None), ("elements", None), ("choices", None), ("required", False)):
            if option.get(key, empty) != arg.get(key, empty):
                wrong.append(f"{where}.{key}: docs {option.get(key, empty)!r}, spec {arg.get(key, empty)!r}")
        if option.get("suboptions"):
            wrong.extend(_matches(option["suboptions"], arg.get("options") or {}, where + "."))
    return wrong


@pytest.mark.parametrize(
    "fragment, var, spec",
    [
        ("image_build", "OPTIONS", BUILD_ARGS),
        ("image_name", "DOCUMENTATION", BUILD_ARGS),
        ("image_name", "DOCUMENTATION", EXPORT_ARGS),
        ("image_name", "NAME", PULL_ARGS),
        ("image_name", "NAME", PUSH_ARGS),
        ("image_name", "BY_ID", TAG_ARGS),
        ("image_name", "BY_ID", REMOVE_ARGS),
    ],
)
def test_fragment_matches_argument_spec(fragment: str, var: str, spec: dict[str, t.Any]) -> None:
    assert not _matches(_doc(fragment, var)["options"], spec)


def test_image_build_suboptions_match_argument_spec() -> None:
    documented = _doc("image_build")["options"]["build"]["suboptions"]
    spec = image_compat_args(IMAGE_ARGS)["build"]["options"]
    assert sorted(documented) == sorted(spec)
    assert not _matches(documented, spec, "build.")
