"""Annotations of the coalition strike releases (one event per strike line)."""
# ruff: noqa: E501  (quoted evidence phrases are data and stay whole)

from annotate import doc, neg, strike

R = "reports/"
# ---------------- coalition releases ----------------
f = R + "2016-10-21_coalition-release-20161021.txt"
D = "2016-10-20"
doc(f, "2016-10-21", "military", summaries=['On Oct. 20, Coalition military forces conducted 17 strikes consisting of 61 engagements', 'In Syria, attack and remote-piloted aircraft conducted four strikes consisting of seven engagements', 'In Iraq, attack, bomber, fighter and rotary-wing aircraft and rocket artillery conducted 13 strikes'], events=[
    strike("Near Abu Kamal", "Abu Kamal", D, 1, None,
           [("destroyed", 1, "oil wellhead"), ("destroyed", 2, "tanker trucks")],
           "Near Abu Kamal, one strike destroyed an ISIL oil wellhead and two ISIL tanker trucks."),
    strike("Near Ar Raqqah", "Raqqa", D, 2, 4,
           [("engaged", 1, "tactical unit"), ("destroyed", 1, "weapons cache"), ("destroyed", 1, "fighting position")],
           "Near Ar Raqqah, two strikes consisting of four engagements engaged an ISIL tactical unit"),
    strike("Near Dayr Az Zawr", "Deir ez-Zor", D, 1, 2,
           [("destroyed", 1, "oil pump jack"), ("destroyed", 1, "checkpoint")],
           "Near Dayr Az Zawr, one strike consisting of two engagements destroyed an ISIL oil pump jack"),
    strike("Near Mosul", "Mosul", D, 7, 38,
           [("engaged", 5, "tactical units"), ("destroyed", 11, "fighting positions"),
            ("destroyed", 4, "vehicle-borne bombs"), ("destroyed", 2, "mortar systems"),
            ("destroyed", 1, "tunnel entrance")],
           "Near Mosul, seven strikes consisting of 38 engagements engaged five ISIL tactical units"),
    strike("Near Qayyarah", "Qayyarah", D, 2, 6,
           [("struck", 1, "artillery position"), ("destroyed", 1, "rocket rail")],
           "Near Qayyarah, two strikes consisting of six engagements struck an ISIL artillery position"),
    strike("Near Bashir", "Bashir", D, 1, 2,
           [("destroyed", 1, "fighting position"), ("suppressed", 1, "sniper team")],
           "Near Bashir, one strike consisting of two engagements destroyed an ISIL fighting position"),
    strike("Near Tal Afar", "Tal Afar", D, 1, None, [("destroyed", 1, "command and control node")],
           "Near Tal Afar, one strike destroyed an ISIL command and control node."),
    strike("Near Ramadi", "Ramadi", D, 2, 7,
           [("suppressed", 1, "mortar team"), ("destroyed", 1, "staging area")],
           "Near Ramadi, two strikes consisting of seven engagements suppressed an ISIL mortar team"),
], not_events=[
    "The Coalition will continue to strike ISIL wherever it finds the group's fighters and equipment.",
    "a single strike may therefore hit several targets",
], lead={"date_start": D, "strikes": 17, "engagements": 61, "syria_strikes": 4, "iraq_strikes": 13})

