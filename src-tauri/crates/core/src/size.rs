//! Business size (MiPyME) as defined in the DOF of 30 June 2009: a score combining
//! workers and annual sales, compared with each size's cap for the business's sector.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The sector of a business; the caps for small and medium sizes depend on it.
#[derive(
    Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, TS, strum::EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Sector {
    /// Comercio.
    Commerce,
    /// Industria.
    Industry,
    /// Servicios.
    Services,
}

impl Sector {
    /// Reads the stored form: `commerce`, `industry` or `services`.
    pub fn parse(s: &str) -> Option<Sector> {
        s.trim().parse().ok()
    }
}

/// The MiPyME size (OCDS `parties[].details.scale`).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, TS)]
#[serde(rename_all = "snake_case")]
pub enum Size {
    /// Micro: up to 10 workers.
    Micro,
    /// Pequeña.
    Small,
    /// Mediana.
    Medium,
    /// Grande: beyond every MiPyME cap.
    Large,
}

impl Size {
    /// The OCDS `partyScale` code: `micro`, `sme` (small and medium) or `large`.
    pub fn ocds_scale(self) -> &'static str {
        match self {
            Size::Micro => "micro",
            Size::Small | Size::Medium => "sme",
            Size::Large => "large",
        }
    }
}

/// A business's score and the size it gives.
#[derive(Serialize, Clone, Debug, PartialEq, Eq, TS)]
pub struct SizeAssessment {
    /// Workers × 0.1 + annual sales in millions of pesos × 0.9, exact.
    #[ts(type = "string")]
    pub score: Decimal,
    /// The size the score gives for the sector.
    pub size: Size,
}

/// Classifies a business: the smallest size whose cap for `sector` is at least the score.
pub fn classify(sector: Sector, workers: u32, annual_sales_pesos: Decimal) -> SizeAssessment {
    match score(workers, annual_sales_pesos) {
        Some(score) => SizeAssessment {
            score,
            size: size_for(sector, score),
        },
        // Only absurd figures overflow a Decimal, and they are certainly not small.
        None => SizeAssessment {
            score: Decimal::MAX,
            size: Size::Large,
        },
    }
}

fn score(workers: u32, annual_sales_pesos: Decimal) -> Option<Decimal> {
    let workers_part = Decimal::from(workers).checked_mul(Decimal::new(1, 1))?;
    let millions = annual_sales_pesos.checked_div(Decimal::from(1_000_000))?;
    let sales_part = millions.checked_mul(Decimal::new(9, 1))?;
    Some(workers_part.checked_add(sales_part)?.normalize())
}

fn size_for(sector: Sector, score: Decimal) -> Size {
    let (small_cap, medium_cap) = match sector {
        Sector::Commerce => (93, 235),
        Sector::Industry => (95, 250),
        Sector::Services => (95, 235),
    };
    if score <= Decimal::new(46, 1) {
        Size::Micro
    } else if score <= Decimal::from(small_cap) {
        Size::Small
    } else if score <= Decimal::from(medium_cap) {
        Size::Medium
    } else {
        Size::Large
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn small_and_medium_are_one_sme_scale_in_ocds() {
        let scales = [Size::Micro, Size::Small, Size::Medium, Size::Large].map(Size::ocds_scale);
        assert_eq!(scales, ["micro", "sme", "sme", "large"]);
    }

    fn pesos(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn domain_example() {
        // Services, 25 workers, 20 M: 2.5 + 18 = 20.5, small.
        let assessment = classify(Sector::Services, 25, pesos("20000000"));
        assert_eq!(assessment.score, pesos("20.5"));
        assert_eq!(assessment.score.to_string(), "20.5");
        assert_eq!(assessment.size, Size::Small);
    }

    #[test]
    fn boundaries() {
        use Sector::*;
        use Size::*;
        let cases = [
            // Micro, all sectors: 10 workers and 4 M score 1 + 3.6 = 4.6.
            (Commerce, 10, "4000000", "4.6", Micro),
            (Industry, 10, "4000000", "4.6", Micro),
            (Services, 10, "4000000", "4.6", Micro),
            (Services, 10, "4000000.01", "4.600000009", Small),
            (Commerce, 0, "0", "0", Micro),
            (Commerce, 46, "0", "4.6", Micro),
            (Commerce, 47, "0", "4.7", Small),
            // Small: 93 for commerce (30 workers + 100 M), 95 otherwise (50 + 100 M).
            (Commerce, 30, "100000000", "93", Small),
            (Commerce, 30, "100000000.01", "93.000000009", Medium),
            (Industry, 50, "100000000", "95", Small),
            (Industry, 50, "100000000.01", "95.000000009", Medium),
            (Services, 50, "100000000", "95", Small),
            (Services, 50, "100000000.01", "95.000000009", Medium),
            (Commerce, 50, "100000000", "95", Medium),
            // Medium: 235 for commerce and services (100 + 250 M), 250 for industry.
            (Commerce, 100, "250000000", "235", Medium),
            (Commerce, 100, "250000000.01", "235.000000009", Large),
            (Services, 100, "250000000", "235", Medium),
            (Services, 100, "250000000.01", "235.000000009", Large),
            (Industry, 100, "250000000", "235", Medium),
            (Industry, 250, "250000000", "250", Medium),
            (Industry, 250, "250000000.01", "250.000000009", Large),
        ];
        for (sector, workers, sales, score, size) in cases {
            let assessment = classify(sector, workers, pesos(sales));
            assert_eq!(
                assessment.score,
                pesos(score),
                "{sector:?} {workers} {sales}"
            );
            assert_eq!(assessment.size, size, "{sector:?} {workers} {sales}");
        }
    }

    #[test]
    fn huge_values_saturate_to_large() {
        let cases = [
            (u32::MAX, Decimal::ZERO),
            (0, Decimal::MAX),
            (u32::MAX, Decimal::MAX),
        ];
        for (workers, sales) in cases {
            assert_eq!(classify(Sector::Industry, workers, sales).size, Size::Large);
        }
    }

    #[test]
    fn sector_parsing() {
        let cases = [
            ("commerce", Some(Sector::Commerce)),
            ("industry", Some(Sector::Industry)),
            (" services ", Some(Sector::Services)),
            ("Services", None),
            ("", None),
        ];
        for (input, expected) in cases {
            assert_eq!(Sector::parse(input), expected, "{input:?}");
        }
    }
}
