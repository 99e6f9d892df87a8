"""Tools for the model: generated from the contract, with a risk each, validated and compacted."""
