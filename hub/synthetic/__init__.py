"""Synthetic people, families and concerns: demo feeds and labelled populations. Never real."""
