//! Evaluation of one employee-day.
//!
//! The day's plan (kind and shift) comes from [`crate::calendar`]; the
//! shift's periods are placed on the time line in the rule's zone, the
//! punches near them are assigned to periods, flex rules move the duty
//! window, excuses shrink it, and tolerance, absenteeism and overtime turn
//! what is left into figures. Every figure that is not plainly "on time"
//! gets a reason.
//!
//! Punch assignment: a shift's day owns the punches from half the off-duty
//! gap before its first start to half the gap after its last end (so a
//! 22:00-06:00 night shift owns 14:00 to 14:00 next day and belongs to the
//! day it starts); between periods the middle of the gap splits them, unless
//! a period declares a punch window (see [`crate::model`]). Within a period
//! the first punch is the check-in and the last the check-out; breaks inside
//! a period are left out of every measure of it (see `duty`).

use crate::absence;
use crate::calendar::{plan_day, CalendarMark, DayKind, DayPlan, ScheduleEntry};
use crate::clock::{floor_minutes, to_i32, to_local, Hhmm, Memo, NearDay};
use crate::duty;
use crate::flex::{self, Applied};
use crate::geo::{place, Placement};
use crate::leave_late::{self, PreviousWorkday};
use crate::model::FlexMode;
use crate::model::{HolidayPunches, WorkTime};
use crate::overtime::{self, OvertimeCategory};
use crate::punch::{
    covered_secs, covered_since, covered_until, is_sorted, kind_at, punch_order, Excuse, Punch, PunchSource,
};
use crate::reason::Label;
use crate::result::{DayResult, PeriodBreak, PeriodResult, PunchTime, Status};
use crate::rule::{Overtime, Rule, ShiftId, ShiftKind, System, Tier};
use crate::tolerance;
use crate::validate::{MAX_BREAKS, MAX_PERIODS};
use crate::zone_cache::Times;

/// Zone cache tag bit for rest-day punch frames.
const FRAME_TAG: u32 = 1 << 16;
/// Zone cache tag bit for a shift's breaks.
const BREAK_TAG: u32 = 1 << 17;
use chrono::{DateTime, NaiveDate, Utc};
use std::borrow::Cow;
use std::fmt::Write;

/// `format!` with room for a typical reason, so building one costs a
/// single allocation (for the rare reasons that need format specs).
macro_rules! text {
    ($($arg:tt)*) => {{
        let mut s = String::with_capacity(112);
        let _ = std::fmt::Write::write_fmt(&mut s, format_args!($($arg)*));
        s
    }};
}

/// Concatenates reason pieces (text, numbers, clock times) into one
/// string. Reasons are written on a large share of days, and going through
/// `core::fmt` cost more than the evaluation itself.
macro_rules! line {
    ($($piece:expr),+ $(,)?) => {{
        let mut s = String::with_capacity(112);
        $( crate::reason::Piece::push_to($piece, &mut s); )+
        s
    }};
}

/// Everything needed to evaluate one employee-day besides the rule.
#[derive(Debug, Clone, Copy)]
pub struct DayInput<'a> {
    /// The local day to evaluate.
    pub date: NaiveDate,
    /// The holiday calendar's mark for the date.
    pub mark: Option<CalendarMark>,
    /// For scheduled rules: the person's schedule entry (`None` =
    /// unscheduled). Ignored by other systems.
    pub schedule: Option<ScheduleEntry>,
    /// Punches around the day, any order (sorted is fastest); punches far
    /// from the day are ignored, so a whole month may be passed.
    pub punches: &'a [Punch],
    /// Leave, trips, outings and appeals around the day.
    pub excuses: &'a [Excuse],
    /// The previous workday, for leave-late-arrive-late; see
    /// [`crate::batch::previous_workday`].
    pub previous_workday: Option<PreviousWorkday>,
}

impl<'a> DayInput<'a> {
    /// A plain day: no holiday mark, no schedule, no excuses.
    pub fn new(date: NaiveDate, punches: &'a [Punch]) -> Self {
        DayInput { date, mark: None, schedule: None, punches, excuses: &[], previous_workday: None }
    }
}

/// Evaluates one employee-day. Never panics; a date chrono cannot place
/// gives status [`Status::OutOfRange`].
pub fn evaluate_day(rule: &Rule, input: &DayInput<'_>) -> DayResult {
    evaluate_with_carry(rule, input).0
}

/// Evaluates a day and also returns what the next workday needs to know
/// about it (`Some` only for workdays).
pub fn evaluate_with_carry(rule: &Rule, input: &DayInput<'_>) -> (DayResult, Option<PreviousWorkday>) {
    if is_sorted(input.punches) {
        run(rule, input, input.punches, None)
    } else {
        // Sorting a copy keeps the result independent of the caller's order.
        let mut sorted = input.punches.to_vec();
        sorted.sort_by(punch_order);
        run(rule, input, &sorted, None)
    }
}

/// [`evaluate_with_carry`] for punches the caller has already sorted with
/// [`punch_order`] (the batch sorts once per employee).
/// The caller also passes the day's plan when it has already made it.
pub(crate) fn evaluate_sorted(
    rule: &Rule,
    input: &DayInput<'_>,
    plan: DayPlan,
) -> (DayResult, Option<PreviousWorkday>) {
    debug_assert!(is_sorted(input.punches));
    run(rule, input, input.punches, Some(plan))
}

fn run(
    rule: &Rule,
    input: &DayInput<'_>,
    punches: &[Punch],
    plan: Option<DayPlan>,
) -> (DayResult, Option<PreviousWorkday>) {
    let plan = plan.unwrap_or_else(|| plan_day(rule, input.date, input.mark, input.schedule));
    let mut day = Day {
        rule,
        date: input.date,
        clock: NearDay::new(input.date),
        memo: Memo::new(),
        punches,
        excuses: input.excuses,
        r: DayResult::empty(input.date, &rule.name, plan.kind, Status::Normal),
        due_minutes: 0,
        excused_secs: 0,
        incomplete: false,
        assumed_out: None,
    };
    if !rule.covers(input.date) {
        day.r.status = Status::NotInValidity;
        day.r.reasons.push(text!("rule {:?} is not in force on {}", rule.name, input.date));
        return (day.r, None);
    }
    let carry = match plan.shift {
        Some(id) => {
            if plan.kind == DayKind::MakeUpWorkday {
                let name = &*rule.shift(id).name;
                day.r.reasons.push(line!("make-up workday: working shift ", name));
            }
            day.workday(id, input.previous_workday.as_ref())
        }
        None => day.off_duty(plan),
    };
    (day.r, carry)
}

/// Punches with `from <= at < to` of a sorted slice.
pub(crate) fn between(punches: &[Punch], from: DateTime<Utc>, to: DateTime<Utc>) -> &[Punch] {
    let a = punches.partition_point(|p| p.at < from);
    let b = punches.partition_point(|p| p.at < to).max(a);
    &punches[a..b]
}

fn midpoint(a: i64, b: i64) -> i64 {
    a + (b - a) / 2
}

/// A flex mode as reasons name it.
fn mode_name(m: FlexMode) -> &'static str {
    match m {
        FlexMode::Fixed => "fixed",
        FlexMode::Elastic => "elastic",
    }
}

/// Where period `k`'s punches end, the latest a check-out of it can be: the
/// end of its check-out window, else the middle of the gap before the next
/// period, else (the last period) `day_end`, where the day's punches end.
fn punches_end(periods: &[crate::rule::Period], spans: &[(i64, i64)], k: usize, day_end: i64) -> i64 {
    match periods[k].check_out_window {
        Some(w) => spans[k].1.saturating_add(w * 60),
        None if k + 1 == spans.len() => day_end,
        None => midpoint(spans[k].1, spans[k + 1].0),
    }
}

/// Seconds from `from` to `to`, none if `to` is not later.
fn present_secs(from: i64, to: i64) -> i64 {
    (to - from).max(0)
}

