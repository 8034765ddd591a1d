//! velodesk: the operator console for city bike-sharing systems.

pub mod domain;
