//! Users and roles. Sign-up, login and staff administration build on this.

pub mod admin;
pub mod directory;
pub mod external;
mod identity;
pub mod invitation;
pub mod login_throttle;
mod model;
pub mod own_data;
mod password;
pub mod routes;
pub mod sessions;
pub mod sso;
pub mod throttle;
pub mod tokens;

pub use identity::load_identity;
pub use model::{
    NewUser, User, create_user, find_by_email, find_by_id, load_session_user, mark_email_verified,
    record_login, replace_hash, roles_of, set_confirmed_email, set_own_profile, set_password,
};
pub use password::{
    MIN_PASSWORD_LEN, PasswordError, check_password_policy, dummy_hash, hash_password,
    needs_rehash, verify_password,
};
pub use sessions::identify;
// The ids of the tables this module owns; the types live in `domain::ids`.
pub use crate::domain::ids::{SessionId, UserId};
