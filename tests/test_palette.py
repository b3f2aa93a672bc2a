"""One visual language: every colour of albru.plot.style has one meaning, and no two are alike.

A colour that means one thing in one figure must not mean another elsewhere (the vermilion of
material conflict is not also "hostile" or "disagree"); a state's colour is never a category's;
every incident kind has its own colour; and all the categorical colours stay visibly apart
(at least 15 in CIELAB, ΔE*ab, well above the ~2.3 of a just-noticeable difference).
"""

from __future__ import annotations

import itertools

import numpy as np
from matplotlib.colors import to_hex, to_rgb

from albru.incidents import KINDS
from albru.plot import style as S

#: Each palette constant by what its colours mean.
MEANINGS: dict[str, list[str]] = {
    "quad class": list(S.QUAD_COLORS.values()),
    "relation sign": list(S.SIGN_COLORS.values()),
    "state of the dyad": list(S.ACTOR_COLORS.values()),
    "peer state": list(S.PEER_COLORS.values()),
    "peer group": list(S.BLOC_GROUP_COLORS.values()),
    "agreement": list(S.AGREEMENT_COLORS.values()),
    "incidents": [S.INCIDENT_COLOR],
    "bloc": [S.BLOC_COLOR],
    "era band": list(S.ERA_COLORS),
    "incident kind": list(S.KIND_COLORS),
}


def _lab(colour: str) -> np.ndarray:
    """CIELAB (D65) of an sRGB colour."""
    rgb = np.array(to_rgb(colour))
    linear = np.where(rgb > 0.04045, ((rgb + 0.055) / 1.055) ** 2.4, rgb / 12.92)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ linear / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_each_colour_has_one_meaning() -> None:
    seen: dict[str, str] = {}
    for meaning, colours in MEANINGS.items():
        for colour in colours:
            key = to_hex(colour)
            assert seen.setdefault(key, meaning) == meaning, (key, seen[key], meaning)
        assert len({to_hex(c) for c in colours}) == len(colours), f"{meaning}: a colour twice"


def test_states_colours_are_never_categories() -> None:
    states = {to_hex(c) for c in [*S.ACTOR_COLORS.values(), *S.PEER_COLORS.values()]}
    categories = {to_hex(c) for name, colours in MEANINGS.items() for c in colours
                  if name not in ("state of the dyad", "peer state")}
    assert states.isdisjoint(categories)


def test_every_incident_kind_has_its_own_colour() -> None:
    assert list(S.KIND_STYLES) == list(KINDS)
    colours = [style.color for style in S.KIND_STYLES.values()]
    assert len(set(colours)) == len(KINDS)


def test_categorical_colours_stay_apart() -> None:
    colours = [c for name, cs in MEANINGS.items() if name != "era band" for c in cs]
    closest = min(
        (float(np.linalg.norm(_lab(a) - _lab(b))), a, b)
        for a, b in itertools.combinations(colours, 2)
    )
    assert closest[0] >= 15, closest
