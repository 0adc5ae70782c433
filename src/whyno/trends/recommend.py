"""What to change: findings turned into a ranked list, each with its lever and evidence.

Every suggestion follows from the taxonomy id of a tested finding; nothing is
suggested without one. Rising reasons come first, ranked by the lost revenue
behind them, then the reasons that are falling (often good news).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from whyno.reasons.taxonomy import Taxonomy
from whyno.trends.mix import ShareSeries
from whyno.trends.shifts import Finding

LEVER_NAMES = {
    "approach": "our approach",
    "product": "our product",
    "market": "the market",
    "fit": "good no: not our customer",
    "unknown": "learning gap",
}

RISING = {
    "approach.value_unclear": (
        "Rework the why of the pitch: prospects do not see the value. Lead with their problem "
        "and proof from customers like them, and test a new opening on the next calls."
    ),
    "approach.sales_experience": (
        "Look at how we sell: prospects describe pressure, slow answers or not being heard. "
        "Check which sellers it comes from and coach them; review response times."
    ),
    "approach.trust": (
        "Earn trust earlier: references from similar customers, security and privacy answers, "
        "and proof of stability before the prospect has to ask."
    ),
    "product.capability": (
        "Product feedback: a missing capability is costing deals. Give product the verbatims "
        "and the revenue at stake; meanwhile say early to prospects who need it that we may "
        "not be right for them."
    ),
    "product.integration": (
        "Product feedback: we do not fit their stack. Give product the verbatims and the "
        "revenue at stake; qualify the integration need on the first call."
    ),
    "product.quality": (
        "Fix reliability and support before selling harder: quality complaints are rising. "
        "Share the verbatims with product and support."
    ),
    "product.usability": (
        "Make it easier to adopt: onboarding, training and simpler defaults. Prospects fear "
        "the learning curve."
    ),
    "product.price": (
        "Review pricing and packaging. Check first whether a competitor's price moved (a "
        "market change) before discounting."
    ),
    "market.budget": (
        "The market moved: budgets are frozen. Not a pitch problem: don't discount to chase "
        "it; record these as not-now and revisit at their next fiscal period."
    ),
    "market.timing": (
        "Not now is not never: keep in touch lightly and set revisit dates; don't push."
    ),
    "market.competitor": (
        "The market moved: an alternative is winning more often. Learn why (price, a feature, "
        "a relationship) and tell prospects honestly where the other option fits better."
    ),
    "market.status_quo": (
        "Prospects choose to change nothing: make the cost of doing nothing concrete, and go "
        "for the no when they are comfortable where they are."
    ),
    "fit.not_a_fit": (
        "A good no: more prospects are not our customer. Qualify earlier (go for the no on "
        "the first call) and check where these leads come from."
    ),
    "unknown.no_reason": (
        "Learning gap: more no's come without a reason. Ask why after every no and record it "
        "in their words."
    ),
}


@dataclass
class Recommendation:
    rank: int
    category: str
    lever: str
    lever_name: str
    direction: str
    headline: str
    suggestion: str
    finding: Finding
    verbatims: list[str] = field(default_factory=list)
    competitors: list[tuple[str, int]] = field(default_factory=list)
    trend: ShareSeries | None = None  # the reason's share per period in the finding's slice


def recommend(findings: list[Finding], taxonomy: Taxonomy) -> list[Recommendation]:
    rising = sorted(
        (f for f in findings if f.direction == "up"),
        key=lambda f: (-f.recent_revenue, -abs(f.change)),
    )
    falling = sorted((f for f in findings if f.direction == "down"), key=lambda f: -abs(f.change))
    items = []
    for rank, finding in enumerate(rising + falling, start=1):
        category = taxonomy.get(finding.category)
        items.append(
            Recommendation(
                rank=rank,
                category=finding.category,
                lever=category.lever,
                lever_name=LEVER_NAMES.get(category.lever, category.lever),
                direction=finding.direction,
                headline=_headline(finding, category.label),
                suggestion=_suggestion(finding, category.label),
                finding=finding,
            )
        )
    return items


def _where(finding: Finding) -> str:
    if not finding.segment:
        return ""
    (field_name, value), *_ = finding.segment.items()
    return f" ({field_name}: {value})"


def _headline(finding: Finding, label: str) -> str:
    verb = "rose" if finding.direction == "up" else "fell"
    since = f" since {finding.since}" if finding.since else ""
    return (
        f"{label}{_where(finding)} {verb} from {finding.baseline_share:.0%} to "
        f"{finding.recent_share:.0%} of no's{since}"
    )


def _suggestion(finding: Finding, label: str) -> str:
    if finding.direction == "up":
        return RISING.get(finding.category, f"More no's say {label.lower()}: read the verbatims.")
    if finding.category.startswith(("product.", "approach.")):
        return (
            f"Improving: fewer no's say {label.lower()}. If a gap was closed, revisit the "
            "prospects who said no for this reason."
        )
    return f"Easing: fewer no's say {label.lower()} than in the baseline."
