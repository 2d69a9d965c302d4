"""Text from outside the program (file names, headers, error texts), safe to print.

A landing file's name or an exception's text can hold a newline, a terminal escape
sequence or a right-to-left override. Printed as they are, they break the one-line
messages schedulers grep for, or change what the terminal shows.
"""

from __future__ import annotations

import unicodedata

__all__ = ["one_line"]


def one_line(text: str, *, limit: int | None = None) -> str:
    r"""`text` with control and format characters escaped, cut to `limit` characters.

    Parameters
    ----------
    text
        Any text; lone surrogates (a file name that is not UTF-8) are escaped too.
    limit
        The most characters returned (the last one then is "…"); None keeps all.

    Returns
    -------
    str
        One line of printable text.

    Examples
    --------
    >>> one_line("a\nb\x1b[31m")
    'a\\nb\\x1b[31m'
    >>> one_line("abcdef", limit=4)
    'abc…'
    """
    shown = "".join(
        char.encode("unicode_escape").decode("ascii")
        if unicodedata.category(char).startswith("C")
        else char
        for char in text
    )
    if limit is not None and len(shown) > limit:
        return shown[: limit - 1] + "…"
    return shown
