"""Trade finance on chain: documentary credits and the other instruments that move money against documents."""
