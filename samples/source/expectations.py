"""Hand-written expectations: which incidents are contested and why, expected grades, control timelines."""
# ruff: noqa: E501  (quoted evidence phrases are data and stay whole)

INCIDENTS = {
    "abukamal-2016-10-24": dict(
        summary="Coalition strike on an ISIS oil collection point near Abu Kamal on 24 Oct 2016",
        contested=False, grade="confirmed",
        why="the Coalition's own release, a wire story quoting it, a near-copy of the wire story, and residents "
            "(quoted by the wire) who saw the strike; the copy is not an independent source",
        copies=[["reports/2016-10-26_gulf-daily-monitor-abu-kamal.html", "reports/2016-10-25_levant-wire-abu-kamal.html"]]),
    "mosul-2016-10-24": dict(
        summary="Coalition strikes near Mosul on 24 Oct 2016, in the release and in two outlets quoting it",
        contested=False, grade=None,
        why="one release quoted by two outlets (one a copy of the other): one incident with three documents; "
            "only the Coalition speaks, so the grade depends on how the fuser counts relayed claims (weak or confirmed)"),
    "rutba-strikes-2016-10-24": dict(
        summary="Coalition strikes near Rutba on 24 Oct 2016", contested=False, grade=None,
        why="one release quoted by two outlets, as for Mosul"),
    "rutba-attack-2016-10-23": dict(
        summary="ISIS storms Rutba on 23 Oct 2016", contested=False, grade=None,
        why="a news report with its own sources; the wire's side mention is optional"),
    "hawija-2016-11-08": dict(
        summary="Strike on the ISIS headquarters in Hawija on 8 Nov 2016", contested=True, grade="contested",
        why="credit dispute: the Iraqi Ministry of Defence says the Iraqi air force struck it, the Coalition lists "
            "it in its own release and its spokesman disputes the Iraqi credit",
        contradictions=[
            {"field": "actor", "values": [
                {"value": "Iraqi security forces", "speaker": "Iraqi Ministry of Defence"},
                {"value": "Coalition", "speaker": "CJTF-OIR"}]}]),
    "talbiseh-2016-10-30": dict(
        summary="Russian strike near Talbiseh on 30 Oct 2016", contested=True, grade="contested",
        why="target dispute: Russia says an ISIS command post, rebel commanders say a Free Syrian Army brigade "
            "and a field clinic, and call the Russian claim groundless; tolls differ (up to 30 vs 5)",
        contradictions=[
            {"field": "target", "values": [
                {"value": "ISIS", "speaker": "Russian Ministry of Defence"},
                {"value": "Syrian opposition", "speaker": "Rebel commanders"}]},
            {"field": "killed", "values": [
                {"value": 30, "speaker": "Russian Ministry of Defence"},
                {"value": 5, "speaker": "Rebel commanders"}]}]),
    "kafr-takharim-2016-11-16": dict(
        summary="Strike on the market of Kafr Takharim on 16 Nov 2016", contested=True, grade="contested",
        why="the Russian Ministry of Defence says no civilian objects were hit; the local council counts 36 "
            "civilians killed including five children and calls the ministry's statement false; a monitor "
            "says 21 or 22 and cannot say whose aircraft, then revises its toll to 34 in its monthly report",
        contradictions=[
            {"field": "civilians_killed", "values": [
                {"value": 0, "speaker": "Russian Ministry of Defence"},
                {"value": 36, "speaker": "Local Council of Kafr Takharim"}]},
            {"field": "killed", "values": [
                {"value": 36, "speaker": "Local Council of Kafr Takharim"},
                {"value": 21, "speaker": "Idlib Documentation Network (first estimate, 21 or 22)"},
                {"value": 34, "speaker": "Idlib Documentation Network (monthly report)"}]},
            {"field": "target", "values": [
                {"value": "Jabhat Fateh al-Sham", "speaker": "Russian Ministry of Defence"},
                {"value": "civilians", "speaker": "Local Council of Kafr Takharim"}]}]),
    "deirezzor-trucks-2016-11-19": dict(
        summary="Coalition strikes on fuel trucks near Deir ez-Zor, 18-20 Nov 2016", contested=True,
        grade="contested",
        why="count dispute: the release says 34 tanker trucks destroyed (over a three-day range); activists "
            "quoted by a blog counted three trucks and two dead drivers at al-Tabni on the Saturday night, and "
            "the blog's author calls the figure very dubious; a reader comment adds a damaged house. "
            "al-Tabni lies some 40 km west of Deir ez-Zor, inside 'near' for a range-dated release line",
        contradictions=[
            {"field": "count", "object": "tanker trucks", "values": [
                {"value": 34, "speaker": "CJTF-OIR"},
                {"value": 3, "speaker": "Two activists"}]}]),
    "hanano-2016-11-26": dict(
        summary="Syrian government forces take the Hanano housing district of Aleppo, 26 Nov 2016",
        contested=False, grade="confirmed",
        why="the acting side's state media, a wire story citing a monitor and state media, and a later article"),
    "sheikh-saeed-2016-11-28": dict(
        summary="Syrian government forces take Sheikh Saeed, 28 Nov 2016", contested=False, grade=None,
        why="Hezbollah's media unit; a later article mentions it only as 'two days after losing it' (optional)"),
    "sheikh-saeed-2016-11-30": dict(
        summary="Rebels led by Jabhat Fateh al-Sham retake Sheikh Saeed, 30 Nov 2016", contested=True,
        grade="contested", why="rebel officials claim it; the Syrian army command denies the district fell"),
    "bartella-2016-10-20": dict(
        summary="Iraqi special forces retake Bartella, 20 Oct 2016", contested=False, grade=None,
        why="a news article and the Iraqi command's own post; both voices are the Iraqi side"),
    "talsaman-2016-11-14": dict(
        summary="SDF expels ISIS from Tal Saman, 14 Nov 2016", contested=False, grade=None,
        why="the SDF's post and a news article quoting the SDF statement"),
    "talsaman-strike-2016-11-13": dict(
        summary="Strike on the western edge of Tal Saman kills a family of four, 13 Nov 2016", contested=False,
        grade="weak", why="one source (Raqqa Voices) in its own post and relayed by a newspaper: not independent"),
    "maarat-hospital-2016-11-14": dict(
        summary="Air strikes put the main hospital of Maarat al-Numan out of service, 14 Nov 2016",
        contested=False, grade=None,
        why="a news article dates it 'earlier this week' (a range), the NGO report to the day: the range "
            "mention attaches to the day-level incident"),
    "palmyra-2016-12-11": dict(
        summary="ISIS retakes Palmyra, 11 Dec 2016", contested=False, grade=None,
        why="a wire story (monitor and state media) and a social post"),
}

