"""Agency connectors: one module per format, each a pure mapping plus the shared publish step."""
