"""Source connectors behind one interface, and the registry of configured sources.

Modules::

    base          the interface every source kind implements, and the errors
    config        the YAML sources file (agencies, sources, env-var secrets)
    registry      configured sources with their state; add/refresh/remove live
    sql           SqlConnector: any SQLAlchemy async URL, strictly read-only
    sql_compile   filter/sort/page/aggregate -> SQLAlchemy Core, for any Table
    catalog_sync  agencies, sources, datasets and columns into the store catalog

Exceptions (all carry ``source``, the name of the source at fault)::

    ConnectorError                 base of this layer
     ├── ConfigError               the sources file is unreadable or invalid
     ├── SourceUnavailableError    the source does not answer (retryable)
     ├── ReadOnlyViolationError    something tried to write through a source
     ├── UnknownDatasetError       a dataset or column name the source lacks
     └── SourceQueryError          the source refused a query (not retryable)
"""
