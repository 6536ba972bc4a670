//! How numbers are written on the pages (one place, so tests can expect the
//! same text the tiles show).

/// `1234567` → `1,234,567`.
pub fn count(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A share in 0..1 as `12.3%`.
pub fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// The relative change from `previous` to `current` as `+5.2%`; `None` when
/// there is nothing to compare with.
pub fn relative_change(current: f64, previous: f64) -> Option<String> {
    (previous.abs() > f64::EPSILON).then(|| format!("{:+.1}%", (current - previous) / previous * 100.0))
}

/// An absolute change of a share, in percentage points: `+1.2 pp`.
pub fn point_change(current: f64, previous: f64) -> String {
    format!("{:+.1} pp", (current - previous) * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(-1234567), "-1,234,567");
    }

    #[test]
    fn changes_are_signed() {
        assert_eq!(relative_change(110.0, 100.0).as_deref(), Some("+10.0%"));
        assert_eq!(relative_change(1.0, 0.0), None);
        assert_eq!(point_change(0.25, 0.2), "+5.0 pp");
        assert_eq!(percent(0.1234), "12.3%");
    }
}
