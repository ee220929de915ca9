//! The admin-scope resolver of `attendance`, free of PostgreSQL.
//!
//! It answers one question of SPEC.md section A (seed 002): how far does an
//! admin's scope reach over an employee's work day, judged as of a given date?
//! The pgrx adapter loads rows and calls in here; everything that decides lives
//! here so that it is unit-tested with plain `cargo test` and benchmarked directly.

pub mod access;
pub mod closing;
pub mod error;
pub mod intervals;
pub mod org;
pub mod period;
pub mod permission;
pub mod runs;
pub mod visible;

pub use access::{
    access, access_placed, Access, AdminKind, Grant, Level, ManagedMembership, Membership, PlacedMembership,
};
pub use closing::ClosingDay;
pub use error::ScopeError;
pub use intervals::{scope_spans, Span};
pub use org::{OrgId, OrgTree};
pub use period::Period;
pub use permission::{can_close, permits, Permission};
pub use runs::{scope_runs, Run};
