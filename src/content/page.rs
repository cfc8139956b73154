//! One Markdown file turned into a [`Page`]: front matter read into typed,
//! located fields, plus the title, headings and links of its body.
//!
//! Parsing is per file and needs nothing from other files, so `load` runs it in
//! parallel. References to other pages stay unresolved [`Ref`]s (an id and the
//! span where it was written); `model` resolves them once every page is known.
//! Findings go into the returned list; a page is produced even when its front
//! matter is broken, so its links and body are still checked.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use crate::config::Alphabet;
use crate::content::frontmatter::{self, FrontMatter, Value, describe};
use crate::diagnostic::{Diagnostic, FileId, did_you_mean};
use crate::highlight::{self, Language};
use crate::rules::Rule;
use crate::slug;

/// The model kinds a page can declare with `kind:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A layer of the stack (physical, platform, cloud, ...).
    Layer,
    /// A building block sitting on a layer.
    Component,
    /// A role people hold.
    Role,
    /// A piece of work with a RACI row.
    Activity,
    /// An architecture decision record (MADR).
    Decision,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 5] = [
        Kind::Layer,
        Kind::Component,
        Kind::Role,
        Kind::Activity,
        Kind::Decision,
    ];

    /// The name written in front matter.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Layer => "layer",
            Kind::Component => "component",
            Kind::Role => "role",
            Kind::Activity => "activity",
            Kind::Decision => "decision",
        }
    }

    /// The name with its indefinite article (`an activity`).
    pub fn with_article(self) -> &'static str {
        match self {
            Kind::Layer => "a layer",
            Kind::Component => "a component",
            Kind::Role => "a role",
            Kind::Activity => "an activity",
            Kind::Decision => "a decision",
        }
    }

    fn from_name(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == s)
    }

    /// Keys this kind defines beyond the common ones.
    fn keys(self) -> &'static [&'static str] {
        match self {
            Kind::Layer => &["level", "parent"],
            Kind::Component => &["layer", "owner", "depends_on", "lifecycle"],
            Kind::Role => &["mantra", "focus", "relations", "layers", "does_not", "raci"],
            Kind::Activity => &["area", "layers", "raci"],
            Kind::Decision => &[
                "status",
                "date",
                "decision-makers",
                "deciders",
                "consulted",
                "informed",
                "supersedes",
            ],
        }
    }
}

/// Keys every page may have.
const COMMON_KEYS: &[&str] = &[
    "title",
    "id",
    "kind",
    "summary",
    "tags",
    "weight",
    "draft",
    "extra",
    "template",
    "nav_order",
];

/// A reference to another page's id, as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ref {
    /// The id written.
    pub id: String,
    /// Where it was written.
    pub span: Range<usize>,
}

/// A set of RACI letters (`A/R` is Accountable and Responsible).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Letters(u8);

impl Letters {
    /// Responsible.
    pub const R: Letters = Letters(1);
    /// Accountable.
    pub const A: Letters = Letters(2);
    /// Supportive (RASCI only).
    pub const S: Letters = Letters(4);
    /// Consulted.
    pub const C: Letters = Letters(8);
    /// Informed.
    pub const I: Letters = Letters(16);

    const ORDER: [(char, Letters); 5] = [
        ('A', Letters::A),
        ('R', Letters::R),
        ('S', Letters::S),
        ('C', Letters::C),
        ('I', Letters::I),
    ];

    /// True when every letter of `other` is in `self`.
    pub fn contains(self, other: Letters) -> bool {
        self.0 & other.0 == other.0
    }

    /// True when no letter is set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The union of two sets.
    pub fn union(self, other: Letters) -> Letters {
        Letters(self.0 | other.0)
    }

    /// Parses `A/R`, `R`, `AR`, `a, r`. Returns the letters, or the first
    /// character that is not a letter of `alphabet`.
    pub fn parse(text: &str, alphabet: Alphabet) -> Result<Letters, char> {
        let mut set = Letters::default();
        for c in text.chars() {
            if matches!(c, '/' | ',' | '+' | '&' | ' ') {
                continue;
            }
            let up = c.to_ascii_uppercase();
            if !alphabet.letters().contains(up) {
                return Err(c);
            }
            let (_, l) = Letters::ORDER
                .iter()
                .find(|(ch, _)| *ch == up)
                .copied()
                .ok_or(c)?;
            set = set.union(l);
        }
        if set.is_empty() { Err(' ') } else { Ok(set) }
    }
}

