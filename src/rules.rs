//! The named validation rules and their severities.
//!
//! Every finding archbook reports belongs to one [`Rule`]. Its name is what a
//! user writes in `book.toml` to change how seriously it is taken:
//!
//! ```toml
//! [archbook.rules]
//! orphan-component = "off"
//! raci-responsible = "warning"
//! ```
//!
//! Syntax-level problems (unreadable YAML, a file that is not UTF-8, an unsafe id)
//! cannot be relaxed: the model cannot be built around them. [`RuleSet`] holds the
//! configured severities; `config` fills it and `diagnostic` applies it.

use std::collections::HashMap;
use std::fmt;

use serde::Serialize;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Reported; the run still succeeds.
    Warning,
    /// Reported; the run fails (exit 1).
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

macro_rules! rules {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $sev:ident, $fixed:literal; )*) => {
        /// A named check. See the module docs for how to configure it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Rule {
            $( $(#[$doc])* $variant, )*
        }

        impl Rule {
            /// Every rule, in documentation order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            /// The name used in `[archbook.rules]` and in output.
            pub fn name(self) -> &'static str {
                match self { $(Rule::$variant => $name,)* }
            }

            /// The severity when `book.toml` says nothing.
            pub fn default_severity(self) -> Severity {
                match self { $(Rule::$variant => Severity::$sev,)* }
            }

            /// True when the severity cannot be changed (the model cannot be
            /// built around the problem).
            pub fn is_fixed(self) -> bool {
                match self { $(Rule::$variant => $fixed,)* }
            }
        }
    };
}

rules! {
    /// `book.toml` cannot be parsed, or a value in it has the wrong type.
    Config = "config", Error, true;
    /// A key in `book.toml` or `[archbook.rules]` that archbook does not know.
    UnknownConfigKey = "unknown-config-key", Warning, false;
    /// A file that is not valid UTF-8.
    InvalidUtf8 = "invalid-utf8", Error, true;
    /// A file or folder could not be read.
    Unreadable = "unreadable", Error, false;
    /// A read the handbook asks for that leads outside its folder and the
    /// folders `book.toml` names (a symbolic link, an `{{#include}}`, an
    /// `additional-css` entry), into `/proc`, `/sys` or `/dev`, or to a file
    /// that is not a regular file.
    ReadOutside = "read-outside", Error, true;
    /// A page, an included file or the expansion of a page's includes past
    /// archbook's size limits.
    Limit = "limit", Error, true;
    /// A symbolic link that leads back to one of its own ancestors (skipped).
    SymlinkLoop = "symlink-loop", Warning, false;
    /// Front matter that is unterminated or not valid YAML.
    FrontMatter = "front-matter", Error, true;
    /// A key appears twice in the same front-matter mapping.
    DuplicateKey = "duplicate-key", Error, true;
    /// A front-matter value of the wrong type (a list where text is expected, ...).
    WrongType = "wrong-type", Error, false;
    /// A required key is missing (a component without `layer`).
    MissingKey = "missing-key", Error, false;
    /// A `kind` that is not one of layer, component, role, activity, decision.
    UnknownKind = "unknown-kind", Error, true;
    /// A key a model kind does not define (keys under `extra:` or starting with `x-` are free).
    UnknownKey = "unknown-key", Warning, false;
    /// A key that is a slip for one the kind defines (`does-not` for
    /// `does_not`, `owners` for `owner`): what it holds would be lost.
    MisspeltKey = "misspelt-key", Error, false;
    /// An id that is not a safe slug (`../x`, spaces, upper-case letters).
    InvalidId = "invalid-id", Error, true;
    /// Two pages of the model declare the same id.
    DuplicateId = "duplicate-id", Error, true;
    /// The output folder is one archbook must not replace: it holds files no
    /// archbook build wrote, or it is the handbook, its source or the home
    /// folder.
    UnsafeOutput = "unsafe-output", Error, true;
    /// A file name archbook cannot publish: not UTF-8 (no link or address
    /// can name it reliably), or one whose output name is longer than the
    /// 255 bytes file systems allow.
    FileName = "file-name", Error, true;
    /// Two sources would be written to the same output path.
    OutputCollision = "output-collision", Error, true;
    /// `archbook import`: a RACI spreadsheet that cannot be read as one
    /// (a role or activity twice, a letter that is not a RACI letter).
    Import = "import", Error, true;
    /// A folder holds both `README.md` and `index.md`: one is published.
    ReadmeBesideIndex = "readme-beside-index", Warning, false;
    /// A reference to an id that does not exist.
    UnknownReference = "unknown-reference", Error, false;
    /// A reference to an id of the wrong kind (a component where a layer is expected).
    WrongKindReference = "wrong-kind-reference", Error, false;
    /// A RACI letter outside the configured alphabet.
    RaciLetter = "raci-letter", Error, false;
    /// The same role appears twice on one RACI row.
    RaciDuplicateRole = "raci-duplicate-role", Error, true;
    /// An activity with no `A`, or more than one.
    RaciAccountable = "raci-accountable", Error, false;
    /// An activity nobody is `R` for.
    RaciResponsible = "raci-responsible", Error, false;
    /// The role side and the activity side give the same pair different letters.
    RaciConflict = "raci-conflict", Error, false;
    /// A role's `does_not` activity gives that role `R` or `A`.
    DoesNotConflict = "does-not-conflict", Error, false;
    /// An area `[archbook] areas` lists that no activity has.
    UnknownArea = "unknown-area", Warning, false;
    /// A role that is neither `R` nor `A` on any activity.
    RoleWithoutResponsibility = "role-without-responsibility", Warning, false;
    /// `depends_on` between components forms a cycle.
    DependencyCycle = "dependency-cycle", Error, false;
    /// `parent` between layers forms a cycle.
    ParentCycle = "parent-cycle", Error, false;
    /// A layer no component sits on.
    LayerWithoutComponent = "layer-without-component", Warning, false;
    /// A layer no role is accountable (`A`) for through an activity.
    LayerWithoutAccountable = "layer-without-accountable", Warning, false;
    /// A component with no owner that nothing references.
    OrphanComponent = "orphan-component", Warning, false;
    /// A role with no RACI letter, no layer and no reference from another page.
    OrphanRole = "orphan-role", Warning, false;
    /// A decision person that is not a role id (shown as plain text).
    DecisionPerson = "decision-person", Warning, false;
    /// A decision status outside MADR's proposed/accepted/rejected/deprecated/superseded.
    DecisionStatus = "decision-status", Warning, false;
    /// A relative link to a page or file that does not exist.
    BrokenLink = "broken-link", Error, false;
    /// A link to an `#anchor` that the target page does not have.
    BrokenAnchor = "broken-anchor", Error, false;
    /// A link starting with `/`, which breaks when the site is served from a sub-path.
    AbsoluteLink = "absolute-link", Warning, false;
    /// A fenced code block in a language archbook cannot highlight (shown plain).
    UnknownLanguage = "unknown-language", Warning, false;
    /// A fenced code block highlighting gave up on (the grammar loops on a
    /// line, or the block takes far more steps than any grammar needs); it
    /// is shown as plain text.
    Highlight = "highlight", Warning, false;
    /// A ```` ```mermaid ```` block that is not valid Mermaid: it would be
    /// drawn as nothing.
    Mermaid = "mermaid", Error, false;
    /// A ```` ```mermaid ```` block of a diagram type archbook does not
    /// draw: it is left for mermaid.js (`<pre class="mermaid">`).
    MermaidUnsupported = "mermaid-unsupported", Warning, false;
    /// An mdBook `{{#include}}` that cannot be expanded (missing file, anchor or range).
    Include = "include", Error, false;
    /// `SUMMARY.md` is malformed or links to a page that does not exist.
    Summary = "summary", Error, false;
    /// A chapter `SUMMARY.md` links to has no file: it is built as an empty
    /// page (mdBook's `create-missing`).
    MissingChapter = "missing-chapter", Warning, false;
    /// A page that `SUMMARY.md` does not list (it is still built).
    NotInSummary = "not-in-summary", Warning, false;
    /// A theme template failed to compile or render.
    Template = "template", Error, true;
    /// An `[output.html.redirect]` entry that cannot work (a redirect away
    /// from a page that exists, a path outside the site).
    Redirect = "redirect", Error, false;
    /// An mdBook `[preprocessor.*]` that archbook does not run (all but `links` and `index`).
    PreprocessorNotRun = "preprocessor-not-run", Warning, false;
}

