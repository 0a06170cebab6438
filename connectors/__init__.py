"""Source connectors behind one interface, and the registry of configured sources."""
