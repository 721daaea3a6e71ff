//! Built-in catalogues: SAT's tax regimes (c_RegimenFiscal) and the 32 federal
//! entities. The banks are a catalogue of their own, as data (`banks`).

use serde::Serialize;
use ts_rs::TS;

use crate::registration::Persona;

/// A SAT tax regime and which kinds of persona may be in it.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct Regimen {
    /// The SAT code, such as `612`.
    pub code: &'static str,
    /// Its name in the SAT catalogue.
    pub name: &'static str,
    /// Whether a persona física may be in it.
    pub fisica: bool,
    /// Whether a persona moral may be in it.
    pub moral: bool,
}

impl Regimen {
    /// Whether a persona of this kind may be in the regime.
    pub fn allows(&self, persona: Persona) -> bool {
        match persona {
            Persona::Fisica => self.fisica,
            Persona::Moral => self.moral,
        }
    }
}

/// A federal entity. The code is ISO 3166-2:MX without its `MX-` prefix, the same
/// three letters SAT uses in its c_Estado catalogue.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct State {
    /// Three letters, such as `CMX`.
    pub code: &'static str,
    /// Its official name.
    pub name: &'static str,
}

/// SAT's c_RegimenFiscal.
const REGIMENES: &[Regimen] = &[
    moral("601", "General de Ley Personas Morales"),
    moral("603", "Personas Morales con Fines no Lucrativos"),
    fisica("605", "Sueldos y Salarios e Ingresos Asimilados a Salarios"),
    fisica("606", "Arrendamiento"),
    fisica("607", "Régimen de Enajenación o Adquisición de Bienes"),
    fisica("608", "Demás ingresos"),
    both("610", "Residentes en el Extranjero sin Establecimiento Permanente en México"),
    fisica("611", "Ingresos por Dividendos (socios y accionistas)"),
    fisica("612", "Personas Físicas con Actividades Empresariales y Profesionales"),
    fisica("614", "Ingresos por intereses"),
    fisica("615", "Régimen de los ingresos por obtención de premios"),
    fisica("616", "Sin obligaciones fiscales"),
    moral("620", "Sociedades Cooperativas de Producción que optan por diferir sus ingresos"),
    fisica("621", "Incorporación Fiscal"),
    moral("622", "Actividades Agrícolas, Ganaderas, Silvícolas y Pesqueras"),
    moral("623", "Opcional para Grupos de Sociedades"),
    moral("624", "Coordinados"),
    fisica("625", "Régimen de las Actividades Empresariales con ingresos a través de Plataformas Tecnológicas"),
    both("626", "Régimen Simplificado de Confianza"),
];

/// The 32 federal entities, in alphabetical order.
const STATES: &[State] = &[
    entity("AGU", "Aguascalientes"),
    entity("BCN", "Baja California"),
    entity("BCS", "Baja California Sur"),
    entity("CAM", "Campeche"),
    entity("CHP", "Chiapas"),
    entity("CHH", "Chihuahua"),
    entity("CMX", "Ciudad de México"),
    entity("COA", "Coahuila"),
    entity("COL", "Colima"),
    entity("DUR", "Durango"),
    entity("MEX", "Estado de México"),
    entity("GUA", "Guanajuato"),
    entity("GRO", "Guerrero"),
    entity("HID", "Hidalgo"),
    entity("JAL", "Jalisco"),
    entity("MIC", "Michoacán"),
    entity("MOR", "Morelos"),
    entity("NAY", "Nayarit"),
    entity("NLE", "Nuevo León"),
    entity("OAX", "Oaxaca"),
    entity("PUE", "Puebla"),
    entity("QUE", "Querétaro"),
    entity("ROO", "Quintana Roo"),
    entity("SLP", "San Luis Potosí"),
    entity("SIN", "Sinaloa"),
    entity("SON", "Sonora"),
    entity("TAB", "Tabasco"),
    entity("TAM", "Tamaulipas"),
    entity("TLA", "Tlaxcala"),
    entity("VER", "Veracruz"),
    entity("YUC", "Yucatán"),
    entity("ZAC", "Zacatecas"),
];

/// Every tax regime, by code.
pub fn regimenes() -> &'static [Regimen] {
    REGIMENES
}

/// The tax regime with SAT code `code` (such as `612`).
pub fn regimen(code: &str) -> Option<&'static Regimen> {
    REGIMENES.iter().find(|r| r.code == code)
}

/// Every federal entity, alphabetically.
pub fn states() -> &'static [State] {
    STATES
}

/// The federal entity with code `code` (such as `CMX`).
pub fn state(code: &str) -> Option<&'static State> {
    STATES.iter().find(|s| s.code == code)
}

// Short constructors keep the tables above one readable line per entry.
const fn regimen_for(code: &'static str, name: &'static str, fisica: bool, moral: bool) -> Regimen {
    Regimen {
        code,
        name,
        fisica,
        moral,
    }
}

const fn fisica(code: &'static str, name: &'static str) -> Regimen {
    regimen_for(code, name, true, false)
}

const fn moral(code: &'static str, name: &'static str) -> Regimen {
    regimen_for(code, name, false, true)
}

const fn both(code: &'static str, name: &'static str) -> Regimen {
    regimen_for(code, name, true, true)
}

const fn entity(code: &'static str, name: &'static str) -> State {
    State { code, name }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn assert_unique<'a>(codes: impl Iterator<Item = &'a str>, width: usize) {
        let mut seen = HashSet::new();
        for code in codes {
            assert_eq!(code.chars().count(), width, "{code}");
            assert!(seen.insert(code), "{code} is listed twice");
        }
    }

    #[test]
    fn codes_are_unique_and_well_formed() {
        assert_unique(regimenes().iter().map(|r| r.code), 3);
        assert!(regimenes().iter().all(|r| r.fisica || r.moral));
        assert_unique(states().iter().map(|s| s.code), 3);
        assert_eq!(states().len(), 32);
    }

    #[test]
    fn lookups() {
        let resico = regimen("626");
        assert!(resico.is_some_and(|r| r.fisica && r.moral));
        assert!(regimen("612").is_some_and(|r| r.fisica && !r.moral));
        assert!(regimen("601").is_some_and(|r| !r.fisica && r.moral));
        assert!(regimen("601").is_some_and(|r| r.allows(Persona::Moral)));
        assert!(regimen("601").is_some_and(|r| !r.allows(Persona::Fisica)));
        assert_eq!(regimen("600"), None);

        assert_eq!(state("CMX").map(|s| s.name), Some("Ciudad de México"));
        assert_eq!(state("cmx"), None);
    }

    #[test]
    fn states_are_alphabetical() {
        let names: Vec<_> = states().iter().map(|s| s.name).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
    }
}
