//! [`Changes`] written for people: each change as a [`Phrase`] of text and
//! ids (shared by every format, the site's page included), then a terminal
//! report (coloured when the stream supports it) and Markdown for a
//! pull-request comment or `$GITHUB_STEP_SUMMARY`. Writes only to the
//! stream it is given.

use std::io;

use codespan_reporting::term::termcolor::{Color, ColorSpec, WriteColor};

use super::{Change, Changes, ID_FIELDS, Section, Side, What};
use crate::diagnostic::JsonFinding;

/// How a part of a phrase is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// As any text.
    Plain,
    /// A value that is gone.
    Old,
    /// A value that is new.
    New,
}

/// A piece of a change's description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part<'a> {
    /// Words.
    Text(&'a str),
    /// A value as written (a letter set, a status, a path), quoted when
    /// `quoted`.
    Value {
        /// The value.
        text: &'a str,
        /// Whether it is free text (shown in quotes).
        quoted: bool,
        /// Old or new.
        tone: Tone,
    },
    /// Ids of model items (shown by title, linked in the site).
    Ids {
        /// The ids; none is shown as "nobody"/"none".
        ids: Vec<&'a str>,
        /// Old or new.
        tone: Tone,
    },
}

/// A change described after its subject: "owner Ops → Architect".
pub type Phrase<'a> = Vec<Part<'a>>;

fn ids(text: Option<&str>, tone: Tone) -> Part<'_> {
    Part::Ids {
        ids: text.map_or(Vec::new(), |t| t.split(", ").collect()),
        tone,
    }
}

fn value(text: Option<&str>, quoted: bool, tone: Tone) -> Part<'_> {
    Part::Value {
        text: text.unwrap_or(""),
        quoted,
        tone,
    }
}

/// What a change says about its subject.
pub fn phrase(c: &Change) -> Phrase<'_> {
    use Part::Text;
    let (old, new) = (c.old.as_deref(), c.new.as_deref());
    let arrow = Text(" → ");
    let Some(field) = c.field else {
        return vec![Text(match (c.change, c.section) {
            (What::Added, _) => "added",
            (What::Removed, _) => "removed",
            (_, Section::Prose) => "text changed",
            _ => "changed",
        })];
    };
    let key = c.key.as_deref();
    match (field, c.change) {
        ("id", _) => vec![
            Text("id "),
            value(old, false, Tone::Old),
            arrow,
            value(new, false, Tone::New),
        ],
        ("source", _) => vec![
            Text("moved from "),
            value(old, false, Tone::Old),
            Text(" to "),
            value(new, false, Tone::New),
        ],
        ("accountable", _) => vec![ids(old, Tone::Old), arrow, ids(new, Tone::New)],
        ("raci", What::Added) => vec![
            Text("× "),
            ids(key, Tone::Plain),
            Text(": "),
            value(new, false, Tone::New),
            Text(" (new cell)"),
        ],
        ("raci", What::Removed) => vec![
            Text("× "),
            ids(key, Tone::Plain),
            Text(": "),
            value(old, false, Tone::Old),
            Text(" (cell removed)"),
        ],
        ("raci", _) => vec![
            Text("× "),
            ids(key, Tone::Plain),
            Text(": "),
            value(old, false, Tone::Old),
            arrow,
            value(new, false, Tone::New),
        ],
        (_, What::Added) if key.is_some() => {
            let mut p = vec![Text(field), Text(" + "), ids(key, Tone::New)];
            if new.is_some() {
                p.extend([Text(": "), value(new, true, Tone::New)]);
            }
            p
        }
        (_, What::Removed) if key.is_some() => {
            let mut p = vec![Text(field), Text(" − "), ids(key, Tone::Old)];
            if old.is_some() {
                p.extend([Text(": "), value(old, true, Tone::Old)]);
            }
            p
        }
        (_, _) if key.is_some() => vec![
            Text(field),
            Text(" "),
            ids(key, Tone::Plain),
            Text(": "),
            value(old, true, Tone::Old),
            arrow,
            value(new, true, Tone::New),
        ],
        (_, What::Added) if ID_FIELDS.contains(&field) => {
            vec![Text(field), Text(" set to "), ids(new, Tone::New)]
        }
        (_, What::Removed) if ID_FIELDS.contains(&field) => vec![
            Text(field),
            Text(" "),
            ids(old, Tone::Old),
            Text(" removed"),
        ],
        _ if ID_FIELDS.contains(&field) => vec![
            Text(field),
            Text(" "),
            ids(old, Tone::Old),
            arrow,
            ids(new, Tone::New),
        ],
        (_, What::Added) => vec![Text(field), Text(" set to "), value(new, true, Tone::New)],
        (_, What::Removed) => vec![
            Text(field),
            Text(" "),
            value(old, true, Tone::Old),
            Text(" removed"),
        ],
        _ => vec![
            Text(field),
            Text(" "),
            value(old, true, Tone::Old),
            arrow,
            value(new, true, Tone::New),
        ],
    }
}

