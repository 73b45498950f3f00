"""The open API (dashboard/api): every public mart in JSON, CSV and SDMX-CSV read back by the
real clients, its OpenAPI document, parameter checks, pagination, ETag and the rate limit."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import flask
import polars as pl
import pytest

from dashboard import data
from dashboard.api import params
from dashboard.api.limits import Budget
from dashboard.app import create_app
from dashboard.exports.selection import GROUPS
from pipelines.sources.official.dispatch import detect_and_read
from tests.dashboard.published_fixture import make_published

MARTS = [mart for _, mart, _ in GROUPS]


def _client(path: Path, budget: Budget | None = None) -> Any:
    app = create_app(path)
    app.server.extensions["observatory_api_budget"] = budget or Budget(10**6, 60)
    return app.server.test_client()


@pytest.fixture(scope="module")
def client(published: Path) -> Any:
    return _client(published)


def test_openapi_document_lists_every_public_mart(client: Any, published: Path) -> None:
    published_file = published
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.get_json()
    assert doc["openapi"].startswith("3.1")
    assert {"/api/v1/indicators", "/api/v1/data/{mart}"} <= set(doc["paths"])
    mart_param = doc["paths"]["/api/v1/data/{mart}"]["get"]["parameters"][0]
    tables = set(data.published_tables(published_file)["table_name"])
    assert mart_param["schema"]["enum"] == [m for m in MARTS if m in tables]
    schema = doc["components"]["schemas"]["mart_pool_function"]["properties"]
    assert schema["activity_count"]["type"] == ["integer", "null"]  # DECIMAL(38,0) in the file
    assert schema["hours"]["type"] == ["number", "null"]
    assert "mart_programme_month" not in doc["components"]["schemas"]


def test_indicators(client: Any) -> None:
    body = client.get("/api/v1/indicators").get_json()
    ids = {row["indicator_id"] for row in body["data"]}
    assert "trainees" in ids
    csv_text = client.get("/api/v1/indicators?format=csv").data
    assert pl.read_csv(io.BytesIO(csv_text)).height == len(body["data"])


@pytest.mark.parametrize("mart", MARTS)
def test_every_mart_in_three_formats(client: Any, published: Path, mart: str) -> None:
    query = f"/api/v1/data/{mart}?pool=technicity&from=2024-01&to=2024-12&page_size=10000"
    page = client.get(query)
    if mart not in set(data.published_tables(published)["table_name"]):
        assert page.status_code == 404  # not in this (small) published file
        return
    assert page.status_code == 200, page.data
    body = page.get_json()
    assert body["total"] == len(body["data"]) > 0
    assert page.headers["X-Total-Count"] == str(body["total"])
    doc = client.get("/api/v1/openapi.json").get_json()
    props = doc["components"]["schemas"][mart]["properties"]
    integers = [c for c, spec in props.items() if spec["type"] == ["integer", "null"]]
    for row in body["data"]:
        for column in integers:
            assert row[column] is None or type(row[column]) is int, (column, row[column])
    csv_response = client.get(query + "&format=csv")
    assert csv_response.mimetype == "text/csv"
    frame = pl.read_csv(io.BytesIO(csv_response.data))  # default settings
    assert frame.height == body["total"]
    for column in integers:
        assert frame.schema[column] in (pl.Int64, pl.Null), column
    for column in ("commune_nis", "occupation_isco", "pool_id"):
        if column in frame.columns:
            assert frame.schema[column] == pl.String, column
    sdmx_response = client.get(query + "&format=sdmx-csv")
    assert sdmx_response.status_code == 200
    assert sdmx_response.data.startswith(b"STRUCTURE,STRUCTURE_ID,ACTION,")


def test_sdmx_from_the_api_reads_back_through_the_connector(client: Any, tmp_path: Path) -> None:
    response = client.get("/api/v1/data/mart_pool_participation?format=sdmx-csv&page_size=10000")
    file = tmp_path / "participation.sdmx.csv"
    file.write_bytes(response.data)
    read = detect_and_read(file, {})
    assert read.rejected.is_empty()
    assert set(read.observations["dataset"].to_list()) == {"mart_pool_participation"}
    assert read.observations["flag"].drop_nulls().is_in(["c", "p", "b", "e"]).all()


def test_pages_cover_the_rows_once(client: Any) -> None:
    first = client.get("/api/v1/data/mart_pool_function?page_size=50").get_json()
    assert first["next"] and "page=2" in first["next"]
    rows: list[tuple[Any, ...]] = []
    url: str | None = "/api/v1/data/mart_pool_function?page_size=50"
    while url:
        body = client.get(url).get_json()
        rows += [
            (r["pool_id"], r["function_id"], r["period_type"], r["period"]) for r in body["data"]
        ]
        url = body["next"]
    assert len(rows) == len(set(rows)) == first["total"]


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("/api/v1/data/mart_commune?pool=nowhere", 400),
        ("/api/v1/data/mart_commune?pool=technicity%27%3B--", 400),
        ("/api/v1/data/mart_programme_month", 404),
        ("/api/v1/data/mart_commune%3BDROP", 404),
        ("/api/v1/data/fct_enrolment", 404),
        ("/api/v1/data/mart_commune?from=2030-01", 400),
        ("/api/v1/data/mart_commune?from=2024-13", 400),
        ("/api/v1/data/mart_commune?from=2024-06&to=2024-01", 400),
        ("/api/v1/data/mart_commune?format=xml", 400),
        ("/api/v1/data/mart_commune?page=0", 400),
        ("/api/v1/data/mart_commune?page_size=100000", 400),
        ("/api/v1/data/mart_commune?sql=1", 400),
        ("/api/v1/indicators?format=sdmx-csv", 400),
    ],
)
def test_parameters_are_checked(client: Any, query: str, status: int) -> None:
    response = client.get(query)
    assert response.status_code == status
    assert response.get_json()["error"]
    assert "'" not in response.get_json()["error"]  # the value is never echoed


def test_pool_filter_keeps_that_pool(client: Any) -> None:
    body = client.get("/api/v1/data/mart_pool_placement?pool=technicity&page_size=10000")
    assert {r["pool_id"] for r in body.get_json()["data"]} == {"technicity"}
    total = client.get("/api/v1/data/mart_pool_placement?pool=_T").get_json()
    assert {r["pool_id"] for r in total["data"]} == {"_T"}


def test_etag_follows_the_published_build(tmp_path: Path) -> None:
    path = make_published(tmp_path / "published.duckdb")
    client = _client(path)
    first = client.get("/api/v1/data/mart_commune")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"].startswith("public")
    again = client.get("/api/v1/data/mart_commune", headers={"If-None-Match": etag})
    assert again.status_code == 304
    other = client.get("/api/v1/data/mart_commune?pool=technicity")
    assert other.headers["ETag"] != etag
    make_published(path, scale=2)  # a new publish
    after = client.get("/api/v1/data/mart_commune", headers={"If-None-Match": etag})
    assert after.status_code == 200 and after.headers["ETag"] != etag


def test_rate_limited(published: Path) -> None:
    client = _client(published, Budget(3, 60))
    codes = [client.get("/api/v1/indicators").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = client.get("/api/v1/openapi.json")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1


def test_budget_window_slides() -> None:
    budget = Budget(2, 10)
    assert budget.allow("a", 0) == 0 and budget.allow("a", 1) == 0
    assert budget.allow("a", 2) > 0
    assert budget.allow("b", 2) == 0  # another client has its own budget
    assert budget.allow("a", 10.5) == 0  # the first request left the window


def test_public_tier_only(client: Any) -> None:
    """No restricted mart, whatever the session says."""
    with client.session_transaction() as session:
        session["user"] = "someone"
    response = client.get("/api/v1/data/mart_programme_month")
    assert response.status_code == 404
    assert "mart_programme_month" not in params.PUBLIC_MARTS
    assert isinstance(flask.json.loads(response.data), dict)
