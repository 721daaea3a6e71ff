//! Built-in catalogues: the banks that take part in SPEI (read from a CLABE's first three
//! digits), SAT's tax regimes (c_RegimenFiscal) and the 32 federal entities.

use serde::Serialize;
use ts_rs::TS;

use crate::registration::Persona;

/// A SPEI participant, by the 3-digit code that starts its CLABEs.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct Bank {
    pub code: &'static str,
    pub name: &'static str,
}

/// A SAT tax regime and which kinds of persona may be in it.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct Regimen {
    pub code: &'static str,
    pub name: &'static str,
    pub fisica: bool,
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
    pub code: &'static str,
    pub name: &'static str,
}

/// Banxico's SPEI participants (banks and other institutions that issue CLABEs).
const BANKS: &[Bank] = &[
    participant("002", "Banamex"),
    participant("006", "Bancomext"),
    participant("009", "Banobras"),
    participant("012", "BBVA México"),
    participant("014", "Santander"),
    participant("019", "Banjército"),
    participant("021", "HSBC"),
    participant("030", "BanBajío"),
    participant("036", "Inbursa"),
    participant("042", "Mifel"),
    participant("044", "Scotiabank"),
    participant("058", "Banregio"),
    participant("059", "Invex"),
    participant("060", "Bansi"),
    participant("062", "Afirme"),
    participant("072", "Banorte"),
    participant("106", "Bank of America"),
    participant("108", "MUFG"),
    participant("110", "JP Morgan"),
    participant("112", "Monex"),
    participant("113", "Ve por Más"),
    participant("127", "Banco Azteca"),
    participant("128", "Autofin"),
    participant("130", "Compartamos"),
    participant("132", "Multiva"),
    participant("133", "Actinver"),
    participant("135", "Nafin"),
    participant("136", "Intercam Banco"),
    participant("137", "BanCoppel"),
    participant("138", "ABC Capital"),
    participant("140", "Consubanco"),
    participant("141", "Volkswagen Bank"),
    participant("143", "CIBanco"),
    participant("145", "Bbase"),
    participant("147", "Bankaool"),
    participant("148", "PagaTodo"),
    participant("150", "Inmobiliario Mexicano"),
    participant("151", "Donde"),
    participant("152", "Bancrea"),
    participant("154", "Banco Covalto"),
    participant("155", "ICBC"),
    participant("156", "Sabadell"),
    participant("157", "Shinhan"),
    participant("158", "Mizuho"),
    participant("159", "Bank of China"),
    participant("160", "Banco S3"),
    participant("166", "Banco del Bienestar"),
    participant("168", "Hipotecaria Federal"),
    participant("600", "Monex CB"),
    participant("601", "GBM"),
    participant("616", "Finamex"),
    participant("617", "Valmex"),
    participant("638", "Nu México"),
    participant("646", "STP"),
    participant("652", "Credicapital"),
    participant("653", "Kuspit"),
    participant("659", "ASP Integra OPC"),
    participant("670", "Libertad"),
    participant("677", "Caja Popular Mexicana"),
    participant("680", "Cristóbal Colón"),
    participant("684", "Transfer"),
    participant("722", "Mercado Pago W"),
    participant("728", "Spin by Oxxo"),
];

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

/// The bank whose CLABEs start with `code`.
pub fn bank(code: &str) -> Option<&'static Bank> {
    BANKS.iter().find(|b| b.code == code)
}

/// Every SPEI participant in the catalogue, by code.
pub fn banks() -> &'static [Bank] {
    BANKS
}

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
const fn participant(code: &'static str, name: &'static str) -> Bank {
    Bank { code, name }
}

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
        assert_unique(banks().iter().map(|b| b.code), 3);
        assert!(banks()
            .iter()
            .all(|b| b.code.bytes().all(|c| c.is_ascii_digit())));
        assert_unique(regimenes().iter().map(|r| r.code), 3);
        assert!(regimenes().iter().all(|r| r.fisica || r.moral));
        assert_unique(states().iter().map(|s| s.code), 3);
        assert_eq!(states().len(), 32);
    }

    #[test]
    fn lookups() {
        assert_eq!(bank("002").map(|b| b.name), Some("Banamex"));
        assert_eq!(bank("012").map(|b| b.name), Some("BBVA México"));
        assert_eq!(bank("638").map(|b| b.name), Some("Nu México"));
        assert_eq!(bank("999"), None);
        assert_eq!(bank(""), None);

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
