"""Annotations of the blog post, its reader comments and the social posts."""
# ruff: noqa: E501  (quoted evidence phrases are data and stay whole)

from annotate import doc, ev

R = "reports/"
BLOG = R + "2016-11-23_ceasefire-notebook-tanker-trucks.html"
doc(BLOG, "2016-11-23", "blog", doc_index=0, events=[
    ev("Air/drone strike", "near Dayr Az Zawr", "Deir ez-Zor", "2016-11-18", "2016-11-20",
       date_text="the weekend of 18 to 20 November", actor="Coalition", target="ISIS", strikes=4,
       effects=[("destroyed", 34, "tanker trucks"), ("destroyed", 1, "oil storage tank")],
       speaker="coalition", modality="claimed",
       evidence="four strikes near Dayr Az Zawr destroyed 34 ISIL tanker trucks and an oil storage tank",
       incident="deirezzor-trucks-2016-11-19"),
    ev("Air/drone strike", "a fuel market at al-Tabni, west of the city", "al-Tabni", "2016-11-19",
       date_text="on Saturday night", actor="Coalition", actor_text="the strikes", target=None,
       target_text="a fuel market", effects=[("counted", 3, "burnt-out trucks")], killed=2,
       speaker="Two activists", modality="reported",
       evidence="the strikes on Saturday night hit a fuel market at al-Tabni, west of the city",
       incident="deirezzor-trucks-2016-11-19", actor_also=[None]),
    ev("Air/drone strike", "near Dayr Az Zawr", "Deir ez-Zor", "2016-11-18", "2016-11-20", actor="Coalition",
       speaker="Hannah Reyes", modality="disputed", evidence="The coalition's figure sounds very dubious to me",
       incident="deirezzor-trucks-2016-11-19", note="the author disputes the release's count of 34 trucks"),
], not_events=[
    "The coalition has said in the past that it drops leaflets before it strikes trucks.",
    "will update this post if they answer",
    "If the coalition has footage of 34 destroyed trucks, it should publish it.",
], title="34 tanker trucks, or three? Checking the coalition's weekend claim near Deir ez-Zor",
    author="Hannah Reyes", comments=5)

doc(BLOG, "2016-11-23", "comment", doc_index=1, author="Deir Observer", published_at="2016-11-23T14:02:00+00:00",
    events=[ev("Air/drone strike", "a house near the bridge at al-Tabni", "al-Tabni", "2016-11-19",
               date_text="on Saturday night", actor=None, actor_text="The strikes", target="civilians",
               target_text="a house", injured=2, speaker="Deir Observer", modality="reported",
               evidence="The strikes on Saturday night also hit a house near the bridge at al-Tabni",
               incident="deirezzor-trucks-2016-11-19", actor_also=["Coalition"])])
doc(BLOG, "2016-11-23", "comment", doc_index=2, author="mark_t", published_at="2016-11-23T16:45:00+00:00",
    not_events=["Hitting trucks is like emptying the sea with a spoon."])
doc(BLOG, "2016-11-23", "comment", doc_index=3, author="Cheap Flights Deals",
    published_at="2016-11-23T17:10:00+00:00", spam=True,
    not_events=["Find the best cheap flights and hotel deals"],
    note="spam: the reader should drop it (no document, or a document marked spam)")
doc(BLOG, "2016-11-24", "comment", doc_index=4, author="Abu Omar", published_at="2016-11-24T08:30:00+00:00",
    hostile_markup=["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"],
    events=[ev("Air/drone strike", "on the road between al-Mayadin and Deir ez-Zor", "al-Mayadin", "2016-11-23",
               date_text="yesterday evening", actor=None, actor_text="a drone strike", target=None,
               target_text="a car", killed=2, speaker="Abu Omar", modality="reported",
               evidence="yesterday evening a drone strike hit a car on the road between al-Mayadin and Deir ez-Zor",
               incident="mayadin-road-2016-11-23", place_also=["Deir ez-Zor"])])
doc(BLOG, "2016-11-24", "comment", doc_index=5, author="Hannah Reyes", published_at="2016-11-24T10:05:00+00:00",
    not_events=["I will add your accounts to the update once I have checked them with a second source."])

S = R + "social-posts_2016-10-20_to_2016-12-11.jsonl"
doc(S, "2016-10-20", "social", doc_index=0, id="sw-sample-social-001", events=[
    ev("Government regains territory", "Bartella", "Bartella", "2016-10-20", date_text="today",
       actor="Iraqi security forces", actor_text="Counter Terrorism Service units", target=None,
       speaker="@IraqJOC_en", modality="asserted", evidence="Counter Terrorism Service units liberated Bartella today",
       incident="bartella-2016-10-20", target_also=["ISIS"])])
