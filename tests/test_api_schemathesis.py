"""schemathesis over the OpenAPI description (the stream excluded): generated requests, valid and
not, to every command and query, as a seat nobody holds and as the director of a real exercise.
Every answer must be documented (status, content type, body schema) and none may be a server
error. Bounded: a few examples per operation, derandomized, well under a minute."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .exercises import Server, server

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# The schema is read at collection time, so the server is made then, over a store in a folder
# that lives as long as the test session.
_FOLDER = tempfile.TemporaryDirectory(prefix="csto-fuzz-")
SERVED: Server = server(Path(_FOLDER.name))
EXERCISE, _LINKS = SERVED.create()
_CLIENT = TestClient(SERVED.app)
CSRF = _CLIENT.post("/api/join", json={"token": _LINKS["DIRECTOR"].rsplit("/", 1)[1]}).json()[
    "csrf"
]
COOKIES = dict(_CLIENT.cookies.items())
schema = schemathesis.openapi.from_asgi("/openapi.json", SERVED.app).exclude(path_regex=r"/stream$")


@schema.parametrize()
@settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_every_answer_is_documented_and_none_is_a_server_error(case: schemathesis.Case) -> None:
    exercise, cookies, csrf = EXERCISE, COOKIES, CSRF
    as_director = "exercise_id" in (case.path_parameters or {}) and hash(str(case.body)) % 3 != 0
    if as_director:
        case.path_parameters = {**(case.path_parameters or {}), "exercise_id": exercise}
    case.call_and_validate(
        checks=CHECKS,
        headers={"X-CSRF-Token": csrf} if as_director else None,
        cookies=cookies if as_director else None,
    )
