//! Accounts and the trust in the server: sign-up (claiming an RFC with a handover
//! code), sign-in, handover codes for operators, and the receipt-signing key pinned at
//! first contact.

use reqwest::{Method, StatusCode};
use ventanilla_api::auth::{Account, Role, Session, SignIn, SignUp};
use ventanilla_api::ownership::Handover;
use ventanilla_api::PublicKeys;
use ventanilla_core::FailureCode;
use ventanilla_store::{Library, PinnedKey};

use crate::client::{Client, ClientOptions, Expect};
use crate::error::{Result, SyncError};

/// Who signs up.
#[derive(Clone, Debug)]
pub struct NewAccount {
    /// Supplier or operator.
    pub role: Role,
    /// The account's email.
    pub email: String,
    /// The account's password, at least ten characters.
    pub password: String,
    /// A supplier's RFC; none for an operator.
    pub rfc: Option<String>,
    /// The handover code the operator that registered the supplier's RFC gave its
    /// owner: needed to claim that RFC, and only then.
    pub handover: Option<String>,
}

/// A client of the server set in `library`, with its session when there is one.
pub fn client_for(library: &Library, options: ClientOptions) -> Result<Client> {
    let base = library.server_url()?.ok_or(SyncError::NoServer)?;
    Client::new(&base, library.token()?, options)
}

/// Creates an account on the server at `base` and signs in with it.
pub async fn sign_up(
    library: &Library,
    base: &str,
    account: &NewAccount,
    options: ClientOptions,
) -> Result<Account> {
    library.set_server_url(base)?;
    let client = client_for(library, options.clone())?;
    let form = SignUp {
        role: account.role,
        email: account.email.clone(),
        password: account.password.clone(),
        rfc: account.rfc.clone(),
        handover: account.handover.clone(),
    };
    // Not retried: a lost answer would make the retry meet "the account exists", and
    // the sign-in below tells the truth either way.
    let answer = client
        .exchange(
            client.request(Method::POST, "/v1/accounts").json(&form),
            Expect::SMALL,
        )
        .await?;
    if answer.status != StatusCode::CREATED {
        return Err(answer.failure());
    }
    sign_in(library, base, &account.email, &account.password, options).await
}

/// Signs in to the server at `base`, keeping the token apart and pinning the server's
/// key if none is pinned yet.
pub async fn sign_in(
    library: &Library,
    base: &str,
    email: &str,
    password: &str,
    options: ClientOptions,
) -> Result<Account> {
    library.set_server_url(base)?;
    let client = client_for(library, options)?;
    let form = SignIn {
        email: email.to_owned(),
        password: password.to_owned(),
    };
    let session: Session = client
        .retrying(|| async {
            let answer = client
                .exchange(
                    client.request(Method::POST, "/v1/session").json(&form),
                    Expect::SMALL,
                )
                .await?;
            match answer.status {
                StatusCode::OK | StatusCode::CREATED => answer.json(),
                // Wrong credentials are the person's to fix, not a lost session.
                StatusCode::UNAUTHORIZED => Err(match answer.failure() {
                    SyncError::SignedOut(detail) => SyncError::Refused {
                        status: 401,
                        detail,
                        problem: None,
                    },
                    other => other,
                }),
                _ => Err(answer.failure()),
            }
        })
        .await?;
    library.save_session(email, &ventanilla_store::Token::new(session.token))?;
    check_key(library, &client).await?;
    Ok(session.account)
}

/// A one-time code handing the business `rfc`, which the signed-in operator
/// registered, to its owner (who presents it in [`NewAccount::handover`]). Retried
/// freely: a new code voids the earlier one, whose answer was lost anyway.
pub async fn issue_handover(
    library: &Library,
    rfc: &str,
    options: ClientOptions,
) -> Result<Handover> {
    let client = client_for(library, options)?;
    let path = format!("/v1/suppliers/{rfc}/handover");
    client
        .retrying(|| async {
            let answer = client
                .exchange(client.request(Method::POST, &path), Expect::SMALL)
                .await?;
            match answer.status {
                StatusCode::CREATED => answer.json(),
                _ => Err(answer.failure()),
            }
        })
        .await
}

/// The server's published key, as it publishes it.
async fn published_key(client: &Client) -> Result<PinnedKey> {
    let keys: PublicKeys = client.get_json("/v1/keys").await?;
    let key = keys.keys.into_iter().next().ok_or(SyncError::Unreadable {
        status: 200,
        what: FailureCode::AnswerNoKeys.into(),
    })?;
    if key.verifying_key().is_err() {
        return Err(SyncError::Unreadable {
            status: 200,
            what: FailureCode::AnswerKeyNotEd25519.into(),
        });
    }
    Ok(PinnedKey {
        key_id: key.key_id,
        public_key: key.public_key,
    })
}

/// Pins the server's key at first contact; afterwards, checks that the server still
/// publishes the pinned one, and answers it.
pub async fn check_key(library: &Library, client: &Client) -> Result<PinnedKey> {
    let published = published_key(client).await?;
    match library.pinned_key()? {
        None => {
            library.pin_key(&published)?;
            Ok(published)
        }
        Some(pinned) if pinned.public_key == published.public_key => Ok(pinned),
        Some(pinned) => Err(SyncError::KeyChanged {
            pinned: pinned.key_id,
            published: published.key_id,
        }),
    }
}

/// Trusts the key the server publishes now, after the person confirmed with the
/// alcaldía that it changed. With `expected`, only that key: one the person was not
/// shown (it changed again meanwhile) is refused like any changed key.
pub async fn accept_new_key(
    library: &Library,
    options: ClientOptions,
    expected: Option<&str>,
) -> Result<PinnedKey> {
    let client = client_for(library, options)?;
    let published = published_key(&client).await?;
    if let Some(expected) = expected.filter(|e| *e != published.key_id) {
        return Err(SyncError::KeyChanged {
            pinned: expected.to_owned(),
            published: published.key_id,
        });
    }
    library.pin_key(&published)?;
    Ok(published)
}

/// Ends the session on the server (when reachable) and forgets the token.
pub async fn sign_out(library: &Library, options: ClientOptions) -> Result<()> {
    if let Ok(client) = client_for(library, options) {
        // Best effort: offline, the token is forgotten here all the same.
        let _ = client
            .exchange(client.request(Method::DELETE, "/v1/session"), Expect::SMALL)
            .await;
    }
    library.forget_token()?;
    Ok(())
}
