"""`ZohoConfig`: the connector config keys of design.md, validated once; errors name the key to fix."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zoho_crm_client.errors import ConfigError
from zoho_crm_client.limits import EDITION_CONCURRENCY
from zoho_crm_client.regions import ENVIRONMENTS, REGION_ALIASES, REGIONS, DataCentre, check_url

# The keys ZohoConfig reads; a connector's own keys come from its spec (unknown_keys below).
CLIENT_KEYS = frozenset({"client_id", "client_secret", "refresh_token", "dc_region", "environment", "accounts_url",
                         "api_url", "max_concurrent_requests", "edition", "api_credit_budget", "retry_base_seconds",
                         "retry_max_seconds", "max_retries", "request_timeout_seconds",
                         "retry_unreachable"})


@dataclass(frozen=True)
class ZohoConfig:
    client_id: str
    client_secret: str = field(repr=False)
    refresh_token: str = field(repr=False)
    dc_region: str = "US"
    environment: str = "Production"
    accounts_url: str | None = None
    api_url: str | None = None
    max_concurrent_requests: int | None = None
    edition: str | None = None  # the older Airbyte source's key; spares the GET org call for the in-flight limit
    api_credit_budget: int | None = None
    retry_base_seconds: float = 5.0  # section 11.2: start 5 s
    retry_max_seconds: float = 300.0  # section 11.2: cap 5 min
    max_retries: int = 6
    request_timeout_seconds: float = 60.0
    # False for a connector's `check`: a server that refuses the connection is reported at once instead of after
    # max_retries backoffs (minutes), since a person is waiting and nothing is listening there
    retry_unreachable: bool = True

    @classmethod
    def from_mapping(cls, config: Mapping[str, Any]) -> ZohoConfig:
        return cls(
            client_id=_required(config, "client_id"),
            client_secret=_required(config, "client_secret"),
            refresh_token=_required(config, "refresh_token"),
            dc_region=_region(config.get("dc_region") or "US"),
            environment=_environment(config.get("environment") or "Production"),
            accounts_url=_url(config, "accounts_url"),
            api_url=_url(config, "api_url"),
            max_concurrent_requests=_number(config, "max_concurrent_requests", int, minimum=1),
            edition=_edition(config.get("edition")),
            api_credit_budget=_number(config, "api_credit_budget", int, minimum=1),
            retry_base_seconds=_number(config, "retry_base_seconds", float, minimum=0, default=5.0),
            retry_max_seconds=_number(config, "retry_max_seconds", float, minimum=0, default=300.0),
            max_retries=_number(config, "max_retries", int, minimum=0, default=6),
            request_timeout_seconds=_number(config, "request_timeout_seconds", float, minimum=1, default=60.0),
            retry_unreachable=config.get("retry_unreachable", True) is not False,
        )

    @property
    def data_centre(self) -> DataCentre:
        return REGIONS[self.dc_region]

    @property
    def token_url(self) -> str:
        return f"{self.accounts_url or self.data_centre.accounts}/oauth/v2/token"

    @property
    def secrets(self) -> tuple[str, ...]:
        return (self.client_secret, self.refresh_token)


def _required(config: Mapping[str, Any], key: str) -> str:
    value = config.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{key} is required (a non-empty string from the Zoho API console)")
    return value.strip()


def _region(value: Any) -> str:
    name = str(value).strip().upper()
    name = REGION_ALIASES.get(name, name)
    if name not in REGIONS:
        raise ConfigError(f"dc_region must be one of {', '.join(REGIONS)}, got {value!r}")
    return name


def _environment(value: Any) -> str:
    for name in ENVIRONMENTS:
        if str(value).strip().lower() == name.lower():
            return name
    raise ConfigError(f"environment must be one of {', '.join(ENVIRONMENTS)}, got {value!r}")


def _edition(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if str(value).strip().lower() not in EDITION_CONCURRENCY:
        raise ConfigError(f"edition must be one of {', '.join(EDITION_CONCURRENCY)}, got {value!r}")
    return str(value).strip().lower()


def _url(config: Mapping[str, Any], key: str) -> str | None:
    value = config.get(key)
    return check_url(str(value), key) if value else None


def _number(config: Mapping[str, Any], key: str, kind: type, *, minimum: float, default: Any = None) -> Any:
    value = config.get(key)
    if value is None or value == "":
        return default
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{key} must be a number, got {value!r}") from None
    if isinstance(value, bool) or number < minimum:
        raise ConfigError(f"{key} must be at least {minimum}, got {value!r}")
    return number


def canonical_spelling(config: Mapping[str, Any], properties: Mapping[str, Any]) -> dict[str, Any]:
    """`config` with each top-level string that names an enum member of its property in another case spelled as
    the spec spells it (`free` -> `Free`, `eu` -> `EU`): the client reads these keys in any case, and a config
    saved with an older spelling stays valid against the spec (docs/source-migrations.md)."""
    out = dict(config)
    for key, value in config.items():
        members = (properties.get(key) or {}).get("enum") if isinstance(properties.get(key), Mapping) else None
        if isinstance(value, str) and isinstance(members, list) and value not in members:
            out[key] = next((m for m in members if isinstance(m, str) and m.casefold() == value.casefold()), value)
    return out
def read_json_file(path: str, option: str) -> Any:
    """The JSON value in the file given as `option` (`--config`, `--state`, `--catalog`); a ConfigError says
    which file is unreadable and where, in words, instead of a parser's bare "Expecting value: line 1 column 14"."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else None
        raise ConfigError(f"the {option} file {path!r} cannot be read: {reason or exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"the {option} file {path!r} is not valid JSON: {exc.msg} at line {exc.lineno}, column "
                          f"{exc.colno}; fix the file") from None
    except RecursionError:
        raise ConfigError(f"the {option} file {path!r} nests JSON too deeply to be read") from None


def read_json_object(path: str, option: str) -> dict[str, Any]:
    """`read_json_file` for a file that must hold one JSON object (a config, a catalog)."""
    value = read_json_file(path, option)
    if not isinstance(value, dict):
        raise ConfigError(f"the {option} file {path!r} holds a JSON {_json_kind(value)}, not an object; "
                          "it must hold one JSON object ({...})")
    return value


def unknown_keys(config: Mapping[str, Any], known: Iterable[str]) -> list[str]:
    """One warning per top-level key nothing reads, naming the closest known key: a typo (`dc_regoin`) or a key
    of another tool (`sort_by`) would otherwise be ignored without a word."""
    known = sorted(set(known))
    out = []
    for key in sorted(k for k in config if k not in known):
        close = difflib.get_close_matches(str(key), known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(known)}"
        out.append(f"config key {key!r} is not a setting of this connector and is ignored{hint}")
    return out


def _json_kind(value: Any) -> str:
    kinds = {list: "array", str: "string", bool: "boolean", int: "number", float: "number", type(None): "null"}
    return kinds.get(type(value), type(value).__name__)
