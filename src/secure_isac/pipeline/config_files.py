"""Reading a configuration file: YAML (or JSON) that refuses a key given twice in one mapping, which PyYAML and
snakemake's own reader would keep silently (the last one wins); ConfigError naming the file and both lines."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError


class _UniqueKeyLoader(yaml.SafeLoader):
    """yaml.SafeLoader that refuses a key given twice in one mapping (PyYAML keeps the last one silently)."""

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":  # `<<: *anchor` merges are not repetitions
                continue
            key = self.construct_object(key_node, deep=True)
            mark = key_node.start_mark
            try:
                first = seen.get(key)
            except TypeError:  # an unhashable key: the base class reports it
                continue
            if first is not None:
                raise _DuplicateKey(key, first, mark)
            seen[key] = mark
        return super().construct_mapping(node, deep)


class _DuplicateKey(yaml.YAMLError):
    def __init__(self, key, first, second):
        where = (f"line {first.line + 1}, columns {first.column + 1} and {second.column + 1}"
                 if first.line == second.line else f"lines {first.line + 1} and {second.line + 1}")
        super().__init__(f"key {key!r} is given twice ({where}); a YAML mapping keeps only the last one, so the "
                         "other would be ignored without a word: keep one")


def load_yaml(path: str | os.PathLike, where: str | None = None) -> Any:
    """The YAML (or JSON) file at `path`, refusing a key repeated in a mapping: ConfigError "<where>: key 'x' is
    given twice (lines 3 and 7) ..." (where defaults to the path)."""
    where = where or os.fspath(path)
    try:
        text = Path(path).read_text()
    except OSError as exc:
        raise ConfigError(f"{where}: cannot be read ({type(exc).__name__}: {exc.strerror or exc})") from None
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except _DuplicateKey as exc:
        raise ConfigError(f"{where}: {exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{where}: not valid YAML ({' '.join(str(exc).split())})") from None


def load_mapping(path: Path, where: str, what: str) -> Mapping[str, Any]:
    """The mapping in the YAML file at `path` ({} for an empty file), read with load_yaml; ConfigError "<where>: no
    such file" or "<where>: must <what>, got <type>"."""
    if not path.is_file():
        raise ConfigError(f"{where}: no such file")
    data = load_yaml(path, where) or {}
    if not isinstance(data, Mapping):
        raise ConfigError(f"{where}: must {what}, got {type(data).__name__}")
    return data


def check_config_files(paths) -> None:
    """Read every configuration file snakemake merged (config/config.yaml, each --configfile) once more with
    load_yaml: snakemake's own reader keeps the last of two equal keys without a word."""
    for path in paths:
        load_yaml(path, f"configuration file {os.fspath(path)}")
