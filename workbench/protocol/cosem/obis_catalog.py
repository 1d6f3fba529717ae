"""Label tables behind :func:`workbench.protocol.cosem.obis.obis_name` and ``obis_group``.

Data only, so the naming rules in ``obis.py`` stay short. Facts come from the OBIS code
tables of IEC 62056-6-1 / the DLMS UA Blue Book; where the Microstar vendor notes disagree
with the standard, the label says both (0-0:42.0.0.255 is the COSEM logical device name in
the standard; the notes list it as "Firmware Version").

Keys of :data:`EXACT_NAMES` are (A, C, D, E): B is a channel number and does not change
what an object is.
"""

from __future__ import annotations

__all__ = [
    "ABSTRACT_GROUPS",
    "ELECTRICITY_DEMAND_D",
    "ELECTRICITY_ENERGY_D",
    "EXACT_NAMES",
    "PHASE_ANGLE_ENDS",
    "PROCESSING",
    "QUANTITIES",
]

# --- electricity (A = 1): value group C, "what is measured" --------------------------------

_BASE_QUANTITIES = {
    1: "Active power+",
    2: "Active power−",
    3: "Reactive power+",
    4: "Reactive power−",
    5: "Reactive power QI",
    6: "Reactive power QII",
    7: "Reactive power QIII",
    8: "Reactive power QIV",
    9: "Apparent power+",
    10: "Apparent power−",
    11: "Current",
    12: "Voltage",
    13: "Power factor",
    14: "Supply frequency",
    15: "Active power |QI+QIV|+|QII+QIII|",
    16: "Active power |QI+QIV|−|QII+QIII|",
    17: "Active power QI",
    18: "Active power QII",
    19: "Active power QIII",
    20: "Active power QIV",
}

QUANTITIES: dict[int, str] = {
    **_BASE_QUANTITIES,
    11: "Current (any phase)",
    12: "Voltage (any phase)",
    # C = 21..40 are the C = 1..20 quantities on L1, 41..60 on L2, 61..80 on L3.
    **{
        c + 20 * phase: f"{label} L{phase}"
        for phase in (1, 2, 3)
        for c, label in _BASE_QUANTITIES.items()
    },
    81: "Phase angle",
    82: "Unitless quantity (pulses or pieces)",
    83: "Transformer and line losses",
    88: "ΣLi A²h",
    89: "ΣLi V²h",
    90: "Current (sum over all phases)",
    91: "Neutral current",
    92: "Neutral voltage",
}

# --- electricity value group D, "how it is processed" ---------------------------------------

PROCESSING: dict[int, str] = {
    0: "billing period average",
    7: "instantaneous",
    8: "time integral 1 (energy)",
    9: "time integral 2",
    10: "time integral 3",
    17: "time integral 7",
    18: "time integral 8",
    19: "time integral 9",
    20: "time integral 10",
    27: "current average 5",
    28: "current average 6",
    29: "time integral 5",
    30: "time integral 6",
    31: "under limit threshold",
    32: "under limit occurrence counter",
    33: "under limit duration",
    34: "under limit magnitude",
    35: "over limit threshold",
    36: "over limit occurrence counter",
    37: "over limit duration",
    38: "over limit magnitude",
    39: "missing threshold",
    40: "missing occurrence counter",
    41: "missing duration",
    42: "missing magnitude",
    55: "test average",
    58: "time integral 4 (test)",
    # D = 1..6, 11..16 and 21..26 repeat one pattern for demand schemes 1, 2 and 3.
    **{
        base + offset: f"{label} {scheme}"
        for scheme, base in ((1, 0), (2, 10), (3, 20))
        for offset, label in (
            (1, "cumulative minimum"),
            (2, "cumulative maximum"),
            (3, "minimum"),
            (4, "current average (demand)"),
            (5, "last average (demand)"),
            (6, "maximum (demand)"),
        )
    },
}

ELECTRICITY_ENERGY_D = frozenset({8, 9, 10, 17, 18, 19, 20, 29, 30, 58})
ELECTRICITY_DEMAND_D = frozenset({0, *range(1, 7), *range(11, 17), *range(21, 29), 55})

# C = 81, D = 7: E = 10 × reference + target, each an index into this table.
PHASE_ANGLE_ENDS = {
    0: "U(L1)", 1: "U(L2)", 2: "U(L3)", 4: "I(L1)", 5: "I(L2)", 6: "I(L3)", 7: "I(N)",
}

# --- abstract objects (A = 0): browser categories by value group C --------------------------

