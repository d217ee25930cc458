"""Benchmarks: `make bench` (python -m bench). Not tests; they never gate CI on a time.

Each benchmark prints its figures as ratios against a floor measured in the same run, as
medians of several runs. BENCH_SCALE (default 0.1) scales the data; BENCH_SCALE=1 is full
size. Generated databases are cached under bench/.cache/.
"""
