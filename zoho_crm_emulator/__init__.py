"""A local Zoho CRM REST server that follows docs/zoho-api.md; never imported by the connectors."""
