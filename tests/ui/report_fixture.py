"""A small hand-made study report (the shape of service.current_state(store).report)."""

from __future__ import annotations


def excerpt(key: str, person: str, text: str, kinds: list[str], themes: list[str], **extra) -> dict:
    start = int(key.split(":")[1].split("-")[0])
    return {
        "id": key,
        "participant": person,
        "source": f"{person.lower()}.txt",
        "start": start,
        "end": start + len(text),
        "timestamp": None,
        "text": text,
        "kinds": kinds,
        "themes": themes,
        "dismissed": False,
    } | extra


def theme(tid: str, lens: str, label: str, excerpts: list[str], people: list[str]) -> dict:
    return {
        "id": tid,
        "lens": lens,
        "label": label,
        "keyphrases": [label.split()[0]],
        "participants": people,
        "excerpts": excerpts,
        "quotes": [],
        "dismissed": False,
    }


def make_report() -> dict:
    """Six participants: P1-P3 talk about manual keying, P4-P6 about control; metadata where
    company_size follows the split exactly and region does not; company is unique."""
    sizes = {"P1": "51-200", "P2": "51-200", "P3": "51-200", "P4": "1000+", "P5": "1000+"}
    sizes["P6"] = "1000+"
    regions = {"P1": "EU", "P2": "US", "P3": "EU", "P4": "US", "P5": "EU", "P6": "US"}
    participants = [
        {
            "id": p,
            "name": f"Person {p[1]}",
            "source": f"{p.lower()}.txt",
            "segment": "S1" if p in ("P1", "P2", "P3") else "S2",
            "metadata": {"company_size": sizes[p], "region": regions[p], "company": f"Co {p}"},
        }
        for p in ("P1", "P2", "P3", "P4", "P5", "P6")
    ]
    excerpts = []
    for n, p in enumerate(("P1", "P2", "P3")):
        excerpts.append(
            excerpt(f"k{n}:0-40", p, "We key every invoice by hand.", ["need"], ["need-1"])
        )
        excerpts.append(
            excerpt(
                f"k{n}:100-200",
                p,
                "=SUM(A1) is how our month end close looks, a long spreadsheet that "
                "nobody trusts and everyone edits at the same time.",
                ["need"],
                ["need-1"],
            )
        )
    for n, p in enumerate(("P4", "P5", "P6"), start=3):
        excerpts.append(
            excerpt(f"k{n}:0-50", p, "I need to see who approved what.", ["need"], ["need-2"])
        )
        excerpts.append(
            excerpt(f"k{n}:60-90", p, "The auditors flagged us.", ["trigger"], ["trigger-1"])
        )
    excerpts.append(excerpt("k9:0-20", "P1", "Loud and clear.", ["other"], []))
    excerpts.append(
        excerpt("k9:30-60", "P4", "Dismissed words here.", ["need"], [], dismissed=True)
    )
    themes = [
        theme(
            "need-1", "need", "Manual keying", [e["id"] for e in excerpts[0:6]], ["P1", "P2", "P3"]
        ),
        theme(
            "need-2",
            "need",
            "Approval control",
            [e["id"] for e in excerpts[6:12] if "need" in e["kinds"]],
            ["P4", "P5", "P6"],
        ),
        theme(
            "trigger-1",
            "trigger",
            "Audit finding",
            [e["id"] for e in excerpts if "trigger" in e["kinds"]],
            ["P4", "P5", "P6"],
        ),
        theme(
            "need-3",
            "need",
            "Gone",
            [],
            [],
        )
        | {"dismissed": True},
    ]
    segments = [
        {
            "id": "S1",
            "label": "Manual grinders",
            "participants": ["P1", "P2", "P3"],
            "themes": ["need-1"],
            "psychographics": [],
            "triggers": [],
            "objections": [],
            "quotes": [],
            "measures": {},
        },
        {
            "id": "S2",
            "label": "Control seekers",
            "participants": ["P4", "P5", "P6"],
            "themes": ["need-2"],
            "psychographics": [],
            "triggers": ["trigger-1"],
            "objections": [],
            "quotes": [],
            "measures": {},
            "notes": {"accessible": "AP forums"},
        },
    ]
    return {
        "run": {"id": 1, "seed": 42, "model": "hashing-256"},
        "participants": participants,
        "excerpts": excerpts,
        "themes": themes,
        "segments": segments,
        "measures": {},
        "pins": ["k3:0-50", "k0:0-40"],
    }
