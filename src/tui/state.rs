//! What each list and page of the console holds: the stations' columns and statuses, the
//! selection kept on an item's identity (`Picked`), the riders' search, the pages.

use super::text::T;
use crate::api::RiderHit;
use crate::api::StationCounts;
use crate::api::{Alert, Personal, RiderView, StationView};
use crate::domain::{RiderId, StationId};
use std::cell::Cell;
use std::collections::HashMap;
use std::time::Instant;
use tui_input::Input;

/// Station table columns (sortable).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    Code,
    Name,
    Bikes,
    Free,
    OutOfService,
    Cable,
    Fill,
    Status,
    Changed,
}

impl Col {
    pub const ALL: [Col; 9] = [
        Col::Code,
        Col::Name,
        Col::Bikes,
        Col::Free,
        Col::OutOfService,
        Col::Cable,
        Col::Fill,
        Col::Status,
        Col::Changed,
    ];
}

/// A station's state in words (never colour alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StationStatus {
    Inactive,
    Empty,
    Full,
    Low,
    Ok,
}

impl StationStatus {
    pub fn of(s: &StationCounts) -> StationStatus {
        if !s.active {
            StationStatus::Inactive
        } else if s.bikes == 0 {
            StationStatus::Empty
        } else if s.free_docks == 0 {
            StationStatus::Full
        } else if s.bikes * 5 < s.docks {
            StationStatus::Low
        } else {
            StationStatus::Ok
        }
    }
    pub fn word(self) -> T {
        match self {
            StationStatus::Inactive => T::Inactive,
            StationStatus::Empty => T::Empty,
            StationStatus::Full => T::Full,
            StationStatus::Low => T::Low,
            StationStatus::Ok => T::Ok,
        }
    }
}

#[derive(Default)]
pub struct StationsState {
    pub rows: Vec<StationCounts>,
    /// Indexes into `rows`, filtered and sorted.
    pub visible: Vec<usize>,
    pub sort: (usize, bool),
    pub filter: Input,
    pub filtering: bool,
    pub selected: Option<StationId>,
    pub offset: Cell<usize>,
    pub flash: HashMap<StationId, Instant>,
    pub loaded: bool,
}

#[derive(Default)]
pub struct MapState {
    /// Visible span in degrees of latitude (zoom); 0 until the user zooms: fit the city.
    pub span: f64,
    /// The span that fitted the city at the last draw (zooming starts from it).
    pub fitted: Cell<f64>,
    /// The view's offset from the selected station, in degrees (east, north); a new
    /// selection brings the view back onto it.
    pub pan: (f64, f64),
}

/// The selected item of a live list, by its identity: when the list re-sorts, grows or
/// loses rows under the cursor, the cursor stays on the same item; when that item is gone
/// it stays on the same row (so what `Enter` opens is what the cursor shows).
#[derive(Debug, Clone, Default)]
pub struct Picked<K> {
    key: Option<K>,
    row: usize,
}

impl<K: PartialEq + Clone> Picked<K> {
    /// The row of the selected item in `keys` (the list as shown).
    pub fn index(&self, keys: &[K]) -> usize {
        match self
            .key
            .as_ref()
            .and_then(|k| keys.iter().position(|x| x == k))
        {
            Some(i) => i,
            None => self.row.min(keys.len().saturating_sub(1)),
        }
    }

    /// The selected item's key, if it is still in the list.
    pub fn key_in<'a>(&self, keys: &'a [K]) -> Option<&'a K> {
        keys.get(self.index(keys))
    }

    /// Move `d` rows (clamped) from where the cursor is in `keys`.
    pub fn step(&mut self, keys: &[K], d: isize) {
        let n = keys.len();
        let i = if n == 0 {
            0
        } else {
            (self.index(keys) as isize + d).clamp(0, n as isize - 1) as usize
        };
        self.pick(keys, i);
    }

    /// Select row `i` of `keys`.
    pub fn pick(&mut self, keys: &[K], i: usize) {
        self.row = i;
        self.key = keys.get(i).cloned();
    }

    /// Before the list is replaced: hold on to the item under the cursor in `shown` (the
    /// list as it was on the screen), so the new list's cursor follows it.
    pub fn hold(&mut self, shown: &[K]) {
        let i = self.index(shown);
        self.pick(shown, i);
    }
}

/// An alert's identity in the list: its kind and what it is about.
pub type AlertKey = (crate::api::AlertKind, Option<RiderId>, Option<StationId>);

pub fn alert_key(a: &Alert) -> AlertKey {
    (a.kind, a.rider, a.station)
}

#[derive(Default)]
pub struct RidersState {
    pub input: Input,
    pub typing: bool,
    pub seq: u64,
    pub shown: u64,
    pub hits: Vec<RiderHit>,
    pub selected: Picked<RiderId>,
}

impl RidersState {
    pub fn keys(&self) -> Vec<RiderId> {
        self.hits.iter().map(|h| h.id).collect()
    }
}

pub struct RiderPage {
    pub id: RiderId,
    pub view: Option<RiderView>,
    /// When the view came (the open rental's live duration counts on from it).
    pub fetched: Option<Instant>,
    pub revealed: Option<Personal>,
    pub scroll: u16,
}

pub struct StationPage {
    pub id: StationId,
    pub view: Option<StationView>,
    pub selected: usize,
}
