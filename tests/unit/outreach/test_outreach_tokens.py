"""Signed links: made for one purpose, unreadable for another, unforgeable."""

import pytest

from ncmd.learning.outreach import tokens


def test_a_link_reads_back_for_its_purpose():
    assert tokens.read("vote", tokens.make("vote", c=12)) == {"c": 12}


def test_a_link_for_another_purpose_is_refused():
    with pytest.raises(tokens.BadLink, match="not valid"):
        tokens.read("unsubscribe", tokens.make("vote", c=12))


def test_an_altered_link_is_refused():
    token = tokens.make("event", c=1, e=2)
    with pytest.raises(tokens.BadLink):
        tokens.read("event", token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))


def test_an_old_link_expires(settings, monkeypatch):
    token = tokens.make("feedback", r=3)
    monkeypatch.setitem(tokens.PURPOSES, "feedback", -1)
    with pytest.raises(tokens.BadLink, match="expired"):
        tokens.read("feedback", token)


def test_links_change_with_the_secret_key(settings):
    token = tokens.make("training", c=1, m=1)
    settings.SECRET_KEY = "another-secret-key-that-is-long-enough-for-django-0123456789"
    with pytest.raises(tokens.BadLink):
        tokens.read("training", token)


def test_unknown_purposes_are_a_programming_error():
    with pytest.raises(ValueError):
        tokens.make("anything", c=1)
