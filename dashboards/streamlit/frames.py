"""The API's JSON answers as pandas frames: no I/O and no Streamlit here, so what a panel shows is
decided in one place per endpoint."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pandas as pd

DATASET = "(dataset)"
RANGES = {
    "Last 15 min": timedelta(minutes=15),
    "Last 1 h": timedelta(hours=1),
    "Last 24 h": timedelta(hours=24),
    "Last 7 d": timedelta(days=7),
}


def range_params(label: str, now: datetime | None = None) -> dict[str, str]:
    to = now or datetime.now(timezone.utc)
    return {"from": (to - RANGES[label]).isoformat(), "to": to.isoformat()}


def column_label(column: str) -> str:
    return DATASET if column == "" else column


def series_points(page: dict[str, Any]) -> pd.DataFrame:
    """One row per stored point of every series: version, feature, statistic, window, value, verdict."""
    rows = [
        {
            "version": s["version"],
            "feature": column_label(s["column"]),
            "statistic": s["statistic"],
            "window_end": pd.Timestamp(p["to"]),
            "value": p["value"],
            "verdict": p["verdict"],
            "threshold": p["threshold"],
            "test": (p.get("details") or {}).get("test"),
        }
        for s in page.get("series", [])
        for p in s["points"]
    ]
    columns = ["version", "feature", "statistic", "window_end", "value", "verdict", "threshold", "test"]
    return pd.DataFrame(rows, columns=columns)


def newest_drift(points: pd.DataFrame) -> pd.DataFrame:
    """Per version and feature, the newest window: its drift test, score, threshold and verdict,
    with PSI and Jensen–Shannon beside them."""
    if points.empty:
        return pd.DataFrame(columns=["version", "feature", "window_end", "test", "score", "threshold", "verdict"])
    newest = points[points["window_end"] == points.groupby(["version", "feature"])["window_end"].transform("max")]
    verdicts = newest[newest["statistic"] == "drift"][
        ["version", "feature", "window_end", "test", "value", "threshold", "verdict"]
    ].rename(columns={"value": "score"})
    others = newest[newest["statistic"].isin(["psi", "jensen_shannon"])].pivot_table(
        index=["version", "feature"], columns="statistic", values="value", aggfunc="last"
    )
    table = verdicts.merge(others.reset_index(), on=["version", "feature"], how="left")
    return table.sort_values(["version", "feature"]).reset_index(drop=True)


def heat_cells(points: pd.DataFrame, statistic: str) -> pd.DataFrame:
    """Feature × window cells of one statistic, each with the window's drift verdict."""
    values = points[(points["statistic"] == statistic) & (points["feature"] != DATASET)]
    verdicts = points[points["statistic"] == "drift"][["version", "feature", "window_end", "verdict"]]
    cells = values.drop(columns=["verdict"]).merge(verdicts, on=["version", "feature", "window_end"], how="left")
    cells["drifted"] = cells["verdict"].eq("drift").map({True: "●", False: ""})
    return cells


def newest_quality(points: pd.DataFrame) -> pd.DataFrame:
    """Per version and feature, the newest window's missing, out-of-range and unknown-category rates."""
    if points.empty:
        return pd.DataFrame(columns=["version", "feature", "window_end"])
    newest = points[points["window_end"] == points.groupby(["version", "feature"])["window_end"].transform("max")]
    table = newest.pivot_table(
        index=["version", "feature", "window_end"], columns="statistic", values="value", aggfunc="last"
    ).reset_index()
    table.columns.name = None
    return table.sort_values(["version", "feature"]).reset_index(drop=True)


def performance(page: dict[str, Any]) -> pd.DataFrame:
    """One row per version, window and metric: the estimate with its band, and the realised figure."""
    rows = []
    for w in page.get("windows", []):
        metrics = sorted(set(w.get("estimated", {})) | set(w.get("realised", {})))
        for m in metrics:
            est = w.get("estimated", {}).get(m) or {}
            real = w.get("realised", {}).get(m) or {}
            rows.append(
                {
                    "version": w["version"],
                    "window_end": pd.Timestamp(w["to"]),
                    "metric": m,
                    "estimated": est.get("value"),
                    "lower": est.get("lower"),
                    "upper": est.get("upper"),
                    "realised": real.get("value"),
                }
            )
    columns = ["version", "window_end", "metric", "estimated", "lower", "upper", "realised"]
    return pd.DataFrame(rows, columns=columns)


def alerts(page: dict[str, Any]) -> pd.DataFrame:
    columns = ["state", "severity", "ruleName", "subject", "value", "threshold", "firedAt", "resolvedAt", "id"]
    return pd.DataFrame([{c: a.get(c) for c in columns} for a in page.get("items", [])], columns=columns)


def traffic(page: dict[str, Any]) -> pd.DataFrame:
    """One row per slot: requests a second, error rate and latency percentiles."""
    rows = [
        {
            "t": pd.Timestamp(p["t"]),
            "requests": p.get("requests"),
            "rps": p.get("rps"),
            "errorRate": p.get("errorRate"),
            **{f"p{q}": (p.get("latencyMs") or {}).get(f"p{q}") for q in (50, 95, 99)},
        }
        for p in page.get("points", [])
    ]
    return pd.DataFrame(rows, columns=["t", "requests", "rps", "errorRate", "p50", "p95", "p99"])
