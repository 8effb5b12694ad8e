"""Run by `ape test tests/ape/ape_probe.py -p no:tradefin`: ape deploys and calls the same contracts.

The file name does not match test_*.py, so tradefin's own test run collects it only through ``ape test``.
"""

import pytest

import ape


@pytest.fixture
def probe(project, accounts):
    return accounts[0].deploy(project.RevertProbe)


def test_ape_deploys_and_counts(probe, accounts):
    probe.count(10, sender=accounts[1])
    assert probe.counted() == 1


def test_ape_sees_the_custom_error(probe, accounts):
    with ape.reverts(probe.ProbeRejected):
        probe.count(0, sender=accounts[1])
