"""Writing a trail for tests, and tampering with it the way someone with database access could."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from suar.audit import canonical_json, entry_hash, parse_canonical_object, record
from suar.store import AuditLogRepository, Database

START = datetime(2025, 2, 3, 4, 5, 6, 789000, tzinfo=UTC)


def fill(db: Database, count: int, first: int = 1) -> None:
    """Append ``count`` entries, one per unit of work, a second apart."""
    for n in range(first, first + count):
        with db.write() as session:
            record(
                session,
                actor=f"user:u{n % 3}",
                action="case.read" if n % 2 else "post.read",
                target=f"case:{n}",
                details={"n": n, "note": "ยืนยัน ✓"},
                now=START + timedelta(seconds=n),
            )


@dataclass
class Attacker:
    """Someone with full access to the database, who removes the guard triggers first."""

    db: Database

    def _sql(self, statement: str, **params: object) -> None:
        with self.db.write() as session:
            if session.get_bind().dialect.name == "sqlite":
                session.execute(text("DROP TRIGGER IF EXISTS audit_entries_no_update"))
                session.execute(text("DROP TRIGGER IF EXISTS audit_entries_no_delete"))
            else:
                session.execute(
                    text("DROP TRIGGER IF EXISTS audit_entries_append_only ON audit_entries")
                )
            session.execute(text(statement), params)

    def entry(self, seq: int) -> dict[str, object]:
        with self.db.read() as session:
            row = AuditLogRepository(session).get(seq)
        assert row is not None
        return parse_canonical_object(row.entry)

    def set_entry(self, seq: int, body: dict[str, object], *, fix_hash: bool) -> None:
        new = canonical_json(body).decode()  # type: ignore[arg-type]
        if fix_hash:
            self._sql(
                "UPDATE audit_entries SET entry = :e, hash = :h WHERE seq = :s",
                e=new,
                h=entry_hash(new),
                s=seq,
            )
        else:
            self._sql("UPDATE audit_entries SET entry = :e WHERE seq = :s", e=new, s=seq)

    def set_raw(self, seq: int, raw: str) -> None:
        self._sql("UPDATE audit_entries SET entry = :e WHERE seq = :s", e=raw, s=seq)

    def set_column(self, seq: int, column: str, value: str) -> None:
        self._sql(f"UPDATE audit_entries SET {column} = :v WHERE seq = :s", v=value, s=seq)

    def delete(self, seq: int) -> None:
        self._sql("DELETE FROM audit_entries WHERE seq = :s", s=seq)

    def delete_from(self, seq: int) -> None:
        self._sql("DELETE FROM audit_entries WHERE seq >= :s", s=seq)

    def swap(self, a: int, b: int) -> None:
        self._sql("UPDATE audit_entries SET seq = -1 WHERE seq = :a", a=a)
        self._sql("UPDATE audit_entries SET seq = :a WHERE seq = :b", a=a, b=b)
        self._sql("UPDATE audit_entries SET seq = :b WHERE seq = -1", b=b)

    def rewrite_from(self, seq: int, change: dict[str, object]) -> None:
        """Change entry ``seq`` and re-chain every later entry, as a careful forger would."""
        with self.db.read() as session:
            rows = list(AuditLogRepository(session).iterate())
        prev = next((row.hash for row in rows if row.seq == seq - 1), "0" * 64)
        for row in rows:
            if row.seq < seq:
                continue
            body = parse_canonical_object(row.entry)
            if row.seq == seq:
                body.update(change)
            body["prev"] = prev
            new = canonical_json(body).decode()
            prev = entry_hash(new)
            self._sql(
                "UPDATE audit_entries SET entry = :e, hash = :h WHERE seq = :s",
                e=new,
                h=prev,
                s=row.seq,
            )
