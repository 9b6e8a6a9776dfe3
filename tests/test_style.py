"""The Neo4j Browser style file: every actor label is coloured and captioned by name; every arrow has a rule."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from graphkit.cli import app
from graphkit.records import ACTOR_TYPES, EDGE_KINDS
from graphkit.resources import queries_dir
from graphkit.store.cypher import TYPE_LABELS, rel_type

RULE = re.compile(r"(?P<selector>[\w.]+)\s*\{(?P<body>(?:[^{}]|\{[^{}]*\})*)\}", re.S)  # "{name}" inside


def _rules(text: str) -> dict[str, dict[str, str]]:
    rules = {}
    for m in RULE.finditer(text):
        props = dict(re.findall(r"([\w-]+)\s*:\s*([^;]+);", m.group("body")))
        rules[m.group("selector")] = {k: v.strip() for k, v in props.items()}
    return rules


def test_every_actor_type_and_relation_type_is_styled():
    rules = _rules((queries_dir() / "graphkit.grass").read_text(encoding="utf-8"))
    colours = set()
    for actor_type in ACTOR_TYPES:
        rule = rules[f"node.{TYPE_LABELS[actor_type]}"]
        assert rule["caption"] == '"{name}"'
        assert re.fullmatch(r"#[0-9A-Fa-f]{6}", rule["color"])
        colours.add(rule["color"])
    assert len(colours) == len(ACTOR_TYPES)  # one colour a type
    for kind in EDGE_KINDS:
        assert f"relationship.{rel_type(kind)}" in rules


def test_style_command_prints_the_file():
    result = CliRunner().invoke(app, ["style"])
    assert result.exit_code == 0
    assert result.output == (queries_dir() / "graphkit.grass").read_text(encoding="utf-8")
    assert CliRunner().invoke(app, ["style", "--help"]).exit_code == 0
