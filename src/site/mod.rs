//! The orchestrator: one [`Site`] carried through the phases load (read
//! `book.toml` and every file, decide which are pages: `pages`) → resolve
//! (the model, validation, links, outputs, redirects) → render and write
//! (into a staging folder swapped in only when all succeeded, see
//! `crate::output`). `archbook check` runs every phase but the last. The
//! [`Site`] holds the [`Handbook`] the phases fill, every finding and how
//! long each phase took (for `-v` and the benchmarks).
//!
//! `session` keeps a site alive for `serve` and `watch`, rebuilding it
//! whole or page by page ([`Site::replace_page`]); `serve` answers HTTP and
//! websocket requests from the output folder, with `origin`'s rules on
//! which hosts and origins may ask.

pub mod fresh;
pub mod origin;
mod pages;
pub mod serve;
pub mod session;
pub mod since;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::{self, Config};
use crate::confine::Scope;
use crate::content::load::{self, Reuse};
use crate::content::page::{Page, ParseOptions};
use crate::content::summary;
use crate::diagnostic::{Diagnostic, Diagnostics, Sources};
use crate::error::{Error, Result};
use crate::model::handbook::Handbook;
use crate::model::links;
use crate::model::{self, Model};
use crate::output;
use crate::render::theme::Theme;
use crate::render::{self, Kept, RenderState, Report};
use crate::rules::Rule;
use pages::*;

/// A handbook being processed: the [`Handbook`] value the phases fill in,
/// and what the run learns on the way.
pub struct Site {
    /// The handbook: configuration, pages, model.
    pub handbook: Handbook,
    /// Where the handbook may read from: its folder and the folders
    /// `book.toml` names.
    pub scope: Scope,
    /// Every finding so far.
    pub diagnostics: Diagnostics,
    /// How long each phase took.
    pub timings: Vec<(&'static str, Duration)>,
}

impl Site {
    /// Reads `book.toml` and parses every page under the source folder.
    ///
    /// Content problems become findings; only a missing handbook or an
    /// unreadable `book.toml` is an [`Error`].
    pub fn load(root: &Path) -> Result<Site> {
        Site::load_as(root, &display_root(root))
    }

    /// Like [`Site::load`], with findings naming files from `shown_root`
    /// instead of `root` (`v1.0:docs/src/a.md` for a revision's copy).
    pub fn load_as(root: &Path, shown_root: &Path) -> Result<Site> {
        Site::load_with(root, shown_root, Scope::default(), Reuse::default()).map(|(s, _)| s)
    }

    /// Like [`Site::load_as`], for a handbook held in memory (a git
    /// revision's files): nothing is read from the disk.
    pub fn load_tree(tree: Arc<crate::confine::Tree>, shown_root: &Path) -> Result<Site> {
        let root = tree.root.clone();
        Site::load_with(&root, shown_root, Scope::of_tree(tree), Reuse::default()).map(|(s, _)| s)
    }

