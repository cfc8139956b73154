//! `archbook init`: a new handbook with one page of each kind that passes
//! `check`, a `.gitignore` for the output, and the CI file that publishes it
//! (a GitHub Pages workflow, or a GitLab CI pipeline for GitLab Pages).
//! Never overwrites a file that exists.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The files of a new handbook, by path from its folder.
const FILES: &[(&str, &str)] = &[
    (
        "book.toml",
        r#"[book]
title = "Architecture Handbook"
authors = []
language = "en"
src = "src"

[build]
build-dir = "book"

[archbook]
# "RACI", or "RASCI" to allow S (supportive).
raci = "RACI"

# Make a rule stricter or quieter: "error", "warning" or "off".
# [archbook.rules]
# orphan-component = "off"
"#,
    ),
    (
        "src/index.md",
        r#"---
title: Introduction
weight: 1
---

# Architecture Handbook

Who designs, builds and runs what. Start with the [RACI matrix](raci.html),
the [layers](layers.html) or the [role boundaries](boundaries.html).

Every page is Markdown with a little YAML at the top that describes the model;
`archbook check` validates it and `archbook serve` shows the handbook while you
write.
"#,
    ),
    (
        "src/layers/platform.md",
        r#"---
kind: layer
title: Platform
level: 1
summary: The servers and services applications run on.
---

# Platform

Describe the layer: what it contains and where its boundaries are.
"#,
    ),
    (
        "src/components/web-server.md",
        r#"---
kind: component
title: Web server
layer: platform
owner: operations
lifecycle: current
summary: Serves the organisation's web applications.
---

# Web server

What it is, how it is sized, and what depends on it.
"#,
    ),
    (
        "src/roles/architect.md",
        r#"---
kind: role
title: Architect
mantra: "Design for the whole chain"
focus: Designs the infrastructure and keeps it coherent.
layers: [platform]
relations:
  operations: Designs what Operations runs, and listens to what is hard to run.
does_not: [run-platform]
---

# Architect

What the role does, and what it leaves to others.
"#,
    ),
    (
        "src/roles/operations.md",
        r#"---
kind: role
title: Operations
mantra: "Today everything works"
focus: Runs the platform day to day.
relations:
  architect: Runs what the Architect designs.
---

# Operations

Runs and monitors the platform.
"#,
    ),
    (
        "src/activities/design-platform.md",
        r#"---
kind: activity
title: Design the platform
area: Design
layers: [platform]
raci:
  architect: A/R
  operations: C
---

# Design the platform

What the activity produces, and who is involved.
"#,
    ),
    (
        "src/activities/run-platform.md",
        r#"---
kind: activity
title: Run the platform
area: Operations
layers: [platform]
raci:
  operations: A/R
  architect: I
---

# Run the platform

Daily operations: monitoring, patching, incidents.
"#,
    ),
    (
        "src/decisions/0001-record-architecture-decisions.md",
        r#"---
kind: decision
title: "ADR 0001: Record architecture decisions"
status: accepted
date: 2025-01-01
decision-makers: [architect]
consulted: [operations]
---

# ADR 0001: Record architecture decisions

## Context and problem statement

Decisions get lost in mail and meetings.

## Decision outcome

Every architecture decision is a page of `kind: decision` in this handbook.
"#,
    ),
    (".gitignore", "/book\n"),
];

/// Where the handbook is published from: the CI file `init` writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Ci {
    /// GitHub Actions and GitHub Pages (`.github/workflows/pages.yml`).
    #[default]
    Github,
    /// GitLab CI and GitLab Pages (`.gitlab-ci.yml`).
    Gitlab,
}

/// The steps of each GitHub job that install archbook (`{install}` in
/// [`GITHUB`]).
const GITHUB_INSTALL: &str = r#"      # archbook, kept between runs: a prebuilt binary from its release
      # (cargo binstall), compiled from crates.io where none fits.
      - id: archbook
        uses: actions/cache@v4
        with:
          path: ~/.cargo/bin/archbook
          key: archbook-${{ runner.os }}-${{ runner.arch }}-${{ env.ARCHBOOK_VERSION }}
      - if: steps.archbook.outputs.cache-hit != 'true'
        uses: cargo-bins/cargo-binstall@main
      - if: steps.archbook.outputs.cache-hit != 'true'
        run: cargo binstall --no-confirm --locked "archbook@$ARCHBOOK_VERSION""#;

