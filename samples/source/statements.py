"""Annotations of the ministry, state-media, council and Hezbollah statements."""
# ruff: noqa: E501  (quoted evidence phrases are data and stay whole)

from annotate import doc, ev

R = "reports/"
# ---------------- government / military statements ----------------
doc(R + "2016-10-17_turkish-general-staff-dabiq.txt", "2016-10-17", "government", events=[
    ev("Non-state actor overtakes territory", "Dabiq", "Dabiq", "2016-10-16", actor="Syrian National Army",
       actor_text="Free Syrian Army elements supported by the Turkish Armed Forces", target="ISIS",
       target_text="DAESH terrorists", speaker="Turkish General Staff", modality="asserted",
       evidence="took control of the settlements of Dabiq, Soran and Ihtimaliyah on 16 October 2016",
       incident="dabiq-2016-10-16", actor_also=["Syrian opposition", "Turkey"]),
    ev("Non-state actor overtakes territory", "Soran", "Soran", "2016-10-16", actor="Syrian National Army",
       actor_text="Free Syrian Army elements supported by the Turkish Armed Forces", target="ISIS",
       speaker="Turkish General Staff", modality="asserted",
       evidence="took control of the settlements of Dabiq, Soran and Ihtimaliyah on 16 October 2016",
       actor_also=["Syrian opposition", "Turkey"], optional=True,
       note="the second and third places of one sentence: a separate event per place is welcome, not required"),
    ev("Non-state actor overtakes territory", "Ihtimaliyah", "Ihtimaliyah", "2016-10-16",
       actor="Syrian National Army", target="ISIS", speaker="Turkish General Staff", modality="asserted",
       evidence="took control of the settlements of Dabiq, Soran and Ihtimaliyah on 16 October 2016",
       actor_also=["Syrian opposition", "Turkey"], optional=True),
    ev("Air/drone strike", "around Dabiq and Akhtarin", "Dabiq", "2016-10-16", "2016-10-17",
       date_text="In the past 24 hours", actor="Turkey", actor_text="Turkish fighter jets", target="ISIS",
       target_text="14 DAESH targets", effects=[("destroyed", 11, "buildings"), ("destroyed", 2, "weapons depots"),
                                                ("destroyed", 1, "vehicle")],
       speaker="Turkish General Staff", modality="asserted",
       evidence="Turkish fighter jets struck 14 DAESH targets around Dabiq and Akhtarin", place_also=["Akhtarin"]),
    ev("Shelling/artillery/missile attack", "near Akhtarin", "Akhtarin", "2016-10-16", "2016-10-17",
       actor="Turkey", actor_text="Turkish artillery and multiple rocket launchers", target="ISIS", killed=9,
       speaker="Turkish General Staff", modality="asserted",
       evidence="Turkish artillery and multiple rocket launchers fired on 27 DAESH targets near Akhtarin",
       note="date: the statement's 24-hour window (no date in the sentence)"),
    ev("Armed clash", "near Dabiq", "Dabiq", "2016-10-16", "2016-10-17", actor="Syrian National Army",
       actor_text="Free Syrian Army", target="ISIS", killed=1, injured=5, speaker="Turkish General Staff",
       modality="asserted", evidence="During clashes near Dabiq, one Free Syrian Army member was killed",
       actor_also=["Syrian opposition"], optional=True),
], not_events=[
    "Since the start of the operation on 24 August 2016, 1,300 square kilometres have been cleared",
    "The operation will continue until the region is fully cleared",
])

