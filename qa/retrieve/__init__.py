"""Retrieval: dense and lexical searchers over a store snapshot, fused into candidate sentences."""
