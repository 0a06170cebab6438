from tests.social_support import trained_sentiment

__all__ = ["trained_sentiment"]
