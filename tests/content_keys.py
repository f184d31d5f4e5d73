"""What the repository's content/ must cover: every office and role of the guide."""

OFFICES = ["front", "middle", "back"]
ROLE_KEYS = [
    "front/sales",
    "front/retail",
    "middle/sales-planning",
    "middle/legal-compliance",
    "middle/risk-management",
    "back/accounting-finance",
    "back/hr-labor",
    "back/general-affairs",
    "back/it-systems",
]