/// The GitHub Actions workflow.
const GITHUB: (&str, &str) = (
    ".github/workflows/pages.yml",
    r#"# Checks the handbook on pull requests and writes what they change in the
# model (RACI, boundaries, components, decisions) to the run's summary;
# builds it and publishes it on GitHub Pages on every push to main. Any
# warning fails the run.
name: Publish the handbook
on:
  push:
    branches: [main]
  pull_request:
  workflow_dispatch:
permissions:
  contents: read
env:
  # The archbook release that checks and builds the handbook.
  ARCHBOOK_VERSION: "{version}"
jobs:
  check:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
{install}
      - run: archbook check . --deny warnings
  changes:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          # The base branch's history, to compare with.
          fetch-depth: 0
{install}
      - run: archbook diff "origin/$GITHUB_BASE_REF" HEAD --format markdown >> "$GITHUB_STEP_SUMMARY"
  publish:
    if: github.event_name != 'pull_request'
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pages: write
      id-token: write
    concurrency:
      group: pages
      cancel-in-progress: true
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - uses: actions/checkout@v4
{install}
      - run: archbook build . -o site --deny warnings
      - uses: actions/upload-pages-artifact@v3
        with:
          path: site
      - id: deployment
        uses: actions/deploy-pages@v4
"#,
);

/// The GitLab CI pipeline: GitLab Pages publishes the `public` folder of a
/// job named `pages`.
const GITLAB: (&str, &str) = (
    ".gitlab-ci.yml",
    r#"# Checks the handbook on merge requests and attaches what they change in
# the model (changes.md); builds it and publishes it on GitLab Pages from
# the default branch. Any warning fails the pipeline.
image: rust:latest
variables:
  # The archbook release that checks and builds the handbook.
  ARCHBOOK_VERSION: "{version}"
  CARGO_HOME: $CI_PROJECT_DIR/.cargo
# archbook, kept between pipelines: a prebuilt binary from its release
# (cargo binstall), compiled from crates.io where that cannot be reached.
cache:
  key: archbook-$ARCHBOOK_VERSION
  paths:
    - .cargo/bin
before_script:
  - export PATH="$CARGO_HOME/bin:$PATH"
  - |
    if ! command -v archbook >/dev/null; then
      curl -fsSL https://raw.githubusercontent.com/cargo-bins/cargo-binstall/main/install-from-binstall-release.sh | bash \
        && cargo binstall --no-confirm --locked "archbook@$ARCHBOOK_VERSION" \
        || cargo install --locked "archbook@$ARCHBOOK_VERSION"
    fi
check:
  stage: test
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
  script:
    - archbook check . --deny warnings
changes:
  stage: test
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
  variables:
    # The target branch's history, to compare with.
    GIT_DEPTH: 0
  script:
    - git fetch origin "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"
    - archbook diff "origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME" HEAD --format markdown > changes.md
  artifacts:
    expose_as: model changes
    paths:
      - changes.md
pages:
  stage: deploy
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
  script:
    - archbook build . -o public --deny warnings
  artifacts:
    paths:
      - public
"#,
);

/// Writes a new handbook into `dir` (created if needed), with the CI file
/// that publishes it from `ci`. Returns each file with `true` when it was
/// written, `false` when it existed and was kept.
pub fn init(dir: &Path, ci: Ci) -> Result<Vec<(PathBuf, bool)>> {
    let publish = match ci {
        Ci::Github => GITHUB,
        Ci::Gitlab => GITLAB,
    };
    // CI installs the archbook that wrote it.
    let publish_text = publish
        .1
        .replace("{install}", GITHUB_INSTALL)
        .replace("{version}", env!("CARGO_PKG_VERSION"));
    write_new(
        dir,
        FILES
            .iter()
            .map(|(rel, text)| (Path::new(*rel), *text))
            .chain([(Path::new(publish.0), publish_text.as_str())]),
    )
}

/// Writes `files` (paths under `dir`, and texts), creating folders as
/// needed, and never replaces a file: one that exists is kept. Returns each
/// path with `true` when it was written.
pub fn write_new<'f>(
    dir: &Path,
    files: impl IntoIterator<Item = (&'f Path, &'f str)>,
) -> Result<Vec<(PathBuf, bool)>> {
    let mut done = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        if path.exists() {
            done.push((path, false));
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
        }
        // create_new: never replace a file that appeared in the meantime.
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                std::io::Write::write_all(&mut f, text.as_bytes())
                    .map_err(|e| Error::write(&path, e))?;
                done.push((path, true));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => done.push((path, false)),
            Err(e) => return Err(Error::write(&path, e)),
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Site;

    #[test]
    fn a_new_handbook_checks_clean() {
        let tmp = tempfile::tempdir().unwrap();
        let made = init(tmp.path(), Ci::Github).unwrap();
        assert!(made.iter().all(|(_, new)| *new));
        let site = Site::check(tmp.path()).unwrap();
        let report = site.diagnostics.render_plain(&site.handbook.sources);
        assert_eq!(
            site.diagnostics.errors() + site.diagnostics.warnings(),
            0,
            "{report}"
        );
    }

    #[test]
    fn existing_files_are_kept() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("book.toml"), "[book]\ntitle = \"Mine\"\n").unwrap();
        let made = init(tmp.path(), Ci::Github).unwrap();
        assert!(made.iter().any(|(p, new)| p.ends_with("book.toml") && !new));
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("book.toml")).unwrap(),
            "[book]\ntitle = \"Mine\"\n"
        );
    }
}
