"""tradefin: tokenized electronic bills of lading and trade-finance escrow on EVM chains."""

from tradefin.errors import TradefinError

__version__ = "0.1.0"
__all__ = ["TradefinError", "__version__"]
