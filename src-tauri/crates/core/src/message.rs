//! What the app says about a problem: the stable [`Code`] of each problem, how serious it
//! is ([`Severity`]), and its plain-language explanation in Spanish or English.
//!
//! Codes are the contract: the UI, the CLI and the server key on them, and only the
//! human text lives here, so every surface explains a problem with the same words.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::registration::{Field, Section};

/// Declares a fieldless enum together with `all()`, its variants in declaration order,
/// so that list can never fall behind the enum when a variant is added.
macro_rules! enum_with_all {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $($(#[$variant_meta])* $variant),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub fn all() -> &'static [$name] {
                &[$($name::$variant),+]
            }
        }
    };
}
pub(crate) use enum_with_all;

/// The language of the messages shown to a person.
#[derive(
    Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq, Hash, TS, strum::EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case", ascii_case_insensitive)]
pub enum Locale {
    /// Spanish (Mexico): the default, since the users are Mexican businesses.
    #[default]
    Es,
    /// English, for the people who ask for it.
    En,
}

impl Locale {
    /// Reads a language tag such as `es`, `es-MX`, `en_US` or `EN`; only the primary
    /// language matters because the app speaks one Spanish and one English.
    pub fn parse(s: &str) -> Option<Locale> {
        s.trim().split(['-', '_']).next()?.parse().ok()
    }
}

/// How much a problem stops the registration.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, TS)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Something required has not been filled in yet.
    Missing,
    /// What was typed cannot be right; it blocks sending.
    Error,
    /// Probably wrong but possibly right; the person may continue.
    Warning,
}

enum_with_all! {
    /// A problem with something the person typed. Stable: stored and sent as snake_case.
    #[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, TS)]
    #[serde(rename_all = "snake_case")]
    pub enum Code {
        /// Nothing typed where something is required.
        Required,
        /// Longer than the field allows.
        TooLong,
        /// Characters official paperwork cannot carry.
        InvalidCharacters,
        /// An RFC of neither 12 nor 13 characters.
        RfcLength,
        /// An RFC not shaped as letters, date and homoclave.
        RfcShape,
        /// An RFC starting with a word SAT replaces.
        RfcInconvenientWord,
        /// An RFC whose date is no real day.
        RfcDate,
        /// An RFC whose check digit disagrees (a warning).
        RfcCheckDigit,
        /// A generic RFC, not one of a business.
        RfcGeneric,
        /// An RFC whose length is the other persona's.
        RfcPersonaMismatch,
        /// A CURP not of 18 characters.
        CurpLength,
        /// A CURP not shaped as one.
        CurpShape,
        /// A CURP starting with a word RENAPO replaces.
        CurpInconvenientWord,
        /// A CURP whose date is no real day.
        CurpDate,
        /// A CURP with an unknown sex letter.
        CurpSex,
        /// A CURP with an unknown state of birth.
        CurpState,
        /// A CURP whose check digit is wrong.
        CurpCheckDigit,
        /// A CURP that disagrees with the RFC (a warning).
        CurpRfcMismatch,
        /// A CLABE not of 18 digits.
        ClabeLength,
        /// A CLABE with something other than digits.
        ClabeNotDigits,
        /// A CLABE whose check digit is wrong.
        ClabeCheckDigit,
        /// A CLABE of a bank the catalogue lacks (a warning).
        ClabeUnknownBank,
        /// A postal code not of 5 digits.
        PostalCodeShape,
        /// A state not in the catalogue.
        StateUnknown,
        /// Not shaped as an email address.
        EmailShape,
        /// Not a 10-digit Mexican phone.
        PhoneShape,
        /// A tax regime not in the SAT catalogue.
        RegimenUnknown,
        /// A tax regime the persona cannot be in.
        RegimenNotForPersona,
        /// A SCIAN code not of 6 digits.
        ScianShape,
        /// A head count that is no whole number.
        WorkersNotNumber,
        /// Annual sales that are no amount of pesos.
        SalesNotAmount,
        /// A sector other than commerce, industry or services.
        SectorUnknown,
        /// Employer neither yes nor no.
        EmployerUnknown,
        /// A persona neither física nor moral.
        PersonaUnknown,
        /// A persona moral without a legal representative.
        RepresentativesMissing,
        /// A price that is no number.
        PriceNotNumber,
        /// A price below zero.
        PriceNegative,
        /// A price written with a decimal comma.
        PriceDecimalComma,
        /// A price with more than centavos.
        PriceTooManyDecimals,
        /// A price beyond any real amount.
        PriceTooLarge,
        /// A quantity that is no number.
        QuantityNotNumber,
        /// A quantity below zero.
        QuantityNegative,
        /// A quantity written with a decimal comma.
        QuantityDecimalComma,
        /// A quantity with too many decimals.
        QuantityTooManyDecimals,
        /// A quantity beyond any real one.
        QuantityTooLarge,
        /// No quantity where the tender states none.
        QuantityMissing,
        /// Price validity that is not 1 to 365 days.
        ValidityDaysNotNumber,
        /// A bid whose totals overflow.
        BidTooLarge,
        /// A declaration the owner has not confirmed.
        DeclarationNotAccepted,
        /// A document the tender asks for is not ready.
        DocumentNotReady,
        /// The tender moved since the bid was prepared.
        TenderChanged,
        /// The tender was withdrawn.
        TenderWithdrawn,
        /// The tender's deadline passed.
        DeadlinePassed,
    }
}

