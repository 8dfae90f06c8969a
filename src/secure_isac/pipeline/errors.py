"""The configuration error of the workflow and the limit check every study uses (one line naming the key)."""

from __future__ import annotations


class ConfigError(ValueError):
    """A configuration value the workflow cannot run with; the message names the key."""


def check_count(count: int, limit: int, key: str, what: str, limit_key: str) -> None:
    """ConfigError naming `key` when `count` (of `what`) exceeds limits.<limit_key> = `limit`."""
    if count > limit:
        raise ConfigError(f"{key}: {count} {what} exceed limits.{limit_key} = {limit} (raise limits.{limit_key} "
                          f"if you mean it)")
