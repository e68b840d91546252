"""The help catalogue the office starts with: SGB VIII §§ 27–35a, 41, 42 and own offers."""

# code, legal basis, name, is placement, is the office's own Sozialraum offer
HELP_TYPES = [
    ("27-2", "§ 27 Abs. 2 SGB VIII", "Flexible Hilfe zur Erziehung", False, False),
    ("28", "§ 28 SGB VIII", "Erziehungsberatung", False, False),
    ("29", "§ 29 SGB VIII", "Soziale Gruppenarbeit", False, False),
    ("30", "§ 30 SGB VIII", "Erziehungsbeistand, Betreuungshelfer", False, False),
    ("31", "§ 31 SGB VIII", "Sozialpädagogische Familienhilfe", False, False),
    ("32", "§ 32 SGB VIII", "Erziehung in einer Tagesgruppe", False, False),
    ("33", "§ 33 SGB VIII", "Vollzeitpflege", True, False),
    ("34", "§ 34 SGB VIII", "Heimerziehung, sonstige betreute Wohnform", True, False),
    ("35", "§ 35 SGB VIII", "Intensive sozialpädagogische Einzelbetreuung", False, False),
    ("35a-amb", "§ 35a SGB VIII", "Eingliederungshilfe, ambulant", False, False),
    ("35a-stat", "§ 35a SGB VIII", "Eingliederungshilfe, stationär", True, False),
    ("41", "§ 41 SGB VIII", "Hilfe für junge Volljährige, ambulant", False, False),
    ("41-stat", "§ 41 SGB VIII", "Hilfe für junge Volljährige, stationär", True, False),
    ("42", "§ 42 SGB VIII", "Inobhutnahme", True, False),
    ("SR-flex", "", "Flexible Unterstützung im Sozialraum", False, True),
    ("SR-gruppe", "", "Gruppenangebot im Sozialraum", False, True),
    ("SR-beratung", "", "Offene Beratung im Sozialraum", False, True),
]
