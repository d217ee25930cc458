import pytest

from reports.settings import RoundSettings


def test_defaults_are_equal_weights_min_n_5_and_the_usual_cutoffs() -> None:
    settings = RoundSettings("R1")
    assert dict(settings.weights) == {"awareness": 1.0, "participation": 1.0,
                                      "satisfaction": 1.0}
    assert settings.min_n == 5
    assert settings.star_cutoffs == (60.0, 70.0, 80.0, 90.0)
    assert settings.weighted_dimensions == ("awareness", "participation", "satisfaction")


def test_settings_are_frozen_hashable_and_plain_as_dict() -> None:
    settings = RoundSettings(7, weights={"awareness": 2, "participation": 0, "satisfaction": 1})
    with pytest.raises(AttributeError):
        settings.min_n = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        settings.weights["awareness"] = 5  # type: ignore[index]
    assert hash(settings) == hash(RoundSettings(7, weights={"awareness": 2, "participation": 0,
                                                            "satisfaction": 1}))
    assert settings.weighted_dimensions == ("awareness", "satisfaction")
    assert settings.as_dict() == {"round_id": 7, "min_n": 5, "star_cutoffs": [60, 70, 80, 90],
                                  "weights": {"awareness": 2, "participation": 0,
                                              "satisfaction": 1}}


@pytest.mark.parametrize("kwargs", [
    {"round_id": ""},
    {"round_id": True},
    {"round_id": None},
    {"weights": {"awareness": 1, "participation": 1}},
    {"weights": {"awareness": 1, "participation": 1, "satisfaction": 1, "fun": 1}},
    {"weights": {"awareness": -1, "participation": 1, "satisfaction": 1}},
    {"weights": {"awareness": 0, "participation": 0, "satisfaction": 0}},
    {"weights": {"awareness": float("nan"), "participation": 1, "satisfaction": 1}},
    {"weights": {"awareness": "1", "participation": 1, "satisfaction": 1}},
    {"weights": [1, 1, 1]},
    {"min_n": 0},
    {"min_n": 2.5},
    {"min_n": True},
    {"star_cutoffs": (60, 70, 80)},
    {"star_cutoffs": (60, 80, 70, 90)},
    {"star_cutoffs": (60, 70, 70, 90)},
    {"star_cutoffs": (-1, 70, 80, 90)},
    {"star_cutoffs": (60, 70, 80, 101)},
    {"star_cutoffs": "60708090"},
])
def test_invalid_settings_are_refused(kwargs: dict) -> None:
    arguments = {"round_id": "R1"} | kwargs
    with pytest.raises(ValueError):
        RoundSettings(**arguments)