    /// Loads from the disk (`files` without a tree) or from `files`' tree,
    /// taking pages from an earlier load and keeping its own as `reuse`
    /// says.
    pub(crate) fn load_with(
        root: &Path,
        shown_root: &Path,
        files: Scope,
        reuse: Reuse<'_>,
    ) -> Result<(Site, Option<load::Parsed>)> {
        let start = Instant::now();
        if !files.is_dir(root) {
            return Err(Error::NotAFolder(root.to_path_buf()));
        }
        let shown_root = shown_root.to_path_buf();
        let mut sources = Sources::default();
        let mut found = Vec::new();
        let toml_path = root.join("book.toml");
        let toml_text = match files.tree() {
            Some(_) => files.read_text(&toml_path, crate::confine::MAX_FILE).ok(),
            None if toml_path.is_file() => Some(std::fs::read_to_string(&toml_path).map_err(
                |source| Error::Read {
                    path: toml_path.clone(),
                    source,
                },
            )?),
            None => None,
        };
        let (config, toml_file) = if let Some(text) = toml_text {
            let id = sources.add(
                shown_root.join("book.toml").to_string_lossy().into_owned(),
                Arc::from(text.as_str()),
            );
            let config = config::parse(&text, id, &mut found);
            (config, Some(id))
        } else {
            (Config::default(), None)
        };
        let (scope, refused) = match files.tree() {
            // A revision's files: only the handbook's folder is held.
            Some(_) => (files, Vec::new()),
            None => {
                let (scope, refused) = Scope::new(root, &config.extra_watch_dirs);
                (scope.with_overlay(files.overlay().cloned()), refused)
            }
        };
        if let Some(id) = toml_file {
            for (dir, why) in refused {
                found.push(
                    Diagnostic::new(
                        Rule::ReadOutside,
                        format!("`extra-watch-dirs` names `{dir}`, which archbook never reads from: {why}"),
                    )
                    .at(id, 0..0, "in this file")
                    .help("name the folder the handbook needs (such as `../examples`), not one that holds it"),
                );
            }
            for path in config.additional_css.iter().chain(&config.additional_js) {
                let span = config.asset_spans.get(path).cloned().unwrap_or(0..0);
                let full = root.join(path);
                if !scope.exists(&full) {
                    found.push(
                        Diagnostic::new(Rule::Config, format!("`{path}` does not exist"))
                        .at(id, span, "no such file")
                        .help("paths in `additional-css` and `additional-js` are relative to book.toml"),
                    );
                } else if let Err(why) = scope.check(&full) {
                    found.push(
                        Diagnostic::new(Rule::ReadOutside, format!("`{path}` is not read: {why}"))
                            .at(id, span, "this entry")
                            .help(why.help()),
                    );
                }
            }
        }
        let src = root.join(&config.src);
        if scope.is_dir(&src)
            && let Err(why) = scope.check_dir(&src)
        {
            return Err(Error::OutsideSource {
                path: src,
                reason: why.to_string(),
            });
        }
        if !scope.is_dir(&src) {
            return Err(if sources.is_empty() {
                Error::NoHandbook(root.to_path_buf())
            } else {
                Error::MissingSource(src)
            });
        }
        let mut diagnostics = Diagnostics::new(config.rules.clone());
        let loaded = load::load(
            load::Folders {
                src: &src,
                shown: &shown_root.join(&config.src),
                skip: &root.join(&config.build_dir),
            },
            &scope,
            ParseOptions::of(&config),
            reuse,
            &mut sources,
            &mut found,
        );
        diagnostics.extend(found);
        let mut pages = loaded.pages;
        if config.create_missing
            && let Some((summary_file, text)) = &loaded.summary
        {
            let shown_src = shown_root.join(&config.src);
            let mut made = Vec::new();
            for chapter in summary::missing_chapters(text, &pages) {
                let near = crate::diagnostic::did_you_mean(
                    &chapter.path,
                    pages.iter().map(|p| p.source.as_str()),
                );
                let (page, warning) = missing_chapter(
                    &chapter,
                    near,
                    *summary_file,
                    &shown_src,
                    ParseOptions::of(&config),
                    &mut sources,
                );
                diagnostics.push(warning);
                made.push(page);
            }
            // Compared above with the handbook's own pages only.
            pages.extend(made);
        }
        let not_found = pages
            .iter()
            .position(|p| p.source == config.input_404)
            .map(|i| pages.remove(i));
        if !config.archbook
            && let Some((file, text)) = &loaded.summary
        {
            unlisted_are_not_pages(&mut pages, text, *file, &mut diagnostics);
        }
        readme_beside_index(&mut pages, loaded.summary.as_ref(), &mut diagnostics);
        let site = Site {
            handbook: Handbook {
                root: root.to_path_buf(),
                config,
                sources,
                pages,
                not_found,
                statics: loaded.statics,
                model: Model::default(),
                page_links: Vec::new(),
                summary: loaded.summary,
                summary_items: None,
                changes: None,
            },
            scope,
            diagnostics,
            timings: vec![("load", start.elapsed())],
        };
        Ok((site, loaded.parsed))
    }

