"""Custom scalars shared by every domain of the schema."""

from strawberry.scalars import JSON

__all__ = ["JSON"]
