"""One post's text to a normal form, and the parts worth counting in it.

Steps, in order: URLs, mentions and hashtags are taken out (hashtags keep their
words in the text, CamelCase split); emoji are taken out, the common ones replaced
by an Indonesian word that carries their meaning; letters stretched for emphasis
("mantaaap") are squeezed; reduplication written with a 2 ("anak2") is spelled
out; slang and abbreviations are expanded from the shipped dictionary.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from indonesian.slang import expand_slang

URL_RE = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
MENTION_RE = re.compile(r"(?<![\w@])@(\w{1,30})")
HASHTAG_RE = re.compile(r"(?<![\w#])#(\w*[^\W\d_]\w*)")
CAMEL_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
STRETCH_RE = re.compile(r"([a-z])\1{2,}")
REDUPLICATION_RE = re.compile(r"\b([a-z]{2,})2\b")
TOKEN_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
TOKEN_OR_MARK_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*|[.,!?;:]")

# The emoji people use most in Indonesian posts, read as a word the sentiment
# model knows; other emoji are kept in ``emoji`` but dropped from the text.
EMOJI_WORDS = {
    "😂": "tertawa", "🤣": "tertawa", "😆": "tertawa", "😁": "senang", "😀": "senang",
    "😊": "senang", "🙂": "senang", "😍": "suka", "🥰": "suka", "❤": "suka",
    "❤️": "suka", "👍": "bagus", "👏": "hebat", "🔥": "hebat", "💪": "semangat",
    "🙏": "mohon", "😢": "sedih", "😭": "sedih", "😞": "kecewa", "😔": "kecewa",
    "😡": "marah", "🤬": "marah", "😠": "marah", "👎": "jelek", "🤮": "jijik",
    "😱": "takut", "😨": "takut", "😷": "sakit", "🤔": "bingung", "🙄": "kesal",
}  # fmt: skip


@dataclass(frozen=True)
class NormalisedText:
    """A post's text in normal form with what was taken out of it."""

    text: str
    tokens: tuple[str, ...]
    hashtags: tuple[str, ...]
    mentions: tuple[str, ...]
    urls: tuple[str, ...]
    emoji: tuple[str, ...]


def is_emoji(char: str) -> bool:
    """True for pictographs, symbols and their modifiers (not letters or digits)."""
    if char in "\u200d\ufe0f":
        return True
    code = ord(char)
    if 0x1F000 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF:
        return True
    return unicodedata.category(char) == "So"


def split_hashtag(tag: str) -> str:
    """The words of a hashtag: ``VaksinMerahPutih`` → ``vaksin merah putih``."""
    parts = CAMEL_RE.findall(tag.replace("_", " "))
    return " ".join(parts).lower() if parts else tag.lower()


def squeeze_stretched(text: str) -> str:
    """Letters repeated three times or more become one: ``mantaaap`` → ``mantap``."""
    return STRETCH_RE.sub(r"\1", text)


def spell_reduplication(text: str) -> str:
    """``anak2`` → ``anak-anak``, the way reduplication is written in full."""
    return REDUPLICATION_RE.sub(r"\1-\1", text)


def extract_emoji(text: str) -> tuple[str, list[str]]:
    """The text with emoji replaced by their word (or a space), and the emoji found."""
    found: list[str] = []
    out: list[str] = []
    for char in text:
        if not is_emoji(char):
            out.append(char)
            continue
        if char not in "\u200d\ufe0f":
            found.append(char)
        out.append(f" {EMOJI_WORDS[char]} " if char in EMOJI_WORDS else " ")
    return "".join(out), found


def tokenise(text: str, *, keep_punctuation: bool = False) -> list[str]:
    """Lower-case word tokens; ``keep_punctuation`` keeps clause marks as tokens."""
    pattern = TOKEN_OR_MARK_RE if keep_punctuation else TOKEN_RE
    return pattern.findall(text.lower())


def normalise_text(
    raw: str, *, expand: bool = True, keep_punctuation: bool = False
) -> NormalisedText:
    """The normal form of a post's text.

    ``expand`` expands slang and abbreviations; ``keep_punctuation`` keeps clause
    marks (. , ! ? ; :) as tokens, which negation scope needs.
    """
    urls = URL_RE.findall(raw)
    text = URL_RE.sub(" ", raw)
    mentions = [m.lower() for m in MENTION_RE.findall(text)]
    text = MENTION_RE.sub(" ", text)
    hashtags = [h.lower() for h in HASHTAG_RE.findall(text)]
    text = HASHTAG_RE.sub(lambda m: f" {split_hashtag(m.group(1))} ", text)
    text, emoji = extract_emoji(text)
    text = spell_reduplication(squeeze_stretched(text.lower()))

    tokens = tokenise(text, keep_punctuation=keep_punctuation)
    if expand:
        tokens = [part for token in tokens for part in expand_slang(token).split()]
    return NormalisedText(
        text=" ".join(tokens),
        tokens=tuple(tokens),
        hashtags=tuple(hashtags),
        mentions=tuple(mentions),
        urls=tuple(urls),
        emoji=tuple(emoji),
    )
