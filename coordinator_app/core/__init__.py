"""The headless core: models, database, rules and use cases. Imports nothing from Qt."""
