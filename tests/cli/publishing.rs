//! Publishing safely: a failed or killed build leaves the previous site,
//! content errors write nothing, and dangerous output folders are refused.

use std::path::{Path, PathBuf};

use crate::util::{append, copy_fixture, fixtures, git, replace_in, run, stderr};

#[test]
fn a_failed_build_leaves_the_previous_site() {
    let tmp = copy_fixture(&fixtures("good"));
    let site = tmp.path().join("site");
    let ok = run(tmp.path(), &["build"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    let before = std::fs::read_to_string(site.join("index.html")).unwrap();
    // A template error is only found while rendering, after the checks passed.
    std::fs::create_dir_all(tmp.path().join("themes/broken")).unwrap();
    std::fs::write(tmp.path().join("themes/broken/page.html"), "{% extends \"base.html\" %}{% block content %}{{ page.nope.deeper }}{% endblock content %}").unwrap();
    replace_in(
        &tmp.path().join("book.toml"),
        "raci = \"RACI\"",
        "raci = \"RACI\"\ntheme = \"broken\"",
    );
    let bad = run(tmp.path(), &["build"]);
    let text = stderr(&bad);
    assert_eq!(bad.status.code(), Some(1), "{text}");
    assert!(text.contains("error[template]"), "{text}");
    assert!(text.contains("themes/broken/page.html:1:"), "{text}");
    assert_eq!(
        std::fs::read_to_string(site.join("index.html")).unwrap(),
        before
    );
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("archbook-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
}

#[test]
fn a_build_killed_midway_leaves_the_previous_site() {
    let tmp = copy_fixture(&fixtures("mdbook"));
    let site = tmp.path().join("book");
    let ok = run(tmp.path(), &["build"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    let before = snapshot(&site);

    // A handbook large enough that the build is still writing when killed.
    let big = tmp.path().join("src/big");
    std::fs::create_dir_all(&big).unwrap();
    let body = "Some text with a [link](../README.md) and `code`.\n\n```rust\nfn main() { println!(\"hi\"); }\n```\n".repeat(20);
    for i in 0..1500 {
        std::fs::write(
            big.join(format!("p{i}.md")),
            format!("# Page {i}\n\n{body}"),
        )
        .unwrap();
    }
    append(
        &tmp.path().join("book.toml"),
        "\n[archbook.rules]\nnot-in-summary = \"off\"\n",
    );
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("archbook"))
        .current_dir(tmp.path())
        .arg("build")
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let staging = tmp
        .path()
        .join(format!(".book.archbook-tmp-{}", child.id()));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    // Kill it once the staging folder holds pages: in the middle of writing.
    while walkdir::WalkDir::new(&staging)
        .into_iter()
        .flatten()
        .count()
        < 50
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the build never started writing"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the build finished before it could be killed"
        );
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(staging.exists(), "killed mid-build");
    assert!(snapshot(&site) == before, "the published site changed");

    // The next build succeeds and clears what the killed one left.
    let ok = run(tmp.path(), &["build"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert!(
        !staging.exists(),
        "the killed build's staging folder is swept"
    );
    assert!(site.join("big/p1499.html").is_file());
}

/// Every file of a folder with its contents.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect()
}

#[test]
fn content_errors_write_nothing() {
    let tmp = copy_fixture(&fixtures("invalid/unknown-reference"));
    let out = run(tmp.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("nothing was written"));
    assert!(!tmp.path().join("book").exists());
}

#[test]
fn dangerous_output_folders_are_refused() {
    let tmp = copy_fixture(&fixtures("good"));
    for bad in [".", "docs", "docs/out", "/"] {
        let out = run(tmp.path(), &["build", ".", "-o", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("refusing to write"),
            "{bad}: {}",
            stderr(&out)
        );
    }
    assert!(tmp.path().join("docs/README.md").exists());
}

#[test]
fn the_generated_workflow_runs_as_written() {
    // The archbook steps of the workflow `init` writes, in order, in the new
    // handbook (the install step is the CI machine's).
    let tmp = tempfile::tempdir().unwrap();
    let out = run(tmp.path(), &["init", "x"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let dir = tmp.path().join("x");
    let text = std::fs::read_to_string(dir.join(".github/workflows/pages.yml")).unwrap();
    let workflow: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    // It installs this archbook's release, prebuilt, kept in the cache.
    assert_eq!(
        workflow["env"]["ARCHBOOK_VERSION"].as_str(),
        Some(env!("CARGO_PKG_VERSION"))
    );
    let mut steps = Vec::new();
    for job in ["check", "changes", "publish"] {
        let job = &workflow["jobs"][job];
        let runs =
            |s: &serde_yaml::Value, what: &str| s["run"].as_str().is_some_and(|r| r.contains(what));
        let uses = |s: &serde_yaml::Value, what: &str| {
            s["uses"].as_str().is_some_and(|u| u.starts_with(what))
        };
        let list = job["steps"].as_sequence().unwrap();
        assert!(list.iter().any(|s| uses(s, "actions/cache@")), "{text}");
        assert!(
            list.iter().any(|s| uses(s, "cargo-bins/cargo-binstall@")),
            "{text}"
        );
        assert!(
            list.iter().any(|s| runs(
                s,
                "cargo binstall --no-confirm --locked \"archbook@$ARCHBOOK_VERSION\""
            )),
            "{text}"
        );
        assert!(job["runs-on"].as_str().is_some(), "{text}");
        for step in job["steps"].as_sequence().unwrap() {
            steps.extend(step["run"].as_str().and_then(build_step));
        }
    }
    run_steps(&dir, &steps, &text);
    // What the workflow uploads.
    assert!(dir.join("site/index.html").exists());
}

/// The arguments of a CI line that checks or builds with archbook (the
/// `diff` of the pull-request jobs is run by its own test).
fn build_step(line: &str) -> Option<Vec<String>> {
    let cmd = line.strip_prefix("archbook ")?;
    (!cmd.starts_with("diff ")).then(|| cmd.split_whitespace().map(str::to_string).collect())
}

/// Runs archbook `steps` in `dir`: each must succeed; every one denies
/// warnings, as CI should.
fn run_steps(dir: &Path, steps: &[Vec<String>], text: &str) {
    assert_eq!(steps.len(), 2, "{text}");
    assert!(
        steps
            .iter()
            .all(|s| s.ends_with(&["--deny".into(), "warnings".into()]))
    );
    for args in steps {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(dir, &args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn the_generated_gitlab_pipeline_runs_as_written() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(tmp.path(), &["init", "x", "--ci", "gitlab"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let dir = tmp.path().join("x");
    assert!(!dir.join(".github").exists());
    let text = std::fs::read_to_string(dir.join(".gitlab-ci.yml")).unwrap();
    let pipeline: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    // It installs this archbook's release (prebuilt, else from crates.io),
    // once per version: the cache is keyed by it.
    assert_eq!(
        pipeline["variables"]["ARCHBOOK_VERSION"].as_str(),
        Some(env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(
        pipeline["cache"]["key"].as_str(),
        Some("archbook-$ARCHBOOK_VERSION")
    );
    let install = pipeline["before_script"][1].as_str().unwrap();
    assert!(
        install.contains("cargo binstall --no-confirm --locked \"archbook@$ARCHBOOK_VERSION\"")
            && install.contains("|| cargo install --locked \"archbook@$ARCHBOOK_VERSION\""),
        "{text}"
    );
    let mut steps = Vec::new();
    for job in ["check", "pages"] {
        for line in pipeline[job]["script"].as_sequence().unwrap() {
            steps.extend(line.as_str().and_then(build_step));
        }
    }
    // GitLab Pages publishes the `public` folder of the job named `pages`.
    assert_eq!(
        pipeline["pages"]["artifacts"]["paths"][0].as_str(),
        Some("public")
    );
    run_steps(&dir, &steps, &text);
    assert!(dir.join("public/index.html").exists());
}

/// Runs a CI job's `archbook diff` line as written, with `sh`, in a new
/// handbook whose pull request changes a RACI cell: `base` is the base
/// branch as the CI checkout names it, `env` what the CI sets.
fn run_diff_step(
    ci: &str,
    file: &str,
    line_of: impl Fn(&serde_yaml::Value) -> Vec<String>,
    env: &[(&str, &str)],
) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(tmp.path(), &["init", "x", "--ci", ci]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let dir = tmp.path().join("x");
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let lines: Vec<String> = line_of(&doc)
        .into_iter()
        .filter(|l| l.starts_with("archbook diff "))
        .collect();
    assert_eq!(lines.len(), 1, "{text}");
    let git = |args: &[&str]| git(&dir, args);
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "base"]);
    // The base branch, as the CI checkout has it.
    git(&["update-ref", "refs/remotes/origin/main", "HEAD"]);
    let activity = walkdir::WalkDir::new(dir.join("src"))
        .into_iter()
        .filter_map(|e| e.ok())
        .map(|e| e.into_path())
        .find(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains("kind: activity")))
        .expect("init writes an activity");
    let page = std::fs::read_to_string(&activity).unwrap();
    let changed = page.replacen(": C\n", ": I\n", 1);
    assert_ne!(page, changed, "{page}");
    std::fs::write(&activity, changed).unwrap();
    git(&["commit", "-q", "-am", "a change"]);
    let bin = assert_cmd::cargo::cargo_bin("archbook");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let summary = tmp.path().join("summary.md");
    let out = std::process::Command::new("sh")
        .args(["-c", &lines[0]])
        .current_dir(&dir)
        .env("PATH", path)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(summary)
        .or_else(|_| std::fs::read_to_string(dir.join("changes.md")))
        .unwrap()
}

#[test]
fn the_pull_request_jobs_report_model_changes() {
    let steps = |job: &serde_yaml::Value| -> Vec<String> {
        job.as_sequence()
            .unwrap()
            .iter()
            .filter_map(|s| s["run"].as_str().or(s.as_str()))
            .map(str::to_string)
            .collect()
    };
    let md = run_diff_step(
        "github",
        ".github/workflows/pages.yml",
        |w| steps(&w["jobs"]["changes"]["steps"]),
        &[("GITHUB_BASE_REF", "main")],
    );
    assert!(md.starts_with("### Model changes: `origin/main"), "{md}");
    assert!(md.contains("#### RACI cells"), "{md}");
    let md = run_diff_step(
        "gitlab",
        ".gitlab-ci.yml",
        |p| steps(&p["changes"]["script"]),
        &[("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main")],
    );
    assert!(md.contains("#### RACI cells"), "{md}");
}

#[test]
fn denied_warnings_fail_and_write_nothing() {
    let dir = fixtures("warnings");
    let out = run(&dir, &["check", "orphan-role", "--deny", "warnings"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let args = ["build", "orphan-role", "-o", site.to_str().unwrap()];
    let out = run(&dir, &[&args[..], &["--deny", "warnings"]].concat());
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("(warnings denied); nothing was written"),
        "{text}"
    );
    assert!(!site.exists());
    // Without it, warnings do not fail the build.
    let out = run(&dir, &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // `deny-warnings = true` in book.toml is the same switch.
    let strict = copy_fixture(&dir.join("orphan-role"));
    append(
        &strict.path().join("book.toml"),
        "\n[archbook]\ndeny-warnings = true\n",
    );
    let text = crate::util::run_expecting(strict.path(), &["check"], 1);
    assert!(text.contains("warning[orphan-role]"), "{text}");
    let out_dir = strict.path().join("out");
    let text = crate::util::run_expecting(
        strict.path(),
        &["build", "-o", out_dir.to_str().unwrap()],
        1,
    );
    assert!(
        text.contains("(warnings denied); nothing was written"),
        "{text}"
    );
    assert!(!out_dir.exists());
}

#[test]
fn the_dockerfile_builds_archbook_and_runs_it_unprivileged() {
    // No container engine runs here (nor a registry to pull its base images
    // from): this checks the Dockerfile's shape. Its build step is the
    // release build the README documents; CI compiles the same locked
    // sources (the tests, and `cargo publish --dry-run`'s verification).
    let text = std::fs::read_to_string(crate::util::repo().join("Dockerfile")).unwrap();
    let stages: Vec<&str> = text.lines().filter(|l| l.starts_with("FROM ")).collect();
    assert_eq!(stages.len(), 2, "{text}");
    assert!(stages[0].ends_with(" AS build"), "{text}");
    assert!(
        text.contains("cargo build --release --locked --bin archbook"),
        "{text}"
    );
    assert!(
        text.contains("COPY --from=build /src/target/release/archbook /usr/local/bin/archbook"),
        "{text}"
    );
    let user = text.lines().find_map(|l| l.strip_prefix("USER ")).unwrap();
    assert!(user != "root" && user != "0", "{text}");
    assert!(text.contains("ENTRYPOINT [\"archbook\"]"), "{text}");
    let ignored = std::fs::read_to_string(crate::util::repo().join(".dockerignore")).unwrap();
    assert!(ignored.lines().any(|l| l == "target"), "{ignored}");
}

#[test]
fn release_archives_are_where_cargo_binstall_looks() {
    // The release workflow's archive step, run here as GitHub would run it
    // for each Unix target (over a stand-in binary), writes the archive
    // Cargo.toml's [package.metadata.binstall] points cargo binstall at,
    // with the binary where `bin-dir` says.
    let repo = crate::util::repo();
    let manifest: toml::Value =
        toml::from_str(&std::fs::read_to_string(repo.join("Cargo.toml")).unwrap()).unwrap();
    let version = manifest["package"]["version"].as_str().unwrap();
    let binstall = &manifest["package"]["metadata"]["binstall"];
    let workflow: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(repo.join(".github/workflows/release.yml")).unwrap(),
    )
    .unwrap();
    assert_eq!(workflow["on"]["push"]["tags"][0].as_str(), Some("v*"));
    let job = &workflow["jobs"]["build"];
    let step = job["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|s| s["name"].as_str() == Some("Archive, with its checksum"))
        .unwrap();
    let script = step["run"].as_str().unwrap();
    let targets: Vec<&str> = job["strategy"]["matrix"]["include"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|t| t["target"].as_str().unwrap())
        .collect();
    assert!(
        targets.contains(&"x86_64-unknown-linux-musl"),
        "{targets:?}"
    );
    for target in targets.iter().filter(|t| !t.contains("windows")) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        for file in ["README.md", "LICENSE-MIT", "LICENSE-APACHE"] {
            std::fs::copy(repo.join(file), dir.join(file)).unwrap();
        }
        let bin = dir.join(format!("target/{target}/release"));
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::write(bin.join("archbook"), "stand-in").unwrap();
        let script = script
            .replace("${{ matrix.target }}", target)
            .replace("${{ runner.os }}", "Linux");
        let out = std::process::Command::new("bash")
            .args(["-eo", "pipefail", "-c", &script])
            .current_dir(dir)
            .env("TAG", format!("v{version}"))
            .env("GITHUB_ENV", dir.join("github-env"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let fill = |template: &str| {
            template
                .replace("{ repo }/releases/download/", "")
                .replace("{ name }", "archbook")
                .replace("{ version }", version)
                .replace("{ target }", target)
                .replace("{ archive-suffix }", ".tar.gz")
                .replace("{ bin }", "archbook")
                .replace("{ binary-ext }", "")
        };
        let archive = fill(binstall["pkg-url"].as_str().unwrap());
        let archive = archive.strip_prefix(&format!("v{version}/")).unwrap();
        assert!(dir.join(archive).is_file(), "{archive} for {target}");
        assert!(dir.join(format!("{archive}.sha256")).is_file());
        let listing = std::process::Command::new("tar")
            .args(["tzf", archive])
            .current_dir(dir)
            .output()
            .unwrap();
        let listing = String::from_utf8_lossy(&listing.stdout);
        let bin_dir = fill(binstall["bin-dir"].as_str().unwrap());
        assert!(
            listing.lines().any(|l| l == bin_dir),
            "{bin_dir} in {listing}"
        );
    }
}
