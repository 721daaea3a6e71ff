//! Search keys: what the home screen's search box matches against.

/// Lowercases and drops accents so "Tortillería" is found by "tortilleria" and an RFC
/// by any piece of it, typed in any case.
pub(crate) fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'ä' | 'â' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            other => other,
        })
        .filter(|c| !matches!(c, '-' | '.'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_case_accents_and_separators() {
        assert_eq!(fold("Tortillería LA ÚNICA"), "tortilleria la unica");
        assert_eq!(fold("abc-010203-xy1"), "abc010203xy1");
        assert_eq!(fold("Peña"), "peña");
    }
}
