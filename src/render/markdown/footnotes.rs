//! Footnotes: numbered in the order they are first cited, listed at the
//! end of the page with links back to each citation.

/// A page's footnotes, numbered in the order they are first referenced and
/// listed at the end of the page with links back, as GitHub and mdBook show
/// them.
#[derive(Debug, Default)]
pub(super) struct Footnotes {
    /// Labels, in number order.
    pub(super) labels: Vec<String>,
    /// Each label's number.
    pub(super) numbers: std::collections::HashMap<String, usize>,
    /// References so far, per label (each gets an id to link back to).
    pub(super) refs: std::collections::HashMap<String, usize>,
    /// Rendered definitions, per label.
    pub(super) bodies: std::collections::HashMap<String, String>,
}

impl Footnotes {
    /// The number of `label`, given one if it has none yet.
    pub(super) fn number(&mut self, label: &str) -> usize {
        if let Some(&n) = self.numbers.get(label) {
            return n;
        }
        self.labels.push(label.to_string());
        self.numbers.insert(label.to_string(), self.labels.len());
        self.labels.len()
    }

    /// The superscript link of a reference to `label`.
    pub(super) fn reference(&mut self, label: &str) -> String {
        let n = self.number(label);
        let count = self.refs.entry(label.to_string()).or_default();
        *count += 1;
        let id = note_id(label);
        let nth = if *count == 1 {
            String::new()
        } else {
            format!("-{count}")
        };
        format!(
            "<sup class=\"footnote-reference\" id=\"fnref-{id}{nth}\"><a href=\"#fn-{id}\">{n}</a></sup>"
        )
    }

    /// The list of definitions, each with links back to its references;
    /// `None` when the page has no footnotes.
    pub(super) fn html(mut self) -> Option<String> {
        if self.labels.is_empty() {
            return None;
        }
        let mut out =
            String::from("<section class=\"footnotes\" aria-label=\"Footnotes\">\n<ol>\n");
        for label in &self.labels {
            let id = note_id(label);
            let mut body = self.bodies.remove(label).unwrap_or_default();
            let mut back = String::new();
            for k in 1..=self.refs.get(label).copied().unwrap_or(0) {
                let (nth, mark) = if k == 1 {
                    (String::new(), String::new())
                } else {
                    (format!("-{k}"), format!("<sup>{k}</sup>"))
                };
                back.push_str(&format!(
                    " <a href=\"#fnref-{id}{nth}\" class=\"footnote-backref\" aria-label=\"Back to the text\">↩{mark}</a>"
                ));
            }
            // The links back end the definition's last paragraph.
            match body.trim_end().strip_suffix("</p>") {
                Some(head) if !back.is_empty() => body = format!("{head}{back}</p>\n"),
                _ => body.push_str(&back),
            }
            out.push_str(&format!("<li id=\"fn-{id}\">\n{body}</li>\n"));
        }
        out.push_str("</ol>\n</section>\n");
        Some(out)
    }
}

/// A footnote label as an id.
pub(super) fn note_id(label: &str) -> String {
    crate::slug::id_safe(label)
}
