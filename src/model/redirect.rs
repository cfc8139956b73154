//! Redirect pages: mdBook's `[output.html.redirect]` (old paths that now live
//! elsewhere, so bookmarks and links from outside keep working) and the
//! landing page of a handbook that has no `index.md` or `README.md` at the
//! top (mdBook's books often start at `chapter_1.md`; `index.html` then leads
//! to the first page, so the site root and the theme's home links work).
//!
//! `config` reads the entries ([`Redirect`]); [`check`] reports the ones that cannot work
//! (run with the other whole-site checks); [`plan`] decides what `render`
//! writes. A redirect page is the theme's `redirect.html`; a `#fragment`
//! entry for a page that exists becomes a small script added to that page.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::config::redirect::Redirect;
use crate::content::page::Page;
use crate::diagnostic::Diagnostic;
use crate::model::outputs::GENERATED;
use crate::rules::Rule;

/// A redirect page to write.
#[derive(Clone, Debug, PartialEq)]
pub struct RedirectPage {
    /// Where it is written, from the site root.
    pub path: String,
    /// Where it sends readers.
    pub to: String,
    /// Old `#fragments` that go somewhere else than `to`.
    pub fragments: BTreeMap<String, String>,
}

/// What the renderer writes for the redirects.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    /// Pages of their own.
    pub pages: Vec<RedirectPage>,
    /// `#fragment` maps for pages that exist, by output path.
    pub fragments: HashMap<String, BTreeMap<String, String>>,
}

/// Reports entries that cannot work: a redirect away from a page or file the
/// site has (mdBook refuses those too), and `#fragment` entries for a path
/// that is neither a page nor has an entry of its own saying where the rest
/// of it goes.
pub fn check(
    redirects: &[Redirect],
    pages: &[Page],
    statics: &BTreeSet<String>,
    found: &mut Vec<Diagnostic>,
) {
    let outputs: HashMap<&str, &Page> = pages.iter().map(|p| (p.output.as_str(), p)).collect();
    let based: BTreeSet<&str> = redirects
        .iter()
        .filter(|r| r.fragment.is_none())
        .map(|r| r.path.as_str())
        .collect();
    for r in redirects {
        let (file, span) = (r.at.0, r.at.1.clone());
        let taken = if let Some(p) = outputs.get(r.path.as_str()) {
            Some(format!("the page `{}`", p.source))
        } else if statics.contains(&r.path) {
            Some("a file of the source folder".to_string())
        } else if GENERATED.contains(&r.path.as_str()) {
            Some("a page archbook generates".to_string())
        } else {
            None
        };
        match (&r.fragment, taken) {
            (None, Some(what)) => found.push(
                Diagnostic::new(
                    Rule::Redirect,
                    format!("redirect from `{}`, which is {what}", r.path),
                )
                .at(file, span, "this entry")
                .help("remove the entry, or move the page away so the old path is free"),
            ),
            (Some(_), None) if !based.contains(r.path.as_str()) => found.push(
                Diagnostic::new(
                    Rule::Redirect,
                    format!(
                        "`{}` has redirects for some `#fragments` only, and is not a page",
                        r.path
                    ),
                )
                .at(file, span, "this entry")
                .help(format!(
                    "add an entry without a fragment, `\"/{}\" = \"new.html\"`, for the rest of the page",
                    r.path
                )),
            ),
            _ => {}
        }
    }
}

/// Decides the redirect pages and fragment maps. `first` is the page the
/// landing page leads to when no page is written to `index.html` (none when
/// the handbook has no pages; then it leads to `fallback`).
pub fn plan(redirects: &[Redirect], pages: &[Page], first: Option<&str>, fallback: &str) -> Plan {
    let outputs: BTreeSet<&str> = pages.iter().map(|p| p.output.as_str()).collect();
    let mut plan = Plan::default();
    let mut own: BTreeMap<&str, RedirectPage> = BTreeMap::new();
    for r in redirects {
        if outputs.contains(r.path.as_str()) {
            if let Some(f) = &r.fragment {
                plan.fragments
                    .entry(r.path.clone())
                    .or_default()
                    .insert(format!("#{f}"), r.to.clone());
            }
            continue;
        }
        let page = own.entry(&r.path).or_insert_with(|| RedirectPage {
            path: r.path.clone(),
            to: String::new(),
            fragments: BTreeMap::new(),
        });
        match &r.fragment {
            Some(f) => {
                page.fragments.insert(format!("#{f}"), r.to.clone());
            }
            None => page.to = r.to.clone(),
        }
    }
    plan.pages = own.into_values().filter(|p| !p.to.is_empty()).collect();
    if !outputs.contains("index.html") && !plan.pages.iter().any(|p| p.path == "index.html") {
        plan.pages.push(RedirectPage {
            path: "index.html".into(),
            // A page's output path, as a link (the entries above are links already).
            to: crate::slug::href(first.unwrap_or(fallback)).into_owned(),
            fragments: BTreeMap::new(),
        });
    }
    plan
}

