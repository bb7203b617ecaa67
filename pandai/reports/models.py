"""Records of the reports app (the daily closing as a recorded act)."""
