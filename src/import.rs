//! `archbook import`: a RACI spreadsheet, saved as CSV, turned into activity
//! and role pages.
//!
//! The sheet has activities as rows and roles as columns, letters in the
//! cells (`A/R`, `c`, `A, R`), and optionally an area column whose blank
//! cells continue the area above (as merged cells export) and an
//! `Activity id` column (archbook's own `raci.csv` has both, so a handbook's
//! matrix goes round unchanged). A sheet whose first header cell is `Role`
//! is read the other way round: roles as rows, activities as columns.
//! Commas, semicolons (as European spreadsheet programs write CSV) and tabs
//! separate cells; a UTF-8 byte-order mark and spaces around cells are
//! ignored.
//!
//! [`read`] checks the whole sheet first: a duplicate role or activity, or a
//! letter outside the handbook's RACI letters, is a finding located at its
//! row and column, and then nothing is written. [`write`](fn@write) creates the pages
//! under the source folder and never replaces a file that exists.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, FileId};
use crate::error::{Error, Result};
use crate::rules::Rule;
use crate::slug;
use crate::vocab::{Alphabet, Letters, letters_help};

/// The sheet as read: roles and activities in their order, and the letters.
#[derive(Debug, Default, PartialEq)]
pub struct Sheet {
    /// Roles: id and name, in column (or row) order.
    pub roles: Vec<(String, String)>,
    /// Activities in row (or column) order.
    pub activities: Vec<Activity>,
}

/// One activity of the sheet.
#[derive(Debug, PartialEq)]
pub struct Activity {
    /// Its id: from an `Activity id` column, else made from its name.
    pub id: String,
    /// Its name, the page's title.
    pub name: String,
    /// Its area, when the sheet has an area column.
    pub area: Option<String>,
    /// The letters of each role that holds any: (role index, letters).
    pub raci: Vec<(usize, Letters)>,
}

/// One cell: its text, and where it is written in the file.
struct Cell {
    text: String,
    span: Range<usize>,
}

/// Reads a sheet. `text` is the file's text, `file` its id for findings.
pub fn read(
    text: &str,
    file: FileId,
    alphabet: Alphabet,
) -> std::result::Result<Sheet, Vec<Diagnostic>> {
    let rows = cells(text);
    let mut found = Vec::new();
    let Some(header) = rows.first() else {
        found.push(
            Diagnostic::new(Rule::Import, "the sheet is empty")
                .at(file, 0..0, "no header row")
                .help("export the RACI matrix with a header row: `Activity, <role>, <role>, ...`"),
        );
        return Err(found);
    };
    let word = |i: usize| {
        header
            .get(i)
            .map(|c| c.text.to_lowercase())
            .unwrap_or_default()
    };
    let transposed = matches!(word(0).as_str(), "role" | "roles");
    let area_col = (0..header.len()).find(|&i| {
        matches!(
            word(i).as_str(),
            "area" | "areas" | "group" | "category" | "phase"
        )
    });
    let id_col = (0..header.len()).find(|&i| matches!(word(i).as_str(), "activity id" | "id"));
    let name_col = (0..header.len())
        .find(|&i| Some(i) != area_col && Some(i) != id_col)
        .unwrap_or(0);
    let others: Vec<usize> = (0..header.len())
        .filter(|&i| {
            ![Some(name_col), area_col, id_col].contains(&Some(i)) && !header[i].text.is_empty()
        })
        .collect();
    // The names along the header and down the first column.
    let across: Vec<&Cell> = others.iter().map(|&i| &header[i]).collect();
    let down: Vec<(usize, &Vec<Cell>)> = rows
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, r)| r.get(name_col).is_some_and(|c| !c.text.is_empty()))
        .collect();
    let (role_cells, activity_cells): (Vec<&Cell>, Vec<&Cell>) = if transposed {
        (
            down.iter().map(|(_, r)| &r[name_col]).collect(),
            across.clone(),
        )
    } else {
        (
            across.clone(),
            down.iter().map(|(_, r)| &r[name_col]).collect(),
        )
    };
    let roles = unique_ids(&role_cells, "role", file, &mut found);
    let mut areas = Vec::new();
    let mut area: Option<String> = None;
    let activity_ids = if transposed {
        areas.resize(activity_cells.len(), None);
        unique_ids(&activity_cells, "activity", file, &mut found)
    } else {
        let mut ids: Vec<Cell> = Vec::new();
        for (_, row) in &down {
            if let Some(a) = area_col
                .and_then(|i| row.get(i))
                .filter(|c| !c.text.is_empty())
            {
                area = Some(a.text.clone());
            }
            areas.push(area.clone());
            let given = id_col
                .and_then(|i| row.get(i))
                .filter(|c| !c.text.is_empty());
            ids.push(match given {
                Some(c) => Cell {
                    text: c.text.clone(),
                    span: c.span.clone(),
                },
                None => Cell {
                    text: row[name_col].text.clone(),
                    span: row[name_col].span.clone(),
                },
            });
        }
        unique_ids(
            &ids.iter().collect::<Vec<_>>(),
            "activity",
            file,
            &mut found,
        )
    };
    let mut activities: Vec<Activity> = activity_cells
        .iter()
        .zip(activity_ids)
        .zip(areas)
        .map(|((c, id), area)| Activity {
            id,
            name: c.text.clone(),
            area,
            raci: Vec::new(),
        })
        .collect();
    for (d, (_, row)) in down.iter().enumerate() {
        for (a, &col) in others.iter().enumerate() {
            let Some(cell) = row.get(col).filter(|c| !c.text.is_empty()) else {
                continue;
            };
            let (activity, role) = if transposed { (a, d) } else { (d, a) };
            match Letters::parse(&cell.text, alphabet) {
                Ok(letters) => activities[activity].raci.push((role, letters)),
                Err(bad) => found.push(
                    Diagnostic::new(
                        Rule::Import,
                        format!(
                            "`{}` is not a RACI letter (row {}, column `{}`)",
                            cell.text.trim(),
                            row_number(text, cell.span.start),
                            header[col].text
                        ),
                    )
                    .at(
                        file,
                        cell.span.clone(),
                        format!("`{bad}` is not one of {}", alphabet.letters()),
                    )
                    .help(letters_help(alphabet)),
                ),
            }
        }
    }
    if !found.is_empty() {
        return Err(found);
    }
    let roles = role_cells
        .iter()
        .zip(roles)
        .map(|(c, id)| (id, c.text.clone()))
        .collect();
    Ok(Sheet { roles, activities })
}

