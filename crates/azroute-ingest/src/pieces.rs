//! Reading a large file that is one plain JSON list of resources (`az … list` output) in pieces,
//! one resource at a time, so that a parsing thread never holds the whole file: the NIC and VM
//! lists of a 100k-NIC estate are 19–21 MB each.
//!
//! Only the plain, valid case is read this way. Anything else (another envelope, a byte-order
//! mark, text that is not UTF-8 or not valid JSON, a resource that does not fit its struct, a
//! diagnostic, a file with no resource) gives up, and the caller reads the file whole as before:
//! every diagnostic is the whole-file reader's, with its JSON path and line and column.

use std::io::Read;
use std::path::Path;

use crate::dto::ResourceDto;
use crate::pending::Pending;

/// Files at least this large are tried in pieces (smaller ones are cheaper read whole).
pub(crate) const PIECES_FROM: u64 = 4 << 20;

/// How much of the file is read at a time.
const PIECE: usize = 1 << 20;

/// A resource with this many `{` and `[` or more gives up: the whole-file parser counts the
/// list's own level towards its recursion limit of 128, a resource parsed alone does not, so
/// only a resource that cannot nest that deep is certain to parse alike (no Azure resource
/// comes near this).
const MAX_OPENINGS: usize = 120;

/// The file and the part of it not yet parsed.
struct Pieces {
    file: std::fs::File,
    buffer: Vec<u8>,
    /// Offset of the first byte not yet parsed.
    at: usize,
    /// The whole file has been read (or a read failed: `failed`).
    at_end: bool,
    failed: bool,
    bytes: u64,
}

impl Pieces {
    /// Reads the next piece after what is left unparsed; false at the end of the file.
    fn fill(&mut self) -> bool {
        if self.at_end {
            return false;
        }
        self.buffer.drain(..self.at);
        self.at = 0;
        let old = self.buffer.len();
        self.buffer.resize(old + PIECE, 0);
        let read = self.file.read(&mut self.buffer[old..]);
        let n = read.as_ref().map_or(0, |n| *n);
        self.buffer.truncate(old + n);
        self.bytes += n as u64;
        self.failed |= read.is_err();
        self.at_end = n == 0;
        n > 0
    }

    /// The next byte that is not JSON whitespace, without taking it; `None` at the end.
    fn peek(&mut self) -> Option<u8> {
        loop {
            while let Some(&b) = self.buffer.get(self.at) {
                if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                    return Some(b);
                }
                self.at += 1;
            }
            if !self.fill() {
                return None;
            }
        }
    }

    /// Reads the resource object that starts at the next byte into `pending`; `None` to give
    /// up. A resource cut by the end of the buffer is parsed again with the next piece.
    fn resource(&mut self, pending: &mut Pending, path: &str) -> Option<()> {
        loop {
            let rest = &self.buffer[self.at..];
            let mut stream = serde_json::Deserializer::from_slice(rest).into_iter::<ResourceDto<'_>>();
            match stream.next()? {
                Ok(dto) => {
                    let used = stream.byte_offset();
                    let openings = openings(&rest[..used]);
                    if openings >= MAX_OPENINGS {
                        return None;
                    }
                    pending.resource(&dto, path);
                    self.at += used;
                    return Some(());
                }
                // An error at the end of the buffer may be the piece's end (a number cut after
                // its `.` is not an end-of-input error); one further on is the file's.
                Err(err) if (err.is_eof() || offset_of(rest, err.line(), err.column()) + 64 >= rest.len()) => {
                    if !self.fill() {
                        return None;
                    }
                }
                Err(_) => return None,
            }
        }
    }
}

/// The `{` and `[` in `bytes`. This runs over every byte read, so it counts in bytes, 255 at a time
/// (each byte adds at most one), which the compiler vectorises 16 or 32 lanes wide; a `usize`
/// per byte made it an eighth of `routes --all`.
fn openings(bytes: &[u8]) -> usize {
    let in_chunk = |chunk: &[u8]| chunk.iter().fold(0u8, |n, &b| n + u8::from(b == b'{' || b == b'['));
    bytes.chunks(255).map(|chunk| usize::from(in_chunk(chunk))).sum()
}

/// The byte offset of a 1-based line and column (serde_json's error position) in `text`.
fn offset_of(text: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].iter().position(|&b| b == b'\n') {
            Some(p) => start += p + 1,
            None => break,
        }
    }
    start + column
}

