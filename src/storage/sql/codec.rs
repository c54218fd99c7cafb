//! How domain values become columns and back, and how sqlx's errors become
//! the core's.

use std::fmt::Display;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::any::AnyRow;
use sqlx::{Any, Decode, Row, Type};

use crate::core::model::{LatLon, Platform};
use crate::core::store::{StoreError, StoreResult};

/// Maps sqlx's errors at the boundary: a missing row is the core's
/// `NotFound`, a column that does not decode is a corrupt stored value.
pub(crate) fn db(error: sqlx::Error) -> StoreError {
    match error {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_) => {
            StoreError::Corrupt(error.to_string())
        }
        other => StoreError::Backend(Box::new(other)),
    }
}

/// Times are stored as whole unix seconds: sub-second parts are dropped.
pub(crate) fn secs(at: DateTime<Utc>) -> i64 {
    at.timestamp()
}

pub(crate) fn flag(value: bool) -> i64 {
    i64::from(value)
}

pub(crate) fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

pub(crate) fn json<T: Serialize + ?Sized>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(crate) fn from_json<T: DeserializeOwned>(text: &str) -> StoreResult<T> {
    // Only the category: serde's message may quote the stored value, which
    // can be an elder's phone or address.
    serde_json::from_str(text)
        .map_err(|e| StoreError::Corrupt(format!("undecodable JSON ({:?})", e.classify())))
}

pub(crate) fn parse<T>(text: &str) -> StoreResult<T>
where
    T: FromStr,
    T::Err: Display,
{
    text.parse().map_err(|e: T::Err| StoreError::Corrupt(e.to_string()))
}

pub(crate) fn time(secs: i64) -> StoreResult<DateTime<Utc>> {
    DateTime::from_timestamp(secs, 0)
        .ok_or_else(|| StoreError::Corrupt(format!("time {secs} is out of range")))
}

/// A point is stored as two nullable columns, set together.
pub(crate) fn lat_lon(lat: Option<f64>, lon: Option<f64>) -> Option<LatLon> {
    Some(LatLon { lat: lat?, lon: lon? })
}

/// Typed reads of a column, each mapped to the core's errors.
pub(crate) trait RowExt {
    fn get<'r, T: Decode<'r, Any> + Type<Any>>(&'r self, column: &str) -> StoreResult<T>;

    fn int(&self, column: &str) -> StoreResult<i64> {
        self.get(column)
    }

    fn opt_int(&self, column: &str) -> StoreResult<Option<i64>> {
        self.get(column)
    }

    fn text(&self, column: &str) -> StoreResult<String> {
        self.get(column)
    }

    fn opt_text(&self, column: &str) -> StoreResult<Option<String>> {
        self.get(column)
    }

    fn opt_float(&self, column: &str) -> StoreResult<Option<f64>> {
        self.get(column)
    }

    fn flag(&self, column: &str) -> StoreResult<bool> {
        Ok(self.int(column)? != 0)
    }

    fn time(&self, column: &str) -> StoreResult<DateTime<Utc>> {
        time(self.int(column)?)
    }

    fn opt_time(&self, column: &str) -> StoreResult<Option<DateTime<Utc>>> {
        self.opt_int(column)?.map(time).transpose()
    }

    fn parsed<T: FromStr>(&self, column: &str) -> StoreResult<T>
    where
        T::Err: Display,
    {
        parse(&self.text(column)?)
    }

    fn opt_parsed<T: FromStr>(&self, column: &str) -> StoreResult<Option<T>>
    where
        T::Err: Display,
    {
        self.opt_text(column)?.as_deref().map(parse).transpose()
    }

    fn json<T: DeserializeOwned>(&self, column: &str) -> StoreResult<T> {
        from_json(&self.text(column)?)
    }

    fn platform(&self, column: &str) -> StoreResult<Platform> {
        self.parsed(column)
    }
}

impl RowExt for AnyRow {
    fn get<'r, T: Decode<'r, Any> + Type<Any>>(&'r self, column: &str) -> StoreResult<T> {
        self.try_get(column).map_err(db)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip_to_the_second() {
        let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default();
        assert_eq!(time(secs(at)).ok(), Some(at));
        assert!(time(i64::MAX).is_err());
    }

    #[test]
    fn a_point_needs_both_coordinates() {
        assert_eq!(lat_lon(Some(48.8), Some(2.3)), Some(LatLon { lat: 48.8, lon: 2.3 }));
        assert_eq!(lat_lon(Some(48.8), None), None);
    }

    #[test]
    fn bad_stored_text_is_corrupt() {
        assert!(matches!(parse::<Platform>("fax"), Err(StoreError::Corrupt(_))));
        assert!(matches!(from_json::<Vec<String>>("[1"), Err(StoreError::Corrupt(_))));
    }
}
