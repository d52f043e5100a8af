//! Findings of `check`, for terminals (text), programs (JSON) and CI
//! (GitHub workflow annotations), rendered from their masked view.

use super::JSON_SCHEMA;
use super::plural;
use super::style::{Paint, Style};
use super::view::{CheckView, FindingView, Summary};
use crate::check::{Finding, Severity};
use crate::report::redact::Redactor;
use serde::Serialize;
use serde::ser::{SerializeSeq as _, SerializeStruct as _};
use std::cell::{Cell, RefCell};
use std::fmt::Write as _;

/// One block a finding: `FILE:LINE: severity[CODE name]: message`, then the
/// value and the suggestion indented; a summary line a file.
pub fn text(v: &CheckView, style: Style) -> String {
    let mut out = Vec::new();
    write_text(v, style, &mut out).expect("writing to memory");
    String::from_utf8(out).expect("the text is UTF-8")
}

/// [`text`], written as it is made.
pub fn write_text(
    v: &CheckView,
    style: Style,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    for file in &v.files {
        let findings = v.of(file);
        for f in findings {
            block(f, style, out)?;
        }
        let count = |s| findings.iter().filter(|f| f.severity == s).count();
        let counts = [Severity::Error, Severity::Warning, Severity::Info].map(count);
        summary(&file.file, counts, &v.release_title, out)?;
    }
    Ok(())
}

/// [`text`] of one file's findings against the release titled `title`,
/// each finding made into its view as it is written: a file with millions
/// of findings never has them all as views (or as text) at once.
pub fn write_text_of(
    file: &str,
    findings: &[Finding],
    title: &str,
    r: Redactor,
    style: Style,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut text = TextOf::new(file, r, style);
    for f in findings {
        text.block(&FindingView::new(file, f, r), out)?;
    }
    text.summary(title, out)
}

/// [`text`] of one file, written a finding at a time as the findings come
/// (`check::check_each`), then its summary line.
pub struct TextOf<'a> {
    file: &'a str,
    r: Redactor,
    style: Style,
    counts: [usize; 3],
}

impl<'a> TextOf<'a> {
    pub fn new(file: &'a str, r: Redactor, style: Style) -> TextOf<'a> {
        TextOf {
            file,
            r,
            style,
            counts: [0; 3],
        }
    }

    /// Writes the block of `f`.
    pub fn write(&mut self, f: Finding, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let view = FindingView::from_owned(self.file, f, self.r);
        self.block(&view, out)
    }

    fn block(&mut self, f: &FindingView, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        self.counts[match f.severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Info => 2,
        }] += 1;
        block(f, self.style, out)
    }

    /// Writes the summary line, against the release titled `title`.
    pub fn summary(self, title: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        summary(self.file, self.counts, title, out)
    }
}

/// One finding's block.
fn block(f: &FindingView, style: Style, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let paint = match f.severity {
        Severity::Error => Paint::Red,
        Severity::Warning => Paint::Yellow,
        Severity::Info => Paint::Cyan,
    };
    let place = match f.line {
        Some(line) => std::borrow::Cow::Owned(format!("{}:{line}", f.file)),
        None => std::borrow::Cow::Borrowed(f.file.as_str()),
    };
    writeln!(
        out,
        "{}: {}[{} {}]: {}",
        style.paint(&place, Paint::Bold),
        style.paint(f.severity.as_str(), paint),
        f.code,
        f.name,
        f.message
    )?;
    if let Some(value) = &f.value {
        writeln!(out, "    value: {value:?}")?;
    }
    if let Some(s) = &f.suggestion {
        writeln!(out, "    {} {s}", style.paint("help:", Paint::Green))?;
    }
    Ok(())
}

/// A file's summary line, from its counts of errors, warnings and notes.
fn summary(
    file: &str,
    [errors, warnings, notes]: [usize; 3],
    title: &str,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let summary = if errors + warnings + notes == 0 {
        "no findings".to_string()
    } else {
        format!(
            "{}, {}, {}",
            plural(errors, "error"),
            plural(warnings, "warning"),
            plural(notes, "note")
        )
    };
    writeln!(out, "{file}: {summary} (checked against {title})")
}

/// `{"schema":1,"release":…,"findings":[…],"summary":{…}}`.
pub fn json(v: &CheckView) -> String {
    super::json_text(v)
}

/// [`json`] of the findings `feed` gives (each with its file's name), for
/// `files` files against `release`, written as they come: the same bytes,
/// and no view of them all is built. Returns the summary.
pub fn write_json<F>(
    release: &str,
    files: usize,
    r: Redactor,
    feed: F,
    out: &mut dyn std::io::Write,
) -> std::io::Result<Summary>
where
    F: FnOnce(&mut dyn FnMut(&str, Finding) -> std::io::Result<()>) -> std::io::Result<()>,
{
    let doc = Streamed {
        release,
        r,
        feed: RefCell::new(Some(feed)),
        summary: Cell::new(Summary {
            files,
            ..Summary::default()
        }),
        stopped: RefCell::new(None),
    };
    // Buffered here, where the many small writes of the serialiser are
    // calls the compiler sees (`out` may be buffered too).
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut *out);
    let written = serde_json::to_writer_pretty(&mut buffered, &doc);
    if let Some(e) = doc.stopped.take() {
        return Err(e);
    }
    written?;
    std::io::Write::write_all(&mut buffered, b"\n")?;
    std::io::Write::flush(&mut buffered)?;
    Ok(doc.summary.get())
}

