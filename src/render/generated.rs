//! The generated pages: the views (RACI matrix, layers, role boundaries,
//! kind indexes, decision log), the not-found page and the redirect pages.

use super::*;

/// A generated view.
pub(super) struct View {
    /// The output file, from the site root.
    pub(super) url: &'static str,
    /// Its title in the navigation.
    pub(super) title: &'static str,
    /// The theme template that draws it.
    pub(super) template: &'static str,
    /// When the handbook has it.
    pub(super) shown: Shown,
    /// Whether it prints across the page (a wide matrix or drawing).
    pub(super) wide: bool,
}

/// When a view is written and listed in the navigation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Shown {
    /// Always written; listed when the handbook has a page of this kind.
    Kind(Kind),
    /// Always written; listed when the handbook has any model page.
    Model,
    /// Written and listed only with `changes-since`.
    Changes,
    /// Written and listed only when the handbook has a page of this kind
    /// (a book without one may have a page of this name).
    Only(Kind),
    /// Written and listed only when a published page has `tags`.
    Tags,
}

impl View {
    /// Whether the handbook gets this view at all.
    pub(super) fn written(&self, views: &Views) -> bool {
        match self.shown {
            Shown::Changes => views.changes.is_some(),
            Shown::Only(k) => !views.of(k).is_empty(),
            Shown::Tags => !views.tags.is_empty(),
            _ => true,
        }
    }

    /// Whether the navigation links to it.
    pub(super) fn listed(&self, views: &Views) -> bool {
        match self.shown {
            Shown::Kind(k) | Shown::Only(k) => !views.of(k).is_empty(),
            Shown::Model => Kind::ALL.iter().any(|&k| !views.of(k).is_empty()),
            Shown::Changes => views.changes.is_some(),
            Shown::Tags => !views.tags.is_empty(),
        }
    }
}

/// The print chapters of the listed views: (file, title, chapter).
pub(super) type ViewChapters = Vec<(&'static View, String)>;

/// The generated views, in navigation order.
pub(super) const VIEWS: &[View] = &[
    View {
        url: "raci.html",
        title: "RACI matrix",
        template: "raci.html",
        wide: true,
        shown: Shown::Kind(Kind::Activity),
    },
    View {
        url: "layers.html",
        title: "Layers",
        template: "layers.html",
        wide: true,
        shown: Shown::Kind(Kind::Layer),
    },
    View {
        url: "dependencies.html",
        title: "Dependencies",
        template: "dependencies.html",
        // A tall drawing: it reads better on an upright page.
        wide: false,
        shown: Shown::Only(Kind::Component),
    },
    View {
        url: "boundaries.html",
        title: "Role boundaries",
        template: "boundaries.html",
        wide: false,
        shown: Shown::Kind(Kind::Role),
    },
    View {
        url: "roles.html",
        title: "Roles",
        template: "kind-index.html",
        wide: false,
        shown: Shown::Kind(Kind::Role),
    },
    View {
        url: "components.html",
        title: "Components",
        template: "kind-index.html",
        wide: false,
        shown: Shown::Kind(Kind::Component),
    },
    View {
        url: "activities.html",
        title: "Activities",
        template: "kind-index.html",
        wide: false,
        shown: Shown::Kind(Kind::Activity),
    },
    View {
        url: "decisions.html",
        title: "Decision log",
        template: "decisions.html",
        wide: false,
        shown: Shown::Kind(Kind::Decision),
    },
    View {
        url: "tags.html",
        title: "Tags",
        template: "tags.html",
        wide: false,
        shown: Shown::Tags,
    },
    View {
        url: "health.html",
        title: "Model health",
        template: "health.html",
        wide: false,
        shown: Shown::Model,
    },
    View {
        url: "changes.html",
        title: "What changed",
        template: "changes.html",
        wide: false,
        shown: Shown::Changes,
    },
];

/// The view that indexes the pages of `kind`, when the handbook lists it.
pub(super) fn index_view(kind: Kind, views: &Views) -> Option<&'static str> {
    let url = match kind {
        Kind::Role => "roles.html",
        Kind::Component => "components.html",
        Kind::Activity => "activities.html",
        Kind::Decision => "decisions.html",
        Kind::Layer => "layers.html",
    };
    VIEWS
        .iter()
        .find(|v| v.url == url)
        .filter(|v| v.listed(views))
        .map(|v| v.url)
}

