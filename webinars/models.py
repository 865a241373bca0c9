"""Models of the webinars app."""
