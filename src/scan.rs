//! A plan node that streams `_att_evaluate_batch`'s rows instead of a
//! function scan (since 0.28.0).
//!
//! PostgreSQL runs every set-returning function in FROM to completion into
//! a result store first: each row formed with all 34 columns of
//! `day_result`, written out past work_mem and read back. For a month of a
//! company that was most of the time above judging the days (issue 15).
//! This node evaluates the same employees, batch by batch, and hands each
//! day on as it is judged, with only the columns the query reads.
//!
//! The planner is offered it (`set_rel_pathlist_hook`) for a call of the
//! function whose code is this library's `att_evaluate_batch`, alone in its
//! FROM item, with no reference to other items of the query (LATERAL) and
//! only plain columns read; any other use keeps the function scan. It
//! checks the caller's EXECUTE privilege on the function as a function scan
//! does, and is never offered for a function run with another user's
//! rights or settings (SECURITY DEFINER, SET), whose call must go through
//! the function manager. `attendance.stream_evaluation = off` turns it off.

use std::ffi::CStr;

use chrono::NaiveDate;
use pgrx::datum::Date;
use pgrx::guc::{GucContext, GucFlags, GucRegistry, GucSetting};
use pgrx::pg_sys::{self, Datum, List, NodeTag};
use pgrx::prelude::*;
use pgrx::FromDatum;

use crate::arena::Arena;
use crate::calls::{batch_of, load_one_batch, ordered};
use crate::evaluate::{evaluate_employee, DayRow};
use crate::load::Batch;
use crate::rows::{shown_desc, values_of, Values, COLUMNS};

const NAME: &CStr = c"AttendanceEvaluate";

static STREAM: GucSetting<bool> = GucSetting::<bool>::new(true);

static mut PATH_METHODS: pg_sys::CustomPathMethods = pg_sys::CustomPathMethods {
    CustomName: NAME.as_ptr(),
    PlanCustomPath: Some(plan_path),
    ReparameterizeCustomPathByChild: None,
};

static mut SCAN_METHODS: pg_sys::CustomScanMethods =
    pg_sys::CustomScanMethods { CustomName: NAME.as_ptr(), CreateCustomScanState: Some(create_state) };

static mut EXEC_METHODS: pg_sys::CustomExecMethods = pg_sys::CustomExecMethods {
    CustomName: NAME.as_ptr(),
    BeginCustomScan: Some(begin),
    ExecCustomScan: Some(exec),
    EndCustomScan: Some(end),
    ReScanCustomScan: Some(rescan),
    MarkPosCustomScan: None,
    RestrPosCustomScan: None,
    EstimateDSMCustomScan: None,
    InitializeDSMCustomScan: None,
    ReInitializeDSMCustomScan: None,
    InitializeWorkerCustomScan: None,
    ShutdownCustomScan: None,
    ExplainCustomScan: Some(explain),
};

static mut PREVIOUS: pg_sys::set_rel_pathlist_hook_type = None;

/// Registers the node and its setting; called once a process, when the
/// library loads (a parallel worker loads it before reading its plan).
pub fn init() {
    GucRegistry::define_bool_guc(
        c"attendance.stream_evaluation",
        c"Evaluations over many employees stream their rows to the query (on) instead of through a function's result store (off).",
        c"The rows are the same either way; off is for comparison.",
        &STREAM,
        GucContext::Userset,
        GucFlags::default(),
    );
    // SAFETY: the methods are statics that live as long as the process;
    // hooks are set once, before any query of this process is planned with them.
    unsafe {
        pg_sys::RegisterCustomScanMethods(&raw const SCAN_METHODS);
        PREVIOUS = pg_sys::set_rel_pathlist_hook;
        pg_sys::set_rel_pathlist_hook = Some(pathlist_hook);
    }
}

/// Whether an object access hook (sepgsql and the like) is set, which must
/// see every function executed.
unsafe fn access_hooked() -> bool {
    (*(&raw const pg_sys::object_access_hook)).is_some()
}

