//! Routes for the vans: for V vans of capacity C, where each starts and when, an ordered
//! list of stops (take or leave how many, arrival time, load after) that removes the most
//! expected failures ([`super::targets::Dissatisfaction`]) per km driven. A compact
//! heuristic: cheapest feasible insertion of the move (take at A and leave at B, or either
//! alone) with the best gain per added km, round after round, then a local search that
//! relocates stops to shorten each route, then insertion again into the time it freed.
//! Capacity and the shift are kept at every stop; a station is taken from only down to its
//! range's low end and filled only up to its high end; no station is visited twice.
//! Deterministic: no randomness, ties broken by station order.

use super::targets::Dissatisfaction;
use super::{Driving, StationNow};
use crate::domain::StationId;
use chrono::{DateTime, Duration, Utc};

/// Where a van is when the plan starts.
#[derive(Debug, Clone, PartialEq)]
pub struct VanStart {
    pub pos: (f64, f64),
    /// Bikes in the van.
    pub load: u32,
    /// Seconds from now until it can start (it is finishing a stop).
    pub ready_s: f64,
}

/// What the planner is given.
#[derive(Debug, Clone)]
pub struct PlanInput<'a> {
    pub now: DateTime<Utc>,
    pub stations: &'a [StationNow],
    /// For each station (same order): expected failures by starting count.
    pub curves: &'a [Dissatisfaction],
    pub vans: &'a [VanStart],
    pub capacity: u32,
    /// Seconds from now a route may last (the shift's end, or the planning horizon).
    pub horizon_s: f64,
    pub driving: Driving,
    /// Moves that remove fewer expected failures than this are not worth a stop
    /// ([`MIN_GAIN`] unless tuned).
    pub min_gain: f64,
}

/// What a van does at a stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Take(u32),
    Leave(u32),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stop {
    pub station: StationId,
    pub action: Action,
    pub arrive: DateTime<Utc>,
    /// Bikes in the van after the stop.
    pub load_after: u32,
}

/// One route per van, and what the plan is expected to do.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    pub routes: Vec<Vec<Stop>>,
    /// Expected failures removed over the forecast's horizon.
    pub gain: f64,
    pub km: f64,
}

/// Km added to every move's cost, so that a move at a stop already made is not free.
const KAPPA_KM: f64 = 0.3;
/// Moves that remove fewer expected failures than this are not worth a stop (the default
/// of [`PlanInput::min_gain`]).
pub const MIN_GAIN: f64 = 0.05;
/// Candidates considered per round: the best donors and receivers, and for each donor its
/// nearest receivers.
const DONORS: usize = 30;
const RECEIVERS: usize = 30;
const NEAREST: usize = 10;

#[derive(Debug, Clone, Copy)]
struct RStop {
    st: usize,
    /// Change to the van's load: + taken, − left.
    q: i32,
}

struct Ctx<'a> {
    inp: &'a PlanInput<'a>,
    /// Net planned change of each station's bikes (+ left there, − taken).
    delta: Vec<i32>,
    /// Which route visits the station, if any.
    owner: Vec<Option<usize>>,
    range: Vec<(u32, u32)>,
}

impl Ctx<'_> {
    fn count(&self, i: usize) -> i32 {
        self.inp.stations[i].bikes as i32 + self.delta[i]
    }
    /// Gain of taking `q` more from station `i` (None when not allowed).
    fn take_gain(&self, i: usize, q: u32) -> Option<f64> {
        let x = self.count(i);
        let lo = self.range[i].0 as i32;
        if self.delta[i] > 0 || x - (q as i32) < lo {
            return None;
        }
        let c = &self.inp.curves[i];
        Some(c.at(x as u32) - c.at((x - q as i32) as u32))
    }
    /// Gain of leaving `q` more at station `i` (None when not allowed).
    fn leave_gain(&self, i: usize, q: u32) -> Option<f64> {
        let s = &self.inp.stations[i];
        let x = self.count(i);
        let room = s.free as i32 - self.delta[i].max(0);
        if self.delta[i] < 0 || q as i32 > room || x + q as i32 > self.range[i].1 as i32 {
            return None;
        }
        let c = &self.inp.curves[i];
        Some(c.at(x as u32) - c.at((x + q as i32) as u32))
    }
    fn max_take(&self, i: usize) -> u32 {
        (self.count(i) - self.range[i].0 as i32).max(0) as u32
    }
    fn max_leave(&self, i: usize) -> u32 {
        let s = &self.inp.stations[i];
        let room = s.free as i32 - self.delta[i].max(0);
        room.min(self.range[i].1 as i32 - self.count(i)).max(0) as u32
    }
    fn pos(&self, i: usize) -> (f64, f64) {
        self.inp.stations[i].pos
    }
}

