"""`make demo`: the connectors end to end against a local Zoho CRM emulator, through PyAirbyte.

Run it with `python -m demo` (what `make demo` does). It needs no Zoho account and no network.
"""