/// A view as the home page offers it: a way into the model.
#[derive(Serialize)]
pub(super) struct HomeView {
    pub(super) title: &'static str,
    pub(super) url: &'static str,
    /// What it holds, counted (`23 activities × 9 roles`).
    pub(super) detail: String,
}

/// `n` and the noun, singular or plural.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The listed views with what each holds, for the home page; empty for a
/// handbook without a model page (an mdBook book's home stays as written).
pub(super) fn home_views(views: &Views) -> Vec<HomeView> {
    if !Kind::ALL.iter().any(|&k| !views.of(k).is_empty()) {
        return Vec::new();
    }
    let n = |k: Kind| views.of(k).len();
    VIEWS
        .iter()
        .filter(|v| v.listed(views))
        .map(|v| HomeView {
            title: v.title,
            url: v.url,
            detail: match v.url {
                "raci.html" => format!(
                    "{} × {}",
                    count(n(Kind::Activity), "activity", "activities"),
                    count(views.raci.roles.len(), "role", "roles")
                ),
                "layers.html" => format!(
                    "{}, {}",
                    count(n(Kind::Layer), "layer", "layers"),
                    count(n(Kind::Component), "component", "components")
                ),
                "dependencies.html" => "what depends on what, by layer".into(),
                "boundaries.html" => {
                    "what each role does, does not do, and who does instead".into()
                }
                "roles.html" => count(n(Kind::Role), "role", "roles"),
                "components.html" => count(n(Kind::Component), "component", "components"),
                "activities.html" => count(n(Kind::Activity), "activity", "activities"),
                "decisions.html" => count(n(Kind::Decision), "decision", "decisions"),
                "tags.html" => count(views.tags.len(), "tag", "tags"),
                "health.html" => match views.health.total {
                    0 => "nothing left unsaid".into(),
                    t => format!("{} left unsaid", count(t, "gap", "gaps")),
                },
                _ => String::new(),
            },
        })
        .collect()
}

/// An entry of a kind's index page: the page and what readers look for
/// beside its title.
#[derive(Serialize)]
struct IndexItem<'a> {
    #[serde(flatten)]
    page: &'a PageRef,
    /// A component's layer, owner and lifecycle; a role's focus; an
    /// activity's area and accountable role; a decision's status and date.
    detail: String,
}

/// The facts of a page an index shows beside its title, in a line.
fn index_detail(facts: &Facts) -> String {
    let parts: Vec<String> = match facts {
        Facts::Component {
            layer,
            owner,
            lifecycle,
            ..
        } => [
            layer.as_ref().map(|l| l.title.clone()),
            owner.as_ref().map(|o| format!("owner: {}", o.title)),
            lifecycle.clone(),
        ]
        .into_iter()
        .flatten()
        .collect(),
        Facts::Role { focus, .. } => focus.iter().cloned().collect(),
        Facts::Activity { area, raci, .. } => {
            let accountable: Vec<&str> = raci
                .iter()
                .filter(|h| h.letters.contains('A'))
                .map(|h| h.page.title.as_str())
                .collect();
            area.iter()
                .cloned()
                .chain(
                    (!accountable.is_empty())
                        .then(|| format!("accountable: {}", accountable.join(", "))),
                )
                .collect()
        }
        Facts::Decision { status, date, .. } => [status.clone(), date.clone()]
            .into_iter()
            .flatten()
            .collect(),
        Facts::Layer { components, .. } => vec![match components.len() {
            1 => "1 component".to_string(),
            n => format!("{n} components"),
        }],
    };
    parts.join(" · ")
}

/// Titles joined into a phrase: `A, B and C`.
fn listing<S: AsRef<str>>(titles: impl Iterator<Item = S>) -> String {
    let all: Vec<S> = titles.collect();
    match all.as_slice() {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [rest @ .., last] => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", rest.join(", "), last.as_ref())
        }
    }
}

