//! Reading a JSON document element by element, so every error names the file and the JSON
//! pointer of what could not be read.

use serde_json::{Map, Value};

use super::error::ValidateError;
use crate::spec::escape_token;

/// A JSON document being read, named by its file.
pub(crate) struct Doc<'a> {
    /// The file, as named in errors.
    pub file: &'a str,
}

impl Doc<'_> {
    /// Parses `text` as JSON.
    pub fn parse(&self, text: &str) -> Result<Value, ValidateError> {
        serde_json::from_str(text).map_err(|e| ValidateError::Syntax {
            file: self.file.to_string(),
            message: e.to_string(),
        })
    }

    /// An error about the element at `pointer`.
    pub fn invalid(&self, pointer: &str, message: impl Into<String>) -> ValidateError {
        ValidateError::Invalid {
            file: self.file.to_string(),
            pointer: pointer.to_string(),
            message: message.into(),
        }
    }

    /// `value` as an object.
    pub fn object<'v>(
        &self,
        value: &'v Value,
        pointer: &str,
    ) -> Result<&'v Map<String, Value>, ValidateError> {
        value.as_object().ok_or_else(|| {
            self.invalid(
                pointer,
                format!("expected an object, found {}", kind(value)),
            )
        })
    }

    /// The member `key` of the object at `pointer`, which must be there.
    pub fn required<'v>(
        &self,
        object: &'v Map<String, Value>,
        pointer: &str,
        key: &str,
    ) -> Result<&'v Value, ValidateError> {
        object
            .get(key)
            .ok_or_else(|| self.invalid(&child(pointer, key), "missing"))
    }

    /// The member `key` as a string; absent or `null` is `None`, another type an error.
    pub fn optional_string<'v>(
        &self,
        object: &'v Map<String, Value>,
        pointer: &str,
        key: &str,
    ) -> Result<Option<&'v str>, ValidateError> {
        match object.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(self.invalid(
                &child(pointer, key),
                format!("expected a string, found {}", kind(other)),
            )),
        }
    }

    /// The member `key` as a string, which must be there.
    pub fn string<'v>(
        &self,
        object: &'v Map<String, Value>,
        pointer: &str,
        key: &str,
    ) -> Result<&'v str, ValidateError> {
        self.optional_string(object, pointer, key)?
            .ok_or_else(|| self.invalid(&child(pointer, key), "missing"))
    }

    /// The member `key` as an HTTP status code (0 to 999), which must be there.
    pub fn status(
        &self,
        object: &Map<String, Value>,
        pointer: &str,
        key: &str,
    ) -> Result<u16, ValidateError> {
        let value = self.required(object, pointer, key)?;
        value
            .as_u64()
            .filter(|s| *s < 1000)
            .and_then(|s| u16::try_from(s).ok())
            .ok_or_else(|| {
                self.invalid(
                    &child(pointer, key),
                    format!("expected an HTTP status code, found {value}"),
                )
            })
    }
}

/// The pointer of member `key` under `pointer`.
pub(crate) fn child(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", escape_token(key))
}

/// A JSON type's name, for messages.
pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
