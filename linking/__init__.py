"""Entity linking: normalise, embed, block, score and cluster records into entities.

Exceptions::

    LinkingError            base of this layer
     └── ModelLoadError     the embedding model cannot be loaded
"""

from linking.errors import LinkingError, ModelLoadError

__all__ = ["LinkingError", "ModelLoadError"]