struct Route {
    start: (f64, f64),
    load0: u32,
    ready_s: f64,
    stops: Vec<RStop>,
}

impl Route {
    /// Load in each gap: `l[g]` is carried into stop `g`; `l[n]` is the load at the end.
    fn loads(&self) -> Vec<i32> {
        let mut l = Vec::with_capacity(self.stops.len() + 1);
        let mut x = self.load0 as i32;
        l.push(x);
        for s in &self.stops {
            x += s.q;
            l.push(x);
        }
        l
    }
    fn prev_pos(&self, ctx: &Ctx<'_>, gap: usize) -> (f64, f64) {
        if gap == 0 {
            self.start
        } else {
            ctx.pos(self.stops[gap - 1].st)
        }
    }
    /// Km added by putting station `st` into gap `g`.
    fn add_km(&self, ctx: &Ctx<'_>, g: usize, st: usize) -> f64 {
        let d = &ctx.inp.driving;
        let p = self.prev_pos(ctx, g);
        let u = ctx.pos(st);
        match self.stops.get(g) {
            Some(n) => d.km(p, u) + d.km(u, ctx.pos(n.st)) - d.km(p, ctx.pos(n.st)),
            None => d.km(p, u),
        }
    }
    fn km(&self, ctx: &Ctx<'_>) -> f64 {
        let d = &ctx.inp.driving;
        let mut p = self.start;
        let mut km = 0.0;
        for s in &self.stops {
            km += d.km(p, ctx.pos(s.st));
            p = ctx.pos(s.st);
        }
        km
    }
    fn seconds(&self, ctx: &Ctx<'_>) -> f64 {
        let d = &ctx.inp.driving;
        self.ready_s
            + d.drive_s(self.km(ctx))
            + self
                .stops
                .iter()
                .map(|s| d.handle_s(s.q.unsigned_abs()))
                .sum::<f64>()
    }
    /// The gaps where station `st` may go: anywhere when unvisited, else only right after
    /// its stop (merged into it).
    fn gaps(&self, ctx: &Ctx<'_>, st: usize, me: usize) -> Option<Vec<usize>> {
        match ctx.owner[st] {
            None => Some((0..=self.stops.len()).collect()),
            Some(r) if r == me => self
                .stops
                .iter()
                .position(|s| s.st == st)
                .map(|k| vec![k + 1]),
            Some(_) => None,
        }
    }
}

/// A move found worth making.
#[derive(Debug, Clone, Copy)]
struct Cand {
    route: usize,
    score: f64,
    gain: f64,
    q: u32,
    take: Option<(usize, usize)>,
    leave: Option<(usize, usize)>,
}

/// Plan the vans' next stops.
pub fn plan(inp: &PlanInput<'_>) -> Plan {
    let n = inp.stations.len();
    let mut ctx = Ctx {
        inp,
        delta: vec![0; n],
        owner: vec![None; n],
        range: (0..n)
            .map(|i| match inp.curves.get(i) {
                Some(c) if inp.stations[i].active => c.range(),
                _ => (inp.stations[i].bikes, inp.stations[i].bikes),
            })
            .collect(),
    };
    let mut routes: Vec<Route> = inp
        .vans
        .iter()
        .map(|v| Route {
            start: v.pos,
            load0: v.load.min(inp.capacity),
            ready_s: v.ready_s,
            stops: Vec::new(),
        })
        .collect();
    let mut gain = 0.0;
    for _ in 0..2 {
        while let Some(c) = best_move(&ctx, &routes) {
            gain += c.gain;
            apply(&mut ctx, &mut routes, c);
        }
        for r in routes.iter_mut() {
            relocate(&ctx, r, inp.capacity);
        }
    }
    let km = routes.iter().map(|r| r.km(&ctx)).sum();
    Plan {
        routes: routes.iter().map(|r| stops_of(&ctx, r)).collect(),
        gain,
        km,
    }
}

