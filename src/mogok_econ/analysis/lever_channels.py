"""Which policy lever reaches which channel of an actor's take, read from the levers' own data (the
parameters each one changes and the recipients tables it moves) against what sets each channel in the flow
equation (core/split.py, CHANNEL_INPUTS). Nothing here is a hand list: a new lever file, or a change to an
existing one, changes the answer."""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..core.split import CHANNEL_INPUTS, VOLUME_INPUTS
from ..core.vocabulary import CHANNELS
from ..inputs.levers import Lever


def channels_reached(lever: Lever, actor: str = "junta") -> tuple[str, ...]:
    """The channels of `actor`'s take that `lever` acts on directly: it changes a parameter of the channel's
    rate or base, or moves a share of the channel's recipients table to or from `actor`."""
    changed = {c.parameter for c in lever.changes}
    moved = {m.table for m in lever.moves if actor in (m.from_actor, m.to_actor)}
    return tuple(channel for channel in CHANNELS
                 if changed & set(CHANNEL_INPUTS[channel][0]) or CHANNEL_INPUTS[channel][1] in moved)


def reaches_volume(lever: Lever) -> bool:
    """Whether `lever` changes how much is mined, sold or at what price: then it moves every channel a little."""
    return bool({c.parameter for c in lever.changes} & set(VOLUME_INPUTS))


def reach_matrix(levers: Iterable[Lever], channels: Iterable[str], actor: str = "junta") -> pd.DataFrame:
    """Channels (rows) x levers (columns, by name): True where the lever reaches the channel directly."""
    levers = list(levers)
    channels = list(channels)
    return pd.DataFrame({lever.name: [c in channels_reached(lever, actor) for c in channels] for lever in levers},
                        index=pd.Index(channels, name="channel"), dtype=bool)


def levers_by_channel(levers: Iterable[Lever], channels: Iterable[str], actor: str = "junta") -> dict[str, list[str]]:
    """Each channel's levers (names, in the order given) that reach it directly."""
    matrix = reach_matrix(levers, channels, actor)
    return {c: [name for name in matrix.columns if matrix.at[c, name]] for c in matrix.index}


__all__ = ["channels_reached", "levers_by_channel", "reach_matrix", "reaches_volume"]
