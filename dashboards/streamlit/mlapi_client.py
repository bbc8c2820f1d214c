"""The ml-api's JSON endpoints, read with an API token; every failure becomes an ApiProblem whose
message tells a person what to do (the app shows it as it is)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests

TOKEN_HINT = (
    "Create an API token with the `metrics:read` scope as an admin "
    '(`POST /api-tokens {"name": "streamlit", "scopes": ["metrics:read"]}`) '
    "and start the app with MLAPI_TOKEN=<token>."
)


class ApiProblem(Exception):
    """What went wrong, for a person. `kind`: missing_token, refused, forbidden, unreachable,
    route_missing, not_found or failed."""

    def __init__(self, kind: str, message: str, status: int | None = None, code: str | None = None, said: str = ""):
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.code = code
        # The API's own message, when it answered.
        self.said = said


@dataclass(frozen=True)
class Client:
    url: str
    token: str | None
    timeout: float = 10.0

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        if not self.token:
            raise ApiProblem("missing_token", f"MLAPI_TOKEN is not set. {TOKEN_HINT}")
        target = self.url.rstrip("/") + path
        try:
            res = requests.get(
                target,
                params={k: v for k, v in (params or {}).items() if v is not None},
                headers={"Authorization": f"Bearer {self.token}", "Accept": "application/json"},
                timeout=self.timeout,
            )
        except requests.RequestException as e:
            raise ApiProblem(
                "unreachable",
                f"Cannot reach the API at {self.url} ({type(e).__name__}): is it running, "
                "and is MLAPI_URL its address?",
            ) from e
        if res.ok:
            return res.json()
        raise _problem(res, path)


def _problem(res: requests.Response, path: str) -> ApiProblem:
    try:
        body = res.json()
    except ValueError:
        body = {}
    code = body.get("code") if isinstance(body, dict) else None
    said = body.get("message", res.reason) if isinstance(body, dict) else res.reason
    status = res.status_code
    if status == 401:
        return ApiProblem(
            "refused",
            f"The API refused MLAPI_TOKEN (401 {code or ''}: {said}): it is invalid, expired or "
            f"revoked. {TOKEN_HINT}",
            status,
            code,
        )
    if status == 403:
        return ApiProblem("forbidden", f"The token may not read {path} (403 {code or ''}: {said}).", status, code, said)
    # A route the API does not have answers 404 without a module's code; a model it does not
    # know answers 404 with one (registry.model_not_found).
    if status == 404 and not code:
        return ApiProblem("route_missing", f"This API has no route {path} ({said}).", status)
    if status == 404:
        return ApiProblem("not_found", f"{said} ({code}).", status, code)
    return ApiProblem("failed", f"{path} answered {status} {code or ''}: {said}", status, code)
