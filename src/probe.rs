//! Direct reads of the extension's tables through a btree index, for the
//! loader (a punch's refresh, a per-row call, a batch of 256 employees).
//! Each SQL read costs its executor start and SPI's bookkeeping, 10-20 us,
//! where the probe itself costs 2-4; a punch's refresh makes a dozen reads.
//! A batch's SQL read builds arrays and SPI rows the loader takes apart.
//!
//! A direct read returns what the SQL read would: it runs under the active
//! snapshot, as the loader's read-only queries do, and it is used only where
//! that query would read the table whole. The current user needs SELECT on
//! the table and no row-level security may apply to it; otherwise, or on
//! Citus (whose tables are shards elsewhere), the loader reads by SQL.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::CStr;
use std::rc::Rc;

use pgrx::pg_sys::{self, Datum, Oid};
use pgrx::prelude::*;
use pgrx::PgTupleDesc;

/// What a column holds, checked against the table when it is opened.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Int8,
    Int2,
    Float8,
    Text,
    Date,
    Timestamptz,
    Jsonb,
    Int8Array,
    DateRange,
    TstzRange,
    Enum,
    /// Any composite type (a row value), read as a raw value.
    Composite,
    /// Exactly this type, read as raw values (see `Row::values`).
    Exactly(Oid),
}

impl Kind {
    fn holds(self, ty: Oid) -> bool {
        let builtin = match self {
            Kind::Int8 => PgBuiltInOids::INT8OID,
            Kind::Int2 => PgBuiltInOids::INT2OID,
            Kind::Float8 => PgBuiltInOids::FLOAT8OID,
            Kind::Text => PgBuiltInOids::TEXTOID,
            Kind::Date => PgBuiltInOids::DATEOID,
            Kind::Timestamptz => PgBuiltInOids::TIMESTAMPTZOID,
            Kind::Jsonb => PgBuiltInOids::JSONBOID,
            Kind::Int8Array => PgBuiltInOids::INT8ARRAYOID,
            Kind::DateRange => PgBuiltInOids::DATERANGEOID,
            Kind::TstzRange => PgBuiltInOids::TSTZRANGEOID,
            // SAFETY: a catalog lookup of a type's kind.
            Kind::Enum => return unsafe { pg_sys::type_is_enum(ty) },
            // SAFETY: a catalog lookup of a type's kind.
            Kind::Composite => return unsafe { pg_sys::type_is_rowtype(ty) },
            Kind::Exactly(oid) => return ty == oid,
        };
        ty == builtin.value()
    }
}

/// The second index column's bounds, both inclusive unless said.
#[derive(Clone, Copy)]
pub enum Within {
    Dates(pgrx::datum::Date, pgrx::datum::Date),
    /// From the first instant, up to but not including the second.
    Instants(pgrx::datum::TimestampWithTimeZone, pgrx::datum::TimestampWithTimeZone),
    /// Exactly this id.
    Id(i64),
}

/// The value of the index's first column a read asks for: an id, or a day
/// where the index leads with a date (`day_record_period_idx`).
#[derive(Clone, Copy)]
pub enum Key {
    Id(i64),
    Day(pgrx::datum::Date),
}

/// How many columns a read keeps on the stack.
const FEW: usize = 16;

/// How many rows of ids not asked for a read of a range of ids passes
/// over before it reads the rest id by id (`rows_in_window`).
const STRANGERS: usize = 64;

/// A table of the extension opened for direct reads through one index.
pub struct Probe {
    heap: pg_sys::Relation,
    index: pg_sys::Relation,
    slot: *mut pg_sys::TupleTableSlot,
    /// The table's attribute numbers of the columns asked for, in that order.
    columns: Vec<i16>,
    /// What the index's first column holds, and its attribute number in the table.
    key: Kind,
    key_attnum: i16,
    kinds: Vec<Kind>,
    /// Where the index holds each column asked for, when it holds them all
    /// (see `read_index_only`).
    in_index: Option<Vec<usize>>,
    /// Enum labels met by this probe, by the value's oid (a punch's
    /// source, a membership's kind): looked up once, not once per row.
    labels: RefCell<HashMap<Oid, Rc<str>>>,
    /// The index scan of the last read, with its number of keys and whether
    /// it reads the index entries: the next read of the same shape starts
    /// it again with new keys instead of beginning another (a batch reads
    /// each table once per employee).
    scan: Option<(pg_sys::IndexScanDesc, i32, bool)>,
}

