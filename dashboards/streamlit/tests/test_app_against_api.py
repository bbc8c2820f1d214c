"""The dashboard run by Streamlit's AppTest against a running ml-api (MLAPI_URL, MLAPI_TOKEN).

test/e2e/streamlit.e2e-spec.ts starts the app with a served model, traffic and a computed window,
runs this file with .venv-streamlit's python, and compares what each scenario rendered (written as
JSON to APPTEST_REPORT_DIR/<scenario>.json) with the API's own answers. The checks here are the
ones that need no knowledge of the data.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app.py"
REPORT_DIR = Path(os.environ.get("APPTEST_REPORT_DIR", "."))


def render(monkeypatch: pytest.MonkeyPatch, **env: str | None) -> AppTest:
    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def table(df: Any) -> list[dict[str, Any]]:
    return json.loads(df.to_json(orient="records", date_format="iso", double_precision=15))


def report(name: str, at: AppTest) -> dict[str, Any]:
    seen = {
        "errors": [e.value for e in at.error],
        "warnings": [w.value for w in at.warning],
        "infos": [i.value for i in at.info],
        "subheaders": [h.value for h in at.subheader],
        "models": list(at.selectbox(key="model").options) if _has(at, "model") else None,
        "model": at.selectbox(key="model").value if _has(at, "model") else None,
        "metrics": [{"label": m.label, "value": m.value, "delta": m.delta} for m in at.metric],
        "tables": [{"columns": list(d.value.columns), "rows": table(d.value)} for d in at.dataframe],
    }
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    (REPORT_DIR / f"{name}.json").write_text(json.dumps(seen, indent=1))
    return seen


def _has(at: AppTest, key: str) -> bool:
    return any(s.key == key for s in at.selectbox)


def test_renders_the_served_models_panels(monkeypatch: pytest.MonkeyPatch) -> None:
    at = render(monkeypatch)
    seen = report("metrics_read", at)
    assert seen["errors"] == []
    assert seen["models"], "the model picker lists the models in service"
    assert {"Drift per feature", "Data quality", "Estimated and realised quality"} <= set(seen["subheaders"])


def test_every_range_renders(monkeypatch: pytest.MonkeyPatch) -> None:
    at = render(monkeypatch)
    for label in at.selectbox(key="range").options:
        at.selectbox(key="range").select(label).run()
        assert not at.exception, (label, [e.value for e in at.exception])
        assert [e.value for e in at.error] == [], label
    at.toggle(key="auto_refresh").set_value(True).run()
    assert not at.exception
    report("last_range_auto_refresh", at)


def test_a_refused_token_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = report("refused", render(monkeypatch, MLAPI_TOKEN="not-a-valid-token"))
    assert len(seen["errors"]) == 1 and "refused" in seen["errors"][0]
    assert seen["models"] is None


def test_a_missing_token_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = report("missing", render(monkeypatch, MLAPI_TOKEN=None))
    assert len(seen["errors"]) == 1 and "MLAPI_TOKEN is not set" in seen["errors"][0]


def test_an_unreachable_api_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = report("unreachable", render(monkeypatch, MLAPI_URL=os.environ["MLAPI_UNREACHABLE_URL"]))
    assert len(seen["errors"]) == 1 and "Cannot reach the API" in seen["errors"][0]


def test_a_scientists_token_shows_the_alerts(monkeypatch: pytest.MonkeyPatch) -> None:
    # A person's access token works as MLAPI_TOKEN too.
    seen = report("scientist", render(monkeypatch, MLAPI_TOKEN=os.environ["MLAPI_SCIENTIST_TOKEN"]))
    assert seen["errors"] == []
    assert any("state" in t["columns"] and "ruleName" in t["columns"] for t in seen["tables"])
