"""Record linkage, pure: no database, no Kafka, no Flask. Import-safe anywhere."""
