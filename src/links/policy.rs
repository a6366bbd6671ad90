//! The safety policy: which addresses a link check may connect to.
//!
//! A guide is untrusted input: a citation (or a redirect it leads to) must
//! not turn the checker into a way to reach the machine it runs on, its
//! network or a cloud metadata service. So, by default, only `http` and
//! `https` are fetched, and every address a host name resolves to, on every
//! redirect hop, is checked before connecting: loopback, private, link-local,
//! carrier-grade NAT, unique-local IPv6, multicast, reserved and cloud
//! metadata addresses are refused. A literal-IP URL is checked the same way
//! (no resolver sees it).
//!
//! `allow_net` opens specific hosts (`localhost`, `*.corp.example`) or ranges
//! (`127.0.0.0/8`, `::1`, `fd00::/8`).

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

/// Why an address may not be contacted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// A scheme other than http(s) (reached by a redirect).
    #[error("the `{0}:` scheme is not fetched; only http and https are")]
    Scheme(String),
    /// The address (literal, or what the host resolves to) is not public.
    #[error("{}", describe_address(.host, .how, .ip, .class))]
    Address {
        /// The host as written in the URL.
        host: String,
        /// "is" for a literal address, "resolves to" for a name.
        how: &'static str,
        /// The refused address.
        ip: IpAddr,
        /// What kind of address it is.
        class: AddressClass,
    },
}

/// "10.0.0.1 is a private-network address", "intranet resolves to 10.0.0.1, a private-network address".
fn describe_address(host: &str, how: &str, ip: &IpAddr, class: &AddressClass) -> String {
    if how == "is" {
        format!("{host} is {class}")
    } else {
        format!("{host} {how} {ip}, {class}")
    }
}

/// The kinds of non-public address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressClass {
    /// `0.0.0.0/8`, `::`.
    Unspecified,
    /// `127.0.0.0/8`, `::1`.
    Loopback,
    /// `10/8`, `172.16/12`, `192.168/16`.
    Private,
    /// `169.254.169.254`, `fd00:ec2::254` and `100.100.100.200`.
    CloudMetadata,
    /// `169.254/16`, `fe80::/10`.
    LinkLocal,
    /// Carrier-grade NAT, `100.64/10`.
    SharedAddressSpace,
    /// `fc00::/7`.
    UniqueLocal,
    /// `224/4`, `ff00::/8`, broadcast.
    Multicast,
    /// Documentation, benchmarking, protocol-assignment and reserved ranges.
    Reserved,
}

impl fmt::Display for AddressClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AddressClass::Unspecified => "an unspecified address",
            AddressClass::Loopback => "a loopback address",
            AddressClass::Private => "a private-network address",
            AddressClass::CloudMetadata => "a cloud metadata address",
            AddressClass::LinkLocal => "a link-local address",
            AddressClass::SharedAddressSpace => "a carrier-grade NAT address",
            AddressClass::UniqueLocal => "a unique-local IPv6 address",
            AddressClass::Multicast => "a multicast or broadcast address",
            AddressClass::Reserved => "a reserved address",
        })
    }
}

