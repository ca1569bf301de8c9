"""Benchmarks of the Zoho CRM connectors against the local emulator (`make bench`; never part of the tests).

Issue 8 lists the scenarios and the goals; docs/benchmarks.md records the figures.
"""
