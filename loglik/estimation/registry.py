"""The registry of distribution families that :func:`loglik.fit` resolves names through.

``estimation`` never imports ``models`` (the arrows point the other way), so the families
register themselves here: every subclass of :class:`loglik.models.distributions.Distribution`
that sets a ``name`` is added when its class statement runs. Importing any part of loglik runs
``loglik/__init__.py``, which imports the families, so the registry is always filled before a
name is looked up. A user-defined family registers the same way (subclass and set ``name``), or
explicitly with :func:`register_family`.
"""

from __future__ import annotations

__all__ = ["family_names", "get_family", "register_family"]

_FAMILIES: dict[str, type] = {}


def register_family(cls, name: str | None = None):
    """Add ``cls`` under ``name`` (default ``cls.name``); returns ``cls`` (usable as decorator)."""
    key = name or getattr(cls, "name", None)
    if not isinstance(key, str) or not key:
        raise ValueError(f"a family needs a non-empty string name, got {key!r}")
    _FAMILIES[key] = cls
    return cls


def family_names() -> list[str]:
    """The registered family names, in registration order."""
    return list(_FAMILIES)


def get_family(family):
    """The family class for a name, or ``family`` itself when it is already a family class.

    Raises ValueError listing the known names for an unknown one.
    """
    if isinstance(family, str):
        key = family.strip().lower().replace("-", "_").replace(" ", "_")
        if key in _FAMILIES:
            return _FAMILIES[key]
        raise ValueError(f"unknown family {family!r}; known: {', '.join(_FAMILIES)}")
    if isinstance(family, type) and hasattr(family, "_logpdf") and hasattr(family, "param_names"):
        return family
    hint = " (pass the class or its name; give starting values with start=)" * hasattr(
        family, "_logpdf"
    )
    raise ValueError(
        f"family must be a name ({', '.join(_FAMILIES)}) or a distribution class, "
        f"got {family!r}{hint}"
    )