/// May the current user read `relid` whole: SELECT granted, and no
/// row-level security applying to it?
unsafe fn readable_whole(relid: Oid) -> bool {
    pg_sys::pg_class_aclcheck(relid, pg_sys::GetUserId(), pg_sys::ACL_SELECT as pg_sys::AclMode)
        == pg_sys::AclResult::ACLCHECK_OK
        && pg_sys::check_enable_rls(relid, pg_sys::InvalidOid, true) != pg_sys::CheckEnableRlsResult::RLS_ENABLED as i32
}

/// The tables an evaluation reads, with the caller's rights.
pub const EVALUATION_INPUTS: &[&CStr] = &[
    c"rule_person",
    c"membership",
    c"org_tree",
    c"rule_org",
    c"rule_version",
    c"org",
    c"holiday",
    c"schedule",
    c"punch_void",
    c"punch",
    c"excuse",
];

/// Refuses an evaluation, before it reads anything, when the caller may
/// not read one of its inputs ([`refuse_unreadable`]).
pub fn refuse_unreadable_inputs() {
    refuse_unreadable(
        EVALUATION_INPUTS,
        "evaluate attendance",
        "An evaluation reads the employees' rules, memberships, calendars, schedules, punches and excuses with the caller's rights.",
        "A login reads the days of its scope, kept current, from attendance.att_daily and the other report views; a role that evaluates needs SELECT on the attendance tables it reads.",
    );
}

/// Refuses (42501), naming the first of the extension's `tables` of which
/// the current user may read no column, what it was asked to do: the SQL
/// read would fail on that table with a bare "permission denied for
/// table", naming a table the caller never asked about. A caller granted
/// some of a table's columns goes on, and the read says which it lacks.
pub fn refuse_unreadable(tables: &[&CStr], what: &str, detail: &str, hint: &str) {
    // SAFETY: catalog lookups by name and privilege checks of the current user.
    unsafe {
        let schema = pg_sys::get_namespace_oid(c"attendance".as_ptr(), true);
        if schema == pg_sys::InvalidOid {
            return;
        }
        let user = pg_sys::GetUserId();
        let select = pg_sys::ACL_SELECT as pg_sys::AclMode;
        for table in tables {
            let relid = pg_sys::get_relname_relid(table.as_ptr(), schema);
            if relid == pg_sys::InvalidOid
                || pg_sys::pg_class_aclcheck(relid, user, select) == pg_sys::AclResult::ACLCHECK_OK
                || pg_sys::pg_attribute_aclcheck_all(relid, user, select, pg_sys::AclMaskHow::ACLMASK_ANY)
                    == pg_sys::AclResult::ACLCHECK_OK
            {
                continue;
            }
            let role = CStr::from_ptr(pg_sys::GetUserNameFromId(user, false)).to_string_lossy();
            crate::errors::raise_with_hint(
                pgrx::prelude::PgSqlErrorCode::ERRCODE_INSUFFICIENT_PRIVILEGE,
                &format!(
                    "permission denied to {what}: role \"{role}\" may not read attendance.{}",
                    table.to_string_lossy()
                ),
                detail,
                hint,
            );
        }
    }
}

/// Scan keys of the index's first column (bigint) from `lo` to `hi`.
fn id_range(lo: i64, hi: i64) -> [pg_sys::ScanKeyData; 2] {
    // SAFETY: zeroed keys are initialized here, each for the int8 btree operators.
    unsafe {
        let mut keys: [pg_sys::ScanKeyData; 2] = std::mem::zeroed();
        for (k, strategy, proc_, value) in [
            (0, pg_sys::BTGreaterEqualStrategyNumber, pg_sys::F_INT8GE, lo),
            (1, pg_sys::BTLessEqualStrategyNumber, pg_sys::F_INT8LE, hi),
        ] {
            pg_sys::ScanKeyInit(&mut keys[k], 1, strategy as u16, pg_sys::Oid::from(proc_), Datum::from(value));
        }
        keys
    }
}

/// Whether sorted, distinct `ids` lie close together: at most as many ids
/// between the first and the last are not asked for as are (the parts of
/// `att_evaluate_all` are ranges of ids), so one read of the range costs
/// less than a descent per id.
pub fn close_together(ids: &[i64]) -> bool {
    let (Some(&lo), Some(&hi)) = (ids.first(), ids.last()) else { return false };
    ids.len() > 1 && (hi as i128 - lo as i128 + 1) <= 2 * ids.len() as i128
}

/// Whether the extension's table has the column (a release's new column is
/// missing under the previous release's SQL, until ALTER EXTENSION UPDATE).
pub fn has_column(table: &CStr, column: &CStr) -> bool {
    // SAFETY: catalog lookups by name.
    unsafe {
        let schema = pg_sys::get_namespace_oid(c"attendance".as_ptr(), true);
        let relid = if schema == pg_sys::InvalidOid {
            pg_sys::InvalidOid
        } else {
            pg_sys::get_relname_relid(table.as_ptr(), schema)
        };
        relid != pg_sys::InvalidOid && pg_sys::get_attnum(relid, column.as_ptr()) > 0
    }
}

