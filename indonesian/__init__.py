"""Indonesian text handling: normalisation, slang, dates, numbers and names.

Imports nothing of Big One's own; every layer may use it.
"""
