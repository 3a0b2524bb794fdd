"""Fault-injection runs: Redis outage, PostgreSQL restart, graceful shutdown, soak (python -m bench.faults)."""
