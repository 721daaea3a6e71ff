//! The e.firma the window tests sign with: a persona moral's FIEL for a business's RFC,
//! issued by the efirma crate's own test CA (made with `openssl`, never trusted outside
//! tests), and a way to have a business remember it as if its owner had chosen it.

use std::path::Path;

use ventanilla_desk::fiel::FielFile;
use ventanilla_desk::Desk;
use ventanilla_testkit::efirma::{Issued, Spec, TestCa, RFC_FISICA};

/// The password of every test FIEL's key.
pub use ventanilla_testkit::efirma::PASSWORD;

/// A FIEL and the CA that issued it; its files live as long as this does.
pub struct TestFiel {
    _ca: TestCa,
    /// The `.cer`, the `.key` and the certificate number.
    pub issued: Issued,
}

impl TestFiel {
    /// A current FIEL of the company with RFC `rfc` ("OÑORO & ASOCIADOS SA DE CV",
    /// represented by a persona física).
    pub fn for_company(rfc: &str) -> TestFiel {
        let ca = TestCa::new();
        let issued = ca.issue(&Spec {
            unique_identifier: format!("{rfc} / {RFC_FISICA}"),
            ..Spec::moral()
        });
        TestFiel { _ca: ca, issued }
    }

    /// Has business `id` of the data folder `data` remember this FIEL's files, as its
    /// owner choosing them in the signing dialog would.
    pub fn remember_for(&self, data: &Path, id: &str) {
        let mut desk = Desk::open(data.to_path_buf());
        for (file, path) in [
            (FielFile::Certificate, &self.issued.cer),
            (FielFile::Key, &self.issued.key),
        ] {
            desk.set_fiel_file(id, file, path)
                .expect("the test FIEL is remembered");
        }
    }
}
