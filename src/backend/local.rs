//! `LocalBackend`: the engine in-process. One writer thread owns the engine (and its SQLite
//! connection); requests arrive as jobs and answer through a oneshot, so SQLite never
//! blocks the async runtime. Jobs that arrive together are group-committed: they run one
//! after another inside one transaction (each write in a savepoint of its own, so one
//! refusal undoes only itself), the batch commits once — one fsync for all — and only then
//! do events go out and callers hear back. With the system clock the thread also wakes
//! every second to run what has fallen due (midnight postings, overdue marks).

use super::*;
use crate::clock::Clock;
use crate::engine::{CommitHook, Engine};
use crate::store::people::PhoneMatch;
use std::cell::RefCell;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;
use tokio::sync::oneshot;

/// A job runs on the engine and returns its reply. The reply is sent after the batch the
/// job ran in has committed and its events are out, so a caller that hears back has its
/// change on disk and every event of it in the stream; if the commit failed the reply is
/// given that failure instead of the job's result.
type Job = Box<dyn FnOnce(&mut Engine) -> Reply + Send>;
type Reply = Box<dyn FnOnce(Option<&BackendError>) + Send>;

/// Jobs taken into one group commit at most (bounds the wait of the first in line).
const MAX_BATCH: usize = 64;

pub struct LocalBackend {
    jobs: mpsc::Sender<Job>,
    /// Look-ups on their own connections (file databases only).
    readers: Option<super::readers::Readers>,
    events: broadcast::Sender<(i64, Event)>,
    info: BackendInfo,
    clock: Arc<dyn Clock>,
}

impl LocalBackend {
    /// Start the writer thread around `engine`. `location` is shown in the console header.
    pub fn start(engine: Engine, clock: Arc<dyn Clock>, location: &str) -> LocalBackend {
        LocalBackend::start_with_sender(engine, clock, location, None)
    }

    /// As [`LocalBackend::start`], handing rider messages to `sender` after each change
    /// (R27); without one the outbox only records what riders would be told.
    pub fn start_with_sender(
        mut engine: Engine,
        clock: Arc<dyn Clock>,
        location: &str,
        mut sender: Option<Box<dyn crate::engine::MessageSender>>,
    ) -> LocalBackend {
        let (jobs, rx) = mpsc::channel::<Job>();
        let (events, _) = broadcast::channel(4096);
        let simulated = clock.set(clock.now());
        let info = BackendInfo {
            city: engine.tariff().city.clone(),
            location: location.to_string(),
            time_zone: engine.time_zone().name().to_string(),
            simulated_clock: simulated,
        };
        let tx = events.clone();
        let thread_clock = clock.clone();
        let _ = engine.advance_to(thread_clock.now());
        let readers = super::readers::Readers::beside(&mut engine);
        let reached = readers.as_ref().map(|r| r.clock());
        std::thread::Builder::new()
            .name("velodesk-writer".into())
            .spawn(move || {
                loop {
                    let first = rx.recv_timeout(Duration::from_secs(1));
                    if !simulated {
                        // Due jobs first, as production: the clock moved since the last job.
                        if let Err(e) = engine.advance_to(thread_clock.now()) {
                            log::error!("what fell due was not run (retried in a second): {e}");
                        }
                    }
                    let mut batch = match first {
                        Ok(job) => vec![job],
                        Err(mpsc::RecvTimeoutError::Timeout) => Vec::new(),
                        Err(mpsc::RecvTimeoutError::Disconnected) => break,
                    };
                    while batch.len() < MAX_BATCH {
                        match rx.try_recv() {
                            Ok(job) => batch.push(job),
                            Err(_) => break,
                        }
                    }
                    let (replies, failed) = run_batch(&mut engine, batch);
                    if failed.is_some() {
                        // Nothing of the batch is on disk: neither are its events.
                        engine.take_events();
                    }
                    if let Some(reached) = &reached {
                        *reached.lock().unwrap_or_else(|e| e.into_inner()) = engine.now();
                    }
                    if let Some(sender) = sender.as_deref_mut() {
                        let _ = engine.deliver_outbox(sender, 100);
                    }
                    for e in engine.take_events() {
                        let _ = tx.send(e);
                    }
                    for reply in replies {
                        reply(failed.as_ref());
                    }
                }
            })
            .expect("the writer thread starts");
        LocalBackend {
            jobs,
            readers,
            events,
            info,
            clock,
        }
    }

