"""Employers and workstations come from one router factory; their documented contract is what it was."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from api.app import create_app
from matcher.config import Settings

V1 = "/api/v1"


@pytest.fixture(scope="module")
def paths() -> dict:
    return create_app(Settings(data_dir=Path(tempfile.gettempdir()))).openapi()["paths"]


EXPECTED = {  # the operation ids FastAPI gave the hand-written routers
    "employers": ("employer", ["list_employers_api_v1_employers_get", "create_employer_api_v1_employers_post",
                               "read_employer_api_v1_employers__employer_id__get",
                               "update_employer_api_v1_employers__employer_id__patch",
                               "delete_employer_api_v1_employers__employer_id__delete"]),
    "workstations": ("workstation", ["list_workstations_api_v1_workstations_get",
                                     "create_workstation_api_v1_workstations_post",
                                     "read_workstation_api_v1_workstations__workstation_id__get",
                                     "update_workstation_api_v1_workstations__workstation_id__patch",
                                     "delete_workstation_api_v1_workstations__workstation_id__delete"]),
}


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_operation_ids_path_parameters_and_tags_are_the_hand_written_routers(paths, kind):
    one, operation_ids = EXPECTED[kind]
    item = f"{V1}/{kind}/{{{one}_id}}"
    operations = [*paths[f"{V1}/{kind}"].values(), *paths[item].values()]
    assert [op["operationId"] for op in operations] == operation_ids
    assert all(op["tags"] == [kind] for op in operations)
    assert all([p["name"] for p in op["parameters"]] == [f"{one}_id"] for op in paths[item].values())


def test_only_an_employer_update_can_conflict(paths):
    assert "409" in paths[f"{V1}/employers/{{employer_id}}"]["patch"]["responses"]
    assert "409" not in paths[f"{V1}/workstations/{{workstation_id}}"]["patch"]["responses"]
    assert paths[f"{V1}/workstations/{{workstation_id}}"]["delete"]["description"] == (
        "Refused (409) while talents or staff users still belong to the workstation.")
