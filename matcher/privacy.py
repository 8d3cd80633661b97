"""Who may see a talent's personal data, and how it is masked when they may see the rest of the record.

Pure rules, no database: callers pass the talent's stored fields and what they know about the caller.
Personal data is the name, the phone number and the ID number; everything else in a talent record is
what matching needs and may be shown to anyone allowed to see the talent at all.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

from matcher.store.accounts import Account

PERSONAL_FIELDS = ("name", "phone", "id_number")
MASKED_AWAY = ("id_number", "consented_employer_ids")
"""Left out of a masked record: the ID number, and which other employers the person trusted."""
TalentView = Literal["full", "masked", "hidden"]
"""full: every field; masked: 张**, 138****5678, no ID number; hidden: as if the talent did not exist."""


def mask_name(name: str | None) -> str | None:
    """张三丰 → 张**: the surname only, and always two stars so the length of the name does not show."""
    return f"{name[:1]}**" if name else name


def mask_phone(phone: str | None) -> str | None:
    """13812345678 → 138****5678."""
    if not phone:
        return phone
    if len(phone) < 8:
        return "*" * len(phone)
    return f"{phone[:3]}****{phone[-4:]}"


def masked(record: Mapping[str, object]) -> dict[str, object]:
    """A copy of ``record`` with the name and phone masked, the ID number and consents removed."""
    copy = {key: value for key, value in record.items() if key not in MASKED_AWAY}
    if "name" in copy:
        copy["name"] = mask_name(copy["name"])  # type: ignore[arg-type]
    if "phone" in copy:
        copy["phone"] = mask_phone(copy["phone"])  # type: ignore[arg-type]
    return copy


def shown(record: Mapping[str, object], view: TalentView) -> dict[str, object]:
    """``record`` as ``view`` allows; a hidden record must never reach this point."""
    if view == "hidden":
        raise ValueError("a hidden talent must be answered with 'not found', not shown")
    return dict(record) if view == "full" else masked(record)


def has_consented(consented_employer_ids: Iterable[str] | None, employer_id: str | None) -> bool:
    """Whether the talent agreed to show their contact details to this employer."""
    return employer_id is not None and employer_id in (consented_employer_ids or ())


def talent_view(account: Account, talent: Mapping[str, object], *, known_to_employer: bool = False) -> TalentView:
    """How ``account`` may see this talent when asking for it directly (by id or in a list).

    Seekers see their own profile; staff their own workstation's talents; employers the talents who
    consented to them (in full) or whom they already know — linked to one of their jobs by an event,
    or shown to them as a candidate (masked); admins all.
    """
    if account.role == "admin":
        return "full"
    if account.role == "seeker":
        return "full" if account.talent_id is not None and talent.get("talent_id") == account.talent_id else "hidden"
    if account.role == "staff":
        return "full" if _own_workstation(account, talent) else "hidden"
    if account.role == "employer":
        if has_consented(talent.get("consented_employer_ids"), account.employer_id):  # type: ignore[arg-type]
            return "full"
        return "masked" if known_to_employer else "hidden"
    return "hidden"


def candidate_view(account: Account, talent: Mapping[str, object]) -> TalentView:
    """How ``account`` sees a talent the matcher proposed as a candidate for a job.

    Staff and employers see every proposed candidate, masked unless the talent is theirs to see in
    full (own workstation; consent to this employer). Seekers never see other talents.
    """
    if account.role == "admin":
        return "full"
    if account.role == "staff":
        return "full" if _own_workstation(account, talent) else "masked"
    if account.role == "employer":
        consented = has_consented(talent.get("consented_employer_ids"), account.employer_id)  # type: ignore[arg-type]
        return "full" if consented else "masked"
    return "hidden"


def _own_workstation(account: Account, talent: Mapping[str, object]) -> bool:
    return account.workstation_id is not None and talent.get("workstation_id") == account.workstation_id
