//! Which database the server keeps its data in, chosen by URL: `sqlite:PATH` (one file,
//! the default being `server.db` in the data folder) or `postgres://...` (a PostgreSQL
//! database that several instances of the server may share).

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use crate::postgres::PostgresStorage;
use crate::sqlite::{SqliteStorage, DATABASE_FILE};
use crate::storage::{Coordination, Result, Storage};

/// Why a database URL was refused, in Spanish, saying what is accepted.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadDatabaseUrl(String);

/// An opened database, and what instances sharing it coordinate through.
pub type Opened = (Arc<dyn Storage>, Option<Arc<dyn Coordination>>);

/// A database to open.
#[derive(Clone, Debug)]
pub enum Database {
    /// The SQLite file at this path.
    Sqlite(PathBuf),
    /// The PostgreSQL database this configuration names (boxed: it is large, and
    /// SQLite is the common case).
    Postgres(Box<tokio_postgres::Config>),
}

impl Database {
    /// The SQLite database of the data folder `dir`: what the server uses unless told.
    pub fn in_data_dir(dir: &Path) -> Database {
        Database::Sqlite(dir.join(DATABASE_FILE))
    }

    /// Reads `sqlite:PATH`, `postgres://...` or `postgresql://...`.
    pub fn parse(url: &str) -> std::result::Result<Database, BadDatabaseUrl> {
        if let Some(path) = url.strip_prefix("sqlite:").filter(|p| !p.is_empty()) {
            return Ok(Database::Sqlite(PathBuf::from(path)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return tokio_postgres::Config::from_str(url)
                .map(|config| Database::Postgres(Box::new(config)))
                .map_err(|e| {
                    BadDatabaseUrl(format!("la URL de PostgreSQL no es válida ({e}); por ejemplo: postgres://ventanilla@127.0.0.1:5432/ventanilla"))
                });
        }
        Err(BadDatabaseUrl(
            "usa sqlite:RUTA (un archivo SQLite) o postgres://USUARIO@SERVIDOR:PUERTO/BASE"
                .to_owned(),
        ))
    }

    /// Opens it, migrating its schema forward.
    pub fn open(&self) -> Result<Arc<dyn Storage>> {
        Ok(self.open_shared()?.0)
    }

    /// Opens it, with what instances sharing it coordinate through (`None` on SQLite).
    pub fn open_shared(&self) -> Result<Opened> {
        Ok(match self {
            Database::Sqlite(path) => (Arc::new(SqliteStorage::open_file(path)?), None),
            Database::Postgres(config) => {
                let postgres = Arc::new(PostgresStorage::open(config.as_ref().clone())?);
                (postgres.clone(), Some(postgres))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_the_backend_and_anything_else_is_refused() {
        assert!(matches!(
            Database::parse("sqlite:/var/lib/ventanilla/server.db"),
            Ok(Database::Sqlite(path)) if path == Path::new("/var/lib/ventanilla/server.db")
        ));
        let Ok(Database::Postgres(config)) =
            Database::parse("postgresql://ventanilla@127.0.0.1:5433/alcaldia")
        else {
            panic!("a postgres URL");
        };
        assert_eq!(config.get_dbname(), Some("alcaldia"));
        assert_eq!(config.get_user(), Some("ventanilla"));
        for wrong in [
            "",
            "sqlite:",
            "mysql://x/y",
            "server.db",
            "postgres://x:notaport/y",
        ] {
            assert!(Database::parse(wrong).is_err(), "{wrong:?}");
        }
    }
}
