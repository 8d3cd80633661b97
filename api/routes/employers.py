"""Employers: readable by every signed-in role; created and deleted by admins, edited by themselves too."""
from __future__ import annotations

from collections.abc import Mapping

from api.auth import allow
from api.problems import Problem
from api.routes.organisations import OrganisationResource, organisation_router
from api.schemas.organisations import EmployerCreate, EmployerPublic, EmployerUpdate
from matcher.store.accounts import Account


def _may_update(account: Account, employer_id: str, changes: Mapping[str, object]) -> None:
    if account.role == "employer" and account.employer_id != employer_id:
        raise Problem(403, "employers may edit only their own record")
    if account.role == "employer" and "name" in changes:
        # Catalogues name employers; a self-chosen name could claim another's positions.
        raise Problem(403, "an employer's name is changed by an administrator (企业名称由管理员修改)")


router = organisation_router(OrganisationResource(
    "employers", EmployerCreate, EmployerUpdate, EmployerPublic, updater=allow("employer", "admin"),
    check_update=_may_update, update_conflicts=True,
    delete_refusal="Refused (409) while jobs or users still belong to the employer."))