/// A [`CheckView`] whose findings are made as they are serialised.
struct Streamed<'a, F> {
    release: &'a str,
    r: Redactor,
    feed: RefCell<Option<F>>,
    summary: Cell<Summary>,
    /// Why the findings stopped coming.
    stopped: RefCell<Option<std::io::Error>>,
}

/// The findings of a [`Streamed`].
struct StreamedFindings<'s, 'a, F>(&'s Streamed<'a, F>);

impl<F> Serialize for Streamed<'_, F>
where
    F: FnOnce(&mut dyn FnMut(&str, Finding) -> std::io::Result<()>) -> std::io::Result<()>,
{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // The fields of `CheckView`, in its order.
        let mut st = s.serialize_struct("CheckView", 4)?;
        st.serialize_field("schema", &JSON_SCHEMA)?;
        st.serialize_field("release", self.release)?;
        st.serialize_field("findings", &StreamedFindings(self))?;
        st.serialize_field("summary", &self.summary.get())?;
        st.end()
    }
}

impl<F> Serialize for StreamedFindings<'_, '_, F>
where
    F: FnOnce(&mut dyn FnMut(&str, Finding) -> std::io::Result<()>) -> std::io::Result<()>,
{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error as _;
        let this = self.0;
        let Some(feed) = this.feed.take() else {
            return Err(S::Error::custom("the findings are serialised once"));
        };
        let mut seq = s.serialize_seq(None)?;
        let mut failed = None;
        let mut summary = this.summary.get();
        let fed = feed(&mut |file, f| {
            summary.add(f.severity);
            seq.serialize_element(&FindingView::from_owned(file, f, this.r))
                .map_err(|e| {
                    failed = Some(e);
                    std::io::Error::other("serialising a finding")
                })
        });
        this.summary.set(summary);
        if let Some(e) = failed {
            return Err(e);
        }
        if let Err(e) = fed {
            *this.stopped.borrow_mut() = Some(e);
            return Err(S::Error::custom("the findings stopped"));
        }
        seq.end()
    }
}

/// GitHub Actions workflow commands: `::error file=F,line=N,title=T::message`.
pub fn github(v: &CheckView) -> String {
    let mut out = String::new();
    for f in &v.findings {
        annotation(&mut out, f);
    }
    out
}

/// The annotation of one finding, as [`github`] writes it.
pub fn write_github(f: &FindingView, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut line = String::new();
    annotation(&mut line, f);
    out.write_all(line.as_bytes())
}

fn annotation(out: &mut String, f: &FindingView) {
    let level = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut message = f.message.clone();
    if let Some(v) = &f.value {
        let _ = write!(message, " (value: {v:?})");
    }
    if let Some(s) = &f.suggestion {
        let _ = write!(message, ". Suggestion: {s}");
    }
    let mut props = format!("file={}", property(&f.file));
    if let Some(line) = f.line {
        let _ = write!(props, ",line={line}");
    }
    let _ = write!(
        props,
        ",title={}",
        property(&format!("{} {}", f.code, f.name))
    );
    let _ = writeln!(out, "::{level} {props}::{}", data(&message));
}

/// Escapes the message part of a workflow command.
pub fn data(s: &str) -> String {
    escape(s, false)
}

/// Escapes a property value of a workflow command.
pub fn property(s: &str) -> String {
    escape(s, true)
}

fn escape(s: &str, property: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(secret: bool) -> Finding {
        Finding {
            code: "C201",
            name: "inline-comment",
            severity: Severity::Warning,
            line: Some(3),
            section: Some("DEFAULT".into()),
            key: Some("k".into()),
            message: "50% of it, a\nb".into(),
            suggestion: Some("fix it".into()),
            value: Some("hunter2  # pw".into()),
            secret,
        }
    }

    fn view(file: &str, f: &[Finding]) -> CheckView {
        CheckView::new("wallaby", "Wallaby", [(file, f)], Redactor::default())
    }

    #[test]
    fn github_annotations_escape_and_mask() {
        let out = github(&view("etc/nova,x.conf", &[finding(true)]));
        assert_eq!(
            out,
            "::warning file=etc/nova%2Cx.conf,line=3,title=C201 inline-comment::50%25 of it, a%0Ab (value: \"****\"). Suggestion: fix it\n"
        );
        assert!(!out.contains("hunter2"));
    }

    #[test]
    fn text_written_a_finding_at_a_time_is_the_text_of_the_view() {
        for secret in [false, true] {
            let fs = [finding(secret), finding(false)];
            let mut out = Vec::new();
            let r = Redactor::default();
            write_text_of("n.conf", &fs, "Wallaby", r, Style::default(), &mut out).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                text(&view("n.conf", &fs), Style::default())
            );
            let owned = CheckView::from_owned("wallaby", "Wallaby", [("n.conf", fs.to_vec())], r);
            assert_eq!(format!("{owned:?}"), format!("{:?}", view("n.conf", &fs)));
        }
    }

    #[test]
    fn text_shows_place_severity_code_value_and_help() {
        let out = text(&view("n.conf", &[finding(false)]), Style::default());
        assert_eq!(
            out,
            "n.conf:3: warning[C201 inline-comment]: 50% of it, a\nb\n    value: \"hunter2  # pw\"\n    help: fix it\nn.conf: 0 errors, 1 warning, 0 notes (checked against Wallaby)\n"
        );
    }
}
