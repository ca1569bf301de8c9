"""The fault-injection reliability suite (issue 7): scenarios that break Zoho on purpose and prove nothing is lost."""
