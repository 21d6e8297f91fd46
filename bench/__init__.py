"""Benchmarks: tradewire measured side by side with the baseline a user would otherwise use, in the same run."""
