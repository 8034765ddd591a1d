-- velodesk schema (issue 17, the docking dispute): every report a station's dock makes about
-- a bike it could not take back (R12: a lock error, an unrecognised bike) and every time
-- another rider asked a station for a bike still in a rental, kept with the station, the
-- dock, the bike, the rental and the time. The rental row keeps only its last lock error;
-- a dispute needs them all, and a dock's history of faults (the depot's faulty-dock alert).
CREATE TABLE dock_reports (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    station_id INTEGER NOT NULL REFERENCES stations (id),
    dock       INTEGER,
    bike_id    INTEGER NOT NULL REFERENCES bikes (id),
    rental_id  INTEGER REFERENCES rentals (id),
    -- who asked for the bike ('asked-for'); the renting rider is the rental's
    rider_id   INTEGER REFERENCES riders (id),
    kind       TEXT NOT NULL CHECK (kind IN ('lock-error', 'unrecognised', 'asked-for'))
) STRICT;
CREATE INDEX dock_reports_bike ON dock_reports (bike_id, at);
CREATE INDEX dock_reports_station ON dock_reports (station_id, dock, at);
CREATE INDEX dock_reports_at ON dock_reports (at) WHERE kind != 'asked-for';
