//! The printable acuse (receipt) of a submission the alcaldía received: who sent what,
//! the folio, when the server took it (in Mexico City time) and the signature check,
//! as a one-page PDF in Spanish.

use chrono::{DateTime, Utc};
use ventanilla_pdf::{Document, PageSize};

/// What was sent.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AcuseSubject {
    /// A supplier registration.
    Registration,
    /// A bid for the procedure with this OCID.
    Bid {
        /// The procedure's OCID.
        ocid: String,
    },
    /// A question on the procedure with this OCID.
    Question {
        /// The procedure's OCID.
        ocid: String,
    },
}

/// The e.firma a submission was signed with, as the receipt binds it.
pub struct AcuseSignature<'a> {
    /// The holder its FIEL certificate names.
    pub signer: &'a str,
    /// The certificate's número de certificado.
    pub certificate_number: &'a str,
    /// SHA-256 of the signature (`.p7s`) sent.
    pub sha256: &'a str,
    /// Whether the SAT's OCSP responder said, at receipt, that the certificate was not
    /// revoked (`false`: not verified); `None` on receipts from before the check.
    pub revocation_checked: Option<bool>,
}

/// Everything the acuse prints, from a receipt that verified.
pub struct AcuseFacts<'a> {
    /// What was sent.
    pub subject: &'a AcuseSubject,
    /// The business's name or razón social, as sent.
    pub business_name: &'a str,
    /// The business's RFC, as sent.
    pub rfc: &'a str,
    /// The submission's own id (the request's idempotency key).
    pub submission: &'a str,
    /// The receipt's id: the folio to quote to the alcaldía.
    pub folio: &'a str,
    /// When the server accepted it, by the server's clock.
    pub server_time: DateTime<Utc>,
    /// SHA-256 of the snapshot sent.
    pub payload_sha256: &'a str,
    /// The alcaldía's key the signature verified with.
    pub key_id: &'a str,
    /// Its position in the alcaldía's receipt log.
    pub log_index: u64,
    /// When the app verified the receipt's signature, by the app's clock.
    pub verified_at: DateTime<Utc>,
    /// The e.firma the submission carried, when it was signed.
    pub efirma: Option<AcuseSignature<'a>>,
}

/// A Mexico City date and time to the second, such as `24/11/2026 12:05:09`: receipts
/// are quoted to the second.
pub fn receipt_time(instant: DateTime<Utc>) -> String {
    instant
        .with_timezone(&chrono_tz::America::Mexico_City)
        .format("%d/%m/%Y %H:%M:%S")
        .to_string()
}

/// The time with its zone named and its offset, so that it cannot be misread.
fn zoned(instant: DateTime<Utc>) -> String {
    let offset = instant
        .with_timezone(&chrono_tz::America::Mexico_City)
        .format("%:z");
    format!(
        "{} (hora de la Ciudad de México, UTC{offset})",
        receipt_time(instant)
    )
}

