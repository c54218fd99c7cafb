//! Values that must never reach a log: their `Debug` hides them.

use std::fmt;

/// A token or a password. Only [`Secret::expose`] gives the value, so a
/// leak has to be written on purpose.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(hidden)")
    }
}

/// A database address, which may carry a user's password.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    pub fn new(url: impl Into<String>) -> Self {
        Self(url.into())
    }

    /// The whole address, password included: for the database driver only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// What comes before the first `:` (`sqlite`, `postgres`).
    pub fn scheme(&self) -> &str {
        self.0.split_once(':').map_or("", |(scheme, _)| scheme)
    }

    /// The address with any user, password and query parameters (which
    /// may carry a password too) replaced by `…`, fit to show.
    pub fn redacted(&self) -> String {
        let Some((scheme, rest)) = self.0.split_once("://") else {
            let private = self.0.contains(['@', '?']);
            return if private { format!("{}:…", self.scheme()) } else { self.0.clone() };
        };
        let (address, query) = match rest.split_once('?') {
            Some((address, _)) => (address, "?…"),
            None => (rest, ""),
        };
        // A password may hold `/` but never an unescaped `@`.
        match address.rsplit_once('@') {
            Some((_, host)) => format!("{scheme}://…@{host}{query}"),
            None => format!("{scheme}://{address}{query}"),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({})", self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_secrets() {
        assert_eq!(format!("{:?}", Secret::new("123:abc")), "Secret(hidden)");
        let url = DatabaseUrl::new("postgres://bot:hunter2@db.local:5432/compagnie");
        let shown = format!("{url:?}");
        assert!(!shown.contains("hunter2") && !shown.contains("bot:"), "{shown}");
        assert_eq!(url.redacted(), "postgres://…@db.local:5432/compagnie");
        let slash = DatabaseUrl::new("postgres://bot:a/b@db.local/x?password=hunter2");
        assert_eq!(slash.redacted(), "postgres://…@db.local/x?…");
    }

    #[test]
    fn addresses_without_credentials_show_whole() {
        for url in ["sqlite://compagnie.db", "sqlite::memory:", "postgres://db.local/x"] {
            assert_eq!(DatabaseUrl::new(url).redacted(), url);
        }
        assert_eq!(DatabaseUrl::new("sqlite::memory:").scheme(), "sqlite");
    }
}
