"""Airbyte source for Zoho CRM."""
