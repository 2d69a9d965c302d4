"""Section 8, top customer-feedback themes: comment counts per theme and owning
department, with masked examples."""

from __future__ import annotations

from datetime import date, timedelta

from opsmart.report._html import (
    NA,
    esc,
    fmt_count,
    fmt_rate,
    note,
    table,
)
from opsmart.report.sections._common import (
    ReportContext,
    Row,
    _count,
    _counted,
    _missing_note,
    query,
)

__all__ = ["top_feedback"]

#: Customer feedback is summarised over this many days up to the run date.
FEEDBACK_DAYS = 28


#: Example comments shown per theme, and their length before "…".
_EXAMPLES_PER_THEME, _EXAMPLE_CHARS = 2, 180


def top_feedback(ctx: ReportContext, *, days: int = FEEDBACK_DAYS) -> str:
    """Comment counts per theme and owning department, with masked examples."""
    missing = _missing_note(ctx, "reports.rpt_customer_feedback")
    if missing:
        return missing
    start = None if ctx.run_date is None else ctx.run_date - timedelta(days=days - 1)
    themes = _theme_counts(ctx, start)
    if not themes:
        return _no_comments(ctx, start)
    by_theme = _examples_by_theme(ctx, start)
    totals = _department_totals(themes)
    # the busiest department first, and within it the most commented theme
    themes.sort(
        key=lambda t: (
            -totals[t["owning_department"]],
            t["owning_department"],
            -t["comments"],
            t["theme"],
        )
    )
    most = max(t["comments"] for t in themes) or 1
    rows, named = [], set()
    for theme in themes:
        department = theme["owning_department"]
        rows.append(
            [
                ""
                if department in named
                else f"<strong>{esc(department)}</strong><br>"
                f"<small class=muted>{totals[department]:,} theme mentions</small>",
                *_theme_cells(theme, most, by_theme.get(theme["theme"], [])),
            ]
        )
        named.add(department)
    span = (
        "All comments" if start is None else f"Comments from {start} to {ctx.run_date}"
    )
    return table(
        [
            "Owning department",
            "Theme",
            "Comments",
            "Below top-2-box",
            "Examples (masked)",
        ],
        rows,
        numeric=(2, 3),
        caption=f"{span}; a comment with two themes counts in both",
        css_class="feedback",
    )


#: The feedback window as a filter; its parameters are `_window_params`.
_WINDOW = "(? is null or responded_date between ? and ?)"


def _window_params(ctx: ReportContext, start: date | None) -> list[date | None]:
    # no run date (no contacts) means no window: every comment counts
    return [ctx.run_date, start, ctx.run_date]


def _theme_counts(ctx: ReportContext, start: date | None) -> list[Row]:
    """Comments, low scores and scored comments per department and theme."""
    return query(
        ctx,
        f"""
        select owning_department, theme,
            count(distinct response_id) as comments,
            count(distinct response_id) filter (where not is_top2box) as low_scores,
            count(distinct response_id) filter (where is_top2box is not null)
                as scored
        from reports.rpt_customer_feedback
        where {_WINDOW}
        group by owning_department, theme
        """,
        _window_params(ctx, start),
    )


def _examples_by_theme(ctx: ReportContext, start: date | None) -> dict[str, list[str]]:
    """The latest few distinct masked comments of each theme, shortened."""
    examples = query(
        ctx,
        f"""
        with comments as (
            select theme, masked_comment, max(responded_at) as responded_at
            from reports.rpt_customer_feedback
            where {_WINDOW}
            group by theme, masked_comment
        )

        select theme, masked_comment
        from comments
        qualify row_number() over (
            partition by theme order by responded_at desc, masked_comment
        ) <= {_EXAMPLES_PER_THEME}
        order by theme, responded_at desc, masked_comment
        """,
        _window_params(ctx, start),
    )
    by_theme: dict[str, list[str]] = {}
    for example in examples:
        text = _shorten(example["masked_comment"] or "")
        by_theme.setdefault(example["theme"], []).append(text)
    return by_theme


def _department_totals(themes: list[Row]) -> dict[str, int]:
    """Theme mentions per owning department; names a theme without one "unowned"
    in place, so the table and the totals agree."""
    totals: dict[str, int] = {}
    for theme in themes:
        theme["owning_department"] = theme["owning_department"] or "unowned"
        department = theme["owning_department"]
        totals[department] = totals.get(department, 0) + theme["comments"]
    return totals


def _theme_cells(theme: Row, most: int, examples: list[str]) -> list[str]:
    """Theme, comments (with a bar scaled to the most commented theme), share
    below top-2-box and example comments."""
    return [
        esc(theme["theme"].replace("_", " ")),
        f"{fmt_count(theme['comments'])}<span class=bar "
        f'style="width:{100 * theme["comments"] / most:.0f}px"></span>',
        fmt_rate(theme["low_scores"] / theme["scored"]) if theme["scored"] else NA,
        "<ul class=examples>"
        + "".join(f"<li>&ldquo;{esc(t)}&rdquo;</li>" for t in examples)
        + "</ul>",
    ]


def _no_comments(ctx: ReportContext, start: date | None) -> str:
    answers = _count(ctx, "marts.fct_survey_responses")
    if not answers:
        return note("No data: no survey answers are loaded.")
    comments = query(
        ctx,
        "select count(distinct response_id) as comments, max(responded_date) as latest "
        "from reports.rpt_customer_feedback",
    )[0]
    if not comments["comments"]:
        return note(
            f"No data: {_counted(answers, 'survey answer')} loaded, none with a "
            "comment."
        )
    return note(
        f"No data: no comments from {start} to {ctx.run_date}; "
        f"{_counted(comments['comments'], 'comment')} in all, the latest from "
        f"{comments['latest']}."
    )


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _EXAMPLE_CHARS else text[: _EXAMPLE_CHARS - 1] + "…"
