//! The demo cities' station data (`assets/cities/<city>/`), bundled into the binary and
//! parsed here: Almaty Bike's real stations with their snapshot counts, and their Kazakh and
//! English names where they could be given honestly (`names.tsv`; empty = the Russian).

use crate::api::NewStation;
use crate::domain::StationId;

/// One station as the data file has it: the station to set up, and its snapshot's counts.
#[derive(Debug, Clone, PartialEq)]
pub struct CityStation {
    pub station: NewStation,
    /// Bikes docked in the snapshot.
    pub snapshot_bikes: u32,
    /// Docks out of service in the snapshot (neither holding a bike nor free).
    pub out_of_service: u32,
}

const ALMATY_STATIONS: &str = include_str!("../../assets/cities/almaty/stations.tsv");
const ALMATY_NAMES: &str = include_str!("../../assets/cities/almaty/names.tsv");

/// The demo cities there are data for.
pub const CITIES: &[&str] = &["almaty"];

/// The stations of a bundled demo city, in file order; `synthetic:N` makes N stations.
pub fn load(city: &str) -> Result<Vec<CityStation>, String> {
    if let Some(n) = city.strip_prefix("synthetic:") {
        return match n.parse::<u32>() {
            Ok(n) if (2..=20_000).contains(&n) => Ok(synthetic(n)),
            _ => Err(format!(
                "{city:?}: expected synthetic:N with N from 2 to 20000"
            )),
        };
    }
    match city {
        "almaty" => parse(ALMATY_STATIONS, ALMATY_NAMES),
        other => Err(format!(
            "no demo city {other:?} (there is data for: {})",
            CITIES.join(", ")
        )),
    }
}

/// A made-up city of `n` stations around Almaty's centre at Almaty Bike's density (about 3
/// stations a square km: a disc of radius √(n / 3π) km), on a sunflower spiral with a
/// seeded jitter, 6 to 16 docks each (Almaty's mean is 10). For scale runs only.
pub fn synthetic(n: u32) -> Vec<CityStation> {
    let mut rng = super::rng::SimRng::new(u64::from(n)).fork("synthetic");
    let radius_km = (f64::from(n) / (3.0 * std::f64::consts::PI)).sqrt();
    let golden = std::f64::consts::PI * (3.0 - 5f64.sqrt());
    let (lat0, lon0) = (43.245, 76.925);
    (0..n)
        .map(|i| {
            let r = radius_km * ((f64::from(i) + 0.5) / f64::from(n)).sqrt();
            let a = f64::from(i) * golden;
            let (dx, dy) = (
                r * a.cos() + rng.normal() * 0.08,
                r * a.sin() + rng.normal() * 0.08,
            );
            let lat = lat0 + dy / 111.2;
            let lon = lon0 + dx / (111.2 * lat0.to_radians().cos());
            let id = 5001 + i64::from(i);
            CityStation {
                station: NewStation {
                    id: StationId(id),
                    name: format!("Станция {id}"),
                    name_kk: None,
                    name_en: Some(format!("Station {id}")),
                    address: format!("synthetic {i}"),
                    lat,
                    lon,
                    docks: rng.between(6, 16) as u32,
                    active: true,
                },
                snapshot_bikes: 0,
                out_of_service: 0,
            }
        })
        .collect()
}

fn field<'a>(cols: &[&'a str], i: usize, file: &str, line: usize) -> Result<&'a str, String> {
    cols.get(i)
        .map(|s| s.trim())
        .ok_or_else(|| format!("{file}:{line}: expected at least {} columns", i + 1))
}

fn number<T: std::str::FromStr>(
    cols: &[&str],
    i: usize,
    what: &str,
    file: &str,
    line: usize,
) -> Result<T, String> {
    let text = field(cols, i, file, line)?;
    text.parse()
        .map_err(|_| format!("{file}:{line}: {what} {text:?} is not a number"))
}

/// Parse `stations.tsv` and `names.tsv`; the sales office (`sales=1`) is not a station.
pub fn parse(stations: &str, names: &str) -> Result<Vec<CityStation>, String> {
    const FILE: &str = "stations.tsv";
    let mut out = Vec::new();
    for (n, row) in stations.lines().enumerate().skip(1) {
        let line = n + 1;
        if row.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = row.split('\t').collect();
        if field(&cols, 7, FILE, line)? == "1" {
            continue;
        }
        let docks: u32 = number(&cols, 5, "total_slots", FILE, line)?;
        let bikes: u32 = number(&cols, 8, "avl_bikes", FILE, line)?;
        let free: u32 = number(&cols, 9, "free_slots", FILE, line)?;
        if bikes + free > docks {
            return Err(format!(
                "{FILE}:{line}: {bikes} bikes and {free} free docks exceed {docks} docks"
            ));
        }
        let name = field(&cols, 1, FILE, line)?.to_string();
        let address = field(&cols, 2, FILE, line)?;
        out.push(CityStation {
            station: NewStation {
                id: StationId(number(&cols, 0, "code", FILE, line)?),
                address: if address.is_empty() {
                    name.clone()
                } else {
                    address.to_string()
                },
                name,
                name_kk: None,
                name_en: None,
                lat: number(&cols, 3, "lat", FILE, line)?,
                lon: number(&cols, 4, "lon", FILE, line)?,
                docks,
                active: field(&cols, 6, FILE, line)? != "1" && docks > 0,
            },
            snapshot_bikes: bikes,
            out_of_service: docks - bikes - free,
        });
    }
    for (n, row) in names.lines().enumerate().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        if row.trim().is_empty() {
            continue;
        }
        let id: i64 = number(&cols, 0, "code", "names.tsv", n + 1)?;
        let Some(s) = out.iter_mut().find(|s| s.station.id.0 == id) else {
            return Err(format!(
                "names.tsv:{}: no station {id} in stations.tsv",
                n + 1
            ));
        };
        let text = |i: usize| {
            cols.get(i)
                .map(|t| t.trim())
                .filter(|t| !t.is_empty())
                .map(str::to_string)
        };
        s.station.name_kk = text(1);
        s.station.name_en = text(2);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn almaty_has_190_stations_and_the_snapshot_totals() {
        let all = load("almaty").unwrap();
        assert_eq!(all.len(), 190, "the sales office is not a station");
        assert_eq!(all.iter().map(|s| s.station.docks).sum::<u32>(), 1938);
        assert_eq!(all.iter().map(|s| s.snapshot_bikes).sum::<u32>(), 197);
        assert_eq!(all.iter().filter(|s| !s.station.active).count(), 12);
        let abai = &all
            .iter()
            .find(|s| s.station.id == StationId(1010))
            .unwrap()
            .station;
        assert_eq!(abai.name, "ст.Метро Абай");
        assert_eq!(abai.name_en.as_deref(), Some("Abai metro station"));
        assert!(
            all.iter()
                .map(|s| &s.station)
                .all(|s| (43.0..43.5).contains(&s.lat) && (76.7..77.2).contains(&s.lon))
        );
    }

    #[test]
    fn bad_data_names_file_and_line() {
        let bad = "code\tname\ta\tlat\tlon\tslots\ti\ts\tb\tf\n1\tX\tY\t43\t76\tten\t0\t0\t0\t0\n";
        let e = parse(bad, "code\n").unwrap_err();
        assert_eq!(e, "stations.tsv:2: total_slots \"ten\" is not a number");
        assert!(load("paris").unwrap_err().contains("almaty"));
    }
}
