"""Leadbench desktop shell: window, actions, workers, settings and the command line."""
