"""Loading reference data: England, its regions, CDOPs, local authorities and agencies, and the
postcode to deprivation lookup. Run by `ncmd load_reference`; every change goes through the
`save_organisation` action, so loading twice changes nothing and every change is audited."""

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction

from .actions import save_organisation
from .models import Organisation, OrganisationType, PostcodeLookup

REFERENCE_FILE = Path(__file__).parent / "reference" / "organisations.yaml"
POSTCODE_COLUMNS = ("postcode", "lsoa_code", "imd_decile", "imd_edition")


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    agency_type: str
    region: str


def read_reference(path=REFERENCE_FILE):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def agencies_for(data):
    """The agencies of the demo reference data, each serving one or more CDOPs.

    Returns (agencies by code, {cdop code: [agency codes]}). Codes are derived from the names, so
    they are the same on every machine."""
    agencies, by_cdop = {}, {}
    region_names = {r["code"]: r["name"] for r in data["regions"]}
    la_names = {la["code"]: la["name"] for r in data["regions"] for la in r["local_authorities"]}

    def add(name, agency_type, region, cdop):
        code = "AG" + hashlib.sha1(f"{agency_type}:{name}".encode()).hexdigest()[:8].upper()
        agencies.setdefault(code, AgencySpec(code, name, agency_type, region))
        by_cdop.setdefault(cdop, []).append(code)

    for cdop in data["cdops"]:
        region, code = cdop["region"], cdop["code"]
        for trust in cdop.get("nhs_trusts") or []:
            add(trust, "acute_health", region, code)
        if cdop.get("police_force"):
            add(cdop["police_force"], "police", region, code)
        add(f"{region_names[region]} Ambulance Service", "ambulance", region, code)
        area = cdop["name"].removesuffix(" CDOP")
        add(f"{area} GP practices", "gp", region, code)
        add(f"{area} community health services", "community_health", region, code)
        add(f"{area} child and adolescent mental health services", "mental_health", region, code)
        add(f"HM Coroner for {area}", "coroner", region, code)
        for la in cdop["local_authorities"]:
            add(f"{la_names[la]} Children's Social Care", "childrens_social_care", region, code)
            add(f"{la_names[la]} Education Services", "education", region, code)
    return agencies, by_cdop


@transaction.atomic
def load_organisations(*, by, path=REFERENCE_FILE):
    """Create or update every organisation in the reference file. Returns how many exist."""
    data = read_reference(path)
    nation = save_organisation(
        code=data["nation"]["code"], name=data["nation"]["name"], type=OrganisationType.NATION,
        by=by,
    )  # fmt: skip
    regions, cdop_of_la = {}, {}
    for cdop in data["cdops"]:
        for la in cdop["local_authorities"]:
            cdop_of_la[la] = cdop["code"]
    for region in data["regions"]:
        regions[region["code"]] = save_organisation(
            code=region["code"],
            name=region["name"],
            type=OrganisationType.REGION,
            parent=nation,
            child_population=region.get("child_population"),
            by=by,
        )
    cdops = {}
    for cdop in data["cdops"]:
        cdops[cdop["code"]] = save_organisation(
            code=cdop["code"],
            name=cdop["name"],
            type=OrganisationType.CDOP,
            parent=regions[cdop["region"]],
            by=by,
        )
    for region in data["regions"]:
        for la in region["local_authorities"]:
            save_organisation(
                code=la["code"],
                name=la["name"],
                type=OrganisationType.LOCAL_AUTHORITY,
                parent=cdops[cdop_of_la[la["code"]]],
                child_population=la.get("child_population"),
                by=by,
            )
    agencies, _ = agencies_for(data)
    for agency in agencies.values():
        save_organisation(
            code=agency.code,
            name=agency.name,
            type=OrganisationType.AGENCY,
            parent=regions[agency.region],
            agency_type=agency.agency_type,
            by=by,
        )
    for partner in data.get("partners", []):
        save_organisation(
            code=partner["code"], name=partner["name"], type=OrganisationType.PARTNER,
            parent=nation, by=by,
        )  # fmt: skip
    return Organisation.objects.count()


class PostcodeFileError(ValueError):
    pass


@transaction.atomic
def load_postcodes(rows, *, replace=False):
    """Load (postcode, lsoa_code, imd_decile, imd_edition) rows; every row is checked first and a
    file with any bad row loads nothing."""
    from ncmd.dictionary.identifiers import normalise_postcode

    records, problems = [], []
    for number, row in enumerate(rows, start=2):
        postcode = normalise_postcode(row.get("postcode", ""))
        decile = str(row.get("imd_decile", "")).strip()
        if postcode is None:
            problems.append(f"row {number}: postcode {row.get('postcode')!r} is not a postcode")
        elif not decile.isdigit() or not 1 <= int(decile) <= 10:
            problems.append(f"row {number}: imd_decile {decile!r} must be a whole number 1 to 10")
        elif not row.get("imd_edition"):
            problems.append(f"row {number}: imd_edition is empty")
        else:
            records.append(
                PostcodeLookup(
                    postcode=postcode,
                    lsoa_code=str(row.get("lsoa_code", "")).strip(),
                    imd_decile=int(decile),
                    imd_edition=str(row["imd_edition"]).strip(),
                )
            )
    if problems:
        raise PostcodeFileError("\n".join(problems[:50]))
    if replace:
        PostcodeLookup.objects.all().delete()
    PostcodeLookup.objects.bulk_create(
        records,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["postcode"],
        update_fields=["lsoa_code", "imd_decile", "imd_edition"],
    )
    return len(records)


def read_postcode_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = set(POSTCODE_COLUMNS) - set(reader.fieldnames or [])
        if missing:
            raise PostcodeFileError(
                f"{path}: the header must have the columns {', '.join(POSTCODE_COLUMNS)}; "
                f"missing {', '.join(sorted(missing))}"
            )
        return list(reader)
