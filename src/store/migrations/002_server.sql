-- velodesk schema, version 2: what `velodesk serve` adds. Staff sessions (only the token's
-- hash is stored), per-station keys for the docks (hashed), and idempotency records written
-- in the same transaction as the effect they stand for.

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    staff      TEXT NOT NULL REFERENCES staff (name),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    address    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX sessions_staff ON sessions (staff);

CREATE TABLE station_keys (
    station_id INTEGER PRIMARY KEY REFERENCES stations (id),
    key_hash   TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE idempotency (
    principal   TEXT NOT NULL,
    key         TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status      INTEGER NOT NULL,
    body        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (principal, key)
) STRICT;
CREATE INDEX idempotency_age ON idempotency (created_at);
