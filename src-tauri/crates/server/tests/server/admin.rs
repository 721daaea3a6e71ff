//! The alcaldía's commands as staff run them: the real binary, its answers in Spanish.

use std::process::{Command, Output};

use super::common::{rfc, start, Server, PASSWORD};

fn run(server: &Server, args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_ventanilla-server"))
        .args(args)
        .args(server.database_flags())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// The command fails, saying `expected` on stderr.
fn refused(server: &Server, args: &[&str], stdin: &str, expected: &str) {
    let output = run(server, args, stdin);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{args:?} succeeded");
    assert!(stderr.contains(expected), "{args:?}: {stderr}");
}

#[tokio::test]
async fn review_and_operator_explain_their_errors_in_spanish() {
    let server = start().await;
    let dir = server.dir.path().to_str().unwrap();
    let missing = server.dir.path().join("no-existe");
    let missing = missing.to_str().unwrap();
    let nobody = rfc("NAD");

    refused(
        &server,
        &["review", "--data-dir", dir, "approve", &nobody],
        "",
        "No hay ningún registro del RFC",
    );
    refused(
        &server,
        &[
            "review",
            "--data-dir",
            dir,
            "approve",
            &nobody,
            "--observation",
            "CSF",
        ],
        "",
        "Escríbela como CLAVE=TEXTO",
    );
    refused(
        &server,
        &["review", "--data-dir", missing, "approve", &nobody],
        "",
        "Indica con --data-dir la carpeta de datos del servidor",
    );
    refused(
        &server,
        &["review", "--data-dir", dir, "aprobar", &nobody],
        "",
        "El valor «aprobar» no es válido",
    );
    refused(
        &server,
        &["review", "approve", &nobody],
        "",
        "Falta --data-dir",
    );
    refused(
        &server,
        &["operator", "--data-dir", dir, "op@example.mx"],
        "corta\n",
        "contraseña",
    );
    refused(
        &server,
        &["operator", "--data-dir", dir, "op@example.mx"],
        "1234567890\n",
        "Esa contraseña es de las más usadas",
    );
    refused(
        &server,
        &["operator", "--data-dir", dir, "mesa.de.ayuda@example.mx"],
        "mesa.de.ayuda\n",
        "no puede ser tu correo",
    );
    refused(
        &server,
        &["operator", "--data-dir", missing, "op@example.mx"],
        &format!("{PASSWORD}\n"),
        "No existe la carpeta",
    );
    refused(
        &server,
        &["--escuchar", "x"],
        "",
        "No se reconoce el argumento",
    );

    let made = run(
        &server,
        &["operator", "--data-dir", dir, "op@example.mx"],
        &format!("{PASSWORD}\n"),
    );
    assert!(made.status.success());
    refused(
        &server,
        &["operator", "--data-dir", dir, "op@example.mx"],
        &format!("{PASSWORD}\n"),
        "Ya existe una cuenta con el correo op@example.mx",
    );
}

#[test]
fn a_database_url_is_checked_and_a_database_that_does_not_answer_stops_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let start = |url: &str| {
        Command::new(env!("CARGO_BIN_EXE_ventanilla-server"))
            .args(["--allow-unsigned", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(dir.path())
            .args(["--database-url", url])
            .output()
            .unwrap()
    };
    let refused = start("mysql://alcaldia/ventanilla");
    assert_eq!(refused.status.code(), Some(2));
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("usa sqlite:RUTA") && said.contains("postgres://"),
        "{said}"
    );
    // Nothing listens on port 1.
    let down = start("postgres://ventanilla@127.0.0.1:1/ventanilla");
    assert_eq!(down.status.code(), Some(1));
    let said = String::from_utf8_lossy(&down.stderr);
    assert!(
        said.contains("No se puede usar la base de datos") && said.contains("--database-url"),
        "{said}"
    );
}

#[test]
fn a_database_that_takes_only_tls_is_reached_with_its_ca_and_refused_without() {
    if !ventanilla_testkit::postgres::on_postgres() {
        return;
    }
    let cluster = ventanilla_testkit::postgres::Cluster::start_tls();
    let url = cluster.database();
    let keys_init = |sslmode: &str, ca: Option<&std::path::Path>| {
        let dir = tempfile::tempdir().unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_ventanilla-server"));
        command
            .args(["keys", "init", "--data-dir"])
            .arg(dir.path())
            .args(["--database-url", &format!("{url}?sslmode={sslmode}")])
            .env_remove("PGSSLROOTCERT");
        if let Some(ca) = ca {
            command.env("PGSSLROOTCERT", ca);
        }
        let output = command.output().unwrap();
        let said = String::from_utf8_lossy(&output.stderr).into_owned();
        (output.status.success(), said)
    };
    // Not trusted: its CA is nobody's but the cluster's.
    let (ok, said) = keys_init("require", None);
    assert!(!ok);
    assert!(
        said.contains("certificate verify failed") && said.contains("PGSSLROOTCERT"),
        "{said}"
    );
    // Without TLS the database refuses the connection.
    let (ok, said) = keys_init("disable", Some(&cluster.ca()));
    assert!(
        !ok && said.contains("No se puede conectar con la base de datos"),
        "{said}"
    );
    let (ok, said) = keys_init("require", Some(&cluster.ca()));
    assert!(ok, "{said}");
}
