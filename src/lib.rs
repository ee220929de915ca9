//! `attendance`: the PostgreSQL adapter. It loads rows with SPI and calls the
//! pure crates (`attendance-scope`, later `attendance-rules`), which decide.
//! The extension's tables, types and SQL-level functions live in `sql/`.

use pgrx::prelude::*;

mod dates;
mod errors;
mod plans;
mod scope;

pgrx::pg_module_magic!();

extension_sql_file!("../sql/schema.sql", name = "schema", bootstrap);
extension_sql_file!("../sql/scope.sql", name = "scope", finalize);
