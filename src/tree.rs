//! Which org tree the installed SQL has. From release 0.4.0 the tree is
//! effective-dated (`org_tree`, sql/tree.sql). A new library can run under an
//! older release's SQL until `ALTER EXTENSION attendance UPDATE` has run;
//! then the queries read the undated tree (`org.path`) as that release did,
//! rather than fail on a table that is not there yet.

use pgrx::spi::SpiClient;

use crate::plans::with_plan;

const HAS_ORG_TREE: &str = "SELECT to_regclass('attendance.org_tree') IS NOT NULL";

/// Does the installed SQL keep the tree of every day?
pub fn is_dated(client: &SpiClient<'_>) -> bool {
    with_plan(client, HAS_ORG_TREE, &[], |plan| {
        client
            .select(plan, Some(1), &[])
            .and_then(|rows| rows.first().get_one::<bool>())
            .unwrap_or_else(|e| crate::errors::spi(e))
            .unwrap_or(false)
    })
}

/// The query for the installed release: `dated` reads `org_tree`, `undated` `org.path`.
pub fn pick(client: &SpiClient<'_>, dated: &'static str, undated: &'static str) -> &'static str {
    if is_dated(client) {
        dated
    } else {
        undated
    }
}
