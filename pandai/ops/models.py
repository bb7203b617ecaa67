"""Records of operations: scheduled job runs (and their locks)."""