impl std::fmt::Display for Letters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut first = true;
        for (c, l) in Letters::ORDER {
            if self.contains(l) {
                if !first {
                    f.write_str("/")?;
                }
                write!(f, "{c}")?;
                first = false;
            }
        }
        Ok(())
    }
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
    /// Kind-specific fields.
    pub data: KindData,
    /// Byte offset of the Markdown body in the file.
    pub body_offset: usize,
    /// Headings of the body.
    pub headings: Vec<Heading>,
    /// The `id`s (and `<a name>`s) of the raw HTML in the body: link
    /// targets as much as headings (`<a id="old-name"></a>`).
    pub html_anchors: Vec<String>,
    /// The ids of the body's `admonish` blocks, in order (those inside
    /// another's body aside): link targets too (`#admonition-data-loss`).
    pub admonitions: Vec<String>,
    /// The ids of the body's definition list terms (`<dt>`), in order: as
    /// in mdBook 0.5, made from their text like headings' ids and numbered
    /// with them.
    pub terms: Vec<String>,
    /// Links and images of the body (raw HTML `href`s too).
    pub links: Vec<Link>,
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
    pub fences: Vec<Fence>,
    /// The labels of the footnotes the body defines (outside admonitions,
    /// whose bodies may cite them).
    pub footnote_labels: Vec<String>,
}

/// A fenced code block of a page body, as the Markdown parser hands it over.
#[derive(Clone, Debug)]
pub struct Fence {
    /// The syntax its language names.
    pub syntax: &'static syntect::parsing::SyntaxReference,
    /// The info string (`rust,ignore`, `yaml title="x"`): it may say which
    /// lines are hidden.
    pub info: String,
    /// The code, as written (hidden lines included).
    pub code: String,
    /// Where the fence opens, as a byte offset into the page's file.
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

/// Parses one file. `source` is its path relative to the source folder.
pub fn parse<'o>(
    file: FileId,
    source: &str,
    text: &str,
    opts: impl Into<ParseOptions<'o>>,
) -> (Page, Vec<Diagnostic>) {
    let opts: ParseOptions<'o> = opts.into();
    let alphabet = opts.alphabet;
    let mut found = Vec::new();
    let mut broken = false;
    let (fm, body, body_offset) = match frontmatter::split(text) {
        Ok(split) => {
            let fm = match FrontMatter::parse(&split) {
                Ok(fm) => fm,
                Err(e) => {
                    let rule = match (&e.related, e.parent.as_slice()) {
                        (Some(_), [key]) if key == "raci" => Rule::RaciDuplicateRole,
                        (Some(_), _) => Rule::DuplicateKey,
                        (None, _) => Rule::FrontMatter,
                    };
                    let mut d = Diagnostic::new(rule, e.message)
                        .at(file, e.span, "here")
                        .help(e.help);
                    if let Some(r) = e.related {
                        d = d.also(file, r, "first written here");
                    }
                    found.push(d);
                    broken = true;
                    None
                }
            };
            (fm, split.body, split.body_offset)
        }
        Err(e) => {
            found.push(
                Diagnostic::new(Rule::FrontMatter, e.message)
                    .at(file, e.span, "opened here")
                    .help(e.help),
            );
            broken = true;
            (None, "", text.len())
        }
    };

    let scan = scan_body(body, body_offset, opts);
    for (lang, span) in scan.unknown_fences {
        let near = highlight::suggest(&lang);
        if opts.mdbook && near.is_none() {
            // `grammar`, `abnf`: names of the book's own, shown plain.
            continue;
        }
        let help = match near {
            Some(near) => format!("did you mean `{near}`? (or `text` for no highlighting)"),
            None => "use a language such as rust, python, yaml, toml, bash, json, sql or hcl; or `text` for none".to_string(),
        };
        found.push(
            Diagnostic::new(
                Rule::UnknownLanguage,
                format!("no syntax highlighting for language `{lang}`"),
            )
            .at(file, span, "shown as plain text")
            .help(help),
        );
    }
    let stem = default_stem(source);
    let mut page = Page {
        file,
        source: source.to_string(),
        output: slug::output_path(source),
        title: String::new(),
        titled: false,
        id: slug::slugify(stem),
        id_span: 0..0,
        kind: None,
        kind_span: 0..0,
        summary: None,
        tags: Vec::new(),
        weight: None,
        draft: false,
        broken,
        data: KindData::Plain,
        body_offset,
        headings: scan.headings,
        html_anchors: scan.html_anchors,
        admonitions: scan.admonitions,
        terms: scan.terms,
        links: scan.links,
        expanded: None,
        includes: Vec::new(),
        missing: false,
        fences: scan.fences,
        footnote_labels: scan.footnote_labels,
    };
    if let Some(fm) = &fm {
        page.id_span = fm.fence.clone();
        let mut f = Fields {
            fm,
            file,
            found: &mut found,
        };
        f.read_common(&mut page);
        if let Some(kind) = page.kind {
            f.check_keys(kind);
            page.data = f.read_kind(kind, alphabet);
        }
    }
    page.titled = !page.title.is_empty() || scan.h1.is_some();
    if page.title.is_empty() {
        page.title = scan.h1.unwrap_or_else(|| stem.to_string());
    }
    (page, found)
}

