"""The demo (``manage.py seed_demo``): the top layer, composing every app's own seed step."""
