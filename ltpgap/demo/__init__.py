"""The BLMK demo (`python -m ltpgap.demo`, run by `make demo`) and its illustrative inputs."""
