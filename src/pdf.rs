//! `archbook build --pdf`: prints the built site's `print.html` to
//! `handbook.pdf` with a locally installed Chromium, Chrome or Edge, over
//! the DevTools protocol (`headless_chrome`).
//!
//! Two passes: the first PDF tells on which page each chapter starts (the
//! named destinations Chromium writes for the contents' links, read with
//! `lopdf`); those numbers go into the contents' `.toc-page` slots, and the
//! second pass is the PDF written. Touches: the browser (a child process
//! with a temporary profile), the output folder (`handbook.pdf`, written
//! beside a temporary file and renamed into place).

use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use headless_chrome::types::PrintToPdfOptions;
use headless_chrome::{Browser, LaunchOptions};

use crate::error::{Error, Result};

/// The file written into the output folder.
pub const PDF_FILE: &str = "handbook.pdf";

/// How long the browser may take for one step (loading, printing).
const STEP_TIMEOUT: Duration = Duration::from_secs(600);

/// Paper and browser, from `[output.pdf]` in `book.toml`.
#[derive(Clone, Debug, PartialEq)]
pub struct PdfSettings {
    /// `browser-binary-path`: the browser to run; else one is looked for.
    pub browser: Option<PathBuf>,
    /// `paper-width` and `paper-height`, in inches (A4 unless set). Wide
    /// chapters turn it sideways.
    pub paper: (f64, f64),
}

impl Default for PdfSettings {
    fn default() -> Self {
        PdfSettings {
            browser: None,
            paper: A4,
        }
    }
}

/// A4 in inches, the unit of the DevTools protocol.
pub const A4: (f64, f64) = (8.27, 11.69);

/// What was written.
#[derive(Debug)]
pub struct PdfReport {
    /// Where.
    pub path: PathBuf,
    /// Its pages.
    pub pages: usize,
    /// Its size in bytes.
    pub bytes: usize,
    /// The browser that printed it.
    pub browser: PathBuf,
}

/// The browser to print with: the configured one, else `CHROME`, else the
/// first of Chrome, Chromium and Edge found on `PATH` or where they install.
pub fn find_browser(configured: Option<&Path>) -> Result<PathBuf> {
    if let Some(path) = configured {
        if path.is_file() {
            return Ok(path.to_path_buf());
        }
        return Err(pdf_error(
            format!("the browser `{}` does not exist", path.display()),
            "set `browser-binary-path` under [output.pdf] in book.toml to the Chromium, Chrome or Edge program, or remove it to look on PATH",
        ));
    }
    headless_chrome::browser::default_executable().map_err(|_| {
        pdf_error(
            "no Chromium, Chrome or Edge found".into(),
            "install one (Debian and Ubuntu: `apt install chromium`; macOS: Google Chrome), put it on PATH or name it in `CHROME`, or set `browser-binary-path` under [output.pdf] in book.toml",
        )
    })
}

/// Prints `site/print.html` to `site/handbook.pdf`.
pub fn write_pdf(site: &Path, settings: &PdfSettings) -> Result<PdfReport> {
    let page = site.join("print.html");
    if !page.is_file() {
        return Err(pdf_error(
            "the site has no print.html to print".into(),
            "remove `enable = false` under [output.html.print] in book.toml",
        ));
    }
    let browser_path = find_browser(settings.browser.as_deref())?;
    let page = std::path::absolute(&page).map_err(|e| Error::Read {
        path: page.clone(),
        source: e,
    })?;
    let url = file_url(&page);
    let printer = Printer::launch(&browser_path)?;
    let pdf = printer.print(&url, settings.paper)?;
    let path = site.join(PDF_FILE);
    let partial = site.join(format!(".{PDF_FILE}.partial"));
    std::fs::write(&partial, &pdf.bytes)
        .and_then(|()| std::fs::rename(&partial, &path))
        .map_err(|e| {
            std::fs::remove_file(&partial).ok();
            Error::write(&path, e)
        })?;
    Ok(PdfReport {
        path,
        pages: pdf.pages,
        bytes: pdf.bytes.len(),
        browser: browser_path,
    })
}

/// A printed PDF and its page count.
struct Printed {
    bytes: Vec<u8>,
    pages: usize,
}

/// A headless browser with one tab.
struct Printer {
    // Dropping the browser ends its process.
    _browser: Browser,
    tab: std::sync::Arc<headless_chrome::Tab>,
}