/// The stem an id defaults to: the file stem, or the folder name for
/// `README.md` / `index.md`.
fn default_stem(source: &str) -> &str {
    let mut parts = source.rsplit('/');
    let file = parts.next().unwrap_or(source);
    let stem = file.strip_suffix(".md").unwrap_or(file);
    if stem.eq_ignore_ascii_case("readme") || stem == "index" {
        parts.next().unwrap_or("index")
    } else {
        stem
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

/// What a body scan finds.
struct BodyScan {
    headings: Vec<Heading>,
    html_anchors: Vec<String>,
    admonitions: Vec<String>,
    terms: Vec<String>,
    links: Vec<Link>,
    /// The text of the first `# heading`.
    h1: Option<String>,
    /// Fence languages without a syntax, and where they are written.
    unknown_fences: Vec<(String, Range<usize>)>,
    /// Fenced code in languages that have one.
    fences: Vec<Fence>,
    /// The labels of footnote definitions.
    footnote_labels: Vec<String>,
}

/// Collects headings (with unique anchors), links, the first `# heading`, and
/// (when highlighting) code fences: those to highlight, and those in
/// languages that cannot be highlighted.
fn scan_body(body: &str, offset: usize, opts: ParseOptions) -> BodyScan {
    let highlight = opts.highlight;
    let mut unknown_fences = Vec::new();
    let mut fences = Vec::new();
    let mut footnote_labels = Vec::new();
    // The fence being read, when its language has a syntax.
    let mut fence: Option<Fence> = None;
    let mut headings = Vec::new();
    let mut html_anchors = Vec::new();
    let mut admonitions = Vec::new();
    let mut terms = Vec::new();
    let mut admonition_ids = slug::Unique::default();
    let mut links = Vec::new();
    let mut h1 = None;
    let mut taken = slug::Unique::default();
    let mut current: Option<(u8, Option<String>, String)> = None;
    // An `admonish` block's Markdown, and where each piece of it sits in `body`.
    let mut admonition: Option<(String, Vec<(usize, usize)>)> = None;
    let mut events = Parser::new_ext(body, markdown_options(opts)).into_offset_iter();
    while let Some((event, range)) = events.next() {
        match event {
            Event::Text(t) if admonition.is_some() => {
                if let Some((text, pieces)) = admonition.as_mut() {
                    pieces.push((text.len(), range.start));
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) if admonition.is_some() => {
                if let Some((text, pieces)) = admonition.take() {
                    // With the page's link definitions the body uses (what
                    // follows the body itself maps nowhere, and holds no links).
                    let (text, _) = crate::content::admonition::body_text(
                        &text,
                        body,
                        events.reference_definitions(),
                        &[],
                    );
                    admonition_links(&text, &pieces, offset, opts, &mut links);
                }
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if crate::content::admonition::is_block(&info) =>
            {
                if let Some(a) = crate::content::admonition::parse(&info, opts.admonish) {
                    admonitions.push(match a.anchor_base(opts.admonish) {
                        Ok(id) => id,
                        Err(base) => admonition_ids.make(base),
                    });
                    // Links in the title (Markdown, too) are found at the
                    // fence's first line.
                    if let Some(title) = a.title.as_deref().filter(|t| t.contains('[')) {
                        let start = offset + range.start;
                        let end = body[range.start..]
                            .find('\n')
                            .map_or(offset + range.end, |i| start + i);
                        for (event, _) in
                            Parser::new_ext(title, markdown_options(opts)).into_offset_iter()
                        {
                            if let Event::Start(Tag::Link {
                                link_type,
                                dest_url,
                                ..
                            }) = event
                                && link_type != LinkType::Email
                            {
                                links.push(Link {
                                    url: dest_url.to_string(),
                                    span: start..end,
                                });
                            }
                        }
                    }
                }
                admonition = Some((String::new(), Vec::new()));
            }
            Event::Text(t) if fence.is_some() => {
                if let Some(f) = fence.as_mut() {
                    f.code.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => fences.extend(fence.take()),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                footnote_labels.push(label.into_string());
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                current = Some((
                    heading_level(level),
                    id.map(|s| s.to_string()),
                    String::new(),
                ));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, id, text)) = current.take() {
                    let text = text.trim().to_string();
                    if level == 1 && h1.is_none() && !text.is_empty() {
                        h1 = Some(text.clone());
                    }
                    // As mdBook 0.5: an id written on the heading
                    // (`{#custom}`) is kept as it is and takes no part in
                    // numbering the others.
                    let anchor = match id {
                        Some(id) => id,
                        None => taken.make(slug::anchor(&text)),
                    };
                    headings.push(Heading {
                        level,
                        text,
                        anchor,
                    });
                }
            }
            // A term (level 0 here) takes an id as a heading does.
            Event::Start(Tag::DefinitionListTitle) => current = Some((0, None, String::new())),
            Event::End(TagEnd::DefinitionListTitle) => {
                if let Some((_, _, text)) = current.take() {
                    terms.push(taken.make(slug::anchor(&text)));
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, text)) = current.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if highlight => {
                match highlight::language(&info) {
                    Language::Unknown => {
                        let lang = highlight::fence_token(&info);
                        let start = offset + range.start;
                        let line_end = body[range.start..]
                            .find('\n')
                            .map_or(offset + range.end, |i| start + i);
                        unknown_fences.push((lang.to_string(), start..line_end));
                    }
                    Language::Known(syntax) => {
                        fence = Some(Fence {
                            syntax,
                            info: info.to_string(),
                            code: String::new(),
                            at: offset + range.start,
                        })
                    }
                    Language::Plain => {}
                }
            }
            // `<someone@example.org>` is an e-mail address, not a path.
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                ..
            }) => {}
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                links.push(Link {
                    url: dest_url.to_string(),
                    span: offset + range.start..offset + range.end,
                });
            }
            // `<a id="old-name"></a>` is a link target; `<a href="b.md#x">`
            // a link, checked like a Markdown one.
            Event::Html(html) | Event::InlineHtml(html) => {
                for attr in crate::content::rawhtml::attrs(&html) {
                    match attr.name.as_str() {
                        "id" | "name" if !attr.value.is_empty() => {
                            html_anchors.push(attr.value.to_string())
                        }
                        "href" => links.push(Link {
                            url: attr.value.to_string(),
                            span: offset + range.start..offset + range.end,
                        }),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    BodyScan {
        headings,
        html_anchors,
        admonitions,
        terms,
        links,
        h1,
        unknown_fences,
        fences,
        footnote_labels,
    }
}

/// The links of an admonition's Markdown `text`, located in the page:
/// `pieces` says where each part of `text` starts in the body.
fn admonition_links(
    text: &str,
    pieces: &[(usize, usize)],
    offset: usize,
    opts: ParseOptions,
    links: &mut Vec<Link>,
) {
    let at = |i: usize| {
        let k = pieces
            .partition_point(|(start, _)| *start <= i)
            .saturating_sub(1);
        pieces
            .get(k)
            .map_or(0, |(start, in_body)| in_body + (i - start))
            + offset
    };
    for (event, range) in Parser::new_ext(text, markdown_options(opts)).into_offset_iter() {
        match event {
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                ..
            }) => {}
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => links.push(Link {
                url: dest_url.to_string(),
                span: at(range.start)..at(range.end.saturating_sub(1)) + 1,
            }),
            _ => {}
        }
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Reads typed values out of front matter, reporting type errors where they are.
struct Fields<'a> {
    fm: &'a FrontMatter,
    file: FileId,
    found: &'a mut Vec<Diagnostic>,
}

impl<'a> Fields<'a> {
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.fm.map.get(key).filter(|v| !v.is_null())
    }

    fn wrong_type(&mut self, path: &[&str], want: &str, got: &Value, example: &str) {
        let key = path.join(".");
        self.found.push(
            Diagnostic::new(Rule::WrongType, format!("`{key}` must be {want}"))
                .at(
                    self.file,
                    self.fm.value_span(path),
                    format!("found {}", describe(got)),
                )
                .help(format!("write it as {example}")),
        );
    }

    /// Text; numbers and booleans are taken as their text.
    fn text(&mut self, key: &str) -> Option<String> {
        let v = self.get(key)?;
        match scalar_text(v) {
            Some(s) => Some(s),
            None => {
                let v = v.clone();
                self.wrong_type(&[key], "text", &v, &format!("`{key}: some text`"));
                None
            }
        }
    }

    fn int(&mut self, key: &str) -> Option<i64> {
        let v = self.get(key)?;
        match v.as_i64() {
            Some(i) => Some(i),
            None => {
                let v = v.clone();
                self.wrong_type(&[key], "a whole number", &v, &format!("`{key}: 3`"));
                None
            }
        }
    }

    fn boolean(&mut self, key: &str) -> bool {
        let Some(v) = self.get(key) else { return false };
        match v.as_bool() {
            Some(b) => b,
            None => {
                let v = v.clone();
                self.wrong_type(&[key], "true or false", &v, &format!("`{key}: true`"));
                false
            }
        }
    }

    fn texts(&mut self, key: &str) -> Vec<String> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        match v {
            Value::Sequence(items) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    match scalar_text(item) {
                        Some(s) => out.push(s),
                        None => {
                            let item = item.clone();
                            let idx = i.to_string();
                            self.wrong_type(
                                &[key, &idx],
                                "text",
                                &item,
                                "a plain word or quoted text",
                            );
                        }
                    }
                }
                out
            }
            other => match scalar_text(other) {
                Some(s) => vec![s],
                None => {
                    let v = other.clone();
                    self.wrong_type(&[key], "a list", &v, &format!("`{key}: [a, b]`"));
                    Vec::new()
                }
            },
        }
    }

    /// One id.
    fn reference(&mut self, key: &str) -> Option<Ref> {
        let v = self.get(key)?;
        match v {
            Value::String(s) => Some(Ref {
                id: s.trim().to_string(),
                span: self.fm.value_span(&[key]),
            }),
            other => {
                let v = other.clone();
                self.wrong_type(&[key], "an id", &v, &format!("`{key}: some-id`"));
                None
            }
        }
    }

    /// A list of ids (a single id is taken as a list of one).
    fn references(&mut self, key: &str) -> Vec<Ref> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        match v {
            Value::String(s) => vec![Ref {
                id: s.trim().to_string(),
                span: self.fm.value_span(&[key]),
            }],
            Value::Sequence(items) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let idx = i.to_string();
                    match item {
                        Value::String(s) => out.push(Ref {
                            id: s.trim().to_string(),
                            span: self.fm.value_span(&[key, &idx]),
                        }),
                        other => {
                            let other = other.clone();
                            self.wrong_type(
                                &[key, &idx],
                                "an id",
                                &other,
                                "a plain word such as `storage`",
                            );
                        }
                    }
                }
                out
            }
            other => {
                let v = other.clone();
                self.wrong_type(&[key], "a list of ids", &v, &format!("`{key}: [a, b]`"));
                Vec::new()
            }
        }
    }

    /// A mapping of ids to text.
    fn id_map(&mut self, key: &str, example: &str) -> Vec<(Ref, String, Range<usize>)> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        let Value::Mapping(m) = v else {
            let v = v.clone();
            self.wrong_type(&[key], "a mapping of ids", &v, example);
            return Vec::new();
        };
        let m = m.clone();
        let mut out = Vec::new();
        for (k, val) in &m {
            let Some(id) = scalar_text(k) else {
                let k = k.clone();
                self.wrong_type(&[key], "a mapping with ids as keys", &k, example);
                continue;
            };
            let id = id.trim().to_string();
            match scalar_text(val) {
                Some(text) => {
                    let r = Ref {
                        span: self.fm.key_span(&[key, &id]),
                        id: id.clone(),
                    };
                    out.push((r, text, self.fm.value_span(&[key, &id])));
                }
                None => self.wrong_type(&[key, &id], "text", val, example),
            }
        }
        out
    }

    fn raci(&mut self, alphabet: Alphabet) -> Vec<RaciEntry> {
        let example = "`raci: {some-id: A/R}`";
        let mut out = Vec::new();
        for (target, text, letters_span) in self.id_map("raci", example) {
            match Letters::parse(&text, alphabet) {
                Ok(letters) => out.push(RaciEntry {
                    target,
                    letters,
                    letters_span,
                }),
                Err(bad) => {
                    let what = if bad == ' ' {
                        "no letter".to_string()
                    } else {
                        format!("`{bad}`")
                    };
                    self.found.push(
                        Diagnostic::new(
                            Rule::RaciLetter,
                            format!("{what} is not a {} letter", alphabet.letters()),
                        )
                        .at(self.file, letters_span, "in this assignment")
                        .help(letters_help(alphabet)),
                    );
                }
            }
        }
        out
    }

    fn read_common(&mut self, page: &mut Page) {
        if let Some(t) = self.text("title") {
            page.title = t;
        }
        if let Some(id) = self.text("id") {
            let span = self.fm.value_span(&["id"]);
            if slug::is_safe_id(&id) {
                page.id = id;
                page.id_span = span;
            } else {
                let fixed = slug::slugify(&id);
                self.found.push(
                    Diagnostic::new(Rule::InvalidId, format!("`{id}` is not a safe id"))
                        .at(self.file, span, "ids become file names and URLs")
                        .help(if fixed.is_empty() {
                            "use lower-case letters, digits, `-` and `_`".to_string()
                        } else {
                            format!("use lower-case letters, digits, `-` and `_`, e.g. `{fixed}`")
                        }),
                );
            }
        }
        if let Some(k) = self.text("kind") {
            match Kind::from_name(&k) {
                Some(kind) => {
                    page.kind = Some(kind);
                    page.kind_span = self.fm.value_span(&["kind"]);
                }
                None => {
                    let hint = did_you_mean(&k, Kind::ALL.iter().map(|k| k.name()))
                        .map(|s| format!("did you mean `{s}`?"))
                        .unwrap_or_else(|| {
                            "use one of layer, component, role, activity, decision, or leave `kind` out for a plain page"
                                .into()
                        });
                    self.found.push(
                        Diagnostic::new(Rule::UnknownKind, format!("unknown kind `{k}`"))
                            .at(self.file, self.fm.value_span(&["kind"]), "not a model kind")
                            .help(hint),
                    );
                }
            }
        }
        page.summary = self.text("summary");
        page.tags = self.texts("tags");
        // Jekyll's `nav_order` (MADR and just-the-docs sites) is a weight.
        page.weight = self.int("weight").or_else(|| self.int("nav_order"));
        page.draft = self.boolean("draft");
        if let Some(extra) = self.get("extra")
            && !extra.is_mapping()
        {
            let v = extra.clone();
            self.wrong_type(&["extra"], "a mapping", &v, "`extra: {key: value}`");
        }
    }

    fn check_keys(&mut self, kind: Kind) {
        let allowed: Vec<&str> = COMMON_KEYS.iter().chain(kind.keys()).copied().collect();
        for k in self.fm.map.keys() {
            let Some(k) = k.as_str() else { continue };
            if allowed.contains(&k) || k.starts_with("x-") {
                continue;
            }
            let hint = did_you_mean(k, allowed.iter().copied())
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| {
                    format!(
                        "{} pages know {}; put your own data under `extra:` or in a key starting with `x-`",
                        kind.name(),
                        kind.keys().join(", ")
                    )
                });
            self.found.push(
                Diagnostic::new(
                    Rule::UnknownKey,
                    format!("unknown key `{k}` on a {}", kind.name()),
                )
                .at(self.file, self.fm.key_span(&[k]), "not a key of this kind")
                .help(hint),
            );
        }
    }

    fn read_kind(&mut self, kind: Kind, alphabet: Alphabet) -> KindData {
        match kind {
            Kind::Layer => KindData::Layer {
                level: self.int("level"),
                parent: self.reference("parent"),
            },
            Kind::Component => {
                let layer = self.reference("layer");
                if layer.is_none() && self.get("layer").is_none() {
                    self.found.push(
                        Diagnostic::new(Rule::MissingKey, "a component needs a `layer`")
                            .at(self.file, self.fm.fence.clone(), "front matter starts here")
                            .help(
                                "add `layer: <layer id>` naming the layer this component sits on",
                            ),
                    );
                }
                KindData::Component {
                    layer,
                    owner: self.reference("owner"),
                    depends_on: self.references("depends_on"),
                    lifecycle: self.text("lifecycle"),
                }
            }
            Kind::Role => KindData::Role {
                mantra: self.text("mantra"),
                focus: self.text("focus"),
                relations: self
                    .id_map(
                        "relations",
                        "`relations: {other-role: how they work together}`",
                    )
                    .into_iter()
                    .map(|(r, t, _)| (r, t))
                    .collect(),
                layers: self.references("layers"),
                does_not: self.references("does_not"),
                raci: self.raci(alphabet),
            },
            Kind::Activity => KindData::Activity {
                area: self.text("area"),
                layers: self.references("layers"),
                raci: self.raci(alphabet),
            },
            Kind::Decision => {
                let date = self.text("date");
                if let Some(d) = &date
                    && !is_iso_date(d)
                {
                    self.found.push(
                        Diagnostic::new(Rule::WrongType, format!("`{d}` is not a date"))
                            .at(
                                self.file,
                                self.fm.value_span(&["date"]),
                                "expected YYYY-MM-DD",
                            )
                            .help("write the date as `date: 2024-05-17`"),
                    );
                }
                let mut makers = self.references("decision-makers");
                makers.extend(self.references("deciders"));
                KindData::Decision {
                    status: self.text("status"),
                    date,
                    decision_makers: makers,
                    consulted: self.references("consulted"),
                    informed: self.references("informed"),
                    supersedes: self.references("supersedes"),
                }
            }
        }
    }
}

