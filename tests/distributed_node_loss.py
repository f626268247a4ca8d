"""Run by test_distributed_ray.py in its own process: a three-node Ray cluster (``ray.cluster_utils.Cluster``)
loses the node of one replica mid-run; prints a JSON report on its last line.

Usage: python distributed_node_loss.py PAGES OUT MODEL RAY_TEMP_DIR
"""
from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path

import psutil
import ray
from ray.cluster_utils import Cluster

from idnews.distributed import ClusterSettings, process_files

MEGABYTES = 1024 * 1024


def has_replica(node: object) -> bool:
    raylet = psutil.Process(node.all_processes["raylet"][0].process.pid)  # type: ignore[attr-defined]
    return any("FileReplica" in " ".join(child.cmdline()) for child in raylet.children(recursive=True))


def main() -> None:
    pages, out, model, temp = (Path(arg) for arg in sys.argv[1:5])
    # Cluster.add_node records the head's address under Ray's default temp folder, not the head's temp_dir;
    # keep that file in this run's own folder too, and make sure the folder exists.
    os.environ["RAY_TMPDIR"] = str(temp)
    (temp / "ray").mkdir(parents=True, exist_ok=True)
    # The head has no CPUs, so the replicas run on the two worker nodes.
    cluster = Cluster(initialize_head=True, head_node_args={
        "num_cpus": 0, "temp_dir": str(temp), "include_dashboard": False, "object_store_memory": 80 * MEGABYTES})
    workers = [cluster.add_node(num_cpus=1, object_store_memory=80 * MEGABYTES) for _ in range(2)]
    cluster.wait_for_nodes()
    ray.init(address=cluster.address, log_to_driver=False)
    report: dict[str, object] = {}

    def remove_a_node() -> None:
        deadline = time.monotonic() + 300
        while sum(1 for _ in out.glob("*.json")) < 2 if out.is_dir() else True:
            if time.monotonic() > deadline:
                return
            time.sleep(0.01)
        victim = next((node for node in workers if has_replica(node)), workers[0])
        report["removed_node_had_replica"] = has_replica(victim)
        report["outputs_when_removed"] = sum(1 for _ in out.glob("*.json"))
        cluster.remove_node(victim, allow_graceful=False)

    watcher = threading.Thread(target=remove_a_node, daemon=True)
    watcher.start()
    summary = process_files(
        [pages], out, task="process", model=model, method="lead", fmt="json", progress=False,
        translator_options={"beam_size": 2, "max_length": 24, "guard": False},
        cluster=ClusterSettings(replicas=2, cpus_per_replica=0.5, files_per_task=1),
    )
    watcher.join(timeout=5)
    report.update(ok=summary.ok, failed=summary.failed, skipped=summary.skipped)
    ray.shutdown()
    cluster.shutdown()
    print(json.dumps(report))


if __name__ == "__main__":
    main()
