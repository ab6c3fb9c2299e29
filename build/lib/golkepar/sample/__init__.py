"""Realistic, deterministic OVH web-hosting logs: for the demo, the tests and the benchmark.

`write_site_logs` writes a site's daily access and error logs with a ground truth of who
did what; `write_bench_log` writes one large log fast; `SAMPLE_NETWORKS` says where every
generated address is.
"""

from __future__ import annotations

from golkepar.sample.bench import BenchLog, write_bench_log
from golkepar.sample.networks import SAMPLE_NETWORKS, network_of
from golkepar.sample.site import write_site_logs
from golkepar.sample.truth import ActorTruth, RejectTruth, SampleLogs

__all__ = [
    "SAMPLE_NETWORKS",
    "ActorTruth",
    "BenchLog",
    "RejectTruth",
    "SampleLogs",
    "network_of",
    "write_bench_log",
    "write_site_logs",
]
