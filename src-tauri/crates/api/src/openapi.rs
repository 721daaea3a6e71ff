//! The OpenAPI 3.1 document of the API, built from the wire types of this crate.
//! `openapi.json` next to this crate's manifest is its committed copy, which a test
//! keeps current (`UPDATE_OPENAPI=1 cargo test -p ventanilla-api` rewrites it); other
//! tools (schemathesis, client generators) read that file.

use utoipa::openapi::header::Header;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{
    ContentBuilder, InfoBuilder, OpenApi, OpenApiBuilder, Paths, Ref, RefOr, Required,
    ResponseBuilder,
};
use utoipa::OpenApi as _;

use crate::problem::{ProblemType, PROBLEM_CONTENT_TYPE};
use crate::{IDEMPOTENCY_KEY, UPLOAD_CONTENT_TYPE, UPLOAD_LENGTH, UPLOAD_OFFSET};

/// The schemas every operation refers to, derived from the types.
#[derive(utoipa::OpenApi)]
#[openapi(components(schemas(
    crate::Health,
    crate::problem::Problem,
    crate::problem::FieldError,
    crate::auth::Role,
    crate::auth::SignUp,
    crate::auth::Account,
    crate::auth::SignIn,
    crate::auth::Session,
    crate::ownership::Handover,
    crate::ownership::DelegationGrant,
    crate::ownership::Delegation,
    crate::ownership::Delegations,
    crate::documents::CreateUpload,
    crate::documents::UploadStatus,
    crate::documents::DocumentRef,
    crate::registration::RegistrationSubmission,
    crate::registration::RegistrationAccepted,
    crate::registration::ReviewStatus,
    crate::registration::SupplierStatus,
    crate::registration::Observation,
    crate::receipt::Receipt,
    crate::receipt::ReceiptKind,
    crate::receipt::Revocation,
    crate::receipt::PublicKeys,
    crate::receipt::PublicKey,
    crate::receipt::LogEntry,
    crate::receipt::LogPage,
    crate::ocds::ReleasePackage,
    crate::ocds::Release,
    crate::ocds::RecordPackage,
    crate::ocds::Record,
    crate::bid::BidSubmission,
    crate::bid::BidRecord,
    crate::enquiry::QuestionSubmission,
    crate::enquiry::QuestionRecord,
    crate::stats::ContractStats,
)))]
struct Schemas;

/// How an operation is authenticated.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Auth {
    Public,
    /// A bearer token changes what is shown but is not needed.
    Optional,
    Bearer,
}

/// One operation, described by what it takes and answers.
struct Op {
    method: HttpMethod,
    path: &'static str,
    id: &'static str,
    summary: &'static str,
    auth: Auth,
    body: Option<(&'static str, Option<&'static str>)>,
    headers: &'static [&'static str],
    query: &'static [&'static str],
    ok: (u16, &'static str, Option<&'static str>),
    extra_ok: &'static [(u16, &'static str)],
    problems: &'static [ProblemType],
}

const JSON: &str = "application/json";