/// Ids for `names` (made from the names), each once: a name given twice is
/// a finding at its second place.
fn unique_ids(
    names: &[&Cell],
    what: &str,
    file: FileId,
    found: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut seen: HashMap<String, &Cell> = HashMap::new();
    let mut ids = Vec::with_capacity(names.len());
    for (n, cell) in names.iter().enumerate() {
        let mut id = slug::slugify(&cell.text);
        if id.is_empty() {
            id = format!("{what}-{}", n + 1);
        }
        if let Some(first) = seen.get(&id) {
            found.push(
                Diagnostic::new(
                    Rule::Import,
                    format!("the {what} `{}` is in the sheet twice", cell.text),
                )
                .at(file, cell.span.clone(), "again here")
                .also(file, first.span.clone(), "first here")
                .help(format!(
                    "give each {what} one row or column; merge the two, or rename one"
                )),
            );
        } else {
            seen.insert(id.clone(), cell);
        }
        ids.push(id);
    }
    ids
}

/// The line number (from 1) of byte `at`.
fn row_number(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].matches('\n').count() + 1
}

/// The sheet's rows of trimmed cells, each with where it is written. The
/// separator is whichever of `,`, `;` and tab the header row uses most.
fn cells(text: &str) -> Vec<Vec<Cell>> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &text[bom..];
    let first = body.lines().next().unwrap_or("");
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let Ok(record) = record else { break };
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let line_end = body[start..].find('\n').map_or(body.len(), |i| start + i);
        // Where each cell is written: found in order along its line.
        let mut cursor = start;
        let row = record
            .iter()
            .map(|field| {
                let text = field.trim().to_string();
                let at = if text.is_empty() {
                    None
                } else {
                    body.get(cursor..line_end)
                        .and_then(|l| l.find(&text))
                        .map(|i| cursor + i)
                };
                let span = match at {
                    Some(i) => {
                        cursor = i + text.len();
                        bom + i..bom + i + text.len()
                    }
                    None => bom + cursor..bom + cursor,
                };
                Cell { text, span }
            })
            .collect();
        rows.push(row);
    }
    rows
}

/// What an import did.
pub struct Imported {
    /// The files findings quote (the sheet, `book.toml`).
    pub sources: crate::diagnostic::Sources,
    /// What is wrong with the sheet; nothing was written when there is any.
    pub diagnostics: crate::diagnostic::Diagnostics,
    /// Each page's path, and whether it was created (or kept, as it exists).
    pub files: Vec<(PathBuf, bool)>,
}

/// Imports the sheet at `sheet` into the handbook at `root` (its source
/// folder and RACI letters from `book.toml`, when it has one).
pub fn import(root: &Path, sheet: &Path) -> Result<Imported> {
    let mut sources = crate::diagnostic::Sources::default();
    let mut found = Vec::new();
    let toml = root.join("book.toml");
    let config = match std::fs::read_to_string(&toml) {
        Ok(text) => {
            let id = sources.add(toml.to_string_lossy().into_owned(), text.as_str().into());
            crate::config::parse(&text, id, &mut found)
        }
        Err(_) => crate::config::Config::default(),
    };
    let bytes = std::fs::read(sheet).map_err(|source| Error::Read {
        path: sheet.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|_| Error::Read {
        path: sheet.to_path_buf(),
        source: std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "not UTF-8 text: save the sheet as \"CSV UTF-8\"",
        ),
    })?;
    let file = sources.add(sheet.to_string_lossy().into_owned(), text.as_str().into());
    let mut diagnostics = crate::diagnostic::Diagnostics::new(config.rules.clone());
    diagnostics.extend(found);
    let mut files = Vec::new();
    match read(&text, file, config.alphabet) {
        Err(found) => diagnostics.extend(found),
        Ok(sheet) if diagnostics.errors() == 0 => {
            files = write(&root.join(&config.src), &pages(&sheet))?;
        }
        Ok(_) => {}
    }
    Ok(Imported {
        sources,
        diagnostics,
        files,
    })
}

