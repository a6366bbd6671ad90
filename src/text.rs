//! Small text helpers shared by messages and reports.

/// "3 errors", "1 warning".
pub fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}
