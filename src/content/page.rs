//! A page as the rest of archbook sees it: [`Page`], its kind-specific
//! [`KindData`], and what its body holds (headings, links, fenced code).
//! References to other pages stay unresolved [`Ref`]s (an id and the span
//! where it was written); `model` resolves them once every page is known.
//! `parse` fills these types from a file; [`ParseOptions`] says how.

use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::Options;

use crate::diagnostic::FileId;
use crate::vocab::{Alphabet, Kind, Letters};

/// A reference to another page's id, as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ref {
    /// The id written.
    pub id: String,
    /// Where it was written.
    pub span: Range<usize>,
}

/// One RACI entry as written on either side.
#[derive(Clone, Debug)]
pub struct RaciEntry {
    /// The other side's id (a role on an activity, an activity on a role).
    pub target: Ref,
    /// The letters.
    pub letters: Letters,
    /// Where the letters were written.
    pub letters_span: Range<usize>,
}

/// The fields a kind adds to a page.
#[derive(Clone, Debug, Default)]
pub enum KindData {
    /// A page with no `kind`.
    #[default]
    Plain,
    /// `kind: layer`.
    Layer {
        /// Stacking order, 1 = bottom.
        level: Option<i64>,
        /// Enclosing layer.
        parent: Option<Ref>,
    },
    /// `kind: component`.
    Component {
        /// The layer it sits on.
        layer: Option<Ref>,
        /// The role that owns it.
        owner: Option<Ref>,
        /// Components it depends on.
        depends_on: Vec<Ref>,
        /// Lifecycle stage (free text: emerging, current, sunset, ...).
        lifecycle: Option<String>,
    },
    /// `kind: role`.
    Role {
        /// The role's motto.
        mantra: Option<String>,
        /// What the role concentrates on.
        focus: Option<String>,
        /// How this role relates to other roles.
        relations: Vec<(Ref, String)>,
        /// Layers the role works on.
        layers: Vec<Ref>,
        /// Activities the role explicitly does not do.
        does_not: Vec<Ref>,
        /// RACI written on the role side (activity id → letters).
        raci: Vec<RaciEntry>,
    },
    /// `kind: activity`.
    Activity {
        /// Grouping in the RACI matrix.
        area: Option<String>,
        /// Layers the activity touches.
        layers: Vec<Ref>,
        /// RACI written on the activity side (role id → letters).
        raci: Vec<RaciEntry>,
    },
    /// `kind: decision` (MADR).
    Decision {
        /// proposed, accepted, rejected, deprecated, superseded.
        status: Option<String>,
        /// YYYY-MM-DD.
        date: Option<String>,
        /// Who decided: role ids or names.
        decision_makers: Vec<Ref>,
        /// Who was consulted.
        consulted: Vec<Ref>,
        /// Who was informed.
        informed: Vec<Ref>,
        /// Decisions this one replaces.
        supersedes: Vec<Ref>,
    },
}

