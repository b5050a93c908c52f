//! How domain values are written to and read from SQL columns.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::domain::{
    ActionId, DocumentReviewId, ExcerptId, FidelityItemId, FindingId, InterviewId,
    RequestedDocumentId, RequirementId,
};

macro_rules! sql_id {
    ($($name:ident),*) => {$(
        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.0))
            }
        }
        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                i64::column_result(value).map($name)
            }
        }
    )*};
}

sql_id!(
    RequirementId,
    InterviewId,
    ExcerptId,
    DocumentReviewId,
    FindingId,
    ActionId,
    FidelityItemId,
    RequestedDocumentId
);

/// A unit-variant enum stored as its serde code (`"deviation"`, `"in_progress"` …).
pub struct Code<T>(pub T);

impl<T: Serialize> ToSql for Code<T> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        match serde_json::to_value(&self.0) {
            Ok(serde_json::Value::String(code)) => Ok(ToSqlOutput::from(code)),
            Ok(other) => Err(rusqlite::Error::ToSqlConversionFailure(
                format!("not a unit enum: {other}").into(),
            )),
            Err(e) => Err(rusqlite::Error::ToSqlConversionFailure(Box::new(e))),
        }
    }
}

impl<T: DeserializeOwned> FromSql for Code<T> {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let code = value.as_str()?;
        serde_json::from_value(serde_json::Value::String(code.to_owned()))
            .map(Code)
            .map_err(|e| FromSqlError::Other(Box::new(e)))
    }
}

/// A list of labels stored as a JSON array.
pub struct JsonList(pub Vec<String>);

impl ToSql for JsonList {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        serde_json::to_string(&self.0)
            .map(ToSqlOutput::from)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
    }
}

impl FromSql for JsonList {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        serde_json::from_str(value.as_str()?)
            .map(JsonList)
            .map_err(|e| FromSqlError::Other(Box::new(e)))
    }
}

/// Any serde value stored as JSON text (questions, anchors, bands, evidence lists).
pub struct Json<T>(pub T);

impl<T: Serialize> ToSql for Json<T> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        serde_json::to_string(&self.0)
            .map(ToSqlOutput::from)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
    }
}

impl<T: DeserializeOwned> FromSql for Json<T> {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        serde_json::from_str(value.as_str()?)
            .map(Json)
            .map_err(|e| FromSqlError::Other(Box::new(e)))
    }
}
