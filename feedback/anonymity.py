"""The keyed hash that lets an anonymous author find their own entries.

`author_key = HMAC-SHA256(secret, "<round id>:<user id>")` with a secret derived
from SECRET_KEY. Without the secret the key cannot be traced to a user; it is
scoped to one round, so a person's anonymous entries in different rounds do not
link to each other. Keys made with SECRET_KEY_FALLBACKS still match, so a key
rotation does not cut authors off from their entries.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.crypto import salted_hmac

KEY_SALT = "silta.feedback.anonymous-author"


def author_key(*, round_id: int, user_id: int, secret: str | None = None) -> str:
    """The key stored on an anonymous entry written by this user in this round."""
    return salted_hmac(
        KEY_SALT, f"{round_id}:{user_id}", secret=secret, algorithm="sha256"
    ).hexdigest()


def author_keys(*, round_id: int, user_id: int) -> list[str]:
    """This user's key for the round under the current and every fallback secret."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [author_key(round_id=round_id, user_id=user_id, secret=s) for s in secrets]