impl Printer {
    fn launch(path: &Path) -> Result<Printer> {
        let options = LaunchOptions {
            path: Some(path.to_path_buf()),
            // Chromium refuses to run its sandbox as root (a container, CI).
            sandbox: !running_as_root(),
            idle_browser_timeout: STEP_TIMEOUT,
            args: vec![
                OsStr::new("--disable-gpu"),
                OsStr::new("--disable-component-update"),
                OsStr::new("--mute-audio"),
                // Containers give /dev/shm 64 MB, too little for a long page.
                OsStr::new("--disable-dev-shm-usage"),
            ],
            ..LaunchOptions::default()
        };
        let browser = Browser::new(options).map_err(|e| {
            pdf_error(
                format!("cannot start `{}`: {e}", path.display()),
                "check that the program runs (`--version`), or name another under `browser-binary-path` in [output.pdf] in book.toml",
            )
        })?;
        let tab = browser.new_tab().map_err(browser_error)?;
        tab.set_default_timeout(STEP_TIMEOUT);
        Ok(Printer {
            _browser: browser,
            tab,
        })
    }

    /// Loads `url`, prints it, fills the contents' page numbers from that
    /// print and prints again (again while the page count moves, at most
    /// twice more).
    fn print(&self, url: &str, paper: (f64, f64)) -> Result<Printed> {
        self.tab
            .navigate_to(url)
            .and_then(|t| t.wait_until_navigated())
            .map_err(browser_error)?;
        // Web fonts laid out before the first page is measured.
        self.tab
            .evaluate("document.fonts.ready.then(() => true)", true)
            .map_err(browser_error)?;
        let mut printed = self.once(paper)?;
        for _ in 0..3 {
            let starts = chapter_pages(&printed.bytes)?;
            let script = format!(
                "(() => {{ const at = {}; let changed = false; \
                 for (const e of document.querySelectorAll('.toc-page[data-chapter]')) {{ \
                 const n = String(at[e.dataset.chapter] ?? ''); \
                 if (e.textContent !== n) {{ e.textContent = n; changed = true; }} }} \
                 return changed; }})()",
                serde_json::to_string(&starts).unwrap_or_else(|_| "{}".into())
            );
            let changed = self
                .tab
                .evaluate(&script, false)
                .map_err(browser_error)?
                .value
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
            if !changed {
                break;
            }
            printed = self.once(paper)?;
        }
        Ok(printed)
    }

    fn once(&self, (width, height): (f64, f64)) -> Result<Printed> {
        let bytes = self
            .tab
            .print_to_pdf(Some(PrintToPdfOptions {
                paper_width: Some(width),
                paper_height: Some(height),
                // The theme's @page rules: margins, landscape chapters,
                // running headers and page numbers.
                prefer_css_page_size: Some(true),
                print_background: Some(true),
                generate_document_outline: Some(true),
                generate_tagged_pdf: Some(true),
                ..PrintToPdfOptions::default()
            }))
            .map_err(browser_error)?;
        let pages = lopdf::Document::load_mem(&bytes)
            .map(|d| d.get_pages().len())
            .map_err(|e| unreadable(&e))?;
        Ok(Printed { bytes, pages })
    }
}

/// On which page (from 1) each chapter of the print page starts: Chromium
/// writes a named destination for every element a link of the page
/// targets, and the contents link every chapter.
fn chapter_pages(pdf: &[u8]) -> Result<HashMap<String, u32>> {
    use lopdf::Object;
    let doc = lopdf::Document::load_mem(pdf).map_err(|e| unreadable(&e))?;
    let page_of: HashMap<lopdf::ObjectId, u32> =
        doc.get_pages().into_iter().map(|(n, id)| (id, n)).collect();
    let deref = |o: &Object| -> Option<Object> {
        match o {
            Object::Reference(id) => doc.get_object(*id).ok().cloned(),
            other => Some(other.clone()),
        }
    };
    let mut starts = HashMap::new();
    let Some(dests) = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Dests").ok())
        .and_then(deref)
    else {
        return Ok(starts);
    };
    let Ok(dests) = dests.as_dict() else {
        return Ok(starts);
    };
    for (name, dest) in dests.iter() {
        let Ok(name) = std::str::from_utf8(name) else {
            continue;
        };
        if !name.starts_with("chapter-") {
            continue;
        }
        // `[page /XYZ left top zoom]`, or a dictionary holding it under `D`.
        let dest = deref(dest);
        let array = match &dest {
            Some(Object::Array(a)) => Some(a.clone()),
            Some(Object::Dictionary(d)) => d
                .get(b"D")
                .ok()
                .and_then(deref)
                .and_then(|o| o.as_array().ok().cloned()),
            _ => None,
        };
        let page = array
            .and_then(|a| a.first().cloned())
            .and_then(|p| p.as_reference().ok())
            .and_then(|id| page_of.get(&id).copied());
        if let Some(page) = page {
            starts.insert(name.to_string(), page);
        }
    }
    Ok(starts)
}

