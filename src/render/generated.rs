//! The generated pages: the views (RACI matrix, layers, role boundaries,
//! kind indexes, decision log), the not-found page and the redirect pages.

use super::*;

/// The generated views: output file, navigation title, template, kind listed.
pub(super) const VIEWS: &[(&str, &str, &str, Option<Kind>)] = &[
    (
        "raci.html",
        "RACI matrix",
        "raci.html",
        Some(Kind::Activity),
    ),
    ("layers.html", "Layers", "layers.html", Some(Kind::Layer)),
    (
        "boundaries.html",
        "Role boundaries",
        "boundaries.html",
        Some(Kind::Role),
    ),
    ("roles.html", "Roles", "kind-index.html", Some(Kind::Role)),
    (
        "components.html",
        "Components",
        "kind-index.html",
        Some(Kind::Component),
    ),
    (
        "activities.html",
        "Activities",
        "kind-index.html",
        Some(Kind::Activity),
    ),
    (
        "decisions.html",
        "Decision log",
        "decisions.html",
        Some(Kind::Decision),
    ),
];

impl Renderer<'_> {
    /// Renders every view and the 404 page; returns how many pages that is.
    pub(super) fn views(&self) -> std::result::Result<usize, RenderError> {
        // Side by side, but the first failing view in order is reported.
        let done: Vec<_> = VIEWS
            .par_iter()
            .map(|(url, title, template, kind)| self.view(url, title, template, *kind))
            .collect();
        done.into_iter()
            .collect::<std::result::Result<Vec<()>, RenderError>>()?;
        self.not_found()?;
        self.redirect_pages()?;
        Ok(VIEWS.len() + 2)
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
            if let Some((parent, _)) = r.path.rsplit_once('/') {
                let p = self.dir.join(parent);
                std::fs::create_dir_all(&p).map_err(|e| Error::write(&p, e))?;
            }
            self.write(&r.path, html.as_bytes())?;
        }
        Ok(())
    }

    pub(super) fn view(
        &self,
        url: &str,
        title: &str,
        template: &str,
        kind: Option<Kind>,
    ) -> std::result::Result<(), RenderError> {
        let common = self.common(url, None, title.to_string())?;
        let items: Vec<&PageRef> = kind
            .map(|k| {
                self.state
                    .views
                    .of(k)
                    .iter()
                    .map(|&i| &self.state.views.refs[i])
                    .filter(|r| r.url.is_some())
                    .collect()
            })
            .unwrap_or_default();
        let views = &self.state.views;
        let html = match template {
            "raci.html" => self.render_with(template, &common, ("raci", &views.raci), NO_MORE)?,
            "layers.html" => {
                let svg = stack::layer_stack(&views.layers).unwrap_or_default();
                self.render_with(
                    template,
                    &common,
                    ("layers", &views.layers),
                    Some(("svg", svg)),
                )?
            }
            "boundaries.html" => self.render_with(
                template,
                &common,
                ("boundaries", &views.boundaries),
                Some(("interfaces", &views.interfaces)),
            )?,
            "decisions.html" => {
                self.render_with(template, &common, ("decisions", &views.decisions), NO_MORE)?
            }
            _ => self.render_with(template, &common, ("items", &items), Some(("kind", kind)))?,
        };
        self.write(url, html.as_bytes())?;
        Ok(())
    }

    pub(super) fn not_found(&self) -> std::result::Result<(), RenderError> {
        let mut common = self.common_with(
            "404.html",
            None,
            "Page not found".into(),
            String::new(),
            false,
        );
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
        let html = self.render_with("404.html", &common, ("content", content), NO_MORE)?;
        self.write("404.html", html.as_bytes())?;
        Ok(())
    }
}
