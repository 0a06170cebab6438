"""The exception of Big Market's analytics.

Exceptions::

    MarketAnalyticsError    an analysis asked for something the data cannot give
"""


class MarketAnalyticsError(Exception):
    """Raised for a request the data cannot answer: a base period without prices,
    a threshold of 0, no region where one is needed. The message says what to give.
    """
