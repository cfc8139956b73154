//! In what order pages render and when their code is highlighted: pages go
//! in batches in reading order, and each window of batches has its fenced
//! code highlighted ahead of it, one language after another, so the markup
//! held stays bounded however much code a handbook has.

use super::*;

/// How many pages render side by side before their print chapters and
/// search words are taken in (while the next batch renders).
pub(super) const BATCH: usize = 512;

/// How many bytes of code are highlighted ahead of the pages that hold
/// them: the markup is some ten to thirty times the code.
pub(super) const HIGHLIGHT_AHEAD: usize = 2 << 20;

/// A batch of pages that render side by side.
#[derive(Debug, PartialEq)]
pub(super) struct Batch<'p> {
    /// When the batch is its window's first: the pages of the whole window,
    /// whose code is highlighted ahead.
    pub(super) window: Option<&'p [usize]>,
    /// The batch's pages, in reading order.
    pub(super) pages: &'p [usize],
}

/// `pages` in batches of `size`, grouped into windows: whole batches whose
/// code (`code` of a page, in bytes) adds up to `limit` or just past it, and
/// at least one batch, so the markup held stays bounded however much code a
/// handbook has.
pub(super) fn batches(
    pages: &[usize],
    code: impl Fn(usize) -> usize,
    size: usize,
    limit: usize,
) -> Vec<Batch<'_>> {
    let mut out = Vec::new();
    let mut rest = pages;
    while !rest.is_empty() {
        let (mut end, mut bytes) = (0, 0);
        while end < rest.len() && (end == 0 || bytes < limit) {
            let stop = (end + size).min(rest.len());
            bytes += rest[end..stop].iter().map(|&i| code(i)).sum::<usize>();
            end = stop;
        }
        let (window, after) = rest.split_at(end);
        for (k, batch) in window.chunks(size).enumerate() {
            out.push(Batch {
                window: (k == 0).then_some(window),
                pages: batch,
            });
        }
        rest = after;
    }
    out
}

/// Every page's code highlighted at once, when it all fits in one window
/// ([`HIGHLIGHT_AHEAD`]): it then needs no reading order, so it runs beside
/// the navigation and views (mostly serial work) rather than after them.
/// `None` when highlighting is off or the code takes several windows.
pub(super) fn highlight_everything(
    book: &Handbook,
    cache: Option<&highlight::Cache>,
) -> Option<highlight::Highlighted> {
    let code: usize = book.pages.iter().map(code_bytes).sum();
    (book.config.highlight && code <= HIGHLIGHT_AHEAD)
        .then(|| highlight_pages(book, 0..book.pages.len(), cache))
}

/// How much code a page has to highlight, in bytes.
pub(super) fn code_bytes(page: &Page) -> usize {
    page.fences.iter().map(|f| f.code.len()).sum()
}

/// The code blocks of `pages` (indexes into the site's pages), highlighted
/// ahead of them (see [`highlight::Highlighted`]), with the lines mdBook
/// hides left out.
pub(super) fn highlight_pages(
    book: &Handbook,
    pages: impl Iterator<Item = usize>,
    cache: Option<&highlight::Cache>,
) -> highlight::Highlighted {
    let config = &book.config;
    if !config.highlight {
        return highlight::Highlighted::default();
    }
    highlight::Highlighted::new(
        pages.flat_map(|i| book.pages[i].fences.iter()).map(|f| {
            let code = markdown::visible_lines(&f.info, &f.code, &config.hidelines);
            (f.syntax, code)
        }),
        cache,
    )
}

impl Renderer<'_> {
    /// `pages` in the batches they render in (see [`batches`]).
    pub(super) fn batches<'p>(&self, pages: &'p [usize]) -> Vec<Batch<'p>> {
        batches(
            pages,
            |i| code_bytes(&self.book.pages[i]),
            BATCH,
            HIGHLIGHT_AHEAD,
        )
    }

    /// The code blocks of `pages`, highlighted ahead of them (see
    /// [`highlight::Highlighted`]), with the lines mdBook hides left out.
    pub(super) fn highlight_ahead(&self, pages: &[usize]) -> highlight::Highlighted {
        highlight_pages(self.book, pages.iter().copied(), self.cache)
    }
}
