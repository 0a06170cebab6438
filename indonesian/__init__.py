"""Indonesian text handling: slang, elongation, emoji, hashtags, Javanese, dates.

Pure functions over strings; this package imports nothing of ours so that every
layer may use it. Modules by role:

- ``slang``: the shipped dictionaries (chat slang and abbreviations, Javanese and
  Tegalan/Ngapak words) and lookups in them.
- ``normalise``: one post's text to a normal form: stretched letters, emoji,
  hashtags, mentions, URLs, slang expanded; tokens for counting.
- ``language``: a language tag per post (``id``, ``jv``, ``en``, ``mixed``).
- ``relative_time``: Indonesian month names and relative times ("3 jam yang
  lalu", "kemarin") to aware datetimes, naive times read as WIB.
- ``stopwords``: the Indonesian stop-word list used when ranking terms.

Exceptions::

    IndonesianTextError       base of this package
     └── TimeParseError       a date or time text that cannot be read
"""

from __future__ import annotations


class IndonesianTextError(ValueError):
    """Base of every error raised by Indonesian text handling."""


class TimeParseError(IndonesianTextError):
    """Raised when a date or time text cannot be read; names the text."""
