"""Argument checks shared by the public functions of :mod:`opsmart`.

Every check names the offending parameter in backticks and states its domain and
the first bad value, e.g. ``"`service_time` must be > 0, got -3"``.  Booleans are
rejected with :class:`TypeError` (``True`` is not a count of agents).
"""

from __future__ import annotations

import numbers

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "as_count_array",
    "as_float_array",
    "as_probability",
    "check_positive_float",
    "is_scalar",
]


def _fmt(value: float) -> str:
    return format(float(value), "g")


def _as_numeric(value: ArrayLike, name: str) -> NDArray[np.float64]:
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"`{name}` must be a number, got bool {value!r}")
    arr = np.asarray(value)
    if arr.dtype == np.bool_:
        raise TypeError(f"`{name}` must be numeric, got a bool array")
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"`{name}` must be numeric, got dtype {arr.dtype}")
    out = arr.astype(np.float64)
    if np.isnan(out).any():
        raise ValueError(f"`{name}` must not be NaN, got nan")
    return out


def as_float_array(
    value: ArrayLike,
    name: str,
    *,
    lower: float = 0.0,
    strict: bool = False,
    upper: float | None = None,
    upper_strict: bool = False,
    allow_inf: bool = False,
) -> NDArray[np.float64]:
    """Return ``value`` as a float array after checking its domain.

    Parameters
    ----------
    value : array_like
        The argument.
    name : str
        Parameter name used in error messages.
    lower : float, default 0.0
        Lower bound.
    strict : bool, default False
        Whether the lower bound is exclusive.
    upper : float or None
        Optional upper bound.
    upper_strict : bool, default False
        Whether the upper bound is exclusive.
    allow_inf : bool, default False
        Whether ``+inf`` is accepted.

    Returns
    -------
    numpy.ndarray of float64
        The validated values.

    Raises
    ------
    TypeError
        For booleans and non-numeric input.
    ValueError
        For NaN, infinity (unless allowed) or values outside the domain.
    """
    out = _as_numeric(value, name)
    if not allow_inf and np.isinf(out).any():
        bad = out[np.isinf(out)].flat[0]
        raise ValueError(f"`{name}` must be finite, got {_fmt(bad)}")
    low_bad = out <= lower if strict else out < lower
    if low_bad.any():
        op = ">" if strict else ">="
        raise ValueError(
            f"`{name}` must be {op} {_fmt(lower)}, got {_fmt(out[low_bad].flat[0])}"
        )
    if upper is not None:
        up_bad = out >= upper if upper_strict else out > upper
        if up_bad.any():
            op = "<" if upper_strict else "<="
            raise ValueError(
                f"`{name}` must be {op} {_fmt(upper)}, got {_fmt(out[up_bad].flat[0])}"
            )
    return out


def as_count_array(
    value: ArrayLike, name: str, *, minimum: int = 0, allow_inf: bool = False
) -> NDArray[np.float64]:
    """Return integer-valued ``value`` (agents, capacity) as a float array.

    Parameters
    ----------
    value : array_like
        Whole numbers (floats with integral values are accepted).
    name : str
        Parameter name used in error messages.
    minimum : int, default 0
        Smallest allowed value.
    allow_inf : bool, default False
        Whether ``+inf`` (no limit) is accepted.

    Returns
    -------
    numpy.ndarray of float64
        The validated counts.

    Raises
    ------
    TypeError
        For booleans and non-numeric input.
    ValueError
        For NaN, non-integers or values below ``minimum``.
    """
    out = as_float_array(value, name, lower=float(minimum), allow_inf=allow_inf)
    finite = np.isfinite(out)
    frac = finite & (out != np.floor(np.where(finite, out, 0.0)))
    if frac.any():
        raise ValueError(
            f"`{name}` must be a whole number, got {_fmt(out[frac].flat[0])}"
        )
    return out


def as_probability(value: ArrayLike, name: str) -> NDArray[np.float64]:
    """Return ``value`` checked to lie in [0, 1].

    Parameters
    ----------
    value : array_like
        Fractions.
    name : str
        Parameter name used in error messages.

    Returns
    -------
    numpy.ndarray of float64
        The validated fractions.
    """
    return as_float_array(value, name, lower=0.0, upper=1.0)


def check_positive_float(value: float, name: str) -> float:
    """Return a scalar checked to be finite and > 0.

    Parameters
    ----------
    value : float
        The argument.
    name : str
        Parameter name used in error messages.

    Returns
    -------
    float
        The value as a Python float.

    Raises
    ------
    TypeError
        For booleans and non-numbers.
    ValueError
        For NaN, infinity or values <= 0.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"`{name}` must be a real number, got {value!r}")
    return float(as_float_array(value, name, strict=True))


def is_scalar(*values: ArrayLike | None) -> bool:
    """Return True when every argument is zero-dimensional.

    Parameters
    ----------
    *values : array_like
        Inputs of a public function.

    Returns
    -------
    bool
        Whether the result should be returned as Python scalars.
    """
    return all(v is None or np.ndim(v) == 0 for v in values)
