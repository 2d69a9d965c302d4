"""Realistic demo data for opsmart: a simulated contact center (``opsmart generate``).

Arrivals follow a non-homogeneous Poisson process, agents are rostered by the
square-root staffing rule and serve contacts first-come-first-served with customer
abandonment; CSAT, NPS and churn depend on the service customers got, with the true
effects written to ``truth.json``.
"""

from __future__ import annotations

from opsmart.synth.config import GeneratorConfig
from opsmart.synth.generate import GenerateSummary, generate

__all__ = ["GenerateSummary", "GeneratorConfig", "generate"]
