//! Cleaning rendered HTML for `[archbook] sanitize-html = true`.

use super::*;

/// Cleans rendered HTML for `[archbook] sanitize-html = true`: ammonia's
/// allow-list (no scripts, event handlers, `javascript:` URLs, styles,
/// frames or forms), widened only by what archbook's own Markdown output
/// needs: `class`, `id` and ARIA attributes, task-list checkboxes, table
/// cell alignment and a custom admonition's colour.
pub fn sanitize(html: &str) -> String {
    static CLEANER: std::sync::LazyLock<ammonia::Builder<'static>> =
        std::sync::LazyLock::new(|| {
            let mut b = ammonia::Builder::default();
            b.add_generic_attributes(["class", "id", "role", "aria-labelledby"])
                .add_tags(["input", "section"])
                .add_tag_attributes("section", ["aria-label"])
                .add_tag_attributes("input", ["type", "checked", "disabled"])
                .add_tag_attributes("th", ["style"])
                .add_tag_attributes("td", ["style"])
                .add_tag_attributes("a", ["aria-label"])
                .add_tag_attributes("div", ["style"])
                .add_tag_attributes("details", ["style"])
                .attribute_filter(|element, attribute, value| match (element, attribute) {
                    // A custom admonition's colour.
                    ("div" | "details", "style") => value
                        .strip_prefix("--alert: ")
                        .is_some_and(admonition::is_colour)
                        .then_some(value.into()),
                    ("th" | "td", "style") => matches!(
                        value,
                        "text-align: left" | "text-align: center" | "text-align: right"
                    )
                    .then_some(value.into()),
                    ("input", "type") => (value == "checkbox").then_some(value.into()),
                    _ => Some(value.into()),
                });
            b
        });
    CLEANER.clean(html).to_string()
}
