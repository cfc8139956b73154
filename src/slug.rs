//! Ids, heading anchors, output paths and relative links: the naming rules
//! of the site.
//!
//! Used by `content` (default ids, heading anchors, `SUMMARY.md` paths), by
//! the link checker and by the renderer, so a link is judged by exactly the
//! names the renderer will write.

/// The printable ASCII characters a generated link cannot carry as they
/// are: what ends or breaks a URL path (`#`, `?`, `%`, space, quotes,
/// brackets). Controls and non-ASCII are always encoded.
const SPECIAL: &[u8] = b" \"#%<>?[\\]^`{|}";

/// What [`href`] encodes: controls, non-ASCII and [`SPECIAL`].
const HREF: &percent_encoding::AsciiSet = &{
    let mut set = percent_encoding::CONTROLS.add(SPECIAL[0]);
    let mut i = 1;
    while i < SPECIAL.len() {
        set = set.add(SPECIAL[i]);
        i += 1;
    }
    set
};

/// An output path as a link (`a#b.html` → `a%23b.html`): pages keep their
/// source file's name, which may hold characters a URL cannot.
pub fn href(path: &str) -> std::borrow::Cow<'_, str> {
    // Most paths need nothing: looked up a byte at a time in a table,
    // without the encoder's iterator.
    const PLAIN: [bool; 256] = {
        let mut t = [false; 256];
        // The printable characters `HREF` leaves alone.
        let mut b = b'!';
        while b < 0x7f {
            t[b as usize] = true;
            b += 1;
        }
        let mut i = 0;
        while i < SPECIAL.len() {
            t[SPECIAL[i] as usize] = false;
            i += 1;
        }
        t
    };
    if path.bytes().all(|b| PLAIN[b as usize]) {
        return std::borrow::Cow::Borrowed(path);
    }
    percent_encoding::utf8_percent_encode(path, HREF).into()
}

/// Serializes an optional output path as a link (for `url` fields that
/// templates put into `href`s).
pub fn serialize_href<S: serde::Serializer, T: AsRef<str>>(
    url: &Option<T>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match url {
        Some(u) => s.serialize_some(&href(u.as_ref())),
        None => s.serialize_none(),
    }
}

/// Serializes an output path as a link.
pub fn serialize_href_str<S: serde::Serializer, T: AsRef<str> + ?Sized>(
    url: &T,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.serialize_str(&href(url.as_ref()))
}

/// Text as an HTML id and link fragment that needs no escaping: letters,
/// digits, `-` and `_` are kept, anything else becomes `-`.
pub fn id_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_id_safe(&mut out, text);
    out
}

/// Appends [`id_safe`]`(text)` to `out`.
pub fn push_id_safe(out: &mut String, text: &str) {
    // Copied in runs between the characters that become `-` (a path has
    // few: `guide/p/019/page-1910` is four runs).
    let keep = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    for (i, run) in text.split(|c: char| !keep(c)).enumerate() {
        if i > 0 {
            out.push('-');
        }
        out.push_str(run);
    }
}

/// Turns a file stem or title into an id: lower-case ASCII letters, digits and
/// single `-` between words (`Kubernetes Cluster` → `kubernetes-cluster`).
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else if c == '_' && !out.is_empty() {
            if dash {
                out.push('-');
                dash = false;
            }
            out.push('_');
        } else {
            dash = true;
        }
    }
    out
}

/// True for ids that are safe in a file name and a URL: ASCII lower-case
/// letters, digits, `-` and `_`, starting with a letter or digit.
pub fn is_safe_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// The anchor of a heading, the way mdBook 0.5 writes it: lower-case, spaces
/// to `-`, punctuation other than `-` and `_` dropped (`Design & Vision` →
/// `design--vision`), and `section` for a heading of punctuation only.
pub fn anchor(text: &str) -> String {
    let text = text.trim().to_lowercase();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            out.push(c);
        } else if c.is_whitespace() {
            out.push('-');
        }
    }
    if out.is_empty() {
        out.push_str("section");
    }
    out
}

/// A page's heading ids so far, made unique as mdBook does: the first
/// `intro` stays `intro`, the next ones become `intro-1`, `intro-2`, ...,
/// skipping ids already taken.
#[derive(Debug, Default)]
pub struct Unique {
    taken: std::collections::HashSet<String>,
    /// For each base met more than once, the suffix to try next: every
    /// smaller one is taken already (ids are never given back), so starting
    /// there gives the same id as counting from 1, in constant time rather
    /// than in time growing with the repeats (20,000 headings of the same
    /// text took 38 s).
    next: std::collections::HashMap<String, usize>,
}