    /// Resolves the model and runs every whole-handbook check.
    pub fn resolve(&mut self) {
        let start = Instant::now();
        let mut found = Vec::new();
        self.handbook.model = model::resolve(&self.handbook.pages, &mut found);
        found.extend(raci_too_large(&self.handbook.pages));
        model::check_areas(
            &self.handbook.pages,
            &self.handbook.config.areas,
            &mut found,
        );
        crate::model::outputs::check(&self.handbook.pages, &self.handbook.statics, &mut found);
        found.extend(crate::diagram::check(
            &self.handbook.pages,
            &self.handbook.sources,
        ));
        self.check_static_outputs(&mut found);
        crate::model::redirect::check(
            &self.handbook.config.redirects,
            &self.handbook.pages,
            &self.handbook.statics,
            &mut found,
        );
        self.handbook.page_links = links::check(
            &self.handbook.pages,
            &self.handbook.statics,
            &self.handbook.config.redirects,
            &mut found,
        );
        if let Some((file, text)) = &self.handbook.summary {
            let items = summary::parse(text, *file, &self.handbook.pages, &mut found);
            let listed = summary::listed(&items);
            for (i, p) in self.handbook.pages.iter().enumerate() {
                if !listed.contains(&i) && !p.draft {
                    found.push(
                        Diagnostic::new(
                            Rule::NotInSummary,
                            format!("`{}` is not listed in SUMMARY.md", p.source),
                        )
                        .at(p.file, 0..0, "built, but not in the navigation")
                        .help(format!("add `- [{}]({})` to SUMMARY.md", p.title, p.source)),
                    );
                }
            }
            // A chapter whose page has no title of its own (it opens with
            // `## Functions`) takes its SUMMARY.md title, as in mdBook,
            // rather than its file name.
            for item in &items {
                if let summary::Item::Chapter {
                    page: Some(i),
                    title,
                    ..
                } = item
                    && !self.handbook.pages[*i].titled
                    && !title.trim().is_empty()
                {
                    self.handbook.pages[*i].title = title.trim().to_string();
                }
            }
            self.handbook.summary_items = Some(items);
        }
        self.diagnostics.extend(found);
        self.diagnostics.sort(&self.handbook.sources);
        self.timings.push(("resolve", start.elapsed()));
    }

    /// Loads and resolves: everything `archbook check` does.
    pub fn check(root: &Path) -> Result<Site> {
        Site::check_with(root, None)
    }

    /// Like [`Site::check`], reading `overlay`'s texts (an editor's unsaved
    /// buffers, by real path) instead of their files.
    /// Pages whose text has not changed since `earlier` (an earlier
    /// check's pages) are taken from it rather than parsed again; the pages
    /// of this check are returned for the next one. With `disk_unchanged`
    /// (a folder) the caller vouches that no file under it changed on disk
    /// since `earlier` ([`Reuse::disk_unchanged`]).
    pub fn check_overlay(
        root: &Path,
        overlay: Arc<crate::confine::Overlay>,
        earlier: Option<&load::Parsed>,
        disk_unchanged: Option<&Path>,
    ) -> Result<(Site, Option<load::Parsed>)> {
        let files = Scope::default().with_overlay(Some(overlay));
        let reuse = Reuse {
            earlier,
            keep: true,
            disk_unchanged,
        };
        let (mut site, parsed) = Site::load_with(root, &display_root(root), files, reuse)?;
        site.resolve();
        Ok((site, parsed))
    }

