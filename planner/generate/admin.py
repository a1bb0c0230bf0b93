"""The administrative data source: Vietnam's real units from the `vietnamadminunits` package.

The package is an optional extra (`pip install 'rotation-planner[geo]'`), imported only when
the units are read, so the planner works without it and `planner generate` says what to
install. It ships both the legacy structure (63 provinces, ~700 districts, ~10,000 communes)
and the 2025 structure (34 provinces, ~3,300 communes, no districts: a commune's parent is its
province), with official codes, names and coordinates, and its converter's mapping from the
legacy communes to the 2025 ones (:func:`transition_map`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version

DATA_PACKAGE = "vietnamadminunits"
INSTALL_HINT = "pip install 'rotation-planner[geo]'"
DATA_STRUCTURES = ("legacy", "2025")
"""The administrative structures the data package holds."""
STRUCTURES = (*DATA_STRUCTURES, "transition")
"""The structures `planner generate` builds: the package's two, and the reorganisation of 2025
from the one to the other (:mod:`planner.generate.transition`)."""


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
    if structure not in DATA_STRUCTURES:
        raise ValueError(f"structure must be one of {', '.join(DATA_STRUCTURES)}, not {structure!r}")
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


@dataclass(frozen=True)
class TransitionMap:
    """Where each legacy unit went in 2025, by official codes: every legacy province merged whole
    into one new province; every legacy commune into one new commune (a legacy commune split
    between several goes to the one the package's converter picks for an address without a
    street, its `isDefaultNewWard`)."""

    province: dict[str, str]
    """Legacy province code -> 2025 province code."""
    commune: dict[str, str]
    """Legacy commune code -> 2025 commune code."""


def _converter_tables() -> tuple[dict, dict, dict]:
    """The tables the package's `convert_address_2025` reads: new province -> legacy provinces,
    new commune -> legacy communes it took whole, legacy commune -> the new ones it was split
    between (keys are the package's `provinceKey_districtKey_wardKey` texts)."""
    try:
        from vietnamadminunits.converter import converter_2025 as conv
    except ImportError as exc:
        raise DataPackageMissing() from exc
    try:
        return (conv.DICT_PROVINCE, conv.DICT_PROVINCE_WARD_NO_DIVIDED,
                conv.DICT_PROVINCE_WARD_DIVIDED)
    except AttributeError as exc:
        raise DataPackageError(f"{DATA_PACKAGE} has no 2025 converter tables ({exc}); this "
                               f"generator reads those of its 1.0 releases: {INSTALL_HINT}") from exc


def _targets(whole: dict, divided: dict) -> dict[str, tuple[str, str]]:
    """Legacy commune key -> (new province key, new commune key)."""
    target = {old: (prov, new) for prov, wards in whole.items()
              for new, olds in wards.items() for old in olds}
    for prov, olds in divided.items():
        for old, news in olds.items():
            pick = next((w for w in news if w["isDefaultNewWard"]), news[0])
            target.setdefault(old, (prov, pick["newWardKey"]))
    return target


@lru_cache(maxsize=1)
def transition_map() -> TransitionMap:
    """The package's mapping from the legacy structure to the 2025 one, by official codes."""
    by_province, whole, divided = _converter_tables()
    legacy = _query("SELECT provinceKey, provinceCode, districtKey, wardKey, wardCode "
                    "FROM admin_units_legacy")
    new = _query("SELECT provinceKey, provinceCode, wardKey, wardCode FROM admin_units")
    new_commune = {(r["provinceKey"], r["wardKey"]): r["wardCode"] for r in new}
    new_province = {r["provinceKey"]: r["provinceCode"] for r in new}
    merged_into = {old: new_province[prov] for prov, olds in by_province.items() for old in olds}
    target = _targets(whole, divided)
    province: dict[str, str] = {}
    commune: dict[str, str] = {}
    try:
        for r in legacy:
            province[r["provinceCode"]] = merged_into[r["provinceKey"]]
            if r["wardCode"]:
                key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}"
                commune[r["wardCode"]] = new_commune[target[key]]
    except KeyError as exc:
        raise DataPackageError(f"{DATA_PACKAGE}'s converter does not map the legacy unit {exc} "
                               f"to the 2025 structure: {INSTALL_HINT}") from exc
    return TransitionMap(province, commune)