/// The table, its index and the columns' attribute numbers, by name.
unsafe fn resolve(table: &CStr, index: &CStr, key: &CStr, columns: &[(&CStr, Kind)]) -> Option<Resolved> {
    let schema = pg_sys::get_namespace_oid(c"attendance".as_ptr(), true);
    if schema == pg_sys::InvalidOid {
        return None;
    }
    let relid = pg_sys::get_relname_relid(table.as_ptr(), schema);
    let indexid = pg_sys::get_relname_relid(index.as_ptr(), schema);
    if relid == pg_sys::InvalidOid || indexid == pg_sys::InvalidOid {
        return None;
    }
    let attnum = |name: &CStr| Some(pg_sys::get_attnum(relid, name.as_ptr())).filter(|&n| n > 0);
    let attnums = columns.iter().map(|(name, _)| attnum(name)).collect::<Option<Vec<_>>>()?;
    Some(Resolved { relid, indexid, key: attnum(key)?, attnums })
}

/// Where a table and its index are, as last resolved by name: kept for
/// the backend, and checked against the opened relations on every use.
#[derive(Clone)]
struct Resolved {
    relid: Oid,
    indexid: Oid,
    key: i16,
    attnums: Vec<i16>,
}

thread_local! {
    static RESOLVED: RefCell<HashMap<Vec<u8>, Resolved>> = RefCell::new(HashMap::new());
    /// jsonb values' texts by their binary form (see `Row::jsonb_text`).
    static JSONB_TEXTS: RefCell<HashMap<Vec<u8>, Rc<str>>> = RefCell::new(HashMap::new());
}

/// How many jsonb texts a backend keeps before it starts again.
const KEPT_JSONB_TEXTS: usize = 256;

/// The attribute `attnum` of a descriptor, unless dropped or out of range.
unsafe fn attribute(desc: pg_sys::TupleDesc, attnum: i16) -> Option<&'static pg_sys::FormData_pg_attribute> {
    let desc = PgTupleDesc::from_pg_unchecked(desc);
    let attr = desc.get(usize::try_from(attnum).ok()?.checked_sub(1)?)?;
    // SAFETY: the descriptor belongs to a relation held open until the caller is done.
    (!attr.attisdropped).then(|| &*(attr as *const pg_sys::FormData_pg_attribute))
}

impl Probe {
    /// Opens `attendance.<table>` for reads through `attendance.<index>`,
    /// whose first column must be `key` (bigint), with the named columns.
    /// None when a direct read is not allowed here or the table is not as
    /// this library knows it (an older release's): the caller reads by SQL.
    pub fn open(table: &CStr, index: &CStr, key: &CStr, columns: &[(&CStr, Kind)]) -> Option<Probe> {
        Self::open_keyed(table, index, (key, Kind::Int8), columns)
    }

    /// The same, for an index whose first column holds `key.1` (bigint or date).
    pub fn open_keyed(table: &CStr, index: &CStr, key: (&CStr, Kind), columns: &[(&CStr, Kind)]) -> Option<Probe> {
        let (key, key_kind) = key;
        if !matches!(key_kind, Kind::Int8 | Kind::Date) {
            return None;
        }
        if crate::citus::present() {
            return None;
        }
        // SAFETY: checks whether the backend has an active snapshot.
        if !unsafe { pg_sys::ActiveSnapshotSet() } {
            return None;
        }
        // the names, each with its terminating zero, as the cache's key
        let mut name = Vec::with_capacity(128);
        for part in [table, index, key].into_iter().chain(columns.iter().map(|c| c.0)) {
            name.extend_from_slice(part.to_bytes_with_nul());
        }
        let cached = RESOLVED.with(|r| r.borrow().get(&name).cloned());
        if let Some(resolved) = cached {
            // SAFETY: see `opened`.
            if let Some(probe) = unsafe { Self::opened(&resolved, table, index, (key, key_kind), columns) } {
                return Some(probe);
            }
        }
        // SAFETY: catalog lookups by name; see `opened`.
        let resolved = unsafe { resolve(table, index, key, columns)? };
        let probe = unsafe { Self::opened(&resolved, table, index, (key, key_kind), columns)? };
        RESOLVED.with(|r| r.borrow_mut().insert(name, resolved));
        Some(probe)
    }

