//! Rupiah amounts as people type them into a form or a search URL (the parsing a `Rupiah`
//! type will own).

/// Rupiah as people write it: "3.500.000", "Rp 3500000", "4,250,000"; "3,5 juta" is not
/// accepted. `None` for anything else, a negative amount or more than twelve digits.
pub fn parse(raw: &str) -> Option<i64> {
    let digits: String = raw
        .trim()
        .trim_start_matches("Rp")
        .trim_start_matches("rp")
        .chars()
        .filter(|c| !matches!(c, '.' | ',' | ' '))
        .collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) || digits.len() > 12 {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rupiah_as_people_write_it() {
        assert_eq!(parse("Rp 4.250.000"), Some(4_250_000));
        assert_eq!(parse("4,250,000"), Some(4_250_000));
        assert_eq!(parse("rp3500000"), Some(3_500_000));
        assert_eq!(parse("-5"), None);
        assert_eq!(parse("3,5 juta"), None);
        assert_eq!(parse("9999999999999"), None);
    }
}
