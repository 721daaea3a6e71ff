//! The declarations bajo protesta de decir verdad a bid carries, and their text.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::message::enum_with_all;
use crate::money;
use crate::registration::{persona_of, size_of, Persona, RegistrationDraft};
use crate::size::Size;
use crate::tender::Tender;

enum_with_all! {
    /// A statement the owner makes bajo protesta de decir verdad with the bid.
    #[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, TS)]
    #[derive(strum::IntoStaticStr, strum::EnumString)]
    #[serde(rename_all = "snake_case")]
    #[strum(serialize_all = "snake_case")]
    pub enum Declaration {
        /// Not in any of the cases the law bars from contracting.
        NoImpediment,
        /// No conflict of interest with the public servants in the procedure.
        NoConflictOfInterest,
        /// The MiPyME size, for a micro, small or medium business.
        MipymeSize,
    }
}

impl Declaration {
    /// The declaration's stable name, the same as its serialized form (`no_impediment`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The declaration named `s` (see [`Declaration::as_str`]).
    pub fn parse(s: &str) -> Option<Declaration> {
        s.parse().ok()
    }

    /// Its heading in the proposal.
    pub fn title(self) -> &'static str {
        match self {
            Declaration::NoImpediment => {
                "Declaración de no encontrarse en supuestos de impedimento"
            }
            Declaration::NoConflictOfInterest => "Declaración de no conflicto de interés",
            Declaration::MipymeSize => "Declaración de estratificación como MiPyME",
        }
    }
}

/// The declarations the bid carries for this business: the MiPyME one only when the
/// registration shows a micro, small or medium business.
pub fn declarations_for(business: &RegistrationDraft) -> Vec<Declaration> {
    let mipyme = size_of(business).is_some_and(|assessment| assessment.size != Size::Large);
    Declaration::all()
        .iter()
        .copied()
        .filter(|d| *d != Declaration::MipymeSize || mipyme)
        .collect()
}

/// The text of a declaration with the business's and the tender's data, in Spanish
/// (a legal statement to the alcaldía, whatever the app's language).
pub fn declaration_text(
    declaration: Declaration,
    business: &RegistrationDraft,
    tender: &Tender,
) -> String {
    let name = business.name.trim();
    let rfc = business.rfc.trim().to_uppercase();
    let who = match persona_of(business) {
        Some(Persona::Moral) => {
            let representative = business
                .representatives
                .first()
                .map(|r| r.name.trim())
                .filter(|n| !n.is_empty())
                .unwrap_or("[nombre del representante legal]");
            format!(
                "{representative}, en mi carácter de representante legal de {name}, con RFC {rfc},"
            )
        }
        _ => format!("{name}, con RFC {rfc}, por mi propio derecho,"),
    };
    let procedure = format!(
        "el procedimiento {} «{}» convocado por {}",
        tender.ocid,
        tender.title.trim(),
        tender.buyer.trim()
    );
    match declaration {
        Declaration::NoImpediment => format!(
            "{who} manifiesto bajo protesta de decir verdad que no me encuentro en ninguno de los supuestos de impedimento para participar o contratar que establece la Ley de Adquisiciones para el Distrito Federal, para efectos de {procedure}."
        ),
        Declaration::NoConflictOfInterest => format!(
            "{who} manifiesto bajo protesta de decir verdad que ni yo ni los socios, accionistas o representantes de quien propone desempeñamos empleo, cargo o comisión en el servicio público de la Ciudad de México, y que no existe conflicto de interés con las personas servidoras públicas que intervienen en {procedure}."
        ),
        Declaration::MipymeSize => {
            let size = match size_of(business).map(|a| a.size) {
                Some(Size::Micro) => "micro",
                Some(Size::Small) => "pequeña",
                _ => "mediana",
            };
            format!(
                "{who} manifiesto bajo protesta de decir verdad que quien propone tiene la estratificación de {size} empresa, conforme al Acuerdo publicado en el Diario Oficial de la Federación el 30 de junio de 2009, con {} trabajadores y ventas anuales de {}, para efectos de {procedure}.",
                business.workers.trim(),
                money::parse_pesos(&business.annual_sales).map(money::format_mxn).unwrap_or_default(),
            )
        }
    }
}
