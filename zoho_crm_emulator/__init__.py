"""A local Zoho CRM REST server that follows zoho-crm-api.md; never imported by the connectors."""
