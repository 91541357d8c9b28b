//! A small builder for the few hand-written queries (search with its counts), which writes
//! each backend's placeholder (`?` or `$n`) and keeps the bound values in order, so that no
//! user input is ever pasted into SQL text.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::sql_types::{BigInt, Bool, Date, Integer, SmallInt, Text, Timestamp};

use super::{DbConnection, MultiBackend};

#[derive(Debug, Clone)]
enum Value {
    Text(String),
    BigInt(i64),
    Integer(i32),
    SmallInt(i16),
    Bool(bool),
    Timestamp(NaiveDateTime),
    Date(NaiveDate),
}

#[derive(Debug, Clone)]
pub struct Sql {
    postgres: bool,
    text: String,
    values: Vec<Value>,
}

impl Sql {
    pub fn new(conn: &DbConnection) -> Self {
        Self {
            postgres: matches!(conn, DbConnection::Pg(_)),
            text: String::new(),
            values: Vec::new(),
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.postgres
    }

    /// SQL text written by us, never by a user.
    pub fn push(&mut self, sql: &str) -> &mut Self {
        self.text.push_str(sql);
        self
    }

    fn placeholder(&mut self, value: Value) -> &mut Self {
        self.values.push(value);
        if self.postgres {
            let n = self.values.len();
            self.text.push_str(&format!("${n}"));
        } else {
            self.text.push('?');
        }
        self
    }

    pub fn text(&mut self, v: impl Into<String>) -> &mut Self {
        self.placeholder(Value::Text(v.into()))
    }

    pub fn big_int(&mut self, v: i64) -> &mut Self {
        self.placeholder(Value::BigInt(v))
    }

    pub fn integer(&mut self, v: i32) -> &mut Self {
        self.placeholder(Value::Integer(v))
    }

    pub fn small_int(&mut self, v: i16) -> &mut Self {
        self.placeholder(Value::SmallInt(v))
    }

    pub fn boolean(&mut self, v: bool) -> &mut Self {
        self.placeholder(Value::Bool(v))
    }

    pub fn timestamp(&mut self, v: NaiveDateTime) -> &mut Self {
        self.placeholder(Value::Timestamp(v))
    }

    pub fn date(&mut self, v: NaiveDate) -> &mut Self {
        self.placeholder(Value::Date(v))
    }

    /// A comma-separated list of text placeholders, for `IN (…)`.
    pub fn text_list<'a>(&mut self, values: impl IntoIterator<Item = &'a str>) -> &mut Self {
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.text(v);
        }
        self
    }

    pub fn sql_text(&self) -> &str {
        &self.text
    }

    pub fn into_query(self) -> BoxedSqlQuery<'static, MultiBackend, SqlQuery> {
        let mut query = diesel::sql_query(self.text).into_boxed::<MultiBackend>();
        for value in self.values {
            query = match value {
                Value::Text(v) => query.bind::<Text, _>(v),
                Value::BigInt(v) => query.bind::<BigInt, _>(v),
                Value::Integer(v) => query.bind::<Integer, _>(v),
                Value::SmallInt(v) => query.bind::<SmallInt, _>(v),
                Value::Bool(v) => query.bind::<Bool, _>(v),
                Value::Timestamp(v) => query.bind::<Timestamp, _>(v),
                Value::Date(v) => query.bind::<Date, _>(v),
            };
        }
        query
    }
}