KEEP_APART = [
    ["rutba-attack-2016-10-23", "rutba-strikes-2016-10-24", "different days and actors"],
    ["hawija-2016-11-08", "hawija-2016-11-08-strike", "the HQ strike and the convoy strike on the Hawija-Riyadh road"],
    ["abukamal-2016-10-24", "abu-kamal-2016-10-20-strike", "same place, different days"],
    ["abukamal-2016-10-24", "abu-kamal-2016-11-08-strike", "same place, different days"],
    ["sheikh-saeed-2016-11-28", "sheikh-saeed-2016-11-30", "a capture and the counter-attack two days later"],
    ["palmyra-2016-12-11", "palmyra-2016-03", "a capture and the earlier recapture"],
    ["talsaman-2016-11-14", "talsaman-strike-2016-11-13", "the capture and a strike the day before"],
    ["east-aleppo-2016-11-27", "west-aleppo-2016-11-27",
     "the same day in one city, but on opposite sides of the front line, by different actors"],
    ["hanano-2016-11-26", "jabal-badro-2016-11-27", "neighbouring districts taken on successive days"],
    ["kafr-takharim-2016-11-16", "al-qaryatayn-2016-11-16-strike", "one statement, two provinces"],
    ["abukamal-2016-10-24", "rutba-strikes-2016-10-24", "one wire story, two strikes in two countries"],
]