/// Parses `(path, text)` pairs as pages numbered in order (for tests).
#[cfg(test)]
pub(crate) fn test_pages(files: &[(&str, &str)]) -> Vec<Page> {
    files
        .iter()
        .enumerate()
        .map(|(i, (path, text))| parse(i, path, text, Alphabet::Raci).0)
        .collect()
}

/// The help line for a bad RACI letter.
pub fn letters_help(alphabet: Alphabet) -> String {
    match alphabet {
        Alphabet::Raci => "use R (responsible), A (accountable), C (consulted) or I (informed), combined like `A/R`; \
             for S (supportive) set `raci = \"RASCI\"` under [archbook] in book.toml"
            .into(),
        Alphabet::Rasci => {
            "use R (responsible), A (accountable), S (supportive), C (consulted) or I (informed), combined like `A/R`"
                .into()
        }
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && (1..=12).contains(&s[5..7].parse::<u8>().unwrap_or(0))
        && (1..=31).contains(&s[8..10].parse::<u8>().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> (Page, Vec<Diagnostic>) {
        parse(0, "layers/compute.md", text, Alphabet::Raci)
    }

    #[test]
    fn plain_page_takes_title_from_first_heading() {
        let (p, found) = page("Intro\n\n# The Title\n\n## Design & Vision\n\n## Design & Vision\n");
        assert!(found.is_empty());
        assert_eq!(p.title, "The Title");
        assert_eq!(p.id, "compute");
        assert_eq!(p.kind, None);
        let anchors: Vec<_> = p.headings.iter().map(|h| h.anchor.as_str()).collect();
        assert_eq!(anchors, ["the-title", "design--vision", "design--vision-1"]);
    }

    #[test]
    fn title_falls_back_to_file_stem() {
        let (p, _) = page("no heading here\n");
        assert_eq!(p.title, "compute");
    }

    #[test]
    fn readme_ids_come_from_the_folder() {
        let (p, _) = parse(0, "roles/README.md", "", Alphabet::Raci);
        assert_eq!(p.id, "roles");
        assert_eq!(p.output, "roles/index.html");
    }

    #[test]
    fn links_are_located_in_the_file() {
        let text = "---\ntitle: X\n---\nSee [storage](storage.md#tiers).\n";
        let (p, _) = page(text);
        assert_eq!(p.links.len(), 1);
        assert_eq!(p.links[0].url, "storage.md#tiers");
        assert_eq!(
            &text[p.links[0].span.clone()],
            "[storage](storage.md#tiers)"
        );
    }

    #[test]
    fn component_fields_are_read_with_spans() {
        let text = "---\nkind: component\nlayer: compute\ndepends_on: [network, storage]\nowner: tech\n---\n";
        let (p, found) = page(text);
        assert!(found.is_empty(), "{found:?}");
        let KindData::Component {
            layer,
            depends_on,
            owner,
            ..
        } = p.data
        else {
            panic!()
        };
        assert_eq!(&text[layer.unwrap().span], "compute");
        assert_eq!(&text[depends_on[1].span.clone()], "storage");
        assert_eq!(owner.unwrap().id, "tech");
    }

    #[test]
    fn wrong_types_unknown_keys_and_kinds_are_reported() {
        let (_, found) = page("---\nkind: layer\nlevel: high\ndepend_on: [x]\n---\n");
        let rules: Vec<_> = found.iter().map(|d| d.rule).collect();
        assert_eq!(rules, [Rule::UnknownKey, Rule::WrongType]);
        assert!(
            found[0]
                .help
                .as_deref()
                .unwrap()
                .contains("layer pages know level, parent")
        );
        let (_, found) = page("---\nkind: componnet\n---\n");
        assert_eq!(found[0].rule, Rule::UnknownKind);
        assert_eq!(found[0].help.as_deref(), Some("did you mean `component`?"));
    }

    #[test]
    fn unknown_key_suggests_the_right_one() {
        let (_, found) = page("---\nkind: component\nlayer: x\ndepend_on: [y]\n---\n");
        assert_eq!(found[0].rule, Rule::UnknownKey);
        assert_eq!(found[0].help.as_deref(), Some("did you mean `depends_on`?"));
        let (_, found) = page("---\nkind: component\nlayer: x\nx-cost: 3\nextra: {a: 1}\n---\n");
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn unsafe_ids_are_rejected() {
        let (p, found) = page("---\nid: ../x\n---\n");
        assert_eq!(found[0].rule, Rule::InvalidId);
        assert_eq!(p.id, "compute");
    }

    #[test]
    fn raci_letters_parse_and_reject() {
        assert_eq!(
            Letters::parse("A/R", Alphabet::Raci),
            Ok(Letters::A.union(Letters::R))
        );
        assert_eq!(
            Letters::parse("ar", Alphabet::Raci).unwrap().to_string(),
            "A/R"
        );
        assert_eq!(Letters::parse("S", Alphabet::Raci), Err('S'));
        assert_eq!(Letters::parse("S", Alphabet::Rasci), Ok(Letters::S));
        assert_eq!(Letters::parse("X", Alphabet::Rasci), Err('X'));
        assert_eq!(Letters::parse("", Alphabet::Raci), Err(' '));
        let (_, found) = page("---\nkind: activity\nraci: {a: Q}\n---\n");
        assert_eq!(found[0].rule, Rule::RaciLetter);
    }

    proptest::proptest! {
        #[test]
        fn any_text_parses_without_panic(text in "\\PC{0,300}") {
            let (page, found) = parse(0, "x.md", &text, Alphabet::Rasci);
            for d in found {
                if let Some((loc, _)) = d.primary {
                    proptest::prop_assert!(loc.span.end <= text.len());
                }
            }
            for l in page.links {
                proptest::prop_assert!(text.get(l.span).is_some());
            }
        }

        #[test]
        fn model_like_front_matter_never_panics(
            kind in "(layer|component|role|activity|decision|x)",
            key in "(layer|raci|depends_on|relations|level|date|does_not|parent)",
            value in "(\\[a, b\\]|\\{a: R\\}|3|true|~|\"x\"|\\[\\{a: 1\\}\\]|-1)",
        ) {
            let text = format!("---\nkind: {kind}\n{key}: {value}\n---\n# T\n");
            let _ = parse(0, "x.md", &text, Alphabet::Raci);
        }
    }

    /// Each link of `p`: its URL and the text of `text` it was found at.
    fn located_links<'p, 't>(p: &'p Page, text: &'t str) -> Vec<(&'p str, &'t str)> {
        p.links
            .iter()
            .map(|l| (l.url.as_str(), &text[l.span.clone()]))
            .collect()
    }

    #[test]
    fn links_in_admonitions_are_found_where_they_are_written() {
        let text = "# T\n\n```admonish note\nSee [a](a.md).\n\n## Not a section\n```\n\n\
                    - item\n\n  ```admonish tip title=\"x\"\n  Also ![i](img/i.png) and <x@y.org>.\n  ```\n";
        let (p, found) = page(text);
        assert!(found.is_empty(), "{found:?}");
        let links = located_links(&p, text);
        assert_eq!(
            links,
            [("a.md", "[a](a.md)"), ("img/i.png", "![i](img/i.png)")]
        );
        assert_eq!(p.headings.len(), 1, "{:?}", p.headings);
    }

    #[test]
    fn admonitions_use_the_pages_link_definitions() {
        let text = "# T\n\n```admonish note\nSee [the guide][g] and [own][o].\n\n[o]: own.md\n```\n\n\
                    [g]: guide.md#start \"The guide\"\n";
        let (p, _) = page(text);
        let links = located_links(&p, text);
        assert_eq!(
            links,
            [("guide.md#start", "[the guide][g]"), ("own.md", "[own][o]")]
        );
    }

    #[test]
    fn unknown_fence_languages_are_located_warnings() {
        let text = "# T\n\n```klingon\nqapla'\n```\n\n```rust\nfn main() {}\n```\n";
        let (_, found) = page(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rule, Rule::UnknownLanguage);
        let (loc, _) = found[0].primary.clone().unwrap();
        assert_eq!(&text[loc.span], "```klingon");
        assert!(found[0].help.iter().any(|h| h.contains("such as rust")));
        // A near miss names the language meant.
        let (_, found) = page("# T\n\n```pyhton\nx = 1\n```\n");
        assert!(
            found[0]
                .help
                .iter()
                .any(|h| h.contains("did you mean `python`?"))
        );
    }

    #[test]
    fn fences_to_highlight_are_collected() {
        let text = "# T\n\n```rust,ignore\n# use x;\nfn f() {}\n```\n\n```text\nplain\n```\n\n\
            ```klingon\nqapla'\n```\n\n- item\n\n  ```yaml\n  a: 1\n  b: 2\n  ```\n\n\
            ```admonish note\nSee:\n```\n\n    indented\n";
        let (p, _) = page(text);
        let got: Vec<(&str, &str)> = p
            .fences
            .iter()
            .map(|f| (f.info.as_str(), f.code.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("rust,ignore", "# use x;\nfn f() {}\n"),
                ("yaml", "a: 1\nb: 2\n")
            ]
        );
        // Without highlighting there is nothing to collect.
        let opts = ParseOptions {
            highlight: false,
            ..ParseOptions::from(Alphabet::Raci)
        };
        assert!(parse(0, "a.md", text, opts).0.fences.is_empty());
    }

    #[test]
    fn email_autolinks_are_not_paths() {
        let (p, found) = page("# T\n\nWrite to <someone@example.org> or see [x](x.md).\n");
        assert!(found.is_empty(), "{found:?}");
        let urls: Vec<&str> = p.links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(urls, ["x.md"]);
    }

    #[test]
    fn dates_are_checked() {
        assert!(is_iso_date("2024-05-17"));
        assert!(!is_iso_date("2024-13-01"));
        assert!(!is_iso_date("17.05.2024"));
    }

    #[test]
    fn broken_front_matter_still_yields_a_page() {
        let (p, found) = page("---\ntitle: [oops\n---\n# Body\n[x](y.md)\n");
        assert_eq!(found[0].rule, Rule::FrontMatter);
        assert_eq!(p.title, "Body");
        assert_eq!(p.links.len(), 1);
    }
}
