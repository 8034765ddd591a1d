//! The pure domain: tariffs, pricing, ledger rules, rental rules, roles. No IO, no clock,
//! no SQL: time comes in as an argument, decisions come out.

pub mod born;
pub mod desk;
pub mod dispute;
pub mod geo;
pub mod ids;
pub mod ledger;
pub mod mask;
pub mod messages;
pub mod money;
pub mod planning;
pub mod pricing;
pub mod refusal;
pub mod rental;
pub mod roles;
pub mod rules;
pub mod search;
pub mod tariff;
pub mod time;

pub use born::Born;
pub use ids::*;
pub use money::Tenge;
pub use refusal::Refusal;