/// Reads `path` as a list of resources in pieces into a new [`Pending`] for file `index`; `None`
/// when the file must be read whole (see the module comment), also on any read error (reading it
/// whole reports it). The byte count is the file's.
pub(crate) fn read_list_in_pieces(path: &Path, index: u32, shown: &str) -> Option<(Pending, u64)> {
    let file = std::fs::File::open(path).ok()?;
    let mut pieces =
        Pieces { file, buffer: Vec::with_capacity(2 * PIECE), at: 0, at_end: false, failed: false, bytes: 0 };
    let mut pending = Pending::new(index, shown);
    if pieces.peek()? != b'[' {
        return None;
    }
    pieces.at += 1;
    let mut item_path = String::new();
    let mut items = 0usize;
    let mut next = pieces.peek()?;
    while next != b']' {
        // Only objects are read in pieces (a `null` or other value in the list: read whole).
        if next != b'{' {
            return None;
        }
        use std::fmt::Write;
        item_path.clear();
        let _ = write!(item_path, "$[{items}]");
        pieces.resource(&mut pending, &item_path)?;
        items += 1;
        next = pieces.peek()?;
        if next == b',' {
            pieces.at += 1;
            next = pieces.peek()?;
            if next == b']' {
                return None;
            }
        } else if next != b']' {
            return None;
        }
    }
    pieces.at += 1;
    let only_whitespace_after = pieces.peek().is_none();
    let plain = only_whitespace_after && !pieces.failed && pending.diagnostics.is_empty();
    (plain && pending.resources_read > 0).then_some((pending, pieces.bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counted in chunks of 255 bytes: a chunk made only of openings, and counts across chunks.
    #[test]
    fn openings_are_counted_across_chunks() {
        assert_eq!(openings(&[b'{'; 255]), 255);
        let text: Vec<u8> = (0..1000).map(|i| [b'{', b'[', b'a', b'}'][i % 4]).collect();
        assert_eq!(openings(&text), 500);
        assert_eq!(openings(b""), 0);
    }

    fn nic(name: &str) -> String {
        format!(
            r#"{{"id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/networkInterfaces/{name}", "type": "Microsoft.Network/networkInterfaces", "name": "{name}", "properties": {{"ipConfigurations": [{{"name": "c", "properties": {{"privateIPAddress": "10.0.0.4", "subnet": {{"id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v/subnets/a"}}}}}}]}}, "tags": {{"note": "a \"quoted\" ] and }} and \\ in a string: ü"}}}}"#
        )
    }

    fn read(text: &str) -> Option<Pending> {
        let dir = std::env::temp_dir().join(format!("azroute-pieces-{}-{}", std::process::id(), text.len()));
        std::fs::write(&dir, text).unwrap();
        let read = read_list_in_pieces(&dir, 0, "nics.json").map(|(p, bytes)| {
            assert_eq!(bytes, text.len() as u64);
            p
        });
        std::fs::remove_file(&dir).unwrap();
        read
    }

    #[test]
    fn a_list_longer_than_a_piece_is_read_resource_by_resource_as_the_whole_file_is() {
        let names: Vec<String> = (0..3000).map(|i| format!("nic-{i:05}")).collect();
        let body: Vec<String> = names.iter().map(|n| nic(n)).collect();
        let text = format!("[\n  {}\n]\n", body.join(",\n  "));
        assert!(text.len() > PIECE, "the test must cross piece boundaries");
        let pieces = read(&text).expect("a plain list is read in pieces");
        let mut whole = crate::parse_one(0, "nics.json", &text);
        whole.shrink_to_fit();
        assert_eq!(pieces.nics.len(), 3000);
        assert_eq!(pieces.nics[2999].origin.json_path, "$[2999]");
        assert_eq!(format!("{pieces:?}"), format!("{whole:?}"));
    }

    #[test]
    fn a_number_cut_by_the_end_of_a_piece_is_parsed_again_with_the_next_piece() {
        let head = format!("[{}, ", nic("n1"));
        let n2 = nic("n2");
        let start = format!("{}, \"pad\": \"", &n2[..n2.len() - 1]);
        let number = "\", \"weight\": 1.";
        // The first piece ends right after the number's `.`: `1.` alone is an invalid number,
        // not the end of the input.
        let pad = "x".repeat(PIECE - head.len() - start.len() - number.len());
        let text = format!("{head}{start}{pad}{number}5e1}}, {}]", nic("n3"));
        assert_eq!(&text.as_bytes()[PIECE - 2..PIECE], b"1.");
        let pieces = read(&text).expect("read in pieces");
        let mut whole = crate::parse_one(0, "nics.json", &text);
        whole.shrink_to_fit();
        assert_eq!(pieces.nics.len(), 3);
        assert_eq!(format!("{pieces:?}"), format!("{whole:?}"));
    }

    #[test]
    fn a_large_file_read_from_disk_gives_what_the_same_text_read_whole_gives() {
        let body: Vec<String> = (0..12000).map(|i| nic(&format!("nic-{i:05}"))).collect();
        let good = format!("[\n  {}\n]\n", body.join(",\n  "));
        assert!(good.len() as u64 > PIECES_FROM, "the test must take the piecewise path");
        let truncated = good[..good.len() - 10].to_string();
        let dir = std::env::temp_dir().join(format!("azroute-pieces-dir-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("nics.json");
        for text in [good, truncated] {
            std::fs::write(&file, &text).unwrap();
            let from_disk = crate::load_path(&file, &crate::IngestOptions::default());
            let whole = crate::load_texts(&[(file.display().to_string(), text)]);
            assert_eq!(format!("{:?}", from_disk.snapshot.nics), format!("{:?}", whole.snapshot.nics));
            assert_eq!(format!("{:?}", from_disk.diagnostics), format!("{:?}", whole.diagnostics));
            assert_eq!(from_disk.stats.bytes, whole.stats.bytes);
            assert_eq!(from_disk.stats.resources, whole.stats.resources);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn anything_but_a_plain_valid_list_of_resources_is_left_to_the_whole_file_reader() {
        let one = nic("n1");
        for text in [
            format!("[{one}, {one}"),                                                      // truncated
            format!("[{one},]"),                                                           // trailing comma
            format!("[{one}] x"),                                                          // text after the list
            format!("\u{feff}[{one}]"),                                                    // byte-order mark
            format!("{{\"value\": [{one}]}}"),                                             // another envelope
            format!("[{one}, null]"), // a value that is not an object
            "[]".to_string(),         // nothing read
            r#"[{"id": 1, "type": "Microsoft.Network/networkInterfaces"}]"#.to_string(), // wrong type
            format!("[{}{}]", "{\"a\": ".repeat(120), "1".to_string() + &"}".repeat(120)), // too deep
        ] {
            assert!(read(&text).is_none(), "read in pieces: {text:.80}");
        }
        assert!(read(&format!("[{one}, {one}]")).is_some());
    }
}