/// Seconds the person was present within `lo..hi`, a side of the shift:
/// the in/out pairs' time there when `pairs`, else from the check-in (or
/// `lo`) to the check-out (or `hi`). Pairs are taken as `worked` takes them,
/// so a gap between two pairs, or a last punch without a partner, is not
/// presence outside the shift either.
fn present_between(b: &Boundary, pairs: bool, lo: i64, hi: i64) -> i64 {
    if pairs {
        return b.punches.chunks_exact(2).map(|p| present_secs(ts(&p[0]).max(lo), ts(&p[1]).min(hi))).sum();
    }
    present_secs(b.check_in.unwrap_or(lo).max(lo), b.check_out.unwrap_or(hi).min(hi))
}

/// Unix seconds of a punch; sub-second parts do not matter for minutes.
fn ts(p: &Punch) -> i64 {
    p.at.timestamp()
}

/// The words reasons use for one edge of a period.
struct EdgeWords {
    short: &'static str,
    long: &'static str,
    punch: &'static str,
    reference: &'static str,
    relation: &'static str,
}

const LATE: EdgeWords = EdgeWords { short: "late", long: "late", punch: "in", reference: "start", relation: "after" };
const EARLY: EdgeWords =
    EdgeWords { short: "early", long: "early leave", punch: "out", reference: "due", relation: "before" };

/// One edge to judge: counted and raw minutes, the punch and the time it is
/// measured against (Unix seconds), the absence threshold and unit, the allowance.
struct EdgeJudgement {
    minutes: i64,
    raw: i64,
    punch: i64,
    reference: i64,
    beyond: Option<(i64, i64)>,
    allowance: i64,
}

/// What one period's judgement starts from. Instants are Unix seconds.
struct Facts<'p> {
    label: Label,
    start: i64,
    end: i64,
    /// Where lateness is measured from and early leave to, after excuses.
    from: i64,
    to: i64,
    due_secs: i64,
    check_in: Option<&'p Punch>,
    check_out: Option<&'p Punch>,
    needs_out: bool,
    work_secs: i64,
    /// Breaks inside `start..end`, in order.
    breaks: &'p [(i64, i64)],
}

/// One boundary of a workday for overtime: the start or the end it is
/// measured against (Unix seconds), and the check-in, check-out and punches
/// of the period next to it, which bound the time present outside the shift.
#[derive(Clone, Copy)]
struct Boundary<'p> {
    at: i64,
    check_in: Option<i64>,
    check_out: Option<i64>,
    punches: &'p [Punch],
}

/// A shift's break instants on one day, grouped by period.
#[derive(Default)]
struct Breaks {
    items: [(i64, i64); MAX_BREAKS],
    len: usize,
    ranges: [(usize, usize); MAX_PERIODS],
}

impl Breaks {
    fn of(&self, k: usize) -> &[(i64, i64)] {
        let (a, b) = self.ranges.get(k).copied().unwrap_or_default();
        &self.items[a..b]
    }
}

struct Day<'a> {
    rule: &'a Rule,
    date: NaiveDate,
    clock: NearDay,
    memo: Memo,
    punches: &'a [Punch],
    excuses: &'a [Excuse],
    r: DayResult,
    /// Minutes the periods required after excuses, summed.
    due_minutes: i64,
    /// Duty seconds of the shift that excuses cover.
    excused_secs: i64,
    /// A period lacks a punch it needs: worked time is then unknown, not short.
    incomplete: bool,
    /// The first check-out assumed for a forgotten one, if any.
    assumed_out: Option<i64>,
}

impl<'a> Day<'a> {
    fn hm(&self, t: i64) -> Hhmm {
        let local = self.memo.get(t, self.date).unwrap_or_else(|| to_local(&self.rule.tz, self.clock.instant(t)));
        Hhmm { local, day: self.date }
    }

    /// Converts wall-clock minutes of the day (through the rule's cache,
    /// one lookup per day and `tag`) and remembers their readings.
    fn local_times(&mut self, tag: u32, minutes: &[i64]) -> Times {
        let times = self.rule.zone_cache.times(&self.rule.tz, self.date, tag, minutes);
        for (i, &m) in minutes.iter().enumerate() {
            if let (Some(t), true) = (times.get(i), times.exact(i)) {
                self.memo.put_minute(t, m);
            }
        }
        times
    }

    fn instant(&self, t: i64) -> DateTime<Utc> {
        self.clock.instant(t)
    }

    fn reason(&mut self, text: String) {
        self.r.reasons.push(text);
    }

    /// Judges one edge of a period (a late start or an early end) and says
    /// why: stepped absence beyond the threshold, counted minutes beyond the
    /// allowance, or nothing within it. Returns (absent minutes, minutes kept).
    fn judge_edge(&mut self, label: Label, words: &EdgeWords, e: EdgeJudgement) -> (i64, i64) {
        let stepped = e.beyond.and_then(|(n, u)| absence::stepped(e.minutes, n, u).map(|m| (m, n, u)));
        let (punch, reference) = (self.hm(e.punch), self.hm(e.reference));
        let (text, result) = match stepped {
            Some((m, n, u)) => (
                line!(
                    label,
                    "absent ",
                    m,
                    " min: ",
                    words.long,
                    " ",
                    e.minutes,
                    " min (",
                    words.punch,
                    " ",
                    punch,
                    ", ",
                    words.reference,
                    " ",
                    reference,
                    ") is more than ",
                    n,
                    ", rounded up to a multiple of ",
                    u
                ),
                (m, 0),
            ),
            None if e.minutes > 0 => (
                line!(
                    label,
                    words.short,
                    " ",
                    e.minutes,
                    " min: ",
                    words.punch,
                    " ",
                    punch,
                    ", ",
                    words.reference,
                    " ",
                    reference,
                    ", allowance ",
                    e.allowance
                ),
                (0, e.minutes),
            ),
            None => (
                line!(
                    label,
                    words.punch,
                    " ",
                    punch,
                    " is ",
                    e.raw,
                    " min ",
                    words.relation,
                    " ",
                    reference,
                    ", within the allowance of ",
                    e.allowance,
                    ": not ",
                    words.short
                ),
                (0, e.minutes),
            ),
        };
        self.reason(text);
        result
    }

    fn out_of_range(&mut self) -> Option<PreviousWorkday> {
        self.r.status = Status::OutOfRange;
        self.r.reasons.push("the day lies beyond the supported calendar range".into());
        None
    }

    fn punch_time(&mut self, p: Punch) -> PunchTime {
        PunchTime::new(p.at, p.source, self.rule.tz)
    }

    /// Whether a punch lacks the position the rule requires of its source.
    fn lacks_position(&self, p: &Punch) -> bool {
        (p.lat.is_none() || p.lon.is_none()) && self.rule.position_required_for.contains(&p.source)
    }

    fn counts_here(&self, p: &Punch) -> bool {
        !self.lacks_position(p) && place(&self.rule.locations, p.lat, p.lon) == Placement::Counted
    }