f = R + "2016-10-25_coalition-release-20161025.txt"
D = "2016-10-24"
doc(f, "2016-10-25", "military", summaries=['On Oct. 24, Coalition military forces conducted 17 strikes consisting of 77 engagements', 'In Syria, fighter and remote-piloted aircraft conducted three strikes consisting of five engagements', 'In Iraq, attack, bomber, fighter and remote-piloted aircraft and rocket artillery conducted 14 strikes'], events=[
    strike("Near Abu Kamal", "Abu Kamal", D, 1, 2,
           [("destroyed", 1, "oil collection point"), ("destroyed", 3, "tanker trucks")],
           "Near Abu Kamal, one strike consisting of two engagements destroyed an ISIL oil collection point",
           "abukamal-2016-10-24"),
    strike("Near Ar Raqqah", "Raqqa", D, 2, 3,
           [("engaged", 2, "tactical units"), ("destroyed", 1, "vehicle")],
           "Near Ar Raqqah, two strikes consisting of three engagements engaged two ISIL tactical units"),
    strike("Near Mosul", "Mosul", D, 8, 51,
           [("engaged", 6, "tactical units"), ("destroyed", 14, "fighting positions"),
            ("destroyed", 5, "vehicle-borne bombs"), ("destroyed", 3, "vehicles"),
            ("destroyed", 2, "heavy machine guns"), ("destroyed", 1, "bunker")],
           "Near Mosul, eight strikes consisting of 51 engagements engaged six ISIL tactical units",
           "mosul-2016-10-24"),
    strike("Near Rutbah", "Rutba", D, 3, 11,
           [("engaged", 3, "tactical units"), ("destroyed", 1, "vehicle"), ("destroyed", 1, "fighting position")],
           "Near Rutbah, three strikes consisting of 11 engagements engaged three ISIL tactical units",
           "rutba-strikes-2016-10-24"),
    strike("Near Kisik", "Kisik", D, 1, 4,
           [("destroyed", 1, "mortar system"), ("destroyed", 1, "supply route")],
           "Near Kisik, one strike consisting of four engagements destroyed an ISIL mortar system"),
    strike("Near Sinjar", "Sinjar", D, 2, 6,
           [("destroyed", 1, "tunnel system"), ("destroyed", 2, "command posts")],
           "Near Sinjar, two strikes consisting of six engagements destroyed an ISIL tunnel system"),
], not_events=["Additional strikes may be reported once the damage has been assessed."],
    lead={"date_start": D, "strikes": 17, "engagements": 77, "syria_strikes": 3, "iraq_strikes": 14})

f = R + "2016-11-03_coalition-release-20161103.txt"
D = "2016-11-02"
doc(f, "2016-11-03", "military", summaries=['On Nov. 2, Coalition military forces conducted 11 strikes consisting of 48 engagements', 'In Iraq, attack, bomber, fighter and remote-piloted aircraft conducted 11 strikes'], events=[
    strike("Near Mosul", "Mosul", D, 6, 30,
           [("engaged", 4, "tactical units"), ("destroyed", 9, "fighting positions"),
            ("destroyed", 3, "vehicle-borne bombs"), ("destroyed", 1, "vehicle bomb factory"),
            ("destroyed", 1, "anti-aircraft gun")],
           "Near Mosul, six strikes consisting of 30 engagements engaged four ISIL tactical units"),
    strike("Near Tal Afar", "Tal Afar", D, 2, 9,
           [("engaged", 1, "tactical unit"), ("destroyed", 2, "vehicles"), ("destroyed", 1, "weapons cache")],
           "Near Tal Afar, two strikes consisting of nine engagements engaged an ISIL tactical unit"),
    strike("Near Haditha", "Haditha", D, 1, 3, [("destroyed", 1, "rocket launch site")],
           "Near Haditha, one strike consisting of three engagements destroyed an ISIL rocket launch site."),
    strike("Near Qayyarah", "Qayyarah", D, 1, 4,
           [("destroyed", 1, "tunnel entrance"), ("destroyed", 2, "boats")],
           "Near Qayyarah, one strike consisting of four engagements destroyed an ISIL tunnel entrance"),
    strike("Near Rawah", "Rawa", D, 1, 2, [("suppressed", 1, "mortar team")],
           "Near Rawah, one strike consisting of two engagements suppressed an ISIL mortar team."),
], negatives=[neg("SY", D, "There were no reported strikes in Syria on Nov. 2.")],
    not_events=["Coalition aircraft remain ready to strike ISIL targets in Syria as conditions allow."],
    lead={"date_start": D, "strikes": 11, "engagements": 48, "syria_strikes": 0, "iraq_strikes": 11})