    /// A fresh system in memory with one tariff (`name` for messages, `source` its TOML) on
    /// a simulated clock that starts at `start`: what scenarios and conformance tests run on.
    pub fn in_memory(
        name: &str,
        source: &str,
        settings: crate::engine::Settings,
        start: DateTime<Utc>,
    ) -> BResult<LocalBackend> {
        let store = crate::store::Store::open_in_memory().map_err(EngineError::from)?;
        let engine = Engine::init(store, name, source, settings)?;
        let clock = Arc::new(crate::clock::SimClock::new(start));
        Ok(LocalBackend::start(engine, clock, "in-memory"))
    }

    /// Run `fut` (calls on this backend) with `hook` run after the first engine call whose
    /// result it accepts, in one unit with it ([`Engine::atomically`]): the server's
    /// idempotency and audit records commit with the whole effect or not at all.
    pub async fn with_commit_hook<F: std::future::Future>(
        &self,
        hook: CommitHook,
        fut: F,
    ) -> F::Output {
        COMMIT_HOOK.scope(RefCell::new(Some(hook)), fut).await
    }

    /// Run `f` on the writer thread and await its answer (the server's own engine calls).
    pub async fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Engine) -> crate::engine::Result<T> + Send + 'static,
    ) -> BResult<T> {
        let (tx, rx) = oneshot::channel();
        let hook = COMMIT_HOOK
            .try_with(|h| h.borrow_mut().take())
            .ok()
            .flatten();
        let job: Job = Box::new(move |engine| {
            // With a hook, the operation and what the hook writes are one unit; a hook
            // that did not take the result (a look-up) goes back for the next call.
            let (out, left) = match hook {
                Some(mut hook) => match engine.atomically(f, &mut hook) {
                    Ok((v, true)) => (Ok(v), None),
                    Ok((v, false)) => (Ok(v), Some(hook)),
                    Err(e) => (Err(e), Some(hook)),
                },
                None => (f(engine), None),
            };
            let out = out.map_err(BackendError::from);
            Box::new(move |failed: Option<&BackendError>| {
                let out = match failed {
                    Some(e) => Err(e.clone()),
                    None => out,
                };
                let _ = tx.send((out, left));
            })
        });
        self.jobs.send(job).map_err(|_| BackendError::Unavailable {
            message: "the engine has stopped".into(),
        })?;
        let (out, left) = rx.await.map_err(|_| BackendError::Unavailable {
            message: "the engine dropped the request".into(),
        })?;
        if left.is_some() {
            let _ = COMMIT_HOOK.try_with(|h| *h.borrow_mut() = left);
        }
        out
    }
}

/// Run `batch` on the engine: one job alone as it is (its writes commit on their own), more
/// in one group commit. Returns the replies and, when the group's commit failed, why.
fn run_batch(engine: &mut Engine, batch: Vec<Job>) -> (Vec<Reply>, Option<BackendError>) {
    let grouped = batch.len() > 1 && engine.store().begin_batch().is_ok();
    let replies: Vec<Reply> = batch.into_iter().map(|job| job(engine)).collect();
    if !grouped {
        return (replies, None);
    }
    let failed = engine
        .store()
        .commit_batch()
        .err()
        .map(|e| BackendError::Unavailable {
            message: format!("the change could not be saved, nothing of it was applied: {e}"),
        });
    (replies, failed)
}

impl LocalBackend {
    /// [`Backend::search_riders`], with phones matched as `phones` says (the server asks
    /// for whole numbers only for a role that may not see personal data).
    pub async fn search_riders_matching(
        &self,
        query: &str,
        limit: usize,
        phones: PhoneMatch,
    ) -> BResult<Vec<RiderHit>> {
        let q = s(query);
        self.look(move |e| e.search_riders_matching(&q, limit, phones))
            .await
    }

    /// Run the look-up `f` on a reader beside the writer, or on the writer when there is
    /// none (an in-memory system) or none could be opened.
    async fn look<T: Send + 'static>(
        &self,
        f: impl Fn(&mut Engine) -> crate::engine::Result<T> + Send + Sync + 'static,
    ) -> BResult<T> {
        let f = Arc::new(f);
        if let Some(readers) = &self.readers {
            let g = f.clone();
            if let Some(out) = readers.read(move |e| g(e)).await {
                return out;
            }
        }
        self.call(move |e| f(e)).await
    }
}