/// Every operation of the API, in the order of the document.
fn operations() -> Vec<Op> {
    use ProblemType as P;
    let op = |method, path, id, summary, ok| Op {
        method,
        path,
        id,
        summary,
        auth: Auth::Bearer,
        body: None,
        headers: &[],
        query: &[],
        ok,
        extra_ok: &[],
        problems: &[],
    };
    vec![
        Op {
            auth: Auth::Public,
            problems: &[P::DatabaseUnavailable, P::DocumentStoreUnavailable],
            ..op(
                HttpMethod::Get,
                "/v1/health",
                "health",
                "Whether the server is ready: it answers, and so do its database and its document store",
                (200, "Ready", Some("Health")),
            )
        },
        Op {
            auth: Auth::Public,
            body: Some((JSON, Some("SignUp"))),
            problems: &[P::AccountExists, P::RfcHeld, P::Validation, P::InvalidRfc],
            ..op(
                HttpMethod::Post,
                "/v1/accounts",
                "signUp",
                "Create a supplier account (or, in the sandbox, an operator account)",
                (201, "Created", Some("Account")),
            )
        },
        Op {
            auth: Auth::Public,
            body: Some((JSON, Some("SignIn"))),
            problems: &[P::InvalidCredentials, P::TooManyAttempts],
            ..op(
                HttpMethod::Post,
                "/v1/session",
                "signIn",
                "Sign in for a bearer token",
                (201, "Signed in", Some("Session")),
            )
        },
        op(
            HttpMethod::Delete,
            "/v1/session",
            "signOut",
            "Revoke the token used",
            (204, "Revoked", None),
        ),
        Op {
            auth: Auth::Public,
            headers: &["If-None-Match"],
            extra_ok: &[(304, "Unchanged since the ETag sent")],
            ..op(
                HttpMethod::Get,
                "/v1/requirements",
                "requirements",
                "The requirement catalogue",
                (200, "The catalogue, with an ETag", Some("Catalogue")),
            )
        },
        Op {
            auth: Auth::Public,
            headers: &["If-None-Match"],
            extra_ok: &[(304, "Unchanged since the ETag sent")],
            ..op(
                HttpMethod::Get,
                "/v1/banks",
                "banks",
                "The SPEI participants, by the code that starts their CLABEs",
                (
                    200,
                    "The bank catalogue, with an ETag",
                    Some("BankCatalogue"),
                ),
            )
        },
        Op {
            auth: Auth::Public,
            ..op(
                HttpMethod::Get,
                "/v1/keys",
                "keys",
                "The keys receipts are signed with",
                (200, "The keys", Some("PublicKeys")),
            )
        },
        Op {
            auth: Auth::Optional,
            query: &["after"],
            ..op(
                HttpMethod::Get,
                "/v1/log",
                "log",
                "The receipt log after a position",
                (200, "A page of the log", Some("LogPage")),
            )
        },
        Op {
            problems: &[P::NotFound],
            ..op(
                HttpMethod::Head,
                "/v1/documents/{sha256}",
                "hasDocument",
                "Whether the caller already uploaded a document",
                (200, "The caller has it", None),
            )
        },
        Op {
            body: Some((JSON, Some("CreateUpload"))),
            problems: &[P::Validation, P::TooManyUploads, P::QuotaExceeded],
            ..op(
                HttpMethod::Post,
                "/v1/uploads",
                "createUpload",
                "Start a resumable upload",
                (
                    201,
                    "Started (complete at once when the caller has the document)",
                    Some("UploadStatus"),
                ),
            )
        },
        Op {
            problems: &[P::NotFound],
            ..op(
                HttpMethod::Get,
                "/v1/uploads/{id}",
                "uploadStatus",
                "Where an upload stands",
                (200, "Its status", Some("UploadStatus")),
            )
        },
        Op {
            problems: &[P::NotFound],
            ..op(
                HttpMethod::Head,
                "/v1/uploads/{id}",
                "uploadOffset",
                "An upload's offset, in the Upload-Offset header",
                (200, "Its offset", None),
            )
        },
        Op {
            body: Some((UPLOAD_CONTENT_TYPE, None)),
            headers: &[UPLOAD_OFFSET],
            problems: &[
                P::NotFound,
                P::UploadOffsetMismatch,
                P::UploadExceedsSize,
                P::UploadHashMismatch,
                P::PayloadTooLarge,
                P::DocumentStoreUnavailable,
            ],
            ..op(
                HttpMethod::Patch,
                "/v1/uploads/{id}",
                "uploadChunk",
                "Send the bytes at the current offset",
                (200, "Stored; the new offset", Some("UploadStatus")),
            )
        },
        Op {
            body: Some((JSON, Some("RegistrationSubmission"))),
            headers: &[IDEMPOTENCY_KEY],
            problems: &[
                P::IdempotencyKeyRequired,
                P::NotFound,
                P::IdempotencyInProgress,
                P::IdempotencyKeyReused,
                P::Validation,
                P::InvalidRfc,
                P::MissingDocuments,
                P::UnknownDocuments,
                P::EfirmaMissing,
                P::EfirmaBadSignature,
                P::EfirmaNotFiel,
                P::EfirmaExpired,
                P::EfirmaUntrusted,
                P::EfirmaRfcMismatch,
                P::EfirmaRevoked,
            ],
            ..op(
                HttpMethod::Put,
                "/v1/suppliers/{rfc}/registration",
                "submitRegistration",
                "Submit the registration in the padrón",
                (
                    201,
                    "Accepted, with a signed receipt (replays answer the same)",
                    Some("RegistrationAccepted"),
                ),
            )
        },
        Op {
            problems: &[P::NotFound],
            ..op(
                HttpMethod::Get,
                "/v1/suppliers/{rfc}",
                "supplierStatus",
                "The review of the latest registration",
                (200, "Its review", Some("SupplierStatus")),
            )
        },
        Op {
            problems: &[P::NotFound],
            ..op(
                HttpMethod::Post,
                "/v1/suppliers/{rfc}/handover",
                "issueHandover",
                "A one-time code with which the owner of a business the caller registered claims its RFC",
                (201, "Issued; any earlier code is void", Some("Handover")),
            )
        },
        Op {
            body: Some((JSON, Some("DelegationGrant"))),
            problems: &[P::NotFound, P::Validation],
            ..op(
                HttpMethod::Post,
                "/v1/suppliers/{rfc}/delegations",
                "grantDelegation",
                "The owner lets an operator act for its RFC until a date",
                (201, "Granted (a grant to the same operator replaces its expiry)", Some("Delegation")),
            )
        },
        Op {
            problems: &[P::NotFound],
            ..op(
                HttpMethod::Get,
                "/v1/suppliers/{rfc}/delegations",
                "delegations",
                "The owner's current delegations",
                (200, "The delegations", Some("Delegations")),
            )
        },
        Op {
            problems: &[P::NotFound],
            ..op(
                HttpMethod::Delete,
                "/v1/suppliers/{rfc}/delegations/{operator_id}",
                "revokeDelegation",
                "The owner revokes an operator's delegation",
                (204, "Revoked", None),
            )
        },
        Op {
            auth: Auth::Public,
            headers: &["If-None-Match"],
            extra_ok: &[(304, "Unchanged since the ETag sent")],
            ..op(
                HttpMethod::Get,
                "/v1/tenders",
                "tenders",
                "Every tender, as an OCDS release package",
                (200, "The package, with an ETag", Some("ReleasePackage")),
            )
        },
        Op {
            auth: Auth::Public,
            problems: &[P::NotFound],
            ..op(
                HttpMethod::Get,
                "/v1/tenders/{ocid}",
                "tender",
                "One tender, as an OCDS release",
                (200, "The release", Some("Release")),
            )
        },
        Op {
            auth: Auth::Public,
            ..op(
                HttpMethod::Get,
                "/v1/stats",
                "stats",
                "The share of signed contracts that went to SMEs, by count and by value",
                (200, "The figures", Some("ContractStats")),
            )
        },
        Op {
            auth: Auth::Public,
            problems: &[P::NotFound],
            ..op(
                HttpMethod::Get,
                "/v1/tenders/{ocid}/record",
                "tenderRecord",
                "One tender's OCDS record: every release, oldest first, and the compiled release",
                (200, "The record package", Some("RecordPackage")),
            )
        },
        Op {
            body: Some((JSON, Some("BidSubmission"))),
            headers: &[IDEMPOTENCY_KEY],
            problems: &[
                P::IdempotencyKeyRequired,
                P::NotFound,
                P::IdempotencyInProgress,
                P::BidExists,
                P::IdempotencyKeyReused,
                P::Validation,
                P::InvalidRfc,
                P::UnknownDocuments,
                P::DeadlinePassed,
                P::SupplierNotRegistered,
                P::EfirmaMissing,
                P::EfirmaBadSignature,
                P::EfirmaNotFiel,
                P::EfirmaExpired,
                P::EfirmaUntrusted,
                P::EfirmaRfcMismatch,
                P::EfirmaRevoked,
            ],
            ..op(
                HttpMethod::Post,
                "/v1/tenders/{ocid}/bids",
                "submitBid",
                "Submit a sealed bid before the deadline",
                (
                    201,
                    "Accepted, with a signed receipt (replays answer the same)",
                    Some("BidRecord"),
                ),
            )
        },
        Op {
            body: Some((JSON, Some("QuestionSubmission"))),
            headers: &[IDEMPOTENCY_KEY],
            problems: &[
                P::NotFound,
                P::IdempotencyKeyRequired,
                P::IdempotencyInProgress,
                P::IdempotencyKeyReused,
                P::Validation,
                P::InvalidRfc,
                P::NotActingFor,
                P::TenderClosed,
                P::EnquiryPeriodEnded,
            ],
            ..op(
                HttpMethod::Post,
                "/v1/tenders/{ocid}/enquiries",
                "askQuestion",
                "Ask a question on a tender (aclaración) until its enquiry period ends; once answered it is published in tender.enquiries, without who asked",
                (
                    201,
                    "Accepted, with a signed receipt (replays answer the same)",
                    Some("QuestionRecord"),
                ),
            )
        },
        Op {
            problems: &[P::NotFound],
            ..op(
                HttpMethod::Get,
                "/v1/tenders/{ocid}/bids/{id}",
                "bid",
                "A bid: until the opening only for the account that sent it, from then on also for whoever acts for its RFC",
                (200, "The bid", Some("BidRecord")),
            )
        },
    ]
}

