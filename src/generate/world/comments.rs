//! Comments, as `mock/comment_properties.rs` serves their properties: who may see a comment and
//! who may edit it (and so write its properties), as the documentation states the rules,
//! applied to the fixtures' comments and the projects' *Edit all comments* and *Edit own
//! comments* grants. The entity-property families address comments through these rules
//! (`fill` names a comment by them; the permission matrix expects by them).

use super::view::WorldView;
use crate::fixtures::{Comment, Principal};

impl<'a> WorldView<'a> {
    /// The comment's issue is visible (*Browse projects*, issue security) and its restriction,
    /// if any, admits `p` (a member of its group, a holder of its role in the project).
    pub fn sees_comment(&self, p: &Principal, c: &Comment) -> bool {
        let Some(issue) = self.issue(&c.issue) else {
            return false;
        };
        self.sees_issue(p, issue) && self.admits(p, &issue.project, c.visibility.as_ref())
    }

    /// `p` sees the comment and holds *Edit all comments* in its project, or *Edit own
    /// comments* there and wrote it.
    pub fn edits_comment(&self, p: &Principal, c: &Comment) -> bool {
        let Some(project) = self
            .issue(&c.issue)
            .and_then(|i| self.fixtures().world.project(&i.project))
        else {
            return false;
        };
        self.sees_comment(p, c)
            && (project.edit_all_comments.contains(&p.name)
                || (c.author == p.name && project.edits_own_comments(&p.name)))
    }

    /// The comment `p` is to act on: the first it may edit, else the first it may see.
    pub fn comment_for(&self, p: &Principal) -> Option<&'a Comment> {
        let comments = &self.fixtures().world.comments;
        comments
            .iter()
            .find(|c| self.edits_comment(p, c))
            .or_else(|| comments.iter().find(|c| self.sees_comment(p, c)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::Fixtures;

    #[test]
    fn the_embedded_world_grants_comment_edits_as_the_fixtures_say() {
        let fixtures = Fixtures::embedded().unwrap();
        let view = WorldView::new(&fixtures);
        let principal = |name: &str| fixtures.principals.iter().find(|p| p.name == name).unwrap();
        let comment = |label: &str| {
            fixtures
                .world
                .comments
                .iter()
                .find(|c| c.label == label)
                .unwrap()
        };
        let (admin, alice, bob) = (principal("admin"), principal("alice"), principal("bob"));
        // alice edits her own; bob may not edit even his own; the admin edits all.
        assert!(view.edits_comment(alice, comment("alice")));
        assert!(!view.edits_comment(alice, comment("bob")));
        assert!(!view.edits_comment(bob, comment("bob")));
        assert!(view.edits_comment(admin, comment("bob")));
        // The restricted comment is hidden from those outside its group.
        assert!(view.sees_comment(admin, comment("admins_only")));
        assert!(!view.sees_comment(alice, comment("admins_only")));
        assert!(!view.sees_comment(bob, comment("admins_only")));
        assert_eq!(
            view.comment_for(alice).map(|c| c.label.as_str()),
            Some("alice")
        );
    }
}
