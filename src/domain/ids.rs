//! Identifier newtypes: no bare `i64` crosses a module boundary.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
            utoipa::ToSchema,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

id_type!(
    /// A rider's unique numeric ID (C 1, A1 1.5).
    RiderId
);
id_type!(
    /// A station's code (e.g. Almaty's `1001`).
    StationId
);
id_type!(
    /// A bike's inventory number.
    BikeId
);
id_type!(
    /// A rental (one unlock-to-return).
    RentalId
);
id_type!(
    /// A ledger entry.
    EntryId
);
id_type!(
    /// A fine, pending or posted.
    FineId
);
id_type!(
    /// A pass bought by a rider.
    PassId
);
