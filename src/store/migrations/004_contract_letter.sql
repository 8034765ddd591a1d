-- velodesk schema, version 4: what the decisions D18–D31 need the database to remember.

-- D21: a pass's own period end, before the season caps it (NULL: it runs to the season's
-- end, as a seasonal pass does), so a change of the season moves passes already sold. Rows
-- sold before this version keep the end they have.
ALTER TABLE passes ADD COLUMN period_end INTEGER;
UPDATE passes SET period_end = ends_at;

-- D12: who restricted the rider: the system at a posting (R18) or a supervisor by hand. The
-- reason's "by NAME:" prefix said so before; rows restricted before this version are read
-- from it once.
ALTER TABLE riders ADD COLUMN restriction_source TEXT
    CHECK (restriction_source IN ('system', 'hand'));
UPDATE riders SET restriction_source =
    CASE WHEN restricted = 0 THEN NULL
         WHEN restricted_reason LIKE 'by %' THEN 'hand'
         ELSE 'system' END;

-- D29: wrong PINs in a row (each less than 15 minutes after the one before) and the last one.
ALTER TABLE riders ADD COLUMN pin_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE riders ADD COLUMN pin_failed_at INTEGER;

-- R25: when the rider's contract ended (a refund), so it is not ended twice.
ALTER TABLE riders ADD COLUMN contract_ended_at INTEGER;

-- D28: an unlock cancelled before its bike was pulled (a service release, a block, a
-- restriction), and the refusal a later pull gets.
ALTER TABLE unlocks ADD COLUMN cancelled_at INTEGER;
ALTER TABLE unlocks ADD COLUMN cancelled_kind TEXT;
CREATE INDEX unlocks_rider ON unlocks (rider_id, expires_at);

-- R12: what a failed return was: the dock's lock error or an unrecognised bike.
ALTER TABLE rentals ADD COLUMN lock_error_kind TEXT
    CHECK (lock_error_kind IN ('lock-error', 'unrecognised'));
UPDATE rentals SET lock_error_kind = 'lock-error' WHERE lock_error_at IS NOT NULL;

-- D31: a rider whose nightly posting failed (the others posted): named in an alert until a
-- later posting succeeds.
CREATE TABLE posting_failures (
    rider_id  INTEGER PRIMARY KEY REFERENCES riders (id),
    since     INTEGER NOT NULL,
    midnight  INTEGER NOT NULL,
    error     TEXT NOT NULL
) STRICT;

-- D23: which concession categories get the concession price is part of each tariff. Tariffs
-- stored before this version gain the key their city's texts give (Almaty's article:
-- students and pensioners; Astana's A3: those and disability group 3).
UPDATE tariffs SET source = 'concession_categories = ["student", "pensioner"]  # D23 (added by velodesk 4)'
    || char(10) || source
    WHERE source NOT LIKE '%concession_categories%' AND source LIKE '%city = "Almaty"%';
UPDATE tariffs SET source = 'concession_categories = ["student", "pensioner", "disability3"]  # D23 (added by velodesk 4)'
    || char(10) || source
    WHERE source NOT LIKE '%concession_categories%';
CREATE INDEX riders_pin_locked ON riders (pin_failed_at) WHERE pin_failures >= 5;
