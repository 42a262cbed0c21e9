//! The server's integration tests, in one binary: each module is one area of the portal,
//! and `common` holds the test databases, the browser-like client and the process helpers.
//! One binary links the server once instead of once per area (11 links before).

mod common;

mod accounts;
mod assisted;
mod certificates;
mod cluster;
mod config;
mod credentials;
mod disputes;
mod evaluation;
mod face;
mod feed;
mod http;
mod id_documents;
mod oid4vci;
mod oid4vp;
mod privacy;
mod providers;
mod repository;
mod search;
mod security;
mod staff;
mod verifiable_credentials;
