-- velodesk schema, version 6 (issue #16): when each station became empty (no bike to rent),
-- full (no free working dock) or neither, written by the fleet moves in the transaction of
-- the move. The depot's demand forecast reads it: while a station is empty no rental can be
-- seen there, while full no return, so those periods are left out of its rates.
CREATE TABLE station_states (
    id         INTEGER PRIMARY KEY,
    station_id INTEGER NOT NULL REFERENCES stations (id),
    at         INTEGER NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('empty', 'ok', 'full')),
    bikes      INTEGER NOT NULL,
    free       INTEGER NOT NULL
) STRICT;
CREATE INDEX station_states_station ON station_states (station_id, id);
CREATE INDEX station_states_at ON station_states (at);
