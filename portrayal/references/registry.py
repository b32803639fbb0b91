"""The target registry (`data/targets.json`): who the targets are and how they are named.

The registry is data: adding a target, an alias or an organisation needs no code. Each target
lists its names, misspellings, aliases and titles, and its organisations and products with the
roles it holds there; the role words themselves (patron, CEO, fondateur, owner...) are generic
(`portrayal/resources/references.json`), so "le patron de SpaceX", "the xAI founder" or
"the Grok maker's owner" are composed from parts rather than listed.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelArtifactError

# Role kinds a target may hold at an organisation (their words are in the lexicon).
ROLE_KINDS = ("chief", "owner", "founder", "backer")


@dataclass(frozen=True)
class Organisation:
    """An organisation or product of a target, and the kinds of role the target holds there."""

    names: tuple[str, ...]
    roles: tuple[str, ...]
    product: bool = False


@dataclass(frozen=True)
class Target:
    id: str
    display_name: str
    names: tuple[str, ...]
    misspellings: tuple[str, ...]
    aliases: tuple[str, ...]
    titles: tuple[str, ...]
    pronouns: tuple[str, ...]
    # A surname alone is another person of the family when another given name precedes it ("Kimbal Musk").
    given_names: tuple[str, ...] = ()
    surnames: tuple[str, ...] = ()
    relatives: tuple[str, ...] = ()  # people who share the name: "Kimbal Musk"
    organisations: tuple[Organisation, ...] = ()


class TargetRegistry:
    """The targets and how they are referred to, read from a JSON document."""

    def __init__(self, document: dict):
        if not isinstance(document, dict):
            raise ModelArtifactError(f"target registry is malformed: expected an object, got {type(document).__name__}")
        try:
            self.targets = tuple(_target(entry) for entry in document["targets"])
        except (KeyError, TypeError, AttributeError) as error:
            raise ModelArtifactError(f"target registry is malformed: missing or wrong {error}") from error
        self.group_references = _flatten(document.get("group_references", {}))
        self.carried_references = _flatten(document.get("carried_references", {}))
        self.document = document

    @classmethod
    def from_file(cls, path: str | Path) -> "TargetRegistry":
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(target.id for target in self.targets)


def _target(entry: dict) -> Target:
    organisations = tuple(
        Organisation(tuple(org["names"]), tuple(org.get("roles", ROLE_KINDS)), bool(org.get("product", False)))
        for org in entry.get("organisations", ()))
    unknown = {role for org in organisations for role in org.roles} - set(ROLE_KINDS)
    if unknown:
        raise ModelArtifactError(f"target registry: unknown role kind(s) {', '.join(sorted(unknown))} for "
                                 f"{entry['id']}; known: {', '.join(ROLE_KINDS)}")
    return Target(
        id=entry["id"],
        display_name=entry["display_name"],
        names=tuple(entry["names"]),
        misspellings=tuple(entry.get("misspellings", ())),
        aliases=tuple(entry.get("aliases", ())),
        titles=tuple(entry.get("titles", ())),
        pronouns=tuple(p for forms in entry.get("pronouns", {}).values() for p in forms),
        given_names=tuple(entry.get("given_names", ())),
        surnames=tuple(entry.get("surnames", ())),
        relatives=tuple(entry.get("relatives", ())),
        organisations=organisations,
    )


def _flatten(by_language: dict) -> tuple[str, ...]:
    return tuple(phrase for phrases in by_language.values() for phrase in phrases)
