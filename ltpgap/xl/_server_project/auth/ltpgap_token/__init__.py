"""The ``ltpgap_token`` provider: personal tokens from LTPGAP_TOKENS_FILE (ltpgap.xl.auth)."""

from ltpgap.xl.auth import validate_token

__all__ = ["validate_token"]
