"""The thresholds of the suites, in one place: bands, volume and drift."""

from __future__ import annotations

__all__ = [
    "AHT_DRIFT_RATIO_BAND",
    "AHT_SECONDS_BAND",
    "CONTACT_SECONDS_MAX",
    "CONTACT_WAIT_SECONDS_MAX",
    "COST_PER_AGENT_HOUR_BAND",
    "CSAT_DRIFT_POINTS",
    "DAYS_BEFORE_RUN_DATE_MIN",
    "DEFERRED_ASA_SECONDS_MAX",
    "DRIFT_TRAILING_DAYS",
    "OCCUPANCY_RATE_MAX",
    "REALTIME_ASA_SECONDS_MAX",
    "REALTIME_WAIT_SECONDS_MAX",
    "SERVICE_LEVEL_DRIFT_POINTS",
    "SHRINKAGE_RATE_MAX",
    "STATE_SECONDS_TOLERANCE",
    "UTILIZATION_RATE_MAX",
    "VOLUME_RATIO_BAND",
    "VOLUME_TRAILING_WEEKS",
]

# ------------------------------------------------------------------------------
# Thresholds. Bands are wide on purpose: a normal day never trips them; they catch unit
# mistakes (milliseconds for seconds, percent for fractions), broken joins, dead feeds.
# ------------------------------------------------------------------------------

#: One contact's talk, hold, after-contact work or IVR time above 4 h is implausible.
CONTACT_SECONDS_MAX = 4 * 3600.0
#: One contact's queue wait: e-mail waits for hours; a week means a stuck item.
CONTACT_WAIT_SECONDS_MAX = 7 * 86400.0
#: A voice or chat contact waiting over 2 h in the queue is implausible.
REALTIME_WAIT_SECONDS_MAX = 2 * 3600.0
#: AHT of an interval or a day: 10 s to 1 h (below is a unit or join error).
AHT_SECONDS_BAND = (10.0, 3600.0)
#: ASA of an interval or a day, voice and chat: over 1 h means a unit error.
REALTIME_ASA_SECONDS_MAX = 3600.0
#: ASA of an interval or a day, e-mail and messages: up to 3 days.
DEFERRED_ASA_SECONDS_MAX = 3 * 86400.0
#: Daily occupancy / utilization above 97 % is not sustainable: suspect staffing data.
OCCUPANCY_RATE_MAX = 0.97
UTILIZATION_RATE_MAX = 0.97
#: Daily shrinkage above 60 % of staffed time: suspect aux-state coding.
SHRINKAGE_RATE_MAX = 0.60
#: A team's loaded cost per agent-hour, any currency unit of the demo's order.
COST_PER_AGENT_HOUR_BAND = (1.0, 1000.0)
#: Agent states may miss the staffed time by rounding only (seconds).
STATE_SECONDS_TOLERANCE = 1.0
#: Rows of a load may start up to a day after the run date (time zones), never later.
DAYS_BEFORE_RUN_DATE_MIN = -1

#: Volume: rows of the run date vs the mean of the same weekday over the trailing weeks.
VOLUME_TRAILING_WEEKS = 4
VOLUME_RATIO_BAND = (0.5, 1.5)

#: Drift: the window's mean vs the trailing days before the window.
DRIFT_TRAILING_DAYS = 28
#: Window AHT within x0.8 .. x1.25 of the trailing AHT.
AHT_DRIFT_RATIO_BAND = (0.8, 1.25)
#: Window service level within +-15 points of the trailing one (daily SL varies ~10).
SERVICE_LEVEL_DRIFT_POINTS = 0.15
#: Window CSAT (top-2-box share) within +-15 points (a day has ~60 answers, SE ~0.06).
CSAT_DRIFT_POINTS = 0.15