impl Code {
    /// How serious the problem is. Check-digit disagreements are only warnings because
    /// some identifiers genuinely in use fail them; so is a bank the catalogue lacks,
    /// because Banxico adds participants faster than any list is updated.
    pub fn severity(self) -> Severity {
        match self {
            Code::Required
            | Code::RepresentativesMissing
            | Code::QuantityMissing
            | Code::DeclarationNotAccepted
            | Code::DocumentNotReady => Severity::Missing,
            Code::RfcCheckDigit | Code::CurpRfcMismatch | Code::ClabeUnknownBank => {
                Severity::Warning
            }
            _ => Severity::Error,
        }
    }

    /// What is wrong and what to do about it, in plain words.
    pub fn message(self, locale: Locale) -> &'static str {
        let (es, en) = self.texts();
        match locale {
            Locale::Es => es,
            Locale::En => en,
        }
    }

    /// The message, naming `subject` where the code's text has a place for it (the
    /// code of a bank the catalogue lacks).
    pub fn message_about(self, locale: Locale, subject: Option<&str>) -> String {
        match (self, subject) {
            (Code::ClabeUnknownBank, Some(bank)) => match locale {
                Locale::Es => format!("No reconocemos el banco {bank}; revisa la CLABE."),
                Locale::En => format!("We do not recognise bank {bank}; check the CLABE."),
            },
            _ => self.message(locale).to_owned(),
        }
    }

    /// The code shown on its own, for a verdict about a single identifier.
    pub fn view(self, locale: Locale) -> IssueView {
        IssueView {
            code: self,
            severity: self.severity(),
            field: None,
            section: None,
            representative: None,
            message: self.message(locale).to_owned(),
        }
    }

    /// Spanish and English text, side by side so a translation is never forgotten.
    fn texts(self) -> (&'static str, &'static str) {
        match self {
            Code::Required => (
                "Este dato es obligatorio. Complétalo para continuar.",
                "This is required. Fill it in to continue.",
            ),
            Code::TooLong => (
                "El texto es demasiado largo. Acórtalo.",
                "The text is too long. Please shorten it.",
            ),
            Code::InvalidCharacters => (
                "Hay caracteres que no se aceptan (como emojis o símbolos especiales). Usa solo letras, números, espacios y signos de puntuación comunes.",
                "Some characters are not accepted (such as emoji or special symbols). Use only letters, numbers, spaces and common punctuation.",
            ),
            Code::RfcLength => (
                "El RFC debe tener 12 caracteres (persona moral) o 13 (persona física). Cópialo tal como aparece en tu Constancia de Situación Fiscal.",
                "The RFC must have 12 characters (company) or 13 (individual). Copy it exactly as it appears on your Constancia de Situación Fiscal.",
            ),
            Code::RfcShape => (
                "El RFC no tiene la forma correcta: primero van las letras del nombre, luego la fecha y al final 3 caracteres (homoclave). Revísalo en tu Constancia de Situación Fiscal.",
                "The RFC is not shaped correctly: first the letters of the name, then the date, and finally 3 characters (homoclave). Check it on your Constancia de Situación Fiscal.",
            ),
            Code::RfcInconvenientWord => (
                "Las primeras 4 letras de este RFC forman una palabra que el SAT nunca asigna (en esos casos cambia una letra por X), así que alguna letra está mal escrita. Cópialo tal como aparece en tu Constancia de Situación Fiscal.",
                "The first 4 letters of this RFC spell a word SAT never issues (it changes a letter to X instead), so some letter is mistyped. Copy it exactly as it appears on your Constancia de Situación Fiscal.",
            ),
            Code::RfcDate => (
                "Los 6 números después de las letras del RFC deben ser una fecha real (año, mes y día: AAMMDD). Revisa que estén bien escritos.",
                "The 6 digits after the letters of the RFC must be a real date (year, month and day: YYMMDD). Check that they are typed correctly.",
            ),
            Code::RfcCheckDigit => (
                "El último carácter (dígito verificador) no corresponde al resto del RFC. Revísalo en tu Constancia de Situación Fiscal; si está bien escrito, puedes continuar.",
                "The last character (check digit) does not match the rest of the RFC. Check it on your Constancia de Situación Fiscal; if it is typed correctly, you may continue.",
            ),
            Code::RfcGeneric => (
                "Este es un RFC genérico (público en general o extranjero) y no sirve para registrarte como proveedor. Escribe el RFC de tu negocio.",
                "This is a generic RFC (general public or foreigner) and cannot be used to register as a supplier. Enter your business's own RFC.",
            ),
            Code::RfcPersonaMismatch => (
                "El RFC no coincide con el tipo de persona elegido: una persona física tiene RFC de 13 caracteres y una persona moral de 12. Corrige el RFC o el tipo de persona.",
                "The RFC does not match the chosen type of person: an individual's RFC has 13 characters and a company's has 12. Correct the RFC or the type of person.",
            ),
            Code::CurpLength => (
                "La CURP debe tener 18 caracteres. Cópiala tal como aparece en tu constancia de CURP.",
                "The CURP must have 18 characters. Copy it exactly as it appears on your CURP certificate.",
            ),
            Code::CurpShape => (
                "La CURP no tiene la forma correcta (letras, fecha, sexo, estado y consonantes en su lugar). Revísala en tu constancia de CURP.",
                "The CURP is not shaped correctly (letters, date, sex, state and consonants in their places). Check it on your CURP certificate.",
            ),
            Code::CurpInconvenientWord => (
                "Las primeras 4 letras de esta CURP forman una palabra que RENAPO nunca asigna (en esos casos cambia la segunda letra por X), así que alguna letra está mal escrita. Cópiala tal como aparece en tu constancia de CURP.",
                "The first 4 letters of this CURP spell a word RENAPO never issues (it changes the second letter to X instead), so some letter is mistyped. Copy it exactly as it appears on your CURP certificate.",
            ),
            Code::CurpDate => (
                "Los 6 números después de las primeras 4 letras de la CURP deben ser una fecha de nacimiento real (AAMMDD). Revisa que estén bien escritos.",
                "The 6 digits after the first 4 letters of the CURP must be a real birth date (YYMMDD). Check that they are typed correctly.",
            ),
            Code::CurpSex => (
                "El carácter 11 de la CURP debe ser H, M o X. Revísalo en tu constancia de CURP.",
                "The 11th character of the CURP must be H, M or X. Check it on your CURP certificate.",
            ),
            Code::CurpState => (
                "Los caracteres 12 y 13 de la CURP deben ser la clave de un estado (o NE si naciste en el extranjero). Revísalos en tu constancia de CURP.",
                "Characters 12 and 13 of the CURP must be a state code (or NE for born abroad). Check them on your CURP certificate.",
            ),
            Code::CurpCheckDigit => (
                "El último carácter (dígito verificador) no corresponde al resto de la CURP, así que algún carácter está mal escrito. Cópiala de nuevo de tu constancia de CURP.",
                "The last character (check digit) does not match the rest of the CURP, so some character is mistyped. Copy it again from your CURP certificate.",
            ),
            Code::CurpRfcMismatch => (
                "Los primeros 10 caracteres de la CURP y del RFC normalmente son iguales, y aquí no lo son. Revisa los dos; si están bien escritos, puedes continuar.",
                "The first 10 characters of the CURP and the RFC are normally the same, and here they are not. Check both; if they are typed correctly, you may continue.",
            ),
            Code::ClabeLength => (
                "La CLABE debe tener 18 dígitos. Cópiala de tu estado de cuenta o de la app de tu banco.",
                "The CLABE must have 18 digits. Copy it from your bank statement or your bank's app.",
            ),
            Code::ClabeNotDigits => (
                "La CLABE solo lleva números. Quita las letras u otros símbolos.",
                "The CLABE contains only digits. Remove any letters or other symbols.",
            ),
            Code::ClabeCheckDigit => (
                "El último dígito de la CLABE no corresponde al resto, así que algún número está mal escrito. Cópiala de nuevo de tu estado de cuenta.",
                "The last digit of the CLABE does not match the rest, so some digit is mistyped. Copy it again from your bank statement.",
            ),
            Code::ClabeUnknownBank => (
                "No reconocemos el banco de los 3 primeros dígitos; revisa la CLABE.",
                "We do not recognise the bank of the first 3 digits; check the CLABE.",
            ),
            Code::PostalCodeShape => (
                "El código postal debe tener exactamente 5 números, por ejemplo 03100.",
                "The postal code must have exactly 5 digits, for example 03100.",
            ),
            Code::StateUnknown => (
                "Elige un estado de la lista.",
                "Choose a state from the list.",
            ),
            Code::EmailShape => (
                "El correo electrónico no parece válido. Escríbelo completo, sin espacios, por ejemplo nombre@dominio.com.",
                "The email address does not look valid. Write it in full, without spaces, for example name@domain.com.",
            ),
            Code::PhoneShape => (
                "El teléfono debe tener 10 dígitos (con lada), por ejemplo 55 1234 5678.",
                "The phone number must have 10 digits (including area code), for example 55 1234 5678.",
            ),
            Code::RegimenUnknown => (
                "Elige tu régimen fiscal de la lista; aparece en tu Constancia de Situación Fiscal.",
                "Choose your tax regime from the list; it appears on your Constancia de Situación Fiscal.",
            ),
            Code::RegimenNotForPersona => (
                "Este régimen fiscal no corresponde al tipo de persona elegido. Revisa tu Constancia de Situación Fiscal y elige el que aparece ahí.",
                "This tax regime does not apply to the chosen type of person. Check your Constancia de Situación Fiscal and choose the one shown there.",
            ),
            Code::ScianShape => (
                "El código SCIAN tiene 6 números. Búscalo en el catálogo SCIAN del INEGI o déjalo vacío.",
                "The SCIAN code has 6 digits. Look it up in INEGI's SCIAN catalogue or leave it empty.",
            ),
            Code::WorkersNotNumber => (
                "Escribe el número de trabajadores como un número entero, sin letras ni decimales (0 si no tienes).",
                "Enter the number of workers as a whole number, without letters or decimals (0 if you have none).",
            ),
            Code::SalesNotAmount => (
                "Escribe las ventas anuales en pesos como una cantidad, por ejemplo 1,250,000.50 (sin letras y con máximo 2 decimales).",
                "Enter the annual sales in pesos as an amount, for example 1,250,000.50 (no letters and at most 2 decimals).",
            ),
            Code::SectorUnknown => (
                "Elige el sector de tu negocio: comercio, industria o servicios.",
                "Choose your business's sector: commerce, industry or services.",
            ),
            Code::EmployerUnknown => (
                "Indica si tienes trabajadores registrados ante el IMSS: sí o no.",
                "Say whether you have workers registered with IMSS: yes or no.",
            ),
            Code::PersonaUnknown => (
                "Elige si te registras como persona física (una persona) o persona moral (una empresa o sociedad).",
                "Choose whether you register as an individual (persona física) or a company (persona moral).",
            ),
            Code::RepresentativesMissing => (
                "Una persona moral necesita al menos un representante legal. Agrega uno.",
                "A company needs at least one legal representative. Add one.",
            ),
            Code::PriceNotNumber => (
                "Escribe el precio en pesos solo con números, por ejemplo 1,234.50 (sin letras ni otros símbolos).",
                "Enter the price in pesos using digits only, for example 1,234.50 (no letters or other symbols).",
            ),
            Code::PriceNegative => (
                "El precio no puede ser negativo. Escribe la cantidad sin el signo de menos.",
                "The price cannot be negative. Enter the amount without the minus sign.",
            ),
            Code::PriceDecimalComma => (
                "Los centavos se separan con punto, no con coma: escribe 2.50 en lugar de 2,50. La coma solo separa miles (1,234.50).",
                "Centavos are separated with a point, not a comma: write 2.50 instead of 2,50. The comma only separates thousands (1,234.50).",
            ),
            Code::PriceTooManyDecimals => (
                "El precio lleva como máximo 2 decimales (centavos), por ejemplo 12.05.",
                "The price has at most 2 decimals (centavos), for example 12.05.",
            ),
            Code::PriceTooLarge => (
                "El precio es demasiado grande. Revisa que no sobren dígitos.",
                "The price is too large. Check for extra digits.",
            ),
            Code::QuantityNotNumber => (
                "Escribe la cantidad solo con números, por ejemplo 1,500 o 2.5.",
                "Enter the quantity using digits only, for example 1,500 or 2.5.",
            ),
            Code::QuantityNegative => (
                "La cantidad no puede ser negativa.",
                "The quantity cannot be negative.",
            ),
            Code::QuantityDecimalComma => (
                "Los decimales se separan con punto, no con coma: escribe 2.5 en lugar de 2,5. La coma solo separa miles (1,500).",
                "Decimals are separated with a point, not a comma: write 2.5 instead of 2,5. The comma only separates thousands (1,500).",
            ),
            Code::QuantityTooManyDecimals => (
                "La cantidad lleva como máximo 3 decimales, por ejemplo 2.125.",
                "The quantity has at most 3 decimals, for example 2.125.",
            ),
            Code::QuantityTooLarge => (
                "La cantidad es demasiado grande. Revisa que no sobren dígitos.",
                "The quantity is too large. Check for extra digits.",
            ),
            Code::QuantityMissing => (
                "La convocatoria no indica la cantidad de esta partida. Escribe la cantidad que ofreces.",
                "The tender does not state the quantity of this item. Enter the quantity you offer.",
            ),
            Code::ValidityDaysNotNumber => (
                "Escribe la vigencia de los precios como un número entero de días entre 1 y 365, por ejemplo 90.",
                "Enter the price validity as a whole number of days between 1 and 365, for example 90.",
            ),
            Code::BidTooLarge => (
                "Los importes son demasiado grandes para calcular el total. Revisa los precios y las cantidades.",
                "The amounts are too large to compute the total. Check the prices and quantities.",
            ),
            Code::DeclarationNotAccepted => (
                "Lee esta declaración y confírmala; sin ella la propuesta no puede enviarse.",
                "Read this declaration and confirm it; without it the bid cannot be sent.",
            ),
            Code::DocumentNotReady => (
                "La convocatoria pide este documento y no está listo en tu expediente. Adjúntalo o actualízalo en Documentos.",
                "The tender asks for this document and it is not ready in your file. Attach or update it in Documents.",
            ),
            Code::TenderChanged => (
                "Requiere revisión: la convocatoria cambió después de que preparaste la propuesta. Revisa las partidas, fechas y requisitos, y confirma de nuevo.",
                "Needs review: the tender changed after you prepared the bid. Check its items, dates and requirements, and confirm again.",
            ),
            Code::TenderWithdrawn => (
                "La convocatoria fue cancelada o retirada y ya no recibe propuestas. Tus datos se conservan.",
                "The tender was cancelled or withdrawn and no longer takes bids. Your data is kept.",
            ),
            Code::DeadlinePassed => (
                "La fecha límite para presentar propuestas ya pasó; esta propuesta ya no puede enviarse. Tus datos se conservan.",
                "The deadline for bids has passed; this bid can no longer be sent. Your data is kept.",
            ),
        }
    }
}