/// What kind of non-public address `ip` is, or `None` when it is public.
pub fn classify(ip: IpAddr) -> Option<AddressClass> {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

fn classify_v4(ip: Ipv4Addr) -> Option<AddressClass> {
    let [a, b, c, _] = ip.octets();
    let class =
        if ip == Ipv4Addr::new(169, 254, 169, 254) || ip == Ipv4Addr::new(100, 100, 100, 200) {
            AddressClass::CloudMetadata
        } else if a == 0 {
            AddressClass::Unspecified
        } else if a == 127 {
            AddressClass::Loopback
        } else if a == 10 || (a == 172 && (16..32).contains(&b)) || (a == 192 && b == 168) {
            AddressClass::Private
        } else if a == 169 && b == 254 {
            AddressClass::LinkLocal
        } else if a == 100 && (64..128).contains(&b) {
            AddressClass::SharedAddressSpace
        } else if a >= 224 {
            // 224/4 multicast, 240/4 reserved, 255.255.255.255 broadcast.
            if a < 240 {
                AddressClass::Multicast
            } else {
                AddressClass::Reserved
            }
        } else if (a == 192 && b == 0 && (c == 0 || c == 2))
            || (a == 198 && (b == 18 || b == 19))
            || (a == 198 && b == 51 && c == 100)
            || (a == 203 && b == 0 && c == 113)
            || (a == 192 && b == 88 && c == 99)
        {
            AddressClass::Reserved
        } else {
            return None;
        };
    Some(class)
}

fn classify_v6(ip: Ipv6Addr) -> Option<AddressClass> {
    if ip.is_unspecified() {
        return Some(AddressClass::Unspecified);
    }
    if ip.is_loopback() {
        return Some(AddressClass::Loopback);
    }
    // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64
    // (64:ff9b::/96) addresses reach the embedded IPv4 address.
    if let Some(v4) = ip.to_ipv4_mapped() {
        return classify_v4(v4);
    }
    let segments = ip.segments();
    if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] || segments[..6] == [0; 6] {
        let [a, b] = segments[6].to_be_bytes();
        let [c, d] = segments[7].to_be_bytes();
        return classify_v4(Ipv4Addr::new(a, b, c, d));
    }
    let class = if segments[..4] == [0xfd00, 0x0ec2, 0, 0] {
        AddressClass::CloudMetadata
    } else if segments[0] & 0xfe00 == 0xfc00 {
        AddressClass::UniqueLocal
    } else if segments[0] & 0xffc0 == 0xfe80 || segments[0] & 0xffc0 == 0xfec0 {
        AddressClass::LinkLocal
    } else if segments[0] & 0xff00 == 0xff00 {
        AddressClass::Multicast
    } else if (segments[0] == 0x2001 && segments[1] == 0x0db8) || segments[..4] == [0x100, 0, 0, 0]
    {
        AddressClass::Reserved
    } else if segments[0] == 0x2002 {
        // 6to4: the next 32 bits are an IPv4 address.
        let [a, b] = segments[1].to_be_bytes();
        let [c, d] = segments[2].to_be_bytes();
        return classify_v4(Ipv4Addr::new(a, b, c, d));
    } else {
        return None;
    };
    Some(class)
}

/// An address range, `127.0.0.0/8` or `::1` (a single address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    network: IpAddr,
    prefix: u8,
}

impl IpRange {
    /// Parses `ADDRESS` or `ADDRESS/PREFIX`; `None` when it is neither.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().trim_start_matches('[');
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix.parse::<u8>().ok()?)),
            None => (text, None),
        };
        let network: IpAddr = address.trim_end_matches(']').parse().ok()?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(IpRange { network, prefix })
    }

    /// True when `ip` lies in the range.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        match (self.network, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// A host-name entry of the allow-list: exact, or `*.suffix` for subdomains.
#[derive(Debug, Clone, PartialEq, Eq)]
enum HostPattern {
    Exact(String),
    Subdomains(String),
}

/// The safety policy in force for one run.
#[derive(Debug, Clone, Default)]
pub struct NetPolicy {
    hosts: Vec<HostPattern>,
    ranges: Vec<IpRange>,
}

/// An allow-list entry that is neither a host name nor an address range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` in allow_net is neither a host name nor an address range (write `localhost`, `*.corp.example`, `127.0.0.1` or `10.0.0.0/8`)"
)]
pub struct AllowNetError(pub String);

