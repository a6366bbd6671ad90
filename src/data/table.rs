//! The snapshot's table: BLS's column names, one row per area and
//! occupation, as CSV (RFC 4180: fields with a comma or quote are quoted,
//! one record per line).

use std::borrow::Cow;

/// The columns of a snapshot, in the order `data import` writes them. Readers
/// find columns by name, so their order may differ.
pub const COLUMNS: [&str; 16] = [
    "AREA",
    "AREA_TITLE",
    "AREA_TYPE",
    "PRIM_STATE",
    "OCC_CODE",
    "OCC_TITLE",
    "O_GROUP",
    "TOT_EMP",
    "H_MEAN",
    "A_MEAN",
    "H_MEDIAN",
    "A_PCT10",
    "A_PCT25",
    "A_MEDIAN",
    "A_PCT75",
    "A_PCT90",
];

/// Column positions of [`COLUMNS`].
pub mod col {
    /// `AREA`.
    pub const AREA: usize = 0;
    /// `AREA_TITLE`.
    pub const AREA_TITLE: usize = 1;
    /// `AREA_TYPE`.
    pub const AREA_TYPE: usize = 2;
    /// `PRIM_STATE`.
    pub const PRIM_STATE: usize = 3;
    /// `OCC_CODE`.
    pub const OCC_CODE: usize = 4;
    /// `OCC_TITLE`.
    pub const OCC_TITLE: usize = 5;
    /// `O_GROUP`.
    pub const O_GROUP: usize = 6;
    /// `TOT_EMP`.
    pub const TOT_EMP: usize = 7;
    /// `H_MEAN`.
    pub const H_MEAN: usize = 8;
    /// `A_MEAN`.
    pub const A_MEAN: usize = 9;
    /// `H_MEDIAN`.
    pub const H_MEDIAN: usize = 10;
    /// `A_PCT10`.
    pub const A_PCT10: usize = 11;
    /// `A_PCT25`.
    pub const A_PCT25: usize = 12;
    /// `A_MEDIAN`.
    pub const A_MEDIAN: usize = 13;
    /// `A_PCT75`.
    pub const A_PCT75: usize = 14;
    /// `A_PCT90`.
    pub const A_PCT90: usize = 15;
}

/// Splits one CSV line into its fields. `Err` says what is wrong (an
/// unterminated quote, text after a closing quote).
pub fn split(line: &str) -> Result<Vec<Cow<'_, str>>, String> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let mut fields = Vec::with_capacity(COLUMNS.len());
    let mut rest = line;
    loop {
        if let Some(quoted) = rest.strip_prefix('"') {
            let mut value = String::new();
            let mut chars = quoted.char_indices();
            let end = loop {
                match chars.next() {
                    None => return Err("a quoted field is not closed".into()),
                    Some((i, '"')) => {
                        if quoted[i + 1..].starts_with('"') {
                            value.push('"');
                            chars.next();
                        } else {
                            break i + 1;
                        }
                    }
                    Some((_, c)) => value.push(c),
                }
            };
            fields.push(Cow::Owned(value));
            rest = &quoted[end..];
            if rest.is_empty() {
                return Ok(fields);
            }
            rest = rest
                .strip_prefix(',')
                .ok_or("text follows a closing quote")?;
        } else {
            match rest.find(',') {
                Some(at) => {
                    fields.push(Cow::Borrowed(&rest[..at]));
                    rest = &rest[at + 1..];
                }
                None => {
                    fields.push(Cow::Borrowed(rest));
                    return Ok(fields);
                }
            }
        }
    }
}

/// Appends one CSV record (and a newline) to `out`.
pub fn write_record<S: AsRef<str>>(out: &mut String, fields: &[S]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let field = field.as_ref();
        if field.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\"").replace(['\n', '\r'], " "));
            out.push('"');
        } else {
            out.push_str(field);
        }
    }
    out.push('\n');
}

/// `text`, or `'text` when a spreadsheet opening the snapshot would read it
/// as a formula: it starts with `=`, `+`, `-` or `@` (OWASP's "CSV
/// injection"), or with a tab or carriage return before one.
pub fn neutralise_formula(text: &str) -> Cow<'_, str> {
    let formula = text
        .trim_start_matches(['\t', '\r', ' '])
        .starts_with(['=', '+', '-', '@']);
    if formula {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// For each of [`COLUMNS`], its position in `header`, matching names without
/// regard to case; `Err` lists the columns missing.
pub fn locate(header: &[Cow<'_, str>]) -> Result<[usize; 16], Vec<String>> {
    let mut positions = [0usize; 16];
    let mut missing = Vec::new();
    for (slot, name) in positions.iter_mut().zip(COLUMNS) {
        match header.iter().position(|h| {
            h.trim()
                .trim_start_matches('\u{feff}')
                .eq_ignore_ascii_case(name)
        }) {
            Some(at) => *slot = at,
            None => missing.push(name.to_owned()),
        }
    }
    if missing.is_empty() {
        Ok(positions)
    } else {
        Err(missing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_round_trip() {
        let fields = ["99", "U.S.", "Farmers, Ranchers, and \"Other\"", ""];
        let mut line = String::new();
        write_record(&mut line, &fields);
        assert_eq!(line, "99,U.S.,\"Farmers, Ranchers, and \"\"Other\"\"\",\n");
        let read = split(line.trim_end_matches('\n')).unwrap();
        assert_eq!(read, fields.map(Cow::Borrowed));
    }

    #[test]
    fn formulas_are_written_as_text() {
        for formula in ["=cmd|' /C calc'!A0", "+SUM(1)", "-2+3", "@x", " =1"] {
            assert_eq!(neutralise_formula(formula), format!("'{formula}"));
        }
        for text in ["Nurse Anesthetists", "U.S.", "a=b", "'quoted", ""] {
            assert!(matches!(neutralise_formula(text), Cow::Borrowed(t) if t == text));
        }
    }

    #[test]
    fn malformed_lines() {
        assert!(split("a,\"b").is_err());
        assert!(split("a,\"b\"c").is_err());
        assert_eq!(split("a,b\r").unwrap().len(), 2);
    }
}