/// The cells of a list (none for NIL).
unsafe fn cells<'a>(list: *mut List) -> &'a [pg_sys::ListCell] {
    if list.is_null() || (*list).length == 0 {
        &[]
    } else {
        std::slice::from_raw_parts((*list).elements, (*list).length as usize)
    }
}

unsafe fn is(node: *const pg_sys::Node, tag: NodeTag) -> bool {
    !node.is_null() && (*node).type_ == tag
}

/// The call of `_att_evaluate_batch` that a FROM item is, if it is one the
/// node can stream.
unsafe fn streamable_call(rte: *mut pg_sys::RangeTblEntry) -> Option<*mut pg_sys::FuncExpr> {
    if (*rte).rtekind != pg_sys::RTEKind::RTE_FUNCTION || (*rte).funcordinality {
        return None;
    }
    let [function] = cells((*rte).functions) else { return None };
    let function = function.ptr_value as *mut pg_sys::RangeTblFunction;
    let call = (*function).funcexpr as *mut pg_sys::FuncExpr;
    if !is(call as *const pg_sys::Node, NodeTag::T_FuncExpr) || !(*call).funcretset {
        return None;
    }
    // by name first, so no other function's library is loaded to compare
    let name = pg_sys::get_func_name((*call).funcid);
    if name.is_null() || CStr::from_ptr(name) != c"_att_evaluate_batch" {
        return None;
    }
    // The function manager's entry point for the function: this library's
    // own code only when no other user's rights, settings or hook wrap it.
    let mut info = pg_sys::FmgrInfo::default();
    pg_sys::fmgr_info((*call).funcid, &mut info);
    let own: unsafe extern "C-unwind" fn(pg_sys::FunctionCallInfo) -> Datum = crate::calls::att_evaluate_batch;
    (info.fn_addr.map(|f| f as usize) == Some(own as usize)).then_some(call)
}

/// The columns a list of expressions reads of the item `rti`, or None when
/// it reads anything else of it (the whole row, a system column) or holds
/// a placeholder.
unsafe fn plain_columns<T>(exprs: *mut T, rti: u32, into: &mut Vec<*mut pg_sys::Var>) -> Option<()> {
    let vars = pg_sys::pull_var_clause(exprs as *mut pg_sys::Node, pg_sys::PVC_INCLUDE_PLACEHOLDERS as i32);
    for cell in cells(vars) {
        let var = cell.ptr_value as *mut pg_sys::Var;
        if !is(var as *const pg_sys::Node, NodeTag::T_Var) || (*var).varno != rti as i32 || (*var).varlevelsup != 0 {
            return None;
        }
        if (*var).varattno < 1 || (*var).varattno as usize > COLUMNS {
            return None;
        }
        if !into.iter().any(|v| (**v).varattno == (*var).varattno) {
            into.push(var);
        }
    }
    Some(())
}

#[pg_guard]
unsafe extern "C-unwind" fn pathlist_hook(
    root: *mut pg_sys::PlannerInfo,
    rel: *mut pg_sys::RelOptInfo,
    rti: pg_sys::Index,
    rte: *mut pg_sys::RangeTblEntry,
) {
    if let Some(previous) = PREVIOUS {
        previous(root, rel, rti, rte);
    }
    if !STREAM.get() || access_hooked() || streamable_call(rte).is_none() {
        return;
    }
    if !pg_sys::bms_is_empty((*rel).lateral_relids) {
        return;
    }
    let mut columns = Vec::new();
    if plain_columns((*(*rel).reltarget).exprs, rti, &mut columns).is_none() {
        return;
    }
    for cell in cells((*rel).baserestrictinfo) {
        let clause = (*(cell.ptr_value as *mut pg_sys::RestrictInfo)).clause;
        if plain_columns(clause, rti, &mut columns).is_none() {
            return;
        }
    }
    // the function scan's path, whose estimates the node takes over
    let Some(scan) = cells((*rel).pathlist)
        .iter()
        .map(|c| c.ptr_value as *mut pg_sys::Path)
        .find(|p| (**p).pathtype == NodeTag::T_FunctionScan && (**p).param_info.is_null())
    else {
        return;
    };
    let path = pg_sys::palloc0(std::mem::size_of::<pg_sys::CustomPath>()) as *mut pg_sys::CustomPath;
    let p = &mut (*path).path;
    p.type_ = NodeTag::T_CustomPath;
    p.pathtype = NodeTag::T_CustomScan;
    p.parent = rel;
    p.pathtarget = (*rel).reltarget;
    p.parallel_safe = (*scan).parallel_safe;
    p.rows = (*scan).rows;
    // no result store: rows flow from the first batch on, and the whole
    // costs less than the function scan that stores them first
    p.startup_cost = (*scan).startup_cost / 16.0;
    p.total_cost = (*scan).total_cost * 0.9;
    (*path).methods = &raw const PATH_METHODS;
    pg_sys::add_path(rel, path as *mut pg_sys::Path);
}

