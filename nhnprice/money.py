"""Money: integer øre, exact shares, and the one apportionment routine.

Every split of money in nhnprice goes through `apportion`, the largest
remainder method (Hamilton's method):

1. each part's exact quota is `total × weight / sum of weights`, a fraction,
   measured against the exact total (also when the total is not a whole
   number of units);
2. each part first gets its quota rounded down to the unit;
3. the units left over (the whole units of the total, less those given) go,
   one each, to the parts with the largest remainders;
4. **tie-break**: equal remainders are served in ascending order of the
   part's key (entity id, group id, pool id), so the result never depends on
   the order of the input.

Hence the parts sum exactly to the total rounded down to a whole number of
units (what is left, less than one unit, stays unallocated), every part is its
exact quota rounded down or up, so within one unit of it, and no part is
negative.
Largest remainder is not monotone in the total (the Alabama paradox): raising
the total by one unit can lower one part by one unit. What does hold, and is
tested, is that a larger total never lowers a part by more than one unit.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from fractions import Fraction
from math import lcm
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


class ZeroWeights(ValueError):
    """The weights of an apportionment sum to zero: nobody to give the money to."""


def integer_weights(weights: Mapping[K, int | Fraction]) -> dict[K, int]:
    """Scale exact weights to integers with the same ratios."""
    if type(weights) is dict and set(map(type, weights.values())) <= {int}:
        return weights  # the usual case: already integers (a million of them are not copied)
    scale = lcm(*{w.denominator for w in weights.values()})  # an int's denominator is 1
    if scale == 1:  # no Fraction arithmetic
        return {k: w if type(w) is int else int(w) for k, w in weights.items()}
    return {k: int(w * scale) for k, w in weights.items()}


#: from this many parts on, `apportion` uses the vectorised NumPy path when NumPy is installed
VECTORISE_FROM = 20_000
_INT64_MAX = 2**63 - 1


def apportion(total: int, weights: Mapping[K, int | Fraction], unit: int = 1) -> dict[K, int]:
    """Split `total` øre among the keys of `weights`, in whole multiples of `unit`.

    The parts sum to `total` rounded down to a multiple of `unit`; the caller
    accounts for that residual (it is zero when `unit` is 1 øre).
    Raises ZeroWeights when there is nothing to split by, ValueError on a
    negative total or weight.
    """
    if total < 0:
        raise ValueError(f"cannot apportion a negative amount ({total} øre)")
    if unit < 1:
        raise ValueError("the rounding unit must be at least 1 øre")
    if len(weights) >= VECTORISE_FROM:
        fast = _apportion_vectorised(total, weights, unit)
        if fast is not None:
            return fast
    ints = integer_weights(weights)
    if any(w < 0 for w in ints.values()):
        raise ValueError("weights must not be negative")
    weight_sum = sum(ints.values())
    if weight_sum == 0:
        if total == 0:
            return {k: 0 for k in ints}
        raise ZeroWeights("all weights are zero")
    units = total // unit
    parts: dict[K, int] = {}
    remainders: list[tuple[int, K]] = []
    given = 0
    # quotas in units, `total × w / (weight_sum × unit)`: of the exact total, not of its whole units
    scale = weight_sum * unit
    for key, w in ints.items():
        whole, remainder = divmod(total * w, scale)
        parts[key] = whole
        given += whole
        if remainder:
            remainders.append((remainder, key))
    left = units - given
    if left:
        remainders.sort(key=lambda rk: (-rk[0], rk[1]))
        for _, key in remainders[:left]:
            parts[key] += 1
    if unit != 1:
        parts = {k: v * unit for k, v in parts.items()}
    return parts


def apportion_parts(total: int, weights: Mapping[K, int | Fraction], unit: int = 1) -> list[int]:
    """`apportion`'s parts as a list, in the order of `weights`: for a key of a million entities,
    no dictionary of a million parts that the caller takes apart again."""
    if total >= 0 and unit >= 1 and len(weights) >= VECTORISE_FROM:
        parts = _vectorised_parts(total, weights, unit)
        if parts is not None:
            return parts
    return list(apportion(total, weights, unit).values())


def _apportion_vectorised(total: int, weights: Mapping[K, int | Fraction], unit: int) -> dict[K, int] | None:
    """`apportion` for large integer keys through NumPy; None when it does not apply."""
    parts = _vectorised_parts(total, weights, unit)
    return None if parts is None else dict(zip(weights, parts))


def _vectorised_parts(total: int, weights: Mapping[K, int | Fraction], unit: int) -> list[int] | None:
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - NumPy is optional
        return None
    values = weights.values()
    if not set(map(type, values)) <= {int}:
        return None
    keys = list(weights)
    try:
        array = np.fromiter(values, dtype=np.int64, count=len(keys))
    except OverflowError:
        return None
    parts = apportion_array(total, array, unit, keys)
    return None if parts is None else parts.tolist()


def apportion_array(total: int, weights, unit: int = 1, keys=None):
    """The same largest-remainder split over a NumPy int64 array of weights, exactly.

    Integer arithmetic only: every product `units × weight` must fit in 64 bits,
    or this returns None and the caller uses the pure-Python routine. Ties are
    broken as in `apportion`: by `keys` ascending when given, else by position.
    """
    import numpy as np

    if weights.dtype != np.int64:
        raise TypeError("weights must be an int64 array")
    if total < 0 or unit < 1:
        raise ValueError("total must be ≥ 0 and unit ≥ 1")
    n = len(weights)
    if n == 0:
        return weights.copy()
    # one pass for both checks: seen as unsigned, a negative weight is larger than any valid one
    largest = int(weights.view(np.uint64).max())
    if largest > _INT64_MAX:
        raise ValueError("weights must not be negative")
    units = total // unit
    if total * largest > _INT64_MAX or largest * n * unit > _INT64_MAX:
        return None
    weight_sum = int(weights.sum())
    if weight_sum == 0:
        if total == 0:
            return np.zeros(n, dtype=np.int64)
        raise ZeroWeights("all weights are zero")
    # quotas of the exact total, as in `apportion`; two arrays in all, reused in place: fresh
    # temporaries cost more in page faults than the arithmetic
    scale = weight_sum * unit
    remainders = np.multiply(weights, total)
    parts = np.floor_divide(remainders, scale)
    np.remainder(remainders, scale, out=remainders)
    left = units - int(parts.sum())
    if left:
        # the `left` largest remainders get one unit each; among equal remainders, the lowest keys
        candidates, need = _narrow(remainders, left, parts)
        values = remainders[candidates]
        cut = len(values) - need
        threshold = np.partition(values, cut)[cut]
        above = values > threshold
        parts[candidates[above]] += 1
        tied = candidates[values == threshold]
        need -= int(np.count_nonzero(above))
        if need < len(tied) and keys is not None:
            tied = np.array(sorted(tied.tolist(), key=lambda i: keys[i]), dtype=np.int64)
        parts[tied[:need]] += 1
    if unit != 1:
        np.multiply(parts, unit, out=parts)
    return parts


def _narrow(remainders, left: int, parts):
    """Find where the `left` largest remainders lie without sorting them all.

    A sample of the remainders brackets the boundary value; every remainder
    above the bracket gets its unit at once (added to `parts`), and only those
    inside it are returned as candidates, with how many of them still get one.
    The bracket is checked by counting, so a sample that misses (a skewed key)
    costs time, never exactness: then every position is a candidate.
    """
    import numpy as np

    n = len(remainders)
    if n < 1 << 16:
        return np.arange(n), left
    sample = np.sort(remainders[:: n // 8192])
    m = len(sample)
    at = (n - left) * m // n
    margin = 64
    low, high = sample[max(at - margin, 0)], sample[min(at + margin, m - 1)]
    above = remainders > high
    given = int(np.count_nonzero(above))
    if given > left:
        return np.arange(n), left
    candidates = np.flatnonzero((remainders >= low) & ~above)
    if given + len(candidates) < left:
        return np.arange(n), left
    np.add(parts, above, out=parts, casting="unsafe")
    return candidates, left - given


def apportion_equal_columns(per_row: int, rows: int, weights: Mapping[K, int | Fraction]) -> dict[K, list[int]]:
    """Split `rows` equal amounts of `per_row` øre each among the keys of `weights`;
    key -> what each row gives it, row by row.

    Each row sums to `per_row` exactly, and each key's total over all rows is the
    apportionment of the whole (`rows × per_row`) by `weights`, so no key gets more
    than its exact quota rounded up by one øre (`apportion`'s guarantee). Splitting
    every row alone would round the same way `rows` times over: 15 000 members
    could put 50 kr more on one pool than its share.

    Every row gets each key's quota rounded down; the øre left over are laid out
    key by key and dealt to the rows in turn, so no row gets more than one extra
    øre from any key.
    """
    if rows == 0:
        return {k: [] for k in weights}
    totals = apportion(per_row * rows, weights)
    ints = integer_weights(weights)
    weight_sum = sum(ints.values())
    out = {}
    position = 0  # the extra øre of all keys, one after another; position p goes to row p mod rows
    for key, w in ints.items():
        base = per_row * w // weight_sum
        column = [base] * rows
        extra = totals[key] - base * rows  # at most `rows`: a quota's fraction times rows, rounded up
        for p in range(position, position + extra):
            column[p % rows] += 1
        position += extra
        out[key] = column
    return out


def exact_quota(total: int, weight: int | Fraction, weight_sum: int | Fraction) -> Fraction:
    """The exact share of `total` a weight is entitled to, before rounding."""
    return Fraction(total) * Fraction(weight) / Fraction(weight_sum)
