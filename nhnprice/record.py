"""The base of the graph's and the results' attrs classes: one `__repr__`, `__eq__` and `__hash__` for all.

attrs writes and compiles these methods for every class it makes, most of the
cost of making the class; a warm `nhnprice report` makes about twenty of them at
start-up, before it has done any work. These read the fields at call time and do
what attrs' would: `repr` prints the fields with `repr=True`; two records are
equal when they are of the same class and their fields with `eq=True` are equal
(a span never counts); the hash is that of the same fields. Records are frozen,
so the hash never changes.
"""

from __future__ import annotations

import functools

import attrs


class Record:
    __slots__ = ()

    def __repr__(self) -> str:
        fields = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in attrs.fields(type(self)) if f.repr)
        return f"{type(self).__qualname__}({fields})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in _compared(self.__class__))

    def __hash__(self) -> int:
        cls = self.__class__
        return hash((cls, *(getattr(self, name) for name in _hashed(cls))))


@functools.cache
def _compared(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in attrs.fields(cls) if f.eq)


@functools.cache
def _hashed(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in attrs.fields(cls) if (f.eq if f.hash is None else f.hash))


#: `attrs.frozen` for subclasses of Record (whose `__repr__`, `__eq__` and `__hash__` are Record's)
frozen = functools.partial(attrs.frozen, repr=False, eq=False)