/// The whole document.
pub fn document() -> OpenApi {
    let mut paths = Paths::new();
    for op in operations() {
        paths.add_path_operation(op.path, vec![op.method.clone()], operation(&op));
    }
    let mut doc = OpenApiBuilder::from(Schemas::openapi())
        .info(
            InfoBuilder::new()
                .title("Ventanilla: API de la alcaldía")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "Supplier registration, documents, tenders and bids for the alcaldía Benito Juárez. Errors are application/problem+json (RFC 9457) with stable `type` URNs.",
                ))
                .build(),
        )
        .paths(paths)
        .build();
    if let Some(components) = doc.components.as_mut() {
        components
            .schemas
            .insert("Catalogue".to_owned(), catalogue_schema());
        components
            .schemas
            .insert("BankCatalogue".to_owned(), bank_catalogue_schema());
        components.security_schemes.insert(
            "bearer".to_owned(),
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
    doc
}

/// The document as committed: pretty JSON with a final newline.
pub fn document_json() -> String {
    // Serializing maps of strings cannot fail; an empty document would fail the test.
    let mut json = document().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}

fn operation(op: &Op) -> utoipa::openapi::path::Operation {
    let mut builder = OperationBuilder::new()
        .operation_id(Some(op.id))
        .summary(Some(op.summary));
    match op.auth {
        Auth::Public => {}
        Auth::Optional => {
            builder = builder
                .security(SecurityRequirement::default())
                .security(SecurityRequirement::new("bearer", Vec::<String>::new()));
        }
        Auth::Bearer => {
            builder = builder.security(SecurityRequirement::new("bearer", Vec::<String>::new()));
        }
    }
    for name in path_parameters(op.path) {
        builder = builder.parameter(parameter(name, ParameterIn::Path, Required::True));
    }
    for &name in op.headers {
        let required = if name == "If-None-Match" {
            Required::False
        } else {
            Required::True
        };
        builder = builder.parameter(parameter(name, ParameterIn::Header, required));
    }
    for &name in op.query {
        builder = builder.parameter(
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Query)
                .required(Required::False)
                .schema(Some(
                    ObjectBuilder::new()
                        .schema_type(Type::Integer)
                        .minimum(Some(0)),
                )),
        );
    }
    if let Some((media, schema)) = op.body {
        let content = match schema {
            Some(name) => ContentBuilder::new().schema(Some(Ref::from_schema_name(name))),
            None => ContentBuilder::new().schema(Some(
                ObjectBuilder::new().schema_type(Type::String).format(Some(
                    utoipa::openapi::SchemaFormat::KnownFormat(
                        utoipa::openapi::KnownFormat::Binary,
                    ),
                )),
            )),
        };
        builder = builder.request_body(Some(
            RequestBodyBuilder::new()
                .required(Some(Required::True))
                .content(media, content.build())
                .build(),
        ));
    }
    let (status, description, schema) = op.ok;
    let mut ok = ResponseBuilder::new().description(description);
    if let Some(name) = schema {
        ok = ok.content(
            JSON,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name(name)))
                .build(),
        );
    }
    if op.path.starts_with("/v1/uploads/") || op.path == "/v1/uploads" {
        ok = ok
            .header(
                UPLOAD_OFFSET,
                Header::new(ObjectBuilder::new().schema_type(Type::Integer)),
            )
            .header(
                UPLOAD_LENGTH,
                Header::new(ObjectBuilder::new().schema_type(Type::Integer)),
            );
    }
    builder = builder.response(status.to_string(), ok.build());
    for &(status, description) in op.extra_ok {
        builder = builder.response(
            status.to_string(),
            ResponseBuilder::new().description(description).build(),
        );
    }
    let mut problems: Vec<ProblemType> = op.problems.to_vec();
    let mut implied = Vec::new();
    if op.body.is_some() {
        implied.extend([
            ProblemType::MalformedRequest,
            ProblemType::PayloadTooLarge,
            ProblemType::UnsupportedMediaType,
        ]);
    }
    // A JSON body of the wrong shape (a field missing, unknown or mistyped) is a 422.
    if op.body.is_some_and(|(media, _)| media == JSON) {
        implied.push(ProblemType::Validation);
    }
    if !op.query.is_empty() {
        implied.push(ProblemType::MalformedRequest);
    }
    // Whatever writes can find the server's disk full.
    if !matches!(op.method, HttpMethod::Get | HttpMethod::Head) {
        implied.push(ProblemType::InsufficientStorage);
    }
    // Past its connection limit the server refuses any request.
    implied.push(ProblemType::ServerBusy);
    for problem in implied {
        if !problems.contains(&problem) {
            problems.push(problem);
        }
    }
    if op.auth != Auth::Public {
        problems.push(ProblemType::Unauthenticated);
    }
    let mut statuses: Vec<u16> = problems.iter().map(|p| p.status()).collect();
    statuses.sort_unstable();
    statuses.dedup();
    for status in statuses {
        let codes: Vec<&str> = problems
            .iter()
            .filter(|p| p.status() == status)
            .map(|p| p.code())
            .collect();
        builder = builder.response(
            status.to_string(),
            ResponseBuilder::new()
                .description(format!("Problem: {}", codes.join(", ")))
                .content(
                    PROBLEM_CONTENT_TYPE,
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Problem")))
                        .build(),
                )
                .build(),
        );
    }
    builder.build()
}

