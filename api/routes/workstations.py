"""Outstation talent workstations: readable by every signed-in role, maintained by admins."""
from __future__ import annotations

from api.routes.organisations import OrganisationResource, organisation_router
from api.schemas.organisations import WorkstationCreate, WorkstationPublic, WorkstationUpdate

router = organisation_router(OrganisationResource(
    "workstations", WorkstationCreate, WorkstationUpdate, WorkstationPublic,
    delete_refusal="Refused (409) while talents or staff users still belong to the workstation."))
