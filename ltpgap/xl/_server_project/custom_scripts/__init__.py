"""The scripts xlwings Server runs: exactly ltpgap's three buttons, nothing else."""

from ltpgap.xl.scripts import check, push_catalogue, recompute

__all__ = ["check", "push_catalogue", "recompute"]
