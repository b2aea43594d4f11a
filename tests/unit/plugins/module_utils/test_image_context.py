# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Build contexts: .dockerignore rules, which files are sent, the context digest."""

from __future__ import annotations

import io
import json
import os
import tarfile

import pytest

from ansible_collections.devops.docker.plugins.module_utils._image._progress import archive_images
from ansible_collections.devops.docker.plugins.module_utils._client import DockerError
from ansible_collections.devops.docker.plugins.module_utils._image_context import (
    BuildContext,
    ContextError,
    DockerIgnore,
    parse_dockerignore,
)


def make_tree(root, files: dict[str, str]) -> str:
    for rel, content in files.items():
        path = os.path.join(str(root), rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(content)
    return str(root)


# ------------------------------------------------------------ .dockerignore parsing
def test_parse_skips_comments_and_blank_lines_and_cleans():
    patterns = parse_dockerignore("# comment\n\n  *.log  \n/abs/path\n!keep.log\n./dir//sub/\n")
    assert [(p.text, p.exclusion) for p in patterns] == [
        ("*.log", False),
        ("abs/path", False),
        ("keep.log", True),
        ("dir/sub", False),
    ]


def test_parse_strips_a_byte_order_mark():
    assert [p.text for p in parse_dockerignore("\ufeffsecret.txt\n")] == ["secret.txt"]


@pytest.mark.parametrize(
    "patterns, path, excluded",
    [
        (["*.log"], "a.log", True),
        (["*.log"], "sub/a.log", False),  # '*' does not cross '/'
        (["**/*.log"], "sub/deep/a.log", True),
        (["**/*.log"], "a.log", True),  # '**/' also matches zero directories
        (["sub/**"], "sub/x/y", True),
        (["sub/**"], "other/x", False),
        (["a/**/b"], "a/b", True),
        (["a/**/b"], "a/x/y/b", True),
        (["a/**/b"], "a/x/y/c", False),
        (["?.txt"], "a.txt", True),
        (["?.txt"], "ab.txt", False),
        (["[ab].txt"], "b.txt", True),
        (["[ab].txt"], "c.txt", False),
        (["[!ab].txt"], "c.txt", True),
        (["build"], "build/out/x.o", True),  # a pattern matching a parent directory matches below it
        (["build"], "builder/x", False),
        (["*.md", "!README.md"], "README.md", False),
        (["*.md", "!README.md"], "CHANGES.md", True),
        (["*.md", "!README.md", "README*"], "README.md", True),  # the last match wins
        (["docs", "!docs/keep.txt"], "docs/keep.txt", False),
        (["docs", "!docs/keep.txt"], "docs/other.txt", True),
        (["file.with.dots"], "fileXwithXdots", False),  # '.' is literal
        (["\\*.txt"], "*.txt", True),
        (["\\*.txt"], "a.txt", False),
        (["a+b(c)"], "a+b(c)", True),  # regex characters are literal
        ([], "anything", False),
    ],
)
def test_dockerignore_matching(patterns, path, excluded):
    assert DockerIgnore(patterns).excluded(path) is excluded


def test_unclosed_bracket_is_a_clear_error():
    with pytest.raises(ContextError, match="unclosed"):
        parse_dockerignore("[abc\n")


# ------------------------------------------------------------ which files count
BASE = {
    "Dockerfile": "FROM scratch\nCOPY . /\n",
    "app/main.sh": "echo hi\n",
    "app/data/big.bin": "x" * 100,
    "notes.md": "notes",
    "README.md": "readme",
    "logs/a.log": "log",
    "logs/keep/important.log": "keep",
}


def test_files_without_dockerignore_are_all_sent(tmp_path):
    ctx = BuildContext(make_tree(tmp_path, BASE))
    assert ctx.files() == sorted(BASE)


def test_dockerignore_with_exceptions_and_double_star(tmp_path):
    files = dict(BASE)
    files[".dockerignore"] = "*.md\n!README.md\nlogs\n!logs/keep/important.log\n**/*.bin\n"
    ctx = BuildContext(make_tree(tmp_path, files))
    assert ctx.files() == [
        ".dockerignore",
        "Dockerfile",
        "README.md",
        "app/main.sh",
        "logs/keep/important.log",
    ]


def test_dockerfile_and_dockerignore_are_sent_even_if_ignored(tmp_path):
    files = dict(BASE)
    files[".dockerignore"] = "*\n"
    ctx = BuildContext(make_tree(tmp_path, files))
    assert ctx.files() == [".dockerignore", "Dockerfile"]


def test_dockerfile_in_an_ignored_folder_is_still_sent(tmp_path):
    files = {"docker/app.Dockerfile": "FROM scratch\n", "docker/other": "x", ".dockerignore": "docker\n", "x": "1"}
    ctx = BuildContext(make_tree(tmp_path, files), "docker/app.Dockerfile")
    assert ctx.files() == [".dockerignore", "docker/app.Dockerfile", "x"]
    assert ctx.dockerfile_rel == "docker/app.Dockerfile"


def test_excluded_directory_without_exceptions_is_skipped_whole(tmp_path):
    files = {"Dockerfile": "FROM scratch\n", "node_modules/a/b.js": "x", ".dockerignore": "node_modules\n!**/keep.js\n"}
    make_tree(tmp_path, files)
    make_tree(tmp_path, {"node_modules/a/keep.js": "k"})
    # Like the CLI: '!**/keep.js' does not start with 'node_modules/', so the folder is skipped.
    assert BuildContext(str(tmp_path)).files() == [".dockerignore", "Dockerfile"]


# ------------------------------------------------------------ the digest
def test_digest_is_stable_and_independent_of_creation_order(tmp_path):
    one = tmp_path / "one"
    two = tmp_path / "two"
    make_tree(one, BASE)
    make_tree(two, dict(reversed(list(BASE.items()))))
    assert BuildContext(str(one)).digest() == BuildContext(str(two)).digest()
    assert BuildContext(str(one)).digest() == BuildContext(str(one)).digest()


def test_digest_changes_with_content_name_mode_and_new_files(tmp_path):
    root = make_tree(tmp_path, BASE)
    first = BuildContext(root).digest()
    with open(os.path.join(root, "app/main.sh"), "w", encoding="utf-8") as handle:
        handle.write("echo bye\n")
    second = BuildContext(root).digest()
    assert second != first
    os.chmod(os.path.join(root, "app/main.sh"), 0o755)
    third = BuildContext(root).digest()
    assert third != second
    make_tree(tmp_path, {"app/new.txt": ""})
    fourth = BuildContext(root).digest()
    assert fourth != third
    os.rename(os.path.join(root, "app/new.txt"), os.path.join(root, "app/renamed.txt"))
    assert BuildContext(root).digest() != fourth


def test_digest_ignores_ignored_files_but_not_the_dockerfile(tmp_path):
    files = dict(BASE)
    files[".dockerignore"] = "notes.md\nDockerfile\n"
    root = make_tree(tmp_path, files)
    first = BuildContext(root).digest()
    make_tree(tmp_path, {"notes.md": "changed notes"})
    assert BuildContext(root).digest() == first
    make_tree(tmp_path, {"Dockerfile": "FROM scratch\nCOPY app /app\n"})
    assert BuildContext(root).digest() != first


def test_dockerfile_outside_the_context_counts(tmp_path):
    ctx_dir = make_tree(tmp_path / "ctx", {"a": "1"})
    make_tree(tmp_path, {"Dockerfile.ext": "FROM scratch\n"})
    ext = str(tmp_path / "Dockerfile.ext")
    first = BuildContext(ctx_dir, ext)
    assert first.dockerfile_outside and first.dockerfile_rel.startswith(".dockerfile.")
    make_tree(tmp_path, {"Dockerfile.ext": "FROM scratch\nCOPY a /\n"})
    assert BuildContext(ctx_dir, ext).digest() != first.digest()


@pytest.mark.parametrize(
    "options_a, options_b, same",
    [
        ({"args": {"A": "1"}}, {"args": {"A": "1"}}, True),
        ({"args": {"A": "1", "B": "2"}}, {"args": {"B": "2", "A": "1"}}, True),  # order does not matter
        ({"args": {"A": "1"}}, {"args": {"A": "2"}}, False),
        ({"args": {"A": "1"}}, {"args": {}}, False),
        ({"target": "build"}, {"target": "final"}, False),
        ({"labels": {"x": "1"}}, {"labels": {"x": "2"}}, False),
    ],
)
def test_build_options_change_the_digest(tmp_path, options_a, options_b, same):
    ctx = BuildContext(make_tree(tmp_path, BASE))
    assert (ctx.digest(options_a) == ctx.digest(options_b)) is same


# ------------------------------------------------------------ the tar and errors
def test_tar_holds_what_is_sent_owned_by_root(tmp_path):
    files = dict(BASE)
    files[".dockerignore"] = "logs\n"
    ctx = BuildContext(make_tree(tmp_path, files))
    buf = io.BytesIO()
    ctx.write_tar(buf)
    buf.seek(0)
    with tarfile.open(fileobj=buf) as tar:
        members = {m.name: m for m in tar.getmembers()}
        assert sorted(n for n, m in members.items() if m.isfile()) == ctx.files()
        assert "logs" not in members
        assert all(m.uid == 0 and m.gid == 0 for m in members.values())
        assert tar.extractfile("app/main.sh").read() == b"echo hi\n"


def test_missing_context_is_a_clear_error(tmp_path):
    with pytest.raises(ContextError, match="does not exist"):
        BuildContext(str(tmp_path / "nope"))


def test_missing_dockerfile_is_a_clear_error(tmp_path):
    root = make_tree(tmp_path, {"a": "1"})
    with pytest.raises(ContextError, match="build.dockerfile"):
        BuildContext(root)
    with pytest.raises(ContextError, match="build.dockerfile"):
        BuildContext(root, "other.Dockerfile")


def test_context_that_is_a_file_is_a_clear_error(tmp_path):
    make_tree(tmp_path, {"f": "1"})
    with pytest.raises(ContextError, match="not a directory"):
        BuildContext(str(tmp_path / "f"))


# ------------------------------------------------------------ docker save archives
def _archive(tmp_path, manifest) -> str:
    path = str(tmp_path / "img.tar")
    data = json.dumps(manifest).encode()
    with tarfile.open(path, "w") as tar:
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return path


def test_archive_images_reads_docker_and_oci_layouts(tmp_path):
    hex1, hex2 = "a" * 64, "b" * 64
    path = _archive(
        tmp_path,
        [
            {"Config": f"{hex1}.json", "RepoTags": ["x:1"], "Layers": []},
            {"Config": f"blobs/sha256/{hex2}", "RepoTags": None, "Layers": []},
        ],
    )
    assert archive_images(path) == [
        {"Id": "sha256:" + hex1, "RepoTags": ["x:1"]},
        {"Id": "sha256:" + hex2, "RepoTags": []},
    ]


def test_archive_without_manifest_is_a_clear_error(tmp_path):
    path = str(tmp_path / "empty.tar")
    with tarfile.open(path, "w"):
        pass
    with pytest.raises(DockerError, match="docker save"):
        archive_images(path)


def test_same_files_as_the_docker_cli_sends(tmp_path):
    """Expected list taken from `DOCKER_BUILDKIT=0 docker build` of this tree with `COPY . /ctx`."""
    names = [
        "a/x.txt", "a/b/y.md", "a/b/c/z.tmp", "logs/1.log", "logs/keep/k.log", "node_modules/x/i.js",
        "docs/README.md", "docs/other.md", "sub/deep/keep.js", "sub/deep/no.js", "top.tmp", "keep.tmp", "README.md",
    ]
    files = {name: name + "\n" for name in names}
    files["Dockerfile"] = "FROM scratch\nCOPY . /ctx\n"
    files[".dockerignore"] = (
        "# c\n**/*.tmp\n!keep.tmp\nlogs\n!logs/keep\nnode_modules\n!**/i.js\ndocs/*.md\n!docs/README*\nsub/**/no.js\na/b/c\n"
    )
    assert BuildContext(make_tree(tmp_path, files)).files() == [
        ".dockerignore",
        "Dockerfile",
        "README.md",
        "a/b/y.md",
        "a/x.txt",
        "docs/README.md",
        "keep.tmp",
        "logs/keep/k.log",
        "sub/deep/keep.js",
    ]
