//! Standard base64 (RFC 4648, section 4), as GitHub's contents API sends a file: padded, and
//! wrapped in lines of 60 characters.

/// The bytes `text` encodes, line breaks and other ASCII whitespace skipped; `None` for any
/// other character outside the alphabet, or padding anywhere but at the end.
pub(super) fn decode(text: &str) -> Option<Vec<u8>> {
    let symbols: Vec<u8> = text.bytes().filter(|byte| !byte.is_ascii_whitespace()).collect();
    if !symbols.len().is_multiple_of(4) {
        return None;
    }
    let groups = symbols.len() / 4;
    let mut bytes = Vec::with_capacity(groups * 3);
    for (index, group) in symbols.chunks_exact(4).enumerate() {
        let padding = group.iter().rev().take_while(|&&symbol| symbol == b'=').count();
        if padding > 2 || (padding > 0 && index + 1 != groups) {
            return None;
        }
        let mut word = 0u32;
        for &symbol in &group[..4 - padding] {
            word = (word << 6) | u32::from(value(symbol)?);
        }
        word <<= 6 * padding;
        let [_, a, b, c] = word.to_be_bytes();
        bytes.extend_from_slice(&[a, b, c][..3 - padding]);
    }
    Some(bytes)
}

fn value(symbol: u8) -> Option<u8> {
    match symbol {
        b'A'..=b'Z' => Some(symbol - b'A'),
        b'a'..=b'z' => Some(symbol - b'a' + 26),
        b'0'..=b'9' => Some(symbol - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn rfc_4648_test_vectors_decode() {
        let vectors = [("", ""), ("Zg==", "f"), ("Zm8=", "fo"), ("Zm9v", "foo"), ("Zm9vYg==", "foob"), ("Zm9vYmE=", "fooba"), ("Zm9vYmFy", "foobar")];
        for (encoded, plain) in vectors {
            assert_eq!(decode(encoded).as_deref(), Some(plain.as_bytes()), "{encoded}");
        }
    }

    #[test]
    fn line_breaks_are_skipped() {
        assert_eq!(decode("Zm9v\nYmFy\n").as_deref(), Some(&b"foobar"[..]));
    }

    #[test]
    fn malformed_text_is_refused() {
        for bad in ["Zm9", "Zm9v!mFy", "Zg==Zm9v", "Z===", "=Zm9"] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }
}
