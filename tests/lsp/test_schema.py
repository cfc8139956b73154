"""`archbook schema` checked by a JSON Schema validator (python-jsonschema):
the example handbook's front matter passes it, slips that would lose data
fail it, as the `misspelt-key` and `raci-letter` rules say."""
import json
import os
import pathlib
import subprocess

import jsonschema
import pytest
import yaml

REPO = pathlib.Path(__file__).resolve().parents[2]
ARCHBOOK = os.environ.get("ARCHBOOK", str(REPO / "target" / "debug" / "archbook"))


def schema(kind=None):
    out = subprocess.run([ARCHBOOK, "schema", *([kind] if kind else [])], check=True, capture_output=True)
    s = json.loads(out.stdout)
    jsonschema.Draft7Validator.check_schema(s)
    return jsonschema.Draft7Validator(s)


class Loader(yaml.SafeLoader):
    """YAML as editors' YAML 1.2 tooling reads it: a date stays text."""


Loader.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def front_matters():
    for page in sorted((REPO / "content").rglob("*.md")):
        text = page.read_text()
        if text.startswith("---\n"):
            yield page, yaml.load(text.split("\n---\n", 1)[0][4:], Loader=Loader)


def test_the_example_handbook_passes():
    any_page = schema()
    pages = list(front_matters())
    assert len(pages) > 40
    for page, fm in pages:
        errors = [e.message for e in any_page.iter_errors(fm)]
        assert errors == [], f"{page}: {errors}"
        if "kind" in fm:
            errors = [e.message for e in schema(fm["kind"]).iter_errors(fm)]
            assert errors == [], f"{page}: {errors}"


@pytest.mark.parametrize(
    "fm, why",
    [
        ({"kind": "role", "does-not": ["run"]}, "does-not"),
        ({"kind": "activity", "raci": {"ops": "X"}}, "X"),
        ({"kind": "component", "owner": "ops"}, "layer"),
        ({"kind": "widget"}, "widget"),
        ({"kind": "decision", "status": "approved"}, "approved"),
    ],
)
def test_slips_fail(fm, why):
    errors = [e.message for e in schema().iter_errors(fm)]
    if fm["kind"] != "widget":
        errors += [e.message for e in schema(fm["kind"]).iter_errors(fm)]
    assert any(why in m for m in errors), errors


def test_keys_of_ones_own_are_free():
    fm = {"kind": "component", "layer": "infra", "x-cost": 3, "extra": {"team": "a"}}
    assert list(schema().iter_errors(fm)) == []
    assert list(schema("component").iter_errors(fm)) == []
