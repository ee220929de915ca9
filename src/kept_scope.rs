//! View scopes a backend keeps between the statements and transactions that
//! ask for them (issue 15). A BI query reads its scope several times (the
//! row policy, then the names of departments, approvals and timesheets), and
//! a BI tool's pooled connection asks the same question in transaction after
//! transaction; computing it means reading every membership an hr reaches.
//!
//! A kept scope is reused only where it is provably the answer the asker
//! would compute now:
//! - between transactions, while the sum of `scope_change` (sql/scope_version.sql)
//!   the asking statement sees is the one the scope was computed under: every
//!   change to the tree, the memberships or the grants adds to it in its own
//!   transaction, and snapshots are nested, so equal sums mean the same
//!   changes seen. Not once the asking transaction has written anything (it
//!   sees its own uncommitted rows, which no other transaction shares), and
//!   not on Citus, where those tables' triggers fire on every node's copy;
//! - otherwise, only within the statement's own snapshot: its transaction
//!   and subtransaction (ROLLBACK TO SAVEPOINT forgets what was read since),
//!   the snapshot's bounds and running transactions (a commit seen under
//!   READ COMMITTED, an older cursor) and its command id (the transaction's
//!   own writes).
//!
//! The asker and the day the scope is judged as of are part of every key.

use std::cell::RefCell;

use chrono::NaiveDate;
use pgrx::datum::Date;
use pgrx::prelude::*;
use pgrx::spi::SpiClient;

use crate::plans::each_row;

/// A view scope as `_att_view_scope` returns it: parallel arrays of
/// employee, first day and end day.
pub type Rows = (Vec<i64>, Vec<Option<Date>>, Vec<Option<Date>>);

/// How many scopes a backend keeps: an application server acting for many
/// employees alternates between them; each is one row per visible span.
const KEPT: usize = 4;

/// The sum of the changes the asking statement sees, and the table's file
/// (a table truncated or created again starts its sum afresh).
const SCOPE_CHANGES: &str = "
SELECT pg_catalog.pg_relation_filenode($1)::int8, (SELECT coalesce(sum(weight), 0)::int8 FROM attendance.scope_change)";

/// What a kept scope was computed for.
#[derive(Clone, PartialEq)]
pub struct Key {
    acting: Option<i64>,
    as_of: Option<NaiveDate>,
    seen: Seen,
}

#[derive(Clone, PartialEq)]
enum Seen {
    /// The committed changes seen: reusable by later transactions.
    Changes { table: pg_sys::Oid, file: i64, sum: i64 },
    /// One statement's view: reusable while a statement sees the same rows.
    Snapshot(SnapshotKey),
}

/// The parts of an MVCC snapshot that decide which rows it sees, with the
/// transaction and subtransaction reading through it.
#[derive(Clone, PartialEq)]
struct SnapshotKey {
    transaction: pg_sys::LocalTransactionId,
    subtransaction: pg_sys::SubTransactionId,
    xmin: pg_sys::TransactionId,
    xmax: pg_sys::TransactionId,
    xip: Vec<pg_sys::TransactionId>,
    subxip: Vec<pg_sys::TransactionId>,
    suboverflowed: bool,
    recovery: bool,
    curcid: pg_sys::CommandId,
}

/// What a backend keeps for one kind of answer, most recent first.
pub struct Kept<T>(RefCell<Vec<(Key, T)>>);

impl<T: Clone> Kept<T> {
    const fn new() -> Self {
        Kept(RefCell::new(Vec::new()))
    }

    /// The answer kept for `key`, moved to the front.
    fn find(&self, key: &Key) -> Option<T> {
        let mut kept = self.0.borrow_mut();
        let at = kept.iter().position(|(k, _)| k == key)?;
        let entry = kept.remove(at);
        let value = entry.1.clone();
        kept.insert(0, entry);
        Some(value)
    }