    /// Like [`Site::check`], comparing with `changes_since` (a git
    /// revision) instead of `book.toml`'s `changes-since` when given.
    pub fn check_with(root: &Path, changes_since: Option<&str>) -> Result<Site> {
        let mut site = Site::load(root)?;
        if let Some(rev) = changes_since {
            site.handbook.config.changes_since = Some(rev.to_string());
            site.handbook.config.changes_since_at = None;
        }
        site.resolve();
        site.compare_since();
        Ok(site)
    }
}

/// How the links between pages changed when one page's body was replaced
/// ([`Site::replace_page`]).
pub struct LinkDelta {
    /// The replaced page.
    pub page: usize,
    /// The pages its body linked to before, and links to now.
    pub before: BTreeSet<usize>,
    /// The pages its body links to now.
    pub after: BTreeSet<usize>,
}

impl LinkDelta {
    /// The pages whose output changes: the page, and those it stopped or
    /// started linking to (their "referenced by" lists).
    pub fn affected(&self) -> Vec<usize> {
        let mut out = vec![self.page];
        out.extend(self.before.symmetric_difference(&self.after));
        out
    }
}

impl Site {
    /// Replaces page `i` with `page`, read from `text`, after an edit of its
    /// body (its front matter and title unchanged, so the model stands):
    /// the findings located in its old body give way to `found`'s for the
    /// new one, and every link is checked again (a body edit can break or
    /// mend links anywhere).
    pub fn replace_page(
        &mut self,
        i: usize,
        page: Page,
        text: Arc<str>,
        found: Vec<Diagnostic>,
    ) -> LinkDelta {
        let file = page.file;
        let body = page.body_offset;
        let in_body = |d: &Diagnostic| {
            d.primary
                .as_ref()
                .is_some_and(|(at, _)| at.file == file && at.span.start >= body)
        };
        self.diagnostics
            .retain(|d| !(links::RULES.contains(&d.rule) || in_body(d)));
        let mut fresh: Vec<Diagnostic> = found.into_iter().filter(in_body).collect();
        self.handbook.sources.replace(file, text);
        self.handbook.pages[i] = page;
        let before = self.handbook.page_links[i].iter().copied().collect();
        self.handbook.page_links = links::check(
            &self.handbook.pages,
            &self.handbook.statics,
            &self.handbook.config.redirects,
            &mut fresh,
        );
        self.diagnostics.extend(fresh);
        self.diagnostics.sort(&self.handbook.sources);
        LinkDelta {
            page: i,
            before,
            after: self.handbook.page_links[i].iter().copied().collect(),
        }
    }
}

impl Site {
    /// The output folder `book.toml` asks for (`build-dir`, default `book`).
    pub fn default_output(&self) -> PathBuf {
        self.handbook.root.join(&self.handbook.config.build_dir)
    }

    /// Renders the resolved handbook and writes it into `out`.
    ///
    /// Nothing is written when the content has errors. The site is built in a
    /// staging folder beside `out` and swapped in only when everything
    /// succeeded, so a failed build leaves the previous site untouched.
    pub fn build(&mut self, out: &Path) -> Result<Report> {
        self.build_inner(out, None, false).map(|b| b.report)
    }

    /// Like [`Site::build`], taking highlighted code from `cache` and adding
    /// what it highlights to it (the on-disk cache of one-off builds,
    /// [`crate::cache`]).
    pub fn build_cached(&mut self, out: &Path, cache: &crate::highlight::Cache) -> Result<Report> {
        self.build_inner(out, Some(cache), false).map(|b| b.report)
    }

    /// Like [`Site::build`], and keeps what an incremental rebuild needs
    /// (`serve` and `watch`): every page's search words and print chapter;
    /// code is highlighted through the session's `cache`.
    pub fn build_keeping(&mut self, out: &Path, cache: &crate::highlight::Cache) -> Result<Built> {
        self.build_inner(out, Some(cache), true)
    }