/// The one-character mark of a change: `+`, `-`, `~`, `>`.
pub fn mark(w: What) -> char {
    match w {
        What::Added => '+',
        What::Removed => '-',
        What::Changed => '~',
        What::Renamed => '>',
    }
}

fn side_name(s: &Side) -> String {
    match &s.commit {
        Some(c) => format!("{} ({})", s.label, &c[..c.len().min(10)]),
        None => s.label.clone(),
    }
}

/// A finding on one line: `file:line:col: error[rule]: message`.
pub fn finding_line(f: &JsonFinding) -> String {
    let at = match (&f.file, f.line, f.column) {
        (Some(file), Some(l), Some(c)) => format!("{file}:{l}:{c}: "),
        (Some(file), _, _) => format!("{file}: "),
        _ => String::new(),
    };
    format!(
        "{at}error[{}]: {}",
        f.rule,
        crate::diagnostic::printable(&f.message)
    )
}

/// "3 changes" / "1 change" / "no changes".
pub fn count(changes: &Changes) -> String {
    match changes.changes.len() {
        0 => "no changes".to_string(),
        1 => "1 change".to_string(),
        n => format!("{n} changes"),
    }
}

/// Writes the report for a terminal; colours only if `w` supports them.
pub fn text(changes: &Changes, w: &mut dyn WriteColor) -> io::Result<()> {
    let bold = ColorSpec::new().set_bold(true).clone();
    let tone = |t: Tone| match t {
        Tone::Plain => ColorSpec::new(),
        Tone::Old => ColorSpec::new().set_fg(Some(Color::Red)).clone(),
        Tone::New => ColorSpec::new().set_fg(Some(Color::Green)).clone(),
    };
    w.set_color(&bold)?;
    writeln!(
        w,
        "Comparing {} with {}",
        side_name(&changes.old),
        side_name(&changes.new)
    )?;
    w.reset()?;
    for (side, name) in [(&changes.old, "old"), (&changes.new, "new")] {
        if side.findings.is_empty() {
            continue;
        }
        writeln!(w)?;
        w.set_color(ColorSpec::new().set_fg(Some(Color::Red)).set_bold(true))?;
        writeln!(
            w,
            "Errors in the {name} version ({}): what they break is not compared",
            side.label
        )?;
        w.reset()?;
        for f in &side.findings {
            writeln!(w, "  {}", finding_line(f))?;
        }
    }
    for section in changes.sections() {
        writeln!(w)?;
        w.set_color(&bold)?;
        writeln!(w, "{}", section.title())?;
        w.reset()?;
        for c in changes.section(section) {
            let m = mark(c.change);
            w.set_color(&tone(match c.change {
                What::Added => Tone::New,
                What::Removed => Tone::Old,
                _ => Tone::Plain,
            }))?;
            write!(w, "  {m} ")?;
            w.reset()?;
            write!(
                w,
                "{} ({}): ",
                crate::diagnostic::printable(&c.subject.title),
                crate::diagnostic::printable(&c.subject.id)
            )?;
            for part in phrase(c) {
                match part {
                    Part::Text(t) => write!(w, "{t}")?,
                    Part::Value {
                        text,
                        quoted,
                        tone: t,
                    } => {
                        w.set_color(&tone(t))?;
                        if quoted {
                            write!(w, "“{}”", crate::diagnostic::printable(text))?;
                        } else {
                            write!(w, "{}", crate::diagnostic::printable(text))?;
                        }
                        w.reset()?;
                    }
                    Part::Ids { ids, tone: t } => {
                        w.set_color(&tone(t))?;
                        write!(w, "{}", shown_ids(changes, &ids))?;
                        w.reset()?;
                    }
                }
            }
            writeln!(w)?;
        }
    }
    writeln!(w)?;
    writeln!(w, "{}", count(changes))
}

