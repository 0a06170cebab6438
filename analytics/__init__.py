"""Analytics over the store: social trends, sentiment, market prices and indices."""
