"""Issue 12, security: a server that redirects, echoes the request back, or trickles its answer.

The gateway (gateway.py) sits where Zoho's hosts would be; a second one, the trap, stands for wherever a
redirect points. Each test asserts the exit status, the sentence the user reads (naming what to set), that the
trap saw nothing, and that no secret (client secret, refresh token, any access token) reaches stdout or stderr.
"""

from __future__ import annotations

from typing import Any

import pytest

from integration_tests.harness import Emulator, Run, run_connector
from integration_tests.hostile.gateway import Exchange, Reply, gateway
from integration_tests.hostile.security_scan import assert_no_secret
from zoho_crm_emulator import credentials

TOKEN_PATH = "/oauth/v2/token"


def check(connector: str, config: dict[str, Any]) -> tuple[Run, str]:
    run = run_connector(connector, "check", config=config, timeout=120)
    [status] = [m["connectionStatus"] for m in run.messages if m.get("type") == "CONNECTION_STATUS"]
    assert status["status"] == "FAILED", status
    return run, status["message"]


@pytest.mark.parametrize("connector", ["source-zoho-crm", "destination-zoho-crm"])
@pytest.mark.parametrize("status", [307, 308, 302])
def test_a_redirect_from_the_token_endpoint_is_never_followed_with_the_secret(emulator: Emulator, connector: str,
                                                                              status: int) -> None:
    with gateway(emulator.url, before=lambda e: Reply.json({"never": "asked"})) as trap, gateway(
            emulator.url, before=lambda e: Reply.redirect(trap.url + TOKEN_PATH, status)
            if e.path == TOKEN_PATH else None) as accounts:
        run, message = check(connector, emulator.config(accounts_url=accounts.url))
    assert accounts.count("POST", TOKEN_PATH) >= 1
    assert trap.seen == [], f"the token request followed the redirect: {trap.seen}"
    assert f"HTTP {status}" in message and "accounts_url" in message and trap.url in message, message
    assert run.returncode == 0  # a failed check is an answer, not a crash
    assert_no_secret(run)


def test_an_api_redirect_to_another_host_is_refused_and_the_token_stays_home(emulator: Emulator) -> None:
    def bounce(exchange: Exchange) -> Reply | None:
        return Reply.redirect(trap.url + exchange.path, 302) if exchange.path.startswith("/crm/") else None

    with gateway(emulator.url, before=lambda e: Reply.json({"users": []})) as trap, gateway(
            emulator.url, before=bounce) as api:
        run, message = check("source-zoho-crm", emulator.config(api_url=api.url))
    assert trap.seen == [], f"a call followed the redirect: {trap.seen}"
    assert "302" in message and "api_url" in message and trap.url in message, message
    assert_no_secret(run)


def test_a_write_redirected_with_307_is_not_reposted_elsewhere(emulator: Emulator) -> None:
    from integration_tests.destination.messages import catalog, record, state

    emulator.reset()
    leads = len(emulator.records("Leads")["live"])

    def bounce(exchange: Exchange) -> Reply | None:
        return Reply.redirect(trap.url + exchange.path) if exchange.method == "POST" and \
            exchange.path.startswith("/crm/") else None

    stdin = "".join(f"{__import__('json').dumps(m)}\n" for m in [
        record("Leads", {"Last_Name": "Redirected", "_zoho_operation": "create"}), state("Leads", 1)])
    with gateway(emulator.url, before=lambda e: Reply.json({"data": []})) as trap, gateway(
            emulator.url, before=bounce) as api:
        run = run_connector("destination-zoho-crm", "write", config=emulator.config(api_url=api.url),
                            catalog=catalog(("Leads", "append")), stdin=stdin, timeout=120)
    assert trap.seen == [], f"the records were re-posted to another host: {trap.seen}"
    assert run.returncode != 0
    [error] = [t["error"] for t in run.traces("ERROR")]
    assert "api_url" in error["message"] and "307" in error["message"], error
    assert not run.states(), "a STATE was echoed for a record that was not written"
    assert len(emulator.records("Leads")["live"]) == leads
    assert_no_secret(run)


def echo_form(exchange: Exchange) -> Reply | None:
    """An accounts server that quotes the posted form back in its error."""
    if exchange.path != TOKEN_PATH:
        return None
    return Reply.json({"error": "invalid_request",
                       "error_description": f"cannot process {exchange.body.decode()}"}, status=400)


def echo_header(exchange: Exchange) -> Reply | None:
    """An API host (or a proxy's error page) that quotes the Authorization header back."""
    if not exchange.path.startswith("/crm/"):
        return None
    token = exchange.headers.get("Authorization", "")
    return Reply.json({"code": "INVALID_REQUEST", "status": "error", "details": {"header": token},
                       "message": f"rejected request with Authorization: {token}"}, status=400)


@pytest.mark.parametrize("connector", ["source-zoho-crm", "destination-zoho-crm"])
@pytest.mark.parametrize("echo", [echo_form, echo_header], ids=["token-form", "auth-header"])
def test_an_error_that_quotes_the_request_is_printed_masked(emulator: Emulator, connector: str, echo) -> None:
    with gateway(emulator.url, before=echo) as host:
        run, message = check(connector, emulator.config(accounts_url=host.url, api_url=host.url))
    assert "****" in message, message  # the echo was printed, masked
    assert credentials.CLIENT_SECRET not in message
    assert_no_secret(run)


def test_a_body_that_trickles_a_byte_at_a_time_ends_at_the_deadline(emulator: Emulator) -> None:
    """Headers at once, then a byte every 0.2 s forever: each read succeeds, so only a total deadline ends it."""
    def trickle(exchange: Exchange) -> Reply | None:
        return Reply(200, headers={"Content-Type": "application/json"}, trickle_every=0.2) \
            if exchange.path.startswith("/crm/") else None

    with gateway(emulator.url, before=trickle) as api:
        run, message = check("source-zoho-crm", emulator.config(api_url=api.url, request_timeout_seconds=1,
                                                                max_retries=1))
    assert "request_timeout_seconds" in message and "not complete after 1 s" in message, message
    # check's first call (the module list) is tried once and retried once, each cut at its deadline
    assert api.count("GET", "/crm/v8/settings/modules") == 2
    assert_no_secret(run)