/// The acuse as PDF bytes (Letter paper, as Mexican offices print).
pub fn acuse_pdf(facts: &AcuseFacts) -> Vec<u8> {
    let what = match facts.subject {
        AcuseSubject::Registration => {
            "Solicitud de registro en el padrón de proveedores".to_owned()
        }
        AcuseSubject::Bid { ocid } => format!("Propuesta para el procedimiento {ocid}"),
        AcuseSubject::Question { ocid } => {
            format!("Pregunta (aclaración) sobre el procedimiento {ocid}")
        }
    };
    let mut doc = Document::new(PageSize::Letter);
    doc.title(&format!("Acuse de recibo — folio {}", facts.folio))
        .page_numbers("Página {page} de {pages}")
        .heading("Acuse de recibo")
        .subheading("Alcaldía Benito Juárez, Ciudad de México")
        .paragraph(
            "Este acuse hace constar que la alcaldía recibió el envío descrito abajo en la fecha y hora indicadas; consérvalo y cita el folio en cualquier aclaración.",
        )
        .space(6.0)
        .field("Folio", facts.folio)
        .field("Trámite", &what)
        .field("Proveedor", facts.business_name.trim())
        .field("RFC", &facts.rfc.trim().to_uppercase())
        .field("Recibido por el servidor", &zoned(facts.server_time))
        .field("Identificador del envío", facts.submission)
        .field("Huella SHA-256 de lo enviado", facts.payload_sha256)
        .field("Posición en el registro de acuses", &facts.log_index.to_string());
    if let Some(efirma) = &facts.efirma {
        doc.space(6.0)
            .subheading("Firmado con e.firma")
            .field("Firmante", efirma.signer.trim())
            .field("Número de certificado", efirma.certificate_number)
            .field("Huella SHA-256 de la firma", efirma.sha256);
        if let Some(checked) = efirma.revocation_checked {
            doc.field(
                "Revocación",
                match checked {
                    true => "consultada al SAT al recibirlo: no estaba revocada",
                    false => "no verificada (el servicio de consulta del SAT no respondió o no se consulta)",
                },
            );
        }
        doc.paragraph(
                "La alcaldía verificó al recibirlo que la e.firma corresponde exactamente a lo enviado y estaba dentro de sus fechas de vigencia.",
            );
    }
    doc.space(6.0)
        .subheading("Firma verificada")
        .paragraph(&format!(
            "Ventanilla comprobó la firma electrónica de este acuse con la llave de la alcaldía «{}» el {}: el acuse es auténtico y corresponde exactamente a lo enviado.",
            facts.key_id,
            zoned(facts.verified_at)
        ));
    doc.to_bytes()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use ventanilla_testkit::fixtures::pdf_text;

    fn facts(subject: &AcuseSubject) -> AcuseFacts<'_> {
        AcuseFacts {
            subject,
            business_name: "Papelería «La Ñandú» de Peña",
            rfc: "pel120101ab1",
            submission: "5f0c3d2e-0000-4000-8000-000000000001",
            folio: "9b1e6a52-7c3f-4d2a-9e4b-1a2b3c4d5e6f",
            // 18:05:09 UTC is 12:05:09 in Mexico City (UTC−6 all year since 2022).
            server_time: Utc.with_ymd_and_hms(2026, 11, 24, 18, 5, 9).unwrap(),
            payload_sha256: "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12",
            key_id: "llave-2026",
            log_index: 41,
            verified_at: Utc.with_ymd_and_hms(2026, 11, 24, 18, 5, 10).unwrap(),
            efirma: None,
        }
    }

    #[test]
    fn the_acuse_reads_back_with_folio_time_in_mexico_city_and_spanish_text() {
        let registration = AcuseSubject::Registration;
        let text = pdf_text(&acuse_pdf(&facts(&registration)));
        for expected in [
            "Acuse de recibo",
            "Folio: 9b1e6a52-7c3f-4d2a-9e4b-1a2b3c4d5e6f",
            "Solicitud de registro en el padrón de proveedores",
            "Papelería «La Ñandú» de Peña",
            "RFC: PEL120101AB1",
            "24/11/2026 12:05:09 (hora de la Ciudad de México, UTC-06:00)",
            "5f0c3d2e-0000-4000-8000-000000000001",
            "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12",
            "Posición en el registro de acuses: 41",
            "Firma verificada",
            "«llave-2026» el 24/11/2026 12:05:10",
            "hace constar que la alcaldía recibió",
            "Página 1 de 1",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in {text}");
        }
        assert!(!text.contains("Propuesta para"));
        assert!(!text.contains("e.firma"), "unsigned: no signer shown");
    }

    #[test]
    fn a_signed_submissions_acuse_names_its_signer_and_certificate() {
        let bid = AcuseSubject::Bid {
            ocid: "ocds-bj-2026-014".into(),
        };
        let mut signed = facts(&bid);
        signed.efirma = Some(AcuseSignature {
            signer: "OÑORO & ASOCIADOS SA DE CV",
            certificate_number: "30001000000500000001",
            sha256: "cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34",
            revocation_checked: Some(false),
        });
        let text = pdf_text(&acuse_pdf(&signed));
        for expected in [
            "Firmado con e.firma",
            "Firmante: OÑORO & ASOCIADOS SA DE CV",
            "Número de certificado: 30001000000500000001",
            "cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34",
            "Revocación: no verificada",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in {text}");
        }
    }

    #[test]
    fn a_bid_acuse_names_the_procedure() {
        let bid = AcuseSubject::Bid {
            ocid: "ocds-bj-2026-014".into(),
        };
        let text = pdf_text(&acuse_pdf(&facts(&bid)));
        assert!(text.contains("Propuesta para el procedimiento ocds-bj-2026-014"));
        assert!(!text.contains("padrón de proveedores"));
    }

    #[test]
    fn receipts_are_timed_to_the_second_in_mexico_city() {
        let at = Utc.with_ymd_and_hms(2026, 11, 24, 18, 5, 9).unwrap();
        assert_eq!(receipt_time(at), "24/11/2026 12:05:09");
    }
}
