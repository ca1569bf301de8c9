"""Answers that are not Zoho's JSON (issue 7 item 8): a clear error after bounded retries, never a traceback.

A stand-in server (stand_in.py) plays the accounts server, whose api_domain is itself, and answers every API
call with one kind of garbage. The source's `check` must end FAILED with a readable message.
"""

from __future__ import annotations

import pytest

from integration_tests.chaos.expect import clean_error
from integration_tests.chaos.scenario import Scenario
from integration_tests.chaos.stand_in import Answer, serve, stand_in_config, token_answer
from integration_tests.chaos.verdict import Verdict

ACCESS_TOKEN = "1000.chaosaccesstoken0000000000.garbage000000000000000000"
MAX_RETRIES = 2

GARBAGE = {
    "HTML error page": Answer(502, b"<html><body><h1>502 Bad Gateway</h1>nginx</body></html>", "text/html"),
    "truncated body": Answer(200, b'{"users": [{"id": "5725767000000411001", "full_na', declared_length=400),
    "200 carrying an error body": Answer.json(
        {"code": "INTERNAL_ERROR", "details": {}, "message": "Internal Server Error", "status": "error"}),
}


@pytest.mark.parametrize("case", list(GARBAGE))
def test_an_answer_that_is_not_json_gives_a_clear_error(scenario: Scenario, case: str) -> None:
    scenario.secrets["served access_token"] = ACCESS_TOKEN

    def answer(method: str, path: str, base_url: str) -> Answer:
        return token_answer(ACCESS_TOKEN, base_url) if path.startswith("/oauth/") else GARBAGE[case]

    with serve(answer) as zoho:
        config = {**stand_in_config(zoho.url), "retry_base_seconds": 0.01, "max_retries": MAX_RETRIES}
        run = scenario.recorder.run("source-zoho-crm", "check", config=config)
    api_calls = [s for s in zoho.seen if not s.startswith("POST /oauth/")]
    message = clean_error(run)
    scenario.report(case, Verdict(1, 1), note=f"clear error after {len(api_calls)} calls",
                    name="bad answer from Zoho (source check)")
    assert "Zoho" in message, message
    assert api_calls, "the stand-in was never asked: the scenario did not test anything"
    assert len(api_calls) <= 2 * (MAX_RETRIES + 1), f"unbounded retries: {api_calls}"
