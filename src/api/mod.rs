//! The language every part of velodesk speaks: the request and answer types of every
//! operation and view — the rider, the station, the alert, the event, the audit record —
//! and the one error. The `Backend` trait, the server, the remote client, the console and
//! the scenario runner share them; the store maps its rows into them and the engine
//! answers with them. Depends on the domain only.

pub mod desk;
pub mod dispute;
pub mod error;
pub mod event;
pub mod fleet;
pub mod op;
pub mod outcome;
pub mod permission;
pub mod plan;
pub mod problem;
pub mod rider;
pub mod system;
pub mod wire;

pub use desk::*;
pub use dispute::*;
pub use error::*;
pub use event::*;
pub use fleet::*;
pub use op::*;
pub use outcome::*;
pub use permission::*;
pub use plan::*;
pub use rider::*;
pub use system::*;