doc(R + "2016-10-26_iraqi-joc-rutba-regained.txt", "2016-10-26", "government", events=[
    ev("Government regains territory", "Rutba", "Rutba", "2016-10-25", actor="Iraqi security forces",
       actor_text="Iraqi security forces", target="ISIS", target_text="the last ISIS fighters",
       speaker="Joint Operations Command", modality="asserted",
       evidence="regained full control of Rutba on Tuesday, October 25", incident="rutba-regained-2016-10-25",
       killed=34, note="the 34 killed are given for the whole operation in a later sentence"),
    ev("Government regains territory", "the operation", "Rutba", "2016-10-25", actor="Iraqi security forces",
       target="ISIS", killed=34, injured=6, speaker="Joint Operations Command", modality="asserted",
       evidence="In all, 34 terrorists were killed during the operation", incident="rutba-regained-2016-10-25",
       optional=True, sub_type_also=["Armed clash"], note="a sentence that only gives the toll of the event above: a separate mention is welcome, not required"),
    ev("Air/drone strike", "toward the Syrian border", "Rutba", "2016-10-25", actor="Iraqi security forces",
       actor_text="The Iraqi air force", target="ISIS", target_text="four vehicles carrying ISIS fighters",
       effects=[("destroyed", 4, "vehicles")], speaker="Joint Operations Command", modality="asserted",
       evidence="The Iraqi air force destroyed four vehicles carrying ISIS fighters",
       note="the place is the flight from Rutba toward the border; date from the statement's context"),
], not_events=[
    "Counter-terrorism units are now searching the town house by house for sleeper cells.",
    "The Command calls on citizens to report any suspicious movement",
])

doc(R + "2016-10-31_russian-mod-briefing.txt", "2016-10-31", "government", events=[
    ev("Air/drone strike", "in the provinces of Homs, Hama and Idlib", None, "2016-10-30", actor="Russia",
       actor_text="aircraft of the Russian Aerospace Forces", target=None, target_text="47 targets of terrorist groups",
       sorties=22, speaker="Russian Ministry of Defence", modality="asserted", country="SY",
       evidence="carried out 22 sorties in Syria and struck 47 targets of terrorist groups", optional=True,
       note="a summary over three provinces (region precision): welcome, not required"),
    ev("Air/drone strike", "Near the settlement of Talbiseh in Homs province", "Talbiseh", "2016-10-30",
       actor="Russia", actor_text="a Su-24M bomber", target="ISIS", target_text="a command post of ISIS militants",
       effects=[("destroyed", 1, "command post"), ("destroyed", 1, "ammunition depot")], killed=30,
       speaker="Russian Ministry of Defence", modality="asserted",
       evidence="Near the settlement of Talbiseh in Homs province, a Su-24M bomber destroyed a command post",
       incident="talbiseh-2016-10-30", note="killed: 'up to 30 militants' in the next sentence"),
    ev("Air/drone strike", "In the area of Morek in Hama province", "Morek", "2016-10-30", actor="Russia",
       actor_text="Su-25 attack aircraft", target="Jabhat Fateh al-Sham", target_text="positions of Jabhat al-Nusra",
       effects=[("destroyed", 3, "armoured vehicles"), ("destroyed", 1, "mortar battery")],
       speaker="Russian Ministry of Defence", modality="asserted",
       evidence="In the area of Morek in Hama province, Su-25 attack aircraft struck positions of Jabhat al-Nusra"),
], not_events=[
    "Russian and Syrian aircraft have not carried out strikes within 10 kilometres of Aleppo for 13 days",
    "The Russian side is ready to extend the pause",
    "continues to deliver humanitarian aid to the population",
])

doc(R + "2016-11-10_iraqi-mod-hawija.txt", "2016-11-10", "government", events=[
    ev("Air/drone strike", "in Hawija", "Hawija", "2016-11-08", date_text="on Tuesday",
       actor="Iraqi security forces", actor_text="The Iraqi air force", target="ISIS",
       target_text="the main ISIS headquarters", effects=[("destroyed", 1, "headquarters")], killed=40,
       speaker="Iraqi Ministry of Defence", modality="asserted",
       evidence="destroyed the main ISIS headquarters in Hawija on Tuesday, killing 40 terrorists",
       incident="hawija-2016-11-08"),
    ev("Air/drone strike", "on the road between Hawija and Riyadh", "Hawija", "2016-11-08",
       actor="Iraqi security forces", actor_text="Iraqi F-16 aircraft", target="ISIS", target_text="an ISIS convoy",
       effects=[("destroyed", 6, "vehicles")], speaker="Iraqi Ministry of Defence", modality="asserted",
       evidence="Iraqi F-16 aircraft also struck an ISIS convoy on the road between Hawija and Riyadh",
       note="date taken from the previous sentence's Tuesday"),
], not_events=[
    "the Iraqi air force continues to pursue the remnants of the terrorist gangs",
    "Hawija will be liberated soon",
])

