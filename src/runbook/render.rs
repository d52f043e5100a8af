//! Rendering the context with handlebars: the templates of `templates/`,
//! built into the binary, each replaceable by a file of the same name in
//! `--templates DIR`. Strict mode: a name the context lacks is an error,
//! and every error names the template's file and line.

use super::context::{RunbookContext, StepKind};
use handlebars::{Handlebars, handlebars_helper};
use std::path::Path;

/// A template that could not be read, parsed or rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {message}", .line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct TemplateError {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

/// One template: its name (`runbook`, `step-db`), where it comes from, its text.
#[derive(Debug, Clone)]
struct Source {
    name: String,
    file: String,
    text: String,
}

/// The templates a runbook renders with.
#[derive(Debug, Clone)]
pub struct Templates {
    sources: Vec<Source>,
}

macro_rules! embedded {
    ($($name:literal => $path:literal),* $(,)?) => {
        &[$(($name, $path, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/", $path)))),*]
    };
}

/// (name, file under templates/, text).
const EMBEDDED: &[(&str, &str, &str)] = embedded![
    "runbook" => "runbook.md.hbs",
    "section" => "partials/section.hbs",
    "summary" => "partials/summary.hbs",
    "variables" => "partials/variables.hbs",
    "step-head" => "partials/step-head.hbs",
    "step-body" => "partials/step-body.hbs",
    "step-record" => "partials/step-record.hbs",
    "step-backup" => "partials/step-backup.hbs",
    "step-service" => "partials/step-service.hbs",
    "step-repo" => "partials/step-repo.hbs",
    "step-package" => "partials/step-package.hbs",
    "step-os" => "partials/step-os.hbs",
    "step-config" => "partials/step-config.hbs",
    "step-db" => "partials/step-db.hbs",
    "step-cells" => "partials/step-cells.hbs",
    "step-placement" => "partials/step-placement.hbs",
    "step-check" => "partials/step-check.hbs",
    "step-endpoint" => "partials/step-endpoint.hbs",
    "step-identity" => "partials/step-identity.hbs",
    "step-verify" => "partials/step-verify.hbs",
    "step-manual" => "partials/step-manual.hbs",
    "step-rollback" => "partials/step-rollback.hbs",
];

/// The name of the template a file stands for: `runbook.md.hbs` → `runbook`,
/// `step-db.hbs` → `step-db`.
fn name_of(file: &str) -> Option<&str> {
    file.strip_suffix(".md.hbs")
        .or_else(|| file.strip_suffix(".hbs"))
}

impl Templates {
    /// The built-in templates.
    pub fn embedded() -> Templates {
        Templates {
            sources: EMBEDDED
                .iter()
                .map(|(name, path, text)| Source {
                    name: name.to_string(),
                    file: format!("templates/{path} (built in)"),
                    text: text.to_string(),
                })
                .collect(),
        }
    }

    /// The built-in templates, with each `NAME.hbs` (or `runbook.md.hbs`) of
    /// `dir` and of `dir/partials` in place of the one of that name, or added.
    pub fn with_dir(dir: &Path) -> Result<Templates, TemplateError> {
        let mut t = Templates::embedded();
        let fail = |file: &Path, e: std::io::Error| TemplateError {
            file: file.display().to_string(),
            line: None,
            message: e.to_string().to_lowercase(),
        };
        let mut files = Vec::new();
        for folder in [dir.to_path_buf(), dir.join("partials")] {
            let entries = match std::fs::read_dir(&folder) {
                Ok(entries) => entries,
                Err(e) if folder != dir && e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(fail(&folder, e)),
            };
            for entry in entries {
                let entry = entry.map_err(|e| fail(&folder, e))?;
                let path = entry.path();
                let file_name = entry.file_name().to_string_lossy().into_owned();
                if path.is_file() && name_of(&file_name).is_some() {
                    files.push((file_name, path));
                }
            }
        }
        files.sort();
        for (file_name, path) in files {
            let name = name_of(&file_name).expect("filtered").to_string();
            let text = std::fs::read_to_string(&path).map_err(|e| fail(&path, e))?;
            let file = path.display().to_string();
            match t.sources.iter_mut().find(|s| s.name == name) {
                Some(s) => {
                    s.file = file;
                    s.text = text;
                }
                None => t.sources.push(Source { name, file, text }),
            }
        }
        Ok(t)
    }

    /// The template names, each step kind's partial among them.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.sources.iter().map(|s| s.name.as_str())
    }

    fn file_of(&self, name: Option<&str>) -> String {
        name.and_then(|n| self.sources.iter().find(|s| s.name == n))
            .map_or_else(|| "templates".to_string(), |s| s.file.clone())
    }

    fn registry(&self) -> Result<Handlebars<'static>, TemplateError> {
        let mut h = Handlebars::new();
        h.set_strict_mode(true);
        h.register_escape_fn(escape_markdown);
        h.register_helper("cell", Box::new(cell));
        h.register_helper("inline_code", Box::new(inline_code));
        for s in &self.sources {
            h.register_template_string(&s.name, &s.text)
                .map_err(|e| TemplateError {
                    file: s.file.clone(),
                    line: e.pos().map(|(line, _)| line),
                    message: e.reason().to_string(),
                })?;
        }
        Ok(h)
    }
}

/// Text from the context, in Markdown: `<` would start HTML.
fn escape_markdown(s: &str) -> String {
    s.replace('<', "&lt;")
}

handlebars_helper!(cell: |s: str| escape_markdown(s).replace('|', "\\|").replace('\n', " "));

handlebars_helper!(inline_code: |s: str| code_span(s));

/// `s` as a code span fit for a table cell: fenced with more backticks
/// than it holds in a row, `|` escaped.
fn code_span(s: &str) -> String {
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!(
        "{fence}{pad}{}{pad}{fence}",
        s.replace('|', "\\|").replace('\n', " ")
    )
}

/// Renders the context with the templates: Markdown.
pub fn render(ctx: &RunbookContext, templates: &Templates) -> Result<String, TemplateError> {
    let h = templates.registry()?;
    for kind in StepKind::ALL {
        let partial = kind.partial();
        if !h.has_template(&partial) {
            return Err(TemplateError {
                file: templates.file_of(None),
                line: None,
                message: format!("no template {partial}.hbs for {} steps", kind.as_str()),
            });
        }
    }
    let mut out = h.render("runbook", ctx).map_err(|e| TemplateError {
        file: templates.file_of(e.template_name.as_deref()),
        line: e.line_no,
        message: e.reason().to_string(),
    })?;
    tidy(&mut out);
    Ok(out)
}

/// At most one blank line in a row outside fenced blocks, and one final
/// newline.
fn tidy(s: &mut String) {
    let mut out = String::with_capacity(s.len());
    let mut blank = 0;
    let mut fenced = false;
    for line in s.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
        }
        if line.trim().is_empty() && !fenced {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    *s = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_survive_backticks_and_pipes() {
        assert_eq!(code_span("a|b"), "`a\\|b`");
        assert_eq!(code_span("x `y` z"), "``x `y` z``");
    }

    #[test]
    fn template_files_name_their_template() {
        assert_eq!(name_of("runbook.md.hbs"), Some("runbook"));
        assert_eq!(name_of("step-db.hbs"), Some("step-db"));
        assert_eq!(name_of("notes.txt"), None);
    }
}
