//! Words that someone typed, made safe to put inside a mail the Dinas sends: one line, no
//! control or invisible characters, a length cap, and (for names) nothing a mail program
//! would turn into a link. A name is a few words, never an instruction or an address.

/// Names: long enough for any real one, too short for a message.
pub const NAME_MAX: usize = 60;
/// Vacancy, programme and company names.
pub const TITLE_MAX: usize = 120;
/// A company's note to an applicant, a provider's reason to a resident.
pub const NOTE_MAX: usize = 500;

/// One line of at most `max` characters: control characters, bidirectional overrides and
/// zero-width characters go, any run of white space becomes one space, and a cut text ends
/// with "…".
pub fn line(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() {
            space = !out.is_empty();
            continue;
        }
        if is_invisible(c) {
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    if out.chars().count() > max {
        let cut: String = out.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    } else {
        out
    }
}

/// Format characters that change how text looks without showing themselves.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

/// A name as a mail may show it: [`line`], with link-like words broken (`evil[.]com`,
/// `https[:]//`) and double quotes turned into single ones, so that it cannot close the
/// quotes it is shown in.
pub fn name(text: &str) -> String {
    line(text, NAME_MAX)
        .split(' ')
        .map(defang)
        .collect::<Vec<_>>()
        .join(" ")
        .replace(['"', '\u{201c}', '\u{201d}', '\u{201e}'], "'")
}

/// A name in typographic quotes, marking it as the words of whoever wrote it.
pub fn quoted_name(text: &str) -> String {
    format!("\u{201c}{}\u{201d}", name(text))
}

/// Someone else's note in typographic quotes: [`title`], its own double quotes made single.
pub fn quoted(text: &str, max: usize) -> String {
    let inner = title(text, max).replace(['"', '\u{201c}', '\u{201d}', '\u{201e}'], "'");
    format!("\u{201c}{inner}\u{201d}")
}

/// A title or a note: [`line`] with explicit web addresses broken. Titles keep dots
/// ("ASP.NET"); they pass a verifier before anyone is mailed about them.
pub fn title(text: &str, max: usize) -> String {
    line(text, max)
        .split(' ')
        .map(|word| {
            if has_scheme_or_www(word) {
                defang(word)
            } else {
                word.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Ends a mail that carries a link or someone else's words with the Dinas's fixed warning,
/// after a signature separator so it cannot be taken for part of those words.
pub fn with_warning(lang: crate::web::Lang, body: &str) -> String {
    format!("{body}\n\n-- \n{}", lang.t("security_mail.never_asks"))
}

fn has_scheme_or_www(word: &str) -> bool {
    let lower = word.to_lowercase();
    lower.contains("://") || lower.contains("www.")
}

/// Whether a word reads as an address: a scheme, `www.`, an `@`, or a dotted name whose
/// first part has two or more characters and whose last part is letters ("binjai.go.id",
/// not the "S.Kom" of a degree).
fn looks_like_link(word: &str) -> bool {
    if has_scheme_or_www(word) || word.contains('@') {
        return true;
    }
    let core = word.trim_matches(|c: char| !c.is_alphanumeric());
    let core = core.split(['/', '?', '#']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() >= 2
        && parts[0].chars().count() >= 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '-'))
        && parts
            .last()
            .is_some_and(|tld| tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic))
}

fn defang(word: &str) -> String {
    if !looks_like_link(word) {
        return word.to_owned();
    }
    word.replace("://", "[:]//")
        .replace('.', "[.]")
        .replace('@', "[at]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_without_hidden_characters() {
        assert_eq!(
            line("  Siti\n\r\tAisyah\u{202E} \u{200B}Lubis ", 60),
            "Siti Aisyah Lubis"
        );
        assert_eq!(line("a\u{0007}b", 60), "a b");
        assert_eq!(line(&"x".repeat(500), 60).chars().count(), 60);
        assert!(line(&"x".repeat(500), 60).ends_with('…'));
    }

    #[test]
    fn names_lose_their_links_but_keep_their_degrees() {
        assert_eq!(
            name("Budi https://evil.example/login"),
            "Budi https[:]//evil[.]example/login"
        );
        assert_eq!(name("Budi www.evil.com"), "Budi www[.]evil[.]com");
        assert_eq!(name("Budi evil.com"), "Budi evil[.]com");
        assert_eq!(name("Budi a@b.id"), "Budi a[at]b[.]id");
        assert_eq!(
            name("Dr. Ir. Budi, S.Kom., M.Si."),
            "Dr. Ir. Budi, S.Kom., M.Si."
        );
        assert_eq!(name("Budi \u{201d} Dinas"), "Budi ' Dinas");
        assert_eq!(quoted_name("Budi"), "\u{201c}Budi\u{201d}");
    }

    #[test]
    fn titles_keep_dots_but_not_addresses() {
        assert_eq!(title("Programmer ASP.NET", 120), "Programmer ASP.NET");
        assert_eq!(
            title("Kasir, daftar di http://x.id\nsekarang", 120),
            "Kasir, daftar di http[:]//x[.]id sekarang"
        );
    }
}