/// `file://` URL of an absolute path, each byte outside the unreserved set,
/// `/` and `:` percent-encoded.
fn file_url(path: &Path) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    const PATH: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~')
        // A Windows drive (`/C:/…`) stays as browsers write it.
        .remove(b':');
    let text = path.to_string_lossy().replace('\\', "/");
    let text = if text.starts_with('/') {
        text
    } else {
        // C:/... on Windows.
        format!("/{text}")
    };
    format!("file://{}", utf8_percent_encode(&text, PATH))
}

#[cfg(target_os = "linux")]
fn running_as_root() -> bool {
    rustix::process::geteuid().is_root()
}

#[cfg(not(target_os = "linux"))]
fn running_as_root() -> bool {
    false
}

fn pdf_error(why: String, help: &'static str) -> Error {
    Error::Pdf { why, help }
}

fn browser_error(e: impl std::fmt::Display) -> Error {
    pdf_error(
        format!("the browser failed: {e}"),
        "run again; if it fails again, try another browser under `browser-binary-path` in [output.pdf] in book.toml",
    )
}

fn unreadable(e: &lopdf::Error) -> Error {
    pdf_error(
        format!("the browser's PDF cannot be read: {e}"),
        "try another browser under `browser-binary-path` in [output.pdf] in book.toml",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_are_encoded() {
        assert_eq!(
            file_url(Path::new("/srv/my book/print.html")),
            "file:///srv/my%20book/print.html"
        );
        assert_eq!(
            file_url(Path::new("/a/#b%/print.html")),
            "file:///a/%23b%25/print.html"
        );
        assert_eq!(
            file_url(Path::new(r"C:\Users\me\site\print.html")),
            "file:///C:/Users/me/site/print.html"
        );
    }

    #[test]
    fn a_configured_browser_that_is_missing_says_so() {
        let e = find_browser(Some(Path::new("/nowhere/chromium"))).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("/nowhere/chromium"), "{text}");
        assert!(text.contains("browser-binary-path"), "{text}");
    }

    /// A PDF of `pages` empty pages whose catalog names `dests` (name,
    /// page from 1), as Chromium writes them: `/Dests << /name [page /XYZ
    /// left top zoom] >>`; one of them held in a dictionary under `D`.
    fn pdf_with(pages: usize, dests: &[(&str, usize)]) -> Vec<u8> {
        use lopdf::{Dictionary, Object};
        let mut doc = lopdf::Document::with_version("1.4");
        let root = doc.new_object_id();
        let kids: Vec<lopdf::ObjectId> = (0..pages)
            .map(|_| {
                let mut page = Dictionary::new();
                page.set("Type", "Page");
                page.set("Parent", root);
                doc.add_object(page)
            })
            .collect();
        let mut tree = Dictionary::new();
        tree.set("Type", "Pages");
        tree.set(
            "Kids",
            kids.iter().map(|&k| k.into()).collect::<Vec<Object>>(),
        );
        tree.set("Count", pages as i64);
        doc.objects.insert(root, Object::Dictionary(tree));
        let mut named = Dictionary::new();
        for (i, (name, page)) in dests.iter().enumerate() {
            let at = Object::Array(vec![
                kids[page - 1].into(),
                Object::Name(b"XYZ".to_vec()),
                0.into(),
                792.into(),
                0.into(),
            ]);
            if i % 2 == 1 {
                let mut held = Dictionary::new();
                held.set("D", at);
                named.set(name.as_bytes().to_vec(), held);
            } else {
                let id = doc.add_object(at);
                named.set(name.as_bytes().to_vec(), id);
            }
        }
        let mut catalog = Dictionary::new();
        catalog.set("Type", "Catalog");
        catalog.set("Pages", root);
        if !dests.is_empty() {
            catalog.set("Dests", doc.add_object(named));
        }
        let catalog = doc.add_object(catalog);
        doc.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        bytes
    }

    #[test]
    fn chapter_pages_are_read_from_named_destinations() {
        let pdf = pdf_with(
            5,
            &[
                ("chapter-intro", 2),
                ("chapter-raci", 4),
                ("figure-1", 3),
                ("chapter-roles-x", 5),
            ],
        );
        let starts = chapter_pages(&pdf).unwrap();
        assert_eq!(starts.len(), 3, "{starts:?}");
        assert_eq!(starts["chapter-intro"], 2);
        assert_eq!(starts["chapter-raci"], 4);
        assert_eq!(starts["chapter-roles-x"], 5);
        assert!(chapter_pages(&pdf_with(1, &[])).unwrap().is_empty());
        assert!(chapter_pages(b"%PDF-1.4 not really").is_err());
    }
}
