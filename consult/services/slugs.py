"""The first free web address for a new consultation, organisation or glossary term."""

from collections.abc import Iterable

from sqlalchemy import or_, select

from consult.extensions import db


def free_slug(model, base: str, *, exclude_id: int | None = None, reserved: Iterable[str] = ()):
    """`base`, or `base-2`, `base-3`, ... whichever no other row of `model` uses yet."""
    # The base holds only [a-z0-9-], so it cannot smuggle LIKE wildcards in.
    query = select(model.slug).where(or_(model.slug == base, model.slug.like(f"{base}-%")))
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    taken = set(db.session.scalars(query)) | set(reserved)
    if base not in taken:
        return base
    suffix = 2
    while f"{base}-{suffix}" in taken:
        suffix += 1
    return f"{base}-{suffix}"
