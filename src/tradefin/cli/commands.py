"""Commands of the higher layers (bills, finance, flows), registered on the main group."""

from __future__ import annotations

import click


def register(group: click.Group) -> None:
    """Add every available sub-command group to ``group``."""
    from tradefin.cli.bl_cmd import bl_group
    from tradefin.cli.bridge_cmd import bridge_group
    from tradefin.cli.collection_cmd import collection_group
    from tradefin.cli.data_cmd import data_group
    from tradefin.cli.demo_cmd import demo_command
    from tradefin.cli.dvp_cmd import dvp_group
    from tradefin.cli.flow_cmd import flow_group, resume
    from tradefin.cli.lc_cmd import lc_group
    from tradefin.cli.loan_cmd import loan_group
    from tradefin.cli.money_cmd import money_group

    group.add_command(demo_command)
    group.add_command(bl_group)
    group.add_command(flow_group)
    group.add_command(resume)
    group.add_command(money_group)
    group.add_command(lc_group)
    group.add_command(collection_group)
    group.add_command(loan_group)
    group.add_command(data_group)
    group.add_command(bridge_group)
    group.add_command(dvp_group)