impl NetPolicy {
    /// The default policy (public addresses only) opened by `allow_net` entries.
    pub fn new(allow_net: &[String]) -> Result<Self, AllowNetError> {
        let mut policy = NetPolicy::default();
        for entry in allow_net {
            if let Some(range) = IpRange::parse(entry) {
                policy.ranges.push(range);
                continue;
            }
            let name = entry.trim().trim_end_matches('.').to_ascii_lowercase();
            let (pattern, bare) = match name.strip_prefix("*.") {
                Some(rest) => (HostPattern::Subdomains(rest.to_owned()), rest),
                None => (HostPattern::Exact(name.clone()), name.as_str()),
            };
            let valid = !bare.is_empty()
                && bare.split('.').all(|label| {
                    !label.is_empty()
                        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                });
            if !valid {
                return Err(AllowNetError(entry.clone()));
            }
            policy.hosts.push(pattern);
        }
        Ok(policy)
    }

    /// True when the host name is on the allow-list (all its addresses may be used).
    pub fn allows_host(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.hosts.iter().any(|pattern| match pattern {
            HostPattern::Exact(name) => *name == host,
            HostPattern::Subdomains(suffix) => {
                host.len() > suffix.len() + 1
                    && host.ends_with(suffix.as_str())
                    && host[..host.len() - suffix.len()].ends_with('.')
            }
        })
    }

    /// `Ok` when `ip` is public or on the allow-list; otherwise what kind it is.
    pub fn check_ip(&self, ip: IpAddr) -> Result<(), AddressClass> {
        match classify(ip) {
            None => Ok(()),
            Some(_) if self.ranges.iter().any(|range| range.contains(ip)) => Ok(()),
            Some(class) => Err(class),
        }
    }

