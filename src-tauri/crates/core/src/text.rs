//! Text as searches and matches compare it: folded to lower case without accents, and
//! cut into words.

/// Lowercases and drops accents so "Tortillería" is found by "tortilleria" and an RFC
/// by any piece of it, typed in any case; `-` and `.` go, so `abc-010203` reads as
/// `abc010203`. The catalogue's and the home list's search keys and the "Para ti"
/// matcher all fold with this one function.
pub fn fold(text: &str) -> String {
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

/// The words of already folded text: runs of letters and digits.
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_separators() {
        assert_eq!(fold("Tortillería LA ÚNICA"), "tortilleria la unica");
        assert_eq!(fold("abc-010203-xy1"), "abc010203xy1");
        assert_eq!(fold("Peña"), "peña");
    }

    #[test]
    fn words_are_runs_of_letters_and_digits() {
        let folded = fold("Tóner, cartuchos; papel (carta) 75g/m²");
        assert_eq!(
            words(&folded).collect::<Vec<_>>(),
            ["toner", "cartuchos", "papel", "carta", "75g", "m²"]
        );
    }
}
