"""The ml-api's monitoring dashboard in Streamlit (README, "Streamlit dashboard"): reads the API's
JSON endpoints with an API token (MLAPI_URL, MLAPI_TOKEN; scope `metrics:read`).

    .venv-streamlit/bin/streamlit run dashboards/streamlit/app.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import streamlit as st

# `streamlit run` puts the script's folder on sys.path, AppTest does not: the modules beside it.
sys.path.insert(0, str(Path(__file__).resolve().parent))

import frames  # noqa: E402
import panels  # noqa: E402
from mlapi_client import ApiProblem, Client  # noqa: E402

st.set_page_config(page_title="ml-api monitoring", layout="wide")
st.title("ml-api monitoring")

client = Client(os.environ.get("MLAPI_URL", "http://127.0.0.1:3000"), os.environ.get("MLAPI_TOKEN") or None)

try:
    models = client.get("/monitoring/models")
except ApiProblem as problem:
    st.error(str(problem))
    st.stop()

if not models:
    st.info(
        "No model in service yet: train one and move an alias to it "
        "(POST /training-jobs, then PUT /models/{name}/aliases/production)."
    )
    st.stop()

with st.sidebar:
    model = st.selectbox("Model", [m["name"] for m in models], key="model")
    range_label = st.selectbox("Range", list(frames.RANGES), index=2, key="range")
    auto = st.toggle("Auto-refresh", value=False, key="auto_refresh")
    every = st.number_input("Every (seconds)", min_value=5, max_value=600, value=30, step=5, key="refresh_seconds")
    versions = next(m["versions"] for m in models if m["name"] == model)
    st.caption(
        "Versions in service: " + ", ".join(f"v{v['version']} ({', '.join(v['aliases'])})" for v in versions)
    )


@st.fragment(run_every=every if auto else None)
def dashboard() -> None:
    # Each run (a refresh included) reads the range up to now.
    rng = frames.range_params(range_label)
    panels.traffic(client, model, rng)
    panels.drift(client, model, rng)
    left, right = st.columns(2)
    with left:
        panels.data_quality(client, model, rng)
    with right:
        panels.performance(client, model, rng)
    panels.alerts(client, model)


dashboard()