fn best_move(ctx: &Ctx<'_>, routes: &[Route]) -> Option<Cand> {
    let inp = ctx.inp;
    let n = inp.stations.len();
    let cap = inp.capacity;
    let usable = |i: usize| inp.stations[i].active && i < inp.curves.len();
    let mut donors: Vec<(f64, usize)> = (0..n)
        .filter(|&i| usable(i) && ctx.max_take(i) > 0)
        .filter_map(|i| Some((ctx.take_gain(i, ctx.max_take(i).min(cap))?, i)))
        .collect();
    let mut receivers: Vec<(f64, usize)> = (0..n)
        .filter(|&i| usable(i) && ctx.max_leave(i) > 0)
        .filter_map(|i| Some((ctx.leave_gain(i, ctx.max_leave(i).min(cap))?, i)))
        .filter(|x| x.0 > 0.0)
        .collect();
    let order = |a: &(f64, usize), b: &(f64, usize)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    donors.sort_by(order);
    donors.truncate(DONORS);
    receivers.sort_by(order);
    receivers.truncate(RECEIVERS);
    let mut best: Option<Cand> = None;
    let mut offer = |c: Cand| {
        if c.gain >= inp.min_gain && best.is_none_or(|b| c.score > b.score) {
            best = Some(c);
        }
    };
    for (ri, r) in routes.iter().enumerate() {
        let l = r.loads();
        let secs = r.seconds(ctx);
        let budget = inp.horizon_s - secs;
        if budget <= 0.0 {
            continue;
        }
        let fits = |km: f64, q: u32, stops: f64| {
            inp.driving.drive_s(km)
                + inp.driving.per_bike_s * 2.0 * f64::from(q)
                + inp.driving.stop_s * stops
                <= budget
        };
        // Leave from what the van carries.
        for &(_, b) in &receivers {
            let Some(gaps) = r.gaps(ctx, b, ri) else {
                continue;
            };
            for g in gaps {
                let room = l[g..].iter().copied().min().unwrap_or(0).max(0) as u32;
                let Some((q, gn)) = best_q(room.min(ctx.max_leave(b)), |q| ctx.leave_gain(b, q))
                else {
                    continue;
                };
                let km = r.add_km(ctx, g, b);
                if fits(km, q, 1.0) {
                    offer(Cand {
                        route: ri,
                        score: gn / (km + KAPPA_KM),
                        gain: gn,
                        q,
                        take: None,
                        leave: Some((b, g)),
                    });
                }
            }
        }
        for &(tg, a) in &donors {
            let Some(ga) = r.gaps(ctx, a, ri) else {
                continue;
            };
            // Take alone (the bikes ride on in the van), when that helps by itself.
            if tg > 0.0 {
                for &g in &ga {
                    let room =
                        (cap as i32 - l[g..].iter().copied().max().unwrap_or(0)).max(0) as u32;
                    let Some((q, gn)) = best_q(room.min(ctx.max_take(a)), |q| ctx.take_gain(a, q))
                    else {
                        continue;
                    };
                    let km = r.add_km(ctx, g, a);
                    if fits(km, q, 1.0) {
                        offer(Cand {
                            route: ri,
                            score: gn / (km + KAPPA_KM),
                            gain: gn,
                            q,
                            take: Some((a, g)),
                            leave: None,
                        });
                    }
                }
            }
            // Take at A, leave at one of the receivers nearest to A.
            let mut near: Vec<(f64, usize)> = receivers
                .iter()
                .map(|&(_, b)| (inp.driving.km(ctx.pos(a), ctx.pos(b)), b))
                .collect();
            near.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
            for &(ab, b) in near.iter().take(NEAREST) {
                let Some(gb) = r.gaps(ctx, b, ri) else {
                    continue;
                };
                let qmax = ctx.max_take(a).min(ctx.max_leave(b)).min(cap);
                let pair = |q: u32| Some(ctx.take_gain(a, q)? + ctx.leave_gain(b, q)?);
                for &g in &ga {
                    let ka = r.add_km(ctx, g, a);
                    let mut peak = i32::MIN;
                    for (h, &lh) in l.iter().enumerate().skip(g) {
                        peak = peak.max(lh);
                        if !gb.contains(&h) {
                            continue;
                        }
                        let room = (cap as i32 - peak).max(0) as u32;
                        let Some((q, gn)) = best_q(room.min(qmax), pair) else {
                            continue;
                        };
                        let km = if h == g {
                            let p = r.prev_pos(ctx, g);
                            let d = &inp.driving;
                            let next = r.stops.get(g).map(|s| ctx.pos(s.st));
                            d.km(p, ctx.pos(a))
                                + ab
                                + next.map_or(0.0, |nx| d.km(ctx.pos(b), nx) - d.km(p, nx))
                        } else {
                            ka + r.add_km(ctx, h, b)
                        };
                        if fits(km, q, 2.0) {
                            offer(Cand {
                                route: ri,
                                score: gn / (km + KAPPA_KM),
                                gain: gn,
                                q,
                                take: Some((a, g)),
                                leave: Some((b, h)),
                            });
                        }
                    }
                }
            }
        }
    }
    best
}

