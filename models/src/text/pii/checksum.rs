//! Check digits that tell real card and ID numbers from order numbers.

/// Whether `number` (digits, optionally grouped by spaces or dashes) passes
/// the Luhn check used by bank cards. Fewer than two digits is never valid.
pub fn luhn_valid(number: &str) -> bool {
    if !number.bytes().all(|b| b.is_ascii_digit() || b == b' ' || b == b'-') {
        return false;
    }
    let digits = number.bytes().filter(u8::is_ascii_digit).map(|b| u32::from(b - b'0'));
    let (mut sum, mut count) = (0, 0);
    for (i, d) in digits.rev().enumerate() {
        let d = if i % 2 == 1 { d * 2 } else { d };
        sum += if d > 9 { d - 9 } else { d };
        count += 1;
    }
    count >= 2 && sum % 10 == 0
}

/// Weights of the first 17 digits of a resident ID number (GB 11643-1999).
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// Check character for each value of the weighted sum modulo 11.
const ID_CHECK_CHARS: &[u8; 11] = b"10X98765432";

/// Whether `id` is 18 characters, 17 digits and a check character (a digit
/// or `X`/`x`) that matches the GB 11643 checksum.
pub fn id_checksum_valid(id: &str) -> bool {
    let bytes = id.as_bytes();
    if bytes.len() != 18 || !bytes[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = bytes[..17]
        .iter()
        .zip(ID_WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let expected = ID_CHECK_CHARS[(sum % 11) as usize];
    bytes[17].to_ascii_uppercase() == expected
}

/// Whether the birth date inside an 18-digit ID (characters 7 to 14) is a
/// plausible `YYYYMMDD` and the region code starts with 1 to 8. Together with
/// the checksum this keeps date-prefixed order numbers from being masked.
pub(super) fn id_plausible(id: &str) -> bool {
    let field = |range: std::ops::Range<usize>| id.get(range).and_then(|s| s.parse::<u32>().ok());
    let region_ok = id.as_bytes().first().is_some_and(|b| (b'1'..=b'8').contains(b));
    match (field(6..10), field(10..12), field(12..14)) {
        (Some(year), Some(month), Some(day)) => {
            region_ok && (1900..=2099).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day)
        }
        _ => false,
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// Appends the Luhn check digit, computed from the textbook definition.
    pub(crate) fn with_luhn_digit(prefix: &str) -> String {
        let mut sum = 0;
        for (i, b) in prefix.bytes().rev().enumerate() {
            let d = u32::from(b - b'0');
            sum += if i % 2 == 0 { (d * 2) / 10 + (d * 2) % 10 } else { d };
        }
        format!("{prefix}{}", (10 - sum % 10) % 10)
    }

    /// Appends the GB 11643 check character: (12 - sum mod 11) mod 11, 10 as X.
    pub(crate) fn with_id_check(prefix: &str) -> String {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        let sum: u32 = prefix.bytes().zip(weights).map(|(b, w)| u32::from(b - b'0') * w).sum();
        match (12 - sum % 11) % 11 {
            10 => format!("{prefix}X"),
            check => format!("{prefix}{check}"),
        }
    }

    #[test]
    fn luhn_accepts_generated_numbers_and_rejects_changed_ones() {
        for prefix in [
            "411111111111111",
            "622848001234567890",
            "621700001000123456",
            "7992739871",
        ] {
            let number = with_luhn_digit(prefix);
            assert!(luhn_valid(&number), "{number}");
            let last = number.as_bytes()[number.len() - 1] - b'0';
            let wrong = format!("{prefix}{}", (last + 1) % 10);
            assert!(!luhn_valid(&wrong), "{wrong}");
        }
        assert!(luhn_valid("4111 1111 1111 1111"));
        assert!(!luhn_valid("4111x1111"));
        assert!(!luhn_valid("0"));
        assert!(!luhn_valid(""));
    }

    #[test]
    fn id_checksum_accepts_generated_ids_and_rejects_changed_ones() {
        for prefix in [
            "11010519491231002",
            "31011519900307123",
            "44030519851120456",
            "51010719770101001",
        ] {
            let id = with_id_check(prefix);
            assert!(id_checksum_valid(&id), "{id}");
            assert!(id_checksum_valid(&id.to_lowercase()), "{id}");
            for wrong in "0123456789X".chars().filter(|&c| !id.ends_with(c)) {
                assert!(!id_checksum_valid(&format!("{prefix}{wrong}")), "{prefix}{wrong}");
            }
        }
        assert_eq!(with_id_check("11010519491231002"), "11010519491231002X");
        assert!(!id_checksum_valid("1101051949123100"));
        assert!(!id_checksum_valid("11010519491231002XX"));
        assert!(!id_checksum_valid("1101051949123100２X"));
    }

    #[test]
    fn id_plausibility_checks_region_and_birth_date() {
        assert!(id_plausible("11010519491231002X"));
        assert!(!id_plausible("202401150012345678"));
        assert!(!id_plausible("91010519491231002X"));
        assert!(!id_plausible("11010519491331002X"));
    }
}
