# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Compose's containers and images as docker compose ps / images --format json show them (_compose/_ps)."""

from __future__ import annotations

from ansible_collections.devops.docker.plugins.module_utils._compose._ps import image_entries, ps_entry, running_for

SUMMARY = {
    "Id": "c" * 64,
    "Names": ["/shop-web-1"],
    "Image": "localhost:5000/team/web:1.2",
    "ImageID": "sha256:" + "a" * 64,
    "Command": "httpd -f -p 80",
    "Created": 1_700_000_000,
    "Ports": [
        {"IP": "0.0.0.0", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"},
        {"IP": "::", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"},
        {"PrivatePort": 9000, "Type": "udp"},
    ],
    "Labels": {"com.docker.compose.project": "shop", "com.docker.compose.service": "web"},
    "State": "running",
    "Status": "Up 2 minutes (healthy)",
    "NetworkSettings": {"Networks": {"shop_front": {}, "shop_back": {}}},
    "Mounts": [{"Type": "volume", "Name": "shop_data", "Driver": "local"}, {"Type": "bind", "Source": "/srv/www"}],
}


def test_every_key_of_docker_compose_ps():
    entry = ps_entry(SUMMARY, "shop", "web", now=1_700_000_000 + 150)
    assert entry["Name"] == "shop-web-1" and entry["Names"] == ["shop-web-1"]
    assert entry["ID"] == "c" * 64 and entry["Service"] == "web" and entry["Project"] == "shop"
    assert entry["Command"] == '"httpd -f -p 80"'
    assert entry["CreatedAt"] == "2023-11-14 22:13:20 +0000 UTC"
    assert entry["Health"] == "healthy" and entry["ExitCode"] == 0
    assert entry["Labels"]["com.docker.compose.service"] == "web"
    assert entry["Networks"] == ["shop_back", "shop_front"]
    assert entry["LocalVolumes"] == "1" and entry["Mounts"] == "shop_data,/srv/www"
    assert entry["Publishers"] == [
        {"URL": "0.0.0.0", "TargetPort": 80, "PublishedPort": 8080, "Protocol": "tcp"},
        {"URL": "::", "TargetPort": 80, "PublishedPort": 8080, "Protocol": "tcp"},
        {"URL": "", "TargetPort": 9000, "PublishedPort": 0, "Protocol": "udp"},
    ]
    assert entry["Ports"] == "0.0.0.0:8080->80/tcp, [::]:8080->80/tcp, 9000/udp"
    assert entry["RunningFor"] == "2 minutes ago" and entry["Size"] == "0B"
    assert entry["State"] == "running" and entry["Status"] == "Up 2 minutes (healthy)"


def test_an_exited_container_has_its_exit_code_and_a_starting_health():
    assert ps_entry(dict(SUMMARY, Status="Exited (137) 5 seconds ago", State="exited"), "p", "s")["ExitCode"] == 137
    assert ps_entry(dict(SUMMARY, Status="Up 1 second (health: starting)"), "p", "s")["Health"] == "starting"
    assert ps_entry(dict(SUMMARY, Status="Up 1 second"), "p", "s")["Health"] == ""


def test_running_for_in_the_cli_words():
    assert running_for(0, 0.5) == "Less than a second ago"
    assert running_for(0, 30) == "30 seconds ago"
    assert running_for(0, 3700) == "About an hour ago"
    assert running_for(0, 3 * 86400) == "3 days ago"


def test_images_of_docker_compose_images():
    other = dict(SUMMARY, Names=["/shop-db-1"], Image="sha256:" + "b" * 64, ImageID="sha256:" + "b" * 64)
    plain = dict(SUMMARY, Names=["/shop-cache-1"], Image="redis", ImageID="sha256:" + "d" * 64)
    images = [{"Id": "sha256:" + "a" * 64, "Size": 1234}]
    assert image_entries([SUMMARY, other, plain], images) == [
        {"ContainerName": "shop-cache-1", "Repository": "redis", "Tag": "latest", "ID": "sha256:" + "d" * 64, "Size": 0},
        {"ContainerName": "shop-db-1", "Repository": "<none>", "Tag": "<none>", "ID": "sha256:" + "b" * 64, "Size": 0},
        {"ContainerName": "shop-web-1", "Repository": "localhost:5000/team/web", "Tag": "1.2",
         "ID": "sha256:" + "a" * 64, "Size": 1234},
    ]


def test_actions_in_community_dockers_shape():
    from ansible_collections.devops.docker.plugins.module_utils._compose._ps import compose_events

    assert compose_events([
        "docker network create --driver bridge --label com.docker.compose.project=shop shop_default",
        "docker volume create --label com.docker.compose.project=shop shop_data",
        "docker image build -t shop-web --file Dockerfile ./web",
        "docker image pull devops-test/busybox:latest",
        "docker container create --name shop-web-1 --label 'a=b c' shop-web sleep 3600",
        "docker container start shop-web-1",
        "docker container stop --time 5 shop-db-1",
        "docker container rm --volumes shop-db-1",
        "docker container rename 0123_shop-web-1 shop-web-1",
        "docker network rm shop_default",
        "a shell line",
    ]) == [
        {"what": "network", "id": "shop_default", "status": "Creating"},
        {"what": "volume", "id": "shop_data", "status": "Creating"},
        {"what": "image", "id": "shop-web", "status": "Building"},
        {"what": "image", "id": "devops-test/busybox:latest", "status": "Pulling"},
        {"what": "container", "id": "shop-web-1", "status": "Creating"},
        {"what": "container", "id": "shop-web-1", "status": "Starting"},
        {"what": "container", "id": "shop-db-1", "status": "Stopping"},
        {"what": "container", "id": "shop-db-1", "status": "Removing"},
        {"what": "container", "id": "shop-web-1", "status": "Recreating"},
        {"what": "network", "id": "shop_default", "status": "Removing"},
        {"what": "unknown", "id": "line", "status": ""},
    ]