/// The quantity up to `max` with the largest gain (the smallest such on a tie).
fn best_q(max: u32, gain: impl Fn(u32) -> Option<f64>) -> Option<(u32, f64)> {
    let mut best: Option<(u32, f64)> = None;
    for q in 1..=max {
        if let Some(g) = gain(q)
            && best.is_none_or(|b| g > b.1 + 1e-9)
        {
            best = Some((q, g));
        }
    }
    best.filter(|b| b.1 > 0.0)
}

fn apply(ctx: &mut Ctx<'_>, routes: &mut [Route], c: Cand) {
    let r = &mut routes[c.route];
    let q = c.q as i32;
    // Insert the later gap first so the earlier index stays right.
    let put = |r: &mut Route, st: usize, g: usize, dq: i32| {
        if g > 0 && r.stops[g - 1].st == st {
            r.stops[g - 1].q += dq;
        } else {
            r.stops.insert(g, RStop { st, q: dq });
        }
    };
    match (c.take, c.leave) {
        (Some((a, g)), Some((b, h))) => {
            put(r, b, h, -q);
            put(r, a, g, q);
            ctx.delta[a] -= q;
            ctx.delta[b] += q;
            ctx.owner[a] = Some(c.route);
            ctx.owner[b] = Some(c.route);
        }
        (Some((a, g)), None) => {
            put(r, a, g, q);
            ctx.delta[a] -= q;
            ctx.owner[a] = Some(c.route);
        }
        (None, Some((b, h))) => {
            put(r, b, h, -q);
            ctx.delta[b] += q;
            ctx.owner[b] = Some(c.route);
        }
        (None, None) => {}
    }
}

/// Local search: move single stops to the place that shortens the route most while every
/// load stays within 0..=capacity, until no move helps.
fn relocate(ctx: &Ctx<'_>, r: &mut Route, cap: u32) {
    let feasible = |r: &Route| r.loads().iter().all(|&x| (0..=cap as i32).contains(&x));
    for _ in 0..50 {
        let base = r.km(ctx);
        let mut best: Option<(f64, usize, usize)> = None;
        for k in 0..r.stops.len() {
            let s = r.stops.remove(k);
            for g in 0..=r.stops.len() {
                if g == k {
                    continue;
                }
                r.stops.insert(g, s);
                let km = r.km(ctx);
                if km < base - 1e-6 && feasible(r) && best.is_none_or(|b| km < b.0) {
                    best = Some((km, k, g));
                }
                r.stops.remove(g);
            }
            r.stops.insert(k, s);
        }
        let Some((_, k, g)) = best else { break };
        let s = r.stops.remove(k);
        r.stops.insert(g, s);
    }
}

fn stops_of(ctx: &Ctx<'_>, r: &Route) -> Vec<Stop> {
    let d = &ctx.inp.driving;
    let mut t = r.ready_s;
    let mut p = r.start;
    let mut load = r.load0 as i32;
    let mut out = Vec::new();
    for s in r.stops.iter().filter(|s| s.q != 0) {
        t += d.drive_s(d.km(p, ctx.pos(s.st)));
        p = ctx.pos(s.st);
        load += s.q;
        out.push(Stop {
            station: ctx.inp.stations[s.st].id,
            action: if s.q > 0 {
                Action::Take(s.q as u32)
            } else {
                Action::Leave(s.q.unsigned_abs())
            },
            arrive: ctx.inp.now + Duration::milliseconds((t * 1000.0) as i64),
            load_after: load.max(0) as u32,
        });
        t += d.handle_s(s.q.unsigned_abs());
    }
    out
}

#[cfg(test)]
#[path = "routes_tests.rs"]
mod tests;
