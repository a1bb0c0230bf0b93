"""The administrative data source: Vietnam's real units from the `vietnamadminunits` package.

The package is an optional extra (`pip install 'rotation-planner[geo]'`), imported only when
the units are read, so the planner works without it and `planner generate` says what to
install. It ships both the legacy structure (63 provinces, ~700 districts, ~10,000 communes)
and the 2025 structure (34 provinces, ~3,300 communes, no districts: a commune's parent is its
province), with official codes, names and coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version

DATA_PACKAGE = "vietnamadminunits"
INSTALL_HINT = "pip install 'rotation-planner[geo]'"
STRUCTURES = ("legacy", "2025")
"""The administrative structures the data package holds."""


class DataPackageError(RuntimeError):
    """The data package is missing or does not hold the tables this module reads."""


class DataPackageMissing(DataPackageError):
    """The optional data package is not installed."""

    def __init__(self) -> None:
        super().__init__(f"`planner generate` needs the {DATA_PACKAGE} package, which ships "
                         f"Vietnam's administrative units: {INSTALL_HINT}")


@dataclass(frozen=True)
class AdminData:
    """Vietnam's administrative units of one structure, sorted by their official codes."""

    structure: str
    version: str
    provinces: tuple[dict, ...]
    districts: tuple[dict, ...]
    communes: tuple[dict, ...]


def _query(sql: str) -> list[dict]:
    """Rows of the data package's database; DataPackageError naming the extra to install."""
    try:
        from vietnamadminunits.database import query
    except ImportError as exc:
        raise DataPackageMissing() from exc
    try:
        return query(sql)
    except Exception as exc:  # noqa: BLE001 - a release that changed its tables
        raise DataPackageError(f"could not read the units from {DATA_PACKAGE} ({exc}); "
                               f"this generator reads its 1.0 tables: {INSTALL_HINT}") from exc


def _version() -> str:
    """The data package's version, recorded in the scenario's description."""
    try:
        return version(DATA_PACKAGE)
    except Exception:  # noqa: BLE001 - reading the units says what is missing
        return "unknown"


@lru_cache(maxsize=4)
def admin_data(structure: str) -> AdminData:
    """Read the units of `structure` ("legacy" or "2025") from the data package."""
    if structure not in STRUCTURES:
        raise ValueError(f"structure must be one of {', '.join(STRUCTURES)}, not {structure!r}")
    ver = _version()
    if structure == "legacy":
        rows = _query("SELECT province, provinceCode, provinceLat, provinceLon, district, districtShort, "
                      "districtCode, districtLat, districtLon, ward, wardShort, wardType, wardCode, "
                      "wardLat, wardLon FROM admin_units_legacy "
                      "ORDER BY provinceCode, districtCode, wardCode")
    else:
        rows = _query("SELECT province, provinceCode, provinceLat, provinceLon, ward, wardShort, "
                      "wardType, wardCode, wardLat, wardLon FROM admin_units "
                      "ORDER BY provinceCode, wardCode")
    provinces: dict[str, dict] = {}
    districts: dict[str, dict] = {}
    communes: dict[str, dict] = {}
    for r in rows:
        pc = r["provinceCode"]
        if pc not in provinces:
            provinces[pc] = dict(code=pc, name=r["province"], lat=r["provinceLat"], lon=r["provinceLon"])
        dc = r.get("districtCode")
        if dc and dc not in districts:
            districts[dc] = dict(code=dc, name=r["district"], short=r["districtShort"], province=pc,
                                 lat=r["districtLat"], lon=r["districtLon"])
        wc = r["wardCode"]
        if wc and wc not in communes:
            communes[wc] = dict(code=wc, name=r["ward"], short=r["wardShort"] or r["ward"],
                                type=r["wardType"] or "Xã", province=pc, district=dc or None,
                                lat=r["wardLat"], lon=r["wardLon"])
    return AdminData(structure, ver, tuple(provinces.values()), tuple(districts.values()),
                     tuple(communes.values()))