impl Unique {
    /// `base`, or `base-N` with the smallest free `N`.
    pub fn make(&mut self, base: String) -> String {
        if self.taken.insert(base.clone()) {
            return base;
        }
        let mut n = self.next.get(&base).copied().unwrap_or(1);
        loop {
            let candidate = format!("{base}-{n}");
            n += 1;
            if self.taken.insert(candidate.clone()) {
                self.next.insert(base, n);
                return candidate;
            }
        }
    }
}

/// The output path of a source page (`a/b.md` → `a/b.html`, `a/README.md` and
/// `a/index.md` → `a/index.html`). Paths use `/`.
pub fn output_path(source: &str) -> String {
    let stem_start = source.rfind('/').map_or(0, |i| i + 1);
    let dir = &source[..stem_start];
    let file = &source[stem_start..];
    let stem = file.strip_suffix(".md").unwrap_or(file);
    if stem.eq_ignore_ascii_case("readme") || stem == "index" {
        format!("{dir}index.html")
    } else {
        format!("{dir}{stem}.html")
    }
}

/// Joins a relative link onto a folder, resolving `.` and `..`; `None` when it
/// climbs out of the source folder.
pub fn join(dir: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if link.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// Like [`join`], but a link that climbs out of the source folder keeps the
/// `..` it climbs with (`a/` and `../../std/x.html` give `../std/x.html`),
/// so it can be written relative to the site root.
pub fn join_from_root(dir: &str, link: &str) -> String {
    plain_join(dir, link).unwrap_or_else(|| join_from_root_slowly(dir, link))
}

/// [`join_from_root`] for the common case, without a list of segments: a
/// folder of plain names and a link of `../` or `./` steps (none above the
/// root) then plain names (`components/` and `../roles/x.html` give
/// `roles/x.html`). `None` for anything else.
fn plain_join(dir: &str, link: &str) -> Option<String> {
    let plain = |s: &str| !s.is_empty() && s != "." && s != "..";
    let mut dir = dir.trim_matches('/');
    if !dir.is_empty() && !dir.split('/').all(plain) {
        return None;
    }
    let mut rest = link;
    loop {
        if let Some(r) = rest.strip_prefix("../") {
            if dir.is_empty() {
                return None;
            }
            dir = dir.rfind('/').map_or("", |i| &dir[..i]);
            rest = r;
        } else if let Some(r) = rest.strip_prefix("./") {
            rest = r;
        } else {
            break;
        }
    }
    if !rest.split('/').all(plain) {
        return None;
    }
    if dir.is_empty() {
        return Some(rest.to_string());
    }
    let mut out = String::with_capacity(dir.len() + 1 + rest.len());
    out.push_str(dir);
    out.push('/');
    out.push_str(rest);
    Some(out)
}

fn join_from_root_slowly(dir: &str, link: &str) -> String {
    let mut up = 0;
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    up += 1;
                }
            }
            s => parts.push(s),
        }
    }
    let mut out = "../".repeat(up);
    out.push_str(&parts.join("/"));
    if link.ends_with('/') && !parts.is_empty() {
        out.push('/');
    }
    out
}

