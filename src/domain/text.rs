//! Characters that no stored text takes.

/// Characters no field of the portal takes: C0 controls other than tab, line feed and
/// carriage return, DEL, C1 controls, and the bidirectional embeddings, overrides and
/// isolates (U+202A–U+202E, U+2066–U+2069) that make text show in another order than it is
/// stored. A NUL is also what PostgreSQL cannot store at all.
pub fn is_hidden_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// What the web layer's input guard puts in place of a hidden control character in any field
/// the handler may not check itself; a broken encoding decodes to it as well.
pub const REPLACED: char = '\u{FFFD}';
