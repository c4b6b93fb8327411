//! Where an iteration's time goes: a per-thread clock that, when switched on, adds the time since
//! the last mark to the phase just finished. Off (the default), each mark costs one relaxed atomic
//! load and nothing else; the results never depend on it. `benches/phases.rs` switches it on to
//! report nanoseconds per member of staff per iteration for each phase.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The phases of an iteration, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Sampling the inputs and resolving them into the iteration's numbers.
    Sampling,
    /// Everyone in post at their annual cost, and natural leaving.
    Attrition,
    /// Functions transferring out (movers and those left behind) and duplicated posts at mergers.
    Transfers,
    /// The restructure: baselines, targets, the pay gap and the VR, MARS and CR rounds.
    Restructure,
    /// Fates turned into monthly paths, exit costs and counts.
    Accounting,
    /// Paths turned into each organisation's and the total's results.
    Derive,
}

impl Phase {
    /// Every phase, in order.
    pub const ALL: [Phase; 6] = [
        Phase::Sampling,
        Phase::Attrition,
        Phase::Transfers,
        Phase::Restructure,
        Phase::Accounting,
        Phase::Derive,
    ];

    /// The phase's name in the benchmark's table.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Sampling => "sampling",
            Phase::Attrition => "attrition",
            Phase::Transfers => "transfers",
            Phase::Restructure => "restructure",
            Phase::Accounting => "accounting",
            Phase::Derive => "derive",
        }
    }
}

static ON: AtomicBool = AtomicBool::new(false);

thread_local! {
    static CLOCK: RefCell<(Option<Instant>, [Duration; 6])> =
        const { RefCell::new((None, [Duration::ZERO; 6])) };
}

/// Switches the clock on or off for every thread, and sets this thread's totals to zero (a
/// benchmark runs the kernel on the thread that switches it on).
pub fn switch(on: bool) {
    ON.store(on, Ordering::Relaxed);
    CLOCK.with(|c| *c.borrow_mut() = (None, [Duration::ZERO; 6]));
}

/// Starts timing from now on this thread (the start of an iteration or an organisation).
#[inline]
pub fn start() {
    if ON.load(Ordering::Relaxed) {
        CLOCK.with(|c| c.borrow_mut().0 = Some(Instant::now()));
    }
}

/// Adds the time since the last mark on this thread to `phase`, and marks now.
#[inline]
pub fn done(phase: Phase) {
    if ON.load(Ordering::Relaxed) {
        CLOCK.with(|c| {
            let mut c = c.borrow_mut();
            let now = Instant::now();
            if let Some(t) = c.0 {
                c.1[phase as usize] += now - t;
            }
            c.0 = Some(now);
        });
    }
}

/// This thread's totals by phase, in [`Phase::ALL`] order, since the clock was switched on.
pub fn totals() -> [Duration; 6] {
    CLOCK.with(|c| c.borrow().1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_goes_to_the_phase_just_finished_and_only_when_switched_on() {
        switch(false);
        start();
        done(Phase::Attrition);
        assert_eq!(totals(), [Duration::ZERO; 6]);
        switch(true);
        start();
        std::thread::sleep(Duration::from_millis(5));
        done(Phase::Restructure);
        done(Phase::Accounting);
        let t = totals();
        switch(false);
        assert!(t[Phase::Restructure as usize] >= Duration::from_millis(5));
        assert!(t[Phase::Accounting as usize] < Duration::from_millis(5));
        assert_eq!(t[Phase::Attrition as usize], Duration::ZERO);
    }
}