tokio::task_local! {
    /// The commit hook for the next engine call of this task ([`LocalBackend::with_commit_hook`]).
    static COMMIT_HOOK: RefCell<Option<CommitHook>>;
}

fn s(x: &str) -> String {
    x.to_string()
}

#[async_trait]
impl Backend for LocalBackend {
    fn info(&self) -> BackendInfo {
        self.info.clone()
    }
    fn subscribe(&self) -> broadcast::Receiver<(i64, Event)> {
        self.events.subscribe()
    }
    async fn events_after(&self, after: i64, limit: usize) -> BResult<Vec<(i64, Event)>> {
        let raw = self.look(move |e| e.events_after(after, limit)).await?;
        Ok(raw
            .into_iter()
            .filter_map(|(id, _, payload)| serde_json::from_str(&payload).ok().map(|ev| (id, ev)))
            .collect())
    }
    async fn now(&self) -> BResult<DateTime<Utc>> {
        self.call(|e| Ok(e.now())).await
    }
    async fn advance_clock(&self, to: DateTime<Utc>) -> BResult<PostingReport> {
        if !self.info.simulated_clock {
            return Err(BackendError::Refused {
                kind: Refusal::Invalid,
                message: "this system runs on the real clock".into(),
            });
        }
        let clock = self.clock.clone();
        self.call(move |e| {
            let r = e.advance_to(to)?;
            clock.set(to);
            Ok(r)
        })
        .await
    }

    async fn set_season(&self, from: chrono::NaiveDate, to: chrono::NaiveDate) -> BResult<()> {
        self.call(move |e| e.set_season(from, to)).await
    }

    async fn staff_role(&self, name: &str) -> BResult<Role> {
        let name = s(name);
        self.look(move |e| e.staff_role(&name)).await
    }
    async fn stations(&self) -> BResult<Vec<StationCounts>> {
        self.look(|e| e.stations()).await
    }
    async fn station(&self, id: StationId) -> BResult<StationView> {
        self.look(move |e| e.station_view(id)).await
    }
    async fn bike(&self, id: BikeId) -> BResult<Bike> {
        self.look(move |e| e.bike(id)).await
    }
    async fn search_riders(&self, query: &str, limit: usize) -> BResult<Vec<RiderHit>> {
        self.search_riders_matching(query, limit, PhoneMatch::Prefix)
            .await
    }
    async fn rider(&self, id: RiderId) -> BResult<RiderView> {
        self.look(move |e| e.rider_view(id)).await
    }
    async fn reveal_rider(&self, id: RiderId, reason: &str, by: &str) -> BResult<RiderView> {
        let (reason, by) = (s(reason), s(by));
        self.call(move |e| e.reveal_rider(id, &reason, &by)).await
    }
    async fn alerts(&self) -> BResult<Vec<Alert>> {
        self.look(|e| e.alerts()).await
    }
    async fn audit(&self, by: &str, filter: AuditFilter) -> BResult<Vec<AuditRecord>> {
        let by = s(by);
        self.look(move |e| e.audit_as(&by, &filter)).await
    }
    async fn own_audit(&self, by: &str, limit: usize) -> BResult<Vec<AuditRecord>> {
        let by = s(by);
        self.call(move |e| {
            e.read(|_, c| {
                match crate::store::people::staff(c, &by)? {
                    Some(staff) if !staff.disabled => {}
                    Some(_) => {
                        return crate::engine::refuse(
                            Refusal::Forbidden,
                            format!("staff member {by} is disabled"),
                        );
                    }
                    None => {
                        return crate::engine::refuse(
                            Refusal::Forbidden,
                            format!("no staff member {by:?}"),
                        );
                    }
                }
                let filter = AuditFilter {
                    staff: Some(by.clone()),
                    limit,
                    ..AuditFilter::default()
                };
                Ok(crate::store::audit::list(c, &filter)?)
            })
        })
        .await
    }
    async fn preview_end(&self, rider: RiderId, at: DateTime<Utc>) -> BResult<Quote> {
        self.look(move |e| e.preview_end(rider, at)).await
    }
    async fn verify(&self) -> BResult<Vec<Mismatch>> {
        self.look(|e| e.verify()).await
    }
    async fn open_rentals(&self) -> BResult<Vec<crate::api::Rental>> {
        self.look(|e| e.open_rentals()).await
    }
    async fn verify_fleet(&self) -> BResult<Vec<crate::api::FleetProblem>> {
        self.look(|e| e.verify_fleet()).await
    }

