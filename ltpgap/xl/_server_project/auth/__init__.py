"""Auth providers xlwings Server finds by name (XLWINGS_AUTH_PROVIDERS)."""