impl KindData {
    /// Every reference the front matter makes: the key it was written
    /// under, the reference, and the kind the target must have. The one list
    /// that validation (`model`), the views and `model.json` all walk.
    pub fn references(&self) -> Vec<(&'static str, &Ref, Kind)> {
        let mut out = Vec::new();
        match self {
            KindData::Plain => {}
            KindData::Layer { parent, .. } => {
                out.extend(parent.iter().map(|r| ("parent", r, Kind::Layer)))
            }
            KindData::Component {
                layer,
                owner,
                depends_on,
                ..
            } => {
                out.extend(layer.iter().map(|r| ("layer", r, Kind::Layer)));
                out.extend(owner.iter().map(|r| ("owner", r, Kind::Role)));
                out.extend(
                    depends_on
                        .iter()
                        .map(|r| ("depends_on", r, Kind::Component)),
                );
            }
            KindData::Role {
                relations,
                layers,
                does_not,
                raci,
                ..
            } => {
                out.extend(relations.iter().map(|(r, _)| ("relations", r, Kind::Role)));
                out.extend(layers.iter().map(|r| ("layers", r, Kind::Layer)));
                out.extend(does_not.iter().map(|r| ("does_not", r, Kind::Activity)));
                out.extend(raci.iter().map(|e| ("raci", &e.target, Kind::Activity)));
            }
            KindData::Activity { layers, raci, .. } => {
                out.extend(layers.iter().map(|r| ("layers", r, Kind::Layer)));
                out.extend(raci.iter().map(|e| ("raci", &e.target, Kind::Role)));
            }
            KindData::Decision {
                decision_makers,
                consulted,
                informed,
                supersedes,
                ..
            } => {
                out.extend(
                    decision_makers
                        .iter()
                        .map(|r| ("decision-makers", r, Kind::Role)),
                );
                out.extend(consulted.iter().map(|r| ("consulted", r, Kind::Role)));
                out.extend(informed.iter().map(|r| ("informed", r, Kind::Role)));
                out.extend(supersedes.iter().map(|r| ("supersedes", r, Kind::Decision)));
            }
        }
        out
    }
}

/// A heading in a page body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The heading's text.
    pub text: String,
    /// The unique anchor id on its page.
    pub anchor: String,
}

/// A link or image in a page body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// The destination as written.
    pub url: String,
    /// Where the link is in the file.
    pub span: Range<usize>,
}

/// One source page, parsed but not yet resolved against the others.
#[derive(Clone, Debug)]
pub struct Page {
    /// The file in [`crate::diagnostic::Sources`].
    pub file: FileId,
    /// Path relative to the source folder, with `/`.
    pub source: String,
    /// Path of the HTML page relative to the output folder.
    pub output: String,
    /// The page title.
    pub title: String,
    /// Whether the title is the page's own (a `# heading`, front matter's
    /// `title`, `{{#title}}`), not made from its file name: `SUMMARY.md`'s
    /// title for the chapter wins over a file name.
    pub titled: bool,
    /// The page id (for model pages, what references name).
    pub id: String,
    /// Where the id was written (or the fence / file start).
    pub id_span: Range<usize>,
    /// The model kind, if any.
    pub kind: Option<Kind>,
    /// Where the kind was written (or the fence / file start): the place
    /// findings about the page as a whole point at.
    pub kind_span: Range<usize>,
    /// One-line summary.
    pub summary: Option<String>,
    /// Free tags.
    pub tags: Vec<String>,
    /// Ordering weight (lower first).
    pub weight: Option<i64>,
    /// Drafts are checked but not published.
    pub draft: bool,
    /// True when the front matter could not be read: the page's model data is
    /// missing, so findings that would only echo that are held back.
    pub broken: bool,
    /// True when `kind` names no kind (`kind: Role`): what the page meant to
    /// declare is unknown, so references to its id are not reported too.
    pub unknown_kind: bool,
    /// Kind-specific fields.
    pub data: KindData,
    // What the body holds is shared (`Arc<[_]>`): a page is copied from
    // one check to the next (`content::load::Parsed`), and on a large
    // handbook copying every heading and link cost more than the check.
    /// Byte offset of the Markdown body in the file.
    pub body_offset: usize,
    /// Headings of the body.
    pub headings: Arc<[Heading]>,
    /// The `id`s (and `<a name>`s) of the raw HTML in the body: link
    /// targets as much as headings (`<a id="old-name"></a>`).
    pub html_anchors: Arc<[String]>,
    /// The ids of the body's `admonish` blocks, in order (those inside
    /// another's body aside): link targets too (`#admonition-data-loss`).
    pub admonitions: Arc<[String]>,
    /// The ids of the body's definition list terms (`<dt>`), in order: as
    /// in mdBook 0.5, made from their text like headings' ids and numbered
    /// with them.
    pub terms: Arc<[String]>,
    /// Links and images of the body (raw HTML `href`s too).
    pub links: Arc<[Link]>,
    /// The whole text with mdBook's `{{#include}}` directives expanded, when
    /// the body has any (rendering uses it; findings point into the file).
    pub expanded: Option<std::sync::Arc<str>>,
    /// The files `{{#include}}` read into the page.
    pub includes: Vec<std::path::PathBuf>,
    /// A chapter `SUMMARY.md` links to that has no file: built from its
    /// title alone (mdBook's `create-missing`).
    pub missing: bool,
    /// The fenced code blocks to highlight (when highlighting is on): the
    /// renderer highlights a batch of pages' blocks ahead of the pages.
    pub fences: Arc<[Fence]>,
    /// The labels of the footnotes the body defines (outside admonitions,
    /// whose bodies may cite them).
    pub footnote_labels: Arc<[String]>,
    /// The body's ```` ```mermaid ```` blocks, drawn at build time.
    pub diagrams: Arc<[Diagram]>,
}

