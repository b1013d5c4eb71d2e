"""Synthetic postcodes and their deprivation deciles, for the demo.

The postcodes use the outward letters "Q?", which no real UK postcode area uses, so a synthetic
child can never share a real postcode. Each local authority gets postcodes in every IMD decile;
a real deployment loads the ONS postcode directory and the IMD instead (`ncmd load_reference
--postcodes FILE`).
"""

import string

IMD_EDITION = "synthetic-IMD2019"
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters a postcode's inward code may use
PER_DECILE = 12


def outward_code(la_index):
    """Q + letter + digit(s): 'QA0', 'QA1', ... one district per local authority."""
    letter = string.ascii_uppercase[la_index // 10 % 26]
    return f"Q{letter}{la_index % 10}" + ("" if la_index < 260 else str(la_index // 260))


def postcodes_for(la_index, decile):
    """The synthetic postcodes of one local authority in one decile (1 = most deprived)."""
    outward = outward_code(la_index)
    return [
        f"{outward} {decile % 10}{_INWARD_LETTERS[i // 20 % 20]}{_INWARD_LETTERS[i % 20]}"
        for i in range(PER_DECILE)
    ]


def lookup_rows(la_count):
    """Rows for `ncmd.registry.reference.load_postcodes`, for the local authorities in order."""
    rows = []
    for index in range(la_count):
        for decile in range(1, 11):
            lsoa = f"E01{index:03d}{decile:03d}"[:9]
            for postcode in postcodes_for(index, decile):
                rows.append(
                    {
                        "postcode": postcode,
                        "lsoa_code": lsoa,
                        "imd_decile": decile,
                        "imd_edition": IMD_EDITION,
                    }
                )
    return rows