    fn build_inner(
        &mut self,
        out: &Path,
        cache: Option<&crate::highlight::Cache>,
        keep: bool,
    ) -> Result<Built> {
        if self.diagnostics.errors() > 0 {
            return Err(Error::Findings);
        }
        let start = Instant::now();
        let mut found = Vec::new();
        let theme = Theme::load(
            &self.handbook.root,
            &self.handbook.config.theme,
            &mut self.handbook.sources,
            &mut found,
        );
        self.diagnostics.extend(found);
        let Some(theme) = theme else {
            return Err(Error::Findings);
        };
        let src = self.handbook.root.join(&self.handbook.config.src);
        let staging = match output::stage(&self.handbook.root, &src, out) {
            Ok(staging) => staging,
            // A folder book.toml names: the finding points at the line.
            Err(Error::UnsafeOutput { path, reason })
                if out == self.default_output() && self.handbook.config.build_dir_at.is_some() =>
            {
                let (file, span) = self
                    .handbook
                    .config
                    .build_dir_at
                    .clone()
                    .unwrap_or_default();
                self.diagnostics.push(
                    Diagnostic::new(
                        Rule::UnsafeOutput,
                        format!(
                            "refusing to write the site into `{}`: {reason}",
                            path.display()
                        ),
                    )
                    .at(file, span, "the output folder")
                    .help(crate::error::UNSAFE_OUTPUT_HELP),
                );
                return Err(Error::Findings);
            }
            Err(e) => return Err(e),
        };
        match render::render_keeping(&self.handbook, &theme, &staging.dir, cache, keep) {
            Ok((report, state, kept)) => {
                let gave_up = self.highlight_findings();
                self.diagnostics.extend(gave_up);
                staging.commit()?;
                self.timings.push(("render", start.elapsed()));
                Ok(Built {
                    report,
                    theme,
                    state,
                    kept,
                })
            }
            Err(e) => {
                staging.abort();
                let finding = e.into_finding(&theme, &mut self.handbook.sources)?;
                self.diagnostics.push(finding);
                Err(Error::Findings)
            }
        }
    }
}

impl Site {
    /// A `highlight` warning for each code block highlighting gave up on
    /// since the last call, located at the first fence that shows it.
    pub fn highlight_findings(&self) -> Vec<Diagnostic> {
        let hidelines = &self.handbook.config.hidelines;
        crate::highlight::take_gave_up()
            .into_iter()
            .map(|block| {
                let mut fences = self.handbook.pages.iter().flat_map(|p| {
                    p.fences
                        .iter()
                        .filter(|f| {
                            f.syntax.name() == block.syntax
                                && crate::render::markdown::visible_lines(&f.info, &f.code, hidelines)
                                    == block.code
                        })
                        .map(move |f| (p.file, f.at))
                });
                let first = fences.next();
                let more = fences.count();
                let mut d = Diagnostic::new(
                    Rule::Highlight,
                    format!(
                        "highlighting gave up on line {} of this {} block ({}); it is shown as plain text",
                        block.line + 1,
                        block.syntax,
                        block.reason
                    ),
                )
                .help(if more > 0 {
                    format!("{more} other block(s) with the same code are shown plain too; write the fence as ```text to show it plain on purpose")
                } else {
                    "write the fence as ```text to show it plain on purpose".to_string()
                });
                if let Some((file, at)) = first {
                    d = d.at(file, at..at + 3, "this block");
                }
                d
            })
            .collect()
    }
}

impl Site {
    /// Reports static files named like a file archbook writes itself
    /// (`model.json`, `search-index.js`, `assets/archbook.js`, ...): copied
    /// last, they would silently replace it. Located at the file itself.
    fn check_static_outputs(&mut self, found: &mut Vec<Diagnostic>) {
        let shown_src = display_root(&self.handbook.root).join(&self.handbook.config.src);
        let cname = self
            .handbook
            .config
            .cname
            .as_deref()
            .is_some_and(|d| !d.trim().is_empty());
        let generated = crate::model::outputs::GENERATED
            .iter()
            .copied()
            .chain([
                "search-index.js",
                "search-stem.js",
                crate::render::TOC_JS,
                "assets/highlight.css",
                "CNAME",
            ])
            .chain(crate::render::theme::ASSETS.iter().map(|(name, _)| *name))
            .map(str::to_string)
            .collect::<Vec<_>>();
        // The search's excerpt files: `search-text-N.js`.
        let excerpts = self.handbook.statics.iter().filter(|s| {
            s.strip_prefix("search-text-")
                .and_then(|n| n.strip_suffix(".js"))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        });
        let generated: Vec<String> = generated.into_iter().chain(excerpts.cloned()).collect();
        for name in &generated {
            let name = name.as_str();
            // mdBook books keep a CNAME file in `src`: it only collides when
            // book.toml asks archbook to write one too.
            let sitemap = self
                .handbook
                .config
                .site_url
                .as_deref()
                .is_some_and(|u| u.starts_with("https://") || u.starts_with("http://"));
            if !self.handbook.statics.contains(name)
                || (name == "CNAME" && !cname)
                || (name == "sitemap.xml" && !sitemap)
            {
                continue;
            }
            let shown = shown_src.join(name).to_string_lossy().into_owned();
            let file = self.handbook.sources.add(shown, Arc::from(""));
            found.push(
                Diagnostic::new(
                    Rule::OutputCollision,
                    format!("the static file `{name}` would replace the `{name}` archbook writes"),
                )
                .at(file, 0..0, "this file")
                .help("rename the file (and the links to it); archbook writes this one itself"),
            );
        }
    }
}

/// The most cells the generated RACI matrix may have (roles × activities):
/// 500 roles by 500 activities, far past what a person reads as a table.
/// Its memory grows with the cells (3,000 × 3,000 took 4.9 GB).
pub const MAX_RACI_CELLS: usize = 250_000;

/// A `limit` error when the RACI matrix would be larger than
/// [`MAX_RACI_CELLS`], at the first role past the limit.
fn raci_too_large(pages: &[Page]) -> Option<Diagnostic> {
    use crate::vocab::Kind;
    let of = |kind| pages.iter().filter(move |p| p.kind == Some(kind));
    let activities = of(Kind::Activity).count();
    let roles = of(Kind::Role).count();
    if roles.saturating_mul(activities) <= MAX_RACI_CELLS {
        return None;
    }
    let fit = MAX_RACI_CELLS / activities.max(1);
    let role = of(Kind::Role).nth(fit)?;
    Some(
        Diagnostic::new(
            Rule::Limit,
            format!(
                "the RACI matrix would have {roles} roles × {activities} activities = {} cells; archbook draws at most {MAX_RACI_CELLS}",
                roles * activities
            ),
        )
        .at(role.file, role.kind_span.clone(), "one role too many for the matrix")
        .help("split the handbook into several, or model fewer, broader roles and activities"),
    )
}

/// A finished build and what an incremental rebuild needs.
pub struct Built {
    /// What was written.
    pub report: Report,
    /// The theme it was rendered with.
    pub theme: Theme,
    /// Navigation and views.
    pub state: RenderState,
    /// Per-page search words and print chapters.
    pub kept: Kept,
}

/// The root as findings show it: `content/x.md`, not `./content/x.md`.
fn display_root(root: &Path) -> PathBuf {
    let r = root.strip_prefix(".").unwrap_or(root);
    r.to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replacing_a_page_body_keeps_its_front_matter_findings_once() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        std::fs::create_dir_all(&src).unwrap();
        std::fs::write(dir.path().join("book.toml"), "[archbook]\n").unwrap();
        std::fs::write(src.join("b.md"), "# B\n\n## Part\n").unwrap();
        let text = "---\nkind: role\ncolour: red\n---\n# A\n\n[b](b.md#nope)\n";
        std::fs::write(src.join("a.md"), text).unwrap();
        let mut site = Site::check(dir.path()).unwrap();
        let rules = |site: &Site| {
            let mut r: Vec<Rule> = site.diagnostics.iter().map(|d| d.rule).collect();
            r.sort_unstable();
            r
        };
        let model = [
            Rule::UnknownKey,
            Rule::RoleWithoutResponsibility,
            Rule::OrphanRole,
        ];
        assert_eq!(rules(&site), [&model[..], &[Rule::BrokenAnchor]].concat());
        // The body now links to a heading that exists: the front matter's
        // and the model's findings are still reported, once each; the broken
        // anchor is gone.
        let i = site
            .handbook
            .pages
            .iter()
            .position(|p| p.source == "a.md")
            .unwrap();
        let file = site.handbook.pages[i].file;
        let edited = "---\nkind: role\ncolour: red\n---\n# A\n\n[b](b.md#part)\n";
        let (page, found) = crate::content::parse(
            file,
            "a.md",
            edited,
            ParseOptions::of(&site.handbook.config),
        );
        let delta = site.replace_page(i, page, Arc::from(edited), found);
        assert_eq!(rules(&site), model);
        let b = site
            .handbook
            .pages
            .iter()
            .position(|p| p.source == "b.md")
            .unwrap();
        assert_eq!(delta.after.iter().copied().collect::<Vec<_>>(), [b]);
        assert_eq!(site.handbook.sources.text(file), edited);
    }