#[pg_guard]
unsafe extern "C-unwind" fn plan_path(
    root: *mut pg_sys::PlannerInfo,
    rel: *mut pg_sys::RelOptInfo,
    _path: *mut pg_sys::CustomPath,
    tlist: *mut List,
    clauses: *mut List,
    _custom_plans: *mut List,
) -> *mut pg_sys::Plan {
    let rti = (*rel).relid;
    let rte = *(*root).simple_rte_array.add(rti as usize);
    let call = streamable_call(rte).unwrap_or_else(|| {
        crate::errors::raise(PgSqlErrorCode::ERRCODE_INTERNAL_ERROR, "the evaluation's FROM item is no longer a call")
    });
    let quals = pg_sys::extract_actual_clauses(clauses, false);
    // the scan tuple: every column the output or the conditions read
    let mut columns = Vec::new();
    let read = plain_columns(tlist, rti, &mut columns).and_then(|_| plain_columns(quals, rti, &mut columns));
    if read.is_none() {
        crate::errors::raise(PgSqlErrorCode::ERRCODE_INTERNAL_ERROR, "the evaluation reads more than its columns");
    }
    let mut scan_tlist: *mut List = std::ptr::null_mut();
    for (i, var) in columns.iter().enumerate() {
        let var = pg_sys::copyObjectImpl(*var as *const std::ffi::c_void) as *mut pg_sys::Expr;
        let entry = pg_sys::makeTargetEntry(var, (i + 1) as pg_sys::AttrNumber, std::ptr::null_mut(), false);
        scan_tlist = pg_sys::lappend(scan_tlist, entry as *mut std::ffi::c_void);
    }
    let scan = pg_sys::palloc0(std::mem::size_of::<pg_sys::CustomScan>()) as *mut pg_sys::CustomScan;
    (*scan).scan.plan.type_ = NodeTag::T_CustomScan;
    (*scan).scan.plan.targetlist = tlist;
    (*scan).scan.plan.qual = quals;
    // no relation to open: the scan tuple is described by custom_scan_tlist
    (*scan).scan.scanrelid = 0;
    (*scan).custom_scan_tlist = scan_tlist;
    // the call itself, whose arguments the node evaluates (and whose
    // function a cached plan depends on)
    let call = pg_sys::copyObjectImpl(call as *const std::ffi::c_void);
    (*scan).custom_exprs = pg_sys::lappend(std::ptr::null_mut(), call);
    (*scan).methods = &raw const SCAN_METHODS;
    scan as *mut pg_sys::Plan
}

/// How many days of one employee are judged at a time.
const WINDOW: u64 = 92;

/// About how many employee-days a batch loads the inputs of.
const BATCH_DAYS: usize = 65_536;

/// Runs as the user and security context given (the first row's) until
/// dropped, also when the load fails.
struct AsUser {
    before: Option<(pg_sys::Oid, i32)>,
}

impl AsUser {
    unsafe fn switch(to: (pg_sys::Oid, i32)) -> AsUser {
        let (mut user, mut security) = (pg_sys::InvalidOid, 0);
        pg_sys::GetUserIdAndSecContext(&mut user, &mut security);
        if (user, security) == to || to.0 == pg_sys::InvalidOid {
            return AsUser { before: None };
        }
        pg_sys::SetUserIdAndSecContext(to.0, to.1);
        AsUser { before: Some((user, security)) }
    }
}

