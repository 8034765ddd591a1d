//! `LocalBackend`: the engine in-process. One writer thread owns the engine (and its SQLite
//! connection); requests arrive as jobs and answer through a oneshot, so SQLite never
//! blocks the async runtime. Jobs that arrive together are group-committed: they run one
//! after another inside one transaction (each write in a savepoint of its own, so one
//! refusal undoes only itself), the batch commits once — one fsync for all — and only then
//! do events go out and callers hear back. With the system clock the thread also wakes
//! every second to run what has fallen due (midnight postings, overdue marks).

use super::*;
use crate::clock::Clock;
use crate::engine::{Ctx, Engine};
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

#[derive(Clone)]
pub struct LocalBackend {
    jobs: mpsc::Sender<Job>,
    /// Look-ups on their own connections (file databases only).
    readers: Option<Arc<super::readers::Readers>>,
    /// The staff member this handle acts as ([`LocalBackend::as_staff`]).
    actor: Option<String>,
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
            remote: false,
        };
        let tx = events.clone();
        let thread_clock = clock.clone();
        let _ = engine.advance_to(thread_clock.now());
        let readers = super::readers::Readers::beside(&mut engine).map(Arc::new);
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
            actor: None,
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

    /// This system, acting as staff member `name`: every operation through the handle is
    /// theirs (checked against their role in the engine, audited under their name).
    pub fn acting(&self, name: &str) -> LocalBackend {
        LocalBackend {
            actor: Some(name.to_string()),
            ..self.clone()
        }
    }

    /// Run `f` on the writer thread and await its answer (the server's own engine calls).
    pub async fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Engine) -> crate::engine::Result<T> + Send + 'static,
    ) -> BResult<T> {
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move |engine| {
            let out = f(engine).map_err(BackendError::from);
            Box::new(move |failed: Option<&BackendError>| {
                let _ = tx.send(match failed {
                    Some(e) => Err(e.clone()),
                    None => out,
                });
            })
        });
        self.jobs.send(job).map_err(|_| BackendError::Unavailable {
            message: "the engine has stopped".into(),
        })?;
        rx.await.map_err(|_| BackendError::Unavailable {
            message: "the engine dropped the request".into(),
        })?
    }

    /// Run `f` and then `hook`, given `f`'s answer, as one unit on the writer
    /// ([`Engine::atomically`]): the server's idempotency and audit records commit with
    /// the whole effect or not at all.
    pub async fn call_hooked<T: Send + 'static, H: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Engine) -> crate::engine::Result<T> + Send + 'static,
        hook: impl FnOnce(&Ctx<'_>, &rusqlite::Connection, &T) -> crate::engine::Result<H>
        + Send
        + 'static,
    ) -> BResult<T> {
        self.call(move |e| e.atomically(f, hook).map(|(v, _)| v))
            .await
    }

    /// [`Backend::execute`] with `hook` in the unit of the operation ([`Self::call_hooked`]).
    pub async fn execute_hooked(
        &self,
        op: Op,
        hook: impl FnOnce(&Ctx<'_>, &rusqlite::Connection, &Outcome) -> crate::engine::Result<()>
        + Send
        + 'static,
    ) -> BResult<Outcome> {
        let run = self.runner(op)?;
        self.call_hooked(run, hook).await
    }

    /// The writer's job for `op` as this handle acts: the engine's door, and a simulated
    /// clock moved with the engine's time.
    fn runner(
        &self,
        op: Op,
    ) -> BResult<impl FnOnce(&mut Engine) -> crate::engine::Result<Outcome> + Send + 'static> {
        let to = match &op {
            Op::AdvanceClock { to } if !self.info.simulated_clock => {
                return Err(BackendError::Refused {
                    kind: Refusal::Invalid,
                    message: format!("this system runs on the real clock: it cannot move to {to}"),
                });
            }
            Op::AdvanceClock { to } => Some(*to),
            _ => None,
        };
        let (actor, clock) = (self.actor.clone(), self.clock.clone());
        Ok(move |e: &mut Engine| {
            let out = e.execute(actor.as_deref(), op)?;
            if let Some(to) = to {
                clock.set(to);
            }
            Ok(out)
        })
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
    /// The staff member this handle acts as, for a look-up that is theirs.
    fn staff_name(&self) -> BResult<String> {
        self.actor.clone().ok_or_else(|| BackendError::Refused {
            kind: Refusal::Forbidden,
            message: "a staff member's look-up: no one is logged in".into(),
        })
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
    fn connection(&self) -> watch::Receiver<ConnectionState> {
        watch::channel(ConnectionState::Live).1
    }
    async fn execute(&self, op: Op) -> BResult<Outcome> {
        let run = self.runner(op)?;
        self.call(run).await
    }
    async fn preview(&self, op: Op) -> BResult<Outcome> {
        let actor = self.actor.clone();
        self.call(move |e| e.preview(actor.as_deref(), op)).await
    }
    fn as_staff(&self, name: &str) -> Arc<dyn Backend> {
        Arc::new(self.acting(name))
    }
    fn acting_as(&self) -> Option<String> {
        self.actor.clone()
    }
    async fn replication(&self) -> BResult<Option<crate::api::Replication>> {
        Ok(None)
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
        let (q, actor) = (s(query), self.actor.clone());
        self.look(move |e| e.search_riders_as(actor.as_deref(), &q, limit))
            .await
    }
    async fn rider(&self, id: RiderId) -> BResult<RiderView> {
        self.look(move |e| e.rider_view(id)).await
    }
    async fn reveal_rider(&self, id: RiderId, reason: &str) -> BResult<RiderView> {
        let (reason, by) = (s(reason), self.staff_name()?);
        self.call(move |e| e.reveal_rider(id, &reason, &by)).await
    }
    async fn alerts(&self) -> BResult<Vec<Alert>> {
        self.look(|e| e.alerts()).await
    }
    async fn audit(&self, filter: AuditFilter) -> BResult<Vec<AuditRecord>> {
        let by = self.staff_name()?;
        self.look(move |e| e.audit_as(&by, &filter)).await
    }
    async fn own_audit(&self, limit: usize) -> BResult<Vec<AuditRecord>> {
        let by = self.staff_name()?;
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
    async fn dispute(
        &self,
        rider: RiderId,
        query: crate::api::DisputeQuery,
    ) -> BResult<crate::api::DisputeEvidence> {
        self.look(move |e| e.dispute(rider, query)).await
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

    async fn bikes_in(&self, state: BikeState, limit: usize) -> BResult<Vec<Bike>> {
        self.look(move |e| e.bikes_in(state, limit)).await
    }
    async fn desk_info(&self) -> BResult<DeskInfo> {
        self.look(|e| e.desk_info()).await
    }
    async fn rebalance_plan(&self, fresh: bool) -> BResult<crate::api::RebalancePlan> {
        // On the writer: its engine holds the one plan every console sees.
        let by = self.staff_name()?;
        self.call(move |e| e.rebalance_plan(&by, fresh)).await
    }
    async fn desk_file(&self) -> BResult<crate::api::DeskFile> {
        let by = self.staff_name()?;
        self.look(move |e| e.desk_file(&by)).await
    }
}

#[cfg(test)]
#[path = "local_batch_tests.rs"]
mod batch_tests;