ABSTRACT_GROUPS: tuple[tuple[tuple[int, int], str], ...] = (
    ((1, 1), "Clock"),
    ((2, 2), "Communication"),
    ((10, 19), "Control"),
    ((20, 39), "Communication"),
    ((40, 41), "Association & security"),
    ((42, 42), "Identification"),
    ((43, 43), "Association & security"),
    ((44, 44), "Control"),
)

# --- named objects --------------------------------------------------------------------------

_ABSTRACT = {
    (0, 1, 0, 0): "Clock",
    (0, 0, 1, 0): "Billing period counter",
    (0, 96, 1, 0): "Serial number (device ID 1)",
    (0, 42, 0, 0): "COSEM logical device name (Microstar notes: firmware version)",
    (0, 40, 0, 0): "Current association (Association LN)",
    (0, 41, 0, 0): "SAP assignment",
    (0, 20, 0, 0): "IEC optical port setup",
    (0, 22, 0, 0): "IEC HDLC setup",
    (0, 25, 0, 0): "TCP-UDP setup",
    (0, 25, 1, 0): "IPv4 setup",
    (0, 25, 9, 0): "Push setup",
    (0, 43, 0, 0): "Security setup",
    (0, 43, 1, 0): "Invocation counter",
    (0, 44, 0, 0): "Image transfer (firmware upgrade)",
    (0, 96, 3, 10): "Disconnect control",
    (0, 96, 10, 1): "Status register (profile status)",
    (0, 96, 11, 0): "Event code (standard event log)",
    (0, 96, 14, 0): "Currently active tariff",
    (0, 99, 98, 0): "Event log",
    (0, 10, 0, 0): "Global meter reset script table",
    (0, 10, 0, 1): "End of billing period script table",
    (0, 10, 0, 100): "Tariffication script table",
    (0, 10, 0, 106): "Disconnect control script table",
    (0, 11, 0, 0): "Special days table",
    (0, 13, 0, 0): "Activity calendar",
    (0, 15, 0, 0): "End of billing period single action schedule",
    (0, 17, 0, 0): "Limiter",
    **{(0, 96, 1, e): f"Device ID {e + 1}" for e in range(1, 10)},
    **{(0, 40, 0, e): f"Association LN instance {e}" for e in range(1, 8)},
}

_ELECTRICITY = {
    (1, 0, 0, 0): "Electricity ID 1",
    (1, 0, 2, 0): "Active firmware identifier",
    (1, 0, 2, 8): "Active firmware signature",
    (1, 0, 8, 0): "Demand integration period",
    (1, 0, 8, 4): "Load profile recording interval",
    (1, 99, 1, 0): "Load profile",
    (1, 99, 2, 0): "Load profile 2",
    (1, 98, 1, 0): "Billing period data",
    (1, 1, 7, 0): "Active power+ (P+, import)",
    (1, 2, 7, 0): "Active power− (P−, export)",
    (1, 3, 7, 0): "Reactive power+ (Q+)",
    (1, 4, 7, 0): "Reactive power− (Q−)",
    (1, 9, 7, 0): "Apparent power (S)",
    (1, 13, 7, 0): "Power factor",
    (1, 14, 7, 0): "Supply frequency",
    (1, 91, 7, 0): "Neutral current",
    # Per-phase instantaneous values: L1 at C, L2 at C + 20, L3 at C + 40.
    **{
        (1, c + 20 * (phase - 1), 7, 0): f"{label} L{phase}"
        for phase in (1, 2, 3)
        for c, label in (
            (32, "Voltage"), (31, "Current"), (21, "Active power+"), (22, "Active power−"),
            (23, "Reactive power+"), (24, "Reactive power−"), (29, "Apparent power"),
            (33, "Power factor"),
        )
    },
    # Energy registers: E = 0 total, E = 1..8 tariff rates.
    **{
        (1, c, 8, e): label if e == 0 else f"{label}, tariff {e}"
        for e in range(9)
        for c, label in (
            (1, "Active energy import (+A)"), (2, "Active energy export (−A)"),
            (3, "Reactive energy import (+R)"), (4, "Reactive energy export (−R)"),
            (9, "Apparent energy import (+S)"),
        )
    },
    **{
        (1, c, d, 0): f"{kind} active {direction}"
        for c, direction in ((1, "import (+P)"), (2, "export (−P)"))
        for d, kind in ((4, "Current demand"), (5, "Last demand"), (6, "Maximum demand"))
    },
}

EXACT_NAMES: dict[tuple[int, int, int, int], str] = {**_ABSTRACT, **_ELECTRICITY}