impl Drop for AsUser {
    fn drop(&mut self) {
        if let Some((user, security)) = self.before {
            // SAFETY: puts back what `switch` found.
            unsafe { pg_sys::SetUserIdAndSecContext(user, security) };
        }
    }
}

/// The node's executor state: PostgreSQL's, then this node's.
#[repr(C)]
struct State {
    css: pg_sys::CustomScanState,
    run: *mut Run,
}

/// What the node keeps while it runs; owned by the query's memory (freed
/// with it, also when the query fails).
struct Run {
    /// The call's arguments, ready to evaluate.
    args: *mut List,
    /// The `day_result` column of each attribute of the scan tuple.
    columns: Vec<usize>,
    shown: Option<pg_sys::TupleDesc>,
    started: bool,
    employees: Vec<i64>,
    first: NaiveDate,
    last: NaiveDate,
    /// The first employee of the next batch.
    next: usize,
    /// The batch loaded last, its next employee to judge and that
    /// employee's next day: one employee and at most `WINDOW` days at a
    /// time, so that the days handed on are still in the cache and memory
    /// does not grow with the range (one employee over centuries).
    batch: Option<Batch>,
    employee: usize,
    day: NaiveDate,
    /// Who evaluates and when: the user, security context and "now" of
    /// the first row. A cursor's later rows come from batches loaded at
    /// later FETCHes, which must be judged as the first were (a function
    /// scan judges every row at the first).
    user: (pg_sys::Oid, i32),
    now: Option<chrono::DateTime<chrono::Utc>>,
    /// The days of the employee judged last, and the next of them to hand on.
    rows: Vec<DayRow>,
    row: usize,
    arena: Arena,
}

#[pg_guard]
unsafe extern "C-unwind" fn create_state(_scan: *mut pg_sys::CustomScan) -> *mut pg_sys::Node {
    let state = pg_sys::palloc0(std::mem::size_of::<State>()) as *mut State;
    (*state).css.ss.ps.type_ = NodeTag::T_CustomScanState;
    (*state).css.methods = &raw const EXEC_METHODS;
    state as *mut pg_sys::Node
}

#[pg_guard]
unsafe extern "C-unwind" fn free_run(arg: *mut std::ffi::c_void) {
    drop(Box::from_raw(arg as *mut Run));
}

#[pg_guard]
unsafe extern "C-unwind" fn begin(node: *mut pg_sys::CustomScanState, estate: *mut pg_sys::EState, _eflags: i32) {
    let state = node as *mut State;
    let scan = (*node).ss.ps.plan as *mut pg_sys::CustomScan;
    let [call] = cells((*scan).custom_exprs) else {
        crate::errors::raise(PgSqlErrorCode::ERRCODE_INTERNAL_ERROR, "the evaluation node lost its call")
    };
    let call = call.ptr_value as *mut pg_sys::FuncExpr;
    // the caller's right to run the function, as a function scan checks it
    let granted = pg_sys::pg_proc_aclcheck((*call).funcid, pg_sys::GetUserId(), pg_sys::ACL_EXECUTE as pg_sys::AclMode);
    if granted != pg_sys::AclResult::ACLCHECK_OK {
        pg_sys::aclcheck_error(granted, pg_sys::ObjectType::OBJECT_FUNCTION, pg_sys::get_func_name((*call).funcid));
    }
    if access_hooked() {
        pg_sys::RunFunctionExecuteHook((*call).funcid);
    }
    let mut columns = Vec::new();
    for cell in cells((*scan).custom_scan_tlist) {
        let entry = cell.ptr_value as *mut pg_sys::TargetEntry;
        columns.push((*((*entry).expr as *mut pg_sys::Var)).varattno as usize - 1);
    }
    let shown = if columns.contains(&(COLUMNS - 1)) {
        let desc = pg_sys::lookup_rowtype_tupdesc_copy((*call).funcresulttype, -1);
        shown_desc(desc)
    } else {
        None
    };
    let run = Box::into_raw(Box::new(Run {
        args: pg_sys::ExecInitExprList((*call).args, &mut (*node).ss.ps),
        columns,
        shown,
        started: false,
        employees: Vec::new(),
        first: NaiveDate::MIN,
        last: NaiveDate::MIN,
        next: 0,
        batch: None,
        employee: 0,
        day: NaiveDate::MIN,
        user: (pg_sys::InvalidOid, 0),
        now: None,
        rows: Vec::new(),
        row: 0,
        arena: Arena::default(),
    }));
    let callback =
        pg_sys::MemoryContextAllocZero((*estate).es_query_cxt, std::mem::size_of::<pg_sys::MemoryContextCallback>())
            as *mut pg_sys::MemoryContextCallback;
    (*callback).func = Some(free_run);
    (*callback).arg = run as *mut std::ffi::c_void;
    pg_sys::MemoryContextRegisterResetCallback((*estate).es_query_cxt, callback);
    (*state).run = run;
}

