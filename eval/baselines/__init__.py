"""Baselines for the matching evaluation, each a small command following the `quartiers match` contract."""
