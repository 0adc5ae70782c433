"""The demo company, Larkspur: who sells, to whom, against whom, and its known story.

Larkspur sells field-service software (scheduling, dispatch, invoicing) to
service businesses. The story the analysis must find without being told:

* Dispatchly cuts its price from month 18: more no's to Dispatchly, on price.
* Property-management companies freeze budgets from month 15.
* The missing QuickBooks Online sync costs deals until it ships in month 20.
* One seller pressures prospects (more "pushy" no's, fewer wins); one goes for
  the no (more honest disqualifications, more wins).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

START = dt.date(2024, 12, 1)  # month 1
MONTHS = 24
END = dt.date(2026, 11, 30)  # deals still open after this stay open

PRICE_CUT_MONTH = 18
FREEZE_MONTH = 17
FREEZE_INDUSTRY = "Property Management"
INTEGRATION_SHIPPED_MONTH = 20

COMPETITORS = ("Dispatchly", "ServiceGrid", "FieldPro")
PRICE_CUTTER = "Dispatchly"

INDUSTRIES = ("HVAC", "Plumbing", "Electrical", "Landscaping", "Cleaning", FREEZE_INDUSTRY)
SIZES = ("1-10", "11-50", "51-200", "201-1000")
SIZE_WEIGHTS = (0.25, 0.4, 0.25, 0.1)
REGIONS = ("US West", "US Central", "US East", "Canada")

PUSHY_SELLER = "Brad Keller"
NO_SELLER = "Maya Ortiz"  # goes for the no
SELLERS = (
    "Priya Raman",
    PUSHY_SELLER,
    "Tom Okafor",
    NO_SELLER,
    "Lena Fischer",
    "Diego Santos",
    "Hannah Cole",
    "Sam Whitaker",
)


@dataclass(frozen=True)
class Product:
    name: str
    low: int  # yearly contract value range, USD
    high: int


PRODUCTS = (
    Product("Larkspur Core", 2_400, 9_000),
    Product("Larkspur Pro", 9_000, 32_000),
    Product("Larkspur Enterprise", 32_000, 140_000),
)

OPEN_STAGES = (
    "Appointment Scheduled",
    "Qualified To Buy",
    "Presentation Scheduled",
    "Decision Maker Bought-In",
    "Contract Sent",
)

# Base weights of each reason among no's; the story adjusts them per deal.
BASE_REASONS: dict[str, float] = {
    "approach.value_unclear": 9,
    "approach.sales_experience": 3,
    "approach.trust": 4,
    "product.capability": 8,
    "product.integration": 4,
    "product.quality": 4,
    "product.usability": 5,
    "product.price": 9,
    "market.budget": 7,
    "market.timing": 9,
    "market.competitor": 9,
    "market.status_quo": 8,
    "fit.not_a_fit": 5,
}

# Name parts for accounts and people.
ACCOUNT_PREFIXES = (
    "Summit",
    "BlueLine",
    "Evergreen",
    "Northstar",
    "Copper Creek",
    "Redwood",
    "Harbor",
    "Pioneer",
    "Granite",
    "Silver Oak",
    "Prairie",
    "Lakeside",
    "Ironwood",
    "Maple",
    "Keystone",
    "Cascade",
    "Bright",
    "True North",
    "Cedar",
    "Atlas",
    "Liberty",
    "Anchor",
    "Sunrise",
    "Westbrook",
    "Stonegate",
    "Clearwater",
    "Hilltop",
    "Riverbend",
    "Oakline",
    "Frontier",
    "Beacon",
    "Heritage",
    "Peak",
    "Metro",
    "Valley",
    "Coastal",
)
ACCOUNT_SUFFIXES = {
    "HVAC": ("Heating & Air", "Climate Services", "Comfort Systems", "HVAC", "Mechanical"),
    "Plumbing": ("Plumbing", "Plumbing & Drain", "Pipe Works", "Rooter", "Water Services"),
    "Electrical": ("Electric", "Electrical Contractors", "Power Services", "Wiring Co"),
    "Landscaping": ("Landscaping", "Lawn & Garden", "Grounds Care", "Outdoor Services"),
    "Cleaning": ("Cleaning Co", "Janitorial", "Facility Services", "Maids"),
    FREEZE_INDUSTRY: ("Property Management", "Residential", "Realty Services", "Properties"),
}
FIRST_NAMES = (
    "Alex",
    "Jordan",
    "Maria",
    "Chris",
    "Pat",
    "Dana",
    "Luis",
    "Grace",
    "Omar",
    "Keisha",
    "Ben",
    "Aisha",
    "Mark",
    "Julie",
    "Raj",
    "Nina",
    "Carlos",
    "Erin",
    "Tyler",
    "Mei",
    "Frank",
    "Sofia",
    "Derek",
    "Rosa",
    "Kevin",
    "Tanya",
    "Victor",
    "Holly",
    "Andre",
    "Ivy",
)
LAST_NAMES = (
    "Nguyen",
    "Smith",
    "Garcia",
    "Johnson",
    "Patel",
    "Brown",
    "Kim",
    "Lopez",
    "Miller",
    "Davis",
    "Wilson",
    "Clark",
    "Lewis",
    "Walker",
    "Young",
    "Allen",
    "Wright",
    "Hill",
    "Scott",
    "Green",
    "Baker",
    "Adams",
    "Nelson",
    "Carter",
    "Mitchell",
    "Perez",
    "Roberts",
)


def month_start(month: int) -> dt.date:
    """First day of demo month ``month`` (1-based)."""
    index = START.month - 1 + month - 1
    return dt.date(START.year + index // 12, index % 12 + 1, 1)


def month_of(day: dt.date) -> int:
    """The demo month (1-based) that ``day`` falls in."""
    return (day.year - START.year) * 12 + day.month - START.month + 1