    /// The counted punches in `[from, to)`; punches outside every location,
    /// or without the position their source must report, are recorded as
    /// flagged and left out.
    fn window(&mut self, from: i64, to: i64) -> Cow<'a, [Punch]> {
        let slice = between(self.punches, self.instant(from), self.instant(to));
        if self.rule.punches_anywhere() {
            return Cow::Borrowed(slice);
        }
        // Usually every punch is inside: borrow then, copy only otherwise.
        let Some(first_out) = slice.iter().position(|p| !self.counts_here(p)) else {
            return Cow::Borrowed(slice);
        };
        let mut kept = Vec::with_capacity(slice.len());
        kept.extend_from_slice(&slice[..first_out]);
        for p in &slice[first_out..] {
            if self.lacks_position(p) {
                self.r.outside_punches.push(p.at);
                let source = p.source.as_str();
                let text = line!(
                    "punch at ",
                    self.hm(ts(p)),
                    " (",
                    source,
                    ") has no position, which the rule requires of ",
                    source,
                    " punches: kept, not counted"
                );
                self.reason(text);
                continue;
            }
            match place(&self.rule.locations, p.lat, p.lon) {
                Placement::Counted => kept.push(*p),
                Placement::Outside { beyond_m, nearest } => {
                    self.r.outside_punches.push(p.at);
                    let loc = &self.rule.locations[nearest.min(self.rule.locations.len() - 1)];
                    // Whole metres: a reason, not a survey.
                    let beyond = beyond_m.round().clamp(1.0, 1e15) as i64;
                    let radius = loc.radius_m.unwrap_or(0.0).round().clamp(0.0, 1e15) as i64;
                    let text = line!(
                        "punch at ",
                        self.hm(ts(p)),
                        " is ",
                        beyond,
                        " m outside location ",
                        &loc.name,
                        " (radius ",
                        radius,
                        " m): kept, not counted"
                    );
                    self.reason(text);
                }
            }
        }
        Cow::Owned(kept)
    }

    fn workday(&mut self, id: ShiftId, prev: Option<&PreviousWorkday>) -> Option<PreviousWorkday> {
        let rule = self.rule;
        let shift = rule.shift(id);
        self.r.shift = Some(shift.name.clone());
        match &shift.kind {
            ShiftKind::Fixed(periods) => self.fixed(id, periods, shift.margin, prev),
            ShiftKind::Flexible { work, earliest, latest } => {
                self.flexible(id, *work, *earliest, *latest, shift.margin);
                None
            }
        }
    }

    fn fixed(
        &mut self,
        id: ShiftId,
        periods: &[crate::rule::Period],
        margin: i64,
        prev: Option<&PreviousWorkday>,
    ) -> Option<PreviousWorkday> {
        let rule = self.rule;
        let n = periods.len().min(MAX_PERIODS);
        if n == 0 {
            return self.out_of_range();
        }
        // Scheduled instants; fixed arrays keep the hot path allocation-free.
        let mut minutes = [0i64; 2 * MAX_PERIODS];
        for (k, p) in periods.iter().take(n).enumerate() {
            minutes[2 * k] = p.start;
            minutes[2 * k + 1] = p.end;
        }
        let times = self.local_times(id.0 as u32, &minutes[..2 * n]);
        let mut spans = [(i64::MIN, i64::MIN); MAX_PERIODS];
        let mut last_end = i64::MIN;
        for (k, span) in spans.iter_mut().take(n).enumerate() {
            let (Some(s), Some(e)) = (times.get(2 * k), times.get(2 * k + 1)) else {
                return self.out_of_range();
            };
            // Wall-clock order can fold back on a fall-back night; real time
            // must not.
            let s = s.max(last_end);
            let e = e.max(s);
            *span = (s, e);
            last_end = e;
        }
        let Some(breaks) = self.break_instants(id, &periods[..n], &spans[..n]) else {
            return self.out_of_range();
        };
        let ws = spans[0].0 - margin * 60;
        let we = spans[n - 1].1 + margin * 60;
        let counted = self.window(ws, we);
        let ranges = self.assign(&periods[..n], &spans[..n], &counted);
        let no_punch = ranges[..n].iter().all(|&(a, b)| a == b);

        let mut ins: [Option<&Punch>; MAX_PERIODS] = [None; MAX_PERIODS];
        let mut outs: [Option<&Punch>; MAX_PERIODS] = [None; MAX_PERIODS];
        let mut last_real = None;
        for k in 0..n {
            let sub = &counted[ranges[k].0..ranges[k].1];
            let (s, e) = spans[k];
            match sub {
                [] => {}
                [p] => {
                    if self.lone_is_check_out(ts(p), s, e) {
                        outs[k] = Some(p);
                        let text = line!(
                            self.prefix(k, n),
                            "single punch ",
                            self.hm(ts(p)),
                            " after the middle of the period read as check-out (sign-out on)"
                        );
                        self.reason(text);
                    } else {
                        ins[k] = Some(p);
                    }
                }
                [first, .., last] => {
                    ins[k] = Some(first);
                    outs[k] = Some(last);
                }
            }
            if k + 1 == n {
                last_real = sub.iter().rev().find(|p| p.source.is_real()).map(|p| p.at);
            }
        }

        let earned = match &rule.flex.leave_late {
            Some((_, tiers)) => leave_late::earned(tiers, prev),
            None => None,
        };
        self.r.later_start_earned = earned.map_or(0, |(tier, _)| tier.may_arrive_late);
        let check_in = ins[0].map(ts);
        let moved = flex::adjust(&rule.flex, spans[0].0, spans[n - 1].1, check_in, earned);
        let mut assumed = [None::<Punch>; MAX_PERIODS];
        if let Some(after) = rule.auto_check_out {
            for k in 0..n {
                let (Some(cin), None) = (ins[k], outs[k]) else { continue };
                let e = if k + 1 == n { moved.end } else { spans[k].1 };
                // An excused end needs no check-out: none was forgotten.
                if covered_since(self.excuses, e, spans[k].0) < e {
                    continue;
                }
                let limit = punches_end(&periods[..n], &spans[..n], k, we);
                assumed[k] = Some(self.assume_check_out(self.prefix(k, n), ts(cin), after, limit));
            }
        }
        for (out, a) in outs.iter_mut().zip(&assumed) {
            if a.is_some() {
                *out = a.as_ref();
            }
        }
        // Where the flex reason goes once we know whether it matters.
        let flex_reason_at = self.r.reasons.len();
        let mut results = Vec::with_capacity(n);
        let mut attended = 0;
        // Presence as reported: attended time, but not up to an assumed
        // check-out, which nothing proves.
        let mut present = 0;
        // Whole minutes late into the first period and early out of the last,
        // after excuses: whether a flex rule that did not apply mattered.
        let (mut late_first, mut early_last) = (0, 0);
        for k in 0..n {
            let mut s = if k == 0 { moved.start } else { spans[k].0 };
            let e = if k + 1 == n { moved.end } else { spans[k].1 };
            // A flex move longer than a short first period empties it rather
            // than turning it inside out.
            if s > e {
                s = e;
            }
            // A flex move may shift the period's edges past its breaks,
            // which stay at their clock times.
            let mut brk = [(0i64, 0i64); MAX_BREAKS];
            let mut nb = 0;
            for &(bs, be) in breaks.of(k) {
                let (bs, be) = (bs.clamp(s, e), be.clamp(s, e));
                if be > bs {
                    brk[nb] = (bs, be);
                    nb += 1;
                }
            }
            let brk = &brk[..nb];
            let from = duty::skip_forward(self.excuses, s, e, brk);
            let to = duty::skip_backward(self.excuses, e, from, brk);
            let (cin, cout) = (ins[k], outs[k]);
            let needs_out = covered_since(self.excuses, e, from) == e;
            let sub = &counted[ranges[k].0..ranges[k].1];
            let work_secs = self.worked(self.prefix(k, n), sub, (cin, cout), (s, e), to, needs_out, brk);
            let this = self.attended(sub, (cin, cout), brk);
            attended += this;
            if cout.is_none_or(|o| o.source != PunchSource::AutoCheckOut) {
                present += this;
            }
            if k == 0 {
                late_first = cin.map_or(0, |x| floor_minutes(duty::secs(from, ts(x), brk)));
            }
            if k + 1 == n {
                early_last = cout.map_or(0, |x| floor_minutes(duty::secs(ts(x), to, brk)));
            }
            let facts = Facts {
                label: self.prefix(k, n),
                start: s,
                end: e,
                from,
                to,
                due_secs: duty::secs(from, to, brk),
                check_in: cin,
                check_out: cout,
                needs_out,
                work_secs,
                breaks: brk,
            };
            self.due_minutes += floor_minutes(facts.due_secs);
            self.excused_secs += duty::excused_secs(self.excuses, s, e, brk);
            self.r.scheduled_minutes += to_i32(floor_minutes(duty::secs(s, e, brk)));
            let mut result = self.judge(facts, no_punch);
            result.breaks =
                brk.iter().map(|&(a, b)| PeriodBreak { start: self.instant(a), end: self.instant(b) }).collect();
            results.push(result);
        }

        self.r.attended_minutes = to_i32(floor_minutes(present));
        // Overtime after the (flex-adjusted) end of the last period, or by
        // the daily quantity. Time before the start is bounded by the first
        // period's punches, time after the end by the last period's.
        if let Some(ot) = rule.overtime_for(id) {
            let start = Boundary {
                at: moved.start,
                check_in,
                check_out: outs[0].map(ts),
                punches: &counted[ranges[0].0..ranges[0].1],
            };
            let end = Boundary {
                at: moved.end,
                check_in: ins[n - 1].map(ts),
                check_out: outs[n - 1].map(ts),
                punches: &counted[ranges[n - 1].0..ranges[n - 1].1],
            };
            self.workday_overtime(&ot, start, (end, "end"), attended);
        }
        if let (Some(applied), Some(check_in)) = (moved.applied, check_in) {
            // An early arrival explains something only if the person left
            // before the regular end or overtime is counted from the moved
            // end; a late arrival always explains why it is not late.
            let matters = match applied {
                Applied::EarlyEarly { .. } => {
                    outs[n - 1].is_none_or(|o| ts(o) < spans[n - 1].1) || self.r.overtime_minutes > 0
                }
                _ => true,
            };
            if matters {
                let text = self.flex_reason(applied, check_in, spans[0].0, &moved);
                self.r.reasons.insert(flex_reason_at, text);
            }
        }
        if let (None, Some(check_in)) = (moved.applied, check_in) {
            let mattered = (late_first > rule.tolerance.late, early_last > rule.tolerance.early);
            let texts = self.flex_not_applied(check_in, spans[0].0, mattered, (prev, earned));
            for (i, text) in texts.into_iter().enumerate() {
                self.r.reasons.insert(flex_reason_at + i, text);
            }
        }
        self.finish(results);
        self.thresholds();
        Some(PreviousWorkday { end: self.instant(spans[n - 1].1), last_real_check_out: last_real })
    }

    /// The check-out assumed `after` minutes after a lone check-in, no later
    /// than `limit`, where the period's punches end; a reason says so.
    fn assume_check_out(&mut self, label: Label, check_in: i64, after: i64, limit: i64) -> Punch {
        let due = check_in.saturating_add(after * 60);
        let at = due.min(limit).max(check_in);
        let mut text = line!(
            label,
            "check-out assumed at ",
            self.hm(at),
            ": auto check-out ",
            after,
            " min after the check-in ",
            self.hm(check_in)
        );
        if due > at {
            text.push_str(&line!(
                " would be ",
                self.hm(due),
                ", past ",
                self.hm(at),
                " where the period's punches end"
            ));
        }
        self.reason(text);
        self.assumed_out.get_or_insert(at);
        Punch { at: self.instant(at), lat: None, lon: None, source: PunchSource::AutoCheckOut }
    }

    /// Whether a period's only punch is its check-out: with sign-out on, a
    /// lone punch after the middle of a period whose end is not excused.
    fn lone_is_check_out(&self, at: i64, s: i64, e: i64) -> bool {
        let end_excused = covered_since(self.excuses, e, s) < e;
        !end_excused && self.rule.sign_out && at >= midpoint(s, e)
    }

    /// The instants of the shift's breaks, clipped to their periods; `None`
    /// when a break cannot be placed on the calendar.
    fn break_instants(&mut self, id: ShiftId, periods: &[crate::rule::Period], spans: &[(i64, i64)]) -> Option<Breaks> {
        let mut out = Breaks::default();
        if periods.iter().all(|p| p.breaks.is_empty()) {
            return Some(out);
        }
        let mut minutes = [0i64; 2 * MAX_BREAKS];
        let mut m = 0;
        for p in periods {
            for &(bs, be) in p.breaks.iter().take(MAX_BREAKS - m / 2) {
                minutes[m] = bs;
                minutes[m + 1] = be;
                m += 2;
            }
        }
        let times = self.local_times(BREAK_TAG | id.0 as u32, &minutes[..m]);
        let mut i = 0;
        for (k, p) in periods.iter().enumerate() {
            let (s, e) = spans[k];
            let first = out.len;
            let mut last_end = s;
            for _ in p.breaks.iter().take(MAX_BREAKS - first) {
                let (bs, be) = (times.get(2 * i)?, times.get(2 * i + 1)?);
                i += 1;
                // Clamped like the periods themselves: a fall-back night may
                // fold wall-clock order, real time must not.
                let bs = bs.clamp(last_end, e);
                let be = be.clamp(bs, e);
                last_end = be;
                out.items[out.len] = (bs, be);
                out.len += 1;
            }
            out.ranges[k] = (first, out.len);
        }
        Some(out)
    }

    /// Which punches each period takes: `(from, to)` indices into `counted`.
    ///
    /// Without punch windows the middle of the gap between two periods
    /// splits them. A period's `check_in_window_minutes` and
    /// `check_out_window_minutes` replace that middle on their side: a punch
    /// is assigned to the period whose window holds it, and a punch no
    /// period's window holds is left out (with a reason). Where the windows
    /// of two periods overlap, the earlier period takes the first punch of
    /// the overlap only while it still needs its check-out (it holds one
    /// punch, a check-in); every other punch there opens the later period.
    fn assign(
        &mut self,
        periods: &[crate::rule::Period],
        spans: &[(i64, i64)],
        counted: &[Punch],
    ) -> [(usize, usize); MAX_PERIODS] {
        let n = spans.len();
        let len = counted.len();
        let mut ranges = [(len, len); MAX_PERIODS];
        let mut bounds = [(i64::MIN, i64::MAX); MAX_PERIODS];
        for k in 0..n {
            let (s, e) = spans[k];
            bounds[k].0 = match (periods[k].check_in_window, k) {
                (Some(w), _) => s.saturating_sub(w * 60),
                (None, 0) => i64::MIN,
                (None, _) => midpoint(spans[k - 1].1, s),
            };
            // A check-out is accepted up to and including the window's
            // last second; bounds are exclusive.
            bounds[k].1 = match periods[k].check_out_window {
                Some(w) => e.saturating_add(w * 60 + 1),
                None if k + 1 == n => i64::MAX,
                None => midpoint(e, spans[k + 1].0),
            };
        }
        let position = |from: usize, limit: i64| from + counted[from..].iter().take_while(|p| ts(p) < limit).count();
        let mut cursor = 0;
        let mut ignored = [(0usize, 0usize); MAX_PERIODS + 1];
        for k in 0..n {
            let (lo, hi) = bounds[k];
            let a = position(cursor, lo);
            let mut b = position(a, hi);
            if k + 1 < n && bounds[k + 1].0 < hi {
                let shared = position(a, bounds[k + 1].0).min(b);
                let (s, e) = spans[k];
                let needs_check_out = shared - a == 1 && !self.lone_is_check_out(ts(&counted[a]), s, e);
                b = if shared < b && needs_check_out { shared + 1 } else { shared };
            }
            ignored[k] = (cursor, a);
            ranges[k] = (a, b);
            cursor = b;
        }
        ignored[n] = (cursor, len);
        for &(a, b) in &ignored[..=n] {
            for p in &counted[a..b] {
                let text = line!("punch at ", self.hm(ts(p)), " is outside every period's punch window: not counted");
                self.reason(text);
            }
        }
        ranges
    }

    /// Work seconds of one period: first punch to last, or the sum of its
    /// in/out pairs, in duty time. A period whose end is excused needs no
    /// check-out: its last check-in then runs to where the excuse begins.
    #[allow(clippy::too_many_arguments)]
    fn worked(
        &mut self,
        label: Label,
        sub: &[Punch],
        (cin, cout): (Option<&Punch>, Option<&Punch>),
        (s, e): (i64, i64),
        to: i64,
        needs_out: bool,
        brk: &[(i64, i64)],
    ) -> i64 {
        if self.rule.work_time == WorkTime::Pairs && sub.len() > 2 {
            let mut total = 0;
            let mut text = line!(label, "work from in/out pairs:");
            for (i, pair) in sub.chunks(2).enumerate() {
                let sep = if i == 0 { " " } else { ", " };
                match pair {
                    [a, b] => {
                        total += duty::secs(ts(a).max(s), ts(b).min(e), brk);
                        text.push_str(&line!(sep, self.hm(ts(a)), "-", self.hm(ts(b))));
                    }
                    [a] if !needs_out => {
                        total += duty::secs(ts(a).max(s), to, brk);
                        text.push_str(&line!(sep, self.hm(ts(a)), "-", self.hm(to), " (excused after)"));
                    }
                    [a] => text.push_str(&line!("; ", self.hm(ts(a)), " has no pair")),
                    _ => {}
                }
            }
            let total = total.max(0);
            text.push_str(&line!(" = ", floor_minutes(total), " min"));
            self.reason(text);
            return total;
        }
        match (cin.map(ts), cout.map(ts)) {
            (Some(i), Some(o)) => duty::secs(i.max(s), o.min(e), brk),
            (Some(i), None) if !needs_out => duty::secs(i.max(s), to, brk),
            _ => 0,
        }
    }

    fn flexible(&mut self, id: ShiftId, work: i64, earliest: i64, latest: i64, margin: i64) {
        let rule = self.rule;
        let times = self.local_times(id.0 as u32, &[earliest, latest, latest + work]);
        let (Some(ea), Some(la), Some(last)) = (times.get(0), times.get(1), times.get(2)) else {
            self.out_of_range();
            return;
        };
        let la = la.max(ea);
        let ws = ea - margin * 60;
        let we = last.max(la) + margin * 60;
        let counted = self.window(ws, we);
        let no_punch = counted.is_empty();
        let (cin, cout) = match &counted[..] {
            [] => (None, None),
            [p] => {
                if rule.sign_out && ts(p) >= midpoint(ea, last) {
                    let text = line!("single punch ", self.hm(ts(p)), " read as check-out (sign-out on)");
                    self.reason(text);
                    (None, Some(p))
                } else {
                    (Some(p), None)
                }
            }
            [first, .., l] => (Some(first), Some(l)),
        };
        let in_ts = cin.map(ts);
        // A check-in before the earliest counts as made at the earliest;
        // after the latest it is late, and the day is then judged as if it
        // had started at the latest so late and early never count the same
        // minutes twice.
        let eff_in = in_ts.map_or(ea, |t| t.clamp(ea, la));
        let due_end = eff_in + work * 60;
        // Lateness is measured from the latest check-in, but a day that began
        // before it is judged from its check-in: when the window is wider than
        // the required time, the check-out can fall due before the latest
        // check-in, and the day must not look covered by nothing.
        let from = if in_ts.is_some() && eff_in < la && due_end <= la {
            covered_until(self.excuses, eff_in, due_end)
        } else {
            covered_until(self.excuses, la, due_end.max(la))
        };
        let to = covered_since(self.excuses, due_end, eff_in);
        let due_secs = (work * 60 - covered_secs(self.excuses, eff_in, due_end)).max(0);
        let needs_out = to == due_end;
        let assumed = match (in_ts, cout, rule.auto_check_out) {
            (Some(i), None, Some(after)) if needs_out => Some(self.assume_check_out(Label(0), i, after, we)),
            _ => None,
        };
        let cout = cout.or(assumed.as_ref());
        let out_ts = cout.map(ts);
        if let Some(t) = in_ts {
            if t < ea {
                let text =
                    line!("check-in ", self.hm(t), " before the earliest ", self.hm(ea), " counts from ", self.hm(ea));
                self.reason(text);
            }
        }
        let work_secs = if rule.work_time == WorkTime::Pairs && counted.len() > 2 {
            self.worked(Label(0), &counted, (cin, cout), (eff_in, due_end), to, needs_out, &[])
        } else {
            match (in_ts, out_ts) {
                (Some(_), Some(o)) => (o.min(due_end) - eff_in).max(0),
                (Some(_), None) if !needs_out => (to - eff_in).max(0),
                _ => 0,
            }
        };
        let facts = Facts {
            label: Label(0),
            start: la,
            end: due_end,
            from,
            to,
            due_secs,
            check_in: cin,
            check_out: cout,
            needs_out,
            work_secs,
            breaks: &[],
        };
        self.due_minutes += floor_minutes(due_secs);
        self.excused_secs += covered_secs(self.excuses, eff_in, due_end);
        self.r.scheduled_minutes = to_i32(work);
        let mut result = self.judge(facts, no_punch);
        result.start = self.instant(ea);
        let attended = self.attended(&counted, (cin, cout), &[]);
        if cout.is_none_or(|o| o.source != PunchSource::AutoCheckOut) {
            self.r.attended_minutes = to_i32(floor_minutes(attended));
        }
        if let Some(ot) = rule.overtime_for(id) {
            // Arriving before the earliest check-in is the flexible day's
            // "before the start".
            let start = Boundary { at: ea, check_in: in_ts, check_out: out_ts, punches: &counted };
            let end = Boundary { at: due_end, ..start };
            self.workday_overtime(&ot, start, (end, "due"), attended);
        }
        self.finish(vec![result]);
        self.thresholds();
    }

    /// Seconds from check-in to check-out as punched, not clipped to the
    /// period, breaks left out; in pairs mode the sum of the pairs. The daily
    /// quantity measures these: Odoo's quantity rules count all attended
    /// time, before the start included.
    fn attended(&self, sub: &[Punch], (cin, cout): (Option<&Punch>, Option<&Punch>), brk: &[(i64, i64)]) -> i64 {
        if self.rule.work_time == WorkTime::Pairs && sub.len() > 2 {
            return sub.chunks_exact(2).map(|p| duty::secs(ts(&p[0]), ts(&p[1]), brk)).sum();
        }
        match (cin, cout) {
            (Some(i), Some(o)) => duty::secs(ts(i), ts(o), brk),
            _ => 0,
        }
    }

    /// Workday overtime: after the end, and with `count_before_start` before
    /// the start too, each side gated by the threshold, then rounded down;
    /// or the attended time beyond the daily quantity, whichever is larger
    /// (the same minutes are never counted twice). A side counts only the
    /// time present outside the shift: after the end from the end or a later
    /// check-in to the check-out, before the start from the check-in to the
    /// start or an earlier check-out; in pairs mode the in/out pairs' time
    /// there.
    fn workday_overtime(
        &mut self,
        ot: &Overtime,
        start: Boundary,
        (end, end_word): (Boundary, &str),
        attended_secs: i64,
    ) {
        // As `worked` and `attended` count pairs: only with more than two
        // punches (two are one pair, check-in to check-out).
        let pairs = |b: &Boundary| self.rule.work_time == WorkTime::Pairs && b.punches.len() > 2;
        let (start_pairs, end_pairs) = (pairs(&start), pairs(&end));
        let early = start.check_in.filter(|&i| ot.count_before_start && i < start.at);
        let before = early.map_or(overtime::Side::default(), |i| overtime::Side {
            reach: floor_minutes(start.at - i),
            present: floor_minutes(present_between(&start, start_pairs, i64::MIN, start.at)),
        });
        let out = end.check_out;
        let after = out.map_or(overtime::Side::default(), |o| overtime::Side {
            reach: floor_minutes(o - end.at),
            present: floor_minutes(present_between(&end, end_pairs, end.at, i64::MAX)),
        });
        // As before the quantity existed: overtime by the shift's times needs
        // a check-out.
        let by_times = if out.is_some() { overtime::workday(ot, before, after) } else { 0 };
        let worked = floor_minutes(attended_secs);
        let by_quantity = overtime::quantity(ot, worked);
        let minutes = by_times.max(by_quantity);
        if minutes <= 0 {
            return;
        }
        // Overtime is paid time the punches prove; an assumed check-out
        // proves nothing.
        if let Some(at) = self.assumed_out {
            let text =
                line!("no overtime: the check-out at ", self.hm(at), " is assumed (auto check-out), not punched");
            self.reason(text);
            return;
        }
        self.r.overtime_minutes = to_i32(minutes);
        self.r.overtime_category = Some(OvertimeCategory::Workday);
        if by_quantity > by_times {
            let text = self.quantity_reason(ot, worked, by_times, (before.reach > 0, end_word));
            self.reason(text);
            return;
        }
        let Some(out) = out else { return };
        let mut text = line!("overtime ", minutes, " min: ");
        if let Some(i) = early {
            text.push_str(&line!("in ", self.hm(i), ", start ", self.hm(start.at), ", ", before.reach, " min before"));
            if before.present < before.reach {
                let how = match start.check_out {
                    _ if start_pairs => self.pairs_between(&start, i64::MIN, start.at, "before the start"),
                    Some(o) => line!("out ", self.hm(o)),
                    None => String::new(),
                };
                text.push_str(&line!(", of which ", before.present, " present (", &how, ")"));
            }
            text.push_str("; ");
        }
        if after.reach > 0 || early.is_none() {
            let (o, e) = (self.hm(out), self.hm(end.at));
            text.push_str(&line!("out ", o, ", ", end_word, " ", e, ", ", after.reach, " min after"));
            if after.present < after.reach {
                let past = if end_word == "end" { "after the end" } else { "after the due time" };
                let how = match end.check_in {
                    _ if end_pairs => self.pairs_between(&end, end.at, i64::MAX, past),
                    Some(i) => line!("in ", self.hm(i)),
                    None => String::new(),
                };
                text.push_str(&line!(", of which ", after.present, " present (", &how, ")"));
            }
            text.push_str("; ");
        }
        text.push_str(&line!("threshold ", ot.min_after_end, ", unit ", ot.unit));
        self.reason(text);
    }

    /// The in/out pairs of a boundary's period within `lo..hi`, clipped to
    /// it, for a reason: "in/out pairs 21:00-21:30", a last punch there
    /// without a partner named, or "no in/out pair " and `side`.
    fn pairs_between(&self, b: &Boundary, lo: i64, hi: i64, side: &str) -> String {
        let mut text = String::new();
        for p in b.punches.chunks_exact(2) {
            let (a, z) = (ts(&p[0]).max(lo), ts(&p[1]).min(hi));
            if z > a {
                let sep = if text.is_empty() { "in/out pairs " } else { ", " };
                text.push_str(&line!(sep, self.hm(a), "-", self.hm(z)));
            }
        }
        if text.is_empty() {
            text = line!("no in/out pair ", side);
        }
        if let [last] = b.punches.chunks_exact(2).remainder() {
            if (lo..hi).contains(&ts(last)) {
                text.push_str(&line!("; ", self.hm(ts(last)), " has no pair"));
            }
        }
        text
    }

    /// Why the daily quantity gives the day's overtime; `by_times` is the
    /// smaller figure the shift's times gave, named so nobody adds the two.
    fn quantity_reason(&self, ot: &Overtime, worked: i64, by_times: i64, (early, end_word): (bool, &str)) -> String {
        let limit = ot.day_over.unwrap_or(0);
        let minutes = overtime::quantity(ot, worked);
        let mut text = line!(
            "overtime ",
            minutes,
            " min: worked ",
            worked,
            " min in the day, ",
            worked - limit,
            " min more than the daily ",
            limit,
            " min; unit ",
            ot.unit
        );
        if by_times > 0 {
            let end = if end_word == "end" { "the end" } else { "the due time" };
            let side = if early { "before the start and after " } else { "after " };
            text.push_str(&line!(" (the larger of this and the ", by_times, " min ", side, end, ", never their sum)"));
        }
        text
    }

    /// Half day and absent by worked time (ERPNext's working hours
    /// thresholds): the day's worked minutes plus the shift time excuses
    /// cover, against the rule's thresholds. A day missing a punch keeps its
    /// missing status (its worked time is unknown, not short), and the
    /// periods keep their own figures: this is a judgement of the day.
    fn thresholds(&mut self) {
        let Some(t) = self.rule.thresholds else { return };
        if self.incomplete || matches!(self.r.status, Status::Excused | Status::OutOfRange) {
            return;
        }
        let worked = self.r.work_minutes as i64;
        let excused = floor_minutes(self.excused_secs);
        let credited = (worked + excused).min(self.r.scheduled_minutes as i64);
        let credit = if excused > 0 {
            line!(worked, " min worked and ", excused, " min excused")
        } else {
            line!(worked, " min worked")
        };
        if let Some(limit) = t.absent_below.filter(|&m| credited < m) {
            // The whole required time counts as absent, as ERPNext marks the
            // whole day; late and early minutes fold into it so no minute
            // counts twice.
            let folded = self.r.late_minutes as i64 + self.r.early_minutes as i64;
            let absent = self.due_minutes.max(self.r.absent_minutes as i64);
            self.r.late_minutes = 0;
            self.r.early_minutes = 0;
            self.r.absent_minutes = to_i32(absent);
            self.r.status = Status::Absent;
            let mut text = line!(
                "absent ",
                absent,
                " min: ",
                &credit,
                ", less than the absence threshold of ",
                limit,
                " min: the whole day counts as absent"
            );
            if folded > 0 {
                text.push_str(&line!(" (its ", folded, " min late and early included)"));
            }
            self.reason(text);
            return;
        }
        if let Some(limit) = t.half_day_below.filter(|&m| credited < m) {
            let text = if self.r.status.severity() < Status::HalfDay.severity() {
                self.r.status = Status::HalfDay;
                line!("half day: ", &credit, ", less than the half-day threshold of ", limit, " min")
            } else {
                line!(
                    &credit,
                    " is less than the half-day threshold of ",
                    limit,
                    " min; the day is ",
                    self.r.status.as_str()
                )
            };
            self.reason(text);
        }
    }

    fn prefix(&self, k: usize, n: usize) -> Label {
        Label(if n > 1 { k + 1 } else { 0 })
    }

    /// Turns one period's facts into figures: tolerance, absenteeism,
    /// status, reasons.
    fn judge(&mut self, f: Facts, no_punch_all_day: bool) -> PeriodResult {
        let rule = self.rule;
        let mut p = PeriodResult {
            start: self.instant(f.start),
            end: self.instant(f.end),
            check_in: f.check_in.map(|x| self.punch_time(*x)),
            check_out: f.check_out.map(|x| self.punch_time(*x)),
            late_minutes: 0,
            early_minutes: 0,
            absent_minutes: 0,
            work_minutes: to_i32(floor_minutes(f.work_secs)),
            status: Status::Normal,
            breaks: Vec::new(),
            late_from: self.instant(f.from),
            required_secs: f.due_secs,
        };
        if f.from >= f.to || f.due_secs == 0 {
            p.status = Status::Excused;
            p.work_minutes = 0;
            let kind = kind_at(self.excuses, f.start);
            let text = line!(
                f.label,
                self.hm(f.start),
                "-",
                self.hm(f.end),
                " fully covered by ",
                kind.map_or("excuses", |k| k.label())
            );
            self.reason(text);
            return p;
        }
        // A flex move into a break also moves `from`; only an excuse is
        // worth a reason.
        if f.from > f.start && kind_at(self.excuses, f.start).is_some() {
            let kind = kind_at(self.excuses, f.start).map_or("excuse", |k| k.label());
            let text = line!(
                f.label,
                kind,
                " covers ",
                self.hm(f.start),
                "-",
                self.hm(f.from),
                ": lateness measured from ",
                self.hm(f.from)
            );
            self.reason(text);
        }
        if f.to < f.end {
            let kind = kind_at(self.excuses, f.to).map_or("excuse", |k| k.label());
            let text = line!(
                f.label,
                kind,
                " covers ",
                self.hm(f.to),
                "-",
                self.hm(f.end),
                ": early leave measured to ",
                self.hm(f.to)
            );
            self.reason(text);
        }
        let due_min = floor_minutes(f.due_secs);
        let ab = rule.absenteeism;
        let missing_in = f.check_in.is_none();
        let missing_out = f.check_out.is_none() && f.needs_out;

        if no_punch_all_day {
            self.incomplete = true;
            let counts = ab.is_some_and(|a| a.no_punch_all_day);
            p.status = if counts { Status::Absent } else { Status::NoPunch };
            p.absent_minutes = if counts { to_i32(due_min) } else { 0 };
            let text = if counts {
                line!(f.label, "absent ", due_min, " min: no punch all day counts as absent")
            } else {
                line!(f.label, "no punch all day")
            };
            self.reason(text);
            return p;
        }

        let late_secs = f.check_in.map_or(0, |x| duty::secs(f.from, ts(x), f.breaks).clamp(0, f.due_secs));
        let early_secs = f.check_out.map_or(0, |x| duty::secs(ts(x), f.to, f.breaks).clamp(0, f.due_secs - late_secs));
        let raw_late = floor_minutes(late_secs);
        let raw_early = floor_minutes(early_secs);
        if let (Some(x), true) = (f.check_in, raw_late > 0) {
            self.break_reasons(f.label, f.breaks, (f.from, ts(x)), "in", "late");
        }
        if let (Some(x), true) = (f.check_out, raw_early > 0) {
            self.break_reasons(f.label, f.breaks, (ts(x), f.to), "out", "early leave");
        }
        let mut late = tolerance::counted(raw_late, rule.tolerance.late);
        let mut early = tolerance::counted(raw_early, rule.tolerance.early);

        let counts_missing =
            ab.is_some_and(|a| (missing_in && a.missing_check_in) || (missing_out && a.missing_check_out));
        if missing_in || missing_out {
            self.incomplete = true;
            let what = match (missing_in, missing_out) {
                (true, true) => "no check-in and no check-out",
                (true, false) => "missing check-in",
                _ => "missing check-out",
            };
            let text = if counts_missing {
                line!(
                    f.label,
                    "absent ",
                    due_min,
                    " min: ",
                    what,
                    " for ",
                    self.hm(f.start),
                    "-",
                    self.hm(f.end),
                    " counts as absent"
                )
            } else {
                line!(f.label, what, " for ", self.hm(f.start), "-", self.hm(f.end))
            };
            self.reason(text);
        }
        if counts_missing {
            p.absent_minutes = to_i32(due_min);
            p.status = Status::Absent;
            return p;
        }

        let mut absent = 0i64;
        if let (Some(x), true) = (f.check_in, raw_late > 0) {
            let beyond = ab.and_then(|a| a.late_over.filter(|_| a.late_beyond).map(|n| (n, a.unit)));
            let edge = EdgeJudgement {
                minutes: late,
                raw: raw_late,
                punch: ts(x),
                reference: f.from,
                beyond,
                allowance: rule.tolerance.late,
            };
            let (m, kept) = self.judge_edge(f.label, &LATE, edge);
            absent += m;
            late = kept;
            if duty::secs(f.from, ts(x), f.breaks) > f.due_secs {
                self.capped(f.label, &LATE, (raw_late, 0), (ts(x), f.from));
            }
        }
        if let (Some(x), true) = (f.check_out, raw_early > 0) {
            let beyond = ab.and_then(|a| a.early_over.filter(|_| a.early_beyond).map(|n| (n, a.unit)));
            let edge = EdgeJudgement {
                minutes: early,
                raw: raw_early,
                punch: ts(x),
                reference: f.to,
                beyond,
                allowance: rule.tolerance.early,
            };
            let (m, kept) = self.judge_edge(f.label, &EARLY, edge);
            absent += m;
            early = kept;
            if duty::secs(ts(x), f.to, f.breaks) > f.due_secs - late_secs {
                self.capped(f.label, &EARLY, (raw_early, floor_minutes(late_secs)), (ts(x), f.to));
            }
        }
        // Rounding up to the unit must not claim more than the period; the
        // reasons above name the rounded figure, so say where it stops.
        let cap = (due_min - late - early).max(0);
        if absent > cap {
            self.reason(line!(
                f.label,
                "absent ",
                cap,
                " min in all: no more than the period's ",
                due_min,
                " min less ",
                late + early,
                " min counted late or early"
            ));
        }
        let absent = absent.min(cap);
        p.late_minutes = to_i32(late);
        p.early_minutes = to_i32(early);
        p.absent_minutes = to_i32(absent);
        p.status = if absent > 0 {
            Status::Absent
        } else if missing_in && missing_out {
            Status::NoPunch
        } else if missing_in {
            Status::MissingCheckIn
        } else if missing_out {
            Status::MissingCheckOut
        } else {
            match (late > 0, early > 0) {
                (true, true) => Status::LateAndEarly,
                (true, false) => Status::Late,
                (false, true) => Status::Early,
                (false, false) => Status::Normal,
            }
        };
        p
    }

    /// Says that an edge's minutes stop at what the period requires (less
    /// the late minutes, for early leave) although more time passed between
    /// the punch and the reference: a lone punch after the end is late for
    /// the whole period, not beyond it.
    fn capped(&mut self, label: Label, words: &EdgeWords, (minutes, late): (i64, i64), (punch, reference): (i64, i64)) {
        let passed = floor_minutes((punch - reference).abs());
        let less = if late > 0 { line!(" less ", late, " min late") } else { String::new() };
        let text = line!(
            label,
            words.short,
            " capped at ",
            minutes,
            " min, the period's required time",
            &less,
            ": ",
            words.punch,
            " ",
            self.hm(punch),
            " is ",
            passed,
            " min ",
            words.relation,
            " ",
            self.hm(reference)
        );
        self.reason(text);
    }

    /// Says which breaks a late start or an early leave leaves out, and
    /// when the punch itself falls in a break, where it is judged from.
    fn break_reasons(&mut self, label: Label, breaks: &[(i64, i64)], (a, b): (i64, i64), punch: &str, what: &str) {
        let at = if punch == "in" { b } else { a };
        for &(s, e) in breaks {
            let text = if s <= at && at < e {
                let judged = if punch == "in" { e } else { s };
                line!(
                    label,
                    punch,
                    " ",
                    self.hm(at),
                    " falls in the break ",
                    self.hm(s),
                    "-",
                    self.hm(e),
                    ": judged as ",
                    punch,
                    " at ",
                    self.hm(judged)
                )
            } else if a < e && s < b {
                line!(label, "the break ", self.hm(s), "-", self.hm(e), " is not counted as ", what)
            } else {
                continue;
            };
            self.reason(text);
        }
    }

    /// Why the flex rules that could have moved the day did not, on a day
    /// they would have changed (`late`, `left_early`: the day counts late or
    /// early beyond the tolerance): a late check-in that no late allowance
    /// or earned tier covers, or an early arrival short of a fixed early
    /// allowance on a day left early.
    fn flex_not_applied(
        &self,
        check_in: i64,
        start: i64,
        (is_late, left_early): (bool, bool),
        (prev, earned): (Option<&PreviousWorkday>, Option<(Tier, i64)>),
    ) -> Vec<String> {
        let flex = &self.rule.flex;
        let mut out = Vec::new();
        // The flex rules compare the check-in with the scheduled start.
        let late = floor_minutes(check_in - start);
        if is_late && late > 0 {
            if let Some(a) = flex.late_late {
                out.push(line!(
                    "late-arrive-late-leave (",
                    mode_name(a.mode),
                    " ",
                    a.minutes,
                    " min) does not apply: in ",
                    self.hm(check_in),
                    " is ",
                    late,
                    " min after ",
                    self.hm(start),
                    ", more than ",
                    a.minutes
                ));
            }
            if let Some((mode, tiers)) = &flex.leave_late {
                let why = match earned {
                    Some((tier, stayed)) => line!(
                        "in ",
                        self.hm(check_in),
                        " is ",
                        late,
                        " min after ",
                        self.hm(start),
                        ", more than the ",
                        tier.may_arrive_late,
                        " min earned by leaving ",
                        stayed,
                        " min late (tier ",
                        tier.left_after,
                        ")"
                    ),
                    None => self.no_tier_earned(tiers, prev),
                };
                out.push(line!("leave-late-arrive-late (", mode_name(*mode), ") does not apply: ", &why));
            }
        }
        if let (Some(a), true, true) = (flex.early_early, check_in < start, left_early) {
            if a.mode == FlexMode::Fixed {
                out.push(line!(
                    "early-arrive-early-leave (fixed ",
                    a.minutes,
                    " min) does not apply: in ",
                    self.hm(check_in),
                    " is ",
                    floor_minutes(start - check_in),
                    " min before ",
                    self.hm(start),
                    ", less than ",
                    a.minutes
                ));
            }
        }
        out
    }

    /// Why the previous workday earned no leave-late-arrive-late tier.
    fn no_tier_earned(&self, tiers: &[Tier], prev: Option<&PreviousWorkday>) -> String {
        let Some(prev) = prev else {
            return "no previous workday known".into();
        };
        let Some(out) = prev.last_real_check_out else {
            return "the previous workday has no real punch".into();
        };
        let stayed = floor_minutes(out.timestamp() - prev.end.timestamp());
        let least = tiers.iter().map(|t| t.left_after).min().unwrap_or(0);
        // The previous day's clock time and date: "18:29 on 03-02".
        let left = to_local(&self.rule.tz, out).format("%H:%M on %m-%d");
        text!("left {left}, {} min short of the {least}-min tier", least - stayed)
    }

    fn flex_reason(&self, applied: Applied, check_in: i64, start: i64, moved: &crate::flex::Moved) -> String {
        let mode = mode_name;
        let mins = floor_minutes(moved.by_secs.abs());
        let dir = if moved.by_secs < 0 { " min earlier: " } else { " min later: " };
        let (hm_in, hm_start) = (self.hm(check_in), self.hm(start));
        let mut out = match applied {
            Applied::EarlyEarly { mode: m, allowance } => {
                line!("early-arrive-early-leave (", mode(m), " ", allowance, " min): in ", hm_in, " before ", hm_start)
            }
            Applied::LateLate { mode: m, allowance } => line!(
                "late-arrive-late-leave (",
                mode(m),
                " ",
                allowance,
                " min): in ",
                hm_in,
                " is within ",
                allowance,
                " min of ",
                hm_start,
                ", not late"
            ),
            Applied::LeaveLate { mode: m, tier, stayed } => line!(
                "leave-late-arrive-late (",
                mode(m),
                "): left ",
                stayed,
                " min after the previous workday's end, tier ",
                tier.left_after,
                " => may arrive ",
                tier.may_arrive_late,
                " min late; in ",
                hm_in,
                " is not late"
            ),
        };
        let tail = line!("; the day moves ", mins, dir, self.hm(moved.start), "-", self.hm(moved.end));
        out.push_str(&tail);
        out
    }

    /// Rest days, holidays and unscheduled days: punches there are work on
    /// a day off, counted first to last.
    fn off_duty(&mut self, plan: DayPlan) -> Option<PreviousWorkday> {
        let rule = self.rule;
        self.r.status = match plan.kind {
            DayKind::Holiday => Status::Holiday,
            _ if plan.unscheduled => Status::Unscheduled,
            _ => Status::Rest,
        };
        // Frame the day with the shift that would be worked, so a night
        // worker's Saturday does not swallow Friday night's check-out.
        let frame = match &rule.system {
            System::Standard { shift, .. } => *shift,
            _ => rule.non_workday_shift,
        };
        let shift = rule.shift(frame);
        let (first, last) = shift.span();
        // Tags above every shift index keep frames apart from shifts.
        let times = self.local_times(FRAME_TAG | frame.0 as u32, &[first - shift.margin, last + shift.margin]);
        let (Some(ws), Some(we)) = (times.get(0), times.get(1)) else {
            return self.out_of_range();
        };
        if plan.kind == DayKind::Holiday {
            self.reason("public holiday: no attendance needed".into());
            if rule.holiday_punches == HolidayPunches::Ignore {
                // Before locations or self-selected shifts: an ignored punch
                // is worth nothing, not even a flag.
                self.ignore_holiday_punches(ws, we);
                return None;
            }
        }
        let counted = self.window(ws, we);
        if plan.unscheduled {
            if let System::Scheduled { allow_unscheduled_punch, self_select, .. } = rule.system {
                if self_select && !counted.is_empty() {
                    if let Some(id) = self.nearest_shift(ts(&counted[0])) {
                        let text = line!(
                            "no shift scheduled: picked shift ",
                            &*rule.shift(id).name,
                            " (starts nearest the first punch ",
                            self.hm(ts(&counted[0])),
                            ")"
                        );
                        self.r.kind = DayKind::Workday;
                        self.r.status = Status::Normal;
                        self.reason(text);
                        return self.workday(id, None);
                    }
                }
                if !allow_unscheduled_punch {
                    if !counted.is_empty() {
                        let text = line!(
                            counted.len(),
                            " punch(es) ignored: no shift scheduled and punching is not allowed when unscheduled"
                        );
                        self.reason(text);
                    }
                    return None;
                }
            }
        }
        if let [first, .., last] = &counted[..] {
            let (worked, mut text) = if rule.work_time == WorkTime::Pairs && counted.len() > 2 {
                let mut secs = 0;
                let mut spans = String::new();
                for (i, pair) in counted.chunks(2).enumerate() {
                    match pair {
                        [a, b] => {
                            secs += ts(b) - ts(a);
                            let sep = if i == 0 { "" } else { ", " };
                            spans.push_str(&line!(sep, self.hm(ts(a)), "-", self.hm(ts(b))));
                        }
                        [a] => spans.push_str(&line!("; ", self.hm(ts(a)), " has no pair")),
                        _ => {}
                    }
                }
                let worked = floor_minutes(secs);
                (worked, line!("worked ", worked, " min on a day off in in/out pairs: ", &spans))
            } else {
                let worked = floor_minutes(ts(last) - ts(first));
                (worked, line!("worked ", worked, " min on a day off: ", self.hm(ts(first)), "-", self.hm(ts(last))))
            };
            self.r.work_minutes = to_i32(worked);
            self.r.attended_minutes = self.r.work_minutes;
            let category =
                if plan.kind == DayKind::Holiday { OvertimeCategory::Holiday } else { OvertimeCategory::RestDay };
            match rule.overtime_off_duty() {
                Some(ot) => {
                    let minutes = overtime::off_duty(&ot, category, worked);
                    if minutes > 0 {
                        self.r.overtime_minutes = to_i32(minutes);
                        self.r.overtime_category = Some(category);
                        let _ = write!(text, "; overtime {minutes} min (unit {})", ot.unit);
                    } else {
                        text.push_str("; not counted as overtime");
                    }
                }
                None => text.push_str("; no overtime rule"),
            }
            self.reason(text);
        }
        None
    }

    /// Says how many punches a holiday whose punches are ignored had.
    fn ignore_holiday_punches(&mut self, ws: i64, we: i64) {
        let n = between(self.punches, self.instant(ws), self.instant(we)).len();
        if n > 0 {
            self.reason(line!(n, " punch(es) on the public holiday not counted (holiday_punches \"ignore\")"));
        }
    }

    /// The user shift whose first start is nearest `at` on this day.
    fn nearest_shift(&self, at: i64) -> Option<ShiftId> {
        let rule = self.rule;
        (0..rule.user_shifts)
            .filter_map(|i| {
                let s = &rule.shifts[i];
                let start = crate::clock::local_to_ts_exact(&rule.tz, self.date, s.span().0)?.0;
                Some(((at - start).abs(), i))
            })
            .min()
            .map(|(_, i)| ShiftId(i as u16))
    }

    fn finish(&mut self, periods: Vec<PeriodResult>) {
        let mut status = Status::Excused;
        for p in &periods {
            self.r.late_minutes = self.r.late_minutes.saturating_add(p.late_minutes);
            self.r.early_minutes = self.r.early_minutes.saturating_add(p.early_minutes);
            self.r.absent_minutes = self.r.absent_minutes.saturating_add(p.absent_minutes);
            self.r.work_minutes = self.r.work_minutes.saturating_add(p.work_minutes);
            if p.status.severity() > status.severity() {
                status = p.status;
            }
        }
        // Late in one period and early in another is late-and-early.
        let late = periods.iter().any(|p| matches!(p.status, Status::Late | Status::LateAndEarly));
        let early = periods.iter().any(|p| matches!(p.status, Status::Early | Status::LateAndEarly));
        if late && early && status.severity() <= Status::LateAndEarly.severity() {
            status = Status::LateAndEarly;
        }
        self.r.status = status;
        self.r.periods = periods;
    }
}