/// A problem found in one field of a registration.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct Issue {
    /// What is wrong.
    pub code: Code,
    /// The field where it is.
    pub field: Field,
    /// The id of the representative when the problem is in one of their fields.
    pub representative: Option<String>,
    /// What the message names, for a code whose text has a place for it (the bank
    /// code of an unknown bank).
    pub subject: Option<String>,
}

impl Issue {
    /// How much the problem stops the registration.
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    /// The problem ready to show: with its severity and its text in `locale`.
    pub fn view(&self, locale: Locale) -> IssueView {
        IssueView {
            field: Some(self.field),
            section: Some(self.field.section()),
            representative: self.representative.clone(),
            message: self.code.message_about(locale, self.subject.as_deref()),
            ..self.code.view(locale)
        }
    }
}

/// A problem as the UI shows it.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct IssueView {
    /// What is wrong.
    pub code: Code,
    /// How much it stops sending.
    pub severity: Severity,
    /// The field where it is, when it is in one.
    pub field: Option<Field>,
    /// The wizard section of that field, where the UI lists it.
    pub section: Option<Section>,
    /// The representative's id, when it is in one of their fields.
    pub representative: Option<String>,
    /// Its explanation in the chosen language.
    pub message: String,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_code_has_spanish_and_english_text() {
        for &code in Code::all() {
            for locale in [Locale::Es, Locale::En] {
                assert!(
                    !code.message(locale).trim().is_empty(),
                    "{code:?} has no {locale:?} message"
                );
            }
            assert_ne!(code.message(Locale::Es), code.message(Locale::En));
        }
    }

    #[test]
    fn codes_are_listed_once_and_serialize_as_snake_case() {
        let unique: HashSet<_> = Code::all().iter().collect();
        assert_eq!(unique.len(), Code::all().len());
        let cases = [
            (Code::RfcCheckDigit, "\"rfc_check_digit\""),
            (Code::RepresentativesMissing, "\"representatives_missing\""),
            (Code::TooLong, "\"too_long\""),
        ];
        for (code, json) in cases {
            assert_eq!(serde_json::to_string(&code).unwrap(), json);
        }
        for &code in Code::all() {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(serde_json::from_str::<Code>(&json).unwrap(), code);
        }
    }

    #[test]
    fn severities() {
        let cases = [
            (Code::Required, Severity::Missing),
            (Code::RepresentativesMissing, Severity::Missing),
            (Code::RfcCheckDigit, Severity::Warning),
            (Code::CurpRfcMismatch, Severity::Warning),
            (Code::CurpCheckDigit, Severity::Error),
            (Code::ClabeCheckDigit, Severity::Error),
            (Code::ClabeUnknownBank, Severity::Warning),
            (Code::RfcGeneric, Severity::Error),
            (Code::RfcInconvenientWord, Severity::Error),
            (Code::CurpInconvenientWord, Severity::Error),
        ];
        for (code, severity) in cases {
            assert_eq!(code.severity(), severity, "{code:?}");
        }
    }

    #[test]
    fn locale_parsing() {
        let cases = [
            ("es", Some(Locale::Es)),
            ("es-MX", Some(Locale::Es)),
            ("ES_mx", Some(Locale::Es)),
            ("en", Some(Locale::En)),
            ("en-US", Some(Locale::En)),
            (" en ", Some(Locale::En)),
            ("fr", None),
            ("", None),
            ("english", None),
        ];
        for (input, expected) in cases {
            assert_eq!(Locale::parse(input), expected, "{input:?}");
        }
        assert_eq!(Locale::default(), Locale::Es);
    }

    #[test]
    fn views_carry_severity_text_and_place() {
        let issue = Issue {
            code: Code::CurpCheckDigit,
            field: Field::RepresentativeCurp,
            representative: Some("r1".to_owned()),
            subject: None,
        };
        let view = issue.view(Locale::Es);
        assert_eq!(view.severity, Severity::Error);
        assert_eq!(view.field, Some(Field::RepresentativeCurp));
        assert_eq!(view.representative.as_deref(), Some("r1"));
        assert_eq!(view.message, Code::CurpCheckDigit.message(Locale::Es));

        let bank = Issue {
            code: Code::ClabeUnknownBank,
            field: Field::Clabe,
            representative: None,
            subject: Some("999".to_owned()),
        };
        assert_eq!(
            bank.view(Locale::Es).message,
            "No reconocemos el banco 999; revisa la CLABE."
        );
        assert_eq!(bank.view(Locale::Es).severity, Severity::Warning);
        assert!(bank.view(Locale::En).message.contains("999"));

        let bare = Code::RfcCheckDigit.view(Locale::En);
        assert_eq!(bare.field, None);
        assert_eq!(bare.severity, Severity::Warning);
        assert_eq!(bare.message, Code::RfcCheckDigit.message(Locale::En));
    }
}
