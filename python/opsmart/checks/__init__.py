"""Checks of the dbt project itself: CONTRIBUTING.md rules over manifest.json."""

from __future__ import annotations

from opsmart.checks.project_rules import RULES, Violation, check, load_exceptions

__all__ = ["RULES", "Violation", "check", "load_exceptions"]