    /// Checks what can be checked before resolving: the scheme and a literal address.
    pub fn check_url(&self, url: &Url) -> Result<(), Refusal> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Refusal::Scheme(url.scheme().to_owned()));
        }
        let ip = match url.host() {
            Some(Host::Ipv4(v4)) => IpAddr::V4(v4),
            Some(Host::Ipv6(v6)) => IpAddr::V6(v6),
            _ => return Ok(()),
        };
        let host = url.host_str().unwrap_or_default();
        if self.allows_host(host) {
            return Ok(());
        }
        self.check_ip(ip).map_err(|class| Refusal::Address {
            host: host.to_owned(),
            how: "is",
            ip,
            class,
        })
    }

    /// The addresses of `host` that may be used: all of them when the name is
    /// allowed, otherwise the public and allow-listed ones. Refuses when none is left.
    pub fn filter_resolved(
        &self,
        host: &str,
        addresses: Vec<std::net::SocketAddr>,
    ) -> Result<Vec<std::net::SocketAddr>, Refusal> {
        if self.allows_host(host) {
            return Ok(addresses);
        }
        let mut first_refused = None;
        let allowed: Vec<_> = addresses
            .into_iter()
            .filter(|address| match self.check_ip(address.ip()) {
                Ok(()) => true,
                Err(class) => {
                    first_refused.get_or_insert((address.ip(), class));
                    false
                }
            })
            .collect();
        match (allowed.is_empty(), first_refused) {
            (true, Some((ip, class))) => Err(Refusal::Address {
                host: host.to_owned(),
                how: "resolves to",
                ip,
                class,
            }),
            _ => Ok(allowed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn non_public_addresses_are_classified() {
        let cases = [
            ("127.0.0.1", AddressClass::Loopback),
            ("127.255.0.9", AddressClass::Loopback),
            ("::1", AddressClass::Loopback),
            ("0.0.0.0", AddressClass::Unspecified),
            ("::", AddressClass::Unspecified),
            ("10.1.2.3", AddressClass::Private),
            ("172.16.0.1", AddressClass::Private),
            ("172.31.255.255", AddressClass::Private),
            ("192.168.1.1", AddressClass::Private),
            ("169.254.169.254", AddressClass::CloudMetadata),
            ("100.100.100.200", AddressClass::CloudMetadata),
            ("fd00:ec2::254", AddressClass::CloudMetadata),
            ("169.254.1.1", AddressClass::LinkLocal),
            ("fe80::1", AddressClass::LinkLocal),
            ("100.64.0.1", AddressClass::SharedAddressSpace),
            ("100.127.255.255", AddressClass::SharedAddressSpace),
            ("fc00::1", AddressClass::UniqueLocal),
            ("fd12:3456::1", AddressClass::UniqueLocal),
            ("224.0.0.1", AddressClass::Multicast),
            ("255.255.255.255", AddressClass::Reserved),
            ("ff02::1", AddressClass::Multicast),
            ("::ffff:127.0.0.1", AddressClass::Loopback),
            ("::ffff:169.254.169.254", AddressClass::CloudMetadata),
            ("64:ff9b::a00:1", AddressClass::Private),
            ("2002:7f00:1::", AddressClass::Loopback),
            ("192.0.2.1", AddressClass::Reserved),
        ];
        for (text, class) in cases {
            assert_eq!(classify(ip(text)), Some(class), "{text}");
        }
        for public in [
            "93.184.215.14",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700::1111",
            "8.8.8.8",
        ] {
            assert_eq!(classify(ip(public)), None, "{public}");
        }
    }

    #[test]
    fn ranges_and_hosts_open_the_policy() {
        let policy = NetPolicy::new(&[
            "127.0.0.0/8".into(),
            "::1".into(),
            "*.corp.example".into(),
            "localhost".into(),
        ])
        .unwrap();
        assert!(policy.check_ip(ip("127.0.0.2")).is_ok());
        assert!(policy.check_ip(ip("::1")).is_ok());
        assert!(policy.check_ip(ip("::ffff:127.0.0.1")).is_ok());
        assert_eq!(policy.check_ip(ip("10.0.0.1")), Err(AddressClass::Private));
        assert!(policy.allows_host("wiki.corp.example"));
        assert!(policy.allows_host("LOCALHOST"));
        assert!(!policy.allows_host("corp.example"));
        assert!(!policy.allows_host("evilcorp.example"));
        assert!(NetPolicy::new(&["not a host".into()]).is_err());
        assert!(NetPolicy::new(&["10.0.0.0/33".into()]).is_err());
    }

    #[test]
    fn literal_addresses_and_schemes_are_checked_before_resolving() {
        let policy = NetPolicy::default();
        let refuse = |text: &str| policy.check_url(&Url::parse(text).unwrap()).unwrap_err();
        assert!(matches!(
            refuse("http://127.0.0.1:8080/"),
            Refusal::Address {
                class: AddressClass::Loopback,
                ..
            }
        ));
        assert!(matches!(
            refuse("http://[::1]/"),
            Refusal::Address {
                class: AddressClass::Loopback,
                ..
            }
        ));
        assert!(matches!(
            refuse("http://169.254.169.254/latest/"),
            Refusal::Address {
                class: AddressClass::CloudMetadata,
                ..
            }
        ));
        // The URL parser reads these spellings as 127.0.0.1 too.
        assert!(matches!(
            refuse("http://2130706433/"),
            Refusal::Address { .. }
        ));
        assert!(matches!(refuse("http://0x7f.1/"), Refusal::Address { .. }));
        assert!(matches!(refuse("file:///etc/passwd"), Refusal::Scheme(_)));
        assert_eq!(
            refuse("http://127.0.0.1:8080/").to_string(),
            "127.0.0.1 is a loopback address"
        );
        assert_eq!(
            refuse("http://[::1]/").to_string(),
            "[::1] is a loopback address"
        );
        assert!(
            policy
                .check_url(&Url::parse("https://www.bls.gov/").unwrap())
                .is_ok()
        );
    }

    #[test]
    fn resolved_addresses_keep_only_the_public_ones() {
        let policy = NetPolicy::default();
        let addrs = vec![
            "127.0.0.1:80".parse().unwrap(),
            "93.184.215.14:80".parse().unwrap(),
        ];
        assert_eq!(
            policy
                .filter_resolved("mixed.example", addrs)
                .unwrap()
                .len(),
            1
        );
        let err = policy
            .filter_resolved("localhost", vec!["127.0.0.1:80".parse().unwrap()])
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "localhost resolves to 127.0.0.1, a loopback address"
        );
    }
}
