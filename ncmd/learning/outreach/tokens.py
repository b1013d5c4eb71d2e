"""Signed links for stakeholder contacts, who are not users of the platform.

Each link carries a small signed payload (the contact's internal number and what the link is for)
made with Django's signing and a salt per purpose, so a link for one purpose cannot be used for
another and nobody can make or alter one without the SECRET_KEY. A payload holds numbers only:
a link never shows anyone's name or address. Where an action must happen once (a vote, a feedback
response), the database's unique constraints make it so. Rotating SECRET_KEY (with the old key in
SECRET_KEY_FALLBACKS for a while) retires every link.
"""

from django.core import signing

# Purpose: how long its links last, in days (None: as long as the key is not rotated).
PURPOSES = {
    "unsubscribe": None,  # must keep working for as long as the e-mail can be found
    "event": 365,
    "feedback": 120,
    "vote": 365,
    "training": 730,
}


class BadLink(Exception):
    """The link is damaged, made up, for something else or too old."""


def make(purpose, **payload):
    if purpose not in PURPOSES:
        raise ValueError(f"unknown link purpose {purpose!r}")
    return signing.dumps(payload, salt=f"ncmd.outreach.{purpose}", compress=True)


def read(purpose, token):
    days = PURPOSES[purpose]
    try:
        return signing.loads(
            token, salt=f"ncmd.outreach.{purpose}",
            max_age=None if days is None else days * 86400,
        )  # fmt: skip
    except signing.SignatureExpired as error:
        raise BadLink("This link has expired. Ask the sender for a new one.") from error
    except signing.BadSignature as error:
        raise BadLink(
            "This link is not valid: check it was copied in full from the e-mail."
        ) from error
