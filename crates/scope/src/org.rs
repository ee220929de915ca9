//! The organisation tree: a company is a root, every other org has one parent.

use std::collections::HashMap;

use crate::ClosingDay;

/// An org's key: the ERP's own department id.
pub type OrgId = i64;

#[derive(Debug, Clone, Copy)]
struct Node {
    parent: Option<OrgId>,
    closing: ClosingDay,
}

/// Parent links and each company's closing day.
///
/// The tree may be partial (only the chains the adapter loaded); walking up
/// stops at an org whose parent is unknown, which is then treated as a root.
#[derive(Debug, Clone, Default)]
pub struct OrgTree {
    nodes: HashMap<OrgId, Node>,
}

impl OrgTree {
    /// An empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds or replaces an org. `closing` matters only on a root (a company).
    pub fn insert(&mut self, org: OrgId, parent: Option<OrgId>, closing: ClosingDay) {
        self.nodes.insert(org, Node { parent, closing });
    }

    /// Is the org in the tree (loaded)?
    pub fn contains(&self, org: OrgId) -> bool {
        self.nodes.contains_key(&org)
    }

    /// The org itself, then its parent, up to its company.
    ///
    /// Bounded by the number of orgs, so a cycle in bad input cannot hang it
    /// (the database refuses cycles; this guards the pure API).
    pub fn ancestors_or_self(&self, org: OrgId) -> impl Iterator<Item = OrgId> + '_ {
        let limit = self.nodes.len() + 1;
        std::iter::successors(Some(org), move |o| self.nodes.get(o).and_then(|n| n.parent)).take(limit)
    }

    /// The company (root) an org belongs to.
    pub fn company_of(&self, org: OrgId) -> OrgId {
        self.ancestors_or_self(org).last().unwrap_or(org)
    }

    /// The closing day of the org's company.
    pub fn closing_of(&self, org: OrgId) -> ClosingDay {
        self.nodes.get(&self.company_of(org)).map(|n| n.closing).unwrap_or_default()
    }

    /// Is `org` one of `roots` or below one of them?
    pub fn is_within(&self, org: OrgId, roots: &[OrgId]) -> bool {
        self.ancestors_or_self(org).any(|a| roots.contains(&a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_up_to_the_company() {
        let mut t = OrgTree::new();
        t.insert(1, None, ClosingDay::new(Some(25)).unwrap());
        t.insert(10, Some(1), ClosingDay::MONTH_END);
        t.insert(11, Some(10), ClosingDay::MONTH_END);
        assert_eq!(t.ancestors_or_self(11).collect::<Vec<_>>(), vec![11, 10, 1]);
        assert_eq!(t.company_of(11), 1);
        assert_eq!(t.closing_of(11).day(), Some(25));
        assert!(t.is_within(11, &[10]));
        assert!(!t.is_within(10, &[11]));
    }

    #[test]
    fn a_cycle_in_bad_input_terminates() {
        let mut t = OrgTree::new();
        t.insert(1, Some(2), ClosingDay::MONTH_END);
        t.insert(2, Some(1), ClosingDay::MONTH_END);
        assert!(t.ancestors_or_self(1).count() <= 3);
        assert!(!t.is_within(1, &[3]));
    }
}
