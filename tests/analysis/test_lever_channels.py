"""Which lever reaches which channel of the junta's take is read from the levers' data (the parameters each
changes, the recipients tables it moves), never from a hand list: a lever made up here reaches exactly the
channels its changes touch, and the shipped levers reach what their files say."""
from __future__ import annotations

import pytest

from mogok_econ.analysis.lever_channels import channels_reached, levers_by_channel, reach_matrix, reaches_volume
from mogok_econ.core.split import CHANNEL_INPUTS, MODEL_DEFAULTS
from mogok_econ.core.vocabulary import CHANNELS, PARAMETERS, RECIPIENTS
from mogok_econ.inputs.levers import Change, Lever, Move, load_levers


def lever(changes=(), moves=()) -> Lever:
    return Lever(name="made_up", title="Made up", summary="", sources=(), applies_to=None, file="made_up.yaml",
                 changes=tuple(Change(p, "scale", None) for p in changes),
                 moves=tuple(Move(t, a, b, 0.5) for t, a, b in moves))


def test_every_channel_names_known_parameters_and_a_known_recipients_table():
    assert set(CHANNEL_INPUTS) == set(CHANNELS)
    for channel, (parameters, table) in CHANNEL_INPUTS.items():
        assert parameters and set(parameters) <= set(PARAMETERS) | set(MODEL_DEFAULTS), channel
        assert table is None or table in RECIPIENTS, channel


@pytest.mark.parametrize(("changes", "moves", "expected"), [
    (["checkpoint_rate"], [], {"checkpoints"}),
    (["extortion_rate"], [], {"extortion"}),
    ([], [("owner_stakes", "junta", "mine_owners")], {"company_profits", "pit_rent"}),
    ([], [("owner_stakes", "tnla", "mine_owners")], set()),  # not the junta's stake: not its channels
    (["price_factor"], [], set()),                              # volume and price: every channel, none directly
])
def test_a_lever_reaches_the_channels_its_changes_touch(changes, moves, expected):
    assert set(channels_reached(lever(changes, moves))) == expected


def test_volume_and_price_reach_every_channel_through_the_amount_sold():
    assert reaches_volume(lever(["price_factor"])) and not reaches_volume(lever(["checkpoint_rate"]))


def test_the_shipped_levers_reach_what_their_files_change():
    levers = {lv.name: lv for lv in load_levers()}
    assert "checkpoints" in channels_reached(levers["abolish_checkpoint_levies"])
    assert "company_profits" in channels_reached(levers["sanction_military_concessions"])
    assert "state_tax" in channels_reached(levers["enforce_gem_sanctions"])
    matrix = reach_matrix(levers.values(), ["extortion", "checkpoints", "company_profits", "state_tax"])
    assert matrix.any(axis=1).all(), "a channel of the junta's take that no lever reaches"
    by_channel = levers_by_channel(levers.values(), ["checkpoints"])
    assert by_channel["checkpoints"] == [n for n in levers if matrix.at["checkpoints", n]]
