"""Names of widely used software, platforms and services: products, not identifiers.

A participant who says "I had screenshots of Slack" or "she posted about it on LinkedIn" names a
tool, not a person or a company that points at them. Detection proposes such names as kept
(``auto_reject``), as it does the names a study itself uses as tools; a project extends the list
with its own "not personal" terms (the product under study, its competitors, the tools of its
market), kept in the project's settings (``review.not_personal``).

The list holds products and platforms only, never a name that is also a common first name or a
common word on its own ("Sage" alone, "Square", "Word", "Box", "Monday", "Alexa", "Front"): those stay with the
sentence-shape rules, which tell "we use Sage" from "Sage said".
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qualseg.privacy.detect import Candidate

_GROUPS = (
    # messaging, meetings and e-mail
    "Slack; Microsoft Teams; MS Teams; Zoom; Google Meet; Webex; Skype; WhatsApp; Telegram; "
    "Discord; Outlook; Gmail; Google Chat; GoToMeeting; FaceTime; Loom; Calendly",
    # documents, sheets and storage
    "Excel; Microsoft Excel; PowerPoint; Microsoft Word; Google Sheets; Google Docs; "
    "Google Drive; Google Slides; Google Forms; Google Workspace; G Suite; Microsoft 365; "
    "Office 365; SharePoint; OneDrive; Dropbox; OneNote; Notion; Confluence; Evernote; Airtable; "
    "Smartsheet; Miro; Typeform; SurveyMonkey; Qualtrics; Adobe Acrobat; Acrobat; DocuSign; "
    "Adobe Sign; PandaDoc",
    # work tracking and support
    "Jira; Trello; Asana; Basecamp; ClickUp; Wrike; Monday.com; ServiceNow; Zendesk; "
    "Freshdesk; Intercom; Help Scout; Zapier; Make.com; IFTTT",
    # sales and marketing
    "Salesforce; HubSpot; Pipedrive; Zoho; Zoho CRM; Marketo; Mailchimp; Hootsuite; Gong; "
    "Salesloft; Google Ads; Google Analytics; Semrush; Shopify; WooCommerce; "
    "Magento; BigCommerce; Squarespace; Wix; WordPress; Webflow",
    # finance, accounting, ERP and payments
    "QuickBooks; QuickBooks Online; QuickBooks Desktop; Xero; FreshBooks; NetSuite; "
    "Oracle NetSuite; SAP; SAP Business One; SAP S/4HANA; Sage Intacct; Sage 50; Sage 100; "
    "Microsoft Dynamics; Dynamics 365; Dynamics GP; Workday; Oracle Financials; Bill.com; "
    "Expensify; Concur; SAP Concur; Coupa; Tipalti; Stripe; PayPal; Venmo; Zelle; "
    "Brex; Navan; Avalara; Carta; Gusto; ADP; Paychex; BambooHR; Rippling; Deel; Greenhouse; "
    "Glassdoor; ZipRecruiter",
    # data, analytics and BI
    "Power BI; Tableau; Looker; Looker Studio; Metabase; Snowflake; Databricks; BigQuery; "
    "Redshift; Alteryx; Qlik; Domo; Mixpanel; Amplitude",
    # development, security and cloud
    "GitHub; GitLab; Bitbucket; Jenkins; CircleCI; Travis CI; Docker; Kubernetes; Terraform; "
    "AWS; Amazon Web Services; Azure; Microsoft Azure; Google Cloud; GCP; Heroku; Vercel; "
    "Netlify; Cloudflare; Datadog; New Relic; Splunk; PagerDuty; Okta; Auth0; "
    "1Password; LastPass; Bitwarden; CrowdStrike; SonarQube; Dependabot; Stack Overflow; "
    "Visual Studio; VS Code; Visual Studio Code; IntelliJ; Postman; npm; PyPI",
    # programming languages and frameworks
    "Java; Python; JavaScript; TypeScript; Node; Node.js; PHP; Kotlin; Scala; Golang; C#; "
    "C++; .NET; React; Angular; Vue.js; Django; Flask; Spring Boot; Ruby on Rails; Rails; "
    "PostgreSQL; Postgres; MySQL; MongoDB; Redis; Elasticsearch; Kafka",
    # social networks, media and the web
    "LinkedIn; Facebook; Instagram; Twitter; YouTube; TikTok; Reddit; Pinterest; Snapchat; "
    "Mastodon; Substack; Quora; Wikipedia; Google; Bing; Chrome; Google Chrome; "
    "Firefox; Microsoft Edge; Google Maps; Apple Maps; Waze; Yelp; Trustpilot; G2; "
    "Capterra; Gartner; Forrester; ChatGPT; Copilot; GitHub Copilot",
    # devices, operating systems and stores
    "iPhone; iPad; Android; iOS; macOS; Windows 10; Windows 11; Linux; Chromebook; "
    "App Store; Google Play; Play Store; Kindle",
    # transcription and research tools
    "Otter.ai; Rev.com; Dovetail; NVivo; Atlas.ti; MAXQDA; Descript; Fireflies",
    # commerce and delivery platforms
    "Amazon Prime; Uber; Lyft; DoorDash; Instacart; Airbnb; Etsy; eBay",
)


def term_key(term: str) -> str:
    """How names are compared: letter case and spacing do not matter."""
    return " ".join(term.split()).casefold()


KNOWN = "a widely used product or platform (qualseg's list of product names)"
NOT_PERSONAL = "marked not personal in this project"
_RESEARCHER_ORIGINS = ("speaker", "participants.csv", "pattern:")
KNOWN_PRODUCTS: frozenset[str] = frozenset(
    term_key(name) for group in _GROUPS for name in group.split(";") if name.strip()
)


def is_known_product(surface: str, extra: Iterable[str] = ()) -> bool:
    """Whether a name, as a whole, is a widely used product or one of ``extra`` (the project's
    "not personal" terms); letter case and spacing do not matter."""
    key = term_key(surface)
    return key in KNOWN_PRODUCTS or key in {term_key(e) for e in extra}


def without_kept_name(surface: str, kept: Iterable[str], ordinary: set[str]) -> str | None:
    """What a longer name holds besides a kept name and the ordinary words around it, or None
    when it holds no kept name. "" for a kept name wrapped in ordinary words only ("Screenshots
    of Slack", "the Slack channel"); "Quillmark" for "Quillmark on LinkedIn". ``ordinary``:
    words the study also writes in lower case."""
    words = surface.split()
    for name in kept:
        part = [p.casefold() for p in name.split()]
        n = len(part)
        if not part or n >= len(words):
            continue
        for i in range(len(words) - n + 1):
            if [w.casefold() for w in words[i : i + n]] != part:
                continue
            head, tail = words[:i], words[i + n :]
            while head and _ordinary(head[-1], ordinary):
                head = head[:-1]
            while tail and _ordinary(tail[0], ordinary):
                tail = tail[1:]
            if head and tail:
                continue  # "Acme Slack Partners": the kept name sits inside another name
            return " ".join(head or tail)
    return None


def _ordinary(word: str, ordinary: set[str]) -> bool:
    return word.lower().strip(".,'’") in ordinary


def keep_products(
    found: MutableMapping[str, Candidate],
    not_personal: Sequence[str],
    ordinary: set[str],
) -> None:
    """Propose widely used products and the project's not-personal terms as kept; a name that
    wraps a kept one in ordinary words is no candidate ("Screenshots of Slack"), or only its
    other part is ("Quillmark" of "Quillmark on LinkedIn"; a person's name is never cut).
    Only listed names wrap: a name the study seems to use as a tool may be a person's. Speakers,
    participants.csv values and pattern matches are left as they are."""
    detected = [c for c in found.values() if not c.origin.startswith(_RESEARCHER_ORIGINS)]
    for c in detected:
        if is_known_product(c.surface, not_personal):
            c.auto_reject = KNOWN if is_known_product(c.surface) else NOT_PERSONAL
    kept = [*not_personal, *sorted(KNOWN_PRODUCTS)]
    for c in detected:
        rest = None if c.auto_reject else without_kept_name(c.surface, kept, ordinary)
        if rest is None or (rest and c.category not in {"company", "place"}):
            continue  # a person's name is never cut short: "Priya Nandakumar" stays whole
        del found[c.surface]
        if rest and rest not in found and rest[0].isupper():
            c.surface = rest
            found[rest] = c
