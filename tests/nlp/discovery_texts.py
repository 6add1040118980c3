"""Small texts for the discovery tests: planted groups of paraphrases about
one new issue each, and random posts that share no subject."""

from __future__ import annotations

import random

HEATING_OPENERS = ["", "Again: ", "Honestly, "]
HEATING_CORES = [
    "the heating at Oakfield primary school has broken down and the kids are freezing",
    "no heating in Oakfield school classrooms this week, children sat in their coats",
    "Oakfield primary heating failed again, pupils sent home because of the cold",
    "freezing classrooms at Oakfield school, the boiler and heating are not working",
    "my daughter says Oakfield school has had no heating for three days",
    "Oakfield primary school heating broken, teachers wearing coats in class",
    "the school heating failure at Oakfield is a disgrace, children are cold",
    "cold classrooms at Oakfield primary, when will the school heating be fixed",
    "Oakfield school children freezing as heating breaks down again",
    "heating still broken at Oakfield primary school, kids shivering at their desks",
]
HEATING = [f"{o}{c}" for o in HEATING_OPENERS for c in HEATING_CORES]

SCAM_CORES = [
    "got a scam letter claiming to be from the council asking for my bank details",
    "warning: fake council tax refund letter going round asking for card details",
    "a letter in the council's name wants my bank details for a refund, it is a scam",
    "scam alert, fraudulent council letters asking residents for bank payment details",
    "neighbour received a fake council letter demanding card details, beware the scam",
    "is this council refund letter a scam? it asks for my bank account details",
    "fraudsters are sending letters pretending to be the council, asking for bank details",
    "fake letter from the council about a refund asks for card numbers, scam",
    "beware scam letters using the council logo to steal bank details",
    "reported a scam letter pretending to be a council refund asking for bank details",
]
SCAM = [f"{o}{c}" for o in HEATING_OPENERS for c in SCAM_CORES]

CAMERA_CORES = [
    "the new bus lane camera on Mill Road fined me twice in one week",
    "bus lane camera fines on Mill Road are a money grab",
    "got a penalty from the Mill Road bus lane camera, signs are unclear",
    "Mill Road bus gate camera is catching hundreds of drivers with fines",
    "fined by the bus lane camera on Mill Road, there was no warning sign",
    "so many people getting bus lane fines from the Mill Road camera",
    "appealing my Mill Road bus lane camera fine, the markings are faded",
    "the Mill Road bus lane enforcement camera is unfair, fines everywhere",
    "another fine from that bus lane camera on Mill Road",
    "Mill Road camera fining drivers in the bus lane every day",
]
CAMERA = [f"{o}{c}" for o in HEATING_OPENERS for c in CAMERA_CORES]

# Words from unrelated walks of life: a post of eight of them is about nothing in common.
_WORDS = """
apple guitar mountain teacher violin ocean pizza football galaxy painter river keyboard
elephant sunset bicycle library cheese thunder garden rocket castle dolphin coffee marathon
volcano poetry jungle museum tractor orchestra harbour lantern penguin diamond festival
microscope canyon saxophone pancake glacier tennis carpet lighthouse compass meadow parrot
biscuit telescope waterfall chess umbrella tornado cathedral yoghurt skateboard opera desert
butterfly cinema blanket engine lemon forest wizard camera island hammer kitten planet
sandwich trumpet vineyard puzzle blizzard theatre balloon magnet satellite pyramid cactus
almond banjo comet dentist emerald falcon gondola hedgehog igloo jasmine kayak llama
mango nebula origami peacock quartz raccoon saffron tulip unicorn vulture walnut xylophone
zebra acrobat bamboo cello dragonfly eclipse flamingo geyser hazelnut iceberg jellyfish
koala lagoon mosaic nutmeg otter pelican quiver reindeer sapphire trombone velvet whisker
anchor bagel chimney daisy easel fossil goblet hammock ivory jigsaw kettle ladder mitten
napkin oyster pepper quilt ribbon sardine thimble urchin vase waffle yacht zeppelin
"""
VOCABULARY = _WORDS.split()


def random_posts(n: int, seed: int = 0, words: int = 8) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.sample(VOCABULARY, words)) for _ in range(n)]