    /// The answer kept for `key`, or `compute`'s, kept when there is a key.
    pub fn answer(&self, key: Option<Key>, compute: impl FnOnce() -> T) -> T {
        if let Some(value) = key.as_ref().and_then(|k| self.find(k)) {
            return value;
        }
        let value = compute();
        if let Some(key) = key {
            self.keep(key, value.clone());
        }
        value
    }

    fn keep(&self, key: Key, value: T) {
        let mut kept = self.0.borrow_mut();
        kept.retain(|(k, _)| k != &key);
        kept.insert(0, (key, value));
        kept.truncate(KEPT);
    }
}

thread_local! {
    /// The view scopes (`_att_view_scope`).
    pub static SCOPES: Kept<Rows> = const { Kept::new() };
    /// The orgs the asker may name (`_att_visible_org_ids`): computed from
    /// the scope, the memberships and the tree, so kept under the same key.
    pub static ORG_IDS: Kept<Vec<i64>> = const { Kept::new() };
}

/// The key of a scope asked for now; None (nothing kept) without an active
/// MVCC snapshot.
pub fn key(client: &SpiClient<'_>, acting: Option<i64>, as_of: Option<NaiveDate>) -> Option<Key> {
    let seen = changes_seen(client).or_else(snapshot_seen)?;
    Some(Key { acting, as_of, seen })
}

fn scope_change_table() -> Option<pg_sys::Oid> {
    // SAFETY: plain catalog lookups; missing_ok returns InvalidOid.
    unsafe {
        let schema = pg_sys::get_namespace_oid(c"attendance".as_ptr(), true);
        if schema == pg_sys::InvalidOid {
            return None;
        }
        let table = pg_sys::get_relname_relid(c"scope_change".as_ptr(), schema);
        (table != pg_sys::InvalidOid).then_some(table)
    }
}

fn changes_seen(client: &SpiClient<'_>) -> Option<Seen> {
    // SAFETY: reads the transaction's own state.
    let wrote = unsafe { pg_sys::GetTopTransactionIdIfAny() } != pg_sys::InvalidTransactionId;
    if wrote || crate::citus::present() {
        return None;
    }
    // a library newer than the installed SQL (before ALTER EXTENSION UPDATE)
    let table = scope_change_table()?;
    let mut seen = None;
    each_row(client, SCOPE_CHANGES, &[PgBuiltInOids::OIDOID], &[table.into()], |row| {
        if let (Ok(Some(file)), Ok(Some(sum))) = (row.get::<i64>(1), row.get::<i64>(2)) {
            seen = Some(Seen::Changes { table, file, sum });
        }
    });
    seen
}

fn snapshot_seen() -> Option<Seen> {
    // SAFETY: MyProc is the backend's own PGPROC, set for the backend's life;
    // the active snapshot stays valid (and unchanged) while this call runs,
    // and its xip and subxip arrays hold xcnt and subxcnt entries.
    unsafe {
        if !pg_sys::ActiveSnapshotSet() {
            return None;
        }
        let s = pg_sys::GetActiveSnapshot();
        if s.is_null() || (*s).snapshot_type != pg_sys::SnapshotType::SNAPSHOT_MVCC {
            return None;
        }
        let s = &*s;
        let ids = |p: *mut pg_sys::TransactionId, n: usize| {
            if p.is_null() || n == 0 {
                Vec::new()
            } else {
                std::slice::from_raw_parts(p, n).to_vec()
            }
        };
        Some(Seen::Snapshot(SnapshotKey {
            transaction: (*pg_sys::MyProc).lxid,
            subtransaction: pg_sys::GetCurrentSubTransactionId(),
            xmin: s.xmin,
            xmax: s.xmax,
            xip: ids(s.xip, s.xcnt as usize),
            subxip: ids(s.subxip, s.subxcnt.max(0) as usize),
            suboverflowed: s.suboverflowed,
            recovery: s.takenDuringRecovery,
            curcid: s.curcid,
        }))
    }
}