    /// The resolved relations opened, when they still are the named ones
    /// with the columns asked for and the current user may read the table
    /// whole; locked as a query of them would be, until the transaction ends.
    unsafe fn opened(
        resolved: &Resolved,
        table: &CStr,
        index: &CStr,
        (key, key_kind): (&CStr, Kind),
        columns: &[(&CStr, Kind)],
    ) -> Option<Probe> {
        if !readable_whole(resolved.relid) {
            return None;
        }
        let lock = pg_sys::AccessShareLock as pg_sys::LOCKMODE;
        let heap = pg_sys::try_table_open(resolved.relid, lock);
        if heap.is_null() {
            return None;
        }
        let close_heap = || pg_sys::table_close(heap, pg_sys::NoLock as pg_sys::LOCKMODE);
        let schema = pg_sys::get_namespace_oid(c"attendance".as_ptr(), true);
        let named = |rel: pg_sys::Relation, name: &CStr| {
            (*(*rel).rd_rel).relnamespace == schema && CStr::from_ptr((*(*rel).rd_rel).relname.data.as_ptr()) == name
        };
        let desc = (*heap).rd_att;
        let column_is = |attnum: i16, name: &CStr, kind: Kind| {
            attribute(desc, attnum)
                .is_some_and(|a| CStr::from_ptr(a.attname.data.as_ptr()) == name && kind.holds(a.atttypid))
        };
        if !named(heap, table)
            || (*(*heap).rd_rel).relkind != pg_sys::RELKIND_RELATION as std::ffi::c_char
            || !column_is(resolved.key, key, key_kind)
            || resolved.attnums.len() != columns.len()
            || !resolved.attnums.iter().zip(columns).all(|(&n, (name, kind))| column_is(n, name, *kind))
        {
            close_heap();
            return None;
        }
        let index_rel = pg_sys::try_index_open(resolved.indexid, lock);
        if index_rel.is_null() {
            close_heap();
            return None;
        }
        let form = (*index_rel).rd_index;
        let leading = (*form).indkey.values.as_slice((*form).indnatts as usize).first().copied();
        if !named(index_rel, index)
            || (*(*index_rel).rd_rel).relam != pg_sys::BTREE_AM_OID
            || (*form).indrelid != resolved.relid
            || leading != Some(resolved.key)
        {
            pg_sys::index_close(index_rel, pg_sys::NoLock as pg_sys::LOCKMODE);
            close_heap();
            return None;
        }
        let slot = pg_sys::table_slot_create(heap, std::ptr::null_mut());
        let in_index = index_positions(index_rel, &resolved.attnums);
        Some(Probe {
            in_index,
            heap,
            index: index_rel,
            slot,
            columns: resolved.attnums.clone(),
            key: key_kind,
            key_attnum: resolved.key,
            kinds: columns.iter().map(|c| c.1).collect(),
            labels: RefCell::default(),
            scan: None,
        })
    }

