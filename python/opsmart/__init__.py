"""opsmart: an integrated operations + marketing KPI pipeline for service teams."""

__version__ = "0.1.0"
