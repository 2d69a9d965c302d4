"""Survey answers that depend on the service: CSAT, relationship NPS, verbatims."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from opsmart.synth.config import CsatModel, NpsModel
from opsmart.synth.customers import logistic

__all__ = [
    "PHRASES",
    "THEMES",
    "choose_themes",
    "csat_scores",
    "nps_scores",
    "pick_comments",
]

THEMES: tuple[str, ...] = (
    "long_wait",
    "helpful_agent",
    "rude_agent",
    "billing_error",
    "app_bug",
    "price",
)

PHRASES: dict[str, tuple[str, ...]] = {
    "long_wait": (
        "I waited far too long to get through.",
        "The hold time was ridiculous.",
        "Took ages before anyone answered.",
        "Waiting in the queue for so long is not acceptable.",
        "Why does it always take this long to reach someone?",
    ),
    "helpful_agent": (
        "The agent was very helpful and friendly.",
        "Quick and clear answer, thank you!",
        "Great service, my problem was solved right away.",
        "The person I spoke to really knew what they were doing.",
        "Polite, patient and helpful.",
    ),
    "rude_agent": (
        "The agent was rude and did not listen.",
        "Nobody seemed to care about my problem.",
        "I was passed around and nothing got fixed.",
        "Unfriendly staff, I had to repeat everything.",
    ),
    "billing_error": (
        "My bill is wrong again.",
        "I was charged twice this month.",
        "The invoice does not match my plan.",
        "Still waiting for the refund I was promised.",
    ),
    "app_bug": (
        "The app keeps crashing when I log in.",
        "The website would not let me reset my password.",
        "Internet drops every evening and nobody fixes it.",
        "The app shows the wrong delivery date.",
    ),
    "price": (
        "Too expensive for what you get.",
        "Your prices went up again.",
        "Competitors offer the same for less.",
        "I want a cheaper plan.",
    ),
}

_LONG_WAIT_MINUTES = 3.0


def csat_scores(
    wait_minutes: NDArray[np.float64],
    unresolved: NDArray[np.bool_],
    model: CsatModel,
    rng: np.random.Generator,
) -> NDArray[np.int64]:
    """Draw CSAT scores 1-5 from the latent logistic top-2-box model.

    Parameters
    ----------
    wait_minutes
        Wait of each surveyed contact (minutes).
    unresolved
        True when the contact was not resolved (abandoned contacts included).
    model
        The coefficients.
    rng
        The random generator.

    Returns
    -------
    NDArray[np.int64]
        Scores: 4 or 5 with probability logistic(alpha + beta_wait * wait +
        beta_unres * unresolved), else 1, 2 or 3.
    """
    n = wait_minutes.size
    p_top = logistic(
        model.alpha + model.beta_wait * wait_minutes + model.beta_unres * unresolved
    )
    top = rng.random(n) < p_top
    five = rng.random(n) < model.p5_given_top
    low = rng.choice(np.arange(1, 4), size=n, p=np.asarray(model.bottom_probs))
    out: NDArray[np.int64] = np.where(top, np.where(five, 5, 4), low).astype(np.int64)
    return out


def nps_scores(
    mean_wait_minutes: NDArray[np.float64],
    unresolved: NDArray[np.float64],
    model: NpsModel,
    rng: np.random.Generator,
) -> NDArray[np.int64]:
    """Draw NPS scores 0-10 from the multinomial-logit category model.

    The category (detractor 0-6, passive 7-8, promoter 9-10) follows
    :class:`NpsModel`; within a category the score is drawn from fixed weights.
    """
    n = mean_wait_minutes.size
    pro = np.exp(
        model.pro0 + model.pro_wait * mean_wait_minutes + model.pro_unres * unresolved
    )
    det = np.exp(
        model.det0 + model.det_wait * mean_wait_minutes + model.det_unres * unresolved
    )
    total = 1.0 + pro + det
    u = rng.random(n) * total
    det_scores = rng.choice(
        np.arange(0, 7), size=n, p=np.asarray([0.05, 0.04, 0.06, 0.1, 0.15, 0.25, 0.35])
    )
    pas_scores = rng.choice(np.array([7, 8]), size=n, p=np.asarray([0.45, 0.55]))
    pro_scores = rng.choice(np.array([9, 10]), size=n, p=np.asarray([0.55, 0.45]))
    out: NDArray[np.int64] = np.where(
        u < det, det_scores, np.where(u < det + 1.0, pas_scores, pro_scores)
    ).astype(np.int64)
    return out


def choose_themes(
    positive: NDArray[np.bool_],
    wait_minutes: NDArray[np.float64],
    unresolved: NDArray[np.bool_],
    reason: NDArray[np.str_],
    rng: np.random.Generator,
) -> NDArray[np.int64]:
    """Pick each comment's theme (index into THEMES) from the experience.

    Long waits mostly give wait comments; unresolved billing reasons billing-error
    comments, unresolved technical reasons app-bug comments, sales reasons price
    comments; otherwise the agent theme follows the score (helpful / rude).
    """
    n = positive.size
    agent = np.where(positive, 1, 2)
    billing = np.isin(reason, ("billing_question", "payment_arrangement"))
    technical = np.isin(reason, ("technical_issue", "outage_report", "password_reset"))
    sales = np.isin(reason, ("cancellation", "plan_change", "new_order"))
    topical = np.where(billing, 3, np.where(technical, 4, np.where(sales, 5, agent)))
    u = rng.random(n)
    long_wait = wait_minutes >= _LONG_WAIT_MINUTES
    theme = np.where(
        long_wait & (u < 0.75),
        0,
        np.where(unresolved & (u < 0.85), topical, np.where(u < 0.9, agent, topical)),
    )
    out: NDArray[np.int64] = theme.astype(np.int64)
    return out


def pick_comments(themes: NDArray[np.int64], rng: np.random.Generator) -> list[str]:
    """One verbatim per theme index, drawn from the phrase bank."""
    u = rng.random(themes.size)
    out: list[str] = []
    for t, x in zip(themes.tolist(), u.tolist(), strict=True):
        bank = PHRASES[THEMES[t]]
        out.append(bank[int(x * len(bank))])
    return out
