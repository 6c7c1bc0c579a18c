"""Login rate limiting: failed sign-ins counted per (username, IP) and per IP.

Argon2id makes each guess cost the attacker about 100 ms of the node's time;
the limiter caps how many guesses count at all. Within a sliding window
(``SUAR_LOGIN_RATE_WINDOW``, 15 minutes by default) at most
``SUAR_LOGIN_RATE_LIMIT`` (5) failures are allowed for one username from one
address and ``SUAR_LOGIN_RATE_LIMIT_IP`` (20) from one address whatever the
usernames; past that, attempts are refused without checking the password until
the oldest failure leaves the window. A successful sign-in clears its
(username, IP) count. Locking per username *and* address means an attacker
elsewhere cannot lock a user out.

Counts live in the server process: a node run with several processes keeps one
count per process (the documented limits then apply per process).
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from datetime import datetime, timedelta
from typing import Final

#: Most (username, IP) and IP keys kept; the stalest are dropped first past that.
MAX_KEYS: Final = 50_000


class LoginLimiter:
    """Sliding-window counters of failed sign-ins; safe to share between threads."""

    def __init__(self, *, per_user_ip: int, per_ip: int, window: timedelta) -> None:
        if per_user_ip < 1 or per_ip < 1 or window <= timedelta(0):
            raise ValueError("rate limits and the window must be positive")
        self.per_user_ip = per_user_ip
        self.per_ip = per_ip
        self.window = window
        self._failures: OrderedDict[tuple[str, str], deque[datetime]] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _keys(username: str, ip: str) -> tuple[tuple[str, str], tuple[str, str]]:
        return ("user", f"{username.strip().lower()}\x00{ip}"), ("ip", ip)

    def retry_after(self, username: str, ip: str, now: datetime) -> timedelta | None:
        """How long until ``username`` may try again from ``ip``; None when it may now."""
        pair, address = self._keys(username, ip)
        with self._lock:
            waits = [
                self._wait(pair, self.per_user_ip, now),
                self._wait(address, self.per_ip, now),
            ]
        found = [wait for wait in waits if wait is not None]
        return max(found) if found else None

    def failed(self, username: str, ip: str, now: datetime) -> bool:
        """Count a failed sign-in; True when this failure reaches a limit (a lockout starts)."""
        pair, address = self._keys(username, ip)
        with self._lock:
            self._add(pair, now)
            self._add(address, now)
            self._evict()
            return (
                len(self._failures[pair]) >= self.per_user_ip
                or len(self._failures[address]) >= self.per_ip
            )

    def succeeded(self, username: str, ip: str) -> None:
        """Forget the failures of ``username`` from ``ip`` (the address's count stays)."""
        pair, _ = self._keys(username, ip)
        with self._lock:
            self._failures.pop(pair, None)

    def _wait(self, key: tuple[str, str], limit: int, now: datetime) -> timedelta | None:
        times = self._failures.get(key)
        if times is None:
            return None
        self._prune(times, now)
        if len(times) < limit:
            return None
        # Allowed again once enough failures have aged out of the window.
        return times[len(times) - limit] + self.window - now

    def _add(self, key: tuple[str, str], now: datetime) -> None:
        times = self._failures.setdefault(key, deque())
        self._prune(times, now)
        times.append(now)
        self._failures.move_to_end(key)

    def _prune(self, times: deque[datetime], now: datetime) -> None:
        while times and times[0] <= now - self.window:
            times.popleft()

    def _evict(self) -> None:
        while len(self._failures) > MAX_KEYS:
            self._failures.popitem(last=False)
