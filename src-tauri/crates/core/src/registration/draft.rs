//! The draft exactly as typed, and what it already tells: whom it registers and the
//! business's size.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::values::{pesos, workers};
use super::{Field, Persona};
use crate::identifiers::rfc;
use crate::size::{classify, Sector, SizeAssessment};

/// A legal representative, as typed.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, TS)]
pub struct Representative {
    /// Stable id chosen by whoever adds the representative; issues point at it.
    pub id: String,
    /// The representative's full name.
    pub name: String,
    /// The representative's CURP.
    pub curp: String,
    /// Data of the power of attorney (deed number, notary...).
    pub power_of_attorney: String,
}

/// A registration in progress, every value as the person typed it.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, TS)]
pub struct RegistrationDraft {
    /// `""`, `"fisica"` or `"moral"`.
    pub persona: String,
    /// The RFC, as typed.
    pub rfc: String,
    /// Full name (física) or razón social (moral).
    pub name: String,
    /// SAT code of the tax regime, such as `"612"`.
    pub regimen: String,
    /// The owner's CURP; only a persona física has one.
    pub curp: String,
    /// Street of the fiscal address.
    pub street: String,
    /// Exterior number.
    pub exterior_number: String,
    /// Interior number, optional.
    pub interior_number: String,
    /// Colonia.
    pub neighborhood: String,
    /// Código postal, 5 digits.
    pub postal_code: String,
    /// Municipio or alcaldía.
    pub municipality: String,
    /// Code of the federal entity in [`crate::catalog::states`], such as `"CMX"`.
    pub state: String,
    /// Where the alcaldía writes to the business.
    pub email: String,
    /// A 10-digit Mexican phone, separators allowed.
    pub phone: String,
    /// The goods and services the business offers.
    pub activity: String,
    /// SCIAN code of the main activity (6 digits), optional.
    pub scian: String,
    /// `""`, `"commerce"`, `"industry"` or `"services"`.
    pub sector: String,
    /// Head count, as typed.
    pub workers: String,
    /// In pesos, as typed (`"$20,000,000.50"`).
    pub annual_sales: String,
    /// `""`, `"yes"` or `"no"`.
    pub employer: String,
    /// The 18-digit CLABE payments go to.
    pub clabe: String,
    /// The legal representatives, for a persona moral.
    pub representatives: Vec<Representative>,
}

/// Declares [`RegistrationDraft::get`], [`RegistrationDraft::set`] and
/// [`Field::draft_fields`] from one list pairing each top-level field with the member
/// holding its text, so the three cannot disagree. The fields listed after `not text`
/// live in `representatives`.
macro_rules! draft_text {
    ($($field:ident => $member:ident),+ ; not text: $($other:ident),+ $(,)?) => {
        impl RegistrationDraft {
            /// The text typed for `field`; `None` for representative fields.
            pub fn get(&self, field: Field) -> Option<&str> {
                match field {
                    $(Field::$field => Some(&self.$member),)+
                    $(Field::$other)|+ => None,
                }
            }

            /// Stores the text typed for `field`; `false` (and nothing stored) for
            /// representative fields.
            pub fn set(&mut self, field: Field, value: String) -> bool {
                match field {
                    $(Field::$field => self.$member = value,)+
                    $(Field::$other)|+ => return false,
                }
                true
            }
        }

        impl Field {
            /// The top-level fields, stored as text in the draft.
            pub fn draft_fields() -> &'static [Field] {
                &[$(Field::$field),+]
            }
        }
    };
}

draft_text! {
    Persona => persona,
    Rfc => rfc,
    Name => name,
    Regimen => regimen,
    Curp => curp,
    Street => street,
    ExteriorNumber => exterior_number,
    InteriorNumber => interior_number,
    Neighborhood => neighborhood,
    PostalCode => postal_code,
    Municipality => municipality,
    State => state,
    Email => email,
    Phone => phone,
    Activity => activity,
    Scian => scian,
    Sector => sector,
    Workers => workers,
    AnnualSales => annual_sales,
    Employer => employer,
    Clabe => clabe;
    not text: Representatives, RepresentativeName, RepresentativeCurp, RepresentativePower,
}

/// Whom a draft registers: the persona as chosen, else as the RFC's length tells.
pub fn persona_of(draft: &RegistrationDraft) -> Option<Persona> {
    Persona::parse(&draft.persona).or(rfc::check(&draft.rfc).details.persona)
}

/// The business's MiPyME size, once sector, workers and sales can all be read.
pub fn size_of(draft: &RegistrationDraft) -> Option<SizeAssessment> {
    match (
        Sector::parse(&draft.sector),
        workers(&draft.workers),
        pesos(&draft.annual_sales),
    ) {
        (Some(sector), Some(workers), Some(sales)) => Some(classify(sector, workers, sales)),
        _ => None,
    }
}
