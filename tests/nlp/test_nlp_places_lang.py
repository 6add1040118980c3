from __future__ import annotations

from nlp.config import PlaceSpec
from nlp.language import LangId
from nlp.places import GazetteerPlaces

PLACES = {
    "st-james": PlaceSpec(label="St James's University Hospital", kind="hospital",
                          aliases=["Jimmy's", "St James hospital"]),
    "headingley": PlaceSpec(label="Headingley", kind="ward"),
    "leeds": PlaceSpec(label="Leeds", kind="town"),
}


def test_gazetteer_matches_names_aliases_and_hashtags_case_insensitively() -> None:
    clf = GazetteerPlaces(PLACES)
    out = clf.classify(["Waited 6 hours at ST JAMES HOSPITAL in Leeds",
                        "#Headingley bins again", "@leeds see https://leeds.gov.uk",
                        "nothing local"])
    found = [{lab.label: lab.evidence for lab in labels} for labels in out]
    assert found[0] == {"st-james": ("ST JAMES HOSPITAL",), "leeds": ("Leeds",)}
    assert found[1] == {"headingley": ("Headingley",)}
    assert found[2] == {}  # handles and links are not places
    assert found[3] == {}
    lab = out[0][0]
    assert (lab.task, lab.classifier, lab.version) == ("place", "places.gazetteer", "v1")


def test_language_labels_non_english_and_short_texts() -> None:
    clf = LangId()
    texts = ["The bins have not been collected for three weeks now",
             "Mae'r biniau heb eu casglu ers tair wythnos",
             "Les poubelles ne sont pas ramassées depuis trois semaines",
             "ok 👍", "@council https://example.org"]
    codes = [labels[0].label for labels in clf.classify(texts)]
    assert codes == ["en", "cy", "fr", "und", "und"]
