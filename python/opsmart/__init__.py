"""opsmart: an integrated operations + marketing KPI pipeline for service organisations."""

__version__ = "0.1.0"
