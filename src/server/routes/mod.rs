//! The route handlers, by who calls them.

pub mod depot;
pub mod desk;
pub mod dispute;
pub mod events;
pub mod gbfs;
pub mod lookups;
pub mod ops;
pub mod replication;
pub mod setup;
pub mod station;
