"""Controllers: thin rx.State classes that parse input, call services and hold view data."""