f = R + "2016-11-09_coalition-release-20161109.txt"
D = "2016-11-08"
doc(f, "2016-11-09", "military", summaries=['On Nov. 8, Coalition military forces conducted 19 strikes consisting of 68 engagements', 'In Syria, bomber, fighter and remote-piloted aircraft conducted seven strikes consisting of 12 engagements', 'In Iraq, attack, bomber, fighter, rotary-wing and remote-piloted aircraft and rocket artillery conducted 12 strikes'], events=[
    strike("Near Ar Raqqah", "Raqqa", D, 5, 8,
           [("engaged", 4, "tactical units"), ("destroyed", 3, "fighting positions"),
            ("destroyed", 1, "vehicle-borne bomb")],
           "Near Ar Raqqah, five strikes consisting of eight engagements engaged four ISIL tactical units"),
    strike("Near Ayn Isa", "Ain Issa", D, 1, 2, [("destroyed", 1, "heavy machine gun")],
           "Near Ayn Isa, one strike consisting of two engagements destroyed an ISIL heavy machine gun."),
    strike("Near Abu Kamal", "Abu Kamal", D, 1, 2, [("destroyed", 1, "oil storage tank")],
           "Near Abu Kamal, one strike consisting of two engagements destroyed an ISIL oil storage tank."),
    strike("Near Mosul", "Mosul", D, 8, 44,
           [("engaged", 7, "tactical units"), ("destroyed", 12, "fighting positions"),
            ("destroyed", 6, "vehicle-borne bombs"), ("destroyed", 4, "mortar systems"),
            ("destroyed", 1, "sniper position")],
           "Near Mosul, eight strikes consisting of 44 engagements engaged seven ISIL tactical units"),
    strike("Near Hawijah", "Hawija", D, 2, 6,
           [("engaged", 1, "tactical unit"), ("destroyed", 1, "headquarters building"), ("destroyed", 1, "vehicle")],
           "Near Hawijah, two strikes consisting of six engagements engaged an ISIL tactical unit",
           "hawija-2016-11-08"),
    strike("Near Tal Afar", "Tal Afar", D, 1, 3, [("destroyed", 1, "weapons factory")],
           "Near Tal Afar, one strike consisting of three engagements destroyed an ISIL weapons factory."),
    strike("Near Al Qaim", "Al-Qaim", D, 1, 3, [("destroyed", 1, "vehicle"), ("destroyed", 1, "checkpoint")],
           "Near Al Qaim, one strike consisting of three engagements destroyed an ISIL vehicle"),
], not_events=["The Coalition is prepared to increase the pace of strikes near Raqqa"],
    lead={"date_start": D, "strikes": 19, "engagements": 68, "syria_strikes": 7, "iraq_strikes": 12})

f = R + "2016-11-21_coalition-release-20161121.txt"
D, E = "2016-11-18", "2016-11-20"
def wk(*a, **k):
    return strike(*a, day_end=E, date_text="Between Nov. 18 and Nov. 20", **k)