    async fn pay(
        &self,
        rider: RiderId,
        amount: Tenge,
        method: PayMethod,
        by: Option<&str>,
    ) -> BResult<EntryId> {
        let by = by.map(s);
        self.call(move |e| e.pay(rider, amount, method, by.as_deref()))
            .await
    }
    async fn buy(&self, rider: RiderId, pass: &str, by: Option<&str>) -> BResult<Pass> {
        let (pass, by) = (s(pass), by.map(s));
        self.call(move |e| e.buy(rider, &pass, by.as_deref())).await
    }
    async fn hold_deposit(
        &self,
        rider: RiderId,
        amount: Tenge,
        by: Option<&str>,
    ) -> BResult<EntryId> {
        let by = by.map(s);
        self.call(move |e| e.hold_deposit(rider, amount, by.as_deref()))
            .await
    }
    async fn unlock(&self, rider: RiderId, bike: BikeId, pin: &str) -> BResult<()> {
        let pin = s(pin);
        self.call(move |e| e.unlock(rider, bike, &pin)).await
    }
    async fn pull(&self, bike: BikeId) -> BResult<RentalId> {
        self.call(move |e| e.pull(bike)).await
    }
    async fn rent(&self, rider: RiderId, bike: BikeId, pin: &str) -> BResult<RentalId> {
        let pin = s(pin);
        self.call(move |e| e.rent(rider, bike, &pin)).await
    }
    async fn return_bike(
        &self,
        bike: BikeId,
        station: StationId,
        how: DockOutcome,
    ) -> BResult<Option<Quote>> {
        self.call(move |e| e.return_bike(bike, station, how)).await
    }
    async fn call_cable_lock(&self, rider: RiderId, station: StationId) -> BResult<()> {
        self.call(move |e| e.call_cable_lock(rider, station)).await
    }
    async fn cable_lock(&self, bike: BikeId, station: StationId, pin: &str) -> BResult<Quote> {
        let pin = s(pin);
        self.call(move |e| e.cable_lock(bike, station, &pin)).await
    }

    async fn manual_unlock(
        &self,
        rider: RiderId,
        bike: BikeId,
        reason: &str,
        by: &str,
    ) -> BResult<()> {
        let (reason, by) = (s(reason), s(by));
        self.call(move |e| e.manual_unlock(rider, bike, &reason, &by))
            .await
    }
    async fn bikes_in(&self, state: BikeState, limit: usize) -> BResult<Vec<Bike>> {
        self.look(move |e| e.bikes_in(state, limit)).await
    }
    async fn desk_info(&self) -> BResult<DeskInfo> {
        self.look(|e| e.desk_info()).await
    }

