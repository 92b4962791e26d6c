"""The actors' colours stay distinct for readers with colour-vision deficiency: each pair of actor colours is
simulated under protanopia, deuteranopia and tritanopia (Machado, Oliveira and Fernandes 2009, severity 1,
applied in linear RGB) and must stay at least MIN_DISTANCE apart in CIEDE2000 (as for normal vision). The
armed groups' group colour is its largest member's by design (charts.ACTOR_COLOURS), so it is left out."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from mogok_econ.core.vocabulary import ACTORS
from mogok_econ.reports.charts import ACTOR_COLOURS

#: CIEDE2000 below which two colours in a legend start to be confused at a glance.
MIN_DISTANCE = 10.0
#: Machado et al. (2009), Table 1 at severity 1.0: linear RGB in, linear RGB as the dichromat sees it out.
SIMULATIONS = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}
SRGB_TO_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750],
                        [0.0193339, 0.1191920, 0.9503041]])
D65 = np.array([0.95047, 1.0, 1.08883])


def linear_rgb(colour: str) -> np.ndarray:
    srgb = np.array([int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)])
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def lab(linear: np.ndarray) -> np.ndarray:
    t = SRGB_TO_XYZ @ np.clip(linear, 0, 1) / D65
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def ciede2000(lab1, lab2) -> float:
    """CIEDE2000 colour difference (Sharma, Wu and Dalal 2005), kL = kC = kH = 1."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_bar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_bar ** 7 / (c_bar ** 7 + 25 ** 7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = np.hypot(a1, b1), np.hypot(a2, b2)
    h1, h2 = np.degrees(np.arctan2(b1, a1)) % 360, np.degrees(np.arctan2(b2, a2)) % 360
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    d_l, d_c, d_h = l2 - l1, c2 - c1, 2 * np.sqrt(c1 * c2) * np.sin(np.radians(dh / 2))
    l_bar, c_bar = (l1 + l2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        h_bar = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_bar = (h1 + h2) / 2
    else:
        h_bar = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (1 - 0.17 * np.cos(np.radians(h_bar - 30)) + 0.24 * np.cos(np.radians(2 * h_bar))
         + 0.32 * np.cos(np.radians(3 * h_bar + 6)) - 0.20 * np.cos(np.radians(4 * h_bar - 63)))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / np.sqrt(20 + (l_bar - 50) ** 2)
    s_c, s_h = 1 + 0.045 * c_bar, 1 + 0.015 * c_bar * t
    r_t = -np.sin(np.radians(60 * np.exp(-(((h_bar - 275) / 25) ** 2)))) * 2 * np.sqrt(c_bar ** 7 / (c_bar ** 7 + 25 ** 7))
    return float(np.sqrt((d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (d_c / s_c) * (d_h / s_h)))


@pytest.mark.parametrize(("lab1", "lab2", "expected"), [  # Sharma, Wu and Dalal (2005), Table 1, pairs 1, 7, 17, 25
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
])
def test_ciede2000_matches_the_published_test_pairs(lab1, lab2, expected):
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize("vision", ["normal", *SIMULATIONS])
def test_every_pair_of_actor_colours_stays_distinct(vision):
    matrix = np.eye(3) if vision == "normal" else np.array(SIMULATIONS[vision])
    seen = {actor: lab(matrix @ linear_rgb(ACTOR_COLOURS[actor])) for actor in ACTORS}
    close = [(round(ciede2000(seen[a], seen[b]), 1), a, b) for a, b in itertools.combinations(ACTORS, 2)
             if ciede2000(seen[a], seen[b]) < MIN_DISTANCE]
    assert not close, f"{vision}: actor colours too close to tell apart (CIEDE2000): {close}"


def test_a_simulated_deficiency_merges_what_it_should():
    """The simulation is not the identity: red and green, far apart for normal vision, come close under
    deuteranopia (a check that the matrices are applied at all)."""
    red, green = linear_rgb("#CC3311"), linear_rgb("#559922")
    normal = ciede2000(lab(red), lab(green))
    deuter = np.array(SIMULATIONS["deuteranopia"])
    assert ciede2000(lab(deuter @ red), lab(deuter @ green)) < normal / 2
