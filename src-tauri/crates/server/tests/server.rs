//! The server over loopback with a real HTTP client: each test starts its own server
//! in-process on 127.0.0.1:0 with a fresh data folder and a clock it controls.

#![allow(clippy::unwrap_used)]

mod server {
    pub mod accounts;
    pub mod admin;
    pub mod award;
    pub mod banks;
    pub mod blobs;
    pub mod bounds;
    pub mod common;
    pub mod documents;
    pub mod durability;
    pub mod efirma;
    pub mod enquiries;
    pub mod hardening;
    pub mod instances;
    pub mod ocds;
    pub mod ownership;
    pub mod registration;
    pub mod safety;
    pub mod tenders;
}
