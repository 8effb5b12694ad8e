"""Test support: the pytest plugin (session chain, snapshot isolation, role fixtures) and helpers."""
