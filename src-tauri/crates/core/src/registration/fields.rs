//! What a person fills in: the persona, the wizard's sections and each field.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::message::enum_with_all;

/// Who registers: an individual with business activity or a company.
#[derive(
    Serialize,
    Deserialize,
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    TS,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Persona {
    /// A persona física: an individual with business activity.
    #[strum(to_string = "fisica", serialize = "física")]
    Fisica,
    /// A persona moral: a company.
    Moral,
}

impl Persona {
    /// Reads the stored form (`fisica` or `moral`), also accepting the accented
    /// `física` and any letter case.
    pub fn parse(s: &str) -> Option<Persona> {
        s.trim().to_lowercase().parse().ok()
    }

    /// The stored form, the same as the serialized one.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

enum_with_all! {
    /// A step of the registration wizard, declared in wizard order.
    #[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, TS)]
    #[serde(rename_all = "snake_case")]
    pub enum Section {
        /// Persona type and RFC.
        Identity,
        /// Name or razón social, tax regime and, for a persona física, the CURP.
        General,
        /// Fiscal address.
        Address,
        /// Email and phone.
        Contact,
        /// Legal representatives.
        Representatives,
        /// Economic activity, size figures and whether it employs people.
        Activity,
        /// The CLABE payments go to.
        Bank,
    }
}

enum_with_all! {
    /// Something a person fills in. The `Representative*` fields belong to one
    /// representative, named by [`crate::Issue::representative`].
    #[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, TS)]
    #[derive(strum::IntoStaticStr, strum::EnumString)]
    #[serde(rename_all = "snake_case")]
    #[strum(serialize_all = "snake_case")]
    pub enum Field {
        /// Física or moral.
        Persona,
        /// The RFC.
        Rfc,
        /// Full name or razón social.
        Name,
        /// The SAT tax regime.
        Regimen,
        /// The owner's CURP (persona física).
        Curp,
        /// Street of the fiscal address.
        Street,
        /// Exterior number.
        ExteriorNumber,
        /// Interior number.
        InteriorNumber,
        /// Colonia.
        Neighborhood,
        /// Código postal.
        PostalCode,
        /// Municipio or alcaldía.
        Municipality,
        /// Federal entity.
        State,
        /// Email.
        Email,
        /// Phone.
        Phone,
        /// The goods and services offered.
        Activity,
        /// SCIAN code of the main activity.
        Scian,
        /// Commerce, industry or services.
        Sector,
        /// Head count.
        Workers,
        /// Annual sales in pesos.
        AnnualSales,
        /// Whether it employs people registered with IMSS.
        Employer,
        /// The CLABE payments go to.
        Clabe,
        /// The list of legal representatives as a whole.
        Representatives,
        /// A representative's name.
        RepresentativeName,
        /// A representative's CURP.
        RepresentativeCurp,
        /// A representative's power of attorney.
        RepresentativePower,
    }
}

impl Field {
    /// The wizard step where the field is filled in.
    pub fn section(self) -> Section {
        match self {
            Field::Persona | Field::Rfc => Section::Identity,
            Field::Name | Field::Regimen | Field::Curp => Section::General,
            Field::Street
            | Field::ExteriorNumber
            | Field::InteriorNumber
            | Field::Neighborhood
            | Field::PostalCode
            | Field::Municipality
            | Field::State => Section::Address,
            Field::Email | Field::Phone => Section::Contact,
            Field::Representatives
            | Field::RepresentativeName
            | Field::RepresentativeCurp
            | Field::RepresentativePower => Section::Representatives,
            Field::Activity
            | Field::Scian
            | Field::Sector
            | Field::Workers
            | Field::AnnualSales
            | Field::Employer => Section::Activity,
            Field::Clabe => Section::Bank,
        }
    }

    /// The field's stable name, the same as its serialized form.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The field named `s` (see [`Field::as_str`]).
    pub fn parse(s: &str) -> Option<Field> {
        s.parse().ok()
    }
}
