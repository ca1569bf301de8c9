"""Zoho CRM REST client shared by the source and the destination: regions, OAuth, transport, limits, paging."""
