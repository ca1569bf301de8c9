"""The "Authenticate your Zoho CRM account" button: the spec's declarative OAuth, driven as the Airbyte platform
drives it, against the emulator's consent page and token endpoint, ending in a config that syncs.

The platform renders `consent_url` and `access_token_url` (Jinja) with the user's `dc_region` and its own
`*_param` values, sends the browser to the consent URL, receives the redirect with `code`, calls the access-token
URL and copies `extract_output` into the config. Here the rendered Zoho host is checked for the data centre and
then pointed at the emulator, which stands in for that accounts server (docs/zoho-api/oauth.md).
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlencode, urlsplit

import jinja2
import pytest
import requests
from airbyte_cdk.models import ConnectorSpecificationSerializer

from integration_tests.harness import Emulator, configured_catalog, run_connector
from source_zoho_crm.spec import specification
from zoho_crm_emulator import credentials

REDIRECT_URI = "https://cloud.airbyte.example/auth_flow"
STATE = "airbyte-state-7"


@pytest.fixture(scope="module")
def emu():
    with Emulator(records=30) as emulator:
        yield emulator


def oauth_spec() -> dict:
    spec = ConnectorSpecificationSerializer.dump(specification())
    return spec["advanced_auth"]["oauth_config_specification"]


def render(template: str, dc_region: str, **params: str) -> str:
    """As the platform's declarative OAuth does: `{{x_param}}` is `name=value`, URL-encoded."""
    names = {"client_id": "client_id", "client_secret": "client_secret", "redirect_uri": "redirect_uri",
             "scopes": "scope", "state": "state", "auth_code": "code"}
    values = {f"{key}_param": urlencode({names[key]: value}) for key, value in params.items()}
    return jinja2.Environment().from_string(template).render(dc_region=dc_region, **values)


def on_emulator(url: str, emu: Emulator, accounts_host: str) -> str:
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == accounts_host, url
    return f"{emu.url}{parts.path}?{parts.query}"


@pytest.mark.parametrize(("dc_region", "accounts_host"), [
    ("US", "https://accounts.zoho.com"),
    ("EU", "https://accounts.zoho.eu"),
    ("CA", "https://accounts.zohocloud.ca"),  # not zoho.ca (Zoho's multi-DC page)
])
def test_given_a_data_centre_when_the_oauth_button_is_used_then_the_config_it_makes_syncs(
        emu: Emulator, dc_region: str, accounts_host: str) -> None:
    spec = oauth_spec()
    connector = spec["oauth_connector_input_specification"]
    scopes = ",".join(s["scope"] for s in connector["scopes"])

    consent = render(connector["consent_url"], dc_region, client_id=credentials.CLIENT_ID,
                     redirect_uri=REDIRECT_URI, scopes=scopes, state=STATE)
    answer = requests.get(on_emulator(consent, emu, accounts_host), allow_redirects=False, timeout=10)
    assert answer.status_code == 302
    back = urlsplit(answer.headers["Location"])
    query = {k: v[0] for k, v in parse_qs(back.query).items()}
    assert f"{back.scheme}://{back.netloc}{back.path}" == REDIRECT_URI and query["state"] == STATE
    assert query["accounts-server"] == emu.url and query["location"] == "us"  # Zoho's multi-DC answer

    token_url = render(connector["access_token_url"], dc_region, client_id=credentials.CLIENT_ID,
                       client_secret=credentials.CLIENT_SECRET, auth_code=query["code"], redirect_uri=REDIRECT_URI)
    tokens = requests.post(on_emulator(token_url, emu, accounts_host), timeout=10).json()
    output = {key: tokens[key] for key in connector["extract_output"]}

    paths = spec["complete_oauth_output_specification"]["properties"]
    config = {**emu.config(dc_region=dc_region), "refresh_token": "placeholder"}
    for key, value in output.items():
        config[paths[key]["path_in_connector_config"][0]] = value
    checked = run_connector("source-zoho-crm", "check", config=config)
    discovered = run_connector("source-zoho-crm", "discover", config={**config, "modules": ["Leads"]})
    catalog = configured_catalog(discovered.of_type("CATALOG")[0]["catalog"]["streams"], names=["Leads"])
    read = run_connector("source-zoho-crm", "read", config=config, catalog=catalog)

    status = checked.of_type("CONNECTION_STATUS")[0]["connectionStatus"]
    assert status["status"] == "SUCCEEDED", json.dumps(status)
    assert read.returncode == 0 and not read.traces("ERROR")
    live = {r["id"] for r in read.records("Leads") if not r.get("_ab_cdc_deleted_at")}
    assert live == {r["id"] for r in emu.records("Leads")["live"]}


def test_a_grant_code_is_refused_at_another_redirect_uri_and_works_once(emu: Emulator) -> None:
    consent = (f"{emu.url}/oauth/v2/auth?"
               + urlencode({"response_type": "code", "client_id": credentials.CLIENT_ID, "scope": "ZohoCRM.modules.READ",
                            "redirect_uri": REDIRECT_URI}))
    code = parse_qs(urlsplit(requests.get(consent, allow_redirects=False, timeout=10).headers["Location"]).query)["code"][0]
    form = {"grant_type": "authorization_code", "client_id": credentials.CLIENT_ID,
            "client_secret": credentials.CLIENT_SECRET, "code": code}

    elsewhere = requests.post(f"{emu.url}/oauth/v2/token", data={**form, "redirect_uri": "https://evil.example/cb"},
                              timeout=10).json()
    again = requests.post(f"{emu.url}/oauth/v2/token", data={**form, "redirect_uri": REDIRECT_URI}, timeout=10).json()

    assert elsewhere == {"error": "invalid_code"} and again == {"error": "invalid_code"}
