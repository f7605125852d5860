"""MASH Hub: domain model, canonical schemas, the bus, the pipeline and the `mash` command."""
