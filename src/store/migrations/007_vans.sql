-- velodesk schema, version 7 (issue #16): the depot's vans. A bike in the 'van' state is in
-- the van `van_bikes` names (one taken at a van's stop); a van bike without a row there was
-- released by hand and belongs to no van of the plan. `vans` holds where each van did its
-- last stop, where its next route starts; a van with no row is at the depot.
CREATE TABLE vans (
    van        INTEGER PRIMARY KEY,
    station_id INTEGER NOT NULL REFERENCES stations (id),
    at         INTEGER NOT NULL
) STRICT;
CREATE TABLE van_bikes (
    bike_id INTEGER PRIMARY KEY REFERENCES bikes (id),
    van     INTEGER NOT NULL
) STRICT;
CREATE INDEX van_bikes_van ON van_bikes (van);
