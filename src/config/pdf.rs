//! `[output.pdf]`: the keys of the mdbook-pdf plugin that `archbook build
//! --pdf` reads (the browser and the paper), read into
//! [`crate::pdf::PdfSettings`]; its other keys are accepted and left to the
//! theme.

use toml::Spanned;
use toml::de::DeValue;

use super::read::Reader;
use crate::pdf::PdfSettings;

/// What a paper length in `[output.pdf]` must be.
pub(super) const INCHES: &str = "a length in inches (8.27 for A4, 8.5 for Letter)";

/// The mdbook-pdf plugin's `[output.pdf]` keys that archbook's theme settles
/// instead (page size comes from `paper-width` and `paper-height`).
const MDBOOK_PDF_KEYS: &[&str] = &[
    "enable",
    "trying-times",
    "static_site_url",
    "landscape",
    "display-header-footer",
    "print-background",
    "theme",
    "scale",
    "margin-top",
    "margin-bottom",
    "margin-left",
    "margin-right",
    "page-ranges",
    "ignore-invalid-page-ranges",
    "header-template",
    "footer-template",
    "prefer-css-page-size",
    "generate-document-outline",
    "generate-tagged-pdf",
];

/// One key of `[output.pdf]`; `false` when it is not one of mdbook-pdf's.
pub(super) fn key(
    r: &mut Reader<'_>,
    pdf: &mut PdfSettings,
    k: &str,
    v: &Spanned<DeValue<'_>>,
) -> bool {
    match k {
        "browser-binary-path" => {
            pdf.browser = r
                .string(v, "output.pdf.browser-binary-path")
                .filter(|s| !s.is_empty())
                .map(Into::into);
            true
        }
        "paper-width" | "paper-height" => {
            let name = format!("output.pdf.{k}");
            if let Some(inches) = inches(r, v, &name) {
                if k == "paper-width" {
                    pdf.paper.0 = inches;
                } else {
                    pdf.paper.1 = inches;
                }
            }
            true
        }
        _ => MDBOOK_PDF_KEYS.contains(&k),
    }
}

/// A length in inches: a number above 0 and at most 200.
fn inches(r: &mut Reader<'_>, v: &Spanned<DeValue<'_>>, name: &str) -> Option<f64> {
    let n = match v.get_ref() {
        DeValue::Integer(n) if n.radix() == 10 => n.as_str().replace('_', "").parse().ok(),
        DeValue::Float(f) => f.as_str().replace('_', "").parse().ok(),
        _ => None,
    };
    match n {
        Some(n) if n > 0.0 && n <= 200.0 => Some(n),
        _ => {
            r.type_error(v, name, INCHES, v.get_ref().type_str());
            None
        }
    }
}
