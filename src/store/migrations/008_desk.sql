-- velodesk schema, version 8 (issue 17): the desk's case file.
--
-- Notes on a rider, a bike or a station (one of the three), a pinned one first; each note
-- is also audited (`add-note`, `add-fleet-note`, `pin-note`). The riders' notes kept in the
-- audit log until now are copied in (the audit keeps its records).
CREATE TABLE notes (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    staff      TEXT NOT NULL,
    rider_id   INTEGER REFERENCES riders (id),
    bike_id    INTEGER REFERENCES bikes (id),
    station_id INTEGER REFERENCES stations (id),
    text       TEXT NOT NULL,
    pinned     INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
    CHECK ((rider_id IS NOT NULL) + (bike_id IS NOT NULL) + (station_id IS NOT NULL) = 1)
) STRICT;
CREATE INDEX notes_rider ON notes (rider_id) WHERE rider_id IS NOT NULL;
CREATE INDEX notes_bike ON notes (bike_id) WHERE bike_id IS NOT NULL;
CREATE INDEX notes_station ON notes (station_id) WHERE station_id IS NOT NULL;
INSERT INTO notes (at, staff, rider_id, text)
    SELECT at, staff, rider_id, reason FROM audit
    WHERE action = 'add-note' AND reason <> '' AND rider_id IN (SELECT id FROM riders)
    ORDER BY id;

-- A call or a visit: its reason, its outcome once closed. A staff member has at most one
-- contact open on a rider; every audit record of theirs on that rider while it is open
-- names it (`audit.contact_id`, set when the record is written).
CREATE TABLE contacts (
    id        INTEGER PRIMARY KEY,
    rider_id  INTEGER NOT NULL REFERENCES riders (id),
    staff     TEXT NOT NULL,
    reason    TEXT NOT NULL,
    opened_at INTEGER NOT NULL,
    closed_at INTEGER,
    outcome   TEXT,
    note      TEXT NOT NULL DEFAULT '',
    CHECK ((closed_at IS NULL) = (outcome IS NULL))
) STRICT;
CREATE UNIQUE INDEX contacts_open ON contacts (staff, rider_id) WHERE closed_at IS NULL;
CREATE INDEX contacts_rider ON contacts (rider_id, id);
ALTER TABLE audit ADD COLUMN contact_id INTEGER REFERENCES contacts (id);
CREATE INDEX audit_contact ON audit (contact_id) WHERE contact_id IS NOT NULL;

-- R24: the cards a rider had before the one they hold, blocked when it was replaced.
CREATE TABLE old_cards (
    card       TEXT NOT NULL,
    rider_id   INTEGER NOT NULL REFERENCES riders (id),
    blocked_at INTEGER NOT NULL
) STRICT;
CREATE INDEX old_cards_card ON old_cards (card);

-- Cases: what a call could not finish. `owner` NULL is the desk's (anyone's to take).
CREATE TABLE cases (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    rider_id    INTEGER REFERENCES riders (id),
    owner       TEXT,
    status      TEXT NOT NULL CHECK (status IN ('open', 'waiting-rider', 'waiting-depot', 'closed')),
    next_action TEXT NOT NULL,
    due_at      INTEGER NOT NULL,
    opened_by   TEXT NOT NULL,
    opened_at   INTEGER NOT NULL,
    contact_id  INTEGER REFERENCES contacts (id),
    closed_at   INTEGER
) STRICT;
CREATE INDEX cases_open ON cases (status, due_at) WHERE status <> 'closed';
-- A case's own log: its notes and changes (contacts, messages and actions on its rider are
-- read beside it from their own tables).
CREATE TABLE case_log (
    id      INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    at      INTEGER NOT NULL,
    staff   TEXT NOT NULL,
    text    TEXT NOT NULL
) STRICT;
CREATE INDEX case_log_case ON case_log (case_id, id);

-- The shift's handover: what was open, item by item, each taken over by someone (or not).
CREATE TABLE handovers (
    id    INTEGER PRIMARY KEY,
    staff TEXT NOT NULL,
    at    INTEGER NOT NULL
) STRICT;
CREATE TABLE handover_items (
    id          INTEGER PRIMARY KEY,
    handover_id INTEGER NOT NULL REFERENCES handovers (id),
    kind        TEXT NOT NULL CHECK (kind IN ('case', 'cable-lock', 'fine', 'alert', 'note')),
    rider_id    INTEGER REFERENCES riders (id),
    -- A case item's case: whoever takes the item over takes the case.
    case_id     INTEGER REFERENCES cases (id),
    text        TEXT NOT NULL,
    acked_by    TEXT,
    acked_at    INTEGER
) STRICT;
CREATE INDEX handover_items_open ON handover_items (handover_id) WHERE acked_by IS NULL;
