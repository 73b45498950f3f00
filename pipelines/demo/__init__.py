"""The demo generator: realistic source files for the five contracts (see `generate`).

A package of its own because it is no part of the ETL: `generate` writes the files the partners
would deliver, `pools` and `labour` make the pools' and Actiris' records, `reference` reads the
committed reference data they are drawn from, `common` holds the file styles and defects.
"""

from pipelines.demo.generate import (
    DemoSummary,
    copy_official_statistics,
    generate_demo,
    last_complete_month,
)

__all__ = ["DemoSummary", "copy_official_statistics", "generate_demo", "last_complete_month"]
