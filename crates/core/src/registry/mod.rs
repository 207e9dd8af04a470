//! The registry (R1–R3): authorities, units, their sites, zones, checkpoints, devices and
//! guards. Each entity has its stored form, a raw *draft* as a form or API client sends it,
//! and a validated *input* parsed from the draft.

pub mod authority;
pub mod checkpoint;
pub mod device;
pub mod gaps;
pub mod guard;
pub mod site;
pub mod unit;
pub mod zone;

pub use authority::*;
pub use checkpoint::*;
pub use device::*;
pub use guard::*;
pub use site::*;
pub use unit::*;
pub use zone::*;

/// Defines a closed set of codes with a stable snake_case text form (stored in the database,
/// sent by forms and the API).
macro_rules! code_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $code:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name { $($variant),* }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The stable text form.
            #[must_use]
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }

            /// Parses the text form.
            #[must_use]
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)* _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}
pub(crate) use code_enum;

/// Reads a JSON string, number, boolean or null as the raw text a form would have sent, so one
/// draft type serves both HTML forms and the JSON API.
pub mod lenient {
    use serde::{Deserialize, Deserializer};

    pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            S(String),
            I(i64),
            F(f64),
            B(bool),
        }
        Ok(match Option::<Raw>::deserialize(d)? {
            None => String::new(),
            Some(Raw::S(s)) => s,
            Some(Raw::I(i)) => i.to_string(),
            Some(Raw::F(f)) => f.to_string(),
            Some(Raw::B(b)) => {
                if b {
                    "on".into()
                } else {
                    String::new()
                }
            }
        })
    }
}

/// Whether a checkbox-like raw value means "yes".
#[must_use]
pub fn truthy(raw: &str) -> bool {
    matches!(raw.trim(), "on" | "true" | "1" | "yes" | "co" | "có")
}
