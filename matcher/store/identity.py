"""Who a sheet's row is: a talent by ID number, else by name + phone, else a new id; a job by employer + title + place.

Order for a talent row: the sheet's own 编号 when it has one (refused when it belongs to a different person:
ID numbers differ, or both name and phone differ; reported when the ID number is stored under another id);
else a stored person with the same ID number; else one with the same name and phone; else a new id derived
from the ID number or name + phone (stable, so the same person gets the same id from every workstation), or
a random one when the row has neither. A sheet's 编号 comes first because an id is what a re-import of an
export carries; bureau registers have none (序号 is a row number), so their people are matched by who they are.
A job row without 岗位编号 is the stored job with the same employer, title and place, else a new derived id.

People are recognised by keyed hashes (HMAC-SHA256): the stored hash says nothing about the ID number
without the key, and the key lives outside the database (Settings.identity_secret or <data_dir>/identity.key).
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import and_, bindparam, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from matcher.config import Settings
from matcher.store.errors import RowError
from matcher.store.models import Job, Talent, TalentWorkstation
from matcher.store.validate import LOOKUP_CHUNK, chunked

SECRET_FILE = "identity.key"
GENERATED_ID_HEX = 16
"""Hex digits of a derived id after its T/J prefix: 64 bits, no collision in any realistic register."""


def identity_secret(settings: Settings) -> bytes:
    """The hashing key: the setting when given, else the data dir's key file, created on first use (mode 0600)."""
    if settings.identity_secret:
        return settings.identity_secret.encode()
    path = settings.data_dir / SECRET_FILE
    if not path.is_file():
        _create_secret(path)
    return path.read_text(encoding="ascii").strip().encode()


def _create_secret(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="ascii") as stream:  # "x": two processes starting at once keep one key
            stream.write(secrets.token_hex(32))
    except FileExistsError:
        return
    path.chmod(0o600)


def keyed_hash(secret: bytes, purpose: str, *parts: str) -> str:
    message = "\x1f".join((purpose, *parts)).encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def talent_hashes(secret: bytes, record: dict[str, object]) -> dict[str, str | None]:
    """id_hash and contact_hash for the columns the row carries (a sheet without 身份证号 keeps stored hashes)."""
    hashes: dict[str, str | None] = {}
    if "id_number" in record:
        number = record["id_number"]
        hashes["id_hash"] = keyed_hash(secret, "id_number", str(number)) if number else None
    if "phone" in record and "name" in record:
        name, phone = record.get("name"), record.get("phone")
        hashes["contact_hash"] = keyed_hash(secret, "contact", _folded(name), str(phone)) if name and phone else None
    return hashes


def job_identity_key(record: dict[str, object]) -> str | None:
    """Employer + title + place (county code, else city code, else the place text); None when one is missing."""
    place = record.get("county_code") or record.get("city_code") or _folded(record.get("city"))
    parts = [_folded(record.get("employer")), _folded(record.get("title")), str(place or "")]
    if not all(parts):
        return None
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _folded(value: object) -> str:
    """Compare names and titles ignoring width and spaces: 'ＡＢＣ 公司' is 'ABC公司'."""
    return "".join(unicodedata.normalize("NFKC", str(value or "")).split())


@dataclass(frozen=True)
class Duplicate:
    """A person another workstation registered before: merged into the stored talent, both links kept."""

    row: int
    talent_id: str
    matched_by: str
    """身份证号 or 姓名+电话."""
    stored_workstation: str | None
    workstation: str | None
    sheet_id: str | None = None
    """The sheet's own 编号 for the row, when it names the person differently."""
    merged: bool = True
    """False: the sheet's 编号 was kept, so the person is stored twice (staff decide; see import_summary)."""