fn shown_ids(changes: &Changes, ids: &[&str]) -> String {
    if ids.is_empty() {
        return "nobody".to_string();
    }
    ids.iter()
        .map(|id| crate::diagnostic::printable(changes.title(id)).into_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Markdown for a pull-request comment or a CI job's summary.
pub fn markdown(changes: &Changes) -> String {
    let mut out = format!(
        "### Model changes: `{}` → `{}`\n\n",
        md_code(&side_name(&changes.old)),
        md_code(&side_name(&changes.new))
    );
    for (side, name) in [(&changes.old, "old"), (&changes.new, "new")] {
        if side.findings.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "**Errors in the {name} version** (what they break is not compared):\n\n"
        ));
        for f in &side.findings {
            out.push_str(&format!("- `{}`\n", md_code(&finding_line(f))));
        }
        out.push('\n');
    }
    if changes.is_empty() {
        out.push_str("No changes to the model or the pages.\n");
        return out;
    }
    for section in changes.sections() {
        out.push_str(&format!("#### {}\n\n", section.title()));
        for c in changes.section(section) {
            // The mark in a code span: a bare `-`, `+` or `>` would start a
            // nested list or a quote.
            out.push_str(&format!(
                "- `{}` **{}**: ",
                mark(c.change),
                md_text(&c.subject.title)
            ));
            for part in phrase(c) {
                match part {
                    Part::Text(t) => out.push_str(&md_text(t)),
                    Part::Value { text, quoted, tone } => {
                        let t = if quoted {
                            format!("“{}”", md_text(text))
                        } else {
                            format!("`{}`", md_code(text))
                        };
                        out.push_str(&emphasis(&t, tone));
                    }
                    Part::Ids { ids, .. } if ids.is_empty() => out.push_str("nobody"),
                    Part::Ids { ids, tone } => {
                        out.push_str(&emphasis(&md_text(&shown_ids(changes, &ids)), tone))
                    }
                }
            }
            out.push('\n');
        }
        out.push('\n');
    }
    out.push_str(&format!("{}.\n", count(changes)));
    out
}

/// New values in bold, old ones struck through.
fn emphasis(text: &str, tone: Tone) -> String {
    match tone {
        Tone::Plain => text.to_string(),
        Tone::Old => format!("~~{text}~~"),
        Tone::New => format!("**{text}**"),
    }
}

/// Text with Markdown's and HTML's special characters escaped, on one line.
fn md_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in crate::diagnostic::printable(s).chars() {
        match ch {
            '\n' | '\r' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&' | '!' => {
                out.push('\\');
                out.push(ch);
            }
            _ => out.push(ch),
        }
    }
    out
}

/// Text for a code span: no backticks or line breaks.
fn md_code(s: &str) -> String {
    crate::diagnostic::printable(s).replace(['`', '\n', '\r'], "'")
}
