//! The depot's van plan (issue #16), pure: a demand forecast learned from the trips the
//! system holds ([`forecast`]), the range of bikes that keeps each station's expected
//! failures lowest over the next hours ([`targets`]), ordered stops for the vans that
//! remove the most expected failures per km ([`routes`]), and today's greedy "suggested
//! moves" ([`greedy`], policy P1 of `velodesk bench rebalance`, also the console's list).
//! Everything here takes its facts and its time as arguments: no IO, no clock, no SQL.

pub mod forecast;
pub mod greedy;
pub mod risk;
pub mod routes;
pub mod targets;

use super::StationId;

/// A station as the planner sees it now.
#[derive(Debug, Clone, PartialEq)]
pub struct StationNow {
    pub id: StationId,
    /// (latitude, longitude).
    pub pos: (f64, f64),
    pub active: bool,
    /// Working docks (in service).
    pub docks: u32,
    /// Bikes a rider can take (docked, not faulty).
    pub bikes: u32,
    /// Free working docks.
    pub free: u32,
    /// The station's fixed target fill in percent (the console's today; P1).
    pub target_fill: u32,
}

/// Whether a station could serve riders: the periods the forecast treats as censored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occupancy {
    /// No bike to rent: departures are hidden.
    Empty,
    Ok,
    /// No free dock: returns are hidden.
    Full,
}

impl Occupancy {
    /// The class of a station with `bikes` rentable bikes and `free` free working docks.
    pub fn of(bikes: u32, free: u32) -> Occupancy {
        if bikes == 0 {
            Occupancy::Empty
        } else if free == 0 {
            Occupancy::Full
        } else {
            Occupancy::Ok
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Occupancy::Empty => "empty",
            Occupancy::Ok => "ok",
            Occupancy::Full => "full",
        }
    }

    pub fn parse(s: &str) -> Option<Occupancy> {
        match s {
            "empty" => Some(Occupancy::Empty),
            "ok" => Some(Occupancy::Ok),
            "full" => Some(Occupancy::Full),
            _ => None,
        }
    }
}

/// How the vans drive (ASSUMPTION: great-circle distance × 1.4 for the street network,
/// 20 km/h door to door in city traffic, 2 minutes to park and open the van per stop and
/// 20 s per bike taken or left).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Driving {
    pub road_factor: f64,
    pub speed_kmh: f64,
    pub stop_s: f64,
    pub per_bike_s: f64,
}

impl Default for Driving {
    fn default() -> Driving {
        Driving {
            road_factor: 1.4,
            speed_kmh: 20.0,
            stop_s: 120.0,
            per_bike_s: 20.0,
        }
    }
}

impl Driving {
    /// Road kilometres between two points.
    pub fn km(&self, a: (f64, f64), b: (f64, f64)) -> f64 {
        super::geo::km(a, b) * self.road_factor
    }

    /// Seconds to drive `km`.
    pub fn drive_s(&self, km: f64) -> f64 {
        km / self.speed_kmh * 3600.0
    }

    /// Seconds spent at a stop handling `bikes` bikes.
    pub fn handle_s(&self, bikes: u32) -> f64 {
        self.stop_s + self.per_bike_s * f64::from(bikes)
    }
}