    /// Hands `f` every row whose index key is `key` and, with `within`,
    /// whose second index column lies within the bounds; in index order.
    pub fn rows(&mut self, key: i64, within: Option<Within>, f: impl FnMut(&Row<'_>)) {
        self.rows_at(Key::Id(key), within, f)
    }

    /// The same for a key of the kind the index leads with; no rows for
    /// a key of another kind.
    pub fn rows_at(&mut self, key: Key, within: Option<Within>, mut f: impl FnMut(&Row<'_>)) {
        let (proc_, key) = match (key, self.key) {
            (Key::Id(id), Kind::Int8) => (pg_sys::F_INT8EQ, id.into_datum()),
            (Key::Day(day), Kind::Date) => (pg_sys::F_DATE_EQ, day.into_datum()),
            _ => return,
        };
        // SAFETY: the relations and slot are open (see `open`); the scan
        // runs under the active snapshot and ends before this returns.
        unsafe {
            let mut keys: [pg_sys::ScanKeyData; 3] = std::mem::zeroed();
            pg_sys::ScanKeyInit(
                &mut keys[0],
                1,
                pg_sys::BTEqualStrategyNumber as u16,
                pg_sys::Oid::from(proc_),
                key.unwrap_or(Datum::from(0usize)),
            );
            let bounds = match within {
                None => None,
                Some(Within::Id(id)) => Some((
                    (pg_sys::BTGreaterEqualStrategyNumber, pg_sys::F_INT8GE, id.into_datum()),
                    (pg_sys::BTLessEqualStrategyNumber, pg_sys::F_INT8LE, id.into_datum()),
                )),
                Some(Within::Dates(from, to)) => Some((
                    (pg_sys::BTGreaterEqualStrategyNumber, pg_sys::F_DATE_GE, from.into_datum()),
                    (pg_sys::BTLessEqualStrategyNumber, pg_sys::F_DATE_LE, to.into_datum()),
                )),
                Some(Within::Instants(from, to)) => Some((
                    (pg_sys::BTGreaterEqualStrategyNumber, pg_sys::F_TIMESTAMPTZ_GE, from.into_datum()),
                    (pg_sys::BTLessStrategyNumber, pg_sys::F_TIMESTAMPTZ_LT, to.into_datum()),
                )),
            };
            let mut n = 1;
            if let Some((low, high)) = bounds {
                for (k, (strategy, proc_, value)) in [(1, low), (2, high)] {
                    pg_sys::ScanKeyInit(
                        &mut keys[k],
                        2,
                        strategy as u16,
                        pg_sys::Oid::from(proc_),
                        value.unwrap_or(Datum::from(0usize)),
                    );
                }
                n = 3;
            }
            self.read(&mut keys[..n as usize], &mut |row| {
                f(row);
                true
            });
        }
    }

    /// Hands `f` every row whose index key (bigint) lies from `lo` to `hi`,
    /// in index order (so each key's rows in the order `rows` gives them):
    /// one descent of the index for a batch of employees whose ids lie
    /// close together, instead of one for each.
    pub fn rows_between(&mut self, lo: i64, hi: i64, mut f: impl FnMut(&Row<'_>)) {
        if self.key != Kind::Int8 {
            return;
        }
        // SAFETY: as in `rows_at`.
        unsafe {
            let mut keys = id_range(lo, hi);
            self.read(&mut keys, &mut |row| {
                f(row);
                true
            });
        }
    }

    /// Hands `f` each of `ids`' rows (sorted, distinct) whose instant, the
    /// index's second column and the row's column `instant`, lies in
    /// `[from, to)`, with its id, in index order: what `rows_at` with
    /// `Within::Instants` gives id by id. Ids that lie close together (a
    /// part of `att_evaluate_all`) are read in one pass over the index
    /// from the first to the last, as long as every row it meets is in
    /// the window: a company whose punches begin within it (a new
    /// deployment, or older punches archived) is read without one descent
    /// per employee. At the first row outside the window (punches before
    /// or after it: a history) the remaining ids are read one by one, so a
    /// history costs a descent per employee, as before, and at most one
    /// row more.
    pub fn rows_in_window(
        &mut self,
        ids: &[i64],
        instant: usize,
        from: TimestampWithTimeZone,
        to: TimestampWithTimeZone,
        mut f: impl FnMut(i64, &Row<'_>),
    ) {
        let (Some(&first), Some(&last)) = (ids.first(), ids.last()) else { return };
        let dense = close_together(ids);
        let (lo, hi) = (pg_sys::TimestampTz::from(from), pg_sys::TimestampTz::from(to));
        let mut next = 0;
        if dense && self.key == Kind::Int8 && self.kinds.get(instant) == Some(&Kind::Timestamptz) {
            // SAFETY: as in `rows_at`.
            unsafe {
                let mut keys = id_range(first, last);
                // rows of ids not asked for, skipped; a few are let by
                let mut strangers = 0;
                let mut read_all = true;
                self.read(&mut keys, &mut |row| {
                    let id = row.id();
                    while ids[next] < id {
                        next += 1;
                    }
                    if ids[next] != id {
                        strangers += 1;
                        read_all = strangers <= STRANGERS;
                        return read_all;
                    }
                    let Some(at) = row.datum(instant).map(|d| d.value() as i64) else { return true };
                    if at < lo {
                        // this employee's punches before the window: from here on, id by id
                        read_all = false;
                        return false;
                    }
                    if at >= hi {
                        // after it: this employee is read, the next ones id by id
                        next += 1;
                        read_all = false;
                        return false;
                    }
                    f(id, row);
                    true
                });
                if read_all {
                    return;
                }
            }
        }
        for &id in &ids[next..] {
            self.rows_at(Key::Id(id), Some(Within::Instants(from, to)), |row| f(id, row));
        }
    }

    /// Whether the index holds an entry whose key (bigint) lies from `lo`
    /// to `hi`, one no longer visible included: one descent tells that a
    /// batch of employees has no rows at all (a company without rotas has
    /// no schedule), where a read per employee descends once for each.
    pub fn any_between(&mut self, lo: i64, hi: i64) -> bool {
        if self.key != Kind::Int8 {
            return true;
        }
        // SAFETY: as in `rows_at`; only the index is read.
        unsafe {
            let mut keys = id_range(lo, hi);
            let (scan, _) = self.start(&mut keys);
            !pg_sys::index_getnext_tid(scan, pg_sys::ScanDirection::ForwardScanDirection).is_null()
        }
    }

    /// The probe's index scan started over with `keys`, and whether it
    /// reads the index entries (an index-only read).
    ///
    /// # Safety
    /// The keys are initialized for this probe's index.
    unsafe fn start(&mut self, keys: &mut [pg_sys::ScanKeyData]) -> (pg_sys::IndexScanDesc, bool) {
        let n = keys.len() as i32;
        // Serializable transactions read the heap: the index-only read
        // would owe the page its predicate lock.
        let itup = self.in_index.is_some() && pg_sys::XactIsoLevel != pg_sys::XACT_SERIALIZABLE as i32;
        let scan = match self.scan {
            Some((scan, keys, kept_itup)) if keys == n && kept_itup == itup => scan,
            _ => {
                self.end_scan();
                let scan = pg_sys::index_beginscan(self.heap, self.index, pg_sys::GetActiveSnapshot(), n, 0);
                (*scan).xs_want_itup = itup;
                self.scan = Some((scan, n, itup));
                scan
            }
        };
        pg_sys::index_rescan(scan, keys.as_mut_ptr(), n, std::ptr::null_mut(), 0);
        (scan, itup)
    }

    /// Reads the rows the scan keys select, in index order.
    ///
    /// # Safety
    /// The keys are initialized for this probe's index.
    unsafe fn read(&mut self, keys: &mut [pg_sys::ScanKeyData], f: &mut impl FnMut(&Row<'_>) -> bool) {
        let (scan, itup) = self.start(keys);
        let from_index = self.in_index.as_deref().filter(|_| itup);
        // the row's values on the stack unless it has many columns (a read
        // per employee and table allocated two vectors)
        let width = self.columns.len();
        let (mut few_values, mut few_nulls) = ([Datum::from(0usize); FEW], [true; FEW]);
        let (mut many_values, mut many_nulls) = (Vec::new(), Vec::new());
        let (values, nulls): (&mut [Datum], &mut [bool]) = if width <= FEW {
            (&mut few_values[..width], &mut few_nulls[..width])
        } else {
            many_values.resize(width, Datum::from(0usize));
            many_nulls.resize(width, true);
            (&mut many_values, &mut many_nulls)
        };
        if let Some(positions) = from_index {
            self.read_index_only(scan, positions, values, nulls, f);
            return;
        }
        // the key too: `rows_between` tells the rows' ids by it
        let last = self.columns.iter().copied().chain([self.key_attnum]).max().unwrap_or(1) as i32;
        while pg_sys::index_getnext_slot(scan, pg_sys::ScanDirection::ForwardScanDirection, self.slot) {
            pg_sys::slot_getsomeattrs(self.slot, last);
            let (all_values, all_nulls) = ((*self.slot).tts_values, (*self.slot).tts_isnull);
            for (i, &attnum) in self.columns.iter().enumerate() {
                let at = attnum as usize - 1;
                values[i] = *all_values.add(at);
                nulls[i] = *all_nulls.add(at);
            }
            let key = *all_values.add(self.key_attnum as usize - 1);
            if !f(&Row { values, nulls, key, kinds: &self.kinds, labels: &self.labels, slot: self.slot }) {
                break;
            }
        }
        pg_sys::ExecClearTuple(self.slot);
    }

    /// Ends the index scan kept from the last read, if any.
    fn end_scan(&mut self) {
        if let Some((scan, _, _)) = self.scan.take() {
            // SAFETY: begun by `rows_at` on this probe's open relations.
            unsafe { pg_sys::index_endscan(scan) };
        }
    }
}

impl Probe {
    /// The rows of a scan whose columns the index holds, read from the
    /// index entries as an index-only scan reads them: the heap is visited
    /// only where the visibility map does not say every row of the page is
    /// visible (a punch's recent days), to check the row's visibility.
    ///
    /// # Safety
    /// `scan` is this probe's, begun with `xs_want_itup`; `positions` maps
    /// each column asked for to its place in the index.
    unsafe fn read_index_only(
        &self,
        scan: pg_sys::IndexScanDesc,
        positions: &[usize],
        values: &mut [Datum],
        nulls: &mut [bool],
        f: &mut impl FnMut(&Row<'_>) -> bool,
    ) {
        // an index has at most INDEX_MAX_KEYS columns
        let mut entry_values = [Datum::from(0usize); pg_sys::INDEX_MAX_KEYS as usize];
        let mut entry_nulls = [true; pg_sys::INDEX_MAX_KEYS as usize];
        let mut vm_buffer: pg_sys::Buffer = pg_sys::InvalidBuffer as pg_sys::Buffer;
        loop {
            let tid = pg_sys::index_getnext_tid(scan, pg_sys::ScanDirection::ForwardScanDirection);
            if tid.is_null() {
                break;
            }
            let block = (u32::from((*tid).ip_blkid.bi_hi) << 16) | u32::from((*tid).ip_blkid.bi_lo);
            let all_visible = pg_sys::visibilitymap_get_status(self.heap, block, &mut vm_buffer)
                & pg_sys::VISIBILITYMAP_ALL_VISIBLE as u8
                != 0;
            if !all_visible {
                if !pg_sys::index_fetch_heap(scan, self.slot) {
                    continue;
                }
                pg_sys::ExecClearTuple(self.slot);
            }
            if (*scan).xs_itup.is_null() {
                continue;
            }
            pg_sys::index_deform_tuple(
                (*scan).xs_itup,
                (*scan).xs_itupdesc,
                entry_values.as_mut_ptr(),
                entry_nulls.as_mut_ptr(),
            );
            for (i, &at) in positions.iter().enumerate() {
                values[i] = entry_values[at];
                nulls[i] = entry_nulls[at];
            }
            // the index leads with the key
            let key = entry_values[0];
            if !f(&Row { values, nulls, key, kinds: &self.kinds, labels: &self.labels, slot: std::ptr::null_mut() }) {
                break;
            }
        }
        if vm_buffer != pg_sys::InvalidBuffer as pg_sys::Buffer {
            pg_sys::ReleaseBuffer(vm_buffer);
        }
    }
}

/// Where each attribute sits in the index, if the index holds them all and
/// can return them (its key and INCLUDE columns, for a btree).
unsafe fn index_positions(index: pg_sys::Relation, attnums: &[i16]) -> Option<Vec<usize>> {
    let form = (*index).rd_index;
    let held = (*form).indkey.values.as_slice((*form).indnatts as usize);
    attnums
        .iter()
        .map(|a| held.iter().position(|h| h == a).filter(|&p| pg_sys::index_can_return(index, p as i32 + 1)))
        .collect()
}

impl Drop for Probe {
    fn drop(&mut self) {
        // After an error the transaction's abort releases all of these.
        if std::thread::panicking() {
            return;
        }
        self.end_scan();
        // SAFETY: opened in `open`, closed once; the locks stay until commit.
        unsafe {
            pg_sys::ExecDropSingleTupleTableSlot(self.slot);
            pg_sys::index_close(self.index, pg_sys::NoLock as pg_sys::LOCKMODE);
            pg_sys::table_close(self.heap, pg_sys::NoLock as pg_sys::LOCKMODE);
        }
    }
}

/// One row of a probe: its columns in the order they were asked for, read
/// as the loader's SQL reads them.
pub struct Row<'a> {
    values: &'a [Datum],
    nulls: &'a [bool],
    /// The index key of the row (its first column; never NULL in the
    /// extension's keys, read as bigint by `id`).
    key: Datum,
    kinds: &'a [Kind],
    labels: &'a RefCell<HashMap<Oid, Rc<str>>>,
    /// The heap row read; null for a row read from the index alone.
    slot: *mut pg_sys::TupleTableSlot,
}

impl Row<'_> {
    /// The raw values and null flags, in the order asked for.
    pub fn values(&self) -> (&[Datum], &[bool]) {
        (self.values, self.nulls)
    }

    /// Whether the transaction running (or one of its subtransactions)
    /// wrote this row version; None for a row read from the index alone.
    pub fn written_here(&self) -> Option<bool> {
        if self.slot.is_null() {
            return None;
        }
        // SAFETY: the slot holds the heap row being read; its own
        // operations give its system columns.
        unsafe {
            let getsysattr = (*(*self.slot).tts_ops).getsysattr?;
            let mut null = true;
            let xmin = getsysattr(self.slot, pg_sys::MinTransactionIdAttributeNumber, &mut null);
            if null {
                return None;
            }
            Some(pg_sys::TransactionIdIsCurrentTransactionId(pg_sys::TransactionId::from_inner(xmin.value() as u32)))
        }
    }

    pub fn is_null(&self, i: usize) -> bool {
        self.nulls[i]
    }

    /// The row's index key, as a bigint (`rows_between`).
    pub fn id(&self) -> i64 {
        self.key.value() as i64
    }

    /// An enum column's value, the label's OID (NULL: None).
    pub fn enum_oid(&self, i: usize) -> Option<Oid> {
        (self.kinds[i] == Kind::Enum).then(|| self.datum(i)).flatten().map(|d| Oid::from(d.value() as u32))
    }

    fn datum(&self, i: usize) -> Option<Datum> {
        (!self.nulls[i]).then(|| self.values[i])
    }

    /// A column as pgrx reads its type (bigint, smallint, float8, text,
    /// date, timestamptz, bigint[]).
    pub fn get<T: FromDatum>(&self, i: usize) -> Option<T> {
        // SAFETY: the datum is a value of the column's checked type.
        self.datum(i).and_then(|d| unsafe { T::from_datum(d, false) })
    }

    /// A jsonb column as text (`::text`); None for a column of another kind.
    /// The texts are kept by the value's binary form (a rule's
    /// configuration, read by every punch's refresh, is printed once).
    pub fn jsonb_text(&self, i: usize) -> Option<String> {
        if self.kinds[i] != Kind::Jsonb {
            return None;
        }
        let datum = self.datum(i)?;
        // SAFETY: a jsonb value of the row being read.
        let binary = unsafe { crate::varlena::contents(datum) };
        if let Some(text) = JSONB_TEXTS.with(|t| t.borrow().get(binary).cloned()) {
            return Some(text.to_string());
        }
        // SAFETY: the output function of the column's checked type.
        let text: Option<&CStr> = unsafe { pgrx::direct_function_call(pg_sys::jsonb_out, &[Some(datum)]) };
        let text: Rc<str> = text?.to_string_lossy().into();
        JSONB_TEXTS.with(|t| {
            let mut texts = t.borrow_mut();
            if texts.len() >= KEPT_JSONB_TEXTS {
                texts.clear();
            }
            texts.insert(binary.to_vec(), text.clone());
        });
        Some(text.to_string())
    }

    /// An enum column's label (`::text`); None for a column of another kind.
    pub fn label(&self, i: usize) -> Option<Rc<str>> {
        if self.kinds[i] != Kind::Enum {
            return None;
        }
        let datum = self.datum(i)?;
        let oid = Oid::from(datum.value() as u32);
        if let Some(label) = self.labels.borrow().get(&oid) {
            return Some(label.clone());
        }
        // SAFETY: the output function of the column's checked type (an enum).
        let text: Option<&CStr> = unsafe { pgrx::direct_function_call(pg_sys::enum_out, &[Some(datum)]) };
        let label: Rc<str> = text?.to_string_lossy().into();
        self.labels.borrow_mut().insert(oid, label.clone());
        Some(label)
    }

    /// A range's bounds as `lower()` and `upper()` give them: None for an
    /// infinite bound, both None for an empty range or NULL.
    pub fn bounds(&self, i: usize) -> (Option<Datum>, Option<Datum>) {
        let Some(datum) = self.datum(i) else { return (None, None) };
        let ty = match self.kinds[i] {
            Kind::DateRange => PgBuiltInOids::DATERANGEOID,
            _ => PgBuiltInOids::TSTZRANGEOID,
        };
        // SAFETY: the datum is a range of the column's checked type.
        unsafe {
            let cache = pg_sys::lookup_type_cache(ty.value(), pg_sys::TYPECACHE_RANGE_INFO as i32);
            let range = pg_sys::pg_detoast_datum(datum.cast_mut_ptr()) as *const pg_sys::RangeType;
            let (mut lower, mut upper): (pg_sys::RangeBound, pg_sys::RangeBound) = std::mem::zeroed();
            let mut empty = false;
            pg_sys::range_deserialize(cache, range, &mut lower, &mut upper, &mut empty);
            if empty {
                return (None, None);
            }
            ((!lower.infinite).then_some(lower.val), (!upper.infinite).then_some(upper.val))
        }
    }

    /// Does a tstzrange column overlap `[from, to)` (`&& tstzrange(from, to)`)?
    pub fn overlaps(
        &self,
        i: usize,
        from: pgrx::datum::TimestampWithTimeZone,
        to: pgrx::datum::TimestampWithTimeZone,
    ) -> bool {
        let Some(datum) = self.datum(i) else { return false };
        // SAFETY: the datum is a tstzrange; the bounds are finite instants.
        unsafe {
            let cache =
                pg_sys::lookup_type_cache(PgBuiltInOids::TSTZRANGEOID.value(), pg_sys::TYPECACHE_RANGE_INFO as i32);
            let bound = |value: pgrx::datum::TimestampWithTimeZone, lower: bool| pg_sys::RangeBound {
                val: value.into_datum().unwrap_or(Datum::from(0usize)),
                infinite: false,
                inclusive: lower,
                lower,
            };
            let (mut lower, mut upper) = (bound(from, true), bound(to, false));
            let wanted = pg_sys::range_serialize(cache, &mut lower, &mut upper, false);
            let range = pg_sys::pg_detoast_datum(datum.cast_mut_ptr()) as *const pg_sys::RangeType;
            pg_sys::range_overlaps_internal(cache, range, wanted)
        }
    }
}