impl Rule {
    /// Looks a rule up by its configured name.
    pub fn from_name(name: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.name() == name)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Severities chosen in `[archbook.rules]`; `None` means the rule is off.
#[derive(Clone, Debug, Default)]
pub struct RuleSet {
    overrides: HashMap<Rule, Option<Severity>>,
}

impl RuleSet {
    /// Sets a rule's severity (`None` = off). Fixed rules ignore this.
    pub fn set(&mut self, rule: Rule, severity: Option<Severity>) {
        if !rule.is_fixed() {
            self.overrides.insert(rule, severity);
        }
    }

    /// The severity a finding of `rule` gets, or `None` when it is off.
    pub fn severity(&self, rule: Rule) -> Option<Severity> {
        match self.overrides.get(&rule) {
            Some(s) => *s,
            None => Some(rule.default_severity()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for r in Rule::ALL {
            assert_eq!(Rule::from_name(r.name()), Some(*r));
            assert!(seen.insert(r.name()), "duplicate name {}", r.name());
            assert!(
                r.name()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-' || b.is_ascii_digit()),
                "{} is not kebab-case",
                r.name()
            );
        }
    }

    #[test]
    fn every_rule_is_documented_in_the_guide() {
        let guide = include_str!("../guide/src/rules.md");
        for r in Rule::ALL {
            let row = format!("| `{}` | {}", r.name(), r.default_severity());
            assert!(
                guide.contains(&row),
                "guide/src/rules.md lacks a row starting `{row}`"
            );
            let fixed = guide
                .lines()
                .find(|l| l.starts_with(&format!("| `{}` |", r.name())))
                .is_some_and(|l| l.contains(", fixed |"));
            assert_eq!(
                fixed,
                r.is_fixed(),
                "guide and code disagree on whether `{}` is fixed",
                r.name()
            );
        }
    }

    #[test]
    fn fixed_rules_cannot_be_relaxed() {
        let mut set = RuleSet::default();
        set.set(Rule::FrontMatter, None);
        set.set(Rule::BrokenLink, Some(Severity::Warning));
        assert_eq!(set.severity(Rule::FrontMatter), Some(Severity::Error));
        assert_eq!(set.severity(Rule::BrokenLink), Some(Severity::Warning));
    }
}
