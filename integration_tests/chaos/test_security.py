"""Security (issue 7 item 9): the access token only ever goes to the configured region's API domain.

Zoho's token response names an `api_domain`; a client that follows it blindly hands the token to whoever
answered the token call. Here a stand-in accounts server names a second local server, the trap, as its
api_domain: the source must refuse, say why, and the trap must see nothing. The secret scan itself runs on
every scenario of the suite (the `scenario` fixture, conftest.py).
"""

from __future__ import annotations

from integration_tests.chaos.expect import clean_error
from integration_tests.chaos.scenario import Scenario
from integration_tests.chaos.stand_in import Answer, serve, stand_in_config, token_answer
from integration_tests.chaos.verdict import Verdict

ACCESS_TOKEN = "1000.chaosaccesstoken0000000000.trap0000000000000000000000"


def test_an_api_domain_outside_the_region_never_receives_the_access_token(scenario: Scenario) -> None:
    scenario.secrets["served access_token"] = ACCESS_TOKEN
    with serve(lambda *_: Answer.json({"users": []})) as trap, serve(
            lambda *_: token_answer(ACCESS_TOKEN, trap.url)) as accounts:
        run = scenario.recorder.run("source-zoho-crm", "check", config=stand_in_config(accounts.url))
    message = clean_error(run)
    assert "api_domain" in message, message
    assert accounts.seen, "the token endpoint was never called: the scenario did not test anything"
    assert trap.seen == [], f"the access token went to an untrusted api_domain: {trap.seen}"
    scenario.report("token answer names a foreign api_domain", Verdict(1, 1), note="refused; token not sent",
                    name="security: api_domain outside region")
