//! The words the first four letters of a CURP or of a persona física's RFC never spell.
//!
//! Those letters come from the holder's names, and when they would form a rude or
//! awkward word the issuer changes one of them to X: RENAPO the second letter of a CURP
//! (Instructivo Normativo para la Asignación de la CURP), SAT the last of an RFC
//! (its algorithm for the RFC with homoclave). So a CURP or RFC that starts with one of
//! these words was never issued: a letter has been mistyped. The lists are the
//! issuers' published tables, as python-stdnum also carries them.

/// SAT's table of inconvenient words for a persona física's RFC.
pub(crate) const RFC_WORDS: [&str; 41] = [
    "BUEI", "BUEY", "CACA", "CACO", "CAGA", "CAGO", "CAKA", "CAKO", "COGE", "COJA", "COJE", "COJI",
    "COJO", "CULO", "FETO", "GUEY", "JOTO", "KACA", "KACO", "KAGA", "KAGO", "KAKA", "KOGE", "KOJO",
    "KULO", "MAME", "MAMO", "MEAR", "MEAS", "MEON", "MION", "MOCO", "MULA", "PEDA", "PEDO", "PENE",
    "PUTA", "PUTO", "QULO", "RATA", "RUIN",
];

/// RENAPO's table of inconvenient words for a CURP.
pub(crate) const CURP_WORDS: [&str; 81] = [
    "BACA", "BAKA", "BUEI", "BUEY", "CACA", "CACO", "CAGA", "CAGO", "CAKA", "CAKO", "COGE", "COGI",
    "COJA", "COJE", "COJI", "COJO", "COLA", "CULO", "FALO", "FETO", "GETA", "GUEI", "GUEY", "JETA",
    "JOTO", "KACA", "KACO", "KAGA", "KAGO", "KAKA", "KAKO", "KOGE", "KOGI", "KOJA", "KOJE", "KOJI",
    "KOJO", "KOLA", "KULO", "LILO", "LOCA", "LOCO", "LOKA", "LOKO", "MAME", "MAMO", "MEAR", "MEAS",
    "MEON", "MIAR", "MION", "MOCO", "MOKO", "MULA", "MULO", "NACA", "NACO", "PEDA", "PEDO", "PENE",
    "PIPI", "PITO", "POPO", "PUTA", "PUTO", "QULO", "RATA", "ROBA", "ROBE", "ROBO", "RUIN", "SENO",
    "TETA", "VACA", "VAGA", "VAGO", "VAKA", "VUEI", "VUEY", "WUEI", "WUEY",
];

/// Whether the identifier in `chars` (normalized) starts with one of `words`.
pub(crate) fn starts_with_one(words: &[&str], chars: &[char]) -> bool {
    let Some(first4) = chars.get(..4) else {
        return false;
    };
    words
        .iter()
        .any(|word| word.chars().eq(first4.iter().copied()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_tables_are_four_capital_letters_listed_once_in_order() {
        for words in [&RFC_WORDS[..], &CURP_WORDS[..]] {
            for word in words {
                assert!(
                    word.len() == 4 && word.bytes().all(|b| b.is_ascii_uppercase()),
                    "{word}"
                );
                // The issuers' fix puts an X in the word, so no word may hold one.
                assert!(!word.contains('X'), "{word}");
            }
            assert!(words.windows(2).all(|pair| pair[0] < pair[1]), "{words:?}");
        }
        // RENAPO's table includes every word of SAT's.
        let curp: HashSet<_> = CURP_WORDS.iter().collect();
        assert!(RFC_WORDS.iter().all(|word| curp.contains(word)));
    }

    #[test]
    fn only_the_first_four_characters_count() {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        let cases = [
            ("CACA580710NF7", true),
            ("CACA", true),
            ("CAC", false),
            ("", false),
            ("XCACA58071", false),
            ("CXCA580710NF7", false),
            ("CACX580710NF7", false),
        ];
        for (input, expected) in cases {
            assert_eq!(
                starts_with_one(&RFC_WORDS, &chars(input)),
                expected,
                "{input}"
            );
        }
    }
}
