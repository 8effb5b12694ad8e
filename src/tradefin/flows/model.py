"""What a flow is made of: steps, each one party's call, built from the results of the steps before it."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from tradefin.errors import TradefinError

if TYPE_CHECKING:
    from tradefin.context import Context


def jsonable(value: Any) -> Any:
    """Values as they are stored in the journal and the report (bytes as 0x hex, enums as their value)."""
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**53:
        return hex(value)  # JSON readers lose precision beyond 2**53
    return value


@dataclass(frozen=True)
class Call:
    """One transaction: ``function`` of ``contract`` at ``target``, or a deployment of ``contract`` when
    ``function`` is None. ``target`` is an address or ``@step`` for the contract a previous step deployed."""

    party: str
    contract: str
    function: str | None
    args: tuple[Any, ...] = ()
    target: str = ""
    value: int = 0

    def describe(self) -> dict[str, Any]:
        return {
            "party": self.party,
            "contract": self.contract,
            "function": self.function,
            "args": jsonable(list(self.args)),
            "target": self.target,
            "value": self.value,
        }


@dataclass(frozen=True)
class StepResult:
    """A landed step, as journaled: enough to build later steps and to draw the report."""

    name: str
    label: str
    party: str
    sender: str
    tx_hash: str
    block: int
    timestamp: int
    gas_used: int
    contract_address: str | None
    events: list[dict[str, Any]] = field(default_factory=list)
    contract: str = ""
    """The contract called or deployed (its artifact name)."""
    chain: str = ""
    """The ledger the step ran on (cross-border flows); empty for a single-chain flow."""

    def to_json(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        if not self.chain:
            del data["chain"]  # single-chain flows' journals and reports stay as they were
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StepResult:
        return cls(**data)

    def event(self, name: str) -> dict[str, Any]:
        """The arguments of the first event ``name`` this step emitted."""
        for event in self.events:
            if event["name"] == name:
                args: dict[str, Any] = event["args"]
                return args
        raise TradefinError(f"step {self.name!r} emitted no {name} event")


@dataclass
class FlowState:
    """The flow's parameters and every result so far, by step name."""

    params: dict[str, Any]
    parties: dict[str, str] = field(default_factory=dict)
    """Each role's address on this chain."""
    results: dict[str, StepResult] = field(default_factory=dict)

    def party(self, role: str) -> str:
        return self.parties[role]

    def address(self, step: str) -> str:
        """The contract deployed by ``step``, or the existing one the ``contracts`` parameter names for it."""
        existing = self.params.get("contracts", {}).get(step)
        if existing:
            return str(existing)
        address = self.results[step].contract_address
        if address is None:
            raise TradefinError(f"step {step!r} deployed nothing")
        return address


@dataclass(frozen=True)
class Step:
    """A named step: who acts, what it means in the trade, and how to build its call from the state."""

    name: str
    label: str
    build: Callable[[FlowState], Call]
    setup: bool = False
    """Deploys or configures shared infrastructure: skipped when the flow is given existing ``contracts``."""
    precheck: Callable[[Context, FlowState], None] | None = None
    """Run before the step is signed (a first send, not a resend): raises to refuse it, e.g. the duplicate-financing
    check before a bill is presented or pledged. Nothing is signed or sent when it raises."""
    chain: str = ""
    """The ledger (by name) the step is sent to, for runners of several chains; empty: the runner's own chain."""


class Flow:
    """A trade as a fixed sequence of party actions. Subclasses set ``name`` and implement :meth:`steps`."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    parties: ClassVar[tuple[str, ...]] = ()
    """The roles that act or are named in this flow."""

    def __init__(self, params: Mapping[str, Any] | None = None) -> None:
        self.params = dict(params or {})

    def steps(self) -> Sequence[Step]:
        raise NotImplementedError

    def plan(self) -> list[Step]:
        """The steps this run sends: without the setup steps when ``contracts`` names existing ones."""
        steps = list(self.steps())
        return [s for s in steps if not s.setup] if self.params.get("contracts") else steps
