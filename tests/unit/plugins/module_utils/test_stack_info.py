# Copyright: devops.docker contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""stack_info / stack_task_info: docker stack ls / ps from the API's services, tasks and nodes."""

from __future__ import annotations

from ansible_collections.devops.docker.plugins.module_utils._swarm._stack_info import stack_list, task_rows

NS = "com.docker.stack.namespace"


def svc(ident, name, stack):
    return {"ID": ident, "Spec": {"Name": name, "Labels": {NS: stack} if stack else {}}}


def test_stack_list_counts_services_and_names_secrets_configs():
    services = [svc("1", "a_web", "a"), svc("2", "a_db", "a"), svc("3", "b_x", "b"), svc("4", "lone", None)]
    secrets = [{"Spec": {"Name": "a_pw", "Labels": {NS: "a"}}}, {"Spec": {"Name": "free", "Labels": {}}}]
    configs = [{"Spec": {"Name": "c_conf", "Labels": {NS: "c"}}}]
    assert stack_list(services, secrets, configs) == [
        {"Name": "a", "Namespace": "", "Orchestrator": "Swarm", "Services": 2, "Secrets": ["a_pw"], "Configs": []},
        {"Name": "b", "Namespace": "", "Orchestrator": "Swarm", "Services": 1, "Secrets": [], "Configs": []},
        {"Name": "c", "Namespace": "", "Orchestrator": "Swarm", "Services": 0, "Secrets": [], "Configs": ["c_conf"]},
    ]


def test_task_rows_like_docker_stack_ps():
    services = [svc("s1", "a_web", "a")]
    nodes = [{"ID": "n1", "Description": {"Hostname": "node1"}}]
    tasks = [
        {"ID": "t2" * 10, "ServiceID": "s1", "Slot": 2, "NodeID": "n1", "DesiredState": "running",
         "Status": {"State": "running"}, "Spec": {"ContainerSpec": {"Image": "reg:5443/web:1@sha256:abc"}}},
        {"ID": "t1" * 10, "ServiceID": "s1", "Slot": 1, "NodeID": "n1", "DesiredState": "shutdown",
         "Status": {"State": "failed", "Err": "task: non-zero exit (1)",
                    "PortStatus": {"Ports": [{"PublishedPort": 8080, "TargetPort": 80, "Protocol": "tcp"}]}},
         "Spec": {"ContainerSpec": {"Image": "reg:5443/web:1"}}},
    ]
    rows = task_rows("a", tasks, services, nodes)
    assert [r["Name"] for r in rows] == ["a_web.1", "a_web.2"]
    assert rows[0]["CurrentState"] == "Failed" and rows[0]["DesiredState"] == "Shutdown"
    assert rows[0]["Error"] == "task: non-zero exit (1)" and rows[0]["Ports"] == "*:8080->80/tcp"
    assert rows[1]["Image"] == "reg:5443/web:1" and rows[1]["Node"] == "node1" and rows[1]["ID"] == ("t2" * 10)[:12]