/// Evaluates one argument of the call.
unsafe fn argument<T: FromDatum>(run: &Run, n: usize, context: *mut pg_sys::ExprContext) -> Option<T> {
    let expr = cells(run.args)[n].ptr_value as *mut pg_sys::ExprState;
    let mut null = false;
    let eval = (*expr).evalfunc.expect("an initialized expression has its evaluation function");
    let value = pg_sys::ffi::pg_guard_ffi_boundary(|| eval(expr, context, &mut null));
    T::from_datum(value, null)
}

impl Run {
    /// Reads the arguments, as `_att_evaluate_batch` does.
    unsafe fn start(&mut self, context: *mut pg_sys::ExprContext) {
        let mut memory = pgrx::PgMemoryContexts::For((*context).ecxt_per_tuple_memory);
        let (employees, first, last) = memory.switch_to(|_| {
            let employees = argument::<Vec<Option<i64>>>(self, 0, context);
            let first = argument::<Date>(self, 1, context);
            let last = argument::<Date>(self, 2, context);
            (employees, first, last)
        });
        let (employees, first, last) = batch_of(employees, first, last);
        ordered(first, last);
        (self.employees, self.first, self.last) = (employees, first, last);
        let (mut user, mut security) = (pg_sys::InvalidOid, 0);
        pg_sys::GetUserIdAndSecContext(&mut user, &mut security);
        self.user = (user, security);
        self.now = Some(pgrx::spi::Spi::connect(|client| crate::clock::now(&client)));
        self.started = true;
    }

    /// How many employees a batch loads: about `BATCH_DAYS` employee-days
    /// of inputs, so a month loads a part of `att_evaluate_all` at once (each
    /// batch opens every table and index again) and a long range loads few
    /// employees' years at a time.
    fn batch_size(&self) -> usize {
        let days = (self.last - self.first).num_days().max(0) as usize + 1;
        (BATCH_DAYS / days).clamp(16, 1024)
    }

    /// The position in `rows` of the next day judged, or None after the last.
    unsafe fn next_row(&mut self, context: *mut pg_sys::ExprContext) -> Option<usize> {
        loop {
            if self.row < self.rows.len() {
                self.row += 1;
                return Some(self.row - 1);
            }
            if !self.started {
                self.start(context);
            }
            self.rows.clear();
            self.row = 0;
            if let Some(data) = &self.batch {
                if let Some(employee) = data.employee(self.employee) {
                    let from = self.day;
                    let to =
                        from.checked_add_days(chrono::Days::new(WINDOW - 1)).map_or(data.last, |d| d.min(data.last));
                    let rows = &mut self.rows;
                    evaluate_employee(data, &employee, from, to, &mut |row| rows.push(row));
                    match to.succ_opt().filter(|_| to < data.last) {
                        Some(next) => self.day = next,
                        None => {
                            self.employee += 1;
                            self.day = self.first;
                        }
                    }
                    continue;
                }
            }
            if self.next >= self.employees.len() {
                self.batch = None;
                return None;
            }
            let end = (self.next + self.batch_size()).min(self.employees.len());
            // the batch before is dropped first: memory holds one at a time
            self.batch = None;
            let mut data = {
                let _as_first = AsUser::switch(self.user);
                load_one_batch(&self.employees[self.next..end], self.first, self.last)
            };
            data.now = self.now.unwrap_or(data.now);
            self.batch = Some(data);
            self.next = end;
            self.employee = 0;
            self.day = self.first;
        }
    }

