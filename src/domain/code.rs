//! Closed lists of codes stored as text: statuses, event kinds, stages, modes.
//!
//! Each list is a Rust enum declared with [`stored_code!`] and, in the database, a
//! reference table (`ref_<list>`, one `code` column) that the column points to with a
//! foreign key. Adding a code is one `INSERT` into that table on each backend plus one
//! variant here; no table is rebuilt. A test checks that every reference table holds
//! exactly its enum's codes on both backends (docs/decisions.md, "Codes").
//!
//! Reading a value no variant knows is an error, never a plausible fallback: bad data in
//! a status column shows up in the log instead of as a wrong status on a page.

/// A closed list of codes that a column may hold, and the reference table that lists
/// them in the database.
pub trait StoredCode: Copy + 'static {
    /// The reference table of this list (`ref_...`).
    const TABLE: &'static str;
    /// A list about a person (sex, religion, marital status): an unknown value read back
    /// is not written into the error, which goes to the log.
    const PERSONAL: bool = false;
    fn all() -> &'static [Self];
    fn as_str(self) -> &'static str;
}

/// An enum of codes with `ALL`, `as_str` and `parse`; the attributes given go on the enum
/// (the stored lists add diesel's derives).
macro_rules! code_enum {
    (
        $(#[$attr:meta])*
        pub enum $name:ident {
            $($(#[$vdoc:meta])* $variant:ident = $code:literal),+ $(,)?
        }
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            pub const ALL: [Self; [$($code),+].len()] = [$(Self::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $code),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.into_iter().find(|x| x.as_str() == s)
            }
        }
    };
}

pub(crate) use code_enum;

/// Declares an enum stored as its text code: `ALL`, `as_str`, `parse`, and diesel's
/// `ToSql`/`FromSql` for `Text` on every backend whose `str`/`String` have them (both of
/// ours and the multi-backend connection). Reading an unknown code fails the query.
/// `personal` after the table marks a list about a person (see [`StoredCode::PERSONAL`]).
macro_rules! stored_code {
    (
        $(#[$doc:meta])*
        pub enum $name:ident in $table:literal $($personal:ident)? {
            $($(#[$vdoc:meta])* $variant:ident = $code:literal),+ $(,)?
        }
    ) => {
        $crate::domain::code::code_enum! {
            $(#[$doc])*
            #[derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)]
            #[diesel(sql_type = diesel::sql_types::Text)]
            pub enum $name { $($(#[$vdoc])* $variant = $code),+ }
        }

        $crate::domain::code::store_as_code!(
            $name in $table,
            all: $name::ALL,
            to: $name::as_str,
            from: $name::parse
            $(, $personal)?
        );

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use stored_code;

/// Stores an existing enum as its text code in the reference table `$table`: given the
/// list of its values and its functions to and from the code, it gets [`StoredCode`] and
/// diesel's `ToSql`/`FromSql` for `Text` (an unknown code read back is an error). The enum
/// itself derives `AsExpression` and `FromSqlRow` with `#[diesel(sql_type = Text)]`.
macro_rules! store_as_code {
    (
        $name:ident in $table:literal,
        all: $all:expr,
        to: $to:path,
        from: $from:path
        $(, $personal:ident)? $(,)?
    ) => {
        impl $crate::domain::code::StoredCode for $name {
            const TABLE: &'static str = $table;
            $(const PERSONAL: bool = stringify!($personal).len() > 0;)?
            fn all() -> &'static [Self] {
                &$all
            }
            fn as_str(self) -> &'static str {
                $to(self)
            }
        }

        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, DB>>::to_sql(
                    $to(*self),
                    out,
                )
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let raw: String =
                    diesel::deserialize::FromSql::<diesel::sql_types::Text, DB>::from_sql(bytes)?;
                $from(&raw).ok_or_else(|| {
                    let value = if <Self as $crate::domain::code::StoredCode>::PERSONAL {
                        "a stored value".to_owned()
                    } else {
                        format!("{raw:?}")
                    };
                    format!("{value} is not a known {} ({})", stringify!($name), $table).into()
                })
            }
        }
    };
}

pub(crate) use store_as_code;

/// [`stored_code!`] for lists shown to people: each code also names its translation key
/// (`label_key`). Without `in "table"` the list is not stored (an action in a URL, say) and
/// gets no database traits.
macro_rules! choice {
    (
        $(#[$doc:meta])*
        $name:ident {
            $($(#[$vdoc:meta])* $variant:ident => $code:literal, $key:literal),+ $(,)?
        }
    ) => {
        $crate::domain::code::code_enum! {
            $(#[$doc])*
            pub enum $name { $($(#[$vdoc])* $variant = $code),+ }
        }
        $crate::domain::code::choice!(@labels $name { $($variant => $key),+ });
    };
    (
        $(#[$doc:meta])*
        $name:ident in $table:literal $($personal:ident)? {
            $($(#[$vdoc:meta])* $variant:ident => $code:literal, $key:literal),+ $(,)?
        }
    ) => {
        $crate::domain::code::stored_code! {
            $(#[$doc])*
            pub enum $name in $table $($personal)? { $($(#[$vdoc])* $variant = $code),+ }
        }
        $crate::domain::code::choice!(@labels $name { $($variant => $key),+ });
    };
    (@labels $name:ident { $($variant:ident => $key:literal),+ }) => {
        impl $name {
            pub fn label_key(self) -> &'static str {
                match self { $(Self::$variant => $key),+ }
            }
        }
    };
}

pub(crate) use choice;
