"""/staff/talents: a workstation's talents, filtered by county, certificate, education and willingness to return.

``GET /talents`` itself (its scope, masking and export audit), with the filters resolved by the API's own
``filter_params``; empty form fields are left out rather than sent as empty values.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from api.auth import allow, page_account
from api.deps import SessionDep
from api.filters import filter_params
from api.routes.talents import list_talents
from api.web.pages import page

router = APIRouter(prefix="/staff/talents", include_in_schema=False)

StaffPage = allow("staff", "admin", source=page_account)
PAGE_SIZE = 50
EDUCATION_CHOICES = ("初中", "高中", "中专", "大专", "本科", "硕士", "博士")
Text = Annotated[str, Query(max_length=100)]


@router.get("")
async def talents(request: Request, account: StaffPage, session: SessionDep, region: Text = "",
                  certificate: Text = "", education: Text = "", willing_to_return: Text = "",
                  offset: Annotated[int, Query(ge=0)] = 0):
    filters = await filter_params(region=[region] if region.strip() else [], industry=[],
                                  education=education or None, certificate=certificate.strip() or None,
                                  workstation=[], willing_to_return={"yes": True, "no": False}.get(willing_to_return))
    found = list_talents(account, session, filters, offset=offset, limit=PAGE_SIZE)
    form = {"region": region, "certificate": certificate, "education": education,
            "willing_to_return": willing_to_return}
    return page(request, "staff/talents.html", {"title": "人才名册 · 工作站", "found": found, "form": form,
                                                "education_choices": EDUCATION_CHOICES, "page_size": PAGE_SIZE},
                account=account)