doc(R + "2016-11-17_russian-mod-idlib.txt", "2016-11-17", "government", events=[
    ev("Air/drone strike", "Near Kafr Takharim in Idlib province", "Kafr Takharim", "2016-11-16", actor="Russia",
       actor_text="aircraft of the Russian Aerospace Forces", target="Jabhat Fateh al-Sham",
       target_text="two ammunition depots and a workshop where Jabhat al-Nusra militants assembled explosive devices",
       effects=[("destroyed", 2, "ammunition depots"), ("destroyed", 1, "workshop")], civilians_killed=0,
       speaker="Russian Ministry of Defence", modality="asserted",
       evidence="Near Kafr Takharim in Idlib province, precision strikes destroyed two ammunition depots",
       incident="kafr-takharim-2016-11-16",
       note="civilians_killed 0 stands for the statement's 'no civilian objects were hit'"),
    ev("Air/drone strike", "near al-Qaryatayn", "al-Qaryatayn", "2016-11-16", actor="Russia", target="ISIS",
       target_text="an ISIS training camp", effects=[("destroyed", 1, "training camp")], killed=20,
       speaker="Russian Ministry of Defence", modality="asserted",
       evidence="strikes near al-Qaryatayn destroyed an ISIS training camp and killed about 20 militants"),
    ev("Air/drone strike", "residential areas in Idlib province", "Idlib", None, actor="Russia",
       target="civilians", target_text="residential areas", speaker="Russian Ministry of Defence",
       modality="denied", evidence="Claims by certain media that Russian aircraft struck residential areas",
       optional=True, note="a denial of other reports; region precision; no date"),
], not_events=["Strikes on Aleppo are not being carried out.",
               "The humanitarian corridors out of the eastern districts of the city remain open."])

doc(R + "2016-11-18_kafr-takharim-local-council.txt", "2016-11-18", "ngo", events=[
    ev("Air/drone strike", "the crowded market of our town of Kafr Takharim", "Kafr Takharim", "2016-11-16",
       date_text="On Wednesday afternoon, November 16", actor="Russia", actor_text="Russian warplanes",
       target="civilians", target_text="the crowded market", killed=36, injured=50, civilians_killed=36,
       children_killed=5, speaker="Local Council of Kafr Takharim", modality="asserted",
       evidence="Russian warplanes struck the crowded market of our town of Kafr Takharim",
       incident="kafr-takharim-2016-11-16",
       note="toll in the next sentence: 36 civilians including five children; 'more than 50' injured"),
    ev("Air/drone strike", "Kafr Takharim", "Kafr Takharim", "2016-11-16", actor="Russia",
       speaker="Local Council of Kafr Takharim", modality="disputed",
       evidence="We reject the statement of the Russian Ministry of Defence", incident="kafr-takharim-2016-11-16",
       optional=True, note="the council disputes the ministry's account of the same strike"),
], not_events=["Any future strike on civilian areas would be a new war crime.",
               "We call on the United Nations and human rights organisations to send investigators"])

doc(R + "2016-11-26_sana-hanano.txt", "2016-11-26", "government", events=[
    ev("Government regains territory", "Masaken Hanano", "Hanano", "2016-11-26",
       actor="Syrian government forces", actor_text="Army units", target="Jabhat Fateh al-Sham",
       target_text="the last terrorists of Jabhat al-Nusra", speaker="SANA", modality="asserted",
       evidence="restored security and stability on Saturday to Masaken Hanano", incident="hanano-2016-11-26",
       target_also=["Syrian opposition"]),
    ev("Shelling/artillery/missile attack", "al-Furqan and al-Hamdaniya neighbourhoods in Aleppo city",
       "al-Furqan", "2016-11-26", actor=None, actor_text="terrorists", target="civilians", killed=3,
       injured=12, civilians_killed=3, speaker="SANA", modality="asserted",
       evidence="terrorists fired rocket shells on al-Furqan and al-Hamdaniya neighbourhoods",
       place_also=["Aleppo"], sub_type_also=["Attack"],
       note="state media call every armed opponent 'terrorists': the actor stays unknown"),
], not_events=["the army units dismantled scores of explosive devices and mines",
               "engineering units are working to open the roads"])