/// Decodes `%20`-style escapes.
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn the_plain_join_agrees_with_the_general_one(
            dir in proptest::collection::vec("|\\.|\\.\\.|a|b", 0..4),
            link in proptest::collection::vec("|\\.|\\.\\.|c|d\\.html", 0..5),
        ) {
            let (dir, link) = (dir.join("/"), link.join("/"));
            if let Some(fast) = plain_join(&dir, &link) {
                proptest::prop_assert_eq!(fast, join_from_root_slowly(&dir, &link));
            }
        }
    }

    #[test]
    fn plain_links_take_the_short_way() {
        assert_eq!(
            plain_join("components/", "../roles/x.html").as_deref(),
            Some("roles/x.html")
        );
        assert_eq!(plain_join("", "./a/b.html").as_deref(), Some("a/b.html"));
        assert_eq!(plain_join("a", "../../x.html"), None);
        assert_eq!(plain_join("a", "b/../x.html"), None);
    }

    #[test]
    fn links_join_onto_folders() {
        assert_eq!(join("a/b", "../c.md").as_deref(), Some("a/c.md"));
        assert_eq!(join("", "../c.md"), None);
        assert_eq!(join_from_root("a/b", "../c.md"), "a/c.md");
        assert_eq!(join_from_root("a/", "../../std/x.html"), "../std/x.html");
        assert_eq!(
            join_from_root("", "../book/index.html"),
            "../book/index.html"
        );
        assert_eq!(percent_decode("my%20file.md"), "my file.md");
        assert_eq!(percent_decode("bad%zz%"), "bad%zz%");
        assert_eq!(percent_decode("%é%"), "%é%");
    }

    #[test]
    fn links_and_ids_from_awkward_names() {
        assert_eq!(href("guide/a-b_c.d.html"), "guide/a-b_c.d.html");
        assert_eq!(href("My Page#2?.html"), "My%20Page%232%3F.html");
        assert_eq!(href("ü%.html"), "%C3%BC%25.html");
        // The fast check agrees with the encoder on every character.
        for b in 0u8..0x80 {
            let c = (b as char).to_string();
            let encoded: String = percent_encoding::utf8_percent_encode(&c, HREF).collect();
            assert_eq!(href(&c), encoded, "{b:#x}");
        }
        assert_eq!(id_safe("guide/p/019/page-1910"), "guide-p-019-page-1910");
        assert_eq!(id_safe("a#b?c d_é"), "a-b-c-d_é");
    }

    #[test]
    fn slugify_makes_safe_ids() {
        assert_eq!(slugify("Kubernetes Cluster"), "kubernetes-cluster");
        assert_eq!(slugify("  IT Manager / SDM "), "it-manager-sdm");
        assert_eq!(slugify("adr_0001"), "adr_0001");
        assert_eq!(slugify("../x"), "x");
        assert!(is_safe_id(&slugify("Ünïcode & more")));
    }

    #[test]
    fn safe_ids_reject_paths_and_spaces() {
        for bad in ["../x", "a/b", "A", "a b", "", "-a", "a\\b", "a.b"] {
            assert!(!is_safe_id(bad), "{bad}");
        }
        for good in ["a", "infra-architect", "adr_0001", "0001-use-kubernetes"] {
            assert!(is_safe_id(good), "{good}");
        }
    }

    #[test]
    fn anchors_follow_mdbook() {
        assert_eq!(anchor("Design & Vision"), "design--vision");
        assert_eq!(anchor("RFP/RFI & Transition"), "rfprfi--transition");
        assert_eq!(anchor("What's new?"), "whats-new");
        // With smart punctuation `--` is an en dash, which is dropped.
        assert_eq!(
            anchor("Coroutine-closures \u{2013} a deep dive"),
            "coroutine-closures--a-deep-dive"
        );
        assert_eq!(
            anchor("Coroutine-closures -- a deep dive"),
            "coroutine-closures----a-deep-dive"
        );
        assert_eq!(anchor("::"), "section");
        assert_eq!(anchor("ΟΔΟΣ"), "οδος");
        let mut ids = Unique::default();
        assert_eq!(ids.make("a".into()), "a");
        assert_eq!(ids.make("a".into()), "a-1");
        assert_eq!(ids.make("a".into()), "a-2");
    }

    /// The remembered suffix gives what counting from 1 each time gave,
    /// ids taken in between (a heading written `a-3`) included.
    #[test]
    fn unique_ids_skip_taken_ones_in_constant_time() {
        let mut ids = Unique::default();
        let made: Vec<String> = ["a", "a-2", "a", "a", "a-1", "a", "b", "a"]
            .into_iter()
            .map(|b| ids.make(b.into()))
            .collect();
        assert_eq!(made, ["a", "a-2", "a-1", "a-3", "a-1-1", "a-4", "b", "a-5"]);
        let start = std::time::Instant::now();
        let mut ids = Unique::default();
        for _ in 0..100_000 {
            ids.make("same".into());
        }
        assert_eq!(ids.make("same".into()), "same-100000");
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn output_paths() {
        assert_eq!(output_path("a/b.md"), "a/b.html");
        assert_eq!(output_path("README.md"), "index.html");
        assert_eq!(output_path("x/index.md"), "x/index.html");
        assert_eq!(output_path("x/readme.md"), "x/index.html");
    }
}
