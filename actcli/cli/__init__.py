"""The command line: parsing and dispatch only; numbers come from the core, drawing from renderers."""