@dataclass
class Resolution:
    """Which records were matched to a stored record by identity or given a derived key, and what went wrong.
    The keys themselves are written into the records."""

    by_identity: set[int]
    """Indexes of records matched to a stored record by ID number, name + phone or employer + title + place."""
    generated: set[int]
    """Indexes of records whose key was derived here (not written in the sheet)."""
    errors: list[RowError]
    duplicates: list[Duplicate]
    anonymous: list[int]
    """Rows with neither ID number nor phone: a new id on every import."""


def resolve_talents(session: Session, file: str, records: Sequence[dict[str, object]], rows: Sequence[int],
                    secret: bytes) -> Resolution:
    """Fill talent_id, id_hash and contact_hash of every record (in place); see the module docstring."""
    backfill_hashes(session, secret)
    for record in records:
        record.update(talent_hashes(secret, record))
    by_id = _stored(session, Talent.id_hash, {r.get("id_hash") for r in records})
    by_contact = _stored(session, Talent.contact_hash, {r.get("contact_hash") for r in records})
    explicit = {str(r["talent_id"]) for r in records if r.get("talent_id")}
    stored = _stored_people(session, explicit | set(by_id.values()) | set(by_contact.values()))
    result = Resolution(set(), set(), [], [], [])
    for index, (record, row) in enumerate(zip(records, rows, strict=True)):
        key, how = _talent_key(record, by_id, by_contact, stored)
        if how == "编号":
            conflict = _different_person(stored.get(key), record)
            if conflict:
                result.errors.append(RowError(file, row, "talent_id", key, conflict))
            elif by_id.get(record.get("id_hash") or "", key) != key:
                other = by_id[record["id_hash"]]  # type: ignore[index]
                result.duplicates.append(Duplicate(row, other, "身份证号", None, None, key, merged=False))
        elif how in ("身份证号", "姓名+电话"):
            result.by_identity.add(index)
            _note_duplicate(result, row, key, how, stored[key], record)
        else:
            result.generated.add(index)
            if key is None:
                result.anonymous.append(row)
                key = "T" + secrets.token_hex(GENERATED_ID_HEX // 2)
        record["talent_id"] = key
    return result


def backfill_hashes(session: Session, secret: bytes) -> int:
    """Hash the stored people who have none yet (imported before identities existed, or written through the API),
    so a sheet without ids recognises them. Returns how many rows got hashes."""
    missing = or_(and_(Talent.id_hash.is_(None), Talent.id_number.is_not(None)),
                  and_(Talent.contact_hash.is_(None), Talent.phone.is_not(None)))
    rows = session.execute(select(Talent.talent_id, Talent.id_number, Talent.name, Talent.phone).where(missing))
    updates = [{"key": talent_id, **talent_hashes(secret, {"id_number": number, "name": name, "phone": phone})}
               for talent_id, number, name, phone in rows]
    if updates:
        table = Talent.__table__
        session.execute(table.update().where(table.c.talent_id == bindparam("key"))
                        .values(id_hash=bindparam("id_hash"), contact_hash=bindparam("contact_hash")), updates)
    return len(updates)


def _talent_key(record: dict[str, object], by_id: dict[str, str], by_contact: dict[str, str],
                stored: dict[str, dict[str, object]]) -> tuple[str | None, str]:
    id_hash, contact_hash = record.get("id_hash"), record.get("contact_hash")
    if record.get("talent_id"):
        return str(record["talent_id"]), "编号"
    if id_hash and id_hash in by_id:
        return by_id[id_hash], "身份证号"  # type: ignore[index]
    if contact_hash and contact_hash in by_contact:
        key = by_contact[contact_hash]  # type: ignore[index]
        other_id = stored.get(key, {}).get("id_hash")
        if not (id_hash and other_id and other_id != id_hash):  # same name and phone, another ID number
            return key, "姓名+电话"
    derived = id_hash or contact_hash
    return ("T" + str(derived)[:GENERATED_ID_HEX] if derived else None), "新"


def _different_person(stored: dict[str, object] | None, record: dict[str, object]) -> str | None:
    """Why the stored talent under the sheet's 编号 is someone else, or None."""
    if stored is None:
        return None
    if stored["id_hash"] and record.get("id_hash") and stored["id_hash"] != record["id_hash"]:
        return ("编号已属于另一人（身份证号不同）：改用未用过的编号，或删去编号列，由系统按身份证号识别"
                " (this id belongs to a person with another ID number)")
    names = (stored["name"], record.get("name"))
    phones = (stored["phone"], record.get("phone"))
    if all(names) and all(phones) and names[0] != names[1] and phones[0] != phones[1]:
        return ("编号已属于另一人（姓名和电话都不同）：改用未用过的编号，或删去编号列，由系统按身份证号或姓名+电话识别"
                " (this id belongs to a person with another name and phone)")
    return None


def _note_duplicate(result: Resolution, row: int, key: str, how: str, stored: dict[str, object],
                    record: dict[str, object]) -> None:
    """Another workstation's person: reported; the stored workstation stays the owner (both links are recorded by
    link_workstations)."""
    old, new = stored.get("workstation"), record.get("workstation")
    if old and new and old != new:
        result.duplicates.append(Duplicate(row, key, how, str(old), str(new)))
        del record["workstation"]


def resolve_jobs(session: Session, records: Sequence[dict[str, object]]) -> Resolution:
    """Fill job_id (when the sheet has none) and identity_key of every record, in place."""
    for record in records:
        record["identity_key"] = job_identity_key(record)
    missing = [r for r in records if not r.get("job_id")]
    by_key = _stored(session, Job.identity_key, {r["identity_key"] for r in missing})
    result = Resolution(set(), set(), [], [], [])
    for index, record in enumerate(records):
        if not record.get("job_id") and record["identity_key"]:
            found = by_key.get(str(record["identity_key"]))
            (result.by_identity if found else result.generated).add(index)
            record["job_id"] = found or "J" + str(record["identity_key"])[:GENERATED_ID_HEX]
    return result


def link_workstations(session: Session, duplicates: Sequence[Duplicate], file: str) -> None:
    """Record both workstations of each duplicate (the stored one and this sheet's), once each."""
    wanted = {(d.talent_id, w) for d in duplicates if d.merged and d.stored_workstation and d.workstation
              for w in (d.stored_workstation, d.workstation)}
    if not wanted:
        return
    ids = sorted({talent_id for talent_id, _ in wanted})
    have = set()
    for chunk in chunked(ids, LOOKUP_CHUNK):
        have.update((talent_id, workstation) for talent_id, workstation in session.execute(
            select(TalentWorkstation.talent_id, TalentWorkstation.workstation)
            .where(TalentWorkstation.talent_id.in_(chunk))))
    session.add_all(TalentWorkstation(talent_id=t, workstation=w, first_file=file) for t, w in sorted(wanted - have))
    session.flush()


def _stored(session: Session, column: InstrumentedAttribute[str], values: set) -> dict[str, str]:
    """Stored hash → key, for the hashes present (the smallest key when two records share one)."""
    key = column.class_.__table__.primary_key.columns.values()[0]
    found: dict[str, str] = {}
    for chunk in chunked(sorted(v for v in values if v), LOOKUP_CHUNK):
        for value, stored_key in session.execute(select(column, key).where(column.in_(chunk)).order_by(key.desc())):
            found[value] = stored_key
    return found


def _stored_people(session: Session, ids: set[str]) -> dict[str, dict[str, object]]:
    columns = (Talent.talent_id, Talent.id_hash, Talent.name, Talent.phone, Talent.workstation)
    people: dict[str, dict[str, object]] = {}
    for chunk in chunked(sorted(ids), LOOKUP_CHUNK):
        for talent_id, id_hash, name, phone, workstation in session.execute(
                select(*columns).where(Talent.talent_id.in_(chunk))):
            people[talent_id] = {"id_hash": id_hash, "name": name, "phone": phone, "workstation": workstation}
    return people
