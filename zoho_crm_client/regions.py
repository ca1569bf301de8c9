"""Data centres x environments -> hosts (docs/zoho-api.md section 1.1), and the rules for trusting a URL."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from zoho_crm_client.errors import ConfigError


@dataclass(frozen=True)
class DataCentre:
    accounts: str
    production: str
    sandbox: str
    developer: str
    file_upload: str

    def api_domain(self, environment: str) -> str:
        return {"Production": self.production, "Sandbox": self.sandbox, "Developer": self.developer}[environment]

    @property
    def api_domains(self) -> frozenset[str]:
        return frozenset((self.production, self.sandbox, self.developer))


def _dc(tld: str, accounts_tld: str | None = None, upload: str | None = None) -> DataCentre:
    return DataCentre(
        accounts=f"https://accounts.{accounts_tld or 'zoho.' + tld}",
        production=f"https://www.zohoapis.{tld}",
        sandbox=f"https://sandbox.zohoapis.{tld}",
        developer=f"https://developer.zohoapis.{tld}",
        file_upload=upload or f"https://content.zohoapis.{tld}",
    )


# Section 1.1, CONFIRMED from the official SDK's dc/*.py. CA's accounts host is zohocloud.ca, not zoho.ca.
REGIONS: dict[str, DataCentre] = {
    "US": _dc("com"),
    "EU": _dc("eu"),
    "IN": _dc("in"),
    "AU": _dc("com.au"),
    "CN": _dc("com.cn"),
    "JP": _dc("jp"),
    "CA": _dc("ca", accounts_tld="zohocloud.ca", upload="https://upload.zohocloud.ca"),
    "SA": _dc("sa", upload="https://files.zoho.sa"),
}

ENVIRONMENTS = ("Production", "Sandbox", "Developer")

# Values other Zoho configs use for the same data centre (domain suffixes, as in the SDKs and older connectors).
REGION_ALIASES = {"COM": "US", "USA": "US", "EUROPE": "EU", "INDIA": "IN", "COM.AU": "AU", "AUSTRALIA": "AU",
                  "COM.CN": "CN", "CHINA": "CN", "JAPAN": "JP", "CANADA": "CA", "ZOHOCLOUD.CA": "CA",
                  "SAUDI": "SA"}


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str, key: str) -> str:
    """`url` without a trailing slash; plain http only for loopback hosts (a token must never cross in clear)."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError on a port outside 0..65535
    except ValueError as exc:  # "Invalid IPv6 URL" (an unclosed bracket), "Port out of range"
        raise ConfigError(f"{key} is not a valid URL ({exc}): {url!r}; e.g. https://www.zohoapis.com") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{key} must be an absolute http(s) URL, got {url!r}")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ConfigError(f"{key} must use https (plain http is accepted only for 127.0.0.1, ::1 or localhost)")
    return url.strip().rstrip("/")


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()
