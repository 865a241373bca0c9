"""Models of the guides app."""
