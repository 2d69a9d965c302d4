"""`opsmart explore`: a local, read-only, interactive app over a published warehouse.

`frames` reads what each page shows from the marts and reports (pure functions of
an open connection, tested without a browser); `formats` writes the numbers;
`app` is the Streamlit script, thin pages on top of both; `launch` checks the
warehouse and starts Streamlit on it (docs/explore.md).
"""

from __future__ import annotations

__all__: list[str] = []
