"""Marshmallow schemas: write bodies (inputs) and API representations (outputs)."""
