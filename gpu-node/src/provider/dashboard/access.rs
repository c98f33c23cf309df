//! Who may use the dashboard's API. Reading needs a request from this machine;
//! acting needs the token too:
//! - the peer must be a loopback address (the API may share a wider metrics address);
//! - `Host` must name loopback, so a web page whose own name was re-pointed at
//!   127.0.0.1 (DNS rebinding) is refused;
//! - a browser's `Origin` must be the web app's, so no other page reads or acts, and
//!   CORS headers are given to that origin only;
//! - actions must carry `Authorization: Bearer <token>`, compared in constant time.

use std::net::IpAddr;

use super::super::config::DashboardSettings;

/// Why a request was refused; each maps to an HTTP status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("the dashboard API answers this machine only")]
    NotLoopback,
    #[error("the Host header must name this machine (localhost or a loopback address)")]
    ForeignHost,
    #[error("web pages from {0} may not use this node's API")]
    ForeignOrigin(String),
    #[error(
        "this action needs the node's token (printed by `gpu-node init`, in config.toml [dashboard] token)"
    )]
    NoToken,
    #[error("the token is wrong: see config.toml [dashboard] token in the node's home")]
    WrongToken,
    #[error(
        "the node has no dashboard token, so it takes no actions: set [dashboard] token in config.toml"
    )]
    NoTokenConfigured,
}

impl Refusal {
    /// The HTTP status: 401 for a missing or wrong token, 403 otherwise.
    pub fn status(&self) -> u16 {
        match self {
            Self::NoToken | Self::WrongToken => 401,
            _ => 403,
        }
    }
}

/// The API's access rules for one node.
#[derive(Debug, Clone)]
pub struct Access {
    token: String,
    origin: String,
}

impl Access {
    /// Rules from the node's `[dashboard]` settings.
    pub fn new(settings: &DashboardSettings) -> Self {
        Self {
            token: settings.token.clone(),
            origin: origin_of(&settings.web_url),
        }
    }

    /// The one origin whose pages may use the API.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Whether a request from `peer` with these `Host` and `Origin` headers may read.
    pub fn check_request(
        &self,
        peer: IpAddr,
        host: Option<&str>,
        origin: Option<&str>,
    ) -> Result<(), Refusal> {
        if !peer.is_loopback() && !is_mapped_loopback(peer) {
            return Err(Refusal::NotLoopback);
        }
        if !host.is_some_and(is_loopback_host) {
            return Err(Refusal::ForeignHost);
        }
        match origin {
            Some(origin) if origin != self.origin => {
                Err(Refusal::ForeignOrigin(origin.to_string()))
            }
            _ => Ok(()),
        }
    }

    /// Whether the `Authorization` header carries the token.
    pub fn check_token(&self, authorization: Option<&str>) -> Result<(), Refusal> {
        if self.token.is_empty() {
            return Err(Refusal::NoTokenConfigured);
        }
        let given = authorization
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(Refusal::NoToken)?;
        if same_secret(given.as_bytes(), self.token.as_bytes()) {
            Ok(())
        } else {
            Err(Refusal::WrongToken)
        }
    }
}

/// `scheme://host[:port]` of `url`, as a browser writes its `Origin`.
fn origin_of(url: &str) -> String {
    let url = url.trim();
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
            format!("{}://{}", scheme.to_ascii_lowercase(), authority)
        }
        None => url.trim_end_matches('/').to_string(),
    }
}

/// Whether a `Host` header (`name[:port]`) names this machine.
fn is_loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback() || is_mapped_loopback(ip))
}

fn is_mapped_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()),
        IpAddr::V4(_) => false,
    }
}

/// Compares two secrets in time that depends on their lengths only.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "c0ffee";

    fn access() -> Access {
        Access::new(&DashboardSettings {
            token: TOKEN.into(),
            web_url: "http://127.0.0.1:4173/".into(),
        })
    }

    fn local() -> IpAddr {
        "127.0.0.1".parse().unwrap()
    }

    #[test]
    fn this_machine_and_the_web_app_may_read() {
        let a = access();
        assert_eq!(a.origin(), "http://127.0.0.1:4173");
        for host in [
            "127.0.0.1:9464",
            "localhost:9464",
            "[::1]:9464",
            "localhost",
        ] {
            assert_eq!(a.check_request(local(), Some(host), None), Ok(()), "{host}");
        }
        let from_app = a.check_request(local(), Some("127.0.0.1:9464"), Some(a.origin()));
        assert_eq!(from_app, Ok(()));
        let v6 = "::1".parse().unwrap();
        assert_eq!(a.check_request(v6, Some("[::1]:9464"), None), Ok(()));
    }

    #[test]
    fn other_machines_rebound_names_and_other_pages_are_refused() {
        let a = access();
        let lan = "192.168.1.20".parse().unwrap();
        assert_eq!(
            a.check_request(lan, Some("127.0.0.1:9464"), None),
            Err(Refusal::NotLoopback)
        );
        for host in [
            Some("evil.example:9464"),
            Some("127.0.0.1.evil.example"),
            None,
        ] {
            assert_eq!(
                a.check_request(local(), host, None),
                Err(Refusal::ForeignHost),
                "{host:?}"
            );
        }
        for origin in [
            "http://evil.example",
            "http://127.0.0.1:4174",
            "https://127.0.0.1:4173",
            "null",
        ] {
            let refused = a.check_request(local(), Some("127.0.0.1:9464"), Some(origin));
            assert_eq!(refused, Err(Refusal::ForeignOrigin(origin.into())));
            assert_eq!(refused.unwrap_err().status(), 403);
        }
    }

    #[test]
    fn actions_need_the_exact_token() {
        let a = access();
        assert_eq!(a.check_token(Some("Bearer c0ffee")), Ok(()));
        assert_eq!(a.check_token(None), Err(Refusal::NoToken));
        assert_eq!(a.check_token(Some("c0ffee")), Err(Refusal::NoToken));
        for wrong in ["Bearer c0ffe", "Bearer c0ffee0", "Bearer C0FFEE", "Bearer "] {
            let refused = a.check_token(Some(wrong));
            assert_eq!(refused, Err(Refusal::WrongToken), "{wrong}");
            assert_eq!(refused.unwrap_err().status(), 401);
        }
        let no_token = Access::new(&DashboardSettings::default());
        assert_eq!(
            no_token.check_token(Some("Bearer ")),
            Err(Refusal::NoTokenConfigured)
        );
    }
}
