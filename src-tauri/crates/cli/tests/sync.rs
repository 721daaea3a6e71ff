//! `ventanilla sign-in`, `submit` and `sync` as a chamber's schedule would run them,
//! against the real reference server on loopback: the sync process killed at random
//! moments twenty times, then run to the end, delivers every registration exactly once.
#![allow(clippy::unwrap_used)]

mod binary;

use std::process::Stdio;
use std::time::Duration;

use binary::{command as ventanilla, run};
use chrono::Utc;
use serde_json::Value;
use ventanilla_store::{Library, OutboxState};
use ventanilla_testkit::{complete_business, Rng, Server, PASSWORD};

#[test]
fn sync_killed_twenty_times_then_run_to_the_end_delivers_each_registration_once() {
    const BUSINESSES: usize = 30;
    let dir = ventanilla_testkit::scratch();
    let server = Server::start(&dir.path().join("server"), None);
    let data = dir.path().join("data");
    let files = dir.path().join("files");
    std::fs::create_dir(&files).unwrap();
    let library = Library::open(&data).unwrap();
    let ids: Vec<String> = (0..BUSINESSES)
        .map(|n| complete_business(&library, &files, n, 40_000))
        .collect();

    // Offline first: queued without a server, the same as with one.
    for id in &ids {
        let (status, json, _) = run(ventanilla(&data).args(["submit", id]), "");
        assert_eq!(status, 0, "{json}");
        assert_eq!(json["queued"], true);
    }
    let (status, json, _) = run(ventanilla(&data).args(["submit", &ids[0]]), "");
    assert_eq!(
        (status, json["error"]["code"].as_str()),
        (1, Some("already_queued"))
    );

    let (status, json, text) = run(
        ventanilla(&data).args([
            "sign-in",
            "--server",
            &server.base(),
            "--email",
            "camara@ejemplo.mx",
            "--create",
            "operator",
        ]),
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(status, 0, "{text}");
    assert_eq!(json["signed_in"], true);
    assert_eq!(json["role"], "operator");
    let token = library.token().unwrap().unwrap();
    assert!(!text.contains(token.expose()), "the token is never printed");

    let mut rng = Rng::new(5);
    for _ in 0..20 {
        let mut child = ventanilla(&data)
            .arg("sync")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(20 + rng.below(400)));
        let _ = child.kill();
        child.wait().unwrap();
    }
    let (status, json, text) = run(ventanilla(&data).arg("sync"), "");
    assert_eq!(status, 0, "{text}");
    assert_eq!(json["online"], true);
    assert!(json["pending"].as_array().unwrap().is_empty(), "{text}");
    assert!(
        json["needs_attention"].as_array().unwrap().is_empty(),
        "{text}"
    );

    server.holds_each_registration_once(BUSINESSES);
    let key = library.pinned_key().unwrap().unwrap();
    for id in &ids {
        let items = library.open_business(id).unwrap().outbox().unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].state, OutboxState::Sent);
        let receipt = serde_json::from_str(&items[0].receipt.as_ref().unwrap().json).unwrap();
        ventanilla_sync::verify_receipt(&receipt, &key, &items[0].submission, Utc::now()).unwrap();
    }

    // Nothing new: no document bytes.
    let (status, json, _) = run(ventanilla(&data).arg("sync"), "");
    assert_eq!(status, 0);
    assert_eq!(json["document_bytes_sent"], 0);
}

#[test]
fn sync_without_a_server_says_so_and_fails() {
    let dir = ventanilla_testkit::scratch();
    let (status, json, _) = run(ventanilla(dir.path()).arg("sync"), "");
    assert_eq!(status, 1);
    assert_eq!(json["stopped"]["code"], "no_server");
    let (status, json, _) = run(
        ventanilla(dir.path()).args(["sync", "--server", "http://127.0.0.1:9"]),
        "",
    );
    assert_eq!(status, 1);
    assert_eq!(json["online"], false);
    assert_eq!(json["stopped"]["code"], "offline");
}

/// Runs `ventanilla sign-in` on `data` creating `email`'s account on `server` as
/// `role` (with `rfc` for a supplier), with `extra` arguments: status, JSON and text.
fn sign_up(
    data: &std::path::Path,
    server: &Server,
    email: &str,
    role: &str,
    rfc: Option<&str>,
    extra: &[&str],
) -> (i32, Value, String) {
    let mut command = ventanilla(data);
    command.args([
        "sign-in",
        "--server",
        &server.base(),
        "--email",
        email,
        "--create",
        role,
    ]);
    if let Some(rfc) = rfc {
        command.args(["--rfc", rfc]);
    }
    run(command.args(extra), &format!("{PASSWORD}\n"))
}

/// [`sign_up`], panicking unless it worked.
fn sign_in_as(data: &std::path::Path, server: &Server, email: &str, role: &str, rfc: Option<&str>) {
    let (status, _, text) = sign_up(data, server, email, role, rfc, &[]);
    assert_eq!(status, 0, "{text}");
}

fn submissions(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|i| i["submission"].as_str().unwrap())
        .collect()
}

