"""Published content as one principal may see it: posts and articles, listings.

Posts and marketplace listings are public where they were published, yet a
post carries personal data: a private author's handle (stored as a pseudonym,
which UU PDP still counts as personal data) and whatever people write about
themselves or others (phone numbers, NIKs, e-mail addresses, @handles). Those
are masked for principals who do not see the personal columns of
``social.posts``; public accounts (officials, agencies, news outlets) keep
their names. A private author's post URL names the handle, so it goes too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from security.errors import AccessDeniedError
from security.masking import HIDDEN, mask_text
from security.policy import AccessPolicy, DatasetAccess
from security.principal import Principal

AUTHOR_COLUMN = "author"
TEXT_COLUMN = "text"
# A handle or a run of digits in a text filter would test guesses of masked data.
_PROBE = re.compile(r"@|\d{5,}")


@dataclass(frozen=True)
class PostMasking:
    """What of a post is masked for one principal. Safe to share."""

    hides_authors: bool = False
    hides_text: bool = False

    def author(self, author: str | None, hashed: bool) -> str | None:
        """The author handle; a private author's pseudonym masked when needed."""
        if author is not None and hashed and self.hides_authors:
            return HIDDEN
        return author

    def text(self, text: str | None) -> str | None:
        """Free text with personal data masked when needed."""
        return mask_text(text) if self.hides_text else text

    def url(self, url: str | None, hashed: bool) -> str | None:
        """The link to the post; ``None`` when it would name a hidden author."""
        return None if hashed and self.hides_authors else url

    def require_text_filter(self, term: str | None) -> None:
        """Refuse a text filter that could probe personal data masked in the text.

        Like a masked column, masked text must not answer guesses: a term with
        an @handle, an e-mail, or five or more digits in a row is refused when
        the text reaches the principal masked. Raises ``AccessDeniedError``.
        """
        if not self.hides_text or not term:
            return
        if _PROBE.search(term) or mask_text(term) != term:
            raise AccessDeniedError(
                "filtering posts by handles, e-mail addresses or long numbers is "
                "not allowed: they are personal data you see masked; filter by "
                "words instead"
            )


def get_post_masking(
    policy: AccessPolicy, principal: Principal, posts: DatasetAccess
) -> PostMasking:
    """The masking of ``posts`` (the ``social.posts`` access) for ``principal``."""
    return PostMasking(
        hides_authors=policy.is_masked(principal, posts, AUTHOR_COLUMN),
        hides_text=policy.is_masked(principal, posts, TEXT_COLUMN),
    )
