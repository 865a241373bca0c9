"""Staff links for the import pages."""