#[test]
fn sync_lists_what_needs_a_person_on_every_run_until_it_is_dealt_with() {
    let dir = ventanilla_testkit::scratch();
    let server = Server::start(&dir.path().join("server"), None);
    let data = dir.path().join("data");
    let files = dir.path().join("files");
    std::fs::create_dir(&files).unwrap();
    let library = Library::open(&data).unwrap();
    let refused = complete_business(&library, &files, 0, 300);
    let damaged = complete_business(&library, &files, 1, 300);
    let mut queued = Vec::new();
    for id in [&refused, &damaged] {
        let (status, json, _) = run(ventanilla(&data).args(["submit", id]), "");
        assert_eq!(status, 0, "{json}");
        queued.push(json["submission"].as_str().unwrap().to_owned());
    }
    let held = queued[0].as_str();
    // The second business's file loses its contents (a full disk, a copy cut short)
    // while its registration waits.
    let path = data.join("businesses").join(&damaged).join("business.db");
    std::fs::write(&path, b"").unwrap();
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    // A supplier account of another RFC: the server refuses to act for this business.
    let other_rfc = ventanilla_testkit::rfc_for(99);
    sign_in_as(
        &data,
        &server,
        "otro@ejemplo.mx",
        "supplier",
        Some(&other_rfc),
    );

    // Held on the first run, and still said on the next: nothing looks done.
    for run_number in 1..=2 {
        let (status, json, text) = run(ventanilla(&data).arg("sync"), "");
        assert_eq!(status, 1, "run {run_number}: {text}");
        assert_eq!(json["online"], true);
        assert_eq!(submissions(&json["needs_attention"]), [held], "{text}");
        let reason = json["needs_attention"][0]["reason"].as_str().unwrap();
        assert!(
            reason.starts_with("La alcaldía no aceptó el envío"),
            "{reason}"
        );
        let listed = json["damaged"].as_array().unwrap();
        assert_eq!(listed.len(), 1, "run {run_number}: {text}");
        assert_eq!(listed[0]["business"], damaged.as_str());
        assert_eq!(listed[0]["unsent"], 1);
        assert!(listed[0]["message"].as_str().unwrap().contains("dañado"));
    }

    // Put back in the queue, it is tried again (and held again: same account).
    let (status, json, _) = run(ventanilla(&data).args(["retry", "--all"]), "");
    assert_eq!(status, 0, "{json}");
    assert_eq!(submissions(&json["retried"]), [held]);
    let (status, json, text) = run(ventanilla(&data).arg("sync"), "");
    assert_eq!(status, 1, "{text}");
    assert_eq!(submissions(&json["needs_attention"]), [held]);

    // With an account that may act for it, the one submission is retried and sent.
    sign_in_as(&data, &server, "camara@ejemplo.mx", "operator", None);
    let (status, json, _) = run(ventanilla(&data).args(["retry", held]), "");
    assert_eq!(status, 0, "{json}");
    assert_eq!(submissions(&json["retried"]), [held]);
    let (status, json, _) = run(ventanilla(&data).args(["retry", held]), "");
    assert_eq!(
        (status, json["error"]["code"].as_str()),
        (1, Some("not_held"))
    );
    let (status, json, _) = run(ventanilla(&data).args(["retry", "no-such-submission"]), "");
    assert_eq!(
        (status, json["error"]["code"].as_str()),
        (1, Some("unknown_submission"))
    );
    assert_eq!(run(ventanilla(&data).arg("retry"), "").0, 2, "one or --all");
    let (status, json, text) = run(ventanilla(&data).arg("sync"), "");
    assert_eq!(submissions(&json["sent"]), [held], "{text}");
    assert!(json["needs_attention"].as_array().unwrap().is_empty());
    assert_eq!(status, 1, "the damaged business still holds a registration");
    assert_eq!(json["damaged"][0]["business"], damaged.as_str());
    assert_eq!(server.count("SELECT count(*) FROM registration"), 1);

    // Only once the damaged business is dealt with (here, deleted) is sync clean.
    library.delete_business(&damaged).unwrap();
    let (status, json, text) = run(ventanilla(&data).arg("sync"), "");
    assert_eq!(status, 0, "{text}");
    assert!(json["damaged"].as_array().unwrap().is_empty());
}

#[test]
fn a_supplier_account_claims_with_sign_in_handover_the_rfc_an_operator_registered() {
    let dir = ventanilla_testkit::scratch();
    let server = Server::start(&dir.path().join("server"), None);
    let data = dir.path().join("data");
    let files = dir.path().join("files");
    std::fs::create_dir(&files).unwrap();
    let library = Library::open(&data).unwrap();
    let business = complete_business(&library, &files, 3, 1_000);
    let rfc = ventanilla_testkit::rfc_for(3);
    sign_in_as(&data, &server, "camara@ejemplo.mx", "operator", None);
    assert_eq!(run(ventanilla(&data).args(["submit", &business]), "").0, 0);
    let (status, json, text) = run(ventanilla(&data).arg("sync"), "");
    assert_eq!(
        (status, json["sent"].as_array().map(Vec::len)),
        (0, Some(1)),
        "{text}"
    );

    let owner = dir.path().join("owner");
    let supplier = |extra: &[&str]| {
        sign_up(
            &owner,
            &server,
            "duena@ejemplo.mx",
            "supplier",
            Some(&rfc),
            extra,
        )
    };
    let (status, json, text) = supplier(&[]);
    assert_eq!(status, 1, "{text}");
    assert!(
        json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("código de entrega"),
        "{text}"
    );

    let handover = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(ventanilla_sync::issue_handover(
            &library,
            &rfc,
            ventanilla_sync::ClientOptions::default(),
        ))
        .unwrap();
    let (status, json, text) = supplier(&["--handover", &handover.code]);
    assert_eq!(status, 0, "{text}");
    assert_eq!(
        (json["role"].as_str(), json["rfc"].as_str()),
        (Some("supplier"), Some(rfc.as_str()))
    );
}
