//! `GET /v1/stats`: how much the alcaldía buys from SMEs, so that it can report it.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ocds::exact;

/// The contracts signed after an award, and the share of them whose supplier is an SME
/// (a micro, small or medium business by its registration's MiPyME size, OCDS scale
/// `micro` or `sme`), by count and by value. A supplier whose size is unknown counts
/// as not an SME.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, ToSchema)]
pub struct ContractStats {
    /// Contracts signed.
    pub contracts: u64,
    /// Of them, contracts with an SME.
    pub sme_contracts: u64,
    /// `sme_contracts / contracts`, from 0 to 1 with four decimals; 0 without contracts.
    #[serde(with = "exact")]
    #[schema(value_type = f64)]
    pub sme_share_by_count: Decimal,
    /// The contracts' total value, in MXN.
    #[serde(with = "exact")]
    #[schema(value_type = f64)]
    pub value: Decimal,
    /// Of it, the value of the contracts with an SME.
    #[serde(with = "exact")]
    #[schema(value_type = f64)]
    pub sme_value: Decimal,
    /// `sme_value / value`, from 0 to 1 with four decimals; 0 without value.
    #[serde(with = "exact")]
    #[schema(value_type = f64)]
    pub sme_share_by_value: Decimal,
}

impl ContractStats {
    /// Counts one contract of `value`, with an SME or not, and updates the shares.
    pub fn add(&mut self, value: Decimal, sme: bool) {
        self.contracts += 1;
        self.value += value;
        if sme {
            self.sme_contracts += 1;
            self.sme_value += value;
        }
        self.sme_share_by_count = share(
            Decimal::from(self.sme_contracts),
            Decimal::from(self.contracts),
        );
        self.sme_share_by_value = share(self.sme_value, self.value);
    }
}

/// `part / whole` rounded to four decimals; 0 when `whole` is 0.
fn share(part: Decimal, whole: Decimal) -> Decimal {
    if whole.is_zero() {
        return Decimal::ZERO;
    }
    (part / whole).round_dp(4).normalize()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_by_count_and_by_value() {
        let mut stats = ContractStats::default();
        assert_eq!(stats.sme_share_by_count, Decimal::ZERO);
        stats.add(Decimal::new(100, 0), true);
        stats.add(Decimal::new(300, 0), false);
        stats.add(Decimal::new(100, 0), true);
        assert_eq!(stats.contracts, 3);
        assert_eq!(stats.sme_contracts, 2);
        assert_eq!(stats.sme_share_by_count.to_string(), "0.6667");
        assert_eq!(stats.sme_value, Decimal::new(200, 0));
        assert_eq!(stats.sme_share_by_value.to_string(), "0.4");
    }
}
