"""Retrieve, rank, answer, cite. The public entry point is :class:`rag.engine.Engine`."""