    async fn authorise_cable_lock(
        &self,
        rider: RiderId,
        station: StationId,
        by: &str,
    ) -> BResult<()> {
        let by = s(by);
        self.call(move |e| e.authorise_cable_lock(rider, station, &by))
            .await
    }
    async fn end_rental(
        &self,
        rider: RiderId,
        station: StationId,
        at: DateTime<Utc>,
        reason: &str,
        by: &str,
    ) -> BResult<Quote> {
        let (reason, by) = (s(reason), s(by));
        self.call(move |e| e.end_rental(rider, station, at, &reason, &by))
            .await
    }
    async fn fine(
        &self,
        rider: RiderId,
        kind: FineKind,
        amount: Option<Tenge>,
        rental: Option<RentalId>,
        note: &str,
        by: &str,
    ) -> BResult<FineOutcome> {
        let (note, by) = (s(note), s(by));
        self.call(move |e| e.fine(rider, kind, amount, rental, &note, &by))
            .await
    }
    async fn approve_fine(&self, rider: RiderId, by: &str) -> BResult<FineOutcome> {
        let by = s(by);
        self.call(move |e| e.approve_fine(rider, &by)).await
    }
    async fn reject_fine(&self, rider: RiderId, reason: &str, by: &str) -> BResult<Tenge> {
        let (reason, by) = (s(reason), s(by));
        self.call(move |e| e.reject_fine(rider, &reason, &by)).await
    }
    async fn refund(&self, rider: RiderId, by: &str) -> BResult<Tenge> {
        let by = s(by);
        self.call(move |e| e.refund(rider, &by)).await
    }
    async fn credit_claim(
        &self,
        rider: RiderId,
        amount: Tenge,
        reason: &str,
        by: &str,
    ) -> BResult<EntryId> {
        let (reason, by) = (s(reason), s(by));
        self.call(move |e| e.credit_claim(rider, amount, &reason, &by))
            .await
    }
    async fn give_bonus(
        &self,
        rider: RiderId,
        amount: Tenge,
        reason: &str,
        by: &str,
    ) -> BResult<EntryId> {
        let (reason, by) = (s(reason), s(by));
        self.call(move |e| e.give_bonus(rider, amount, &reason, &by))
            .await
    }
    async fn correct(
        &self,
        rider: RiderId,
        entry: EntryId,
        amount: Tenge,
        reason: &str,
        by: &str,
    ) -> BResult<EntryId> {
        let (reason, by) = (s(reason), s(by));
        self.call(move |e| e.correct(rider, entry, amount, &reason, &by))
            .await
    }
    async fn block(&self, rider: RiderId, reason: &str, by: &str) -> BResult<()> {
        let (reason, by) = (s(reason), s(by));
        self.call(move |e| e.block(rider, &reason, &by)).await
    }
    async fn unblock(&self, rider: RiderId, reason: &str, by: &str) -> BResult<()> {
        let (reason, by) = (s(reason), s(by));
        self.call(move |e| e.unblock(rider, &reason, &by)).await
    }
    async fn set_restriction(
        &self,
        rider: RiderId,
        reason: Option<&str>,
        note: &str,
        by: &str,
    ) -> BResult<()> {
        let (reason, note, by) = (reason.map(s), s(note), s(by));
        self.call(move |e| e.set_restriction(rider, reason.as_deref(), &note, &by))
            .await
    }
    async fn reset_pin(&self, rider: RiderId, pin: &str, by: &str) -> BResult<()> {
        let (pin, by) = (s(pin), s(by));
        self.call(move |e| e.reset_pin(rider, &pin, &by)).await
    }
    async fn block_lost_card(&self, rider: RiderId, by: &str) -> BResult<()> {
        let by = s(by);
        self.call(move |e| e.block_lost_card(rider, &by)).await
    }
    async fn service_release(&self, bike: BikeId, by: &str) -> BResult<()> {
        let by = s(by);
        self.call(move |e| e.service_release(bike, &by)).await
    }
    async fn service_dock(&self, bike: BikeId, station: StationId, by: &str) -> BResult<()> {
        let by = s(by);
        self.call(move |e| e.service_dock(bike, station, &by)).await
    }
    async fn to_repair(&self, bike: BikeId, by: &str) -> BResult<()> {
        let by = s(by);
        self.call(move |e| e.to_repair(bike, &by)).await
    }
    async fn dock_out_of_service(
        &self,
        station: StationId,
        number: Option<u32>,
        by: &str,
    ) -> BResult<u32> {
        let by = s(by);
        self.call(move |e| e.dock_out_of_service(station, number, &by))
            .await
    }
    async fn dock_in_service(
        &self,
        station: StationId,
        number: Option<u32>,
        by: &str,
    ) -> BResult<u32> {
        let by = s(by);
        self.call(move |e| e.dock_in_service(station, number, &by))
            .await
    }

    async fn add_station(&self, station: NewStation) -> BResult<()> {
        self.call(move |e| e.add_station(&station)).await
    }
    async fn add_bike(&self, bike: BikeId, station: Option<StationId>) -> BResult<()> {
        self.call(move |e| e.add_bike(bike, station)).await
    }
    async fn add_rider(&self, rider: NewRider) -> BResult<RiderId> {
        self.call(move |e| e.add_rider(&rider)).await
    }
    async fn add_staff(&self, name: &str, role: Role) -> BResult<()> {
        let name = s(name);
        self.call(move |e| e.add_staff(&name, role, None)).await
    }
}

#[cfg(test)]
#[path = "local_batch_tests.rs"]
mod batch_tests;