    /// The findings of a check, as text, for comparing two checks.
    fn findings(site: &Site) -> Vec<String> {
        site.diagnostics
            .iter()
            .map(|d| {
                let at = d.primary.as_ref().map(|(l, _)| {
                    (
                        site.handbook.sources.name(l.file).to_string(),
                        l.span.clone(),
                    )
                });
                format!("{:?} {at:?} {}", d.rule, d.message)
            })
            .collect()
    }

    #[test]
    fn a_check_that_trusts_the_disk_finds_what_a_full_check_finds() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let src = root.join("src");
        std::fs::create_dir_all(src.join("roles")).unwrap();
        std::fs::write(root.join("book.toml"), "[archbook]\n").unwrap();
        std::fs::write(src.join("roles/ops.md"), "---\nkind: role\n---\n# Ops\n").unwrap();
        let activity = "---\nkind: activity\nraci:\n  ops: A/R\n---\n# Run\n";
        std::fs::write(src.join("run.md"), activity).unwrap();
        std::fs::write(src.join("b.md"), "# B\n\n[run](run.md)\n").unwrap();
        let check = |overlay: &[(&str, &str)], earlier, disk_unchanged: bool| {
            let overlay: crate::confine::Overlay = overlay
                .iter()
                .map(|(rel, text)| (src.join(rel), Arc::from(*text)))
                .collect();
            let watched = disk_unchanged.then_some(root.as_path());
            Site::check_overlay(&root, Arc::new(overlay), earlier, watched).unwrap()
        };
        let (site, parsed) = check(&[], None, false);
        assert_eq!(findings(&site), Vec::<String>::new());
        // Typed (unsaved): the role renamed, the activity naming it broken.
        let typed = [(
            "roles/ops.md",
            "---\nkind: role\nid: operator\n---\n# Ops\n",
        )];
        let (fast, parsed) = check(&typed, parsed.as_ref(), true);
        let (full, _) = check(&typed, None, false);
        assert_eq!(findings(&fast), findings(&full));
        assert!(
            findings(&fast)
                .iter()
                .any(|f| f.contains("unknown role `ops`"))
        );
        // Closed without saving: the file on disk counts again, unread
        // files or not.
        let (fast, parsed) = check(&[], parsed.as_ref(), true);
        assert_eq!(findings(&fast), Vec::<String>::new());
        // A file changed on disk that the caller vouches did not: the
        // earlier text stands (the language server's watcher says when).
        std::fs::write(src.join("b.md"), "# B\n\n[run](nowhere.md)\n").unwrap();
        let (stale, parsed) = check(&[], parsed.as_ref(), true);
        assert_eq!(findings(&stale), Vec::<String>::new());
        let (fresh, _) = check(&[], parsed.as_ref(), false);
        assert!(
            findings(&fresh)[0].contains("nowhere.md"),
            "{:?}",
            findings(&fresh)
        );
    }

    #[test]
    fn included_files_are_trusted_only_under_the_folder_vouched_for() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let src = root.join("src");
        std::fs::create_dir_all(&src).unwrap();
        std::fs::create_dir_all(root.join("listings")).unwrap();
        std::fs::write(root.join("book.toml"), "[book]\ntitle = \"T\"\n").unwrap();
        std::fs::write(root.join("listings/a.md"), "[ok](b.md)\n").unwrap();
        std::fs::write(src.join("b.md"), "# B\n").unwrap();
        std::fs::write(src.join("a.md"), "# A\n\n{{#include ../listings/a.md}}\n").unwrap();
        let check = |earlier, watched: Option<&Path>| {
            Site::check_overlay(&root, Arc::default(), earlier, watched).unwrap()
        };
        let (site, parsed) = check(None, None);
        assert_eq!(findings(&site), Vec::<String>::new());
        std::fs::write(root.join("listings/a.md"), "[broken](gone.md)\n").unwrap();
        // Vouched for the whole handbook (which holds the listing): the
        // page is taken as it was.
        let (stale, _) = check(parsed.as_ref(), Some(&root));
        assert_eq!(findings(&stale), Vec::<String>::new());
        // Vouched for the source folder only: the listing outside it is
        // read again, and the broken link found.
        let (fresh, _) = check(parsed.as_ref(), Some(&src));
        assert!(
            findings(&fresh).iter().any(|f| f.contains("gone.md")),
            "{:?}",
            findings(&fresh)
        );
    }
}
