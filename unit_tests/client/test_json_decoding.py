"""The transport's fast JSON decoding reads every answer exactly as the stdlib parser (`resp.json()`) does."""

from __future__ import annotations

import json
import random

import pytest
import requests

from zoho_crm_client.transport import decode_json


def answer(body: bytes, content_type: str = "application/json;charset=UTF-8") -> requests.Response:
    resp = requests.Response()
    resp.status_code = 200
    resp._content = body
    resp.headers["Content-Type"] = content_type
    resp.encoding = requests.utils.get_encoding_from_headers(resp.headers)
    return resp


@pytest.mark.parametrize("number", [2**63 - 1, 2**63, 2**64 - 1, 2**64, 10**19, 10**20 + 7, -(2**63), -(2**63) - 1,
                                    -(10**19), 123456789012345678901234, -123456789012345678901234])
def test_given_an_integer_at_or_past_64_bits_when_decoded_then_it_is_that_integer(number: int) -> None:
    body = f'{{"data": [{{"id": "5725767000000411001", "Big": {number}}}], "info": {{}}}}'.encode()
    decoded = decode_json(answer(body))
    assert decoded["data"][0]["Big"] == number and type(decoded["data"][0]["Big"]) is int


def test_given_long_digit_strings_when_decoded_then_they_stay_strings() -> None:
    body = b'{"id": "57257670000004110011234", "Phone": "-1234567890123456789012"}'
    assert decode_json(answer(body)) == {"id": "57257670000004110011234", "Phone": "-1234567890123456789012"}


def test_given_random_decimals_when_decoded_then_every_float_is_the_stdlib_one() -> None:
    draw = random.Random(14)
    numbers = [f"{draw.uniform(-1e6, 1e6):.{draw.randint(1, 17)}f}" for _ in range(2000)]
    numbers += [f"{draw.random():.17e}" for _ in range(500)]
    numbers += ["2.2250738585072011e-308", "4.9e-324", "1.7976931348623157e308", "0.1", "-0.0", "1E2", "9007199254740993"]
    body = ("[" + ",".join(numbers) + "]").encode()
    assert decode_json(answer(body)) == json.loads(body)


@pytest.mark.parametrize("body", [b'{"a": NaN}', b'{"a": Infinity}', b'{"a": 1e400}', b'{"a": "\\ud800"}',
                                  b'{"a": 1, "a": 2}', '{"a": "Zoë"}'.encode()])
def test_given_what_the_fast_parser_refuses_when_decoded_then_the_stdlib_reading_stands(body: bytes) -> None:
    assert repr(decode_json(answer(body))) == repr(answer(body).json())


def test_given_a_declared_latin_1_body_when_decoded_then_it_is_read_as_declared() -> None:
    body = '{"City": "Zoë"}'.encode()
    resp = answer(body, "application/json; charset=ISO-8859-1")
    assert decode_json(resp) == resp.json() == {"City": "ZoÃ«"}


def test_given_a_body_that_is_not_json_when_decoded_then_value_error() -> None:
    with pytest.raises(ValueError):
        decode_json(answer(b"<html>502 Bad Gateway</html>"))