CONTROL = [
    {"place": "Bartella", "country": "IQ", "timeline": [
        {"holder": "ISIS", "since": "2014-08", "incidents": ["bartella-2014-08"]},
        {"holder": "Iraqi security forces", "since": "2016-10-20", "incidents": ["bartella-2016-10-20"]}],
     "checks": [{"on": "2016-10-01", "holder": "ISIS"}, {"on": "2016-10-21", "holder": "Iraqi security forces"}]},
    {"place": "Rutba", "country": "IQ", "timeline": [
        {"holder": "Iraqi security forces", "since": "2016-05", "incidents": ["rutba-2016-05"]},
        {"holder": "ISIS", "since": "2016-10-23", "incidents": ["rutba-attack-2016-10-23"]},
        {"holder": "Iraqi security forces", "since": "2016-10-25", "incidents": ["rutba-regained-2016-10-25"]}],
     "checks": [{"on": "2016-09-01", "holder": "Iraqi security forces"}, {"on": "2016-10-24", "holder": "ISIS"},
                {"on": "2016-10-26", "holder": "Iraqi security forces"}]},
    {"place": "Palmyra", "country": "SY", "timeline": [
        {"holder": "ISIS", "since": "2015-05", "incidents": ["palmyra-2015-05"]},
        {"holder": "Syrian government forces", "since": "2016-03", "incidents": ["palmyra-2016-03"]},
        {"holder": "ISIS", "since": "2016-12-11", "incidents": ["palmyra-2016-12-11"]}],
     "checks": [{"on": "2015-10-01", "holder": "ISIS"}, {"on": "2016-06-01", "holder": "Syrian government forces"},
                {"on": "2016-12-10", "holder": "Syrian government forces"}, {"on": "2016-12-12", "holder": "ISIS"}]},
    {"place": "Tal Saman", "country": "SY", "timeline": [
        {"holder": "ISIS", "since": "2014", "incidents": ["talsaman-2014"]},
        {"holder": "SDF", "since": "2016-11-14", "incidents": ["talsaman-2016-11-14"]}],
     "checks": [{"on": "2016-11-01", "holder": "ISIS"}, {"on": "2016-11-15", "holder": "SDF"}]},
    {"place": "Dabiq", "country": "SY", "timeline": [
        {"holder": "Syrian National Army", "holder_also": ["Syrian opposition", "Turkey"], "since": "2016-10-16",
         "incidents": ["dabiq-2016-10-16"]}],
     "checks": [{"on": "2016-10-01", "holder": None,
                 "why": "no report says who held Dabiq before: unknown, not a guess"},
                {"on": "2016-10-17", "holder": "Syrian National Army", "holder_also": ["Syrian opposition", "Turkey"]}]},
    {"place": "Hanano", "country": "SY", "timeline": [
        {"holder": "Syrian government forces", "since": "2016-11-26", "incidents": ["hanano-2016-11-26"]}],
     "checks": [{"on": "2016-11-27", "holder": "Syrian government forces"}]},
    {"place": "Sheikh Saeed", "country": "SY", "timeline": [
        {"holder": "Syrian government forces", "since": "2016-11-28", "incidents": ["sheikh-saeed-2016-11-28"]},
        {"holder": "Jabhat Fateh al-Sham", "holder_also": ["Syrian opposition"], "since": "2016-11-30",
         "contested": True, "incidents": ["sheikh-saeed-2016-11-30"],
         "why": "claimed by rebel officials, denied by the Syrian army command"}],
     "checks": [{"on": "2016-11-29", "holder": "Syrian government forces"},
                {"on": "2016-12-01", "holder": "Jabhat Fateh al-Sham", "holder_also": ["Syrian opposition"],
                 "contested": True}]},
    {"place": "Hawija", "country": "IQ", "timeline": [
        {"holder": "ISIS", "since": "2014-06", "incidents": ["hawija-2014-06"]}],
     "checks": [{"on": "2016-11-08", "holder": "ISIS"}]},
    {"place": "Jabal Badro", "country": "SY", "timeline": [
        {"holder": "Syrian government forces", "since": "2016-11-27", "incidents": ["jabal-badro-2016-11-27"]}],
     "checks": [{"on": "2016-11-28", "holder": "Syrian government forces"}]},
]
