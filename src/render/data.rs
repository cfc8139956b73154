//! The data files beside the pages: `raci.csv` (the matrix for a
//! spreadsheet), `model.json` (the whole model for other tools),
//! `sitemap.xml`, `.nojekyll` and `CNAME`.

use super::*;

/// Texts of model fields that search should find on the page's top section.
pub(super) fn model_fields(p: &Page) -> Vec<&str> {
    let mut out: Vec<&str> = p.summary.iter().map(String::as_str).collect();
    match &p.data {
        KindData::Role { mantra, focus, .. } => {
            out.extend(mantra.iter().chain(focus).map(String::as_str))
        }
        KindData::Activity { area, .. } => out.extend(area.iter().map(String::as_str)),
        KindData::Component { lifecycle, .. } => out.extend(lifecycle.iter().map(String::as_str)),
        KindData::Decision { status, .. } => out.extend(status.iter().map(String::as_str)),
        _ => {}
    }
    out.extend(p.tags.iter().map(String::as_str));
    out
}

/// Appends one CSV row (RFC 4180). Fields that a spreadsheet would run as a
/// formula (`=`, `+`, `-`, `@`, TAB or CR first, as OWASP lists them) are
/// prefixed with `'`.
pub(super) fn push_csv_row(out: &mut String, fields: &[String]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let f = if f.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{f}")
        } else {
            f.clone()
        };
        if f.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&f);
        }
    }
    out.push_str("\r\n");
}

impl Renderer<'_> {
    /// Writes the data files (RACI CSV, model JSON, sitemap), the theme's
    /// assets, the highlighting stylesheet, extra CSS/JS and static files.
    pub(super) fn data_files(&self) -> Result<()> {
        self.write("raci.csv", self.raci_csv().as_bytes())?;
        self.write("model.json", self.model_json().as_bytes())?;
        if let Some(map) = self.sitemap() {
            self.write("sitemap.xml", map.as_bytes())?;
        }
        self.write(".nojekyll", b"")?;
        // GitHub Pages' custom domain, as mdBook writes it.
        if let Some(domain) = self.book.config.cname.as_deref().map(str::trim)
            && !domain.is_empty()
        {
            self.write("CNAME", format!("{domain}\n").as_bytes())?;
        }
        self.out
            .folders(self.theme.assets.iter().map(|(name, _)| name.as_str()))?;
        for (name, bytes) in &self.theme.assets {
            self.write(name, bytes)?;
        }
        let css = if self.book.config.highlight {
            highlight::css()
        } else {
            // Themes link it either way.
            "/* Build-time highlighting is off ([archbook] highlight = false). */\n".to_string()
        };
        self.write("assets/highlight.css", css.as_bytes())?;
        for extra in self
            .state
            .site_ctx
            .additional_css
            .iter()
            .chain(&self.state.site_ctx.additional_js)
        {
            self.out.folders([extra.as_str()])?;
            self.out.copy(&self.book.root.join(extra), extra)?;
        }
        self.copy_statics()
    }

    pub(super) fn raci_csv(&self) -> String {
        let m = &self.state.views.raci;
        let mut out = String::new();
        let mut header = vec![
            "Area".to_string(),
            "Activity".to_string(),
            "Activity id".to_string(),
        ];
        header.extend(m.roles.iter().map(|r| r.title.clone()));
        push_csv_row(&mut out, &header);
        for area in &m.areas {
            for row in &area.rows {
                let mut fields = vec![
                    area.name.clone(),
                    row.activity.title.clone(),
                    row.activity.id.clone(),
                ];
                fields.extend(row.cells.iter().map(|c| c.letters.clone()));
                push_csv_row(&mut out, &fields);
            }
        }
        out
    }

    /// `model.json`: every published model page with its facts and
    /// references, and every RACI cell. Serialized straight from the model
    /// (4 MB at 10,000 pages: no intermediate JSON tree).
    pub(super) fn model_json(&self) -> String {
        #[derive(Serialize)]
        struct Item<'a> {
            id: &'a str,
            kind: Option<Kind>,
            title: &'a str,
            #[serde(serialize_with = "crate::slug::serialize_href_str")]
            url: &'a str,
            source: &'a str,
            summary: Option<&'a str>,
            #[serde(skip_serializing_if = "<[_]>::is_empty")]
            tags: &'a [String],
            references: Vec<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            facts: Option<&'a Facts>,
            #[serde(skip_serializing_if = "Option::is_none")]
            relations: Option<std::collections::BTreeMap<&'a str, &'a str>>,
        }
        #[derive(Serialize)]
        struct Cell<'a> {
            activity: &'a str,
            role: &'a str,
            letters: String,
        }
        #[derive(Serialize)]
        struct Doc<'a> {
            title: &'a str,
            generator: &'static str,
            raci_letters: &'static str,
            items: Vec<Item<'a>>,
            raci: Vec<Cell<'a>>,
            /// Every tag with its pages (model pages and plain ones).
            tags: &'a [crate::render::views::Tag],
        }
        let pages = &self.book.pages;
        let items = self
            .state
            .nav
            .order
            .iter()
            .filter(|&&i| pages[i].kind.is_some())
            .map(|&i| {
                let p = &pages[i];
                let mut refs: BTreeSet<(&str, &str)> = BTreeSet::new();
                for (_, r, kind) in p.data.references() {
                    if self.book.model.get(pages, &r.id, kind).is_some() {
                        refs.insert((r.id.as_str(), kind.name()));
                    }
                }
                Item {
                    id: &p.id,
                    kind: p.kind,
                    title: &p.title,
                    url: &p.output,
                    source: &p.source,
                    summary: p.summary.as_deref(),
                    tags: &p.tags,
                    references: refs.iter().map(|(id, _)| *id).collect(),
                    facts: self.state.views.facts[i].as_ref(),
                    relations: match &p.data {
                        KindData::Role { relations, .. } => Some(
                            relations
                                .iter()
                                .map(|(r, t)| (r.id.as_str(), t.as_str()))
                                .collect(),
                        ),
                        _ => None,
                    },
                }
            })
            .collect();
        let raci = self
            .book
            .model
            .raci
            .iter()
            .filter(|((a, r), _)| !pages[*a].draft && !pages[*r].draft)
            .map(|((a, r), asg)| Cell {
                activity: &pages[*a].id,
                role: &pages[*r].id,
                letters: asg.letters.to_string(),
            })
            .collect();
        let doc = Doc {
            title: &self.state.site_ctx.title,
            generator: concat!("archbook ", env!("CARGO_PKG_VERSION")),
            raci_letters: self.book.config.alphabet.letters(),
            items,
            raci,
            tags: &self.state.views.tags,
        };
        serde_json::to_string(&doc).unwrap_or_default() + "\n"
    }

    pub(super) fn sitemap(&self) -> Option<String> {
        let base = self.book.config.site_url.as_deref()?;
        if !(base.starts_with("https://") || base.starts_with("http://")) {
            return None;
        }
        let base = base.trim_end_matches('/');
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        let urls = self
            .state
            .nav
            .order
            .iter()
            .map(|&i| self.book.pages[i].output.as_str())
            .chain(
                VIEWS
                    .iter()
                    .filter(|v| v.written(&self.state.views))
                    .map(|v| v.url),
            );
        for u in urls {
            let mut loc = String::new();
            pulldown_cmark_escape::escape_html(
                &mut loc,
                &format!("{base}/{}", crate::slug::href(u)),
            )
            .ok();
            out.push_str(&format!("  <url><loc>{loc}</loc></url>\n"));
        }
        out.push_str("</urlset>\n");
        Some(out)
    }
}