/// The script that sends an old `#fragment` on to where it went; added to a
/// page that exists, or to a redirect page (where an address without a
/// fragment, or with another one, goes to `default`, keeping its fragment).
pub fn fragment_script(fragments: &BTreeMap<String, String>, default: Option<&str>) -> String {
    let map = script_json(fragments);
    match default {
        None => format!(
            "<script>(function(){{var m={map};var t=m[location.hash];\
             if(t)location.replace(new URL(t,location.href).href);}})();</script>"
        ),
        Some(to) => {
            let to = script_json(to);
            format!(
                "<script>(function(){{var m={map};var t=m[location.hash];\
                 if(t){{location.replace(new URL(t,location.href).href);return;}}\
                 if(location.hash){{var u=new URL({to},location.href);u.hash=location.hash;\
                 location.replace(u.href);}}}})();</script>"
            )
        }
    }
}

/// JSON to place inside `<script>`: `</` must not end the element early.
fn script_json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "null".into())
        .replace("</", "<\\/")
}

/// Adds `script` just before `</body>` (or at the end of a page without one).
pub fn add_script(html: &mut String, script: &str) {
    match html.rfind("</body>") {
        Some(at) => html.insert_str(at, script),
        None => html.push_str(script),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: &str, to: &str) -> Redirect {
        Redirect::parse(key, to, (0, 0..0)).unwrap()
    }

    fn page(output: &str) -> Page {
        let (mut p, _) = crate::content::parse(0, "x.md", "# X\n", crate::vocab::Alphabet::Raci);
        p.output = output.to_string();
        p
    }

    #[test]
    fn keys_must_name_a_file_inside_the_site() {
        let e = entry("/old/page.html#part", "new.html");
        assert_eq!(e.path, "old/page.html");
        assert_eq!(e.fragment.as_deref(), Some("part"));
        for bad in ["/", "/old/", "/../x.html", "/a//b.html", "/./", ""] {
            assert!(Redirect::parse(bad, "x.html", (0, 0..0)).is_err(), "{bad}");
        }
        // mdBook books write keys from the root with `./` too.
        for same in ["./vec-alloc.html", "/./vec-alloc.html", "vec-alloc.html"] {
            assert_eq!(entry(same, "vec/vec-alloc.html").path, "vec-alloc.html");
        }
        assert!(Redirect::parse("/a.html", " ", (0, 0..0)).is_err());
        assert!(Redirect::parse("/a.html", " JavaScript:alert(1)", (0, 0..0)).is_err());
    }

    #[test]
    fn entries_become_pages_and_fragment_maps() {
        let pages = [page("index.html"), page("intro.html")];
        let plan = plan(
            &[
                entry("/overview.html", "intro.html"),
                entry("/overview.html#old", "intro.html#new"),
                entry("/intro.html#gone", "other.html"),
                entry("/nested/page.html", "https://example.org/"),
            ],
            &pages,
            Some("index.html"),
            "raci.html",
        );
        assert_eq!(
            plan.pages,
            [
                RedirectPage {
                    path: "nested/page.html".into(),
                    to: "https://example.org/".into(),
                    fragments: BTreeMap::new(),
                },
                RedirectPage {
                    path: "overview.html".into(),
                    to: "intro.html".into(),
                    fragments: [("#old".to_string(), "intro.html#new".to_string())].into(),
                },
            ]
        );
        assert_eq!(plan.fragments["intro.html"]["#gone"], "other.html");
    }

    #[test]
    fn a_handbook_without_an_index_page_gets_a_landing_page() {
        let plan = plan(
            &[],
            &[page("chapter_1.html")],
            Some("chapter_1.html"),
            "raci.html",
        );
        assert_eq!(plan.pages[0].path, "index.html");
        assert_eq!(plan.pages[0].to, "chapter_1.html");
        let plan2 = super::plan(&[], &[], None, "raci.html");
        assert_eq!(plan2.pages[0].to, "raci.html");
        // An explicit entry for index.html wins.
        let plan3 = super::plan(
            &[entry("/index.html", "start.html")],
            &[page("start.html")],
            Some("start.html"),
            "raci.html",
        );
        assert_eq!(plan3.pages.len(), 1);
        assert_eq!(plan3.pages[0].to, "start.html");
    }

    #[test]
    fn unworkable_entries_are_reported() {
        let pages = [page("intro.html")];
        let mut found = Vec::new();
        check(
            &[
                entry("/intro.html", "new.html"),
                entry("/raci.html", "new.html"),
                entry("/gone.html#a", "new.html"),
                entry("/intro.html#a", "new.html"),
                entry("/moved.html#a", "new.html"),
                entry("/moved.html", "new.html"),
            ],
            &pages,
            &BTreeSet::new(),
            &mut found,
        );
        let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "redirect from `intro.html`, which is the page `x.md`",
                "redirect from `raci.html`, which is a page archbook generates",
                "`gone.html` has redirects for some `#fragments` only, and is not a page",
            ]
        );
    }

    #[test]
    fn scripts_cannot_close_their_element() {
        let map: BTreeMap<String, String> =
            [("#a".to_string(), "x</script>.html".to_string())].into();
        let s = fragment_script(&map, Some("y.html"));
        assert_eq!(s.matches("</script>").count(), 1, "{s}");
        let mut html = "<html><body><p>x</p></body></html>".to_string();
        add_script(&mut html, "<script>1</script>");
        assert_eq!(html, "<html><body><p>x</p><script>1</script></body></html>");
    }
}
