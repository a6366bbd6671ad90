//! Small text helpers shared by messages and reports.

/// "3 errors", "1 warning".
pub fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// The possessive of a name, as style guides write it for a name ending in
/// s: `California's`, `Massachusetts'`, `Texas'`; an abbreviation takes `'s`
/// (`MS's`, `US's`).
pub fn possessive(name: &str) -> String {
    let abbreviation = !name.chars().any(char::is_lowercase);
    if name.ends_with('s') && !abbreviation {
        format!("{name}'")
    } else {
        format!("{name}'s")
    }
}

/// A whole number with thousands separators: `133,080`.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn possessives_of_names_ending_in_s() {
        assert_eq!(possessive("California"), "California's");
        assert_eq!(possessive("Massachusetts"), "Massachusetts'");
        assert_eq!(possessive("Texas"), "Texas'");
        assert_eq!(possessive("US"), "US's");
        assert_eq!(possessive("MS"), "MS's");
        assert_eq!(possessive("CA"), "CA's");
    }
}