doc(f, "2016-11-21", "military", summaries=['Between Nov. 18 and Nov. 20, Coalition military forces conducted 52 strikes consisting of 147 engagements', 'In Syria, attack, bomber, fighter and remote-piloted aircraft conducted 14 strikes consisting of 31 engagements', 'In Iraq, attack, bomber, fighter, rotary-wing and remote-piloted aircraft and rocket artillery conducted 38 strikes'], events=[
    wk("Near Dayr Az Zawr", "Deir ez-Zor", D, 4, 9,
       [("destroyed", 34, "tanker trucks"), ("destroyed", 1, "oil storage tank")],
       "Near Dayr Az Zawr, four strikes consisting of nine engagements destroyed 34 ISIL tanker trucks",
       "deirezzor-trucks-2016-11-19"),
    wk("Near Ar Raqqah", "Raqqa", D, 7, 19,
       [("engaged", 6, "tactical units"), ("destroyed", 5, "fighting positions"), ("destroyed", 1, "command post"),
        ("destroyed", 2, "vehicles")],
       "Near Ar Raqqah, seven strikes consisting of 19 engagements engaged six ISIL tactical units"),
    wk("Near Abu Kamal", "Abu Kamal", D, 2, 2, [("destroyed", 1, "oil wellhead"), ("destroyed", 1, "pump station")],
       "Near Abu Kamal, two strikes consisting of two engagements destroyed an ISIL oil wellhead"),
    wk("Near Ash Shaddadi", "Shaddadi", D, 1, None, [("destroyed", 1, "weapons cache")],
       "Near Ash Shaddadi, one strike destroyed an ISIL weapons cache."),
    wk("Near Mosul", "Mosul", D, 29, 95,
       [("engaged", 18, "tactical units"), ("destroyed", 27, "fighting positions"),
        ("destroyed", 12, "vehicle-borne bombs"), ("destroyed", 9, "mortar systems"), ("destroyed", 6, "tunnels"),
        ("destroyed", 1, "drone launch site")],
       "Near Mosul, 29 strikes consisting of 95 engagements engaged 18 ISIL tactical units"),
    wk("Near Tal Afar", "Tal Afar", D, 4, 9,
       [("engaged", 2, "tactical units"), ("destroyed", 1, "bunker"), ("destroyed", 1, "supply route")],
       "Near Tal Afar, four strikes consisting of nine engagements engaged two ISIL tactical units"),
    wk("Near Qayyarah", "Qayyarah", D, 2, 5, [("destroyed", 1, "artillery piece"), ("destroyed", 1, "vehicle")],
       "Near Qayyarah, two strikes consisting of five engagements destroyed an ISIL artillery piece"),
    wk("Near Hit", "Hit", D, 1, 2, [("destroyed", 1, "fighting position")],
       "Near Hit, one strike consisting of two engagements destroyed an ISIL fighting position."),
    wk("Near Sinjar", "Sinjar", D, 2, 5, [("engaged", 1, "tactical unit"), ("destroyed", 1, "rocket launcher")],
       "Near Sinjar, two strikes consisting of five engagements engaged an ISIL tactical unit"),
], lead={"date_start": D, "date_end": E, "strikes": 52, "engagements": 147, "syria_strikes": 14,
         "iraq_strikes": 38})

f = R + "2016-11-28_coalition-release-20161128.txt"
D = "2016-11-27"
doc(f, "2016-11-28", "military", summaries=['On Nov. 27, Coalition military forces conducted 14 strikes consisting of 44 engagements', 'In Syria, fighter and remote-piloted aircraft conducted five strikes consisting of seven engagements', 'In Iraq, attack, bomber, fighter and remote-piloted aircraft conducted nine strikes consisting of 37 engagements'], events=[
    strike("Near Ar Raqqah", "Raqqa", D, 3, 4,
           [("engaged", 2, "tactical units"), ("destroyed", 1, "fighting position"), ("destroyed", 1, "mortar system")],
           "Near Ar Raqqah, three strikes consisting of four engagements engaged two ISIL tactical units"),
    strike("Near Dayr Az Zawr", "Deir ez-Zor", D, 1, None, [("destroyed", 1, "oil refinery still")],
           "Near Dayr Az Zawr, one strike destroyed an ISIL oil refinery still."),
    strike("Near Palmyra", "Palmyra", D, 1, 2, [("destroyed", 1, "anti-aircraft artillery piece")],
           "Near Palmyra, one strike consisting of two engagements destroyed an ISIL anti-aircraft artillery piece."),
    strike("Near Mosul", "Mosul", D, 7, 31,
           [("engaged", 5, "tactical units"), ("destroyed", 8, "fighting positions"),
            ("destroyed", 3, "vehicle-borne bombs"), ("destroyed", 2, "vehicle bomb factories"),
            ("destroyed", 1, "mortar system")],
           "Near Mosul, seven strikes consisting of 31 engagements engaged five ISIL tactical units"),
    strike("Near Tal Afar", "Tal Afar", D, 1, 4, [("engaged", 1, "tactical unit"), ("destroyed", 1, "fighting position")],
           "Near Tal Afar, one strike consisting of four engagements engaged an ISIL tactical unit"),
    strike("Near Al Qaim", "Al-Qaim", D, 1, 2, [("destroyed", 1, "weapons storage facility")],
           "Near Al Qaim, one strike consisting of two engagements destroyed an ISIL weapons storage facility."),
], lead={"date_start": D, "strikes": 14, "engagements": 44, "syria_strikes": 5, "iraq_strikes": 9})
