"""Validate emulator answers against Zoho's official OpenAPI files (the `v8.0` folder of github.com/zoho/crm-oas).

The files are not in this repository: Zoho's repository has no licence file, so we do not redistribute them.
`ZOHO_OAS_DIR` names the folder that holds them, else `../shared/zoho-oas-v8` beside the checkout (how the
project's machines and CI lay them out). Without them the conformance tests skip with a message saying how to
get them, except on CI (`CI=true`), where a missing folder fails the run (docs/emulator.md, "OpenAPI files").

Cross-file `$ref`s are absolute raw.githubusercontent.com URLs: a `referencing` registry resolves them to the
local files, never the network. Loosenings:
* a property not listed as `required` may be null (the README there: the files rarely say `nullable`);
* `oneOf` is read as `anyOf`: the files put loose, overlapping schemas (no required keys) under `oneOf`, so a
  strict reading would reject every body that happens to fit two branches;
* `pattern` is ignored: the files carry regexes cut from one example (a user's email must match
  `[a-z0-9]{9}[@][a-z0-9]{5}[.]com`);
* `required` is enforced on error objects and write results, but not on data read with GET (records, notes,
  modules, fields, users, org): there the files require every key of one full example (60+ keys per module
  and 80 per field, nested objects included), which no answer filtered by `fields`, and no list call, carries.
  Types, enums and envelopes of those payloads are still checked.
A status the operation does not document is checked against the operation's `200` schema, which in these
files is a union of the success wrapper and `API_Exception`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

REPO = Path(__file__).resolve().parents[2]
ENV_VAR = "ZOHO_OAS_DIR"
DEFAULT_DIR = REPO.parent / "shared" / "zoho-oas-v8"
SOURCE = "https://github.com/zoho/crm-oas"
BASE = "https://raw.githubusercontent.com/Zohocorp-Pvt-Ltd/crm-oas/refs/heads/main/v8.0/"


def oas_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """Where the OpenAPI files are: $ZOHO_OAS_DIR when set, else ../shared/zoho-oas-v8 beside the checkout."""
    configured = environ.get(ENV_VAR, "").strip()
    return Path(configured).expanduser() if configured else DEFAULT_DIR


OAS_DIR = oas_dir()


def available() -> bool:
    return (OAS_DIR / "record.json").is_file()


def missing_reason(folder: Path | None = None) -> str:
    """What a contributor reads when the files are not there: where they were looked for and how to get them."""
    folder = OAS_DIR if folder is None else folder
    return (f"Zoho's OpenAPI files are not at {folder} (no record.json there). They are not vendored (Zoho's "
            f"repository has no licence file). Get them with `git clone {SOURCE}` and point {ENV_VAR} at its "
            f"`v8.0` folder (e.g. `export {ENV_VAR}=$PWD/crm-oas/v8.0`), or copy that folder to "
            f"{DEFAULT_DIR}. See docs/emulator.md, \"OpenAPI files\".")


def on_ci(environ: Mapping[str, str] = os.environ) -> bool:
    return environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def require() -> None:
    """Skip the calling test when the files are missing; on CI fail it instead, so a lost folder is noticed."""
    if available():
        return
    if on_ci():
        pytest.fail(f"CI=true and {missing_reason()}", pytrace=False)
    pytest.skip(missing_reason())


@cache
def document(name: str, keep_required: bool = True) -> dict[str, Any]:
    return _loosen(json.loads((OAS_DIR / name).read_text()), keep_required)


def _loosen(node: Any, keep_required: bool) -> Any:
    if isinstance(node, list):
        return [_loosen(v, keep_required) for v in node]
    if not isinstance(node, dict):
        return node
    out = {("anyOf" if k == "oneOf" else k): _loosen(v, keep_required) for k, v in node.items()
           if (keep_required or k != "required") and not (k == "pattern" and isinstance(v, str))}
    props = out.get("properties")
    if isinstance(props, dict):
        required = set(out.get("required") or ())
        out["properties"] = {k: v if k in required else {"anyOf": [v, {"enum": [None]}]} for k, v in props.items()}
    return out


@cache
def _registry(keep_required: bool) -> Registry:
    def retrieve(uri: str) -> Resource:
        return Resource.from_contents(document(uri.removeprefix(BASE), keep_required),
                                      default_specification=DRAFT4)

    return Registry(retrieve=retrieve)


def find_operation(method: str, path: str) -> tuple[str, dict[str, Any]]:
    """The OAS file and operation object for e.g. ("GET", "/crm/v8/{module_api_name}")."""
    for file in sorted(OAS_DIR.glob("*.json")):
        op = document(file.name).get("paths", {}).get(path, {}).get(method.lower())
        if op:
            return file.name, op
    raise KeyError(f"no operation {method} {path} in {OAS_DIR}")


def schema_errors(method: str, path: str, status: int, body: Any) -> list[str]:
    """Every schema violation of `body` for that operation and status (empty when it conforms)."""
    name, op = find_operation(method, path)
    responses = op["responses"]
    key = str(status) if str(status) in responses else "200"
    response, pointer = responses.get(key, {}), f"/paths/{_escape(path)}/{method.lower()}/responses/{key}"
    if "$ref" in response:  # e.g. "#/components/responses/Users"
        pointer = response["$ref"].lstrip("#")
        response = _at(document(name), pointer)
    content = response.get("content", {}).get("application/json")
    if content is None:
        return [] if body is None else [f"{method} {path} {status}: OAS documents no JSON body"]
    pointer += "/content/application~1json/schema"
    refs = [f"{BASE}{name}#{quote(p, safe='/~')}" for p in _branches(content["schema"], pointer, body)]
    is_error = isinstance(body, dict) and body.get("status") == "error"
    validator = OAS30Validator({"anyOf": [{"$ref": r} for r in refs]},
                               registry=_registry(method != "GET" or is_error))
    return [_describe(e) for e in validator.iter_errors(body)]


def _branches(schema: dict[str, Any], pointer: str, body: Any) -> list[str]:
    """A top-level union is split by the body's kind: an error envelope must fit the `*Exception` branches,
    anything else the others (every branch is loose enough to accept the other kind)."""
    union = schema.get("anyOf")
    if not union:
        return [pointer]
    is_error = isinstance(body, dict) and body.get("status") == "error"
    picked = [f"{pointer}/anyOf/{i}" for i, b in enumerate(union)
              if ("Exception" in str(b.get("$ref", ""))) == is_error]
    return picked or [pointer]


def _describe(err: Any) -> str:
    """The deepest cause of a union failure: that is the line a reader needs."""
    while err.context:
        err = max(err.context, key=lambda e: len(e.absolute_path))
    return f"{'/'.join(map(str, err.absolute_path)) or '(body)'}: {err.message[:300]}"


def _at(doc: dict[str, Any], pointer: str) -> Any:
    node: Any = doc
    for part in pointer.strip("/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")
