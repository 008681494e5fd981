"""Detection from the shape of the sentence: names in greetings, introductions and after roles
are people; names used as tools, regulations and holidays are kept; organisation endings make
companies; a first name is somebody else's where their full name is never said."""

from __future__ import annotations

import pytest

from qualseg.importing import import_files
from qualseg.privacy import context, pseudonymiser_for
from qualseg.privacy.review import detect_and_store, list_redactions

CALL_A = """Interviewer: Hi Solveig! It's Dorotea from Brightwater Research, thanks for joining.

Participant: Hi Dorotea. I buy supplies for Quarrystone Dental. My boss, Anselm, owns the practices.

Interviewer: How do you order today?

Participant: We use Tablewise for the stock counts and the invoices land in Dropbox. We switched from Boardly to Taskmint last year. Under GDPR we cannot email patient forms, and the GDPR rules are strict. Before Easter, First Meridian Credit Union flagged two payments. Anselm Vantongeren was furious.

Interviewer: Who else decides?

Participant: Our accountant Mireille at Oakhurst Tax Partners, and Anselm.

Interviewer: Thanks, Solveig.
"""
CALL_B = """Interviewer: What did you compare?

Participant: We looked at Tablewise, but Tablewise was cheaper than Boardly. Mireille said the renewal was fine. Our driver Anselm picks up the parcels; he is not related to anybody here.
"""


@pytest.fixture
def rows(workspace):
    store = workspace.open("shapes", create=True)
    report = import_files(store, [("a.txt", CALL_A.encode()), ("b.txt", CALL_B.encode())])
    assert not report.failed, report.failed
    detect_and_store(store)
    out = {r.surface: r for r in list_redactions(store)}
    yield out, store
    store.close()


def test_people_in_greetings_introductions_and_after_roles_are_people(rows):
    found, _store = rows
    for name in ("Solveig", "Dorotea", "Anselm", "Mireille"):
        assert name in found and found[name].status != "rejected", name
        assert found[name].category == "person", (name, found[name].category)


def test_organisation_endings_and_introductions_make_companies(rows):
    found, _store = rows
    for name in ("Brightwater Research", "First Meridian Credit Union", "Oakhurst Tax Partners"):
        assert found[name].category == "company" and found[name].status != "rejected", name


def test_tools_regulations_and_holidays_are_kept(rows):
    found, store = rows
    for tool in ("Tablewise", "Boardly", "Taskmint", "Dropbox"):
        assert tool not in found or found[tool].status == "rejected", tool
    for term in ("GDPR", "Easter"):
        assert term not in found or found[term].status == "rejected", term
    p = pseudonymiser_for(store)
    text = p.apply(CALL_A)
    for kept in ("Tablewise", "Boardly", "Taskmint", "Dropbox", "GDPR", "Easter"):
        assert kept in text, kept
    for gone in ("Solveig", "Dorotea", "Anselm", "Quarrystone", "Meridian", "Oakhurst"):
        assert gone not in text, gone


def test_surname_after_first_name_is_one_entity_and_a_first_name_alone_elsewhere_is_not_linked(
    rows,
):
    found, store = rows
    full = found["Anselm Vantongeren"]
    assert full.category == "person"
    p = pseudonymiser_for(store)
    text = p.apply(CALL_A)
    assert full.pseudonym in text and "Vantongeren" not in text
    # "Anselm" in b.txt is a driver, not the boss whose full name a.txt says: the first name
    # must not take the full name's pseudonym
    assert found["Anselm"].pseudonym != full.pseudonym


@pytest.mark.parametrize(
    ("sentence", "name", "use"),
    [
        ("We use Xledger for the books.", "Xledger", "tool"),
        ("Benedikt keys it into Xledger.", "Xledger", "tool"),
        ("She posts it in a Chatterly channel.", "Chatterly", "tool"),
        ("Matching works with Paystream and the bank.", "Paystream", "tool"),
        ("Orders come by phone or Chatterly.", "Chatterly", "tool"),
        ("Under FERPA we keep it.", "FERPA", "law"),
        ("We bought two bakeries in Wexmoor.", "Wexmoor", ""),
        ("She moved to Halvorsby last year.", "Halvorsby", ""),
        ("I talked with Rhiannon about it.", "Rhiannon", ""),
    ],
)
def test_how_a_name_is_used(sentence, name, use):
    start = sentence.index(name)
    assert context.use_of(sentence, start, start + len(name)) == use


def test_the_product_word_given_to_an_export_is_kept_in_its_quotes(planted_store):
    from qualseg.embed import HashingEmbedder
    from qualseg.exports.context import ExportOptions
    from qualseg.exports.registry import export_project
    from qualseg.running import run_analysis

    run_analysis(planted_store, embedder=HashingEmbedder())
    plain = export_project(planted_store, "csv")
    assert b"Acme Corp" not in plain  # a company of the study: pseudonymised by default
    named = export_project(planted_store, "csv", options=ExportOptions(product="Acme Corp"))
    assert b"Acme Corp" in named  # the researcher said it is the product, not personal
    assert b"Dana Whitfield" not in named


@pytest.mark.parametrize(
    ("sentence", "company"),
    [
        ("We're a contractor for Brightlane, we run routes out of their depot.", "Brightlane"),
        ("I drove for Brightlane for six years before that.", "Brightlane"),
        ("We're the only supplier for Harwick Mills in the county.", "Harwick Mills"),
    ],
)
def test_who_someone_works_for_is_an_organisation(sentence, company):
    """The recogniser calls such a name a person as often as not; the sentence says it is the
    organisation someone works for, so its category comes from there."""
    assert company in set(context.companies_in(sentence, {"we", "the", "run", "only"}))
