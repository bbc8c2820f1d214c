"""The dashboard's panels. Each reads its endpoint and shows what went wrong inside the panel, so one
endpoint's refusal or absence (traffic) leaves the others standing; a refused token
(401) stops the page, since no panel can answer then."""

from __future__ import annotations

from typing import Any, Callable
from urllib.parse import quote

import altair as alt
import pandas as pd
import streamlit as st

import frames
from mlapi_client import ApiProblem, Client

# Colour-blind-safe sequential scheme for the heat map (Vega's viridis).
HEAT_SCHEME = "viridis"
HEAT_STATISTICS = ["psi", "jensen_shannon", "wasserstein", "ks", "drift"]


def model_path(model: str, what: str) -> str:
    return f"/monitoring/models/{quote(model, safe='')}/{what}"


def show_problem(p: ApiProblem) -> None:
    if p.kind in ("refused", "missing_token", "unreachable"):
        st.error(str(p))
        st.stop()
    (st.warning if p.kind in ("forbidden", "route_missing", "not_found") else st.error)(str(p))


def fetched(read: Callable[[], Any]) -> Any | None:
    """The answer, or None after showing why there is none (a refused token stops the page)."""
    try:
        return read()
    except ApiProblem as p:
        show_problem(p)
        return None


def newest_value(column: pd.Series, fmt: str) -> str:
    present = column.dropna()
    return format(present.iloc[-1], fmt) if len(present) else "–"


def traffic(client: Client, model: str, rng: dict[str, str]) -> None:
    st.subheader("Traffic")
    try:
        page = client.get(model_path(model, "traffic"), {**rng, "points": 60})
    except ApiProblem as p:
        if p.kind != "route_missing":
            show_problem(p)
            return
        st.info(
            "Traffic is not served by this API yet: GET /monitoring/models/{name}/traffic answered 404 "
            "for the route (it comes with the dashboard's traffic series). The other panels do not need it."
        )
        return
    df = frames.traffic(page)
    if df["requests"].fillna(0).sum() == 0:
        st.info(f"No traffic for {model} in this range yet: send a prediction with POST /models/{model}/predict.")
        return
    cols = st.columns(3)
    cols[0].metric("Requests", int(df["requests"].fillna(0).sum()))
    cols[1].metric("Error rate (newest)", newest_value(df["errorRate"], ".2%"))
    cols[2].metric("p95 latency (newest, ms)", newest_value(df["p95"], ".1f"))
    st.line_chart(df.set_index("t")[["rps"]], y_label="requests/s")
    st.line_chart(df.set_index("t")[["p50", "p95", "p99"]], y_label="latency (ms)")


def drift(client: Client, model: str, rng: dict[str, str]) -> None:
    st.subheader("Drift per feature")
    page = fetched(lambda: client.get(model_path(model, "drift"), {**rng, "points": 100}))
    if page is None:
        return
    points = frames.series_points(page)
    if points.empty:
        st.info(
            f"No drift results for {model} in this range: the window job computes them every "
            "MONITORING_WINDOW_INTERVAL_MS from served traffic, or POST the same path with {from, to}."
        )
        return
    present = [s for s in HEAT_STATISTICS if s in set(points["statistic"])]
    statistic = st.selectbox("Colour the heat map by", present, key="drift_statistic")
    cells = frames.heat_cells(points, statistic)
    base = alt.Chart(cells).encode(
        x=alt.X("window_end:T", title="window end"),
        y=alt.Y("feature:N", title=None),
        tooltip=["feature", "version", "window_end:T", "value", "verdict", "test", "threshold"],
    )
    heat = base.mark_rect().encode(color=alt.Color("value:Q", title=statistic, scale=alt.Scale(scheme=HEAT_SCHEME)))
    marks = base.mark_text(color="white").encode(text="drifted:N")
    st.altair_chart(heat + marks, use_container_width=True)
    st.caption("● the window's drift verdict is `drift` (its test's score crossed the threshold below).")
    st.dataframe(frames.newest_drift(points), hide_index=True)


def data_quality(client: Client, model: str, rng: dict[str, str]) -> None:
    st.subheader("Data quality")
    page = fetched(lambda: client.get(model_path(model, "data-quality"), {**rng, "points": 100}))
    if page is None:
        return
    table = frames.newest_quality(frames.series_points(page))
    if table.empty:
        st.info(f"No data-quality results for {model} in this range yet.")
        return
    st.dataframe(table, hide_index=True)


def performance(client: Client, model: str, rng: dict[str, str]) -> None:
    st.subheader("Estimated and realised quality")
    page = fetched(lambda: client.get(model_path(model, "performance"), {**rng, "points": 100, "windows": "all"}))
    if page is None:
        return
    df = frames.performance(page)
    if df.empty:
        st.info(f"No quality results for {model} in this range yet (estimates need a computed window).")
        return
    newest = df[df["window_end"] == df["window_end"].max()]
    cols = st.columns(max(len(newest), 1))
    for col, row in zip(cols, newest.itertuples()):
        realised = "" if pd.isna(row.realised) else f"realised {row.realised:.3f}"
        label = f"v{row.version} {row.metric} (estimated)"
        col.metric(label, f"{row.estimated:.3f}", realised or None, delta_color="off")
    if df["realised"].isna().all():
        st.caption("No realised figures yet: they come from feedback (POST /predictions/{id}/feedback).")
    long = df.melt(["version", "window_end", "metric"], ["estimated", "realised"], "kind", "score").dropna()
    chart = (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x="window_end:T", y=alt.Y("score:Q", scale=alt.Scale(zero=False)), color="metric:N", strokeDash="kind:N"
        )
    )
    st.altair_chart(chart, use_container_width=True)
    st.dataframe(df, hide_index=True)


def alerts(client: Client, model: str) -> None:
    st.subheader("Alerts")
    try:
        page = client.get("/alerts", {"model": model, "limit": 50})
    except ApiProblem as p:
        if p.kind != "forbidden":
            show_problem(p)
            return
        st.warning(
            f"Alerts are not open to this token (403 {p.code}: {p.said}). GET /alerts answers admins, "
            "scientists and API tokens with the metrics:read scope."
        )
        return
    df = frames.alerts(page)
    if df.empty:
        st.info(f"No alerts for {model}.")
        return
    st.dataframe(df, hide_index=True)