/// The `{name}` segments of a path template.
fn path_parameters(path: &str) -> impl Iterator<Item = &str> {
    path.split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
}

fn parameter(name: &str, place: ParameterIn, required: Required) -> ParameterBuilder {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(place)
        .required(required)
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
}

/// The requirement catalogue is `ventanilla_core`'s type, which knows nothing of
/// OpenAPI; its outline is described here.
fn catalogue_schema() -> RefOr<Schema> {
    let string = || ObjectBuilder::new().schema_type(Type::String);
    let requirement = ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some("A document the supplier attaches: code, name and help in es/en, whom it applies to, validity, accepted kinds of file and size limit."))
        .property("code", string())
        .required("code");
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("version", string())
        .property(
            "requirements",
            utoipa::openapi::schema::ArrayBuilder::new().items(requirement),
        )
        .required("version")
        .required("requirements")
        .into()
}

/// The bank catalogue is `ventanilla_core`'s type too.
fn bank_catalogue_schema() -> RefOr<Schema> {
    let string = || ObjectBuilder::new().schema_type(Type::String);
    let bank = ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some(
            "A SPEI participant: the 3 digits its CLABEs start with, its name and, for an uncertain entry, why.",
        ))
        .property("code", string().pattern(Some("^[0-9]{3}$")))
        .property("name", string())
        .property("note", string())
        .required("code")
        .required("name");
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("version", string())
        .property("source", string())
        .property(
            "banks",
            utoipa::openapi::schema::ArrayBuilder::new().items(bank),
        )
        .required("version")
        .required("banks")
        .into()
}
