"""The base of the graph's and the results' attrs classes: one `__repr__` for all.

attrs writes and compiles a `__repr__` for every class it makes, a third of the
cost of making the class; a warm `nhnprice report` makes about twenty of them at
start-up. This one reads the fields at call time and prints what attrs would.
"""

from __future__ import annotations

import functools

import attrs


class Record:
    __slots__ = ()

    def __repr__(self) -> str:
        fields = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in attrs.fields(type(self)) if f.repr)
        return f"{type(self).__qualname__}({fields})"


#: `attrs.frozen` for subclasses of Record
frozen = functools.partial(attrs.frozen, repr=False)
