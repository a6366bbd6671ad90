//! The `type` keyword as YAML writes numbers: `integer` means a whole number
//! written as one (`135980`), not a float that happens to be whole (`135980.0`,
//! `13598e1`, `1e300`), which JSON Schema's own `integer` accepts. Every other
//! type means what the specification says.
//!
//! The loader keeps integers as integers and floats as floats (a whole number
//! beyond 64 bits is out of range there), so "written as a whole number" is
//! "held as an integer".

use jsonschema::paths::Location;
use jsonschema::{Keyword, ValidationError};
use serde_json::{Map, Value};

/// The JSON Schema type names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Type {
    Null,
    Boolean,
    Object,
    Array,
    Number,
    Integer,
    String,
}

impl Type {
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "null" => Type::Null,
            "boolean" => Type::Boolean,
            "object" => Type::Object,
            "array" => Type::Array,
            "number" => Type::Number,
            "integer" => Type::Integer,
            "string" => Type::String,
            _ => return None,
        })
    }

    fn accepts(self, value: &Value) -> bool {
        match (self, value) {
            (Type::Null, Value::Null)
            | (Type::Boolean, Value::Bool(_))
            | (Type::Object, Value::Object(_))
            | (Type::Array, Value::Array(_))
            | (Type::Number, Value::Number(_))
            | (Type::String, Value::String(_)) => true,
            (Type::Integer, Value::Number(n)) => n.is_i64() || n.is_u64(),
            _ => false,
        }
    }
}

/// `type`, with `integer` meaning written as a whole number.
pub struct TypeKeyword {
    types: Vec<Type>,
    expected: String,
}

impl<'i> Keyword<'i> for TypeKeyword {
    fn validate(&self, instance: &'i Value) -> Result<(), ValidationError<'i>> {
        if self.is_valid(instance) {
            Ok(())
        } else {
            Err(ValidationError::custom(format!(
                "{instance} is not of type {}",
                self.expected
            )))
        }
    }

    fn is_valid(&self, instance: &'i Value) -> bool {
        self.types.iter().any(|t| t.accepts(instance))
    }
}

/// Compiles a `type` keyword (a name or a list of names).
pub fn compile<'a>(
    _parent: &'a Map<String, Value>,
    value: &'a Value,
    _path: Location,
) -> Result<Box<dyn for<'i> Keyword<'i>>, ValidationError<'a>> {
    let names: Option<Vec<&str>> = match value {
        Value::String(name) => Some(vec![name.as_str()]),
        Value::Array(items) => items.iter().map(Value::as_str).collect(),
        _ => None,
    };
    let names = names.unwrap_or_default();
    let types: Option<Vec<Type>> = names.iter().map(|n| Type::parse(n)).collect();
    let Some(types) = types.filter(|t| !t.is_empty()) else {
        return Err(ValidationError::schema(format!(
            "{value} is not a valid `type` (a type name or a list of them)"
        )));
    };
    let expected = names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ");
    Ok(Box::new(TypeKeyword { types, expected }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn validator(schema: Value) -> jsonschema::Validator {
        jsonschema::options()
            .with_keyword("type", compile)
            .build(&schema)
            .expect("compiles")
    }

    #[test]
    fn integer_means_written_as_a_whole_number() {
        let v = validator(json!({ "type": "integer" }));
        assert!(v.is_valid(&json!(135980)));
        assert!(v.is_valid(&json!(-5)));
        assert!(v.is_valid(&json!(u64::MAX)));
        for float in [135980.0, 0.0, 1e300, 1.5] {
            assert!(!v.is_valid(&json!(float)), "{float}");
            assert_eq!(v.iter_errors(&json!(float)).count(), 1, "{float}");
        }
        assert!(!v.is_valid(&json!("1")));
    }

    #[test]
    fn other_types_are_unchanged() {
        let v = validator(json!({ "type": ["number", "null"] }));
        assert!(v.is_valid(&json!(1.5)));
        assert!(v.is_valid(&json!(2)));
        assert!(v.is_valid(&Value::Null));
        assert!(!v.is_valid(&json!("x")));
        let v = validator(json!({ "properties": { "a": { "type": "string" } } }));
        assert!(v.is_valid(&json!({ "a": "x" })));
        assert!(!v.is_valid(&json!({ "a": 1 })));
    }

    #[test]
    fn a_bad_type_is_a_schema_error() {
        assert!(
            jsonschema::options()
                .with_keyword("type", compile)
                .build(&json!({ "type": "integr" }))
                .is_err()
        );
    }
}
