//! The pure domain: tariffs, pricing, ledger rules, rental rules, roles. No IO, no clock,
//! no SQL: time comes in as an argument, decisions come out.

/// `PartialEq` with the words an enum is stored and sent as (`status == "pending"`), for
/// code that holds the word.
macro_rules! same_word {
    ($($t:ty),*) => {$(
        impl PartialEq<str> for $t {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }
        impl PartialEq<&str> for $t {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    )*};
}
pub(crate) use same_word;

pub mod born;
pub mod desk;
pub mod dispute;
pub mod fine;
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
pub mod settle;
pub mod tariff;
pub mod time;

pub use born::Born;
pub use ids::*;
pub use money::Tenge;
pub use refusal::Refusal;
