//! How a value type is stored: as text (or an integer) through diesel, on either backend.
//!
//! Writing goes through the value's text; reading parses what the column holds with the
//! type's own `parse` and wants it back unchanged (in its normal form: an e-mail already
//! lowercase, a NIK without spaces). A stored value that fails either is a deserialisation
//! error, which reaches the log and answers 500: a bad row is never shown as a plausible
//! value.

/// Gives a text-backed value type (a tuple struct around a `String`, with
/// `parse(&str) -> Result<Self, E>` where `E: Display`) its `as_str`, `Display`, `AsRef<str>`,
/// `Deref<Target = str>`,
/// and diesel's `ToSql`/`FromSql` for `Text` on every backend, the multi-connection
/// one included. The struct itself derives `AsExpression` and `FromSqlRow` with
/// `#[diesel(sql_type = diesel::sql_types::Text)]`.
macro_rules! stored_as_text {
    ($name:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        // Read-only: a value lends its text to whatever takes a `&str`, and only `parse`
        // makes one.
        impl ::std::ops::Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl<DB> ::diesel::serialize::ToSql<::diesel::sql_types::Text, DB> for $name
        where
            DB: ::diesel::backend::Backend,
            str: ::diesel::serialize::ToSql<::diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut ::diesel::serialize::Output<'b, '_, DB>,
            ) -> ::diesel::serialize::Result {
                <str as ::diesel::serialize::ToSql<::diesel::sql_types::Text, DB>>::to_sql(
                    self.0.as_str(),
                    out,
                )
            }
        }

        impl<DB> ::diesel::deserialize::FromSql<::diesel::sql_types::Text, DB> for $name
        where
            DB: ::diesel::backend::Backend,
            String: ::diesel::deserialize::FromSql<::diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> ::diesel::deserialize::Result<Self> {
                let raw = <String as ::diesel::deserialize::FromSql<
                    ::diesel::sql_types::Text,
                    DB,
                >>::from_sql(bytes)?;
                // The error names the type and the rule broken, never the value: it may be
                // personal data, and it goes to the log.
                let value = Self::parse(&raw)
                    .map_err(|e| format!("a stored {} is not valid: {e}", stringify!($name)))?;
                // Stored values are written in their one normal form; anything else was
                // written around this type.
                if value.0 != raw {
                    return Err(format!(
                        "a stored {} is not in its normal form",
                        stringify!($name)
                    )
                    .into());
                }
                Ok(value)
            }
        }
    };
}

pub(crate) use stored_as_text;
