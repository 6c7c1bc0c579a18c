"""The pieces under the login form: the rate limiter and the session codec."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from suar.web.ratelimit import LoginLimiter
from suar.web.secret import WebSecret
from suar.web.session import SessionCodec
from suar.web.ui.context import safe_next

T0 = datetime(2025, 3, 1, tzinfo=UTC)


def _limiter() -> LoginLimiter:
    return LoginLimiter(per_user_ip=3, per_ip=5, window=timedelta(minutes=10))


def test_the_limiter_locks_at_the_limit_and_slides_with_the_window() -> None:
    limiter = _limiter()
    assert limiter.failed("bob", "1.1.1.1", T0) is False
    assert limiter.failed("bob", "1.1.1.1", T0 + timedelta(minutes=4)) is False
    assert limiter.failed("BOB ", "1.1.1.1", T0 + timedelta(minutes=5)) is True
    assert limiter.retry_after("bob", "1.1.1.1", T0 + timedelta(minutes=6)) == timedelta(minutes=4)
    assert limiter.retry_after("bob", "2.2.2.2", T0 + timedelta(minutes=6)) is None
    assert limiter.retry_after("bob", "1.1.1.1", T0 + timedelta(minutes=10)) is None


def test_the_limiter_also_counts_an_address_across_usernames() -> None:
    limiter = _limiter()
    for n in range(5):
        limiter.failed(f"user{n}", "1.1.1.1", T0)
    assert limiter.retry_after("someone-else", "1.1.1.1", T0) == timedelta(minutes=10)
    limiter.succeeded("user1", "1.1.1.1")
    assert limiter.retry_after("someone-else", "1.1.1.1", T0) is not None


def _codec() -> SessionCodec:
    secret = WebSecret(b"0123456789abcdef0123456789abcdef")
    return SessionCodec(secret, lifetime=timedelta(hours=8), idle_timeout=timedelta(minutes=30))


def test_a_session_round_trips_and_its_csrf_token_is_bound_to_it() -> None:
    codec = _codec()
    session = codec.new(T0, user_id=7)
    decoded = codec.decode(codec.encode(session), T0 + timedelta(minutes=5))
    assert decoded == session
    assert codec.csrf_valid(session, codec.csrf_token(session))
    assert not codec.csrf_valid(codec.new(T0, user_id=7), codec.csrf_token(session))
    assert not codec.csrf_valid(session, None)


def test_a_session_signed_with_another_secret_is_refused() -> None:
    other = SessionCodec(
        WebSecret(b"fedcba9876543210fedcba9876543210"),
        lifetime=timedelta(hours=8),
        idle_timeout=timedelta(minutes=30),
    )
    assert _codec().decode(other.encode(other.new(T0, user_id=1)), T0) is None


@given(st.text(max_size=300))
def test_any_cookie_value_decodes_to_a_session_or_none(value: str) -> None:
    assert _codec().decode(value, T0) is None


@given(st.text(max_size=200))
def test_a_next_link_is_always_a_local_path(target: str) -> None:
    result = safe_next(target)
    assert result.startswith("/") and not result.startswith(("//", "/\\"))
    assert result == "/" or result == target
