"""The gas snapshot check fails on growth and on unrecorded operations, and reports improvements."""

import json

import pytest

from tradefin.testing.gas import GasRegression, check_gas


def test_regression_fails_and_improvement_is_reported(tmp_path, monkeypatch):
    monkeypatch.delenv("UPDATE_GAS_SNAPSHOT", raising=False)
    (tmp_path / "gas-snapshot.json").write_text(json.dumps({"s": {"a": 100, "b": 200}}))
    assert check_gas(tmp_path, "s", {"a": 100, "b": 150}) == ["b: 200 -> 150"]
    with pytest.raises(GasRegression, match=r"a: 100 -> 101 \(\+1\)"):
        check_gas(tmp_path, "s", {"a": 101})
    with pytest.raises(GasRegression, match="c: not in the snapshot"):
        check_gas(tmp_path, "s", {"c": 1})


def test_update_rewrites_only_its_section(tmp_path, monkeypatch):
    (tmp_path / "gas-snapshot.json").write_text(json.dumps({"other": {"x": 1}, "s": {"a": 5}}))
    monkeypatch.setenv("UPDATE_GAS_SNAPSHOT", "1")
    check_gas(tmp_path, "s", {"a": 7})
    assert json.loads((tmp_path / "gas-snapshot.json").read_text()) == {"other": {"x": 1}, "s": {"a": 7}}
