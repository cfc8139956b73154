//! Positions and addresses as the Language Server Protocol counts them:
//! lines from 0 and columns in UTF-16 code units, files as `file://` URIs.

use std::path::{Path, PathBuf};

use lsp_types::{Position, Range, Uri};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// Characters a path keeps percent-encoded in a `file://` URI.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b']')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// The `file://` URI of an absolute path.
pub fn uri(path: &Path) -> Option<Uri> {
    let text = path.to_str()?.replace('\\', "/");
    let text = if text.starts_with('/') {
        text
    } else {
        format!("/{text}")
    };
    format!("file://{}", utf8_percent_encode(&text, PATH))
        .parse()
        .ok()
}

/// The path a `file://` URI names.
pub fn path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    let decoded = crate::slug::percent_decode(rest);
    // `file:///C:/x` on Windows.
    let decoded = match decoded.as_bytes() {
        [b'/', _, b':', ..] => decoded[1..].to_string(),
        _ => decoded,
    };
    Some(PathBuf::from(decoded))
}

/// The position of byte `offset` of `text`.
pub fn position(text: &str, offset: usize) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let character = text[start..offset].encode_utf16().count();
    Position::new(line as u32, character as u32)
}

/// The range of bytes `span` of `text`.
pub fn range(text: &str, span: &std::ops::Range<usize>) -> Range {
    Range::new(
        position(text, span.start),
        position(text, span.end.max(span.start)),
    )
}

/// The byte offset of `pos` in `text` (clamped to the line's end).
pub fn offset(text: &str, pos: Position) -> usize {
    let mut line_start = 0;
    for _ in 0..pos.line {
        match text[line_start..].find('\n') {
            Some(i) => line_start += i + 1,
            None => return text.len(),
        }
    }
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let mut units = 0;
    for (i, c) in text[line_start..line_end].char_indices() {
        if units >= pos.character as usize {
            return line_start + i;
        }
        units += c.len_utf16();
    }
    line_end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        let text = "a: é😀x\nsecond\n";
        let x = text.find('x').unwrap();
        assert_eq!(position(text, x), Position::new(0, 6));
        assert_eq!(offset(text, Position::new(0, 6)), x);
        assert_eq!(offset(text, Position::new(1, 3)), text.find("ond").unwrap());
        assert_eq!(offset(text, Position::new(9, 0)), text.len());
    }

    #[test]
    fn paths_and_uris_round_trip() {
        let p = Path::new("/tmp/my handbook/src/a#b.md");
        let u = uri(p).unwrap();
        assert_eq!(u.as_str(), "file:///tmp/my%20handbook/src/a%23b.md");
        assert_eq!(path(&u).unwrap(), p);
    }
}
