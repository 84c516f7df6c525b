"""People's names split the way citation styles need them: family and given, or one literal name.

The registry keeps a display name only ("Samuel R. Bowman"). A style sorts by family name and may
initialise given names, so the split matters. Rules, kept deliberately plain:

- an organisation, a single word ("TetraspaceWest") or a name in a script without spaces stays literal,
  so no style turns it into "TetraspaceWest, ." or initialises it;
- "Family, Given" (a comma) is taken as written;
- a trailing suffix (Jr., Sr., II, III, IV) becomes `suffix`;
- lowercase particles before the family name ("van", "de", "von der") become the
  `non-dropping-particle`, so "Ludwig van Beethoven" sorts as "van Beethoven" and is never initialised.
"""

from __future__ import annotations

from typing import Literal

CslName = dict[str, str]

SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
PARTICLES = frozenset({"van", "von", "de", "der", "den", "del", "della", "di", "da", "du", "dos", "das", "la", "le",
                       "ter", "ten", "zu", "bin", "ibn", "al", "el", "y"})


def _split_suffix(name: str) -> tuple[str, str | None]:
    """'Martin Luther King, Jr.' or 'Martin Luther King Jr.' to ('Martin Luther King', 'Jr.')."""
    tokens = name.split(" ")
    if len(tokens) > 2 and tokens[-1].lower() in SUFFIXES:
        return " ".join(tokens[:-1]).rstrip(","), tokens[-1]
    return name, None


def person_name(name: str) -> CslName:
    """A person's display name as a CSL name object."""
    name, suffix = _split_suffix(" ".join(name.split()))
    if "," in name:
        family, _, given = (part.strip() for part in name.partition(","))
        result: CslName = {"family": family, "given": given} if given else {"literal": family}
    else:
        tokens = name.split(" ")
        if len(tokens) < 2:
            return {"literal": name if suffix is None else f"{name} {suffix}"}
        start = len(tokens) - 1
        while start > 1 and tokens[start - 1].islower() and tokens[start - 1] in PARTICLES:
            start -= 1
        result = {"family": tokens[-1], "given": " ".join(tokens[:start])}
        if start < len(tokens) - 1:
            result["non-dropping-particle"] = " ".join(tokens[start:-1])
    if suffix and "literal" not in result:
        result["suffix"] = suffix
    return result


def csl_name(name: str, kind: Literal["person", "organization"] = "person") -> CslName:
    """An organisation is one literal name; a person is split."""
    return {"literal": " ".join(name.split())} if kind == "organization" else person_name(name)


def same_person(a: CslName, b: CslName) -> bool:
    """Whether two name objects name the same person, ignoring case and spacing."""
    def key(name: CslName) -> tuple[str, ...]:
        return tuple(" ".join(name.get(part, "").lower().split())
                     for part in ("literal", "family", "given", "non-dropping-particle"))
    return key(a) == key(b)


def display(name: CslName) -> str:
    """The name as a reader writes it: 'Ludwig van Beethoven Jr.', 'Example Lab'."""
    if "literal" in name:
        return name["literal"]
    parts = (name.get("given"), name.get("non-dropping-particle"), name.get("family"), name.get("suffix"))
    return " ".join(part for part in parts if part)
