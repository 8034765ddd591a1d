//! velodesk: the operator console for city bike-sharing systems.

#[warn(missing_docs)]
pub mod api;
pub mod backend;
pub mod cli;
pub mod clock;
pub mod domain;
pub mod engine;
pub mod gbfs;
pub mod logging;
pub mod scenario;
pub mod server;
pub mod sim;
pub mod store;
pub mod tui;
