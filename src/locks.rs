//! The refresh locks of one node (sql/refresh.sql): a refresh or approval
//! holds its employees' buckets until commit, and a closing holds the gate
//! every refresh passes. They are locks of PostgreSQL's lock manager under
//! tags of the extension's own, taken here in the library: fair (a closing
//! waiting for the gate holds back new refreshes), seen by the deadlock
//! detector and `lock_timeout`, released at commit or rollback, and out of
//! any login's reach, since no SQL function takes a lock with these tags
//! (the advisory lock functions mark theirs 1 or 2 in the tag's last field).
//!
//! They replaced a row lock per bucket and a table lock: locking a row
//! writes the row, and cost a punch about a tenth of a millisecond.

use pgrx::fcinfo::pg_getarg;
use pgrx::pg_sys::{self, Datum, FunctionCallInfo};
use pgrx::prelude::*;

/// Employees share this many buckets: a company-wide refresh holds at most
/// this many locks in the shared lock table, and two employees' punches
/// wait for each other one time in 256.
const BUCKETS: u64 = 256;
/// The tags' last field: neither 1 nor 2, the advisory functions' marks.
const MARK: u16 = 0x6174;
/// The gate's key, after every bucket's.
const GATE: u32 = u32::MAX;

fn tag(key: u32) -> pg_sys::LOCKTAG {
    pg_sys::LOCKTAG {
        // SAFETY: the backend's database, set before any function runs.
        locktag_field1: unsafe { pg_sys::MyDatabaseId }.to_u32(),
        // "attd": apart from a user's advisory keys even in pg_locks
        locktag_field2: 0x6174_7464,
        locktag_field3: key,
        locktag_field4: MARK,
        locktag_type: pg_sys::LockTagType::LOCKTAG_ADVISORY as u8,
        locktag_lockmethodid: pg_sys::USER_LOCKMETHOD as u8,
    }
}

/// An employee's bucket: a fixed mix of the id (splitmix64's finaliser),
/// the same in every backend and release of the library.
fn bucket(employee: i64) -> u32 {
    let mut z = (employee as u64).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    ((z ^ (z >> 31)) % BUCKETS) as u32
}

fn acquire(key: u32, mode: u32) {
    let tag = tag(key);
    // SAFETY: a transaction-scoped lock; waiting can be cancelled or time
    // out (lock_timeout), which raises an error as for any lock.
    unsafe { pg_sys::LockAcquire(&tag, mode as pg_sys::LOCKMODE, false, false) };
}

finfo_v1!(pg_finfo_att_lock_refreshes);

/// `_att_lock_refreshes(employees bigint[], closing boolean) RETURNS boolean` (true): a refresh's
/// locks (the gate shared, then the employees' buckets in order, so that
/// refreshes never wait for each other in a cycle), or a closing's (the
/// gate alone, exclusively: it waits for refreshes in flight).
#[pg_guard]
#[no_mangle]
pub unsafe extern "C-unwind" fn att_lock_refreshes(fcinfo: FunctionCallInfo) -> Datum {
    if pg_getarg::<bool>(fcinfo, 1).unwrap_or(false) {
        acquire(GATE, pg_sys::ExclusiveLock);
        return Datum::from(true);
    }
    lock_employees(pg_getarg::<Vec<Option<i64>>>(fcinfo, 0).unwrap_or_default().into_iter().flatten());
    Datum::from(true)
}

/// A refresh's locks: the gate shared, then the employees' buckets in
/// order, so that refreshes never wait for each other in a cycle.
pub fn lock_employees(employees: impl IntoIterator<Item = i64>) {
    acquire(GATE, pg_sys::ShareLock);
    let mut buckets: Vec<u32> = employees.into_iter().map(bucket).collect();
    buckets.sort_unstable();
    buckets.dedup();
    for b in buckets {
        acquire(b, pg_sys::ExclusiveLock);
    }
}
