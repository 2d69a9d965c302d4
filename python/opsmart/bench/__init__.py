"""Benchmarks of opsmart kernels (``python -m opsmart.bench queueing``)."""

from __future__ import annotations

__all__: list[str] = []
