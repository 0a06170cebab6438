"""Analytics over stored records: for Big Social, sentiment, issues, trends,
reputation of tracked entities, semantic search and the ingestion pipeline.

Exceptions::

    AnalyticsError                 base of this layer
     ├── SocialConfigError         tracked entities or the issue taxonomy are invalid
     ├── TrainingDataError         training data missing or malformed (names file, line)
     └── ModelNotTrainedError      the sentiment model file is missing or stale
"""

from __future__ import annotations


class AnalyticsError(Exception):
    """Base of every analytics error."""

    retryable = False


class SocialConfigError(AnalyticsError):
    """Raised when tracked entities or the issue taxonomy in the config are invalid."""


class TrainingDataError(AnalyticsError):
    """Raised when training data is missing or malformed; names the file and line."""


class ModelNotTrainedError(AnalyticsError):
    """Raised when the sentiment model file is missing; run ``bigone train sentiment``."""