impl Renderer<'_> {
    /// The search documents of the generated views the navigation lists:
    /// the RACI matrix by area, the layer matrix by layer, the boundaries by
    /// role, each section in words (`Monitor SLAs: IT Manager A/R,
    /// Technical Manager C.`), so a search for an activity, a role or a
    /// component finds its row in the matrices too.
    pub(super) fn view_documents(&self) -> Vec<search::Prepared> {
        let views = &self.state.views;
        // A row's letters, each with its role: cells follow the columns.
        let held = |cells: &[crate::render::views::Cell]| {
            listing(
                views
                    .raci
                    .roles
                    .iter()
                    .zip(cells)
                    .filter(|(_, c)| !c.letters.is_empty())
                    .map(|(role, c)| format!("{} {}", role.title, c.letters)),
            )
        };
        let mut docs = Vec::new();
        for view in VIEWS.iter().filter(|v| v.listed(views)) {
            // (anchor, heading, text) of each section.
            let sections: Vec<(String, String, String)> = match view.url {
                "raci.html" => views
                    .raci
                    .areas
                    .iter()
                    .map(|area| {
                        let rows: Vec<String> = area
                            .rows
                            .iter()
                            .map(|r| format!("{}: {}.", r.activity.title, held(&r.cells)))
                            .collect();
                        (area.anchor.clone(), area.name.clone(), rows.join(" "))
                    })
                    .collect(),
                // Its components; who holds which letters is the RACI
                // matrix's to find.
                "layers.html" => views
                    .layers
                    .rows
                    .iter()
                    .map(|row| {
                        let text = match row.components.as_slice() {
                            [] => String::new(),
                            components => {
                                format!("{}.", listing(components.iter().map(|c| c.title.as_str())))
                            }
                        };
                        (
                            format!("layer-{}", row.layer.id),
                            row.layer.title.clone(),
                            text,
                        )
                    })
                    .collect(),
                "boundaries.html" => views
                    .boundaries
                    .iter()
                    .map(|b| {
                        let holders = |hs: &[crate::render::views::Holder]| {
                            listing(hs.iter().map(|h| h.page.title.as_str()))
                        };
                        let mut text = match b.does.as_slice() {
                            [] => String::new(),
                            does => format!("Does: {}.", holders(does)),
                        };
                        for n in &b.does_not {
                            text.push_str(&format!(" Does not: {}", n.activity.title));
                            if !n.instead.is_empty() {
                                text.push_str(&format!(" (by {})", holders(&n.instead)));
                            }
                            text.push('.');
                        }
                        (
                            format!("boundary-{}", b.role.id),
                            b.role.title.clone(),
                            text,
                        )
                    })
                    .collect(),
                _ => continue,
            };
            docs.push(search::Prepared::view(
                view.url,
                view.title,
                &sections,
                self.state.stemming,
            ));
        }
        docs
    }

    /// Renders every view and the 404 page; returns how many pages that is.
    /// Writes the views, the not-found page and the redirect pages; returns
    /// how many files it wrote and the print chapters of the listed views,
    /// in navigation order.
    pub(super) fn views(&self) -> std::result::Result<(usize, ViewChapters), RenderError> {
        let anchors = if self.state.site_ctx.print {
            self.print_anchors(&self.state.nav.order)
        } else {
            HashMap::new()
        };
        // Side by side, but the first failing view in order is reported.
        let done: Vec<_> = VIEWS
            .par_iter()
            .filter(|v| v.written(&self.state.views))
            .map(|v| self.view(v, &anchors).map(|chapter| (v, chapter)))
            .collect();
        let written = done.len();
        let chapters = done
            .into_iter()
            .collect::<std::result::Result<Vec<_>, RenderError>>()?
            .into_iter()
            .filter(|(v, _)| self.state.site_ctx.print && v.listed(&self.state.views))
            .collect();
        self.not_found()?;
        self.redirect_pages()?;
        Ok((written + 2, chapters))
    }

    /// Writes the redirect pages (and the landing page of a handbook without
    /// an `index.html` page).
    pub(super) fn redirect_pages(&self) -> std::result::Result<(), RenderError> {
        #[derive(Serialize)]
        struct Ctx<'a> {
            site: &'a SiteCtx,
            url: &'a str,
            script: String,
        }
        for r in &self.state.redirects.pages {
            // Always: `old.html#sec` lands on `new.html#sec` (a meta refresh
            // drops the fragment), as mdBook's redirect pages do.
            let script = redirect::fragment_script(&r.fragments, Some(&r.to));
            let ctx = Ctx {
                site: &self.state.site_ctx,
                url: &r.to,
                script,
            };
            let html = self.render_values("redirect.html", &ctx)?;
            self.out.folders([r.path.as_str()])?;
            self.write(&r.path, html.as_bytes())?;
        }
        Ok(())
    }

    /// Renders and writes one generated view; returns its print chapter.
    pub(super) fn view(
        &self,
        view: &View,
        anchors: &HashMap<String, String>,
    ) -> std::result::Result<String, RenderError> {
        let common = self.common(view.url, None, view.title.to_string())?;
        let views = &self.state.views;
        let by_id = |id: &str| self.book.model.ids.get(id).copied();
        let html = self.render_with(view.template, &common, |ctx| match view.template {
            "raci.html" => {
                ctx.insert("raci", &views.raci);
                ctx.insert("changes", &views.changes);
            }
            "layers.html" => {
                ctx.insert("layers", &views.layers);
                let lifecycle =
                    |c: &PageRef| match by_id(&c.id).and_then(|i| views.facts[i].as_ref()) {
                        Some(Facts::Component { lifecycle, .. }) => lifecycle.clone(),
                        _ => None,
                    };
                let (svg, legend) =
                    stack::layer_stack(&views.layers, &lifecycle).unwrap_or_default();
                ctx.insert("svg", &svg);
                ctx.insert("lifecycles", &legend);
                ctx.insert("has_components", &!views.of(Kind::Component).is_empty());
            }
            "dependencies.html" => {
                let mut view = views.dependency_view(&by_id);
                // `model-diagrams = false`: the lists by layer, no picture.
                if let Some(v) = view.as_mut().filter(|_| !self.book.config.model_diagrams) {
                    v.diagram = crate::render::diagrams::ModelDiagram::default();
                }
                ctx.insert("dependencies", &view);
            }
            "boundaries.html" => {
                ctx.insert("boundaries", &views.boundaries);
                ctx.insert("interfaces", &views.interfaces);
                let diagrams: HashMap<&str, crate::render::diagrams::ModelDiagram> = views
                    .boundaries
                    .iter()
                    .filter(|_| self.book.config.model_diagrams)
                    .filter_map(|b| Some((b.role.id.as_str(), views.relations_diagram(b, "")?)))
                    .collect();
                ctx.insert("diagrams", &diagrams);
            }
            "decisions.html" => ctx.insert("decisions", &views.decisions),
            "changes.html" => ctx.insert("changes", &views.changes),
            "health.html" => ctx.insert("health", &views.health),
            "tags.html" => ctx.insert("tags", &views.tags),
            _ => {
                let kind = match view.shown {
                    Shown::Kind(k) => k,
                    _ => Kind::Role,
                };
                let items: Vec<IndexItem> = views
                    .of(kind)
                    .iter()
                    .filter(|&&i| views.refs[i].url.is_some())
                    .map(|&i| IndexItem {
                        page: &views.refs[i],
                        detail: views.facts[i]
                            .as_ref()
                            .map(index_detail)
                            .unwrap_or_default(),
                    })
                    .collect();
                ctx.insert("items", &items);
                ctx.insert("kind", &kind);
            }
        })?;
        let url = view.url;
        self.write(url, html.as_bytes())?;
        if !self.state.site_ctx.print {
            return Ok(String::new());
        }
        let article = article(&[&html]).unwrap_or_default();
        Ok(print_html(&article, url, &chapter_anchor(url), anchors))
    }

    pub(super) fn not_found(&self) -> std::result::Result<(), RenderError> {
        let mut common = self.common_with("404.html", None, "Page not found".into(), String::new());
        // A 404 page is served at any depth: its links must be absolute.
        let mut root = self
            .book
            .config
            .site_url
            .clone()
            .unwrap_or_else(|| "/".into());
        if !root.ends_with('/') {
            root.push('/');
        }
        common.sidebar = self.sidebar("404.html", None, &root)?.to_html();
        common.root = root;
        // The text of `404.md` (mdBook's `input-404`) when the handbook has
        // one; the theme's own words otherwise.
        let content = match &self.book.not_found {
            Some(p) => {
                common.title = p.title.clone();
                let r = self.body(p, &highlight::Highlighted::default());
                let mut html = r.title_html.unwrap_or_default();
                html.push_str(&r.html);
                html
            }
            None => String::new(),
        };
        let html = self.render_with("404.html", &common, |ctx| ctx.insert("content", &content))?;
        self.write("404.html", html.as_bytes())?;
        Ok(())
    }
}
