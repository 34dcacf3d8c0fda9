//! Integration tests: the binary against the loopback sandbox, over real sockets.

mod cli;
mod common;
mod config_errors;
mod dns;
mod http;
mod report_contract;