doc(S, "2016-10-29", "social", doc_index=1, id="sw-sample-social-002", events=[
    ev("Shelling/artillery/missile attack", "on Qayyarah", "Qayyarah", "2016-10-29", date_text="tonight",
       actor="ISIS", target="civilians", killed=2, civilians_killed=2, speaker="@MosulEyeWitness",
       modality="reported", evidence="Heavy shelling by ISIS on Qayyarah from across the river tonight",
       incident="qayyarah-shelling-2016-10-29", note="the toll is from 'locals'")])
doc(S, "2016-11-02", "social", doc_index=2, id="sw-sample-social-003",
    not_events=["Airstrikes will never defeat an ideology."])
doc(S, "2016-11-08", "social", doc_index=3, id="sw-sample-social-004",
    not_events=["Pentagon says it is preparing to expand airstrikes around Raqqa once the SDF closes in."])
doc(S, "2016-11-13", "social", doc_index=4, id="sw-sample-social-005", events=[
    ev("Air/drone strike", "the western edge of Tal Saman", "Tal Saman", "2016-11-13", date_text="at dawn today",
       actor="Coalition", actor_text="Coalition airstrike", target="civilians", killed=4, civilians_killed=4,
       children_killed=2, speaker="@RaqqaVoices", modality="asserted",
       evidence="Coalition airstrike on the western edge of Tal Saman at dawn today",
       incident="talsaman-strike-2016-11-13", note="the toll says 'family of four', so all four are civilians")])
doc(S, "2016-11-14", "social", doc_index=5, id="sw-sample-social-006", events=[
    ev("Non-state actor overtakes territory", "Tal Saman village", "Tal Saman", "2016-11-14", date_text="today",
       actor="SDF", actor_text="our forces", target="ISIS", target_text="Daesh terrorists", killed=12,
       speaker="@SDF_Press_EN", modality="asserted",
       evidence="our forces liberated Tal Saman village from Daesh terrorists today", incident="talsaman-2016-11-14",
       sub_type_also=["Government regains territory"],
       note="'our forces' are the account's side (SDF); a non-state actor, so 'Non-state actor overtakes'")])
doc(S, "2016-11-21", "social", doc_index=6, id="sw-sample-social-007",
    hostile_markup=["<img src=x onerror=alert(1)>", "<script>alert(1)</script>"], events=[
    ev("Shelling/artillery/missile attack", "the Salah al-Din district of Aleppo", "Salah al-Din", "2016-11-21",
       date_text="this morning", actor=None, target=None, injured=3, speaker="@AleppoNow24", modality="asserted",
       evidence="Shelling on the Salah al-Din district of Aleppo this morning, 3 injured",
       incident="salah-al-din-aleppo-2016-11-21",
       place_also=["Aleppo"])])
doc(S, "2016-11-28", "social", doc_index=7, id="sw-sample-social-008",
    not_events=["If the regime takes Sheikh Saeed, the whole south-east of the city is exposed."])
doc(S, "2016-12-11", "social", doc_index=8, id="sw-sample-social-009", events=[
    ev("Non-state actor overtakes territory", "Palmyra", "Palmyra", "2016-12-11", actor="ISIS",
       actor_text="ISIS fighters", target="Syrian government forces", target_text="regime troops",
       speaker="@SyriaFrontline", modality="asserted",
       evidence="ISIS fighters have entered Palmyra and regime troops are withdrawing south of the city",
       incident="palmyra-2016-12-11", note="no date words: the post's own time dates it")])
doc(S, "2016-10-17", "social", doc_index=9, id="sw-sample-social-010", events=[
    ev("Government regains territory", "the villages of Badana and Kani Harami east of Mosul", "Badana", "2016-10-17",
       date_text="today", actor="Peshmerga", actor_text="Peshmerga forces", target="ISIS", speaker="@PeshmergaFront_en",
       modality="asserted", evidence="Peshmerga forces liberated the villages of Badana and Kani Harami east of Mosul today",
       incident="badana-2016-10-17", place_also=["Kani Harami", "Mosul"],
       note="Peshmerga are the Kurdistan Region's state forces: 'Government regains territory'"),
    ev("Government regains territory", "Kani Harami", "Kani Harami", "2016-10-17", actor="Peshmerga", target="ISIS",
       speaker="@PeshmergaFront_en", modality="asserted",
       evidence="Peshmerga forces liberated the villages of Badana and Kani Harami east of Mosul today", optional=True,
       note="the second village of the same sentence"),
], not_events=[])
doc(S, "2016-11-03", "social", doc_index=10, id="sw-sample-social-011", events=[
    ev("Remote explosive/landmine/IED", "near Tarmiyah, north of Baghdad", "Tarmiyah", "2016-11-03",
       date_text="this morning", actor=None, actor_text="A roadside bomb", target="Iraqi security forces",
       target_text="an army patrol", killed=2, injured=3, speaker="@BaghdadBeat", modality="reported",
       evidence="A roadside bomb hit an army patrol near Tarmiyah, north of Baghdad, this morning",
       incident="tarmiyah-2016-11-03", note="no one is named as the bomber: actor unknown; the toll is from police"),
])
