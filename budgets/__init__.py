"""Budgets: fiscal years, Vorwegabzug, region budgets, the append-only ledger."""