    /// Puts the row's columns the scan reads into its tuple; their texts and
    /// arrays live in the arena or the per-tuple memory until the next row.
    unsafe fn store(&mut self, row: usize, slot: *mut pg_sys::TupleTableSlot, context: *mut pg_sys::ExprContext) {
        clear_virtual(slot);
        let mut memory = pgrx::PgMemoryContexts::For((*context).ecxt_per_tuple_memory);
        let (row, columns, shown, arena) = (&self.rows[row], &self.columns, self.shown, &mut self.arena);
        let wanted = columns.iter().fold(0u64, |set, c| set | 1 << c);
        memory.switch_to(|_| {
            let mut v: Values = values_of(row, arena, wanted);
            v.finish(shown);
            for (i, &column) in columns.iter().enumerate() {
                *(*slot).tts_values.add(i) = v.datums[column];
                *(*slot).tts_isnull.add(i) = v.nulls[column];
            }
        });
        // ExecStoreVirtualTuple, without a call per row
        (*slot).tts_flags &= !(pg_sys::TTS_FLAG_EMPTY as u16);
        (*slot).tts_nvalid = (*(*slot).tts_tupleDescriptor).natts as i16;
    }
}

/// ExecClearTuple of the node's own slot, which is virtual: its `clear`
/// only forgets the values and cannot fail, so it is called directly, not
/// through a guarded call per row.
unsafe fn clear_virtual(slot: *mut pg_sys::TupleTableSlot) -> *mut pg_sys::TupleTableSlot {
    if let Some(clear) = (*(*slot).tts_ops).clear {
        clear(slot);
    }
    slot
}

#[pg_guard]
unsafe extern "C-unwind" fn next(ss: *mut pg_sys::ScanState) -> *mut pg_sys::TupleTableSlot {
    next_slot(ss)
}

unsafe fn next_slot(ss: *mut pg_sys::ScanState) -> *mut pg_sys::TupleTableSlot {
    let run = &mut *(*(ss as *mut State)).run;
    let slot = (*ss).ss_ScanTupleSlot;
    let context = (*ss).ps.ps_ExprContext;
    match run.next_row(context) {
        Some(row) => {
            run.store(row, slot, context);
            slot
        }
        None => clear_virtual(slot),
    }
}

#[pg_guard]
unsafe extern "C-unwind" fn recheck(_ss: *mut pg_sys::ScanState, _slot: *mut pg_sys::TupleTableSlot) -> bool {
    true
}

/// Puts back the EvalPlanQual state `exec` set aside, also when the scan
/// fails.
struct Recheck {
    estate: *mut pg_sys::EState,
    active: *mut pg_sys::EPQState,
}

impl Drop for Recheck {
    fn drop(&mut self) {
        // SAFETY: the executor state outlives the call that set this aside.
        unsafe { (*self.estate).es_epq_active = self.active };
    }
}

#[pg_guard]
unsafe extern "C-unwind" fn exec(node: *mut pg_sys::CustomScanState) -> *mut pg_sys::TupleTableSlot {
    // Inside an EvalPlanQual recheck (a row locked FOR UPDATE, or updated,
    // whose newer version the query waited for), ExecScan hands a node
    // without a relation of its own the slot it left, as a node that pushed
    // a join down has the recheck's row there; this one has none, and the
    // waiting query lost its row. A function scan runs its function again
    // in a recheck, and so does this node: the recheck is hidden from
    // ExecScan for the call.
    let estate = (*node).ss.ps.state;
    let _recheck = Recheck { estate, active: (*estate).es_epq_active };
    (*estate).es_epq_active = std::ptr::null_mut();
    let ss = &mut (*node).ss;
    if ss.ps.qual.is_null() && ss.ps.ps_ProjInfo.is_null() {
        // ExecScan's own path without a condition or a projection (the rows
        // feed an aggregate or a join as they are), taken here so that a
        // row costs no guarded call: interrupts, the per-row memory reset
        // (when something was allocated), the next row.
        pgrx::check_for_interrupts!();
        let memory = (*ss.ps.ps_ExprContext).ecxt_per_tuple_memory;
        if !(*memory).isReset || !(*memory).firstchild.is_null() {
            pg_sys::MemoryContextReset(memory);
        }
        return next_slot(ss);
    }
    pg_sys::ExecScan(ss, Some(next), Some(recheck))
}

