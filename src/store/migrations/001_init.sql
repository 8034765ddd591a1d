-- velodesk schema, version 1. Times are UTC unix seconds; money is whole tenge (D7).

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Tariff versions (D8): the TOML text as loaded, applied to trips starting on or after.
CREATE TABLE tariffs (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    source         TEXT NOT NULL
) STRICT;

CREATE TABLE staff (
    name          TEXT PRIMARY KEY,
    role          TEXT NOT NULL CHECK (role IN ('agent', 'depot', 'supervisor', 'admin')),
    password_hash TEXT,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE riders (
    id                INTEGER PRIMARY KEY,
    surname           TEXT NOT NULL DEFAULT '',
    name              TEXT NOT NULL DEFAULT '',
    patronymic        TEXT NOT NULL DEFAULT '',
    phone             TEXT,
    email             TEXT,
    document          TEXT,
    address           TEXT,
    born              TEXT NOT NULL,
    resident          INTEGER NOT NULL,
    concession        TEXT CHECK (concession IN ('student', 'pensioner', 'disability3')),
    lang              TEXT NOT NULL DEFAULT 'ru' CHECK (lang IN ('kk', 'ru', 'en')),
    pin_hash          TEXT NOT NULL,
    card              TEXT UNIQUE,
    card_blocked      INTEGER NOT NULL DEFAULT 0,
    blocked_reason    TEXT,
    restricted        INTEGER NOT NULL DEFAULT 0,
    restricted_reason TEXT,
    -- cached balances; `velodesk check` re-verifies them from the ledger (D9)
    balance           INTEGER NOT NULL DEFAULT 0,
    bonus             INTEGER NOT NULL DEFAULT 0,
    deposit           INTEGER NOT NULL DEFAULT 0,
    accrued           INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    -- Unicode-lowercased names for prefix search (SQLite's NOCASE folds ASCII only, and
    -- riders are Иванов, Сәрсенбаев, Smith)
    surname_key       TEXT NOT NULL DEFAULT '',
    name_key          TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX riders_phone ON riders (phone);
CREATE INDEX riders_email ON riders (email COLLATE NOCASE);
CREATE INDEX riders_surname ON riders (surname_key);
CREATE INDEX riders_name ON riders (name_key);
CREATE INDEX riders_card ON riders (card);

-- The ledger: append-only (D9). Each entry moves money, bonus and deposit balances.
CREATE TABLE ledger (
    id         INTEGER PRIMARY KEY,
    rider_id   INTEGER NOT NULL REFERENCES riders (id),
    at         INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    money      INTEGER NOT NULL DEFAULT 0,
    bonus      INTEGER NOT NULL DEFAULT 0,
    deposit    INTEGER NOT NULL DEFAULT 0,
    actor      TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    method     TEXT,
    corrects   INTEGER REFERENCES ledger (id),
    rental_id  INTEGER,
    fine_id    INTEGER,
    accrual_id INTEGER UNIQUE
) STRICT;
CREATE INDEX ledger_rider ON ledger (rider_id, id);
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only (D9)'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only (D9)'); END;

-- Open debts (D10): the part of a posted charge the balance did not cover ...
CREATE TABLE debts (
    entry_id INTEGER PRIMARY KEY REFERENCES ledger (id),
    rider_id INTEGER NOT NULL REFERENCES riders (id),
    amount   INTEGER NOT NULL CHECK (amount > 0)
) STRICT;
CREATE INDEX debts_rider ON debts (rider_id, entry_id);
-- ... and which incoming money settled which debt (R19, D10).
CREATE TABLE settlements (
    id          INTEGER PRIMARY KEY,
    credit_entry INTEGER NOT NULL REFERENCES ledger (id),
    debt_entry  INTEGER NOT NULL REFERENCES debts (entry_id),
    amount      INTEGER NOT NULL CHECK (amount > 0)
) STRICT;
CREATE INDEX settlements_debt ON settlements (debt_entry);
CREATE INDEX settlements_credit ON settlements (credit_entry);

-- Accrued charges waiting for their posting (R17). Posting links the ledger entry, once.
CREATE TABLE accruals (
    id           INTEGER PRIMARY KEY,
    rider_id     INTEGER NOT NULL REFERENCES riders (id),
    kind         TEXT NOT NULL CHECK (kind IN ('pass-fee', 'trip-charge')),
    amount       INTEGER NOT NULL,
    at           INTEGER NOT NULL,
    due_at       INTEGER NOT NULL,
    label        TEXT NOT NULL DEFAULT '',
    rental_id    INTEGER,
    pass_id      INTEGER,
    posted_entry INTEGER REFERENCES ledger (id)
) STRICT;
CREATE INDEX accruals_due ON accruals (due_at) WHERE posted_entry IS NULL;
CREATE INDEX accruals_rider ON accruals (rider_id);
CREATE TRIGGER accruals_post_once BEFORE UPDATE ON accruals
WHEN OLD.posted_entry IS NOT NULL OR NEW.amount != OLD.amount OR NEW.rider_id != OLD.rider_id
BEGIN SELECT RAISE(ABORT, 'an accrual is posted once and never changed (D9)'); END;

CREATE TABLE passes (
    id              INTEGER PRIMARY KEY,
    rider_id        INTEGER NOT NULL REFERENCES riders (id),
    pass            TEXT NOT NULL,
    label           TEXT NOT NULL,
    price           INTEGER NOT NULL,
    bought_at       INTEGER NOT NULL,
    starts_at       INTEGER NOT NULL,
    ends_at         INTEGER NOT NULL,
    ended_at        INTEGER,
    all_inclusive   INTEGER NOT NULL,
    deposit         INTEGER NOT NULL,
    overuse_per_day INTEGER NOT NULL,
    deposit_settled INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX passes_rider ON passes (rider_id, starts_at);

CREATE TABLE fines (
    id          INTEGER PRIMARY KEY,
    rider_id    INTEGER NOT NULL REFERENCES riders (id),
    kind        TEXT NOT NULL,
    amount      INTEGER NOT NULL CHECK (amount > 0),
    rental_id   INTEGER,
    note        TEXT NOT NULL DEFAULT '',
    entered_by  TEXT NOT NULL,
    entered_at  INTEGER NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('pending', 'posted', 'rejected')),
    decided_by  TEXT,
    decided_at  INTEGER,
    entry_id    INTEGER REFERENCES ledger (id)
) STRICT;
CREATE INDEX fines_rider ON fines (rider_id);
CREATE INDEX fines_pending ON fines (status) WHERE status = 'pending';

CREATE TABLE stations (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    name_kk     TEXT,
    name_en     TEXT,
    address     TEXT NOT NULL DEFAULT '',
    lat         REAL NOT NULL DEFAULT 0,
    lon         REAL NOT NULL DEFAULT 0,
    active      INTEGER NOT NULL DEFAULT 1,
    target_fill INTEGER NOT NULL DEFAULT 50 CHECK (target_fill BETWEEN 0 AND 100),
    updated_at  INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE bikes (
    id         INTEGER PRIMARY KEY,
    state      TEXT NOT NULL CHECK (state IN ('docked', 'rental', 'cable-locked', 'van', 'repair', 'lost')),
    station_id INTEGER REFERENCES stations (id),
    faulty     INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL DEFAULT 0,
    CHECK ((state IN ('docked', 'cable-locked')) = (station_id IS NOT NULL))
) STRICT;
CREATE INDEX bikes_station ON bikes (station_id);

CREATE TABLE docks (
    station_id INTEGER NOT NULL REFERENCES stations (id),
    number     INTEGER NOT NULL,
    in_service INTEGER NOT NULL DEFAULT 1,
    bike_id    INTEGER UNIQUE REFERENCES bikes (id),
    PRIMARY KEY (station_id, number)
) STRICT;

CREATE TABLE rentals (
    id                 INTEGER PRIMARY KEY,
    rider_id           INTEGER NOT NULL REFERENCES riders (id),
    bike_id            INTEGER NOT NULL REFERENCES bikes (id),
    pass_id            INTEGER NOT NULL REFERENCES passes (id),
    chain_id           INTEGER NOT NULL,
    start_at           INTEGER NOT NULL,
    start_station      INTEGER REFERENCES stations (id),
    end_at             INTEGER,
    end_station        INTEGER REFERENCES stations (id),
    end_how            TEXT CHECK (end_how IN ('dock', 'cable-lock', 'staff', 'faulty')),
    lock_error_at      INTEGER,
    lock_error_station INTEGER,
    charge             INTEGER,
    overdue_at         INTEGER
) STRICT;
-- R8: one bike per rider; a bike in one rental at a time. The database enforces both.
CREATE UNIQUE INDEX rentals_open_rider ON rentals (rider_id) WHERE end_at IS NULL;
CREATE UNIQUE INDEX rentals_open_bike ON rentals (bike_id) WHERE end_at IS NULL;
CREATE INDEX rentals_rider ON rentals (rider_id, start_at);
CREATE INDEX rentals_open ON rentals (start_at) WHERE end_at IS NULL;

-- R10: an unlock waits 30 s for the bike to be pulled.
CREATE TABLE unlocks (
    id         INTEGER PRIMARY KEY,
    rider_id   INTEGER NOT NULL REFERENCES riders (id),
    bike_id    INTEGER NOT NULL REFERENCES bikes (id),
    at         INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    pulled_at  INTEGER
) STRICT;
CREATE INDEX unlocks_bike ON unlocks (bike_id, expires_at);

-- R14: calls from riders at a station that cannot take the bike, and staff permissions.
CREATE TABLE cable_calls (
    id          INTEGER PRIMARY KEY,
    rider_id    INTEGER NOT NULL REFERENCES riders (id),
    station_id  INTEGER NOT NULL REFERENCES stations (id),
    at          INTEGER NOT NULL,
    answered_at INTEGER
) STRICT;
CREATE TABLE cable_auths (
    id         INTEGER PRIMARY KEY,
    rider_id   INTEGER NOT NULL REFERENCES riders (id),
    station_id INTEGER NOT NULL REFERENCES stations (id),
    rental_id  INTEGER NOT NULL REFERENCES rentals (id),
    staff      TEXT NOT NULL,
    at         INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
) STRICT;

-- Every staff action, in the same transaction as its effect; never edited or deleted.
CREATE TABLE audit (
    id       INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL,
    at_local TEXT NOT NULL,
    staff    TEXT NOT NULL,
    role     TEXT NOT NULL,
    action   TEXT NOT NULL,
    rider_id INTEGER,
    target   TEXT NOT NULL DEFAULT '',
    reason   TEXT NOT NULL DEFAULT '',
    details  TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_staff ON audit (staff, id);
CREATE INDEX audit_rider ON audit (rider_id, id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log cannot be edited'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log cannot be edited'); END;

-- R27: what the rider was told (the outbox); a sender delivers, the default only records.
CREATE TABLE messages (
    id       INTEGER PRIMARY KEY,
    rider_id INTEGER NOT NULL REFERENCES riders (id),
    at       INTEGER NOT NULL,
    channel  TEXT NOT NULL,
    lang     TEXT NOT NULL,
    kind     TEXT NOT NULL,
    text     TEXT NOT NULL,
    sent_at  INTEGER
) STRICT;
CREATE INDEX messages_rider ON messages (rider_id, id);

-- The event log behind the live stream (resumable by id).
CREATE TABLE events (
    id      INTEGER PRIMARY KEY,
    at      INTEGER NOT NULL,
    kind    TEXT NOT NULL,
    payload TEXT NOT NULL
) STRICT;
