"""The Satu Data catalog: metadata curation with history, search, quality
profiles, and the DCAT and CKAN views that portals harvest.

Exceptions::

    CatalogError                   base of this layer
     ├── DatasetNotFoundError      no dataset has the given id
     └── MetadataValidationError   an edit breaks the Satu Data vocabulary
"""

from catalog.errors import CatalogError, DatasetNotFoundError, MetadataValidationError

__all__ = ["CatalogError", "DatasetNotFoundError", "MetadataValidationError"]
