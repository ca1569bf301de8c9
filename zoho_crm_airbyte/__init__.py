"""What both Airbyte connectors share and the client must not know: Airbyte's failure types for the client's
faults, and the check of a config against a connector's spec (docs/architecture.md, "Shared by both connectors").

The dependency direction: source_zoho_crm and destination_zoho_crm -> zoho_crm_airbyte -> zoho_crm_client; it
imports airbyte_cdk, which the client may not, and neither connector, which may not import each other.
"""
