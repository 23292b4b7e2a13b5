"""ltpgap adds no worksheet functions (custom functions) to Excel."""
