"""Local nodes, attaching by URL, dev-chain controls."""

import signal
import time

import pytest

from tradefin.chain import connect, start_local_chain
from tradefin.chain.node import free_port
from tradefin.errors import NodeUnreachable


def test_local_chain_starts_on_loopback_and_stops_on_close(project):
    chain = start_local_chain(project, chain_id=4242)
    assert chain.rpc_url.startswith("http://127.0.0.1:")
    assert chain.chain_id == 4242 and chain.is_dev
    node = chain.node
    chain.close()
    assert not node.running
    with pytest.raises(NodeUnreachable):
        connect(chain.rpc_url)


def test_state_file_carries_the_chain_across_restarts(project, tmp_path):
    state = tmp_path / "state.json"
    with start_local_chain(project, state_file=state) as chain:
        chain.mine(5)
        height = chain.block_number()
    with start_local_chain(project, state_file=state) as chain:
        assert chain.block_number() == height


def test_unreachable_url_is_one_clear_error():
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(NodeUnreachable, match=url):
        connect(url)


def test_non_http_url_is_refused():
    with pytest.raises(NodeUnreachable, match="unsupported RPC URL"):
        connect("ws://127.0.0.1:1")


def test_attach_by_url_to_a_node_we_did_not_start(session_chain):
    other = connect(session_chain.rpc_url)
    assert other.chain_id == session_chain.chain_id
    assert other.node is None
    other.close()
    assert session_chain.node.running  # closing an attached chain never stops someone else's node


def test_time_and_mining_controls(chain):
    now = chain.timestamp()
    chain.set_next_block_timestamp(now + 1000)
    chain.mine()
    assert chain.timestamp() == now + 1000
    chain.increase_time(86_400)
    chain.mine()
    assert chain.timestamp() >= now + 1000 + 86_400
    height = chain.block_number()
    chain.mine(10)
    assert chain.block_number() == height + 10


def test_snapshot_and_revert(chain):
    snapshot = chain.snapshot()
    chain.mine(3)
    chain.revert(snapshot)
    assert chain.block_number() == 0 or chain.block_number() < chain.block_number() + 3


def test_node_stops_when_interrupted(project):
    chain = start_local_chain(project)
    node = chain.node
    node._process.send_signal(signal.SIGINT)  # what Ctrl-C in its process group would do
    deadline = time.monotonic() + 5
    while node.running and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not node.running
    chain.close()
