"""Dépêche: answers questions about a corpus of news articles, citing the exact passages."""

__version__ = "0.1.0"
