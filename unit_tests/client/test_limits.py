from __future__ import annotations

import threading

import pytest

from zoho_crm_client.errors import CreditBudgetExhausted
from zoho_crm_client.limits import CreditLedger, InFlightLimiter, coql_cost, edition_concurrency, write_cost
from zoho_crm_client.metadata import edition_of


def test_credit_costs_of_section_11_3() -> None:
    assert [write_cost(n) for n in (1, 10, 11, 100)] == [1, 1, 2, 10]
    assert [coql_cost(n) for n in (200, 201, 1000, 1001, 2000)] == [1, 2, 2, 3, 3]


@pytest.mark.parametrize(("edition", "limit"), [("free", 5), ("Standard", 10), ("professional", 15),
                                                ("Enterprise", 20), ("ultimate", 25), ("Zoho One", 20),
                                                ("CRM Plus", 25), (None, 5), ("unheard-of", 5)])
def test_edition_concurrency_of_section_11_4(edition: str | None, limit: int) -> None:
    assert edition_concurrency(edition) == limit


def test_the_edition_lives_in_license_details() -> None:
    assert edition_of({"license_details": {"paid": True, "paid_type": "enterprise"}}) == "enterprise"
    assert edition_of({"license_details": {"paid": False, "paid_type": None}}) == "free"
    assert edition_of({}) is None


def test_heavy_calls_share_a_sub_limit_of_10_inside_the_general_limit() -> None:
    limiter = InFlightLimiter(25)
    inside, release = threading.Semaphore(0), threading.Event()

    def work() -> None:
        with limiter.slot(heavy=True):
            inside.release()
            release.wait(10)

    threads = [threading.Thread(target=work) for _ in range(12)]
    for t in threads:
        t.start()
    for _ in range(10):
        assert inside.acquire(timeout=5)
    with limiter.slot():  # a light call still gets through while heavy ones queue
        pass
    release.set()
    for t in threads:
        t.join(10)
    assert limiter.peak == 11  # 10 heavy + 1 light, although 25 general slots exist


def test_a_released_reservation_is_not_spent() -> None:
    ledger = CreditLedger(5)
    ledger.reserve("r", 3)
    ledger.count_call("r", 3, charged=False)  # a 429: Zoho did not count it
    ledger.reserve("r", 5)
    ledger.count_call("r", 5, charged=True)
    with pytest.raises(CreditBudgetExhausted, match="would cost 1 more"):
        ledger.reserve("r", 1)
    assert (ledger.stats.calls, ledger.stats.credits) == (2, 5)