#[pg_guard]
unsafe extern "C-unwind" fn end(_node: *mut pg_sys::CustomScanState) {}

/// Starts over: the arguments are read again (they may depend on a
/// parameter that changed).
#[pg_guard]
unsafe extern "C-unwind" fn rescan(node: *mut pg_sys::CustomScanState) {
    let run = &mut *(*(node as *mut State)).run;
    run.started = false;
    run.employees.clear();
    run.next = 0;
    run.batch = None;
    run.employee = 0;
    run.day = run.first;
    run.rows.clear();
    run.row = 0;
    pg_sys::ExecScanReScan(&mut (*node).ss);
}

finfo_v1!(pg_finfo_att_evaluate_batch_support);

/// `_att_evaluate_batch_support(internal) RETURNS internal`, the planner
/// support function of `_att_evaluate_batch` (since 0.28.0). The planner
/// calls it while it simplifies the query, before it builds paths: the call
/// loads this library, whose hook then offers the streaming node for the
/// first evaluation of a session too. Asked for the number of rows of a
/// call with constant arguments, it answers employees times days.
#[pg_guard]
#[no_mangle]
pub unsafe extern "C-unwind" fn att_evaluate_batch_support(fcinfo: pg_sys::FunctionCallInfo) -> Datum {
    let request = pgrx::fcinfo::pg_getarg_datum_raw(fcinfo, 0).cast_mut_ptr::<pg_sys::Node>();
    if !is(request, NodeTag::T_SupportRequestRows) {
        return Datum::from(0usize);
    }
    let request = request as *mut pg_sys::SupportRequestRows;
    let call = (*request).node as *mut pg_sys::FuncExpr;
    if !is(call as *const pg_sys::Node, NodeTag::T_FuncExpr) {
        return Datum::from(0usize);
    }
    let constant = |n: usize| -> Option<*mut pg_sys::Const> {
        let arg = cells((*call).args).get(n)?.ptr_value as *mut pg_sys::Const;
        (is(arg as *const pg_sys::Node, NodeTag::T_Const) && !(*arg).constisnull).then_some(arg)
    };
    let (Some(employees), Some(first), Some(last)) = (constant(0), constant(1), constant(2)) else {
        return Datum::from(0usize);
    };
    let date = |c: *mut pg_sys::Const| Date::from_datum((*c).constvalue, false).and_then(crate::dates::from_pg);
    let employees = Vec::<Option<i64>>::from_datum((*employees).constvalue, false).unwrap_or_default();
    let (Some(first), Some(last)) = (date(first), date(last)) else { return Datum::from(0usize) };
    let mut ids: Vec<i64> = employees.into_iter().flatten().collect();
    ids.sort_unstable();
    ids.dedup();
    let days = (last - first).num_days() + 1;
    (*request).rows = (ids.len() as f64 * days.max(0) as f64).max(1.0);
    Datum::from(request)
}

/// EXPLAIN VERBOSE shows the call, as it does for a function scan.
#[pg_guard]
unsafe extern "C-unwind" fn explain(
    node: *mut pg_sys::CustomScanState,
    ancestors: *mut List,
    es: *mut pg_sys::ExplainState,
) {
    if !(*es).verbose {
        return;
    }
    let scan = (*node).ss.ps.plan as *mut pg_sys::CustomScan;
    let [call] = cells((*scan).custom_exprs) else { return };
    let context = pg_sys::set_deparse_context_plan((*es).deparse_cxt, scan as *mut pg_sys::Plan, ancestors);
    let text = pg_sys::deparse_expression(call.ptr_value as *mut pg_sys::Node, context, true, false);
    pg_sys::ExplainPropertyText(c"Function Call".as_ptr(), text, es);
}
