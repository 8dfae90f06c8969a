"""Argument checks of the public library functions of both studies: one ValueError line naming the argument, raised
before any computation (the parameter classes check their own fields, secure_isac.fields)."""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np


def instance(name: str, value: Any, cls, what: str | None = None) -> Any:
    """`value` if it is a `cls`, else ValueError("name: expected <what>, got <type>")."""
    if not isinstance(value, cls):
        raise ValueError(f"{name}: expected {what or cls.__name__}, got {type(value).__name__}")
    return value


def generator(name: str, value: Any) -> np.random.Generator:
    """A numpy random Generator (the library never draws from a global stream)."""
    return instance(name, value, np.random.Generator, "numpy.random.Generator (numpy.random.default_rng(seed))")


def number(name: str, value: Any, *, finite: bool = True, minimum: float | None = None) -> float:
    """A real number (Python or numpy; not a bool, not text) as float; finite unless `finite` is False, at least
    `minimum` if given."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name}: expected a real number, got {type(value).__name__} {value!r}")
    out = float(value)
    if math.isnan(out) or (finite and not math.isfinite(out)):
        raise ValueError(f"{name}: must be a finite number, got {value!r}")
    if minimum is not None and out < minimum:
        raise ValueError(f"{name}: must be >= {minimum:g}, got {value!r}")
    return out


def integer(name: str, value: Any, *, minimum: int | None = None) -> int:
    """An integer (Python or numpy; not a bool, not a float, not text), at least `minimum` if given."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name}: expected an integer, got {type(value).__name__} {value!r}")
    if minimum is not None and int(value) < minimum:
        raise ValueError(f"{name}: must be >= {minimum}, got {value!r}")
    return int(value)


def real_array(name: str, value: Any, *, shape: tuple | None = None, trailing: tuple | None = None,
               nonnegative: bool = False, positive: bool = False) -> np.ndarray:
    """`value` as a float array, refused unless it is real (a complex array would lose its imaginary part), finite,
    of `shape` (or with `trailing` as its last dimensions, any leading batch dimensions) and, if asked, >= 0 / > 0."""
    arr = np.asarray(value)
    if np.iscomplexobj(arr):
        raise ValueError(f"{name}: must be real, got complex values (their imaginary part would be dropped)")
    if arr.dtype.kind not in "iuf":
        raise ValueError(f"{name}: expected an array of real numbers, got {arr.dtype} values")
    arr = arr.astype(float, copy=False)
    if shape is not None and arr.shape != tuple(shape):
        raise ValueError(f"{name}: shape {arr.shape}, expected {tuple(shape)}")
    if trailing is not None and (arr.ndim < len(trailing) or arr.shape[arr.ndim - len(trailing):] != tuple(trailing)):
        dims = ", ".join(map(str, trailing))
        raise ValueError(f"{name}: shape {arr.shape}, expected (..., {dims}) (leading batch dimensions allowed)")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}: must be finite, got {int(np.sum(~np.isfinite(arr)))} NaN or infinite value(s)")
    if positive and np.any(arr <= 0):
        raise ValueError(f"{name}: must be > 0, got a minimum of {arr.min():g}")
    if nonnegative and np.any(arr < 0):
        raise ValueError(f"{name}: must be >= 0, got a minimum of {arr.min():g}")
    return arr
