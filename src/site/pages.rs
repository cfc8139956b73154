//! Which files are pages, decided once they are read: a chapter `SUMMARY.md`
//! links to without a file becomes a page holding its title (mdBook's
//! `create-missing`); in an mdBook book, files `SUMMARY.md` does not list
//! are not pages; of a `README.md` and an `index.md` in one folder, one is.

use super::*;

/// The page for a chapter `SUMMARY.md` links to that has no file, as
/// mdBook's `create-missing` writes it (its title as a heading, nothing else),
/// kept in memory only, and the warning that says so.
pub(super) fn missing_chapter(
    chapter: &summary::MissingChapter,
    near: Option<&str>,
    summary_file: usize,
    shown_src: &Path,
    opts: crate::content::page::ParseOptions,
    sources: &mut Sources,
) -> (Page, Diagnostic) {
    let text = format!("# {}\n", chapter.title);
    let shown = shown_src.join(&chapter.path).to_string_lossy().into_owned();
    let file = sources.add(shown, Arc::from(text.as_str()));
    let (mut page, _) = crate::content::parse(file, &chapter.path, &text, opts);
    page.missing = true;
    let path = &chapter.path;
    let help = match near {
        Some(near) => format!("did you mean `{near}`? Else create `{path}`"),
        None => format!(
            "create `{path}` (mdBook's `create-missing` would write it; archbook never writes into the source folder), or set `[build] create-missing = false` to make this an error"
        ),
    };
    let warning = Diagnostic::new(
        Rule::MissingChapter,
        format!("SUMMARY.md links to `{path}`, which does not exist: built as a page holding only its title"),
    )
    .at(summary_file, chapter.span.clone(), "no such file")
    .help(help);
    (page, warning)
}

/// In an mdBook book with a `SUMMARY.md`, the Markdown files it does not
/// list are not pages, as in mdBook: not published, searched or checked
/// (fragments pulled in with `{{#include}}`, old drafts, a `README.md`
/// beside the listed `index.md`). Their findings go with them. Static files
/// are still copied.
pub(super) fn unlisted_are_not_pages(
    pages: &mut Vec<Page>,
    summary: &str,
    file: usize,
    diagnostics: &mut Diagnostics,
) {
    let listed = summary::listed(&summary::parse(summary, file, pages, &mut Vec::new()));
    if listed.len() == pages.len() {
        return;
    }
    let mut dropped = std::collections::HashSet::new();
    let mut i = 0;
    pages.retain(|p| {
        let keep = listed.contains(&i);
        if !keep {
            dropped.insert(p.file);
        }
        i += 1;
        keep
    });
    diagnostics.retain(|d| {
        !d.primary
            .as_ref()
            .is_some_and(|(at, _)| dropped.contains(&at.file))
    });
}

/// A folder holding both `README.md` and `index.md` (GitHub shows the one,
/// a Jekyll or MADR site publishes the other): `index.md` is the folder's
/// page, unless only the README is listed in `SUMMARY.md`. The other file
/// is not published, and one warning for the whole handbook says so.
pub(super) fn readme_beside_index(
    pages: &mut Vec<Page>,
    summary: Option<&(usize, Arc<str>)>,
    diagnostics: &mut Diagnostics,
) {
    let stem = |p: &Page| {
        let file = p.source.rsplit('/').next().unwrap_or(&p.source);
        file.strip_suffix(".md")
            .unwrap_or(file)
            .to_ascii_lowercase()
    };
    // Per output, the `index.md` and the `README.md` written there.
    let mut at: HashMap<&str, (Option<usize>, Option<usize>)> = HashMap::new();
    for (i, p) in pages.iter().enumerate() {
        match stem(p).as_str() {
            "index" => at.entry(&p.output).or_default().0 = Some(i),
            "readme" => at.entry(&p.output).or_default().1 = Some(i),
            _ => {}
        }
    }
    let mut pairs: Vec<(usize, usize)> = at
        .into_values()
        .filter_map(|(index, readme)| Some((index?, readme?)))
        .collect();
    pairs.sort_unstable();
    if pairs.is_empty() {
        return;
    }
    let listed: HashSet<usize> = summary
        .map(|(file, text)| summary::listed(&summary::parse(text, *file, pages, &mut Vec::new())))
        .unwrap_or_default();
    // Each pair as (kept, dropped). Two that `SUMMARY.md` both lists stay,
    // and collide.
    let pairs: Vec<(usize, usize)> = pairs
        .into_iter()
        .filter(|(index, readme)| !(listed.contains(index) && listed.contains(readme)))
        .map(|(index, readme)| {
            if listed.contains(&readme) {
                (readme, index)
            } else {
                (index, readme)
            }
        })
        .collect();
    if pairs.is_empty() {
        return;
    }
    let (kept, dropped) = pairs[0];
    let mut warning = Diagnostic::new(
        Rule::ReadmeBesideIndex,
        format!(
            "`{}` is not published: `{}` is the page of its folder",
            pages[dropped].source, pages[kept].source
        ),
    )
    .at(pages[dropped].file, 0..0, "not published")
    .also(pages[kept].file, 0..0, "published instead");
    for &(kept, dropped) in &pairs[1..] {
        warning = warning.also(
            pages[dropped].file,
            0..0,
            format!(
                "not published either: `{}` is published",
                pages[kept].source
            ),
        );
    }
    diagnostics.push(warning.help(
        "keep one of the two, or list the one to publish in SUMMARY.md; or set `readme-beside-index = \"off\"` under [archbook.rules] to be told no more",
    ));
    let dropped: HashSet<usize> = pairs.iter().map(|&(_, d)| pages[d].file).collect();
    pages.retain(|p| !dropped.contains(&p.file));
    diagnostics.retain(|d| {
        d.rule == Rule::ReadmeBesideIndex
            || !d
                .primary
                .as_ref()
                .is_some_and(|(at, _)| dropped.contains(&at.file))
    });
}
