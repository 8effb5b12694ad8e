// Hardhat network for `tradefin.chain.node.hardhat()`: same chain id, hardfork and funded accounts as our Anvil.
module.exports = {
  networks: {
    hardhat: {
      chainId: Number(process.env.TRADEFIN_CHAIN_ID || 31337),
      hardfork: "cancun",
      accounts: { count: 20 },
      mining: { auto: true },
    },
  },
};
