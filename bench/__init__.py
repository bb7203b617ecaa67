"""`make bench`: Pandai measured side by side with floors and a peer, in one run.

Stdlib only at package level: the django-hordak worker imports `bench.proto` from its own
virtualenv, where neither Pandai nor its dependencies are installed. See docs/benchmark.md.
"""