/// The pages of a sheet: (path under the source folder, text).
pub fn pages(sheet: &Sheet) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    // `weight` keeps the sheet's order in the handbook (and its matrix).
    for (n, (id, name)) in sheet.roles.iter().enumerate() {
        out.push((
            PathBuf::from("roles").join(format!("{id}.md")),
            format!(
                "---\nkind: role\nweight: {}\n---\n# {}\n",
                n + 1,
                heading(name)
            ),
        ));
    }
    for (n, a) in sheet.activities.iter().enumerate() {
        let mut text = String::from("---\nkind: activity\n");
        if let Some(area) = &a.area {
            text.push_str(&format!("area: {}\n", quoted(area)));
        }
        text.push_str(&format!("weight: {}\n", n + 1));
        if !a.raci.is_empty() {
            text.push_str("raci:\n");
            for (role, letters) in &a.raci {
                text.push_str(&format!("  {}: {letters}\n", sheet.roles[*role].0));
            }
        }
        text.push_str(&format!("---\n# {}\n", heading(&a.name)));
        out.push((
            PathBuf::from("activities").join(format!("{}.md", a.id)),
            text,
        ));
    }
    out
}

/// `text` as a YAML string: a JSON string is one.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// `text` on one line, as a Markdown heading shows it.
fn heading(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Writes `pages` under `src`: each file is created, or kept when it exists
/// (never replaced). Returns each path and whether it was created.
pub fn write(src: &Path, pages: &[(PathBuf, String)]) -> Result<Vec<(PathBuf, bool)>> {
    crate::init::write_new(
        src,
        pages
            .iter()
            .map(|(rel, text)| (rel.as_path(), text.as_str())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(text: &str) -> Sheet {
        read(text, 0, Alphabet::Raci).unwrap_or_else(|f| panic!("{f:?}"))
    }

    #[test]
    fn rows_of_activities_with_areas_that_continue_down() {
        let s = sheet(
            "\u{feff}Area;Activity;Architect ;Operations\n\
             Design;Set standards;A/R;c\n\
             ;Review designs ; a , r ;\n\
             Run;Operate;I;A/R\n",
        );
        let roles: Vec<&str> = s.roles.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(roles, ["architect", "operations"]);
        let rows: Vec<(&str, Option<&str>, String)> = s
            .activities
            .iter()
            .map(|a| {
                let cells: Vec<String> = a.raci.iter().map(|(r, l)| format!("{r}:{l}")).collect();
                (a.id.as_str(), a.area.as_deref(), cells.join(" "))
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("set-standards", Some("Design"), "0:A/R 1:C".to_string()),
                ("review-designs", Some("Design"), "0:A/R".to_string()),
                ("operate", Some("Run"), "0:I 1:A/R".to_string()),
            ]
        );
    }

    #[test]
    fn roles_as_rows_read_the_other_way_round() {
        let s = sheet("Role,Design,Operate\nArchitect,A/R,\nOperations,I,A/R\n");
        assert_eq!(s.activities.len(), 2);
        assert_eq!(s.activities[1].id, "operate");
        assert_eq!(s.activities[1].raci.len(), 1);
        assert_eq!(s.roles[1].1, "Operations");
    }

    #[test]
    fn bad_sheets_are_located_findings() {
        let text = "Activity,Ops,Arch,ops\nRun,A/R,X,\n";
        let found = read(text, 0, Alphabet::Raci).unwrap_err();
        let msgs: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            msgs,
            [
                "the role `ops` is in the sheet twice",
                "`X` is not a RACI letter (row 2, column `Arch`)",
            ]
        );
        let at = |d: &Diagnostic| &text[d.primary.as_ref().unwrap().0.span.clone()];
        assert_eq!(at(&found[0]), "ops");
        assert_eq!(at(&found[1]), "X");
        // RASCI's S is a letter there.
        assert!(read("Activity,Ops\nRun,A/R/S\n", 0, Alphabet::Rasci).is_ok());
    }

    proptest::proptest! {
        /// Any text is read without a panic, and every finding points
        /// inside it.
        #[test]
        fn any_sheet_is_read_or_located(
            cells in proptest::collection::vec("[ A-Za-z/,;\"\t\r\n\u{feff}é]{0,6}", 0..40)
        ) {
            let text = cells.concat();
            if let Err(found) = read(&text, 0, Alphabet::Raci) {
                for d in found {
                    let (at, _) = d.primary.unwrap();
                    proptest::prop_assert!(at.span.end <= text.len());
                    proptest::prop_assert!(text.is_char_boundary(at.span.start));
                }
            }
        }
    }
}
