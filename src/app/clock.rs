//! Where the workbench takes "today" from. The app is often left open for days: the real clock
//! is read afresh each frame, so overdue marks and date checks turn over at midnight without
//! reopening the case. Tests pin the day, or move it, with their own clock.

use std::sync::Arc;

use jiff::civil::Date;

/// A source of today's date.
#[derive(Clone)]
pub enum Clock {
    /// The system's local date, read each time it is asked for.
    System,
    /// Whatever the function says (a test's day, pinned or moved by the test).
    Given(Arc<dyn Fn() -> Date + Send + Sync>),
}

impl Clock {
    pub fn system() -> Clock {
        Clock::System
    }

    /// Always `day`.
    pub fn fixed(day: Date) -> Clock {
        Clock::Given(Arc::new(move || day))
    }

    /// Whatever `today` says, each time it is asked.
    pub fn from_fn(today: impl Fn() -> Date + Send + Sync + 'static) -> Clock {
        Clock::Given(Arc::new(today))
    }

    pub fn today(&self) -> Date {
        match self {
            Clock::System => jiff::Zoned::now().date(),
            Clock::Given(today) => today(),
        }
    }

    /// How long until the system clock's next midnight, so an idle window is drawn again
    /// when the day turns; `None` for a given clock.
    pub fn until_next_day(&self) -> Option<std::time::Duration> {
        let Clock::System = self else {
            return None;
        };
        let now = jiff::Zoned::now();
        let midnight = now
            .date()
            .tomorrow()
            .ok()?
            .to_zoned(now.time_zone().clone())
            .ok()?;
        std::time::Duration::try_from(now.duration_until(&midnight)).ok()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Clock({})", self.today())
    }
}