doc(R + "2016-11-29_hezbollah-media-sheikh-saeed.txt", "2016-11-29", "government", events=[
    ev("Government regains territory", "the Sheikh Saeed quarter in south-eastern Aleppo", "Sheikh Saeed",
       "2016-11-28", actor="Syrian government forces", actor_text="The Syrian Arab Army and the allied forces",
       target="Jabhat Fateh al-Sham", target_text="the terrorists of Jabhat al-Nusra",
       speaker="Hezbollah's military media unit", modality="asserted",
       evidence="took full control of the Sheikh Saeed quarter in south-eastern Aleppo on Monday",
       incident="sheikh-saeed-2016-11-28", actor_also=["Hezbollah"],
),
    ev("Air/drone strike", "the Bustan al-Qasr quarter", "Bustan al-Qasr", "2016-11-28",
       actor="Syrian government forces", actor_text="The Syrian air force", target="Syrian opposition",
       target_text="a convoy of terrorists", effects=[("destroyed", 1, "convoy")],
       speaker="Hezbollah's military media unit", modality="asserted",
       evidence="The Syrian air force destroyed a convoy of terrorists", place_also=["Aleppo"],
       target_also=["Jabhat Fateh al-Sham", None]),
], not_events=["began clearing the Sheikh Saeed quarter of mines"])

doc(R + "2016-12-05_idn-monthly-report-november.pdf", "2016-12-05", "ngo", events=[
    ev("Air/drone strike", "the main hospital in Maarat al-Numan", "Maarat al-Numan", "2016-11-14",
       date_text="On 14 November", actor=None, actor_text="air strikes", target="civilians",
       target_text="the main hospital", injured=2, speaker="Idlib Documentation Network", modality="asserted",
       evidence="On 14 November, air strikes hit the main hospital in Maarat al-Numan",
       incident="maarat-hospital-2016-11-14"),
    ev("Air/drone strike", "the market of Kafr Takharim", "Kafr Takharim", "2016-11-16", date_text="On 16 November",
       actor="Russia", actor_text="three missiles", target="civilians", target_text="the market", killed=34,
       civilians_killed=34, children_killed=5, speaker="Idlib Documentation Network", modality="asserted",
       evidence="On 16 November, three missiles struck the market of Kafr Takharim", incident="kafr-takharim-2016-11-16",
       actor_also=[None], note="the toll and the attribution ('point to a Russian strike') are in the next sentences; "
       "34 revises the network's first estimate of 21 or 22"),
    ev("Air/drone strike", "the town of Jisr al-Shughur", "Jisr al-Shughur", "2016-11-22", date_text="On 22 November",
       actor="Syrian government forces", actor_text="Syrian government helicopters", target="civilians",
       target_text="the town", killed=4, civilians_killed=4, speaker="Idlib Documentation Network",
       modality="asserted", evidence="Syrian government helicopters dropped two barrel bombs on the town of Jisr al-Shughur",
       note="barrel bombs from helicopters: an air strike in ACLED's terms"),
    ev("Air/drone strike", "a civil defence centre in Saraqib", "Saraqib", "2016-11-27", "2016-11-28",
       date_text="On the night of 27 to 28 November", actor=None, actor_text="an air strike", target="civilians",
       target_text="a civil defence centre", killed=0, injured=0, speaker="Idlib Documentation Network",
       modality="asserted", evidence="an air strike destroyed a civil defence centre in Saraqib",
       effects=[("destroyed", 1, "civil defence centre")], note="'Nobody was hurt': known zeros, not unknowns"),
], summaries=[
    "In November 2016 our field team documented 41 attacks on civilian areas of Idlib province",
    "We could attribute 19 of the attacks to Russian aircraft and 12 to Syrian government aircraft",
], not_events=[
    "Each incident is checked with at least two independent witnesses",
    "All parties should stop attacking markets, hospitals and rescue teams.",
    "An independent investigation into the market attack in Kafr Takharim would help to establish responsibility.",
], title="Monthly report on attacks on civilians in Idlib province, November 2016",
    author="Idlib Documentation Network")
