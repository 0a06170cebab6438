"""The edge of the house: settings, the Starlette app factory and the CLI.

Only this package reads settings files, environment variables and command-line
arguments; everything below it takes its configuration as arguments.
"""
