"""Airbyte destination for Zoho CRM (reverse ETL)."""
