"""Journals are created readable by their owner only: they hold signed transactions and, in cross-border runs,
the seller's secret until it is revealed."""

import stat

from tradefin.bridge.relayer_journal import RelayerJournal
from tradefin.flows.journal import Journal


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_flow_journal_and_its_wal_are_owner_only(tmp_path):
    journal = Journal(tmp_path / "deep" / "flows.sqlite")
    try:
        journal.start_run("ebl-delivery", {"secret": "0x" + "11" * 32}, chain_id=31337)
        assert _mode(journal.path) == 0o600
        assert _mode(journal.path.with_name("flows.sqlite-wal")) == 0o600
    finally:
        journal.close()


def test_a_new_relayer_journal_is_owner_only(tmp_path):
    journal = RelayerJournal(tmp_path / "relayer.sqlite")
    try:
        assert _mode(tmp_path / "relayer.sqlite") == 0o600
    finally:
        journal.close()


def test_an_existing_journal_keeps_the_permissions_its_owner_gave_it(tmp_path):
    path = tmp_path / "shared.sqlite"
    Journal(path).close()
    path.chmod(0o640)
    Journal(path).close()
    assert _mode(path) == 0o640