impl Page {
    /// Every id a link may name on the page: its headings' first, then
    /// those of its raw HTML, admonitions and definition terms.
    pub fn anchors(&self) -> impl Iterator<Item = &str> {
        self.headings
            .iter()
            .map(|h| h.anchor.as_str())
            .chain(self.html_anchors.iter().map(String::as_str))
            .chain(self.admonitions.iter().map(String::as_str))
            .chain(self.terms.iter().map(String::as_str))
    }
}

/// A fenced code block of a page body, as the Markdown parser hands it over.
#[derive(Clone, Debug)]
pub struct Fence {
    /// The syntax its language names.
    pub syntax: crate::highlight::Syntax,
    /// The info string (`rust,ignore`, `yaml title="x"`): it may say which
    /// lines are hidden.
    pub info: String,
    /// The code, as written (hidden lines included).
    pub code: String,
    /// Where the fence opens, as a byte offset into the page's file.
    pub at: usize,
}

/// A ```` ```mermaid ```` block of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagram {
    /// Its Mermaid source.
    pub code: String,
    /// Where its first line starts, as a byte offset into the page's file
    /// (inside a list or quote, each later line has the same prefix).
    pub at: usize,
}

/// What reading a page depends on in `book.toml`.
#[derive(Debug, Clone, Copy)]
pub struct ParseOptions<'a> {
    /// The RACI letters allowed (`[archbook] raci`).
    pub alphabet: Alphabet,
    /// Whether code is highlighted (`[archbook] highlight`): only then is a
    /// fence language without a syntax worth a finding.
    pub highlight: bool,
    /// Curly quotes, dashes and ellipses (mdBook's `smart-punctuation`).
    /// Both Markdown passes must agree: it changes heading text, and so
    /// anchors.
    pub smart_punctuation: bool,
    /// An mdBook book (no `[archbook]` table): a fence language archbook
    /// has no syntax for is shown plain without a finding, as mdBook shows
    /// it, unless it looks like a slip of the keys for one it has.
    pub mdbook: bool,
    /// `[preprocessor.admonish]`: how `admonish` blocks are read.
    pub admonish: &'a crate::content::admonition::Settings,
}

impl<'c> ParseOptions<'c> {
    /// What reading a page needs from `config`.
    pub fn of(config: &'c crate::config::Config) -> ParseOptions<'c> {
        ParseOptions {
            alphabet: config.alphabet,
            highlight: config.highlight,
            smart_punctuation: config.smart_punctuation,
            mdbook: !config.archbook,
            admonish: &config.admonish,
        }
    }
}

impl From<Alphabet> for ParseOptions<'static> {
    fn from(alphabet: Alphabet) -> Self {
        ParseOptions {
            alphabet,
            highlight: true,
            smart_punctuation: false,
            mdbook: false,
            admonish: &crate::content::admonition::DEFAULT,
        }
    }
}

/// Markdown options shared with the renderer.
pub fn markdown_options(opts: ParseOptions) -> Options {
    let smart = if opts.smart_punctuation {
        Options::ENABLE_SMART_PUNCTUATION
    } else {
        Options::empty()
    };
    smart
        | Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_GFM
}
