//! Integration tests: the binary against the loopback sandbox, over real sockets.

mod ai;
mod cli;
mod common;
mod concurrency;
mod config_errors;
mod dns;
mod email;
mod env;
mod first_contact;
mod flows;
mod handover;
mod hostile;
mod hostile_config;
mod hostile_ssrf;
mod hostile_text;
mod hostile_web;
mod http;
mod leaks;
mod perf;
mod redaction;
mod report_contract;
mod reports;
mod secrets;
mod tls;
mod ux;
